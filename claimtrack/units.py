"""The pint registry, built once on first use (it is the slowest thing to import)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .rules import rules

if TYPE_CHECKING:
    from .model import Quantity


@functools.cache
def unit_registry() -> Any:
    import pint

    return pint.UnitRegistry()


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
        name = rules().time_pint.get(quantity.unit, quantity.unit)
        return registry.Quantity(value, name)
    if quantity.kind == "percent":
        return registry.Quantity(value, "percent")
    return None
