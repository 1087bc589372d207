"""The results of `claimtrack check`: exit level, baseline, and text, JSON, Markdown,
GitHub workflow-command and SARIF 2.1.0 renderings.

A `CheckReport` holds the findings that involve new text (those acknowledged in the
baseline already taken out) with what is needed to place them: each new document's
text, for line and column numbers, and the file it came from.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attrs

from .errors import InputError
from .model import Claim, Finding, finding_to_dict
from .store import finding_id

FORMATS = ("text", "json", "markdown", "github", "sarif")
FAIL_ON = ("conflict", "repeat", "none")
#: How grave each kind of finding is: --fail-on names the least grave that fails.
LEVELS = {"repeat": 1, "update": 1, "conflict": 2, "inconsistent": 2}
_THRESHOLDS = {"repeat": 1, "conflict": 2, "none": 3}
#: SARIF and GitHub annotation levels.
_ANNOTATION = {"repeat": "warning", "update": "warning", "conflict": "error",
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


@attrs.frozen(kw_only=True)
class Place:
    """Where a new document's claims sit: its file, and its text when offsets map onto
    the file's lines (plain text and Markdown; not HTML or JSON Lines records)."""

    file: str
    text: str | None
    _starts: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        starts = [0] + [m.end() for m in re.finditer("\n", self.text or "")]
        object.__setattr__(self, "_starts", tuple(starts))

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of an offset into the text."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


@attrs.frozen(kw_only=True)
class CheckReport:
    """The findings of a check that involve new documents, and where those documents are."""

    findings: tuple[Finding, ...]
    places: Mapping[str, Place]  # new document id -> its place
    fail_on: str = attrs.field(default="conflict", validator=attrs.validators.in_(FAIL_ON))
    suppressed: int = 0
    documents: int = 0

    def failed(self) -> bool:
        """A finding at or above --fail-on remains."""
        return any(LEVELS[f.kind] >= _THRESHOLDS[self.fail_on] for f in self.findings)

    def is_new(self, claim: Claim) -> bool:
        return claim.doc in self.places


def make_report(findings: Iterable[Finding], places: Mapping[str, Place], *,
                fail_on: str = "conflict", baseline: frozenset[str] = frozenset(),
                documents: int = 0) -> CheckReport:
    """A report of the findings not acknowledged in `baseline` (a set of finding ids)."""
    found = list(findings)
    kept = tuple(f for f in found if finding_id(f) not in baseline)
    return CheckReport(findings=kept, places=places, fail_on=fail_on,
                       suppressed=len(found) - len(kept), documents=documents)


# --------------------------------------------------------------------------- baseline


