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

import functools
import re
from collections.abc import Callable

import attrs
import regex

from .model import Attribution
from .names import NOBODY, Who, clean_name, is_document, is_name, name_pattern, read_who
from .patterns import FOLDED_LETTERS, alt, alt_by_edge
from .rules import RuleSet
from .segments import Segment

_WINDOW = 1500  # how far back "he said" looks for the person it refers to
_QUOTE_WINDOW = 2000  # how far back in a paragraph a quotation is looked for
# Where the subject of a reporting verb can begin: after a quotation mark, or "and"/"but".
_CLAUSE_START = regex.compile(
    r"[;:“”\"(]|(?<=\w)[,.]\s++(?:and|but)\s|\b(?:and|but|while|whilst)\s++(?=\w+\s++(?:said|says))")
# A subject that is only a conjunction: "X said ... but warned that": X again.
_SHARED_SUBJECT = regex.compile(r"^[\s,]*+(?:and|but|or|then|and\s++then|yet)?[\s,]*+$", regex.I)
# A coordinated clause between a figure and a later citation: "A since 2022 and, according to X, B".
_NEW_CLAUSE = regex.compile(r";|,?\s++(?:and|but|whereas|although)\s*+,", regex.I)
_QUOTE_MARK = regex.compile(r'["“”]')
# A character of the words that name who reports a figure after it: anything but the
# punctuation that ends a clause, and a full stop only after a single capital ("U.S.").
_WHO_CHAR = r"(?:[^,;:.\n“”\"]|(?<=(?<![\w])(?-i:[A-Z]))\.)"
# The owner in "Acme's analysis": capitalised words, the last one before the "'s".
_OWNER = r"(?:[A-Z][\w.&-]*+[ \t]++(?:(?:of|for|and|the)[ \t]++)*+){0,4}?[A-Z][\w.&-]*+"
# A body written in lower case after "the": "a survey for the harbour board".
_LOWER_BODY = r"(?P<lorg>[a-z][\w'’-]*+(?:\s++[a-z][\w'’-]*+){0,2}?)"


_TOKEN = re.compile(r"[A-Za-z]+")


def _first_words(r: RuleSet) -> dict[str, frozenset[str]]:
    """The first word of each reporting verb, finding verb and document noun."""
    return r.memo(_build_first_words)


def _build_first_words(r: RuleSet) -> dict[str, frozenset[str]]:
    return {"source_noun": frozenset(w.split()[0] for w in r.source_nouns),
            "document_verb": frozenset(w.split()[0] for w in r.speech_verbs | r.source_verbs),
            "source_verb": frozenset(w.split()[0] for w in r.source_verbs),
            # the first run of letters of each reporting (and finding) verb ("" if one opens
            # otherwise), for _WordsBefore.lacks
            "speech_verb_runs": frozenset(_first_run(w) for w in r.speech_verbs),
            "document_verb_runs": frozenset(_first_run(w)
                                            for w in r.speech_verbs | r.source_verbs)}


def _first_run(phrase: str) -> str:
    found = _TOKEN.match(phrase.lower())
    return found.group() if found is not None else ""


def _has_word(text: str, lo: int, hi: int, first: frozenset[str]) -> bool:
    """Whether text[lo:hi] may hold one of the words whose first words are `first` (a test
    that rules most sentences out before a costly pattern runs: a word set, not a regex)."""
    return not first.isdisjoint(_TOKEN.findall(text[lo:hi].lower()))


@attrs.frozen
class _WordsBefore:
    """The words of a sentence before its figure (runs of ASCII letters, lower-cased), read
    once for the tests that rule most sentences out before a costly cue pattern runs."""

    words: frozenset[str]
    plain: bool  # no FOLDED_LETTERS: case-blind matching there is plain ASCII matching

    @classmethod
    def read(cls, text: str, lo: int, hi: int) -> _WordsBefore:
        span = text[lo:hi]
        return cls(frozenset(_TOKEN.findall(span.lower())),
                   not any(ch in span for ch in FOLDED_LETTERS))

    @classmethod
    def read_on(cls, last: list[tuple[int, int, _WordsBefore]], text: str, lo: int,
                hi: int) -> _WordsBefore:
        """read(text, lo, hi), from `last` (the words read for the figure before, kept
        there for the next): in a sentence of many figures, each reads the words since the
        one before, not all the words since the sentence began."""
        if last:
            was_lo, at, words = last[0]
            if was_lo == lo and at <= hi and not (_ends_letter(text[at - 1:at].lower())
                                                 and _opens_letter(text[at:hi].lower())):
                # (no word runs over `at`: the words are those before it and those after)
                span = text[at:hi]
                more = _TOKEN.findall(span.lower())
                found = cls(words.words.union(more) if more else words.words,
                            words.plain and not any(ch in span for ch in FOLDED_LETTERS))
                last[0] = (lo, hi, found)
                return found
        found = cls.read(text, lo, hi)
        last[:] = [(lo, hi, found)]
        return found

    def may_hold(self, first: frozenset[str]) -> bool:
        """Whether the text may hold a phrase whose first word is in `first` (_has_word)."""
        return not first.isdisjoint(self.words)

    def lacks(self, first_runs: frozenset[str]) -> bool:
        """Whether a case-blind pattern of phrases opening with these runs of letters cannot
        match the text: certain for phrases that open with a letter, in plain text."""
        return self.plain and "" not in first_runs and first_runs.isdisjoint(self.words)


