"""A time budget around the work on one document: a hang becomes an error.

The budget is a wall-clock alarm (`signal.setitimer`), so it needs no help from
the code it guards: the `regex` module and Python code both stop at the alarm.
It works on POSIX systems in the main thread; elsewhere (Windows, worker
threads), or when another alarm is already set, the work runs unguarded.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import attrs

from .errors import BudgetError

#: The default seconds allowed for reading and extracting one document...
DEFAULT_SECONDS = 60.0
#: ...and the seconds added for each million characters of its text: real prose takes
#: 3 to 5 s of CPU a million on a shared two-core machine, and up to twice that in wall
#: time when the machine is busy (benchmarks/bench_adversarial.py --real).
DEFAULT_SECONDS_PER_MILLION = 30.0


@attrs.frozen
class Scaled:
    """A budget that grows with the document: `base` seconds, plus `per_million` for
    each million characters of its text."""

    base: float
    per_million: float

    def seconds(self, size: int) -> float:
        return self.base + self.per_million * size / 1e6


#: The budget of a document when none is given: 60 s, plus 30 s a million characters.
DEFAULT = Scaled(DEFAULT_SECONDS, DEFAULT_SECONDS_PER_MILLION)
#: A budget: seconds (None or 0: no limit), or seconds that grow with the document.
Budget = float | Scaled | None


def seconds_for(budget: Budget, size: int) -> float | None:
    """The seconds `budget` allows a document of `size` characters (None: no limit)."""
    if isinstance(budget, Scaled):
        return budget.seconds(size)
    return budget


def can_guard() -> bool:
    """Whether a budget can be enforced here (POSIX, main thread, no alarm set)."""
    return (hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


@contextmanager
def time_budget(seconds: float | None, name: str) -> Iterator[None]:
    """Raise BudgetError in the guarded block once `seconds` have passed (None or 0: no limit)."""
    if not seconds or not can_guard():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise BudgetError(f"{name}: gave up after {seconds:g} s (--time-budget)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
