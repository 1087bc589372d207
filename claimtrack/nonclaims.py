"""Why a recognised figure is not a claim: numbering, labels, names, idioms, metadata.

`reject_reason` returns a short reason (kept for debugging and the traps tests)
or None for a claim. Each rule is a small named function; their word lists
live in data/nonclaims.toml.
"""

from __future__ import annotations

import array
import bisect
import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs
import regex

from .patterns import FLAGS, REV, alt, grammar, may_hold, trie
from .recognize import Mention
from .rules import RuleSet
from .structure import THREAD_WORDS


@attrs.frozen
class _Patterns:
    """The patterns of the non-claim rules, compiled from a rule set's word lists."""

    lead_prepositions: frozenset[str]
    time_lead: regex.Pattern[str]
    following_of: regex.Pattern[str]
    ordinal_lead: regex.Pattern[str]
    fraction_lead: regex.Pattern[str]
    title_after: regex.Pattern[str]
    idiom: regex.Pattern[str]
    idiom_words: Mapping[str, tuple[str, ...]]  # a word of the idioms -> the idioms with it
    identifier: regex.Pattern[str]
    dialled: regex.Pattern[str]  # "call 101": a number dialled
    # the idioms of 'one' with the number as written, by the number ('one of the', '1 of the')
    one_phrases: Mapping[str, Phrases]


@attrs.frozen
class Phrases:
    """A set of phrases, and where one stands over a position of a text: each position a
    phrase covering it may start from is read once, for the longest phrase there, with
    the standard library's engine and the phrases as a trie (not a search of the text for
    each phrase)."""

    pattern: re.Pattern[str]  # at a position, reads nothing; group 1: the longest phrase
    longest: int

    @classmethod
    def of(cls, phrases: Iterable[str]) -> Phrases:
        items = set(phrases)
        return cls(re.compile(f"(?=({trie(items)}))"), max(map(len, items), default=0))

    def cover(self, text: str, pos: int) -> bool:
        """Whether one of the phrases stands in text over text[pos]."""
        for found in self.pattern.finditer(text, max(0, pos - self.longest + 1)):
            if found.start() > pos:
                return False
            if found.end(1) > pos:
                return True
        return False


def _idioms_by_word(idioms: frozenset[str]) -> dict[str, tuple[str, ...]]:
    by_word: dict[str, list[str]] = {}
    for idiom in sorted(idioms):
        for word in set(_IDIOM_WORD.findall(idiom)):
            by_word.setdefault(word, []).append(" ".join(idiom.split()))
    return {word: tuple(found) for word, found in by_word.items()}


def _build_patterns(r: RuleSet) -> _Patterns:
    w = r.word_list
    # Title-case words closing with a name suffix: ' Criminal Justice Act'.
    suffixes = "(?-i:" + alt(word.capitalize() for word in r.name_suffixes) + ")"
    return _Patterns(
        lead_prepositions=w("lead_prepositions"),
        time_lead=regex.compile(rf"(?<!\w){alt(w('time_leads'))}\W*+$", REV),
        following_of=regex.compile(rf"\s++{alt(w('following_of'))}\b", FLAGS),
        ordinal_lead=regex.compile(rf"\b{alt(w('ordinal_leads'))}[ \t]++$", REV),
        fraction_lead=regex.compile(rf"\b{alt(w('fraction_leads'))}\s++(?:an?\s++)?+$", REV),
        title_after=regex.compile(_TITLE_WORDS + suffixes + r"\b"),
        idiom=regex.compile(rf"(?<!\w){alt(r.idioms)}(?!\w)", FLAGS),
        idiom_words=_idioms_by_word(r.idioms),
        identifier=regex.compile(rf"(?<!\w){alt(r.identifiers)}\.?+[ \t]*+[:#][ \t]*+$",
                                 REV),
        dialled=regex.compile(rf"(?<!\w){alt(r.dial_words)}[ \t]++$", REV),
        one_phrases={word: Phrases.of(_one_phrases(r.one_idioms, word)) for word in ("one", "1")},
    )


