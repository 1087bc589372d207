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
import functools
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .html_series import figure_reader, figures_over_time
from .model import KINDS, Claim, Document, Finding, claim_to_dict
from .render.places import Place, location, places_of

if TYPE_CHECKING:
    import jinja2

#: The finding kinds the report knows, in the order its panel lists them.
FINDING_KINDS = ("conflict", "inconsistent", "update", "repeat")
SEVERITIES = ("high", "medium", "low", "info")
#: The findings panel lists this many at a time (the page stays light with thousands).
FINDINGS_PAGE = 200


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
    series = figures_over_time(ordered, findings, index,
                               {d.id: d.date for d in documents})
    in_findings = {index[_identity(c)] for f in findings for c in f.claims}
    texts = {d.id: d.text for d in documents}
    places = places_of(documents)
    counts = {kind: 0 for kind in KINDS}
    for claim in ordered:
        counts[claim.quantity.kind] = counts.get(claim.quantity.kind, 0) + 1
    data = {
        "version": 1,
        "documents": [{"id": d.id, "name": _name(d.id),
                       "date": d.date.isoformat() if d.date else None,
                       "source": d.source} for d in documents],
        "claims": [_claim_record(c, texts.get(c.doc), places) if n in in_findings
                   else _claim_record(c) for n, c in enumerate(ordered)],
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


def _claim_record(claim: Claim, text: str | None = None,
                  places: Mapping[str, Place] | None = None) -> dict[str, Any]:
    """The claim's JSON (the contract's fields, `cue` and `admits` added), without its
    null fields. A claim that a finding shows (its document's `text` and the `places`
    of the documents given) keeps its sentence, `sentence_offset` (where in the sentence
    the claim stands) and `location` ('file:line:column', as compare's text names it)."""
    record = claim_to_dict(claim)
    record["cue"] = getattr(claim.attribution, "cue", None)
    record["admits"] = _admits(claim)
    if places is None:
        record.pop("sentence", None)
    else:
        record["sentence_offset"] = _offset_in_sentence(claim, text or "")
        record["location"] = location(claim, places)
    return {name: value for name, value in record.items() if _finite(value) is not None}


def _offset_in_sentence(claim: Claim, text: str) -> int | None:
    """Where the claim starts in its sentence, found in the document's text around it
    (None when the sentence is not there as written)."""
    sentence = claim.sentence
    if not sentence:
        return None
    if claim.sentence_start is not None:
        return claim.start - claim.sentence_start
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
    fig = figure_reader()(claim)
    if fig is None:
        return None
    return [_plain_number(v) for v in fig.admits]


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
