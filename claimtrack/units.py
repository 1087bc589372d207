"""The pint registry, built once on first use (it is the slowest thing to import)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .rules import RuleSet

if TYPE_CHECKING:
    from .model import Quantity


#: The units claimtrack converts, with pint's own values (a year of 365.25 days, a month
#: of a twelfth of it). A registry of these alone builds in milliseconds; pint's full
#: default registry takes half a second, which `claimtrack check` paid on every run.
DEFINITIONS = (
    "second = [time] = s = sec",
    "minute = 60 * second = min",
    "hour = 60 * minute = h = hr",
    "day = 24 * hour = d",
    "week = 7 * day",
    "fortnight = 2 * week",
    "year = 365.25 * day = a = yr",
    "month = year / 12",
    "decade = 10 * year",
    "century = 100 * year",
    "percent = 0.01 = %",
    # lengths and masses, so that "about 5 miles (8 km)" and "the 8.7-kilometre wall" compare
    "metre = [length] = m = meter",
    "kilometre = 1000 * metre = km = kilometer",
    "centimetre = metre / 100 = cm = centimeter",
    "millimetre = metre / 1000 = mm = millimeter",
    "inch = 0.0254 * metre = in",
    "foot = 12 * inch = ft = feet",
    "yard = 3 * foot = yd",
    "mile = 1760 * yard = mi",
    "gram = [mass] = g",
    "kilogram = 1000 * gram = kg",
    "tonne = 1000 * kilogram = t",
)


@functools.cache
def unit_registry() -> Any:
    import pint

    registry: Any = pint.UnitRegistry(None)
    for definition in DEFINITIONS:
        registry.define(definition)
    return registry


def to_pint(quantity: Quantity) -> Any:
    """A duration or percentage as a pint Quantity; None for other kinds or no value.

    >>> from claimtrack.model import Quantity
    >>> str(to_pint(Quantity(kind="duration", value=16, unit="week")).to("day"))
    '112 day'
    """
    registry = unit_registry()
    value = quantity.value
    if not isinstance(value, (int, float)):
        return None
    if quantity.kind == "duration" and quantity.unit:
        name = RuleSet.default().time_pint.get(quantity.unit, quantity.unit)
        return registry.Quantity(value, name)
    if quantity.kind == "percent":
        return registry.Quantity(value, "percent")
    return None
