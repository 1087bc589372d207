"""The JSON records of claims and findings (the contracts of docs/concepts.md)."""

from __future__ import annotations

from typing import Any

from ..model import Claim, Finding, claim_to_dict
from .text import json_sentence

#: every field of a claim record, in order (a CSV's columns)
CLAIM_FIELDS = ("doc", "start", "end", "line", "column", "text", "kind", "value", "low",
                "high", "qualifier", "unit", "per", "denominator", "subject", "speaker",
                "source", "cue", "date", "sentence")


def finding_claim(claim: Claim) -> dict[str, Any]:
    """A claim as a finding carries it: the claim record, its sentence trimmed around the
    figure."""
    record = claim_to_dict(claim)
    record.setdefault("line", None)
    record.setdefault("column", None)
    record["sentence"] = json_sentence(claim)
    return record


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """The finding JSON of the contract: its claims with place, provenance and sentence."""
    return {
        "kind": finding.kind,
        "key": finding.key,
        "score": round(finding.score, 3),
        "severity": finding.severity,
        "evidence": list(finding.evidence),
        "claims": [finding_claim(c) for c in finding.claims],
        "explanation": finding.explanation,
    }
