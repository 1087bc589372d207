"""The renderings of a check (claimtrack.checks.CheckReport): text, json, markdown,
GitHub workflow commands and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..checks import CheckReport, finding_id
from ..model import Claim, Finding
from .places import end_position, file_position, location
from .records import finding_to_dict
from .registry import Options
from .text import count, marked_sentence, plural, who

#: SARIF and GitHub annotation levels.
ANNOTATION = {"repeat": "warning", "update": "warning", "conflict": "error",
              "inconsistent": "error"}
_RULES = {
    "conflict": ("ConflictingFigure", "A figure disagrees with one on record",
                 "Figures about the same subject, in different documents, whose intervals "
                 "cannot both hold once hedges and stated precision are counted."),
    "inconsistent": ("InconsistentArithmetic", "Figures in one sentence do not add up",
                     "A part and its whole against a stated percentage, a change against its "
                     "two ends, or parts that add up to more than their total."),
    "repeat": ("RepeatedFigure", "A figure repeats one on record",
               "The same figure about the same subject as in another document: check that it "
               "is still current and attributed to its source."),
    "update": ("UpdatedFigure", "A figure updates one on record",
               "The same measure as a figure on record, at another date: a series, not a "
               "disagreement; check that the newer figure is the one meant."),
}
#: the longest sentence in a Markdown cell or an annotation
_SENTENCE = 160


def summary(report: CheckReport) -> str:
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    parts = ", ".join(f"{n} {plural(kind, n)}" for kind, n in sorted(counts.items()))
    line = count(len(report.findings), "finding") + (f" ({parts})" if parts else "")
    line += f" in {count(report.documents, 'document')} checked"
    if report.suppressed:
        line += f"; {report.suppressed} acknowledged in the baseline"
    if report.unread:
        line += (f"; {count(len(report.unread), 'input')} could not be checked ("
                 + "; ".join(report.unread) + ")")
    verdict = "failed" if report.failed() else "passed"
    return f"{line}; {verdict} (--fail-on {report.fail_on})"


def _new_claims(report: CheckReport, finding: Finding) -> list[Claim]:
    return [c for c in finding.claims if report.is_new(c)]


def _head(report: CheckReport, claim: Claim) -> str:
    """Where a finding is reported: the file position of its first new claim."""
    position = file_position(claim, report.places)
    if position is not None:
        return ":".join(map(str, position))
    return location(claim, report.places)


def _label(report: CheckReport, claim: Claim) -> str:
    """Where a claim is, `(stored)` when it is on record, and who said it."""
    said = who(claim)
    return (location(claim, report.places) + ("" if report.is_new(claim) else " (stored)")
            + (f" ({said})" if said else ""))


def _claim_line(report: CheckReport, claim: Claim, width: int | None) -> str:
    """A claim of a finding, then its sentence with the figure marked, on a line of its own."""
    indent = "      "
    room = None if width is None else max(24, width - len(indent))
    return f"    {_label(report, claim)}\n{indent}{marked_sentence(claim, room)}"


def check_text(report: CheckReport, options: Options) -> str:
    lines = []
    for f in report.findings:
        new = _new_claims(report, f)
        lines.append(f"{_head(report, new[0])}: {ANNOTATION[f.kind]}: {f.kind} ({f.severity}) "
                     f"{f.key}: {f.explanation} [{finding_id(f)}]")
        lines.extend(_claim_line(report, c, options.width) for c in f.claims)
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def check_json(report: CheckReport, options: Options) -> str:
    findings = []
    for f in report.findings:
        record = {"id": finding_id(f), "level": ANNOTATION[f.kind], **finding_to_dict(f)}
        for claim, out in zip(f.claims, record["claims"], strict=True):
            out["new"] = report.is_new(claim)
            position = file_position(claim, report.places)
            if position is not None:
                out["file"] = position[0]
        findings.append(record)
    document = {"summary": {"findings": len(report.findings), "suppressed": report.suppressed,
                            "documents": report.documents, "unread": list(report.unread),
                            "fail_on": report.fail_on, "failed": report.failed()},
                "findings": findings}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown_claim(report: CheckReport, claim: Claim) -> str:
    said = who(claim)
    return _cell(f"`{location(claim, report.places)}`" + (f" ({said})" if said else "")
                 + f": {marked_sentence(claim, _SENTENCE)}")


def check_markdown(report: CheckReport, options: Options) -> str:
    icon = ":x:" if report.failed() else ":white_check_mark:"
    out = [f"### {icon} claimtrack check", "", summary(report) + ".", ""]
    if not report.findings:
        return "\n".join(out)
    out += ["| | Finding | New text | On record | Explanation | Id |",
            "|---|---|---|---|---|---|"]
    for f in report.findings:
        mark = ":x:" if report.fails(f) else ":warning:"
        new = "<br>".join(_markdown_claim(report, c) for c in _new_claims(report, f))
        old = "<br>".join(_markdown_claim(report, c) for c in f.claims
                          if not report.is_new(c)) or "(new text only)"
        out.append(f"| {mark} | **{f.kind}** ({f.severity})<br>`{_cell(f.key)}` | {new} | "
                   f"{old} | {_cell(f.explanation)} | `{finding_id(f)}` |")
    return "\n".join(out) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def check_github(report: CheckReport, options: Options) -> str:
    """One annotation a place: a finding is annotated at its first new claim, and the
    findings that meet at one place share its annotation (the gravest level; each
    finding with its claims, key and id), so that no two annotations sit on one spot."""
    places: dict[tuple[str, int | None, int | None], list[tuple[Finding, Claim]]] = {}
    for f in report.findings:
        claim = _new_claims(report, f)[0]
        position = file_position(claim, report.places)
        spot = position or (report.places[claim.doc].file, None, None)
        places.setdefault(spot, []).append((f, claim))
    lines = [_annotation(report, group) for group in places.values()]
    for reason in report.unread:
        lines.append(f"::error title={_escape_property('claimtrack: input not checked')}::"
                     f"{_escape_data(reason)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _annotation(report: CheckReport, group: list[tuple[Finding, Claim]]) -> str:
    """The workflow command of the findings at one place."""
    first, claim = group[0]
    props = [("file", report.places[claim.doc].file)]
    position = file_position(claim, report.places)
    if position is not None:
        end_line, end_column = end_position(claim)
        props += [("line", str(position[1])), ("col", str(position[2])),
                  ("endLine", str(end_line)), ("endColumn", str(max(1, end_column - 1)))]
    findings = [f for f, _ in group]
    level = "error" if any(ANNOTATION[f.kind] == "error" for f in findings) else "warning"
    title = f"claimtrack {first.kind} ({first.severity})"
    if len(findings) > 1:
        title += f" and {count(len(findings) - 1, 'other finding')}"
    props.append(("title", title))
    head = ",".join(f"{k}={_escape_property(v)}" for k, v in props)
    blocks = []
    for f in findings:
        claims = "\n".join(f"{_label(report, c)}: {marked_sentence(c, _SENTENCE)}"
                           for c in f.claims)
        lead = "" if len(findings) == 1 else f"{f.kind} ({f.severity}): "
        blocks.append(f"{lead}{f.explanation}\n{claims}\n[{f.key}] [{finding_id(f)}]")
    return f"::{level} {head}::{_escape_data(chr(10).join(blocks))}"


# --------------------------------------------------------------------------- SARIF

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    """A file path as a SARIF artifact URI: relative paths stay relative (to the checkout)."""
    as_path = Path(path)
    if as_path.is_absolute():
        return as_path.as_uri()
    return quote(path.replace("\\", "/"))


def _location(report: CheckReport, claim: Claim, number: int) -> dict[str, Any]:
    place = report.places.get(claim.doc)
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(place.file if place
                                                                  else claim.doc)}}
    position = file_position(claim, report.places)
    if position is not None:
        end_line, end_column = end_position(claim)
        physical["region"] = {"startLine": position[1], "startColumn": position[2],
                              "endLine": end_line, "endColumn": end_column}
    elif place is None:  # a stored claim: where it was, in the text it was read from
        physical["region"] = ({"startLine": claim.line, "startColumn": claim.column}
                              if claim.line is not None and claim.column is not None else
                              {"charOffset": claim.start, "charLength": claim.end - claim.start})
    said = who(claim)
    return {"id": number, "physicalLocation": physical,
            "message": {"text": f"{claim.text}" + (f" ({said})" if said else "")
                                + f": {marked_sentence(claim, _SENTENCE)}"}}


def _sarif_result(report: CheckReport, finding: Finding,
                  index: Mapping[str, int]) -> dict[str, Any]:
    new = _new_claims(report, finding)
    old = [c for c in finding.claims if not report.is_new(c)]
    result: dict[str, Any] = {
        "ruleId": finding.kind,
        "ruleIndex": index[finding.kind],
        "level": ANNOTATION[finding.kind],
        "message": {"text": f"{finding.explanation} [{finding.key}]"},
        "locations": [_location(report, c, i) for i, c in enumerate(new)],
        "partialFingerprints": {"claimtrackFindingId/v1": finding_id(finding)},
        "properties": {"severity": finding.severity, "key": finding.key,
                       "findingId": finding_id(finding)},
    }
    if old:
        result["relatedLocations"] = [_location(report, c, len(new) + i)
                                      for i, c in enumerate(old)]
    return result


def check_sarif(report: CheckReport, options: Options) -> str:
    from .._version import __version__

    kinds = sorted(_RULES)
    rules = [{"id": kind, "name": _RULES[kind][0],
              "shortDescription": {"text": _RULES[kind][1]},
              "fullDescription": {"text": _RULES[kind][2]},
              "defaultConfiguration": {"level": ANNOTATION[kind]},
              "help": {"text": _RULES[kind][2]}} for kind in kinds]
    index = {kind: i for i, kind in enumerate(kinds)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "claimtrack", "version": __version__,
                                "semanticVersion": __version__, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": [_sarif_result(report, f, index) for f in report.findings],
            "invocations": [{
                "executionSuccessful": not report.unread,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": reason}}
                                               for reason in report.unread],
            }],
            "properties": {"summary": summary(report), "suppressed": report.suppressed},
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