# a verb after a reporting verb's form makes it a noun ("estimates are", "claims have")
_AUXILIARY = r"(?i:are|were|is|was|have|has|had|will|would|can|could|may|might|must|should)"
_AFTER_A_NOUN = regex.compile(rf"\s++{_AUXILIARY}\b")


def _patterns(r: RuleSet) -> dict[str, regex.Pattern[str]]:
    return r.memo(_build_patterns)


def _build_patterns(r: RuleSet) -> dict[str, regex.Pattern[str]]:
    nouns = alt(r.source_nouns)
    verbs, source_verbs = alt_by_edge(r.speech_verbs), alt_by_edge(r.source_verbs)
    verbs_back = alt_by_edge(r.speech_verbs, last=True)
    found_or_said = alt_by_edge(r.source_verbs, r.speech_verbs)  # (in this order)
    said_or_found = alt_by_edge(r.speech_verbs, r.source_verbs)
    name, modifiers = name_pattern(r), alt(r.document_modifiers)
    participles, times = alt(r.document_participles), alt(r.saying_times)
    joiners = alt(r.clause_joiners)
    # a participle clause carries a reporting clause on: "..., the union said, adding that",
    # "..., the union said on Monday, threatening to disrupt ..."
    continued = rf"(?:{alt(r.continuations)}|(?-i:[a-z]{{2,}}ing))"
    noun_by = (
        rf"\b(?i:(?:an?|the|this|that|its|their|{modifiers})\s++(?:[\w-]++\s++){{0,2}}?"
        rf"(?P<noun>{nouns})\s++(?:{participles}\s++)?"
        rf"(?:by|from|for)\s++)(?:(?:(?i:the)\s++)?(?P<org>{name})|(?i:the)\s++{_LOWER_BODY}"
        rf"(?=\s*+[,;:.)]|\s++(?:{found_or_said}|that)\b))")
    return {
        "according": regex.compile(r"\baccording\s++to\s++", regex.I),
        "according_name": regex.compile(
            rf"(?i:(?:the\s++)?(?:{modifiers}\s++)?)"
            rf"(?P<src>{name}(?:['’]s\s++(?:[\w-]++\s++){{0,3}}?(?i:{nouns})|\s++(?i:{nouns}))?)"),
        "according_any": regex.compile(
            r"(?P<src>[^,;:()\n]{3,80}?)(?=\s*+(?:[,;:()\n]|\bin\s++\d|$))"),
        "noun_by": regex.compile(noun_by),
        "noun_by_at": regex.compile(rf"(?:{noun_by})"),
        "possessive": regex.compile(
            rf"(?P<org>{_OWNER})['’]s\s++(?P<name>(?:(?:[\w-]++|\([A-Z]{{2,}}\))\s++){{0,6}}?)"
            rf"(?P<noun>(?i:{nouns}))\b"),
        # ("figures from the ONS", "data from the shipping firm Kestrel Analytics")
        "from_org": regex.compile(
            rf"\b(?i:{alt(r.data_nouns)}\s++(?:{participles}\s++)?(?:from|by)\s++(?:the\s++)?)"
            rf"(?:(?-i:[a-z][\w-]*+)\s++){{0,3}}?(?P<org>{name})"),
        # (not "Turkiye's forecast growth": a possessive owns a noun)
        "org_found": regex.compile(
            rf"(?P<org>{name})(?<!['’]s)\s++(?i:{source_verbs})\s++(?!{_AUXILIARY}\b)(?:that\s++)?"),
        "source_verb": regex.compile(rf"\b(?:{source_verbs})\b", regex.I),
        "document_verb": regex.compile(rf"\b{found_or_said}\b", regex.I),
        "source_noun": regex.compile(rf"\b(?:{nouns})\b", regex.I),
        "speech_verb": regex.compile(rf"\b(?:{verbs})\b", regex.I),
        "speech_verb_back": regex.compile(rf"\b{verbs_back}\b", regex.I | regex.REVERSE),
        # '"...," said Jo Bloggs.', '"...," Jo Bloggs, a spokeswoman for Acme, told reporters.'
        "quote_said": regex.compile(
            rf"[,.!?]?\s*+[”\"’']\s*+(?:(?P<verb>{verbs})\s++(?P<who1>(?:the\s++)?[^.,;:\n“”\"]{{1,80}}?)"
            rf"|(?P<who2>[^.,;:\n“”\"]{{1,80}}?(?:,[^.;:\n“”\"]{{1,80}}?,)?)\s++"
            rf"(?:(?:has|have|had)\s++)?(?:{verbs})(?:\s++[^.,;:\n“”\"]{{1,40}}?)?)\s*+[.,;]",
            regex.I),
        # "..., Acme, the mine's operator, said on Monday." after the figure it reports
        "postposed": regex.compile(
            # (the parts of an apposition are taken whole: no backtracking inside them)
            # (a full stop inside a name's abbreviation, "the U.S. Bureau", is no sentence end)
            rf",\s*+(?P<who>(?:{_WHO_CHAR}{{1,80}}+,){{0,2}}?{_WHO_CHAR}{{1,80}}?),?\s++"
            rf"(?:(?:has|have|had|will|would)\s++)?(?P<verb>{said_or_found})\b"
            rf"(?P<after>(?:[^.;:\n“”\"]|\.(?=\d)){{0,100}}?)"
            rf"\s*+(?:[.;](?!\d)|$|(?=,\s*+(?:{joiners}|{continued})\b))", regex.I),
        # where a reporting clause closes the first half of a sentence: ", and", ", while",
        # ", adding"
        "half_close": regex.compile(rf",\s*+(?:{joiners}|{continued})\b", regex.I),
        # "has said in a report", "said in its annual review": the saying is a document's
        "citing_phrase": regex.compile(
            rf"\b(?:in|on)\s++(?:a|an|its|their|the|this)\s++(?:[\w-]++\s++){{0,3}}?"
            rf"(?i:{alt(r.citing)})\b", regex.I),
        "citing": regex.compile(
            rf"\s++(?:\w++\s++)?(?:in|on)\s++(?:a|an|its|their|the|this)\s++(?:[\w-]++\s++){{0,3}}?"
            rf"(?i:{alt(r.citing)})\b", regex.I),
        # "Jo Bloggs, director, said: "..." - a quotation opened by its speaker.
        "said_colon": regex.compile(rf"(?<=\s)(?i:{verbs})(?:\s++\w++)?\s*+[:,]?\s*+$"),
        "name_run": regex.compile(name),
        # "said today": the time of the saying
        "time_after_verb": regex.compile(
            rf"\s*+(?:{times}|on\s++\w+day|last\s++\w+|this\s++\w+)\b", regex.I),
        # a figure that is the time of a saying ("said in a report out today")
        "time_figure": regex.compile(
            rf"(?i:{times}(?:\s++\w++)?|(?:on\s++)?[a-z]+day|last\s++\w++|this\s++\w++)"),
        # the narrator's own adverbial clause after a report: "X confirmed that ..., after
        # 2,380 people signed our petition"
        "narrator_clause": regex.compile(rf",\s*+{alt(r.adverbial_openers)}\b", regex.I),
        # what may follow the verb of a reporting clause after the figure: "on Monday", "in a
        # report out today", "to reporters", "reporters in Ankara" (not a clause: "prices had
        # risen")
        "adverbial": regex.compile(
            rf"(?:\s*+,)?\s*+(?:(?:(?i:on|in|at|during|after|before|for|from|via|through|last|this|{times}|"
            rf"\w+day|{alt(r.audiences)}|the\s++\w++|an?\s++\w++)"
            rf"|(?i:to\s++(?:the\s++)?{alt(r.audiences)})|to\s++[A-Z])"
            rf"\b[^.;]*+)?"),
        # a clause after the figure that is subordinate, not a report of it: ", after X
        # promised to"
        "subordinate": regex.compile(rf"^\s*+{alt(r.subordinators)}\b", regex.I),
        # what follows a participle in an apposition: ", published on Friday,", ", released in May"
        "participle_tail": regex.compile(
            rf"\s++(?:on|in|at|by|last|this|{times}|for|from)\b", regex.I),
        "time_tail": regex.compile(
            rf"\s++(?:(?i:on|in|at)\s++)?(?:{times}|(?i:[a-z]+day)|(?i:last|this)\s++\w++)$"),
        "determiner": regex.compile(
            rf"^(?:(?:the|a|an|its|their|this|that|{modifiers})\s++)++", regex.I),
    }


