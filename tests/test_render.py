"""Rendering: every finding, in every format, shows for each claim its file, line and
column, who said it, and its sentence with the figure marked; text trimmed to fit."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from claimtrack.cli import main
from claimtrack.document import load_document
from claimtrack.model import Attribution, Claim, Quantity
from claimtrack.render import Claims, Findings, Table, formats_for
from claimtrack.render.tables import fitted_widths
from claimtrack.render.text import marked_sentence
from claimtrack.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "fixtures" / "compare"
GAZETTE = COMPARE / "gazette_2023-06-03.txt"
ON_RECORD = sorted(p for p in COMPARE.glob("*.txt") if p != GAZETTE)

Capsys = pytest.CaptureFixture[str]


def _claim(sentence: str, figure: str, *, nth: int = 0, line: int = 1) -> Claim:
    at = -1
    for _ in range(nth + 1):
        at = sentence.index(figure, at + 1)
    return Claim(doc="a.txt", start=100 + at, end=100 + at + len(figure), text=figure,
                 quantity=Quantity(kind="count", value=21), sentence=sentence,
                 sentence_start=100, line=line, column=at + 1,
                 attribution=Attribution(speaker="Pat"))


def test_the_figure_is_marked_where_it_stands() -> None:
    claim = _claim("Of the 21 trusts, 21 reported.", "21", nth=1)
    assert marked_sentence(claim) == "Of the 21 trusts, »21« reported."


def test_a_long_sentence_is_trimmed_around_the_figure() -> None:
    words = " ".join(["lorem", "ipsum"] * 30)
    claim = _claim(f"{words} then 21 companies {words}.", "21")
    shown = marked_sentence(claim, 60)
    assert len(shown) <= 60 and "»21« companies" in shown
    assert shown.startswith("…") and shown.endswith("…")


def test_table_columns_fit_the_width() -> None:
    headers = ["doc", "text", "sentence"]
    body = [["a/very/long/path/to/a/file.txt", "21", "x" * 200]]
    caps = fitted_widths(headers, body, 60)
    assert sum(caps) + 2 * 2 <= 60 and caps[1] == len("text") + 2


def test_a_format_is_one_registry_entry() -> None:
    from claimtrack.render import Format, register, render
    from claimtrack.render.registry import _FORMATS

    before = dict(_FORMATS)
    try:
        register(Format(name="count", help="how many", renderers={
            Findings: lambda v, o: f"{len(v.findings)}\n"}))
        assert "count" in formats_for(Findings) and "count" not in formats_for(Table)
        assert render(Findings(findings=()), "count") == "0\n"
    finally:
        _FORMATS.clear()
        _FORMATS.update(before)
    assert "table" in formats_for(Claims)


# --------------------------------------------------------------------------- findings


def _locations(text: str) -> set[tuple[str, int, int]]:
    return {(Path(m[1]).name, int(m[2]), int(m[3]))
            for m in re.finditer(r"([\w/.-]+\.txt):(\d+):(\d+)", text)}


def _expected(findings: list[dict[str, object]]) -> set[tuple[str, int, int]]:
    out = set()
    for f in findings:
        for c in f["claims"]:  # type: ignore[attr-defined]
            out.add((Path(c["doc"]).name, c["line"], c["column"]))
    return out


def _compare_json(capsys: Capsys) -> list[dict[str, object]]:
    assert main(["compare", "--format", "json", str(COMPARE)]) == 0
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


def test_finding_json_claims_carry_line_column_and_sentence(capsys: Capsys) -> None:
    for f in _compare_json(capsys):
        for c in f["claims"]:  # type: ignore[attr-defined]
            lines = Path(c["doc"]).read_text(encoding="utf-8").split("\n")
            at = c["column"] - 1
            assert lines[c["line"] - 1][at:at + len(c["text"])] == c["text"]
            assert c["text"] in c["sentence"] and "\n" not in c["sentence"]


@pytest.mark.parametrize("fmt", sorted(formats_for(Findings)))
def test_every_compare_format_locates_every_claim(fmt: str, capsys: Capsys,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    expected = _expected(_compare_json(capsys))
    assert main(["compare", "--format", fmt, str(COMPARE)]) == 0
    out = capsys.readouterr().out
    if fmt in ("json", "jsonl"):
        records = json.loads(out) if fmt == "json" else [json.loads(x) for x in out.splitlines()]
        assert _expected(records) == expected
        return
    assert _locations(out) == expected
    if fmt == "html":  # the page marks a figure with <mark>, not »« (test_html_report.py)
        return
    assert out.count("»") >= len(expected)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert all("»" in row["claims"] for row in rows)
    if fmt == "table":
        assert max(len(line) for line in out.splitlines() if line.startswith("     ")) <= 100


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("render") / "claims.db"
    with ClaimStore(db) as opened:
        for path in ON_RECORD:
            opened.ingest(load_document(path))
    return db


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github", "sarif"])
def test_every_check_format_locates_new_and_stored_claims(fmt: str, store: Path,
                                                          capsys: Capsys) -> None:
    assert main(["check", str(GAZETTE), "--store", str(store), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    expected = _expected(report["findings"])
    assert {name for name, _, _ in expected} > {GAZETTE.name}  # stored claims are placed
    for f in report["findings"]:
        for c in f["claims"]:
            assert c["sentence"] and c["text"] in c["sentence"]
    assert main(["check", str(GAZETTE), "--store", str(store), "--format", fmt]) == 1
    out = capsys.readouterr().out
    if fmt == "sarif":
        run = json.loads(out)["runs"][0]
        shown = {(Path(loc["physicalLocation"]["artifactLocation"]["uri"]).name,
                  loc["physicalLocation"]["region"]["startLine"],
                  loc["physicalLocation"]["region"]["startColumn"])
                 for r in run["results"]
                 for loc in r["locations"] + r.get("relatedLocations", [])}
        assert shown == expected
        assert all("»" in loc["message"]["text"] for r in run["results"]
                   for loc in r["locations"])
    elif fmt != "json":
        assert _locations(out) == expected
        assert out.count("»") >= len(expected)


# --------------------------------------------------------------------------- no duplicates


def test_no_duplicate_findings_on_the_fixtures(capsys: Capsys) -> None:
    """One finding per relation: no two findings of a kind over the same claims, none
    inside another of its kind; ids unique and the same from run to run."""
    from claimtrack.compare import compare
    from claimtrack.pipeline import extract_document
    from claimtrack.store import finding_id

    for folder in (COMPARE, ROOT / "fixtures" / "cases"):
        documents = [load_document(p) for p in sorted(folder.glob("*.txt"))]
        claims = [c for d in documents for c in extract_document(d)]
        texts = {d.id: d.text for d in documents}
        found = compare(claims, texts=texts)
        ids = [finding_id(f) for f in found]
        assert len(set(ids)) == len(ids)
        assert ids == [finding_id(f) for f in compare(list(reversed(claims)), texts=texts)]
        groups = [(f.kind, frozenset((c.doc, c.start) for c in f.claims)) for f in found]
        assert not [(a, b) for a in groups for b in groups
                    if a is not b and a[0] == b[0] and a[1] <= b[1]]


def test_a_view_shows_a_finding_once() -> None:
    from claimtrack.checks import make_report
    from claimtrack.model import Finding
    from claimtrack.render import render

    claims = (_claim("It had 21 trusts.", "21"), _claim("It had 21 trusts.", "21"))
    finding = Finding(kind="repeat", claims=claims, key="trust|count", explanation="same")
    view = Findings(findings=(finding, finding))
    assert len(view.findings) == 1
    assert render(view, "table").count("1. repeat") == 1
    assert len(make_report([finding, finding], {}).findings) == 1


def test_github_and_sarif_report_each_finding_once(store: Path, capsys: Capsys) -> None:
    assert main(["check", str(GAZETTE), "--store", str(store), "--format", "github"]) == 1
    annotations = [line for line in capsys.readouterr().out.splitlines()
                   if line.startswith("::")]
    ids = [i for line in annotations
           for i in re.findall(r"\[(ct-[0-9a-f]{16})\](?:%0A|$)", line)]
    places = [re.match(r"::\w+ (file=[^,]*,line=\d+,col=\d+)", line) for line in annotations]
    assert all(places) and len({p.group(1) for p in places if p}) == len(places)
    assert len(set(ids)) == len(ids)
    assert main(["check", str(GAZETTE), "--store", str(store), "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["claimtrackFindingId/v1"] for r in results]
    assert sorted(prints) == sorted(ids)


def test_a_page_whose_text_is_not_its_file_is_placed_in_its_text(tmp_path: Path,
                                                                   capsys: Capsys) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>The trust has 350 paramedic vacancies.</p>", encoding="utf-8")
    post = tmp_path / "post.txt"
    post.write_text("Notes\n\nThe trust has more than 500 paramedic vacancies.\n",
                    encoding="utf-8")
    assert main(["compare", str(page), str(post)]) == 0
    out = capsys.readouterr().out
    assert f"{page}, text 1:15\n" in out and f"{post}:3:15\n" in out
