"""Compare claims: the same figure repeated, figures that disagree, sums that do not add up.

Claims are blocked by a key (subject, kind, unit family, per, scope); only claims
with one key are compared, so the work grows with the number of claims, not with
its square. Within a block each claim's wording gives two intervals (`Figure`):
what the stated number covers at its written precision (`£1.2bn` is 1.15-1.25bn),
and what the whole wording admits once hedges are counted (`around 250` is
225-275, `more than 40 per cent` is open above). Two figures in different
documents are a *repeat* when one stated interval lies inside the other, and a
*conflict* when their admitted intervals cannot both hold. Within one document,
parts, wholes and changes are checked against the percentages stated with them
(`inconsistent`).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import attrs
import regex

from .aliases import (
    Lexicon,
    builtin_lexicon,
    learn_acronyms,
    load_aliases,
    normal_word,
    normal_words,
)
from .model import Claim, Finding
from .rules import RuleSet, read_data_file

#: The version of how claims are keyed and compared: a change to what a key is made of
#: (a store keyed under another version is keyed again).
FEATURE_VERSION = "key-1"
#: How far a hedge ("around", "nearly", "some") widens a figure, as a fraction of it.
APPROX_BAND = 0.10
#: The widest band a round number ("250,000", "£400,000") covers, as a fraction of it.
ROUND_BAND = 0.10
#: Blocks with more distinct figures than this compare each only with its neighbours.
ALL_PAIRS_LIMIT = 64
#: A conflict lists the claims of at most this many documents from each side.
MAX_CONFLICT_DOCUMENTS = 20
_NEIGHBOURS = 8
_EPS = 1e-9
_INF = math.inf

# --------------------------------------------------------------------------- figures


@attrs.frozen(cache_hash=True)  # a cluster key: hashed once per claim compared
class Figure:
    """The intervals a claim's wording admits, in the base unit of its kind.

    `shape` is point (exact or hedged), lower (more than, at least), upper (under,
    at most), range or vague; `stated` is the interval the written number covers at
    its precision (for a range, that of its low end, and `stated_high` of its high
    end); `admits` adds the hedge.
    """

    shape: str
    stated: tuple[float, float]
    admits: tuple[float, float]
    stated_high: tuple[float, float] | None = None


_NUMERAL = regex.compile(r"\d[\d,]*+(?:\.\d++)?+")
_SHAPES = {"exact": "point", "approx": "point", "more_than": "lower", "at_least": "lower",
           "less_than": "upper", "at_most": "upper", "range": "range"}


def half_unit(numeral: str | None, value: float) -> float:
    """Half the last written unit of `value` (`numeral` is the digits as written, if any).

    >>> half_unit("1.2", 1.2e9)   # £1.2bn: 1.15-1.25bn
    50000000.0
    >>> half_unit("250,000", 250000.0)   # round: the last significant digit
    5000.0
    >>> half_unit("35", 35.0)
    0.5
    """
    if numeral is None:  # number words: "five", "two million", "half"
        if value != int(value):
            return abs(value) * 0.05
        numeral = str(int(value))
    digits = numeral.replace(",", "")
    try:
        written = float(digits)
    except ValueError:
        return 0.5
    scale = value / written if written else 1.0
    if "." in digits:
        return 0.5 * 10.0 ** -len(digits.split(".")[1]) * scale
    whole = int(written)
    zeros = len(digits) - len(digits.rstrip("0")) if whole else 0
    if zeros and whole >= 100:
        return min(0.5 * 10.0 ** zeros, ROUND_BAND * whole) * scale
    return 0.5 * scale


@functools.cache
def _day_factor(unit: str) -> float:
    """Days in one `unit` (pint), so that 16 weeks and 4 months compare."""
    from .units import unit_registry

    name = RuleSet.default().time_pint.get(unit, unit)
    return float(unit_registry().Quantity(1, name).to("day").magnitude)


def _base_factor(claim: Claim) -> float:
    q = claim.quantity
    if q.kind == "duration" and q.unit:
        try:
            return _day_factor(q.unit)
        except Exception:  # an unknown unit name: compared in its own unit
            return 1.0
    return 1.0


def figure(claim: Claim) -> Figure | None:
    """The figure of a claim, or None when its wording gives no number to compare."""
    q = claim.quantity
    if any(isinstance(v, float) and not math.isfinite(v) for v in (q.value, q.low, q.high)):
        return None
    if q.kind == "date":
        return _date_figure(claim)
    numerals = _NUMERAL.findall(claim.text)
    factor = _base_factor(claim)
    shape = _SHAPES[q.qualifier]
    if isinstance(q.value, (int, float)):
        value = float(q.value)
        half = half_unit(numerals[0] if numerals else None, value)
        stated = ((value - half) * factor, (value + half) * factor)
        if shape == "point":
            spread = max(half, APPROX_BAND * abs(value)) if q.qualifier == "approx" else half
            admits = ((value - spread) * factor, (value + spread) * factor)
        elif shape == "lower":  # "more than 500": the bound as written, not rounded
            admits = (value * factor, _INF)
        elif shape == "upper":
            admits = (-_INF, value * factor)
        else:
            admits = stated
        return Figure(shape=shape, stated=stated, admits=admits)
    low, high = q.low, q.high
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
        return None
    if q.qualifier == "approx":  # vague: "hundreds" is 200-999
        span = (float(low) * factor, float(high) * factor)
        return Figure(shape="vague", stated=span, admits=span)
    h_low = half_unit(numerals[0] if numerals else None, float(low))
    h_high = half_unit(numerals[-1] if numerals else None, float(high))
    stated = ((low - h_low) * factor, (low + h_low) * factor)
    stated_high = ((high - h_high) * factor, (high + h_high) * factor)
    return Figure(shape="range", stated=stated, admits=(stated[0], stated_high[1]),
                  stated_high=stated_high)


def _date_bounds(text: str) -> tuple[float, float] | None:
    """An ISO date or year-month or year as the days it covers (as ordinals)."""
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            first, last = dt.date(numbers[0], 1, 1), dt.date(numbers[0], 12, 31)
        elif len(numbers) == 2:
            first = dt.date(numbers[0], numbers[1], 1)
            following = dt.date(numbers[0] + numbers[1] // 12, numbers[1] % 12 + 1, 1)
            last = following - dt.timedelta(days=1)
        else:
            first = last = dt.date(numbers[0], numbers[1], numbers[2])
    except (ValueError, IndexError):
        return None
    return float(first.toordinal()), float(last.toordinal()) + 1.0


def _date_figure(claim: Claim) -> Figure | None:
    value = claim.quantity.value
    if not isinstance(value, str):
        return None
    ends = [_date_bounds(part) for part in value.split("/")]
    if not ends or any(e is None for e in ends):
        return None
    span = (min(e[0] for e in ends if e), max(e[1] for e in ends if e))
    shape = _SHAPES[claim.quantity.qualifier]
    shape = "point" if shape == "range" else shape
    admits = {"lower": (span[0], _INF), "upper": (-_INF, span[1])}.get(shape, span)
    return Figure(shape=shape, stated=span, admits=admits)


def _inside(a: tuple[float, float], b: tuple[float, float]) -> bool:
    tolerance = _EPS * max(1.0, abs(b[0]), abs(b[1]))
    return a[0] >= b[0] - tolerance and a[1] <= b[1] + tolerance


def _nested(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return _inside(a, b) or _inside(b, a)


def same_figure(a: Figure, b: Figure) -> bool:
    """One figure repeats the other: same shape, and one stated interval within the other."""
    if a.shape != b.shape or a.shape == "vague":
        return False
    if a.shape == "range":
        return (a.stated_high is not None and b.stated_high is not None
                and _nested(a.stated, b.stated) and _nested(a.stated_high, b.stated_high))
    return _nested(a.stated, b.stated)


def disagree(a: Figure, b: Figure) -> bool:
    """The intervals the two wordings admit cannot both hold (touching ends count:
    35 covers 34.5-35.5 and 36 covers 35.5-36.5)."""
    low, high = (a, b) if a.admits[0] <= b.admits[0] else (b, a)
    gap = high.admits[0] - low.admits[1]
    return gap >= -_EPS * max(1.0, abs(high.admits[0]))


def _gap(a: Figure, b: Figure) -> float:
    """The distance between two disjoint admitted intervals, relative to the larger end."""
    low, high = (a, b) if a.admits[0] <= b.admits[0] else (b, a)
    size = max(abs(low.admits[1]), abs(high.admits[0]), 1e-12)
    return (high.admits[0] - low.admits[1]) / size


# --------------------------------------------------------------------------- keys


@attrs.frozen
class CompareRules:
    drop: frozenset[str]
    scopes: tuple[tuple[str, regex.Pattern[str]], ...]
    scope_phrases: Mapping[str, str]  # lower-case phrase -> scope name
    scope_pattern: re.Pattern[str]  # any scope phrase, as a whole word or words


@functools.cache
def compare_rules() -> CompareRules:
    data = read_data_file("aliases.toml")
    drop = frozenset(w for phrase in data.get("drop", {}).get("aliases", [])
                     for w in normal_words(phrase))
    scopes = []
    for name, entry in sorted(data.get("scope", {}).items()):
        words = sorted((w.lower() for w in entry.get("aliases", [])), key=len, reverse=True)
        alternatives = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words)
        scopes.append((name, regex.compile(rf"(?<![\w'’])(?:{alternatives})(?![\w'’])", regex.I)))
    phrases = {" ".join(w.lower().split()): name
               for name, entry in data.get("scope", {}).items() for w in entry.get("aliases", [])}
    # One pass of one pattern finds every scope phrase near a figure. The standard
    # library's engine runs this plain alternation twice as fast as regex's.
    everything = "|".join(re.escape(p).replace(r"\ ", r"\s+")
                          for p in sorted(phrases, key=len, reverse=True))
    return CompareRules(drop=drop, scopes=tuple(scopes), scope_phrases=phrases,
                        scope_pattern=re.compile(rf"\b(?:{everything})\b"))


@attrs.frozen
class Key:
    """What a claim measures: claims are compared only with claims of the same key.

    `when` (the years the sentence names) is not part of the block: a claim with no
    year is compared with claims of any year, two claims of different years never.
    """

    subject: str
    kind: str
    unit: str | None
    per: str | None
    scope: str | None
    when: str | None = None
    #: names something specific (not a bare noun such as 'person'): needed for conflicts
    specific: bool = attrs.field(default=False, eq=False)

    def label(self) -> str:
        parts = [self.subject, self.kind]
        if self.unit and self.unit not in (self.subject, self.kind):
            parts.append(self.unit)
        if self.per:
            parts.append(f"per {self.per}")
        if self.scope:
            parts.append(self.scope)
        if self.when:
            parts.append(self.when)
        return "|".join(parts)

    def block(self) -> tuple[str, str, str | None, str | None, str | None]:
        """Claims are compared only within one block: the key without its years."""
        return (self.subject, self.kind, self.unit, self.per, self.scope)


_MAX_SUBJECT_WORDS = 2
_WINDOW = 48  # characters before a figure read for scope words ("my caseload of")
_MAYBE_PLACE = re.compile(r"(?:[Ii]n|across|throughout) (?:the )?[A-Z]")
_PLACE = regex.compile(r"\b(?i:in|across|throughout)\s++(?:the\s++)?+"
                       r"(?P<place>[A-Z][\w'’-]++(?:\s++(?:and\s++|of\s++)?+[A-Z][\w'’-]++){0,3})")


def subject_words(subject: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The identifying words of a subject: aliases resolved, non-identifying words and
    scope words dropped, at most the head noun and one word before it."""
    return _identifying(lexicon.canonical(normal_words(subject)))