@attrs.frozen
class Page:
    """What the rules need to know of the whole text, computed once per document."""

    text: str
    rules: RuleSet
    masks: tuple[tuple[int, int], ...]  # sorted, disjoint
    datelines: tuple[tuple[int, int], ...]  # sorted: each date line, with its label and time
    # where each line break is, so that a rule finds a figure's line by bisection rather
    # than by scanning a long line (one line of a whole document) for every figure
    newlines: Sequence[int] = attrs.field(eq=False)
    # the words before a figure (_prev_words), read once for the rules that ask
    words_before: dict[int, tuple[str, ...]] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def patterns(self) -> _Patterns:
        return self.rules.memo(_build_patterns)

    @newlines.default
    def _find_newlines(self) -> Sequence[int]:
        # 8 bytes a line break (a text of nothing but line breaks is a text too)
        return array.array("q", (m.start() for m in _NEWLINE.finditer(self.text)))

    def line_start(self, pos: int) -> int:
        """Where the line holding text[pos] starts (after the last line break before it)."""
        i = bisect.bisect_left(self.newlines, pos) - 1
        return self.newlines[i] + 1 if i >= 0 else 0

    def line_end(self, pos: int) -> int:
        """Where the line holding text[pos] ends (its line break, or the text's end)."""
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i] if i < len(self.newlines) else len(self.text)

    def blank(self, start: int, end: int) -> bool:
        """Whether text[start:end] is only white space (read up to its first other character)."""
        return _NON_SPACE.search(self.text, start, end) is None


_NEWLINE = regex.compile(r"\n")
_NON_SPACE = regex.compile(r"\S")

_LINE_ITEM = regex.compile(r"[ \t]*+(?:[.)]|:(?!\d))|[ \t]++(?-i:[A-Z])")
# "45 comments:", "(17 comments)", "Related: 9 replies" at a line's end
_COMMENTS = regex.compile(
    rf"[ \t]++{THREAD_WORDS}[ \t]*+(?::|\)|$|(?:to|on)[ \t])",
    regex.I | regex.M)
# the rest of a comment's time-stamp line: "8 March 2024 at 14:03"
_STAMP_TAIL = regex.compile(
    r"[ \t]*+,?+[ \t]*+(?:at|@|-|–)?+[ \t]*+(?:[01]?\d|2[0-3])[:.][0-5]\d"
    r"(?:[ \t]*+[ap]\.?m\.?)?+[ \t]*+$",
    regex.I | regex.M)
_TRAILING_PAREN = regex.compile(r"[ \t]*+\([^()\n]{0,40}\)[ \t]*+$", regex.M)
_ACRONYM_BEFORE = regex.compile(
    r"(?<!\w)(?:(?P<prev>[A-Za-z]++)[ \t]++)?(?P<acronym>[A-Z]{2,4})[ \t]++$")
_LARGEST = 1e18  # beyond any count, sum of money or duration a text reports
_WORDLIKE = regex.compile(r"[\w.'-]++")
_PREV_WORD = regex.compile(r"(?P<word>[^\W\d_][\w'-]*+)[ \t]*+$")
_NEXT_WORD = regex.compile(r"\s*+(?P<word>[^\W\d_][\w'-]*+)")
_IDIOM_WORD = regex.compile(r"[^\W\d_]++|\d++")
_TITLE_WORDS = r"(?:\s++(?:[A-Z][\w'-]*+|of|and|the|for|on)){0,6}?\s++"
_TIME_TAIL = regex.compile(r"\s*+(?:[ap]\.?m\b|hrs?\b|h\b|o['’]clock)", regex.I)
_OCLOCK = regex.compile(r"\s*+o['’]clock\b", regex.I)


def _prev_words(page: Page, pos: int, n: int) -> list[str]:
    """The last `n` words (letters, digits, . ' -) before `pos`, lower-cased, when only
    spaces separate them from it and from each other (n <= 4)."""
    words = page.words_before.get(pos)
    if words is None:
        words = page.words_before[pos] = _last_words(page.text, pos)
    return list(words[-n:])


def _closes_with(page: Page, pos: int, last_words: frozenset[str]) -> bool:
    """Whether the last word before `pos` (as _prev_words reads it) may be one of
    `last_words`: a look that spares most figures the reading of their words."""
    token = page.text[max(0, pos - 60):pos].rsplit(None, 1)[-1:]
    return bool(token) and token[0].lower() in last_words


