"""The built-in formats, registered: table, text, jsonl, json, csv, markdown, github and
sarif, each with the renderers of the views it shows (a table, claims, findings, the
claim report, a check)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..checks import CheckReport
from ..model import claim_to_dict
from .check import check_github, check_json, check_markdown, check_sarif, check_text
from .places import location
from .records import CLAIM_FIELDS, finding_to_dict
from .registry import Format, Options, register
from .tables import tabulate_rows
from .text import SENTENCE_CHARACTERS, marked_sentence, trim, who
from .views import REPORT_COLUMNS, Claims, Findings, Report, Table

#: the columns of the claims table
CLAIM_COLUMNS = ("doc", "text", "kind", "value", "unit", "per", "subject", "speaker", "source")
#: the columns of findings in CSV
FINDING_COLUMNS = ("kind", "severity", "key", "explanation", "claims")


# --------------------------------------------------------------------------- rows


def _json(rows: Iterable[Any]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def _jsonl(rows: Iterable[Any]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None) -> str:
    fields = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in fields})
    return out.getvalue()


# --------------------------------------------------------------------------- claims


def _claim_records(view: Claims) -> list[dict[str, Any]]:
    return [claim_to_dict(c) for c in view.claims]


def shown_value(row: Mapping[str, Any]) -> Any:
    """The value cell of a table: the interval of a range or vague amount ("300-400",
    "200000-999999"), as the value alone would leave it empty."""
    if row["value"] is not None or (row["low"] is None and row["high"] is None):
        return row["value"]
    low = "" if row["low"] is None else row["low"]
    high = "" if row["high"] is None else row["high"]
    return f"{low}-{high}" if row["kind"] != "date" else f"{low}/{high}"


def _claim_rows(view: Claims) -> list[dict[str, Any]]:
    return [{**row, "value": shown_value(row)} for row in _claim_records(view)]


# --------------------------------------------------------------------------- findings


def finding_entries(view: Findings, width: int | None, markdown: bool) -> str:
    """Findings as numbered entries, each claim on a line of its own: where it is, who
    said it, and its sentence with the figure marked, trimmed to `width`."""
    if not view.findings:
        return "No findings.\n"
    lines = []
    for number, f in enumerate(view.findings, 1):
        head = f"**{f.kind}** ({f.severity}) `{f.key}`" if markdown else \
            trim(f"{f.kind} ({f.severity}) {f.key}", None if width is None else
                 max(24, width - len(str(number)) - 2))
        lines.append(f"{number}. {head}")
        lines.append(_wrapped(f.explanation, "   ", width))
        for c in f.claims:
            lines.append(claim_line(c, view, width, markdown))
    return "\n".join(lines) + "\n"


def _wrapped(text: str, indent: str, width: int | None) -> str:
    """Text indented, and wrapped at `width` when there is one."""
    if width is None:
        return indent + text
    import textwrap

    return textwrap.fill(text, max(40, width), initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


def claim_line(claim: Any, view: Findings, width: int | None, markdown: bool) -> str:
    """A claim of a finding: where it is and who said it, then (indented, on a line of
    its own so that it has the width) its sentence with the figure marked."""
    where = location(claim, view.places)
    said = who(claim)
    if markdown:  # one line: a Markdown list item would run its next line into it
        return (f"   - `{where}`" + (f" ({said})" if said else "")
                + f": {marked_sentence(claim, SENTENCE_CHARACTERS)}")
    indent = "     "
    room = None if width is None else max(24, width - len(indent))
    if said and width is not None:  # the place is kept whole: it is what finds the claim
        said = trim(said, max(12, width - len(where) - 8))
    return (f"   - {where}" + (f" ({said})" if said else "")
            + f"\n{indent}{marked_sentence(claim, room)}")


def finding_rows(view: Findings) -> list[dict[str, Any]]:
    return [{"kind": f.kind, "severity": f.severity, "key": f.key,
             "explanation": f.explanation,
             "claims": "; ".join(f"{location(c, view.places)}"
                                 + (f" ({who(c)})" if who(c) else "")
                                 + f": {marked_sentence(c)}" for c in f.claims)}
            for f in view.findings]


# --------------------------------------------------------------------------- the report


def _report_text(view: Report, options: Options, markdown: bool) -> str:
    heading = "## " if markdown else ""
    width = None if markdown else options.width
    table = tabulate_rows(view.rows, REPORT_COLUMNS, "github" if markdown else "simple", width)
    return (f"{heading}Claims by subject ({len(view.rows)})\n\n{table}"
            f"\n{heading}Findings ({len(view.findings.findings)})\n\n"
            + finding_entries(view.findings, width, markdown))


def _report_json(view: Report, options: Options) -> str:
    return _json([{"claims": [{k: r[k] for k in REPORT_COLUMNS} for r in view.rows],
                   "findings": [finding_to_dict(f) for f in view.findings.findings]}])


def _report_csv(view: Report, options: Options) -> str:
    return (_csv(view.rows, REPORT_COLUMNS) + "\n"
            + _csv(finding_rows(view.findings), FINDING_COLUMNS))


# --------------------------------------------------------------------------- registry


register(Format(name="table", help="a table for the terminal, fitted to its width", renderers={
    Table: lambda v, o: tabulate_rows(v.rows, v.columns, "simple", o.width),
    Claims: lambda v, o: tabulate_rows(_claim_rows(v), CLAIM_COLUMNS, "simple", o.width),
    Findings: lambda v, o: finding_entries(v, o.width, markdown=False),
    Report: lambda v, o: _report_text(v, o, markdown=False),
}))
register(Format(name="text", help="a line a finding, then its claims and their sentences",
                renderers={CheckReport: check_text}))
register(Format(name="jsonl", help="a JSON object a line", renderers={
    Table: lambda v, o: _jsonl(v.rows),
    Claims: lambda v, o: _jsonl(_claim_records(v)),
    Findings: lambda v, o: _jsonl(finding_to_dict(f) for f in v.findings),
}))
register(Format(name="json", help="one JSON document", renderers={
    Table: lambda v, o: _json(v.rows),
    Claims: lambda v, o: _json(_claim_records(v)),
    Findings: lambda v, o: _json(finding_to_dict(f) for f in v.findings),
    Report: _report_json,
    CheckReport: check_json,
}))
register(Format(name="csv", help="comma-separated values with a header line", renderers={
    Table: lambda v, o: _csv(v.rows, v.columns),
    Claims: lambda v, o: _csv(_claim_records(v), CLAIM_FIELDS),
    Findings: lambda v, o: _csv(finding_rows(v), FINDING_COLUMNS),
    Report: _report_csv,
}))
register(Format(name="markdown", help="Markdown, a table or a list of findings", renderers={
    Table: lambda v, o: tabulate_rows(v.rows, v.columns, "github"),
    Claims: lambda v, o: tabulate_rows(_claim_rows(v), CLAIM_COLUMNS, "github"),
    Findings: lambda v, o: finding_entries(v, None, markdown=True),
    Report: lambda v, o: _report_text(v, o, markdown=True),
    CheckReport: check_markdown,
}))
register(Format(name="github", help="GitHub Actions workflow commands (annotations)",
                renderers={CheckReport: check_github}))
register(Format(name="sarif", help="SARIF 2.1.0, for code scanning",
                renderers={CheckReport: check_sarif}))


def _html(view: Findings, options: Options) -> str:
    """The HTML report (docs/report.md): the documents compared, every claim marked in
    them, the findings, figures over time; one self-contained page."""
    from ..html_report import render_html  # Jinja2 is imported only to write a page

    return render_html(view.documents, view.claims, view.findings)


register(Format(name="html", help="one self-contained HTML page: the documents with every claim "
                                  "highlighted, the findings, figures over time", renderers={
    Findings: _html,
    Report: lambda v, o: _html(v.findings, o),
}))
