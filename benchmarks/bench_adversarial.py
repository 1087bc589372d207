"""Time of extract() on each hostile text of tests/test_adversarial.py, at full size.

    python benchmarks/bench_adversarial.py [--scale F] [--only WORD] [--budget SECONDS]

Builds every case at its full size (times F), runs claimtrack.extract() once
under a time budget (default 600 s, so one runaway case cannot stall the rest),
checks the offsets, and prints one line per case: characters, claims, seconds,
characters per second. The longest case is named at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_adversarial import CASES, check  # noqa: E402

from claimtrack.budget import time_budget  # noqa: E402
from claimtrack.errors import BudgetError  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every full size")
    parser.add_argument("--only", help="run the cases whose name holds this word")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds allowed per case")
    args = parser.parse_args()
    check("warm up: 12% of £5m")  # compiles the patterns, loads the rules
    longest = ("", 0.0)
    for case in CASES:
        if args.only and args.only.lower() not in case.name.lower():
            continue
        text = case.build(int(case.full * args.scale))
        began = time.perf_counter()
        try:
            with time_budget(args.budget, case.name):
                claims = len(check(text))
        except BudgetError:
            claims = -1
        elapsed = time.perf_counter() - began
        note = "  GAVE UP" if claims < 0 else ""
        print(f"{case.name:32} {len(text):>10,} chars {max(claims, 0):>8,} claims "
              f"{elapsed:8.2f} s {len(text) / elapsed:>12,.0f} chars/s{note}", flush=True)
        if elapsed > longest[1]:
            longest = (case.name, elapsed)
    print(f"longest: {longest[0]} ({longest[1]:.2f} s)")


if __name__ == "__main__":
    main()
