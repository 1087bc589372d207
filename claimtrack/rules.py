"""The rule set: the data files (claimtrack/data/*.toml) and a user's own, as one frozen value.

`RuleSet.load(extra=[...])` reads the package's files, then merges each extra
file into them (the same schema, each table under the name of the file it
extends: `[units.measure.furlong]`; new entries are added, the aliases of an
existing entry extended, its other values replaced), and checks the result
once: known tables and keys, aliases lists of strings, no alias under two
keys. A bad entry raises RuleError naming the file and the entry.
`RuleSet.default()` is the package's rules alone, loaded once.

What a stage compiles from a rule set (the grammar, the attribution patterns)
is cached on it with `RuleSet.memo`, built on first use: rules are passed as a
value, never looked up in a global.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast, get_args

import attrs

from .errors import RuleError
from .model import Hedge

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

QUALIFIER_KEYS: tuple[Hedge, ...] = get_args(Hedge)

#: The word lists of grammar.toml: the small words the figure grammar reads around a figure.
GRAMMAR_TABLES = (
    "leads", "range_heads", "span_heads", "anchor_words", "dateline_labels",
    "multiplier_comparatives", "shift_words", "ratio_determiners", "ratio_adjectives",
    "compared_with", "change_verbs", "future_cues", "future_fillers", "past_verbs",
    "period_leads", "rate_stops", "lead_prepositions", "following_of", "ordinal_leads",
    "fraction_leads", "time_leads", "objects", "demonstratives", "change_before",
    "change_after", "every", "age_nouns", "not_change_before", "year_leads", "duration_leads",
    "age_words", "period_nouns", "anonymous_determiners", "possessive_determiners",
    "name_prepositions", "change_modifiers", "valuing_verbs", "people_verbs", "no_break_after",
    "finding_verbs", "change_fillers",
)

#: The plain word lists of subjects.toml that the clause reader takes as they are.
SUBJECT_LISTS = ("money_complements", "duration_complements", "date_complements", "copulas",
                 "rate_leads", "joiners", "compound_adjectives", "adverbs", "not_adverbs")

#: Every data file and the top-level tables it may hold (the schema, used by the tests too).
SCHEMA: dict[str, tuple[str, ...]] = {
    "numbers.toml": ("cardinals", "scales", "abbreviations", "fractions", "magnitudes"),
    "hedges.toml": ("before", "after"),
    "currencies.toml": ("*",),
    "units.toml": ("time", "percent", "points", "rate", "measures", "measure"),
    "dates.toml": ("months", "weekdays", "relative", "parts", "deadline", "since", "month_leads",
                   "seasons"),
    "nonclaims.toml": ("labels", "name_suffixes", "one_idioms", "one_counts", "vague", "rhetoric",
                       "dial_words",
                       "idioms", "identifiers"),
    "subjects.toml": ("stopwords", "verbs", "count_nouns", "containers", "money_verbs",
                      "participles", "people_measures", *SUBJECT_LISTS),
    "attribution.toml": ("speech_verbs", "source_verbs", "source_nouns", "release_words",
                         "referring", "honorifics", "roles", "spokes", "generic", "venues",
                         "bodies", "unnamed", "wires", "mastheads", "lead_words",
                         "lead_starts", "citing", "adverbs", "data_nouns", "continuations",
                         "saying_times", "audiences", "subordinators", "adverbial_openers",
                         "document_participles", "document_modifiers", "name_particles",
                         "issue_verbs", "intro_verbs", "comment_verbs", "thread_noise",
                         "wire_verbs", "edition_times", "clause_joiners", "by_intros",
                         "company_suffixes", "nameless_labels"),
    "aliases.toml": ("subjects", "drop", "scope"),
    "grammar.toml": GRAMMAR_TABLES,
    "linking.toml": ("words", "contrasts", "suffixes", "rates", "lists", "design", "weights",
                     "thresholds"),
}

#: The data files a rule set is built from. aliases.toml is the comparison's subject
#: lexicon, extended with `--aliases FILE`, not with a rule file; linking.toml holds the
#: comparison's weights and word classes (claimtrack/compare).
RULE_FILES = tuple(name for name in SCHEMA if name not in ("aliases.toml", "linking.toml"))

#: Sub-tables of [stopwords] and [verbs] in subjects.toml: the word classes of nouns.py.
WORD_CLASSES = {"stopwords": ("prepositions", "clause", "pronouns", "modifiers"),
                "verbs": ("lexical", "auxiliaries", "generic")}

T = TypeVar("T")


@attrs.frozen
class _Source:
    """Where rule data came from, for error messages: 'data/hedges.toml: [before.x]' for
    the package's files, 'my_rules.toml: [hedges.before.x]' for a user's file."""

    label: str
    prefix: str = ""

    def fail(self, where: str, problem: str) -> RuleError:
        return RuleError(f"{self.label}: [{self.prefix}{where}]: {problem}")


def _parse(label: str, raw: str) -> dict[str, Any]:
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{label}: {exc}") from exc


def _check_tables(source: _Source, name: str, data: Mapping[str, Any]) -> None:
    allowed = SCHEMA[name]
    if "*" in allowed:
        return
    for key in data:
        if key not in allowed:
            raise source.fail(key, f"unknown table (expected one of {', '.join(allowed)})")


def read_data_file(name: str) -> dict[str, Any]:
    """Parse one data file of the package, checking its top-level tables."""
    try:
        path = resources.files("claimtrack").joinpath("data").joinpath(name)
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RuleError(f"data/{name}: missing from the installed package") from exc
    data = _parse(f"data/{name}", raw)
    _check_tables(_Source(f"data/{name}"), name, data)
    return data


def _aliases(source: _Source, where: str, entry: Any, *, with_key: bool = False,
             key: str = "") -> list[str]:
    if not isinstance(entry, Mapping):
        raise source.fail(where, "must be a table")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise source.fail(where, "aliases must be a list of strings")
    words = [key, *aliases] if with_key else list(aliases)
    return [w.lower() for w in words]


def _check_keys(source: _Source, where: str, entry: Mapping[str, Any],
                allowed: Iterable[str]) -> None:
    extra = set(entry) - set(allowed)
    if extra:
        raise source.fail(where, f"unknown key(s) {', '.join(sorted(extra))}")


def _add(source: _Source, table: dict[str, Any], where: str, alias: str, value: Any) -> None:
    if alias in table and table[alias] != value:
        raise source.fail(where, f"alias {alias!r} already belongs to another entry")
    table[alias] = value


def _keyed(source: _Source, section: str, data: Mapping[str, Any], fields: tuple[str, ...],
           *, with_key: bool = True, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """alias -> (key, entry) for tables of the form [section.key] {fields..., aliases}."""
    table: dict[str, Any] = {}
    for key, entry in data.get(section, {}).items():
        where = f"{section}.{key}"
        words = _aliases(source, where, entry, with_key=with_key, key=key)
        _check_keys(source, where, entry, (*fields, *optional, "aliases"))
        for field in fields:
            if field not in entry:
                raise source.fail(where, f"missing {field}")
        value = (key, {f: entry.get(f) for f in (*fields, *optional)})
        for word in words:
            _add(source, table, where, word, value)
    return table


def _flat(source: _Source, section: str, data: Mapping[str, Any],
          subtables: tuple[str, ...] = ()) -> frozenset[str]:
    """A plain word list: [section] aliases = [...] (and nothing else but `subtables`)."""
    entry = data.get(section, {})
    words = _aliases(source, section, entry)
    _check_keys(source, section, entry, ("aliases", *subtables))
    return frozenset(words)


def _number(source: _Source, where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise source.fail(where, f"must be a number, not {value!r}")
    return value


@attrs.frozen(eq=False)
class RuleSet:
    """All rule data, as lookups from a lower-case phrase to what it means.

    Compared and hashed by identity: a rule set is a cache key (`memo`), and two
    loads of the same files are two rule sets.
    """

    sources: tuple[str, ...]  # the files it was loaded from, package data first
    cardinals: Mapping[str, int]
    scales: Mapping[str, int]
    abbreviations: Mapping[str, int]
    fractions: Mapping[str, float]
    magnitudes: Mapping[str, tuple[int, int]]
    hedges_before: Mapping[str, Hedge]
    hedges_after: Mapping[str, Hedge]
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
    seasons: Mapping[str, tuple[int, int]]
    date_parts: frozenset[str]
    deadlines: frozenset[str]
    since_words: frozenset[str]
    month_leads: frozenset[str]
    labels: frozenset[str]
    name_suffixes: frozenset[str]
    one_idioms: tuple[str, ...]
    idioms: frozenset[str]
    identifiers: frozenset[str]
    dial_words: frozenset[str]  # before a telephone number: "call 101"
    one_counts: frozenset[str]
    vague: frozenset[str]
    rhetoric: frozenset[str]
    stopwords: frozenset[str]
    verbs: frozenset[str]
    word_classes: Mapping[str, frozenset[str]]  # subjects.toml [stopwords.*], [verbs.*], lists
    count_nouns: Mapping[str, str]
    containers: frozenset[str]
    money_verbs: Mapping[str, str]
    participles: Mapping[str, str]  # irregular forms of a verb -> its past participle
    people_measures: frozenset[str]
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
    unnamed: frozenset[str]
    wires: frozenset[str]
    mastheads: frozenset[str]
    lead_words: frozenset[str]
    lead_starts: frozenset[str]
    citing: frozenset[str]
    adverbs: frozenset[str]
    data_nouns: frozenset[str]
    continuations: frozenset[str]
    saying_times: frozenset[str]
    audiences: frozenset[str]
    subordinators: frozenset[str]
    adverbial_openers: frozenset[str]
    document_participles: frozenset[str]
    document_modifiers: frozenset[str]
    name_particles: frozenset[str]
    company_suffixes: frozenset[str]
    nameless_labels: frozenset[str]
    issue_verbs: frozenset[str]
    intro_verbs: frozenset[str]
    comment_verbs: frozenset[str]
    thread_noise: frozenset[str]
    wire_verbs: frozenset[str]
    edition_times: frozenset[str]
    clause_joiners: frozenset[str]
    by_intros: frozenset[str]
    words: Mapping[str, frozenset[str]]  # grammar.toml: table -> its words
    _memo: dict[Any, Any] = attrs.field(factory=dict, init=False, repr=False)

    @classmethod
    def load(cls, extra: Iterable[str | os.PathLike[str]] = ()) -> RuleSet:
        """The package's rules, extended by each file of `extra` in turn."""
        data = {name: read_data_file(name) for name in RULE_FILES}
        rule_set = _build(data, {name: _Source(f"data/{name}") for name in RULE_FILES}, ())
        sources: tuple[str, ...] = ()
        for path in extra:
            label = os.fspath(path)
            user = _read_user_file(Path(path))
            for stem, tables in user.items():
                name = f"{stem}.toml"
                data[name] = _merge(data[name], tables)
            sources = (*sources, label)
            rule_set = _build(data, {name: _Source(label, f"{name.removesuffix('.toml')}.")
                                     for name in RULE_FILES}, sources)
        return rule_set

    @staticmethod
    @functools.cache
    def default() -> RuleSet:
        """The package's rules, loaded on first use and shared (they are immutable)."""
        return RuleSet.load()

    def memo(self, build: Callable[[RuleSet], T]) -> T:
        """What `build` makes of this rule set, built once (compiled patterns, word classes)."""
        try:
            return self._memo[build]  # type: ignore[no-any-return]
        except KeyError:
            return self._memo.setdefault(build, build(self))  # type: ignore[no-any-return]

    def word_list(self, table: str) -> frozenset[str]:
        """A word list of grammar.toml."""
        return self.words[table]

    @property
    def currency_signs(self) -> str:
        """The characters that open a currency symbol ('$' of 'US$', '£'), one each."""
        return self.memo(_currency_signs)


