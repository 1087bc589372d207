"""The speaker and source of one claim: its segment's voice, then the cues of its sentence.

A segment (segments.py) says whose text a claim stands in; a sentence can say
otherwise: "according to the Audit Office" or "a survey by the union found"
names a source, "Jane Smith said that ..." or a quotation opened by
"Jane Smith said:" or closed by ", Jane Smith said" names a speaker, and "the
officer who spoke to us said" makes the figure an unnamed person's. A press
release's issuer saying something of itself ("the council announced") is the
release's own narration. The cue that decided is kept, so a user can see why.
"""

from __future__ import annotations

import regex

from .model import Attribution
from .names import NAME, NOBODY, Who, clean_name, is_name, read_who
from .patterns import alt
from .rules import RuleSet
from .segments import Segment

_WINDOW = 1500  # how far back "he said" looks for the person it refers to
_QUOTE_WINDOW = 2000  # how far back in a paragraph a quotation is looked for
# Where the subject of a reporting verb can begin: after a quotation mark, or "and"/"but".
_CLAUSE_START = regex.compile(
    r"[;:“”\"(]|(?<=\w)[,.]\s++(?:and|but)\s|\b(?:and|but|while|whilst)\s++(?=\w+\s++(?:said|says))")
# "said today": the time of the saying.
_TIME_AFTER_VERB = regex.compile(
    r"\s*+(?:today|yesterday|on\s++\w+day|last\s++\w+|this\s++\w+|earlier|later)\b", regex.I)
# A subject that is only a conjunction: "X said ... but warned that": X again.
_SHARED_SUBJECT = regex.compile(r"^[\s,]*+(?:and|but|or|then|and\s++then|yet)?[\s,]*+$", regex.I)
# A coordinated clause between a figure and a later citation: "A since 2022 and, according to X, B".
_NEW_CLAUSE = regex.compile(r";|,?\s++(?:and|but|whereas|although)\s*+,", regex.I)
# The narrator's own adverbial clause after a report: "X confirmed that ..., after 2,380 people
# signed our petition".
_NARRATOR_CLAUSE = regex.compile(
    r",\s*+(?:after|following|because|while|whilst|although|though)\b", regex.I)
_QUOTE_MARK = regex.compile(r'["“”]')
# A body written in lower case after "the": "a survey for the harbour board".
_LOWER_BODY = r"(?P<lorg>[a-z][\w'’-]*+(?:\s++[a-z][\w'’-]*+){0,2}?)"


def _patterns(r: RuleSet) -> dict[str, regex.Pattern[str]]:
    return r.memo(_build_patterns)


def _build_patterns(r: RuleSet) -> dict[str, regex.Pattern[str]]:
    verbs, nouns, source_verbs = alt(r.speech_verbs), alt(r.source_nouns), alt(r.source_verbs)
    noun_by = (
        rf"\b(?i:(?:an?|the|this|that|its|their|new|latest|recent)\s++(?:[\w-]++\s++){{0,2}}?(?P<noun>{nouns})\s++"
        rf"(?:(?:conducted|carried\s++out|published|commissioned|released|compiled|run|produced)\s++)?"
        rf"(?:by|from|for)\s++)(?:(?:(?i:the)\s++)?(?P<org>{NAME})|(?i:the)\s++{_LOWER_BODY}"
        rf"(?=\s*+[,;:.)]|\s++(?:{source_verbs}|{verbs}|that)\b))")
    return {
        "according": regex.compile(r"\baccording\s++to\s++", regex.I),
        "according_name": regex.compile(
            rf"(?i:(?:the\s++)?(?:latest\s++|new\s++|recent\s++)?)"
            rf"(?P<src>{NAME}(?:['’]s\s++(?:[\w-]++\s++){{0,3}}?(?i:{nouns})|\s++(?i:{nouns}))?)"),
        "according_any": regex.compile(
            r"(?P<src>[^,;:()\n]{3,80}?)(?=\s*+(?:[,;:()\n]|\bin\s++\d|$))"),
        "noun_by": regex.compile(noun_by),
        "noun_by_at": regex.compile(rf"(?:{noun_by})"),
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
        # "Jo Bloggs, director, said: "..." - a quotation opened by its speaker.
        "said_colon": regex.compile(rf"(?<=\s)(?i:{verbs})(?:\s++\w++)?\s*+[:,]?\s*+$"),
    }


