"""The small words the comparison's patterns read around a figure (data/linking.toml,
[lists.*]), and the patterns built from them, once, on first use.

Patterns of the `regex` module take `patterns.alt` as it is; those of the standard
library's `re` (the hot paths of evidence.py, read once for every claim) take it without
possessive quantifiers, which `re` lacks before Python 3.11, and begin with a character
class where they can: the engine then skips to the characters a match can start with.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs
import regex

from ..errors import RuleError
from ..patterns import alt
from ..rules import read_data_file


@functools.cache
def word_lists() -> Mapping[str, tuple[str, ...]]:
    """[lists.<name>] of data/linking.toml: name -> its words, as written."""
    out = {}
    for name, entry in read_data_file("linking.toml").get("lists", {}).items():
        words = entry.get("aliases") if isinstance(entry, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise RuleError(f"data/linking.toml: [lists.{name}]: aliases must be a list of "
                            "words")
        out[name] = tuple(words)
    return out


def _words(name: str) -> tuple[str, ...]:
    try:
        return word_lists()[name]
    except KeyError:
        raise RuleError(f"data/linking.toml: [lists.{name}] is missing") from None


def plain_alt(phrases: Iterable[str]) -> str:
    """patterns.alt for the standard library's engine: the same alternation, with plain
    runs of spaces between the words of a phrase."""
    return alt(phrases).replace(r"\s++", r"\s+")


def word_start(words: Iterable[str]) -> str:
    r"""An alternation of words that each start a word (`\b(?:in|at)`), begun with a
    character class of their first letters: the lookbehinds say that no word character
    comes before and which letter began the match. Case is as written."""
    rests: dict[str, list[str]] = defaultdict(list)
    for word in words:
        rests[word[0]].append(word[1:])
    firsts = "".join(re.escape(c) for c in sorted(rests))
    branches = []
    for first in sorted(rests):
        tails = [t for t in rests[first] if t]
        body = plain_alt(tails) if tails else ""
        if tails and "" in rests[first]:
            body = f"(?:{body}|)"
        branches.append(f"(?<={re.escape(first)}){body}")
    return f"[{firsts}](?<!\\w[{firsts}])(?:{'|'.join(branches)})"


@attrs.frozen
class Patterns:
    """The comparison's patterns (see the lists of data/linking.toml)."""

    # evidence.py
    clause_end: re.Pattern[str]
    first_person: re.Pattern[str]
    place: re.Pattern[str]
    name_run: re.Pattern[str]
    not_names: frozenset[str]
    list_before: re.Pattern[str]
    list_after: re.Pattern[str]
    list_joiners: tuple[str, ...]
    # keys.py
    subject_tail: regex.Pattern[str]
    # figures.py
    bare_month: regex.Pattern[str]
    list_tail: regex.Pattern[str]
    # arithmetic.py
    change_before: regex.Pattern[str]
    change_after: regex.Pattern[str]
    change_to: regex.Pattern[str]
    change_lead: regex.Pattern[str]
    direction_after: regex.Pattern[str]
    parts: regex.Pattern[str]
    fall: frozenset[str]


@functools.cache
def patterns() -> Patterns:
    """The patterns, compiled on first use."""
    ends, breaks = plain_alt(_words("clause_ends")), plain_alt(_words("clause_breaks"))
    joiners = _words("list_joiners")
    percent = plain_alt(_words("percent_marks"))
    words_after_comma = plain_alt(j for j in joiners if j != ",")
    direction = alt([*_words("rise"), *_words("fall")])
    return Patterns(
        # ";" alone; "," then a space and a clause word; a space and a clause word or break
        clause_end=re.compile(rf"[;,\s](?:(?<=;)|(?<=,)\s{ends}\s|(?<=\s){ends}\s"
                              rf"|(?<=\s){breaks}\s)"),
        first_person=re.compile(word_start(_words("first_person")) + r"\b"),
        place=re.compile(word_start(_words("place_prepositions")) + r"\s+(?:the\s+)?"
                         r"(?P<place>[A-Z][\w'’-]+(?:\s+(?:and\s+)?[A-Z][\w'’-]+){0,3})"),
        # capitalised words, maybe joined by a small word ("Bank of England")
        name_run=re.compile(r"(?:\b[A-Z][\w'’&-]*(?:\s+" + plain_alt(_words("name_joiners"))
                            + r"\s+|\s+)?)+"),
        not_names=frozenset(_words("not_names")),
        # figures, each maybe with a unit word, joined: "4.8, 4.1 and " before a figure
        list_before=re.compile(rf"((?:\d[\d.,]*\s*(?:{percent}|[A-Za-z]+)?\s*"
                               rf"(?:,\s*{words_after_comma}|{plain_alt(joiners)})\s+)+)$"),
        list_after=re.compile(rf"^\s*(?:{percent}|[A-Za-z]+)?\s*{plain_alt(joiners)}\s+\d"),
        list_joiners=joiners,
        subject_tail=regex.compile(rf"(?<=\w)\s++{alt(_words('subject_prepositions'))}\s.*+$",
                                   regex.I | regex.S),
        bare_month=regex.compile(rf"(?i:{alt(_words('month_leads'))}\s+)*+"
                                 r"(?P<month>[A-Z][a-z]++\.?+)"),
        list_tail=regex.compile(rf"\s*+{alt(_words('list_ends'))}\s++(?:[\d.,]++\s*+"
                                rf"{alt(joiners)}\s++)*+[\d.,]++\s*+(?P<unit>[^\W\d]++)"),
        # "234,229, up 7 per cent on 218,906": new, direction, change, base
        change_before=regex.compile(
            rf"^[^\d.;]{{0,40}}?(?<![^\W\d_])(?:{alt(_words('articles'))}\s++)?+"
            rf"(?P<dir>{direction})(?:\s++{alt(_words('change_size'))})?+\s*+$", regex.I),
        change_after=regex.compile(
            rf"^\s*+{alt(_words('change_bases'))}\b[^\d.;]{{0,30}}+$", regex.I),
        # "rose from 218,906 to 234,229, a 7 per cent rise": base, new, change, direction
        change_to=regex.compile(rf"^\s*+{alt(_words('change_to'))}\s*+$", regex.I),
        change_lead=regex.compile(rf"^[\s,(]*+(?:{alt(_words('change_leads'))}\s++)?+$",
                                  regex.I),
        direction_after=regex.compile(rf"^\s*+(?P<dir>{direction})\b", regex.I),
        # "a total of 120, of whom 70 ... and 60 ...": a whole and its parts
        parts=regex.compile(rf"^[^\d.;]{{0,40}}?\b{alt(_words('parts'))}\b[^\d.;]{{0,20}}+$",
                            regex.I),
        fall=frozenset(w.lower() for w in _words("fall")),
    )
