"""Throughput of extract() and start-up time of the CLI.

    python benchmarks/bench_extract.py [DIR_OR_FILE...] [--repeat N]

Without paths it reads ../shared/corpus/*.txt beside the repository, falling
back to fixtures/ when that is absent. Prints characters per second of
extract() on one core (after a warm-up run, so the one-off cost of compiling
patterns and loading rule data is reported apart) and the wall time of
`claimtrack --version` in a fresh process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import claimtrack  # noqa: E402
from claimtrack.document import load_document  # noqa: E402


def _default_paths() -> list[Path]:
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir() and any(corpus.glob("*.txt")):
        return sorted(corpus.glob("*.txt"))
    # not fixtures/bad: binary on purpose
    return sorted((ROOT / "fixtures" / "cases").glob("*.txt"))


def _texts(paths: list[Path]) -> list[str]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.txt")) if path.is_dir() else [path])
    return [load_document(f).text for f in files]


def bench_extract(texts: list[str], repeat: int) -> dict[str, float]:
    began = time.perf_counter()
    claimtrack.extract(texts[0])
    warm_up = time.perf_counter() - began
    chars = sum(map(len, texts))
    runs, cpu_runs = [], []
    claims = 0
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        claims = sum(len(claimtrack.extract(t)) for t in texts)
        runs.append(time.perf_counter() - began)
        cpu_runs.append(time.process_time() - began_cpu)
    best = min(runs)
    # CPU time is what one core spends; on a shared virtual machine the wall time also
    # counts the time the core was given to others.
    return {"documents": len(texts), "characters": chars, "claims": claims,
            "first_call_s": warm_up, "best_s": best, "median_s": statistics.median(runs),
            "chars_per_s": chars / best, "chars_per_cpu_s": chars / min(cpu_runs)}


def bench_startup(repeat: int = 5) -> float:
    command = [sys.executable, "-m", "claimtrack", "--version"]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    result = bench_extract(_texts(args.paths or _default_paths()), args.repeat)
    print(f"extract: {result['documents']} documents, {result['characters']:,} characters, "
          f"{result['claims']} claims")
    print(f"  first call (compiles patterns, loads rules): {result['first_call_s'] * 1000:.0f} ms")
    print(f"  best of {args.repeat}: {result['best_s'] * 1000:.1f} ms -> "
          f"{result['chars_per_s']:,.0f} characters/s "
          f"({result['chars_per_cpu_s']:,.0f} per second of CPU time)")
    print(f"start-up: claimtrack --version {bench_startup() * 1000:.0f} ms")


if __name__ == "__main__":
    main()
