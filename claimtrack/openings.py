"""Whether a pattern can open with a given word: read from the pattern's syntax tree.

The scan pattern's readings that start with a letter are a score of alternatives, and
the regex module tries each of them at a word, where most cannot open with that word
('one' opens no date, no season, no sum of money; 'one of' no shift in time and no
fraction). `may_open(tree, opening)` walks the tree of one alternative over the letters
of a word, or of two words and the space between, and says whether the alternative can
match text that opens so and then has a character that is no ASCII letter: where it
says no, the alternative cannot match there.

The answer errs only one way: what the walk does not follow (a lookaround, a class of
all letters, a back reference, a path longer than its budget) counts as a way to open.
The tree is the standard library's parse of the pattern (re._parser, which reads the
regex module's syntax that the grammar uses: possessive and atomic repetition, scoped
flags); where that parser is absent or refuses the pattern (Python 3.10 has no
possessive repetition) there is no tree, and every word may open the pattern.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_sre: Any
try:  # (the parser's name since Python 3.11; typeshed has no stubs for it)
    _sre = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    _sre = None

#: The characters beyond ASCII that a case-blind pattern reads as ASCII letters (as
#: patterns.FOLDED_LETTERS: a text's word holding one is not read here).
FOLDED = "\u0130\u017f\u212a"
_BUDGET = 2000  # steps of a walk: past it, the pattern counts as opening with the word
_LARGE_RANGE = 256  # characters: a wider range in a class is not looked into

Tree = list[tuple[Any, Any]]


def parse(pattern: str, verbose: bool = False) -> Tree | None:
    """The syntax tree of a pattern, or None where the standard library cannot read it."""
    if _sre is None:  # pragma: no cover - Python 3.10
        return None
    try:
        return list(_sre.parse(pattern, re.VERBOSE if verbose else 0))
    except (re.error, RecursionError, OverflowError):  # pragma: no cover - none in the grammar
        return None


def may_open(tree: Tree | None, opening: str) -> bool:
    """Whether the pattern of `tree` may match text that opens with `opening` (words of
    ASCII letters in lower case, one space between two) followed by a character that is
    no ASCII letter nor one folded to one (or by the text's end). Case is ignored: a
    case-bound part counts as blind."""
    if tree is None:
        return True
    try:
        return _walk(tree, 0, opening, [0])
    except RecursionError:  # pragma: no cover - a path deeper than the stack
        return True


def _walk(items: Tree, i: int, word: str, steps: list[int]) -> bool:
    """Whether items can read word[i:] and then, past it, a character that is no letter
    (`word`: the opening read)."""
    steps[0] += 1
    if steps[0] > _BUDGET:
        return True
    if not items:
        return True  # the match may end here, whatever follows
    (op, av), rest = items[0], items[1:]
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return _walk(rest, i, word, steps)  # (zero width: not followed)
    if op is _sre.LITERAL:
        return _step(_kinds((chr(av),)), rest, i, word, steps)
    if op is _sre.IN:
        return _step(_class_kinds(av), rest, i, word, steps)
    if op is _sre.BRANCH:
        return any(_walk(list(branch) + rest, i, word, steps) for branch in av[1])
    if op is _sre.SUBPATTERN:
        return _walk(list(av[3]) + rest, i, word, steps)
    if op is _sre.ATOMIC_GROUP:
        return _walk(list(av) + rest, i, word, steps)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, high, body = av
        if low == 0 and _walk(rest, i, word, steps):
            return True
        if high == 0:
            return False
        again = (op, (max(0, low - 1), high if high is _sre.MAXREPEAT else high - 1, body))
        return _walk([*body, again, *rest], i, word, steps)
    return True  # any character, a back reference, a conditional: not followed


def _step(kinds: frozenset[str] | None, rest: Tree, i: int, word: str,
          steps: list[int]) -> bool:
    """One character of the pattern, which may be any of `kinds` (a lower-case ASCII
    letter, " " for the space, or "other" for any other character that is no ASCII letter
    and none folded to one; None: unknown), against the opening's next character or the
    one past it."""
    if kinds is None:
        return True
    if i == len(word):
        return "other" in kinds or " " in kinds
    return word[i] in kinds and _walk(rest, i + 1, word, steps)


def _kinds(chars: tuple[str, ...]) -> frozenset[str] | None:
    kinds = set()
    for ch in chars:
        if ch.isascii():
            kinds.add(ch.lower() if ch.isalpha() else " " if ch == " " else "other")
        elif ch in FOLDED or ch.lower().isascii() or ch.upper().isascii():
            return None
        else:
            kinds.add("other")
    return frozenset(kinds)


def _class_kinds(items: Tree) -> frozenset[str] | None:
    """The kinds a character class may match; None where it is negated or holds a class
    of letters (\\w, \\S)."""
    chars: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            chars.append(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] <= _LARGE_RANGE:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_DIGIT:
            chars.append("0")  # (no digit is a letter)
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_SPACE:
            chars.extend(" \t")  # (the space, and white space that is no letter)
        else:
            return None
    return _kinds(tuple(chars))
