"""`claimtrack ingest`, `check`, `baseline` and `history`, in-process: exit codes and every
output format; the SARIF validated against the SARIF 2.1.0 schema in tests/data."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimtrack.cli import main
from claimtrack.document import load_document
from claimtrack.store import SCHEMA_VERSION, ClaimStore

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "fixtures" / "compare"
GAZETTE = COMPARE / "gazette_2023-06-03.txt"
ON_RECORD = sorted(p for p in COMPARE.glob("*.txt") if p != GAZETTE)
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
REPEAT_ONLY = "Trust news\n\nThe new control room cost £1.2bn, the trust said.\n"
NOTHING = "Notes\n\nThe weather was fine on the coast today.\n"

Capsys = pytest.CaptureFixture[str]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every comparison fixture but the Gazette's story."""
    db = tmp_path_factory.mktemp("check") / "claims.db"
    with ClaimStore(db) as opened:
        for path in ON_RECORD:
            opened.ingest(load_document(path))
    return db


def _run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _doc(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- ingest, history


def test_ingest_prints_a_summary_and_is_idempotent(tmp_path: Path, capsys: Capsys) -> None:
    db = str(tmp_path / "claims.db")
    code, out, err = _run(capsys, "ingest", str(COMPARE), "--store", db)
    assert (code, err) == (0, "")
    n = len(list(COMPARE.glob("*.txt")))
    assert re.fullmatch(rf".*claims\.db: {n} documents \({n} new, 0 changed, 0 unchanged\); "
                        r"\d+ claims added; \d+ findings recorded\n", out)
    code, out, _ = _run(capsys, "ingest", str(COMPARE), "--store", db)
    assert code == 0 and f"(0 new, 0 changed, {n} unchanged); 0 claims added" in out


def test_ingest_reports_a_bad_file_and_goes_on(tmp_path: Path, capsys: Capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00" * 50)
    db = str(tmp_path / "claims.db")
    code, out, err = _run(capsys, "ingest", str(bad), str(GAZETTE), "--store", db)
    assert code == 2
    assert err.startswith("claimtrack: error: ") and err.count("\n") == 1
    assert "1 document (1 new" in out


def test_store_from_the_environment(tmp_path: Path, capsys: Capsys,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("CLAIMTRACK_STORE", str(db))
    assert _run(capsys, "ingest", str(GAZETTE))[0] == 0
    assert db.is_file()
    code, out, _ = _run(capsys, "history", "paramedic vacancies", "--format", "json")
    assert code == 0
    assert [(r["value"], r["source"]) for r in json.loads(out)] == [("350", "Gazette")]


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "markdown"])
def test_history_formats(store: Path, capsys: Capsys, fmt: str) -> None:
    code, out, _ = _run(capsys, "history", "Paramedic Vacancies", "--store", str(store),
                        "--format", fmt)
    assert code == 0
    assert "more than 500" in out and "2023-05-20" in out
    if fmt == "json":
        rows = json.loads(out)
        assert list(rows[0]) == ["date", "value", "normalised", "kind", "unit", "speaker",
                                 "source", "document"]
        # the Courier is dated by the date at its head (10 May), before the blog's 20 May
        assert [r["value"] for r in rows] == ["350", "more than 500"]


def test_history_of_nothing(store: Path, capsys: Capsys) -> None:
    code, _, err = _run(capsys, "history", "unicorn sightings", "--store", str(store))
    assert code == 0 and "no figures stored under 'unicorn sighting'" in err
    code, _, err = _run(capsys, "history", "the", "--store", str(store))
    assert code == 2 and err.startswith("claimtrack: error: 'the' names no subject")


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(("text", "fail_on", "expected"), [
    (None, "conflict", 1), (None, "repeat", 1), (None, "none", 0),
    (REPEAT_ONLY, "conflict", 0), (REPEAT_ONLY, "repeat", 1), (REPEAT_ONLY, "none", 0),
    (NOTHING, "repeat", 0),
])
def test_check_exit_codes(store: Path, tmp_path: Path, capsys: Capsys, text: str | None,
                          fail_on: str, expected: int) -> None:
    path = GAZETTE if text is None else _doc(tmp_path, "new.txt", text)
    code, out, err = _run(capsys, "check", str(path), "--store", str(store),
                          "--fail-on", fail_on)
    assert (code, err) == (expected, "")
    assert out.splitlines()[-1].endswith(("failed" if expected else "passed")
                                         + f" (--fail-on {fail_on})")


def test_check_writes_nothing(store: Path, capsys: Capsys) -> None:
    before = store.read_bytes()
    assert _run(capsys, "check", str(GAZETTE), "--store", str(store))[0] == 1
    assert store.read_bytes() == before
    with ClaimStore(store, readonly=True) as opened:
        assert GAZETTE.as_posix() not in {d.path for d in opened.documents()}


@pytest.mark.parametrize(("argv", "message"), [
    (["check", "missing.txt"], "missing.txt: no such file or directory"),
    (["check", str(GAZETTE), "--store", "nowhere/claims.db"], "no claim store"),
    (["check", str(GAZETTE), "--baseline", "no-baseline.json"], "cannot read baseline"),
    (["history", "vacancies", "--store", "nowhere/claims.db"], "no claim store"),
])
def test_check_input_errors(store: Path, capsys: Capsys, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch, argv: list[str],
                            message: str) -> None:
    monkeypatch.chdir(tmp_path)
    if "--store" not in argv:
        argv = [*argv, "--store", str(store)]
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert err.startswith("claimtrack: error: ") and err.count("\n") == 1 and message in err


def test_bad_baselines_and_newer_stores(store: Path, tmp_path: Path, capsys: Capsys) -> None:
    for content in ("{", '{"ids": []}', "[1, 2]"):
        baseline = _doc(tmp_path, "baseline.json", content)
        code, _, err = _run(capsys, "check", str(GAZETTE), "--store", str(store),
                            "--baseline", str(baseline))
        assert code == 2 and "baseline" in err and err.count("\n") == 1
    newer = tmp_path / "newer.db"
    ClaimStore(newer).close()
    raw = sqlite3.connect(newer)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    for command in ("check", "ingest"):
        code, _, err = _run(capsys, command, str(GAZETTE), "--store", str(newer))
        assert code == 2
        assert err == (f"claimtrack: error: {newer}: written by a newer claimtrack (store "
                       f"schema {SCHEMA_VERSION + 1}; this version reads up to "
                       f"{SCHEMA_VERSION}); upgrade claimtrack to use it\n")


def test_usage_errors_exit_2(capsys: Capsys) -> None:
    for argv in (["check"], ["check", "x.txt", "--fail-on", "warning"],
                 ["check", "x.txt", "--format", "xml"], ["history"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        *usage, error = capsys.readouterr().err.splitlines()
        assert usage[0].startswith(f"usage: claimtrack {argv[0]} ")
        assert error.startswith(f"claimtrack {argv[0]}: error: ")


@pytest.mark.parametrize("kind", ["conflict", "conflicts", "repeat", "repeats"])
def test_kinds_are_singular_or_plural(store: Path, capsys: Capsys, kind: str) -> None:
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store),
                        "--fail-on", kind)
    assert code == 1 and out.endswith(f"(--fail-on {kind.rstrip('s')})\n")
    code, out, _ = _run(capsys, "compare", "--only", kind, "--format", "json", str(COMPARE))
    assert code == 0 and {f["kind"] for f in json.loads(out)} == {kind.rstrip("s")}


# --------------------------------------------------------------------------- formats


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def test_text_format(store: Path, capsys: Capsys) -> None:
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store))
    assert code == 1
    heads = [line for line in out.splitlines() if not line.startswith(" ")][:-1]
    assert len(heads) == 6
    for head in heads:
        where, level, rest = head.split(": ", 2)
        assert level in ("error", "warning") and re.search(r"\[ct-[0-9a-f]{16}\]$", rest)
        file, line, column = where.rsplit(":", 2)
        assert file == str(GAZETTE) and int(line) > 1 and int(column) >= 1
    assert "(stored)" in out
    assert out.splitlines()[-1] == ("6 findings (3 conflicts, 3 repeats) in 1 document checked; "
                                    "failed (--fail-on conflict)")


