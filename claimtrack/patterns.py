"""The compiled grammar of figures, built once from the rule data.

The scan pattern finds the core of a figure; anchored tail and head patterns
are then matched at its edges. Every repetition is possessive or atomic so a
hostile input cannot make a pattern backtrack (see tests/test_properties.py).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator

import attrs
import regex

from .openings import Tree, may_open, parse
from .rules import RuleSet

FLAGS = regex.IGNORECASE | regex.VERSION0
#: For patterns that must end where a figure starts ("...$"), searched in a window before
#: it: read right to left, the engine tries the end of the window first, not every start.
REV = FLAGS | regex.REVERSE
#: The characters besides ASCII letters that a case-blind pattern reads as ASCII letters
#: ("ſaid" is "said" to it; tests/test_attribution.py checks all of Unicode): a test of
#: the words of a text that spares it a pattern must not miss them.
FOLDED_LETTERS = "\u0130\u017f\u212a"  # İ, ſ, the Kelvin sign


def may_hold(text: str, lo: int, hi: int, word: str) -> bool:
    """Whether a case-blind pattern that needs the lower-case ASCII `word` may match in
    text[lo:hi]: not when neither the word nor a letter folded to ASCII stands there."""
    span = text[lo:hi]
    return word in span.lower() or (not span.isascii()
                                     and any(ch in span for ch in FOLDED_LETTERS))


#: The characters str.isspace() counts as white space (a superset of what \s matches in the
#: regex module, which leaves out U+001C-U+001F), and the hyphen: what a head pattern may
#: read between its phrase and the figure (tests/test_structure.py checks the list).
CLOSING_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
                 "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000-")


def phrase_ends(*phrase_lists: Iterable[str]) -> frozenset[str] | None:
    """The characters a case-blind pattern's phrases can end with (in either case, and the
    letters folded to ASCII), or None when one ends with a letter or digit beyond ASCII,
    whose case variants are not worth the risk."""
    ends = set(FOLDED_LETTERS)
    for phrases in phrase_lists:
        for phrase in phrases:
            last = phrase.rstrip(CLOSING_SPACE)[-1:]
            if not last:
                continue
            if not last.isascii() and (last.isalnum() or last.lower() != last.upper()):
                return None
            ends |= {last.lower(), last.upper()}
    return frozenset(ends)


@attrs.frozen
class Head:
    """A pattern that must match a phrase ending where a figure starts, searched right to
    left in a window before it, with the characters its phrases end with. A window that,
    past its closing white space and hyphens, ends with none of them is not searched: the
    words before most figures settle that with one look, where the regex module tried each
    position of the window (a figure in a list, "(1 (1", is preceded by no word at all)."""

    pattern: regex.Pattern[str]
    ends: frozenset[str] | None  # None: every window is searched
    # the last words of the phrases in lower case, where no letter is beyond ASCII (else None)
    words: frozenset[str] | None = None

    def search(self, text: str, lo: int = 0, hi: int | None = None) -> regex.Match[str] | None:
        if hi is None:
            hi = len(text)
        if self.ends is None:
            return self._search(text, lo, hi)
        # the pattern ends in white space (a hyphen for parts: "mid-") and "$", which also
        # matches before a last line break: what is left must end with a phrase
        closing = text[lo:hi].rstrip(CLOSING_SPACE)
        last = closing[-1:]
        if last not in self.ends:
            return None
        if self.words is not None and last.isascii() and last.isalpha():
            # ASCII letters after a space (or the window's start) end a phrase only if they
            # are a phrase's last word: each is bounded on its left, by a space within a
            # phrase, by a pattern's \b or lookbehind before it
            word = closing[closing.rfind(" ") + 1:]
            if word.isascii() and word.isalpha() and word.lower() not in self.words:
                return None
        return self._search(text, lo, hi)

    def _search(self, text: str, lo: int, hi: int) -> regex.Match[str] | None:
        # The pattern ends in "$": read right to left, a match ends at the window's end, or
        # before a line break closing it. Without that break, the one match to try is the
        # one at the end (regex's match, in reverse), not every other position (its search
        # tries them all, for twice the time).
        if text[hi - 1:hi] == "\n":
            return self.pattern.search(text, lo, hi)
        return self.pattern.match(text, lo, hi)


@attrs.frozen
class Tail:
    """A pattern matched where a figure ends, which opens (past white space and hyphens)
    with one of `opens`, or a digit if `digits` (see _opening): a look at the first such
    character settles most figures, without the regex module's cost of a call. Only an
    ASCII character is settled so (beyond ASCII, case-blind matching has more forms than
    str.lower and str.upper give)."""

    pattern: regex.Pattern[str]
    opens: frozenset[str]
    digits: bool
    # the words its letters open with (the first run of ASCII letters of each of its
    # phrases, in lower case), each whole in the pattern (a space, a mark or \b follows it):
    # a run of letters ahead that is none of them opens no match. None: not looked at.
    words: frozenset[str] | None = None

    def match(self, text: str, pos: int, endpos: int | None = None) -> regex.Match[str] | None:
        ahead = text[pos:pos + _AHEAD].lstrip(CLOSING_SPACE)
        if ahead:
            first = ahead[0]
            if first.isascii():
                if first not in self.opens and not (self.digits and first.isdigit()):
                    return None
                if self.words is not None and first.isalpha():
                    # (letters folded to ASCII are read into the run, and then it is not
                    # settled; nor is a run cut short by the look's end)
                    run = _LETTER_RUN.match(ahead).group()  # type: ignore[union-attr]
                    if run.isascii() and run.lower() not in self.words and (
                            len(run) < len(ahead) or pos + _AHEAD >= len(text)):
                        return None
        elif pos + _AHEAD >= len(text):
            return None  # nothing but white space to the end of the text
        return self.pattern.match(text, pos, len(text) if endpos is None else endpos)


    def opens_at(self, text: str, pos: int) -> bool:
        """Whether the pattern matches at `pos`, for one that is its opening's lookahead
        alone (tail_opening): where the look finds an ASCII character it opens with past
        the regex module's white space and hyphens, that is a match, with no call."""
        raw = text[pos:pos + _AHEAD]
        ahead = raw.lstrip(CLOSING_SPACE)
        if ahead and ahead[0].isascii():
            first = ahead[0]
            if first not in self.opens and not (self.digits and first.isdigit()):
                return False
            skipped = raw[:len(raw) - len(ahead)]
            if not skipped or skipped == " " or _NOT_WHITE_SPACE.search(skipped) is None:
                return True
        return self.match(text, pos) is not None


