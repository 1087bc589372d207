"""The claim store: documents, their claims and the findings among them, in one SQLite file.

`ClaimStore(path)` opens (and creates, and migrates) a store. `ingest(document)`
adds a document in one transaction: the same content again changes nothing, a
changed document has its claims replaced, and a process killed half-way leaves
the store as it was before that document. `check(claims, texts)` compares new
claims with the stored claims of their keys (an indexed lookup) without writing.
`history(subject)` lists a subject's figures over time. See docs/store.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import random
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import regex

from .aliases import Lexicon
from .errors import StoreError
from .model import Claim, Document, Finding, claim_from_dict, claim_to_dict
from .render.records import finding_to_dict

#: Where the store is when neither --store nor CLAIMTRACK_STORE names one.
DEFAULT_PATH = Path(".claimtrack") / "claims.db"
ENVIRONMENT = "CLAIMTRACK_STORE"
#: PRAGMA application_id of a claimtrack store ("ClTk").
APPLICATION_ID = 0x436C546B
#: Seconds a connection waits for another writer before SQLite gives up on a statement.
BUSY_SECONDS = 30.0
#: Times a write is retried after the busy timeout still found the store locked.
RETRIES = 5
#: Keys looked up per query (SQLite allows 999 parameters in old builds).
_CHUNK = 500
_INT64 = (-(2**63), 2**63 - 1)
_TAG = "\x00"  # starts a tagged value (see _to_sql)

# Migration i takes a store from schema version i to i + 1 (PRAGMA user_version).
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,  -- the document id its claims name (claim.doc)
            file TEXT,                  -- the file it was read from
            sha256 TEXT NOT NULL,       -- of its text as decoded
            title TEXT,
            date TEXT,
            source TEXT,
            acronyms TEXT NOT NULL DEFAULT '',  -- the text defining its acronyms
            ingested_at TEXT NOT NULL)""",
        """CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            doc TEXT NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            value, low, high,
            qualifier TEXT NOT NULL,
            unit TEXT,
            per TEXT,
            denominator,
            subject TEXT,
            speaker TEXT,
            source TEXT,
            date TEXT,
            sentence TEXT,
            key TEXT,           -- compare.Key.block() as JSON: what it is indexed under
            key_subject TEXT,   -- the normalised subject, for history
            key_when TEXT)""",
        "CREATE INDEX claims_key ON claims(key)",
        "CREATE INDEX claims_subject ON claims(key_subject)",
        "CREATE INDEX claims_document ON claims(document_id, kind)",
        """CREATE TABLE findings (
            id TEXT PRIMARY KEY,  -- finding_id(): stable across runs
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            key TEXT NOT NULL,
            explanation TEXT NOT NULL,
            claims TEXT NOT NULL,  -- JSON list of the finding's claims
            found_at TEXT NOT NULL)""",
        """CREATE TABLE finding_documents (
            finding_id TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (finding_id, document_id)) WITHOUT ROWID""",
        "CREATE INDEX finding_documents_document ON finding_documents(document_id)",
    ),
    # a figure that is a change between two figures ("up 3%"), not a level
    ("ALTER TABLE claims ADD COLUMN change INTEGER NOT NULL DEFAULT 0",),
    (   # where a person finds a stored claim: its line and column, and its sentence's start
        "ALTER TABLE claims ADD COLUMN line INTEGER",
        "ALTER TABLE claims ADD COLUMN col INTEGER",
        "ALTER TABLE claims ADD COLUMN sentence_start INTEGER",
    ),
    (   # what made the contents: fingerprint.key_fingerprint() of the keys, and of each
        # document the fingerprint.rules_fingerprint() of the rules that read it
        "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "ALTER TABLE documents ADD COLUMN rules TEXT",
    ),
    (   # copies: a claim's figure (its wording) and how many claims of its key and figure
        # were stored before it, up to COPIES, so that a check reads COPIES of each
        "ALTER TABLE claims ADD COLUMN figure TEXT",
        "ALTER TABLE claims ADD COLUMN copy INTEGER",
        "CREATE INDEX claims_key_copy ON claims(key, copy)",
        "CREATE INDEX claims_figure ON claims(key, figure, copy)",
        "DELETE FROM settings WHERE name = 'keyed_with'",  # the next ingest numbers copies
    ),
    # the cue that decided each claim's attribution
    ("ALTER TABLE claims ADD COLUMN cue TEXT",),
    # a check reads the stored claims of the same figure too, whatever their key
    ("CREATE INDEX claims_value ON claims(kind, value)",),
)
#: How many stored claims of one key and one figure (wording) a check or an ingest
#: compares new claims with. A figure syndicated into thousands of pages is found as a
#: repeat of its first COPIES, so that the work of a new document does not grow with the
#: number of copies on record (docs/store.md).
COPIES = 3
#: How many stored claims of one precise figure a check reads besides those of its keys.
SAME_FIGURE_LIMIT = 20
#: the settings row holding the fingerprint of the lexicon and comparison that keyed claims
_KEYED_WITH = "keyed_with"
#: The schema version this claimtrack writes and reads.
SCHEMA_VERSION = len(_MIGRATIONS)