def test_json_format(store: Path, capsys: Capsys) -> None:
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["summary"] == {"findings": 6, "suppressed": 0, "documents": 1, "unread": [],
                                 "fail_on": "conflict", "failed": True}
    lines = _lines(GAZETTE)
    for finding in report["findings"]:
        assert re.fullmatch(r"ct-[0-9a-f]{16}", finding["id"])
        assert {"kind", "key", "claims", "explanation", "severity", "level"} <= set(finding)
        new = [c for c in finding["claims"] if c["new"]]
        assert new and len(new) < len(finding["claims"])
        for claim in new:
            at = claim["column"] - 1
            assert lines[claim["line"] - 1][at:at + len(claim["text"])] == claim["text"]


def test_markdown_format(store: Path, capsys: Capsys) -> None:
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store),
                        "--format", "markdown")
    assert code == 1
    assert out.startswith("### :x: claimtrack check\n")
    rows = [line for line in out.splitlines() if line.startswith("| :")]
    assert len(rows) == 6
    for row in rows:  # every row has six cells: pipes inside cells are escaped
        assert len(re.split(r"(?<!\\)\|", row)) == 8
    assert "vacancy\\|count" in out
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store),
                        "--format", "markdown", "--fail-on", "none")
    assert code == 0 and out.startswith("### :white_check_mark: claimtrack check")


