"""Reading who a noun phrase names: a person, a body, a pronoun, or nobody in particular.

Shared by the structure reader (lead-ins, "Name said:" lines, speaker labels)
and the attribution of single sentences. Word lists live in data/attribution.toml.
"""

from __future__ import annotations

import functools

import attrs
import regex

from .rules import Rules, rules

# A capitalised word of a name, and the small words names are built with.
_CAP = r"(?:[A-Z][\w'’.&-]*+|[A-Z]{2,})"
_JOIN = r"(?:of|for|and|the|de|du|van|von|der|la|le|&)"
NAME = rf"{_CAP}(?:[ \t\u00a0]++(?:{_JOIN}[ \t\u00a0]++)*+{_CAP})*+"
_NAME_ONLY = regex.compile(rf"(?:the\s++)?(?P<name>{NAME})")
_SPOKES_FOR = r"(?:for|from|at|of)\s++(?:the\s++)?(?P<body>" + NAME + ")"
_POSSESSIVE = regex.compile(r"['’]s$")
_WORD = regex.compile(r"[\w'’.&-]+")


@attrs.frozen
class Who:
    """What a subject noun phrase says about the speaker.

    `kind` is "name" (speaker is `name`), "refer" (a pronoun or "the spokesman":
    the last speaker), "anonymous" (a description naming nobody: speaker null),
    or "none" (no speaker information: "I", "it", a clause).
    """

    kind: str
    name: str | None = None


NOBODY = Who("none")


@functools.cache
def _spokes_pattern() -> regex.Pattern[str]:
    r = rules()
    spokes = "|".join(sorted((regex.escape(s) for s in r.spokes), key=len, reverse=True))
    return regex.compile(rf"\b(?:an?|the)?\s*+(?:\w+\s++)?(?:{spokes})\s++{_SPOKES_FOR}", regex.I)


def is_name(phrase: str, r: Rules | None = None) -> bool:
    """Whether `phrase` is made only of a name's words ("Dominic Raab", "Working Links")."""
    r = r or rules()
    phrase = phrase.strip(" \t\u00a0")
    if not phrase or phrase.lower() in r.generic or phrase.lower() in r.referring:
        return False
    found = _NAME_ONLY.fullmatch(phrase)
    if found is None:
        return False
    first = found["name"].split()[0]
    return first.lower() not in r.generic and first.lower() not in r.stopwords


def clean_name(phrase: str) -> str:
    """A name without a leading "the" or a trailing possessive."""
    phrase = phrase.strip(" \t\u00a0,;:")
    if phrase.lower().startswith("the "):
        phrase = phrase[4:]
    return _POSSESSIVE.sub("", phrase)


def read_who(subject: str, r: Rules | None = None) -> Who:
    """Who the subject of a reporting verb names.

    "Mike Cracknell, Unison's regional organiser" -> Mike Cracknell;
    "Cameron, in his speech on Monday," -> Cameron; "A spokesman for Acme" -> Acme;
    "he" -> the last speaker; "the officer who spoke to us" -> nobody named.
    """
    r = r or rules()
    subject = subject.strip(" \t\u00a0,;:-—–\"“”'‘’")
    if not subject:
        return NOBODY
    low = subject.lower()
    parts = [p.strip() for p in subject.split(",") if p.strip()]
    if low in r.referring or (parts and parts[-1].lower() in r.referring):
        return Who("refer")
    if low in r.generic or low in r.stopwords:
        return NOBODY
    words = _WORD.findall(subject)
    if len(words) > 16:
        return NOBODY
    spokes = _spokes_pattern().search(subject)
    if spokes is not None:
        return Who("name", clean_name(spokes["body"]))
    for part in parts:
        if is_name(part, r):
            return Who("name", clean_name(part))
    first = words[0].lower() if words else ""
    if first in {"the", "a", "an", "one", "this", "that", "another"} and len(words) >= 2:
        return Who("anonymous")
    return NOBODY
