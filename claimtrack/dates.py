"""Absolute and relative dates, as ISO 8601 strings as precise as the text."""

from __future__ import annotations

import calendar
import datetime as dt


def iso_day(year: int, month: int, day: int) -> str | None:
    """'2016-02-29', or None when the day does not exist."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def expand_year(short: str, century_of: int) -> int:
    """The second year of '2014-15': 15 in the century of 2014, rolled over at 99 -> 00."""
    value = int(short)
    if len(short) >= 4:
        return value
    century = century_of - century_of % 100
    year = century + value
    return year + 100 if year < century_of else year


def infer_year(month: int, day: int | None, reference: dt.date | None) -> int | None:
    """The year of a day written without one ('29th Feb'): the reference date's year."""
    if reference is None:
        return None
    return reference.year


def shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def resolve_relative_date(unit: str, offset: int, reference: dt.date) -> str | None:
    """'last year' (year, -1) against 2016-02-26 -> '2015'; 'yesterday' -> '2016-02-25'.

    A week is given as the day of its Monday: ISO week strings are not what a
    reader searches for, and the contract allows day precision. None past the ends
    of the calendar (years 1 to 9999): 'tomorrow' of 9999-12-31 is no date.
    """
    try:
        if unit == "day":
            return (reference + dt.timedelta(days=offset)).isoformat()
        if unit == "week":
            monday = reference - dt.timedelta(days=reference.weekday())
            return (monday + dt.timedelta(weeks=offset)).isoformat()
    except OverflowError:
        return None
    if unit == "month":
        year, month = shift_months(reference.year, reference.month, offset)
        return iso_month(year, month) if _in_calendar(year) else None
    year = reference.year + offset
    return f"{year:04d}" if _in_calendar(year) else None


def _in_calendar(year: int) -> bool:
    return dt.MINYEAR <= year <= dt.MAXYEAR


def resolve_weekday(weekday: int, reference: dt.date, *, future: bool) -> str | None:
    """'on Thursday' in a piece written on Friday 2016-02-26 -> '2016-02-25'.

    Past tense reaches back to the latest such day (the same day counts);
    future tense reaches forward to the next one. None past the ends of the calendar.
    """
    try:
        if future:
            delta = (weekday - reference.weekday()) % 7 or 7
            return (reference + dt.timedelta(days=delta)).isoformat()
        delta = (reference.weekday() - weekday) % 7
        return (reference - dt.timedelta(days=delta)).isoformat()
    except OverflowError:
        return None


def shift_iso(value: str, unit: str, amount: int) -> str | None:
    """Move an ISO date string by whole units, keeping its precision.

    'one year earlier' than '2015-09' -> '2014-09'.
    """
    parts = value.split("-")
    try:
        year = int(parts[0])
        if unit == "year":
            if not _in_calendar(year + amount):
                return None
            parts[0] = f"{year + amount:04d}"
            if len(parts) == 3:
                month = int(parts[1])
                day = min(int(parts[2]), calendar.monthrange(year + amount, month)[1])
                parts[2] = f"{day:02d}"
            return "-".join(parts)
        if unit == "month" and len(parts) >= 2:
            y, m = shift_months(year, int(parts[1]), amount)
            if not _in_calendar(y):
                return None
            if len(parts) == 2:
                return iso_month(y, m)
            day = min(int(parts[2]), calendar.monthrange(y, m)[1])
            return iso_day(y, m, day)
        if unit in ("day", "week") and len(parts) == 3:
            days = amount * (7 if unit == "week" else 1)
            base = dt.date(year, int(parts[1]), int(parts[2]))
            return (base + dt.timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):  # no such day, or past the ends of the calendar
        return None
    return None


def parse_iso_date(text: str) -> dt.date:
    """A YYYY-MM-DD option value as a date; ValueError names what is wrong."""
    return dt.date.fromisoformat(text)
