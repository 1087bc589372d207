"""The command line, run in-process: exit codes and every output format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from claimtrack import __version__
from claimtrack.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "example.txt"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["table", "jsonl", "json", "csv", "markdown"])
def test_every_format(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", fmt, str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "£1.2m" in out
    if fmt == "jsonl":
        records = [json.loads(line) for line in out.splitlines()]
        assert all(r["text"] for r in records)
    elif fmt == "json":
        assert isinstance(json.loads(out), list)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[0]["doc"].endswith("example.txt")


def test_jsonl_offsets_point_into_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    main(["extract", "--format", "jsonl", str(EXAMPLE)])
    text = EXAMPLE.read_text(encoding="utf-8")
    for line in capsys.readouterr().out.splitlines():
        record = json.loads(line)
        assert text[record["start"]:record["end"]] == record["text"]


def test_directory_is_walked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("It cost £5m.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("About 40 staff left.", encoding="utf-8")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01")
    assert main(["extract", "--format", "jsonl", str(tmp_path)]) == 0
    docs = [json.loads(line)["doc"] for line in capsys.readouterr().out.splitlines()]
    assert [Path(d).name for d in docs] == ["a.txt", "b.md"]


def test_reference_date_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The report came out yesterday.", encoding="utf-8")
    assert main(["extract", "--format", "jsonl", "--date", "2021-03-05", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == "2021-03-04"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["extract", "missing.txt"], "missing.txt: no such file or directory"),
        (["extract", "--date", "2021-13-01", "x"], "invalid date"),
        (["extract", "--format", "xml", "x"], "invalid choice"),
        (["extract", "--max-bytes", "-5", "x"], "must be from 1 to 1,000,000,000,000, got -5"),
        (["extract", "--max-bytes", "99999999999999999999999", "x"], "must be from 1 to"),
        (["extract", "--max-bytes", "9" * 5000, "x"], "invalid number"),
        (["extract", "--date", "20240101", "x"], "invalid date '20240101' (expected YYYY-MM-DD)"),
        (["extract", "--date", "2024-W01-1", "x"], "invalid date"),
        (["structure", "--date", "2024-01-01T00:00", "x"], "invalid date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv: list[str], message: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    *usage, error = err.splitlines()
    assert message in error
    if usage:  # a usage error: the command's usage, then the error naming the command
        assert usage[0].startswith(f"usage: claimtrack {argv[0]} ")
        assert error.startswith(f"claimtrack {argv[0]}: error: ")


def test_binary_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert main(["extract", str(path)]) == 2
    assert capsys.readouterr().err.strip() == f"claimtrack: error: {path}: not a text file"


def test_empty_file_has_no_claims(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    assert main(["extract", "--format", "jsonl", str(path)]) == 0
    assert capsys.readouterr().out == ""


def test_too_large_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.txt"
    path.write_text("12 " * 100, encoding="utf-8")
    assert main(["extract", "--max-bytes", "10", str(path)]) == 2
    assert "over the limit" in capsys.readouterr().err


def test_latin1_file_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("It cost £40 in all.".encode("cp1252"))
    assert main(["extract", "--format", "jsonl", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "£40"


def test_claim_report_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from claimtrack.cli import report_main

    assert report_main([str(EXAMPLE)]) == 0
    assert "£1.2m" in capsys.readouterr().out


def test_the_table_shows_the_interval_of_a_range(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "range.txt"
    page.write_text("Between 300 and 400 people came, and hundreds more watched.", encoding="utf-8")
    assert main(["extract", str(page)]) == 0
    out = capsys.readouterr().out
    assert "300-400" in out and "200-999" in out


_NAIRA = '[currencies.NGN]\nsymbols = ["₦"]\nwords = ["naira"]\n'


@pytest.mark.parametrize("command", [
    ["extract", "--format", "jsonl"], ["compare", "--format", "json"],
])
def test_rules_option_extends_the_rules(command: list[str], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "naira.toml"
    rules.write_text(_NAIRA, encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("The fare is ₦5,000 a trip. A ticket costs 300 naira.\n", encoding="utf-8")
    assert main([*command, str(doc)]) == 0
    plain = capsys.readouterr().out
    assert main([*command, "--rules", str(rules), str(doc)]) == 0
    extended = capsys.readouterr().out
    if command[0] == "extract":
        kinds = [json.loads(line)["kind"] for line in extended.splitlines()]
        assert kinds == ["money", "money"]
        assert [json.loads(line)["kind"] for line in plain.splitlines()] == ["count", "count"]


def test_a_bad_rule_file_is_one_line_and_exit_2(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "bad.toml"
    rules.write_text('[hedges.before.roughly]\naliases = ["ish"]\n', encoding="utf-8")
    for command in (["extract"], ["structure"], ["compare"], ["ingest", "--store",
                                                                 str(tmp_path / "s.db")]):
        assert main([*command, "--rules", str(rules), str(EXAMPLE)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert err.startswith(f"claimtrack: error: {rules}: [hedges.before.roughly]: ")


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", [["extract"], ["compare"], ["ingest", "--store", "S"]])
def test_progress_on_a_terminal_only(command: list[str], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(p) for p in sorted((EXAMPLE.parent / "compare").glob("*.txt"))[:2]]
    argv = [a.replace("S", str(tmp_path / "claims.db")) for a in command] + files
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(argv) == 0
    drawn = terminal.getvalue()
    assert "claimtrack: reading" in drawn and "/2 [" in drawn  # count/total, rate, time
    if command == ["compare"]:
        assert "comparing" in drawn
    terminal.truncate(0)
    terminal.seek(0)
    argv = [*argv[:1], "--quiet", *argv[1:]]
    assert main(argv) == 0 and terminal.getvalue() == ""
    capsys.readouterr()


def test_no_progress_when_stderr_is_no_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(p) for p in sorted((EXAMPLE.parent / "compare").glob("*.txt"))]
    assert main(["compare", *files]) == 0
    assert capsys.readouterr().err == ""


def test_tables_fit_the_terminal(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    cases = sorted(str(p) for p in (EXAMPLE.parent / "cases").glob("*.txt"))
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["extract", "--format", "table", *cases]) == 0
    fitted = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in fitted) <= 120
    assert any("…" in line for line in fitted)
    assert main(["extract", "--format", "table", "--wide", *cases]) == 0
    wide = capsys.readouterr().out.splitlines()
    assert len(wide) == len(fitted) and max(len(line) for line in wide) > 120
    assert not any("…" in line for line in wide)


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_no_empty_table_when_every_input_fails(fmt: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", fmt, str(tmp_path / "missing.txt")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("error:") == 1


def test_format_help_lists_choices_and_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--format FORMAT table: a table" in text and "(default: table)" in text
    for name in ("jsonl", "json", "csv", "markdown"):
        assert f"; {name}: " in text


def test_counts_are_singular_for_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "one.txt"
    page.write_text("The trust has 350 paramedic vacancies.\n", encoding="utf-8")
    assert main(["ingest", str(page), "--store", str(tmp_path / "claims.db")]) == 0
    out = capsys.readouterr().out
    assert "1 document (1 new, 0 changed, 0 unchanged); 1 claim added; 0 findings" in out


def test_compare_writes_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "findings.md"
    compare = str(EXAMPLE.parent / "compare")
    assert main(["compare", "--format", "markdown", "-o", str(target), compare]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("1. **conflict**")


def test_a_file_named_twice_is_read_once(capsys: pytest.CaptureFixture[str]) -> None:
    courier = str(EXAMPLE.parent / "compare" / "courier_2023-05-10.txt")
    assert main(["compare", "--format", "json", courier]) == 0
    once = capsys.readouterr().out
    assert main(["compare", "--format", "json", courier, courier]) == 0
    assert capsys.readouterr().out == once