_ANNOTATION = re.compile(r"::(?P<level>error|warning) (?P<props>[^:]*)::(?P<message>.*)")


def test_github_format(store: Path, capsys: Capsys) -> None:
    """One annotation a place: the six findings sit at four places of the new text; each
    finding's id ends its part of the message, each place is annotated once."""
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store), "--format", "github")
    assert code == 1
    lines = _lines(GAZETTE)
    annotations = [_ANNOTATION.fullmatch(line) for line in out.splitlines()[:-1]]
    assert len(annotations) == 5 and all(annotations)
    levels, ids, places = [], [], []
    for match in annotations:
        assert match is not None
        props = dict(p.split("=", 1) for p in match["props"].split(","))
        assert props["file"] == str(GAZETTE).replace(":", "%3A").replace(",", "%2C")
        line, col, end = int(props["line"]), int(props["col"]), int(props["endColumn"])
        assert props["endLine"] == props["line"]
        places.append((line, col))
        figure = lines[line - 1][col - 1:end]
        assert figure and f"»{figure}«".replace("%", "%25") in match["message"]
        assert props["title"].startswith("claimtrack ")
        assert "\n" not in match["message"] and re.search(r"\[ct-[0-9a-f]{16}\]$", match["message"])
        ids += re.findall(r"\[(ct-[0-9a-f]{16})\](?:%0A|$)", match["message"])
        levels.append((match["level"], props["title"].split()[1]))
    assert len(set(places)) == len(places) and len(set(ids)) == len(ids) == 6
    assert ("error", "conflict") in levels and ("warning", "repeat") in levels
    assert all(level == "error" for level, kind in levels if kind == "conflict")


def test_github_escapes_and_file_level_annotations(tmp_path: Path, capsys: Capsys) -> None:
    """A JSON Lines record has no lines of its own: its annotation names the file only."""
    db = str(tmp_path / "claims.db")
    assert _run(capsys, "ingest", *map(str, ON_RECORD), "--store", db)[0] == 0
    records = tmp_path / "new, 100%.jsonl"
    records.write_text(json.dumps({"id": "r1", "text": REPEAT_ONLY}) + "\n", encoding="utf-8")
    code, out, _ = _run(capsys, "check", str(records), "--store", db, "--format", "github",
                        "--fail-on", "repeat")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("::warning file=") and "new%2C 100%25.jsonl,title=" in first
    assert ",line=" not in first


def test_output_file(store: Path, tmp_path: Path, capsys: Capsys) -> None:
    target = tmp_path / "out.md"
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store),
                        "--format", "markdown", "--output", str(target))
    assert code == 1 and out == ""
    assert target.read_text(encoding="utf-8").startswith("### :x: claimtrack check")


# --------------------------------------------------------------------------- SARIF


