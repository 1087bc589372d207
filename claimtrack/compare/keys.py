"""A coarse key of a claim (family and what it measures in one word), for a store that
indexes claims by one key (the store here indexes every block instead, with
`blocking_keys`); the linking itself is compare()'s.

A key is the claim's family (kind, unit family, `per`) and what it measures in one
word: its counted noun (through the lexicon: 'crc' for 'community rehabilitation
companies' when a text defines CRCs), else the head of its subject.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import regex

from ..aliases import Lexicon, normal_words
from ..model import Claim
from ..nouns import word_classes
from ..patterns import alt
from ..rules import RuleSet
from .evidence import _counted_noun, link_words
from .findings import collection_lexicon
from .link import family
from .words import patterns

_MAX_SUBJECT_WORDS = 2

def _leading_verb(r: RuleSet) -> regex.Pattern[str]:
    """A verb and a preposition opening a subject ("spent on", "paid to")."""
    return regex.compile(rf"(?P<verb>[a-z]++)\s++{alt(r.word_classes['prepositions'])}\s++(?=\w)",
                         regex.I)


def _verbs(r: RuleSet) -> frozenset[str]:
    """Verbs that may open a subject read after a figure ('spent on', 'paid to')."""
    return r.verbs | r.word_list("past_verbs") | r.word_classes["lexical"]


@attrs.frozen
class Key:
    """What a claim is indexed under in the store (see the module docstring)."""

    #: the subject as history looks it up ('paramedic vacancy')
    subject: str
    kind: str
    unit: str | None
    per: str | None
    when: str | None = None
    #: what the index groups by: the counted noun, else the subject's head ('vacancy')
    head: str = ""

    def block(self) -> tuple[str, str, str | None, str | None, str | None]:
        return (self.head or self.subject, self.kind, self.unit, self.per, None)

    def label(self) -> str:
        return "|".join(p for p in (self.subject, self.kind, self.unit, self.per) if p)


def subject_words(subject: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The identifying words of a subject: aliases resolved, function words and
    non-identifying words dropped, at most the head noun and one word before it."""
    r = RuleSet.default()
    drop = link_words().drop
    # "spent on speed enforcement": what the money went on, not the verb
    verb = r.memo(_leading_verb).match(subject)
    if verb is not None and verb["verb"].lower() in _verbs(r):
        subject = subject[verb.end():]
    # "paramedic vacancies in the trust": the head noun comes before the preposition
    subject = patterns().subject_tail.sub("", subject)
    kept = [w for w in lexicon.canonical(normal_words(subject))
            if w not in drop and w not in r.stopwords and w not in r.verbs]
    # "food prices rose", "council tax rise": a word of change closing a subject says how it
    # moved, not what it is (unless the lexicon names a measure by it: a "spending cut")
    changes = word_classes(r).change_verbs
    while len(kept) > 1 and kept[-1] in changes and (kept[-1],) not in lexicon.phrases:
        kept.pop()
    return tuple(kept[-_MAX_SUBJECT_WORDS:])


def claim_key(claim: Claim, lexicon: Lexicon) -> Key | None:
    """The key of one claim, or None when it names nothing to index it by."""
    noun, _ = _counted_noun(claim, lexicon)
    words = subject_words(claim.subject or "", lexicon)
    head = noun or (words[-1] if words else None)
    if head is None:
        return None
    kind, unit, per = family(claim)
    return Key(subject=" ".join(words) or head, kind=kind, unit=unit, per=per, head=head)


def alternate_blocks(key: Key, lexicon: Lexicon) -> list[tuple[str, str, str | None,
                                                               str | None, None]]:
    """The other blocks claims of this key may be stored under: an acronym's and the
    heads of its spelled-out names ('crh' and 'hub'), whichever this key has."""
    heads: set[str] = set()
    for phrase, target in lexicon.phrases.items():
        if len(phrase) < 2:
            continue
        head = phrase[-1]
        if key.head == target:
            heads.add(head)
        elif key.head == head:
            heads.add(target)
    return [(h, key.kind, key.unit, key.per, None) for h in sorted(heads - {key.head})]


def keyed(claims: Iterable[Claim], *, aliases: Lexicon | str | Path | None = None,
          texts: Mapping[str, str] | None = None) -> list[tuple[Claim, Key | None]]:
    """Each claim with the key the store indexes it under."""
    claims = list(claims)
    lexicon = collection_lexicon(claims, aliases, texts)
    return [(claim, claim_key(claim, lexicon)) for claim in claims]
