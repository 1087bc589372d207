"""What is rendered: plain values the commands build and every format reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..model import Claim, Document, Finding
from .places import Place


@attrs.frozen(kw_only=True)
class Table:
    """Rows of plain values (segments, history); `columns` picks and orders them."""

    rows: tuple[Mapping[str, Any], ...]
    columns: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class Claims:
    """The claims of documents, as `extract` lists them."""

    claims: tuple[Claim, ...]


def distinct(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings in order, each once: a finding equal to one before it (the same id:
    kind, key and claims) is not shown twice."""
    from ..store import finding_id

    seen: set[str] = set()
    out = []
    for finding in findings:
        ident = finding_id(finding)
        if ident not in seen:
            seen.add(ident)
            out.append(finding)
    return tuple(out)


@attrs.frozen(kw_only=True)
class Findings:
    """Findings among claims, each once; `places` says which file each document came
    from; `documents` and `claims` are everything compared (for a format that shows
    more than the findings, such as a report page)."""

    findings: tuple[Finding, ...] = attrs.field(converter=distinct)
    places: Mapping[str, Place] = attrs.field(factory=dict)
    documents: tuple[Document, ...] = ()
    claims: tuple[Claim, ...] = ()


@attrs.frozen(kw_only=True)
class Report:
    """The claim report: claims grouped by subject (rows of REPORT_COLUMNS and a start),
    then the findings among them."""

    rows: tuple[Mapping[str, Any], ...]
    findings: Findings


REPORT_COLUMNS = ("subject", "value", "qualifier", "document", "speaker", "source", "date")


def report_view(claims: Sequence[Claim], findings: Findings, *, aliases: Any = None,
                texts: Mapping[str, str] | None = None) -> Report:
    """The claim report: each claim under its subject as claim keys name it, sorted by
    subject, document and place."""
    from ..compare import keyed

    rows: list[dict[str, Any]] = []
    for claim, key in keyed(claims, aliases=aliases, texts=texts):
        rows.append({"subject": key.subject if key is not None else (claim.subject or ""),
                     "value": claim.text, "qualifier": claim.quantity.qualifier,
                     "document": claim.doc, "speaker": claim.attribution.speaker,
                     "source": claim.attribution.source, "date": claim.date,
                     "start": claim.start})
    rows.sort(key=lambda r: (str(r["subject"]).lower(), str(r["document"]), int(r["start"])))
    return Report(rows=tuple(rows), findings=findings)
