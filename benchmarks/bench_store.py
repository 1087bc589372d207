"""The claim store: ingest rate, ingest time as the store grows, and `check` latency against
stores of 10k, 100k and 1M claims.

    python benchmarks/bench_store.py [--corpus DIR] [--check FILE] [--sizes 10000,100000,1000000]
                                     [--documents 1000] [--skip-check]

Ingest: every text file of the corpus (../shared/corpus, else fixtures/cases) into a fresh
store, in-process (extraction, keys, findings against what is stored, one transaction
per document), then the same again (every document unchanged), then `claimtrack ingest`
as a fresh process (start-up included).

Growth: DOCUMENTS documents ingested one after another into one store, each a copy of a
corpus document under its own id (as syndicated news is: the same page on many sites),
with a line of its own on top so that no two texts are the same. Each corpus text is
extracted once, outside the timings (its claims are given to every copy), so what is
timed is the store's work: keys, the lookup of related claims, comparison and recording
findings. Reported: CPU time per document of the first and the last hundred (the last
must stay within 1.5x of the first: ingest is linear).

Check: a synthetic store of N claims is built with executemany (indexes built after the
rows, as a bulk load would). Most claims are about 20,000 made-up subjects that the
checked document never mentions; for each claim of the checked document, 50 stored
claims share its key (the same figure, a rounding of it, or a different figure, in other
documents), so that the lookup returns real work for compare(). Reported: extraction of
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

from claimtrack.compare import keyed  # noqa: E402
from claimtrack.document import TEXT_SUFFIXES, load_document  # noqa: E402
from claimtrack.model import claim_to_dict  # noqa: E402
from claimtrack.pipeline import extract_document  # noqa: E402
from claimtrack.render.views import distinct  # noqa: E402
from claimtrack.store import _CLAIM_COLUMNS, COPIES, ClaimStore  # noqa: E402

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
    """The corpus's own documents: its top-level text files (not gold/ annotations, not
    a JSON Lines file of many documents)."""
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix in TEXT_SUFFIXES
                  and p.suffix != ".jsonl")


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


def bench_growth(corpus: Path, count: int) -> tuple[float, float]:
    """CPU seconds per document of the first and the last hundred of `count` ingested."""
    import attrs

    from claimtrack.model import Document

    bases = [load_document(p) for p in _documents(corpus)]
    claims = {d.id: extract_document(d) for d in bases}
    head = "Syndicated copy {}\n\n"

    def extract(document: Document) -> list[Any]:
        base = document.id.split("/", 1)[1]
        shift = len(head.format(document.id.split("/", 1)[0]))
        return [attrs.evolve(c, doc=document.id, start=c.start + shift, end=c.end + shift,
                             line=(c.line or 1) + 2,
                             sentence_start=(c.sentence_start or 0) + shift)
                for c in claims[base]]

    times = []
    findings = 0
    with tempfile.TemporaryDirectory() as tmp, ClaimStore(Path(tmp) / "claims.db") as store:
        for n in range(count):
            base = bases[n % len(bases)]
            document = Document(text=head.format(n) + base.text, id=f"{n}/{base.id}",
                                date=base.date)
            began = time.process_time()
            done = store.ingest(document, extract)
            times.append(time.process_time() - began)
            findings += done.findings
        stored = len(store.claims())
    first = statistics.fmean(times[:100])
    last = statistics.fmean(times[-100:])
    print(f"\ngrowth: {count} documents, copies of {len(bases)} ({stored} claims stored, "
          f"{findings} findings recorded; at most {COPIES} copies of a figure compared)")
    for start in range(0, count, max(100, count // 10)):
        chunk = times[start:start + 100]
        print(f"  documents {start + 1:>5}-{start + len(chunk):<5} "
              f"{statistics.fmean(chunk) * 1000:7.1f} ms CPU per document")
    print(f"  first hundred {first * 1000:.1f} ms, last hundred {last * 1000:.1f} ms: "
          f"{last / first:.2f}x")
    return first, last


# --------------------------------------------------------------------------- synthetic store


def _copy(copies: dict[tuple[str, str], int], block: str,
          record: dict[str, Any]) -> tuple[str, int]:
    """The figure and copy columns of a synthetic row (as ClaimStore numbers copies)."""
    figure = json.dumps([record.get(k) for k in ("text", "kind", "value", "low", "high",
                                                 "qualifier", "unit")],
                        ensure_ascii=False, separators=(",", ":"))
    copy = copies.get((block, figure), 0)
    copies[block, figure] = min(COPIES, copy + 1)
    return figure, copy


def _filler_rows(rng: random.Random, count: int, start_doc: int) -> list[tuple[Any, ...]]:
    rows = []
    copies: dict[tuple[str, str], int] = {}
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
        block = json.dumps([subject, "count", None, None, None], separators=(",", ":"))
        rows.append((start_doc + i // CLAIMS_PER_DOCUMENT,
                     *[_column(record, c) for c in _CLAIM_COLUMNS], block, subject, None,
                     *_copy(copies, block, record)))
    return rows


def _related_rows(rng: random.Random, pairs: list[tuple[Any, Any]],
                  start_doc: int) -> list[tuple[Any, ...]]:
    """PER_KEY stored claims for every key of the checked document."""
    rows = []
    copies: dict[tuple[str, str], int] = {}
    n = 0
    for claim, key in pairs:
        if key is None:
            continue
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
            block = json.dumps(list(key.block()), ensure_ascii=False, separators=(",", ":"))
            rows.append((document, *[_column(record, c) for c in _CLAIM_COLUMNS], block,
                         key.subject, key.when, *_copy(copies, block, record)))
            n += 1
    return rows


def _column(record: dict[str, Any], column: str) -> Any:
    """A claim record's value for a column of the claims table ('change' is NOT NULL)."""
    if column == "change":
        return int(bool(record.get("change")))
    return record.get(column)