def _identifying(words: tuple[str, ...]) -> tuple[str, ...]:
    r = RuleSet.default()
    drop = compare_rules().drop
    kept = tuple(w for w in words
                 if w not in drop and w not in r.stopwords and w not in r.verbs
                 and not _scope_word(w))
    return kept[-_MAX_SUBJECT_WORDS:]


@functools.cache
def _scope_word(word: str) -> bool:
    return any(pattern.fullmatch(word) for _, pattern in compare_rules().scopes)


_CHANGE_WORD_BEFORE = regex.compile(
    r"\b(?:up|down|rose|fell|risen|fallen|rise|fall|increased?|decreased?|cut|dropped|grew|"
    r"jumped|climbed|soared|slumped)\s++(?:by\s++)?+$", regex.I)
_CHANGE_WORD_AFTER = regex.compile(
    r"^\s*+(?:rise|increase|fall|drop|cut|reduction|decrease|jump|higher|lower|more|less|"
    r"fewer|up|down)\b", regex.I)


def is_change(claim: Claim) -> bool:
    """A percentage that states a change ('up 7 per cent', 'a 25% rise'), not a share."""
    sentence = claim.sentence or ""
    at = _position(claim)
    return bool(_CHANGE_WORD_BEFORE.search(sentence[max(0, at - 24):at])
                or _CHANGE_WORD_AFTER.match(sentence, at + len(claim.text)))


