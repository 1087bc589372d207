"""Every rule data file loads, matches its schema, and compiles."""

from __future__ import annotations

from importlib import resources

import pytest

from claimtrack.patterns import build_grammar
from claimtrack.rules import SCHEMA, read_data_file, rules

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
    grammar = build_grammar(rules())
    assert grammar.scan.match("£23m") is not None


def test_an_alias_under_two_keys_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack import rules as rules_module
    from claimtrack.errors import RuleError

    def fake(name: str) -> dict[str, object]:
        return {"before": {"approx": {"aliases": ["about"]}, "at_most": {"aliases": ["about"]}}}

    monkeypatch.setattr(rules_module, "read_data_file", fake)
    with pytest.raises(RuleError, match=r"data/hedges.toml: \[before.at_most\]: alias 'about'"):
        rules_module._hedges()


def test_unknown_qualifier_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack import rules as rules_module
    from claimtrack.errors import RuleError

    monkeypatch.setattr(rules_module, "read_data_file",
                        lambda name: {"before": {"roughly": {"aliases": ["x"]}}})
    with pytest.raises(RuleError, match="unknown qualifier"):
        rules_module._hedges()
