"""The golden cases: fixture documents with every claim they hold, compared whole.

Each fixtures/cases/<id>.json names its text (<id>.txt), an optional reference
date, and the exhaustive list of expected claims with explicit offsets. A
claim the extractor reports that the case does not list fails the test, and
so does one it misses. Every field is compared exactly except the subject,
which is held to an accuracy over all cases (test_subjects).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

import claimtrack
from claimtrack.model import claim_to_dict

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "cases"
COMPARED = ("start", "end", "text", "kind", "value", "low", "high", "qualifier", "unit", "per",
            "denominator", "change", "speaker", "source")
REQUIRED = {"id", "description", "date", "claims"}


def _cases() -> list[Path]:
    return sorted(CASES.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    case = json.loads(path.read_text(encoding="utf-8"))
    missing = REQUIRED - set(case)
    assert not missing, f"{path.name}: missing {sorted(missing)}"
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    for claim in case["claims"]:
        span = text[claim["start"]:claim["end"]]
        assert span == claim["text"], f"{path.name}: bad offsets {claim}"
    return {**case, "document": text}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-3, abs_tol=0.01)
    return a == b


def _words(text: str | None) -> set[str]:
    return {w.lower().removesuffix("s") for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text or "")}


def _describe(record: dict[str, Any]) -> str:
    return f"{record['start']}-{record['end']} {record['text']!r}"


def _extract(case: dict[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    claims = claimtrack.extract(case["document"], doc_id=case["id"], date=case["date"])
    return {(c["start"], c["end"]): c for c in map(claim_to_dict, claims)}


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    case = _load(path)
    got = _extract(case)
    want = {(c["start"], c["end"]): c for c in case["claims"]}
    problems = [f"missed {_describe(w)}" for k, w in want.items() if k not in got]
    problems += [f"unexpected {_describe(g)} ({g['kind']})"
                 for k, g in got.items() if k not in want]
    for key in want.keys() & got.keys():
        w, g = want[key], got[key]
        # the cue that decided the attribution, where the case states it
        fields = (*COMPARED, "cue") if "cue" in w else COMPARED
        wrong = [f"{f}={g.get(f)!r} (want {w.get(f)!r})" for f in fields
                 if not _same(g.get(f), w.get(f))]
        if wrong:
            problems.append(f"{_describe(w)}: " + ", ".join(wrong))
    assert not problems, f"{path.stem}:\n  " + "\n  ".join(problems)


#: The subject is read by heuristics over the words around a figure, so the cases
#: hold it to an accuracy over all their claims, as the evaluation does, rather than
#: to every claim. The corpus target is 0.70; the cases ask for more.
SUBJECT_TARGET = 0.80


def test_subjects() -> None:
    hits, misses = 0, []
    for path in _cases():
        case = _load(path)
        got = _extract(case)
        for w in case["claims"]:
            head = w.get("subject_head")
            g = got.get((w["start"], w["end"]))
            if not head or g is None:
                continue
            if head.lower().removesuffix("s") in _words(g["subject"]):
                hits += 1
            else:
                misses.append(f"{path.stem} {_describe(w)}: {g['subject']!r} lacks {head!r}")
    accuracy = hits / (hits + len(misses))
    assert accuracy >= SUBJECT_TARGET, (
        f"subject accuracy {accuracy:.3f} < {SUBJECT_TARGET}:\n  " + "\n  ".join(misses))


def test_there_are_cases() -> None:
    assert len(_cases()) >= 4
