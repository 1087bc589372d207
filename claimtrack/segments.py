"""The voices of a document: which stretches are whose, and on whose authority.

One pass over the lines of a text, left to right, keeping a little state (the
post, the quoted piece, the speech turn, the comment thread), turns plain text
into `Segment`s: a blog author's narration under a dateline, a newspaper piece
quoted after "This from Jo Bloggs in the Courier:-", a paragraph after
"Jane Smith, director, said:", a transcript turn after "Q12 Dr Ward:", a comment
in a thread, a reader's contribution signed "Pat, North West", a by-lined report
("By Jo Bloggs, Health Editor"), a release under a "Press release" heading whose
issuer is named by its first paragraph. Each segment
carries the speaker and source its text takes unless a sentence says otherwise
(see attribution.py). The pass is linear in the length of the text.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import regex

from .model import Document, Role
from .names import Who, clean_name, is_name, is_role, name_pattern, person_name, read_who
from .patterns import alt, alt_by_edge
from .rules import RuleSet
from .structure import THREAD_WORDS, Dateline, find_datelines, reference_dates

_BLANK_RUN = regex.compile(r"(?:[ \t\u00a0\r\ufeff]*+\n)*+")
_SPACE = " \t\u00a0\r\ufeff"
_LEAD_IN = regex.compile(r":-[\s\u00a0]*+$")
# "45 comments:", "12 Responses to "Library cuts"", "3 thoughts on "..."" (a thread's head)
_COMMENTS = regex.compile(
    rf"^\s*+\d[\d,]*+\s++{THREAD_WORDS}"
    r"(?:\s*+:?|\s++(?:to|on)\s++[^\n]{1,200}?)\s*+$", regex.I)
_SEPARATOR = regex.compile(r"^\s*+(?:[*_=~#-]\s*+){3,}$")
_RULE_CHARACTERS = "*_=~#-"  # what a separator line is made of: "* * *", "----"
_NUMBERED = regex.compile(r"^\s*+\d{1,3}\.\s")
_TAG = regex.compile(r"^\s*+\((?P<tag>[A-Z][^()\n]{2,40})\)\s*+$")
_INTRO_END = " \t\"“‘'"  # what may follow the colon of a speech's introduction
_QUOTE_OPEN = "\"“‘'"
# "By Jo Bloggs, Transport Correspondent" under a headline.
_BYLINE = regex.compile(r"^(?i:by)[ \t]++(?P<who>[A-Z][^\n]{2,100}?)[ \t]*+$")
# A short line with no closing punctuation after a blank line: a heading.
_HEADING = regex.compile(r"^[^\n]{1,60}+(?<![.!?:;,\"”’'])$")
_CLAIMABLE = ("post", "release", "quoted", "contribution")
# The blog author speaking in the first person, outside quotation marks.
_FIRST_PERSON = regex.compile(r"\b(?:I|I['’]m|I['’]ve|I['’]d|I['’]ll|(?i:my|me))\b")
_QUOTATION = regex.compile(r"\"[^\"\n]*+\"|“[^”\n]*+”")


def _patterns(r: RuleSet) -> dict[str, regex.Pattern[str]]:
    return r.memo(_build_patterns)


def _build_patterns(r: RuleSet) -> dict[str, regex.Pattern[str]]:
    # (grouped by first letter: the speaker patterns try them at every word of a line)
    verbs = alt_by_edge(r.speech_verbs)
    honorifics, roles = alt_by_edge(r.honorifics), alt_by_edge(r.roles)
    release, venues, wires = alt(r.release_words), alt(r.venues), alt(r.wires)
    heads, lead_words, starts = alt(r.mastheads), alt(r.lead_words), alt(r.lead_starts)
    nouns = alt(r.source_nouns)
    name = name_pattern(r)
    return {
        "commenter": regex.compile(
            rf"^\s*+(?P<name>[^\n]{{1,60}}?)\s++{alt(r.comment_verbs)}\s*+(?:\.\.\.|…|:)\s*+$",
            regex.I),
        "thread_noise": regex.compile(rf"^\s*+{alt(r.thread_noise)}\s*+$", regex.I),
        # a signature: "— Jo Bloggs, Kingsmere"
        "signed": regex.compile(
            rf"^\s*+(?:[-—–~]\s*+)?(?P<name>[A-Z][\w'’.-]*+(?:\s++[A-Z][\w'’.-]*+){{0,2}}),\s*+"
            rf"(?P<place>{name})\s*+$"),
        # the last person named with an apposition: "Ian Lawrence, general secretary of ..."
        "named_apposition": regex.compile(rf"(?P<name>{name}),\s++[a-z]"),
        # a wire credit: "OSTRAVEL (AP) —", "..., Reuters reports.", a closing "— AFP" line
        "wire": regex.compile(
            rf"\((?P<w1>(?i:{wires})(?:\s*+[/,&]\s*+(?i:{wires}))*+)\)\s*+[—–-]|,\s*+(?P<w2>(?i:{wires}))\s++"
            rf"{alt(r.wire_verbs)}\s*+\.|^\s*+(?:[—–-]\s*+|(?i:source|with|via)\s*+:?\s*+)?"
            rf"\(?(?P<w3>(?i:{wires}))\)?\s*+$"),
        # a wire dateline names its agency whatever it is called: "KINGSPORT, Nov 17 (Harbour
        # Wire) -", "NEW YORK (Acme News) —"
        "dateline_credit": regex.compile(
            rf"^[A-Z][A-Z'’.-]++(?:[ \t]++[A-Z][A-Z'’.-]++){{0,3}}"
            rf"(?:,[ \t]*+[A-Z][\w.]*+(?:[ \t]++[A-Z][\w.]*+){{0,2}}){{0,2}}"
            rf"(?:,[ \t]*+[^()\n]{{1,30}}?)?[ \t]*+\((?P<w4>{name})\)[ \t]*+[—–-]"),
        # a publisher's name: capitalised words ending in a masthead word ("Harbour Times")
        "masthead": regex.compile(rf"^(?:(?i:the)\s++)?(?P<pub>{name})$"),
        # "Harbour Times"; "Department for Housing", "Bureau of Labor Statistics"
        "masthead_word": regex.compile(
            rf"(?i:{heads})$|^(?i:the\s++)?(?i:{heads})\s++(?:for|of)\b"),
        # a publication named in a lead-in: "in today's Northern Echo", "the Gazette ran"
        "lead_pub": regex.compile(
            rf"(?:\b(?:in|from|by|of)\s++(?:the\s++)?(?:(?i:{alt(r.edition_times)}|\w+day)"
            rf"['’]s\s++)?|\b(?i:the)\s++)(?P<pub>{name})"),
        # a document named in a lead-in: "taken from the library service's annual report"
        "lead_doc": regex.compile(
            rf"\b(?i:from|of|have|is|are)\s++(?P<doc>(?i:the|an?|its|their)\s++"
            rf"(?:[\w'’-]++\s++){{0,4}}?(?i:{nouns})(?:\s++of\s++(?:the\s++)?"
            rf"(?:[\w'’-]++\s++){{0,3}}?[\w'’-]++(?=\s*+[.,:;(]|\s*+$))?)"),
        "lead_words": regex.compile(rf"\b(?i:{lead_words})\b"),
        "lead_start": regex.compile(rf"^(?i:{starts})\b"),
        "byline_org": regex.compile(
            rf"^(?P<name>[^,|(\n]{{2,60}}?)\s*+(?:,|\||\(|—|–|-)\s*+(?:(?i:the)\s++)?"
            rf"(?P<org>{name})(?:\s++[a-z][\w-]*+){{0,3}}\)?\s*+$"),
        # "Jane Smith, Director of Services, said:" on a line of its own.
        "speech_intro": regex.compile(
            rf"^\s*+(?P<who>[^\n]{{1,200}}?)\s++(?:{verbs})(?:\s++\w++){{0,2}}?\s*+:\s*+[\"“‘']?\s*+$",
            regex.I),
        # "Answered by Minister Carla Voss on 9 October 2026:", "Written question 41203,
        # asked by Sam Rowe MP:": the paragraphs below are that person's
        "by_intro": regex.compile(
            rf"^[^\n:]{{0,60}}?\b(?i:{alt(r.by_intros)})[ \t]++(?P<who>[^\n:]{{2,100}}?)"
            rf"(?:[ \t]++(?i:on)[ \t]++[^\n:]{{3,40}}?)?[ \t]*+:[ \t]*+$"),
        # "Q98 Miss Dines:" / "Chair:" / "Dr Helen Ward:" opening a transcript turn.
        # "The Convener (Jean Hollis):", "Dr Ann Lee (Acme Trust):", "Pat Roe (Leeds) (Lab):"
        # ... in Markdown bold ("**Jane Smith**:", "**Jane Smith:**"), in brackets
        # ("[Jane Smith]:"), or with a dash for the colon ("Jane Smith — Thank you").
        "label": regex.compile(
            rf"^[ \t]*+(?:Q\d++\.?[ \t]++)?(?P<mark>\*\*|__|\[)?+"
            rf"(?P<who>(?:(?i:the)[ \t]++)?(?i:{roles})|"
            rf"(?:(?i:{honorifics})\.?[ \t]++)?[A-Z][\w'’-]*+(?:[ \t]++[A-Z][\w'’.-]*+){{0,3}})"
            rf"(?P<parens>(?:[ \t]++\([^()\n]{{1,60}}\)){{0,2}})"
            # an earnings call's "Jane Doe -- Chief Financial Officer:" (the post after dashes)
            rf"(?:[ \t]++(?:--|—|–)[ \t]++[A-Z][^:\n]{{1,80}}?(?=[ \t]*+:))?+"
            rf"(?:(?(mark)(?:\*\*|__|\])?+)[ \t]*+:(?(mark)(?:\*\*|__)?+)(?![-:])[ \t]*+(?=\S|$)"
            rf"|(?(mark)(?:\*\*|__|\]))[ \t]++[—–][ \t]++(?=\S))"),
        # a hearing record's "Senator HALVERSON. The hearing will ...", "Ms. ORTEGA. Thank you"
        "caps_label": regex.compile(
            rf"^[ \t]*+(?P<who>(?:(?i:the)[ \t]++)?(?:(?i:{honorifics}|{roles})\.?[ \t]++)"
            rf"[A-Z][A-Z'’-]++(?:[ \t]++[A-Z][A-Z'’-]++)?)(?P<parens>)\.[ \t]++(?=\S)"),
        "from_author": regex.compile(
            rf"\bfrom\s++(?P<author>{name})\s++(?:in|at|for|on|of)\s++(?:the\s++)?(?P<pub>{name})"),
        "from_pub": regex.compile(rf"\bfrom\s++(?:the\s++)?(?P<pub>{name})"),
        "release_title": regex.compile(rf"(?P<pub>{name}(?:['’]s)?)\s++(?i:{release})\s*+$"),
        "issued": regex.compile(
            rf"(?P<org>(?:the\s++)?{name})\s++(?:\w++\s++){{0,3}}?{alt(r.issue_verbs)}\s++"
            rf"(?:this|the\s++following|an?)"
            rf"\s++(?:\w++\s++)?(?P<kind>(?i:{release}|report|survey|study))\b"),
        "says_on": regex.compile(
            rf"(?P<who>{name})(?:,[^,\n]{{1,80}},)?\s++{alt(r.intro_verbs)}\b"),
        "venue": regex.compile(rf"\b(?:on|in|at|over\s++on)\s++(?P<venue>{venues})\b", regex.I),
        "issuer": regex.compile(rf"^\s*+(?:the\s++)?(?P<org>{name})"),
    }


@attrs.frozen
class Voice:
    """Whose words a stretch of text is, and why we think so."""

    role: Role
    speaker: str | None = None
    source: str | None = None
    cue: str | None = None
    issuer: str | None = None  # the body a press release is from: its own "X said" is narration


@attrs.frozen
class Segment:
    """A stretch of a document read in one voice (see `claimtrack structure FILE`)."""

    start: int
    end: int
    role: Role
    speaker: str | None
    source: str | None
    cue: str | None
    issuer: str | None = None
    date: dt.date | None = None  # the reference date at the segment's start (see document_segments)


@attrs.frozen
class Segments:
    """The segments of a document, callable as `segments(pos) -> Segment`."""

    items: tuple[Segment, ...]
    starts: tuple[int, ...]
    #: where each transcript label ends, by the start of its line: the turn's words begin
    #: there, and a figure's sentence does not take in the speaker's name
    label_ends: Mapping[int, int] = attrs.field(factory=dict)

    def __call__(self, pos: int) -> Segment | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.items[i] if i >= 0 else None

    def after_label(self, start: int) -> int:
        """Where the words of a line opened at `start` begin, past any speaker label."""
        return self.label_ends.get(start, start)


@attrs.define
class _Reader:
    """The mutable state of the one pass (private: the result is frozen)."""

    text: str
    r: RuleSet
    patterns: dict[str, regex.Pattern[str]]
    publisher: str | None  # given by the user, or read from a masthead line
    dateline_starts: frozenset[int]
    labels: Mapping[int, regex.Match[str]]  # line start -> the speaker label opening it
    post: Voice = Voice("post")
    block: Voice | None = None
    block_lines: int = 0  # non-empty lines read since the quoted block opened
    block_prose: bool = False  # the quoted block holds a sentence, not only headlines
    turn: Voice | None = None
    turn_open_quote: bool = False  # the turn's paragraph left a quotation open
    turn_pending: bool = False  # the turn was announced; its first paragraph is next
    comments: bool = False
    comment: Voice | None = None
    blank_run: int = 0
    piece_start: int = 0  # where a contribution that a signature closes began
    post_lines: int = 0  # non-empty lines read since the post (or document) began
    post_start: int = 0  # where the post began (after its dateline)
    block_start: int = 0  # where the quoted piece began (after its lead-in)
    block_first_person: bool = False  # the quoted piece speaks in the first person itself
    signed: bool = False  # the previous non-empty line signed a contribution
    after_blank: bool = False  # the line being read follows a blank line
    paragraph: str = ""  # the previous non-empty line
    out: list[Segment] = attrs.Factory(list)
    top: bool = True  # no paragraph read yet: a masthead may still come
    release_kind: str = ""  # the heading of a release: "press release", "news release"
    run_start: int = 0  # where the run of non-blank lines being read began
    last_run: tuple[int, int] = (0, 0)  # the run of non-blank lines before the last blank line
    # line start -> where the words of the story begin, past a wire dateline that opens it
    # ("LONDON, Oct 14 (Meridian Newswire) - "): the dateline is no part of the sentence
    dateline_ends: dict[int, int] = attrs.Factory(dict)
    line_end: int = 0  # where the last non-blank line ended

    def voice(self) -> Voice:
        if self.comments:
            return self.comment or Voice("comments")
        if self.turn is not None:
            return self.turn
        if self.block is not None:
            return self.block
        return self.post

    def emit(self, start: int, end: int, voice: Voice) -> None:
        if end <= start:
            return
        last = self.out[-1] if self.out else None
        if last is not None and last.end == start and _same_voice(last, voice):
            # the constructor, not attrs.evolve: this runs once a line
            self.out[-1] = Segment(last.start, end, last.role, last.speaker, last.source,
                                   last.cue, last.issuer, last.date)
        else:
            self.out.append(Segment(start, end, voice.role, voice.speaker, voice.source, voice.cue,
                                    voice.issuer))


def _same_voice(segment: Segment, voice: Voice) -> bool:
    return (segment.role, segment.speaker, segment.source, segment.cue, segment.issuer) == (
        voice.role, voice.speaker, voice.source, voice.cue, voice.issuer)


def read_segments(text: str, datelines: list[Dateline], r: RuleSet, *,
                  publisher: str | None = None, body_start: int = 0) -> Segments:
    """The voices of `text`, as contiguous segments from 0 to len(text).

    `publisher` is the source of the narration (the page's own voice); without it a
    masthead line at the top of the page may name it. Text before `body_start` (front
    matter) is metadata.
    """
    p = _patterns(r)
    labels = dict(_label_lines(text, p, r))
    # one label line is a colon after a name; a transcript has two or more
    reader = _Reader(text, r, p, publisher, frozenset(d.start for d in datelines),
                     labels if len(labels) >= 2 else {})
    reader.post = _post_voice(reader)
    reader.top = publisher is None
    if body_start > 0:
        reader.out.append(Segment(0, body_start, "metadata", None, None, "front matter"))
        reader.piece_start = reader.post_start = body_start
    pos = body_start
    while pos < len(text):
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline + 1  # the line, with its line break
        if reader.blank_run and not text[pos:end].strip(_SPACE + "\n"):
            # the third and later blank lines of a run change nothing: read them as one
            end = _BLANK_RUN.match(text, end).end()  # type: ignore[union-attr]
        _read_line(reader, pos, end, text[pos:end])
        pos = end
    items = tuple(reader.out) or (Segment(0, len(text), "post", None, None, None),)
    return Segments(items, tuple(s.start for s in items),
                    {**reader.dateline_ends,
                     **{line: label.end() + line for line, label in reader.labels.items()}})


def document_segments(document: Document, rules: RuleSet | None = None) -> tuple[Segment, ...]:
    """How a document was read: its segments in order, each with the reference date at its
    start, leaving out those that hold only blank lines (what `claimtrack structure` shows)."""
    from .frontmatter import read_front_matter
    from .pipeline import with_front_matter

    r = rules or RuleSet.default()
    text = document.text
    document = with_front_matter(document)
    datelines = find_datelines(text, r)
    refs = reference_dates(text, datelines, document.date, r)
    segments = read_segments(text, datelines, r, publisher=document.source,
                             body_start=read_front_matter(text).end)
    return tuple(attrs.evolve(s, date=refs(s.start)) for s in segments.items
                 if not text[s.start:s.end].isspace())


def _post_voice(st: _Reader) -> Voice:
    """The narration of the page: the publisher's, when it is known."""
    if st.publisher is None:
        return Voice("post")
    return Voice("post", source=st.publisher, cue=f"publisher {st.publisher!r}")


def segment_to_dict(segment: Segment, text: str) -> dict[str, Any]:
    """A segment as a row: offsets, role, speaker, source, date, cue and its opening words."""
    excerpt = " ".join(text[segment.start:segment.end].split())
    return {"start": segment.start, "end": segment.end, "role": segment.role,
            "speaker": segment.speaker, "source": segment.source,
            "date": segment.date.isoformat() if segment.date else None,
            "cue": segment.cue, "text": excerpt[:60]}


# what follows a label that heads metadata, not a speech turn: a number or a date
_METADATA = regex.compile(r"[ \t]*+(?:\d|$)")
_SENTENCE_ENDS = ".!?\"”'’)"
_NON_SPACE = regex.compile(r"\S")
_TEXT_LINE = regex.compile(r"(?m)^[^\S\n]*+\S[^\n]*+")  # a line holding more than spaces


def _label_lines(text: str, p: dict[str, regex.Pattern[str]],
                 r: RuleSet) -> Iterator[tuple[int, regex.Match[str]]]:
    """(line start, label) for each line a speaker label opens, read once per document."""
    for line in _TEXT_LINE.finditer(text):
        found = _label(p, line.group(), r)
        if found is None:
            continue
        # (whether any text stands above the line: found at the first character that is not
        # a space, not by copying all the text above every label line)
        if _NON_SPACE.search(text, 0, line.start()) is None \
                and line.group().rstrip()[-1:] not in _SENTENCE_ENDS:
            continue  # "Northgate Logistics: Second Quarter Results Call" titles the page
        yield line.start(), found


def _label(p: dict[str, regex.Pattern[str]], line: str, r: RuleSet) -> regex.Match[str] | None:
    """A transcript speaker label opening the line, in either house style."""
    head = line[:_LABEL_REACH]
    found = None
    if ":" in head or "—" in head or "–" in head:  # "Name:", "Name —"; most lines have neither
        found = p["label"].match(line)
    if found is None and ". " in head:
        found = p["caps_label"].match(line)
    return found if found is not None and _is_label(found, r) else None


# how far into a line a label's colon, dash or full stop can be (parentheses included)
_LABEL_REACH = 260


def _is_label(found: regex.Match[str], r: RuleSet) -> bool:
    who = found["who"]
    words = who.split()
    # a role or a title names a person whatever follows ("Dr Firth: 812,000 in the latest
    # three months"); other capitalised words before a figure are a page's metadata ("News
    # ID: 112895", "Publish Date : 27 February 2023")
    if who.lower().removeprefix("the ") in r.roles:
        return True
    if words[0].lower().rstrip(".") in r.honorifics:
        return True
    if _METADATA.match(found.string, found.end()):
        return False
    return 2 <= len(words) <= 4 and is_name(who, r)


_TOP_OF_PAGE = 300  # characters: where a page's masthead or a release's issuer may stand


def _read_line(st: _Reader, start: int, end: int, line: str) -> None:
    stripped = line.strip(_SPACE + "\n")
    p = st.patterns
    if not stripped:
        st.blank_run += 1
        if st.blank_run >= 2 and not st.comments and (st.block or st.turn):
            # Two blank lines close a quoted piece: the blog author speaks again.
            st.block, st.turn = None, None
            st.piece_start = start
        st.emit(start, end, st.voice())
        return
    st.after_blank, st.blank_run = st.blank_run > 0, 0
    if st.after_blank:
        st.last_run, st.run_start = (st.run_start, st.line_end), start
    st.line_end = end
    if start + len(line) - len(line.lstrip(_SPACE)) in st.dateline_starts:
        _read_dateline(st, start, end)
        return
    st.post_lines += 1
    signed, st.signed = st.signed, False
    if _COMMENTS.match(stripped):
        st.comments, st.comment, st.block, st.turn = True, Voice("comments"), None, None
        st.emit(start, end, Voice("comments"))
        return
    if st.comments:
        _read_comment_line(st, start, end, stripped)
        return
    if stripped.lstrip()[:1] in _RULE_CHARACTERS and _SEPARATOR.match(stripped):
        st.turn = None
        st.emit(start, end, st.voice())
        st.piece_start = end
        return
    if stripped[:6].lower() == "source" and _source_line(st, start, end, stripped):
        return
    label = st.labels.get(start)
    if label is not None:
        who = label["who"]
        st.turn = Voice("turn", speaker=_label_name(who, st.r, label["parens"]),
                        source=st.post.source, cue=f"speaker label {label.group().strip()!r}")
        st.emit(start, end, st.turn)
        st.paragraph = stripped
        return
    if signed and _TAG.match(stripped):
        # "(Branch officer)" under "Dev, Marsh Lane": still the signature.
        st.out[-1] = attrs.evolve(st.out[-1], end=end)
        st.piece_start, st.signed = end, True
        return
    # (a release's issuer may stand under its title: "Housing supply statistics ..." then
    # "Department for Housing and Communities")
    if (st.top or (start < _TOP_OF_PAGE and st.post_lines <= 3)) \
            and stripped.lower().rstrip(":") not in st.r.release_words \
            and _masthead(st, start, end, stripped):
        return
    if _opening(st, start, end, stripped):
        return
    if _signature(st, start, end, stripped):
        return
    if _is_lead_in(st, stripped):
        st.emit(start, end, st.voice())
        _open_block(st, stripped, end)
        return
    answered = p["by_intro"].match(stripped) if stripped.endswith(":") else None
    if answered is not None and len(stripped) < 240:
        who = read_who(answered["who"], st.r)
        st.turn = Voice("turn", speaker=_resolve(st, who), source=(st.block or st.post).source,
                        cue=f"introduced by {stripped!r}")
        st.emit(start, end, st.turn)  # the line's own date is the turn's
        st.paragraph = stripped
        return
    # a short line with a colon (most lines of prose have none: the pattern is spared them)
    # (a short line ending in a colon, perhaps before the quotation mark it opens)
    intro = p["speech_intro"].match(stripped) if len(stripped) < 240 and \
        stripped.rstrip(_INTRO_END)[-1:] == ":" else None
    if intro is not None:
        who = read_who(intro["who"], st.r)
        speaker = _resolve(st, who)
        base = st.block or st.post
        st.emit(start, end, st.voice())
        st.turn = Voice("speech", speaker=speaker, source=base.source,
                        cue=f"speech introduced by {stripped!r}")
        st.turn_pending, st.turn_open_quote = True, False
        st.paragraph = stripped
        return
    _read_paragraph(st, start, end, stripped)


def _read_dateline(st: _Reader, start: int, end: int) -> None:
    if st.block is not None and st.block_lines <= 3 and not st.signed and not st.block_prose:
        # A date line just under a quoted headline: the piece's own date, a release.
        if st.block.source is None:
            st.block = attrs.evolve(st.block, source="press release",
                                    cue="date line of a quoted release")
        st.block = attrs.evolve(st.block, role="quoted")
        st.emit(start, end, Voice("dateline", source=st.block.source, cue="date line"))
        st.block_lines += 1
        st.paragraph = ""
        return
    if st.post.role == "release" and st.post_lines <= 2:
        # "Press release" and then its date line: the release goes on.
        st.emit(start, end, Voice("dateline", cue="date line of the release"))
        st.piece_start = st.post_start = end
        return
    st.post = _post_voice(st)
    st.block = st.turn = st.comment = None
    st.comments = False
    st.emit(start, end, Voice("dateline", cue="dateline"))
    st.piece_start = st.post_start = end
    st.paragraph = ""
    st.post_lines = 0


def _read_comment_line(st: _Reader, start: int, end: int, stripped: str) -> None:
    p = _patterns(st.r)
    commenter = p["commenter"].match(stripped)
    if commenter is not None:
        name = commenter["name"].strip()
        speaker = None if name.lower().startswith(("anonymous", "unknown")) else clean_name(name)
        st.comment = Voice("comment", speaker=speaker, cue=f"comment by {name!r}")
        st.emit(start, end, Voice("comments", cue="commenter line"))
        return
    if p["thread_noise"].match(stripped):
        st.emit(start, end, Voice("comments"))
        return
    if _NUMBERED.match(stripped):
        st.comment = Voice("comment", cue="numbered comment")
    st.emit(start, end, st.comment or Voice("comment"))


def _opening(st: _Reader, start: int, end: int, stripped: str) -> bool:
    """The head of a post or quoted piece: a "Press release" heading, a by-line."""
    if st.block is None and st.turn is None and st.post_lines <= 2 and \
            stripped.lower().rstrip(":") in st.r.release_words:
        st.post = Voice("release", source=st.publisher, cue=f"heading {stripped!r}")
        st.release_kind = stripped.lower().rstrip(":")
        st.emit(start, end, st.post)
        return True
    byline = _BYLINE.match(stripped) if stripped[:2].lower() == "by" else None
    if byline is None or st.turn is not None:
        return False
    if (st.block is not None and st.block_lines > 4) or (st.block is None and st.post_lines > 6):
        return False
    named, wire = _without_wire(byline["who"], st.r)
    who = read_who(named, st.r)
    if who.kind != "name" or who.name is None:
        return False
    cue = f"by-line {stripped!r}"
    # "By Jo Bloggs, BBC political correspondent": the by-line names the publication too
    org = wire or _byline_org(st, byline["who"])
    # The by-lined author writes the piece from its headline on.
    if st.block is not None:
        st.block = attrs.evolve(st.block, speaker=who.name, cue=cue,
                                source=st.block.source or org)
        _claim_back(st, st.block_start)
    else:
        source = st.post.source if st.publisher is not None or org is None else org
        st.post = attrs.evolve(st.post, speaker=who.name, cue=cue, source=source)
        _claim_back(st, st.post_start)
    st.emit(st.out[-1].end if st.out else 0, end, st.voice())
    st.piece_start = end
    return True


def _without_wire(who: str, r: RuleSet) -> tuple[str, str | None]:
    """'LUIS MORALES Associated Press' (an agency's by-line): the author, and the agency
    named after the name."""
    low = who.lower()
    for wire in sorted(r.wires, key=len, reverse=True):  # (lower case, as the rules keep them)
        if len(low) > len(wire) + 2 and low.endswith(wire) and low[-len(wire) - 1] in " ," \
                and who[-len(wire):][:1].isupper():
            return who[:-len(wire)].rstrip(" ,"), who[-len(wire):]
    return who, None


def _byline_org(st: _Reader, who: str) -> str | None:
    """The publication a by-line names after the author: "Jo Bloggs, BBC political
    correspondent" -> BBC, "Jo Bloggs | Reuters" -> Reuters."""
    found = st.patterns["byline_org"].match(who)
    if found is None:
        return None
    org = found["org"]
    if org.lower() in st.r.wires or (is_name(org, st.r) and not is_role(org, st.r)):
        return clean_name(org)
    return None


def _masthead(st: _Reader, start: int, end: int, stripped: str) -> bool:
    """A publisher's name on a line of its own at the top of the page: "Harbour Times",
    "Northland Bureau of Statistics". It becomes the source of the narration."""
    if st.post_lines > 3 or st.block is not None or st.turn is not None or len(stripped) > 60:
        return False
    found = st.patterns["masthead"].match(stripped)
    if found is None or not is_name(found["pub"], st.r) or len(found["pub"].split()) > 6:
        return False
    if st.patterns["masthead_word"].search(found["pub"]) is None:
        return False
    # "PRESS BRIEFING BY THE MAYOR'S OFFICE": the office gives it
    pub = _BY_PUBLISHER.sub("", found["pub"])
    st.publisher = clean_name(" ".join(w.capitalize() for w in pub.split()) if pub.isupper()
                              else pub)
    # the name above a release is its issuer: "the trust said" there is its own narration
    issuer = st.publisher if st.post.role == "release" else st.post.issuer
    st.post = attrs.evolve(st.post, source=st.publisher, cue=f"masthead {stripped!r}",
                           issuer=issuer)
    st.emit(start, end, Voice("masthead", source=st.publisher, cue=st.post.cue))
    st.piece_start = st.post_start = end
    return True


_BY_PUBLISHER = regex.compile(r"^.*?\s(?i:by)\s++(?=\S)")


def _wire_credit(st: _Reader, start: int, stripped: str) -> None:
    """A news agency credited in the narration ("OSTRAVEL (AP) —", ", Reuters reports."):
    the carried story is the agency's, from its first line."""
    if not ("(" in stripped or " report" in stripped or " said." in stripped
            or " says." in stripped or len(stripped) <= 40):
        return  # no "(AP)", no ", Reuters reports.", not a credit line: the common case
    found = None
    if not _wire_firsts(st.r).isdisjoint(_TOKEN.findall(stripped.lower())):
        found = st.patterns["wire"].search(stripped)  # an agency the rules know
    if found is None and "(" in stripped:
        found = st.patterns["dateline_credit"].match(stripped)
        if found is not None and not _agency_name(found["w4"], st.r):
            found = None
    if found is None:
        return
    groups = found.groupdict()
    canonical = next(groups[g] for g in ("w1", "w2", "w3", "w4") if groups.get(g))  # as written
    if groups.get("w1") or groups.get("w4"):  # a dateline opening the line's story
        at = st.text.find(found.group(), start)
        if at >= 0 and not st.text[start:at].strip():
            words = at + len(found.group())
            while words < len(st.text) and st.text[words] in " \t":
                words += 1
            st.dateline_ends[start] = words
    cue = f"wire credit {found.group().strip()!r}"
    old = st.post.source
    st.post = attrs.evolve(st.post, source=canonical, cue=cue)
    if groups.get("w3") is None:
        return  # the credit opens the carried copy; the headline above is the site's
    # a closing credit line ("— AFP"): the story above it was carried
    for i in range(len(st.out) - 1, -1, -1):
        seg = st.out[i]
        if seg.end <= st.post_start or seg.role not in ("post", "release", "speech"):
            break
        if seg.source == old:
            st.out[i] = attrs.evolve(seg, source=canonical, cue=cue if seg.role != "speech"
                                     else seg.cue)


def _agency_name(name: str, r: RuleSet) -> bool:
    """Whether a dateline's credit names an agency: a known one, an acronym ("KNA"), a
    name of two words or more ("Harbour Wire") or one that names itself a wire service
    ("Newswire", "Pressenza"), not one common word ("(Wire)")."""
    words = name.split()
    return name.lower() in r.wires or len(words) >= 2 or (name.isupper() and len(name) >= 2) \
        or _AGENCY_WORD.fullmatch(name) is not None


_AGENCY_WORD = regex.compile(r"[A-Z][a-z]{2,}(?:wire|news|press|presse|pressen)", regex.I)


def _wire_firsts(r: RuleSet) -> frozenset[str]:
    """The first words of the agencies' names ("canadian" for "The Canadian Press")."""
    return r.memo(_build_wire_firsts)


def _build_wire_firsts(r: RuleSet) -> frozenset[str]:
    return frozenset(next((w for w in name.split() if w != "the"), name) for name in r.wires)


def _is_lead_in(st: _Reader, paragraph: str) -> bool:
    """A paragraph announcing a quoted piece below it: "This from X in the Y:-", "Below is
    the piece the Z ran on Sunday:", "Here we have the minutes of ..."."""
    if paragraph.endswith(":-"):  # (the line is stripped of spaces)
        return True
    if st.turn is not None or st.comments or (st.block is not None
                                                and not paragraph.endswith(":")):
        return False
    p = st.patterns
    if paragraph.endswith(":"):
        last = _last_sentence(paragraph)
        return len(last) < 300 and p["lead_words"].search(last) is not None
    if st.block is not None:
        return False
    last = _last_sentence(paragraph)
    return len(last) < 200 and _first_word(last) in _lead_firsts(st.r)[1] \
        and p["lead_start"].match(last) is not None and _lead_source(st, last) is not None


@functools.lru_cache(maxsize=4)  # asked of one paragraph by the lead-in and the announcement
def _last_sentence(paragraph: str) -> str:
    """The paragraph's last sentence (from its last ". ", "! " or "? "), looked for in its
    last 400 characters only: a longer sentence is no lead-in."""
    lo = max(0, len(paragraph) - 400)
    cut = max(paragraph.rfind(". ", lo), paragraph.rfind("! ", lo), paragraph.rfind("? ", lo))
    return paragraph[cut + 2:] if cut >= 0 else paragraph[lo:]


def _lead_source(st: _Reader, sentence: str) -> str | None:
    """The publication or document a lead-in names, if it names one."""
    p = st.patterns
    doc = p["lead_doc"].search(sentence)
    for found in p["lead_pub"].finditer(sentence):
        pub = found["pub"]
        if doc is not None and doc.start() <= found.start() < doc.end():
            continue
        if is_name(pub, st.r) and p["masthead_word"].search(pub) is not None:
            return clean_name(pub)
    if doc is not None:
        words = doc["doc"].split()
        return clean_name(" ".join(words[1:] if words[0].lower() in ("the", "a", "an")
                                   else words))
    return None


def _signature(st: _Reader, start: int, end: int, stripped: str) -> bool:
    """A line signing the piece above it: "Pat, North West" or "(Branch officer)"."""
    if not st.paragraph or len(stripped) > 60 or stripped[-1] in ".!?:;,":
        return False
    signed = _patterns(st.r)["signed"].match(stripped)
    tag = _TAG.match(stripped) if signed is None else None
    if signed is None and tag is None:
        return False
    if signed is not None and not is_name(signed["name"], st.r):
        return False
    speaker = clean_name(signed["name"]) if signed is not None else None
    cue = f"signed {stripped!r}"
    base = st.block or st.post
    voice = Voice("contribution", speaker=speaker, source=base.source, cue=cue)
    _claim_back(st, st.piece_start)
    st.emit(st.out[-1].end if st.out else 0, end, voice)
    st.piece_start = end
    st.turn = None
    st.paragraph = ""
    st.signed = True
    return True


def _claim_back(st: _Reader, begin: int) -> None:
    """Cut the segments read so far at `begin`, so that a signature can claim what follows.

    Only narration is claimed: a dateline, a comment or a speaker's turn stays its own.
    """
    while st.out and st.out[-1].end > begin and st.out[-1].role in _CLAIMABLE:
        last = st.out.pop()
        if last.start < begin:
            st.out.append(attrs.evolve(last, end=begin))
            return


_SENTENCE_GAP = regex.compile(r"(?<=[.!?])\s++")
_PRESENTS_TEXT = regex.compile(r"(?i)\b(?:here|text|piece|article)\b")


def _open_block(st: _Reader, lead_line: str, end: int) -> None:
    """A lead-in ending ":-" opens a quoted piece; read its author and publication."""
    p = st.patterns
    lead = _LEAD_IN.sub("", lead_line).strip(_SPACE)
    sentence = _SENTENCE_GAP.split(lead)[-1]
    speaker = source = None
    cue = f"lead-in {sentence!r}"
    if (found := p["release_title"].search(sentence)) is not None and found.start() == 0:
        source = sentence
    elif (found := p["from_author"].search(sentence)) is not None and is_name(
            found["author"], st.r):
        speaker, source = clean_name(found["author"]), clean_name(found["pub"])
    elif (found := p["issued"].search(sentence)) is not None:
        kind = found["kind"].lower()
        noun = "press release" if kind in st.r.release_words else kind
        source = f"{clean_name(found['org'])} {noun}"
    elif (found := p["from_pub"].search(sentence)) is not None and is_name(found["pub"], st.r):
        source = clean_name(found["pub"])
    if source is None:
        source = _lead_source(st, sentence)
    if source is None and st.paragraph \
            and _PRESENTS_TEXT.search(sentence):
        # a title naming the paper, then "Here's the full text:-"
        source = _lead_source(st, "in " + st.paragraph)
    if source is None and (found := p["venue"].search(lead)) is not None:
        source = found["venue"]
    if speaker is None and (found := p["says_on"].search(sentence)) is not None and is_name(
            found["who"], st.r):
        speaker = clean_name(found["who"])
    st.block = Voice("quoted", speaker=speaker, source=source, cue=cue)
    st.block_lines = 0
    st.block_prose = False
    st.block_start = end
    st.block_first_person = False
    st.turn = None
    st.piece_start = end
    st.paragraph = ""


def _read_paragraph(st: _Reader, start: int, end: int, stripped: str) -> None:
    st.top = False
    # an agency is credited in a story's first paragraphs, or on a short line of its own
    if st.block is None and st.turn is None and (st.post_lines <= 4 or len(stripped) <= 40):
        _wire_credit(st, start, stripped)
    if st.turn is not None and st.turn.role == "speech":
        if st.turn_pending:
            st.turn_pending = False
        elif not (st.turn_open_quote
                  or (stripped[0] in _QUOTE_OPEN and st.paragraph[:1] in _QUOTE_OPEN)):
            st.turn = None
        if st.turn is not None:
            st.turn_open_quote = _leaves_quote_open(stripped, st.turn_open_quote)
    if st.turn is None and _first_person(st, stripped):
        if st.block_lines >= 2 and not st.block_first_person:
            # "So there we have it. I would only add ...": the blog author again.
            st.block = None
            st.piece_start = start
        else:
            st.block_first_person = True  # a column, written in the first person throughout
    if st.block is not None:
        st.block_lines += 1
        # a sentence (a headline has no full stop): a date line below it is a new post's
        st.block_prose = st.block_prose or (stripped[-1] in ".!?" and len(stripped.split()) >= 5)
        # The body's first sentence names the issuer: "Acme and Co are proud to announce".
        if st.block.source == "press release" and len(stripped) > 80:
            org = _issuer(st, stripped)
            if org is not None:
                st.block = attrs.evolve(st.block, source=f"{org} press release", issuer=org)
    if (st.after_blank and _HEADING.match(stripped)) or _announces(st, stripped):
        # "Letters", "Here is one of the letters.": what a signature below claims starts here
        st.piece_start = end
    elif st.post.role == "release" and st.post.issuer is None and st.post_lines <= 8 \
            and len(stripped) > 80:
        org = _issuer(st, stripped)
        if org is not None:
            _name_release(st, org)
    voice = st.voice()
    if stripped.endswith(")") and voice.role in ("post", "quoted", "contribution"):
        voice = _credited(st, stripped, voice)  # "... (from Facebook - but I liked it)"
    st.emit(start, end, voice)
    st.paragraph = stripped


# "Source: Northland Statistics Office, Labour Market Statistics (table CC01)." under a table
_SOURCE_LINE = regex.compile(r"^(?i:sources?)[ \t]*+[:–—-][ \t]*+(?P<src>[^\n]{2,200}+)$")
_SOURCE_END = regex.compile(r"[,;(]|\s[–—-]\s|\.$")


def _source_line(st: _Reader, start: int, end: int, stripped: str) -> bool:
    """A line naming the source of the table or paragraph above it: the figures there are
    that body's (the run of lines just above, or the one before a blank line)."""
    found = _SOURCE_LINE.match(stripped)
    if found is None:
        return False
    cut = _SOURCE_END.search(found["src"])
    name = clean_name(found["src"][:cut.start() if cut else None])
    if not is_name(name, st.r):
        return False  # "Source: own calculations"
    cue = f"source line {stripped[:80]!r}"
    lo, hi = st.last_run if st.after_blank else (st.run_start, start)
    _resource(st, lo, hi, name, cue)
    st.emit(start, end, attrs.evolve(st.voice(), source=name, cue=cue))
    return True


def _resource(st: _Reader, lo: int, hi: int, source: str, cue: str) -> None:
    """Give the segments between lo and hi the source a line below them names."""
    first = len(st.out)
    while first > 0 and st.out[first - 1].end > lo:
        first -= 1
    tail: list[Segment] = []
    for seg in st.out[first:]:
        if seg.start < lo:
            tail.append(attrs.evolve(seg, end=lo))
        inner = (max(lo, seg.start), min(hi, seg.end))
        if inner[0] < inner[1]:
            tail.append(attrs.evolve(seg, start=inner[0], end=inner[1], source=source, cue=cue))
        if seg.end > hi:
            tail.append(attrs.evolve(seg, start=max(hi, seg.start)))
    st.out[first:] = tail


def _name_release(st: _Reader, org: str) -> None:
    """The issuer a release's first paragraph names ("Kingsmere City Council today
    announced"): the release is its source, from the heading on (a publisher the user
    gave stays the source)."""
    if st.post.source is not None:
        st.post = attrs.evolve(st.post, issuer=org)
        return
    kind = st.release_kind if "release" in st.release_kind else "press release"
    source = f"{org} {kind}"
    st.post = attrs.evolve(st.post, issuer=org, source=source)
    for i in range(len(st.out) - 1, -1, -1):
        seg = st.out[i]
        if seg.role not in ("release", "speech"):
            break
        if seg.source is None:
            st.out[i] = attrs.evolve(seg, source=source, issuer=org)

# a paragraph closed by the place it was taken from: "(from Facebook)", "(via the Echo)"
_CREDIT = regex.compile(
    r"\(\s*+(?i:from|via|source\s*+:|taken\s++from)\s++(?P<src>(?:the\s++)?[A-Z][^()\n]{0,60}?)"
    r"\s*+(?:[-–—,;:][^()\n]{0,80}+)?\)\s*+$")


def _credited(st: _Reader, paragraph: str, voice: Voice) -> Voice:
    """The voice of a paragraph closed by a credit: its source is the site or publication
    named (a venue, or a name); the credit covers that paragraph alone."""
    found = _CREDIT.search(paragraph, max(0, len(paragraph) - 160))
    if found is None:
        return voice
    src = found["src"].strip()
    if src.lower() not in st.r.venues and not is_name(src, st.r):
        return voice
    return attrs.evolve(voice, source=clean_name(src), cue=f"credit {found.group().strip()!r}")


def _announces(st: _Reader, paragraph: str) -> bool:
    """A paragraph whose last sentence presents what follows ("Here are two of the
    letters we received."): a contribution signed below does not take it in."""
    if paragraph[-1:] not in ".:!":
        return False
    last = _last_sentence(paragraph)
    return len(last) < 200 and _first_word(last) in _lead_firsts(st.r)[0] \
        and st.patterns["lead_words"].match(last) is not None \
        and st.patterns["lead_words"].search(last, 1) is not None


_TOKEN = regex.compile(r"[\w'’-]++")


def _first_word(sentence: str) -> str:
    found = _TOKEN.match(sentence)
    return found.group().lower() if found is not None else ""


def _lead_firsts(r: RuleSet) -> tuple[frozenset[str], frozenset[str]]:
    """The first words of lead words and of lead-in openings: most sentences start otherwise."""
    return r.memo(_build_lead_firsts)


def _build_lead_firsts(r: RuleSet) -> tuple[frozenset[str], frozenset[str]]:
    return (frozenset(w.split()[0] for w in r.lead_words),
            frozenset(w.split()[0] for w in r.lead_starts))


def _issuer(st: _Reader, paragraph: str) -> str | None:
    found = st.patterns["issuer"].match(paragraph)
    return clean_name(found["org"]) if found is not None and is_name(found["org"], st.r) else None


def _first_person(st: _Reader, paragraph: str) -> bool:
    """A paragraph in the first person, outside quotation marks, under a quoted article written
    in the third person so far: the blog author has resumed. (Comments quoted from a venue,
    or a column, are first person throughout.)"""
    source = st.block.source if st.block is not None else None
    if source is None or source.lower() in st.r.venues:
        return False
    return _FIRST_PERSON.search(_QUOTATION.sub("", paragraph)) is not None


def _leaves_quote_open(paragraph: str, was_open: bool) -> bool:
    """Whether a paragraph ends inside a quotation (a quote running on to the next)."""
    if was_open and paragraph[:1] in _QUOTE_OPEN:
        was_open = False  # a quote running on opens each paragraph again: read this one alone
    straight = paragraph.count('"')
    opens, closes = paragraph.count("“"), paragraph.count("”")
    if straight:
        return (straight % 2 == 1) != was_open if not opens else opens > closes
    if opens or closes:
        return opens > closes or (was_open and opens == closes)
    return was_open


def _resolve(st: _Reader, who: Who) -> str | None:
    if who.kind == "name":
        return who.name
    if who.kind == "refer":
        named = _last_named(st.paragraph, st.r)
        if named is not None:
            return named
        for segment in reversed(st.out[-20:]):
            if segment.role in ("speech", "turn") and segment.speaker:
                return segment.speaker
    return None


def _last_named(paragraph: str, r: RuleSet) -> str | None:
    """The last person named with an apposition in a paragraph ("Ian Lawrence, general
    secretary of the union, ...") - what a following "He said:" refers to."""
    found = None
    for match in _patterns(r)["named_apposition"].finditer(paragraph):
        if is_name(match["name"], r) and len(match["name"].split()) >= 2:
            found = clean_name(match["name"])
    return found


_PARENS = regex.compile(r"\(([^()\n]++)\)")


def _label_name(who: str, r: RuleSet, parens: str = "") -> str | None:
    """The speaker a label names: the person, or for a role ('The Convener (Jean Hollis)')
    the person in brackets; a bracketed place or party ('(Leeds) (Lab)') is left out; no
    one for a label that names nobody ('Q:', 'Caller:')."""
    if who.strip().lower().removeprefix("the ") in r.nameless_labels and not parens.strip():
        return None
    name = person_name(who.strip(), r)
    if who.lower().removeprefix("the ") in r.roles or is_role(who, r):
        # "The Convener (Jean Hollis)", "HOUSING SECRETARY (ANNA PRICE)"
        inner = next((i for i in _PARENS.findall(parens)
                      if is_name(i, r) and len(i.split()) >= 2), None)
        if inner is not None:
            name = person_name(inner, r)
    # "Senator HALVERSON" -> Halverson, "MS SMITH" -> Ms Smith, as the name is written elsewhere
    shortest = 2 if name.isupper() else 3
    return " ".join(part.capitalize() if part.isupper() and len(part) >= shortest else part
                    for part in name.split())