_LETTER_RUN = re.compile("[A-Za-z" + FOLDED_LETTERS + "]+")


@attrs.frozen
class WordScan:
    """The readings of the scan pattern that can start with a letter, each a pattern of
    its own, matched at a word in the scan's order by those alone that may open with it
    (openings.may_open): the first that matches is what the scan, their alternation,
    matches there. The alternation tried every reading at every word, where most open
    with words of their own ('one' opens no date, no season, no sum of money). A word
    holding a letter folded to ASCII is matched with them all."""

    sources: tuple[str, ...]  # the readings, in the scan's order
    patterns: tuple[regex.Pattern[str], ...]
    trees: tuple[Tree | None, ...]
    every: tuple[int, ...]  # the indices of all the readings
    # by the word or two words a match opens with (lower case): the readings that may
    # open so (their indices, in order)
    by_word: dict[str, tuple[int, ...]] = attrs.field(factory=dict, eq=False)

    @classmethod
    def of(cls, pattern: str, flags: int) -> WordScan:
        sources = tuple(pattern.split(_ALTERNATIVE))
        return cls(sources, tuple(regex.compile(source, flags) for source in sources),
                   tuple(parse(source, verbose=bool(flags & regex.VERBOSE))
                         for source in sources), tuple(range(len(sources))))

    def match(self, text: str, pos: int, endpos: int) -> regex.Match[str] | None:
        run = _LETTER_RUN.match(text, pos, endpos)
        if run is None or not run.group().isascii():
            kept: tuple[int, ...] = self.every
        else:
            word = run.group().lower()
            found = self.by_word.get(word)
            kept = found if found is not None else self._kept(word, self.every)
            if len(kept) > 1 and text[run.end():run.end() + 1] == " ":
                # the next word too, where the first keeps more than one reading ('one of')
                after = _LETTER_RUN.match(text, run.end() + 1, endpos)
                if after is not None and after.group().isascii():
                    opening = f"{word} {after.group().lower()}"
                    found = self.by_word.get(opening)
                    kept = found if found is not None else self._kept(opening, kept)
        for i in kept:
            match = self.patterns[i].match(text, pos, endpos)
            if match is not None:
                return match
        return None

    def _kept(self, opening: str, among: tuple[int, ...]) -> tuple[int, ...]:
        """Those of the readings `among` that may open so. Past the openings kept, a second
        word is not read (a trigger word before ever new words in a long text)."""
        if len(self.by_word) >= _OPENINGS_KEPT and " " in opening:
            return among
        kept = tuple(i for i in among if may_open(self.trees[i], opening))
        if len(self.by_word) < _OPENINGS_KEPT:
            self.by_word[opening] = kept
        return kept


_ALTERNATIVE = "\n    | "  # what parts the scan pattern's alternatives
_OPENINGS_KEPT = 512  # (a new one is read in a millisecond or less)
# what str.isspace() takes for white space and the regex module's \s does not
_NOT_WHITE_SPACE = re.compile("[\x1c-\x1f]")


def _first_words(*phrase_lists: Iterable[str]) -> frozenset[str] | None:
    """The first runs of ASCII letters of the phrases that open (past spaces and hyphens)
    with an ASCII letter, in lower case; None if one opens with a letter folded to ASCII."""
    words = set()
    for phrases in phrase_lists:
        for phrase in phrases:
            opening = phrase.lstrip(CLOSING_SPACE)
            if opening[:1] in FOLDED_LETTERS and opening:
                return None
            run = _ASCII_RUN.match(opening)
            if run is not None:
                words.add(run.group().lower())
    return frozenset(words)


_ASCII_RUN = re.compile("[A-Za-z]+")


_AHEAD = 24  # characters looked at for a tail's opening (past those, the pattern is run)


def _tail(opening: tuple[Iterable[Iterable[str]], bool], pattern: str, flags: int,
          words: Iterable[str] | None = None) -> Tail:
    """A tail pattern behind the lookahead of _opening(*phrase_lists, digits=...); `words`
    the phrases whose first words are all those its letters open with, if any are."""
    phrase_lists, digits = opening
    return Tail(regex.compile(_opening(*phrase_lists, digits=digits) + pattern, flags),
                frozenset(_firsts(phrase_lists)), digits,
                None if words is None else _first_words(words))


def _head(pattern: str, *phrase_lists: Iterable[str]) -> Head:
    last_words = {phrase.split()[-1].lower() for phrases in phrase_lists for phrase in phrases
                  if phrase.split()}
    # (a letter beyond ASCII may match an ASCII one case-blind: "ſ" is "s"; "≤" is not)
    words = frozenset(last_words) if all(
        ch.isascii() or not (ch.isalnum() or ch.lower() != ch.upper())
        for w in last_words for ch in w) else None
    return Head(regex.compile(pattern, REV), phrase_ends(*phrase_lists), words)


def _phrase(text: str) -> str:
    """A phrase as a pattern: words joined by any run of spaces."""
    return r"\s++".join(regex.escape(word) for word in text.split())


def alt_by_edge(*phrase_lists: Iterable[str], last: bool = False) -> str:
    """alt(phrase_lists[0]), alt(phrase_lists[1]), ... in turn as one alternation, its
    phrases grouped by their first character (their last, for a pattern read right to
    left, as the heads are). It matches what the plain alternation does: at a character
    one group at most can match (a group's key is an ASCII letter, which no other key's
    character matches in either case, or a character with no case), and inside a group
    the order stays. The regex module tries a plain alternation's phrases
    one by one; a group is tried only where its character stands."""
    lists = [sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
             for phrases in phrase_lists]
    groups: dict[str, list[list[str]]] = {}
    for i, phrases in enumerate(lists):
        for phrase in phrases:
            edge = phrase[-1] if last else phrase[0]
            if edge.isspace() or (edge.isalpha() and not ("a" <= edge.lower() <= "z")):
                # (a letter beyond ASCII may fold into another)
                return "(?:" + "|".join(alt(p) for p in lists if p) + ")"
            rest = phrase[:-1] if last else phrase[1:]
            piece = _phrase(rest) if rest.strip() else ""
            if rest[:1].isspace() and not last:
                piece = r"\s++" + piece
            elif rest[-1:].isspace() and last:
                piece += r"\s++"
            groups.setdefault(edge, [[] for _ in lists])[i].append(piece)
    if any(edge != edge.swapcase() and edge.swapcase() in groups for edge in groups):
        # (two groups whose letters one case-blind pattern reads alike)
        return "(?:" + "|".join(alt(p) for p in lists if p) + ")"
    branches = []
    for edge, parts in groups.items():
        pieces = [piece for part in parts for piece in part]
        body = pieces[0] if len(pieces) == 1 else "(?:" + "|".join(pieces) + ")"
        key = regex.escape(edge)
        branches.append(f"{body}{key}" if last else f"{key}{body}")
    return "(?:" + "|".join(branches) + ")"