def _ends_letter(lowered: str) -> bool:
    return lowered[-1:].isascii() and lowered[-1:].isalpha()


def _opens_letter(lowered: str) -> bool:
    return lowered[:1].isascii() and lowered[:1].isalpha()


def attribute(text: str, start: int, end: int, sentence: tuple[int, int],
              segment: Segment | None, r: RuleSet,
              last: list[tuple[int, int, _WordsBefore]] | None = None) -> Attribution:
    """Who says the figure at text[start:end], and on whose authority (`last`: a list the
    caller keeps for each next figure of a document, left to right, to read its sentence's
    words from those of the figure before)."""
    speaker = segment.speaker if segment else None
    source = segment.source if segment else None
    cue = segment.cue if segment else None
    s_start, s_end = sentence
    # the outermost reporter first: '"...", X said', then "..., X told reporters" after the
    # figure (which may relay "Y estimates that ..."), then "X said (that) ..." before it
    tail = _reporting_tail(text, end, s_end, r)
    before = _WordsBefore.read(text, s_start, start) if last is None else \
        _WordsBefore.read_on(last, text, s_start, start)
    said = (_quoted_speaker(text, start, segment, r)
            or _postposed_speaker(tail, segment, r)
            or _reported_speaker(text, start, end, s_start, segment, r, before))
    if said is not None:
        who, why, verb_end = said
        if who is not None and segment is not None and (
                _same_body(who, segment.issuer) or _own_body(who, segment, r)):
            why = f"the issuer speaking of itself ({why})"
        else:
            speaker = who
            body = _citing_body(text, who, verb_end, r) if who is not None else None
            if body is not None:
                source, why = body, f"{why} (a document of {body})"
        cue = why
    cited = _cited_source(text, start, end, (s_start, s_end), r, tail, before)
    if cited is not None:
        source, cue = cited
    return Attribution(speaker=speaker, source=source, cue=cue)


