"""The claim store: round trip, idempotent ingest, schema versions, concurrency, crashes."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimtrack.aliases import learn_acronyms
from claimtrack.compare import compare
from claimtrack.document import load_document
from claimtrack.errors import StoreError
from claimtrack.model import (
    KINDS,
    QUALIFIERS,
    Attribution,
    Claim,
    Document,
    Quantity,
    claim_to_dict,
    finding_to_dict,
)
from claimtrack.pipeline import extract_document
from claimtrack.store import SCHEMA_VERSION, ClaimStore, acronym_text, finding_id, store_path

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "fixtures" / "compare"
CASES = ROOT / "fixtures" / "cases"
_PYTHON_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _docs(folder: Path) -> list[Document]:
    return [load_document(p) for p in sorted(folder.glob("*.txt"))]


# --------------------------------------------------------------------------- round trip

_maybe_text = st.none() | st.text(max_size=40)
_number = st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False,
                                                                          allow_infinity=False)
_value = st.none() | _number | st.text(max_size=20)


@st.composite
def _claims(draw: st.DrawFn) -> Claim:
    start = draw(st.integers(min_value=0, max_value=10**9))
    quantity = Quantity(kind=draw(st.sampled_from(KINDS)), value=draw(_value), low=draw(_value),
                        high=draw(_value), qualifier=draw(st.sampled_from(QUALIFIERS)),
                        unit=draw(_maybe_text), per=draw(_maybe_text),
                        denominator=draw(st.none() | _number))
    return Claim(doc="doc", start=start, end=start + draw(st.integers(0, 10**6)),
                 text=draw(st.text(max_size=40)), quantity=quantity,
                 subject=draw(_maybe_text),
                 attribution=Attribution(speaker=draw(_maybe_text), source=draw(_maybe_text)),
                 date=draw(_maybe_text), sentence=draw(_maybe_text))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> ClaimStore:
    return ClaimStore(tmp_path_factory.mktemp("roundtrip") / "claims.db")


_counter = iter(range(10**9))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_claims(), min_size=1, max_size=4))
@example([Claim(doc="doc", start=0, end=3, text="1.5",
                quantity=Quantity(kind="count", value=2**64))])
@example([Claim(doc="doc", start=0, end=5, text="-0.0\x00", quantity=Quantity(kind="ratio",
         value=-0.0, denominator=float("inf"), qualifier="range", low=1e300,
         high="\x00int:7"))])
def test_round_trip(scratch: ClaimStore, claims: list[Claim]) -> None:
    doc = f"doc-{next(_counter)}"
    written = [claim_to_dict(Claim(**{**_fields(c), "doc": doc})) for c in claims]
    document = Document(text=f"text of {doc}", id=doc, path=doc)
    done = scratch.ingest(document, lambda d: [Claim(**{**_fields(c), "doc": doc}) for c in claims])
    assert done.status == "new"
    read = [claim_to_dict(c) for c in scratch.claims(doc)]
    key = lambda r: (r["start"], r["end"])  # noqa: E731
    assert sorted(read, key=key) == sorted(written, key=key)


def _fields(claim: Claim) -> dict[str, object]:
    return {f: getattr(claim, f) for f in ("doc", "start", "end", "text", "quantity", "subject",
                                           "attribution", "date", "sentence")}


# --------------------------------------------------------------------------- acronyms

_ACRONYM_TEXTS = [p.read_text(encoding="utf-8") for p in [*COMPARE.glob("*.txt"),
                                                          *CASES.glob("*.txt")]]
_words = st.sampled_from(["community", "rehabilitation", "companies", "Company", "of", "the",
                          "and", "Trust", "Response", "hubs", "(CRCs)", "(CRH)", "(NAT)",
                          "(BGSW CRC)", "Bristol", "Gloucestershire", "Somerset", "Wiltshire",
                          "Northshire", "Ambulance", "x" * 60, ",", "\n", "(", ")", "2014"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_words, max_size=60).map(" ".join))
@example("Bristol, Gloucestershire, Somerset and Wiltshire Community Rehabilitation Company "
         "(BGSW CRC) and community response hubs (CRHs) and (NAT)")
def test_acronym_text_defines_what_the_text_defines(text: str) -> None:
    """The store keeps only the lines that can define acronyms: they define the same."""
    assert learn_acronyms(acronym_text(text)) == learn_acronyms(text)


def test_acronym_text_of_the_fixtures() -> None:
    for text in _ACRONYM_TEXTS:
        assert learn_acronyms(acronym_text(text)) == learn_acronyms(text)
    assert any(learn_acronyms(t).phrases for t in _ACRONYM_TEXTS)


# --------------------------------------------------------------------------- ingest


def test_ingest_is_idempotent_and_replaces_changed_documents(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    docs = _docs(COMPARE)
    with ClaimStore(db) as store:
        first = [store.ingest(d) for d in docs]
        assert [r.status for r in first] == ["new"] * len(docs)
        claims = store.claims()
        findings = store.findings()
        assert len(claims) == sum(r.claims for r in first) > 0
        assert findings
        again = [store.ingest(d) for d in docs]
        assert {r.status for r in again} == {"unchanged"}
        assert store.claims() == claims and store.findings() == findings

        gazette = next(d for d in docs if "gazette" in d.id)
        changed = Document(text=gazette.text.replace("£1.6bn", "£1.2bn").replace("350", "410"),
                           id=gazette.id, path=gazette.path)
        result = store.ingest(changed)
        assert result.status == "changed"
        stored = store.claims(gazette.id)
        assert [claim_to_dict(c) for c in stored] == \
            [claim_to_dict(c) for c in extract_document(changed)]
        assert "410" in [c.text for c in stored] and "£1.6bn" not in [c.text for c in stored]
        assert len(store.documents()) == len(docs)
        # the findings the old text took part in are gone; the new ones are recorded
        explanations = [f["explanation"] for f in store.findings()]
        assert not any("£1.6bn" in e for e in explanations)
        assert any("410" in e for e in explanations)


def test_check_finds_what_compare_finds_over_everything(tmp_path: Path) -> None:
    """A check of each document against the other four gives exactly the findings of
    compare() over all five that involve it."""
    docs = _docs(COMPARE)
    everything = compare([c for d in docs for c in extract_document(d)],
                         texts={d.id: d.text for d in docs})
    for new in docs:
        db = tmp_path / f"{Path(new.id).stem}.db"
        with ClaimStore(db) as store:
            for d in docs:
                if d is not new:
                    store.ingest(d)
        with ClaimStore(db, readonly=True) as store:
            found = store.check(extract_document(new), {new.id: new.text})
        expected = [f for f in everything if any(c.doc == new.id for c in f.claims)]
        assert [finding_id(f) for f in found] == [finding_id(f) for f in expected], new.id
        # equal but for the attribution cue, which the claim JSON (and the store) leaves
        # out, and for the score and its evidence: words are weighed by their rarity among
        # the claims compared, and a check compares the related claims, not all of them
        def same(record: dict[str, object]) -> dict[str, object]:
            return {k: v for k, v in record.items() if k not in ("score", "evidence")}

        assert [same(finding_to_dict(f)) for f in found] == \
            [same(finding_to_dict(f)) for f in expected]


def test_check_writes_nothing_and_sets_aside_the_stored_version(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    docs = _docs(COMPARE)
    with ClaimStore(db) as store:
        for d in docs:
            store.ingest(d)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "claims.db-shm"}
    gazette = next(d for d in docs if "gazette" in d.id)
    with ClaimStore(db, readonly=True) as store:
        found = store.check(extract_document(gazette), {gazette.id: gazette.text})
        with pytest.raises(StoreError, match="read-only"):
            store.ingest(gazette)
    # the stored copy of the gazette is not compared with the new one (no repeats of itself)
    assert found and all(len({c.doc for c in f.claims}) > 1 or f.kind == "inconsistent"
                         for f in found)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "claims.db-shm"}
    assert after == before


def test_history_lists_a_subjects_figures_by_date(tmp_path: Path) -> None:
    with ClaimStore(tmp_path / "claims.db") as store:
        for d in _docs(COMPARE):
            store.ingest(d)
        entries = store.history("Paramedic Vacancies")
    assert [e.text for e in entries] == ["350", "more than 500", "350"]
    assert [e.date for e in entries] == ["2023-05-10", "2023-05-20", "2023-06-03"]
    assert {e.source for e in entries} == {None, "Gazette"}
    assert all(e.document.endswith(".txt") for e in entries)


# --------------------------------------------------------------------------- schema


def test_new_store_is_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "claims.db"
    with ClaimStore(db) as store:
        assert store.schema_version == SCHEMA_VERSION
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    assert {"documents", "claims", "findings", "claims_key"} <= names
    plan = " ".join(str(r) for r in raw.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM claims WHERE key IN ('a', 'b')"))
    # an index led by the key serves the lookup (claims_key or claims_figure: the planner picks)
    assert re.search(r"USING INDEX claims_\w+ \(key=\?\)", plan), plan
    raw.close()


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    ClaimStore(db).close()
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="newer claimtrack"):
            ClaimStore(db, readonly=readonly)


def test_other_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some text that is long enough " * 20)
    with pytest.raises(StoreError, match="not a claimtrack store"):
        ClaimStore(text)
    other = tmp_path / "other.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE accounts (id INTEGER)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="not a claimtrack store"):
        ClaimStore(other)
    with pytest.raises(StoreError, match="no claim store"):
        ClaimStore(tmp_path / "missing.db", readonly=True)


def _claimtrack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], env=_PYTHON_ENV,
                          capture_output=True, text=True, timeout=120)


def _one_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("claimtrack: error: ")
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr


def _damaged_store(tmp_path: Path) -> Path:
    """A store with one B-tree page of its claims table overwritten."""
    db = tmp_path / "claims.db"
    with ClaimStore(db) as store:
        for d in _docs(CASES):
            store.ingest(d)
    raw = sqlite3.connect(db)
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'claims'").fetchone()[0]
    raw.close()
    with db.open("r+b") as f:
        f.seek((root - 1) * page_size + 8)
        f.write(b"\xa5\x5a" * 200)
    return db


def test_a_damaged_store_is_refused_by_every_command(tmp_path: Path) -> None:
    db = _damaged_store(tmp_path)
    before = db.read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="damaged"):
            ClaimStore(db, readonly=readonly)
    fixture = str(CASES / "news_report.txt")
    for args in (["ingest", fixture], ["check", fixture], ["baseline", fixture],
                 ["history", "library"]):
        _one_error(_claimtrack(*args, "--store", str(db)), str(db), "damaged")
    assert db.read_bytes() == before  # not written to



def test_a_reader_opens_a_store_damaged_only_inside_and_is_refused_where_it_reads_it(
        tmp_path: Path) -> None:
    """A reader probes the roots and outer leaves only (a check costs the same on any
    size of store); a damaged page it reads later is refused as damage, and a writer's
    quick_check finds it on open."""
    db = tmp_path / "claims.db"
    with ClaimStore(db) as store:
        for d in _docs(CASES):
            store.ingest(d)
    raw = sqlite3.connect(db)
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    leaves = [n for (n,) in raw.execute("SELECT pageno FROM dbstat WHERE name = 'claims' "
                                        "AND pagetype = 'leaf' ORDER BY path")]  # in key order
    raw.close()
    assert len(leaves) >= 3
    with db.open("r+b") as f:  # a leaf in the middle of the claims table
        f.seek((leaves[len(leaves) // 2] - 1) * page_size)
        f.write(b"\xa5\x5a" * 200)
    with ClaimStore(db, readonly=True) as store, pytest.raises(StoreError, match="damaged"):
        store.claims()
    with pytest.raises(StoreError, match="damaged"):
        ClaimStore(db)


def test_another_applications_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "accounts.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE accounts (id INTEGER)")
    raw.commit()
    raw.close()
    before = other.read_bytes()
    for args in (["ingest", str(CASES / "news_report.txt")], ["history", "library"]):
        _one_error(_claimtrack(*args, "--store", str(other)), "not a claimtrack store")
    assert other.read_bytes() == before  # still in rollback mode: the journal is not switched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.db"]


def test_an_empty_file_is_not_made_a_store(tmp_path: Path) -> None:
    empty = tmp_path / "claims.db"
    empty.write_bytes(b"")
    _one_error(_claimtrack("ingest", str(CASES / "news_report.txt"), "--store", str(empty)),
               "not a claimtrack store (an empty file)")
    assert empty.read_bytes() == b""
    new = tmp_path / "new" / "claims.db"  # a new one is made, complete, in one step
    with ClaimStore(new) as store:
        assert store.schema_version == SCHEMA_VERSION
    assert sorted(p.name for p in new.parent.iterdir()) == ["claims.db"]


def test_a_store_that_is_no_file(tmp_path: Path) -> None:
    loop = tmp_path / "loop.db"
    loop.symlink_to(tmp_path / "loop.db")
    _one_error(_claimtrack("ingest", str(CASES / "news_report.txt"), "--store", str(loop)),
               "symbolic link loop")
    _one_error(_claimtrack("history", "library", "--store", str(tmp_path)), "not a regular file")


def _immutable(*paths: Path, on: bool) -> bool:
    """chattr +i / -i: a file or directory even root cannot write."""
    done = subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)],
                          capture_output=True, check=False)
    return done.returncode == 0


def test_reading_commands_need_no_write_access(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    db = folder / "claims.db"
    documents = sorted(CASES.glob("*.txt"))
    with ClaimStore(db) as store:
        for path in documents[1:]:
            store.ingest(load_document(path))
    new = str(documents[0])
    if not _immutable(db, folder, on=True):  # where chattr is refused: read-only by mode
        with ClaimStore(db, readonly=True) as store:
            assert store.history("library") is not None
        return
    try:
        out = tmp_path / "baseline.json"
        assert _claimtrack("check", new, "--store", str(db)).returncode in (0, 1)
        history = _claimtrack("history", "library", "--store", str(db))
        assert history.returncode == 0 and history.stdout, history.stderr
        baseline = _claimtrack("baseline", new, "--store", str(db), "--output", str(out))
        assert baseline.returncode == 0, baseline.stderr
        _one_error(_claimtrack("ingest", new, "--store", str(db)), "cannot write")
    finally:
        _immutable(db, folder, on=False)
    assert sorted(p.name for p in folder.iterdir()) == ["claims.db"]


def test_store_path_precedence() -> None:
    assert store_path("a.db", {"CLAIMTRACK_STORE": "b.db"}) == Path("a.db")
    assert store_path(None, {"CLAIMTRACK_STORE": "b.db"}) == Path("b.db")
    assert store_path(None, {}) == Path(".claimtrack/claims.db")


# --------------------------------------------------------------------------- processes

_TEMPLATE = ("Report {i}\n\nThe {a} trust employs {n} {noun}s, the Courier said. "
             "Waiting times for {a} patients rose to {w} weeks in {y}, according to the "
             "trust's annual report. About {p}% of {noun}s said they were under strain.\n")
_ADJECTIVES = ["northern", "coastal", "rural", "city", "county", "valley"]
_NOUNS = ["nurse", "porter", "paramedic", "midwife", "surgeon", "pharmacist", "cleaner"]


def _write_corpus(folder: Path, count: int, prefix: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{prefix}{i:03d}.txt"
        path.write_text(_TEMPLATE.format(i=i, a=_ADJECTIVES[i % 6], n=100 + 7 * i,
                                         noun=_NOUNS[i % 7], w=4 + i % 30, y=2000 + i % 20,
                                         p=10 + i % 80), encoding="utf-8")
        paths.append(path)
    return paths


def _ingest_process(store: Path, *paths: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "claimtrack", "ingest", "--store", str(store),
                             *map(str, paths)], env=_PYTHON_ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _expected_claims(paths: list[Path]) -> dict[str, int]:
    return {str(p): len(extract_document(load_document(p))) for p in paths}


def _stored_claims(db: Path) -> dict[str, int]:
    raw = sqlite3.connect(db)
    try:
        return dict(raw.execute("SELECT d.path, count(c.id) FROM documents d LEFT JOIN claims c "
                                "ON c.document_id = d.id GROUP BY d.id"))
    finally:
        raw.close()


def test_two_processes_ingesting_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    shared = _write_corpus(tmp_path / "shared", 10, "s")
    first = _write_corpus(tmp_path / "one", 30, "a") + shared
    second = shared + _write_corpus(tmp_path / "two", 30, "b")
    processes = [_ingest_process(db, *first), _ingest_process(db, *second)]
    outputs = [p.communicate(timeout=120) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()
    # each shared document was added by one process and found unchanged by the other
    news = [int(out.decode().split("(")[1].split(" new")[0]) for out, _ in outputs]
    assert sum(news) == 70 and min(news) >= 30
    expected = _expected_claims(sorted(set(first + second)))
    assert _stored_claims(db) == expected
    assert all(n > 0 for n in expected.values())
    with ClaimStore(db) as store:
        assert store.integrity() == "ok"
        assert len(store.claims()) == sum(expected.values())


def test_a_process_killed_during_ingest_leaves_a_sound_store(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    paths = _write_corpus(tmp_path / "docs", 150, "k")
    process = _ingest_process(db, *paths)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists() and len(_safe_count(db)) >= 5:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL, "finished before it could be killed"
    expected = _expected_claims(paths)
    stored = _stored_claims(db)
    assert 5 <= len(stored) < len(paths)
    assert {d: expected[d] for d in stored} == stored, "a document without all its claims"
    with ClaimStore(db) as store:
        assert store.integrity() == "ok"
    rerun = _ingest_process(db, *paths)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    assert f"{len(stored)} unchanged" in out.decode()
    assert _stored_claims(db) == expected


def _safe_count(db: Path) -> dict[str, int]:
    try:
        return _stored_claims(db)
    except sqlite3.Error:  # not created yet
        return {}


def _copy(document: Document, n: int) -> Document:
    return Document(text=f"Copy {n}\n\n{document.text}", id=f"site{n}/{Path(document.id).name}",
                    date=document.date)


def test_copies_of_a_page_are_compared_with_a_bounded_number_on_record(tmp_path: Path) -> None:
    """A page syndicated many times: each new copy is compared with COPIES stored copies of
    each figure (so ingest does not slow as copies pile up), and a conflicting figure
    is still found against them."""
    from claimtrack.store import COPIES

    courier = next(d for d in _docs(COMPARE) if "courier" in d.id)
    gazette = next(d for d in _docs(COMPARE) if "gazette" in d.id)
    with ClaimStore(tmp_path / "claims.db") as store:
        for n in range(COPIES + 4):
            store.ingest(_copy(courier, n))
        largest = max(len(f["claims"]) for f in store.findings())
        assert largest == COPIES + 1
        found = store.check(extract_document(gazette), {gazette.id: gazette.text})
        conflicts = [f for f in found if f.kind == "conflict"]
        assert conflicts and all(len({c.doc for c in f.claims}) <= COPIES + 1
                                 for f in conflicts)
        # the first copy changes: the next stored copy takes its place among the first
        first = store.claims(_copy(courier, 0).id)
        store.ingest(Document(text="Nothing here.", id=_copy(courier, 0).id))
        copies = store._db.execute(
            "SELECT count(*) FROM claims WHERE copy < ? AND figure = ? AND key IS NOT NULL",
            (COPIES, store._db.execute("SELECT figure FROM claims WHERE figure IS NOT NULL "
                                       "AND doc = ?", (_copy(courier, 1).id,)).fetchone()[0])
        ).fetchone()[0]
        assert first and copies == COPIES
