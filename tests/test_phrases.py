"""Single figures in a short sentence each: fixtures/phrases.json, one case per entry.

An entry gives the sentence, the span expected (`text`) and the fields of the
claim read there; `"claims": 0` asserts that nothing at all is reported.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

import claimtrack
from claimtrack.model import claim_to_dict

PHRASES = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "phrases.json")
                     .read_text(encoding="utf-8"))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-3, abs_tol=0.01)
    return a == b


@pytest.mark.parametrize("case", PHRASES, ids=lambda c: c["sentence"][:50])
def test_phrase(case: dict[str, Any]) -> None:
    claims = [claim_to_dict(c) for c in claimtrack.extract(case["sentence"], date=case.get("date"))]
    if case.get("claims") == 0:
        assert claims == [], [c["text"] for c in claims]
        return
    found = [c for c in claims if c["text"] == case["text"]]
    assert found, f"no claim {case['text']!r} in {[c['text'] for c in claims]}"
    claim = found[0]
    wrong = {k: claim.get(k) for k, v in case["expect"].items() if not _same(claim.get(k), v)}
    assert not wrong, f"got {wrong}, want { {k: case['expect'][k] for k in wrong} }"


@pytest.mark.parametrize("times", ["times", "TIMES", "t\u0130mes", "time\u017f"])
def test_a_tail_word_with_a_folded_letter_is_still_read(times: str) -> None:
    """Tails that need 'times' are tried only where the word may stand; a case-blind
    pattern reads 'İ' as 'i' and 'ſ' as 's', and so must that test."""
    claims = claimtrack.extract(f"Staff numbers were three {times} as many. It rang 23 {times}.")
    assert [(c.text, c.quantity.kind) for c in claims] == [
        (f"three {times} as many", "percent"), (f"23 {times}", "count")]
