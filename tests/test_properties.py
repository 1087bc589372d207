"""Invariants that hold for any text: no exception, valid offsets, determinism."""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
import time
from collections.abc import Iterator
from typing import TypeVar

import attrs
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import attribution, nonclaims, nouns, recognize, structure, subjects
from claimtrack.model import claim_to_dict
from claimtrack.patterns import Head, Tail, WordScan, grammar, scan_at
from claimtrack.rules import RuleSet

HEDGES = ["", "around ", "more than ", "at least ", "up to ", "nearly ", "under ", "some "]
NUMBERS = ["7", "250", "1,200", "6.8", "£23m", "42 per cent", "a third", "two", "twenty-one",
           "hundreds", "12-16", "between 11 and 20", "11 of the 21", "one in five", "2014-15",
           "July 2014", "the 1870s", "yesterday", "£1.2bn", "50p"]
UNITS = ["", " weeks", " years", "%", " per cent", " offenders", " staff", " members of staff"]
RATES = ["", " a year", " per week", " each month"]
figure = st.builds(lambda h, n, u, r: h + n + u + r, st.sampled_from(HEDGES),
                   st.sampled_from(NUMBERS), st.sampled_from(UNITS), st.sampled_from(RATES))
sentence = st.lists(st.one_of(figure, st.text(max_size=30)), min_size=1, max_size=8).map(" ".join)


def _check(text: str) -> None:
    first = [claim_to_dict(c) for c in claimtrack.extract(text, date="2020-06-15")]
    for claim in first:
        assert 0 <= claim["start"] <= claim["end"] <= len(text)
        assert claim["text"] == text[claim["start"]:claim["end"]]
    starts = [c["start"] for c in first]
    assert starts == sorted(starts)
    for a, b in itertools.pairwise(first):
        assert a["end"] <= b["start"], "claims overlap"
    assert [claim_to_dict(c) for c in claimtrack.extract(text, date="2020-06-15")] == first


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("")
@example("\x00\ufeff\u200d\u202e12\u00a0345")
@example("6.5 or above\n5 Something")
def test_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(sentence)
def test_texts_built_from_figures(text: str) -> None:
    _check(text)


def test_long_inputs_finish_quickly() -> None:
    """Possessive patterns: hostile inputs stay linear."""
    for text in ("1" * 200_000, "1," * 100_000, " " * 100_000, "one " * 50_000,
                 "a" * 200_000, "(" * 50_000 + ")" * 50_000, "£" * 100_000,
                 "Monday 1 March 2021\n" * 5_000):
        began = time.perf_counter()
        _check(text)
        assert time.perf_counter() - began < 10, text[:20]


# texts of sentence breaks and near-breaks: marks, closing quotes and brackets, spaces
_BREAKY = st.text(alphabet=".!?\n\"'”’)]( \t\u00a0ab1", max_size=200)


@settings(max_examples=200, deadline=None)
@given(_BREAKY)
@example('. a." b\n(1 ?) c!')
def test_sentence_breaks_found_once_read_as_each_figure_alone(text: str) -> None:
    """SentenceBreaks.bounds (every figure of a document) is sentence_bounds (one figure),
    near the reach of the scan too."""
    breaks = structure.SentenceBreaks.of(text)
    for reach in (4, structure.SENTENCE_REACH):
        with _reach(reach):
            for start in range(len(text) + 1):
                for end in (start, min(len(text), start + 3)):
                    assert breaks.bounds(text, start, end) == \
                        structure.sentence_bounds(text, start, end)


@contextlib.contextmanager
def _reach(chars: int) -> Iterator[None]:
    kept = structure.SENTENCE_REACH
    structure.SENTENCE_REACH = chars
    try:
        yield
    finally:
        structure.SENTENCE_REACH = kept


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab1,.-'’&£%/ \n_", max_size=200),
       st.lists(st.tuples(st.integers(0, 200), st.integers(-3, 40)), max_size=30))
def test_a_documents_tokens_read_once_are_the_tokens_of_each_window(
        text: str, windows: list[tuple[int, int]]) -> None:
    """Tokens.between (the windows of a document's figures, from one reading) is findall,
    wherever a window cuts a token, for windows in order and out of it."""
    token = nouns.word_classes(RuleSet.default()).token
    kept = nouns._AHEAD
    # read a few characters ahead at a time, so that stretches are cut inside tokens
    for ahead in (1, 3, kept):
        nouns._AHEAD = ahead
        try:
            tokens = nouns.Tokens(text, token)
            for at, width in windows:
                lo = at % (len(text) + 1)
                hi = min(len(text), max(0, lo + width))
                assert tokens.between(lo, hi) == token.findall(text, lo, hi)
        finally:
            nouns._AHEAD = kept


