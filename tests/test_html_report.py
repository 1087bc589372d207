"""The HTML report as text: every claim one mark, the text kept, everything escaped.

What it does in a browser is tests/test_browser.py's job.
"""

from __future__ import annotations

import html
import json
import re
import types
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.cli import main, report_main
from claimtrack.compare import compare
from claimtrack.document import load_document
from claimtrack.html_report import _pieces, render_html
from claimtrack.model import Attribution, Claim, Document, Quantity
from claimtrack.pipeline import extract_document

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "fixtures" / "compare"
REPORT = ROOT / "fixtures" / "report"
HOSTILE = ROOT / "fixtures" / "hostile" / "notice_board.txt"
ALIASES = COMPARE / "aliases.toml"

_DATA = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)
_MARK = re.compile(r'<mark id="c(\d+)" data-kind="(\w+)" data-claim="(\d+)" tabindex="0">')
_DOC_TEXT = re.compile(r'<div class="text" [^>]*>(.*?)</div>\n</article>', re.S)


def _documents(*folders: Path) -> list[Document]:
    return [load_document(p) for folder in folders for p in sorted(folder.glob("*.txt"))]


def _report(documents: list[Document], findings: list[Any] | None = None
            ) -> tuple[str, list[Claim], list[Any]]:
    claims = [c for d in documents for c in extract_document(d)]
    if findings is None:
        findings = list(compare(claims, aliases=ALIASES, texts={d.id: d.text for d in documents}))
    return render_html(documents, claims, findings), claims, findings


def _data(page: str) -> Any:
    found = _DATA.search(page)
    assert found is not None
    return json.loads(found.group(1))


class Built(NamedTuple):
    page: str
    claims: list[Claim]
    findings: list[Any]
    documents: list[Document]


@pytest.fixture(scope="module")
def fixture_report() -> Built:
    documents = _documents(COMPARE, REPORT)
    page, claims, findings = _report(documents)
    return Built(page, claims, findings, documents)


def test_every_claim_is_one_mark_with_its_index(fixture_report: Built) -> None:
    page, claims, _, _ = fixture_report
    data = _data(page)
    records = data["claims"]
    assert isinstance(records, list) and len(records) == len(claims) > 40
    marks = _MARK.findall(page)
    assert len(marks) == len(claims)
    assert [int(n) for n, _, _ in marks] == list(range(len(claims)))
    for number, kind, claim in marks:
        assert number == claim
        assert records[int(claim)]["kind"] == kind


def test_the_text_of_each_document_is_kept_exactly(fixture_report: Built) -> None:
    page, _, _, documents = fixture_report
    bodies = _DOC_TEXT.findall(page)
    assert len(bodies) == len(documents)
    for body, document in zip(bodies, documents, strict=True):
        assert html.unescape(re.sub(r"<[^>]+>", "", body)) == document.text
        for match in re.finditer(r'<mark id="c\d+"[^>]*>([^<]*)</mark>', body):
            assert html.unescape(match.group(1)) in document.text


def test_findings_and_charts(fixture_report: Built) -> None:
    page, _, findings, _ = fixture_report
    data = _data(page)
    assert len(data["findings"]) == len(findings) > 0
    for record, finding in zip(data["findings"], findings, strict=True):
        assert [records_text(data, i) for i in record["claims"]] == \
            [c.text for c in finding.claims]
    assert page.count('<li class="finding"') == 1  # the skeleton report.js fills
    # the food bank's parcels over three years: exact and hedged figures, one chart
    series = {s["label"]: s["claims"] for s in data["series"]}
    assert "food parcel|count" in series and "volunteer|count" in series
    volunteers = [records_text(data, i) for i in series["volunteer|count"]]
    assert volunteers == ["around 300", "about 340", "between 350 and 400"]
    chart = page[page.index('<figcaption>volunteer|count'):]
    chart = chart[:chart.index("</figure>")]
    assert chart.count('class="point hedged"') == 3
    assert chart.count('<line class="interval') == 3
    assert chart.count('<a href="#c') == 3


def records_text(data: Any, index: int) -> str:
    return str(data["claims"][index]["text"])


def test_update_findings_with_score_and_evidence_are_charted() -> None:
    """Findings carry a score and evidence (and kind `update`) once the linker gives them;
    the report shows them when present and works without them."""
    documents = [Document(id="q1.txt", text="In 2021 the pantry fed 410 families.", date=None),
                 Document(id="q2.txt", text="In 2022 the pantry fed about 480 families.")]
    claims = [c for d in documents for c in extract_document(d)]
    families = [c for c in claims if c.quantity.kind == "count"]
    update = types.SimpleNamespace(
        kind="update", key="family|count|2021,2022", claims=tuple(families), severity="info",
        explanation="410 (2021) then about 480 (2022)", score=0.87,
        evidence=("counted noun 'family'", "years 2021 and 2022"))
    page = render_html(documents, claims, [update])
    data = _data(page)
    assert data["findings"][0]["score"] == 0.87
    assert data["findings"][0]["evidence"] == list(update.evidence)
    assert [s["label"] for s in data["series"]] == ["family|count"]
    assert 'data-finding-kind="update"' in page


