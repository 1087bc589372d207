"""Reading input: encodings, binary files, formats, limits, and one-line errors."""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack.cli import main
from claimtrack.decoding import (
    BINARY_MAGIC,
    MOJIBAKE_TARGETS,
    decode,
    decode_cp1252,
    is_binary,
    repair_mojibake,
)
from claimtrack.document import load_document, read_documents
from claimtrack.errors import InputError, InputWarning
from claimtrack.htmltext import html_to_text

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "fixtures" / "bad"
EXPECTED: dict[str, Any] = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
FUZZ_EXAMPLES = int(os.environ.get("CLAIMTRACK_FUZZ_EXAMPLES", "100"))
BAD_FILES = sorted(p.name for p in BAD.iterdir() if p.name not in ("expected.json", "README.md"))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[Any], list[str]]:
    """Exit status, the JSONL records written, and the stderr lines of one run."""
    code = main(["extract", "--format", "jsonl", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err.splitlines()


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


# --- the fixtures of fixtures/bad, as data ------------------------------------------


def test_every_bad_fixture_has_an_expectation() -> None:
    assert set(BAD_FILES) == set(EXPECTED) - {"_format"}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_fixture(name: str, capsys: pytest.CaptureFixture[str],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    expected = EXPECTED[name]
    code, records, err = _run([name], capsys)
    assert code == expected["exit"]
    assert err == [f"claimtrack: {line}" for line in expected["stderr"]]
    assert [r["text"] for r in records] == expected["claims"]


@pytest.mark.parametrize("name", [n for n in BAD_FILES if not n.endswith(".jsonl")])
def test_offsets_point_into_the_decoded_text(name: str) -> None:
    for item in read_documents(BAD / name):
        if isinstance(item, InputError):
            continue
        text = item.document.text
        for claim in claimtrack.extract_document(item.document):
            assert text[claim.start:claim.end] == claim.text


# --- decoding -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                      "utf-32", "utf-32-le", "utf-32-be"])
def test_unicode_encodings_with_a_mark(encoding: str) -> None:
    text = "Prices rose 12% to £5m – “about” 40 ½ staff 😀.\n"
    data = text.encode(encoding)
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}.get(encoding, b"")
    decoded = decode(bom + data, "f")
    assert decoded.text == text
    assert decoded.warnings == ()


def test_utf16_without_a_mark_is_refused() -> None:
    with pytest.raises(InputError, match="f: not a text file"):
        decode("About 40 staff".encode("utf-16-le"), "f")


def test_bad_utf16_is_read_with_replacements() -> None:
    decoded = decode(codecs.BOM_UTF16_LE + "12 staff".encode("utf-16-le") + b"\x00\xd8", "f")
    assert decoded.text == "12 staff\ufffd"
    assert decoded.warnings == ("f: not valid UTF-16, bad bytes replaced with U+FFFD",)


def test_cp1252_fallback_keeps_one_character_per_byte() -> None:
    data = b"\x93Quoted\x94 \x80 5m, \x81\x8d\x8f\x90\x9d undefined, caf\xe9 \xa340"
    text = decode_cp1252(data)
    assert len(text) == len(data)
    assert text.startswith("“Quoted” € 5m, \x81\x8d\x8f\x90\x9d undefined, café £40")
    decoded = decode(data, "old.txt")
    assert decoded.encoding == "cp1252"
    assert decoded.warnings == ("old.txt: not valid UTF-8, read as cp1252",)


@pytest.mark.parametrize(("raw", "text"), [
    (b"a\r\nb", "a\nb"), (b"a\rb", "a\nb"), (b"a\r\r\nb", "a\n\nb"), (b"a\n\rb", "a\n\nb"),
    (b"\r\n\r\n", "\n\n"),
])
def test_line_ends(raw: bytes, text: str) -> None:
    assert decode(raw, "f").text == text


@pytest.mark.parametrize(("garbled", "fixed"), [
    ("Itâ€™s", "It’s"), ("Â£5m", "£5m"), ("10â€“12", "10–12"), ("â€œaboutâ€\x9d", "“about”"),
    ("cafÃ©", "café"), ("10Â°C", "10°C"), ("Â½", "½"), ("â‚¬5", "€5"), ("12Â\xa0345", "12\xa0345"),
    ("â€¦", "…"), ("ÃŸ", "ß"), ("Å“uvre", "œuvre"),
])
def test_mojibake_is_repaired(garbled: str, fixed: str) -> None:
    assert repair_mojibake(garbled) == fixed


@pytest.mark.parametrize("text", ["SÃO PAULO", "São Paulo", "Â is a letter", "Ã and Â alone",
                                  "naïve café – £5", "Åland", "Æsir"])
def test_text_without_mojibake_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def test_every_mojibake_target_round_trips() -> None:
    for char in MOJIBAKE_TARGETS:
        assert repair_mojibake(decode_cp1252(char.encode("utf-8"))) == char


def test_mojibake_is_not_turned_into_figures() -> None:
    text = decode("Itâ€™s Â£5m â€“ up 3â€“4%.".encode(), "f").text
    assert [c.text for c in claimtrack.extract(text)] == ["£5m", "3–4%"]


@pytest.mark.parametrize("magic", BINARY_MAGIC)
def test_binary_formats_are_refused(magic: bytes) -> None:
    data = magic + (b"1AY&SY" if magic == b"BZh" else b"") + b"It cost 5m pounds." * 10
    if magic == b"BZh":
        data = b"BZh9" + data[3:]
    assert is_binary(data)


@pytest.mark.parametrize("data", [b"", b"plain", b"\x1b[31mred\x1b[0m 5 errors\n", b"\tTab\x0cfeed",
                                  "£5".encode(), b"BZh... is not bzip2", b"PK is fine"])
def test_text_is_not_binary(data: bytes) -> None:
    assert not is_binary(data)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_are_refused(data: bytes) -> None:
    try:
        decoded = decode(data, "f")
    except InputError as exc:
        assert str(exc) == "f: not a text file"
        return
    assert "\r" not in decoded.text
    for claim in claimtrack.extract(decoded.text):
        assert decoded.text[claim.start:claim.end] == claim.text


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc"))))
def test_utf8_text_reads_back(text: str) -> None:
    assert decode(text.encode("utf-8"), "f").text == repair_mojibake(text)


# --- HTML ---------------------------------------------------------------------------


def test_html_text_drops_scripts_and_styles() -> None:
    text = html_to_text("<html><head><title>£9bn</title><style>p{width:100%}</style>"
                        "<script>if (a < b) x = 5;</script></head><body><p>It cost &pound;5m"
                        "</p><noscript>enable 50 scripts</noscript><template>7 days</template>"
                        "<svg><text>12</text></svg></body></html>")
    assert text == "It cost £5m"


def test_html_blocks_are_paragraphs_and_br_a_line() -> None:
    text = html_to_text("<h1>Title</h1><p>One\n   two</p><div>Three<br>four</div>"
                        "<table><tr><td>a</td><td>b</td></tr></table>")
    assert text == "Title\n\nOne two\n\nThree\nfour\n\na\tb"


def test_html_table_rows_are_lines_under_their_header() -> None:
    text = html_to_text("<p>Intro</p><table><thead><tr><th>Region</th><th>Claimants</th></tr>"
                        "</thead><tbody><tr><td>North</td><td>1,200</td></tr><tr><td>South</td>"
                        "<td>900</td></tr></tbody></table><p>Source: ONS</p>")
    assert text == "Intro\n\nRegion\tClaimants\nNorth\t1,200\nSouth\t900\n\nSource: ONS"


def test_html_pre_keeps_its_spaces() -> None:
    assert html_to_text("<pre>a   1\n b  2</pre><p>x   y</p>") == "a   1\n b  2\n\nx y"


def test_html_entities_and_no_break_spaces() -> None:
    assert html_to_text("12&nbsp;345 &amp; &#8364;5 &euro;6 &bogus; &#x2013;") == \
        "12\xa0345 & €5 €6 &bogus; –"


def test_html_comments_and_stray_angles() -> None:
    assert html_to_text("a <!-- 5 staff --> b < c > d <!-- unclosed 12") == "a b < c > d"
    assert html_to_text("1 < 2 and <a <b>3</b>") == "1 < 2 and <a 3"


def test_unclosed_title_in_head_does_not_hide_the_body() -> None:
    assert html_to_text("<head><title>Oops<body><p>40 staff</p>") == "40 staff"


def test_html_file_offsets_are_into_the_extracted_text(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "p.HTM", b"<p>It cost <b>&pound;5m</b>.</p><p>About 40 staff.</p>")
    code, records, _ = _run([path], capsys)
    text = load_document(Path(path)).text
    assert code == 0
    assert text == "It cost £5m.\n\nAbout 40 staff."
    assert [text[r["start"]:r["end"]] for r in records] == ["£5m", "About 40"]


# --- JSON Lines ---------------------------------------------------------------------


def test_jsonl_records_are_documents(capsys: pytest.CaptureFixture[str]) -> None:
    code, records, err = _run([str(BAD / "corpus.jsonl")], capsys)
    assert (code, err) == (0, [])
    assert [r["doc"] for r in records] == ["a1", "a2", "a2", "3", "3"]
    assert records[0]["date"] == "2024-03-04"
    assert records[-1]["value"] == "2024-03-03"  # "yesterday" against the record's date


def test_jsonl_record_without_id_is_named_by_line(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "c.jsonl", codecs.BOM_UTF8 + b'{"text": "12 staff"}\n\n'
                  b'{"text": "40 staff", "date": null, "extra": [1]}')
    _, records, _ = _run([path], capsys)
    assert [r["doc"] for r in records] == [f"{path}:1", f"{path}:3"]


@pytest.mark.parametrize(("line", "problem"), [
    (b'{"text": 12}', '"text" is not a string'),
    (b'{"text": "a", "id": true}', '"id" must be a string or a whole number'),
    (b'{"text": "a", "id": [1]}', '"id" must be a string or a whole number'),
    (b'{"text": "a", "source": 5}', '"source" must be a string'),
    (b'{"text": "a", "date": 20240304}', '"date" must be YYYY-MM-DD, got 20240304'),
    (b'"just text"', "a record must be a JSON object, got str"),
    (b"[" * 100_000, "not valid JSON (nested too deeply)"),
    (b"{'text': 'a'}", "not valid JSON at column 2: Expecting property name enclosed in double"),
    (b'{"text": "a"} trailing', "not valid JSON at column 15: Extra data"),
])
def test_malformed_jsonl_record(line: bytes, problem: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "c.jsonl", b'{"text": "40 staff"}\n' + line + b"\n")
    code, records, err = _run([path], capsys)
    assert code == 2
    assert len(records) == 1
    assert len(err) == 1
    assert err[0].startswith(f"claimtrack: error: {path}:2: {problem}")


def test_jsonl_record_over_the_limit_is_skipped(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    big = json.dumps({"text": "12 staff " * 200}).encode()
    path = _write(tmp_path / "c.jsonl", big + b"\n" + b'{"text": "40 staff"}\n')
    code, records, err = _run(["--max-bytes", "100", path], capsys)
    assert code == 2
    assert [r["text"] for r in records] == ["40"]
    assert err == [f"claimtrack: error: {path}:1: record over the limit of 100 bytes (--max-bytes)"]


def test_jsonl_cp1252_line_warns_with_its_line(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "c.jsonl", b'{"text": "ok"}\n{"text": "It cost \xa35m"}\n')
    code, records, err = _run([path], capsys)
    assert code == 0
    assert [r["text"] for r in records] == ["£5m"]
    assert err == [f"claimtrack: warning: {path}:2: not valid UTF-8, read as cp1252"]


def test_binary_jsonl_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "c.jsonl", b"\x1f\x8b\x08\x00" + bytes(100))
    code, _, err = _run([path], capsys)
    assert (code, err) == (2, [f"claimtrack: error: {path}: not a text file"])


# --- paths, limits, and the run going on after a failure ----------------------------


def test_a_bad_file_does_not_stop_the_run(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "good.txt", b"It cost \xc2\xa35m.")
    image = _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    later = _write(tmp_path / "later.md", b"About 40 staff left.")
    missing = str(tmp_path / "missing.txt")
    code, records, err = _run([good, image, missing, later], capsys)
    assert code == 2
    assert [r["text"] for r in records] == ["£5m", "About 40"]
    # the paths are listed first (the progress bar needs the total), then read
    assert err == [f"claimtrack: error: {missing}: no such file or directory",
                   f"claimtrack: error: {image}: not a text file"]


def test_directory_walk_takes_every_format(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    _write(tmp_path / "a.TXT", b"It cost \xc2\xa35m.")
    _write(tmp_path / "b.html", b"<p>About 40 staff.</p>")
    _write(tmp_path / "sub" / "c.jsonl", b'{"id": "c", "text": "12%"}\n')
    _write(tmp_path / "sub" / "d.htm", b"3 weeks")
    _write(tmp_path / ".git" / "e.txt", b"99 hidden")
    _write(tmp_path / ".hidden.txt", b"98 hidden")
    _write(tmp_path / "f.csv", b"97,96")
    code, records, _ = _run([str(tmp_path)], capsys)
    assert code == 0
    assert [r["text"] for r in records] == ["£5m", "About 40", "12%", "3 weeks"]


def test_directory_without_text_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "a.csv", b"1,2")
    code, _, err = _run([str(tmp_path)], capsys)
    assert code == 2
    assert err == [f"claimtrack: error: {tmp_path}: no text files (.txt, .md, .html, .htm, "
                   ".jsonl) in this directory"]


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(b"12 staff")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    code, _, err = _run([str(path)], capsys)
    assert (code, err) == (2, [f"claimtrack: error: {path}: permission denied"])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_for_real(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(b"12 staff")
    path.chmod(0)
    code, _, err = _run([str(path)], capsys)
    assert (code, err) == (2, [f"claimtrack: error: {path}: permission denied"])


def test_over_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "big.txt", b"12 " * 100)
    code, _, err = _run(["--max-bytes", "10", path], capsys)
    assert code == 2
    assert err == [f"claimtrack: error: {path}: 300 bytes is over the limit of 10 (--max-bytes)"]


def test_at_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "big.txt", b"12 staff")
    assert _run(["--max-bytes", "8", path], capsys)[0] == 0


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_standard_input(capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"It cost \xa35m.\r\n")
    code, records, err = _run(["-"], capsys)
    assert code == 0
    assert [(r["doc"], r["text"]) for r in records] == [("-", "£5m")]
    assert err == ["claimtrack: warning: -: not valid UTF-8, read as cp1252"]


def test_standard_input_over_the_limit(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"12 " * 10_000)
    code, _, err = _run(["--max-bytes", "100", "-"], capsys)
    assert (code, err) == (2, ["claimtrack: error: -: more bytes is over the limit of 100 "
                               "(--max-bytes)"])


def test_undecodable_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.name != "posix":
        pytest.skip("POSIX file names are bytes")
    os.makedirs(os.fsencode(tmp_path / "d"))
    with open(os.fsencode(tmp_path / "d") + b"/caf\xff.txt", "wb") as f:
        f.write(b"It cost \xc2\xa35m.")
    code, records, _ = _run([str(tmp_path / "d")], capsys)
    assert code == 0
    assert records[0]["doc"].endswith("caf\ufffd.txt")


def test_file_name_with_a_line_break_stays_on_one_line(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "two\nlines.txt", b"\x00\x00")
    code, _, err = _run([path], capsys)
    assert code == 2
    assert err == [f"claimtrack: error: {tmp_path}/two\\nlines.txt: not a text file"]


# --- errors: one line, a traceback only on request, budgets --------------------------


def _boom_on(monkeypatch: pytest.MonkeyPatch, word: str, exc: BaseException) -> None:
    import claimtrack.pipeline

    real = claimtrack.pipeline.extract_document

    def extract_document(document: Any, **options: Any) -> Any:
        if word in document.text:
            raise exc
        return real(document, **options)

    monkeypatch.setattr(claimtrack.pipeline, "extract_document", extract_document)


def test_internal_error_in_one_document(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _boom_on(monkeypatch, "boom", RuntimeError("something\nbroke"))
    bad = _write(tmp_path / "a.txt", b"boom 12 staff")
    good = _write(tmp_path / "b.txt", b"40 staff")
    code, records, err = _run([bad, good], capsys)
    assert code == 2
    assert [r["text"] for r in records] == ["40"]
    assert err == [f"claimtrack: error: {bad}: internal error: RuntimeError: something\\nbroke"]


def test_verbose_adds_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _boom_on(monkeypatch, "boom", ValueError("bad value"))
    bad = _write(tmp_path / "a.txt", b"boom")
    assert main(["--verbose", "extract", bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"claimtrack: error: {bad}: internal error: ValueError: bad value\n")
    assert "Traceback (most recent call last)" in err


def test_internal_error_outside_documents(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import claimtrack.render

    def render(*args: Any) -> str:
        raise KeyError("fmt")

    monkeypatch.setattr(claimtrack.render, "render", render)
    assert main(["extract", str(BAD / "crlf.txt")]) == 2
    assert capsys.readouterr().err == "claimtrack: error: internal error: KeyError: 'fmt'\n"


def test_interrupt_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    _boom_on(monkeypatch, "", KeyboardInterrupt())
    assert main(["extract", _write(tmp_path / "a.txt", b"12")]) == 130
    assert capsys.readouterr().err == "claimtrack: error: interrupted\n"


def test_broken_pipe_is_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("sys.stdout", ClosedPipe())
    assert main(["extract", _write(tmp_path / "a.txt", b"12")]) == 0
    assert capsys.readouterr().err == ""


def test_time_budget_gives_up_on_one_document(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import claimtrack.pipeline

    real = claimtrack.pipeline.extract_document

    def slow(document: Any, **options: Any) -> Any:
        if "slow" in document.text:
            time.sleep(30)
        return real(document, **options)

    monkeypatch.setattr(claimtrack.pipeline, "extract_document", slow)
    bad = _write(tmp_path / "a.txt", b"slow 12 staff")
    good = _write(tmp_path / "b.txt", b"40 staff")
    began = time.perf_counter()
    code, records, err = _run(["--time-budget", "0.2", bad, good], capsys)
    assert time.perf_counter() - began < 5
    assert code == 2
    assert [r["text"] for r in records] == ["40"]
    assert err == [f"claimtrack: error: {bad}: gave up after 0.2 s (--time-budget)"]


def test_time_budget_stops_a_runaway_regex() -> None:
    import regex

    from claimtrack.budget import time_budget
    from claimtrack.errors import BudgetError

    began = time.perf_counter()
    with pytest.raises(BudgetError, match=r"doc: gave up after 0\.3 s"), time_budget(0.3, "doc"):
        regex.match(r"(a|aa)+$", "a" * 60 + "b")
    assert time.perf_counter() - began < 5


@pytest.mark.parametrize(("value", "message"), [
    ("-1", "must be from 0 (no limit) to 604,800, got -1"),
    ("nan", "must be from 0 (no limit) to 604,800, got nan"),
    ("inf", "must be from 0 (no limit) to 604,800, got inf"),
    ("1e300", "must be from 0 (no limit) to 604,800, got 1e300"),
    ("1e999", "must be from 0 (no limit) to 604,800"),
    ("soon", "invalid number of seconds 'soon'"),
])
def test_bad_time_budget(value: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "--time-budget", value, "x"])
    assert exit_info.value.code == 2
    *usage, error = capsys.readouterr().err.splitlines()
    assert error.startswith("claimtrack extract: error: ") and message in error
    assert usage[0].startswith("usage: claimtrack extract ")


def test_no_time_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "a.txt", b"40 staff")
    assert _run(["--time-budget", "0", path], capsys)[0] == 0


# --- the library side ---------------------------------------------------------------


def test_load_document_warns_about_cp1252() -> None:
    with pytest.warns(InputWarning, match=r"cp1252\.txt: not valid UTF-8, read as cp1252"):
        document = load_document(BAD / "cp1252.txt")
    assert document.text.startswith("The café’s bill")


def test_load_document_of_clean_utf8_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_document(BAD / "crlf.txt")


def test_load_document_raises_input_errors() -> None:
    with pytest.raises(InputError, match=r"image\.txt: not a text file"):
        load_document(BAD / "image.txt")
    with pytest.raises(InputError, match=r"corpus\.jsonl: holds 3 documents, not one"):
        load_document(BAD / "corpus.jsonl")
    with pytest.raises(InputError, match=r"missing\.txt: no such file$"):
        load_document(BAD / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        load_document(BAD)


def test_extract_file_reads_html() -> None:
    assert [c.text for c in claimtrack.extract_file(BAD / "page.html")][:2] == ["£5m", "about 40"]


def test_library_warnings_are_one_line_in_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["structure", str(BAD / "cp1252.txt")]) == 0
    err = capsys.readouterr().err
    assert err == f"claimtrack: warning: {BAD / 'cp1252.txt'}: not valid UTF-8, read as cp1252\n"


# --- what an attack on the inputs found (issue 14) -------------------------------------

def _claimtrack(*args: str, stdout: Any = subprocess.PIPE,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _one_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("claimtrack: error: ")
    assert "internal error" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


@pytest.mark.parametrize(("date", "text"), [
    ("9999-12-31", "The 4 kilns are fired tomorrow, and next week, and on Friday."),
    ("0001-01-01", "Yesterday 5 potters joined, last week 3, last month 2, last year 1."),
    ("9999-12-31", "Next month 6 more, next year 7. Three years later 8."),
    ("0001-01-01", "In 2 days the shop opens (today (1 January 1)), 1e999 years earlier."),
])
def test_dates_at_the_ends_of_the_calendar(date: str, text: str) -> None:
    claims = claimtrack.extract(text, date=date)
    assert [c.text for c in claims if c.quantity.kind == "count"]
    for claim in claims:  # every date is a date of the calendar, or no claim at all
        if claim.quantity.kind == "date":
            assert isinstance(claim.quantity.value, str) and claim.quantity.value[:1] in "09"


def test_a_full_disk_is_one_write_error(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():  # pragma: no cover - not Linux
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        for args in (["extract", "--format", "jsonl", str(ROOT / "fixtures" / "cases")],
                     ["compare", "--format", "json", str(ROOT / "fixtures" / "compare")],
                     ["structure", str(ROOT / "fixtures" / "example.txt")]):
            _one_error(_claimtrack(*args, stdout=full), "cannot write the output",
                       "No space left on device")


def test_named_pipes_are_refused_or_read_within_the_budget(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    text = str(ROOT / "fixtures" / "example.txt")
    store = str(tmp_path / "claims.db")
    began = time.monotonic()
    _one_error(_claimtrack("structure", str(pipe)), "pipe.txt: a named pipe, not a regular file")
    _one_error(_claimtrack("compare", "--aliases", str(pipe), text), "a named pipe")
    _one_error(_claimtrack("check", "--baseline", str(pipe), text, "--store", store),
               "a named pipe")
    _one_error(_claimtrack("history", "x", "--store", str(pipe)), "not a regular file")
    assert time.monotonic() - began < 40
    for command in (["extract"], ["ingest", "--store", store]):  # a pipe named directly is
        began = time.monotonic()  # read, as `<(command)` is, but no longer than the budget
        _one_error(_claimtrack(*command, "--time-budget", "1", str(pipe)),
                   "gave up after 1 s (--time-budget)")
        assert time.monotonic() - began < 20
    folder = tmp_path / "folder"  # a pipe met in a directory walk is passed over
    folder.mkdir()
    os.mkfifo(folder / "waiting.txt")
    (folder / "note.txt").write_text("The hall seats 120 people.", encoding="utf-8")
    done = _claimtrack("extract", "--format", "jsonl", str(folder))
    assert done.returncode == 0 and '"120"' in done.stdout


def test_symbolic_link_loops_say_so(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "gone.txt")
    _one_error(_claimtrack("extract", str(loop)), "loop.txt: a symbolic link loop")
    _one_error(_claimtrack("structure", str(loop)), "a symbolic link loop")
    example = str(ROOT / "fixtures" / "example.txt")
    _one_error(_claimtrack("compare", "--aliases", str(loop), example), "a symbolic link loop")
    _one_error(_claimtrack("extract", str(broken)), "broken.txt: a broken symbolic link")


def test_deeply_nested_aliases_file(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    example = str(ROOT / "fixtures" / "example.txt")
    _one_error(_claimtrack("compare", "--aliases", str(deep), example),
               "deep.toml: aliases file nested too deeply")
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    _one_error(_claimtrack("check", "--baseline", str(baseline), example,
                           "--store", str(tmp_path / "claims.db")), "nested too deeply")


def test_a_bad_record_loses_only_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import claimtrack.document as document

    real = document._record_document

    def flaky(line: bytes, where: str, name: str) -> Any:
        if b"boom" in line:
            raise ZeroDivisionError("boom")
        return real(line, where, name)

    monkeypatch.setattr(document, "_record_document", flaky)
    path = _write(tmp_path / "c.jsonl", b'{"text": "40 staff"}\n{"text": "boom"}\n'
                                        b'{"text": "12 nurses"}\n')
    code, records, err = _run([path], capsys)
    assert code == 2 and [r["text"] for r in records] == ["40", "12"]
    assert err == [f"claimtrack: error: {path}:2: internal error: ZeroDivisionError: boom"]


def test_the_default_budget_grows_with_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    import claimtrack.batch as batch
    from claimtrack.budget import DEFAULT, seconds_for

    assert seconds_for(DEFAULT, 0) == 60 and seconds_for(DEFAULT, 50_000_000) == 1560
    assert seconds_for(5.0, 50_000_000) == 5.0 and seconds_for(None, 10) is None
    given: list[float | None] = []

    def spy(seconds: float | None, name: str) -> contextlib.AbstractContextManager[None]:
        given.append(seconds)
        return contextlib.nullcontext()

    monkeypatch.setattr(batch, "time_budget", spy)
    # what is read does not matter here, only the budget it is read under
    monkeypatch.setattr("claimtrack.pipeline.extract_document", lambda document, rules: [])
    document = claimtrack.Document(text="12 staff. " * 200_000, id="long")
    batch.budgeted_extract()(document)
    batch.budgeted_extract(7.0)(document)
    assert given == [120.0, 7.0]
