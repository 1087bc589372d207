"""Attribution classes the golden cases do not all pin: label styles, wire credits, front
matter, the user's --source and --date, named and unnamed bodies, cited documents.

The short texts are written for these tests; none is taken from real documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import claimtrack
from claimtrack.cli import main
from claimtrack.frontmatter import read_front_matter
from claimtrack.segments import document_segments


def _attributed(text: str, **kwargs: object) -> dict[str, tuple[str | None, str | None]]:
    return {c.text: (c.attribution.speaker, c.attribution.source)
            for c in claimtrack.extract(text, **kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize("style", [
    "Jane Smith: {a}\nTom Reed: {b}\n",
    "Q12 Jane Smith: {a}\nQ13 Tom Reed: {b}\n",
    "**Jane Smith**: {a}\n**Tom Reed**: {b}\n",
    "**Jane Smith:** {a}\n**Tom Reed:** {b}\n",
    "[Jane Smith]: {a}\n[Tom Reed]: {b}\n",
    "Jane Smith — {a}\nTom Reed — {b}\n",
])
def test_speaker_labels_in_their_common_forms(style: str) -> None:
    text = style.format(a="We saw 40 cases in March.", b="I count 12.\nAnd 7 more last week.")
    got = _attributed(text, date="2024-05-01")
    assert got["40"] == ("Jane Smith", None)
    assert got["12"] == ("Tom Reed", None)
    assert got["7"] == ("Tom Reed", None)  # a turn runs until the next label


def test_upper_case_and_role_labels() -> None:
    got = _attributed("CHAIR: We have 3 witnesses.\nMS SMITH: We hired 25 staff.\n"
                      "COUNSEL: Not 30?\n")
    assert got["3"] == ("Chair", None)
    assert got["25"] == ("Ms Smith", None)
    assert got["30"] == ("Counsel", None)


def test_metadata_lines_are_not_speaker_labels() -> None:
    got = _attributed("Story ID: 4471\nUpdated On: 3 May 2024\n\nThe mill employs 140 people.\n")
    assert got["140"] == (None, None)


@pytest.mark.parametrize(("text", "wire"), [
    ("PORTVALE (Reuters) - The mill cut 140 jobs, its owner said.\n", "Reuters"),
    ("The mill cut 140 jobs on Monday, Reuters reports.\n", "Reuters"),
    ("PORTVALE (AP/AFP) — The mill cut 140 jobs.\n", "AP/AFP"),
    ("The mill cut 140 jobs.\n\nIts 12 sister plants stay open.\n\n— AFP\n", "AFP"),
])
def test_a_wire_credit_is_the_source_of_the_carried_copy(text: str, wire: str) -> None:
    got = _attributed("Mill closes\n\n" + text, date="2024-05-06")
    assert got["140"][1] == wire


def test_the_headline_above_a_wire_credit_is_the_site_s() -> None:
    text = "Mill cuts 140 jobs\n\nPORTVALE (AP) — The mill cut 140 jobs on Monday.\n"
    claims = claimtrack.extract(text, date="2024-05-06")
    sources = [c.attribution.source for c in claims if c.text == "140"]
    assert sources == [None, "AP"]


def test_front_matter_is_metadata_and_names_source_and_date(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    text = "---\nsource: Valley Times\ndate: 2024-05-07\n---\nThe mill cut 140 jobs yesterday.\n"
    meta = read_front_matter(text)
    assert (meta.source, str(meta.date), text[meta.end:meta.end + 3]) == (
        "Valley Times", "2024-05-07", "The")
    path = tmp_path / "mill.md"
    path.write_text(text, encoding="utf-8")
    assert main(["extract", "--format", "jsonl", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["text"], r["source"], r["date"]) for r in rows] == [
        ("140", "Valley Times", "2024-05-07"), ("yesterday", "Valley Times", "2024-05-06")]
    # offsets count from the start of the file, front matter included
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_a_bad_front_matter_date_is_a_one_line_error(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("---\ndate: 7 May\n---\n140 jobs.\n", encoding="utf-8")
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert "front matter: date must be YYYY-MM-DD" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("command", [
    ["extract", "--format", "jsonl"], ["structure", "--format", "json"],
    ["compare", "--format", "json"],
])
def test_source_and_date_given_by_the_user(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           command: list[str]) -> None:
    path = tmp_path / "mill.txt"
    path.write_text("---\nsource: Valley Times\n---\nThe mill cut 140 jobs yesterday.\n",
                    encoding="utf-8")
    assert main([*command, "--source", "Harbour Post", "--date", "2024-05-07", str(path)]) == 0
    out = capsys.readouterr().out
    if command[0] == "extract":
        rows = [json.loads(line) for line in out.splitlines()]
        assert {r["source"] for r in rows} == {"Harbour Post"}  # the user's word wins
        assert [r["date"] for r in rows] == ["2024-05-07", "2024-05-06"]
    elif command[0] == "structure":
        assert {r["source"] for r in json.loads(out) if r["role"] == "post"} == {"Harbour Post"}


@pytest.mark.parametrize("command", ["ingest", "check", "baseline"])
def test_store_commands_take_source_and_date(tmp_path: Path, command: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mill.txt"
    path.write_text("The mill cut 140 jobs yesterday.\n", encoding="utf-8")
    db = str(tmp_path / "claims.db")
    assert main(["ingest", "--store", db, str(path)]) == 0
    code = main([command, "--store", db, "--source", "Harbour Post", "--date", "2024-05-07",
                 str(path)])
    assert code == 0
    capsys.readouterr()


def test_a_masthead_and_a_bylined_publication_name_the_publisher() -> None:
    got = _attributed("Valley Times\n\nMill to shut\n\nThe mill employs 140 people.\n")
    assert got["140"] == (None, "Valley Times")
    got = _attributed("Mill to shut\n\nBy Jo Bloggs, BBC business correspondent\n\n"
                      "The mill employs 140 people.\n")
    assert got["140"] == ("Jo Bloggs", "BBC")


@pytest.mark.parametrize(("text", "figure", "speaker"), [
    ("The council says 40 homes will be built.", "40", "council"),
    ("The NAO said the scheme cost £12m.", "£12m", "NAO"),
    ("The scheme cost £12m, the Water Board said on Monday.", "£12m", "Water Board"),
    ("The scheme cost £12m, the Water Board said, adding that work would start soon.", "£12m",
     "Water Board"),
    ("Officials said 40 homes will be built.", "40", None),
    ("Local authorities said 40 homes will be built.", "40", None),
    ("The scheme cost £12m, Jo Bloggs, a spokeswoman for Acme, told reporters.", "£12m", "Acme"),
    ("The Bank said on Monday it estimates a loss of £12m.", "£12m", "Bank"),
])
def test_who_speaks_in_news_copy(text: str, figure: str, speaker: str | None) -> None:
    got = _attributed("By Pat Doe\n\n" + text)
    assert got[figure][0] == speaker


@pytest.mark.parametrize(("text", "figure", "source"), [
    ("Figures released by the Home Office show 40 arrests.", "40", "Home Office"),
    ("The survey found that 40% of tenants were behind.", "40%", "survey"),
    ("Acme's analysis estimates a loss of £12m.", "£12m", "Acme's analysis"),
    ("Data from the Water Board show 40 leaks.", "40", "Water Board"),
    ("There were 40 leaks, according to the Water Board.", "40", "Water Board"),
    ("The Water Board's annual report says that 40 leaks were fixed.", "40",
     "Water Board's annual report"),
])
def test_figures_cited_to_a_document(text: str, figure: str, source: str) -> None:
    got = _attributed(text)
    assert got[figure][1] == source


def test_a_transcript_speaker_citing_a_report_stays_the_speaker() -> None:
    text = "Chair: Welcome.\nJo Bloggs: The annual report says that 40 leaks were fixed.\n"
    assert _attributed(text)["40"] == ("Jo Bloggs", "annual report")


def test_a_body_saying_in_a_report_is_the_source_of_what_it_says_after() -> None:
    text = ("Costs have risen, the National Audit Office has said in a report out today.\n\n"
            "The NAO said the scheme would cost £12m.\n")
    got = _attributed(text, date="2024-05-07")
    assert got["today"] == (None, None)  # the time of the saying: the narrator's
    assert got["£12m"] == ("NAO", "National Audit Office")


def test_the_report_is_the_report_named_before() -> None:
    text = ("The Water Board's Leakage (WL) report estimates that 40 leaks were fixed.\n\n"
            "Most of them, about 30, were in the north, the report found.\n")
    assert _attributed(text)["about 30"][1] == "Water Board's Leakage (WL) report"


def test_a_quote_running_over_paragraphs_keeps_its_speaker() -> None:
    text = ('Jo Bloggs said: "We have lost 12 drivers.\n\n'
            '"And 40 more will go by May."\n\nThe depot has 90 buses.\n')
    got = _attributed(text, date="2024-05-07")
    assert got["40"][0] == "Jo Bloggs"
    assert got["90"][0] is None


def test_structure_shows_the_voices_of_a_carried_story() -> None:
    text = ("---\nsource: Valley Times\n---\nMill cuts jobs\n\n"
            "PORTVALE (AP) — The mill cut 140 jobs.\n")
    rows = document_segments(claimtrack.Document(text=text))
    assert [(s.role, s.source) for s in rows][:2] == [("metadata", None), ("post", "Valley Times")]
    assert rows[-1].source == "AP" and rows[-1].cue == "wire credit '(AP) —'"


def test_a_paragraph_closed_by_a_credit_takes_its_source() -> None:
    text = ("Tuesday 7 May 2024\n\nA reader sent this in.\n\n"
            "We lost 12 drivers at the depot this spring. (from Facebook - worth a read)\n\n"
            "My own depot lost 3.\n")
    got = _attributed(text)
    assert got["12"] == (None, "Facebook")
    assert got["3"] == (None, None)  # the credit covers its paragraph alone


def test_the_letters_a_case_blind_pattern_folds_to_ascii_are_known() -> None:
    """The word test that spares most sentences the reporting-verb pattern is exact only
    where no character but these reads as an ASCII letter."""
    import regex

    from claimtrack.patterns import FLAGS, FOLDED_LETTERS

    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    folded = set(regex.findall(r"[a-z]", everything, flags=FLAGS)) - set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert folded == set(FOLDED_LETTERS)


def test_a_reporting_verb_with_a_folded_letter_still_reports() -> None:
    """'ſ' is 's' to a case-blind pattern: the word test must not rule the verb out."""
    assert _attributed("Jo Bloggs ſaid 40 staff left.")["40"] == _attributed(
        "Jo Bloggs said 40 staff left.")["40"]