def _own_body(who: str, segment: Segment, r: RuleSet) -> bool:
    """ "the council announced" in a release (or a quoted one), "the force said" under the
    masthead of a police force: the issuer itself, named by its noun (a named person or
    body is someone else; a newspaper's masthead names no body)."""
    if not who.islower():
        return False
    if segment.role == "release" or bool(segment.source and "release" in segment.source):
        return True
    masthead, publisher = segment.cue or "", segment.source or ""
    return masthead.startswith("masthead") and bool(publisher) and \
        publisher.split()[-1].lower() in r.bodies


_CITING_WINDOW = 1500  # how far back a body's "said in a report" or a named report is looked for


@functools.lru_cache(maxsize=8)  # the figures after one reporting verb ask alike
def _citing_body(text: str, who: str, verb_end: int, r: RuleSet) -> str | None:
    """The body as source when its saying is a document's: "the NAO has said in a report",
    or a later "the NAO said" after the body was said to speak in a report."""
    p = _patterns(r)
    if p["citing"].match(text, verb_end) is not None:
        return who
    lo = max(0, verb_end - _CITING_WINDOW)
    # "in a report" first (a cheap literal start), then the verb before it
    for cited in p["citing_phrase"].finditer(text, lo, verb_end):
        found = p["speech_verb_back"].search(text, max(lo, cited.start() - 40), cited.start())
        if found is None or p["citing"].match(text, found.end()) is None:
            continue
        before = text[max(lo, found.start() - 80):found.start()]
        named = p["name_run"].findall(before)
        if named and _same_or_acronym(who, clean_name(named[-1])):
            return clean_name(named[-1])
    return None


def _same_or_acronym(a: str, b: str) -> bool:
    """ "NAO" and "National Audit Office", or one name twice."""
    if a.lower() == b.lower():
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    initials = "".join(w[0] for w in long.split() if w[:1].isupper())
    return short.isupper() and len(short) >= 2 and initials.startswith(short)


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
    """Where the quotation holding `pos` opens, if `pos` is inside one (reading text[lo:pos]
    from the left: “ opens, ” closes, " opens or closes).

    Found from the last curly mark and the straight ones after it, with string searches:
    reading every mark of the paragraph cost each figure of a long one 2,000 characters."""
    curly = max(text.rfind("“", lo, pos), text.rfind("”", lo, pos))
    opened = curly if curly >= 0 and text[curly] == "“" else None
    straight = text.count('"', max(lo, curly + 1), pos)
    if straight == 0:
        return opened
    last = text.rfind('"', lo, pos)
    if opened is None:  # each straight mark opens what the one before it closed
        return last if straight % 2 else None
    return None if straight % 2 else last


def _quoted_speaker(text: str, pos: int, segment: Segment | None, r: RuleSet,
                    depth: int = 0) -> tuple[str | None, str, int] | None:
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
                    f"quotation opened by {text[begin:opened].strip()!r}", intro.end())
    said = _first_after(p["quote_said"], text, lo, pos, hi)
    if said is None:
        return _continued_quote(text, lo, opened, segment, r, depth)
    phrase = said["who1"] or said["who2"] or ""
    who = read_who(phrase, r)
    if who.kind == "none":
        return None
    why = f"quotation attributed by {said.group().strip()!r}"
    return _resolve(text, said.start(), who, segment, r), why, said.end()


def _first_after(pattern: regex.Pattern[str], text: str, lo: int, pos: int,
                 hi: int) -> regex.Match[str] | None:
    """pattern.search(text, pos, hi) or pattern.search(text, lo, hi), reading text[pos:hi]
    once where neither finds a match (a match at a place is the same whichever search
    reaches it)."""
    first = pattern.search(text, lo, hi)
    if first is None or first.start() >= pos:
        return first
    return pattern.search(text, pos, hi) or first


def _continued_quote(text: str, lo: int, opened: int, segment: Segment | None, r: RuleSet,
                     depth: int) -> tuple[str | None, str, int] | None:
    """A paragraph opening with a quotation mark, under a paragraph whose quotation was left
    open: the same speaker's quote running on (a few paragraphs back at most)."""
    if depth >= 4 or text[lo:opened].strip():
        return None
    # where the text before ends, read back at most 201 characters (not the whole text
    # above: a long document has many paragraphs)
    near = max(0, lo - 201)
    prev_end = near + len(text[near:lo].rstrip())
    if prev_end <= 0 or prev_end < lo - 200:
        return None
    prev_lo, _ = _paragraph(text, prev_end - 1)
    if not _QUOTE_MARK.match(text, prev_lo) and not _ends_open(text, prev_lo, prev_end):
        return None
    if _open_quote(text, prev_lo, prev_end) is None:
        return None
    found = _quoted_speaker(text, prev_end - 1, segment, r, depth + 1)
    if found is None:
        return None
    who, why, verb_end = found
    return who, f"{why}, running on", verb_end


def _ends_open(text: str, lo: int, hi: int) -> bool:
    return _open_quote(text, lo, hi) is not None


