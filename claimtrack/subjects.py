"""The measured subject of a figure: its counted noun, or the thing the clause is about."""

from __future__ import annotations

import itertools

import attrs
import regex

from .model import Quantity
from .rules import Rules

_TOKEN = regex.compile(r"[^\W\d_](?:\w|['’&-](?=\w))*+|\d[\d,.]*+|[^\w\s]")
_QUOTES = frozenset("\"'“”‘’«»")
_MAX_NOUN_WORDS = 4


@attrs.frozen
class NounPhrase:
    words: tuple[str, ...]
    end: int

    @property
    def text(self) -> str:
        return " ".join(self.words)


def singular(word: str, rules: Rules) -> str:
    """'offenders' -> 'offender', 'companies' -> 'company', 'staff' -> 'member of staff'."""
    lower = word.lower()
    if lower in rules.count_nouns:
        return rules.count_nouns[lower]
    keep = word if word.isupper() and len(word) > 1 else lower
    if keep.endswith("s") and word[:-1].isupper() and len(word) > 2:  # CRCs -> CRC
        return word[:-1]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("uses", "us"), ("xes", "x"),
                         ("ches", "ch"), ("shes", "sh")):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 1:
            return keep[: -len(suffix)] + repl
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3:
        return keep[:-1]
    return keep


def _is_content(word: str, rules: Rules) -> bool:
    lower = word.lower()
    return (word[:1].isalpha() and lower not in rules.stopwords and lower not in rules.verbs
            and not (lower.endswith("ly") and len(lower) > 4))


def noun_after(text: str, pos: int, rules: Rules, *, skip_of: bool = False) -> NounPhrase | None:
    """The noun phrase right after a figure ('70 offenders', 'two long and dull forms')."""
    words: list[str] = []
    end = pos
    seen_of = False
    for token in _TOKEN.finditer(text, pos, min(len(text), pos + 160)):
        word = token.group()
        if text[end:token.start()].count("\n"):
            break
        if word in _QUOTES:
            end = token.end()
            continue
        lower = word.lower()
        if not words and lower == "of" and skip_of and not seen_of:
            seen_of = True
            end = token.end()
            continue
        if not words and lower in ("the", "their", "its", "our", "his", "her", "all", "those",
                                   "these", "them", "my", "your") and seen_of:
            end = token.end()
            continue
        if lower in ("and", "&") and words and not words[-1].lower().endswith("s"):
            continue
        if lower == "of" and words and _member_of(words, text, token.end(), rules):
            words.append("of")
            continue
        if words and words[-1] != "of" and (_plural(words[-1]) or lower.endswith("ed")):
            break  # the head noun is read; a verb or a new phrase follows
        if not _is_content(word, rules) or len(words) >= _MAX_NOUN_WORDS:
            break
        words.append(word)
        end = token.end()
    while words and words[-1].lower() == "of":
        words.pop()
    if words and words[-1].lower().endswith("ing") and len(words) == 1:
        return None  # "60 turning up": a verb, not a noun
    return NounPhrase(tuple(words), end) if words else None


def _plural(word: str) -> bool:
    lower = word.lower()
    return (lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3) or (
        lower in ("people", "staff", "children", "men", "women"))


def _member_of(words: list[str], text: str, pos: int, rules: Rules) -> bool:
    following = _TOKEN.match(text, pos + 1 if pos < len(text) and text[pos] == " " else pos)
    if following is None:
        return False
    phrase = f"{words[-1].lower()} of {following.group().lower()}"
    return phrase in rules.count_nouns


def unit_of(phrase: NounPhrase, rules: Rules) -> str:
    """The singular counted unit: the head noun, with one lower-case modifier before it."""
    words = list(phrase.words)
    joined = " ".join(w.lower() for w in words)
    for alias, unit in rules.count_nouns.items():
        if " " in alias and joined.endswith(alias):
            return unit
    if "of" in words:
        head_index = words.index("of") - 1
        tail = " ".join(words[head_index:]).lower()
        return rules.count_nouns.get(tail, singular(words[head_index], rules))
    head = singular(words[-1], rules)
    if len(words) == 2 and words[0].islower() and not words[0].endswith(("ed", "ing", "al", "ive",
                                                                          "ous", "ful", "ic")):
        return f"{words[0]} {head}"
    return head


_CLAUSE_WORD = regex.compile(r"(?<!\w)[^\W\d_](?:\w|['’&-](?=\w))*+")
_CLAUSE_WORD_BACK = regex.compile(_CLAUSE_WORD.pattern, regex.REVERSE)


def _content_words(text: str, start: int, end: int, rules: Rules, n: int, *,
                   backwards: bool = False) -> list[str]:
    """The first (or last) `n` content words of text[start:end], read lazily so that a
    long sentence costs no more than a short one."""
    pattern = _CLAUSE_WORD_BACK if backwards else _CLAUSE_WORD
    words = (w.group() for w in pattern.finditer(text, start, end))
    found = list(itertools.islice((w for w in words if len(w) > 1 and _is_content(w, rules)), n))
    return found[::-1] if backwards else found


def subject_before(text: str, sentence_start: int, pos: int, rules: Rules) -> str | None:
    """What a clause is about: its first noun phrase and the words nearest the figure."""
    first = _content_words(text, sentence_start, pos, rules, 3)
    if not first:
        return None
    last = _content_words(text, sentence_start, pos, rules, 3, backwards=True)
    near = [w for w in last if w not in first]
    return " ".join(first + near)


def subject_after(text: str, pos: int, sentence_end: int, rules: Rules) -> str | None:
    """For a figure opening its clause ('Last year the Centre revealed ...')."""
    return " ".join(_content_words(text, pos, sentence_end, rules, 5)) or None


_PREPOSITION = regex.compile(
    r"[ \t]*+(?:(?:a|an|per|each|every)\s++\w++[ \t]++)?+(?P<prep>on|for|of|over|in|towards|to|into|from)"
    r"\s++(?:(?:the|a|an|its|their|his|her|our|my|your|this|that|these|those)\s++)?+", regex.I)
# Words before a figure that make the clause's subject the thing measured:
# "the caseload stood at 70", "a caseload of 70", "average waits are around 16 weeks".
_COPULA = regex.compile(
    r"\b(?:of|is|was|are|were|be|been|at|to|reached|totalled|totaled|numbered|hit|by)\W*+$", regex.I)


def subject_for(quantity: Quantity, text: str, end: int, sentence: tuple[int, int],
                start: int, rules: Rules) -> tuple[str | None, str | None]:
    """(subject, counted unit) of a figure spanning text[start:end]."""
    kind = quantity.kind
    skip_of = kind in ("percent", "count", "ratio") or quantity.value is None
    phrase = noun_after(text, end, rules, skip_of=skip_of)
    unit = None
    if phrase is not None and kind in ("count", "ratio"):
        unit = unit_of(phrase, rules)
    before = subject_before(text, sentence[0], start, rules)
    if kind != "date":
        if phrase is not None and before and kind in ("count", "quantity") and \
                _COPULA.search(text, max(sentence[0], start - 20), start):
            return before, unit
        if phrase is not None:
            return phrase.text, unit
        complement = _PREPOSITION.match(text, end)
        if complement is not None:
            phrase = noun_after(text, complement.end(), rules)
            if phrase is not None:
                return phrase.text, unit
    return before or subject_after(text, end, sentence[1], rules), unit