def alt(phrases: Iterable[str]) -> str:
    """The one way a word list becomes a pattern: an alternation of its phrases, each
    word escaped and the words joined by any run of spaces, longest first so that
    'more than' wins over 'more'."""
    items = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    return "(?:" + "|".join(_phrase(p) for p in items) + ")"


def _opening(*phrase_lists: Iterable[str], digits: bool = False) -> str:
    """A lookahead: past any spaces and hyphens, the text opens with a character that one
    of the phrases opens with (or a digit). A tail whose every alternative reads such
    spaces and then one of the phrases then fails at once after most figures of a list or
    a table ("(1 (1", "< 1 < 1"), where the regex module tried every phrase of every list."""
    letters = sorted(_firsts(phrase_lists))
    return (r"(?=[\s-]*+[" + "".join(regex.escape(c) for c in letters)
            + (r"\d" if digits else "") + "])")


def _firsts(phrase_lists: Iterable[Iterable[str]]) -> set[str]:
    """The characters the phrases open with past spaces and hyphens, in either case."""
    firsts = {phrase[_SEPARATORS.match(phrase).end():][:1]  # type: ignore[union-attr]
              for phrases in phrase_lists for phrase in phrases}
    return {form for first in firsts if first for form in (first.lower(), first.upper())}


_SEPARATORS = regex.compile(r"[\s-]*+")


def _capitalised(words: Iterable[str]) -> str:
    """Names of months and weekdays, matched capitalised only ('May', not 'may')."""
    forms = {w.capitalize() for w in words} | {w.upper() for w in words if len(w) > 3}
    return "(?-i:" + alt(forms) + ")"


@attrs.frozen
class Grammar:
    trigger: re.Pattern[str]  # digits, currency signs, fractions, "'90s" (trigger_positions)
    trigger_word: re.Pattern[str]  # the character before an anchor word, and the word
    trigger_word_at_start: re.Pattern[str]  # an anchor word at the start of a text
    trigger_words: frozenset[str]
    lead: Head
    scan: regex.Pattern[str]
    scan_digit: regex.Pattern[str]  # the alternatives of scan that can start with no letter
    scan_word: WordScan  # and those that can start with a letter
    scan_numeral: regex.Pattern[str]  # the numeral alone
    scan_money: regex.Pattern[str]  # the sum of money alone
    # where a reading of scan_digit other than a numeral may start at a digit
    beyond_numeral: re.Pattern[str]
    dateline: regex.Pattern[str]
    masks: tuple[regex.Pattern[str], ...]
    hedge_before: Head
    range_head: Head
    deadline_head: Head
    part_head: Head
    span_head: Head
    since_head: Head
    scale_tail: Tail
    unit_tail: Tail
    range_tail: Tail
    something_tail: Tail
    hedge_after: Tail
    ratio_tail: Tail
    times_tail: regex.Pattern[str]
    multiplier_tail: regex.Pattern[str]
    rate_tail: Tail
    measure_head: Head
    signs: str  # the characters that open a currency symbol
    compared_with: regex.Pattern[str]
    future: regex.Pattern[str]
    past: regex.Pattern[str]
    period_leads: Head
    phone: regex.Pattern[str]
    rate_stops: frozenset[str]
    rate_keys: re.Pattern[str]  # a word every rate phrase holds: no rate without one
    change_before: Head
    change_subject: Head
    change_coordinated: Head
    not_change_before: Head
    change_after: Tail
    every_before: Head
    plural_numeral: regex.Pattern[str]
    point_tail: regex.Pattern[str]
    fraction_money: regex.Pattern[str]
    age_head: Head
    age_copula: Head
    aged: Head
    rate_ratio_tail: regex.Pattern[str]
    tail_opening: Tail  # what any tail of a figure's units opens with
    # what the heads read before any amount (hedge, change, measure, age) may end with, and
    # the ASCII characters besides letters that a hedge, change or rate after it opens with
    # (see recognize._quiet)
    head_ends: frozenset[str] | None = None
    tail_opens: frozenset[str] = frozenset()


def grammar(rules: RuleSet) -> Grammar:
    """The grammar of a rule set, compiled on first use and kept on it."""
    return rules.memo(build_grammar)


def trigger_positions(g: Grammar, text: str, start: int = 0,
                      end: int | None = None) -> Iterator[int]:
    """Where in text[start:end] a figure can start or be anchored, left to right.

    Digits and signs (g.trigger) and words (g.trigger_word, which reads the character
    before a word, from start - 1) are found apart: neither kind of trigger can start
    inside the other's match, so the two together are what one alternation of both found.
    """
    stop = len(text) if end is None else end
    if start == 0 and g.trigger_word_at_start.match(text, 0, stop) is not None:
        yield 0  # (a word opening the text has no character before it to read)
    words = g.trigger_word.finditer(text, max(0, start - 1), stop)
    word = next(words, None)
    next_word = stop if word is None else word.start(1)
    for sign in g.trigger.finditer(text, start, stop):
        at = sign.start()
        while next_word < at:
            yield next_word
            word = next(words, None)
            next_word = stop if word is None else word.start(1)
        yield at
    while word is not None:
        yield word.start(1)
        word = next(words, None)


def _first_letters(words: Iterable[str]) -> str:
    """The characters the words open with, as the inside of a class."""
    return "".join(sorted({re.escape(word[:1]) for word in words}))