def _reported_speaker(text: str, start: int, end: int, s_start: int, segment: Segment | None,
                      r: RuleSet, before: _WordsBefore) -> tuple[str | None, str, int] | None:
    """"X said (that) ... <figure>": the subject of the last reporting verb before the figure
    ("X said ... but warned that <figure>": X, the subject both verbs share)."""
    if before.lacks(_first_words(r)["speech_verb_runs"]):
        return None  # no reporting verb before the figure (most sentences)
    p = _patterns(r)
    verbs = list(p["speech_verb"].finditer(text, s_start, start))
    if not verbs:
        return None
    last = verbs[-1]
    after = p["time_after_verb"].match(text, last.end())
    if after is not None and after.end() >= end:
        return None  # "said today": the time of the saying, the narrator's
    if p["time_figure"].fullmatch(text, start, end) and \
            _SAYING_TAIL.fullmatch(text, last.end(), start):
        return None  # "said in a new assessment on Monday", "said in a report out today"
    if p["narrator_clause"].search(text, last.end(), start):
        return None
    for verb in reversed(verbs):
        if _AFTER_A_NOUN.match(text, verb.end()):
            continue  # "Rental estimates are based on": a noun
        clause_start = s_start
        for brk in _CLAUSE_START.finditer(text, s_start, verb.start()):
            clause_start = brk.end()
        subject = text[clause_start:verb.start()]
        if _SHARED_SUBJECT.match(subject) and clause_start > s_start:
            continue
        subject = _CONJUNCTION.sub("", subject, count=1)  # "But the Federation says"
        if verb is not verbs[0] and _PRONOUN_END.search(subject) and \
                _patterns(r)["speech_verb"].search(subject):
            continue  # "The Bank said Monday it estimates that": the Bank
        who = read_who(subject, r)
        if who.kind == "none" and is_document(subject.split(), r):
            return None  # "the annual report says": a source (see _cited_source); same speaker
        if who.kind != "name" and (_PRONOUN_LAST.search(subject)
                                   or _FIRST_PERSON_END.search(subject)):
            # "..., which he said", "and she said", "This year we expect": a pronoun subject
            who = Who("refer")
        if who.kind == "none":
            return None
        speaker = _resolve(text, verb.start(), who, segment, r)
        return speaker, f"reported speech {text[clause_start:verb.end()].strip()!r}", verb.end()
    return None


@attrs.frozen
class _Tail:
    """A reporting clause after a figure (`said`), with who it names as saying the figure
    (None if it names no speaker) and the document it names as reporting it: read once for
    all the figures of a sentence before its comma."""

    said: regex.Match[str]
    who: Who | None
    document: tuple[str, str] | None


def _reporting_tail(text: str, end: int, s_end: int, r: RuleSet) -> _Tail | None:
    """A reporting clause after the figure, set off by a comma and closing the sentence (or
    its first half): "..., Acme, the mine's operator, said on Monday.", "..., the report
    found." ("..., and X said prices rose" is a clause of its own, not a report of this)."""
    comma = text.find(",", end, s_end)
    while 0 <= comma < s_end - 1 and text[comma - 1].isdigit() and text[comma + 1].isdigit():
        comma = text.find(",", comma + 1, s_end)  # "fell by 1,200, the office said"
    if comma < 0:
        return None  # most sentences: no comma after the figure
    # the figures of a sentence before one comma share what follows it: read it once
    found: _Tail | None = r.memo(_build_tail_reader)(text, comma, s_end)
    return found


def _build_tail_reader(r: RuleSet) -> Callable[[str, int, int], _Tail | None]:
    @functools.lru_cache(maxsize=8)
    def tail(text: str, comma: int, s_end: int) -> _Tail | None:
        if not _verb_near_a_close(text, comma, s_end, r):
            return None  # no verb just before where a clause closes
        said = _patterns(r)["postposed"].search(text, comma, s_end)
        return None if said is None else read(text, said.start(), s_end)

    # The figures before two commas can find the same clause ("11 provinces, ... 1.7
    # million refugees, the report found"): it is read once.
    @functools.lru_cache(maxsize=8)
    def read(text: str, start: int, s_end: int) -> _Tail | None:
        p = _patterns(r)
        said = p["postposed"].match(text, start, s_end)
        if said is None or not p["adverbial"].fullmatch(said["after"]) \
                or p["subordinate"].match(said["who"]):
            return None
        return _Tail(said, _postposed_who(said, r), _postposed_document(said, r))

    return tail


_CLAUSE_REACH = 110  # the verb of a closing reporting clause and what may follow it


def _verb_near_a_close(text: str, lo: int, hi: int, r: RuleSet) -> bool:
    """Whether a reporting or finding verb stands shortly before the end of the sentence or
    of its first half (", and ..."): where a reporting clause after a figure has its verb."""
    verbs = _first_words(r)["document_verb"]
    if _has_word(text, max(lo, hi - _CLAUSE_REACH), hi, verbs):
        return True
    return any(_has_word(text, max(lo, half.start() - _CLAUSE_REACH), half.start(), verbs)
               for half in _patterns(r)["half_close"].finditer(text, lo, hi))


def _postposed_speaker(tail: _Tail | None, segment: Segment | None,
                       r: RuleSet) -> tuple[str | None, str, int] | None:
    """The speaker a reporting clause after the figure names."""
    if tail is None or tail.who is None:
        return None
    said = tail.said
    cue = f"reported speech {said.group().strip(' ,.;')!r}"
    return _resolve(said.string, said.start("who"), tail.who, segment, r), cue, said.end("verb")


