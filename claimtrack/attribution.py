"""The speaker and source of one claim: its segment's voice, then the cues of its sentence.

A segment (segments.py) says whose text a claim stands in; a sentence can say
otherwise: "according to the Audit Office" or "a survey by the union found"
names a source, "Jane Smith said that ..." or a quotation closed by
", Jane Smith said" names a speaker, and "the officer who spoke to us said"
makes the figure an unnamed person's. The cue that decided is kept, so a user
can see why.
"""

from __future__ import annotations

import functools

import regex

from .model import Attribution
from .names import NAME, NOBODY, Who, clean_name, is_name, read_who
from .rules import Rules, rules
from .segments import Segment

_WINDOW = 1500  # how far back "he said" looks for the person it refers to
_CLAUSE_START = regex.compile(r"[;:“”\"(]|(?<=\w)[,.]\s++(?:and|but)\s|\b(?:and|but|while|whilst)\s++(?=\w+\s++(?:said|says))")
_TIME_AFTER_VERB = regex.compile(r"\s*+(?:today|yesterday|on\s++\w+day|last\s++\w+|this\s++\w+|earlier|later)\b", regex.I)


def _alt(words: frozenset[str]) -> str:
    return "|".join(sorted((regex.escape(w).replace(r"\ ", r"\s++") for w in words), key=len, reverse=True))


@functools.cache
def _patterns() -> dict[str, regex.Pattern[str]]:
    r = rules()
    verbs, nouns, source_verbs = _alt(r.speech_verbs), _alt(r.source_nouns), _alt(r.source_verbs)
    return {
        "according": regex.compile(
            rf"\b(?i:according\s++to\s++(?:the\s++)?(?:latest\s++|new\s++|recent\s++)?)"
            rf"(?P<src>{NAME}(?:['’]s\s++(?:[\w-]++\s++){{0,3}}?(?i:{nouns})|\s++(?i:{nouns}))?)"),
        "according_any": regex.compile(r"\baccording\s++to\s++(?P<src>[^,;:()\n]{3,80}?)(?=\s*+(?:[,;:()\n]|\bin\s++\d|$))", regex.I),
        "noun_by": regex.compile(
            rf"\b(?i:(?:an?|the|this|that|its|their)\s++(?:[\w-]++\s++){{0,2}}?(?P<noun>{nouns})\s++"
            rf"(?:(?:conducted|carried\s++out|published|commissioned|released|compiled|run|produced)\s++)?"
            rf"(?:by|from|for)\s++(?:the\s++)?)(?P<org>{NAME})"),
        "possessive": regex.compile(
            rf"(?P<org>{NAME})['’]s\s++(?:(?-i:[a-z][\w-]*+)\s++){{0,3}}?(?P<noun>(?i:{nouns}))\b"),
        "from_org": regex.compile(
            rf"\b(?i:(?:figures|data|statistics|numbers|research|estimates)\s++"
            rf"(?:(?:published|released|obtained|compiled)\s++)?(?:from|by)\s++(?:the\s++)?)(?P<org>{NAME})"),
        "org_found": regex.compile(rf"(?P<org>{NAME})\s++(?i:{source_verbs})\s++(?:that\s++)?"),
        "source_verb": regex.compile(rf"\b(?:{source_verbs})\b", regex.I),
        "speech_verb": regex.compile(rf"\b(?:{verbs})\b", regex.I),
        "speech_verb_back": regex.compile(rf"\b(?:{verbs})\b", regex.I | regex.REVERSE),
        "quote_said": regex.compile(
            rf"[,.!?]?\s*+[”\"’']\s*+(?:(?P<verb>{verbs})\s++(?P<who1>(?:the\s++)?[^.,;:\n“”\"]{{1,80}}?)|(?P<who2>[^.,;:\n“”\"]{{1,80}}?)\s++(?:{verbs}))\s*+[.,;]",
            regex.I),
    }


def attribute(text: str, start: int, end: int, sentence: tuple[int, int],
              segment: Segment | None) -> Attribution:
    """Who says the figure at text[start:end], and on whose authority."""
    r = rules()
    speaker = segment.speaker if segment else None
    source = segment.source if segment else None
    cue = segment.cue if segment else None
    s_start, s_end = sentence
    paragraph = _paragraph(text, start)
    quoted = _quoted_speaker(text, start, paragraph, segment, r)
    if quoted is not None:
        who, why = quoted
        speaker, cue = who, why
    else:
        reported = _reported_speaker(text, start, end, s_start, segment, r)
        if reported is not None:
            speaker, cue = reported
    cited = _cited_source(text, start, s_start, s_end, r)
    if cited is not None:
        source, cue = cited
    return Attribution(speaker=speaker, source=source, cue=cue)


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return lo, len(text) if hi < 0 else hi