_TAIL_PIECES = [" per cent", "%", " staff", " (", " <", "-", "  ", "\n", " km", "kg", " mph",
                " hours", "£", "p", " of pounds", " EUR", " usd", " x", "1", " percentage points",
                " points", "-year-old", " rise", " overall increase", " real-terms cut", " higher",
                " up on", "\t", "\u00a0", "ſ", "K", " Pounds", "$", " dollars", "€", " cent",
                "m", "bn", " million", " to ", " and ", " or ", ",", " possibly ", "–", "—", "٣",
                "12", "a", " one", " twenty", " thousand", "-ish", " or so", "+", " at least",
                " " * 26, "\x1c", "µ", "μ", "Ö"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TAIL_PIECES), min_size=1, max_size=8).map("".join))
def test_a_tails_opening_lookahead_changes_no_match(text: str) -> None:
    """The lookahead that opens a tail (patterns._opening) only fails where the tail would
    fail: with or without it, the same match at every position."""
    g = grammar(RuleSet.default())
    for gated in (g.unit_tail, g.change_after, g.scale_tail, g.range_tail, g.hedge_after):
        compiled = gated.pattern if isinstance(gated, Tail) else gated
        assert compiled.pattern.startswith("(?=[\\s-]*+[")
        opening = compiled.pattern.index("])") + 2
        plain = regex.compile(compiled.pattern[opening:], compiled.flags)
        for pos in range(len(text) + 1):
            with_it, without = gated.match(text, pos), plain.match(text, pos)
            assert (with_it and (with_it.span(), with_it.groupdict())) == \
                (without and (without.span(), without.groupdict()))


def _open_quote_read_from_the_left(text: str, lo: int, pos: int) -> int | None:
    opened = None
    for i in range(lo, pos):
        if text[i] == '"':
            opened = i if opened is None else None
        elif text[i] in "“”":
            opened = i if text[i] == "“" else None
    return opened


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='"“”a ', max_size=60))
def test_the_open_quote_is_the_one_read_mark_by_mark(text: str) -> None:
    for lo in range(len(text) + 1):
        for pos in range(lo, len(text) + 1):
            assert attribution._open_quote(text, lo, pos) == \
                _open_quote_read_from_the_left(text, lo, pos)


_MORE_TAIL_PIECES = [*_TAIL_PIECES, " times", " out of", " of", " in", " per", " 1,000", " 10",
                     " and something", "-odd", " odd", " assaults", " every", " as many", "(",
                     "<", ">", "~", "=", "*", ".", ";", "[", "'"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MORE_TAIL_PIECES), min_size=1, max_size=8).map("".join))
@example("5 - 10, 5 – 6, 5 to 10, 40-odd, 3 times as many, 4 out of 5, 3.1 assaults per 1,000")
@example("£5m, 10 %, 2 bn, 3 hours, 20 EUR, 5 ° C, 12 people (1 (1 < 1 <")
def test_where_no_tail_opens_none_matches(text: str) -> None:
    """Grammar.tail_opening, which lets _finish_amount skip its tails at once, fails only
    where every one of those tails fails (each read as the readers read it)."""
    g = grammar(RuleSet.default())
    free = (g.scale_tail, g.range_tail, g.something_tail, g.unit_tail, g.ratio_tail)
    near = (g.multiplier_tail, g.times_tail, g.rate_ratio_tail)  # read within 160 characters
    for pos in range(len(text) + 1):
        assert g.tail_opening.opens_at(text, pos) == (g.tail_opening.match(text, pos) is not None)
        if g.tail_opening.match(text, pos) is None:
            assert all(tail.match(text, pos) is None for tail in free)
            assert all(tail.match(text, pos, min(len(text), pos + 160)) is None for tail in near)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([" ", "\n", "\u00a0", "of", "OF", "o", "f", "x", "_", "1", "-"]),
                max_size=8).map("".join))
def test_share_of_is_white_space_and_of_read_near_the_figure(text: str) -> None:
    """recognize._share_of (read within the space and the word, so that a text of
    percentages without 'of' stays linear) is the pattern \\s++of\\b."""
    pattern = regex.compile(r"\s++of\b", regex.I)
    for pos in range(len(text) + 1):
        assert recognize._share_of(text, pos) == (pattern.match(text, pos) is not None)


