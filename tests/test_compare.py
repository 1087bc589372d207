"""Comparison: the fixture documents give exactly the planted findings; interval logic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimtrack import extract
from claimtrack.aliases import Lexicon, learn_acronyms, load_aliases
from claimtrack.cli import main, report_main
from claimtrack.comparison import (
    claim_key,
    compare,
    disagree,
    figure,
    half_unit,
    same_figure,
)
from claimtrack.errors import InputError
from claimtrack.model import Attribution, Claim, Finding, Quantity, finding_to_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "compare"
ALIASES = FIXTURES / "aliases.toml"


def _claim(text: str, kind: str = "count", value: float | str | None = None, *,
           doc: str = "a.txt", qualifier: str = "exact", unit: str | None = None,
           per: str | None = None, subject: str | None = "probation trusts",
           low: float | None = None, high: float | None = None,
           sentence: str | None = None, start: int = 0) -> Claim:
    quantity = Quantity(kind=kind, value=value, low=low, high=high, qualifier=qualifier,
                        unit=unit, per=per)
    return Claim(doc=doc, start=start, end=start + len(text), text=text, quantity=quantity,
                 subject=subject, attribution=Attribution(),
                 sentence=sentence if sentence is not None else f"There were {text} {subject}.")


def _fig(text: str, kind: str = "count", value: float | str | None = None, **kw: object) -> object:
    found = figure(_claim(text, kind, value, **kw))  # type: ignore[arg-type]
    assert found is not None
    return found


# ---------------------------------------------------------------- the fixtures


Signature = set[tuple[str, frozenset[tuple[str, int, str]]]]


def _signature(records: list[dict[str, object]]) -> Signature:
    out = set()
    for record in records:
        claims = record["claims"]
        assert isinstance(claims, list)
        out.add((str(record["kind"]), frozenset(
            (Path(str(c["doc"])).name, int(c["start"]), str(c["text"])) for c in claims)))
    return out


def test_fixture_findings_are_exactly_the_planted_ones(capsys: pytest.CaptureFixture[str]) -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    assert main(["compare", "--format", "json", "--aliases", str(ALIASES), str(FIXTURES)]) == 0
    found = json.loads(capsys.readouterr().out)
    missing = _signature(expected) - _signature(found)
    false = _signature(found) - _signature(expected)
    assert not missing, f"planted findings not reported: {sorted(missing)}"
    assert not false, f"false findings: {sorted(false)}"


def test_finding_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    main(["compare", "--format", "json", "--only", "conflicts", str(FIXTURES)])
    findings = json.loads(capsys.readouterr().out)
    assert findings and all(f["kind"] == "conflict" for f in findings)
    for f in findings:
        assert set(f) == {"kind", "key", "claims", "explanation", "severity"}
        assert "\n" not in f["explanation"]
        for c in f["claims"]:
            text = Path(c["doc"]).read_text(encoding="utf-8")
            assert text[c["start"]:c["end"]] == c["text"]


def test_without_the_lexicon_the_spelled_out_name_is_not_matched(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["compare", "--format", "json", "--only", "repeats", str(FIXTURES)])
    repeats = json.loads(capsys.readouterr().out)
    hubs = [f for f in repeats if f["key"].startswith("crh|")]
    assert len(hubs) == 1
    assert {Path(c["doc"]).name for c in hubs[0]["claims"]} == {
        "courier_2023-05-10.txt", "trust_release_2023-05-12.txt"}


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_claim_report_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert report_main(["--format", fmt, "--aliases", str(ALIASES), str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        report = json.loads(out)[0]
        assert {"claims", "findings"} <= set(report)
        assert report["claims"][0].keys() == {"subject", "value", "qualifier", "document",
                                              "speaker", "source", "date"}
    else:
        assert "paramedic vacancy" in out
        assert "cannot both hold" in out


def test_claim_report_groups_claims_by_subject(capsys: pytest.CaptureFixture[str]) -> None:
    report_main(["--format", "json", str(FIXTURES)])
    subjects = [c["subject"].lower() for c in json.loads(capsys.readouterr().out)[0]["claims"]]
    assert subjects == sorted(subjects)


@pytest.mark.parametrize("text, line", [
    ('[crc]\naliases = ["CRC"\n', 2),
    ('[crc]\naliases = "CRC"\n', 1),
    ('[ok]\naliases = []\n[crc]\nnames = ["CRC"]\n', 3),
])
def test_malformed_aliases_file_is_one_line_naming_file_and_line(
        tmp_path: Path, text: str, line: int, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    assert main(["compare", "--aliases", str(bad), str(FIXTURES)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{bad}:{line}:" in err
    assert report_main(["--aliases", str(bad), str(FIXTURES)]) == 2


def test_missing_aliases_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read aliases file"):
        load_aliases(tmp_path / "none.toml")


# ---------------------------------------------------------------- intervals


def test_stated_precision() -> None:
    assert half_unit("1.2", 1.2e9) == pytest.approx(0.05e9)
    assert half_unit("250,000", 250000) == 5000
    assert half_unit("35", 35) == 0.5
    assert half_unit("400,000", 400000) == 40000  # a round number's band is capped at 10%
    assert half_unit(None, 5) == 0.5  # "five"


def test_adjacent_integers_conflict_and_rounding_does_not() -> None:
    assert disagree(_fig("35", value=35), _fig("36", value=36))  # type: ignore[arg-type]
    assert not disagree(_fig("£1.2bn", "money", 1.2e9, unit="GBP"),  # type: ignore[arg-type]
                        _fig("£1.24bn", "money", 1.24e9, unit="GBP"))
    assert same_figure(_fig("£1.2bn", "money", 1.2e9, unit="GBP"),  # type: ignore[arg-type]
                       _fig("£1,200m", "money", 1.2e9, unit="GBP"))
    assert disagree(_fig("£1.2bn", "money", 1.2e9, unit="GBP"),  # type: ignore[arg-type]
                    _fig("£1.3bn", "money", 1.3e9, unit="GBP"))


def test_hedges_widen_or_open_the_interval() -> None:
    around = _fig("around 250", value=250, qualifier="approx")
    assert not disagree(around, _fig("262", value=262))  # type: ignore[arg-type]
    assert disagree(around, _fig("310", value=310))  # type: ignore[arg-type]
    more = _fig("more than 40 per cent", "percent", 40, qualifier="more_than")
    assert not disagree(more, _fig("42%", "percent", 42))  # type: ignore[arg-type]
    assert disagree(more, _fig("35%", "percent", 35))  # type: ignore[arg-type]
    assert not disagree(more, _fig("40%", "percent", 40))  # type: ignore[arg-type]
    assert not same_figure(more, _fig("42%", "percent", 42))  # type: ignore[arg-type]


def test_ranges_and_vague_amounts() -> None:
    weeks = _fig("12-16 weeks", "duration", None, low=12, high=16, qualifier="range", unit="week")
    assert not disagree(weeks, _fig("14 weeks", "duration", 14, unit="week"))  # type: ignore[arg-type]
    assert disagree(weeks, _fig("6 months", "duration", 6, unit="month"))  # type: ignore[arg-type]
    hundreds = _fig("hundreds", value=None, low=200, high=999, qualifier="approx")
    assert disagree(hundreds, _fig("50", value=50))  # type: ignore[arg-type]
    assert not same_figure(hundreds, hundreds)  # type: ignore[arg-type]


def test_durations_are_converted_with_pint() -> None:
    weeks = _fig("16 weeks", "duration", 16, unit="week")
    months = _fig("4 months", "duration", 4, unit="month")
    assert same_figure(weeks, months) and not disagree(weeks, months)  # type: ignore[arg-type]
    assert disagree(_fig("2 years", "duration", 2, unit="year"),  # type: ignore[arg-type]
                    _fig("3 years", "duration", 3, unit="year"))


def test_dates_repeat_at_another_precision_and_never_conflict() -> None:
    year, month = _fig("2014", "date", "2014"), _fig("June 2014", "date", "2014-06")
    assert same_figure(year, month)  # type: ignore[arg-type]
    a = _claim("2014", "date", "2014", doc="a.txt", subject="CRCs formed")
    b = _claim("2015", "date", "2015", doc="b.txt", subject="CRCs formed")
    assert compare([a, b]) == []


# ---------------------------------------------------------------- keys and scope


def test_key_normalises_the_subject() -> None:
    key = claim_key(_claim("35", value=35, subject="the former probation trusts",
                           unit="probation trust"))
    assert key is not None and key.subject == "probation trust" and key.kind == "count"


def test_personal_average_and_national_are_different_scopes() -> None:
    mine = _claim("70", value=70, subject="caseload", sentence="My caseload of 70 is too high.")
    average = _claim("around 25", value=25, qualifier="approx", subject="caseload", doc="b.txt",
                     sentence="The national average caseload of around 25 is lower.")
    keys = [claim_key(c) for c in (mine, average)]
    assert keys[0] is not None and keys[1] is not None
    assert keys[0].block() != keys[1].block()
    assert compare([mine, average]) == []


def test_a_rate_is_never_compared_with_a_stock() -> None:
    a = _claim("250,000", value=250000, subject="offenders", unit="offender", per="year")
    b = _claim("100,000", value=100000, subject="offenders", unit="offender", doc="b.txt")
    assert compare([a, b]) == []


def test_different_years_are_not_compared() -> None:
    a = _claim("2021", "date", "2021", sentence="In 2021 there were 310,000 emergency calls.")
    b = _claim("310,000", value=310000, subject="emergency calls", unit="emergency call",
               sentence=a.sentence, start=20)
    c = _claim("2022", "date", "2022", doc="b.txt",
               sentence="In 2022 there were 345,000 emergency calls.")
    d = _claim("345,000", value=345000, subject="emergency calls", unit="emergency call",
               doc="b.txt", sentence=c.sentence, start=20)
    assert compare([a, b, c, d]) == []
    e = attrs_evolve(d, doc="c.txt", sentence="There were 345,000 emergency calls.")
    assert [f.kind for f in compare([b, e])] == ["conflict"]


def attrs_evolve(claim: Claim, **changes: object) -> Claim:
    import attrs

    return attrs.evolve(claim, **changes)


def test_places_named_keep_figures_apart() -> None:
    a = _claim("12", value=12, subject="ambulance stations", unit="ambulance station",
               sentence="In Eastport the trust runs 12 ambulance stations.")
    b = attrs_evolve(a, doc="b.txt", text="9", end=1, quantity=Quantity(
        kind="count", value=9, unit="ambulance station"),
        sentence="In Westfield the trust runs 9 ambulance stations.")
    assert compare([a, b]) == []


def test_acronyms_are_learned_from_the_text() -> None:
    lexicon = learn_acronyms("The 21 community rehabilitation companies (CRCs) took over.")
    assert lexicon.canonical(("community", "rehabilitation", "company")) == ("crc",)
    assert lexicon.canonical(("crc",)) == ("crc",)
    assert not learn_acronyms("They met (at last) in the (NEW) hall.").phrases


def test_user_lexicon_maps_names_to_one_subject(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('[crc]\naliases = ["community rehabilitation company", '
                    '"privatised probation firm"]\n', encoding="utf-8")
    lexicon = load_aliases(path)
    assert isinstance(lexicon, Lexicon)
    assert lexicon.canonical(("privatised", "probation", "firm")) == ("crc",)
    a = _claim("21", value=21, subject="privatised probation firms",
               unit="privatised probation firm")
    b = _claim("20", value=20, subject="CRCs", unit="CRC", doc="b.txt")
    found = compare([a, b], aliases=path)
    assert [f.kind for f in found] == ["conflict"]


# ---------------------------------------------------------------- arithmetic


@pytest.mark.parametrize("text, kinds", [
    ("The caseload was 234,229, up 7 per cent on 218,906 a year earlier.", []),
    ("The caseload was 234,229, up 17 per cent on 218,906 a year earlier.", ["inconsistent"]),
    ("Of the staff, 11 of the 21 (52%) said yes.", []),
    ("Of the staff, 11 of the 21 (62%) said yes.", ["inconsistent"]),
    ("The trust hired 120 paramedics, of whom 70 were graduates and 60 were transfers.",
     ["inconsistent"]),
    ("The trust hired 120 paramedics, of whom 70 were graduates and 50 were transfers.", []),
])
def test_arithmetic_within_a_sentence(text: str, kinds: list[str]) -> None:
    found = compare(extract(text, doc_id="a.txt"))
    assert [f.kind for f in found] == kinds


def test_finding_is_frozen_and_serialises() -> None:
    claim = _claim("35", value=35)
    finding = Finding(kind="repeat", claims=(claim,), key="probation trust|count",
                      explanation="35 (a.txt) and 35 (b.txt): same figure")
    record = finding_to_dict(finding)
    assert record["claims"][0]["text"] == "35"
    assert record["claims"][0]["sentence"] == "There were 35 probation trusts."
    with pytest.raises(AttributeError):
        finding.kind = "conflict"  # type: ignore[misc]


def test_compare_is_deterministic() -> None:
    claims = [_claim(str(n), value=n, doc=f"{n % 3}.txt", start=n) for n in (35, 36, 35, 35, 37)]
    assert compare(claims) == compare(list(reversed(claims)))
