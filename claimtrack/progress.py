"""Progress of a long run on the terminal: a bar per phase (reading, comparing), drawn by
tqdm on stderr, and only when stderr is a terminal and --quiet was not given.

tqdm is imported when a bar is first drawn: a run with no terminal never loads it.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any


class Progress:
    """Phases of a run, each a bar with its count, total, rate and time left."""

    def __init__(self, enabled: bool | None = None, *, prog: str = "claimtrack") -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.prog = prog
        self._bar: Any = None

    def phase(self, description: str, total: int | None, unit: str = "file") -> None:
        """Start a phase (ending the one before): `total` steps of `unit` (None: a phase
        of unknown length, shown with its elapsed time)."""
        self.close()
        if not self.enabled:
            return
        from tqdm import tqdm

        # a phase of unknown length (comparing) shows how long it has run
        shape = None if total is not None else "{desc} ({elapsed})"
        self._bar = tqdm(total=total, desc=f"{self.prog}: {description}", unit=f" {unit}",
                         file=sys.stderr, leave=False, dynamic_ncols=True, mininterval=0.25,
                         bar_format=shape)

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def above(self) -> Any:
        """A context in which lines printed to stderr go above the bar, not through it."""
        import contextlib

        if self._bar is None:
            return contextlib.nullcontext()
        return self._bar.external_write_mode(file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


#: A Progress that draws nothing: the default of library calls.
SILENT = Progress(enabled=False)