def _unit_family(claim: Claim) -> str | None:
    q = claim.quantity
    if q.kind == "percent" and is_change(claim):
        return "percent change"
    if q.kind == "duration":
        return "[time]"  # pint dimensionality: weeks, months and years compare
    if q.kind in ("count", "ratio"):
        return None  # the counted noun is the subject
    return q.unit


def _subject_of(claim: Claim, lexicon: Lexicon) -> tuple[tuple[str, ...], bool]:
    """The identifying words of what a claim measures, and whether they name something
    specific (two words, an alias or an acronym) rather than a bare noun ('person').

    For counts the counted noun is the surest guide: the subject's words when they end
    in it ('Probation Trusts' for unit 'trust'), else the unit itself.
    """
    subject = _PREPOSITION_TAIL.sub("", claim.subject or "")
    raw = normal_words(subject)
    unit = claim.quantity.unit
    if claim.quantity.kind in ("count", "ratio") and unit:
        unit_raw = normal_words(unit)
        if unit_raw and not (raw and raw[-1] == unit_raw[-1]):
            raw, subject = unit_raw, unit
    words = _identifying(lexicon.canonical(raw))
    specific = len(words) > 1 or any(w in lexicon.targets for w in words) or \
        bool(_ACRONYM.search(subject))
    return words, specific