def test_sarif_format_is_valid_sarif(store: Path, capsys: Capsys) -> None:
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store), "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert validate(log, schema) == []
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert sorted(rules) == ["conflict", "inconsistent", "repeat", "update"]
    lines = _lines(GAZETTE)
    assert len(run["results"]) == 6
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] == ("warning" if result["ruleId"] == "repeat" else "error")
        assert re.fullmatch(r"ct-[0-9a-f]{16}",
                            result["partialFingerprints"]["claimtrackFindingId/v1"])
        for location in result["locations"]:
            physical = location["physicalLocation"]
            assert physical["artifactLocation"]["uri"] == GAZETTE.as_uri()
            region = physical["region"]
            assert region["startLine"] == region["endLine"]
            text = lines[region["startLine"] - 1][region["startColumn"] - 1:region["endColumn"] - 1]
            assert location["message"]["text"].startswith(text)
        assert result["relatedLocations"]


def test_sarif_of_no_findings_and_relative_uris(tmp_path: Path, capsys: Capsys,
                                                monkeypatch: pytest.MonkeyPatch,
                                                store: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    _doc(tmp_path / "docs", "new.txt", REPEAT_ONLY)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    code, out, _ = _run(capsys, "check", "docs/new.txt", "--store", str(store),
                        "--format", "sarif")
    log = json.loads(out)
    assert code == 0 and validate(log, schema) == []
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"] for loc in r["locations"]}
    assert uris == {"docs/new.txt"}
    _doc(tmp_path, "quiet.txt", NOTHING)
    code, out, _ = _run(capsys, "check", "quiet.txt", "--store", str(store), "--format", "sarif")
    log = json.loads(out)
    assert code == 0 and validate(log, schema) == [] and log["runs"][0]["results"] == []


def test_the_validator_rejects_broken_sarif() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "level": "error", "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a.txt"}, "region": {"startLine": 1}}}]}]}]}
    assert validate(good, schema) == []
    broken: list[Callable[[dict[str, Any]], None]] = [
        lambda log: log.update(version="2.0.0"),
        lambda log: log["runs"][0].pop("tool"),
        lambda log: log["runs"][0]["results"][0].update(level="fatal"),
        lambda log: log["runs"][0]["results"][0]["message"].pop("text"),
        lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
            "region"].update(startLine=0),
        lambda log: log["runs"][0]["results"][0].update(lineNumber=3),
        lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"].pop(
            "artifactLocation"),
    ]
    for breaks in broken:
        log = json.loads(json.dumps(good))
        breaks(log)
        assert validate(log, schema), log


# --------------------------------------------------------------------------- baseline


def test_baseline_suppresses_known_findings(store: Path, tmp_path: Path, capsys: Capsys) -> None:
    baseline = tmp_path / "baseline.json"
    code, out, _ = _run(capsys, "baseline", str(GAZETTE), "--store", str(store),
                        "--output", str(baseline))
    assert code == 0 and "6 finding ids" in out
    ids = json.loads(baseline.read_text(encoding="utf-8"))
    assert len(ids) == 6 and ids == sorted(ids)
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store),
                        "--baseline", str(baseline))
    assert code == 0
    assert out == ("0 findings in 1 document checked; 6 acknowledged in the baseline; "
                   "passed (--fail-on conflict)\n")
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store), "--format", "json")
    conflicts = [f["id"] for f in json.loads(out)["findings"] if f["kind"] == "conflict"]
    baseline.write_text(json.dumps([i for i in ids if i != conflicts[0]]), encoding="utf-8")
    code, out, _ = _run(capsys, "check", str(GAZETTE), "--store", str(store),
                        "--baseline", str(baseline), "--format", "json")
    assert code == 1
    assert [f["id"] for f in json.loads(out)["findings"]] == [conflicts[0]]
    code, out, _ = _run(capsys, "baseline", str(GAZETTE), "--store", str(store))
    assert code == 0 and json.loads(out) == ids


