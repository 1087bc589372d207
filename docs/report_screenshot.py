"""Regenerate docs/report.png and docs/report-finding.png: the HTML report on the
fixtures, as it opens and with one finding shown.

    .venv/bin/python docs/report_screenshot.py

Needs Playwright and the system's Chromium, as tests/test_browser.py does.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_browser import BROWSER_ARGS, chromium_path  # noqa: E402  (tests/)

from claimtrack.cli import report_main  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    os.chdir(ROOT)  # the documents are named as on the command line: fixtures/...
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "report.html"
        report_main(["--format", "html", "-o", str(page_path), "--aliases",
                     "fixtures/compare/aliases.toml", "fixtures/compare", "fixtures/report"])
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(),
                                                 args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 820})
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.claimtrackReady === true")
            page.hover("#series a.point.hedged")
            page.screenshot(path=str(ROOT / "docs" / "report.png"))
            number = page.evaluate("""window.claimtrackReport.data.findings.findIndex(
                f => f.kind === 'conflict' && f.key === 'paramedic vacancy|count')""")
            page.click(f"#f{number} button.show")  # 350 vs more than 500 vacancies
            second = page.evaluate(f"window.claimtrackReport.data.findings[{number}].claims[1]")
            page.focus(f"#c{second}")  # its reading, as a tooltip
            page.screenshot(path=str(ROOT / "docs" / "report-finding.png"))
            browser.close()
    print("docs/report.png docs/report-finding.png")


if __name__ == "__main__":
    main()
