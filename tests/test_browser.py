"""The HTML report in a real browser: headless Chromium driven by Playwright.

One browser serves the whole session. The browser is the system's Chromium
(`apt-get install chromium`; Playwright's own download is not used): set
CLAIMTRACK_CHROMIUM to use another. Without a browser these tests skip, except
when CLAIMTRACK_REQUIRE_BROWSER=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import types
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimtrack.cli import report_main
from claimtrack.html_report import FINDINGS_PAGE, render_html
from claimtrack.model import Document
from claimtrack.pipeline import extract_document

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "fixtures" / "compare"
REPORT = ROOT / "fixtures" / "report"
HOSTILE = ROOT / "fixtures" / "hostile" / "notice_board.txt"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
LAPTOP = {"width": 1366, "height": 768}


def chromium_path() -> str | None:
    """The Chromium to drive: $CLAIMTRACK_CHROMIUM, else the system's."""
    named = os.environ.get("CLAIMTRACK_CHROMIUM")
    candidates = (named,) if named else (
        "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _no_browser(why: str) -> None:
    if os.environ.get("CLAIMTRACK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (CLAIMTRACK_REQUIRE_BROWSER=1) but {why}")
    pytest.skip(f"no browser for the HTML report tests: {why} "
                "(apt-get install chromium, pip install playwright)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright is not installed")
    executable = chromium_path()
    if executable is None:
        _no_browser("no Chromium found (/usr/bin/chromium, or set CLAIMTRACK_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """claim-report --format html on the fixtures: the comparison set and the food bank."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert report_main(["--format", "html", "-o", str(out), "--aliases",
                        str(COMPARE / "aliases.toml"), str(COMPARE), str(REPORT)]) == 0
    return out


