"""Size and load time of the HTML report on a large input (200 documents, 10 MB).

    python benchmarks/bench_report.py [--documents 200] [--megabytes 10] [--seed 1]
                                      [--keep report.html]

Builds synthetic documents from the paragraphs of fixtures/ (cases, compare, report),
with their figures moved a little in some documents (so that they repeat, conflict
and change over the years) and filler prose between them, to one claim in about 300
characters, as in news text. Prints the claims and findings, the CPU time of
extraction, comparison and render_html, the size of the page, and in headless
Chromium (the system's, as the tests use it) the time from navigation to the
report's script having run (`window.claimtrackReady`: the findings listed, every
handler in place) and to the load event's end (the page parsed and its first
layout done), best of three loads, and the time a click on a finding and a
search take.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_browser import BROWSER_ARGS, chromium_path  # noqa: E402  (tests/)

from claimtrack.compare import compare  # noqa: E402
from claimtrack.html_report import render_html  # noqa: E402
from claimtrack.model import Document  # noqa: E402
from claimtrack.pipeline import extract_document  # noqa: E402

_FILLER = [
    "the", "council", "said", "that", "plan", "would", "be", "looked", "at", "again",
    "before", "summer", "while", "residents", "asked", "for", "clearer", "answers", "about",
    "how", "service", "is", "run", "and", "who", "pays", "work", "on", "estate", "whether",
    "changes", "will", "last", "members", "of", "public", "spoke", "length", "buses",
    "library", "park", "roads", "which", "several", "people", "described", "as", "a",
    "long", "running", "concern"
]
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _paragraphs() -> list[str]:
    out: list[str] = []
    for folder in ("cases", "compare", "report"):
        for path in sorted((ROOT / "fixtures" / folder).glob("*.txt")):
            out.extend(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n")
                       if len(p.strip()) > 40)
    return out


def _moved(paragraph: str, rng: random.Random) -> str:
    """The paragraph with some of its numbers changed by a few per cent."""
    def move(match: re.Match[str]) -> str:
        digits = match.group(0).replace(",", "")
        if "." in digits or rng.random() > 0.3:
            return match.group(0)
        value = int(digits)
        return f"{max(1, round(value * rng.uniform(0.85, 1.2))):,}"
    return _NUMBER.sub(move, paragraph)


def _filler(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        n = rng.randint(12, 28)
        sentence = " ".join(rng.choice(_FILLER) for _ in range(n))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        words -= n
    return " ".join(sentences)


def build_documents(count: int, total_chars: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    per_document = total_chars // count
    documents = []
    for number in range(count):
        year = 2015 + number % 10
        parts = [f"Bulletin {number + 1}\n\n{rng.randint(1, 28)} March {year}"]
        size = len(parts[0])
        while size < per_document:
            paragraph = _moved(rng.choice(paragraphs), rng)
            if rng.random() < 0.3:  # a figure of the bulletin's own year
                paragraph = f"In {year} " + paragraph[0].lower() + paragraph[1:]
            filler = _filler(rng, rng.randint(60, 140))
            parts.extend((paragraph, filler))
            size += len(paragraph) + len(filler) + 4
        text = "\n\n".join(parts)[:per_document]
        documents.append(Document(id=f"bulletins/bulletin_{number + 1:03}.txt", text=text))
    return documents


def _browser_timings(page_path: Path, loads: int = 3) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("no Chromium: apt-get install chromium")
    timings: dict[str, list[float]] = {"wall": [], "ready": [], "loaded": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        for _ in range(loads):
            started = time.perf_counter()
            page.goto(page_path.as_uri(), wait_until="commit")
            # a function, not an expression: Playwright evaluates an expression with
            # eval(), which the page's Content-Security-Policy forbids
            page.wait_for_function("() => window.claimtrackReady === true", timeout=60_000)
            timings["wall"].append(time.perf_counter() - started)
            timings["ready"].append(page.evaluate("window.claimtrackReadyAt") / 1000)
            page.wait_for_load_state("load")
            timings["loaded"].append(page.evaluate(
                "performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
        click = page.evaluate("""() => {
            const t = performance.now();
            document.querySelector('.finding button.show').click();
            document.body.getBoundingClientRect();
            return (performance.now() - t) / 1000; }""")
        search = page.evaluate("""() => {
            const t = performance.now(), box = document.getElementById('subject-search');
            box.value = 'parcel'; window.claimtrackReport.applyFilters();
            document.body.getBoundingClientRect();
            return (performance.now() - t) / 1000; }""")
        browser.close()
    best = {name: min(values) for name, values in timings.items()}
    best.update(click=click, search=search)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="FILE", help="write the page here too")
    args = parser.parse_args()

    documents = build_documents(args.documents, int(args.megabytes * 1_000_000), args.seed)
    chars = sum(len(d.text) for d in documents)
    started = time.process_time()
    claims = [c for d in documents for c in extract_document(d)]
    extracted = time.process_time()
    findings = compare(claims, texts={d.id: d.text for d in documents})
    compared = time.process_time()
    page = render_html(documents, claims, findings)
    rendered = time.process_time()
    encoded = page.encode("utf-8")
    charts = page.count('<figure class="chart"')
    print(f"documents {len(documents)}, text {chars / 1e6:.1f} M characters, "
          f"claims {len(claims):,}, findings {len(findings):,}, "
          f"charts {charts}")
    print(f"cpu: extract {extracted - started:.1f} s, compare {compared - extracted:.1f} s, "
          f"render_html {rendered - compared:.2f} s")
    print(f"page {len(encoded) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.keep or Path(folder) / "report.html").resolve()
        path.write_bytes(encoded)
        timings = _browser_timings(path)
    print(f"chromium (best of 3): script ready {timings['ready']:.2f} s, load event done "
          f"{timings['loaded']:.2f} s after navigation (wall from goto to ready "
          f"{timings['wall']:.2f} s); click on a finding {timings['click'] * 1000:.0f} ms, "
          f"subject search {timings['search'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
