"""Findings from links: repeat clusters, then conflicts and updates between clusters.

Repeat links (the same figure, a score at or above the repeat bar) join profiles into
clusters, one per figure of one measure; a cluster that spans documents is one
`repeat`. A conflict or update link joins two clusters: one finding per pair of
clusters, never per pair of claims, so the same two claims are never both a repeat
and a conflict. Conflicts need more than a score: an explicit shared measure (the
counted noun or a distinctive word next to both figures), no difference of scope,
modality, change or modifier, and for event dates the same predicate and body.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from ..aliases import Lexicon, builtin_lexicon, learn_acronyms, load_aliases
from ..memory import no_cycle_collection
from ..model import Claim, Finding
from ..rules import RuleSet
from .arithmetic import check_arithmetic
from .evidence import REPEATED_ACTS, Comparison, Memo, features, stem
from .figures import Figure, describe, disagree, figure, gap, same_figure, with_list_unit
from .link import (
    Idf,
    Link,
    Profile,
    Reading,
    Weighted,
    candidates,
    document_frequencies,
    family,
    figure_comparison,
    in_band,
    score,
    weights,
)

#: A conflict lists the claims of at most this many documents from each side.
MAX_CONFLICT_DOCUMENTS = 20
_KIND_ORDER = {"conflict": 0, "update": 1, "inconsistent": 2, "repeat": 3}
#: Levels that keep two figures from being one measure however high the score.
_VETO = {("scope", "two_people"), ("scope", "different"), ("change", "differs"),
         ("modality", "differs"), ("modifiers", "clash"), ("polarity", "opposite"),
         ("outcome", "opposite"), ("list", "different"),
         ("time", "different")}
_EXPLICIT = {("measure", "noun"), ("measure", "noun_named"), ("measure", "near_rare")}
_VETO = _VETO | {("measure", "noun_differs")}
#: A date of one event is no date of another ("opened on 6 May", "struck on 6 May").
_DATE_VETO = _VETO | {("predicate", "different")}
#: Levels that let two figures repeat but never conflict: a part against its whole ("$1.2bn,
#: of which $300m"), the level a change started from against a current one ("up from £3.1m").
_NOT_CONTRARY = {("scope", "part"), ("scope", "earlier")}


def compare(claims: Iterable[Claim], *, aliases: Lexicon | str | Path | None = None,
            texts: Mapping[str, str] | None = None,
            min_score: float | None = None,
            frequencies: tuple[Mapping[str, int], int] | None = None,
            dates: Mapping[str, str] | None = None) -> list[Finding]:
    """Findings over `claims`: repeats, conflicts and updates across documents, and
    arithmetic slips within one document, in a stable order.

    `aliases` is a lexicon or the path of a TOML lexicon; `texts` maps document ids to
    their text, from which defined acronyms are learned (else from the claims'
    sentences). `min_score` replaces the default score bars of every finding kind.
    `frequencies` (claims per block, claims in all) are those of a larger collection
    the claims were drawn from (a store): terms are weighed by their rarity there.
    `dates` gives the day of documents whose lead the claims do not hold (stored ones).
    """
    return linked(claims, aliases=aliases, texts=texts, min_score=min_score,
                  frequencies=frequencies, dates=dates)[0]


@attrs.frozen
class LinkStats:
    """What a comparison did: claims read, profiles (distinct readings), candidate
    pairs scored."""

    claims: int
    profiles: int
    scored: int


def linked(claims: Iterable[Claim], *, aliases: Lexicon | str | Path | None = None,
           texts: Mapping[str, str] | None = None, min_score: float | None = None,
           frequencies: tuple[Mapping[str, int], int] | None = None,
           dates: Mapping[str, str] | None = None,
           ) -> tuple[list[Finding], LinkStats]:
    """compare() and the counts of what it did (for benchmarks and --explain)."""
    claims = list(claims)
    # A million claims make a million small objects: the cyclic garbage collector would
    # rescan them all again and again (none of them forms a cycle), so it waits.
    with no_cycle_collection():
        dated = {doc: day for doc, text in (texts or {}).items() if (day := lead_date(text))}
        profiles = read_profiles(claims, collection_lexicon(claims, aliases, texts),
                                 {**dated, **(dates or {})})
        if frequencies is None:  # rarity over every claim read, as the store counts it
            frequencies = (document_frequencies(profiles), len(claims))
        found, scored = link_findings(profiles, min_score, frequencies)
        found.extend(check_arithmetic(claims))
        stats = LinkStats(claims=len(claims), profiles=len(profiles), scored=scored)
        return sorted(found, key=_finding_order), stats


def collection_lexicon(claims: Sequence[Claim], aliases: Lexicon | str | Path | None,
                       texts: Mapping[str, str] | None) -> Lexicon:
    """The built-in aliases, the acronyms any document defines, and the user's lexicon
    on top: an acronym one text defines names the same body in every other."""
    user = load_aliases(aliases) if isinstance(aliases, (str, Path)) else aliases
    lexicon = builtin_lexicon()
    if texts is None:
        # a definition ("... Companies (CRCs)") lies within one sentence, after a bracket
        sentences = sorted({c.sentence for c in claims if c.sentence and "(" in c.sentence})
        sources: Iterable[str] = ["\n".join(sentences)]
    else:
        sources = (texts[k] for k in sorted(texts))
    for text in sources:
        learned = learn_acronyms(text)
        if learned.phrases:
            lexicon = lexicon.merged(learned.known_as(lexicon))
    return lexicon if user is None else lexicon.merged(user)


#: A full date this near the start of a document dates it ("Riverbend Wire, 4 March 2024").
LEAD_DATE_CHARS = 200


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def precise(text: str) -> bool:
    """Written with three significant digits or more ('34.2', '44,300', '1.25'): a
    figure that seldom recurs by chance ('1.2bn', '21' and '2.5' do)."""
    for numeral in _DIGITS.findall(text):
        digits = numeral.replace(",", "").replace(".", "").strip("0")
        if len(digits) >= 3:
            return True
    return False


def lead_dates(claims: Iterable[Claim]) -> dict[str, str]:
    """Per document, the first full date (YYYY-MM-DD) within its first characters: the
    day a figure without a date of its own is as of."""
    out: dict[str, tuple[int, str]] = {}
    for claim in claims:
        value = claim.quantity.value
        lead = claim.quantity.kind == "date" and claim.start < LEAD_DATE_CHARS and \
            isinstance(value, str) and len(value) == 10
        if lead and (claim.doc not in out or claim.start < out[claim.doc][0]):
            out[claim.doc] = (claim.start, str(value))
    return {doc: value for doc, (_, value) in out.items()}


# "4 March 2024", "March 4, 2024", "2024-03-04"
_FULL_DATE = re.compile(r"\b(?:(?P<d1>\d{1,2})\s+(?P<m1>[A-Z][a-z]+)\.?,?\s+(?P<y1>\d{4})"
                        r"|(?P<m2>[A-Z][a-z]+)\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4})"
                        r"|(?P<y3>\d{4})-(?P<m3>\d\d)-(?P<d3>\d\d))\b")


def lead_date(text: str) -> str | None:
    """The first full date within the first characters of a text (a document's own
    date line, "Riverbend Wire, 4 March 2024"), as YYYY-MM-DD."""
    import datetime as dt

    months = RuleSet.default().months
    for found in _FULL_DATE.finditer(text, 0, LEAD_DATE_CHARS):
        if found.group("y3"):
            year, month, day = found.group("y3"), found.group("m3"), found.group("d3")
        else:
            name = (found.group("m1") or found.group("m2")).lower()
            if name not in months:
                continue
            year = found.group("y1") or found.group("y2")
            month, day = str(months[name]), found.group("d1") or found.group("d2")
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue
    return None


def read_profiles(claims: Sequence[Claim], lexicon: Lexicon,
                  dates: Mapping[str, str] | None = None) -> list[Profile]:
    """The claims that have a figure, grouped by reading, in first-seen order. `dates`
    dates documents (else the date near the start of each, see lead_dates)."""
    dates = {**lead_dates(claims), **(dates or {})}
    # keyed by the fields of a Reading as a tuple, which compares its (shared) parts by
    # identity first; the Reading is made once per profile
    by_reading: dict[tuple[object, ...], Profile] = {}
    memo: Memo = {}
    figures: dict[tuple[object, ...], Figure | None] = {}
    specific: dict[str, bool] = {}
    for claim in claims:
        q = claim.quantity
        if _read_in_sentence(claim):
            fig = figure(claim)
        else:
            wording = (claim.text, q.kind, q.value, q.low, q.high, q.qualifier, q.unit)
            fig = figures[wording] if wording in figures else figures.setdefault(
                wording, figure(claim))
        if fig is None:
            continue
        listed = with_list_unit(claim)
        precisely = q.kind != "date" and (specific[claim.text] if claim.text in specific
                                          else specific.setdefault(claim.text,
                                                                   precise(claim.text)))
        # (a figure with no date of its own is as of its text's day: "last year")
        fields = (family(listed), fig, features(listed, lexicon, memo, dates.get(claim.doc)),
                  claim.attribution.speaker,
                  None if q.kind == "date" else claim.date or dates.get(claim.doc), precisely)
        profile = by_reading.get(fields)
        if profile is None:
            read = Reading(family=fields[0], figure=fig, features=fields[2], speaker=fields[3],
                           asof=fields[4], specific=precisely)
            profile = by_reading[fields] = Profile(index=len(by_reading), reading=read)
        profile.claims.append(claim)
        profile.docs.add(claim.doc)
    return list(by_reading.values())


def _read_in_sentence(claim: Claim) -> bool:
    """The figure of the claim depends on its sentence, not on its wording alone: a
    figure without a unit may take the unit its list ends with, and a bracketed
    conversion the hedge of the figure it converts ('about 5 miles (8 km)')."""
    q = claim.quantity
    return (q.kind == "quantity" and not q.unit) or (
        q.qualifier == "exact" and q.kind not in ("date", "count")
        and "(" in (claim.sentence or ""))


def score_links(profiles: Sequence[Profile],
                frequencies: tuple[Mapping[str, int], int] | None = None,
                ) -> tuple[list[Link], int]:
    """Every scored candidate pair that could be a finding (and each profile of several
    documents with itself), and the number of candidate pairs. A pair whose figures are
    neither one figure nor disagree (overlapping hedges: 'about 250' and '262'), or
    disagree within the same documents, can be no finding and is not weighed."""
    counts = document_frequencies(profiles)
    total = sum(len(p.claims) for p in profiles)
    if frequencies is not None:
        counts = {**counts, **frequencies[0]}
        total = frequencies[1]
    idf = Idf(counts, total)
    links = []
    scored = 0
    # readings that differ only in their figure score alike when their figures compare
    # alike: each pair of wordings once per level of the figure comparison
    memo: dict[tuple[object, ...], tuple[float, Weighted, frozenset[tuple[str, str]]]] = {}

    def scored_pair(a: Reading, b: Reading, same: bool,
                    ) -> tuple[float, Weighted, frozenset[tuple[str, str]]]:
        key = (a.features, b.features, a.speaker, b.speaker, a.family,
               figure_comparison(a, b, same).level)
        found = memo.get(key)
        if found is None:
            value, weighted = score(a, b, idf, same)
            found = memo[key] = (value, weighted,
                                 frozenset((c.name, c.level) for c, _ in weighted))
        return found

    for profile in profiles:
        if len(profile.docs) > 1:
            value, weighted, levels = scored_pair(profile.reading, profile.reading, True)
            links.append(Link(profile.index, profile.index, value, weighted, levels))
    for i, j in candidates(profiles):
        a, b = profiles[i].reading, profiles[j].reading
        if not in_band(a.figure, b.figure, a.family[0] == "date"):
            continue
        scored += 1
        same = same_figure(a.figure, b.figure)
        if not same and not (disagree(a.figure, b.figure) and _across(profiles[i], profiles[j])):
            continue  # neither a repeat nor a conflict can come of it
        value, weighted, levels = scored_pair(a, b, same)
        links.append(Link(i, j, value, weighted, levels, same))
    return links, scored


def _across(a: Profile, b: Profile) -> bool:
    """The two profiles' claims come from more than their shared documents: two figures
    of one document are not a conflict."""
    return a.docs | b.docs != a.docs & b.docs


def link_findings(profiles: Sequence[Profile], min_score: float | None = None,
                  frequencies: tuple[Mapping[str, int], int] | None = None,
                  ) -> tuple[list[Finding], int]:
    """The findings among profiles, and the number of candidate pairs scored."""
    w = weights()
    repeat_bar = w.repeat if min_score is None else min_score
    date_bar = w.date_repeat if min_score is None else min_score
    conflict_bar = w.conflict if min_score is None else min_score
    links, scored = score_links(profiles, frequencies)
    parent = list(range(len(profiles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # the narrowest figure of each cluster (by its root), which every other one holds
    finest = [p.reading.figure for p in profiles]
    joined: list[Link] = []
    others: list[tuple[str, Link]] = []
    measured_memo: dict[int, tuple[Weighted, Weighted, float]] = {}
    # links in order of score, ties in the order of the profiles' first claims (not of
    # the input: which of two clusters a coarse figure joins must not depend on it)
    first = sorted(range(len(profiles)), key=lambda i: _PLACE(min(profiles[i].claims,
                                                                  key=_PLACE)))
    rank = [0] * len(profiles)
    for position, index in enumerate(first):
        rank[index] = position
    for link in sorted(links, key=lambda x: (-x.score, min(rank[x.a], rank[x.b]),
                                             max(rank[x.a], rank[x.b]))):
        levels = link.levels
        if link.same:
            date = profiles[link.a].reading.family[0] == "date"
            bar = date_bar if date else repeat_bar
            if link.score >= bar and not levels & (_DATE_VETO if date else _VETO):
                ra, rb = root(link.a), root(link.b)
                if ra != rb:
                    if not same_figure(finest[ra], finest[rb]):
                        continue  # a coarse figure nests two others ('this month': the 6th
                        # and the 27th): a cluster is one figure, so it joins one of them
                    keep = min(ra, rb)
                    parent[max(ra, rb)] = keep
                    finest[keep] = min(finest[ra], finest[rb], key=_width)
                joined.append(link)
        else:  # figures that disagree, from more than one document (see score_links)
            relation = _relation(profiles[link.a].reading, profiles[link.b].reading, levels)
            if relation is not None:  # the cheap tests first
                measured = measure_only(link, measured_memo)
                if measured.score >= conflict_bar:
                    others.append((relation, measured))
    weakest: dict[int, Link] = {}
    for link in joined:  # the weakest link each cluster rests on
        top = root(link.a)
        if top not in weakest or link.score < weakest[top].score:
            weakest[top] = link
    clusters: dict[int, list[Profile]] = defaultdict(list)
    for profile in profiles:
        clusters[root(profile.index)].append(profile)
    found = []
    for r, members in clusters.items():
        if r in weakest:
            docs = len(set().union(*(m.docs for m in members)))
            if docs > 1:
                found.append(_repeat(members, weakest[r], docs))
    best: dict[tuple[int, int], tuple[str, Link]] = {}
    for relation, link in others:
        ra, rb = sorted((root(link.a), root(link.b)))
        if ra == rb or (ra, rb) in best:
            continue
        best[(ra, rb)] = (relation, link)
    sampled: dict[int, list[Claim]] = {}  # a cluster's claims are listed once

    def sample(root_: int) -> list[Claim]:
        if root_ not in sampled:
            sampled[root_] = _claims(clusters[root_], MAX_CONFLICT_DOCUMENTS)
        return sampled[root_]

    for (ra, rb), (relation, link) in best.items():  # the link itself spans two documents
        found.append(_between(relation, sample(ra), sample(rb), link, profiles))
    return found, scored


def _width(fig: Figure) -> float:
    return fig.stated[1] - fig.stated[0]


def measure_only(link: Link, memo: dict[int, tuple[Weighted, Weighted, float]] | None = None,
                 ) -> Link:
    """The link scored on what the two claims measure, without the agreement of their
    figures: whether two disagreeing figures are of one measure cannot rest on whether
    they agree. `memo` keeps the answer per comparisons (scored pairs share them)."""
    found = memo.get(id(link.comparisons)) if memo is not None else None
    if found is None or found[0] is not link.comparisons:
        kept = tuple((c, w) for c, w in link.comparisons if c.name != "figure")
        total = weights().prior + sum(w for _, w in kept)
        found = (link.comparisons, kept, 1.0 / (1.0 + 2.0 ** -total))
        if memo is not None:
            memo[id(link.comparisons)] = found
    return attrs.evolve(link, score=found[2], comparisons=found[1])


def _object(a: Reading, b: Reading) -> bool:
    """Two dates share a word next to them that is neither a name nor an event word:
    what the event is about ('terminated the contracts', not only 'the Ministry')."""
    from .evidence import link_words

    names = {w for n in a.features.names | b.features.names for w in n.split()}
    events = {stem(w) for w, c in link_words().classes.items() if " " not in w}
    return bool((a.features.near & b.features.near) - names - events)


def _relation(a: Reading, b: Reading, levels: frozenset[tuple[str, str]]) -> str | None:
    """conflict, update or nothing for two disagreeing figures of a high score."""
    # (a counted noun as common as 'people' is explicit enough where the two clauses share
    # much: "the number of people waiting for treatment ... fell to 61,240" against "the
    # waiting list ... to 61,420 people")
    explicit = levels & _EXPLICIT or {("measure", "noun_common"), ("context", "high")} <= levels
    if not explicit or levels & (_VETO - {("time", "different")}) \
            or levels & _NOT_CONTRARY:  # a part, an earlier level: not a contradiction
        return None
    if not levels & {("context", "medium"), ("context", "high"), ("measure", "noun"),
                     ("measure", "noun_named")}:
        return None  # a conflict needs more in common than a word next to the figures
    if a.family[0] == "date" and not ({("predicate", "same"), ("context", "high")} <= levels
                                      and (a.features.bodies & b.features.bodies
                                           or _object(a, b))):
        return None  # an event date conflicts only for one event: body, predicate, object
    if a.family[0] == "date" and (a.features.deadline or b.features.deadline):
        return None  # "closed until the autumn" bounds a state: it is no event's day
    if a.family[0] == "date" and a.features.predicate in REPEATED_ACTS:
        return None  # a body that said something on Monday may say more on Wednesday
    if (a.figure.shape == "range" and a.features.change) or \
            (b.figure.shape == "range" and b.features.change):
        return None  # "rose from 3% to 36%": two figures of a change, not a range

    if ("time", "different") in levels:
        return "update"
    if a.asof and b.asof and a.asof != b.asof and (a.features.running or b.features.running):
        return "update"
    if _days_apart(a.asof, b.asof) > SAME_TIME_DAYS:
        return None  # a stock said years apart may have changed: not the same time
    return "conflict"


#: Figures said further apart than this are not of the same time (unless a year says so).
SAME_TIME_DAYS = 183


def _days_apart(a: str | None, b: str | None) -> float:
    import datetime as dt

    try:
        days = [dt.date.fromisoformat(x[:10]) for x in (a, b) if x and len(x) >= 10]
    except ValueError:
        return 0.0
    return abs((days[0] - days[1]).days) if len(days) == 2 else 0.0


# --------------------------------------------------------------------------- the findings


def _finding_order(f: Finding) -> tuple[int, str, str, int, int, int]:
    first = f.claims[0]
    return _KIND_ORDER[f.kind], f.key, first.doc, first.start, len(f.claims), f.claims[-1].start


def _where(claim: Claim) -> str:
    return f"{claim.text} ({claim.doc.replace(chr(92), '/').rsplit('/', 1)[-1]})"


_PLACE = operator.attrgetter("doc", "start", "end")


def _claims(members: Sequence[Profile], per_side: int | None = None) -> list[Claim]:
    """The members' claims in document order, each place once, from at most `per_side`
    documents."""
    ordered = list(itertools.chain.from_iterable(m.claims for m in members))
    ordered.sort(key=_PLACE)
    if per_side is None:
        return list({_PLACE(claim): claim for claim in ordered}.values())
    chosen: dict[tuple[str, int, int], Claim] = {}
    docs: set[str] = set()
    for claim in ordered:
        if claim.doc not in docs and len(docs) >= per_side:
            continue
        docs.add(claim.doc)
        chosen[(claim.doc, claim.start, claim.end)] = claim
    return list(chosen.values())


def _key(link: Link, first: Claim) -> str:
    """A label of what is measured: the counted noun, else the first claim's subject
    when it names a word the two claims share, else the shared words next to them."""
    from ..store import subject_key

    measure = next(c for c, _ in link.comparisons if c.name == "measure")
    shared = [w.strip("'") for w in measure.says.rsplit(": ", 1)[-1].split(", ")] \
        if measure.level.startswith("near") else []
    label = " ".join(sorted(shared)[:2])
    if measure.level in ("noun", "noun_named"):
        label = measure.says.split("'")[1]
    else:
        subject = subject_key(first.subject or "")
        context = next(c for c, _ in link.comparisons if c.name == "context").says
        words = set(shared) | {w.strip("(',)") for w in context.split()}
        if subject and {stem(w) for w in subject.split()} & words:
            label = subject
    return f"{label or 'figure'}|{first.quantity.kind}"


def evidence(link: Link) -> tuple[str, ...]:
    """The comparisons that moved the score, in words, strongest first."""
    said = [(abs(weight), c.says) for c, weight in link.comparisons if c.says and weight]
    ordered = [text for _, text in sorted(said, key=lambda x: -x[0])]
    return (*ordered, f"score {link.score:.2f}")


def _repeat(members: list[Profile], link: Link, docs: int) -> Finding:
    """The repeat of one cluster (its profiles, the weakest link it rests on, and the
    number of documents its claims come from)."""
    claims = _claims(members)
    first = claims[0]
    other = next((c for c in claims[1:] if c.doc != first.doc), claims[-1])
    wording = (first.quantity.value, first.quantity.unit)
    same = all((c.quantity.value, c.quantity.unit) == wording for c in claims)
    how = "same figure" if same else "same figure at another precision or unit"
    explanation = f"{_where(first)} and {_where(other)}: {how}"
    if docs > 2:
        explanation += f", in {docs} documents"
    return Finding(kind="repeat", claims=tuple(claims), key=_key(link, first),
                   explanation=explanation, severity="info", score=link.score,
                   evidence=evidence(link), comparisons=explain_rows(link))


def _between(relation: str, side_a: list[Claim], side_b: list[Claim], link: Link,
             profiles: Sequence[Profile]) -> Finding:
    left, right = sorted((profiles[link.a], profiles[link.b]),
                         key=lambda p: (p.reading.figure.admits, p.index))  # lower first
    # a document does not disagree with itself: each side without the other's documents
    docs_a, docs_b = {c.doc for c in side_a}, {c.doc for c in side_b}
    side_a = [c for c in side_a if c.doc not in docs_b] or side_a
    side_b = [c for c in side_b if c.doc not in docs_a] or side_b
    claims = tuple(sorted({(c.doc, c.start, c.end): c for c in side_a + side_b}.values(),
                          key=lambda c: (c.doc, c.start, c.end)))
    one, two = left.claims[0], right.claims[0]
    if relation == "update":
        series = sorted((left, right), key=lambda p: (p.reading.asof or "", p.index))
        explanation = "a series: " + " -> ".join(
            f"{p.claims[0].text} ({p.reading.asof or 'undated'}, "
            f"{p.claims[0].doc.replace(chr(92), '/').rsplit('/', 1)[-1]})" for p in series)
        severity = "info"
    else:
        explanation = (f"{_where(one)} vs {_where(two)}: {describe(one, left.reading.figure)} "
                       f"and {describe(two, right.reading.figure)} cannot both hold")
        off = gap(left.reading.figure, right.reading.figure)
        severity = "high" if off >= 0.2 else "medium" if off >= 0.05 else "low"
    return Finding(kind=relation, claims=claims, key=_key(link, claims[0]),
                   explanation=explanation, severity=severity, score=link.score,
                   evidence=evidence(link), comparisons=explain_rows(link))


def explain_rows(link: Link) -> tuple[tuple[str, str, float, str], ...]:
    """The evidence table of a link: comparison, level, weight, what it rests on."""
    return tuple((c.name, c.level, weight, c.says) for c, weight in link.comparisons)


__all__ = ["Comparison", "compare", "explain_rows"]


def blocking_keys(claims: Sequence[Claim], *, aliases: Lexicon | str | Path | None = None,
                  texts: Mapping[str, str] | None = None) -> list[tuple[str, ...]]:
    """Per claim, the blocks it is a candidate in ('count||year|crc': family and term),
    sorted; empty for a claim with no figure. The store indexes claims by them."""
    lexicon = collection_lexicon(claims, aliases, texts)
    out: list[tuple[str, ...]] = []
    for claim in claims:
        if figure(claim) is None:
            out.append(())
            continue
        kind, unit, per = family(claim)
        prefix = f"{kind}|{unit or ''}|{per or ''}|"
        terms = features(claim, lexicon).blocking_terms()
        out.append(tuple(sorted(prefix + t for t in terms)))
    return out