def test_finding_ids_survive_edits_elsewhere(tmp_path: Path, capsys: Capsys) -> None:
    """Ids hash the wording and values of the claims, not their offsets."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in ON_RECORD:
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    db = str(tmp_path / "claims.db")
    assert _run(capsys, "ingest", str(folder), "--store", db)[0] == 0
    new = _doc(tmp_path, "gazette.txt", GAZETTE.read_text(encoding="utf-8"))

    def ids() -> list[str]:
        out = _run(capsys, "check", str(new), "--store", db, "--format", "json")[1]
        return sorted(f["id"] for f in json.loads(out)["findings"])

    before = ids()
    new.write_text("A new first paragraph, with no figures in it.\n\n"
                   + GAZETTE.read_text(encoding="utf-8"), encoding="utf-8")
    assert ids() == before and len(before) == 6


# --------------------------------------------------------------------------- a validator

# The JSON Schema (draft-07) keywords the SARIF schema file uses; any other keyword in the
# schema is an error, so that no constraint is skipped without notice.
_ANNOTATIONS = {"$schema", "$id", "title", "description", "default", "definitions"}


def validate(instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None,
             where: str = "$") -> list[str]:
    """The ways `instance` breaks `schema` (a draft-07 subset: $ref, type, enum, properties,
    required, additionalProperties, items, minItems, uniqueItems, minimum, maximum,
    pattern, format uri/uri-reference/date-time, anyOf)."""
    root = schema if root is None else root
    unknown = set(schema) - _ANNOTATIONS - _KEYWORDS
    if unknown:
        raise ValueError(f"{where}: unsupported schema keywords {sorted(unknown)}")
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return validate(instance, target, root, where)
    return [error for check in _CHECKS for error in check(instance, schema, root, where)]


_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_FORMATS: dict[str, re.Pattern[str]] = {
    "uri": re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]*"),
    "uri-reference": re.compile(r"[^\s\\]*"),
    "date-time": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"),
}


def _type(instance: Any, schema: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    if "type" not in schema:
        return []
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return [] if any(_TYPES[t](instance) for t in types) else [f"{where}: not {types}"]


def _properties(instance: Any, schema: dict[str, Any], root: dict[str, Any],
                where: str) -> list[str]:
    if not isinstance(instance, dict):
        return []
    errors = []
    for name, value in instance.items():
        if name in schema.get("properties", {}):
            errors += validate(value, schema["properties"][name], root, f"{where}.{name}")
        elif schema.get("additionalProperties") is False:
            errors.append(f"{where}: unexpected property {name!r}")
        elif isinstance(schema.get("additionalProperties"), dict):
            errors += validate(value, schema["additionalProperties"], root, f"{where}.{name}")
    return errors


def _required(instance: Any, schema: dict[str, Any], root: dict[str, Any],
              where: str) -> list[str]:
    if not isinstance(instance, dict):
        return []
    return [f"{where}: missing {name!r}" for name in schema.get("required", [])
            if name not in instance]


def _items(instance: Any, schema: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    if not isinstance(instance, list):
        return []
    errors = []
    for number, item in enumerate(instance):
        errors += validate(item, schema.get("items", {}), root, f"{where}[{number}]")
    if schema.get("uniqueItems"):
        seen = [json.dumps(i, sort_keys=True) for i in instance]
        if len(set(seen)) != len(seen):
            errors.append(f"{where}: items not unique")
    if len(instance) < schema.get("minItems", 0):
        errors.append(f"{where}: too few items")
    return errors


def _bounds(instance: Any, schema: dict[str, Any], root: dict[str, Any],
            where: str) -> list[str]:
    if not _TYPES["number"](instance):
        return []
    low, high = schema.get("minimum", -float("inf")), schema.get("maximum", float("inf"))
    return [] if low <= instance <= high else [f"{where}: {instance} out of [{low}, {high}]"]


def _string(instance: Any, schema: dict[str, Any], root: dict[str, Any],
            where: str) -> list[str]:
    if not isinstance(instance, str):
        return []
    errors = []
    if "pattern" in schema and not re.search(schema["pattern"], instance):
        errors.append(f"{where}: {instance!r} does not match {schema['pattern']}")
    if "format" in schema and not _FORMATS[schema["format"]].fullmatch(instance):
        errors.append(f"{where}: {instance!r} is not a {schema['format']}")
    return errors


def _enum(instance: Any, schema: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    if instance in schema.get("enum", [instance]):
        return []
    return [f"{where}: {instance!r} not in {schema['enum']}"]


def _any_of(instance: Any, schema: dict[str, Any], root: dict[str, Any],
            where: str) -> list[str]:
    if "anyOf" not in schema or any(not validate(instance, option, root, where)
                                    for option in schema["anyOf"]):
        return []
    return [f"{where}: matches none of anyOf"]


_CHECKS = (_type, _enum, _properties, _required, _items, _bounds, _string, _any_of)
_KEYWORDS = {"$ref", "type", "enum", "properties", "additionalProperties", "required", "items",
             "uniqueItems", "minItems", "minimum", "maximum", "pattern", "format", "anyOf"}


# --------------------------------------------------------------------------- hooks and docs


def test_pre_commit_hook_runs_check() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: claimtrack-check\n" in text
    assert "  entry: claimtrack check\n" in text and "  language: python\n" in text


def test_ci_page_uses_only_options_that_exist() -> None:
    import argparse

    from claimtrack.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    options = {o for name in ("check", "baseline", "ingest")
               for o in sub.choices[name]._option_string_actions}
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    used = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", page)) - {"--name-only", "--diff-filter"}
    assert used and used <= options, used - options


# --------------------------------------------------------------------------- unreadable inputs


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github", "sarif"])
def test_an_unreadable_input_fails_the_check_in_every_format(
        store: Path, tmp_path: Path, capsys: Capsys, fmt: str) -> None:
    quiet = _doc(tmp_path, "quiet.txt", NOTHING)
    missing = tmp_path / "missing.txt"
    code, out, err = _run(capsys, "check", str(missing), str(quiet), "--store", str(store),
                          "--format", fmt)
    assert code == 2
    assert err == f"claimtrack: error: {missing}: no such file or directory\n"
    assert "passed" not in out
    if fmt == "json":
        summary = json.loads(out)["summary"]
        assert summary["failed"] is True and summary["findings"] == 0
        assert summary["unread"] == [f"{missing}: no such file or directory"]
    elif fmt == "sarif":
        log = json.loads(out)
        assert validate(log, json.loads(SCHEMA.read_text(encoding="utf-8"))) == []
        invocation = log["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False
        assert str(missing) in invocation["toolExecutionNotifications"][0]["message"]["text"]
    else:
        assert f"1 input could not be checked ({missing}: no such file or directory)" in out
        assert "failed (--fail-on conflict)" in out
        if fmt == "markdown":
            assert out.startswith("### :x: claimtrack check")
        if fmt == "github":
            assert out.startswith("::error title=claimtrack%3A input not checked::")


# --------------------------------------------------------------------------- lexicon and rules


ALIASES = COMPARE / "aliases.toml"


def _hub_documents(out: str) -> set[str]:
    return {Path(c["doc"]).name for f in json.loads(out)["findings"] if f["key"].startswith("crh|")
            for c in f["claims"]}


def test_ingest_and_check_take_the_lexicon(tmp_path: Path, capsys: Capsys) -> None:
    db = str(tmp_path / "claims.db")
    assert _run(capsys, "ingest", *map(str, ON_RECORD), "--store", db,
                "--aliases", str(ALIASES))[0] == 0
    code, out, err = _run(capsys, "check", str(GAZETTE), "--store", db, "--aliases",
                          str(ALIASES), "--format", "json")
    assert code == 1 and err == "" and GAZETTE.name in _hub_documents(out)
    # another lexicon than the one that keyed the store: keyed again in memory, with a
    # warning; the acronym the Courier defines still links the Gazette's spelled-out name
    code, out, err = _run(capsys, "check", str(GAZETTE), "--store", db, "--format", "json")
    assert "keyed under another lexicon" in err and err.count("\n") == 1
    assert code == 1 and GAZETTE.name in _hub_documents(out)
    # an ingest without it keys the stored claims again, for good
    hubs = "SELECT key_subject FROM claims WHERE doc = ? AND text = '14'"
    assert _run(capsys, "ingest", str(GAZETTE), "--store", db, "--aliases", str(ALIASES))[0] == 0
    assert sqlite3.connect(db).execute(hubs, (str(GAZETTE),)).fetchall() == [("crh",)]
    assert _run(capsys, "ingest", str(ON_RECORD[0]), "--store", db)[0] == 0
    assert sqlite3.connect(db).execute(hubs, (str(GAZETTE),)).fetchall() != [("crh",)]
    _, out, err = _run(capsys, "check", str(GAZETTE), "--store", db, "--format", "json")
    assert err == "" and GAZETTE.name in _hub_documents(out)


def test_a_document_read_under_other_rules_is_read_again(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    rules = tmp_path / "rules.toml"
    rules.write_text("# no rules yet\n", encoding="utf-8")
    document = load_document(GAZETTE)
    with ClaimStore(db) as opened:
        assert opened.ingest(document).status == "new"
        assert opened.ingest(document).status == "unchanged"
    with ClaimStore(db, rules=[rules]) as opened:
        assert opened.documents_read_otherwise() == 1
        assert opened.ingest(document).status == "changed"
        assert opened.ingest(document).status == "unchanged"
        assert opened.documents_read_otherwise() == 0


def test_check_warns_of_documents_read_otherwise(tmp_path: Path, capsys: Capsys) -> None:
    db = tmp_path / "claims.db"
    rules = tmp_path / "rules.toml"
    rules.write_text("# rules\n", encoding="utf-8")
    with ClaimStore(db, rules=[rules]) as opened:
        opened.ingest(load_document(ON_RECORD[0]))
    _, _, err = _run(capsys, "check", str(GAZETTE), "--store", str(db))
    assert err == (f"claimtrack: warning: {db}: 1 stored document was read by another "
                   "claimtrack or with other rules; ingest again to compare with what this "
                   "one reads\n")


def test_ingest_reads_a_document_again_under_other_rules(tmp_path: Path, capsys: Capsys) -> None:
    db = str(tmp_path / "claims.db")
    rules = _doc(tmp_path, "naira.toml", '[currencies.NGN]\nsymbols = ["₦"]\nwords = ["naira"]\n')
    page = _doc(tmp_path, "fares.txt", "Fares\n\nA ticket costs 300 naira.\n")
    assert "(1 new, 0 changed" in _run(capsys, "ingest", str(page), "--store", db)[1]
    assert "(0 new, 0 changed, 1 unchanged)" in _run(capsys, "ingest", str(page), "--store", db)[1]
    code, out, _ = _run(capsys, "ingest", str(page), "--store", db, "--rules", str(rules))
    assert code == 0 and "(0 new, 1 changed, 0 unchanged)" in out
    with ClaimStore(db, readonly=True) as opened:
        assert [c.quantity.kind for c in opened.claims()] == ["money"]


# --------------------------------------------------------------------------- linking at a check


def test_check_finds_a_conflict_an_update_and_not_a_near_miss(tmp_path: Path,
                                                              capsys: Capsys) -> None:
    """The Wednesday wire against the Monday wire and the schools release: the toll that
    rose is an update, the gauge that peaked lower a conflict, and the 3,000 sandbags
    are not the release's 3,000 pupils."""
    db = str(tmp_path / "claims.db")
    for name in ("wire_storm_2024-03-04.txt", "county_schools_release_2024-02-14.txt"):
        assert _run(capsys, "ingest", str(COMPARE / name), "--store", db)[0] == 0
    code, out, _ = _run(capsys, "check", str(COMPARE / "wire_storm_2024-03-06.txt"),
                        "--store", db, "--format", "json")
    assert code == 1  # the conflict fails the check
    findings = json.loads(out)["findings"]
    texts = {f["kind"]: sorted(c["text"] for c in f["claims"]) for f in findings}
    assert texts["update"] == ["14", "21"]
    assert texts["conflict"] == ["4.6", "4.8"]
    assert not [f for f in findings if any(c["text"] == "3,000" for c in f["claims"])]
    assert all(0.0 <= f["score"] <= 1.0 and f["evidence"] for f in findings)


def test_an_update_alone_does_not_fail_the_check(tmp_path: Path, capsys: Capsys) -> None:
    db = str(tmp_path / "claims.db")
    assert _run(capsys, "ingest", str(COMPARE / "wire_storm_2024-03-04.txt"), "--store", db)[0] == 0
    new = _doc(tmp_path, "wire.txt", "Riverbend Wire, 7 March 2024\n\nStorm Hollis\n\n"
               "The death toll from Storm Hollis has risen to 23, the REA said on Thursday.\n")
    code, out, _ = _run(capsys, "check", str(new), "--store", db, "--format", "json")
    kinds = [f["kind"] for f in json.loads(out)["findings"]]
    assert kinds == ["update"] and code == 0
