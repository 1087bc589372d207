"""The claim store: ingest rate, and `check` latency against stores of 10k, 100k and 1M claims.

    python benchmarks/bench_store.py [--corpus DIR] [--check FILE] [--sizes 10000,100000,1000000]

Ingest: every text file of the corpus (../shared/corpus, else fixtures/cases) into a fresh
store, in-process (extraction, blocks, findings against what is stored, one transaction
per document), then the same again (every document unchanged), then `claimtrack ingest`
as a fresh process (start-up included).

Check: a synthetic store of N claims is built with executemany (indexes built after the
rows, as a bulk load would). Most claims are about 20,000 made-up subjects that the
checked document never mentions; for each claim of the checked document, 50 stored
claims repeat its wording (the same figure, a rounding of it, or a different figure, in
other documents), so that the lookup returns real work for compare(). Reported: extraction of
the document, the store lookup and compare (`ClaimStore.check`), and `claimtrack check`
as a fresh process, with the findings it reports.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimtrack.compare import blocking_keys  # noqa: E402
from claimtrack.compare.link import family  # noqa: E402
from claimtrack.document import TEXT_SUFFIXES, load_document  # noqa: E402
from claimtrack.model import claim_from_dict, claim_to_dict  # noqa: E402
from claimtrack.pipeline import extract_document  # noqa: E402
from claimtrack.store import _CLAIM_COLUMNS, ClaimStore  # noqa: E402

PER_KEY = 50
CLAIMS_PER_DOCUMENT = 100
_NOUNS = ["officer", "trust", "caseload", "company", "hub", "station", "vacancy", "call",
          "contract", "budget", "ambulance", "paramedic", "nurse", "bed", "school", "pupil"]
_MODIFIERS = ["probation", "frontline", "emergency", "rural", "community", "national",
              "private", "public", "regional", "hospital", "primary", "secondary", "youth"]


def _corpus(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    shared = ROOT.parent / "shared" / "corpus"
    return shared if shared.is_dir() else ROOT / "fixtures" / "cases"


def _documents(corpus: Path) -> list[Path]:
    """The corpus's own documents: its top-level text files (not gold/ annotations)."""
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix in TEXT_SUFFIXES)


def bench_ingest(corpus: Path) -> None:
    paths = _documents(corpus)
    size = sum(p.stat().st_size for p in paths)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "claims.db"
        began = time.perf_counter()
        with ClaimStore(db) as store:
            results = [store.ingest(load_document(p)) for p in paths]
        first = time.perf_counter() - began
        began = time.perf_counter()
        with ClaimStore(db) as store:
            again = [store.ingest(load_document(p)) for p in paths]
        second = time.perf_counter() - began
        assert {r.status for r in again} == {"unchanged"}
        fresh = Path(tmp) / "fresh.db"
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "claimtrack", "ingest", *map(str, paths),
                        "--store", str(fresh)], check=True, capture_output=True, cwd=ROOT)
        cli = time.perf_counter() - began
    claims = sum(r.claims for r in results)
    print(f"ingest {corpus} ({len(paths)} documents, {size / 1024:.0f} KB, {claims} claims, "
          f"{sum(r.findings for r in results)} findings)")
    print(f"  in-process, new:       {first:6.2f} s  {len(paths) / first:7.1f} documents/s  "
          f"{size / 1024 / first:7.0f} KB/s  (rule loading included)")
    print(f"  in-process, unchanged: {second:6.3f} s  {len(paths) / second:7.1f} documents/s")
    print(f"  claimtrack ingest:     {cli:6.2f} s  (a fresh process, start-up included)")


# --------------------------------------------------------------------------- synthetic store


def _row(ident: int, document: int, record: dict[str, Any]) -> tuple[Any, ...]:
    claim = claim_from_dict({**record, "start": record["start_offset"],
                             "end": record["end_offset"]})
    return (ident, document, *[record.get(c) for c in _CLAIM_COLUMNS],
            json.dumps(list(family(claim)), separators=(",", ":")), None, None)