_SCAN_PIECES = ["1", "12", "2024", "1990", "7", "0", ":", ".", ". ", "30", " ", "\u00a0", "\t",
                "\n", "am", " pm", "p.m.", "st", "nd", "TH", " of ", "March", "MAR", "Sept.",
                "march", "-", "–", "/", "'", "s", "S", "ſ", " Q", "q", " years", " WEEK",
                " days ago", " earlier", ",", "(", "%", "£", "K", "x", "٣", " 15 ", "3rd",
                "$", "€", "US$", "-", "'", "½", "1/2", " weeks later", " decades before", "£-",
                "'90s", "c.", "Nov", "Napo", "Apr", "Are", "JAN", "Ja", "MAY", "May", "Dece", ". 3"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SCAN_PIECES), min_size=1, max_size=8).map("".join))
@example("1 (1 (1 < 1 < 5 per cent of 12 March 2024 10:30 9.30 am 1990s 2019-20 3 years ago")
def test_a_digit_read_as_a_numeral_alone_reads_as_the_whole_scan(text: str) -> None:
    """scan_at tries a digit that beyond_numeral passes over with the numeral alone, and a
    currency sign with the sum of money alone: the same match as all the readings that
    can start with no letter."""
    g = grammar(RuleSet.default())
    for pos in range(len(text)):
        if not text[pos].isalpha():  # (a digit, a currency sign, a mark)
            fast, full = scan_at(g, text, pos), g.scan_digit.match(text, pos, pos + 240)
            assert (fast and (fast.span(), fast.lastgroup, fast.groupdict().get("ordinal"))) \
                == (full and (full.span(), full.lastgroup, full.groupdict().get("ordinal")))


def _scan_words() -> list[str]:
    """Words the scan is matched at (triggers and lead words) and words they run into."""
    g, r = grammar(RuleSet.default()), RuleSet.default()
    return sorted(g.trigger_words | r.word_list("leads")
                  | {"Decade", "ones", "onex", "twos", "Mayday", "thirds", "o", "tw", "th"})


@functools.cache
def _word_scans() -> tuple[WordScan, regex.Pattern[str]]:
    """The grammar's WordScan, and the alternation of its readings (what it stands for)."""
    scan = grammar(RuleSet.default()).scan_word
    return scan, regex.compile("\n    | ".join(scan.sources), scan.patterns[0].flags)


_WORD_SCAN_PIECES = [" ", "  ", "\n", "\t", "-", ",", ".", "'s", "’", "(", ")", "5", "12",
                     "2024", "1990s", "of", "and", "to", "a", "the", "ago", "earlier", "later",
                     "morning", "ſ", "K", "İ", "é", "x", "said", "for"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_scan_words()), st.sampled_from(_WORD_SCAN_PIECES)),
                min_size=1, max_size=8).map("".join))
@example("one of the two, on Monday morning, a third of a million, between May and June 2024")
@example("the first half of 2025, twice a week, tens of thousands, ſix, ONE-and-a-half, Dec. 5")
def test_a_word_read_with_the_readings_it_may_open_reads_as_with_all(text: str) -> None:
    """WordScan matches at a word with only the readings openings.may_open keeps for it:
    the same match, with the same groups, as all the readings that can start with a letter."""
    scan, whole = _word_scans()
    for pos in range(len(text)):
        if text[pos].isalpha():
            end = min(len(text), pos + 240)
            fast, full = scan.match(text, pos, end), whole.match(text, pos, end)
            assert (fast and (fast.span(), fast.lastgroup, fast.groupdict())) == (
                full and (full.span(), full.lastgroup,
                          {k: v for k, v in full.groupdict().items() if k in fast.groupdict()}))
            if full is not None and fast is not None:
                assert all(v is None for k, v in full.groupdict().items()
                           if k not in fast.groupdict())


def test_every_word_the_scan_is_matched_at_keeps_its_readings() -> None:
    """Each trigger and lead word, in the company the scan's readings read after it."""
    scan, whole = _word_scans()
    for word in _scan_words():
        for after in ("", " ", " of", " 2024", " 5", " and a half", "s", "-year", " a week",
                      " years ago", " Monday", " of a million", " March 2024", ", 2024",
                      " to March 2024", " morning", "'s", " quarter of 2025", ". 5"):
            for text in (word + after, "said " + word + after):
                pos, end = text.index(word), len(text)
                fast, full = scan.match(text, pos, end), whole.match(text, pos, end)
                assert (fast and (fast.span(), fast.lastgroup)) == \
                    (full and (full.span(), full.lastgroup)), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["one", "1", "no", "-", " ", "the", "of", "at", "time", "on",
                                 "e", "n", "o", "someone", "at one"]), max_size=10).map("".join))