def _inside_quotes(text: str, lo: int, pos: int) -> bool:
    before = text[lo:pos]
    straight = before.count('"')
    if straight % 2 == 1:
        return True
    return before.count("“") > before.count("”")


def _quoted_speaker(text: str, pos: int, paragraph: tuple[int, int], segment: Segment | None,
                    r: Rules) -> tuple[str | None, str] | None:
    """A figure inside quotation marks, in a paragraph that says whose the quotation is."""
    lo, hi = paragraph
    if not _inside_quotes(text, lo, pos):
        return None
    said = _patterns()["quote_said"].search(text, lo, hi)
    if said is None:
        return None
    phrase = said["who1"] or said["who2"] or ""
    who = read_who(phrase, r)
    if who.kind == "none":
        return None
    return _resolve(text, said.start(), who, segment, r), f"quotation attributed by {said.group().strip()!r}"


def _reported_speaker(text: str, start: int, end: int, s_start: int, segment: Segment | None,
                      r: Rules) -> tuple[str | None, str] | None:
    """"X said (that) ... <figure>": the subject of the last reporting verb before the figure."""
    p = _patterns()
    verb = None
    for found in p["speech_verb"].finditer(text, s_start, start):
        verb = found
    if verb is None:
        return None
    if verb.end() <= start and _TIME_AFTER_VERB.match(text, verb.end()) and \
            _TIME_AFTER_VERB.match(text, verb.end()).end() >= end:
        return None  # "said today": the time of the saying, the narrator's
    clause_start = s_start
    for brk in _CLAUSE_START.finditer(text, s_start, verb.start()):
        clause_start = brk.end()
    who = read_who(text[clause_start:verb.start()], r)
    if who.kind == "none":
        return None
    speaker = _resolve(text, verb.start(), who, segment, r)
    return speaker, f"reported speech {text[clause_start:verb.end()].strip()!r}"


def _resolve(text: str, pos: int, who: Who, segment: Segment | None, r: Rules) -> str | None:
    if who.kind == "name":
        return who.name
    if who.kind == "anonymous":
        return None
    # "he said": the last person named as saying something, before this point. Read
    # backwards and stop at the first name, at most a few verbs back, so that a text
    # full of "he said" stays linear.
    lo = max(0, pos - _WINDOW)
    if segment is not None:
        lo = max(lo, segment.start)
    named = None
    for tries, found in enumerate(_patterns()["speech_verb_back"].finditer(text, lo, pos)):
        if tries >= 6:
            break
        after = regex.match(r"\s++(?P<who>(?:the\s++)?[^.,;:\n“”\"]{1,60}?)\s*+[.,;]",
                            text[found.end():min(pos, found.end() + 80)])
        inverted = read_who(after["who"], r) if after is not None else NOBODY
        if inverted.kind == "name":
            named = inverted.name
            break
        clause = text[max(lo, found.start() - 200):found.start()]
        cut = max(clause.rfind(ch) for ch in ".;:“”\"\n")
        candidate = read_who(clause[cut + 1:], r)
        if candidate.kind == "name":
            named = candidate.name
            break
    if named is None and segment is not None and segment.role in ("speech", "turn"):
        return segment.speaker
    return named


def _cited_source(text: str, start: int, s_start: int, s_end: int, r: Rules) -> tuple[str, str] | None:
    """A source the sentence names for its figures."""
    p = _patterns()
    found = p["according"].search(text, s_start, s_end) or None
    if found is not None:
        return clean_name(found["src"]), f"citation {found.group()!r}"
    loose = p["according_any"].search(text, s_start, s_end)
    if loose is not None and any(c.isupper() for c in loose["src"]):
        return clean_name(loose["src"]), f"citation {loose.group()!r}"
    best: tuple[int, str, str] | None = None
    for name in ("noun_by", "possessive", "from_org"):
        for m in p[name].finditer(text, s_start, start):
            if not is_name(m["org"], r):
                continue
            org = clean_name(m["org"])
            noun = m.groupdict().get("noun")
            label = f"{org} {noun.lower()}" if noun and name == "noun_by" else (
                f"{org}'s {noun.lower()}" if noun else org)
            # A finding comes after its verb: "a survey by X, done in 2014, found 99%".
            verb = p["source_verb"].search(text, m.end(), start) if name == "noun_by" else None
            if name == "noun_by" and verb is None and p["source_verb"].search(text, m.end(), s_end):
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), label, f"citation {m.group()!r}")
    for m in p["org_found"].finditer(text, s_start, start):
        if is_name(m["org"], r) and (best is None or m.start() > best[0]):
            best = (m.start(), clean_name(m["org"]), f"finding {m.group().strip()!r}")
    if best is None:
        return None
    return best[1], best[2]
