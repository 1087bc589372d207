"""The HTML report: documents with every claim highlighted, findings, figures over time.

`render_html(documents, claims, findings)` returns one self-contained page:
styles and script inline, the report's data as JSON in a
`<script type="application/json">` block, no request to the network (a
Content-Security-Policy forbids any, and allows only the page's own script and
style by their hashes). The page is built by Jinja2 templates shipped in
`claimtrack/templates/` with autoescaping on, so every string that comes from
a document (its text, subjects, names, file names) is escaped; the JSON is
escaped for a script block (`<`, `>`, `&` and `'` as `\\u003c`...).

Each claim in a document's text is one `<mark>` with `data-kind` and
`data-claim` (its index in the JSON's `claims`), so a user can restyle it and a
test can find it. The browser side (report.js) only reads that JSON and the
page: the findings list, tooltips, filters, and marking the claims of a finding.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .model import KINDS, Claim, Document, Finding, claim_to_dict

if TYPE_CHECKING:
    import jinja2

#: The finding kinds the report knows, in the order its panel lists them.
FINDING_KINDS = ("conflict", "inconsistent", "update", "repeat")
SEVERITIES = ("high", "medium", "low", "info")
#: The findings panel lists this many at a time (the page stays light with thousands).
FINDINGS_PAGE = 200
#: At most this many charts of figures over time, the longest series first.
MAX_SERIES = 40
#: A chart draws at most this many points (the latest).
MAX_POINTS = 120
_CHART_WIDTH, _CHART_HEIGHT = 360.0, 180.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 58.0, 12.0, 12.0, 30.0


# --------------------------------------------------------------------------- views

@attrs.frozen
class Piece:
    """A run of a document's text (`role` "text"), or the opening ("open") or closing
    ("close") of the mark of claim number `claim`, of kind `kind`."""

    role: str
    text: str = ""
    claim: int = -1
    kind: str = ""


@attrs.frozen
class DocumentView:
    index: int
    id: str
    name: str
    date: str | None
    source: str | None
    claims: int
    pieces: tuple[Piece, ...]


@attrs.frozen
class Point:
    claim: int
    x: float
    y: float
    #: the interval a hedged figure admits, drawn as a bar (None: exact)
    low: float | None
    high: float | None
    open_low: bool
    open_high: bool
    label: str


@attrs.frozen
class Tick:
    at: float
    label: str


@attrs.frozen
class Series:
    """A subject's figures against their dates, laid out as an SVG chart."""

    index: int
    label: str
    subject: str
    unit: str
    points: tuple[Point, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    #: the SVG points of the line through the mean of each date's figures
    trend: str = ""
    width: float = _CHART_WIDTH
    height: float = _CHART_HEIGHT
    left: float = _LEFT
    right: float = _CHART_WIDTH - _RIGHT
    top: float = _TOP
    bottom: float = _CHART_HEIGHT - _BOTTOM


# --------------------------------------------------------------------------- entry point

def render_html(documents: Sequence[Document], claims: Sequence[Claim],
                findings: Sequence[Finding], *, title: str = "claimtrack report") -> str:
    """The report on `documents`, their `claims` and the `findings` among them, as one
    self-contained HTML page."""
    documents = _unique_documents(documents)
    ordered = _ordered_claims(documents, claims, findings)
    index = {_identity(c): i for i, c in enumerate(ordered)}
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, claim in enumerate(ordered):
        by_doc[claim.doc].append(i)
    doc_views = [_document_view(n, d, [(i, ordered[i]) for i in by_doc.get(d.id, [])])
                 for n, d in enumerate(documents)]
    series = _series(ordered, findings, index, {d.id: d.date for d in documents})
    in_findings = {index[_identity(c)] for f in findings for c in f.claims}
    texts = {d.id: d.text for d in documents}
    counts = {kind: 0 for kind in KINDS}
    for claim in ordered:
        counts[claim.quantity.kind] = counts.get(claim.quantity.kind, 0) + 1
    data = {
        "version": 1,
        "documents": [{"id": d.id, "name": _name(d.id),
                       "date": d.date.isoformat() if d.date else None,
                       "source": d.source} for d in documents],
        "claims": [_claim_record(c, texts.get(c.doc) if n in in_findings else None)
                   for n, c in enumerate(ordered)],
        "findings": [_finding_record(f, index) for f in findings],
        "series": [{"label": s.label, "claims": [p.claim for p in s.points]} for s in series],
    }
    env = _environment()
    style, script = _asset(env, "report.css"), _asset(env, "report.js")
    template = env.get_template("report.html")
    return template.render(
        title=title, data=data, documents=doc_views, finding_count=len(findings),
        series=series, legend=[(kind, counts.get(kind, 0)) for kind in KINDS],
        finding_kinds=[(k, sum(1 for f in findings if f.kind == k)) for k in FINDING_KINDS],
        severities=[(s, sum(1 for f in findings if f.severity == s)) for s in SEVERITIES],
        claim_count=len(ordered), page_size=FINDINGS_PAGE, style=style, script=script,
        csp=_csp(style, script))


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2  # imported here: only the HTML report needs it

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("claimtrack", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # tojson escapes < > & ' for a script block whatever these say; they make it compact,
    # keep the order of the contract's fields, and refuse NaN (JSON.parse would fail)
    env.policies["json.dumps_kwargs"] = {"separators": (",", ":"), "ensure_ascii": False,
                                         "allow_nan": False}
    return env


def _asset(env: jinja2.Environment, name: str) -> Any:
    """A style or script file of the package, verbatim (it is ours, not the user's)."""
    from markupsafe import Markup

    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return Markup(source)


def _csp(style: str, script: str) -> str:
    """No network, and no script or style but the page's own (by hash): even text that
    escaped its escaping could run nothing."""
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    return (f"default-src 'none'; script-src {digest(script)}; style-src {digest(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


# --------------------------------------------------------------------------- claims

def _identity(claim: Claim) -> tuple[str, int, int, str]:
    return claim.doc, claim.start, claim.end, claim.text


def _unique_documents(documents: Iterable[Document]) -> list[Document]:
    seen: dict[str, Document] = {}
    for document in documents:
        seen.setdefault(document.id, document)
    return list(seen.values())


def _ordered_claims(documents: Sequence[Document], claims: Iterable[Claim],
                    findings: Iterable[Finding]) -> list[Claim]:
    """Every claim once, by document and place; claims that only a finding names (a
    stored claim of a document not in the report) come last."""
    order = {d.id: n for n, d in enumerate(documents)}
    unique: dict[tuple[str, int, int, str], Claim] = {}
    for claim in claims:
        unique.setdefault(_identity(claim), claim)
    extra: dict[tuple[str, int, int, str], Claim] = {}
    for finding in findings:
        for claim in finding.claims:
            if _identity(claim) not in unique:
                extra.setdefault(_identity(claim), claim)
    listed = sorted(unique.values(),
                    key=lambda c: (order.get(c.doc, len(order)), c.doc, c.start, -c.end))
    return listed + sorted(extra.values(), key=lambda c: (c.doc, c.start, -c.end))


def _claim_record(claim: Claim, text: str | None) -> dict[str, Any]:
    """The claim's JSON (the contract's fields, `cue` and `admits` added), without its
    null fields. A claim that a finding shows (`text`, its document's, given) keeps its
    sentence, and `sentence_offset`, where in the sentence the claim stands."""
    record = claim_to_dict(claim)
    record["cue"] = getattr(claim.attribution, "cue", None)
    record["admits"] = _admits(claim)
    if text is None:
        record.pop("sentence", None)
    else:
        record["sentence_offset"] = _offset_in_sentence(claim, text)
    return {name: value for name, value in record.items() if _finite(value) is not None}


def _offset_in_sentence(claim: Claim, text: str) -> int | None:
    """Where the claim starts in its sentence, found in the document's text around it
    (None when the sentence is not there as written)."""
    sentence = claim.sentence
    if not sentence:
        return None
    begin = text.rfind(sentence, max(0, claim.end - len(sentence)), claim.start + len(sentence))
    if begin == -1 or claim.end > begin + len(sentence):
        return None
    return claim.start - begin


def _admits(claim: Claim) -> list[float | None] | None:
    """The interval the wording admits once hedges are counted, as compare() reads it
    ("around 250": 225-275), in the claim's kind's base unit (days for a duration); an
    open end is null. None for a date or a wording with no number."""
    if claim.quantity.kind == "date":
        return None
    fig = _figure_reader()(claim)
    if fig is None:
        return None
    return [_plain_number(v) for v in fig.admits]


@functools.cache
def _figure_reader() -> Callable[[Claim], Any]:
    """compare()'s reading of a claim's wording as intervals (`figure`), from the module
    that has it: claimtrack.comparison, or claimtrack.compare.figures where comparison.py
    has become a package."""
    import importlib

    for name in ("claimtrack.compare.figures", "claimtrack.comparison"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if callable(getattr(module, "figure", None)):
            return module.figure  # type: ignore[no-any-return]
    raise ImportError("no claimtrack module defines figure()")


@functools.cache
def _change_reader() -> Callable[[Claim], bool]:
    """Whether a percentage states a change ('up 25 per cent') rather than a level, as
    compare() reads it, so that a series of levels leaves changes out:
    claimtrack.comparison.is_change, or the `change` that claimtrack.compare.evidence
    reads where comparison.py has become a package."""
    import importlib

    try:
        return importlib.import_module("claimtrack.comparison").is_change  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        pass
    from .aliases import builtin_lexicon

    features = importlib.import_module("claimtrack.compare.evidence").features
    lexicon = builtin_lexicon()
    return lambda claim: bool(features(claim, lexicon).change)


def _plain_number(value: float) -> float | None:
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 1e15 else round(value, 6)


def _name(document_id: str) -> str:
    return Path(document_id).name or document_id


def _finite(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _document_view(number: int, document: Document,
                   claims: Sequence[tuple[int, Claim]]) -> DocumentView:
    return DocumentView(
        index=number, id=document.id, name=_name(document.id),
        date=document.date.isoformat() if document.date else None, source=document.source,
        claims=len(claims), pieces=tuple(_pieces(document.text, claims)))


def _pieces(text: str, claims: Sequence[tuple[int, Claim]]) -> list[Piece]:
    """The text cut into plain runs and the opening and closing of each claim's mark.

    Claims come sorted by start (the longer first). A claim inside another is nested in
    its mark; one that would cross the end of an open mark is cut at that end, so that
    each claim stays one element. A claim whose span does not hold its text (a claim of
    another document under the same id) is not shown.
    """
    pieces: list[Piece] = []
    stack: list[int] = []  # ends of the open marks
    at = 0

    def close_until(position: int) -> None:
        nonlocal at
        while stack and stack[-1] <= position:
            end = stack.pop()
            if end > at:
                pieces.append(Piece("text", text[at:end]))
                at = end
            pieces.append(Piece("close"))

    for number, claim in claims:
        start, end = claim.start, claim.end
        if text[start:end] != claim.text:  # another text under the same document id
            continue
        close_until(start)
        if start > at:
            pieces.append(Piece("text", text[at:start]))
            at = start
        if stack:
            end = min(end, stack[-1])
        pieces.append(Piece("open", claim=number, kind=claim.quantity.kind))
        stack.append(end)
    close_until(len(text))
    if at < len(text):
        pieces.append(Piece("text", text[at:]))
    return pieces


# --------------------------------------------------------------------------- findings

def _score(finding: Finding) -> float | None:
    score = getattr(finding, "score", None)  # findings carry a score from issue 9 on
    return float(score) if isinstance(score, (int, float)) else None


def _evidence(finding: Finding) -> list[str]:
    evidence = getattr(finding, "evidence", None) or ()
    if isinstance(evidence, str):
        return [evidence]
    return [str(e) for e in evidence]


def _finding_record(finding: Finding, index: dict[tuple[str, int, int, str], int]
                    ) -> dict[str, Any]:
    """A finding's JSON: its claims as indices into the claims; `subjects` (lower case:
    the key's and its claims') is what the search box looks in."""
    subject = finding.key.split("|", 1)[0]
    subjects = {subject, *(c.subject for c in finding.claims if c.subject)}
    return {"kind": finding.kind, "key": finding.key, "severity": finding.severity,
            "score": _score(finding), "evidence": _evidence(finding),
            "explanation": finding.explanation,
            "claims": [index[_identity(c)] for c in finding.claims],
            "subjects": " | ".join(sorted(s.lower() for s in subjects))}


# --------------------------------------------------------------------------- series

def _series(claims: Sequence[Claim], findings: Sequence[Finding],
            index: dict[tuple[str, int, int, str], int],
            dates: dict[str, dt.date | None]) -> list[Series]:
    """Figures over time: the claims of each `update` finding, and of each subject (as
    `claimtrack history` names it) given for two dates or more in two documents or more."""
    years = _sentence_years(claims)
    when = [_when(c, years.get((c.doc, c.sentence or "")), dates) for c in claims]
    groups: dict[str, list[int]] = {}
    for finding in findings:
        if finding.kind == "update":
            groups.setdefault(_without_years(finding.key), []).extend(
                index[_identity(c)] for c in finding.claims)
    dated: dict[str, list[int]] = defaultdict(list)
    subjects: dict[str, str] = {}  # subject -> its key: subjects recur
    is_change = _change_reader()
    for number, claim in enumerate(claims):
        if when[number] is not None and claim.quantity.kind != "date" and claim.subject \
                and not (claim.quantity.kind == "percent" and is_change(claim)):
            label = _series_label(claim, subjects)
            if label:
                dated[label].append(number)
    for label, members in dated.items():
        days = {day[0] for day in (when[i] for i in members) if day is not None}
        if len(days) >= 2 and len({claims[i].doc for i in members}) >= 2:
            groups.setdefault(label, members)
    built: list[Series] = []
    for label, members in sorted(groups.items(), key=lambda g: (-len(set(g[1])), g[0])):
        series = _chart(label, [(i, claims[i], when[i]) for i in dict.fromkeys(members)])
        if series is not None:
            built.append(attrs.evolve(series, index=len(built)))
            if len(built) == MAX_SERIES:
                break
    return built


def _series_label(claim: Claim, subjects: dict[str, str]) -> str:
    """What a figure measures, as one series: the subject as `claimtrack history` looks it
    up, the kind, the currency of money and the period of a rate ('food parcel|count')."""
    from .store import subject_key

    assert claim.subject is not None
    subject = subjects.get(claim.subject)
    if subject is None:
        subject = subjects[claim.subject] = subject_key(claim.subject)
    if not subject:
        return ""
    q = claim.quantity
    parts = [subject, q.kind]
    if q.kind == "money" and q.unit:
        parts.append(q.unit)
    if q.per:
        parts.append(f"per {q.per}")
    return "|".join(parts)


def _sentence_years(claims: Iterable[Claim]) -> dict[tuple[str, str], str]:
    """(document, sentence) -> the first year the dates of that sentence name: the time a
    figure stands for ('In 2021 we handed out 4,200 parcels')."""
    years: dict[tuple[str, str], int] = {}
    for claim in claims:
        value = claim.quantity.value
        if claim.quantity.kind == "date" and claim.sentence and isinstance(value, str):
            for part in value.split("/"):
                head = part.split("-")[0]
                if head.isdigit() and len(head) == 4:
                    place = (claim.doc, claim.sentence)
                    years[place] = min(years.get(place, 9999), int(head))
    return {place: str(year) for place, year in years.items()}


def _without_years(key: str) -> str:
    """A finding's key without the years it names ('2021,2022'): one series across years."""
    return "|".join(p for p in key.split("|") if not p.replace(",", "").isdigit())


def _when(claim: Claim, year: str | None, dates: dict[str, dt.date | None]
          ) -> tuple[float, str] | None:
    """The day a figure stands for, as an ordinal, with the date as written: the first
    year its sentence names, else the claim's date, else its document's; a period
    (2014, 2014-08, 2014/2015) counts from its first day."""
    for text in (year, claim.date):
        day = _first_day(text) if text else None
        if text and day is not None:
            return float(day.toordinal()), text.split("/")[0]
    document_date = dates.get(claim.doc)
    if document_date is None:
        return None
    return float(document_date.toordinal()), document_date.isoformat()


def _first_day(text: str) -> dt.date | None:
    parts = text.split("/")[0].split("-")
    try:
        numbers = [int(p) for p in parts[:3]]
        return dt.date(numbers[0], numbers[1] if len(numbers) > 1 else 1,
                       numbers[2] if len(numbers) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _chart(label: str, members: list[tuple[int, Claim, tuple[float, str] | None]]
           ) -> Series | None:
    figure = _figure_reader()
    raw: list[tuple[float, int, Claim, Any]] = []
    written: dict[float, str] = {}
    for number, claim, dated in members:
        fig = figure(claim)
        if dated is None or fig is None or claim.quantity.kind == "date":
            continue
        raw.append((dated[0], number, claim, fig))
        written.setdefault(dated[0], dated[1])
    raw.sort(key=lambda r: (r[0], r[1]))
    raw = raw[-MAX_POINTS:]
    if len({r[0] for r in raw}) < 2:
        return None
    finite: list[float] = [v for _, _, _, fig in raw for v in (*fig.admits, *fig.stated)
                           if math.isfinite(v)]
    y_low, y_high = min(finite), max(finite)
    pad = (y_high - y_low) * 0.1 or abs(y_high) * 0.1 or 1.0
    y_low, y_high = y_low - pad, y_high + pad
    x_low, x_high = raw[0][0], raw[-1][0]
    unit = _unit_label(raw[0][2])

    def x_at(day: float) -> float:
        return round(_LEFT + (day - x_low) / (x_high - x_low) * (_CHART_WIDTH - _LEFT - _RIGHT), 1)

    def y_at(value: float) -> float:
        value = min(max(value, y_low), y_high)
        span = _CHART_HEIGHT - _TOP - _BOTTOM
        return round(_CHART_HEIGHT - _BOTTOM - (value - y_low) / (y_high - y_low) * span, 1)

    points = []
    for when, number, claim, fig in raw:
        low, high = fig.admits
        centre = _centre(fig)
        hedged = claim.quantity.qualifier != "exact"
        points.append(Point(
            claim=number, x=x_at(when), y=y_at(centre),
            low=y_at(low) if hedged else None, high=y_at(high) if hedged else None,
            open_low=hedged and not math.isfinite(low),
            open_high=hedged and not math.isfinite(high),
            label=f"{claim.text} ({Path(claim.doc).name}, {written[when]})"))
    x_ticks = tuple(Tick(x_at(day), written[day]) for day in sorted({x_low, x_high}))
    y_ticks = tuple(Tick(y_at(v), _short_number(v)) for v in (y_low, (y_low + y_high) / 2, y_high))
    by_date: dict[float, list[float]] = defaultdict(list)
    for point in points:
        by_date[point.x].append(point.y)
    trend = " ".join(f"{x},{round(sum(ys) / len(ys), 1)}" for x, ys in sorted(by_date.items()))
    return Series(index=0, label=label, subject=label.split("|", 1)[0], unit=unit,
                  points=tuple(points), x_ticks=x_ticks, y_ticks=y_ticks, trend=trend)


def _centre(fig: Any) -> float:
    """Where a figure's point is drawn: its stated value, or the finite end of an open
    interval, or the middle of a range."""
    low, high = fig.admits
    if fig.shape == "lower":
        return float(low)
    if fig.shape == "upper":
        return float(high)
    if fig.shape in ("range", "vague"):
        return float((low + high) / 2)
    return float((fig.stated[0] + fig.stated[1]) / 2)


def _unit_label(claim: Claim) -> str:
    q = claim.quantity
    if q.kind == "duration":
        unit = "days"
    elif q.kind == "percent":
        unit = "%"
    else:
        unit = q.unit or q.kind
    return f"{unit} per {q.per}" if q.per else unit


def _short_number(value: float) -> str:
    for size, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{word}"
    return f"{value:.3g}"