def test_a_phrase_covers_a_position_where_one_found_there_covers_it(text: str) -> None:
    """nonclaims.Phrases.cover reads the longest phrase at each position before: the same
    answer as every occurrence of every phrase looked at."""
    phrases = ["one", "no one", "no-one", "at one time", "one of", "someone", "on", "o", "one on"]
    found = nonclaims.Phrases.of(phrases)
    for pos in range(len(text) + 1):
        assert found.cover(text, pos) == any(
            start <= pos < start + len(phrase)
            for phrase in phrases for start in range(len(text)) if text.startswith(phrase, start))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_scan_words()),
                          st.sampled_from([" ", ",", "-", "x", "1", "é", "_", "ſ", "\n", "(",
                                           "Q", "OnE", "oNE"])),
                min_size=1, max_size=10).map("".join))
def test_a_word_trigger_is_a_trigger_word_standing_whole(text: str) -> None:
    """Grammar.trigger_word (two tries, by the case of the first letter) finds each run of
    word characters after another character that is one of the trigger words."""
    g = grammar(RuleSet.default())
    expected = [run.start() for run in re.finditer(r"\w+", text)
                if run.start() > 0 and run.group() in g.trigger_words]
    assert [found.start(1) for found in g.trigger_word.finditer(text)] == expected


_HEAD_PIECES = ["about ", "over ", "up to ", "more than", "c.", "< ", "≤", "~", "by ", "rose ",
                "between ", "aged ", "people ", "score of ", "the ", "mid-", "early ", "- ",
                "since ", "every ", "last ", "was ", "and ", "ſ", "K", "İ", "\n", "\t", " ",
                "\u00a0", "\x1c", "x", "(", "1", "%", "UP TO ", "Over\n", "xover ", "(since ",
                "ſince ", "More\tthan ", "more than ", "than ", "aged between ", "stood at "]


T = TypeVar("T")


def _gated(kind: type[T]) -> list[T]:
    """The patterns of the package's grammar wrapped in a Head or a Tail."""
    g = grammar(RuleSet.default())
    return [value for value in attrs.asdict(g, recurse=False).values() if isinstance(value, kind)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_PIECES), min_size=1, max_size=8).map("".join))
def test_a_head_left_unsearched_would_not_have_matched(text: str) -> None:
    """Head.search skips a window that ends with no character its phrases end with: only
    where its pattern, searched there, finds nothing."""
    heads = _gated(Head)
    assert len(heads) >= 15
    for head in heads:
        for hi in range(len(text) + 1):
            for lo in (0, max(0, hi - 4)):
                gated, plain = head.search(text, lo, hi), head.pattern.search(text, lo, hi)
                assert (gated and gated.span()) == (plain and plain.span())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["5", " per", " cent", " of", " ", "  ", "-", "rock-n", "'s",
                                 "staff", "x", "é", "\u0301", "_", "\n", "Of", "ſ"]),
                max_size=60).map("".join))
def test_a_window_read_in_pieces_holds_the_words_it_holds_whole(text: str) -> None:
    """subjects._holds_content_word reads a window in pieces cut at spaces: the same answer
    as its words read at once."""
    rules = RuleSet.default()
    kept = rules.stopwords, rules.verbs, rules.word_classes["not_adverbs"]
    for start in range(0, len(text) + 1, 7):
        for end in range(start, len(text) + 1, 5):
            words = subjects._CLAUSE_WORD.findall(text, start, end)
            whole = any(len(w) > 1 and subjects._is_content_word(w, *kept) for w in words)
            assert subjects._holds_content_word(text, start, end, *kept) == whole


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_MORE_TAIL_PIECES, " a year", " per annum", "/a", " p.a.",
                                 " each week", " A MONTH", " an hour", " a month earlier",
                                 " millionaire", " mil", " pointy", " point", " out of",
                                 " perhaps", " sixty", " sixx", " oddly", "ſix", " ſixty",
                                 " per cent", " or so", " tops", " kmé", " m2", "Km", " an",
                                 "                       million", " increase", " rise"]),
                min_size=1, max_size=8).map("".join))