def build_store(db: Path, size: int, pairs: list[tuple[Any, Any]], seed: int) -> float:
    began = time.perf_counter()
    ClaimStore(db).close()
    rng = random.Random(seed)
    related = _related_rows(rng, pairs, 0)
    first_filler = len(related) // CLAIMS_PER_DOCUMENT + 1
    filler = _filler_rows(rng, max(0, size - len(related)), first_filler)
    documents = first_filler + len(filler) // CLAIMS_PER_DOCUMENT + 1
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("PRAGMA synchronous = OFF")
    indexes = [sql for (sql,) in raw.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'claims' "
        "AND sql IS NOT NULL")]
    raw.execute("BEGIN")
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name = 'claims' AND sql IS NOT NULL").fetchall():
        raw.execute(f"DROP INDEX {name}")
    raw.executemany("INSERT INTO documents (id, path, file, sha256, title, date, source, "
                    "acronyms, ingested_at) VALUES (?, ?, ?, '', NULL, '2020-01-01', NULL, '', "
                    "'2020-01-01T00:00:00+00:00')",
                    ((i, f"synthetic/{i}.txt", f"synthetic/{i}.txt") for i in range(documents)))
    columns = ", ".join(_CLAIM_COLUMNS)
    marks = ", ".join("?" * (len(_CLAIM_COLUMNS) + 6))
    raw.executemany(f"INSERT INTO claims (document_id, {columns}, key, key_subject, key_when, "
                    f"figure, copy) VALUES ({marks})", related + filler)
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
    pairs = keyed(claims, texts={document.id: document.text})
    keys = {k.block() for _, k in pairs if k is not None}
    print(f"\ncheck {document_path} ({len(claims)} claims, {len(keys)} keys; extraction "
          f"{extraction * 1000:.0f} ms)")
    print(f"  {'claims':>9} {'build':>8} {'lookup+compare':>15} "
          f"{'claimtrack check, best of 3':>28} {'findings':>9} {'file':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "claims.db"
            built = build_store(db, size, pairs, seed)
            with ClaimStore(db, readonly=True) as store:
                assert len(store._db.execute("SELECT 1 FROM claims LIMIT 1").fetchall()) == 1
                timings = []
                for _ in range(5):
                    began = time.perf_counter()
                    found = store.check(claims, {document.id: document.text})
                    timings.append(time.perf_counter() - began)
            # the fresh process three times: the best wall time, and its CPU time (the
            # machine may be shared; the first run also reads the file into the page cache)
            cli, cli_cpu = float("inf"), float("inf")
            for _ in range(3):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                began = time.perf_counter()
                run = subprocess.run([sys.executable, "-m", "claimtrack", "check",
                                      str(document_path), "--store", str(db), "--fail-on",
                                      "none", "--format", "json"],
                                     capture_output=True, cwd=ROOT, text=True)
                cli = min(cli, time.perf_counter() - began)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cli_cpu = min(cli_cpu, after.ru_utime + after.ru_stime
                              - before.ru_utime - before.ru_stime)
            assert run.returncode == 0, run.stderr
            reported = json.loads(run.stdout)["summary"]["findings"]
            assert reported == len(distinct(found))  # a report shows each finding once
            print(f"  {size:>9,} {built:>7.1f}s {statistics.median(timings) * 1000:>12.0f} ms "
                  f"{cli * 1000:>8.0f} ms ({cli_cpu * 1000:.0f} ms CPU) {len(found):>9} "
                  f"{db.stat().st_size / 2**20:>6.0f}MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus")
    parser.add_argument("--check", help="the document checked (default: a corpus document)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--documents", type=int, default=1000,
                        help="documents ingested to measure growth (0: skip)")
    parser.add_argument("--skip-check", action="store_true")
    args = parser.parse_args()
    corpus = _corpus(args.corpus)
    bench_ingest(corpus)
    if args.documents:
        bench_growth(corpus, args.documents)
    if args.skip_check:
        return
    checked = Path(args.check) if args.check else _documents(corpus)[-1]
    bench_check(checked, [int(s) for s in args.sizes.split(",")], args.seed)


if __name__ == "__main__":
    main()
