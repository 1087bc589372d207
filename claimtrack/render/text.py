"""Pieces of text every format shares: trimmed cells, marked sentences, plurals."""

from __future__ import annotations

import re
from typing import Any

from ..model import Claim

ELLIPSIS = "…"
#: the marks around the figure in a sentence shown to a person
OPEN, CLOSE = "»", "«"
#: the longest sentence a JSON finding carries (characters around the figure)
SENTENCE_CHARACTERS = 240

_SPACE = re.compile(r"\s+")


def one_space(text: str) -> str:
    """Runs of white space (line breaks included) as one space."""
    return _SPACE.sub(" ", text)


def trim(text: str, width: int | None, *, keep_end: bool = False) -> str:
    """At most `width` characters, an ellipsis marking what was cut (the start, for a
    path, when `keep_end`)."""
    if width is None or len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    if keep_end:
        return ELLIPSIS + text[len(text) - width + 1:]
    return text[:width - 1] + ELLIPSIS


def cell(value: Any) -> str:
    """A value as a table cell: None empty, on one line."""
    return "" if value is None else one_space(str(value))


def plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return {"inconsistent": "inconsistent"}.get(word, word + "s")


def count(n: int, word: str) -> str:
    """`1 document`, `2 documents`."""
    return f"{n} {plural(word, n)}"


def _figure_at(claim: Claim, sentence: str) -> int:
    """Where the claim's text stands in its sentence, or -1."""
    if claim.sentence_start is not None:
        at = claim.start - claim.sentence_start
        if sentence[at:at + len(claim.text)] == claim.text:
            return at
    return sentence.find(claim.text)


def sentence_parts(claim: Claim) -> tuple[str, str, str]:
    """The claim's sentence as (before, figure, after), each on one line; the figure is
    the claim's text (the sentence its text alone when unknown)."""
    sentence = claim.sentence or ""
    at = _figure_at(claim, sentence)
    if at < 0:
        return "", one_space(claim.text), ""
    before, after = sentence[:at], sentence[at + len(claim.text):]
    return one_space(before).lstrip(), one_space(claim.text), one_space(after).rstrip()


def around(before: str, figure: str, after: str, width: int | None,
           marks: tuple[str, str] = (OPEN, CLOSE)) -> str:
    """The figure in its context, marked, trimmed to `width` with ellipses: the figure
    kept, with as much on each side as fits (more after it, where its noun is)."""
    shown = f"{marks[0]}{figure}{marks[1]}"
    if width is None or len(before) + len(shown) + len(after) <= width:
        return before + shown + after
    room = max(0, width - len(shown))
    left = min(len(before), room // 3)
    right = min(len(after), room - left)
    left = min(len(before), room - right)
    head = before[len(before) - left:] if left else ""
    tail = after[:right] if right else ""
    if left < len(before):
        head = ELLIPSIS + _from_word(head[1:]) if head else ""
    if right < len(after):
        tail = _to_word(tail[:-1]) + ELLIPSIS if tail else ""
    return head + shown + tail


def _from_word(text: str) -> str:
    """A cut start moved to the next word, unless that loses more than a third of it."""
    space = text.find(" ")
    return text[space:] if 0 <= space <= len(text) // 3 else text


def _to_word(text: str) -> str:
    """A cut end moved back to the end of a word, unless that loses more than a third."""
    space = text.rfind(" ")
    return text[:space + 1] if space >= len(text) * 2 // 3 else text


def marked_sentence(claim: Claim, width: int | None = None) -> str:
    """The claim's sentence with its figure marked (»21«), trimmed to `width`."""
    return around(*sentence_parts(claim), width)


def json_sentence(claim: Claim) -> str | None:
    """The sentence a JSON finding carries: unmarked, on one line, trimmed around the
    figure to SENTENCE_CHARACTERS."""
    if claim.sentence is None:
        return None
    return around(*sentence_parts(claim), SENTENCE_CHARACTERS, marks=("", ""))


def who(claim: Claim) -> str:
    """`speaker, source` of a claim (either may be missing), or ''."""
    return ", ".join(x for x in (claim.attribution.speaker, claim.attribution.source) if x)