def test_a_tail_left_unmatched_would_not_have_matched(text: str) -> None:
    """Tail.match settles a position by the character its tail would open with: only where
    its pattern, matched there, fails."""
    tails = _gated(Tail)
    assert len(tails) >= 4
    for tail in tails:
        for pos in range(len(text) + 1):
            gated, plain = tail.match(text, pos), tail.pattern.match(text, pos)
            assert (gated and gated.span()) == (plain and plain.span())


_QUIET_PIECES = [*_HEAD_PIECES, *_MORE_TAIL_PIECES, " a year", " times", " rose", " increase",
                 " max", ", at most", "aged ", " people aged over ", "(", " (", "1", "12.5",
                 " 40", "score of ", "up 3", " down"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_QUIET_PIECES), min_size=1, max_size=10).map("".join))
@example("(1 (1 (1 < 1 < 1 rose 3 (4%) 5 a year aged 40 over 65 score of 7 1 , max")
def test_a_quiet_figure_reads_as_it_would_be_read_word_by_word(text: str) -> None:
    """recognize._quiet spares a figure the readings of hedges, changes, rates, measures
    and ages at once: only where none of them would read anything."""
    rules = RuleSet.default()
    quiet = list(recognize.find_mentions(text, rules=rules))
    with _never_quiet():
        loud = list(recognize.find_mentions(text, rules=rules))
    assert quiet == loud


@contextlib.contextmanager
def _never_quiet() -> Iterator[None]:
    saved = recognize._quiet
    recognize._quiet = lambda amount, text, g: False  # type: ignore[assignment]
    try:
        yield
    finally:
        recognize._quiet = saved  # type: ignore[assignment]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aBz K\u212a\u0130ſé.1 -", max_size=40),
       st.lists(st.integers(0, 40), max_size=6))
def test_the_words_before_a_figure_read_on_are_the_words_read_afresh(
        text: str, ends: list[int]) -> None:
    last: list = []  # type: ignore[type-arg]
    for lo in (0, 3):
        for hi in sorted(min(len(text), max(lo, e)) for e in ends):
            on = attribution._WordsBefore.read_on(last, text, lo, hi)
            assert on == attribution._WordsBefore.read(text, lo, hi)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" a year", " per annum", "/a", " p.a.", "pa", "paid", " three",
                                 " hr", "hrs", " each week", " A MONTH", " an hour", " ", "x",
                                 "/hour", "1", "-", "months", " nightly", "pcm", "/h", "ph", "é",
                                 "ſ"]),
                max_size=8).map("".join))
def test_a_rate_phrase_holds_a_rate_key(text: str) -> None:
    """recognize._holds_rate_key (the words of rates, each standing whole) finds a key in every
    text where a rate phrase can be read where recognize._read_rate reads one (after a
    figure or a space, not inside a word): it skips the rest on it."""
    g = grammar(RuleSet.default())
    if any(g.rate_tail.pattern.match(text, pos) for pos in range(len(text))
           if pos == 0 or not text[pos - 1].isalpha()):
        assert recognize._holds_rate_key(g, text.lower()), text


_EDGE_PHRASES = ["more than", "more", "over", "a", "at least", "c.", "~", "a year", "ab",
                 "Q", "said", "says", "sa", "p.a.", "up to", "u"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_EDGE_PHRASES), min_size=1, max_size=6),
       st.lists(st.sampled_from(_EDGE_PHRASES), max_size=4),
       st.lists(st.sampled_from([*_EDGE_PHRASES, " ", "x", "Q", "A", "\t "]), max_size=6)
       .map("".join), st.booleans(), st.booleans())
def test_an_alternation_grouped_by_edge_matches_as_the_plain_one(
        first: list[str], second: list[str], text: str, last: bool, blind: bool) -> None:
    """patterns.alt_by_edge matches what the alternation of alt() of each list does, read
    left to right or (last=True) right to left, case-blind or not."""
    from claimtrack.patterns import alt, alt_by_edge

    flags = (regex.IGNORECASE if blind else 0) | (regex.REVERSE if last else 0)
    grouped = regex.compile(alt_by_edge(first, second, last=last), flags)
    plain = regex.compile("(?:" + "|".join(alt(p) for p in (first, second) if p) + ")", flags)
    for pos in range(len(text) + 1):
        a = grouped.match(text, 0, pos) if last else grouped.match(text, pos)
        b = plain.match(text, 0, pos) if last else plain.match(text, pos)
        assert (a and a.span()) == (b and b.span()), (text, pos)