# "paramedic vacancies in the trust": the head noun comes before the preposition (places
# named after it are read into the scope).
_PREPOSITION_TAIL = regex.compile(
    r"(?<=\w)\s++(?:in|at|for|on|from|with|across|by|within|over|under|during|since|"
    r"among|between|after|before)\s.*+$", regex.I | regex.S)
_ACRONYM = regex.compile(r"\b[A-Z]{2,}s?\b")


def _position(claim: Claim) -> int:
    sentence = claim.sentence or ""
    found = sentence.find(claim.text)
    return found if found >= 0 else 0


def scope_of(claim: Claim) -> str | None:
    """Personal, average, national or local, and a place, from the words near the figure."""
    sentence = claim.sentence or ""
    at = _position(claim)
    before = sentence[max(0, at - _WINDOW):at]
    near = f"{before} {claim.subject or ''}"
    found = sorted(_scope_names(near.lower()))
    places: list[str] = []
    if _MAYBE_PLACE.search(sentence):
        places = sorted({" ".join(normal_words(m.group("place")))
                         for m in _PLACE.finditer(sentence) if not _is_calendar(m.group("place"))})
    found.extend(f"in {p}" for p in places if p)
    return " ".join(found) or None


def _scope_names(text: str) -> set[str]:
    """The scopes whose phrases occur in `text` (lower case)."""
    r = compare_rules()
    found = r.scope_pattern.findall(text)  # strings, not match objects: most texts have none
    return {r.scope_phrases[" ".join(p.split())] for p in found} if found else set()


_NAMED = re.compile(r"\b[A-Z][A-Z&]{1,7}(?:'?s)?\b")


def _entity_near(claim: Claim) -> str | None:
    """The acronym nearest a date in its clause ('formed in 2014' after '(BGSW CRC)'):
    dates are compared by the body they are about, as their subjects are the clause's
    first words. The last part of an acronym of several ('BGSW CRC') is its kind."""
    sentence = claim.sentence or ""
    at = _position(claim)
    low, high = max(0, at - 60), min(len(sentence), at + len(claim.text) + 40)
    best: tuple[int, str] | None = None
    for match in _NAMED.finditer(sentence, low, high):
        distance = min(abs(match.start() - at), abs(match.end() - at))
        if best is None or distance < best[0]:
            best = (distance, normal_word(match.group()))
    return best[1] if best else None


def _is_calendar(words: str) -> bool:
    first = words.split()[0].lower()
    return first in RuleSet.default().months or first in RuleSet.default().weekdays


def claim_key(claim: Claim, lexicon: Lexicon | None = None,
              when: str | None = None,
              memo: dict[tuple[object, ...], tuple[tuple[str, ...], bool]] | None = None,
              ) -> Key | None:
    """The key a claim is compared under, or None when it names nothing to compare.

    `memo` caches the subject reading across calls (subjects recur; one dict per lexicon).
    """
    lexicon = builtin_lexicon() if lexicon is None else lexicon
    q = claim.quantity
    if q.kind == "date":
        entity = _entity_near(claim)
        if entity is not None:  # the date of an event involving a named body
            return Key(subject=entity, kind="date", unit=None, per=None, scope=None,
                       specific=True)
    if memo is None:
        words, specific = _subject_of(claim, lexicon)
    else:
        memo_key = (claim.subject, q.unit, q.kind, id(lexicon))
        cached = memo.get(memo_key)
        if cached is None:
            cached = memo[memo_key] = _subject_of(claim, lexicon)
        words, specific = cached
    if not words:
        return None
    return Key(subject=" ".join(words), kind=q.kind, unit=_unit_family(claim), per=q.per,
               scope=scope_of(claim), when=None if q.kind == "date" else when,
               specific=specific)


def _years(value: object) -> set[int]:
    if not isinstance(value, str):
        return set()
    out = set()
    for part in value.split("/"):
        head = part.split("-")[0]
        if head.isdigit():
            out.add(int(head))
    if len(out) == 2:
        out = set(range(min(out), max(out) + 1))
    return out


