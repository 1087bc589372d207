"""The values claimtrack passes between its stages: frozen, slotted attrs classes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

import attrs

#: What a figure is (the `kind` of the claim JSON).
Kind = Literal["count", "percent", "money", "date", "duration", "ratio", "quantity"]
#: The interval the wording of a figure admits (the `qualifier` of the claim JSON).
Qualifier = Literal["exact", "approx", "at_least", "at_most", "more_than", "less_than", "range"]
#: The qualifiers a hedge word gives (data/hedges.toml).
Hedge = Literal["approx", "more_than", "at_least", "at_most", "less_than"]
#: Whose words a segment of a document is (segments.py, `claimtrack structure`).
Role = Literal["post", "release", "dateline", "quoted", "speech", "turn", "comments", "comment",
               "contribution", "masthead", "metadata"]
KINDS: tuple[Kind, ...] = get_args(Kind)
QUALIFIERS: tuple[Qualifier, ...] = get_args(Qualifier)

#: A number, or an ISO 8601 date or interval string for dates.
Value = int | float | str | None


def _non_negative(instance: Any, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value}")


@attrs.frozen(kw_only=True)
class Document:
    """A text to read, with where it came from and the date it was written."""

    text: str
    id: str = "<text>"
    date: dt.date | None = None
    path: str | None = None
    #: the publication the whole document comes from (a JSON Lines record's "source"):
    #: the source of every claim that no quote or citation gives another
    source: str | None = None


@attrs.frozen(kw_only=True)
class Quantity:
    """A normalised figure: a value and the interval its wording admits."""

    kind: Kind = attrs.field(validator=attrs.validators.in_(KINDS))
    value: Value
    low: Value = None
    high: Value = None
    qualifier: Qualifier = attrs.field(default="exact",
                                       validator=attrs.validators.in_(QUALIFIERS))
    unit: str | None = None
    per: str | None = None
    denominator: float | int | None = None
    #: a change between two figures ("up 3%", "a fall of 2,000", "(+17,500)"), not a level
    change: bool = False

    def as_pint(self) -> Any:
        """The figure as a pint quantity (durations and percentages), or None.

        pint is imported on first use: its registry costs more than the rest of
        claimtrack's start-up together.
        """
        from .units import to_pint

        return to_pint(self)


@attrs.frozen(kw_only=True)
class Attribution:
    """Who asserts a figure (speaker), on whose authority (source), and why we think so."""

    speaker: str | None = None
    source: str | None = None
    cue: str | None = None


@attrs.frozen(kw_only=True)
class Claim:
    """A quantity found in a document, with its place, subject and attribution."""

    doc: str
    start: int = attrs.field(validator=_non_negative)
    end: int = attrs.field(validator=_non_negative)
    text: str
    quantity: Quantity
    subject: str | None = None
    attribution: Attribution = Attribution()
    date: str | None = None
    sentence: str | None = None
    #: where a person finds the claim: the 1-based line and column (in characters) of
    #: `start` in the document's text, and the offset at which `sentence` starts there
    line: int | None = None
    column: int | None = None
    sentence_start: int | None = None

    @end.validator
    def _end_after_start(self, attribute: attrs.Attribute[int], value: int) -> None:
        if value < self.start:
            raise ValueError(f"end ({value}) before start ({self.start})")


def _plain(value: Value) -> Value:
    """Whole floats as ints, so 1200.0 serialises as 1200."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return int(value)
    return value


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """The claim JSON of the contract (docs/concepts.md)."""
    q = claim.quantity
    record: dict[str, Any] = {
        "doc": claim.doc,
        "start": claim.start,
        "end": claim.end,
    }
    if claim.line is not None:
        record.update(line=claim.line, column=claim.column)
    record.update({
        "text": claim.text,
        "kind": q.kind,
        "value": _plain(q.value),
        "low": _plain(q.low),
        "high": _plain(q.high),
        "qualifier": q.qualifier,
        "unit": q.unit,
        "per": q.per,
    })
    if q.denominator is not None:
        record["denominator"] = _plain(q.denominator)
    if q.change:
        record["change"] = True
    record.update(
        subject=claim.subject,
        speaker=claim.attribution.speaker,
        source=claim.attribution.source,
        cue=claim.attribution.cue,
        date=claim.date,
        sentence=claim.sentence,
    )
    return record


def claim_from_dict(record: dict[str, Any]) -> Claim:
    """The inverse of claim_to_dict (the sentence's offset is not serialised)."""
    quantity = Quantity(
        kind=record["kind"],
        value=record.get("value"),
        low=record.get("low"),
        high=record.get("high"),
        qualifier=record.get("qualifier", "exact"),
        unit=record.get("unit"),
        per=record.get("per"),
        denominator=record.get("denominator"),
        change=bool(record.get("change", False)),
    )
    return Claim(
        doc=record["doc"],
        start=record["start"],
        end=record["end"],
        text=record["text"],
        quantity=quantity,
        subject=record.get("subject"),
        attribution=Attribution(speaker=record.get("speaker"), source=record.get("source"),
                                cue=record.get("cue")),
        date=record.get("date"),
        sentence=record.get("sentence"),
        line=record.get("line"),
        column=record.get("column"),
        sentence_start=record.get("sentence_start"),
    )


FINDING_KINDS = ("repeat", "conflict", "update", "inconsistent")
SEVERITIES = ("info", "low", "medium", "high")


@attrs.frozen(kw_only=True)
class Finding:
    """Claims that repeat one figure, disagree, update it over time, or do not add up,
    with a one-line why, the match score that linked them and the evidence it rests on."""

    kind: str = attrs.field(validator=attrs.validators.in_(FINDING_KINDS))
    claims: tuple[Claim, ...]
    key: str
    explanation: str
    severity: str = attrs.field(default="info", validator=attrs.validators.in_(SEVERITIES))
    #: the match score in [0, 1] of the weakest link the finding rests on
    score: float = 1.0
    #: the comparisons that decided it, in words ("counted noun 'company'")
    evidence: tuple[str, ...] = ()
    #: the evidence table (`--explain`): comparison, level, weight, what it rests on
    comparisons: tuple[tuple[str, str, float, str], ...] = ()


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """The finding JSON of the contract (rendered by claimtrack.render.records)."""
    from .render.records import finding_to_dict as record

    return record(finding)
