"""The evidence table of a finding (`--explain`): each comparison, its level and weight."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def explain_table(finding: Any) -> str:
    """The evidence table of a finding: each comparison, its level and weight."""
    from .tables import tabulate_rows

    rows = [{"comparison": name, "level": level, "weight": f"{weight:+.2f}", "evidence": says}
            for name, level, weight, says in finding.comparisons]
    return tabulate_rows(rows, ("comparison", "level", "weight", "evidence"), "simple")


def explained(findings: Sequence[Any]) -> str:
    """Every finding's evidence table, numbered as the findings are listed."""
    out = []
    for number, finding in enumerate(findings, 1):
        out.append(f"{number}. {finding.kind} {finding.key}: score {finding.score:.2f}\n")
        out.append(explain_table(finding))
    return "\n".join(out)