def time_scopes(claims: Iterable[Claim]) -> dict[tuple[str, str], str]:
    """(doc, sentence) -> the years the dates in that sentence name ('2014', '2014-2015')."""
    years: dict[tuple[str, str], set[int]] = defaultdict(set)
    for claim in claims:
        if claim.quantity.kind == "date" and claim.sentence:
            years[(claim.doc, claim.sentence)] |= _years(claim.quantity.value)
    return {k: ",".join(str(y) for y in sorted(v)) for k, v in years.items() if v}


# --------------------------------------------------------------------------- comparing


@attrs.frozen
class _Item:
    claim: Claim
    figure: Figure
    key: Key


def compare(claims: Iterable[Claim], *, aliases: Lexicon | str | Path | None = None,
            texts: Mapping[str, str] | None = None) -> list[Finding]:
    """Findings over `claims`: repeats and conflicts across documents, and arithmetic
    slips within one document, in a stable order.

    `aliases` is a lexicon or the path of a TOML lexicon; `texts` maps document ids to
    their text, from which defined acronyms are learned (else from the claims' sentences).
    """
    claims = list(claims)
    # A million claims make a million small objects: the cyclic garbage collector would
    # rescan them all again and again (none of them forms a cycle), so it waits.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compare(claims, aliases, texts)
    finally:
        if collecting:
            gc.enable()


def _compare(claims: list[Claim], aliases: Lexicon | str | Path | None,
             texts: Mapping[str, str] | None) -> list[Finding]:
    blocks: dict[tuple[str, str, str | None, str | None, str | None], list[_Item]] = \
        defaultdict(list)
    figures: dict[tuple[object, ...], Figure | None] = {}
    for claim, key in keyed(claims, aliases=aliases, texts=texts):
        if key is None:
            continue
        q = claim.quantity
        wording = (claim.text, q.kind, q.value, q.low, q.high, q.qualifier, q.unit)
        if wording in figures:
            fig = figures[wording]
        else:
            fig = figures[wording] = figure(claim)
        if fig is not None:
            blocks[key.block()].append(_Item(claim, fig, key))
    findings = [f for items in blocks.values() for f in _compare_block(items)]
    findings.extend(check_arithmetic(claims))
    return sorted(findings, key=_finding_order)


def keyed(claims: Iterable[Claim], *, aliases: Lexicon | str | Path | None = None,
          texts: Mapping[str, str] | None = None) -> list[tuple[Claim, Key | None]]:
    """Each claim with the key it is compared under (None: nothing to compare it by)."""
    claims = list(claims)
    user = load_aliases(aliases) if isinstance(aliases, (str, Path)) else aliases
    base = builtin_lexicon() if user is None else builtin_lexicon().merged(user)
    lexicons = _document_lexicons(claims, base, user, texts)
    scopes = time_scopes(claims)
    memo: dict[tuple[object, ...], tuple[tuple[str, ...], bool]] = {}
    return [(claim, claim_key(claim, lexicons.get(claim.doc, base),
                              scopes.get((claim.doc, claim.sentence or "")), memo))
            for claim in claims]


_KIND_ORDER = {"conflict": 0, "inconsistent": 1, "repeat": 2}


def _finding_order(f: Finding) -> tuple[int, str, str, int, int, int]:
    first = f.claims[0]
    return _KIND_ORDER[f.kind], f.key, first.doc, first.start, len(f.claims), f.claims[-1].start


def _ids(claims: Sequence[Claim]) -> tuple[tuple[str, int, int], ...]:
    return tuple((c.doc, c.start, c.end) for c in claims)


def _document_lexicons(claims: Sequence[Claim], base: Lexicon, user: Lexicon | None,
                       texts: Mapping[str, str] | None) -> dict[str, Lexicon]:
    """Per document: the acronyms it defines, under the built-in and user aliases."""
    sentences: dict[str, list[str]] = defaultdict(list)
    if texts is None:
        seen: set[tuple[str, str]] = set()
        for claim in claims:
            if claim.sentence and (claim.doc, claim.sentence) not in seen:
                seen.add((claim.doc, claim.sentence))
                sentences[claim.doc].append(claim.sentence)
    out = {}
    for doc in {c.doc for c in claims}:
        text = texts.get(doc, "") if texts is not None else "\n".join(sentences[doc])
        learned = learn_acronyms(text)
        if learned.phrases:
            lexicon = base.merged(learned)
            out[doc] = lexicon if user is None else lexicon.merged(user)
    return out