def _label_ends(r: RuleSet) -> frozenset[str]:
    return frozenset(phrase.split()[-1] for phrase in r.labels if phrase.split())


def _vague_ends(r: RuleSet) -> frozenset[str]:
    return frozenset(phrase.split()[-1] for phrase in r.vague if phrase.split())


def _last_words(text: str, pos: int) -> tuple[str, ...]:
    """_prev_words of four words (the rules ask for one, two or four of them)."""
    chunk = text[max(0, pos - 60):pos]
    if not chunk or not chunk[-1].isspace():
        return ()
    words: list[str] = []
    for token in reversed(chunk.rsplit(None, 4)):  # (a fifth part is never read)
        if len(words) == 4 or not _wordlike(token):
            break
        words.append(token.lower())
    return tuple(words[::-1])


@functools.lru_cache(maxsize=4096)  # the same words recur on every page
def _wordlike(token: str) -> bool:
    return _WORDLIKE.fullmatch(token) is not None


def _closing(text: str, lo: int, hi: int) -> str:
    """text[lo:hi] as a pattern ending in "$" sees its end: without a last line break,
    before which "$" matches too. A cheap look at it tells whether a pattern searched
    there (a label before a figure) can match at all: most figures follow no label."""
    window = text[lo:hi]
    return window[:-1] if window.endswith("\n") else window


_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _next_word(page: Page, pos: int) -> str:
    found = _NEXT_WORD.match(page.text, pos)
    return found["word"].lower() if found else ""


def masked(m: Mention, page: Page) -> str | None:
    # The last mask starting before the mention ends is the only one that can overlap it.
    i = bisect.bisect_left(page.masks, (m.end,)) - 1
    if i >= 0 and page.masks[i][1] > m.start:
        return "inside a URL, e-mail address or phone number"
    return None