def read_baseline(path: str | Path) -> frozenset[str]:
    """The acknowledged finding ids of a baseline file (a JSON list of ids)."""
    from .document import regular_file

    try:
        data = json.loads(regular_file(path, "baseline file").read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read baseline ({exc.strerror or exc})") from None
    except RecursionError:
        raise InputError(f"{path}: baseline is not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # undecodable, not JSON, or a number of too many digits
        raise InputError(f"{path}: baseline is not valid JSON ({exc})") from None
    if not isinstance(data, list) or not all(isinstance(i, str) for i in data):
        raise InputError(f"{path}: a baseline is a JSON list of finding ids")
    return frozenset(data)


def baseline_json(findings: Iterable[Finding]) -> str:
    """A baseline acknowledging these findings: their ids, sorted, one a line."""
    return json.dumps(sorted({finding_id(f) for f in findings}), indent=1) + "\n"


# --------------------------------------------------------------------------- renderers


def render_check(report: CheckReport, fmt: str) -> str:
    """The report in one of FORMATS."""
    return _RENDERERS[fmt](report)


def summary(report: CheckReport) -> str:
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    parts = ", ".join(f"{n} {_plural(kind, n)}" for kind, n in sorted(counts.items()))
    total = len(report.findings)
    line = f"{total} {_plural('finding', total)}" + (f" ({parts})" if parts else "")
    line += f" in {report.documents} {_plural('document', report.documents)} checked"
    if report.suppressed:
        line += f"; {report.suppressed} acknowledged in the baseline"
    verdict = "failed" if report.failed() else "passed"
    return f"{line}; {verdict} (--fail-on {report.fail_on})"


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return {"inconsistent": "inconsistent"}.get(word, word + "s")


def _new_claims(report: CheckReport, finding: Finding) -> list[Claim]:
    return [c for c in finding.claims if report.is_new(c)]


def _where(report: CheckReport, claim: Claim) -> str:
    place = report.places.get(claim.doc)
    if place is None:
        return claim.doc
    if place.text is None:
        return place.file if place.file == claim.doc else f"{place.file} ({claim.doc})"
    line, column = place.line_column(claim.start)
    return f"{place.file}:{line}:{column}"


def _who(claim: Claim) -> str:
    who = ", ".join(x for x in (claim.attribution.speaker, claim.attribution.source) if x)
    return f" ({who})" if who else ""


def _text(report: CheckReport) -> str:
    lines = []
    for f in report.findings:
        new = _new_claims(report, f)
        lines.append(f"{_where(report, new[0])}: {_ANNOTATION[f.kind]}: {f.kind} ({f.severity}) "
                     f"{f.key}: {f.explanation} [{finding_id(f)}]")
        for c in f.claims:
            label = _where(report, c) if report.is_new(c) else f"{c.doc}@{c.start} (stored)"
            lines.append(f"    {label}: {c.text!r}{_who(c)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _json(report: CheckReport) -> str:
    findings = []
    for f in report.findings:
        record = {"id": finding_id(f), "level": _ANNOTATION[f.kind], **finding_to_dict(f)}
        for claim, out in zip(f.claims, record["claims"], strict=True):
            out["new"] = report.is_new(claim)
            place = report.places.get(claim.doc)
            if place is not None and place.text is not None:
                out["file"] = place.file
                out["line"], out["column"] = place.line_column(claim.start)
        findings.append(record)
    document = {"summary": {"findings": len(report.findings), "suppressed": report.suppressed,
                            "documents": report.documents, "fail_on": report.fail_on,
                            "failed": report.failed()},
                "findings": findings}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown(report: CheckReport) -> str:
    icon = ":x:" if report.failed() else ":white_check_mark:"
    out = [f"### {icon} claimtrack check", "", summary(report) + ".", ""]
    if not report.findings:
        return "\n".join(out)
    out += ["| | Finding | New text | On record | Explanation | Id |",
            "|---|---|---|---|---|---|"]
    for f in report.findings:
        mark = ":x:" if LEVELS[f.kind] >= _THRESHOLDS[report.fail_on] else ":warning:"
        new = "<br>".join(_cell(f"`{c.text}` {_where(report, c)}{_who(c)}")
                          for c in _new_claims(report, f))
        old = "<br>".join(_cell(f"`{c.text}` {c.doc}{_who(c)}")
                          for c in f.claims if not report.is_new(c)) or "(new text only)"
        out.append(f"| {mark} | **{f.kind}** ({f.severity})<br>`{_cell(f.key)}` | {new} | "
                   f"{old} | {_cell(f.explanation)} | `{finding_id(f)}` |")
    return "\n".join(out) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(report: CheckReport) -> str:
    lines = []
    for f in report.findings:
        for claim in _new_claims(report, f):
            place = report.places[claim.doc]
            props = [("file", place.file)]
            if place.text is not None:
                line, column = place.line_column(claim.start)
                end_line, end_column = place.line_column(max(claim.start, claim.end - 1))
                props += [("line", str(line)), ("col", str(column)),
                          ("endLine", str(end_line)), ("endColumn", str(end_column))]
            props.append(("title", f"claimtrack {f.kind} ({f.severity})"))
            head = ",".join(f"{k}={_escape_property(v)}" for k, v in props)
            message = f"{f.explanation} [{f.key}] [{finding_id(f)}]"
            lines.append(f"::{_ANNOTATION[f.kind]} {head}::{_escape_data(message)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- SARIF

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    """A file path as a SARIF artifact URI: relative paths stay relative (to the checkout)."""
    as_path = Path(path)
    if as_path.is_absolute():
        return as_path.as_uri()
    return quote(path.replace("\\", "/"))


def _region(place: Place, claim: Claim) -> dict[str, int]:
    line, column = place.line_column(claim.start)
    end_line, end_column = place.line_column(claim.end)
    return {"startLine": line, "startColumn": column, "endLine": end_line,
            "endColumn": end_column}


def _location(report: CheckReport, claim: Claim, number: int) -> dict[str, Any]:
    place = report.places.get(claim.doc)
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(place.file if place
                                                                  else claim.doc)}}
    if place is not None and place.text is not None:
        physical["region"] = _region(place, claim)
    elif place is None:  # a stored claim: where it was, in the text it was read from
        physical["region"] = {"charOffset": claim.start, "charLength": claim.end - claim.start}
    return {"id": number, "physicalLocation": physical,
            "message": {"text": f"{claim.text}{_who(claim)}"}}


def _sarif_result(report: CheckReport, finding: Finding, index: Mapping[str, int]) -> dict[str,
                                                                                         Any]:
    new = _new_claims(report, finding)
    old = [c for c in finding.claims if not report.is_new(c)]
    result: dict[str, Any] = {
        "ruleId": finding.kind,
        "ruleIndex": index[finding.kind],
        "level": _ANNOTATION[finding.kind],
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


def _sarif(report: CheckReport) -> str:
    from ._version import __version__

    kinds = sorted(_RULES)
    rules = [{"id": kind, "name": _RULES[kind][0],
              "shortDescription": {"text": _RULES[kind][1]},
              "fullDescription": {"text": _RULES[kind][2]},
              "defaultConfiguration": {"level": _ANNOTATION[kind]},
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
            "properties": {"summary": summary(report), "suppressed": report.suppressed},
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


_RENDERERS: dict[str, Callable[[CheckReport], str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
    "github": _github,
    "sarif": _sarif,
}


def places_of(documents: Sequence[Any]) -> dict[str, Place]:
    """The place of each new Document: line numbers only where its text is its file's."""
    from .document import format_of

    out = {}
    for document in documents:
        file = document.path or document.id
        positional = format_of(Path(file)) == "text" and document.id == file
        out[document.id] = Place(file=file, text=document.text if positional else None)
    return out