def _filler_rows(rng: random.Random, count: int, start_doc: int,
                 first_id: int) -> list[tuple[Any, ...]]:
    rows = []
    for i in range(count):
        subject = (f"{rng.choice(_MODIFIERS)} {rng.choice(_NOUNS)}{rng.randrange(20000)}")
        value = rng.randrange(1, 100000)
        text = f"{value:,}"
        sentence = f"The {subject} figure stood at {text}."
        record = {"doc": f"synthetic/{start_doc + i // CLAIMS_PER_DOCUMENT}.txt",
                  "start_offset": 10 * (i % CLAIMS_PER_DOCUMENT), "text": text, "kind": "count",
                  "value": value, "low": value, "high": value, "qualifier": "exact",
                  "subject": subject, "sentence": sentence}
        record["end_offset"] = record["start_offset"] + len(text)
        rows.append(_row(first_id + i, start_doc + i // CLAIMS_PER_DOCUMENT, record))
    return rows


def _related_rows(rng: random.Random, claims: list[Any], start_doc: int) -> list[tuple[Any, ...]]:
    """PER_KEY stored claims for every claim of the checked document, in its words."""
    rows = []
    n = 0
    for claim in claims:
        base = claim_to_dict(claim)
        for _ in range(PER_KEY):
            record = dict(base)
            value = base["value"]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                new = rng.choice([value, value, round(value * rng.uniform(0.5, 1.5), 1)])
                new = int(new) if float(new).is_integer() else new
                text = f"{new:,}" if isinstance(new, int) else str(new)
                record.update(value=new, low=new, high=new, qualifier="exact", text=text,
                              sentence=(claim.sentence or "").replace(claim.text, text, 1))
            document = start_doc + n // CLAIMS_PER_DOCUMENT
            record.update(doc=f"synthetic/{document}.txt", start_offset=claim.start,
                          end_offset=claim.start + len(record["text"]))
            rows.append(_row(n + 1, document, record))
            n += 1
    return rows


def _term_rows(rows: list[tuple[Any, ...]]) -> list[tuple[str, int]]:
    """The blocks of the stored claims, as ingest would index them (in batches)."""
    out: list[tuple[str, int]] = []
    for start in range(0, len(rows), 20_000):
        batch = rows[start:start + 20_000]
        claims = []
        for row in batch:
            record = dict(zip(_CLAIM_COLUMNS, row[2:2 + len(_CLAIM_COLUMNS)], strict=True))
            record["start"], record["end"] = record["start_offset"], record["end_offset"]
            claims.append(claim_from_dict(record))
        for row, blocks in zip(batch, blocking_keys(claims), strict=True):
            out.extend((term, row[0]) for term in blocks)
    return out


def build_store(db: Path, size: int, claims: list[Any], seed: int) -> float:
    began = time.perf_counter()
    ClaimStore(db).close()
    rng = random.Random(seed)
    related = _related_rows(rng, claims, 0)
    first_filler = len(related) // CLAIMS_PER_DOCUMENT + 1
    filler = _filler_rows(rng, max(0, size - len(related)), first_filler, len(related) + 1)
    documents = first_filler + len(filler) // CLAIMS_PER_DOCUMENT + 1
    terms = _term_rows(related + filler)
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("PRAGMA synchronous = OFF")
    indexes = [sql for (sql,) in raw.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('claims', "
        "'claim_terms') AND sql IS NOT NULL")]
    raw.execute("BEGIN")
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name IN ('claims', 'claim_terms') AND sql IS NOT NULL"
                               ).fetchall():
        raw.execute(f"DROP INDEX {name}")
    raw.executemany("INSERT INTO documents (id, path, file, sha256, title, date, source, "
                    "acronyms, ingested_at) VALUES (?, ?, ?, '', NULL, '2020-01-01', NULL, '', "
                    "'2020-01-01T00:00:00+00:00')",
                    ((i, f"synthetic/{i}.txt", f"synthetic/{i}.txt") for i in range(documents)))
    columns = ", ".join(_CLAIM_COLUMNS)
    marks = ", ".join("?" * (len(_CLAIM_COLUMNS) + 5))
    raw.executemany(f"INSERT INTO claims (id, document_id, {columns}, key, key_subject, "
                    f"key_when) VALUES ({marks})", related + filler)
    raw.executemany("INSERT INTO claim_terms (term, claim_id) VALUES (?, ?)", terms)
    for sql in indexes:
        raw.execute(sql)
    raw.execute("COMMIT")
    raw.execute("ANALYZE")
    raw.close()
    return time.perf_counter() - began


def bench_check(document_path: Path, sizes: list[int], seed: int) -> None:
    document = load_document(document_path)
    extract_document(document)  # rules loaded once, outside the timings
    began = time.perf_counter()
    claims = extract_document(document)
    extraction = time.perf_counter() - began
    keys = {k for ks in blocking_keys(claims, texts={document.id: document.text}) for k in ks}
    print(f"\ncheck {document_path} ({len(claims)} claims, {len(keys)} blocks; extraction "
          f"{extraction * 1000:.0f} ms)")
    print(f"  {'claims':>9} {'build':>8} {'lookup+compare':>15} {'claimtrack check':>26} "
          f"{'findings':>9} {'file':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "claims.db"
            built = build_store(db, size, claims, seed)
            with ClaimStore(db, readonly=True) as store:
                assert len(store._db.execute("SELECT 1 FROM claims LIMIT 1").fetchall()) == 1
                timings = []
                for _ in range(5):
                    began = time.process_time()  # CPU: the machine is shared
                    found = store.check(claims, {document.id: document.text})
                    timings.append(time.process_time() - began)
            began = time.perf_counter()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = subprocess.run([sys.executable, "-m", "claimtrack", "check",
                                  str(document_path), "--store", str(db), "--fail-on", "none",
                                  "--format", "json"], capture_output=True, cwd=ROOT, text=True)
            cli = time.perf_counter() - began
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cli_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
            assert run.returncode == 0, run.stderr
            reported = json.loads(run.stdout)["summary"]["findings"]
            assert reported == len(found)
            print(f"  {size:>9,} {built:>7.1f}s {statistics.median(timings) * 1000:>12.0f} ms "
                  f"{cli * 1000:>8.0f} ms (CPU {cli_cpu * 1000:>5.0f} ms) {len(found):>9} "
                  f"{db.stat().st_size / 2**20:>6.0f}MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus")
    parser.add_argument("--check", help="the document checked (default: a corpus document)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    corpus = _corpus(args.corpus)
    bench_ingest(corpus)
    checked = Path(args.check) if args.check else _documents(corpus)[-1]
    bench_check(checked, [int(s) for s in args.sizes.split(",")], args.seed)


if __name__ == "__main__":
    main()