def _currency_signs(rules: RuleSet) -> str:
    return "".join(sorted({s.lstrip("abcdefghijklmnopqrstuvwxyz")[:1]
                           for s in rules.currency_symbols} - {""}))


def _read_user_file(path: Path) -> dict[str, dict[str, Any]]:
    label = os.fspath(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{label}: cannot read the rule file ({exc.__class__.__name__})") from exc
    data = _parse(label, raw)
    stems = tuple(name.removesuffix(".toml") for name in RULE_FILES)
    for stem, tables in data.items():
        if stem not in stems:
            raise RuleError(f"{label}: [{stem}]: unknown table (expected one of "
                            f"{', '.join(stems)}: the data file it extends)")
        if not isinstance(tables, dict):
            raise RuleError(f"{label}: [{stem}]: must be a table")
        _check_tables(_Source(label, f"{stem}."), f"{stem}.toml", tables)
    return data


def _merge(base: Any, extra: Any) -> Any:
    """extra merged into base: tables recursively, lists extended, other values replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return [*base, *(item for item in extra if item not in base)]
    return extra


def _build(data: Mapping[str, dict[str, Any]], where: Mapping[str, _Source],
           sources: tuple[str, ...]) -> RuleSet:
    files = ("data", *sources)
    return RuleSet(
        sources=files,
        **_numbers(data["numbers.toml"], where["numbers.toml"]),
        **_hedges(data["hedges.toml"], where["hedges.toml"]),
        **_currencies(data["currencies.toml"], where["currencies.toml"]),
        **_units(data["units.toml"], where["units.toml"]),
        **_dates(data["dates.toml"], where["dates.toml"]),
        **_nonclaims(data["nonclaims.toml"], where["nonclaims.toml"]),
        **_subjects(data["subjects.toml"], where["subjects.toml"]),
        **_attribution(data["attribution.toml"], where["attribution.toml"]),
        words={table: _flat(where["grammar.toml"], table, data["grammar.toml"])
               for table in GRAMMAR_TABLES},
    )


def _numbers(data: Mapping[str, Any], source: _Source) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, field in (("cardinals", "value"), ("scales", "value"), ("abbreviations", "value"),
                           ("fractions", "percent")):
        keyed = _keyed(source, section, data, (field,))
        out[section] = {alias: _number(source, f"{section}.{key}.{field}", entry[field])
                        for alias, (key, entry) in keyed.items()}
    magnitudes = _keyed(source, "magnitudes", data, ("low", "high"))
    out["magnitudes"] = {a: (e["low"], e["high"]) for a, (_, e) in magnitudes.items()}
    return out


def _hedges(data: Mapping[str, Any], source: _Source) -> dict[str, Any]:
    out: dict[str, dict[str, Hedge]] = {}
    for side in ("before", "after"):
        table: dict[str, Hedge] = {}
        for qualifier, entry in data.get(side, {}).items():
            where = f"{side}.{qualifier}"
            if qualifier not in QUALIFIER_KEYS:
                raise source.fail(where, f"unknown qualifier (expected one of {QUALIFIER_KEYS})")
            for alias in _aliases(source, where, entry):
                _add(source, table, where, alias, cast(Hedge, qualifier))
            _check_keys(source, where, entry, ("aliases",))
        out[f"hedges_{side}"] = table
    return out


def _word_list(source: _Source, where: str, entry: Mapping[str, Any], key: str) -> list[str]:
    words = entry.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise source.fail(where, f"{key} must be a list of strings")
    return words


def _currencies(data: Mapping[str, Any], source: _Source) -> dict[str, Any]:
    symbols: dict[str, str] = {}
    words: dict[str, str] = {}
    minor: dict[str, tuple[str, float]] = {}
    for code, entry in data.items():
        if not (len(code) == 3 and code.isupper() and code.isalpha()):
            raise source.fail(code, "table names must be ISO 4217 codes")
        if not isinstance(entry, Mapping):
            raise source.fail(code, "must be a table")
        _check_keys(source, code, entry, ("symbols", "words", "minor"))
        for symbol in _word_list(source, code, entry, "symbols"):
            if not symbol or symbol[-1].isalnum():
                raise source.fail(code, f"symbol {symbol!r} must end in a sign, not a letter")
            _add(source, symbols, code, symbol.lower(), code)
        for word in _word_list(source, code, entry, "words"):
            _add(source, words, code, word.lower(), code)
        subunits = entry.get("minor", [])
        if not isinstance(subunits, list):
            raise source.fail(f"{code}.minor", "must be a list of tables")
        for sub in subunits:
            where = f"{code}.minor"
            if not isinstance(sub, Mapping) or "factor" not in sub:
                raise source.fail(where, "each entry needs aliases and a factor")
            _check_keys(source, where, sub, ("aliases", "factor"))
            factor = float(_number(source, where, sub["factor"]))
            for alias in _aliases(source, where, sub):
                _add(source, minor, where, alias, (code, factor))
    return {"currency_symbols": symbols, "currency_codes": frozenset(data),
            "currency_words": words, "currency_minor": minor}


def _units(data: Mapping[str, Any], source: _Source) -> dict[str, Any]:
    time = _keyed(source, "time", data, (), with_key=False, optional=("pint", "scale", "unit"))
    rates = _keyed(source, "rate", data, (), with_key=False)
    return {
        "time_units": {a: (e["unit"] or key, float(e["scale"] or 1))
                       for a, (key, e) in time.items()},
        "time_pint": {key: e["pint"] or key for _, (key, e) in time.items()},
        "percent_words": _flat(source, "percent", data),
        "point_words": _flat(source, "points", data),
        "rates": {alias: key for alias, (key, _) in rates.items()},
        "measures": _flat(source, "measures", data),
        "measure_units": {alias: key for alias, (key, _) in
                          _keyed(source, "measure", data, (), with_key=False).items()},
    }


def _dates(data: Mapping[str, Any], source: _Source) -> dict[str, Any]:
    months = _keyed(source, "months", data, (), with_key=False)
    weekdays = _keyed(source, "weekdays", data, (), with_key=False)
    relative = _keyed(source, "relative", data, ("unit", "offset"), with_key=False)
    seasons = _keyed(source, "seasons", data, ("start", "end"), with_key=False)
    return {
        "months": {a: int(k) for a, (k, _) in months.items()},
        "weekdays": {a: int(k) for a, (k, _) in weekdays.items()},
        "relative": {a: (e["unit"], int(e["offset"])) for a, (_, e) in relative.items()},
        "seasons": {a: (int(e["start"]), int(e["end"])) for a, (_, e) in seasons.items()},
        "date_parts": _flat(source, "parts", data),
        "deadlines": _flat(source, "deadline", data),
        "since_words": _flat(source, "since", data),
        "month_leads": _flat(source, "month_leads", data),
    }


def _nonclaims(data: Mapping[str, Any], source: _Source) -> dict[str, Any]:
    idioms = _aliases(source, "one_idioms", data.get("one_idioms", {}))
    return {
        "labels": _flat(source, "labels", data),
        "name_suffixes": _flat(source, "name_suffixes", data),
        "one_idioms": tuple(idioms),
        "one_counts": _flat(source, "one_counts", data),
        "vague": _flat(source, "vague", data),
        "rhetoric": _flat(source, "rhetoric", data),
        "idioms": _flat(source, "idioms", data),
        "identifiers": _flat(source, "identifiers", data),
        "dial_words": _flat(source, "dial_words", data),
    }


def _subjects(data: Mapping[str, Any], source: _Source) -> dict[str, Any]:
    nouns = _keyed(source, "count_nouns", data, (), with_key=True)
    stopwords = _flat(source, "stopwords", data, WORD_CLASSES["stopwords"])
    classes: dict[str, frozenset[str]] = {}
    for table, subs in WORD_CLASSES.items():
        for sub in subs:
            entry = data.get(table, {}).get(sub, {})
            classes[sub] = frozenset(_aliases(source, f"{table}.{sub}", entry))
            if table == "stopwords" and classes[sub] - stopwords:
                raise source.fail(f"{table}.{sub}",
                                  f"not stopwords: {sorted(classes[sub] - stopwords)[:3]}")
    for table in SUBJECT_LISTS:
        classes[table] = _flat(source, table, data)
    return {
        "stopwords": stopwords,
        "verbs": _flat(source, "verbs", data, WORD_CLASSES["verbs"]),
        "word_classes": classes,
        "count_nouns": {alias: key for alias, (key, _) in nouns.items()},
        "containers": _flat(source, "containers", data),
        "money_verbs": {alias: key for alias, (key, _) in
                        _keyed(source, "money_verbs", data, (), with_key=False).items()},
        "participles": {alias: key for alias, (key, _) in
                        _keyed(source, "participles", data, (), with_key=False).items()},
        "people_measures": _flat(source, "people_measures", data),
    }


def _attribution(data: Mapping[str, Any], source: _Source) -> dict[str, Any]:
    return {section: _flat(source, section, data) for section in SCHEMA["attribution.toml"]}
