"""Recognise figures: grammar matches -> Mentions (span + normalised Quantity).

`find_mentions` walks the trigger positions, matches the grammar there, and
hands each match to the reader for its kind (`_read_date`, `_read_amount`, ...).
Readers extend the span with the words around the core (hedges, units, ranges,
ratios, rates) and return a Mention, or None when the match is not a figure.
"""

from __future__ import annotations

import array
import bisect
import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Iterator, Sequence

import attrs
import regex

from . import dates
from .model import Hedge, Kind, Qualifier, Quantity
from .numbers import parse_number_words, parse_numeral, round_sig
from .patterns import (
    CLOSING_SPACE,
    FOLDED_LETTERS,
    Grammar,
    grammar,
    may_hold,
    scan_at,
    trigger_positions,
)
from .rules import RuleSet
from .subjects import singular

_WINDOW = 40  # characters of left context searched for hedges and lead words
_TAIL = 160  # characters of right context a tail pattern may read
# small patterns the readers use, compiled once
_QUARTER_DIGIT = regex.compile(r"Q([1-4])")
_DIGITS = regex.compile(r"\d+")
_YEAR_SEP = regex.compile(r"\s?[-–/]\s?")
_LETTERS = regex.compile(r"[A-Za-z]+")
_WORD_SEP = regex.compile(r"[\s-]+")
_LAST_WORD = regex.compile(r"(\w+)\W*$")


def _tail_end(text: str, pos: int) -> int:
    """The end position for matching a tail at `pos`. Without it the regex module looks
    for a pattern's required literal ('times') through the rest of the text first, which
    made a long document quadratic."""
    return min(len(text), pos + _TAIL)


def _tail_with(pattern: regex.Pattern[str], text: str, pos: int,
               word: str) -> regex.Match[str] | None:
    """A tail pattern that needs `word` ("times", "per") matched at `pos`, run only where
    the word may stand: most figures have neither after them."""
    end = _tail_end(text, pos)
    return pattern.match(text, pos, end) if may_hold(text, pos, end, word) else None


@attrs.frozen
class Mention:
    """A recognised figure before filtering: its span, quantity and how it was read."""

    start: int
    end: int
    quantity: Quantity
    core: str  # the grammar alternative that matched: numeral, words, date_dmy, ...
    core_start: int
    core_end: int
    needs_reference: bool = False  # a relative date that could not be resolved
    frequency: bool = False  # how often ("once a month", "23 times"): it counts no thing


@attrs.define
class Context:
    """What a reader needs besides the text: the rules and the reference date there.
    One serves a whole document: find_mentions sets `at` and `floor` for each figure
    before it is read (no reader keeps it)."""

    text: str
    grammar: Grammar
    rules: RuleSet
    reference_at: Callable[[int], dt.date | None] | None  # (see find_mentions)
    at: int = 0  # where the figure read is triggered
    floor: int = 0  # end of the previous mention: no lead word is read before it
    # the explicit dates of each paragraph, read once per document (see _previous_date)
    dates: dict[tuple[int, dt.date | None], list[tuple[int, str]]] = attrs.field(
        factory=dict, eq=False)
    paragraphs: Sequence[int] | None = attrs.field(default=None, eq=False)

    @property
    def reference(self) -> dt.date | None:
        """The reference date at the figure (asked for by the readers of dates only)."""
        return self.reference_at(self.at) if self.reference_at is not None else None


def find_mentions(text: str, reference_at: object = None, *,
                  rules: RuleSet) -> Iterator[Mention]:
    """Every figure in `text`, left to right, not overlapping.

    `reference_at(pos)` gives the reference date for relative dates at a position.
    """
    r = rules
    g = grammar(r)
    last_end = 0
    previous: Mention | None = None
    paragraphs = array.array("q", (m.start() for m in _PARAGRAPH_BREAK.finditer(text)))
    ctx = Context(text, g, r, reference_at if callable(reference_at) else None, 0, 0, {},
                  paragraphs)
    for pos in trigger_positions(g, text):
        if pos < last_end:
            continue
        match = _match_at(text, g, pos, last_end)
        if match is None:
            continue
        if match.lastgroup == "clock":  # a time of day: neither its hour nor minutes are figures
            last_end = match.end()
            continue
        if match.lastgroup == "words" and _counted_off(text, match.start(), match.end(), r):
            last_end = match.end()  # "one, two, three": numbers said in turn, no figure
            continue
        ctx.at = pos
        ctx.floor = last_end
        mention = _read(match, ctx)
        if mention is None:
            continue
        if mention.start < last_end:
            leftover = _LEFTOVER_LEAD.match(text, last_end, mention.end)
            start = leftover.end() if leftover is not None else last_end
            if start >= mention.end:
                continue
            mention = attrs.evolve(mention, start=start)
        mention = _inherit_rate(mention, previous, text, g)
        mention = _inherit_change(mention, previous, text)
        last_end = mention.end
        previous = mention
        yield mention


def _counted_off(text: str, start: int, end: int, r: RuleSet) -> bool:
    """Whether number words stand between two others ("one two three", "twenty two
    twenty"): a list of numbers, each no figure ("one in eleven two years ago" has one)."""
    after = _WORD_AFTER.match(text, end, min(len(text), end + 16))
    if after is None or after[1].lower() not in r.cardinals:
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 16), start)
    return before is not None and before[1].lower() in r.cardinals


_WORD_AFTER = regex.compile(r"[ \t,]++([^\W\d_]++)")
_WORD_BEFORE = regex.compile(r"([^\W\d_]++)[ \t,]++$")


# what is left of a figure's lead words when the figure before took their start ("the
# second half| of 2025"): spaces and joining words, not part of the figure
_LEFTOVER_LEAD = regex.compile(r"(?:\s++|\b(?:of|and|to|in|on|the|a)\b)*+")


def _inherit_change(mention: Mention, previous: Mention | None, text: str) -> Mention:
    """'fell by 53,000 (5.6%)': the figure in brackets after a change is that change too."""
    if previous is None or not previous.quantity.change or mention.quantity.change:
        return mention
    # "fell by 53,000 (5.6%)", "rose by 13 cents, or 0.4 percent,"
    if text[previous.end:mention.start].strip() not in ("(", ", or", ",or") \
            or mention.quantity.kind == "date":
        return mention
    return attrs.evolve(mention, quantity=attrs.evolve(mention.quantity, change=True))


def _inherit_rate(mention: Mention, previous: Mention | None, text: str,
                  g: Grammar) -> Mention:
    """'£22.75 an hour, up from £19.40': the figure compared with a rate is that rate too."""
    q = mention.quantity
    if previous is None or q.per is not None or previous.quantity.per is None:
        return mention
    p = previous.quantity
    if (p.kind, p.unit) != (q.kind, q.unit) or mention.start - previous.end > 60:
        return mention
    between = text[previous.end:mention.start]
    rate_end = between.find(",")
    if rate_end < 0 or g.compared_with.match(between, rate_end) is None:
        return mention
    return attrs.evolve(mention, quantity=attrs.evolve(q, per=p.per))


def _match_at(text: str, g: Grammar, pos: int, floor: int) -> regex.Match[str] | None:
    """The grammar match at a trigger, starting at a lead word before it when that reads
    further ('a third', 'on Thursday'); the longer reading wins."""
    at_trigger = scan_at(g, text, pos)
    lead = g.lead.search(text, max(floor, pos - 24), pos)
    if lead is not None and lead.start() < pos:
        from_lead = scan_at(g, text, lead.start())
        if from_lead is not None and from_lead.end() > pos and (
                at_trigger is None or from_lead.end() >= at_trigger.end()):
            return from_lead
    return at_trigger


def _read(match: regex.Match[str], ctx: Context) -> Mention | None:
    core = match.lastgroup
    if core is None or core == "clock":
        return None
    reader = _READERS.get(core, _read_amount)
    return reader(match, ctx)


# --- dates -------------------------------------------------------------------


