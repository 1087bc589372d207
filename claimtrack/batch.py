"""The run loop of commands that read many files: one bad file never stops a run.

`extract_paths` reads every path named (directories walked), extracts each
document under a time budget, and reports each warning and failure as one
line through a `Tally`, which also decides the exit status of the run. Any
exception in one document, expected or not, becomes such a line; the other
documents are still read. See docs/robustness.md.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .budget import DEFAULT, Budget, seconds_for, time_budget
from .document import MAX_BYTES, Source, read_documents, text_files
from .errors import EXIT_OK, EXIT_USAGE, ClaimtrackError, InputError
from .progress import SILENT, Progress

if TYPE_CHECKING:
    from .model import Claim, Document
    from .rules import RuleSet


def one_line(message: str) -> str:
    """A message with its line breaks and other control characters escaped."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def describe(exc: BaseException, name: str | None = None) -> str:
    """The one-line message for an error: its own for ours, "internal error" for the rest."""
    if isinstance(exc, ClaimtrackError):
        return one_line(str(exc))
    where = f"{name}: " if name else ""
    detail = f": {exc}" if str(exc) else ""
    return one_line(f"{where}internal error: {type(exc).__name__}{detail}")


class Tally:
    """Prints `PROG: warning: ...` and `PROG: error: ...` lines and counts the failures."""

    def __init__(self, prog: str = "claimtrack", *, verbose: bool = False,
                 stream: TextIO | None = None, progress: Progress = SILENT) -> None:
        self.prog = prog
        self.verbose = verbose
        self.stream = stream
        self.progress = progress
        self.failed: list[str] = []

    def warn(self, message: str) -> None:
        self._print(f"{self.prog}: warning: {one_line(message)}")

    def fail(self, exc: BaseException, name: str | None = None) -> None:
        message = describe(exc, name)
        self.failed.append(message)
        self._print(f"{self.prog}: error: {message}")
        if self.verbose:
            traceback.print_exception(type(exc), exc, exc.__traceback__,
                                      file=self.stream or sys.stderr)

    def _print(self, line: str) -> None:
        with self.progress.above():  # not through a progress bar
            print(line, file=self.stream or sys.stderr)

    @property
    def exit_code(self) -> int:
        return EXIT_USAGE if self.failed else EXIT_OK


def list_files(names: Sequence[str], tally: Tally) -> list[Path]:
    """The files under the paths named (directories walked); what is not there goes to the
    tally."""
    files = []
    for name in names:
        try:
            files.extend(text_files(name))
        except InputError as exc:
            tally.fail(exc)
    return files


def read_paths(names: Sequence[str], tally: Tally, *, max_bytes: int = MAX_BYTES,
               budget: Budget = DEFAULT, date: dt.date | None = None,
               source: str | None = None) -> Iterator[Document]:
    """Every document under the paths named; what cannot be read goes to the tally, and
    each file read advances the tally's progress ("reading", a file a step).

    `date` and `source` (the user's --date and --source) override what each document says
    of itself (front matter, a JSON Lines record's fields).
    """
    files = list_files(names, tally)
    tally.progress.phase("reading", len(files))
    for path in files:
        # reading is given the budget of an empty document: the text is not known yet
        for document in _read_file(path, tally, max_bytes, seconds_for(budget, 0)):
            yield _given(document, date, source)
        tally.progress.advance()


def _given(document: Document, date: dt.date | None, source: str | None) -> Document:
    if date is None and source is None:
        return document
    import attrs

    return attrs.evolve(document, date=date or document.date, source=source or document.source)


def _read_file(path: Path, tally: Tally, max_bytes: int,
               budget: float | None) -> Iterator[Document]:
    items = read_documents(path, max_bytes=max_bytes)
    while True:
        item: Source | InputError | None
        try:
            with time_budget(budget, str(path)):
                item = next(items, None)
        except Exception as exc:  # a bug in reading: this file is lost, not the run
            tally.fail(exc, str(path))
            return
        if item is None:
            return
        if isinstance(item, InputError):
            tally.fail(item)
            continue
        for message in item.warnings:
            tally.warn(message)
        if not item.document.text.strip():
            tally.warn(f"{item.document.id}: empty" if not item.document.text else
                       f"{item.document.id}: holds only white space")
        yield item.document


def budgeted_extract(budget: Budget = DEFAULT, rules: RuleSet | None = None
                     ) -> Callable[[Document], list[Claim]]:
    """extract_document with `rules` under a time budget of `budget` seconds (None or 0:
    no limit), or of seconds scaled to each document's length (budget.Scaled, as the
    default is)."""
    from .pipeline import extract_document

    def extract(document: Document) -> list[Claim]:
        with time_budget(seconds_for(budget, len(document.text)), document.id):
            return extract_document(document, rules=rules)

    return extract


def extract_documents(names: Sequence[str], tally: Tally, *, max_bytes: int = MAX_BYTES,
                      date: dt.date | None = None, budget: Budget = DEFAULT,
                      rules: RuleSet | None = None, source: str | None = None
                      ) -> Iterator[tuple[Document, list[Claim]]]:
    """Each document under the paths named, with its claims (read with `rules`).

    `date` overrides each document's reference date and `source` its publisher. A
    document whose reading or extraction fails or overruns `budget` seconds goes to
    the tally instead.
    """
    extract = budgeted_extract(budget, rules)
    for document in read_paths(names, tally, max_bytes=max_bytes, budget=budget, date=date,
                               source=source):
        try:
            claims = extract(document)
        except Exception as exc:  # one document's failure, whatever it is, is one line
            tally.fail(exc, document.id)
            continue
        yield document, claims


def extract_paths(names: Sequence[str], tally: Tally, *, max_bytes: int = MAX_BYTES,
                  date: dt.date | None = None, budget: Budget = DEFAULT,
                  rules: RuleSet | None = None, source: str | None = None
                  ) -> Iterator[list[Claim]]:
    """The claims of each document under the paths named, document by document."""
    for _, claims in extract_documents(names, tally, max_bytes=max_bytes, date=date,
                                       budget=budget, rules=rules, source=source):
        yield claims