def merge_spans(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted, disjoint spans covering the same characters as `spans`."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def dateline(m: Mention, page: Page) -> str | None:
    """A page's or post's date line, with the time and label beside the date."""
    i = bisect.bisect_right(page.datelines, (m.core_start, math.inf)) - 1
    if i >= 0 and page.datelines[i][0] <= m.core_start and m.core_end <= page.datelines[i][1]:
        return "dateline"
    return None


def _bare(m: Mention) -> bool:
    q = m.quantity
    return (q.kind == "count" and q.unit is None and q.qualifier == "exact"
            and m.start == m.core_start)


def list_numbering(m: Mention, page: Page) -> str | None:
    if m.core not in ("numeral", "words") or not _bare(m) or m.end != m.core_end:
        return None
    if not page.blank(page.line_start(m.start), m.start):
        return None
    if _LINE_ITEM.match(page.text, m.end) is None:
        return None
    return "list or comment numbering"


def comment_count(m: Mention, page: Page) -> str | None:
    ahead = page.text[m.end:m.end + 40].lstrip(" \t")
    if ahead and ahead[0] not in _THREAD_OPENS:
        return None  # most figures: no "comments" after them, no pattern to run
    return "comment count" if _COMMENTS.match(page.text, m.end) else None


_THREAD_OPENS = frozenset("cCrRtT")  # what the THREAD_WORDS open with, in either case


def timestamp(m: Mention, page: Page) -> str | None:
    """A date on a line of its own with a time after it: a comment's time stamp."""
    if m.quantity.kind != "date" or _STAMP_TAIL.match(page.text, m.end) is None:
        return None
    return "comment time stamp" if page.blank(page.line_start(m.start), m.start) else None


def acronym_label(m: Mention, page: Page) -> str | None:
    """'HC 318', 'NHS 111': a bare number named by the capitals before it."""
    if not _bare(m) or m.core != "numeral":
        return None
    lo = max(0, m.start - 24)
    closing = _closing(page.text, lo, m.start)
    if not closing.endswith((" ", "\t")) or closing.rstrip(" \t")[-1:] not in _CAPITALS:
        return None  # no capital and a space before it: no acronym
    found = _ACRONYM_BEFORE.search(page.text, lo, m.start)
    if found is None or found["acronym"] in page.rules.currency_codes:
        return None
    if found["prev"] and found["prev"].lower() in page.patterns.lead_prepositions:
        return None  # "in the UK 300 people": the number opens a new phrase
    return "label or name"


def hyphenated_digits(m: Mention, page: Page) -> str | None:
    """'won 3-1', '24/7', 'A-1-2': digits joined by a hyphen or slash that make no range."""
    text = page.text
    if m.end + 1 < len(text) and text[m.end] in "-/" and text[m.end + 1].isdigit():
        return "score or code"
    return None


def label(m: Mention, page: Page) -> str | None:
    """'Section 6', 'Tier 3', 'Week 2': a bare number named by the word before it."""
    if m.core not in ("numeral", "words") or m.quantity.kind not in ("count", "quantity") \
            or m.start != m.core_start:
        return None
    if not _closes_with(page, m.start, page.rules.memo(_label_ends)):
        return None
    words = _prev_words(page, m.start, 4)
    for n in (4, 3, 2, 1):
        if len(words) >= n and " ".join(words[-n:]) in page.rules.labels:
            return "label or name"
    return None


def attached_name(m: Mention, page: Page) -> str | None:
    """Digits glued to letters or written as an abbreviated year ('G4S', '4x4', "'91")."""
    text = page.text
    if m.core != "numeral":
        return None
    if m.core_end < len(text) and m.end == m.core_end and text[m.core_end:m.core_end + 1].isalpha():
        return "digits inside a name"
    if m.core_start > 0 and text[m.core_start - 1] in "'’" and m.quantity.kind != "date":
        return "abbreviated year in a name"
    return None


def name_year(m: Mention, page: Page) -> str | None:
    """A year inside a title: 'Criminal Justice Act 1925', 'the 1948 Criminal Justice Act'."""
    if m.core != "numeral" or m.quantity.kind != "date":
        return None
    suffixes = page.rules.name_suffixes
    before = _PREV_WORD.search(page.text, max(0, m.core_start - 30), m.core_start)
    if before is not None and before["word"].lower() in suffixes and before["word"][0].isupper():
        return "year inside a name"
    if page.patterns.title_after.match(page.text, m.core_end):
        return "year inside a name"
    return None




def clock_time(m: Mention, page: Page) -> str | None:
    """'18.57' used as a comment reference or a time of day."""
    text = page.text[m.core_start:m.core_end]
    if m.core != "numeral" or m.quantity.unit is not None or "." not in text:
        return None
    hours, _, minutes = text.partition(".")
    if len(minutes) != 2 or not hours.isdigit() or int(hours) > 23 or int(minutes) > 59:
        return None
    if page.patterns.time_lead.search(page.text, max(0, m.start - 14), m.start) or \
            _TIME_TAIL.match(page.text, m.end, min(len(page.text), m.end + 20)):
        return "time of day"
    return None


def oclock(m: Mention, page: Page) -> str | None:
    end = min(len(page.text), m.end + 40)
    if page.text[m.end:end].lstrip()[:1] not in ("o", "O") or \
            not may_hold(page.text, m.end, end, "clock"):
        return None  # most figures: no "o'clock" after them, no pattern to run
    found = _OCLOCK.match(page.text, m.end, end)
    return "time of day" if found else None


def vague_lead(m: Mention, page: Page) -> str | None:
    """'a few dozen', 'several hundred': a number word made vague by the word before it."""
    if m.core not in ("words", "numeral") or m.start != m.core_start:
        return None
    if not _closes_with(page, m.start, page.rules.memo(_vague_ends)):
        return None
    words = _prev_words(page, m.start, 2)
    for n in (2, 1):
        if len(words) >= n and " ".join(words[-n:]) in page.rules.vague:
            return "vague quantity"
    return None


_LETTER = regex.compile(r"\p{L}")


@functools.lru_cache(maxsize=8)
def _one_phrases(idioms: tuple[str, ...], word: str) -> tuple[str, ...]:
    """The idioms of 'one' with the number as written ('one of the', '1 of the')."""
    return tuple(idiom.replace("{one}", word) for idiom in idioms)


def idiomatic_one(m: Mention, page: Page) -> str | None:
    """'one of the', 'no-one', 'at one time': 'one' as a pronoun or idiom."""
    if m.core_end - m.core_start > 3:
        return None
    core = page.text[m.core_start:m.core_end].lower()
    if core not in ("one", "a", "an", "1"):
        return None
    q = m.quantity
    if q.kind in ("duration", "ratio", "percent", "money", "date") or q.per:
        return None
    lo, hi = max(0, m.core_start - 30), m.core_end + 30
    if core == "1":
        # a digit among no words: no idiom, and no 'one' to count (in ASCII, a letter is
        # what has a case: two string calls, where a pattern reads each character)
        span = page.text[lo:hi]
        if span.upper() == span.lower() if span.isascii() else \
                _LETTER.search(page.text, lo, hi) is None:
            return None
    window = page.text[max(0, m.core_start - 30):m.core_end + 30].lower()
    offset = m.core_start - max(0, m.core_start - 30)
    word = "1" if core == "1" else "one"
    # every idiom has words around its number: none can be in a window of no letters
    idioms = page.patterns.one_phrases[word]
    if _LETTER.search(window) is not None and idioms.cover(window, offset):
        return "idiomatic one"
    if m.start != m.core_start or core == "1":
        return None  # hedged ("more than one"), or written as a digit
    prev = _prev_words(page, m.start, 1)
    if prev and prev[-1] in page.rules.one_counts:
        return None
    return "'one' without a counting context"


def ordinal_fraction(m: Mention, page: Page) -> str | None:
    """'the same quarter', 'the third time', 'the other half': an ordinal or a period."""
    if m.core != "fraction" or m.start != m.core_start or m.quantity.kind != "percent":
        return None
    core = page.text[m.core_start:m.core_end].lower()
    if " " in core or "-" in core or core.endswith(("halves", "halved", "halving")):
        return None
    if page.patterns.ordinal_lead.search(page.text, max(0, m.start - 16), m.start):
        return "ordinal or period, not a proportion"
    return None


def vague_fraction(m: Mention, page: Page) -> str | None:
    """'half completed', 'a third time': a fraction word that is no proportion."""
    if m.core != "fraction" or m.start != m.core_start or m.quantity.kind != "percent" \
            or m.quantity.unit == "percentage point":  # "rose half a percentage point"
        return None
    core = page.text[m.core_start:m.core_end].lower()
    if core.endswith(("halves", "halved", "halving")) or "-" in core or core.split()[0] not in (
            "a", "an", "half", "third", "quarter", "fifth", "tenth", "one"):
        return None
    if page.patterns.following_of.match(page.text, m.end):
        return None
    if page.patterns.fraction_lead.search(page.text, max(0, m.start - 30), m.start):
        return None
    return "fraction word without a proportion"


def rhetoric(m: Mention, page: Page) -> str | None:
    if m.quantity.kind != "percent":
        return None
    return "degree of certainty" if _next_word(page, m.end) in page.rules.rhetoric else None


def compound_word(m: Mention, page: Page) -> str | None:
    """'two-dimensionally', 'one-sided': a number word inside a compound."""
    if m.core != "words" or m.end != m.core_end:
        return None
    text = page.text
    if m.end < len(text) - 1 and text[m.end] == "-" and text[m.end + 1].isalpha():
        return "number word inside a compound"
    return None


_TITLE_CHARACTERS = 400  # more than any title of at most 8 words takes


def title_number(m: Mention, page: Page) -> str | None:
    """'Pick of the Week 7': a bare number closing a short title line (not a magnitude:
    'Waiting Lists Hit Record 7.6 Million' closes a headline with its figure)."""
    if not _bare(m) or m.end != m.core_end or not page.text[m.start:m.end].isdigit():
        return None
    text = page.text
    line_start = page.line_start(m.start)
    if m.start - line_start > _TITLE_CHARACTERS:  # more than 8 words, or no title
        return None
    line_end = page.line_end(m.end)
    if not page.blank(m.end, line_end) and \
            _TRAILING_PAREN.match(text, m.end, line_end) is None:  # "Roundup 2 (9 comments)"
        return None
    line = text[line_start:m.start]
    words = line.split()
    if not 1 <= len(words) <= 8 or any(ch in line for ch in ".!?,;:"):
        return None
    if sum(w[:1].isupper() for w in words) * 2 < len(words):
        return None
    return "number in a title"


def phone_number(m: Mention, page: Page) -> str | None:
    """'(202) 555-0143': digits of a North American telephone number."""
    text = page.text
    lo, hi = max(0, m.core_start - 6), m.core_end + 14
    if text.find("-", lo, hi) < 0 and text.find(".", lo, hi) < 0:
        return None  # its last group follows a hyphen or dot
    if m.core != "numeral" or m.quantity.kind not in ("count", "quantity"):
        return None
    if text[m.core_end:m.core_end + 1] not in (")", "-", ".") and \
            text[max(0, m.core_start - 1):m.core_start] not in ("(", "-", "."):
        return None  # and every group of such a number touches a bracket, hyphen or dot
    phone = grammar(page.rules).phone
    for found in phone.finditer(page.text, lo, hi):
        if found.start() <= m.core_start and m.core_end <= found.end():
            return "inside a telephone number"
    return None


def unit_label(m: Mention, page: Page) -> str | None:
    """'(thousands)', '(£ million)': a table's unit in brackets, not a figure."""
    if m.core not in ("magnitude", "words") or m.start != m.core_start:
        return None
    text = page.text
    if text[max(0, m.start - 1):m.start] == "(" and text[m.end:m.end + 1] == ")":
        return "unit label"
    return None


def idiom(m: Mention, page: Page) -> str | None:
    """'a two-horse race', 'second to none', 'not half bad': a number inside an idiom."""
    if m.core == "numeral":
        return None
    by_word = page.patterns.idiom_words
    idioms = [idiom for word in _IDIOM_WORD.findall(page.text[m.core_start:m.core_end].lower())
              for idiom in by_word.get(word, ())]
    if not idioms:
        return None  # no idiom holds the figure's words (most figures)
    lo, hi = max(0, m.core_start - 40), min(len(page.text), m.core_end + 40)
    window = " ".join(page.text[lo:hi].lower().split())
    if not any(idiom in window for idiom in idioms):
        return None  # no idiom holding the figure's words stands around it
    lo = max(0, m.core_start - 40)
    for found in page.patterns.idiom.finditer(page.text, lo, min(len(page.text), m.core_end + 40)):
        if found.start() <= m.core_start and m.core_end <= found.end():
            return "idiom"
    return None


def identifier(m: Mention, page: Page) -> str | None:
    """'News ID: 112895', 'Ref: 4471': a number after an identifier's label; 'call 101',
    'dial 999': a number to dial."""
    if m.core != "numeral" or m.start != m.core_start:
        return None
    lo = max(0, m.start - 30)
    if _closing(page.text, lo, m.start).rstrip(" \t")[-1:] not in (":", "#"):
        # no colon or hash before it: no label, but maybe a number to dial (a bare one,
        # not "call 40 witnesses")
        q = m.quantity
        if q.kind == "count" and q.unit is None and q.per is None and \
                m.core_end - m.core_start >= 3 and _NOTHING_COUNTED.match(page.text, m.end) \
                and page.patterns.dialled.search(page.text, lo, m.start):
            return "telephone number"
        return None
    if page.patterns.identifier.search(page.text, lo, m.start):
        return "identifier"
    return None


# what follows a number dialled, not a noun it counts ("call 101 or dial 999", "call 111
# for advice"; not "call 300 witnesses")
_NOTHING_COUNTED = regex.compile(r"[ \t]*+(?:[^\w \t]|$|(?:or|and|now|if|for|to|on|free|from)\b)")


def name_number(m: Mention, page: Page) -> str | None:
    """'the Big Four', 'Channel Four', 'Formula One': a capitalised number word after a
    capitalised word inside a sentence is part of a name."""
    if m.core != "words" or m.start != m.core_start or not page.text[m.start:m.start + 1].isupper():
        return None
    before = _PREV_WORD.search(page.text, max(0, m.start - 30), m.start)
    if before is None or not before["word"][0].isupper():
        return None
    ahead = page.text[max(0, before.start() - 3):before.start()].rstrip(" \t")
    if not ahead or ahead[-1] in ".!?:\n\"“":
        return None  # the capital word opens a sentence or a line ("In Four ...")
    return "number word inside a name"


def title_period(m: Mention, page: Page) -> str | None:
    """'Labour market overview, UK: June 2025': the reference period closing a release's
    title (its first line) is part of its name, not a claim about when something happened;
    "Deadline for bids: 5 June 2025" further down is a claim."""
    if m.quantity.kind != "date":
        return None
    text = page.text
    line_end = page.line_end(m.end)
    if line_end - m.end > 100:
        return None
    tail = text[m.end:line_end].strip(" \t)").split()
    if len(tail) > 5 or not all(w[:1].isupper() for w in tail):
        return None  # the period closes the title, or is set in its name ("2026 Results Call")
    line_start = page.line_start(m.start)
    if m.start - line_start > 120 or not _in_top_block(text, line_start):
        return None  # only the title at the top of the document (under a masthead, maybe)
    # "...: year to March 2025", "..., quarter ending June 2025": the period's own words
    head = _TITLE_TAIL.sub("", _PERIOD_WORDS.sub("", text[line_start:m.start].rstrip()))
    if not head or len(head) > 100 or head[-1] not in ":,–-|" or any(c in head for c in ".!?"):
        return None
    return "reference period in a title line"


_TITLE_TAIL = regex.compile(r"(?:\s++(?-i:[A-Z][\w-]*+)){1,3}$")  # "...: Second Quarter 2026"
_PERIOD_WORDS = regex.compile(
    r"\s*+(?i:(?:the\s++)?(?:(?:financial|calendar|academic)\s++)?(?:year|quarter|month|week|"
    r"period|\w++\s++months)\s++(?:to|ending|ended))$")


def _in_top_block(text: str, line_start: int) -> bool:
    """Whether a line is one of the first three lines of words of a document: a title, or a
    title under the publisher's name (a blank line between them or not)."""
    if line_start > 300:
        return False
    body = text[:line_start].lstrip()
    return sum(1 for line in body.splitlines() if line.strip()) <= 2 and (
        not body or body.endswith("\n"))


def too_large(m: Mention, page: Page) -> str | None:
    """A string of digits too long for a number ('9' * 400): no figure, and no JSON."""
    q = m.quantity
    for value in (q.value, q.low, q.high, q.denominator):
        # (NaN is in no interval, and nor is infinity)
        if value is not None and isinstance(value, (int, float)) \
                and not -_LARGEST <= value <= _LARGEST:
            return "too large to be a figure"
    return None


def unresolved(m: Mention, page: Page) -> str | None:
    return "relative date without a reference date" if m.needs_reference else None


RULES: tuple[Callable[[Mention, Page], str | None], ...] = (
    masked, dateline, timestamp, too_large, unresolved, clock_time, list_numbering,
    comment_count, attached_name, hyphenated_digits, label, acronym_label, name_year, oclock,
    vague_lead, idiomatic_one, ordinal_fraction, vague_fraction, rhetoric, compound_word,
    title_number, idiom, identifier, name_number, title_period, phone_number, unit_label,
)


Rule = Callable[[Mention, Page], str | None]

#: The readings (Mention.core) a rule looks at, for the rules that look at some only: a
#: figure read otherwise is not put to them (each keeps its own test, so a rule called alone
#: answers the same). A rule not named here is put to every figure.
READINGS: Mapping[Rule, frozenset[str]] = {
    clock_time: frozenset({"numeral"}),
    list_numbering: frozenset({"numeral", "words"}),
    attached_name: frozenset({"numeral"}),
    label: frozenset({"numeral", "words"}),
    acronym_label: frozenset({"numeral"}),
    name_year: frozenset({"numeral"}),
    vague_lead: frozenset({"numeral", "words"}),
    ordinal_fraction: frozenset({"fraction"}),
    vague_fraction: frozenset({"fraction"}),
    compound_word: frozenset({"words"}),
    identifier: frozenset({"numeral"}),
    name_number: frozenset({"words"}),
    phone_number: frozenset({"numeral"}),
    unit_label: frozenset({"magnitude", "words"}),
}


@functools.cache
def rules_for(core: str) -> tuple[Rule, ...]:
    """The rules a figure of this reading is put to, in the order of RULES."""
    return tuple(rule for rule in RULES if core in READINGS.get(rule, (core,)))


#: What stands next to a figure, as the gates below see it: the character itself for these,
#: else "" at the text's edge, "space" for other white space, "letter" or "other".
_MARKS = frozenset(" \t\n:#().-/oO")
_SPACES = frozenset((" ", "\t", "\n", "space"))
_BLANK_OR_EDGE = _SPACES | {""}


def _neighbour(ch: str) -> str:
    if ch in _MARKS or not ch:
        return ch
    return "space" if ch.isspace() else "letter" if ch.isalpha() else "other"


#: For the rules that can name only some figures, what they need of a figure's kind, of
#: the characters just before and after its span (see _neighbour) and whether the span
#: starts at its core (no hedge or lead word before it): a figure that lacks it is not put
#: to the rule. As with READINGS, each rule keeps its own test.
Gate = Callable[[str, str, str, bool], bool]
GATES: Mapping[Rule, Gate] = {
    timestamp: lambda kind, before, after, at_core: kind == "date",
    too_large: lambda kind, before, after, at_core: kind != "date",  # (a date's are strings)
    unresolved: lambda kind, before, after, at_core: kind == "date",  # (only a date needs one)
    # at the start of a blank line, before a full stop, bracket, colon or a capital
    list_numbering: lambda kind, before, after, at_core: at_core and before in _BLANK_OR_EDGE
    and after in (" ", "\t", ".", ")", ":"),
    comment_count: lambda kind, before, after, at_core: after in (" ", "\t"),
    hyphenated_digits: lambda kind, before, after, at_core: after in ("-", "/"),
    # (_prev_words reads words only before a space)
    label: lambda kind, before, after, at_core: at_core and kind in ("count", "quantity")
    and before in _SPACES,
    acronym_label: lambda kind, before, after, at_core: at_core and before in (" ", "\t", "\n"),
    name_year: lambda kind, before, after, at_core: kind == "date",
    oclock: lambda kind, before, after, at_core: after in _SPACES or after in ("o", "O"),
    vague_lead: lambda kind, before, after, at_core: at_core and before in _SPACES,
    idiomatic_one: lambda kind, before, after, at_core: kind in ("count", "quantity"),
    ordinal_fraction: lambda kind, before, after, at_core: at_core and kind == "percent",
    vague_fraction: lambda kind, before, after, at_core: at_core and kind == "percent",
    rhetoric: lambda kind, before, after, at_core: kind == "percent",
    compound_word: lambda kind, before, after, at_core: after == "-",
    title_number: lambda kind, before, after, at_core: at_core and kind == "count"
    and after in _BLANK_OR_EDGE | {"("},
    identifier: lambda kind, before, after, at_core: at_core
    and before in (":", "#", " ", "\t", "\n"),
    title_period: lambda kind, before, after, at_core: kind == "date",
    phone_number: lambda kind, before, after, at_core: kind in ("count", "quantity"),
    unit_label: lambda kind, before, after, at_core: at_core and before == "(" and after == ")",
    name_number: lambda kind, before, after, at_core: at_core,
}


@functools.lru_cache(maxsize=4096)
def _gated(core: str, kind: str, before: str, after: str, at_core: bool, masks: bool,
           datelines: bool) -> tuple[Rule, ...]:
    """The rules a figure is put to: those for its reading whose gates it passes (the
    kinds and neighbours are few, so there are few such lists), without the rules of
    masks and date lines on a page with none."""
    return tuple(rule for rule in rules_for(core)
                 if GATES.get(rule, _OPEN)(kind, before, after, at_core)
                 and (masks or rule is not masked) and (datelines or rule is not dateline))


def _OPEN(kind: str, before: str, after: str, at_core: bool) -> bool:
    return True


def reject_reason(m: Mention, page: Page) -> str | None:
    text = page.text
    before = text[m.start - 1:m.start] if m.start else ""
    after = text[m.end:m.end + 1]
    rules = _gated(m.core, m.quantity.kind,
                   before if before in _MARKS else _neighbour(before),
                   after if after in _MARKS else _neighbour(after),
                   m.start == m.core_start, bool(page.masks), bool(page.datelines))
    for rule in rules:
        reason = rule(m, page)
        if reason is not None:
            return reason
    return None
