"""extract(): the composition of the stages, from text to claims."""

from __future__ import annotations

import bisect
import datetime as dt
import os
from pathlib import Path
from typing import Any

import attrs
import regex

from .attribution import attribute
from .document import load_document
from .frontmatter import read_front_matter
from .memory import no_cycle_collection
from .model import Attribution, Claim, Document, Quantity
from .nonclaims import Page, merge_spans, reject_reason
from .nouns import Tokens, word_classes
from .patterns import alt, grammar
from .recognize import Mention, find_mentions, leaves_noun_unsaid
from .rules import RuleSet
from .segments import Segment, Segments, read_segments
from .structure import SentenceBreaks, find_datelines, reference_dates
from .subjects import singular, subject_for
from .tables import Cell, in_header, table_cell


def extract(text: str, *, doc_id: str | None = None, date: dt.date | str | None = None,
            rules: RuleSet | None = None) -> list[Claim]:
    """The claims in `text`, in order of position.

    `date` is the reference date for relative dates ("yesterday", "last year");
    without it, each post's dateline serves. `rules` is the rule set to read with
    (`RuleSet.load(extra=[...])`); without it, the package's own.
    """
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return extract_document(Document(text=text, id=doc_id or "<text>", date=date), rules=rules)


def extract_file(path: str | os.PathLike[str], *, date: dt.date | str | None = None,
                 rules: RuleSet | None = None) -> list[Claim]:
    """The claims in a text file (see load_document for what is accepted)."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    document = load_document(Path(path))
    if date is not None:
        document = attrs.evolve(document, date=date)
    return extract_document(document, rules=rules)


def extract_document(document: Document, *, rules: RuleSet | None = None) -> list[Claim]:
    """The claims in a document, read with `rules` (the package's own if None)."""
    text = document.text
    r = rules or RuleSet.default()
    g = grammar(r)
    document = with_front_matter(document)
    body = read_front_matter(text).end  # front matter is metadata, not claims
    datelines = find_datelines(text, r)
    refs = reference_dates(text, datelines, document.date, r)
    page = Page(
        text=text,
        rules=r,
        masks=merge_spans([m.span() for mask in g.masks for m in mask.finditer(text)]),
        datelines=tuple(sorted((d.start, max(d.end, d.line_end)) for d in datelines)),
    )
    segments = read_segments(text, datelines, r, publisher=document.source, body_start=body)
    lines = line_starts(text)
    wordless = _Wordless.of(text)
    claims: list[Claim] = []
    sentences: dict[tuple[int, int], str] = {}  # one string for the claims of a sentence
    breaks: SentenceBreaks | None = None  # found at the first claim: most texts have one
    tokens = Tokens(text, word_classes(r).token)
    shared = _Shared()
    with no_cycle_collection():
        for mention in find_mentions(text, refs, rules=r):
            if mention.start < body or reject_reason(mention, page) is not None \
                    or in_header(text, mention.start, mention.end):
                continue  # (a table's header names a column: "Per 1,000 residents")
            breaks = breaks or SentenceBreaks.of(text)
            claim = _claim(document, mention, refs(mention.start), segments, r, lines,
                           breaks.bounds(text, mention.start, mention.end), sentences,
                           wordless, tokens, shared)
            claims.append(_with_shared_measure(text, claims, claim))
    return claims


def _with_shared_measure(text: str, claims: list[Claim], claim: Claim) -> Claim:
    """The claim with the subject (and counted noun) of the figure before it in its
    sentence, where it measures the same: a restatement in brackets ('50 million soles
    ($13.3 million)', 'about 5 miles (8 km)'), or a figure after 'and' that leaves its noun
    unsaid ('up £74 on the year and £9 on the month'); a date between them is passed
    ('rose 4% in May and 2% in June')."""
    q = claim.quantity
    before = next((c for c in reversed(claims[-3:]) if c.quantity.kind != "date"), None)
    if before is None or before.quantity.kind != q.kind or q.kind == "date" \
            or before.sentence_start != claim.sentence_start:
        return claim
    between = text[before.end:claim.start]
    restated = between.strip() == "(" and q.kind in ("money", "quantity")
    if not restated and (_COORDINATED.fullmatch(between) is None
                         or not leaves_noun_unsaid(text, claim.end)):
        return claim
    unit = q.unit if q.unit is not None or q.kind != "count" else before.quantity.unit
    return attrs.evolve(claim, subject=before.subject,
                        quantity=q if unit == q.unit else attrs.evolve(q, unit=unit))


# what stands between two figures of one measure joined in a clause (no figure, no break)
_COORDINATED = regex.compile(r"[^.;:!?\n\d]{0,40}?\b(?:and|or)[ \t]++")


#: How far from a figure its subject, counted noun and speaker are looked for, at most
#: (the windows of subjects.py, nouns.py and attribution.py, with room to spare).
READING_REACH = 2500
_BLOCK = 512
_LETTER = regex.compile(r"\p{L}")


@attrs.frozen
class _Wordless:
    """Where a text has no letter: figures in a list of numbers, a table dump, line
    noise. A figure that far from any word has no subject, counted noun or speaker to
    read (only its segment's), so none is sought: in text dense with figures and
    nothing else, that reading would cost each figure the window of figures around it.

    The text is cut into blocks of _BLOCK characters; `lettered[i]` counts the blocks
    before block i that hold a letter (finding one costs a character or two in prose).
    """

    size: int
    lettered: list[int]

    @classmethod
    def of(cls, text: str) -> _Wordless:
        lettered = [0]
        for i in range(0, len(text), _BLOCK):
            lettered.append(lettered[-1] + (_LETTER.search(text, i, i + _BLOCK) is not None))
        return cls(len(text), lettered)

    def around(self, start: int, end: int) -> bool:
        """Whether no letter is within READING_REACH of text[start:end]."""
        first = max(0, start - READING_REACH) // _BLOCK
        last = min(len(self.lettered) - 1,
                   (min(self.size, end + READING_REACH) - 1) // _BLOCK + 1)
        return self.lettered[last] == self.lettered[first]


@attrs.frozen
class _Shared:
    """The values many claims of a document hold alike, made once and shared (they are
    frozen): the ISO form of each reference date, each segment's voice, and each
    attribution read. In a text dense with figures each claim otherwise kept its own."""

    dates: dict[dt.date, str] = attrs.field(factory=dict)
    voices: dict[int, Attribution] = attrs.field(factory=dict)  # by id() of the segment
    attributions: dict[tuple[str | None, str | None, str | None], Attribution] = attrs.field(
        factory=dict)
    words_before: list[Any] = attrs.field(factory=list)  # (see attribution.attribute)

    def date(self, reference: dt.date) -> str:
        found = self.dates.get(reference)
        if found is None:
            found = self.dates[reference] = reference.isoformat()
        return found

    def voice(self, segment: Segment | None) -> Attribution:
        found = self.voices.get(id(segment))
        if found is None:
            found = self.voices[id(segment)] = _segment_voice(segment)
        return found

    def attribution(self, found: Attribution) -> Attribution:
        return self.attributions.setdefault((found.speaker, found.source, found.cue), found)


def _segment_voice(segment: Segment | None) -> Attribution:
    """The attribution of a figure with no words near it: its segment's voice."""
    if segment is None:
        return Attribution()
    return Attribution(speaker=segment.speaker, source=segment.source, cue=segment.cue)


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character (lines end at a newline)."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def line_column(starts: list[int], offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of an offset, given line_starts()."""
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1
def _in_column(quantity: Quantity, cell: Cell, r: RuleSet) -> Quantity:
    """A table figure as its column's header reads it: a change under "Change on month", a
    rate under "Per 1,000 residents"."""
    header = (cell.header or "").split()
    if header and not quantity.change and header[0].lower() in r.word_list("change_after"):
        quantity = attrs.evolve(quantity, change=True)
    base = cell.denominator
    if base and quantity.kind in ("count", "quantity") and quantity.denominator is None:
        quantity = attrs.evolve(quantity, kind="ratio", denominator=base)
    return quantity


def _past_label(text: str, sentence: tuple[int, int], start: int, segments: Segments,
                lines: list[int]) -> tuple[int, int]:
    """A sentence that opens a transcript turn begins after its speaker label ("Priya Shah
    -- Chief Executive Officer: About 400"): the speaker's name is not what is measured."""
    if not segments.label_ends:
        return sentence
    line = lines[bisect.bisect_right(lines, sentence[0]) - 1]
    words = segments.after_label(line)
    if not sentence[0] < words <= start:
        return sentence
    while words < start and text[words].isspace():
        words += 1
    return words, sentence[1]


def _without_vocative(text: str, sentence: tuple[int, int], end: int,
                      r: RuleSet) -> tuple[int, int]:
    """A sentence without the person it addresses ("About 90, Chair.", "Roughly one in
    eight, Senator."): the words a subject is read from."""
    lo = max(end, sentence[1] - _VOCATIVE_REACH)
    comma = text.rfind(",", lo, sentence[1])
    if comma < 0:
        return sentence
    vocative, plain = r.memo(_vocative)
    # (where no title holds a comma, an address opens at the last one: one place to try)
    found = vocative.match(text, comma, sentence[1]) if plain else \
        vocative.search(text, lo, sentence[1])
    return (sentence[0], found.start()) if found is not None else sentence


_VOCATIVE_REACH = 80  # characters: the end of a sentence where an address can stand


def _vocative(r: RuleSet) -> tuple[regex.Pattern[str], bool]:
    """The pattern of an address closing a sentence, and whether no title holds a comma."""
    titles = alt(r.roles | r.honorifics)
    return regex.compile(
        rf",[ \t]*+(?i:{titles})\.?(?:[ \t]++[A-Z][\w'’-]*+){{0,2}}[ \t]*+[.?!]?[ \t]*+$"), \
        not any("," in title for title in r.roles | r.honorifics)


def _header_unit(cell: Cell, quantity: Quantity, r: RuleSet) -> str | None:
    """What a count in a table counts: its column's plural noun ("Claimants")."""
    words = (cell.header or "").split()
    if quantity.kind != "count" or len(words) != 1 or not words[0].isalpha() \
            or not words[0].lower().endswith("s") or words[0].lower() in r.stopwords:
        return None
    return singular(words[0], r)


def with_front_matter(document: Document) -> Document:
    """The document with the source and date its front matter gives, where it has none."""
    meta = read_front_matter(document.text)
    if meta.end == 0 or (meta.source is None and meta.date is None):
        return document
    return attrs.evolve(document, source=document.source or meta.source,
                        date=document.date or meta.date)


def _claim(document: Document, mention: Mention, reference: dt.date | None,
           segments: Segments, r: RuleSet, lines: list[int], sentence: tuple[int, int],
           sentences: dict[tuple[int, int], str], wordless: _Wordless,
           tokens: Tokens, shared: _Shared) -> Claim:
    text = document.text
    sentence = _past_label(text, sentence, mention.start, segments, lines)
    if sentence not in sentences:
        sentences[sentence] = text[sentence[0]:sentence[1]]
    alone = wordless.around(mention.start, mention.end)
    cell = table_cell(text, mention.start, mention.end)
    if cell is not None:  # a table's figure measures what its header and row say
        subject, unit = cell.subject, _header_unit(cell, mention.quantity, r)
    else:
        subject, unit = (None, None) if alone else \
            subject_for(mention.quantity, text, mention.end,
                        _without_vocative(text, sentence, mention.end, r), mention.start, r,
                        tokens)
    quantity: Quantity = mention.quantity
    if unit is not None and quantity.unit is None and not mention.frequency:
        quantity = attrs.evolve(quantity, unit=unit)
    if cell is not None:
        quantity = _in_column(quantity, cell, r)
    if quantity.kind == "date" and isinstance(quantity.value, str):
        when: str | None = quantity.value
    else:
        when = shared.date(reference) if reference else None
    line, column = line_column(lines, mention.start)
    return Claim(
        doc=document.id,
        start=mention.start,
        end=mention.end,
        text=text[mention.start:mention.end],
        quantity=quantity,
        subject=subject,
        attribution=shared.voice(segments(mention.start)) if alone else shared.attribution(
            attribute(text, mention.start, mention.end, sentence, segments(mention.start), r,
                      shared.words_before)),
        date=when,
        sentence=sentences[sentence],
        line=line,
        column=column,
        sentence_start=sentence[0],
    )

