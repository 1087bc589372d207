"""Figures in a table laid out as text: what the column's header and the row's label say.

Statistics releases and reports carry tables, and claimtrack's HTML reader turns a
table's cells into columns split by tabs. A row is a line of three or more cells split
by tabs, pipes or runs of two or more spaces, two of them holding figures. A figure in
such a row measures what its column's header names ("Claimants") for what the row's
label names ("North East"), not the words that happen to sit beside it on the line.
"""

from __future__ import annotations

import attrs
import regex

_PER_BASE = regex.compile(r"(?i:(?:rate\s++)?per)\s++(?P<base>\d{1,3}(?:,\d{3})*+|\d++)\b")
_SPLIT = regex.compile(r"\t|[ \t]*+\|[ \t]*+| {2,}+")
_DIGIT = regex.compile(r"\d")
_RULE = regex.compile(r"^[\s|:+=-]*+$")  # a Markdown table's |---|---| line, or a ruled line
#: A row is a short line: a long one is prose, and reading it per figure would cost its
#: length for every figure in it.
MAX_ROW = 400
#: How many lines above a row its header may be (the rows of one table between).
MAX_ROWS_UP = 40


@attrs.frozen
class Cell:
    """What a table says about the figure in one of its cells."""

    header: str | None  # the column's header: "Claimants", "Change on month"
    label: str | None  # the row's label: "North East"

    @property
    def denominator(self) -> float | None:
        """The base of a column of rates: 1,000 under "Per 1,000 residents"."""
        found = _PER_BASE.match(self.header or "")
        return float(found["base"].replace(",", "")) if found else None

    @property
    def subject(self) -> str | None:
        parts = [p for p in (self.header, self.label) if p]
        return ", ".join(parts) or None


def _cells(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each non-empty cell of a line, in order."""
    spans, at = [], 0
    for sep in _SPLIT.finditer(line):
        if sep.start() > at and line[at:sep.start()].strip():
            spans.append((at, sep.start()))
        at = sep.end()
    if line[at:].strip():
        spans.append((at, len(line.rstrip())))
    return [(s + len(line[s:e]) - len(line[s:e].lstrip()), e) for s, e in spans]


def _is_row(line: str, cells: list[tuple[int, int]]) -> bool:
    """Three short cells or more, two of them figures and little else ("72,400", "£1.2m",
    "+5.8%"): not sentences set two spaces apart."""
    if len(cells) < 3 or any(e - s > MAX_CELL for s, e in cells):
        return False
    return sum(_is_figure_cell(line[s:e]) for s, e in cells) >= 2


def _is_figure_cell(cell: str) -> bool:
    return _DIGIT.search(cell) is not None and len(_LETTERS.findall(cell)) <= 3


_LETTERS = regex.compile(r"\p{L}")
MAX_CELL = 60  # characters: a longer cell is a sentence


def _short_line(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The bounds of the line holding text[start:end] if it is short enough to be a table's
    and is split into cells; looked for within MAX_ROW only, so that on a long line each
    figure does not cost the line's length."""
    lo = max(0, start - MAX_ROW)
    line_start = text.rfind("\n", lo, start) + 1
    if line_start == 0 and lo > 0:
        return None
    hi = min(len(text), end + MAX_ROW)
    line_end = text.find("\n", end, hi)
    if line_end < 0:
        if hi < len(text):
            return None
        line_end = len(text)
    if line_end - line_start > MAX_ROW:
        return None
    line = text[line_start:line_end]
    if "\t" not in line and "|" not in line and "  " not in line:
        return None  # the common case: a line of prose
    return line_start, line_end


def in_header(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands in a table's header line ("Per 1,000 residents"): a
    line of cells that are no figures, with rows of as many cells or more below it."""
    bounds = _short_line(text, start, end)
    if bounds is None:
        return False
    line = text[bounds[0]:bounds[1]]
    cells = _cells(line)
    if len(cells) < 2 or _is_row(line, cells):
        return False
    below = text.find("\n", bounds[1] + 1, bounds[1] + 1 + MAX_ROW)
    row = text[bounds[1] + 1:below if below >= 0 else None]
    if _RULE.match(row) and below >= 0:  # a Markdown table's |---|---| line
        after = text.find("\n", below + 1, below + 1 + MAX_ROW)
        row = text[below + 1:after if after >= 0 else None]
    row_cells = _cells(row) if len(row) <= MAX_ROW else []
    return _is_row(row, row_cells) and len(row_cells) >= len(cells)


def table_cell(text: str, start: int, end: int) -> Cell | None:
    """The header and label of the table cell holding text[start:end], if it is in one."""
    bounds = _short_line(text, start, end)
    if bounds is None:
        return None
    line_start, line_end = bounds
    line = text[line_start:line_end]
    cells = _cells(line)
    if not _is_row(line, cells):
        return None
    at = start - line_start
    column = next((i for i, (s, e) in enumerate(cells) if s <= at < e), None)
    if column is None or column == 0:
        return None
    first = line[cells[0][0]:cells[0][1]]
    label = first if not _DIGIT.search(first) else None
    return Cell(_header(text, line_start, cells, column), label)


def _header(text: str, row_start: int, row: list[tuple[int, int]], column: int) -> str | None:
    """The header of a column: the nearest line above the rows with no figure in it and
    cells enough to name the column (by position when it has as many cells as the row,
    or one fewer when the labels' column has no header; else by where it stands)."""
    end = row_start - 1
    for _ in range(MAX_ROWS_UP):
        if end <= 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        end = start - 1
        if not line.strip():
            return None  # a blank line: the table began below it
        if len(line) > MAX_ROW or _RULE.match(line):
            continue
        cells = _cells(line)
        if _is_row(line, cells):
            continue  # another row of the table
        if _DIGIT.search(line) and len(cells) < 2:
            return None  # a title line ("Table 1: ... 2026")
        if len(cells) == len(row):
            return _text(line, cells[column])
        if len(cells) == len(row) - 1:
            return _text(line, cells[column - 1])
        if len(cells) >= 2:
            return _aligned(line, cells, row[column])
        return None
    return None


def _aligned(line: str, cells: list[tuple[int, int]], target: tuple[int, int]) -> str | None:
    """The header cell standing over a figure's cell: the one that overlaps it, else the
    one whose right edge is nearest (figures are set flush right)."""
    overlapping = [c for c in cells if c[0] < target[1] and target[0] < c[1]]
    best = overlapping[0] if overlapping else min(cells, key=lambda c: abs(c[1] - target[1]))
    return _text(line, best)


def _text(line: str, cell: tuple[int, int]) -> str | None:
    words = " ".join(line[cell[0]:cell[1]].split()).strip("|*_ ")
    return words or None