def _compare_block(items: list[_Item]) -> Iterator[Finding]:
    by_year: dict[str | None, list[_Item]] = defaultdict(list)
    for item in items:
        by_year[item.key.when].append(item)
    undated = by_year.pop(None, [])
    if not by_year:
        yield from _compare_group(undated)
        return
    seen: set[tuple[str, tuple[tuple[str, int, int], ...]]] = set()
    for group in by_year.values():  # each year with the undated claims, once per finding
        for finding in _compare_group(group + undated):
            ids = (finding.kind, _ids(finding.claims))
            if ids not in seen:
                seen.add(ids)
                yield finding


def _compare_group(items: list[_Item]) -> Iterator[Finding]:
    """Findings among claims of one key: clusters of one figure, then pairs of clusters."""
    clusters: dict[Figure, list[_Item]] = defaultdict(list)
    for item in items:
        clusters[item.figure].append(item)
    ordered = sorted(clusters.items(), key=lambda kv: (kv[0].admits, kv[0].stated, kv[0].shape))
    # per cluster, once: a pair must not cost the size of its clusters
    docs = [frozenset(m.claim.doc for m in members) for _, members in ordered]
    specifics = [any(m.key.specific for m in members) for _, members in ordered]
    for (fig, members), in_docs, specific in zip(ordered, docs, specifics, strict=True):
        if len(in_docs) > 1 and (specific or _distinctive(fig)):
            yield _repeat(members, members)
    for i, (fig_a, a) in enumerate(ordered):
        stop = len(ordered) if len(ordered) <= ALL_PAIRS_LIMIT else i + 1 + _NEIGHBOURS
        for j in range(i + 1, min(stop, len(ordered))):
            fig_b, b = ordered[j]
            if not _across_documents(docs[i], docs[j]):
                continue
            specific = specifics[i] or specifics[j]
            if same_figure(fig_a, fig_b) and (specific or _distinctive(fig_a)):
                yield _repeat(a, b)
            elif specific and a[0].claim.quantity.kind != "date" and disagree(fig_a, fig_b):
                yield _conflict(a, b, _gap(fig_a, fig_b))


def _distinctive(fig: Figure) -> bool:
    """A figure unlikely to recur by chance under a bare noun: 100 or more, or a fraction."""
    low, high = fig.stated
    middle = (low + high) / 2
    return fig.shape != "vague" and (abs(middle) >= 100 or high - low < 0.9)


def _across_documents(docs_a: frozenset[str], docs_b: frozenset[str]) -> bool:
    """Whether the two clusters span more than one document, without building their
    union (a figure repeated in thousands of documents made that the costliest step)."""
    return len(docs_a) > 1 or len(docs_b) > 1 or docs_a != docs_b


def _claims(*groups: list[_Item]) -> tuple[Claim, ...]:
    unique = {(i.claim.doc, i.claim.start, i.claim.end): i.claim for g in groups for i in g}
    return tuple(unique[k] for k in sorted(unique))


def _where(claim: Claim) -> str:
    return f"{claim.text} ({claim.doc.replace(chr(92), '/').rsplit('/', 1)[-1]})"


def _label(items: list[_Item]) -> str:
    dated = next((i.key for i in items if i.key.when), items[0].key)
    return dated.label()


def _repeat(a: list[_Item], b: list[_Item]) -> Finding:
    claims = _claims(a, b)
    first, other = claims[0], next((c for c in claims[1:] if c.doc != claims[0].doc), claims[-1])
    same = a[0].figure == b[0].figure
    how = "same figure" if same else "same figure at another precision or unit"
    docs = len({c.doc for c in claims})
    explanation = f"{_where(first)} and {_where(other)}: {how}"
    if docs > 2:
        explanation += f", in {docs} documents"
    return Finding(kind="repeat", claims=claims, key=_label(a + b), explanation=explanation,
                   severity="info")


def _sample(items: list[_Item]) -> list[_Item]:
    """The first claim of each of the first MAX_CONFLICT_DOCUMENTS documents of a cluster:
    a figure repeated in thousands of documents is listed in full once, in its repeat."""
    seen: dict[str, _Item] = {}
    for item in items:
        if item.claim.doc not in seen:
            seen[item.claim.doc] = item
            if len(seen) >= MAX_CONFLICT_DOCUMENTS:
                break
    return list(seen.values())


def _conflict(a: list[_Item], b: list[_Item], gap: float) -> Finding:
    first = a[0].claim
    other = next((i.claim for i in b if i.claim.doc != first.doc), b[0].claim)
    explanation = (f"{_where(first)} vs {_where(other)}: {_describe(a[0])} and "
                   f"{_describe(b[0])} cannot both hold")
    severity = "high" if gap >= 0.2 else "medium" if gap >= 0.05 else "low"
    return Finding(kind="conflict", claims=_claims(_sample(a), _sample(b)),
                   key=_label(a[:1] + b[:1]), explanation=explanation, severity=severity)