def _postposed_who(said: regex.Match[str], r: RuleSet) -> Who | None:
    """Who a reporting clause after a figure names as saying it, if anyone."""
    speech = said["verb"].lower() in r.speech_verbs
    phrase = _CONJUNCTION.sub("", said["who"], count=1)
    parts = phrase.split(",")
    who = read_who(phrase, r) if len(parts) > 1 else NOBODY
    if who.kind != "name":
        who = read_who(parts[-1], r)
    if not speech and who.kind != "name":
        return None  # "..., the report found": a document (see _postposed_document)
    if who.kind == "none" or (who.name or "").lower() in r.wires:
        return None
    return who


@functools.lru_cache(maxsize=8)  # the figures after one reporting verb ask alike
def _resolve(text: str, pos: int, who: Who, segment: Segment | None, r: RuleSet) -> str | None:
    if who.kind == "name" and who.name is not None and who.name.islower():
        return _named_body(text, pos, who.name, r) or who.name
    if who.kind == "name":
        return who.name
    if who.kind == "anonymous":
        return None
    if segment is not None and segment.speaker and _FIRST_PERSON_END.search(
            text, max(0, pos - 12), pos):
        return segment.speaker  # "we expect", "I said" in a speaker's turn: the speaker
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
        after = _INVERTED_WHO.match(text[found.end():min(pos, found.end() + 80)])
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


# the subject after an inverted verb: '..., said Jo Bloggs.'
_INVERTED_WHO = regex.compile(r"\s++(?P<who>(?:the\s++)?[^.,;:\n“”\"]{1,60}?)\s*+[.,;]")
_PRONOUN_END = regex.compile(r"\b(?:it|they)\s*+$", regex.I)
_FIRST_PERSON_END = regex.compile(r"\b(?:I|[Ww]e)\s*+(?:also\s++|now\s++|still\s++)?$")
# the words between a reporting verb and the time of its saying
_SAYING_TAIL = regex.compile(
    r"(?:\s++(?:in|on|at|to|during|after)\s++(?:an?|the|its|their|this)?\s*+"
    r"(?:[\w-]++\s++){0,3}?[\w-]++)?\s++(?:out\s++)?(?:on\s++)?", regex.I)
_CONJUNCTION = regex.compile(r"^\s*+(?:and|but|while|whilst|as|so|or)\b", regex.I)
_PRONOUN_LAST = regex.compile(r"(?:^|\W)(?i:he|she)\s*+$")
_PRONOUN_REACH = 300  # how far back "he said" looks for a name said without a verb


_BODY_REACH = 5000  # how far back "the office said" looks for the office's name


def _named_body(text: str, pos: int, body: str, r: RuleSet) -> str | None:
    """The name a body known by its noun was given before: "the office said" after "the
    Northland Statistics Office" is that office, "the port authority" the last "... Port
    Authority" named."""
    words = body.split()
    lo = max(0, pos - _BODY_REACH)
    found = None
    for m in _patterns(r)["name_run"].finditer(text, lo, pos):
        name = m.group().lower().split()
        # the head noun: the last word, or the one before "of" ("Office for Statistics")
        head = next((i for i, w in enumerate(name) if i and w in ("of", "for")), len(name))
        if head > len(words) and name[head - len(words):head] == words:
            found = clean_name(m.group())
    if found is not None:
        return found
    # "the bureau said" after "the national statistics bureau said": the longer description
    longer = rf"\b(?i:the)\s++(?P<body>(?:[a-z][\w-]*+\s++){{1,3}}{regex.escape(body)})\b"
    for m in regex.finditer(longer, text, pos=lo, endpos=pos):
        found = " ".join(m["body"].split())
    return found


_POSSESSIVE_DOCUMENT = regex.compile(r"(?i:its|their)\s++(?:[a-z][\w-]*+\s++){0,2}?"
                                     r"(?P<noun>[a-z]++)\b")


def _last_body_named(text: str, pos: int, r: RuleSet) -> str | None:
    """The last body named shortly before `pos` by a name ending in a body's noun ("the
    Environment Agency's figure", "Westland Water")."""
    found = None
    for m in _patterns(r)["name_run"].finditer(text, max(0, pos - _BODY_REACH), pos):
        words = clean_name(m.group()).split()
        while words and words[0].lower() in r.stopwords:  # "And the Environment Agency's"
            words.pop(0)
        name = " ".join(words)  # ("The Agency" is no name: the one before it is)
        last = words[-1].lower() if words else ""
        if len(words) >= 2 and last in r.bodies:
            found = name
    return found


def _last_person_named(text: str, lo: int, pos: int, r: RuleSet) -> str | None:
    """The last name of a person (two or more capitalised words) in text[lo:pos]."""
    found = None
    for m in _patterns(r)["name_run"].finditer(text, lo, pos):
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


_MAKER_LINKS = frozenset(("by", "from", "for"))  # no letter of them folds: a plain word test