def attribute(text: str, start: int, end: int, sentence: tuple[int, int],
              segment: Segment | None, r: RuleSet) -> Attribution:
    """Who says the figure at text[start:end], and on whose authority."""
    speaker = segment.speaker if segment else None
    source = segment.source if segment else None
    cue = segment.cue if segment else None
    s_start, s_end = sentence
    said = (_quoted_speaker(text, start, segment, r)
            or _reported_speaker(text, start, end, s_start, segment, r))
    if said is not None:
        who, why = said
        if who is not None and segment is not None and _same_body(who, segment.issuer):
            why = f"the issuer speaking of itself ({why})"
        else:
            speaker = who
        cue = why
    cited = _cited_source(text, start, end, s_start, s_end, r)
    if cited is not None:
        source, cue = cited
    return Attribution(speaker=speaker, source=source, cue=cue)


def _same_body(who: str, issuer: str | None) -> bool:
    if issuer is None:
        return False
    a, b = who.lower().split(), issuer.lower().split()
    return a == b or (len(a) >= 2 and a[-2:] == b[-2:])


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    """The paragraph around `pos`, at most _QUOTE_WINDOW either side (so a text of one
    endless line stays linear)."""
    lo = text.rfind("\n", max(0, pos - _QUOTE_WINDOW), pos) + 1
    limit = min(len(text), pos + _QUOTE_WINDOW)
    hi = text.find("\n", pos, limit)
    return max(lo, pos - _QUOTE_WINDOW), limit if hi < 0 else hi


def _open_quote(text: str, lo: int, pos: int) -> int | None:
    """Where the quotation holding `pos` opens, if `pos` is inside one."""
    opened = None
    for mark in _QUOTE_MARK.finditer(text, lo, pos):
        ch = mark.group()
        if ch == '"':
            opened = mark.start() if opened is None else None
        else:
            opened = mark.start() if ch == "“" else None
    return opened


def _quoted_speaker(text: str, pos: int, segment: Segment | None,
                    r: RuleSet) -> tuple[str | None, str] | None:
    """A figure inside quotation marks, in a paragraph that says whose the quotation is."""
    lo, hi = _paragraph(text, pos)
    opened = _open_quote(text, lo, pos)
    if opened is None:
        return None
    p = _patterns(r)
    intro = p["said_colon"].search(text, max(lo, opened - 40), opened)
    if intro is not None:
        before = text[max(lo, intro.start() - 200):intro.start()]
        cut = max(before.rfind(ch) for ch in ".!?:;\n“”\"")
        who = read_who(before[cut + 1:], r)
        if who.kind != "none":
            begin = intro.start() - len(before) + cut + 1
            return (_resolve(text, begin, who, segment, r),
                    f"quotation opened by {text[begin:opened].strip()!r}")
    said = p["quote_said"].search(text, pos, hi) or p["quote_said"].search(text, lo, hi)
    if said is None:
        return None
    phrase = said["who1"] or said["who2"] or ""
    who = read_who(phrase, r)
    if who.kind == "none":
        return None
    why = f"quotation attributed by {said.group().strip()!r}"
    return _resolve(text, said.start(), who, segment, r), why


def _reported_speaker(text: str, start: int, end: int, s_start: int, segment: Segment | None,
                      r: RuleSet) -> tuple[str | None, str] | None:
    """"X said (that) ... <figure>": the subject of the last reporting verb before the figure
    ("X said ... but warned that <figure>": X, the subject both verbs share)."""
    p = _patterns(r)
    verbs = list(p["speech_verb"].finditer(text, s_start, start))
    if not verbs:
        return None
    last = verbs[-1]
    after = _TIME_AFTER_VERB.match(text, last.end())
    if after is not None and after.end() >= end:
        return None  # "said today": the time of the saying, the narrator's
    if _NARRATOR_CLAUSE.search(text, last.end(), start):
        return None
    for verb in reversed(verbs):
        clause_start = s_start
        for brk in _CLAUSE_START.finditer(text, s_start, verb.start()):
            clause_start = brk.end()
        subject = text[clause_start:verb.start()]
        if _SHARED_SUBJECT.match(subject) and clause_start > s_start:
            continue
        who = read_who(subject, r)
        if who.kind != "name" and _PRONOUN_LAST.search(subject):
            who = Who("refer")  # "..., which he said", "and she said": a pronoun subject
        if who.kind == "none":
            return None
        speaker = _resolve(text, verb.start(), who, segment, r)
        return speaker, f"reported speech {text[clause_start:verb.end()].strip()!r}"
    return None


def _resolve(text: str, pos: int, who: Who, segment: Segment | None, r: RuleSet) -> str | None:
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
    for tries, found in enumerate(_patterns(r)["speech_verb_back"].finditer(text, lo, pos)):
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
    if named is None:  # "Jo Bloggs, the minister, spoke on Monday. He said ...": the last name
        named = _last_person_named(text, max(lo, pos - _PRONOUN_REACH), pos, r)
    return named


