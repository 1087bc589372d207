"""CPU time and peak memory of extract() on each hostile text of tests/test_adversarial.py.

    python benchmarks/bench_adversarial.py [--scale F] [--only WORD] [--budget SECONDS]
    python benchmarks/bench_adversarial.py --real [--real-size 10000000]

Each case is built at its full size (times F) and at a tenth of it, and each run is a
process of its own, so that its peak resident memory (ru_maxrss) is its own. One line
per case: characters, claims, CPU seconds (time.process_time: the machine may be shared),
peak RSS, and the ratio of the full-size time to the tenth's, for ten times the
characters (linear is 10). A case over
10 s, 300 MB or a ratio of 12 is marked. --real times real text (the fixtures/cases
texts repeated) with paragraph breaks, with single line breaks and in one line, and the
same at 50 MB through the command line's default time budget.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_adversarial import CASES, check, real_layout  # noqa: E402

from claimtrack.budget import time_budget  # noqa: E402
from claimtrack.errors import BudgetError  # noqa: E402

MAX_SECONDS = 10.0
MAX_MB = 300.0
MAX_RATIO = 12.0


def _child(name: str, size: int, budget: float) -> None:
    """Run one case in this process and print what it cost as JSON."""
    check("warm up: 12% of £5m")  # compiles the patterns, loads the rules
    if name.startswith("real:"):
        text = real_layout(size, name[5:])
    else:
        text = next(c for c in CASES if c.name == name).build(size)
    began = time.process_time()
    try:
        with time_budget(budget, name):
            claims = len(check(text))
    except BudgetError:
        claims = -1
    seconds = time.process_time() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(json.dumps({"chars": len(text), "claims": claims, "seconds": seconds, "mb": peak}))


def _run(name: str, size: int, budget: float) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", name, str(size),
                           "--budget", str(budget)], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def _cases(args: argparse.Namespace) -> None:
    worst = ("", 0.0)
    print(f"{'case':32} {'chars':>10} {'claims':>8} {'cpu s':>7} {'MB':>5} "
          f"{'1/10 s':>7} {'ratio':>5}")
    for case in CASES:
        if args.only and args.only.lower() not in case.name.lower():
            continue
        full = int(case.full * args.scale)
        tenth = _run(case.name, full // 10, args.budget)
        run = _run(case.name, full, args.budget)
        # the time ratio for ten times the characters (a case built of repeated units
        # may not reach exactly a tenth of its size)
        ratio = run["seconds"] / max(tenth["seconds"], 1e-3) * 10 * tenth["chars"] / run["chars"]
        marks = [mark for mark, bad in (("GAVE UP", run["claims"] < 0),
                                        (">10 s", run["seconds"] > MAX_SECONDS),
                                        (">300 MB", run["mb"] > MAX_MB),
                                        (">12x", ratio > MAX_RATIO and tenth["seconds"] > 0.05))
                 if bad]
        print(f"{case.name:32} {run['chars']:>10,.0f} {max(run['claims'], 0):>8,.0f} "
              f"{run['seconds']:>7.2f} {run['mb']:>5.0f} {tenth['seconds']:>7.2f} "
              f"{ratio:>5.1f}  {' '.join(marks)}", flush=True)
        if run["seconds"] > worst[1]:
            worst = (case.name, run["seconds"])
    print(f"longest: {worst[0]} ({worst[1]:.2f} s)")


def _real(args: argparse.Namespace) -> None:
    times = {}
    for layout in ("paragraphs", "lines", "one line"):
        run = _run(f"real:{layout}", args.real_size, args.budget)
        times[layout] = run["seconds"]
        print(f"real text, {layout:10} {run['chars']:>12,.0f} chars {run['claims']:>8,.0f} "
              f"claims {run['seconds']:>7.2f} s {run['mb']:>5.0f} MB  "
              f"x{run['seconds'] / times['paragraphs']:.2f} of paragraphs", flush=True)
    big = Path(args.workdir) / "real-50mb.txt"
    big.write_text(real_layout(50_000_000, "paragraphs"), encoding="utf-8")
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "claimtrack", "extract", "--format", "jsonl",
                           str(big)], capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"50 MB of real text, default budget: exit {done.returncode}, "
          f"{done.stdout.count(chr(10)):,} claims, {elapsed:.1f} s wall, "
          f"{usage.ru_utime + usage.ru_stime:.1f} s CPU (children), "
          f"{done.stderr.strip()[:100] or 'no error'}")
    big.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every full size")
    parser.add_argument("--only", help="run the cases whose name holds this word")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds allowed per case")
    parser.add_argument("--real", action="store_true", help="time real text in three layouts")
    parser.add_argument("--real-size", type=int, default=10_000_000)
    parser.add_argument("--workdir", default="/tmp", help="where the 50 MB file is written")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), args.budget)
    elif args.real:
        _real(args)
    else:
        _cases(args)


if __name__ == "__main__":
    main()