def _cited_source(text: str, start: int, end: int, sentence: tuple[int, int], r: RuleSet,
                  tail: _Tail | None,
                  before: _WordsBefore) -> tuple[str, str] | None:
    """A source the sentence names for its figures (`tail`: a reporting clause after it,
    `before`: the words of the sentence before the figure)."""
    s_start, s_end = sentence
    p = _patterns(r)
    according = p["according"].finditer(text, s_start, s_end) \
        if text.find("ccording", s_start, s_end) >= 0 else ()
    for found in according:
        if found.start() >= end and _NEW_CLAUSE.search(text, end, found.start()):
            continue  # "A since 2022 and, according to X, B": X is B's source, not A's
        label = _according_source(text, found.end(), s_end, r)
        if label is not None:
            return label, f"citation {text[found.start():found.end()].strip() + ' ' + label!r}"
    best: tuple[int, str, str] | None = None
    covered = -1  # where the last document citation ends: "a report by X found" is X's report
    # most sentences name no document before the figure: one search rules the patterns out
    named = before.may_hold(_first_words(r)["source_noun"])
    owned = named and ("'s" in text[s_start:start] or "’s" in text[s_start:start])
    # "a survey by X", "figures from X": a document's maker follows "by", "from" or "for"
    linked = named and before.may_hold(_MAKER_LINKS)
    kinds = (*(("noun_by", "from_org") if linked else ()), *(("possessive",) if owned else ()))
    for name in kinds:
        for m in p[name].finditer(text, s_start, start):
            label = _document_label(m, name, r)
            if label is None:
                continue
            # A finding comes after its verb: "a survey by X, done in 2014, found 99%"; a
            # participle set off by a comma is not that verb ("X's report, published in May,").
            if name in ("noun_by", "possessive") and _main_verb(text, m.end(), start, r) is None \
                    and (name == "possessive" or _main_verb(text, m.end(), s_end, r) is not None):
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), label, f"citation {m.group()!r}")
                covered = max(covered, m.end())
    said = _document_subject(text, s_start, start, r) \
        if named and not before.lacks(_first_words(r)["document_verb_runs"]) else None
    if said is not None and (best is None or said[0] > best[0]):
        best = said
        covered = max(covered, said[0])
    if best is None:
        after = tail.document if tail is not None else None
        if after is not None:
            return after
    findings = p["org_found"].finditer(text, s_start, start) \
        if before.may_hold(_first_words(r)["source_verb"]) else ()
    for m in findings:
        if m.start() < covered:
            continue
        # (a publication or a document that finds: "The Guardian found", "the Labour Force
        # Survey shows"; a body's finding is its saying, and the page it is told on stays
        # the source: "The Bank estimates that ..." in a wire story is the wire's)
        if is_name(m["org"], r) and _publishes(m["org"], r) \
                and (best is None or m.start() > best[0]):
            best = (m.start(), clean_name(m["org"]), f"finding {m.group().strip()!r}")
    if best is None:
        return None
    return best[1], best[2]


def _publishes(name: str, r: RuleSet) -> bool:
    """Whether a name is a publication's or a document's ('the Herald', 'the Labour Force
    Survey'), not a body's ('the Bank', 'Oxford Economics')."""
    words = name.split()
    last = words[-1].lower()
    return is_document(words, r) or (last in r.mastheads and last not in r.bodies)


def _main_verb(text: str, lo: int, hi: int, r: RuleSet) -> regex.Match[str] | None:
    """The first reporting or finding verb in text[lo:hi] that is not a participle set off
    by a comma."""
    for verb in _patterns(r)["document_verb"].finditer(text, lo, hi):
        comma = text[max(lo, verb.start() - 2):verb.start()].strip().endswith(",")
        if not (comma and _patterns(r)["participle_tail"].match(text, verb.end())):
            return verb
    return None


def _document_subject(text: str, s_start: int, start: int,
                      r: RuleSet) -> tuple[int, str, str] | None:
    """ "The inspectorate's annual report says that <figure>", "A review of X, published on
    Friday, added that <figure>": a document that is the subject of the verb reporting the
    figure is its source (the speaker stays whoever is talking)."""
    p = _patterns(r)
    verbs = list(p["document_verb"].finditer(text, s_start, start))
    for verb in reversed(verbs[-4:]):
        clause_start = s_start
        for brk in _CLAUSE_START.finditer(text, s_start, verb.start()):
            clause_start = brk.end()
        subject = text[clause_start:verb.start()].strip(" ")
        if subject.endswith(",") and p["participle_tail"].match(text, verb.end()):
            continue  # "A review of X, published on Friday, added": not the main verb
        head, comma, rest = subject.rpartition(",")
        if comma and not is_document(head.split(",")[0].split(), r) \
                and is_document(rest.split(), r):
            # "Dr Firth, yesterday's release put ...": a name addressed, then the document
            subject = rest.strip()
            clause_start = text.find(subject, clause_start, verb.start())
        words = subject.split()
        if not words or len(words) > 16 or not is_document(words, r) or _TIMED.match(subject):
            continue  # "today's report": the document itself speaking, not one it cites
        # "Papers ... show the council now expects": the clause ends at "show" (a participle
        # set off by a comma is no verb of its own: ", published on Friday,")
        if any(not subject[:m.start()].rstrip().endswith(",")
               for m in p["document_verb"].finditer(subject)):
            continue
        label = _resolve_document(text, clause_start, subject, r)
        if label is None:
            return None
        return clause_start, label, f"document {text[clause_start:verb.end()].strip()!r}"
    return None