_CLAIM_COLUMNS = ("doc", "start_offset", "end_offset", "line", "col", "sentence_start", "text",
                  "kind", "value", "low", "high", "qualifier", "unit", "per", "denominator",
                  "subject", "speaker", "source", "cue", "date", "sentence", "change")
_SELECT_CLAIM = "SELECT c.id, c.document_id, " + ", ".join(f"c.{c}" for c in _CLAIM_COLUMNS)
#: where a claim's sentence sits in a row of _SELECT_CLAIM
_SENTENCE = 2 + _CLAIM_COLUMNS.index("sentence")
_INSERT_CLAIM = (f"INSERT INTO claims (document_id, {', '.join(_CLAIM_COLUMNS)}, key, "
                 f"key_subject, key_when, figure, copy) "
                 f"VALUES ({', '.join('?' * (len(_CLAIM_COLUMNS) + 6))})")


def store_path(explicit: str | os.PathLike[str] | None = None,
               environ: Mapping[str, str] | None = None) -> Path:
    """The store named by --store, else by $CLAIMTRACK_STORE, else DEFAULT_PATH."""
    if explicit is not None:
        return Path(explicit)
    env = (os.environ if environ is None else environ).get(ENVIRONMENT)
    return Path(env) if env else DEFAULT_PATH


# --------------------------------------------------------------------------- values


@attrs.frozen(kw_only=True)
class Ingested:
    """What ingesting one document did: status is new, changed or unchanged."""

    doc: str
    status: str = attrs.field(validator=attrs.validators.in_(("new", "changed", "unchanged")))
    claims: int = 0
    findings: int = 0


@attrs.frozen(kw_only=True)
class StoredDocument:
    """A row of the documents table."""

    path: str
    file: str | None
    sha256: str
    title: str | None
    date: str | None
    source: str | None
    ingested_at: str
    claims: int


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """One figure of a subject: when, what, who said it, on whose authority, where."""

    date: str | None
    text: str
    value: Any
    kind: str
    unit: str | None
    speaker: str | None
    source: str | None
    document: str


def content_hash(text: str) -> str:
    """The sha256 of a document's text (UTF-8) that tells a changed document from the same."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def finding_id(finding: Finding) -> str:
    """A finding's stable id: its kind, key and its claims' documents, wording and values.

    Offsets are left out, so an edit elsewhere in a document keeps the id; a claim
    joining or leaving the finding makes it another finding.
    """
    claims = sorted({(c.doc.replace("\\", "/"), c.text, json.dumps(claim_to_dict(c)["value"]))
                     for c in finding.claims})
    blob = json.dumps([finding.kind, finding.key, claims], ensure_ascii=False)
    return "ct-" + hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# Acronym definitions ("community rehabilitation companies (CRCs)"): the bracket and
# the line before it, which is all that aliases.learn_acronyms reads of a definition.
_BRACKETED = regex.compile(r"\([A-Z][A-Za-z&]{0,8}[A-Z]s?(?:[ \t][A-Z][A-Za-z&]{0,8}[A-Z]s?)?\)")
_DEFINITION_REACH = 400


def acronym_text(text: str) -> str:
    """The parts of a text that can define acronyms, one per line (often empty).

    Stored with each document, so that a check learns the acronyms of stored
    documents as compare() would from their full text.
    """
    parts = []
    for match in _BRACKETED.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        start = max(line_start, match.start() - _DEFINITION_REACH)
        if start > line_start:  # do not start within a word
            space = text.find(" ", start, match.start())
            start = space + 1 if space >= 0 else start
        parts.append(text[start:match.end()])
    return "\n".join(parts)


def _title(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return None


def _document_date(document: Document) -> str | None:
    if document.date is not None:
        return document.date.isoformat()
    from .compare.findings import lead_date
    from .rules import RuleSet
    from .structure import find_datelines

    datelines = find_datelines(document.text[:20000], RuleSet.default())
    # else the full date at the head of the text ("Riverbend Wire, 4 March 2024"), which
    # dates the figures of a running total (compare: update)
    return datelines[0].date.isoformat() if datelines else lead_date(document.text)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@attrs.frozen(kw_only=True)
class _Stored:
    """The stored claims a check reads, with their documents' acronym text and ids."""

    claims: list[Claim]
    acronyms: dict[str, str]
    document_ids: dict[str, int]
    #: the day of each document read (its dateline or the date at its head)
    dates: dict[str, str] = attrs.field(factory=dict)


# --------------------------------------------------------------------------- rows


def _to_sql(value: Any) -> Any:
    """A claim value as SQLite keeps it: integers wider than 64 bits as tagged text (a
    text that could be read as a tag is tagged too)."""
    if isinstance(value, int) and not isinstance(value, bool) and \
            not _INT64[0] <= value <= _INT64[1]:
        return f"{_TAG}int:{value}"
    if isinstance(value, str) and value.startswith(_TAG):
        return f"{_TAG}str:{value}"
    return value


def _from_sql(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_TAG):
        kind, rest = value[1:5], value[5:]
        return int(rest) if kind == "int:" else rest
    return value


