"""Reading many small objects without the cyclic garbage collector rescanning them.

Extraction makes several objects per figure (mentions, quantities, claims) and the
comparison several per claim; none of them forms a reference cycle. Python's cyclic
collector runs every few hundred allocations and, in its oldest generation, walks every
live object, so on a long document (50 MB, 750,000 claims) it rescanned the same
millions of objects again and again: the work grew with the square of the size. The
collector waits while they are made, and runs as before afterwards.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting still frees everything)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