def _postposed_document(said: regex.Match[str], r: RuleSet) -> tuple[str, str] | None:
    """ "<figure> ..., the report found.": a document reporting the figure after it."""
    text = said.string
    phrase = said["who"].split(",")[-1].strip()
    words = phrase.split()
    if not words or not is_document(words, r) or _TIMED.match(phrase):
        return None
    label = _resolve_document(text, said.end("who") - len(phrase), phrase, r)
    if label is None:
        return None
    return label, f"document {said.group().strip(' ,.;')!r}"


_BARE_DOCUMENT = regex.compile(r"(?i:the|this|that|its|their)\s++(?P<noun>[a-z]++)")


def _resolve_document(text: str, pos: int, subject: str, r: RuleSet) -> str | None:
    """The document a subject names; "the report" is the last one named before it; "official
    figures", named by nothing but its kind, is none in particular."""
    p = _patterns(r)
    owned = _POSSESSIVE_DOCUMENT.match(subject.strip())
    if owned is not None and owned["noun"].lower() in r.source_nouns:
        # "Its report for 2025 puts the total at 326": the report of the body named last
        owner = _last_body_named(text, pos, r)
        if owner is not None:
            return f"{owner} {owned['noun'].lower()}"
    label = p["determiner"].sub("", subject.split(",")[0]).strip()
    # "Papers presented to the cabinet on Thursday": the time of the document is no part
    # of its name
    label = clean_name(p["time_tail"].sub("", label))
    bare = _BARE_DOCUMENT.fullmatch(subject.strip())
    if bare is None or bare["noun"].lower() not in r.source_nouns:
        return label if _names_something(label, r) else None
    named = _last_document(text, pos, bare["noun"].lower(), r)
    return named if named is not None else label


def _names_something(label: str, r: RuleSet) -> bool:
    """Whether a document's label says whose or which it is: a capital, an owner, a body
    noun ("the inspectorate's annual report"), a "by"/"of" phrase."""
    words = label.split()
    return words[-1].lower() not in r.data_nouns or any(
        w[:1].isupper() or "'" in w or "’" in w or w.lower() in r.bodies
        or w.lower() in ("of", "by", "for") for w in words)


_BY_FROM_FOR = regex.compile(r"\b(?:by|from|for)\b", regex.I)


def _source_noun_runs(r: RuleSet) -> re.Pattern[str]:
    """A run of ASCII letters (as _TOKEN reads them) that is the first word of a document
    noun, in any case: found with one search, not by reading every word of a window."""
    firsts = [w for w in _first_words(r)["source_noun"] if re.fullmatch("[a-z]+", w)]
    return re.compile(rf"(?<![A-Za-z]){alt_by_edge(firsts) if firsts else '(?!)'}(?![A-Za-z])",
                      re.I | re.A)


def _last_document(text: str, pos: int, noun: str, r: RuleSet) -> str | None:
    """The last document named in the few paragraphs before `pos` ("the Bank's GRADE report",
    "said in a new assessment"), one of the same kind as `noun` if there is one."""
    p = _patterns(r)
    lo = max(0, pos - _CITING_WINDOW)
    found: list[tuple[int, str, str]] = []  # (position, label, noun)
    # each document noun in the window (a run of letters that is one, read from a copy of
    # the window: a run cut at its start counts as it is), and the citation it ends, if any
    for noun_at in r.memo(_source_noun_runs).finditer(text[lo:pos]):
        noun_start, noun_end = lo + noun_at.start(), lo + noun_at.end()
        near = max(lo, noun_start - 150)
        before, after = text[near:noun_start], text[noun_end:noun_end + 60]
        kinds = (("possessive",) if "'s" in before or "’s" in before else ()) + \
            (("noun_by",) if _BY_FROM_FOR.search(after) else ())
        for kind in kinds:
            m = p[kind].search(text, near, min(pos, noun_end + 120))
            while m is not None and m.end("noun") < noun_end:
                m = p[kind].search(text, m.end(), min(pos, noun_end + 120))
            if m is None or m.start("noun") != noun_start:
                continue
            label = _document_label(m, kind, r)
            if label is not None:
                found.append((m.start(), label, m["noun"].lower()))
    # "X said in a new assessment": the phrase first (a cheap literal start), then its verb
    for phrase in p["citing_phrase"].finditer(text, lo, pos):
        verb = p["speech_verb_back"].search(text, max(lo, phrase.start() - 40), phrase.start())
        cited = p["citing"].match(text, verb.end()) if verb is not None else None
        if verb is None or cited is None:
            continue
        named = p["name_run"].findall(text[max(lo, verb.start() - 80):verb.start()])
        if named:
            kind = cited.group().split()[-1].lower()
            found.append((verb.start(), f"{clean_name(named[-1])} {kind}", kind))
    same = [f for f in found if f[2] == noun]
    best = max(same or found, default=None)
    return best[1] if best is not None else None


# "Today's report", "this week's figures": a document named by its date is the text's own
_TIMED = regex.compile(
    r"(?i:the\s++)?(?i:today|yesterday|tomorrow|this\s++\w++|last\s++\w++|\w+day)['’]s\b")


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
    title = (groups.get("name") or "").strip()
    if noun and title and any(w[:1].isupper() or w[:1] == "(" for w in title.split()):
        return f"{org}'s {title} {noun.lower()}"  # "Bank's Damage Estimation (GRADE) report"
    return f"{org}'s {noun.lower()}" if noun else org
