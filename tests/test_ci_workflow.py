"""The GitHub Actions workflow of docs/ci.md, run end to end as written: its `run:` steps
in order, on a temporary git repository whose base commit holds an article and whose
pull request adds one that contradicts it."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "fixtures" / "compare"
#: The steps the test cannot run: installing from the network (claimtrack is installed)
SKIPPED = {"Install claimtrack"}


def _workflow() -> str:
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    found = re.search(r"```yaml\n(name: claims\n.*?)```", page, re.S)
    assert found, "docs/ci.md has no workflow"
    return found.group(1)


def _steps(workflow: str) -> list[dict[str, str]]:
    """The steps of the workflow: each a dict of name, uses, if, id and run (a YAML
    subset: `key: value` and `run: |` blocks)."""
    lines = workflow.split("\n")
    start = lines.index("    steps:") + 1
    steps: list[dict[str, str]] = []
    block: list[str] | None = None
    for line in lines[start:]:
        if block is not None:
            if line.startswith(" " * 10) or not line.strip():
                block.append(line[10:])
                continue
            steps[-1]["run"] = "\n".join(block).strip() + "\n"
            block = None
        if line.startswith("      - "):
            steps.append({})
            line = "        " + line[8:]
        item = re.fullmatch(r" {8}([a-z-]+): ?(.*)", line)
        if item is None:
            continue
        key, value = item.groups()
        if key == "run" and value == "|":
            block = []
        else:
            steps[-1][key] = value
    if block is not None:
        steps[-1]["run"] = "\n".join(block).strip() + "\n"
    return steps


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()


def _claimtrack_on_path(bin_dir: Path) -> None:
    """A `claimtrack` command that runs this checkout with this interpreter."""
    bin_dir.mkdir()
    script = bin_dir / "claimtrack"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m claimtrack "$@"\n',
                      encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_the_workflow_runs_as_written(tmp_path: Path) -> None:
    steps = _steps(_workflow())
    assert [s.get("name") for s in steps if "run" in s] == [
        "Install claimtrack", "Ingest the base branch", "Changed documents",
        "Report (job summary and code scanning)", "Check (fails on conflicts)"]
    repo = tmp_path / "repo"
    (repo / "articles").mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "ci@example.org")
    _git(repo, "config", "user.name", "CI")
    (repo / "articles" / "courier.txt").write_text(
        (COMPARE / "courier_2023-05-10.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    base = _git(repo, "rev-parse", "HEAD")
    blog = (COMPARE / "paramedic_blog_2023-05-20.txt").read_text(encoding="utf-8")
    (repo / "articles" / "blog.txt").write_text(blog, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "a post that contradicts the record")
    _claimtrack_on_path(tmp_path / "bin")
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT), "GITHUB_OUTPUT": str(output),
           "GITHUB_STEP_SUMMARY": str(summary),
           "CLAIMTRACK_STORE": str(repo / ".claimtrack" / "claims.db")}
    env.pop("COLUMNS", None)
    expressions = {"github.event.pull_request.base.sha": base, "github.workspace": str(repo)}
    results = {}
    for step in steps:
        if "run" not in step or step.get("name") in SKIPPED:
            continue
        condition = step.get("if")
        if condition is not None:
            count = dict(line.split("=", 1) for line in output.read_text().split())["count"]
            assert condition == "steps.changed.outputs.count != '0'"
            if count == "0":
                continue
        script = re.sub(r"\$\{\{ ([a-z._]+) \}\}", lambda m: expressions[m.group(1)],
                        step["run"])
        results[step["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=repo,
            env=env, capture_output=True, text=True, timeout=300)
    for name in ("Ingest the base branch", "Changed documents",
                 "Report (job summary and code scanning)"):
        assert results[name].returncode == 0, (name, results[name].stderr)
    check = results["Check (fails on conflicts)"]
    assert check.returncode == 1, check.stderr
    # the planted conflict: 350 paramedic vacancies on record, "more than 500" in the post
    line_number = next(n for n, line in enumerate(blog.split("\n"), 1) if "more than 500" in line)
    column = blog.split("\n")[line_number - 1].index("more than 500") + 1
    annotation = next(line for line in check.stdout.splitlines()
                      if line.startswith("::error ") and "paramedic vacanc" in line)
    assert f"file=articles/blog.txt,line={line_number},col={column}," in annotation
    assert "»more than 500«" in annotation and "»350«" in annotation
    assert "articles/courier.txt:" in annotation  # the stored claim, by file and line
    assert check.stdout.splitlines()[-1].endswith("failed (--fail-on conflict)")
    job_summary = summary.read_text(encoding="utf-8")  # a report: --fail-on none
    assert job_summary.startswith("### :white_check_mark: claimtrack check")
    assert "(1 conflict" in job_summary and "»more than 500«" in job_summary
    assert (repo / "claimtrack.sarif").is_file()


def test_the_workflow_fails_on_a_changed_file_that_cannot_be_read(tmp_path: Path) -> None:
    """A file the diff names that is gone by the time it is checked: exit 2, failure."""
    db = tmp_path / "claims.db"
    _claimtrack_on_path(tmp_path / "bin")
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT), "CLAIMTRACK_STORE": str(db)}
    subprocess.run(["claimtrack", "ingest", str(COMPARE / "courier_2023-05-10.txt")],
                   env=env, check=True, capture_output=True)
    run = subprocess.run(["claimtrack", "check", "--format", "github", str(tmp_path / "gone.txt")],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stdout.startswith("::error title=claimtrack%3A input not checked::")
    assert run.stdout.splitlines()[-1].endswith("failed (--fail-on conflict)")