def _block_json(block: tuple[str | None, ...]) -> str:
    return json.dumps(list(block), ensure_ascii=False, separators=(",", ":"))


def _key_columns(key: Any) -> tuple[str | None, str | None, str | None]:
    """The key, key_subject and key_when columns of a claim's key (None: no key)."""
    if key is None:
        return None, None, None
    return _block_json(key.block()), key.subject, key.when


def figure_of(claim: Claim) -> str:
    """A claim's figure as the store tells copies apart: its wording and reading."""
    record = claim_to_dict(claim)
    return json.dumps([record[k] for k in ("text", "kind", "value", "low", "high", "qualifier",
                                           "unit")], ensure_ascii=False, separators=(",", ":"))


def _claim_row(document_id: int, claim: Claim, key: Any, copy: int | None) -> tuple[Any, ...]:
    record = claim_to_dict(claim)
    record["start_offset"], record["end_offset"] = record["start"], record["end"]
    record["change"] = int(record.get("change", False))
    record["col"], record["sentence_start"] = claim.column, claim.sentence_start
    values = [_to_sql(record.get(column)) for column in _CLAIM_COLUMNS]
    figure = figure_of(claim) if key is not None else None
    return (document_id, *values, *_key_columns(key), figure, copy)


def _row_claim(row: Sequence[Any]) -> Claim:
    record = {column: _from_sql(value) for column, value in zip(_CLAIM_COLUMNS, row[2:],
                                                                strict=True)}
    record["start"], record["end"] = record.pop("start_offset"), record.pop("end_offset")
    record["column"] = record.pop("col")
    if record["denominator"] is None:
        del record["denominator"]
    record["change"] = bool(record["change"])
    return claim_from_dict(record)


# --------------------------------------------------------------------------- the store

_T = TypeVar("_T")


