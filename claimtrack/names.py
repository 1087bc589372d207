"""Reading who a noun phrase names: a person, a body, a pronoun, or nobody in particular.

Shared by the structure reader (lead-ins, "Name said:" lines, speaker labels,
by-lines) and the attribution of single sentences. Word lists live in
data/attribution.toml.
"""

from __future__ import annotations

import attrs
import regex

from .patterns import alt
from .rules import RuleSet

# A capitalised word of a name.
_CAP = r"(?:[A-Z][\w'’.&-]*+|[A-Z]{2,})"
_POSSESSIVE = regex.compile(r"['’]s$")
# a sentence's full stop after a name: a long last word or an acronym ("INE.", "the ONS."),
# not the stop of an abbreviation ("Acme Inc.", "J.", "the U.S.")
_SENTENCE_END = regex.compile(r"(?<=\b(?:[\w'’-]{4,}|(?<!\.)[A-Z]{2,3}))\.$")
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


def name_pattern(r: RuleSet) -> str:
    """A name as a pattern: capitalised words, joined by the small words names are built
    with ("Bank of England", "Ursula von der Leyen")."""
    return r.memo(_build_name_pattern)


def _build_name_pattern(r: RuleSet) -> str:
    join = alt(r.name_particles)
    suffix = alt(r.company_suffixes)  # "Harlow Foods plc"
    return (rf"{_CAP}(?:[ \t\u00a0]++(?:{join}[ \t\u00a0]++)*+{_CAP})*+"
            rf"(?:[ \t\u00a0]++(?-i:{suffix})\b\.?+)?+")


@attrs.frozen
class _Words:
    """The patterns and word classes of this module, built once per rule set."""

    name_only: regex.Pattern[str]
    trailing_name: regex.Pattern[str]  # closing lower-case descriptors: "council leader Jo Roe"
    spokes: regex.Pattern[str]  # "a spokesman for Acme"
    prepositions: frozenset[str]
    anonymous: frozenset[str]  # determiners of a description naming nobody: "an official"
    determiners: frozenset[str]
    possessives: frozenset[str]  # "its", "their": a body named by its noun, as "the" does


def _words(r: RuleSet) -> _Words:
    return r.memo(_build_words)


def _build_words(r: RuleSet) -> _Words:
    name = name_pattern(r)
    anonymous = r.word_list("anonymous_determiners")
    return _Words(
        name_only=regex.compile(rf"(?i:the\s++)?(?P<name>{name})"),
        trailing_name=regex.compile(rf"(?:^|\s)(?P<name>{name})$"),
        spokes=regex.compile(rf"\b(?:an?|the)?\s*+(?:\w+\s++)?{alt(r.spokes)}\s++"
                             rf"(?:for|from|at|of)\s++(?:the\s++)?(?P<body>{name})", regex.I),
        prepositions=r.word_list("name_prepositions"),
        anonymous=anonymous,
        determiners=anonymous | r.word_list("possessive_determiners"),
        possessives=r.word_list("possessive_determiners"))


def _without_honorific(phrase: str, r: RuleSet) -> str:
    """ "Dr Amara Okafor" -> "Amara Okafor"; "Lord Patel" keeps its title (one word is left)."""
    words = phrase.split()
    if len(words) >= 3 and words[0].lower().rstrip(".") in r.honorifics:
        return " ".join(words[1:])
    if len(words) >= 3 and words[-1].isupper() and words[-1].lower() in r.honorifics:
        return " ".join(words[:-1])  # "Dana Holt MP"
    return phrase


def is_name(phrase: str, r: RuleSet) -> bool:
    """Whether `phrase` is made only of a name's words ("Dominic Raab", "Working Links")."""
    phrase = _without_honorific(phrase.strip(" \t\u00a0"), r)
    if not phrase or phrase.lower() in r.generic or phrase.lower() in r.referring:
        return False
    found = _words(r).name_only.fullmatch(phrase)
    if found is None:
        return False
    words = found["name"].lower().split()
    if len(words) == 1 and (words[0] in r.weekdays or words[0] in r.months):
        return False  # "last Saturday found": a date, not a body
    return words[0] not in r.generic and words[0] not in r.stopwords


def is_role(phrase: str, r: RuleSet) -> bool:
    """Whether a phrase names a post rather than a person: "Director of Adult Social Care",
    "its regional organiser", "Transport Correspondent"."""
    words = [w.lower().strip(".,") for w in phrase.split()]
    while words and words[0] in _words(r).determiners:
        words = words[1:]
    if not words:
        return False
    head = " ".join(words[:2])
    return head in r.roles or any(len(w) > 1 and w in r.roles for w in words[:3])


def clean_name(phrase: str) -> str:
    """A name without a leading "the" or a trailing possessive."""
    phrase = phrase.strip(" \t\u00a0,;:")
    if phrase[:4].lower() == "the ":
        phrase = phrase[4:]
    if _SENTENCE_END.search(phrase):
        phrase = phrase[:-1]  # "figures from NHS Westland."
    return str(_POSSESSIVE.sub("", phrase))


def person_name(phrase: str, r: RuleSet) -> str:
    """A person's name as a speaker: cleaned, without a leading title ("Dr", "Councillor")."""
    return _without_honorific(clean_name(phrase), r)


