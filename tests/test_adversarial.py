"""Hostile text: every case finishes in bounded time with no error and valid offsets.

The cases are built at a size that keeps this file near half a minute on two
cores; benchmarks/bench_adversarial.py builds the same cases at full size and
prints each one's time. The property tests at the end run CLAIMTRACK_FUZZ_EXAMPLES
examples each (default 100); docs/robustness.md#fuzzing says how to run long.
"""

from __future__ import annotations

import html
import math
import os
import time
import unicodedata
from collections.abc import Callable
from functools import cache

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack.decoding import clean, decode
from claimtrack.htmltext import html_to_text

#: Seconds any one case may take before it counts as a hang (generous: CI is slow).
BOUND = 30.0
FUZZ_EXAMPLES = int(os.environ.get("CLAIMTRACK_FUZZ_EXAMPLES", "100"))


@cache
def _category(prefix: str) -> tuple[str, ...]:
    return tuple(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)).startswith(prefix))


def digits() -> tuple[str, ...]:
    """Every decimal digit of every script (category Nd)."""
    return _category("Nd")


def dashes() -> tuple[str, ...]:
    """Every dash (Pd) and the minus signs."""
    return (*_category("Pd"), "\u2212", "\ufe63", "\uff0d")


def spaces() -> tuple[str, ...]:
    """Every space separator (Zs), line and paragraph separators, and tabs."""
    return (*_category("Zs"), "\u2028", "\u2029", "\t", "\x0b", "\x0c")