class Page:
    """A browser page that records console errors, uncaught exceptions and requests."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path, fragment: str = "") -> Any:
        self.page.goto(path.as_uri() + fragment)
        # a function: Playwright would eval() an expression, which the page's CSP forbids
        self.page.wait_for_function("() => window.claimtrackReady === true", timeout=10_000)
        return self.page


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    context = browser.new_context(viewport=LAPTOP)
    yield Page(context.new_page())
    context.close()


def _data(page: Any) -> Any:
    return page.evaluate("window.claimtrackReport.data")


def _search(page: Any, words: str) -> None:
    """Type in the search box, and wait for the list to follow (it waits for a pause)."""
    page.fill("#subject-search", words)
    query = words.strip().lower().replace('"', '\\"')
    page.wait_for_selector(f'#filter-status[data-query="{query}"]', state="attached")


def test_the_report_loads_without_console_errors(page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    assert opened.title() == "claimtrack report"
    assert page.errors == []
    assert page.requests == [report_file.as_uri()]  # nothing but the page itself
    contents = opened.eval_on_selector_all(".contents a", "as => as.map(a => a.hash)")
    assert contents == [f"#d{n}" for n in range(len(_data(opened)["documents"]))]
    if not opened.eval_on_selector(".contents", "d => d.open"):
        opened.click(".contents summary")  # more than 20 documents: the list starts closed
    opened.click(".contents a[href='#d5']")
    assert opened.eval_on_selector("#d5", "d => d.getBoundingClientRect().top") < 10


def test_every_claim_is_highlighted_once(page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    data = _data(opened)
    marks = opened.eval_on_selector_all(
        "#documents mark[data-claim]",
        "ms => ms.map(m => [Number(m.dataset.claim), m.dataset.kind, m.textContent])")
    assert len(marks) == len(data["claims"]) > 40
    assert len(opened.query_selector_all("[data-claim]")) == len(data["claims"])
    for number, kind, text in marks:
        assert data["claims"][number]["kind"] == kind
        assert data["claims"][number]["text"] == text
    legend = opened.eval_on_selector_all(".legend li", "ls => ls.map(l => l.textContent.trim())")
    assert sum(int(item.split()[-1]) for item in legend) == len(data["claims"])


def test_the_findings_panel_lists_every_finding_with_its_claims(page: Page,
                                                                report_file: Path) -> None:
    opened = page.open(report_file)
    data = _data(opened)
    items = opened.eval_on_selector_all("#finding-list .finding", """fs => fs.map(f => [
        Number(f.dataset.finding), f.dataset.findingKind, f.dataset.severity,
        f.querySelector('.key').textContent, f.querySelector('.explanation').textContent,
        Array.from(f.querySelectorAll('.claim-card mark.quoted'), m => m.textContent),
        Array.from(f.querySelectorAll('.claim-card blockquote'), b => b.textContent)])""")
    assert [item[0] for item in items] == list(range(len(data["findings"])))
    for number, kind, severity, key, explanation, texts, sentences in items:
        finding = data["findings"][number]
        assert (kind, severity, key, explanation) == (
            finding["kind"], finding["severity"], finding["key"], finding["explanation"])
        assert texts == [data["claims"][i]["text"] for i in finding["claims"]]
        assert sentences == [data["claims"][i]["sentence"] for i in finding["claims"]]


def _write(tmp_path: Path, documents: list[Document], findings: list[Any]) -> Path:
    claims = [c for d in documents for c in extract_document(d)]
    out = tmp_path / "report.html"
    out.write_text(render_html(documents, claims, findings(claims) if callable(findings)
                               else findings), encoding="utf-8")
    return out


def test_score_evidence_and_updates_are_shown(page: Page, tmp_path: Path) -> None:
    """Findings with a score, evidence and kind `update` (the linker's, when it gives them):
    shown in the panel, and the update's figures charted over time."""
    documents = [Document(id="q1.txt", text="In 2021 the pantry fed 410 families."),
                 Document(id="q2.txt", text="In 2022 the pantry fed about 480 families.")]

    def update(claims: list[Any]) -> list[Any]:
        families = tuple(c for c in claims if c.quantity.kind == "count")
        return [types.SimpleNamespace(
            kind="update", key="family|count|2021,2022", claims=families, severity="info",
            explanation="410 (2021) then about 480 (2022)", score=0.87,
            evidence=("counted noun 'family'", "years 2021 and 2022"))]

    opened = page.open(_write(tmp_path, documents, update))
    assert opened.inner_text("#f0 .score") == "score 0.87"
    assert opened.eval_on_selector_all("#f0 .evidence li", "ls => ls.map(l => l.textContent)") \
        == ["counted noun 'family'", "years 2021 and 2022"]
    assert opened.text_content("#f0 .badge") == "update"
    assert opened.eval_on_selector_all(".chart a.point", "ps => ps.length") == 2
    assert opened.eval_on_selector_all(".chart a.point.hedged", "ps => ps.length") == 1
    assert page.errors == []


def test_thousands_of_findings_are_listed_a_page_at_a_time(page: Page, tmp_path: Path) -> None:
    documents = [Document(id=f"d{n}.txt", text=f"The depot has {n + 10} vans.") for n in range(8)]

    def many(claims: list[Any]) -> list[Any]:
        return [types.SimpleNamespace(
            kind=("conflict", "repeat")[n % 2], key=f"van {n}|count",
            claims=tuple(claims if n == 0 else claims[:2]),
            severity=("high", "info")[n % 2], explanation=f"finding {n}", score=None,
            evidence=()) for n in range(2 * FINDINGS_PAGE + 50)]

    opened = page.open(_write(tmp_path, documents, many))
    count = "#finding-list .finding"
    assert opened.eval_on_selector_all(count, "fs => fs.length") == FINDINGS_PAGE
    # a finding of eight claims shows six side by side, and marks all eight
    assert opened.eval_on_selector_all("#f0 .claim-card", "cs => cs.length") == 6
    assert opened.text_content("#f0 .more-claims").startswith("and 2 more claims")
    opened.click("#f0 button.show")
    assert opened.eval_on_selector_all("mark.marked", "ms => ms.length") == 8
    opened.click("#more-findings")
    assert opened.eval_on_selector_all(count, "fs => fs.length") == 2 * FINDINGS_PAGE
    opened.click("#more-findings")
    assert opened.eval_on_selector_all(count, "fs => fs.length") == 2 * FINDINGS_PAGE + 50
    assert opened.is_hidden("#more-findings")
    opened.uncheck('input[name="kind"][value="conflict"]')
    assert opened.eval_on_selector_all(count, "fs => fs.length") == FINDINGS_PAGE
    assert opened.eval_on_selector_all(
        count, "fs => fs.every(f => f.dataset.findingKind === 'repeat')")
    _search(opened, "van 21")
    assert opened.eval_on_selector_all(count, "fs => fs.map(f => f.id)") == \
        ["f21"] + [f"f{n}" for n in range(211, 220, 2)]
    assert page.errors == []


_IN_VIEW = """m => {
  const r = m.getBoundingClientRect(), pane = m.closest('.text').getBoundingClientRect();
  const inPane = r.top >= pane.top - 1 && r.bottom <= pane.bottom + 1;
  const inWindow = r.top >= 0 && r.bottom <= window.innerHeight;
  return [m.classList.contains('marked'), inPane, inWindow];
}"""


def test_clicking_a_finding_scrolls_to_and_marks_its_claims(page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    data = _data(opened)
    number, finding = next((n, f) for n, f in enumerate(data["findings"])
                           if f["kind"] == "conflict"
                           and len({data["claims"][i]["doc"] for i in f["claims"]}) == 2)
    assert opened.evaluate("window.scrollY") == 0
    opened.click(f'#f{number} button.show')
    states = [opened.eval_on_selector(f"#c{i}", _IN_VIEW) for i in finding["claims"]]
    assert all(marked and in_pane for marked, in_pane, _ in states), states
    assert states[0][2], "the page is scrolled to the first claim"
    assert opened.evaluate("window.scrollY") > 0
    assert opened.eval_on_selector_all("mark.marked", "ms => ms.length") == len(finding["claims"])
    # another finding: the marks move to its claims
    other = next(n for n, f in enumerate(data["findings"]) if f["kind"] == "inconsistent")
    opened.click(f"#f{other} .explanation")
    marked = opened.eval_on_selector_all("mark.marked",
                                         "ms => ms.map(m => Number(m.dataset.claim))")
    assert marked == sorted(data["findings"][other]["claims"])
    assert page.errors == []


def test_filters_hide_what_they_should(page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    data = _data(opened)

    def visible() -> list[int]:
        return opened.eval_on_selector_all(
            ".finding", "fs => fs.filter(f => !f.hidden && f.offsetParent !== null)"
                        ".map(f => Number(f.dataset.finding))")

    everything = list(range(len(data["findings"])))
    assert visible() == everything
    opened.uncheck('input[name="kind"][value="repeat"]')
    assert visible() == [n for n in everything if data["findings"][n]["kind"] != "repeat"]
    opened.uncheck('input[name="severity"][value="high"]')
    assert visible() == [n for n in everything if data["findings"][n]["kind"] != "repeat"
                         and data["findings"][n]["severity"] != "high"]
    shown = len(visible())
    assert opened.text_content("#filter-status") == f"{shown} of {len(everything)} findings shown"
    opened.check('input[name="kind"][value="repeat"]')
    opened.check('input[name="severity"][value="high"]')
    _search(opened, "Control Room")  # the subjects of a finding: its key's and its claims'
    assert visible() == [n for n in everything
                         if "control room" in data["findings"][n]["subjects"]]
    assert all("control room" in " ".join([data["findings"][n]["key"], *(
        data["claims"][i].get("subject", "").lower() for i in data["findings"][n]["claims"])])
        for n in visible())
    assert 0 < len(visible()) < len(everything)
    charts = opened.eval_on_selector_all(".chart", "cs => cs.map(c => c.hidden)")
    assert charts and all(charts), "no chart is about the control room"
    _search(opened, "food parcel")
    assert visible() == []
    captions = opened.eval_on_selector_all(".chart:not([hidden]) figcaption",
                                           "cs => cs.map(c => c.textContent)")
    assert captions[0].startswith("food parcel")
    _search(opened, "")
    assert visible() == everything


def test_a_claim_shows_its_reading_on_focus_and_hover(page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    data = _data(opened)
    number = next(n for n, c in enumerate(data["claims"])
                  if c["text"] == "nearly 7,000")
    opened.focus(f"#c{number}")
    tip = opened.inner_text("#tip")
    for expected in ("nearly 7,000", "7000", "6300 \u2013 7700", "approx", "parcel", "Priya Kaur",
                     "food parcels"):
        assert expected in tip
    assert opened.get_attribute(f"#c{number}", "aria-describedby") == "tip"
    opened.keyboard.press("Escape")
    assert opened.is_hidden("#tip")
    sourced = next(n for n, c in enumerate(data["claims"]) if c.get("source"))
    opened.hover(f"#c{sourced}")
    assert data["claims"][sourced]["source"] in opened.inner_text("#tip")


def test_everything_is_reachable_by_keyboard(page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    reached: list[str] = []
    for _ in range(40):
        opened.keyboard.press("Tab")
        reached.append(opened.evaluate(
            "(() => { const e = document.activeElement;"
            " return e.tagName + (e.className ? '.' + e.className : '')"
            " + (e.getAttribute('name') ? '[' + e.getAttribute('name') + ']' : ''); })()"))
    assert "A" in reached  # the skip links
    assert "INPUT[kind]" in reached and "INPUT[severity]" in reached and "INPUT[subject]" in reached
    assert "BUTTON.show" in reached
    opened.focus("#f0 button.show")
    opened.keyboard.press("Enter")
    assert opened.eval_on_selector_all("mark.marked", "ms => ms.length") > 0
    # the claims in the text and the points of a chart take the focus too
    assert opened.eval_on_selector_all("#documents mark[tabindex='0']", "ms => ms.length") > 40
    opened.focus(".chart a.point")
    opened.keyboard.press("Enter")
    assert opened.eval_on_selector_all("mark.marked", "ms => ms.length") == 1


def test_a_claim_link_marks_and_focuses_it_and_an_address_can_name_one(
        page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    link = opened.query_selector("#f0 .claim-card a[data-claim-link]")
    number = int(link.get_attribute("data-claim-link"))
    claim = _data(opened)["claims"][number]
    assert link.text_content() == f"{Path(claim['doc']).name}:{claim['line']}:{claim['column']}"
    assert link.get_attribute("title") == claim["location"]
    link.focus()
    opened.keyboard.press("Enter")
    assert opened.evaluate("document.activeElement.id") == f"c{number}"
    assert opened.eval_on_selector(f"#c{number}", _IN_VIEW) == [True, True, True]
    assert opened.is_visible("#tip")
    opened = page.open(report_file, "#c30")
    assert opened.eval_on_selector_all("mark.marked", "ms => ms.map(m => m.id)") == ["c30"]
    assert opened.eval_on_selector("#c30", _IN_VIEW) == [True, True, True]
    assert page.errors == []


def test_a_chart_point_links_to_its_claim(page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    data = _data(opened)
    points = opened.eval_on_selector_all(
        ".chart a.point", "ps => ps.map(p => Number(p.dataset.claimLink))")
    assert len(points) >= 6
    hedged = opened.eval_on_selector_all(".chart a.point.hedged line.interval", "ls => ls.length")
    assert hedged >= 3
    opened.click(f'.chart a.point[data-claim-link="{points[-1]}"]')
    assert opened.eval_on_selector(f"#c{points[-1]}", _IN_VIEW) == [True, True, True]
    assert data["claims"][points[-1]]["kind"] != "date"


_INJECTED = ("img, svg:not(.chart svg), iframe, textarea, object, embed, b, "
             "a[href^='javascript'], [onerror], [onload], [onfocus], [onmouseover]")


def _runs_nothing(opened: Any) -> None:
    opened.hover("#documents mark[data-claim]")
    opened.wait_for_timeout(300)  # an injected handler or timer would have run by now
    assert opened.evaluate("typeof window.__claimtrackPwned") == "undefined"
    injected = opened.eval_on_selector_all(_INJECTED, "es => es.map(e => e.outerHTML)")
    assert injected == []
    assert opened.eval_on_selector_all("script", "ss => ss.length") == 2  # the report's own


def test_hostile_text_runs_nothing(page: Page, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = HOSTILE.read_text(encoding="utf-8")
    (folder / "\"><img src=x onerror=\"window.__claimtrackPwned=9\">.txt").write_text(
        text, encoding="utf-8")
    record = ('{"id": "</script><script>window.__claimtrackPwned=10</script>", "date": '
              '"2024-04-03", "source": "\\"><svg onload=window.__claimtrackPwned=11>", "text": '
              + json.dumps(text) + "}\n")
    (folder / "records.jsonl").write_text(record, encoding="utf-8")
    out = tmp_path / "hostile.html"
    assert report_main(["--format", "html", "-o", str(out), str(folder)]) == 0
    opened = page.open(out)
    _runs_nothing(opened)
    assert page.requests == [out.as_uri()]
    body = opened.inner_text("#documents")
    for shown in ("<script>window.__claimtrackPwned = 1</script>", "</textarea><textarea",
                  'href="javascript:window.__claimtrackPwned = 4"', "\"><img src=x onerror="):
        assert shown in body
    # the findings panel and the tooltips show the hostile names as text too
    panel = opened.inner_text("#finding-list")
    assert '"><img src=x onerror="window.__claimtrackPwned=9">.txt' in panel
    assert '"><svg onload=window.__claimtrackPwned=11>' in panel
    claims = _data(opened)["claims"]
    sourced = next(n for n, c in enumerate(claims) if "svg onload" in c.get("source", ""))
    opened.hover(f"#c{sourced}")
    assert claims[sourced]["source"] in opened.inner_text("#tip")
    assert page.errors == []

    # escaping alone holds: the same page without its Content-Security-Policy
    bare = tmp_path / "bare.html"
    bare.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                           out.read_text(encoding="utf-8")), encoding="utf-8")
    _runs_nothing(page.open(bare))
    assert page.errors == []
    # and the probe works: the same text written into a page unescaped runs
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><p>{text}</p>", encoding="utf-8")
    opened.goto(control.as_uri())
    assert opened.evaluate("typeof window.__claimtrackPwned") == "number"


def _png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (enough to tell blank)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, width, height = 8, [], 0, 0
    while at < len(png):
        (size,) = struct.unpack(">I", png[at:at + 4])
        kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + size]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            chunks.append(body)
        at += 12 + size
    return width, height, zlib.decompress(b"".join(chunks))


def test_a_screenshot_is_not_blank(page: Page, report_file: Path, tmp_path: Path) -> None:
    opened = page.open(report_file)
    shot = tmp_path / "report.png"
    opened.screenshot(path=str(shot))
    width, height, pixels = _png_pixels(shot.read_bytes())
    assert (width, height) == (LAPTOP["width"], LAPTOP["height"])
    assert len(set(pixels)) > 100  # a blank page has a handful of byte values
    blank = opened.context.new_page()
    blank.set_content("<html><body></body></html>")
    assert len(set(_png_pixels(blank.screenshot())[2])) < 10


def test_readable_on_a_laptop_and_in_print(page: Page, report_file: Path) -> None:
    opened = page.open(report_file)
    assert opened.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    panel = opened.eval_on_selector("#findings", "e => e.getBoundingClientRect().width")
    assert 300 < panel < LAPTOP["width"] / 2
    opened.emulate_media(media="print")
    assert opened.is_hidden("#filters")
    overflow = opened.eval_on_selector_all(
        ".doc .text", "ts => ts.map(t => getComputedStyle(t).maxHeight)")
    assert set(overflow) == {"none"}
    assert len(opened.pdf(format="A4")) > 20_000