class ClaimStore:
    """A claim store in one SQLite file (WAL mode; safe for several processes at once).

    `readonly=True` opens an existing store for queries and checks only: it is never
    created, migrated or written (PRAGMA query_only).

    `aliases` (a Lexicon or the path of a TOML lexicon) keys claims as compare() would
    with it; `rules` names the user's rule files. The store records the fingerprint of
    both: claims keyed under another lexicon or claimtrack are keyed again (on the next
    ingest; a check keys them in memory meanwhile), and a document read under other rules
    is read again when it is ingested.
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False,
                 busy_seconds: float = BUSY_SECONDS, aliases: Lexicon | str | os.PathLike[str]
                 | None = None, rules: Sequence[str | os.PathLike[str]] = ()) -> None:
        from .aliases import load_aliases
        from .fingerprint import key_fingerprint, rules_fingerprint

        self.path = Path(path)
        self.readonly = readonly
        self.aliases: Lexicon | None = (load_aliases(Path(aliases))
                                        if isinstance(aliases, (str, os.PathLike)) else aliases)
        self.keyed_with = key_fingerprint(self.aliases)
        self.read_with = rules_fingerprint(rules)
        self._keys_current: bool | None = None
        if not readonly:
            _create(self.path, self.keyed_with)
        self._db = _connect(self.path, readonly, busy_seconds)
        try:
            # nothing is written (not even the journal mode) until the file is known to
            # be a sound claimtrack store
            self._version()
            self._quick_check()
            if not readonly:
                self._db.execute("PRAGMA synchronous = NORMAL")  # WAL: safe if we die
                _wal(self._db)
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise _store_error(self.path, exc) from None
        except BaseException:
            self._db.close()
            raise

    def __enter__(self) -> ClaimStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ schema

    def _prepare(self) -> None:
        version = self._version()
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StoreError(f"{self.path}: store schema {version} is older than this "
                             f"claimtrack's ({SCHEMA_VERSION}); run `claimtrack ingest` to "
                             "upgrade it")
        self._write(self._migrate)

    def _quick_check(self) -> None:
        """Refuse a damaged file (docs/store.md). A writer runs PRAGMA quick_check, which
        reads the whole file, before it writes anything. A reader reads the first and
        last entries of every table and index (their root pages and outer leaves): a
        check then costs the same against a store of any size, and SQLite refuses any
        damaged page a later query of the reader reads."""
        if self.readonly:
            problem = self._probe()
            if problem is None:
                return
            check = "probe"
        else:
            rows = self._execute("PRAGMA quick_check(3)").fetchall()
            if [tuple(r) for r in rows] == [("ok",)]:
                return
            problem, check = "; ".join(str(r[0]) for r in rows), "quick_check"
        raise _damaged(self.path, f"{check}: {problem}")

    def _probe(self) -> str | None:
        """What is wrong with the root pages and outer leaves of the tables and indexes,
        or None."""
        try:
            objects = self._db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                       "WHERE type IN ('table', 'index')").fetchall()
            for kind, name, table, sql in objects:
                if kind == "table":
                    rowid = "WITHOUT ROWID" not in (sql or "").upper()
                    for order in (" ORDER BY rowid", " ORDER BY rowid DESC") if rowid else ("",):
                        self._db.execute(f'SELECT * FROM "{name}"{order} LIMIT 1').fetchall()
                else:
                    self._db.execute(f'SELECT 1 FROM "{table}" INDEXED BY "{name}" '
                                     "LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return None

    def _version(self) -> int:
        application = self._scalar("PRAGMA application_id")
        version = int(self._scalar("PRAGMA user_version"))
        if application not in (0, APPLICATION_ID) or (
                application == 0 and version == 0 and self._scalar(
                    "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")):
            raise StoreError(f"{self.path}: not a claimtrack store (an SQLite file of "
                             "something else)")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer claimtrack (store schema "
                             f"{version}; this version reads up to {SCHEMA_VERSION}); "
                             "upgrade claimtrack to use it")
        return version

    def _migrate(self) -> None:
        version = self._version()  # again, inside the transaction: another process may
        for number in range(version, SCHEMA_VERSION):  # have migrated it meanwhile
            for statement in _MIGRATIONS[number]:
                self._db.execute(statement)
        if version == 0:  # a new store: keyed as this opening keys
            self._db.execute("INSERT INTO settings (name, value) VALUES (?, ?)",
                             (_KEYED_WITH, self.keyed_with))
        self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        return int(self._scalar("PRAGMA user_version"))

    # ------------------------------------------------------------------ transactions

    def _scalar(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        row = self._execute(sql, parameters).fetchone()
        return row[0] if row is not None else None

    def _execute(self, sql: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            raise _store_error(self.path, exc) from None

    def _write(self, work: Callable[[], _T]) -> _T:
        """`work` in one IMMEDIATE transaction, retried while another writer holds the lock."""
        for attempt in range(RETRIES + 1):
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if _locked(exc) and attempt < RETRIES:
                    time.sleep(random.uniform(0.05, 0.2) * 2**attempt)
                    continue
                raise _store_error(self.path, exc) from None
            try:
                result = work()
                self._db.execute("COMMIT")
                return result
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and _locked(exc) \
                        and attempt < RETRIES:
                    continue
                if isinstance(exc, sqlite3.DatabaseError):
                    raise _store_error(self.path, exc) from None
                raise
        raise StoreError(f"{self.path}: store is locked by another process")  # pragma: no cover

    # ------------------------------------------------------------------ ingest

    def ingest(self, document: Document,
               extract: Callable[[Document], list[Claim]] | None = None) -> Ingested:
        """Add a document and its claims, and record their findings against the store.

        The same text again changes nothing (and is not extracted again); a changed
        text replaces the document's claims and findings. One transaction: all or nothing.
        """
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        if not self.keys_current():
            self._write(self._rekey)
        digest = content_hash(document.text)
        row = self._execute("SELECT sha256, rules FROM documents WHERE path = ?",
                            (document.id,)).fetchone()
        if row is not None and tuple(row) == (digest, self.read_with):
            return Ingested(doc=document.id, status="unchanged")
        if extract is None:
            from .pipeline import extract_document

            extract = extract_document
        claims = extract(document)
        from .compare import keyed

        acronyms = acronym_text(document.text)
        pairs = keyed(claims, aliases=self.aliases, texts={document.id: acronyms})
        return self._write(lambda: self._put(document, digest, acronyms, pairs))

    def keys_current(self) -> bool:
        """The stored claims were keyed as this opening keys them (same lexicon, same
        comparison)."""
        if self._keys_current is None:
            recorded = self._scalar("SELECT value FROM settings WHERE name = ?", (_KEYED_WITH,))
            self._keys_current = recorded == self.keyed_with
        return self._keys_current

    def _rekey(self) -> None:
        """Key every stored claim again, document by document, as this opening keys them."""
        from .compare import keyed

        documents = self._db.execute("SELECT id, path, acronyms FROM documents "
                                     "ORDER BY id").fetchall()
        copies: dict[tuple[str, str], int] = defaultdict(int)
        for document_id, path, acronyms in documents:
            rows = self._db.execute(f"{_SELECT_CLAIM} FROM claims c WHERE c.document_id = ? "
                                    "ORDER BY c.id", (document_id,)).fetchall()
            pairs = keyed([_row_claim(r) for r in rows], aliases=self.aliases,
                          texts={path: acronyms})
            updates = []
            for row, (claim, key) in zip(rows, pairs, strict=True):
                block, subject, when = _key_columns(key)
                figure = copy = None
                if block is not None:
                    figure = figure_of(claim)
                    copy = copies[block, figure]
                    copies[block, figure] = min(COPIES, copy + 1)
                updates.append((block, subject, when, figure, copy, row[0]))
            self._db.executemany("UPDATE claims SET key = ?, key_subject = ?, key_when = ?, "
                                 "figure = ?, copy = ? WHERE id = ?", updates)
        self._db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)",
                         (_KEYED_WITH, self.keyed_with))
        self._keys_current = True

    def _put(self, document: Document, digest: str, acronyms: str,
             pairs: list[tuple[Claim, Any]]) -> Ingested:
        row = self._db.execute("SELECT id, sha256, rules FROM documents WHERE path = ?",
                               (document.id,)).fetchone()
        fields = (document.path, digest, _title(document.text), _document_date(document),
                  getattr(document, "source", None), acronyms, _now(), self.read_with)
        if row is not None and tuple(row[1:]) == (digest, self.read_with):
            return Ingested(doc=document.id, status="unchanged")  # another process was first
        if row is not None:
            document_id = int(row[0])
            self._forget(document_id)
            self._db.execute("UPDATE documents SET file = ?, sha256 = ?, title = ?, date = ?, "
                             "source = ?, acronyms = ?, ingested_at = ?, rules = ? WHERE id = ?",
                             (*fields, document_id))
        else:
            cursor = self._db.execute(
                "INSERT INTO documents (path, file, sha256, title, date, source, acronyms, "
                "ingested_at, rules) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (document.id, *fields))
            document_id = int(cursor.lastrowid or 0)
        self._db.executemany(_INSERT_CLAIM, [_claim_row(document_id, c, k, n) for (c, k), n
                                             in zip(pairs, self._copies(pairs), strict=True)])
        claims = [c for c, _ in pairs]
        findings, document_ids = self._related_findings(claims, {document.id: acronyms}, pairs)
        self._record(findings, {**document_ids, document.id: document_id})
        return Ingested(doc=document.id, status="changed" if row is not None else "new",
                        claims=len(claims), findings=len(findings))

    def _copies(self, pairs: Sequence[tuple[Claim, Any]]) -> list[int | None]:
        """The copy number of each new claim: how many claims of its key and figure are
        stored (or come before it in its document), counted up to COPIES."""
        counts: dict[tuple[str, str], int] = {}
        out: list[int | None] = []
        for claim, key in pairs:
            block = _key_columns(key)[0]
            if block is None:
                out.append(None)
                continue
            figure = figure_of(claim)
            if (block, figure) not in counts:
                counts[block, figure] = int(self._db.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM claims WHERE key = ? AND figure = ? "
                    "LIMIT ?)", (block, figure, COPIES)).fetchone()[0])
            out.append(counts[block, figure])
            counts[block, figure] = min(COPIES, counts[block, figure] + 1)
        return out

    def _forget(self, document_id: int) -> None:
        """A document's claims and every finding it takes part in; the next stored copies
        of its figures take the place of its claims among the first COPIES."""
        self._db.execute("DELETE FROM findings WHERE id IN (SELECT finding_id FROM "
                         "finding_documents WHERE document_id = ?)", (document_id,))
        figures = self._db.execute("SELECT DISTINCT key, figure FROM claims WHERE "
                                   "document_id = ? AND copy < ?", (document_id, COPIES)).fetchall()
        self._db.execute("DELETE FROM claims WHERE document_id = ?", (document_id,))
        for block, figure in figures:
            ids = self._db.execute("SELECT id FROM claims WHERE key = ? AND figure = ? ORDER BY "
                                   "copy, id LIMIT ?", (block, figure, COPIES)).fetchall()
            self._db.executemany("UPDATE claims SET copy = ? WHERE id = ?",
                                 [(n, i) for n, (i,) in enumerate(ids)])

    def _record(self, findings: Sequence[Finding], document_ids: Mapping[str, int]) -> None:
        now = _now()
        for finding in findings:
            ident = finding_id(finding)
            record = finding_to_dict(finding)
            self._db.execute(
                "INSERT OR IGNORE INTO findings (id, kind, severity, key, explanation, claims, "
                "found_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ident, finding.kind, finding.severity, finding.key, finding.explanation,
                 json.dumps(record["claims"], ensure_ascii=False), now))
            self._db.executemany(
                "INSERT OR IGNORE INTO finding_documents (finding_id, document_id) VALUES (?, ?)",
                [(ident, document_ids[doc]) for doc in sorted({c.doc for c in finding.claims})
                 if doc in document_ids])

    # ------------------------------------------------------------------ check

    def check(self, claims: Sequence[Claim], texts: Mapping[str, str], *,
              min_score: float | None = None) -> list[Finding]:
        """Findings of new claims (of the documents `texts` names) against the store.

        Only the stored claims of the new claims' keys are read, with the date claims
        of their sentences and the acronyms of their documents, so that compare()
        reads them as it would have at ingest. Stored claims of a document being
        checked are left out: the new text stands in for them. Nothing is written.
        """
        try:
            return self._related_findings(claims, texts, min_score=min_score)[0]
        except sqlite3.DatabaseError as exc:
            raise _store_error(self.path, exc) from None

    def _related_findings(self, claims: Sequence[Claim], texts: Mapping[str, str],
                          pairs: Sequence[tuple[Claim, Any]] | None = None,
                          min_score: float | None = None,
                          ) -> tuple[list[Finding], dict[str, int]]:
        """The findings that involve the new claims, and the ids of the stored documents
        that were read; `pairs` are the new claims with their keys when already known."""
        from .compare import collection_lexicon, compare, keyed
        from .compare.findings import lead_date
        from .compare.keys import alternate_blocks

        new = set(texts) | {c.doc for c in claims}
        # the day each new text is of (its head): compare() reads only the acronym lines
        dates = {doc: day for doc, text in texts.items() if (day := lead_date(text))}
        # compare() reads texts only for the acronyms they define: the lines that can
        # define one are enough, and much quicker to read than the whole of a long text
        texts = {doc: acronym_text(text) for doc, text in texts.items()}
        if pairs is None:
            pairs = keyed(claims, aliases=self.aliases, texts=texts)
        # an acronym any stored or new document defines: its claims may be keyed under the
        # acronym or under the head of its spelled-out name ('crh' / 'hub')
        # (only the distinct acronym lines that name a head of the new keys: learning the
        # acronyms of every stored document, or of every copy of one, at each ingest made
        # ingest quadratic)
        heads = sorted({key.head for _, key in pairs if key is not None and key.head})
        leave_out = sorted(new)
        lines: set[str] = set()
        for chunk in _chunks(heads):
            tests = " OR ".join("instr(lower(acronyms), ?) > 0" for _ in chunk)
            lines.update(text for (text,) in self._db.execute(
                f"SELECT DISTINCT acronyms FROM documents WHERE acronyms != '' AND ({tests}) "
                f"AND path NOT IN ({', '.join('?' * len(leave_out))})", [*chunk, *leave_out]))
        defined = {f"\0stored {n}": text for n, text in enumerate(sorted(lines))}
        lexicon = collection_lexicon(claims, self.aliases, {**defined, **texts})
        blocks = sorted({_block_json(block) for _, key in pairs if key is not None
                         for block in (key.block(), *alternate_blocks(key, lexicon))})
        stored = self._stored_for(blocks, new, _figures(claims))
        # in document order, as compare() over the whole corpus would see them
        ordered = sorted([*claims, *stored.claims], key=lambda c: (c.doc, c.start, c.end))
        # terms are as rare as among every claim on record, not among the few read here
        # (which share the new claims' words by the way they were chosen): the counts of
        # the claims read, out of all the store holds
        total = len(claims) + int(self._scalar(
            f"SELECT count(*) FROM claims c JOIN documents d ON d.id = c.document_id "
            f"WHERE d.path NOT IN ({', '.join('?' * len(leave_out))})", leave_out))
        found = compare(ordered, aliases=self.aliases, texts={**stored.acronyms, **texts},
                        min_score=min_score, dates={**stored.dates, **dates},
                        frequencies=({}, total))
        return [f for f in found if any(c.doc in new for c in f.claims)], stored.document_ids

    def _stored_for(self, blocks: Sequence[str], leave_out: set[str],
                    figures: Sequence[tuple[str, float]] = ()) -> _Stored:
        """Stored claims of these keys or of these precise figures (kind and value: "the
        agency wants £1.2bn" is found for "asked ministers for £1.2bn" whatever the words
        around them), the date claims of their sentences, and the acronym text of their
        documents; claims of documents in `leave_out` are not read."""
        rows: dict[int, Sequence[Any]] = {}
        for kind, value in figures:
            for row in self._db.execute(f"{_SELECT_CLAIM} FROM claims c WHERE c.kind = ? AND "
                                        f"c.value = ? AND c.copy < ? LIMIT ?",
                                        (kind, value, COPIES, SAME_FIGURE_LIMIT)):
                if row[2] not in leave_out:
                    rows[row[0]] = row
        if not self.keys_current():
            rows = self._rekeyed_rows(set(blocks), leave_out)
        for chunk in _chunks(blocks if self.keys_current() else []):
            marks = ", ".join("?" * len(chunk))
            for row in self._db.execute(f"{_SELECT_CLAIM} FROM claims c WHERE c.key IN "
                                        f"({marks}) AND c.copy < ?", [*chunk, COPIES]):
                if row[2] not in leave_out:
                    rows[row[0]] = row
        sentences: dict[int, set[str]] = defaultdict(set)
        for row in rows.values():
            if row[_SENTENCE]:
                sentences[row[1]].add(row[_SENTENCE])
        for ids in _chunks(sorted(sentences)):
            marks = ", ".join("?" * len(ids))
            for row in self._db.execute(f"{_SELECT_CLAIM} FROM claims c WHERE c.kind = 'date' "
                                        f"AND c.document_id IN ({marks})", ids):
                if row[_SENTENCE] in sentences[row[1]]:
                    rows.setdefault(row[0], row)
        acronyms: dict[str, str] = {}
        document_ids: dict[str, int] = {}
        dates: dict[str, str] = {}
        for ids in _chunks(sorted({row[1] for row in rows.values()})):
            marks = ", ".join("?" * len(ids))
            for ident, path, text, day in self._db.execute(
                    f"SELECT id, path, acronyms, date FROM documents WHERE id IN ({marks})",
                    ids):
                document_ids[path] = ident
                if text:
                    acronyms[path] = text
                if day:
                    dates[path] = day
        return _Stored(claims=[_row_claim(rows[i]) for i in sorted(rows)], acronyms=acronyms,
                       document_ids=document_ids, dates=dates)

    def _rekeyed_rows(self, blocks: set[str], leave_out: set[str]) -> dict[int, Sequence[Any]]:
        """The stored claims of these keys when the store was keyed otherwise: every
        claim keyed again in memory (the store is not written; ingest keys it for good)."""
        import warnings

        from .compare import keyed
        from .errors import InputWarning

        if self._scalar("SELECT EXISTS (SELECT 1 FROM claims)"):
            warnings.warn(InputWarning(
                f"{self.path}: claims were keyed under another lexicon or claimtrack version; "
                "keying them again for this check (ingest with the same --aliases to store "
                "the new keys)"), stacklevel=2)
        acronyms = dict(self._db.execute("SELECT id, acronyms FROM documents").fetchall())
        by_document: dict[int, list[Sequence[Any]]] = defaultdict(list)
        for row in self._db.execute(f"{_SELECT_CLAIM} FROM claims c ORDER BY c.document_id, "
                                    "c.start_offset, c.id"):
            if row[2] not in leave_out:
                by_document[row[1]].append(row)
        out: dict[int, Sequence[Any]] = {}
        copies: dict[tuple[str, str], int] = defaultdict(int)
        for document_id, rows in by_document.items():
            pairs = keyed([_row_claim(r) for r in rows], aliases=self.aliases,
                          texts={rows[0][2]: acronyms.get(document_id) or ""})
            for row, (claim, key) in zip(rows, pairs, strict=True):
                block = _key_columns(key)[0]
                if block is not None and block in blocks:
                    figure = figure_of(claim)
                    copies[block, figure] += 1
                    if copies[block, figure] <= COPIES:
                        out[row[0]] = row
        return out

    def documents_read_otherwise(self) -> int:
        """How many stored documents were read under other rules (or another claimtrack)
        than this opening's: their claims may differ from what a new reading gives."""
        return int(self._scalar("SELECT count(*) FROM documents WHERE rules IS NOT ?",
                                (self.read_with,)))

    # ------------------------------------------------------------------ queries

    def claims(self, doc: str | None = None) -> list[Claim]:
        """The stored claims (of one document), in document and offset order."""
        where, parameters = ("WHERE c.doc = ?", (doc,)) if doc is not None else ("", ())
        rows = self._execute(f"{_SELECT_CLAIM} FROM claims c {where} ORDER BY c.doc, "
                             "c.start_offset, c.end_offset, c.id", parameters)
        return [_row_claim(row) for row in rows]

    def documents(self) -> list[StoredDocument]:
        rows = self._execute(
            "SELECT d.path, d.file, d.sha256, d.title, d.date, d.source, d.ingested_at, "
            "(SELECT count(*) FROM claims c WHERE c.document_id = d.id) FROM documents d "
            "ORDER BY d.path")
        return [StoredDocument(path=r[0], file=r[1], sha256=r[2], title=r[3], date=r[4],
                               source=r[5], ingested_at=r[6], claims=r[7]) for r in rows]

    def findings(self) -> list[dict[str, Any]]:
        """The recorded findings as finding JSON with their id, oldest first."""
        rows = self._execute("SELECT id, kind, key, claims, explanation, severity, found_at "
                             "FROM findings ORDER BY found_at, id")
        return [{"id": r[0], "kind": r[1], "key": r[2], "claims": json.loads(r[3]),
                 "explanation": r[4], "severity": r[5], "found_at": r[6]} for r in rows]

    def history(self, subject: str) -> list[HistoryEntry]:
        """The figures stored under a subject (normalised as claim keys are), by date."""
        key = subject_key(subject)
        rows = self._execute(
            f"{_SELECT_CLAIM}, d.path, COALESCE(c.date, d.date) AS day FROM claims c "
            "JOIN documents d ON d.id = c.document_id WHERE c.key_subject = ? "
            "ORDER BY day IS NULL, day, d.path, c.start_offset", (key,))
        out = []
        for row in rows:
            claim = _row_claim(row[:-2])
            q = claim.quantity
            out.append(HistoryEntry(date=row[-1], text=claim.text, value=claim_to_dict(claim)[
                "value"], kind=q.kind, unit=q.unit, speaker=claim.attribution.speaker,
                source=claim.attribution.source, document=row[-2]))
        return out

    def integrity(self) -> str:
        """PRAGMA integrity_check: 'ok' for a sound file."""
        return str(self._scalar("PRAGMA integrity_check"))


