"""The result of `claimtrack check`: the findings that involve new text, whether they
fail the check, and the baseline of acknowledged findings. render/check.py shows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from .errors import InputError
from .model import Claim, Finding
from .render.places import Place

FAIL_ON = ("conflict", "repeat", "none")
#: How grave each kind of finding is: --fail-on names the least grave that fails.
LEVELS = {"repeat": 1, "update": 1, "conflict": 2, "inconsistent": 2}
_THRESHOLDS = {"repeat": 1, "conflict": 2, "none": 3}


def finding_id(finding: Finding) -> str:
    """store.finding_id, imported when first used: the command line builds its parser
    from this module's names without loading the store."""
    from .store import finding_id as ident

    return ident(finding)


@attrs.frozen(kw_only=True)
class CheckReport:
    """The findings of a check that involve new documents, and where those documents are."""

    findings: tuple[Finding, ...]
    places: Mapping[str, Place]  # new document id -> its place
    fail_on: str = attrs.field(default="conflict", validator=attrs.validators.in_(FAIL_ON))
    suppressed: int = 0
    documents: int = 0
    #: why each input that could not be read (or checked) was not: one line each
    unread: tuple[str, ...] = ()

    def failed(self) -> bool:
        """An input could not be checked, or a finding at or above --fail-on remains."""
        return bool(self.unread) or any(self.fails(f) for f in self.findings)

    def fails(self, finding: Finding) -> bool:
        """The finding is at or above --fail-on."""
        return LEVELS[finding.kind] >= _THRESHOLDS[self.fail_on]

    def is_new(self, claim: Claim) -> bool:
        return claim.doc in self.places


def make_report(findings: Iterable[Finding], places: Mapping[str, Place], *,
                fail_on: str = "conflict", baseline: frozenset[str] = frozenset(),
                documents: int = 0, unread: Iterable[str] = ()) -> CheckReport:
    """A report of the findings not acknowledged in `baseline` (a set of finding ids);
    `unread` says why each input that could not be checked was not."""
    from .render.views import distinct

    found = distinct(findings)
    kept = tuple(f for f in found if finding_id(f) not in baseline)
    return CheckReport(findings=kept, places=places, fail_on=fail_on,
                       suppressed=len(found) - len(kept), documents=documents,
                       unread=tuple(unread))


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