_PRONOUN_LAST = regex.compile(r"(?:^|\W)(?i:he|she)\s*+$")
_PRONOUN_REACH = 300  # how far back "he said" looks for a name said without a verb
_NAME_RUN = regex.compile(NAME)


def _last_person_named(text: str, lo: int, pos: int, r: RuleSet) -> str | None:
    """The last name of a person (two or more capitalised words) in text[lo:pos]."""
    found = None
    for m in _NAME_RUN.finditer(text, lo, pos):
        words = m.group().split()
        cut = m.start() == lo and lo > 0 and text[lo - 1].isalpha()
        if cut or len(words) < 2 or any(
                not w.replace("-", "").replace("'", "").isalpha() or w.lower() in r.months
                or w.lower() in r.weekdays or w.lower() in r.referring for w in words):
            continue  # "Monday. He", a name cut at the window's edge
        name = clean_name(m.group())
        if is_name(name, r):
            found = name
    return found


def _cited_source(text: str, start: int, end: int, s_start: int, s_end: int,
                  r: RuleSet) -> tuple[str, str] | None:
    """A source the sentence names for its figures."""
    p = _patterns(r)
    for found in p["according"].finditer(text, s_start, s_end):
        if found.start() >= end and _NEW_CLAUSE.search(text, end, found.start()):
            continue  # "A since 2022 and, according to X, B": X is B's source, not A's
        label = _according_source(text, found.end(), s_end, r)
        if label is not None:
            return label, f"citation {text[found.start():min(s_end, found.end() + 60)].strip()!r}"
    best: tuple[int, str, str] | None = None
    covered = -1  # where the last document citation ends: "a report by X found" is X's report
    for name in ("noun_by", "possessive", "from_org"):
        for m in p[name].finditer(text, s_start, start):
            label = _document_label(m, name, r)
            if label is None:
                continue
            # A finding comes after its verb: "a survey by X, done in 2014, found 99%".
            verb = p["source_verb"].search(text, m.end(), start) if name == "noun_by" else None
            if name == "noun_by" and verb is None and p["source_verb"].search(text, m.end(), s_end):
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), label, f"citation {m.group()!r}")
                covered = max(covered, m.end())
    for m in p["org_found"].finditer(text, s_start, start):
        if m.start() < covered:
            continue
        if is_name(m["org"], r) and (best is None or m.start() > best[0]):
            best = (m.start(), clean_name(m["org"]), f"finding {m.group().strip()!r}")
    if best is None:
        return None
    return best[1], best[2]


def _according_source(text: str, pos: int, limit: int, r: RuleSet) -> str | None:
    """What "according to" names: "a survey for the harbour board" -> "harbour board survey"."""
    p = _patterns(r)
    document = p["noun_by_at"].match(text, pos, limit)
    if document is not None:
        label = _document_label(document, "noun_by", r)
        if label is not None:
            return label
    figures = p["from_org"].match(text, pos, limit)
    if figures is not None and is_name(figures["org"], r):
        return clean_name(figures["org"])
    named = p["according_name"].match(text, pos, limit)
    if named is not None and is_name(named["src"].split("'")[0].split("’")[0], r):
        return clean_name(named["src"])
    loose = p["according_any"].match(text, pos, limit)
    if loose is not None and (any(c.isupper() for c in loose["src"])
                              or _names_a_body(loose["src"], r)):
        return clean_name(loose["src"])
    return None


def _names_a_body(phrase: str, r: RuleSet) -> bool:
    """'the health board', "the council's own figures": an organisation or its data."""
    words = {w.lower().removesuffix("'s").removesuffix("’s") for w in phrase.split()}
    return bool(words & r.bodies or words & r.source_nouns)


def _document_label(m: regex.Match[str], name: str, r: RuleSet) -> str | None:
    """The source a citation match names: "Unison survey", "HMIP's audit", "the ONS"."""
    groups = m.groupdict()
    noun = groups.get("noun")
    if groups.get("lorg"):
        words = groups["lorg"].split()
        if any(w in r.stopwords or w in r.generic for w in words):
            return None
        return f"{groups['lorg']} {noun.lower()}" if noun else None
    if not is_name(m["org"], r):
        return None
    org = clean_name(m["org"])
    if noun and name == "noun_by":
        return f"{org} {noun.lower()}"
    return f"{org}'s {noun.lower()}" if noun else org
