"""The Python examples in README.md and docs/*.md run and print what they show.

```pycon blocks are doctests; plain --doctest-glob trips on the closing fence,
so the blocks are cut out and run one by one.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```pycon\n(.*?)```", re.S)


def _blocks() -> list[tuple[str, str]]:
    return [(f"{page.name}#{i}", block) for page in PAGES
            for i, block in enumerate(BLOCK.findall(page.read_text(encoding="utf-8")))]


@pytest.mark.parametrize(("name", "block"), _blocks(), ids=[n for n, _ in _blocks()])
def test_example(name: str, block: str) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block, {}, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{name}: {runner.failures} example(s) failed (see output)"


def test_module_doctests() -> None:
    import claimtrack
    import claimtrack.units

    for module in (claimtrack, claimtrack.units):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0


def test_hedge_tables_match_the_data() -> None:
    """docs/concepts.md lists every hedge word of data/hedges.toml, side by side."""
    from claimtrack.rules import read_data_file

    page = (ROOT / "docs" / "concepts.md").read_text(encoding="utf-8")
    for side in ("before", "after"):
        table = page[page.index(f"| qualifier | words {side} the figure |"):]
        for qualifier, entry in read_data_file("hedges.toml")[side].items():
            row = re.search(rf"^\| `{qualifier}` \| (.*) \|$", table, re.M)
            assert row is not None, f"no {side} row for {qualifier}"
            assert row.group(1).split(", ") == entry["aliases"], f"{side}.{qualifier} drifted"