def subject_key(subject: str) -> str:
    """A subject as claim keys name it: 'Probation Trusts' -> 'probation trust'."""
    from .aliases import builtin_lexicon
    from .compare import subject_words

    return " ".join(subject_words(subject, builtin_lexicon()))


def ingest_all(store: ClaimStore, documents: Iterable[Document],
               extract: Callable[[Document], list[Claim]] | None = None) -> Iterator[Ingested]:
    """Each document ingested in turn (its own transaction)."""
    for document in documents:
        yield store.ingest(document, extract)


# --------------------------------------------------------------------------- helpers


def _create(path: Path, keyed_with: str | None = None) -> None:
    """A new, empty store at `path` if there is no file there yet, recording that its
    claims are keyed as `keyed_with` (a fingerprint.key_fingerprint()).

    The store is made complete (schema, WAL mode) under a temporary name and then
    linked into place, so that no process ever sees a half-made store, and an empty
    file found at `path` is never one of ours (see _connect).
    """
    if path.exists() or path.is_symlink():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create its directory ({exc.strerror})") from None
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{random.randrange(1 << 30)}.new")
    try:
        db = sqlite3.connect(temporary, isolation_level=None)
        try:
            _wal(db)
            db.execute("BEGIN IMMEDIATE")
            for migration in _MIGRATIONS:
                for statement in migration:
                    db.execute(statement)
            if keyed_with is not None:
                db.execute("INSERT INTO settings (name, value) VALUES (?, ?)",
                           (_KEYED_WITH, keyed_with))
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        finally:
            db.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        except OSError:  # no hard links on this file system
            if not path.exists():
                os.replace(temporary, path)
    except (OSError, sqlite3.Error) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise StoreError(f"{path}: cannot create the store ({detail})") from None
    finally:
        for leftover in (temporary, *(temporary.with_name(temporary.name + end)
                                      for end in ("-wal", "-shm", "-journal"))):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _connect(path: Path, readonly: bool, busy_seconds: float) -> sqlite3.Connection:
    """A connection to an existing store file; nothing is written to it here."""
    if path.is_symlink() and not path.exists():
        problem = "a symbolic link loop" if _is_loop(path) else "a broken symbolic link"
        raise StoreError(f"{path}: {problem}")
    if readonly and not path.exists():
        raise StoreError(f"{path}: no claim store here (create one with `claimtrack ingest`)")
    if path.exists() and not path.is_file():
        raise StoreError(f"{path}: not a claimtrack store (not a regular file)")
    if path.stat().st_size == 0:
        raise StoreError(f"{path}: not a claimtrack store (an empty file)")
    uri = path.resolve().as_uri()
    # a reader that may write the directory opens read-write (with query_only below), so
    # that it can take part in WAL as any reader does; one that may not opens read-only
    writable = os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)
    if not readonly and not writable:
        raise StoreError(f"{path}: cannot write to the store (permission denied)")
    db = _open(f"{uri}?mode={'rw' if writable else 'ro'}", path, busy_seconds)
    if readonly and not _readable(db):
        # a WAL store in a directory we may not write (no -shm file can be made):
        # read the file as it is, taking no lock and writing nothing
        db.close()
        db = _open(f"{uri}?mode=ro&immutable=1", path, busy_seconds)
    try:
        db.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
        if readonly:
            db.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _store_error(path, exc) from None
    return db