def trie(words: Iterable[str]) -> str:
    """An alternation of words as a trie ('Ma(?:rch|y)'): the standard library's engine
    then tries a handful of letters at each word, not every word."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + pattern(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


def scan_at(g: Grammar, text: str, pos: int) -> regex.Match[str] | None:
    """The scan pattern matched at `pos`, with only the alternatives that can start with
    the character there (a third of the time of trying them all)."""
    # an end position, as for the tails: without one the regex module may look for a
    # literal of the pattern through the rest of the text before matching here
    end = min(len(text), pos + _SCAN_SPAN)
    first = text[pos:pos + 1]
    if first.isalpha():
        return g.scan_word.match(text, pos, end)
    # most digits open nothing but a numeral ("(1 (1", "120 staff"): one look at what
    # follows them spares the other nine readings (a quarter of the time of all ten)
    if "0" <= first <= "9" and g.beyond_numeral.match(text, pos, end) is None:
        return g.scan_numeral.match(text, pos, end)
    if first and not first.isalnum() and first != "'":
        # a currency sign: of the readings of scan_digit only a sum of money opens with
        # neither a letter, a digit, a fraction nor an apostrophe ("'90s")
        return g.scan_money.match(text, pos, end)
    return g.scan_digit.match(text, pos, end)


_SCAN_SPAN = 240  # no figure, with its lead words, is longer


# Readings of the scan pattern that start with a letter, and those that start with a digit
# or sign: each is left out of the scan of the other kind of position.
_WORD_ONLY = frozenset(("date_my", "month_range", "date_mdy", "year_span", "weekday", "relative",
                        "multiplier", "year_part",
                        "once", "fraction", "magnitude", "article_unit", "season", "month_only",
                        "words"))
_DIGIT_ONLY = frozenset(("clock", "date_iso", "year_range", "digit_fraction", "numeral"))
#: The readings of scan_digit, each of which beyond_numeral() foresees at a digit.
_DIGIT_READINGS = frozenset(("clock", "date_dmy", "date_iso", "quarter", "decade", "year_range",
                             "shift", "money", "digit_fraction", "numeral"))


def _names(scan: str) -> set[str]:
    return {alternative.strip()[4:].split(">", 1)[0] for alternative in scan.split(_ALTERNATIVE)}


def _beyond_numeral(months: Iterable[str], openers: Iterable[str]) -> str:
    """A pattern (for the standard library's engine, twice as fast at this) that matches at
    an ASCII digit wherever a reading of scan_digit besides a numeral may start there: what
    each needs after its digits (a colon, ". 30" or "am" for a clock, a month for a date, a
    year's "s", a dash or slash, a unit of time for a shift), looser than the reading
    itself (its \\s is all of str.isspace, a superset of the regex module's). `months` are
    the month names as scanned; `openers` what a currency or number word opens with: a
    digit among them and this foresees everything."""
    if any(word[:1].isdigit() for word in openers):
        return ""  # (matches everywhere)
    # a month's first three letters as written (most capitalised words after a figure are
    # no month: "7 Are they", "21 Napo branches")
    openings = trie({month[:3] for month in months if month})
    return (r"\d+(?::|\.\s[0-5]\d|(?:\.\d\d)?\s?[ap]\.?m"  # clock
            rf"|(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?-i:{openings})"  # date_dmy
            r"|[-/])"  # date_iso, digit_fraction
            r"|\s+q|'?s|\s?[-–/]"  # quarter, decade, year_range
            r"|\s+(?:year|month|week|day|fortnight|decade)s?\s+"  # shift
            r"(?:earlier|later|previously|ago|before))")


def _alternatives(scan: str, *, exclude: frozenset[str]) -> str:
    """The scan pattern without the named alternatives (in the same order)."""
    kept = [alternative for alternative in scan.split(_ALTERNATIVE)
            if alternative.strip()[4:].split(">", 1)[0] not in exclude]
    return _ALTERNATIVE.join(kept)


def _rate_key(rate: str) -> str:
    """What any text holding a rate phrase holds: its last word ('a year' -> 'year'), or
    the phrase itself when that word is a letter ('/a')."""
    last = regex.split(r"[\s/-]+", rate)[-1]
    return last if len(last) > 1 else rate


def build_grammar(r: RuleSet) -> Grammar:
    # "Dec. 5", "Sept. 2014": the full stop of an abbreviated month, not a sentence's end
    month = (_capitalised({m.rstrip(".") for m in r.months})
             + r"(?:(?<=(?<![^\W\d_])[^\W\d_]{3,4})\.(?=[ \t]++(?-i:[\da-z])))?+")
    weekday = _capitalised(r.weekdays)
    day = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?+"
    year = r"(?:1[5-9]\d\d|20\d\d)"
    cards = [w for w in r.cardinals if w not in ("zero", "nil", "none")]
    card = r"\b" + alt(cards) + r"\b"
    scale = alt(w for w in r.scales if len(w) > 3 and w != "dozen")
    scale = f"(?:{scale}|dozen)"
    fraction = alt(r.fractions)
    big_scale = r"(?:hundred|thousand|million|billion|trillion)"
    magnitude = alt(r.magnitudes)
    # "234,229", "25 000" (thousands set off by spaces, as statistics offices write them)
    # ... and whole numbers with a fraction, as central banks and recipes write them:
    # "3-1/2 percent", "2 1/2 hours", "5¼ per cent"
    mixed = (r"[ \u00a0]?+[½⅓⅔¼¾⅛⅜⅝⅞]"
             r"|[ -](?:1/[2348]|2/3|3/[48]|[57]/8)(?![\w/]|[.,]\d)")
    numeral = (r"(?:\d{1,3}(?:,\d{3})++(?!\d)|\d{1,3}(?:[ \u00a0\u202f]\d{3})++(?!\d|,\d|[ \u00a0]\d)"
               rf"|\d++)(?:\.\d++|{mixed})?+")
    # a number word follows a scale ("hundred (and) twenty") or, a digit, a tens word
    # ("twenty-two"); "one in eleven two years ago" is two numbers
    tens = alt(w for w, v in r.cardinals.items() if v in (20, 30, 40, 50, 60, 70, 80, 90))
    units = alt(w for w, v in r.cardinals.items() if 1 <= v <= 9)
    word_number = (
        rf"(?:\b(?:an?|one)[\s-]++{scale}\b|{card}|\b{scale}\b)"
        rf"(?:[\s-]++\b{scale}\b|(?<=\b{scale})(?:[\s-]++|\s++and\s++){card}"
        rf"|(?<=\b{tens})[\s-]++\b{units}\b)*+"
        rf"(?:[\s-]++and[\s-]++a[\s-]++half\b(?:[\s-]++{big_scale}\b)?+)?+"
    )
    symbols = alt(r.currency_symbols)
    codes = alt(r.currency_codes)
    time_units = alt(r.time_units)
    relative = alt(r.relative)
    # "14 MAY 2026" on a capitalised heading: a short month in capitals only before a year
    # ("MAY" alone is a modal verb in a shouted sentence)
    short_caps = alt({m.rstrip(".").upper() for m in r.months if len(m.rstrip(".")) <= 3})
    day_month = rf"{day}(?:\s++of)?+\s++(?:{month}|(?-i:{short_caps})(?=,?+\s++{year}(?!\d)))"
    # Words after which a month name alone is a date ("in March", "since August").
    month_leads = alt(r.month_leads)
    weekday_lead = r"(?:(?:this|last|next)\s++)?+"
    w = r.word_list
    comparatives = alt(w("multiplier_comparatives"))
    signs = regex.escape(r.currency_signs)

    scan = rf"""
      (?P<clock>(?<![\d.,])(?:[01]?\d|2[0-3])(?::\s?[0-5]\d|\.\s[0-5]\d)(?:\s?[ap]\.?m\.?)?+(?![\d])
               |(?<![\d.,])(?:1[0-2]|0?[1-9])(?:[.:][0-5]\d)?+\s?[ap]\.?m\b\.?)
    | (?P<date_dmy>(?:{weekday_lead}{weekday},?+\s++(?:the\s++)?+)?+{day_month}(?:,?+\s++{year})?+(?!\w))
    | (?P<month_range>(?:\b(?:between|from)\s++)?+{month}(?:,?+\s++{year})?+\s*+(?:-|–|/|\bto\b|\band\b|\buntil\b|\bthrough\b)\s*+{month},?+\s++{year}(?=[1-9]?+(?!\d))
                      |\b(?:between|from)\s++{month}\s++(?:and|to|until|through)\s++{month}\b(?![ \t]*+,?+[ \t]*+{year}))
    | (?P<date_my>{month},?+\s++(?:of\s++)?+{year}(?=[1-9]?+(?!\d)))
    | (?P<date_mdy>(?:{weekday_lead}{weekday},?+\s++)?+{month}\s++{day}(?:,?+\s++{year})?+(?![\w]))
    | (?P<date_iso>(?<![\w/]){year}-[01]\d-[0-3]\d(?![\w/])|(?<![\w/.]){day}/[01]?\d/(?:{year}|\d\d)(?![\w/]))
    | (?P<quarter>(?-i:\bQ[1-4])\s++{year}\b|\b{year}\s++(?-i:Q[1-4])\b)
    | (?P<year_part>(?-i:\bH[12])\s++{year}\b
                    |\b(?:the\s++)?+(?:first|second|third|fourth|final|last)\s++(?:quarter|half)\s++of\s++{year}\b)
    | (?P<year_span>\b(?:between|from)\s++{year}\s++(?:and|to|until|till)\s++{year}\b)
    | (?P<decade>(?:\bthe\s++)?+(?:\b(?:1[5-9]|20)\d0|'\d0)'?s\b)
    | (?P<year_range>(?<![\w/.,-]){year}\s?[-–/]\s?(?:{year}|\d\d)(?![\w/]))
    | (?P<weekday>\b(?:on|last|next|this|by|until|since|from|for)\s++{weekday}(?:\s++(?:morning|afternoon|evening|night))?+\b
                  |{weekday}(?<=\b(?:{alt(r.speech_verbs)}|{alt(w("past_verbs"))}|(?-i:[a-z]{{2,}}ed))\s++[a-z]++)(?:\s++(?:morning|afternoon|evening|night))?+\b
                  |{weekday}(?=['’]s\b))
    | (?P<relative>\b{relative}(?:\s*+\(\s*+{day_month}(?:\s++{year})?+\s*+\))?+(?!\w))
    | (?P<shift>\b(?:{word_number}|\d++|an?)\s++(?P<shift_unit>years?|months?|weeks?|days?|fortnights?|decades?)\s++(?P<shift_dir>earlier|later|previously|ago|before(?=\s*+(?:[.,;:)]|$))))
    | (?P<money>(?P<cur>(?<![\w$]){symbols}|\b{codes})\s?+(?P<msign>[-−](?=\d))?+(?P<amount>{numeral}))
    | (?P<multiplier>\b(?:twice|thrice)(?=[ \t]++{comparatives}\b)(?:[ \t]++as[ \t]++[a-z]++)?+)
    | (?P<once>\b(?:once|twice|thrice)\s++(?:an?|per|every|each)\s++(?:day|week|fortnight|month|year)\b)
    | (?P<fraction>(?:\b(?:an?|one|{card})[\s-]++)?+\b{fraction}\b
                   (?P<fraction_of>(?:\s++of)?+\s++an?\s++(?:{big_scale}|dozen)\b)?+)
    | (?P<digit_fraction>(?<![\w/.,])[1-9]/(?:[2-9]|10)(?![\w/]|[.,]\d)|[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])
    | (?P<magnitude>\b(?:tens|{magnitude})(?:\s++(?:of\s++)?+{magnitude})?+\b)
    | (?P<article_unit>\b(?:half\s++an?|an?|(?:the\s++)?(?:last|past|previous|next|coming)(?=\s++(?:decade|century|fortnight)))\s++(?:hour|decade|fortnight|century|week|month|year|day)\b)
    | (?P<season>{alt(r.seasons)}\b(?<=\b{month_leads}\s++(?:the\s++)?+[a-z]++)
                 (?!\s*+(?:of\s++)?+{year}\b|['’]|[ \t]++(?-i:[A-Z])))
    | (?P<month_only>{month}(?<=(?:\b{month_leads}|\bbetween\s++{month}\s++and)\s++\S++)(?!\w|,?+\s*+{year}\b))
    | (?P<numeral>(?:(?<![\w@#/\\.,{signs}-])|(?<=\bc\.)|(?<=(?:^|[\s(\[:;=])[-−]))(?<!\w-){numeral}(?P<ordinal>st|nd|rd|th)?+)
    | (?P<words>{word_number})
    """
    # A line that holds nothing but a date: a post's dateline or a release's date line.
    # A label such as "Published" or "Updated:" may stand before the date.
    # A labelled one may give the time too ("Updated: 5 March 2024 at 10:00"); an unlabelled
    # date with a time is a comment's time stamp, not a dateline (nonclaims.timestamp).
    # A page's date line may give the year in two digits ("1 Mar 19") and, after a label,
    # a time and zone ("Last modified on Fri 1 Mar 2019 08.19 EST", "Publish Date : ... - 21:58").
    dateline = rf"""(?m)^[ \t]*+(?P<label>(?:first\s++|last\s++)?+{alt(w("dateline_labels"))}
                   (?:[ \t]++on)?+(?:[ \t]*+:)?+[ \t]++
                   (?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?:[ \t]*+[ap]\.?m\.?)?+,?+[ \t]++)?+)?+
                   (?P<date>(?:{weekday}\.?,?+\s++)?+(?:(?:the\s++)?{day_month},?+\s++(?:{year}|'?\d\d(?!\d))
                   |{month}\s++{day},?+\s++{year}))
                   (?(label)(?:(?:[ \t]++[-–|][ \t]++|,?+[ \t]++(?:at[ \t]++)?+)(?:[01]?\d|2[0-3])[:.][0-5]\d
                   (?:[ \t]*+[ap]\.?m\.?)?+(?:[ \t]++(?-i:[A-Z]{{2,5}}))?+)?+)
                   (?:[ \t]++by[ \t]++[^\n]{{1,60}})?+[ \t]*+$"""
    # URLs, e-mail addresses and phone numbers, kept as separate patterns: each alone
    # starts with a literal the regex engine can skip to, an alternation of them cannot
    # (so URLs are two: "http..." and "www...", five times faster than one).
    masks = (
        r"https?://[^\s<>\"']++",
        r"www\.[^\s<>\"']++",
        r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++",
        r"(?<![\w+])(?:\+\d{1,3}[\s-]?+)?+\(?0\d{2,4}\)?[\s-]?+\d{3,4}[\s-]?+\d{3,4}(?!\d)",
        r"(?<!\w)\+\d{1,3}[\s-]?+\d{2,4}[\s-]?+\d{3,4}[\s-]?+\d{3,4}(?!\d)",
        # "+44 (0)20 7946 0321", "+1 (202) 555-0143": a trunk prefix or area code in brackets
        r"(?<!\w)\+\d{1,3}[ \t]?+\(\d{1,4}\)[ \t]?+\d{1,4}(?:[ \t.-]?+\d{2,4}){1,3}(?!\d)",
        # "Transmission of this release is embargoed until 8:30 a.m. (ET) Friday, September
        # 5, 2025": when a release may be read, the page's metadata
        # ("embargo" first: a literal the engine skips to, twenty times quicker than a
        # case-blind alternation)
        r"(?<!\w)(?i:embargo)(?:(?i:ed)|(?<=(?i:under)[ \t]{1,3}+(?i:embargo)))"
        r"[ \t]++(?i:until|till|to)\b[^\n]{0,80}",
        # a wire story's dateline, "BRANDT HARBOUR, June 12 (Meridian Newswire) -": its date
        # is the copy's metadata, like a post's dateline
        r"(?m)^[ \t]*+[A-Z][A-Z'’.-]++(?:[ \t]++[A-Z][A-Z'’.-]++){0,3}"
        r"(?:,[ \t]*+[A-Z][\w.]*+(?:[ \t]++[A-Z][\w.]*+){0,2}){0,2},[ \t]*+[^()\n]{1,30}?"
        r"[ \t]*+\([^()\n]{1,40}\)[ \t]*+[—–-]",
    )
    # the phrases the tails after a figure's core open with (see _opening)
    scale_openers = (r.scales, r.abbreviations)
    unit_openers = (r.percent_words, ("percentage", "points", "basis", "bps", "bp"), r.time_units,
                    r.measure_units,
                    r.currency_minor, ("of",), r.currency_words, r.currency_codes,
                    r.currency_symbols)
    range_openers = (("–", "—", "to", "and", "or", "possibly", "maybe", "perhaps", ","),
                     r.currency_symbols, ("a", "one"), r.cardinals, r.scales)
    hedges_before = alt_by_edge(r.hedges_before, last=True)
    anchor_words = (
        set(r.cardinals) | set(r.scales) | set(r.fractions) | set(r.magnitudes)
        | {a for a in r.relative if " " not in a} | set(r.currency_codes) | w("anchor_words")
        | set(r.seasons)
    )
    # Cheap to scan for: where a figure can start or be anchored. The full grammar is
    # matched only there. The trigger finds digits (not inside a word: "G4S"), currency
    # signs and whole words that are anchor words in lower, capitalised or upper case, or
    # capitalised months and weekdays, written as one trie: a third faster than matching
    # every word and looking it up in a set, which was three times faster than one flat
    # alternation of all the words.
    trigger_words = frozenset(
        {form for w in anchor_words if " " not in w
         for form in (w.lower(), w.capitalize(), w.upper())}
        | {form for w in (*r.months, *r.weekdays)
           for form in (w.rstrip(".").capitalize(), w.rstrip(".").upper())
           if form.istitle() or len(form) > 3}
        | {"Q1", "Q2", "Q3", "Q4"})
    # The standard library's engine scans this plain pattern a quarter faster than regex;
    # it is linear (a word is entered once, at its start).
    # A currency sign triggers only before a digit: a page of "£" signs is no figure.
    # A digit is tested before the letter behind it, so most positions fail on their
    # first character (a fifth faster).
    words = trie(w for w in trigger_words if re.fullmatch(r"[A-Za-z]+\d?", w))
    # Each opens with a character of one class, which the engine skips to without trying
    # a match at every position (a lookbehind or an alternation of classes first costs
    # that try: the one pattern of both kinds took twice the time of the two).
    sign_class = re.escape(r.currency_signs)
    fractions = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
    trigger = (rf"[\d{sign_class}{fractions}'](?:(?<=\d)(?<![A-Za-z]\d)[\d,.:]*"
               rf"|(?<=[{sign_class}])(?=[ \u00a0]?[-−]?\d)|(?<=[{fractions}])|(?<=')\d0s\b)")
    # a word is a trigger where no word character stands before it: the character before
    # is read with it (group 1 opens at the word), the one pattern that opens with a class
    # (which the trie follows from a look at the word's first letter: the words opening with
    # a capital and those opening in lower case, two tries, each behind a class of the
    # letters they open with; the engine tried the forty-odd first letters of one trie in
    # turn at every word, for a sixth more time)
    plain = [w for w in trigger_words if re.fullmatch(r"[A-Za-z]+\d?", w)]
    by_case = ([w for w in plain if w[0].isupper()], [w for w in plain if w[0].islower()])
    trigger_word = (r"\W((?:" + "|".join(f"(?=[{_first_letters(ws)}]){trie(ws)}"
                                          for ws in by_case if ws) + r"))(?!\w)")
    lead = rf"\b{alt_by_edge(w('leads'), last=True)}\s*+$"
    # beyond_numeral foresees these readings only
    assert _names(_alternatives(scan, exclude=_WORD_ONLY)) == _DIGIT_READINGS
    g = Grammar(
        trigger=re.compile(trigger),
        trigger_word=re.compile(trigger_word),
        trigger_word_at_start=re.compile(rf"(?:{words})(?!\w)"),
        trigger_words=trigger_words,
        lead=_head(lead, w("leads")),
        scan=regex.compile(scan, FLAGS | regex.VERBOSE),
        scan_digit=regex.compile(_alternatives(scan, exclude=_WORD_ONLY), FLAGS | regex.VERBOSE),
        scan_word=WordScan.of(_alternatives(scan, exclude=_DIGIT_ONLY), FLAGS | regex.VERBOSE),
        scan_numeral=regex.compile(
            _alternatives(scan, exclude=frozenset(_names(scan) - {"numeral"})),
            FLAGS | regex.VERBOSE),
        scan_money=regex.compile(
            _alternatives(scan, exclude=frozenset(_names(scan) - {"money"})),
            FLAGS | regex.VERBOSE),
        beyond_numeral=re.compile(_beyond_numeral(
            {form for m in r.months for form in (m.rstrip(".").capitalize(),
                                                 m.rstrip(".").upper())},
            (*r.currency_symbols, *r.currency_codes, *cards, *r.scales)), re.IGNORECASE),
        dateline=regex.compile(dateline, FLAGS | regex.VERBOSE),
        masks=tuple(regex.compile(m, FLAGS) for m in masks),
        # searched right to left: the hedge must end where the figure starts
        hedge_before=_head(rf"(?:^|(?<=[^\w.]))(?P<hedge>{hedges_before})[ \t]*+$",
                           r.hedges_before),
        range_head=_head(rf"(?:^|(?<=\W))(?P<head>{alt(w('range_heads'))})\s++$",
                         w("range_heads")),
        deadline_head=_head(rf"(?:^|(?<=\W))(?P<head>{alt(r.deadlines)})\s++$", r.deadlines),
        part_head=_head(rf"(?:^|(?<=\W))(?P<head>{alt_by_edge(r.date_parts, last=True)})[\s-]*+$",
                        r.date_parts),
        span_head=_head(rf"(?:^|(?<=\W))(?P<head>{alt(w('span_heads'))})\s++$",
                        w("span_heads")),
        since_head=_head(rf"(?:^|(?<=\W))(?P<head>{alt(r.since_words)})\s++$", r.since_words),
        scale_tail=_tail(
            (scale_openers, False), rf"(?:\s?+(?P<scale>{alt(r.scales)})\b|(?P<abbr>{alt(r.abbreviations)})(?![\w]))", FLAGS,
            (*r.scales, *r.abbreviations)),
        unit_tail=_tail(
            (unit_openers, False),
            rf"""(?:\s*+(?P<percent>{alt(r.percent_words)})(?!\w)(?:\s++(?P<points>points?))?+
                 |\s++(?P<ppoints>percentage\s++points?)\b
                 |\s*+(?P<bps>basis\s++points?|bps|bp)\b
                 |\s++(?P<bare_points>points?)\b
                 |[\s-]?+(?P<time>{time_units})\b(?P<old>-old\b)?+
                 |[ \t-]?+(?P<measure>{alt_by_edge(r.measure_units)})(?![\w/²])
                 |(?P<minor_space>\s?+)(?P<minor>{alt(r.currency_minor)})\b
                 |\s++(?:of\s++)?+(?P<curword>{alt(r.currency_words)})\b
                 |\s++(?P<code>{codes})\b
                 |[ \t]?+(?P<symbol_after>{symbols})(?![\w]))""",
            FLAGS | regex.VERBOSE,
            (*(word for phrases in unit_openers for word in phrases), "point")),
        range_tail=_tail(
            (range_openers, True),
            rf"""(?P<sep>[ \t]*+[-–—][ \t]*+|\s++(?:to|and|or|possibly|or\s++possibly|or\s++maybe|
                 or\s++even|maybe|perhaps|,\s*+possibly|,\s*+maybe)\s++)
                 (?P<cur2>{symbols})?+(?P<second>{numeral}|{word_number})""",
            FLAGS | regex.VERBOSE,
            (*(word for phrases in range_openers for word in phrases), "an")),
        something_tail=Tail(regex.compile(r"\s++and\s++something\b|-odd\b|\s++odd\b", FLAGS),
                            frozenset("aAoO"), False, frozenset(("and", "odd"))),
        # not a hedge when a figure follows: "for 18 months, at least 300 households"
        hedge_after=_tail(
            (((",",), r.hedges_after), False), rf",?+[ \t]*+(?P<hedge>{alt(r.hedges_after)})(?![\w])(?![ \t]*+[\d{signs}])", FLAGS,
            r.hedges_after),
        ratio_tail=Tail(regex.compile(
            rf"""\s++(?P<link>out\s++of|of|in(?:\s++every)?+|per)\s++
                 (?:{alt(w("ratio_determiners"))}\s++)?+
                 (?:(?-i:[A-Z])?+[a-z]++['’]s\s++)?+
                 (?:{alt(w("ratio_adjectives"))}\s++)?+
                 (?P<den>{numeral}|{word_number})(?![\w.,]\d)""",
            FLAGS | regex.VERBOSE), frozenset("oOiIpP"), False,
            frozenset(("out", "of", "in", "per"))),
        # "3 times the average", "five times more": a multiplier, not how often
        times_tail=regex.compile(rf"\s++times\b(?![ \t]++{comparatives}\b)", FLAGS),
        # "three times as many", "two to three times higher": a multiplier, in per cent
        multiplier_tail=regex.compile(
            rf"[\s-]++times\b(?=[ \t]++{comparatives}\b)(?:[ \t]++as[ \t]++[a-z]++)?+", FLAGS),
        # "a month earlier", "a year before": a shift in time, not a rate
        rate_tail=Tail(regex.compile(
            rf"(?P<rate>{alt(r.rates)})\b(?![ \t]++{alt(w('shift_words'))}\b)",
            FLAGS), frozenset(_firsts([r.rates])), False, _first_words(r.rates)),
        measure_head=_head(rf"\b(?:{alt_by_edge(r.measures, last=True)})[ \t]++(?:of[ \t]++|was[ \t]++|is[ \t]++)?+$",
                           r.measures, ("of", "was", "is")),
        signs=r.currency_signs,
        # "£22.75 an hour, up from £19.40": what a rate is compared with
        compared_with=regex.compile(
            rf"[\s,;]*+(?:{alt(w('change_verbs'))}\s++)?+{alt(w('compared_with'))}\s++$", FLAGS),
        # a future auxiliary with the verb it governs: "will be cleared" is future, not past
        future=regex.compile(
            rf"\b(?:{alt(w('future_cues'))}(?:\s++{alt(w('future_fillers'))}\b)*+(?:\s++\w++)?+"
            r"|next)\b", FLAGS),
        past=regex.compile(rf"\b(?:[a-z]{{2,}}ed|{alt(w('past_verbs'))})\b", FLAGS),
        # before a rate phrase, these make it a period of time ("waiting more than a year")
        period_leads=_head(rf"\b{alt(w('period_leads'))}[ \t]++$", w("period_leads")),
        rate_stops=w("rate_stops"),
        # matched in lower case: a case-blind trie is three times slower
        rate_keys=re.compile(trie({_rate_key(rate) for rate in r.rates})),
        # North American telephone numbers ("(202) 555-0143", "1-800-555-0199"), tried
        # around a figure only: as a mask over the whole text it has no literal to skip to
        phone=regex.compile(r"(?<![\w(-])(?:1[ .-])?+\(?[2-9]\d\d\)?[ .-]\d{3}[.-]\d{4}(?!\d)"),
        # searched right to left, as all the heads below: they must end where the figure starts
        # ("expanded by just 0.3%": a word of degree may stand before the figure)
        change_before=_head(rf"(?:^|(?<=[^\w-])){alt_by_edge(w('change_before'), last=True)}[ \t]++"
                            rf"(?:{alt(w('change_fillers'))}[ \t]++)?+$",
                            w("change_before"), w("change_fillers")),
        # "Annual growth in regular earnings (excluding bonuses) was 5.1%": a change named
        # as the subject, the figure its amount
        change_subject=_head(
            rf"\b{alt(w('change_after'))}\b[^.;:!?\d\n]{{0,60}}?\b"
            rf"(?:was|were|is|are|stood[ \t]++at|came[ \t]++in[ \t]++at|reached|of)[ \t]++$",
            ("was", "were", "is", "are", "at", "reached", "of")),
        # "rose 0.4 per cent in the month and 3.1 per cent in the year": a second share
        # of one verb of change
        change_coordinated=_head(
            rf"(?:^|(?<=[^\w-])){alt_by_edge(w('change_before'), last=True)}[ \t]++(?:[{signs}]?\d[\d.,]*"
            rf"[^.;:!?\d\n]{{0,50}}?)\band[ \t]++$", ("and",)),
        not_change_before=_head(
            rf"(?:^|(?<=[^\w-])){alt(w('not_change_before'))}[ \t]++$", w("not_change_before")),
        change_after=_tail(
            ((w("change_modifiers"), w("change_after")), False), rf"[ \t-]++(?:{alt(w('change_modifiers'))}[ \t]++){{0,2}}?{alt(w('change_after'))}\b",
            FLAGS, (*w("change_modifiers"), *w("change_after"))),
        every_before=_head(rf"(?:^|(?<=\W)){alt(w('every'))}[ \t]++$", w("every")),
        # "1,000s of visitors", "100s": a vague plural written in digits
        plural_numeral=regex.compile(r"['’]?+s\b", FLAGS),
        aged=_head(rf"\b{alt(w('age_words'))}[ \t]++(?:{alt(w('range_heads'))}[ \t]++)?+$",
                   w("age_words"), w("range_heads")),
        age_head=_head(rf"\b{alt(w('age_nouns'))}[ \t]++$", w("age_nouns")),
        # "a third of those arrested were under 18": people said to be over or under an age
        age_copula=_head(rf"\b{alt(w('age_nouns'))}\b[^.;:!?\n\d]{{0,30}}?[ \t]"
                         rf"(?:were|are|was|is)[ \t]++$", ("were", "are", "was", "is")),
        # "3.1 assaults per 1,000 prisoners": a rate per a population, the noun between
        rate_ratio_tail=regex.compile(
            rf"[ \t]++(?P<noun>[a-z][\w'-]*+(?:[ \t]++(?!per\b)[a-z][\w'-]*+)?+)[ \t]++per[ \t]++"
            rf"(?P<den>{numeral})"
            r"(?![\w.,]\d)", FLAGS),
        fraction_money=regex.compile(
            rf"[ \t]++(?:of[ \t]++)?+an?[ \t]++(?:(?P<minor>{alt(r.currency_minor)})"
            rf"|(?P<word>{alt(w for w in r.currency_words if ' ' not in w)}))\b", FLAGS),
        # any of the tails _finish_amount reads for a figure's units: scale, range, unit,
        # "-odd", "times", ratio and rate ratio (whose noun may be any word)
        tail_opening=_tail(
            ((*scale_openers, *unit_openers, *range_openers,
              ("and", "odd", "times", "out", "of", "in", "per"), string.ascii_letters), True),
            "", FLAGS),
        # "half a percentage point"
        # "half a percentage point", "three-quarters of a point", "a quarter-point cut"
        point_tail=regex.compile(r"(?:[ \t]++(?:of[ \t]++)?+an?[ \t]++(?:percentage[ \t]++)?+"
                                 r"|[ \t-](?:percentage[ \t]++)?+)points?\b",
                                 FLAGS),
    )
    heads = (g.hedge_before, g.change_before, g.change_subject, g.change_coordinated,
             g.measure_head, g.aged, g.age_head)
    ends = [head.ends for head in heads if head.ends is not None]
    return attrs.evolve(
        g, head_ends=frozenset().union(*ends) if len(ends) == len(heads) else None,
        tail_opens=g.hedge_after.opens | g.change_after.opens | g.rate_tail.opens)