def test_nested_and_crossing_spans_stay_one_element_each() -> None:
    text = "It cost 12 of the 21 million pounds."
    def claim(start: int, end: int) -> Claim:
        return Claim(doc="a.txt", start=start, end=end, text=text[start:end],
                     quantity=Quantity(kind="count", value=1), attribution=Attribution())
    claims = [claim(8, 20), claim(18, 20), claim(15, 28), claim(3, 3)]
    page = render_html([Document(id="a.txt", text=text)], claims, [])
    body = _DOC_TEXT.findall(page)[0]
    assert body.count("<mark ") == 4 and body.count("</mark>") == 4
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == text


def test_hostile_text_names_and_sources_are_escaped(tmp_path: Path) -> None:
    text = HOSTILE.read_text(encoding="utf-8")
    hostile_name = "\"><script>window.__claimtrackPwned=8</script>.txt"
    documents = [Document(id=hostile_name, text=text, source="</script><script>alert(1)</script>"),
                 Document(id="b.txt", text=text)]
    page, claims, _ = _report(documents)
    assert claims
    data_block = _DATA.search(page)
    assert data_block is not None
    assert "<" not in data_block.group(1) and ">" not in data_block.group(1)
    outside = _DATA.sub("", page)
    for raw in ("<script>window", "<img", "<textarea", "<svg", "<style>body", "<b ",
                "<a href=\"javascript", "onerror=\"", "</title><", "<!--"):
        assert raw not in outside, raw
    assert outside.count("<script") == 1  # the report's own
    assert "javascript:window" in outside  # as text only: no element carries it
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", outside, re.I)
    data = _data(page)
    assert data["documents"][0]["id"] == hostile_name


def test_the_page_asks_for_nothing_from_the_network(fixture_report: Built) -> None:
    page = fixture_report[0]
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None and "default-src &#39;none&#39;" in policy.group(1)
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(http" not in page


def test_claim_report_and_compare_write_html(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert report_main(["--format", "html", "-o", str(out), "--aliases", str(ALIASES),
                        str(COMPARE), str(REPORT)]) == 0
    assert capsys.readouterr().out == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and len(_MARK.findall(page)) > 40
    assert main(["compare", "--format", "html", str(COMPARE)]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
    assert main(["compare", "--format", "json", "-o", str(tmp_path / "f.json"), str(COMPARE)]) == 0
    assert json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert report_main(["--format", "markdown", "--output", str(tmp_path / "r.md"),
                        str(COMPARE)]) == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("## Claims by subject")


def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "dir" / "report.html"
    assert report_main(["--format", "html", "-o", str(target), str(COMPARE)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("claim-report: error: ") and err.count("\n") == 1
    assert "cannot write" in err


def test_a_finding_shows_each_claim_where_it_stands_in_its_sentence() -> None:
    text = "Of the 7 vans, 7 were new. The depot is shut."
    document = Document(id="a.txt", text=text)
    claims = [c for c in extract_document(document) if c.text == "7"]
    assert len(claims) == 2
    finding = types.SimpleNamespace(kind="repeat", key="van|count", claims=tuple(claims),
                                    severity="info", explanation="7 and 7")
    records = _data(render_html([document], claims, [finding]))["claims"]
    assert [r["sentence"] for r in records] == ["Of the 7 vans, 7 were new."] * 2
    assert [r["sentence_offset"] for r in records] == [7, 15]
    alone = _data(render_html([document], claims, []))["claims"]
    assert all("sentence" not in r and "sentence_offset" not in r for r in alone)


def test_a_series_of_levels_leaves_changes_out() -> None:
    documents = [
        Document(id="a.txt", text="In 2021, 40 per cent of households recycled food waste."),
        Document(id="b.txt", text="In 2022 the share of households recycling food waste rose "
                                  "by 5 per cent."),
        Document(id="c.txt", text="In 2023, 48 per cent of households recycled food waste.")]
    claims = [c for d in documents for c in extract_document(d)]
    data = _data(render_html(documents, claims, []))
    assert [[data["claims"][i]["text"] for i in s["claims"]] for s in data["series"]] == \
        [["40 per cent", "48 per cent"]]


@given(text=st.text(max_size=60),
       spans=st.lists(st.tuples(st.integers(0, 70), st.integers(0, 20)), max_size=8))
@settings(max_examples=200, deadline=None)
def test_any_spans_keep_the_text_and_give_one_mark_each(
        text: str, spans: list[tuple[int, int]]) -> None:
    """Overlapping, nested, empty or out-of-range spans: the text comes back whole, every
    claim whose span holds its text is one mark, and marks nest properly."""
    claims = [Claim(doc="a.txt", start=start, end=start + length,
                    text=text[start:start + length] if start + length <= len(text) else "x",
                    quantity=Quantity(kind="count", value=1), attribution=Attribution())
              for start, length in spans]
    ordered = sorted(enumerate(claims), key=lambda nc: (nc[1].start, -nc[1].end))
    pieces = _pieces(text, ordered)
    assert "".join(p.text for p in pieces) == text
    opened = [p.claim for p in pieces if p.role == "open"]
    shown = [n for n, c in ordered if c.end <= len(text)]
    assert opened == shown
    depth = 0
    for piece in pieces:
        depth += {"open": 1, "close": -1, "text": 0}[piece.role]
        assert depth >= 0
    assert depth == 0