def _describe(item: _Item) -> str:
    """The admitted interval in the words of the first claim's unit."""
    low, high = item.figure.admits
    factor = _base_factor(item.claim)
    unit = item.claim.quantity.unit if item.claim.quantity.kind == "duration" else None
    suffix = f" {unit}s" if unit else ""
    if item.claim.quantity.kind == "percent":
        suffix = "%"
    elif item.claim.quantity.kind == "money" and item.claim.quantity.unit:
        suffix = f" {item.claim.quantity.unit}"
    if high == _INF:
        return f"at least {_num(low / factor)}{suffix}"
    if low == -_INF:
        return f"at most {_num(high / factor)}{suffix}"
    if math.isclose(low, high):
        return f"{_num(low / factor)}{suffix}"
    return f"{_num(low / factor)}-{_num(high / factor)}{suffix}"


def _num(value: float) -> str:
    for size, word in ((1e9, "bn"), (1e6, "m")):
        if abs(value) >= size:
            return f"{value / size:,.6g}{word}"
    return f"{value:,.6g}" if value != int(value) else f"{int(value):,}"


# --------------------------------------------------------------------------- arithmetic

_UP = r"up|higher|more|rise|rising|rose|increase|increased|increasing|jump|jumped|grew|growth"
_DOWN = r"down|lower|less|fewer|fall|falling|fell|drop|dropped|decrease|decreased|cut|reduction"
# "234,229, up 7 per cent on 218,906": new, direction, change, base
_CHANGE_BEFORE = regex.compile(
    rf"^[^\d.;]{{0,40}}?(?<![^\W\d_])(?:an?\s++)?+(?P<dir>{_UP}|{_DOWN})(?:\s++(?:of|by))?+\s*+$",
    regex.I)
_CHANGE_AFTER = regex.compile(
    r"^\s*+(?:on|from|compared\s++(?:with|to)|than|over)\b[^\d.;]{0,30}+$", regex.I)
# "rose from 218,906 to 234,229, a 7 per cent rise": base, new, change, direction
_FROM_TO = regex.compile(r"^\s*+to\s*+$", regex.I)
_AFTER_NEW = regex.compile(r"^[\s,(]*+(?:an?\s++|or\s++|up\s++|down\s++)?+$", regex.I)
_DIRECTION_AFTER = regex.compile(rf"^\s*+(?P<dir>{_UP}|{_DOWN})\b", regex.I)
# "a total of 120, of whom 70 ... and 60 ...": a whole and its parts
_PARTS = regex.compile(r"^[^\d.;]{0,40}?\b(?:of\s++whom|of\s++which|including|comprising|"
                       r"made\s++up\s++of|split\s++(?:into|between))\b[^\d.;]{0,20}+$", regex.I)
_RATIO_TO_PERCENT = regex.compile(r"^[^\d.;]{0,40}+$")


@attrs.frozen
class _Placed:
    claim: Claim
    at: int  # offset in the sentence

    @property
    def end(self) -> int:
        return self.at + self.claim.end - self.claim.start


def check_arithmetic(claims: Iterable[Claim]) -> Iterator[Finding]:
    """Within each sentence: part/whole vs stated percentage, a change with both ends vs
    the stated change, a total vs its parts."""
    sentences: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.sentence:
            sentences[(claim.doc, claim.sentence)].append(claim)
    for (_, sentence), group in sentences.items():
        if len(group) < 2:
            continue
        placed = _place(sentence, group)
        yield from _check_ratios(sentence, placed)
        yield from _check_changes(sentence, placed)
        yield from _check_totals(sentence, placed)


def _place(sentence: str, group: list[Claim]) -> list[_Placed]:
    """The claims with their offsets in the sentence (from the first claim's place)."""
    group = sorted(group, key=lambda c: c.start)
    origin = group[0].start - _position(group[0])
    return [_Placed(c, c.start - origin) for c in group]


def _number(claim: Claim) -> float | None:
    value = claim.quantity.value
    return float(value) if isinstance(value, (int, float)) else None


def _stated(claim: Claim) -> tuple[float, float] | None:
    fig = figure(claim)
    return fig.admits if fig is not None else None


def _inconsistent(claims: Sequence[Claim], explanation: str, off: float) -> Finding:
    ordered = tuple(sorted(claims, key=lambda c: c.start))
    subject = " ".join(subject_words(ordered[0].subject or "", builtin_lexicon())) or "figures"
    return Finding(kind="inconsistent", claims=ordered, key=f"{subject}|arithmetic",
                   explanation=explanation, severity="high" if off >= 0.2 else "medium")


