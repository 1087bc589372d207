"""Linking: candidate pairs by blocking, then a match score from weighted comparisons.

Claims with the same reading (family, figure and features) are one `Profile`, so a
figure repeated in thousands of documents is read and scored once. Candidates are
pairs of profiles of one family (kind, unit family, `per`) that share a distinctive
term (an inverted index over their context words, counted noun and names; a term
held by more than `BLOCK_LIMIT` profiles distinguishes nothing and is not a block)
and whose figures lie within a plausible band of each other (sorted by figure, each
profile meets at most `NEIGHBOURS` others per block). Each candidate gets the
comparisons of `evidence`, whose levels' weights (log2 likelihood ratios, in
data/linking.toml) are summed with the prior into a score in [0, 1].
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import attrs

from ..model import Claim
from ..rules import read_data_file
from .evidence import Comparison, Features, compare_features
from .figures import Figure, measure_unit, same_figure

#: A term held by more readings (profiles) than this is too common to block on.
BLOCK_LIMIT = 200
#: Each profile is compared with at most this many neighbours (by figure) per block.
NEIGHBOURS = 8
#: Figures further apart than this factor are not candidates (dates: days apart).
BAND = 30.0
DATE_BAND_DAYS = 3 * 366.0
#: The least number of claims rarity is counted over (see Idf).
MIN_COLLECTION = 100
#: A term rarer than this (inverse document frequency, natural log) is distinctive.
RARE_IDF = 2.0


@attrs.frozen
class Weights:
    """The weights of data/linking.toml: comparison -> level -> log2 likelihood ratio."""

    levels: Mapping[str, Mapping[str, float]]
    prior: float
    repeat: float
    date_repeat: float
    conflict: float

    #: (comparison, level) -> weight: the same numbers as `levels`, one lookup away
    flat: Mapping[tuple[str, str], float] = attrs.field(factory=dict)

    def weight(self, comparison: Comparison) -> float:
        return self.flat.get((comparison.name, comparison.level), 0.0)


@functools.cache
def weights() -> Weights:
    data = read_data_file("linking.toml")
    levels = {name: {k: float(v) for k, v in table.items()}
              for name, table in data.get("weights", {}).items()}
    thresholds = data.get("thresholds", {})
    flat = {(name, level): w for name, table in levels.items() for level, w in table.items()}
    return Weights(levels=levels, flat=flat, prior=float(thresholds.get("prior", 0.0)),
                   repeat=float(thresholds.get("repeat", 0.5)),
                   date_repeat=float(thresholds.get("date_repeat", 0.5)),
                   conflict=float(thresholds.get("conflict", 0.8)))


def family(claim: Claim) -> tuple[str, str | None, str | None]:
    """What a claim can be compared with at all: kind (a ratio is a count of its
    numerator), unit family (currency; percent and percentage points; time) and `per`."""
    q = claim.quantity
    kind = "count" if q.kind == "ratio" else q.kind
    if q.kind == "percent":
        unit: str | None = "percent"
    elif q.kind == "duration":
        unit = "time"
    elif q.kind in ("count", "ratio", "date"):
        unit = None
    elif q.kind == "quantity" and q.unit:
        known = measure_unit(q.unit)
        unit = known[0] if known else q.unit
    else:
        unit = q.unit
    return kind, unit, q.per


@attrs.frozen(cache_hash=True)
class Reading:
    """The part of a claim that linking reads: equal readings are one profile."""

    family: tuple[str, str | None, str | None]
    figure: Figure
    features: Features
    speaker: str | None
    asof: str | None
    #: the figure is written with three significant digits or more ("34.2", "44,300")
    specific: bool = False


@attrs.define
class Profile:
    """Claims with one reading."""

    index: int
    reading: Reading
    claims: list[Claim] = attrs.field(factory=list)
    docs: set[str] = attrs.field(factory=set)


Weighted = tuple[tuple[Comparison, float], ...]


@attrs.frozen
class Link:
    a: int
    b: int
    score: float
    comparisons: Weighted
    #: the (comparison, level) pairs of `comparisons`, which decide what the link is
    levels: frozenset[tuple[str, str]] = frozenset()
    #: the two figures are one (a repeat may join them); else they disagree
    same: bool = True


def midpoint(fig: Figure) -> float:
    low, high = fig.stated
    if fig.stated_high is not None:
        high = fig.stated_high[1]
    return (low + high) / 2


class Idf:
    """Inverse document frequency of terms over the profiles (natural log)."""

    def __init__(self, counts: Mapping[str, int], total: int) -> None:
        self._counts = counts
        # a small collection is read against a background of MIN_COLLECTION claims in
        # which its words are absent: in two documents every shared word is shared by all
        self._total = max(total, MIN_COLLECTION)
        self._cache: dict[str, float] = {}
        self._families: dict[str, FamilyIdf] = {}

    def __call__(self, term: str) -> float:
        found = self._cache.get(term)
        if found is None:
            found = math.log((self._total + 1) / (self._counts.get(term, 0) + 0.5))
            self._cache[term] = found
        return found

    def within(self, head: str) -> FamilyIdf:
        found = self._families.get(head)
        if found is None:
            found = self._families[head] = FamilyIdf(self, head)
        return found


class FamilyIdf:
    """The rarity of terms within one family (blocks 'head' + term), with the sums of
    the terms of each reading kept (a reading is scored against many others)."""

    def __init__(self, idf: Idf, head: str) -> None:
        self._idf = idf
        self._head = head
        self._totals: dict[frozenset[str], float] = {}

    def __call__(self, term: str) -> float:
        return self._idf(self._head + term)

    def total(self, terms: frozenset[str]) -> float:
        found = self._totals.get(terms)
        if found is None:
            found = self._totals[terms] = sum(self(t) for t in terms)
        return found


def prefix(fam: tuple[str, str | None, str | None]) -> str:
    """A family as the prefix of its blocks: 'count||year|'."""
    return f"{fam[0]}|{fam[1] or ''}|{fam[2] or ''}|"


def document_frequencies(profiles: Sequence[Profile]) -> dict[str, int]:
    """How many claims hold each block (family and term)."""
    counts: dict[str, int] = defaultdict(int)
    for profile in profiles:
        head = prefix(profile.reading.family)
        for term in profile.reading.features.blocking_terms():
            counts[head + term] += len(profile.claims)
    return counts


def candidates(profiles: Sequence[Profile],
               block_limit: int = BLOCK_LIMIT) -> Iterator[tuple[int, int]]:
    """Pairs of profile indexes (i < j) worth scoring, each once."""
    blocks: dict[tuple[tuple[str, str | None, str | None], str], list[int]] = defaultdict(list)
    for profile in profiles:
        fam = profile.reading.family
        for term in profile.reading.features.blocking_terms():
            blocks[(fam, term)].append(profile.index)
    seen: set[tuple[int, int]] = set()
    for (fam, _), members in blocks.items():
        if len(members) < 2 or len(members) > block_limit:
            continue  # a term of this many readings distinguishes nothing
        date = fam[0] == "date"
        ordered = sorted(members, key=lambda i: midpoint(profiles[i].reading.figure))
        mids = [midpoint(profiles[i].reading.figure) for i in ordered]
        for pos, i in enumerate(ordered):
            limit = _band_end(mids[pos], date)
            stop = min(bisect.bisect_right(mids, limit, pos + 1), pos + 1 + NEIGHBOURS)
            for j in ordered[pos + 1:stop]:
                pair = (i, j) if i < j else (j, i)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def _band_end(mid: float, date: bool) -> float:
    if date:
        return mid + DATE_BAND_DAYS
    if mid > 0:
        return mid * BAND + 1.0
    return mid / BAND + 1.0 if mid < 0 else 1.0


_FIGURE_LEVELS = {
    "other": Comparison("figure", "other", ""),
    "nested": Comparison("figure", "nested", "the same figure at another precision"),
    "same_specific": Comparison("figure", "same_specific", "the same precise figure"),
    "same": Comparison("figure", "same", "")}


def figure_comparison(a: Reading, b: Reading, same: bool | None = None) -> Comparison:
    """A figure written precisely ('34.2', '44,300') seldom recurs by chance: stating
    the same one is evidence of the same measure (as Splink weighs a rare value).
    `same` is same_figure(a.figure, b.figure) when the caller knows it."""
    if not (same_figure(a.figure, b.figure) if same is None else same):
        return _FIGURE_LEVELS["other"]
    if a.figure.stated != b.figure.stated:  # "July 2018" in "2018", "912" in "about 900"
        return _FIGURE_LEVELS["nested"]
    if a.specific and b.specific:
        return _FIGURE_LEVELS["same_specific"]
    return _FIGURE_LEVELS["same"]


def in_band(a: Figure, b: Figure, date: bool) -> bool:
    low, high = sorted((midpoint(a), midpoint(b)))
    return high <= _band_end(low, date)


def score(a: Reading, b: Reading, idf: Idf, same: bool | None = None) -> tuple[float, Weighted]:
    """The match score of two readings and the weighted comparisons behind it (`same`
    as for figure_comparison)."""
    w = weights()
    head = prefix(a.family)
    compared = compare_features(a.features, b.features, idf.within(head), RARE_IDF,
                                (a.speaker, b.speaker))
    compared.append(figure_comparison(a, b, same))
    weighted = tuple((c, w.weight(c)) for c in compared)
    total = w.prior + sum(x for _, x in weighted)
    return 1.0 / (1.0 + 2.0 ** -total), weighted
