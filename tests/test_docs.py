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
# A file an example reads, shown on the page: "<!-- file: my_rules.toml -->" before its block.
FILE = re.compile(r"<!-- file: (?P<name>[\w.-]+) -->\n```\w*\n(?P<text>.*?)```", re.S)


def _blocks() -> list[tuple[str, str, dict[str, str]]]:
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        files = {m["name"]: m["text"] for m in FILE.finditer(text)}
        out += [(f"{page.name}#{i}", block, files) for i, block in enumerate(BLOCK.findall(text))]
    return out


@pytest.mark.parametrize(("name", "block", "files"), _blocks(), ids=[n for n, _, _ in _blocks()])
def test_example(name: str, block: str, files: dict[str, str], tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example runs in an empty directory holding the files its page shows."""
    for file_name, text in files.items():
        (tmp_path / file_name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
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