def _name_in(part: str, r: RuleSet) -> str | None:
    """The person or body a comma-separated part names, if it names one."""
    if is_name(part, r) and not is_role(part, r):
        return person_name(part, r)
    trailing = _words(r).trailing_name.search(part)
    if trailing is None or trailing.start("name") == 0:
        return None
    name = trailing["name"]
    before = [w.lower() for w in part[:trailing.start("name")].split()]
    if any(w in _words(r).prepositions for w in before):
        return None  # "the director of Acme", "a report by Acme": Acme is not the speaker
    if len(name.split()) >= 2 and is_name(name, r) and not is_role(name, r):
        return person_name(name, r)
    if before and before[-1] in r.bodies and is_name(name, r) and not is_role(name, r):
        return clean_name(name)  # "the union SINCTA", "the airport operator ANA"
    return None


def is_document(words: list[str], r: RuleSet) -> bool:
    """Whether a subject is a report or survey: "A report by Acme", "Figures from Acme",
    "The inspectorate's annual report", "Review of part-privatisation"."""
    low = [w.lower().removesuffix("'s").removesuffix("’s") for w in words]
    classes = _words(r)
    while low and low[0] in classes.determiners:
        low = low[1:]
    if not low:
        return False
    head = next((i for i, w in enumerate(low) if w in classes.prepositions), len(low))
    if head == len(low) and len(low) <= 5:
        return low[-1] in r.source_nouns  # "the inspectorate's annual report"
    return any(w in r.source_nouns for w in low[:min(head, 3)]) and head < 4


def _after_title(phrase: str, r: RuleSet) -> str:
    """ "Justice Secretary Jo Bloggs" -> "Jo Bloggs"; a title with "of" in it is kept whole,
    since where the body's name ends is not known ("Mayor of Kingsmere Jo Bloggs")."""
    words = phrase.split()
    if any(w.lower() in ("of", "for") for w in words):
        return phrase
    last_role = max((i for i, w in enumerate(words) if w.lower() in r.roles), default=-1)
    rest = words[last_role + 1:]
    return " ".join(rest) if len(rest) >= 2 else phrase


def read_who(subject: str, r: RuleSet) -> Who:
    """Who the subject of a reporting verb names.

    "Mike Cracknell, Unison's regional organiser" -> Mike Cracknell;
    "Cameron, in his speech on Monday," -> Cameron; "A spokesman for Acme" -> Acme;
    "council leader Jo Bloggs" -> Jo Bloggs; "Dr Jo Bloggs, Director of Care" -> Jo Bloggs;
    "he" -> the last speaker; "the officer who spoke to us" -> nobody named.
    """
    subject = _without_adverbs(subject.strip(" \t\u00a0,;:-—–\"“”'‘’"), r)
    if not subject:
        return NOBODY
    low = subject.lower()
    parts = [p.strip() for p in subject.split(",") if p.strip()]
    if low in r.referring or (parts and parts[-1].lower() in r.referring):
        return Who("refer")
    words = _WORD.findall(subject)
    if words and _unnamed(words, r):
        return Who("anonymous")  # "officials said", "Turkish authorities said"
    if low in r.generic or low in r.stopwords:
        return NOBODY
    if len(words) > 16:
        return NOBODY
    if is_document(words, r):
        return NOBODY  # "a report by Acme estimated": a source (see attribution), not a speaker
    spokes = _words(r).spokes.search(subject)
    if spokes is not None:
        return Who("name", clean_name(spokes["body"]))
    for part in parts:
        name = _name_in(part, r)
        if name is not None:
            return Who("name", name)
    for part in parts:
        if is_name(part, r):  # a post and a name: "Justice Secretary Jo Bloggs"
            return Who("name", _after_title(person_name(part, r), r))
    body = _definite_body(words, r)
    if body is not None:
        return Who("name", body)  # "The council says", "the port authority said"
    first = words[0].lower() if words else ""
    if first in _words(r).anonymous and len(words) >= 2:
        return Who("anonymous")
    return NOBODY


def _without_adverbs(subject: str, r: RuleSet) -> str:
    """ "the World Bank also" -> "the World Bank": words between a subject and its verb."""
    words = subject.split()
    while len(words) > 1 and words[-1].lower() in r.adverbs:
        words.pop()
    return " ".join(words) if len(words) != len(subject.split()) else subject


def _unnamed(words: list[str], r: RuleSet) -> bool:
    """ "officials", "local officials", "Turkish authorities": people left unnamed."""
    if len(words) > 3:
        return False
    low = " ".join(w.lower() for w in words)
    if low in r.unnamed or low.removeprefix("the ") in r.unnamed:
        return True
    # "Turkish authorities", "local officials" (but "the Water Authority" is named)
    return words[-1].lower() in r.unnamed and words[0].lower() != "the"


def _definite_body(words: list[str], r: RuleSet) -> str | None:
    """ "The council", "the port authority": one body the reader knows, named by its noun;
    "Peru's civil defense agency": a country's or body's, named with its owner."""
    owned = len(words) >= 2 and words[0][:1].isupper() and \
        words[0].lower().endswith(("'s", "’s")) and words[0][:-2].isalpha()
    # "the union"; "their union", "its regulator": the body of someone named before
    if not 2 <= len(words) <= 4 or (words[0].lower() != "the" and not owned
                                    and words[0].lower() not in _words(r).possessives):
        return None
    rest = [w.lower() for w in words[1:]]
    # "the tenants' union", "the workers’ association": a possessive names it too
    bare = [w.removesuffix("'").removesuffix("’") for w in rest]
    if rest[-1] not in r.bodies or any(not w.isalpha() or w in r.stopwords for w in bare):
        return None
    if words[0].lower() != "the" and is_role(" ".join(rest), r):
        return None  # "its chief executive": a person unnamed, not a body
    return " ".join(words) if owned else " ".join(rest)