def _check_ratios(sentence: str, placed: list[_Placed]) -> Iterator[Finding]:
    for i, part in enumerate(placed[:-1]):
        q = part.claim.quantity
        nxt = placed[i + 1]
        if q.kind != "ratio" or not q.denominator or nxt.claim.quantity.kind != "percent":
            continue
        numerator = _number(part.claim)
        admitted, parts = _stated(nxt.claim), _stated(part.claim)
        if numerator is None or admitted is None or parts is None:
            continue
        if not _RATIO_TO_PERCENT.match(sentence[part.end:nxt.at]):
            continue
        share = 100.0 * numerator / float(q.denominator)
        if q.qualifier == "exact":  # a count of things: exactly that many
            parts = (numerator, numerator)
        low, high = (100.0 * end / float(q.denominator) for end in parts)
        if high < admitted[0] - _EPS or low > admitted[1] + _EPS:
            yield _inconsistent(
                (part.claim, nxt.claim),
                f"{part.claim.text} is {_num(round(share, 1))}%, not {nxt.claim.text}",
                abs(share - (_number(nxt.claim) or share)) / max(share, 1e-9))


def _check_changes(sentence: str, placed: list[_Placed]) -> Iterator[Finding]:
    for a, b, c in zip(placed, placed[1:], placed[2:], strict=False):
        kinds = (a.claim.quantity.kind, b.claim.quantity.kind, c.claim.quantity.kind)
        before = _CHANGE_BEFORE.match(sentence[a.end:b.at])
        if kinds[1] == "percent" and kinds[0] == kinds[2] != "percent" and before and \
                _CHANGE_AFTER.match(sentence[b.end:c.at]):
            yield from _change(new=a.claim, base=c.claim, change=b.claim, word=before.group("dir"))
        if kinds[2] == "percent" and kinds[0] == kinds[1] != "percent" and \
                _FROM_TO.match(sentence[a.end:b.at]) and \
                sentence[:a.at].rstrip().lower().endswith("from") and \
                _AFTER_NEW.match(sentence[b.end:c.at]):
            direction = _DIRECTION_AFTER.match(sentence[c.end:])
            if direction:
                yield from _change(new=b.claim, base=a.claim, change=c.claim,
                                   word=direction.group("dir"))


def _change(*, new: Claim, base: Claim, change: Claim, word: str) -> Iterator[Finding]:
    new_fig, base_fig, stated = figure(new), figure(base), _stated(change)
    if new_fig is None or base_fig is None or stated is None or base_fig.stated[0] <= 0:
        return
    if new_fig.shape != "point" or base_fig.shape != "point":
        return
    sign = -1.0 if regex.fullmatch(_DOWN, word.lower()) else 1.0
    ends = [100.0 * (n - b) / b for n in new_fig.stated for b in base_fig.stated]
    low, high = min(ends), max(ends)
    want = (stated[0] * sign, stated[1] * sign)
    want = (min(want), max(want))
    if high < want[0] - _EPS or low > want[1] + _EPS:
        actual = 100.0 * ((_number(new) or 0) - (_number(base) or 1)) / (_number(base) or 1)
        direction = "up" if actual >= 0 else "down"
        yield _inconsistent(
            (new, base, change),
            f"{new.text} on {base.text} is {direction} {_num(round(abs(actual), 1))}%, "
            f"not {word} {change.text}",
            abs(abs(actual) - (_number(change) or 0)) / max(abs(actual), 1e-9))


def _check_totals(sentence: str, placed: list[_Placed]) -> Iterator[Finding]:
    for i, whole in enumerate(placed[:-2]):
        if not _PARTS.match(sentence[whole.end:placed[i + 1].at]):
            continue
        kind = whole.claim.quantity.kind
        parts = [p.claim for p in placed[i + 1:]]
        total = _stated(whole.claim)
        if total is None or kind not in ("count", "money"):
            continue
        if all(p.quantity.kind == kind for p in parts):
            bounds = [_stated(p) for p in parts]
            limit, unit = total[1], ""
        elif all(p.quantity.kind == "percent" for p in parts):
            bounds = [_stated(p) for p in parts]
            limit, unit = 100.0 + _EPS, "%"
        else:
            continue
        lows = [b[0] for b in bounds if b is not None]
        if len(lows) < 2 or len(lows) != len(bounds):
            continue
        if sum(lows) > limit + _EPS * max(1.0, limit):
            written = sum(_number(p) or 0 for p in parts)
            of_what = f"the total {whole.claim.text}" if not unit else "100%"
            yield _inconsistent(
                (whole.claim, *parts),
                f"the parts ({', '.join(p.text for p in parts)}) add up to {_num(written)}{unit}, "
                f"more than {of_what}",
                (sum(lows) - limit) / max(limit, 1e-9))