#: Marks that change direction or join characters without being seen.
BIDI = ("\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
        "\u2066", "\u2067", "\u2068", "\u2069")
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\ufe0f",
             "\u0301", "\u20e3")


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def unicode_variants(size: int) -> str:
    """Each digit, dash and space variant at least once, in figure-like company."""
    parts = [f"{d}{d}% £{d}m " for d in digits()]
    parts += [f"1{d}2 {d}3 to{d}4 " for d in dashes()]
    parts += [f"1{s}000{s}staff £5{s}m 3{s}weeks " for s in spaces()]
    once = "".join(parts)
    return once * max(1, size // len(once))


def bidi_marks(size: int) -> str:
    unit = "".join(f"{m}12{m}% {m}£5m{m} about{m} 40 staff {m}" for m in BIDI)
    return _repeat(unit + "قال ١٢٪ من ٤٠ موظفا. ", size)


def invisible_joiners(size: int) -> str:
    unit = "".join(f"1{m}2{m}3 £{m}5m 4{m}0 staff, {m}about 7{m}% " for m in INVISIBLE)
    return _repeat(unit, size)


def nested_numbers(size: int) -> str:
    depth = size // 8
    return "".join(f"({i} " for i in range(depth)) + ")" * depth


def datelines(size: int) -> str:
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    unit = "".join(f"{days[(d + 3) % 7]} {d + 1} March 2024\n" for d in range(28))
    return _repeat(unit + "Published on 4 March 2024\nUpdated: 5 March 2024 at 10:00\n", size)


PROSE = ("The committee met again on Tuesday and heard evidence from residents about the "
         "scheme, which had cost £5m so far, and the chair said that the work would go on "
         "into the spring while officers looked again at the plans. ")


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@cache
def real_text() -> str:
    """The texts of fixtures/cases (written for this project), one after another: real
    prose with its headings, quotations and paragraph breaks."""
    folder = os.path.join(ROOT, "fixtures", "cases")
    texts = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                texts.append(f.read().strip())
    return "\n\n".join(texts) + "\n\n"


def real_layout(size: int, layout: str) -> str:
    """Real text near `size` characters: with its paragraph breaks ("paragraphs"), with
    single line breaks ("lines"), or all in one line ("one line")."""
    text = real_text()
    if layout == "lines":
        text = text.replace("\n\n", "\n")
    elif layout == "one line":
        text = " ".join(text.split("\n"))
    return (text * (size // len(text) + 1))[:size]


DENSE = ("Of the 120 staff, 45 (37.5%) left in 2023, and £1.2m was spent on 3 agencies "
         "over 14 weeks; 2 in 5 posts stay empty. ")
SPEAKERS = "SMITH: 12 staff left in March.\nJONES (Labour): About 40% of them.\n"


@attrs.frozen
class Case:
    """A hostile text: how to build it near a size, its full size and its size in tests."""

    name: str
    build: Callable[[int], str]
    full: int
    test: int


CASES = (
    Case("1 MB of digits", lambda n: "1" * n, 1_000_000, 1_000_000),
    Case("digits 0-9 repeated", lambda n: _repeat("1234567890", n), 1_000_000, 1_000_000),
    Case("1,1,1,... repeated", lambda n: _repeat("1,", n), 1_000_000, 1_000_000),
    Case("1.1.1.... repeated", lambda n: _repeat("1.", n), 1_000_000, 500_000),
    Case("1,000 groups", lambda n: "1" + _repeat(",000", n), 1_000_000, 200_000),
    Case("100,000 spaces", lambda n: " " * n, 100_000, 100_000),
    Case("newlines", lambda n: "\n" * n, 1_000_000, 200_000),
    Case("one 5 MB line", lambda n: _repeat(PROSE, n), 5_000_000, 300_000),
    Case("nested brackets", lambda n: "(" * (n // 2) + ")" * (n // 2), 1_000_000, 1_000_000),
    Case("mixed brackets", lambda n: _repeat("([{", n // 2) + "1" + _repeat("}])", n // 2),
         1_000_000, 1_000_000),
    Case("unclosed brackets", lambda n: _repeat("(1 ", n), 1_000_000, 20_000),
    Case("less-than signs", lambda n: _repeat("< 1 ", n), 1_000_000, 20_000),
    Case("text without spaces", lambda n: real_layout(n, "one line").replace(" ", ""),
         1_000_000, 50_000),
    Case("dense prose", lambda n: _repeat(DENSE, n), 1_000_000, 20_000),
    Case("per cent of repeated", lambda n: _repeat("5 per cent of ", n), 1_000_000, 10_000),
    Case("speaker-like lines", lambda n: _repeat(SPEAKERS, n), 1_000_000, 20_000),
    Case("real text in one line", lambda n: real_layout(n, "one line"), 1_000_000, 50_000),
    Case("nested numbers", nested_numbers, 100_000, 5_000),
    Case("unicode digits, dashes, spaces", unicode_variants, 100_000, 1),
    Case("right-to-left marks", bidi_marks, 100_000, 5_000),
    Case("zero-width joiners", invisible_joiners, 100_000, 5_000),
    Case("only datelines", datelines, 1_000_000, 200_000),
    Case("one word repeated", lambda n: _repeat("one ", n), 1_000_000, 200_000),
    Case("pound signs", lambda n: "£" * n, 1_000_000, 100_000),
    Case("dense percentages", lambda n: _repeat("10% ", n), 100_000, 5_000),
    Case("dense money", lambda n: _repeat("£1 ", n), 100_000, 5_000),
    Case("one figure a line", lambda n: _repeat("12\n", n), 100_000, 5_000),
    Case("hedges without a figure", lambda n: _repeat("about around nearly more than ", n) + "5",
         1_000_000, 200_000),
    Case("ranges chained", lambda n: _repeat("between 1 and ", n) + "2", 100_000, 5_000),
    Case("dash chain", lambda n: _repeat("1-", n), 1_000_000, 100_000),
    Case("slash chain", lambda n: _repeat("1/", n), 1_000_000, 100_000),
    Case("quotes", lambda n: '"' * n, 1_000_000, 200_000),
    Case("attribution cues", lambda n: _repeat('said "12 staff" according to ', n), 100_000,
         5_000),
)


def check(text: str) -> list[claimtrack.Claim]:
    """extract(text) with the invariants: offsets valid, in order, not overlapping."""
    claims = claimtrack.extract(text, date="2024-03-04")
    previous_end = 0
    for claim in claims:
        assert 0 <= claim.start <= claim.end <= len(text)
        assert claim.text == text[claim.start:claim.end]
        assert claim.start >= previous_end, "claims overlap or are out of order"
        previous_end = claim.end
    return claims


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_text(case: Case) -> None:
    text = case.build(case.test)
    began = time.perf_counter()
    check(text)
    elapsed = time.perf_counter() - began
    assert elapsed < BOUND, f"{case.name}: {elapsed:.1f} s for {len(text):,} characters"


def test_unicode_variants_hold_every_variant() -> None:
    text = unicode_variants(1)
    assert all(c in text for c in (*digits(), *dashes(), *spaces()))


@pytest.mark.parametrize("text", ["9" * 400 + " staff", "1" + ",000" * 200, "£" + "9" * 400 + "bn"])
def test_huge_numerals_have_finite_values(text: str) -> None:
    for claim in check(text):
        for value in (claim.quantity.value, claim.quantity.low, claim.quantity.high):
            assert not isinstance(value, float) or math.isfinite(value)


# --- hostile input to the readers -----------------------------------------------------


@pytest.mark.parametrize("markup", [
    "<a " * 100_000, "<a" * 100_000, "<!--" * 50_000, "</" * 100_000, "<!" * 100_000,
    "<>" * 100_000, "<a b='" + "x" * 200_000, "<a " + "b " * 100_000 + ">",
    "<div>" * 50_000 + "12%" + "</div>" * 50_000, "&#" * 100_000, "&amp" * 50_000,
    "<script>" + "x<" * 100_000, "<pre>" + " " * 200_000 + "</pre>",
], ids=lambda m: repr(m[:12]))
def test_hostile_html_is_read_in_bounded_time(markup: str) -> None:
    began = time.perf_counter()
    check(html_to_text(markup))
    assert time.perf_counter() - began < BOUND


@pytest.mark.parametrize("data", [
    "â€™".encode() * 200_000, "Â".encode() * 300_000, b"\r" * 200_000, b"\r\n" * 100_000,
    bytes(range(0x80, 0x100)) * 200,
], ids=["mojibake", "lone A-circumflex", "CR", "CRLF", "high bytes"])
def test_hostile_bytes_decode_in_bounded_time(data: bytes) -> None:
    began = time.perf_counter()
    check(decode(data, "f").text)
    assert time.perf_counter() - began < BOUND


# --- properties over texts built from the grammar of figures --------------------------

HEDGES = ["", "around ", "about ", "more than ", "at least ", "up to ", "nearly ", "under ",
          "some ", "almost ", "roughly ", "an estimated ", "fewer than ", "between 3 and ",
          "≈", "~", "c. ", "well over "]
UNITS = ["", "%", " per cent", " percentage points", "m", "bn", " million", " thousand", "k",
         " weeks", " years", " hours a day", " per week", " a year", " km", " tonnes", "°C"]
NOUNS = ["", " staff", " nurses", " offenders", " members of staff", " homes", " pupils",
         " of the 21 councils", " people", " in 10 adults", " times", " complaints"]
CURRENCIES = ["", "£", "$", "€", "US$", "GBP "]
SEPARATORS = [" ", " ", ", ", ". ", "; ", "\n", "\r\n", " – ", " (", ") ", "\u00a0", "\u202f",
              "\u200b", "\u200e", "\u200f", "\u200d", " and ", " or ", ": ", " said ",
              " according to the ONS, ", "\n\nMonday 4 March 2024\n\n"]


@st.composite
def numerals(draw: st.DrawFn) -> str:
    """A figure's number: plain, grouped, decimal, in words, or in another script's digits."""
    kind = draw(st.sampled_from(["int", "grouped", "decimal", "word", "script", "fraction"]))
    if kind == "word":
        return draw(st.sampled_from(["one", "two", "a dozen", "twenty-one", "hundreds",
                                     "a third", "half", "one in five", "three-quarters"]))
    if kind == "fraction":
        return draw(st.sampled_from(["½", "¾", "1½", "2/3", "3 ½"]))
    value = draw(st.integers(min_value=0, max_value=10**12))
    if kind == "grouped":
        return f"{value:,}"
    if kind == "decimal":
        return f"{value % 10_000}.{draw(st.integers(0, 999))}"
    if kind == "script":
        zero = draw(st.sampled_from(["٠", "۰", "०", "০", "０", "๐", "𝟎"]))
        return "".join(chr(ord(zero) + int(d)) for d in str(value % 100_000))
    return str(value)


@st.composite
def figures(draw: st.DrawFn) -> str:
    """hedge + currency + number + unit + noun, as a writer might put a figure."""
    return (draw(st.sampled_from(HEDGES)) + draw(st.sampled_from(CURRENCIES))
            + draw(numerals()) + draw(st.sampled_from(UNITS)) + draw(st.sampled_from(NOUNS)))


def _texts(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(figures(), st.sampled_from(SEPARATORS), words),
                    min_size=1, max_size=20).map("".join)


texts = _texts(st.text(max_size=12))
#: Without control characters, which make a file binary, or a leading BOM, which is read off.
plain_texts = _texts(st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12)).map(
    lambda t: t.lstrip("\ufeff"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(texts)
@example("between 3 and £1.5bn\u200d per cent\r\n")
@example("\u202e12\u202c% of the 21 councils")
@example("1½ million\u00a0tonnes – about ٤٥ km")
def test_figure_texts_keep_the_invariants(text: str) -> None:
    first = check(text)
    assert check(text) == first, "not deterministic"


@FUZZ
@given(plain_texts, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_figure_texts_read_from_bytes_as_from_text(text: str, encoding: str) -> None:
    decoded = decode(text.encode(encoding), "f")
    assert decoded.text == clean(text)
    assert check(decoded.text) == check(clean(text))


@FUZZ
@given(st.lists(texts, min_size=1, max_size=4))
def test_figure_texts_in_html(paragraphs: list[str]) -> None:
    markup = "".join(f"<p>{html.escape(p)}</p>\n<script>var x = '{p[:5]}';</script>"
                     for p in paragraphs)
    check(html_to_text(markup))


@FUZZ
@given(st.text(), st.lists(st.sampled_from(BIDI + INVISIBLE), max_size=6))
def test_any_text_with_invisible_marks(text: str, marks: list[str]) -> None:
    for mark in marks:
        middle = len(text) // 2
        text = text[:middle] + mark + text[middle:]
    check(text)


def test_figures_in_no_sentence_share_their_window() -> None:
    """Memory per input byte is bounded: the figures of a text without sentence breaks
    share the strings of their windows, rather than each holding 1,600 characters."""
    claims = check(_repeat("(1 ", 30_000))
    assert len(claims) == 10_000
    assert len({id(c.sentence) for c in claims}) < len(claims) / 10
    assert max(len(c.sentence or "") for c in claims) < 500


def test_one_line_costs_what_paragraphs_cost() -> None:
    """A figure's paragraph, line and dates before it are looked up, not scanned for: real
    text in one line takes about the time of the same text with its paragraph breaks."""
    check(real_layout(20_000, "one line"))  # warm up
    seconds = {}
    for layout in ("paragraphs", "one line"):
        began = time.process_time()
        check(real_layout(400_000, layout))
        seconds[layout] = time.process_time() - began
    assert seconds["one line"] < 2 * seconds["paragraphs"], seconds