def _month(word: str, r: RuleSet) -> int:
    return r.months[word.lower().rstrip(".")] if word.lower().rstrip(".") in r.months \
        else r.months[word.lower()]


_DMY = regex.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month>[A-Za-z]+\.?)"
                     r"(?:,?\s+(?P<year>\d{4}))?")
_MDY = regex.compile(r"(?P<month>[A-Za-z]+\.?)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
                     r"(?:,?\s+(?P<year>\d{4}))?$")
_MY = regex.compile(r"(?P<month>[A-Za-z]+\.?),?\s+(?:of\s+)?(?P<year>\d{4})")
_YEARS = regex.compile(r"\d{4}")


def _date_quantity(value: str | None, qualifier: Qualifier = "exact",
                   low: str | None = None, high: str | None = None) -> Quantity:
    if qualifier == "exact":
        low = high = value
    return Quantity(kind="date", value=value, low=low, high=high, qualifier=qualifier)


def _date_head(match: regex.Match[str], ctx: Context, *,
               deadlines: bool = True) -> tuple[int, bool]:
    """Where a date's span starts once the words before it are taken in: a part ('early
    2017', 'the mid-1990s'), then a deadline ('by 4 July') or 'since'; and whether it
    was a deadline."""
    start = match.start()
    window = ctx.text[max(0, start - _WINDOW):start]
    part = ctx.grammar.part_head.search(window)
    if part is not None:
        start -= len(window) - part.start()
        window = ctx.text[max(0, start - _WINDOW):start]
    deadline = ctx.grammar.deadline_head.search(window) if deadlines else None
    if deadline is not None:
        return start - (len(window) - deadline.start()), True
    since = ctx.grammar.since_head.search(window)
    if since is not None:
        start -= len(window) - since.start()
    return start, False


def _bounded_date(match: regex.Match[str], ctx: Context, value: str | None,
                  *, needs_reference: bool = False) -> Mention:
    """A date with its deadline ('by 4 July') or part ('early 2017') lead words."""
    start, deadline = _date_head(match, ctx)
    quantity = (_date_quantity(value, "at_most", None, value) if deadline
                else _date_quantity(value))
    return Mention(start, match.end(), quantity, match.lastgroup or "date", match.start(),
                   match.end(), needs_reference=needs_reference)


def _read_date_dmy(match: regex.Match[str], ctx: Context) -> Mention | None:
    text = match.group()
    found = _DMY.search(text) if match.lastgroup == "date_dmy" else _MDY.search(text)
    if found is None:
        return None
    month = _month(found["month"], ctx.rules)
    day = int(found["day"])
    year = int(found["year"]) if found["year"] else dates.infer_year(month, day, ctx.reference)
    value = dates.iso_day(year, month, day) if year else None
    if year and value is None:
        return None
    return _bounded_date(match, ctx, value, needs_reference=year is None)


def _read_date_my(match: regex.Match[str], ctx: Context) -> Mention | None:
    found = _MY.search(match.group())
    if found is None:
        return None
    month = _month(found["month"], ctx.rules)
    return _bounded_date(match, ctx, dates.iso_month(int(found["year"]), month))


