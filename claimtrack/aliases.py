"""Subject aliases: the built-in table, a user lexicon (--aliases FILE), and acronyms
defined in a text ("community rehabilitation companies (CRCs)").

A lexicon maps a phrase, as a tuple of normalised words, to one canonical subject.
Words are normalised the same way everywhere (`normal_words`): lower case, singular,
possessive 's dropped, so "CRCs", "CRC's" and "crc" are one word.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import regex

from .errors import InputError, RuleError
from .rules import RuleSet, read_data_file
from .subjects import singular

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_WORD = regex.compile(r"[^\W\d_](?:\w|['’&-](?=\w))*+")
_POSSESSIVE = regex.compile(r"['’]s?$")
# "Community Rehabilitation Companies (CRCs)": up to eight words, then the acronym in
# brackets (one or two capitalised parts, an optional plural s).
_DEFINITION = regex.compile(
    r"(?P<words>(?:[^\W\d_][\w'’-]*+[ \t,]++){1,10}?)"  # the words spelled out
    r"\((?P<acronym>[A-Z][A-Za-z&]{0,8}[A-Z]s?(?:[ \t][A-Z][A-Za-z&]{0,8}[A-Z]s?)?)\)")  # (CRCs)
_LINKING = frozenset({"and", "of", "the", "for", "&", "in", "on", "to"})


@functools.cache
def normal_word(word: str) -> str:
    """'CRCs' -> 'crc', 'companies' -> 'company', "Government's" -> 'government'."""
    word = _POSSESSIVE.sub("", word)
    if not word:
        return word
    mapped = RuleSet.default().count_nouns.get(word.lower())
    if mapped is not None and " " in mapped:
        return word.lower()  # "staff" stays one word ("member of staff" is an alias of it)
    return singular(word, RuleSet.default()).lower()


def normal_words(text: str) -> tuple[str, ...]:
    return tuple(normal_word(m.group()) for m in _WORD.finditer(text))


@attrs.frozen
class Lexicon:
    """Phrases (tuples of normalised words) -> canonical subject; longest phrase wins."""

    phrases: Mapping[tuple[str, ...], str] = attrs.field(factory=dict)
    longest: int = 0
    #: the canonical subjects (an alias or acronym names a specific thing)
    targets: frozenset[str] = frozenset()

    @classmethod
    def from_names(cls, table: Mapping[str, Iterable[str]]) -> Lexicon:
        """{canonical: [alias, ...]}: every alias, and the canonical name itself, map to it."""
        phrases: dict[tuple[str, ...], str] = {}
        for canonical, names in table.items():
            target = " ".join(normal_words(canonical)) or canonical.lower()
            for name in (canonical, *names):
                words = normal_words(name)
                if words:
                    phrases[words] = target
        return cls(phrases, max((len(p) for p in phrases), default=0), frozenset(phrases.values()))

    def known_as(self, known: Lexicon) -> Lexicon:
        """This lexicon with each target that `known` maps (by its own words or by one of
        its phrases) mapped on: "Consumer Prices Index (CPI)" learned from a text stays
        "inflation" when the built-in aliases say CPI is inflation."""
        phrases = {}
        for phrase, target in self.phrases.items():
            phrases[phrase] = known.phrases.get(tuple(target.split())) \
                or known.phrases.get(phrase) or target
        return Lexicon(phrases, self.longest, frozenset(phrases.values()))

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with `other` on top (its entries win)."""
        phrases = {**self.phrases, **other.phrases}
        return Lexicon(phrases, max(self.longest, other.longest), self.targets | other.targets)

    def canonical(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """The words with every known phrase replaced by its canonical subject."""
        if not self.phrases:
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                target = self.phrases.get(words[i:i + size])
                if target is not None:
                    out.append(target)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return tuple(out)


@functools.cache
def builtin_lexicon() -> Lexicon:
    """The built-in aliases: spellings of common nouns, so they name nothing specific."""
    data = read_data_file("aliases.toml")
    lexicon = Lexicon.from_names(_table("data/aliases.toml", data.get("subjects", {}), None))
    return attrs.evolve(lexicon, targets=frozenset())


def _table(name: str, data: Mapping[str, Any], text: str | None) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for canonical, entry in data.items():
        where = f"{name}:{_line_of(text, canonical)}" if text is not None else name
        if not isinstance(entry, Mapping):
            raise _error(text, where, f"[{canonical}] must be a table with aliases = [...]")
        extra = set(entry) - {"aliases"}
        if extra:
            raise _error(text, where, f"[{canonical}]: unknown key(s) {', '.join(sorted(extra))}")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise _error(text, where, f"[{canonical}]: aliases must be a list of strings")
        table[canonical] = aliases
    return table


def _error(text: str | None, where: str, problem: str) -> Exception:
    message = f"{where}: {problem}"
    return InputError(message) if text is not None else RuleError(message)


def _line_of(text: str | None, table: str) -> int:
    """The line number of the header [table] (1 if not found)."""
    if text is None:
        return 1
    for number, line in enumerate(text.splitlines(), 1):
        header = line.strip()
        if header.startswith("[") and header.strip("[] \t").strip('"') == table:
            return number
    return 1


_AT_LINE = regex.compile(r"\s*\(at (?:line (?P<line>\d++)(?:, column \d++)?|end of document)\)$")


def load_aliases(path: str | Path) -> Lexicon:
    """A user lexicon: one table per subject, `[crc]` with `aliases = ["CRC", ...]`.

    A malformed file raises InputError naming the file and line.
    """
    from .document import regular_file

    path = regular_file(path, "aliases file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read aliases file ({exc.__class__.__name__})") from None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise InputError(f"{path}: aliases file nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT_LINE.search(message)
        line = found.group("line") if found and found.group("line") else \
            str(max(1, len(text.splitlines())))
        raise InputError(f"{path}:{line}: {_AT_LINE.sub('', message)}") from None
    return Lexicon.from_names(_table(str(path), data, text))


def learn_acronyms(text: str) -> Lexicon:
    """Acronyms the text defines: 'community rehabilitation companies (CRCs)' maps both
    the spelled-out words and 'CRC' to 'crc'."""
    table: dict[str, list[str]] = {}
    for match in _DEFINITION.finditer(text):
        acronym = match.group("acronym")
        words = _WORD.findall(match.group("words"))
        spelled = _spelled_out(words, acronym)
        if spelled:
            table.setdefault(acronym, []).append(" ".join(spelled))
    return Lexicon.from_names(table)


def _spelled_out(words: list[str], acronym: str) -> list[str] | None:
    """The words before a bracket whose initials spell the acronym, read from the end."""
    letters = [c for c in acronym.rstrip("s") if c.isupper()]
    taken: list[str] = []
    for word in reversed(words):
        if not letters:
            break
        if word.lower() in _LINKING and taken:
            taken.append(word)
            continue
        if word[0].upper() != letters[-1]:
            return None
        letters.pop()
        taken.append(word)
    if letters:
        return None
    while taken and taken[-1].lower() in _LINKING:
        taken.pop()
    return taken[::-1]
