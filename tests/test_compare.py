"""Comparison: the fixture documents give exactly the planted findings; interval logic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimtrack import extract
from claimtrack.aliases import Lexicon, learn_acronyms, load_aliases
from claimtrack.cli import main, report_main
from claimtrack.compare import (
    collection_lexicon,
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
        assert set(f) == {"kind", "key", "score", "evidence", "claims", "explanation",
                          "severity"}
        assert 0.0 <= f["score"] <= 1.0 and f["evidence"]
        assert "\n" not in f["explanation"]
        for c in f["claims"]:
            text = Path(c["doc"]).read_text(encoding="utf-8")
            assert text[c["start"]:c["end"]] == c["text"]


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


def test_dates_repeat_at_another_precision_and_conflict_only_for_one_event() -> None:
    year, month = _fig("2014", "date", "2014"), _fig("June 2014", "date", "2014-06")
    assert same_figure(year, month)  # type: ignore[arg-type]
    formed = _claim("2014", "date", "2014", doc="a.txt", subject="CRCs",
                    sentence="The Bristol CRC was formed in 2014.", start=31)
    closed = _claim("2015", "date", "2015", doc="b.txt", subject="CRCs",
                    sentence="The Bristol CRC was closed in 2015.", start=31)
    assert compare([formed, closed]) == []  # another event
    again = attrs_evolve(closed, sentence="The Bristol CRC was formed in 2015.")
    assert [f.kind for f in compare([formed, again])] == ["conflict"]  # one event


def test_the_day_a_body_spoke_repeats_for_that_body_and_never_conflicts() -> None:
    def said(text: str, day: str, doc: str, sentence: str) -> Claim:
        return _claim(text, "date", day, doc=doc, subject="statement", sentence=sentence,
                      start=sentence.index(text))

    wire = said("on Tuesday", "2024-11-12", "a.txt",
                "Hosepipes are allowed again, the Tollmarsh Water Board said on Tuesday.")
    bulletin = said("Tuesday", "2024-11-12", "b.txt",
                    "Reservoirs are full, the Tollmarsh Water Board said Tuesday.")
    other_body = said("on Tuesday", "2024-11-12", "c.txt",
                      "Reservoirs are full, the Tollmarsh Anglers Club said on Tuesday.")
    again = said("on Thursday", "2024-11-14", "d.txt",
                 "Hosepipes are allowed again, the Tollmarsh Water Board said on Thursday.")
    assert [f.kind for f in compare([wire, bulletin])] == ["repeat"]
    assert compare([bulletin, other_body]) == []  # the same day, another body
    assert compare([wire, again]) == []  # two statements, not a disagreement


def test_a_date_last_in_a_long_clause_is_dated_by_the_clause_s_event() -> None:
    """News puts the day last: the event word may stand far before it. The same day of
    another event (a road opened, not an earthquake) is not the same date."""
    def dated(sentence: str, doc: str) -> Claim:
        text = "on 6 May" if "on 6 May" in sentence else "6 May"
        return _claim(text, "date", "2024-05-06", doc=doc, subject="event", sentence=sentence,
                      start=sentence.index(text))

    quake = dated("Rescuers reached the earthquake that devastated hill towns across the "
                  "whole of Marrow Vale on 6 May.", "a.txt")
    again = dated("On 6 May, a powerful earthquake struck hill towns across Marrow Vale.",
                  "b.txt")
    road = dated("Rescuers reached the earthquake relief road that the army opened to hill "
                 "towns across the whole of Marrow Vale on 6 May.", "c.txt")
    assert [f.kind for f in compare([quake, again])] == ["repeat"]
    assert compare([quake, road]) == []
    assert compare([again, road]) == []


# ---------------------------------------------------------------- linking


def test_personal_figures_of_two_people_are_never_one_measure() -> None:
    mine = _claim("70", value=70, subject="caseload",
                  sentence="My caseload of 70 cases is too high.")
    other = attrs_evolve(mine, doc="b.txt", text="55", end=2,
                         quantity=Quantity(kind="count", value=55),
                         sentence="My caseload of 55 cases is too high.",
                         attribution=Attribution(speaker="Pat"))
    assert compare([mine, other]) == []


def test_a_rate_is_never_compared_with_a_stock() -> None:
    a = _claim("250,000", value=250000, subject="offenders", unit="offender", per="year")
    b = _claim("100,000", value=100000, subject="offenders", unit="offender", doc="b.txt")
    assert compare([a, b]) == []


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


def test_findings_carry_score_and_evidence() -> None:
    a = _claim("21", value=21, subject="rehabilitation companies",
               unit="rehabilitation company",
               sentence="The reform created 21 rehabilitation companies to run probation.")
    b = attrs_evolve(a, doc="b.txt")
    found = compare([a, b])
    assert [f.kind for f in found] == ["repeat"]
    assert found[0].score >= 0.5 and found[0].evidence
    assert compare([a, b], min_score=0.9999) == []


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
               unit="privatised probation firm",
               sentence="The reform created 21 privatised probation firms.")
    b = _claim("21", value=21, subject="CRCs", unit="CRC", doc="b.txt",
               sentence="The reform created 21 CRCs.")
    found = compare([a, b], aliases=path)
    assert [f.kind for f in found] == ["repeat"]


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


# ---------------------------------------------------------------- planted pairs


def _covers(finding: dict[str, object], side: dict[str, object]) -> bool:
    claims = finding["claims"]
    assert isinstance(claims, list)
    return any(Path(str(c["doc"])).name == side["doc"] and int(c["start"]) < int(side["end"])
               and int(side["start"]) < int(c["end"]) for c in claims)


def test_planted_pairs_are_linked_as_planted_and_near_misses_never(
        capsys: pytest.CaptureFixture[str]) -> None:
    """fixtures/compare/pairs.json, scored as the shared gold pairs are: a repeat, conflict
    or update pair is found by a finding of its kind; no finding links a `none` pair and
    no conflict a `not_conflict` pair."""
    pairs = json.loads((FIXTURES / "pairs.json").read_text(encoding="utf-8"))
    main(["compare", "--format", "json", "--aliases", str(ALIASES), str(FIXTURES)])
    found = json.loads(capsys.readouterr().out)
    for pair in pairs:
        a, b, relation = pair["a"], pair["b"], pair["relation"]
        linking = [f for f in found if _covers(f, a) and _covers(f, b)]
        if relation == "none":
            assert not linking, pair["note"]
        elif relation == "not_conflict":
            assert not [f for f in linking if f["kind"] == "conflict"], pair["note"]
        else:
            assert [f for f in linking if f["kind"] == relation], pair["note"]


def test_a_pair_of_claims_is_never_both_a_repeat_and_a_conflict() -> None:
    from claimtrack.compare.findings import linked
    from claimtrack.document import load_document
    from claimtrack.pipeline import extract_document

    documents = [load_document(p) for p in sorted(FIXTURES.glob("*.txt"))]
    claims = [c for d in documents for c in extract_document(d)]
    found, _ = linked(claims, aliases=ALIASES, texts={d.id: d.text for d in documents})

    def pairs(kinds: tuple[str, ...]) -> set[frozenset[tuple[str, int]]]:
        out = set()
        for f in found:
            if f.kind in kinds:
                ids = [(c.doc, c.start) for c in f.claims]
                out |= {frozenset((x, y)) for i, x in enumerate(ids) for y in ids[i + 1:]}
        return out

    figures = {(c.doc, c.start): figure(c) for c in claims}
    disagreeing = {p for p in pairs(("conflict", "update"))
                   if disagree(*(figures[x] for x in sorted(p)))}  # type: ignore[misc]
    assert disagreeing and not disagreeing & pairs(("repeat",))


def test_explain_prints_the_evidence_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--explain", "--aliases", str(ALIASES), str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    evidence = out.split("\nEvidence\n", 1)[1]
    assert "comparison" in evidence and "weight" in evidence and "measure" in evidence


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "high"])
def test_min_score_outside_0_1_is_a_usage_error(bad: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["compare", "--min-score", bad, str(FIXTURES)])
    assert exc.value.code == 2


def test_a_higher_min_score_keeps_fewer_findings(capsys: pytest.CaptureFixture[str]) -> None:
    main(["compare", "--format", "json", str(FIXTURES)])
    default = json.loads(capsys.readouterr().out)
    main(["compare", "--format", "json", "--min-score", "0.99", str(FIXTURES)])
    strict = json.loads(capsys.readouterr().out)
    assert len(strict) < len(default)
    assert all(f["score"] >= 0.99 for f in strict if f["kind"] != "inconsistent")


def test_feature_version_is_exposed() -> None:
    from claimtrack.compare import FEATURE_VERSION

    assert isinstance(FEATURE_VERSION, str) and FEATURE_VERSION


def test_the_package_is_callable_as_the_public_function() -> None:
    import claimtrack
    import claimtrack.compare.link  # binds the package to the name `compare`

    claims = extract("The county runs 62 mobile libraries.", doc_id="a.txt")
    assert claimtrack.compare(claims) == []


def test_the_fit_gives_every_designed_level_a_weight_and_is_deterministic() -> None:
    from claimtrack.compare.fit import _bars, fit, labelled
    from claimtrack.rules import read_data_file

    rows = labelled([(str(FIXTURES), str(FIXTURES / "pairs.json"))])
    first, second = fit(rows), fit(rows)
    assert first == second
    design = read_data_file("linking.toml")["design"]
    for name, levels in design.items():
        assert set(levels) <= set(first["weights"][name]), name
    repeat_bar, date_bar, conflict_bar = _bars(rows, first)
    assert 0.5 <= repeat_bar <= date_bar and conflict_bar >= repeat_bar + 0.1 - 1e-9


def test_a_claim_key_names_its_counted_noun_and_an_acronym_its_spelled_out_head() -> None:
    from claimtrack.compare import alternate_blocks, keyed

    text = "The trust runs 14 community response hubs (CRHs) across the county."
    [(claim, key)] = keyed(extract(text, doc_id="a.txt"), texts={"a.txt": text})
    assert key is not None and key.block()[0] == "crh" and key.kind == "count"
    lexicon = collection_lexicon([claim], None, {"a.txt": text})
    assert ("hub", "count", None, None, None) in alternate_blocks(key, lexicon)


def test_every_word_list_of_the_linking_file_is_read() -> None:
    from claimtrack.compare import words

    source = Path(words.__file__).read_text(encoding="utf-8")
    for name in words.word_lists():
        assert f"'{name}'" in source or f'"{name}"' in source, name
    words.patterns()  # every list it reads is there


@pytest.mark.parametrize("text", ["in Eastport", "In the North", "tin at", "xat Bay", "a mine",
                                  "I'm", "Mine", "throughout-", "é in X", "_in A", ""])
def test_a_word_start_pattern_finds_what_a_word_boundary_alternation_finds(text: str) -> None:
    import re

    from claimtrack.compare.words import word_start

    listed = ["in", "In", "at", "across", "I", "my", "mine", "throughout"]
    fast = re.compile(word_start(listed) + r"\b")
    plain = re.compile(r"\b(?:" + "|".join(sorted(listed, key=len, reverse=True)) + r")\b")
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_figure_read_from_its_sentence_is_not_shared_by_the_same_wording_elsewhere() -> None:
    """'8 km' converting 'about 5 miles' is about 8 km; '8 km' on its own is 8 km, in
    whichever order the two are read."""
    from claimtrack.compare.findings import collection_lexicon, read_profiles

    hedged = _claim("8 km", "quantity", 8, unit="kilometre", doc="a.txt", subject="barrier",
                    sentence="The barrier runs for about 5 miles (8 km) along the river.",
                    start=36)
    plain = _claim("8 km", "quantity", 8, unit="kilometre", doc="b.txt", subject="barrier",
                   sentence="The new barrier is 8 km long.", start=19)
    for order in ([hedged, plain], [plain, hedged]):
        profiles = read_profiles(order, collection_lexicon(order, None, None))
        admits = {p.claims[0].doc: p.reading.figure.admits for p in profiles}
        assert admits == {"a.txt": (7200.0, 8800.0), "b.txt": (7500.0, 8500.0)}
