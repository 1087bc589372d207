"""Load the rule data files (claimtrack/data/*.toml) once, into frozen lookup tables.

Every file opens with a comment describing its format. The loader checks each
entry (known keys, aliases a list of strings, no alias under two keys) and
raises RuleError naming the file and entry, so a bad edit fails loudly.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import attrs

from .errors import RuleError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

QUALIFIER_KEYS = ("approx", "more_than", "at_least", "at_most", "less_than")

#: Every data file and the top-level tables it may hold (the schema, used by the tests too).
SCHEMA: dict[str, tuple[str, ...]] = {
    "numbers.toml": ("cardinals", "scales", "abbreviations", "fractions", "magnitudes"),
    "hedges.toml": ("before", "after"),
    "currencies.toml": ("*",),
    "units.toml": ("time", "percent", "points", "rate", "measures", "measure"),
    "dates.toml": ("months", "weekdays", "relative", "parts", "deadline", "since", "month_leads"),
    "nonclaims.toml": ("labels", "name_suffixes", "one_idioms", "one_counts", "vague", "rhetoric"),
    "subjects.toml": ("stopwords", "verbs", "count_nouns", "containers"),
    "attribution.toml": ("speech_verbs", "source_verbs", "source_nouns", "release_words",
                         "referring", "honorifics", "roles", "spokes", "generic", "venues",
                         "bodies"),
    "aliases.toml": ("subjects", "drop", "scope"),
}


def _fail(name: str, where: str, problem: str) -> RuleError:
    return RuleError(f"data/{name}: [{where}]: {problem}")


def read_data_file(name: str) -> dict[str, Any]:
    """Parse one data file of the package, checking its top-level tables."""
    try:
        path = resources.files("claimtrack").joinpath("data").joinpath(name)
        raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except FileNotFoundError as exc:
        raise RuleError(f"data/{name}: missing from the installed package") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"data/{name}: {exc}") from exc
    allowed = SCHEMA[name]
    if "*" not in allowed:
        for key in data:
            if key not in allowed:
                raise _fail(name, key, f"unknown table (expected one of {', '.join(allowed)})")
    return data


def _aliases(name: str, where: str, entry: Any, *, with_key: bool = False,
             key: str = "") -> list[str]:
    if not isinstance(entry, Mapping):
        raise _fail(name, where, "must be a table")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise _fail(name, where, "aliases must be a list of strings")
    words = [key, *aliases] if with_key else list(aliases)
    return [w.lower() for w in words]


def _check_keys(name: str, where: str, entry: Mapping[str, Any], allowed: Iterable[str]) -> None:
    extra = set(entry) - set(allowed)
    if extra:
        raise _fail(name, where, f"unknown key(s) {', '.join(sorted(extra))}")


def _add(table: dict[str, Any], name: str, where: str, alias: str, value: Any) -> None:
    if alias in table and table[alias] != value:
        raise _fail(name, where, f"alias {alias!r} already belongs to another entry")
    table[alias] = value


def _keyed(name: str, section: str, data: Mapping[str, Any], fields: tuple[str, ...],
           *, with_key: bool = True) -> dict[str, Any]:
    """alias -> entry for tables of the form [section.key] {fields..., aliases}."""
    table: dict[str, Any] = {}
    for key, entry in data.get(section, {}).items():
        where = f"{section}.{key}"
        words = _aliases(name, where, entry, with_key=with_key, key=key)
        _check_keys(name, where, entry, (*fields, "aliases"))
        for field in fields:
            if field not in entry and field not in ("scale", "unit", "pint"):
                raise _fail(name, where, f"missing {field}")
        value = (key, {f: entry.get(f) for f in fields})
        for word in words:
            _add(table, name, where, word, value)
    return table


def _flat(name: str, section: str, data: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(_aliases(name, section, data.get(section, {})))


@attrs.frozen
class Rules:
    """All rule data, as lookups from a lower-case phrase to what it means."""

    cardinals: Mapping[str, int]
    scales: Mapping[str, int]
    abbreviations: Mapping[str, int]
    fractions: Mapping[str, float]
    magnitudes: Mapping[str, tuple[int, int]]
    hedges_before: Mapping[str, str]
    hedges_after: Mapping[str, str]
    currency_symbols: Mapping[str, str]
    currency_codes: frozenset[str]
    currency_words: Mapping[str, str]
    currency_minor: Mapping[str, tuple[str, float]]
    time_units: Mapping[str, tuple[str, float]]
    time_pint: Mapping[str, str]
    percent_words: frozenset[str]
    point_words: frozenset[str]
    rates: Mapping[str, str]
    measures: frozenset[str]
    measure_units: Mapping[str, str]
    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    relative: Mapping[str, tuple[str, int]]
    date_parts: frozenset[str]
    deadlines: frozenset[str]
    since_words: frozenset[str]
    month_leads: frozenset[str]
    labels: frozenset[str]
    name_suffixes: frozenset[str]
    one_idioms: tuple[str, ...]
    one_counts: frozenset[str]
    vague: frozenset[str]
    rhetoric: frozenset[str]
    stopwords: frozenset[str]
    verbs: frozenset[str]
    count_nouns: Mapping[str, str]
    containers: frozenset[str]
    speech_verbs: frozenset[str]
    source_verbs: frozenset[str]
    source_nouns: frozenset[str]
    release_words: frozenset[str]
    referring: frozenset[str]
    honorifics: frozenset[str]
    roles: frozenset[str]
    spokes: frozenset[str]
    generic: frozenset[str]
    venues: frozenset[str]
    bodies: frozenset[str]


def _numbers() -> dict[str, Any]:
    name = "numbers.toml"
    data = read_data_file(name)
    out: dict[str, Any] = {}
    for section, field in (("cardinals", "value"), ("scales", "value"), ("abbreviations", "value"),
                           ("fractions", "percent")):
        keyed = _keyed(name, section, data, (field,))
        out[section] = {alias: entry[field] for alias, (_, entry) in keyed.items()}
    magnitudes = _keyed(name, "magnitudes", data, ("low", "high"))
    out["magnitudes"] = {a: (e["low"], e["high"]) for a, (_, e) in magnitudes.items()}
    return out


def _hedges() -> dict[str, Any]:
    name = "hedges.toml"
    data = read_data_file(name)
    out: dict[str, dict[str, str]] = {}
    for side in ("before", "after"):
        table: dict[str, str] = {}
        for qualifier, entry in data.get(side, {}).items():
            where = f"{side}.{qualifier}"
            if qualifier not in QUALIFIER_KEYS:
                raise _fail(name, where, f"unknown qualifier (expected one of {QUALIFIER_KEYS})")
            _check_keys(name, where, entry, ("aliases",))
            for alias in _aliases(name, where, entry):
                _add(table, name, where, alias, qualifier)
        out[side] = table
    return out


def _currencies() -> dict[str, Any]:
    name = "currencies.toml"
    data = read_data_file(name)
    symbols: dict[str, str] = {}
    words: dict[str, str] = {}
    minor: dict[str, tuple[str, float]] = {}
    for code, entry in data.items():
        if not (len(code) == 3 and code.isupper()):
            raise _fail(name, code, "table names must be ISO 4217 codes")
        _check_keys(name, code, entry, ("symbols", "words", "minor"))
        for symbol in entry.get("symbols", []):
            _add(symbols, name, code, symbol.lower(), code)
        for word in entry.get("words", []):
            _add(words, name, code, word.lower(), code)
        for sub in entry.get("minor", []):
            for alias in _aliases(name, f"{code}.minor", {"aliases": sub.get("aliases", [])}):
                _add(minor, name, f"{code}.minor", alias, (code, float(sub["factor"])))
    return {"currency_symbols": symbols, "currency_codes": frozenset(data),
            "currency_words": words, "currency_minor": minor}


def _units() -> dict[str, Any]:
    name = "units.toml"
    data = read_data_file(name)
    time = _keyed(name, "time", data, ("pint", "scale", "unit"), with_key=False)
    rates = _keyed(name, "rate", data, (), with_key=False)
    return {
        "time_units": {a: (e["unit"] or key, float(e["scale"] or 1))
                       for a, (key, e) in time.items()},
        "time_pint": {key: e["pint"] for _, (key, e) in time.items()},
        "percent_words": _flat(name, "percent", data),
        "point_words": _flat(name, "points", data),
        "rates": {alias: key for alias, (key, _) in rates.items()},
        "measures": _flat(name, "measures", data),
        "measure_units": {alias: key for alias, (key, _) in
                          _keyed(name, "measure", data, (), with_key=False).items()},
    }


def _dates() -> dict[str, Any]:
    name = "dates.toml"
    data = read_data_file(name)
    months = _keyed(name, "months", data, (), with_key=False)
    weekdays = _keyed(name, "weekdays", data, (), with_key=False)
    relative = _keyed(name, "relative", data, ("unit", "offset"), with_key=False)
    return {
        "months": {a: int(k) for a, (k, _) in months.items()},
        "weekdays": {a: int(k) for a, (k, _) in weekdays.items()},
        "relative": {a: (e["unit"], int(e["offset"])) for a, (_, e) in relative.items()},
        "date_parts": _flat(name, "parts", data),
        "deadlines": _flat(name, "deadline", data),
        "since_words": _flat(name, "since", data),
        "month_leads": _flat(name, "month_leads", data),
    }


def _nonclaims() -> dict[str, Any]:
    name = "nonclaims.toml"
    data = read_data_file(name)
    idioms = _aliases(name, "one_idioms", data.get("one_idioms", {}))
    return {
        "labels": _flat(name, "labels", data),
        "name_suffixes": _flat(name, "name_suffixes", data),
        "one_idioms": tuple(idioms),
        "one_counts": _flat(name, "one_counts", data),
        "vague": _flat(name, "vague", data),
        "rhetoric": _flat(name, "rhetoric", data),
    }


def _subjects() -> dict[str, Any]:
    name = "subjects.toml"
    data = read_data_file(name)
    nouns = _keyed(name, "count_nouns", data, (), with_key=True)
    return {
        "stopwords": _flat(name, "stopwords", data),
        "verbs": _flat(name, "verbs", data),
        "count_nouns": {alias: key for alias, (key, _) in nouns.items()},
        "containers": _flat(name, "containers", data),
    }


def _attribution() -> dict[str, Any]:
    name = "attribution.toml"
    data = read_data_file(name)
    return {section: _flat(name, section, data) for section in SCHEMA[name]}


@functools.cache
def rules() -> Rules:
    """The built-in rules, loaded on first use and shared (they are immutable)."""
    n = _numbers()
    h = _hedges()
    return Rules(
        cardinals=n["cardinals"], scales=n["scales"], abbreviations=n["abbreviations"],
        fractions=n["fractions"], magnitudes=n["magnitudes"],
        hedges_before=h["before"], hedges_after=h["after"],
        **_currencies(), **_units(), **_dates(), **_nonclaims(), **_subjects(),
        **_attribution(),
    )
