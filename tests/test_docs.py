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


def _sections(page: str) -> dict[str, str]:
    """The text under each heading of a page, by heading."""
    parts = re.split(r"^#{2,3} (.+)$", page, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_cli_reference_names_every_command_and_option() -> None:
    """docs/cli.md documents every subcommand of `claimtrack --help` under its own heading,
    and every option of each under that heading or among the shared options (as
    sqlite-utils' tests keep its CLI reference)."""
    import argparse

    from claimtrack.cli import build_parser, build_report_parser

    sections = _sections((ROOT / "docs" / "cli.md").read_text(encoding="utf-8"))
    shared = sections["Global options"] + sections["Options of every command that reads files"]
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parsers = {f"claimtrack {name}": parser for name, parser in sub.choices.items()}
    parsers["claim-report"] = build_report_parser()
    missing = []
    for title, parser in parsers.items():
        if title not in sections:
            missing.append(f"no section '## {title}'")
            continue
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help", "--version", "--verbose") and \
                        f"`{option}" not in sections[title] + shared and \
                        f"[{option}" not in sections[title]:
                    missing.append(f"{title} {option}")
    assert not missing, missing


def test_files_the_docs_use_are_shipped() -> None:
    """Every fixtures/ path a page or the README names exists."""
    named = {m for page in PAGES for m in re.findall(r"\bfixtures/[\w./-]*\w",
                                                     page.read_text(encoding="utf-8"))}
    assert named and not [n for n in sorted(named) if not (ROOT / n).exists()]


def test_quickstart_output_is_what_the_tool_prints(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack.cli import main

    monkeypatch.chdir(ROOT)
    page = (ROOT / "docs" / "quickstart.md").read_text(encoding="utf-8")
    shown = re.search(r"extract --format jsonl fixtures/ferry.txt\n```\n\n```json\n(.*?)```",
                      page, re.S)
    assert shown is not None
    assert main(["extract", "--format", "jsonl", "fixtures/ferry.txt"]) == 0
    assert capsys.readouterr().out == shown.group(1)
    table = re.search(r"The first lines of the output.*?```text\n(.*?)```", page, re.S)
    assert table is not None
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["extract", "fixtures/example.txt"]) == 0
    assert capsys.readouterr().out.startswith(table.group(1))
