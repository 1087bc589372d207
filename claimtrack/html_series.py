"""Figures over time for the HTML report: series of a subject's figures by date, laid
out as small SVG charts (report.html draws them).

A series is the claims of an `update` finding, or the claims of one subject (as
`claimtrack history` names it: store.subject_key), kind, currency and period given
for two dates or more in two documents or more. A figure's date is the first year
its sentence names, else the claim's date, else its document's. Its value and the
interval a hedge admits are compare()'s reading of the wording (`figure`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from .model import Claim, Finding

#: At most this many charts of figures over time, the longest series first.
MAX_SERIES = 40
#: A chart draws at most this many points (the latest).
MAX_POINTS = 120
_CHART_WIDTH, _CHART_HEIGHT = 360.0, 180.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 58.0, 12.0, 12.0, 30.0


@attrs.frozen
class Point:
    claim: int
    x: float
    y: float
    #: the interval a hedged figure admits, drawn as a bar (None: exact)
    low: float | None
    high: float | None
    open_low: bool
    open_high: bool
    label: str


@attrs.frozen
class Tick:
    at: float
    label: str


@attrs.frozen
class Series:
    """A subject's figures against their dates, laid out as an SVG chart."""

    index: int
    label: str
    subject: str
    unit: str
    points: tuple[Point, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    #: the SVG points of the line through the mean of each date's figures
    trend: str = ""
    width: float = _CHART_WIDTH
    height: float = _CHART_HEIGHT
    left: float = _LEFT
    right: float = _CHART_WIDTH - _RIGHT
    top: float = _TOP
    bottom: float = _CHART_HEIGHT - _BOTTOM


def figure_reader() -> Callable[[Claim], Any]:
    """compare()'s reading of a claim's wording as intervals."""
    from .compare.figures import figure

    return figure


@functools.cache
def change_reader() -> Callable[[Claim], bool]:
    """Whether a percentage states a change ('up 25 per cent') rather than a level, as
    compare() reads it, so that a series of levels leaves changes out."""
    from .aliases import builtin_lexicon
    from .compare.evidence import features

    lexicon = builtin_lexicon()
    return lambda claim: bool(features(claim, lexicon).change)


def figures_over_time(claims: Sequence[Claim], findings: Sequence[Finding],
                      index: dict[tuple[str, int, int, str], int],
                      dates: dict[str, dt.date | None]) -> list[Series]:
    """Figures over time: the claims of each `update` finding, and of each subject (as
    `claimtrack history` names it) given for two dates or more in two documents or more."""
    years = _sentence_years(claims)
    when = [_when(c, years.get((c.doc, c.sentence or "")), dates) for c in claims]
    groups: dict[str, list[int]] = {}
    for finding in findings:
        if finding.kind == "update":
            groups.setdefault(_without_years(finding.key), []).extend(
                index[(c.doc, c.start, c.end, c.text)] for c in finding.claims)
    dated: dict[str, list[int]] = defaultdict(list)
    subjects: dict[str, str] = {}  # subject -> its key: subjects recur
    is_change = change_reader()
    for number, claim in enumerate(claims):
        if when[number] is not None and claim.quantity.kind != "date" and claim.subject \
                and not (claim.quantity.kind == "percent" and is_change(claim)):
            label = _series_label(claim, subjects)
            if label:
                dated[label].append(number)
    for label, members in dated.items():
        days = {day[0] for day in (when[i] for i in members) if day is not None}
        if len(days) >= 2 and len({claims[i].doc for i in members}) >= 2:
            groups.setdefault(label, members)
    built: list[Series] = []
    for label, members in sorted(groups.items(), key=lambda g: (-len(set(g[1])), g[0])):
        series = _chart(label, [(i, claims[i], when[i]) for i in dict.fromkeys(members)])
        if series is not None:
            built.append(attrs.evolve(series, index=len(built)))
            if len(built) == MAX_SERIES:
                break
    return built


def _series_label(claim: Claim, subjects: dict[str, str]) -> str:
    """What a figure measures, as one series: the subject as `claimtrack history` looks it
    up, the kind, the currency of money and the period of a rate ('food parcel|count')."""
    from .store import subject_key

    assert claim.subject is not None
    subject = subjects.get(claim.subject)
    if subject is None:
        subject = subjects[claim.subject] = subject_key(claim.subject)
    if not subject:
        return ""
    q = claim.quantity
    parts = [subject, q.kind]
    if q.kind == "money" and q.unit:
        parts.append(q.unit)
    if q.per:
        parts.append(f"per {q.per}")
    return "|".join(parts)


def _sentence_years(claims: Iterable[Claim]) -> dict[tuple[str, str], str]:
    """(document, sentence) -> the first year the dates of that sentence name: the time a
    figure stands for ('In 2021 we handed out 4,200 parcels')."""
    years: dict[tuple[str, str], int] = {}
    for claim in claims:
        value = claim.quantity.value
        if claim.quantity.kind == "date" and claim.sentence and isinstance(value, str):
            for part in value.split("/"):
                head = part.split("-")[0]
                if head.isdigit() and len(head) == 4:
                    place = (claim.doc, claim.sentence)
                    years[place] = min(years.get(place, 9999), int(head))
    return {place: str(year) for place, year in years.items()}


def _without_years(key: str) -> str:
    """A finding's key without the years it names ('2021,2022'): one series across years."""
    return "|".join(p for p in key.split("|") if not p.replace(",", "").isdigit())


def _when(claim: Claim, year: str | None, dates: dict[str, dt.date | None]
          ) -> tuple[float, str] | None:
    """The day a figure stands for, as an ordinal, with the date as written: the first
    year its sentence names, else the claim's date, else its document's; a period
    (2014, 2014-08, 2014/2015) counts from its first day."""
    for text in (year, claim.date):
        day = _first_day(text) if text else None
        if text and day is not None:
            return float(day.toordinal()), text.split("/")[0]
    document_date = dates.get(claim.doc)
    if document_date is None:
        return None
    return float(document_date.toordinal()), document_date.isoformat()


def _first_day(text: str) -> dt.date | None:
    parts = text.split("/")[0].split("-")
    try:
        numbers = [int(p) for p in parts[:3]]
        return dt.date(numbers[0], numbers[1] if len(numbers) > 1 else 1,
                       numbers[2] if len(numbers) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _chart(label: str, members: list[tuple[int, Claim, tuple[float, str] | None]]
           ) -> Series | None:
    figure = figure_reader()
    raw: list[tuple[float, int, Claim, Any]] = []
    written: dict[float, str] = {}
    for number, claim, dated in members:
        fig = figure(claim)
        if dated is None or fig is None or claim.quantity.kind == "date":
            continue
        raw.append((dated[0], number, claim, fig))
        written.setdefault(dated[0], dated[1])
    raw.sort(key=lambda r: (r[0], r[1]))
    raw = raw[-MAX_POINTS:]
    if len({r[0] for r in raw}) < 2:
        return None
    finite: list[float] = [v for _, _, _, fig in raw for v in (*fig.admits, *fig.stated)
                           if math.isfinite(v)]
    y_low, y_high = min(finite), max(finite)
    pad = (y_high - y_low) * 0.1 or abs(y_high) * 0.1 or 1.0
    y_low, y_high = y_low - pad, y_high + pad
    x_low, x_high = raw[0][0], raw[-1][0]
    unit = _unit_label(raw[0][2])

    def x_at(day: float) -> float:
        return round(_LEFT + (day - x_low) / (x_high - x_low) * (_CHART_WIDTH - _LEFT - _RIGHT), 1)

    def y_at(value: float) -> float:
        value = min(max(value, y_low), y_high)
        span = _CHART_HEIGHT - _TOP - _BOTTOM
        return round(_CHART_HEIGHT - _BOTTOM - (value - y_low) / (y_high - y_low) * span, 1)

    points = []
    for when, number, claim, fig in raw:
        low, high = fig.admits
        centre = _centre(fig)
        hedged = claim.quantity.qualifier != "exact"
        points.append(Point(
            claim=number, x=x_at(when), y=y_at(centre),
            low=y_at(low) if hedged else None, high=y_at(high) if hedged else None,
            open_low=hedged and not math.isfinite(low),
            open_high=hedged and not math.isfinite(high),
            label=f"{claim.text} ({Path(claim.doc).name}, {written[when]})"))
    x_ticks = _date_ticks([(x_at(day), written[day]) for day in sorted({r[0] for r in raw})])
    y_ticks = tuple(Tick(y_at(v), _short_number(v)) for v in (y_low, (y_low + y_high) / 2, y_high))
    by_date: dict[float, list[float]] = defaultdict(list)
    for point in points:
        by_date[point.x].append(point.y)
    trend = " ".join(f"{x},{round(sum(ys) / len(ys), 1)}" for x, ys in sorted(by_date.items()))
    return Series(index=0, label=label, subject=label.split("|", 1)[0], unit=unit,
                  points=tuple(points), x_ticks=x_ticks, y_ticks=y_ticks, trend=trend)


#: The least room between two date labels on the axis (pixels of the chart).
_TICK_ROOM = 64.0


def _date_ticks(dates: list[tuple[float, str]]) -> tuple[Tick, ...]:
    """A label under each date of the series that has room, the first and last always."""
    kept = [dates[0]]
    for x, label in dates[1:-1]:
        if x - kept[-1][0] >= _TICK_ROOM and dates[-1][0] - x >= _TICK_ROOM:
            kept.append((x, label))
    kept.append(dates[-1])
    return tuple(Tick(x, label) for x, label in kept)


def _centre(fig: Any) -> float:
    """Where a figure's point is drawn: its stated value, or the finite end of an open
    interval, or the middle of a range."""
    low, high = fig.admits
    if fig.shape == "lower":
        return float(low)
    if fig.shape == "upper":
        return float(high)
    if fig.shape in ("range", "vague"):
        return float((low + high) / 2)
    return float((fig.stated[0] + fig.stated[1]) / 2)


def _unit_label(claim: Claim) -> str:
    q = claim.quantity
    if q.kind == "duration":
        unit = "days"
    elif q.kind == "percent":
        unit = "%"
    else:
        unit = q.unit or q.kind
    return f"{unit} per {q.per}" if q.per else unit


def _short_number(value: float) -> str:
    for size, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{word}"
    return f"{value:.3g}"
