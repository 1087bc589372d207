"""Numerals and number words to values."""

from __future__ import annotations

import re
import unicodedata

from .rules import RuleSet

_MIXED = re.compile(r"(.+?)[ -](\d)/(\d)")  # "3-1/2", "2 1/2" (see patterns.build_grammar)
_VULGAR = frozenset("½⅓⅔¼¾⅛⅜⅝⅞")


def parse_numeral(text: str) -> float:
    """'234,229' -> 234229.0, '6.8' -> 6.8, '3-1/2' and '5¼' -> 3.5 and 5.25; any Unicode
    decimal digits are accepted."""
    if text.isascii() and text.isdigit():  # most figures: nothing to take out
        return float(text)
    if "/" in text:
        whole, numerator, denominator = _MIXED.fullmatch(text).groups()  # type: ignore[union-attr]
        return parse_numeral(whole) + int(numerator) / int(denominator)
    if text[-1] in _VULGAR:
        return parse_numeral(text[:-1].rstrip(" \u00a0")) + unicodedata.numeric(text[-1])
    digits = "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch
        for ch in text
        if ch not in ", \u00a0\u202f_'"
    )
    return float(digits)


def parse_number_words(words: list[str], rules: RuleSet) -> float | None:
    """Value of a run of number words: ['a', 'hundred', 'and', 'two'] -> 102.

    The classic accumulate-and-scale reading: a scale word multiplies what has
    been read since the last larger scale ("two million three hundred thousand").
    """
    total = 0.0
    current = 0.0
    seen = False
    for raw in words:
        word = raw.lower()
        if word in ("and", "-"):
            continue
        if word in ("a", "an"):
            current = max(current, 1.0)
            seen = True
            continue
        if word in rules.cardinals:
            current += rules.cardinals[word]
            seen = True
        elif word in rules.scales:
            scale = rules.scales[word]
            current = max(current, 1.0) * scale
            if scale >= 1000:
                total += current
                current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def round_sig(value: float) -> float:
    """Round away binary noise (0.1 * 3) without losing stated precision."""
    return float(f"{value:.10g}")