def _open(uri: str, path: Path, busy_seconds: float) -> sqlite3.Connection:
    try:
        return sqlite3.connect(uri, uri=True, timeout=busy_seconds, isolation_level=None)
    except sqlite3.Error as exc:
        raise _store_error(path, exc) from None


def _readable(db: sqlite3.Connection) -> bool:
    """Whether a read-only connection can read (SQLITE_CANTOPEN: no -shm file possible)."""
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        return "unable to open" not in str(exc) and "readonly" not in str(exc)
    except sqlite3.DatabaseError:
        return True  # not a database: said by the caller's checks
    return True


def _is_loop(path: Path) -> bool:
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _wal(db: sqlite3.Connection) -> None:
    for attempt in range(RETRIES + 1):
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _locked(exc) or attempt == RETRIES:
                raise
            time.sleep(0.05 * 2**attempt)


def _locked(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _damaged(path: Path, problem: str) -> StoreError:
    return StoreError(f"{path}: the store is damaged ({problem}); restore it from a backup "
                      "or ingest the documents again into a new store")


def _store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    message = str(exc)
    if "not a database" in message:
        return StoreError(f"{path}: not a claimtrack store ({message})")
    if "malformed" in message:  # a damaged page of a store that opened as one
        return _damaged(path, message)
    if _locked(exc) if isinstance(exc, sqlite3.OperationalError) else False:
        return StoreError(f"{path}: store is locked by another process ({message})")
    return StoreError(f"{path}: {message}")


def _figures(claims: Sequence[Claim]) -> list[tuple[str, float]]:
    """The precise figures of claims, by kind and value ('1,712', '£1.2bn', '2.1%', '£94'):
    not the round ones ('40', '15%', '£300m', '2.5') that figures of different things
    share by chance, and would read much of a large store."""
    found: set[tuple[str, float]] = set()
    for claim in claims:
        value = claim.quantity.value
        if isinstance(value, float) and claim.quantity.kind != "date" and _precise(value):
            found.add((claim.quantity.kind, value))
    return sorted(found)


def _precise(value: float) -> bool:
    """Three significant digits or more, or two that are not round ('£94', '37', '4.7';
    not '40', '15', '2.5')."""
    digits = f"{abs(value):.10g}".split("e")[0].replace(".", "").strip("0")
    return len(digits) >= 3 or (len(digits) == 2 and digits[-1] != "5")


def _chunks(items: Sequence[_T]) -> Iterator[list[_T]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start:start + _CHUNK])
