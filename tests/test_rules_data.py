"""Every rule data file loads, matches its schema, and compiles; a user's rule files
extend the package's rules and are checked as strictly."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from claimtrack import RuleSet, extract
from claimtrack.errors import RuleError
from claimtrack.patterns import build_grammar, grammar
from claimtrack.rules import SCHEMA, read_data_file

DATA = resources.files("claimtrack").joinpath("data")


def test_every_data_file_is_in_the_schema() -> None:
    names = {p.name for p in DATA.iterdir() if p.name.endswith(".toml")}
    assert names == set(SCHEMA)


@pytest.mark.parametrize("name", sorted(SCHEMA))
def test_data_file_loads_and_opens_with_a_format_comment(name: str) -> None:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    assert text.startswith("#"), f"{name} must open with a comment describing its format"
    read_data_file(name)


def test_rules_build_a_grammar() -> None:
    g = build_grammar(RuleSet.default())
    assert g.scan.match("£23m") is not None


def test_the_default_rule_set_is_loaded_once_and_its_grammar_compiled_once() -> None:
    rules = RuleSet.default()
    assert RuleSet.default() is rules
    assert grammar(rules) is grammar(rules)


def test_every_word_list_of_the_grammar_file_is_used() -> None:
    from claimtrack.rules import GRAMMAR_TABLES

    assert set(read_data_file("grammar.toml")) == set(GRAMMAR_TABLES)
    assert all(RuleSet.default().word_list(table) for table in GRAMMAR_TABLES)


def _rule_file(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(RuleError) as info:
        RuleSet.load(extra=[_rule_file(tmp_path, text)])
    return str(info.value)


def test_an_alias_under_two_keys_is_refused(tmp_path: Path) -> None:
    message = _error(tmp_path, '[hedges.before.at_most]\naliases = ["about"]\n')
    assert message.startswith(f"{tmp_path / 'mine.toml'}: [hedges.before.at_most]: alias 'about'")


@pytest.mark.parametrize(("text", "problem"), [
    ('[hedges.before.roughly]\naliases = ["x"]\n', "[hedges.before.roughly]: unknown qualifier"),
    ('[hedges.before.approx]\naliases = "x"\n', "[hedges.before.approx]: aliases must be a list"),
    ('[numbers.cardinals.dozenish]\nvalu = 12\n', "[numbers.cardinals.dozenish]: unknown key"),
    ('[numbers.cardinals.dozenish]\nvalue = "12"\n', "must be a number"),
    ("[numbers.fraction]\n", "[numbers.fraction]: unknown table"),
    ("[unitz.percent]\n", "[unitz]: unknown table"),
    ("[aliases.subjects]\n", "[aliases]: unknown table"),
    ('[currencies.Euro]\nsymbols = ["E"]\n', "[currencies.Euro]: table names must be ISO 4217"),
    ('[currencies.CHF]\nsymbols = "₣"\n', "[currencies.CHF]: symbols must be a list of strings"),
    ('[currencies.CHF]\nminor = [{ aliases = ["rappen"] }]\n', "needs aliases and a factor"),
    ('[nonclaims.labels]\nalias = ["pier"]\n', "[nonclaims.labels]: unknown key(s) alias"),
    ("[units.percent\n", "Expected ']'"),
])
def test_a_bad_entry_names_its_file_and_entry(tmp_path: Path, text: str, problem: str) -> None:
    message = _error(tmp_path, text)
    assert message.startswith(str(tmp_path / "mine.toml"))
    assert problem in message


def test_a_missing_rule_file_is_a_rule_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="cannot read the rule file"):
        RuleSet.load(extra=[tmp_path / "nowhere.toml"])


def test_a_user_file_adds_a_currency_sign_and_a_unit_word(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, """
[currencies.NGN]
symbols = ["₦"]
words = ["naira"]

[units.measure.furlong]
aliases = ["furlong", "furlongs"]

[nonclaims.labels]
aliases = ["pier"]
""")
    rules = RuleSet.load(extra=[path])
    assert rules.sources == ("data", str(path))
    [money] = extract("The fare rose to ₦5,000 this week.", rules=rules)
    assert (money.quantity.kind, money.quantity.value, money.quantity.unit) == (
        "money", 5000, "NGN")
    [race] = extract("The race is run over 8 furlongs.", rules=rules)
    assert (race.quantity.kind, race.quantity.value, race.quantity.unit) == (
        "quantity", 8, "furlong")
    assert extract("The ferry tied up at Pier 39.", rules=rules) == []
    # the package's rules are untouched
    assert [c.quantity.kind for c in extract("The fare rose to ₦5,000 this week.")] == ["count"]
    assert len(extract("The ferry tied up at Pier 39.")) == 1


def test_a_user_file_extends_an_existing_entry(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, '[hedges.before.approx]\naliases = ["in the region of"]\n')
    [claim] = extract("Repairs cost in the region of £40,000.", rules=RuleSet.load(extra=[path]))
    assert claim.text == "in the region of £40,000"
    assert claim.quantity.qualifier == "approx"
