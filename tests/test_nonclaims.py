"""The non-claim rules' table of readings agrees with the rules themselves."""

from __future__ import annotations

from pathlib import Path

from claimtrack.nonclaims import GATES, READINGS, RULES, Page, _neighbour, reject_reason
from claimtrack.recognize import find_mentions
from claimtrack.rules import RuleSet

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "cases"


def test_a_rule_is_spared_only_the_figures_it_would_pass() -> None:
    """reject_reason puts a figure only to the rules for its reading (READINGS) whose gates
    it passes (GATES); each rule must answer None for every other reading and every figure
    its gate shuts out, or the tables have drifted from the rules' own tests."""
    rules = RuleSet.default()
    seen = set()
    for path in sorted(CASES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        page = Page(text=text, rules=rules, masks=(), datelines=())
        for mention in find_mentions(text, rules=rules):
            seen.add(mention.core)
            for rule, readings in READINGS.items():
                if mention.core not in readings:
                    assert rule(mention, page) is None, (rule.__name__, mention)
            before = _neighbour(text[mention.start - 1:mention.start] if mention.start else "")
            after = _neighbour(text[mention.end:mention.end + 1])
            for rule, gate in GATES.items():
                if not gate(mention.quantity.kind, before, after,
                            mention.start == mention.core_start):
                    assert rule(mention, page) is None, (rule.__name__, mention)
            full = next((r for r in (rule(mention, page) for rule in RULES) if r), None)
            assert reject_reason(mention, page) == full
    assert {"numeral", "words", "fraction", "magnitude", "money"} <= seen
