"""The structure of a document that extraction needs: datelines and reference dates.

A blog archive page holds several posts, each under its own dateline; a quoted
press release may carry its own date line or an explicit "today (25 February)".
Relative dates resolve against the nearest such date before them.
"""

from __future__ import annotations

import array
import bisect
import datetime as dt
from collections.abc import Sequence

import attrs
import regex

from .patterns import grammar
from .rules import RuleSet, read_data_file

_DAY_MONTH_YEAR = regex.compile(
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4}|'?\d\d\b)"
    r"|(?P<month2>[A-Za-z]+)\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{4})")
# "(?:to|yester)day", not "today|yesterday": the regex module then skips to the literal
# "day" through a text; an alternation of words has none (ten times slower).
_ANCHOR = regex.compile(
    r"\b(?P<word>(?:to|yester)day)\s*+\(\s*+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s++(?P<month>[A-Za-z]+)\.?"
    r"(?:\s++(?P<year>\d{4}))?\s*+\)", regex.I)
#: What a count heads in a comment thread: "45 comments:", "12 Responses to ...".
THREAD_WORDS = r"(?:comments?|replies|responses?|thoughts)"
# A lead-in line closing with ":-" introduces a quoted piece (a blog convention).
_LEAD_IN = regex.compile(r"(?m):-[ \t]*$")


@attrs.frozen
class Dateline:
    start: int
    end: int
    date: dt.date
    line_end: int = -1  # the end of its line's label, time and by-line: all metadata


def _parse_date_text(text: str, r: RuleSet) -> dt.date | None:
    found = _DAY_MONTH_YEAR.search(text)
    if found is None:
        return None
    month_word = (found["month"] or found["month2"]).lower()
    month = r.months.get(month_word)
    if month is None:
        return None
    try:
        year = int((found["year"] or found["year2"]).lstrip("'"))
        day = int(found["day"] or found["day2"])
        if year < 100:  # "1 Mar 19" on a page's date line
            year += 2000 if year < 70 else 1900
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_datelines(text: str, rules: RuleSet) -> list[Dateline]:
    """Lines holding nothing but a date: post datelines and release date lines."""
    found = []
    for match in grammar(rules).dateline.finditer(text):
        date = _parse_date_text(match["date"], rules)
        if date is not None:
            found.append(Dateline(match.start("date"), match.end("date"), date, match.end()))
    return found


@attrs.frozen
class ReferenceDates:
    """The reference date at each position of a text (callable: `refs(pos)`)."""

    explicit: dt.date | None
    starts: tuple[int, ...]
    dates: tuple[dt.date | None, ...]

    def __call__(self, pos: int) -> dt.date | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.dates[i] is not None:
            return self.dates[i]
        return self.explicit


def reference_dates(text: str, datelines: list[Dateline],
                    explicit: dt.date | None, rules: RuleSet) -> ReferenceDates:
    """Reference dates: the explicit date, else the dateline above; a quoted piece
    that states its own date ("today (25 February)") uses it throughout."""
    points: list[tuple[int, dt.date | None]] = [(0, explicit)]
    if explicit is None:
        points += [(d.start, d.date) for d in datelines]
    boundaries = sorted({0, len(text), *(d.start for d in datelines),
                         *(m.end() for m in _LEAD_IN.finditer(text))})
    for anchor in _ANCHOR.finditer(text):
        base = _latest(points, anchor.start()) or explicit
        month = rules.months.get(anchor["month"].lower())
        if month is None:
            continue
        year = int(anchor["year"]) if anchor["year"] else (base.year if base else None)
        if year is None:
            continue
        try:
            stated = dt.date(year, month, int(anchor["day"]))
        except ValueError:
            continue
        if anchor["word"].lower() == "yesterday":
            if stated == dt.date.max:
                continue
            stated += dt.timedelta(days=1)
        i = bisect.bisect_right(boundaries, anchor.start())
        seg_start, seg_end = boundaries[i - 1], boundaries[i]
        points += [(seg_start, stated), (seg_end, _latest(points, seg_end))]
    points.sort(key=lambda p: p[0])
    return ReferenceDates(explicit, tuple(p[0] for p in points), tuple(p[1] for p in points))


def _latest(points: list[tuple[int, dt.date | None]], pos: int) -> dt.date | None:
    best: dt.date | None = None
    best_pos = -1
    for start, date in points:
        if start <= pos and start >= best_pos and date is not None:
            best, best_pos = date, start
    return best


def _sentence_break() -> regex.Pattern[str]:
    """A sentence's end: a mark before white space, not the full stop of an abbreviation
    that goes on ("Mr. Okafor", "Feb. 6", "the U.S. Bureau"; grammar [no_break_after]),
    or a line break."""
    words = read_data_file("grammar.toml").get("no_break_after", {}).get("aliases", [])
    forms = sorted({f for w in words for f in (w, w.capitalize())}, key=len, reverse=True)
    abbreviation = "|".join(regex.escape(f) for f in forms) or "(?!)"
    return regex.compile(
        # (the full stop is read first, then what stands behind it: most characters are
        # no mark, and fail on that first test)
        rf"(?:\.(?<!\b(?:{abbreviation})\.)(?<!(?<![\w.])[A-Z]\.[A-Z]\.)|[!?])"
        r"[.!?]*+[\"'”’)\]]*+(?=\s)"
        r"|\n")


