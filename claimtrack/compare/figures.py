"""Figures: the intervals a claim's wording admits, and how two of them relate.

Each claim's wording gives two intervals (`Figure`): what the stated number
covers at its written precision (`£1.2bn` is 1.15-1.25bn), and what the whole
wording admits once hedges are counted (`around 250` is 225-275, `more than 40
per cent` is open above). An unhedged count is exact: 240 and 241 cannot both
hold; only a scale word ("2.5 million") or a hedge gives a band. Durations are
compared in days (pint), dates as the days they cover.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import cast

import attrs
import regex

from ..model import Claim, Qualifier
from ..rules import RuleSet
from .words import patterns

#: How far a hedge ("around", "nearly", "some") widens a figure, as a fraction of it.
APPROX_BAND = 0.10
#: The widest band a round number ("250,000", "£400,000") covers, as a fraction of it.
ROUND_BAND = 0.10
_EPS = 1e-9
_INF = math.inf


@attrs.frozen(cache_hash=True)  # a cluster key: hashed once per claim compared
class Figure:
    """The intervals a claim's wording admits, in the base unit of its kind.

    `shape` is point (exact or hedged), lower (more than, at least), upper (under,
    at most), range or vague; `stated` is the interval the written number covers at
    its precision (for a range, that of its low end, and `stated_high` of its high
    end); `admits` adds the hedge.
    """

    shape: str
    stated: tuple[float, float]
    admits: tuple[float, float]
    stated_high: tuple[float, float] | None = None


_NUMERAL = regex.compile(r"\d[\d,]*+(?:\.\d++)?+")
_SHAPES = {"exact": "point", "approx": "point", "more_than": "lower", "at_least": "lower",
           "less_than": "upper", "at_most": "upper", "range": "range"}


def half_unit(numeral: str | None, value: float) -> float:
    """Half the last written unit of `value` (`numeral` is the digits as written, if any).

    >>> half_unit("1.2", 1.2e9)   # £1.2bn: 1.15-1.25bn
    50000000.0
    >>> half_unit("250,000", 250000.0)   # round: the last significant digit
    5000.0
    >>> half_unit("35", 35.0)
    0.5
    """
    if numeral is None:  # number words: "five", "two million", "half"
        if value != int(value):
            return abs(value) * 0.05
        numeral = str(int(value))
    digits = numeral.replace(",", "")
    try:
        written = float(digits)
    except ValueError:
        return 0.5
    scale = value / written if written else 1.0
    if "." in digits:
        return 0.5 * 10.0 ** -len(digits.split(".")[1]) * scale
    whole = int(written)
    zeros = len(digits) - len(digits.rstrip("0")) if whole else 0
    if zeros and whole >= 100:
        return min(0.5 * 10.0 ** zeros, ROUND_BAND * whole) * scale
    return 0.5 * scale


@functools.cache
def _day_factor(unit: str) -> float:
    """Days in one `unit` (pint), so that 16 weeks and 4 months compare."""
    from ..units import unit_registry

    name = RuleSet.default().time_pint.get(unit, unit)
    return float(unit_registry().Quantity(1, name).to("day").magnitude)


@functools.cache
def measure_unit(unit: str) -> tuple[str, float] | None:
    """A unit of measure ('mile') as its dimension ('[length]') and its size in base
    units (pint), or None when the registry does not know it."""
    from ..units import unit_registry

    try:
        base = unit_registry().Quantity(1, unit).to_base_units()
    except Exception:  # an unknown unit name: compared in its own unit
        return None
    return str(base.dimensionality), float(base.magnitude)


def _base_factor(claim: Claim) -> float:
    q = claim.quantity
    if q.kind == "duration" and q.unit:
        try:
            return _day_factor(q.unit)
        except Exception:  # an unknown unit name: compared in its own unit
            return 1.0
    if q.kind == "quantity" and q.unit:
        known = measure_unit(q.unit)
        return known[1] if known else 1.0
    return 1.0


# "about 5 miles (8 km)": the figure in brackets converts the one before it
_CONVERSION = regex.compile(r"(?P<hedge>[^\W\d]++(?:\s++[^\W\d]++)?+)\s++[\d.,]++\s*+"
                            r"[^\W\d]*+\s*+\(\s*+$")


def converted_hedge(claim: Claim) -> Qualifier | None:
    """The hedge of the figure a bracketed conversion repeats: 'about 5 miles (8 km)'
    gives 8 km the 'approx' of 'about'."""
    sentence = claim.sentence or ""
    at = position(claim)
    if not sentence[:at].rstrip().endswith("("):
        return None
    found = _CONVERSION.search(sentence, max(0, at - 40), at)
    if found is None:
        return None
    words = found.group("hedge").lower().split()
    hedges = RuleSet.default().hedges_before
    for size in (2, 1):
        qualifier = hedges.get(" ".join(words[-size:]))
        if qualifier is not None:
            return cast(Qualifier, qualifier)
    return None



def with_list_unit(claim: Claim) -> Claim:
    """A figure without a unit at the head of a list takes the unit the list ends with
    ('4.8 and 3.9 metres': 4.8 metres)."""
    q = claim.quantity
    if q.kind != "quantity" or q.unit or not claim.sentence:
        return claim
    at = position(claim) + len(claim.text)
    found = patterns().list_tail.match(claim.sentence, at)
    if found is None:
        return claim
    from ..aliases import normal_word

    unit = normal_word(found.group("unit"))
    if measure_unit(unit) is None:
        return claim
    return attrs.evolve(claim, quantity=attrs.evolve(q, unit=unit))


def figure(claim: Claim) -> Figure | None:
    """The figure of a claim, or None when its wording gives no number to compare."""
    claim = with_list_unit(claim)
    q = claim.quantity
    if q.qualifier == "exact" and q.kind not in ("date", "count"):
        hedge = converted_hedge(claim)
        if hedge is not None:
            claim = attrs.evolve(claim, quantity=attrs.evolve(q, qualifier=hedge))
            q = claim.quantity
    if any(isinstance(v, float) and not math.isfinite(v) for v in (q.value, q.low, q.high)):
        return None
    if q.kind == "date":
        return _date_figure(claim)
    numerals = _NUMERAL.findall(claim.text)
    factor = _base_factor(claim)
    shape = _SHAPES[q.qualifier]
    if isinstance(q.value, (int, float)):
        value = float(q.value)
        half = half_unit(numerals[0] if numerals else None, value)
        stated = ((value - half) * factor, (value + half) * factor)
        if shape == "point":
            spread = max(half, APPROX_BAND * abs(value)) if q.qualifier == "approx" else half
            admits = ((value - spread) * factor, (value + spread) * factor)
        elif shape == "lower":  # "more than 500": the bound as written, not rounded
            admits = (value * factor, _INF)
        elif shape == "upper":
            admits = (-_INF, value * factor)
        else:
            admits = stated
        return Figure(shape=shape, stated=stated, admits=admits)
    low, high = q.low, q.high
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
        return None
    if q.qualifier == "approx":  # vague: "hundreds" is 200-999
        span = (float(low) * factor, float(high) * factor)
        return Figure(shape="vague", stated=span, admits=span)
    h_low = half_unit(numerals[0] if numerals else None, float(low))
    h_high = half_unit(numerals[-1] if numerals else None, float(high))
    stated = ((low - h_low) * factor, (low + h_low) * factor)
    stated_high = ((high - h_high) * factor, (high + h_high) * factor)
    return Figure(shape="range", stated=stated, admits=(stated[0], stated_high[1]),
                  stated_high=stated_high)


def _date_bounds(text: str) -> tuple[float, float] | None:
    """An ISO date or year-month or year as the days it covers (as ordinals)."""
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            first, last = dt.date(numbers[0], 1, 1), dt.date(numbers[0], 12, 31)
        elif len(numbers) == 2:
            first = dt.date(numbers[0], numbers[1], 1)
            following = dt.date(numbers[0] + numbers[1] // 12, numbers[1] % 12 + 1, 1)
            last = following - dt.timedelta(days=1)
        else:
            first = last = dt.date(numbers[0], numbers[1], numbers[2])
    except (ValueError, IndexError):
        return None
    return float(first.toordinal()), float(last.toordinal()) + 1.0


def _date_figure(claim: Claim) -> Figure | None:
    value = claim.quantity.value
    if not isinstance(value, str):
        return None
    bare = patterns().bare_month.fullmatch(claim.text.strip())
    if bare and bare.group("month").lower().rstrip(".") in RuleSet.default().months:
        return None  # "in December": the year is a guess, not a figure to compare
    ends = [_date_bounds(part) for part in value.split("/")]
    if not ends or any(e is None for e in ends):
        return None
    span = (min(e[0] for e in ends if e), max(e[1] for e in ends if e))
    shape = _SHAPES[claim.quantity.qualifier]
    if shape == "range" or len(ends) > 1:  # "2014 to 2022": a period, not a day in it
        shape = "span" if len(ends) > 1 else "point"
    admits = {"lower": (span[0], _INF), "upper": (-_INF, span[1])}.get(shape, span)
    return Figure(shape=shape, stated=span, admits=admits)


def _inside(a: tuple[float, float], b: tuple[float, float]) -> bool:
    tolerance = _EPS * max(1.0, abs(b[0]), abs(b[1]))
    return a[0] >= b[0] - tolerance and a[1] <= b[1] + tolerance


def _nested(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return _inside(a, b) or _inside(b, a)


def same_figure(a: Figure, b: Figure) -> bool:
    """One figure repeats the other: same shape, and one stated interval within the other;
    or a bound and a point at the bound ("at least £171m" and "£171m")."""
    if a.shape == "vague" or b.shape == "vague":
        return False
    if a.shape != b.shape:
        bounds = {"lower", "upper"}
        if {a.shape, b.shape} & bounds and {a.shape, b.shape} - bounds == {"point"}:
            point, bound = (a, b) if a.shape == "point" else (b, a)
            # the point at the bound's numeral, on the bound's side of it ("below 3%" is
            # not "3.4%", though 3.4 rounds to 3)
            middle = (point.stated[0] + point.stated[1]) / 2
            end = bound.admits[0] if bound.shape == "lower" else bound.admits[1]
            tolerance = _EPS * max(1.0, abs(end))
            beyond = middle < end - tolerance if bound.shape == "lower" \
                else middle > end + tolerance
            return _nested(a.stated, b.stated) and not beyond
        return False
    if a.shape == "range":
        return (a.stated_high is not None and b.stated_high is not None
                and _nested(a.stated, b.stated) and _nested(a.stated_high, b.stated_high))
    return _nested(a.stated, b.stated)


def disagree(a: Figure, b: Figure) -> bool:
    """The intervals the two wordings admit cannot both hold (touching ends count:
    35 covers 34.5-35.5 and 36 covers 35.5-36.5)."""
    low, high = (a, b) if a.admits[0] <= b.admits[0] else (b, a)
    gap = high.admits[0] - low.admits[1]
    return gap >= -_EPS * max(1.0, abs(high.admits[0]))


def gap(a: Figure, b: Figure) -> float:
    """The distance between two disjoint admitted intervals, relative to the larger end."""
    low, high = (a, b) if a.admits[0] <= b.admits[0] else (b, a)
    size = max(abs(low.admits[1]), abs(high.admits[0]), 1e-12)
    return (high.admits[0] - low.admits[1]) / size




def position(claim: Claim) -> int:
    """Where the claim's text starts in its sentence (0 when it cannot be found)."""
    sentence = claim.sentence or ""
    found = sentence.find(claim.text)
    return found if found >= 0 else 0


def number_text(value: float) -> str:
    """A value as a reader writes it: 1.2bn, 467m, 1,200, 2.5."""
    for size, word in ((1e9, "bn"), (1e6, "m")):
        if abs(value) >= size:
            return f"{value / size:,.6g}{word}"
    return f"{value:,.6g}" if value != int(value) else f"{int(value):,}"


def describe(claim: Claim, fig: Figure) -> str:
    """The admitted interval of a figure in the words of its claim's unit."""
    low, high = fig.admits
    q = claim.quantity
    if q.kind == "date":
        return str(q.value)
    factor = _base_factor(claim)
    suffix = f" {q.unit}s" if q.kind == "duration" and q.unit else ""
    if q.kind == "percent":
        suffix = "%" if q.unit in (None, "percent") else f" {q.unit}s"
    elif q.kind == "money" and q.unit:
        suffix = f" {q.unit}"
    if high == _INF:
        return f"at least {number_text(low / factor)}{suffix}"
    if low == -_INF:
        return f"at most {number_text(high / factor)}{suffix}"
    if math.isclose(low, high):
        return f"{number_text(low / factor)}{suffix}"
    return f"{number_text(low / factor)}-{number_text(high / factor)}{suffix}"
