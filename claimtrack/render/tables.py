"""Tables: the one call of tabulate, and fitting a table to the terminal's width."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .text import cell, trim

#: columns that hold paths: trimmed at their start, where the directories are
PATH_COLUMNS = frozenset({"doc", "document", "file"})
#: the narrowest a trimmed column gets
MIN_WIDTH = 6
#: characters between two columns of tabulate's "simple" table
_GAP = 2
#: tabulate makes a column at least this much wider than its header
_HEADER_PADDING = 2


def tabulate_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None,
                  tablefmt: str, width: int | None = None) -> str:
    """Rows as a table in tabulate's `tablefmt`, fitted to `width` columns (None: as
    wide as the cells)."""
    from tabulate import tabulate  # imported here: it costs start-up time

    fields = list(columns or (rows[0].keys() if rows else []))
    body = [[cell(row.get(k)) for k in fields] for row in rows]
    if width is not None:
        caps = fitted_widths(fields, body, width)
        body = [[trim(value, cap, keep_end=name in PATH_COLUMNS)
                 for name, value, cap in zip(fields, line, caps, strict=True)] for line in body]
    return tabulate(body, headers=fields, tablefmt=tablefmt, disable_numparse=True) + "\n"


def fitted_widths(headers: Sequence[str], body: Sequence[Sequence[str]],
                  width: int) -> list[int]:
    """The width of each column so that the table takes at most `width` characters: the
    widest columns are narrowed first, paths only when nothing else is left to narrow,
    none below its header or MIN_WIDTH."""
    heads = [len(h) + _HEADER_PADDING for h in headers]
    natural = [max([heads[i], *(len(line[i]) for line in body)]) for i in range(len(headers))]
    floors = [min(n, max(h, MIN_WIDTH)) for n, h in zip(natural, heads, strict=True)]
    caps = list(natural)
    excess = sum(caps) + _GAP * (len(caps) - 1) - width
    prose = [i for i, h in enumerate(headers) if h not in PATH_COLUMNS]
    paths = [i for i, h in enumerate(headers) if h in PATH_COLUMNS]
    for columns in (prose, paths):
        excess = _narrow(caps, floors, columns, excess)
    return caps


def _narrow(caps: list[int], floors: list[int], columns: list[int], excess: int) -> int:
    """Narrow the widest of `columns` until `excess` is gone or all are at their floor;
    the excess left."""
    while excess > 0:
        room = [i for i in columns if caps[i] > floors[i]]
        if not room:
            break
        widest = max(room, key=lambda i: caps[i])
        others = [caps[i] for i in room if i != widest]
        # down to the next widest column at once (or as far as needed), not by one
        step = max(1, min(excess, caps[widest] - max([floors[widest], *others])))
        caps[widest] -= step
        excess -= step
    return excess