_SENTENCE_BREAK = _sentence_break()
#: Characters searched each side of a figure for the break that ends its sentence.
SENTENCE_REACH = 800
#: A figure with no break that near stands in no sentence (a list, a table, a dump of
#: text): its "sentence" is the window around it, about as wide as a clause is read
#: (nouns.WINDOW_BEFORE / WINDOW_AFTER), its ends on a grid of this many characters so
#: that the figures near each other share one window (and one string of it).
_WINDOW_BEFORE = 200
_WINDOW_AFTER = 120
_GRID = 64


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) holding text[start:end]."""
    lo = max(0, start - SENTENCE_REACH)
    s = _window_start(text, start)
    # the last break before the figure; breaks are short, so the one found scanning
    # back from a few characters before the nearest break character is that break
    i = max(text.rfind(ch, lo, start) for ch in ".!?\n")
    while i >= lo:
        brk = _SENTENCE_BREAK.match(text, i, start)
        if brk is not None and brk.end() <= start:
            s = brk.end()
            break
        i = max(text.rfind(ch, lo, i) for ch in ".!?\n")
    nxt = _SENTENCE_BREAK.search(text, end, min(len(text), end + SENTENCE_REACH))
    e = nxt.end() if nxt is not None else _window_end(text, end)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


@attrs.frozen
class SentenceBreaks:
    """Every sentence break of a text, found once, so that the sentence of each figure of
    a document is found by bisection: scanning 800 characters each way for every figure
    made a text with no break (a list, a dump, a hostile text) cost each figure 1,600
    characters. `bounds` gives what sentence_bounds gives.

    Break k is text[...:ends[k]]; `marks[k]` is its last full stop, mark or line break
    (where sentence_bounds' scan back finds it) and `needs[k]` the last character it
    needs to be a break (after a mark, the white space that must follow it).
    """

    ends: Sequence[int]
    marks: Sequence[int]
    needs: Sequence[int]
    # the windows of figures in no sentence, by their grid points (see _window_start): the
    # figures of a text with no break share a few
    window_starts: dict[int, int] = attrs.field(factory=dict, eq=False, repr=False)
    window_ends: dict[int, int] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def of(cls, text: str) -> SentenceBreaks:
        ends, marks, needs = array.array("q"), array.array("q"), array.array("q")
        for found in _SENTENCE_BREAK.finditer(text):
            ends.append(found.end())
            if found.group() == "\n":
                marks.append(found.start())
                needs.append(found.start())
            else:
                marks.append(found.start() + len(found.group().rstrip(_CLOSERS)) - 1)
                needs.append(found.end())
        return cls(ends, marks, needs)

    def bounds(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The sentence (or line) holding text[start:end], as sentence_bounds reads it."""
        k = bisect.bisect_left(self.needs, start) - 1  # the last break before the figure
        if k >= 0 and self.marks[k] >= start - SENTENCE_REACH:
            s = self.ends[k]
        else:
            grid = _grid_before(start)
            found = self.window_starts.get(grid)
            s = found if found is not None else \
                self.window_starts.setdefault(grid, _window_start(text, start))
        k = bisect.bisect_left(self.marks, end)  # the first break after it
        if k < len(self.ends) and self.needs[k] < min(len(text), end + SENTENCE_REACH):
            e = self.ends[k]
        else:
            grid = _grid_after(end)
            found = self.window_ends.get(grid)
            e = found if found is not None else \
                self.window_ends.setdefault(grid, _window_end(text, end))
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return s, e


_CLOSERS = "\"'”’)]"  # what _SENTENCE_BREAK takes in after the marks


def _grid_before(start: int) -> int:
    return max(0, (start - _WINDOW_BEFORE) // _GRID * _GRID)


def _grid_after(end: int) -> int:
    return -(-(end + _WINDOW_AFTER) // _GRID) * _GRID  # (before the text's end is taken)


def _window_start(text: str, start: int) -> int:
    """The start of the window of a figure in no sentence: a grid point before it, moved
    on to the next word (so that no word is cut). It depends on the grid point alone (the
    word is looked for within the grid's step, which ends before `start`)."""
    grid = _grid_before(start)
    if grid == 0:
        return 0
    space = text.find(" ", grid - 1, min(start, grid + _GRID))
    return space + 1 if space >= 0 else grid


def _window_end(text: str, end: int) -> int:
    """The end of the window of a figure in no sentence: a grid point after it, moved
    back to the end of the word before. It depends on the grid point alone (the word is
    looked for within the grid's step, which starts after `end`)."""
    grid = min(len(text), _grid_after(end))
    if grid == len(text):
        return grid
    space = text.rfind(" ", max(end, grid - _GRID), grid + 1)
    return space if space >= 0 else grid
