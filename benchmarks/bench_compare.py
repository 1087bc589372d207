"""Scale of compare(): synthetic claims at 10k, 100k and 1M.

    python benchmarks/bench_compare.py [--sizes 10000,100000,1000000] [--seed 1]

Each size runs in a fresh process (so its peak memory is its own) on one core.
The synthetic claims have realistic shapes: 20,000 subjects of one to four words,
every kind, hedges, ranges, rates, a date in a tenth of the sentences, each
sentence its own string, spread over one document per 100 claims, values drawn so
that a few per cent of claims repeat or contradict another. Prints, per size, the
time to build the claims, the time of compare(), the findings and the peak
resident memory (ru_maxrss) of the process.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimtrack.compare import compare  # noqa: E402
from claimtrack.compare.findings import linked  # noqa: E402
from claimtrack.model import Attribution, Claim, Quantity  # noqa: E402

_NOUNS = ["officer", "trust", "caseload", "company", "hub", "station", "vacancy", "call",
          "contract", "budget", "ambulance", "paramedic", "nurse", "bed", "school", "pupil",
          "teacher", "prison", "offender", "court", "case", "order", "tag", "pilot", "borough"]
_MODIFIERS = ["probation", "frontline", "emergency", "rural", "community", "national",
              "private", "public", "regional", "hospital", "primary", "secondary", "youth",
              "adult", "county", "city", "night", "day", "mental", "health"]
_PLACES = ["Eastport", "Westfield", "Northshire", "Southby", "London", "Leeds", "Wales"]


def _subjects(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        head = _NOUNS[i % len(_NOUNS)]
        words = [rng.choice(_MODIFIERS) for _ in range(rng.randint(0, 2))]
        words.append(f"{head}{i // len(_NOUNS)}")  # distinct heads: 20,000 real subjects
        out.append((" ".join(words) + "s", " ".join(words)))
    return out


def _claim(rng: random.Random, i: int, subjects: list[tuple[str, str]]) -> Claim:
    subject, unit = subjects[int(rng.paretovariate(1.2) * 7) % len(subjects)]
    kind = rng.choice(("count", "count", "percent", "money", "duration", "date"))
    base = (zlib.crc32(subject.encode()) % 900) + 10  # hash() differs between runs
    # one figure per subject (a popular subject is repeated in many documents); one
    # claim in thirty moves away from it (a conflict)
    value: float | str = base
    if rng.random() < 0.03:
        value = base + rng.randint(5, 60)
    qualifier, low, high, per = "exact", None, None, None
    roll = rng.random()
    if roll < 0.15:
        qualifier = "approx"
    elif roll < 0.22:
        qualifier = "more_than"
    elif roll < 0.25:
        qualifier, low, high = "range", value, float(value) + 10
        value = None  # type: ignore[assignment]
    if rng.random() < 0.2:
        per = "year"
    q_unit: str | None = unit
    text = f"{value}"
    if kind == "percent":
        q_unit, value = "percent", (float(value) % 100 if value is not None else None)  # type: ignore[assignment]
        text = f"{value}%"
    elif kind == "money":
        q_unit, text = "GBP", f"£{value}m"
        value = float(value) * 1e6 if value is not None else None  # type: ignore[assignment]
    elif kind == "duration":
        q_unit = rng.choice(("week", "month", "year"))
        text = f"{value} {q_unit}s"
    elif kind == "date":
        value, q_unit, qualifier = str(1990 + base % 30), None, "exact"
        low, high, per = None, None, None
        text = str(value)
    if value is None:
        text = f"{low}-{high}"
    place = f" in {rng.choice(_PLACES)}" if rng.random() < 0.1 else ""
    sentence = f"Figures {i} show {text} {subject}{place} this time."
    return Claim(doc=f"doc{i // 100:06d}.txt", start=14, end=14 + len(text), text=text,
                 quantity=Quantity(kind=kind, value=value, low=low, high=high,
                                   qualifier=qualifier, unit=q_unit, per=per),
                 subject=subject, attribution=Attribution(), sentence=sentence)


def run(size: int, seed: int) -> None:
    rng = random.Random(seed)
    subjects = _subjects(rng, 20_000)
    started = time.perf_counter()
    claims = [_claim(rng, i, subjects) for i in range(size)]
    built = time.perf_counter() - started
    compare(claims[:1000])  # warm-up: rule data, pint registry
    started, started_cpu = time.perf_counter(), time.process_time()
    findings, stats = linked(claims)
    took = time.perf_counter() - started
    cpu = time.process_time() - started_cpu  # one core's time, without what others took
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kinds = {k: sum(f.kind == k for f in findings)
             for k in ("repeat", "conflict", "update", "inconsistent")}
    print(f"{size:>9,} claims  build {built:6.1f} s  compare {took:6.1f} s (CPU {cpu:6.1f} s) "
          f"({size / took:>9,.0f} claims/s)  peak RSS {peak_mb:7.0f} MB  "
          f"profiles {stats.profiles:,}  candidate pairs scored {stats.scored:,}  "
          f"findings {kinds}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run(args.one, args.seed)
        return 0
    for size in (int(s) for s in args.sizes.split(",")):
        subprocess.run([sys.executable, "-X", "utf8", __file__, "--one", str(size),
                        "--seed", str(args.seed)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