def _read_month_range(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'July to September 2026', 'Jan-Mar 2026', 'between October and March 2026': the
    months from the first to the second, as an ISO interval (the first in the year before
    when it comes later in the calendar: October to March); 'between July and September'
    in a text of November 2026 are those of 2026."""
    names = [w for w in _MONTH_WORD.findall(match.group())
             if w.lower().rstrip(".") in ctx.rules.months]
    years = [int(y) for y in _YEARS.findall(match.group())]
    try:
        first, last = _month(names[0], ctx.rules), _month(names[1], ctx.rules)
    except (IndexError, KeyError):
        return None
    if not years:  # "between July and September": the latest such months, as for one month
        if ctx.reference is None:
            return Mention(match.start(), match.end(), _date_quantity(None), "month_range",
                           match.start(), match.end(), needs_reference=True)
        years = [_year_of_month(last, "", ctx, match.start())]
    # "April 2025 to March 2026" gives both years
    start_year = years[0] if len(years) > 1 else years[-1] - (first > last)
    if (start_year, first) >= (years[-1], last) or years[-1] - start_year > 5:
        return None
    low = dates.iso_month(start_year, first)
    high = dates.iso_month(years[-1], last)
    quantity = _date_quantity(f"{low}/{high}", "range", low, high)
    return Mention(_since_start(match, ctx), match.end(), quantity, "month_range",
                   match.start(), match.end())


_MONTH_WORD = regex.compile(r"[^\W\d_]{3,}+")


def _read_date_iso(match: regex.Match[str], ctx: Context) -> Mention | None:
    text = match.group()
    if "-" in text:
        y, m, d = (int(p) for p in text.split("-"))
    else:
        day_text, month_text, year_text = (p.rstrip("stndrh") for p in text.split("/"))
        y = dates.expand_year(year_text, 2000) if len(year_text) == 2 else int(year_text)
        d, m = int(day_text), int(month_text)
    value = dates.iso_day(y, m, d)
    return None if value is None else _bounded_date(match, ctx, value)


def _read_quarter(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'Q1 2024': the three months of a calendar quarter, as an ISO interval."""
    text = match.group()
    year = int(_YEARS.search(text).group())  # type: ignore[union-attr]
    quarter = int(_QUARTER_DIGIT.search(text).group(1))  # type: ignore[union-attr]
    first, last = dates.iso_month(year, 3 * quarter - 2), dates.iso_month(year, 3 * quarter)
    quantity = _date_quantity(f"{first}/{last}", "range", first, last)
    return Mention(_since_start(match, ctx), match.end(), quantity, "quarter", match.start(),
                   match.end())


def _read_year_part(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'the third quarter of 2025', 'the first half of 2026', 'H1 2025': the months of a
    part of a year, as an ISO interval."""
    words = match.group().lower().split()
    year = int(_YEARS.search(match.group()).group())  # type: ignore[union-attr]
    if words[0] in ("h1", "h2"):
        first, months = (1, 6) if words[0] == "h1" else (7, 6)
    else:
        ordinal = words[1] if words[0] == "the" else words[0]
        size = 3 if "quarter" in words else 6
        count = 12 // size
        place = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(ordinal, count)
        if place > count:
            return None  # "the third half"
        first, months = (place - 1) * size + 1, size
    low, high = dates.iso_month(year, first), dates.iso_month(year, first + months - 1)
    quantity = _date_quantity(f"{low}/{high}", "range", low, high)
    return Mention(_since_start(match, ctx), match.end(), quantity, "year_part",
                   match.start(), match.end())


def _read_year_span(match: regex.Match[str], ctx: Context) -> Mention | None:
    first, second = _YEARS.findall(match.group())
    if int(second) <= int(first):
        return None
    quantity = _date_quantity(f"{first}/{second}", "range", first, second)
    return Mention(match.start(), match.end(), quantity, "year_span", match.start(), match.end())


def _read_decade(match: regex.Match[str], ctx: Context) -> Mention | None:
    text = match.group()
    digits = _DIGITS.search(text)
    assert digits is not None
    start_year = int(digits.group())
    if start_year < 100:  # '90s
        ref = ctx.reference.year if ctx.reference else 2000
        start_year += 1900 if 1900 + start_year + 10 <= ref else 2000
    value = f"{start_year}/{start_year + 9}"
    quantity = _date_quantity(value, "range", str(start_year), str(start_year + 9))
    return Mention(_since_start(match, ctx), match.end(), quantity, "decade", match.start(),
                   match.end())


def _since_start(match: regex.Match[str], ctx: Context) -> int:
    """Where a span of dates starts: its part and 'since' words, never a deadline
    (the span keeps its qualifier, range)."""
    return max(ctx.floor, _date_head(match, ctx, deadlines=False)[0])


def _read_year_range(match: regex.Match[str], ctx: Context) -> Mention | None:
    text = match.group()
    first = int(text[:4])
    second = dates.expand_year(_YEAR_SEP.split(text)[1], first)
    if not first < second <= first + 30:
        return None
    value = f"{first}/{second}"
    quantity = _date_quantity(value, "range", str(first), str(second))
    return Mention(_since_start(match, ctx), match.end(), quantity, "year_range", match.start(),
                   match.end())


def _read_weekday(match: regex.Match[str], ctx: Context) -> Mention | None:
    words = match.group().split()
    lead, name = (words[0], words[1]) if words[0].lower() not in ctx.rules.weekdays \
        else ("", words[0])
    weekday = ctx.rules.weekdays[name.lower()]
    if ctx.reference is None:
        return Mention(match.start(), match.end(), _date_quantity(None), "weekday",
                       match.start(), match.end(), needs_reference=True)
    # ("set for Monday", "forecast for Wednesday": a day planned for is ahead)
    future = lead.lower() in ("next", "for") or _in_future_clause(ctx, match.start())
    if lead.lower() == "last":
        future = False
    value = dates.resolve_weekday(weekday, ctx.reference, future=future)
    if value is None:  # past the ends of the calendar
        return Mention(match.start(), match.end(), _date_quantity(None), "weekday",
                       match.start(), match.end(), needs_reference=True)
    if lead.lower() == "by":
        return Mention(match.start(), match.end(), _date_quantity(value, "at_most", None, value),
                       "weekday", match.start(), match.end())
    return Mention(match.start(), match.end(), _date_quantity(value), "weekday",
                   match.start(), match.end())


_SENTENCE_BREAK = regex.compile(r"[.!?\n][^.!?\n]*+$")


def _in_future_clause(ctx: Context, pos: int) -> bool:
    """Whether the sentence up to `pos` speaks of the future ('will open on Monday')."""
    window_start = max(0, pos - 200)
    brk = _SENTENCE_BREAK.search(ctx.text, window_start, pos)
    start = brk.start() + 1 if brk is not None else window_start
    future = [m.end() for m in ctx.grammar.future.finditer(ctx.text, start, pos)]
    if not future:
        return False
    past = [m.end() for m in ctx.grammar.past.finditer(ctx.text, start, pos)]
    return not past or future[-1] >= past[-1]  # the verb nearest the date decides


def _read_month_only(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'in March', 'since August', 'last April': the month nearest the reference date,
    looking back unless the sentence speaks of the future or says 'next'."""
    if ctx.reference is None:
        return Mention(match.start(), match.end(), _date_quantity(None), "month_only",
                       match.start(), match.end(), needs_reference=True)
    month = _month(match.group(), ctx.rules)
    lead = _PREV_WORD.search(ctx.text, max(0, match.start() - 20), match.start())
    lead_word = lead["word"].lower() if lead else ""
    year = _year_of_month(month, lead_word, ctx, match.start())
    mention = _bounded_date(match, ctx, dates.iso_month(year, month))
    if lead_word in ("last", "next", "this") and lead is not None:
        mention = attrs.evolve(mention, start=min(mention.start, lead.start()))
    return mention


def _year_of_month(month: int, lead_word: str, ctx: Context, pos: int) -> int:
    """The year of a month named alone: the nearest one looking back from the reference
    date, or forward after 'next', a deadline ('by April') or in a clause about the future
    ('is due in April')."""
    ref = ctx.reference
    assert ref is not None
    if lead_word == "next":  # "next March" in March is a year on
        return ref.year if month > ref.month else ref.year + 1
    if lead_word != "last" and (
            _in_future_clause(ctx, pos) or (
                (lead_word in ctx.rules.deadlines or lead_word in _ONWARD)
                and not _in_past_clause(ctx, pos) and not _ends_a_period(lead_word, ctx, pos))):
        return ref.year if month >= ref.month else ref.year + 1
    if lead_word == "last":
        return ref.year if month < ref.month else ref.year - 1
    return ref.year if month <= ref.month else ref.year - 1


# "funds the government through September": up to a month ahead, unless said in the past
_ONWARD = frozenset(("through", "until", "till", "to"))


def _ends_a_period(lead_word: str, ctx: Context, pos: int) -> bool:
    """ "the three months to September", "the year to March": the month closes a reference
    period, which statistics report once it is over, so it is looked for back in time."""
    if lead_word not in _ONWARD:
        return False
    lead = _PREV_WORD.search(ctx.text, max(0, pos - 40), pos)
    assert lead is not None  # the lead word itself
    before = _PREV_WORD.search(ctx.text, max(0, lead.start() - 20), lead.start())
    word = before["word"].lower() if before is not None else ""
    # "in the three months to September"; "(July to Sept)": the months of one period
    return word in ctx.rules.time_units or word in ctx.rules.word_list("period_nouns") \
        or word.rstrip(".") in ctx.rules.months


def _in_past_clause(ctx: Context, pos: int) -> bool:
    """Whether a verb in the past tense stands just before `pos` in its sentence (an
    aside further back, "The bill, approved 74-24, funds ...", does not count)."""
    window_start = max(0, pos - _PAST_REACH)
    brk = _SENTENCE_BREAK.search(ctx.text, window_start, pos)
    start = brk.start() + 1 if brk is not None else window_start
    return ctx.grammar.past.search(ctx.text, start, pos) is not None


_PAST_REACH = 50  # characters: the verb of the phrase a month closes


def _read_season(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'since the spring', 'this summer': the months of a season, resolved as a month is."""
    if ctx.reference is None:
        return Mention(match.start(), match.end(), _date_quantity(None), "season",
                       match.start(), match.end(), needs_reference=True)
    first, last = ctx.rules.seasons[match.group().lower()]
    lead = _PREV_WORD.search(ctx.text, max(0, match.start() - 20), match.start())
    lead_word = lead["word"].lower() if lead else ""
    if lead_word == "the":
        lead = _PREV_WORD.search(ctx.text, max(0, lead.start() - 20), lead.start())  # type: ignore[union-attr]
        lead_word = lead["word"].lower() if lead else ""
    year = _year_of_month(first, lead_word, ctx, match.start())
    end_year = year + 1 if last < first else year
    low, high = dates.iso_month(year, first), dates.iso_month(end_year, last)
    quantity = _date_quantity(f"{low}/{high}", "range", low, high)
    start, _ = _date_head(match, ctx)
    if lead_word in ("last", "next", "this") and lead is not None:
        start = min(start, lead.start())
    return Mention(start, match.end(), quantity, "season", match.start(), match.end())


_PAREN_DATE = regex.compile(
    r"\(\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month>[A-Za-z]+\.?)"
    r"(?:\s+(?P<year>\d{4}))?\s*\)")


def _read_relative(match: regex.Match[str], ctx: Context) -> Mention | None:
    text = match.group()
    paren = _PAREN_DATE.search(text)
    if paren is not None:
        month = _month(paren["month"], ctx.rules)
        year = int(paren["year"]) if paren["year"] else dates.infer_year(month, None, ctx.reference)
        value = dates.iso_day(year, month, int(paren["day"])) if year else None
        if value is not None:
            return Mention(match.start(), match.end(), _date_quantity(value), "relative",
                           match.start(), match.end())
    phrase = " ".join(text.split("(")[0].lower().split())
    unit, offset = ctx.rules.relative[phrase]
    if ctx.reference is None:
        return Mention(match.start(), match.end(), _date_quantity(None), "relative",
                       match.start(), match.end(), needs_reference=True)
    value = dates.resolve_relative_date(unit, offset, ctx.reference)
    return _bounded_date(match, ctx, value, needs_reference=value is None)


_ISO_IN_TEXT = regex.compile(r"\b(?:1[5-9]|20)\d\d(?:-[01]\d(?:-[0-3]\d)?)?\b")


def _read_shift(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'one year earlier': shifts the latest date written before it in the same paragraph."""
    words = match.group().split()
    amount_text = " ".join(words[:-2])
    amount = 1.0 if amount_text.lower() in ("a", "an") else (
        parse_numeral(amount_text) if amount_text[0].isdigit()
        else parse_number_words(amount_text.replace("-", " ").split(), ctx.rules))
    if amount is None:
        return None
    unit = match["shift_unit"].lower().rstrip("s")
    if unit in _SHIFT_MULTIPLES:  # "a fortnight ago", "a decade earlier"
        unit, factor = _SHIFT_MULTIPLES[unit]
        amount *= factor
    backwards = ("earlier", "before", "previously", "ago")
    direction = -1 if match["shift_dir"].lower() in backwards else 1
    if match["shift_dir"].lower() == "ago":  # counted back from the date of writing
        anchor = _reference_iso(ctx.reference, unit)
    else:
        anchor = _previous_date(ctx, match.start())
    if anchor is None:
        return Mention(match.start(), match.end(), _date_quantity(None), "shift",
                       match.start(), match.end(), needs_reference=True)
    # more years than the calendar holds (or infinite) shift to no date
    value = dates.shift_iso(anchor, unit, direction * int(amount)) if abs(amount) < 10_000 \
        else None
    return Mention(match.start(), match.end(), _date_quantity(value), "shift",
                   match.start(), match.end(), needs_reference=value is None)


_SHIFT_MULTIPLES = {"fortnight": ("week", 2), "decade": ("year", 10)}


def _reference_iso(reference: dt.date | None, unit: str) -> str | None:
    """The reference date as precise as a shift by `unit` can be: 'two years ago' is a year."""
    if reference is None:
        return None
    if unit == "year":
        return f"{reference.year:04d}"
    if unit == "month":
        return dates.iso_month(reference.year, reference.month)
    return reference.isoformat()


def _previous_date(ctx: Context, pos: int) -> str | None:
    """The latest explicit date before `pos` in its paragraph, as an ISO string.

    The dates of a paragraph are read once (per reference date) and looked up, so a
    long paragraph costs no more per shift ("two years earlier") than a short one.
    """
    para_start = _paragraph_start(ctx, pos)
    key = (para_start, ctx.reference)
    found = ctx.dates.get(key)
    if found is None:
        found = ctx.dates[key] = _explicit_dates(ctx, para_start)
    i = bisect.bisect_left(found, (pos, "")) - 1
    return found[i][1] if i >= 0 else None


_PARAGRAPH_BREAK = regex.compile(r"\n(?=\n)")  # each blank line, overlapping ones too


def _paragraph_start(ctx: Context, pos: int) -> int:
    """Just after the first line break of the last blank line ending before `pos`."""
    if ctx.paragraphs is None:
        return ctx.text.rfind("\n\n", 0, pos) + 1
    i = bisect.bisect_right(ctx.paragraphs, pos - 2) - 1
    return ctx.paragraphs[i] + 1 if i >= 0 else 0


def _explicit_dates(ctx: Context, para_start: int) -> list[tuple[int, str]]:
    """(trigger position, ISO date) of the explicit dates of the paragraph from para_start."""
    end = ctx.text.find("\n\n", para_start)
    end = len(ctx.text) if end < 0 else end + 2
    g = ctx.grammar
    found: list[tuple[int, str]] = []
    for trigger in trigger_positions(g, ctx.text, para_start, end):
        match = scan_at(g, ctx.text, trigger)
        if match is None or match.lastgroup not in ("date_dmy", "date_my", "date_mdy", "date_iso"):
            continue
        mention = _READERS[match.lastgroup](match, ctx)
        if mention is not None and isinstance(mention.quantity.value, str):
            found.append((trigger, mention.quantity.value))
    return found


# --- amounts -----------------------------------------------------------------


@attrs.define
class _Amount:
    """Working state while an amount is read; frozen into a Quantity at the end."""

    start: int
    end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: Qualifier = "exact"
    kind: Kind = "count"
    unit: str | None = None
    per: str | None = None
    denominator: float | None = None
    currency: str | None = None
    scale: float = 1.0
    integral_words: bool = False
    frequency: bool = False
    change: bool = False


def _number_value(text: str, ctx: Context) -> float | None:
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        try:
            return parse_numeral(text)
        except ValueError:
            return None
    words = [w.lower() for w in _LETTERS.findall(text)]
    if words[-3:] == ["and", "a", "half"] or words[-4:-1] == ["and", "a", "half"]:
        # "two and a half", "one-and-a-half million": the half before any scale after it
        cut = len(words) - 1 - words[::-1].index("half")
        value = parse_number_words(words[:cut - 2], ctx.rules)
        scale = parse_number_words(words[cut + 1:], ctx.rules) if words[cut + 1:] else 1.0
        return None if value is None or scale is None else (value + 0.5) * scale
    return parse_number_words(words, ctx.rules)


def _read_money(match: regex.Match[str], ctx: Context) -> Mention | None:
    value = _number_value(match["amount"], ctx)
    if value is None:
        return None
    symbol = match["cur"].strip().lower()
    currency = ctx.rules.currency_symbols.get(symbol) or symbol.upper()
    amount = _Amount(match.start(), match.end(), -value if match["msign"] else value,
                     kind="money", unit=currency, currency=currency)
    return _finish_amount(amount, match, ctx)


def _read_amount(match: regex.Match[str], ctx: Context) -> Mention | None:
    core = match.lastgroup
    text = match.group()
    if core == "numeral" and match["ordinal"]:
        return None
    value = _number_value(text, ctx)
    if value is None:
        return None
    if core == "numeral" and _is_year(ctx.text, match.start(), match.end(), ctx):
        return _bounded_date(match, ctx, text)
    amount = _Amount(match.start(), match.end(), value, integral_words=core == "words")
    if core == "numeral":
        if _read_digit_plural(amount, ctx):
            return _finish_amount(amount, match, ctx, allow_units=False)
        _read_sign(amount, ctx)
    return _finish_amount(amount, match, ctx)


def _read_sign(amount: _Amount, ctx: Context) -> None:
    """'-8,000', '(+17,500)': a signed figure. A minus makes the value negative; a plus,
    or a signed figure in brackets (a statistics table's change column), marks a change."""
    text, start = ctx.text, amount.start
    if start == 0 or text[start - 1] not in "-−+" or start - 1 < ctx.floor:
        return
    if start >= 2 and (text[start - 2].isalnum() or text[start - 2] in ".,"):
        return  # "A-8", "3+4": no sign
    if text[start - 1] != "+" and amount.value is not None:
        amount.value = -amount.value
    amount.change = text[start - 1] == "+" or (start >= 2 and text[start - 2] in "([")
    amount.start = start - 1


def _read_digit_plural(amount: _Amount, ctx: Context) -> bool:
    """'1,000s of visitors', '100s': a vague plural of a power of ten written in digits,
    read as the magnitude word it stands for (thousands: 2,000 to 9,999)."""
    value = amount.value
    if value is None or value < 100 or ctx.text[amount.end:amount.end + 1] not in _PLURAL_OPENS:
        return False  # (most figures: no "s" after them, no pattern to run)
    found = ctx.grammar.plural_numeral.match(ctx.text, amount.end)
    if found is None or math.log10(value) % 1:
        return False
    amount.low, amount.high, amount.value = 2 * value, 10 * value - 1, None
    amount.qualifier = "approx"
    amount.end = found.end()
    return True


_PLURAL_OPENS = frozenset("'’sSſ")  # what plural_numeral opens with, case-blind
_PLURAL_NEXT = regex.compile(
    r"\s++(?:[a-z][\w'-]*+\s++)?+(?P<noun>[a-z][\w'-]*?s)\b(?!\s*+(?:\(|,))")
_PREV_WORD = regex.compile(r"(?P<word>[\w.]+)\W*+$")


def _is_year(text: str, start: int, end: int, ctx: Context) -> bool:
    """A bare four-digit numeral that names a year ('in 2014', 'a 2007 quake'), not a count
    ('a 2000 word essay', '1250 staff')."""
    digits = text[start:end]
    if end - start != 4 or not digits.isdigit() or not 1500 <= int(digits) <= 2100:
        return False
    prev = _PREV_WORD.search(ctx.text, max(0, start - 20), start)
    prev_word = prev["word"].lower() if prev else ""
    if prev_word in ("a", "an") and int(digits) % 100 == 0:
        return False  # "a 2000 word essay" ("a 2007 quake" is a year, read on)
    if prev_word in ctx.rules.word_list("year_leads"):
        return True
    if prev is not None and prev["word"][:1].isupper() and prev_word in ctx.rules.name_suffixes:
        return True  # "the Housing Act 1988": a year, inside a name
    if ctx.grammar.unit_tail.match(ctx.text, end) is not None:
        return False
    plural = _PLURAL_NEXT.match(ctx.text, end, _tail_end(ctx.text, end))
    return plural is None or plural["noun"].lower() in ctx.rules.verbs


def _read_fraction(match: regex.Match[str], ctx: Context) -> Mention | None:
    if match["fraction_of"]:
        return _read_fraction_of_scale(match, ctx)
    words = _WORD_SEP.split(match.group().lower())
    fraction = words[-1]
    percent = ctx.rules.fractions[fraction]
    numerator = 1.0
    if len(words) > 1 and words[0] not in ("a", "an"):
        numerator = ctx.rules.cardinals.get(words[0], 1)
    value = round(percent * numerator if percent != 33.33 else 100 * numerator / 3, 2)
    amount = _Amount(match.start(), match.end(), value, kind="percent", unit="percent")
    points = ctx.grammar.point_tail.match(ctx.text, match.end(), _tail_end(ctx.text, match.end()))
    # "half a percentage point": 0.5 of a point; "a quarter point" too, but "a third point"
    # is the ordinal
    if points is not None and ("percentage" in points.group().lower()
                               or fraction.startswith(("half", "quarter"))):
        amount.value, amount.unit, amount.end = value / 100, "percentage point", points.end()
    end = match.end()
    money = ctx.grammar.fraction_money.match(ctx.text, end, _tail_end(ctx.text, end))
    if money is not None:  # "half a cent", "a quarter of a pound": a sum of money
        if money["minor"]:
            code, factor = ctx.rules.currency_minor[money["minor"].lower()]
        else:
            code, factor = ctx.rules.currency_words[money["word"].lower()], 1.0
        amount = _Amount(match.start(), money.end(), round_sig(value / 100 * factor),
                         kind="money", unit=code, currency=code)
    return _finish_amount(amount, match, ctx, allow_units=False)


def _read_fraction_of_scale(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'half a million', 'a quarter of a billion': a count, the fraction of the scale."""
    words = _WORD_SEP.split(match.group().lower())
    scale = ctx.rules.scales.get(words[-1])
    fraction_word = next((w for w in words if w in ctx.rules.fractions), None)
    if scale is None or fraction_word is None:
        return None
    numerator = ctx.rules.cardinals.get(words[0], 1) if words[0] not in ("a", "an") else 1
    share = 1 / 3 if ctx.rules.fractions[fraction_word] == 33.33 \
        else ctx.rules.fractions[fraction_word] / 100
    amount = _Amount(match.start(), match.end(), round_sig(numerator * share * scale),
                     integral_words=True)
    return _finish_amount(amount, match, ctx)


def _read_digit_fraction(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'1/3 of the budget', '½ of the seats': a proportion, in per cent."""
    text = match.group()
    if "/" in text:
        numerator, denominator = (int(part) for part in text.split("/"))
        if numerator >= denominator:
            return None  # "24/7", "5/2": no proportion
        share = numerator / denominator
    else:
        share = unicodedata.numeric(text)
    amount = _Amount(match.start(), match.end(), round(100 * share, 2), kind="percent",
                     unit="percent")
    points = ctx.grammar.point_tail.match(ctx.text, match.end(), _tail_end(ctx.text, match.end()))
    if points is not None:  # "up 3/4 of a point": a share of a percentage point
        amount.value, amount.unit, amount.end = round(share, 4), "percentage point", points.end()
    return _finish_amount(amount, match, ctx, allow_units=False)


def _read_magnitude(match: regex.Match[str], ctx: Context) -> Mention | None:
    words = [w for w in match.group().lower().split() if w != "of"]
    if words[0] == "tens":
        low, high = 20.0, 99.0
    else:
        low, high = (float(x) for x in ctx.rules.magnitudes[words[0]])
    if len(words) > 1:
        scale = float(ctx.rules.magnitudes[words[1]][0]) / 2  # "thousands" -> 1000
        low, high = low * scale, (high + 1) * scale - 1
    amount = _Amount(match.start(), match.end(), None, low=low, high=high, qualifier="approx")
    return _finish_amount(amount, match, ctx)


def _read_article_unit(match: regex.Match[str], ctx: Context) -> Mention | None:
    words = match.group().lower().split()
    unit_word = words[-1]
    value = 0.5 if words[0] == "half" else 1.0
    if words[-2] in ("last", "past", "previous", "next", "coming"):
        amount = _Amount(match.start(), match.end(), ctx.rules.time_units[unit_word][1],
                         kind="duration", unit=ctx.rules.time_units[unit_word][0])
        return _finish_amount(amount, match, ctx, allow_units=False)
    unit, scale = ctx.rules.time_units[unit_word]
    before = ctx.text[max(0, match.start() - _WINDOW):match.start()].lower()
    lead = _LAST_WORD.search(before)
    lead_word = lead.group(1) if lead else ""
    if unit_word in ("week", "month", "year", "day") \
            and lead_word not in ctx.rules.word_list("duration_leads"):
        return None
    if lead_word and (lead_word[0].isdigit() or lead_word in ctx.rules.cardinals
                      or lead_word in ("per", "each", "every")):
        return None  # a rate ("£10 an hour"), read with the figure before it
    amount = _Amount(match.start(), match.end(), value * scale, kind="duration", unit=unit)
    return _finish_amount(amount, match, ctx, allow_units=False)




def _read_multiplier(match: regex.Match[str], ctx: Context) -> Mention | None:
    """'twice as many', 'thrice as large': a multiplier, the new figure in per cent of
    the old (the convention of 'doubled')."""
    value = 200.0 if match.group().lower().startswith("twice") else 300.0
    amount = _Amount(match.start(), match.end(), value, kind="percent", unit="percent")
    return _finish_amount(amount, match, ctx, allow_units=False)


def _read_once(match: regex.Match[str], ctx: Context) -> Mention | None:
    words = match.group().lower().split()
    value = {"once": 1.0, "twice": 2.0, "thrice": 3.0}[words[0]]
    per = ctx.rules.time_units.get(words[-1], (words[-1], 1.0))[0]
    quantity = Quantity(kind="count", value=value, low=value, high=value, unit=None, per=per)
    return Mention(match.start(), match.end(), quantity, "once", match.start(), match.end(),
                   frequency=True)


def _finish_amount(amount: _Amount, match: regex.Match[str], ctx: Context,
                   *, allow_units: bool = True) -> Mention | None:
    """Extend an amount over the words around it and freeze it into a Mention."""
    text, g = ctx.text, ctx.grammar
    # (none of the tails can open after most figures of a list or table: "(1 (1", "< 1 <")
    if allow_units and g.tail_opening.opens_at(text, amount.end):
        _read_scale(amount, text, g, ctx.rules)
        if not _read_range(amount, text, g, ctx):
            _read_something(amount, text, g)
        _read_unit(amount, text, g, ctx.rules)
        if amount.kind == "percent" and amount.qualifier == "exact":
            _read_percent_range(amount, text, g, ctx)
        _read_multiplier_tail(amount, text, g)
        _read_times(amount, text, g)
        _read_ratio(amount, text, g, ctx)
    headed = amount.kind == "duration" and (_read_span_head(amount, text, g, ctx.floor)
                                            or _read_every(amount, text, g, ctx.floor))
    quiet = _quiet(amount, text, g)
    if not quiet:
        # "over the next 4 years": a word before a period head is a preposition, not a hedge
        _read_hedges(amount, text, g, ctx.rules, amount.start if headed else ctx.floor)
        quiet = _quiet(amount, text, g)  # (past its hedge: "< 1", "< 1")
    if not quiet:
        _read_change(amount, text, g, ctx.floor)
        _read_rate(amount, text, g, ctx.rules)
    if amount.kind == "count" and amount.unit is None and amount.denominator is None and (
            (amount.value is not None and not amount.value.is_integer())
            or (not quiet and g.measure_head.search(text, max(0, amount.start - 30),
                                                    amount.start))):
        amount.kind = "quantity"  # "a risk score of 6.8", "a reliability score of 95"
    if not quiet and amount.kind == "count" and amount.unit is None \
            and amount.denominator is None and (
                g.aged.search(text, max(0, amount.start - 24), amount.start)
                or _is_age_bound(amount, text, g)):
        amount.kind, amount.unit = "duration", "year"  # "aged between 18 and 34": an age
    quantity = _freeze(amount)
    return Mention(amount.start, amount.end, quantity, match.lastgroup or "", match.start(),
                   match.end(), frequency=amount.frequency)


def _quiet(amount: _Amount, text: str, g: Grammar) -> bool:
    """Whether no hedge, change, rate, measure or age can be read around an amount: no
    word before it ends as the heads of those end (Grammar.head_ends) and what follows it
    opens none of the hedges, changes and rates after it (Grammar.tail_opens, or a letter).
    Each reading tests this on its own; one look for all spares a figure in a list of
    figures ("(1 (1 (1") a dozen calls."""
    if g.head_ends is None or text[max(0, amount.start - _HEAD_REACH):amount.start].rstrip(
            CLOSING_SPACE)[-1:] in g.head_ends:
        return False
    ahead = text[amount.end:amount.end + _AHEAD].lstrip(CLOSING_SPACE)
    if not ahead:  # (only white space ahead, to the end of the text or past the look)
        return amount.end + _AHEAD >= len(text)
    first = ahead[0]
    return first.isascii() and not first.isalpha() and first not in g.tail_opens


_HEAD_REACH = 100  # characters: the widest window of those heads (change_coordinated)
_AHEAD = 24  # characters looked at for what follows


def _is_age_bound(amount: _Amount, text: str, g: Grammar) -> bool:
    """'those over 65', 'people under 25', 'those arrested were under 18': a bound on an
    age, not a count."""
    value = amount.value
    return (amount.qualifier in ("more_than", "less_than", "at_least", "at_most")
            and value is not None and value.is_integer() and 1 <= value <= 120
            and (g.age_head.search(text, max(0, amount.start - 24), amount.start) is not None
                 or g.age_copula.search(text, max(0, amount.start - 48), amount.start)
                 is not None))


def _read_scale(amount: _Amount, text: str, g: Grammar, r: RuleSet) -> None:
    if amount.value is None:
        return
    found = g.scale_tail.match(text, amount.end)
    if found is None:
        return
    if found["scale"]:
        factor = r.scales[" ".join(found["scale"].lower().split())]
    else:
        # "£23m", "30k": an abbreviation scales money, or a bare count written short
        # ("2m visitors", but not "a 2m fence": metres, unless a plural noun follows)
        factor = r.abbreviations[found["abbr"].lower()]
        if amount.currency is None and found["abbr"].lower() != "k" \
                and not _PLURAL_NOUN_NEXT.match(text, found.end(), _tail_end(text, found.end())):
            return
    amount.value = round_sig(amount.value * factor)
    amount.scale = factor
    amount.end = found.end()


# a plural noun next, perhaps after one modifier: "2m visitors", "1.5bn new users"
_PLURAL_NOUN_NEXT = regex.compile(r"[ \t]++(?:[a-z]++[ \t]++)?[a-z]*[a-rt-z]s\b")


def _read_range(amount: _Amount, text: str, g: Grammar, ctx: Context) -> bool:
    if amount.value is None:
        return False
    found = g.range_tail.match(text, amount.end)
    if found is None:
        return False
    sep = found["sep"].strip().lower()
    is_range, head = _range_head(amount, text, g, sep)
    if not is_range:
        return False
    if sep == "to" and found["second"][0].isdigit() is not amount_is_digits(text, amount, g):
        return False
    second = _number_value(found["second"], ctx)
    if second is None:
        return False
    end = found.end()
    scale_found = g.scale_tail.match(text, end)
    if scale_found is not None and amount.scale == 1.0:
        factor = (ctx.rules.scales.get(" ".join((scale_found["scale"] or "").lower().split()))
                  or ctx.rules.abbreviations.get((scale_found["abbr"] or "").lower()))
        if factor and (scale_found["scale"] or amount.currency or found["cur2"]):
            amount.value = round_sig(amount.value * factor)
            second = round_sig(second * factor)
            amount.scale = factor
            end = scale_found.end()
    elif amount.scale != 1.0:
        second = round_sig(second * amount.scale)
        if scale_found is not None:  # "£2bn-£3bn": the second scale written out again
            end = scale_found.end()
    if second <= amount.value:
        return False
    if head is not None:
        amount.start = head.start()
    amount.low, amount.high = amount.value, second
    amount.value = None
    amount.qualifier = "range"
    amount.end = end
    return True


def _range_head(amount: _Amount, text: str, g: Grammar,
                sep: str) -> tuple[bool, regex.Match[str] | None]:
    """Whether the wording makes a range, and the 'between'/'from' before it if any.
    No range: 'and' without 'between', 'rose by 1,204 to 7,880' (a change and the new
    level)."""
    before = max(0, amount.start - 12)
    head = g.range_head.search(text, before, amount.start)
    if sep == "and" and (head is None or head["head"].lower() != "between"):
        return False, None
    if sep == "to" and _CHANGE_BY.search(text, before, amount.start):
        return False, None
    return True, head


_CHANGE_BY = regex.compile(r"\bby[ \t]++$", regex.I)


def amount_is_digits(text: str, amount: _Amount, g: Grammar) -> bool:
    return text[amount.start:amount.end].lstrip(g.signs + " ")[:1].isdigit()


def _read_something(amount: _Amount, text: str, g: Grammar) -> None:
    """'600 and something', '40-odd': the decade or hundred above a round figure."""
    if amount.value is None or amount.value <= 0:
        return
    found = g.something_tail.match(text, amount.end)
    if found is None:
        return
    step = 1.0
    value = amount.value
    while value % (step * 10) == 0:
        step *= 10
    amount.low, amount.high = value + 1, value + step - 1
    amount.value = None
    amount.qualifier = "approx"
    amount.end = found.end()


_PERCENT_BEFORE = regex.compile(r"%|\bper\s?+cent\b|\bpercent(?:age)?+\b[^.!?\n]*+$", regex.I)


def _read_unit(amount: _Amount, text: str, g: Grammar, r: RuleSet) -> None:
    found = g.unit_tail.match(text, amount.end)
    if found is None:
        return
    if found["bare_points"] and (amount.currency or not _PERCENT_BEFORE.search(
            text, max(0, amount.start - 150), amount.start)
            or (amount.value is not None and abs(amount.value) > 100)):
        # "4 points" is a difference of percentages only beside percentages ("fell 1.2%,
        # or 512 points" counts points of an index)
        return
    if found["bps"]:
        if amount.currency:
            return
        # "25 basis points": a hundredth of a percentage point each
        amount.kind, amount.unit = "percent", "percentage point"
        _scale_amount(amount, 0.01)
        amount.end = found.end()
        return
    if found["percent"] or found["ppoints"] or found["bare_points"]:
        if amount.currency:
            return
        # "3.7 percentage points", "3.7% points": a difference of two percentages
        points = found["ppoints"] or found["bare_points"] or found["points"]
        amount.kind, amount.unit = "percent", "percentage point" if points else "percent"
    elif found["symbol_after"]:
        if amount.currency:
            return
        code = r.currency_symbols[found["symbol_after"].lower()]
        amount.kind, amount.unit, amount.currency = "money", code, code
    elif found["time"]:
        if amount.currency:
            return
        unit, scale = r.time_units[found["time"].lower()]
        amount.kind, amount.unit = "duration", unit
        if scale != 1.0:
            _scale_amount(amount, scale)
    elif found["measure"]:
        if amount.currency:
            return
        amount.kind = "quantity"
        amount.unit = r.measure_units[" ".join(found["measure"].lower().split())]
    elif found["minor"]:
        if amount.currency or (found["minor"].lower() == "p" and found["minor_space"]):
            return
        code, factor = r.currency_minor[found["minor"].lower()]
        amount.kind, amount.unit, amount.currency = "money", code, code
        _scale_amount(amount, factor)
    elif found["curword"]:
        code = r.currency_words[" ".join(found["curword"].lower().split())]
        amount.kind, amount.unit, amount.currency = "money", code, code
    elif found["code"]:
        if amount.currency:
            return
        code = found["code"].upper()
        amount.kind, amount.unit, amount.currency = "money", code, code
    amount.end = found.end()


def _read_percent_range(amount: _Amount, text: str, g: Grammar, ctx: Context) -> None:
    """'between 5% and 10%', '3pc to 5pc', '5%-10%': both ends carry the percent sign."""
    found = g.range_tail.match(text, amount.end)
    if found is None or amount.value is None or found["cur2"]:
        return
    unit = g.unit_tail.match(text, found.end())
    if unit is None or not unit["percent"]:
        return
    is_range, head = _range_head(amount, text, g, found["sep"].strip().lower())
    if not is_range:
        return
    second = _number_value(found["second"], ctx)
    if second is None or second <= amount.value:
        return
    if head is not None:
        amount.start = head.start()
    amount.low, amount.high, amount.value = amount.value, second, None
    amount.qualifier = "range"
    amount.end = unit.end()


def _read_times(amount: _Amount, text: str, g: Grammar) -> None:
    """'rang 23 times': how often something happened; the count takes 'times' in."""
    if amount.kind != "count" or amount.unit is not None or amount.currency is not None:
        return
    found = _tail_with(g.times_tail, text, amount.end, "times")
    if found is not None:
        amount.end = found.end()
        amount.frequency = True


def _read_multiplier_tail(amount: _Amount, text: str, g: Grammar) -> None:
    """'three times as many', 'two to three times higher': a multiplier, in per cent."""
    if amount.kind != "count" or amount.unit is not None or amount.currency is not None:
        return
    end = amount.end
    if text[end:end + 1] in ("x", "×") and not text[end + 1:end + 2].isalnum():
        # "leverage of 1.4x", "a 3x rise" (not "4x4"): times, as "three times higher"
        amount.kind, amount.unit = "percent", "percent"
        _scale_amount(amount, 100)
        amount.end = end + 1
        return
    found = _tail_with(g.multiplier_tail, text, amount.end, "times")
    if found is None:
        return
    amount.kind, amount.unit = "percent", "percent"
    _scale_amount(amount, 100)
    amount.end = found.end()


def _read_change(amount: _Amount, text: str, g: Grammar, floor: int) -> None:
    """'down 0.3 points', 'rose by 41,000', 'a 22% increase': a change, not a level."""
    if amount.change or amount.kind in ("date", "duration"):
        return
    if amount.qualifier == "range" and text[amount.start:amount.start + 4].lower() in (
            "from", "betw"):
        return  # "rose from 3% to 36%": the two levels, not the change between them
    lo = max(floor, amount.start - 40)
    before = g.change_before.search(text, lo, amount.start) is not None \
        and g.not_change_before.search(text, lo, amount.start) is None
    named = g.change_subject.search(text, max(floor, amount.start - 90), amount.start) or (
        # "rose 0.4% in the month and 3.1% over the year", "up £74 on the year and £9 on the
        # month" (not "and 40% of firms cut staff", "and 3,000 jobs went")
        (not _share_of(text, amount.end) if amount.kind == "percent"
         else leaves_noun_unsaid(text, amount.end))
        # (read past the floor: the first share is the figure before; the window is bounded)
        and g.change_coordinated.search(text, max(0, amount.start - 100), amount.start))
    if before or named or g.change_after.match(text, amount.end, _tail_end(text, amount.end)):
        amount.change = True


def leaves_noun_unsaid(text: str, pos: int) -> bool:
    """Whether a figure ending at text[pos] is followed by no noun of its own: a time ("on
    the year", "over the month"), a rate ("a month") or the clause's end, as a figure
    coordinated with the one before it is ("up £74 on the year and £9 on the month")."""
    return _NOUNLESS_TAIL.match(text, pos) is not None


_NOUNLESS_TAIL = regex.compile(
    r"[ \t]*+(?:[.,;:)]|$|(?:on|in|over|from|since|against|compared|a|an|per)\b)")


def _share_of(text: str, pos: int) -> bool:
    """Whether 'of' follows text[pos] after white space ("40% of firms"). Matched within
    the space and the word: the regex module looks for a pattern's literal ('of') through
    the rest of the text first, which made a text of percentages without 'of' quadratic."""
    space = _SPACES.match(text, pos)
    return space is not None and \
        _OF.match(text, space.end(), min(len(text), space.end() + 3)) is not None


_SPACES = regex.compile(r"\s++")
_OF = regex.compile(r"of\b", regex.I)


def _read_every(amount: _Amount, text: str, g: Grammar, floor: int) -> bool:
    """'every two weeks': how often, the period between two events."""
    found = g.every_before.search(text, max(floor, amount.start - 16), amount.start)
    if found is None:
        return False
    amount.start = found.start()
    amount.frequency = True
    return True


def _read_span_head(amount: _Amount, text: str, g: Grammar, floor: int) -> bool:
    """'the last twelve months', 'the next four years': the period word belongs to the span."""
    found = g.span_head.search(text, max(floor, amount.start - 16), amount.start)
    if found is None:
        return False
    amount.start = found.start("head")
    return True


def _scale_amount(amount: _Amount, factor: float) -> None:
    for name in ("value", "low", "high"):
        current = getattr(amount, name)
        if current is not None:
            setattr(amount, name, round_sig(current * factor))


def _read_ratio(amount: _Amount, text: str, g: Grammar, ctx: Context) -> None:
    if amount.value is None or amount.kind not in ("count",):
        return
    found = g.ratio_tail.match(text, amount.end)
    if found is None:
        _read_rate_ratio(amount, text, g, ctx)
        return
    if found["link"].lower() == "in" and _YEARS.fullmatch(found["den"]):
        return  # "cut to eight in 2017": a year, not a denominator
    denominator = _number_value(found["den"], ctx)
    if denominator is None or denominator < amount.value or denominator == 0:
        return
    amount.kind = "ratio"
    amount.denominator = denominator
    amount.end = found.end()
    time_unit = g.unit_tail.match(text, amount.end)
    if time_unit is not None and time_unit["time"] and not time_unit["old"]:
        amount.unit = ctx.rules.time_units[time_unit["time"].lower()][0]  # "17 out of 24 months"


def _read_rate_ratio(amount: _Amount, text: str, g: Grammar, ctx: Context) -> None:
    """'3.1 assaults per 1,000 prisoners': a rate per a round population, in which the
    counted noun stands between the figure and its denominator."""
    found = _tail_with(g.rate_ratio_tail, text, amount.end, "per")
    if found is None or amount.value is None:
        return
    denominator = _number_value(found["den"], ctx)
    if denominator is None or denominator < 10 or math.log10(denominator) % 1:
        return
    amount.kind = "ratio"
    amount.denominator = denominator
    amount.unit = singular(found["noun"].split()[-1], ctx.rules)
    amount.end = found.end()


def _read_hedges(amount: _Amount, text: str, g: Grammar, r: RuleSet, floor: int) -> None:
    window_start = max(floor, amount.start - _WINDOW)
    before = g.hedge_before.search(text, window_start, amount.start)
    if before is not None and before["hedge"].lower() == "over" and (
            _FIGURE_BEFORE.search(text, max(0, before.start("hedge") - 30), before.start("hedge"))
            or (amount.kind == "duration" and _period_of_a_figure(text, before.start("hedge"), r))):
        before = None  # "£31m over 25 years": over is the period, not a bound
    if before is not None and _names_a_threshold(text, before.start("hedge"), before["hedge"], r):
        before = None  # "below the minimum of £12m": the threshold's value, not a bound
    if before is not None:
        qualifier = r.hedges_before[" ".join(before["hedge"].lower().split())]
        _apply_qualifier(amount, qualifier)
        amount.start = before.start("hedge")
    after = g.hedge_after.match(text, amount.end)
    if after is not None and (amount.qualifier == "exact" or after["hedge"].lower() in ("max",)):
        hedge = " ".join(after["hedge"].lower().split())
        if amount.qualifier == "exact":
            _apply_qualifier(amount, r.hedges_after[hedge])
        amount.end = after.end()


def _names_a_threshold(text: str, at: int, hedge: str, r: RuleSet) -> bool:
    """ "the minimum of £12m", "its maximum of 40": a determiner makes "minimum" a noun
    whose value the figure gives ("a minimum of 12" is a bound)."""
    if not hedge.lower().startswith(("minimum", "maximum")):
        return False
    word = _PREV_WORD.search(text, max(0, at - 20), at)
    if word is None:
        return False
    lead = word["word"].lower()
    return lead != "a" and (lead in r.word_list("anonymous_determiners")
                            or lead in r.word_list("possessive_determiners"))


def _period_of_a_figure(text: str, over: int, r: RuleSet) -> bool:
    """ "$300 million would go to enforcement over five years": a figure earlier in the
    clause, so "over" gives the period it spans; not after a verb of waiting or lasting
    ("40 patients waited over two years", "for over a year"), where it bounds the time."""
    clause = _CLAUSE_TAIL.search(text, max(0, over - _CLAUSE_BACK), over)
    if clause is None or not _FIGURE_IN.search(clause.group()):
        return False
    words = clause.group().split()
    return bool(words) and words[-1].lower() not in r.word_list("duration_leads")


_CLAUSE_BACK = 80  # characters: how far back the figure a period belongs to is sought
_CLAUSE_TAIL = regex.compile(r"[^,;:.!?()\n]*+$")
_FIGURE_IN = regex.compile(r"(?<!\d)(?!(?:1[89]|20)\d\d(?!\d))\d|[£$€¥%]")  # not a year


_FIGURE_BEFORE = regex.compile(
    r"(?:\d(?:k|m|bn|p)?+|%|\b(?:million|billion|thousand|cent|percent|points?))[ \t]++$", regex.I)


def _apply_qualifier(amount: _Amount, qualifier: Hedge) -> None:
    if amount.qualifier == "range":
        return
    if amount.value is None:  # a vague magnitude stays approx
        return
    amount.qualifier = qualifier
    if qualifier == "approx":
        amount.low = amount.high = None
    elif qualifier in ("more_than", "at_least"):
        amount.low, amount.high = amount.value, None
    else:
        amount.low, amount.high = None, amount.value


_NOUNISH = regex.compile(r"\s*+(?:[^\W\d_][\w'’&-]*+\s++){0,4}?", regex.I)


_RATE_AHEAD = 120  # characters: seven words and a rate phrase


def _read_rate(amount: _Amount, text: str, g: Grammar, r: RuleSet) -> None:
    """'250,000 offenders a year': a rate phrase after the figure or its counted noun."""
    pos = amount.end
    ahead = text[pos:pos + _TAIL]  # (the words ahead, lower-cased once for both looks)
    lowered = ahead.lower()
    if "times" in lowered or (not ahead.isascii() and any(ch in ahead for ch in FOLDED_LETTERS)):
        times = g.times_tail.match(text, pos, _tail_end(text, pos))  # (as _tail_with)
        if times is not None:
            pos = times.end()
            ahead = text[pos:pos + _TAIL]
            lowered = ahead.lower()
    if not ahead.isascii():  # (lower-casing may change the length beyond ASCII)
        lowered = text[pos:pos + _RATE_AHEAD].lower()
    if not _holds_rate_key(g, lowered):
        return  # most figures have no rate: one look at the words ahead settles it
    for skip in _skip_positions(text, pos, g.rate_stops):
        found = g.rate_tail.match(text, skip)
        if found is not None and skip > pos and g.period_leads.search(
                text, max(0, skip - 12), skip):
            return
        if found is not None:
            amount.per = r.rates[" ".join(found["rate"].lower().split())]
            if skip == amount.end + 1 and amount.frequency:
                amount.end = found.end()  # "three times a week", a frequency like "once a month"
            return


def _holds_rate_key(g: Grammar, lowered: str) -> bool:
    """Whether the words ahead hold the last word of a rate standing whole: 'pa' is no
    rate in 'paid', nor 'hr' in 'three' (a rate phrase opens after a space or the figure,
    and ends before a character that is no letter). The trie of the keys is searched
    alone, its fastest form, and each find is looked at after."""
    found = g.rate_keys.search(lowered, 0, _RATE_AHEAD)
    while found is not None:
        start, end = found.span()
        key = found.group()
        if not (start and key[0].isalpha() and lowered[start - 1].isalpha()) and \
                not (key[-1].isalpha() and lowered[end:end + 1].isalpha()):
            return True
        # (on from the next character: another key may start inside this one, "/hour")
        found = g.rate_keys.search(lowered, start + 1, _RATE_AHEAD)
    return False


_SKIP_WORD = regex.compile(r"\s*+(?P<word>[^\W\d_][\w'’-]*+)", regex.I)
def _skip_positions(text: str, pos: int, stops: frozenset[str]) -> Iterator[int]:
    """Positions after 0..6 words following the figure, stopping at a clause break or a
    pronoun opening a relative clause (`stops`: 'the 2,400 staff you employ';
    'hundreds of thousands of visitors ride the boats every year')."""
    for _ in range(7):
        ws = pos
        while ws < len(text) and text[ws] in " \t":
            ws += 1
        yield ws
        word = _SKIP_WORD.match(text, pos)
        if word is None or word["word"].lower() in stops:
            return
        pos = word.end()


def _freeze(amount: _Amount) -> Quantity:
    value, low, high = amount.value, amount.low, amount.high
    if amount.qualifier == "exact":
        low = high = value
    if amount.kind == "ratio":
        low = high = None
    return Quantity(kind=amount.kind, value=value, low=low, high=high,
                    qualifier=amount.qualifier, unit=amount.unit, per=amount.per,
                    denominator=amount.denominator, change=amount.change)


_READERS = {
    "date_dmy": _read_date_dmy,
    "date_mdy": _read_date_dmy,
    "date_my": _read_date_my,
    "month_range": _read_month_range,
    "date_iso": _read_date_iso,
    "year_span": _read_year_span,
    "quarter": _read_quarter,
    "year_part": _read_year_part,
    "decade": _read_decade,
    "year_range": _read_year_range,
    "weekday": _read_weekday,
    "month_only": _read_month_only,
    "season": _read_season,
    "relative": _read_relative,
    "shift": _read_shift,
    "money": _read_money,
    "once": _read_once,
    "multiplier": _read_multiplier,
    "fraction": _read_fraction,
    "digit_fraction": _read_digit_fraction,
    "magnitude": _read_magnitude,
    "article_unit": _read_article_unit,
    "numeral": _read_amount,
    "words": _read_amount,
}
