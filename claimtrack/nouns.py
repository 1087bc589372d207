"""A shallow reading of the clause around a figure: its words tagged by class, and the
noun phrases that can say what the figure measures.

It is no parse: words are tagged from the word lists in data/subjects.toml and a few
spelling cues (-ed, -ing), and noun phrases are runs of content words, joined across
"of"/"for"/"and" where a noun stands on both sides. Every reader looks at a bounded
window of tokens, so a long sentence costs no more than a short one.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable, Mapping, Sequence

import attrs
import regex

from .rules import RuleSet

# Tags: N content word, V verb, P preposition, D other function word, C clause opener,
# "#" a number, "," a comma, "|" a hard boundary (. ; : dash bracket), "F" the figure.
_QUOTES = frozenset("\"'“”‘’«»*")
_HARD = frozenset(".;:!?()[]{}—–-/…")
WINDOW_BEFORE = 200
WINDOW_AFTER = 120
_NP_WORDS = 10
_JOINS = 3


@attrs.frozen(eq=False)
class WordClasses:
    """The word lists of a rule set that the clause reader needs, as sets, with the
    token pattern and a cache of the tags of words out of context (the same words recur
    on every page)."""

    prepositions: frozenset[str]
    clause: frozenset[str]
    pronouns: frozenset[str]
    modifiers: frozenset[str]
    adverbs: frozenset[str]  # "now", "still": no determiner before a verb
    not_adverbs: frozenset[str]  # "hourly", "family": words in -ly that are no adverbs
    participles: Mapping[str, str]  # "holds" -> "held"
    lexical: frozenset[str]
    auxiliaries: frozenset[str]
    generic: frozenset[str]
    stopwords: frozenset[str]
    verbs: frozenset[str]
    numbers: frozenset[str]
    objects: frozenset[str]
    demonstratives: frozenset[str]
    joiners: frozenset[str]
    money_complements: frozenset[str]
    duration_complements: frozenset[str]
    date_complements: frozenset[str]
    rate_leads: frozenset[str]
    copulas: frozenset[str]
    speech: frozenset[str]  # reporting and finding verbs of one word: "said", "warns", "shows"
    change_verbs: frozenset[str]  # verbs of a change: "rose", "cut", "increases"
    times: frozenset[str]  # months, weekdays and units of time: "April", "Monday", "year"
    signs: str  # the characters that open a currency symbol
    token: regex.Pattern[str]
    tags: dict[str, str] = attrs.field(factory=dict, repr=False)


def _build_word_classes(rules: RuleSet) -> WordClasses:
    numbers = frozenset((*rules.cardinals, *rules.scales, *rules.magnitudes, *rules.fractions,
                         *rules.percent_words, "cent"))
    signs = regex.escape(rules.currency_signs)
    quotes = regex.escape("".join(sorted(_QUOTES)))
    # (words first, the most common token: only they and initialisms open with a letter,
    # so trying them before figures changes no token)
    token = regex.compile(
        r"(?:\p{Lu}\.){2,}+(?![^\W\d_])"  # initialisms with full stops: U.S., U.K.
        r"|[^\W\d_]\w*+(?:['’&-]\w++)*+"  # words, with inner apostrophes and hyphens
        # figures: 12, £31m, 2023-24, 29th, 50%
        rf"|[{signs}]?+\d++(?:[,.]\d++)*+(?:[-–/]\d++(?:[,.]\d++)*+)*+[^\W\d_]*+%?+"
        rf"|[^\w\s{quotes}]")  # one symbol; a quotation mark is skipped, no token
    wc = rules.word_classes
    return WordClasses(prepositions=wc["prepositions"], clause=wc["clause"],
                       pronouns=wc["pronouns"], modifiers=wc["modifiers"],
                       adverbs=wc["adverbs"], not_adverbs=wc["not_adverbs"],
                       participles=rules.participles, lexical=wc["lexical"],
                       auxiliaries=wc["auxiliaries"], generic=wc["generic"],
                       joiners=wc["joiners"], money_complements=wc["money_complements"],
                       duration_complements=wc["duration_complements"],
                       date_complements=wc["date_complements"], rate_leads=wc["rate_leads"],
                       copulas=wc["copulas"],
                       speech=frozenset(v for v in rules.speech_verbs if " " not in v).union(
                           rules.word_list("finding_verbs")),
                       change_verbs=frozenset(p.split()[0] for p in rules.word_list("change_before")
                                              if " " not in p or p.split()[1] == "by")
                       - {"up", "down"},
                       times=frozenset((*(m.rstrip(".") for m in rules.months), *rules.weekdays,
                                        *rules.time_units)),
                       stopwords=rules.stopwords, verbs=rules.verbs,
                       numbers=numbers, objects=rules.word_list("objects"),
                       demonstratives=rules.word_list("demonstratives"),
                       signs=rules.currency_signs, token=token)


def word_classes(rules: RuleSet) -> WordClasses:
    """The word classes of a rule set, built on first use and kept on it."""
    return rules.memo(_build_word_classes)


def _base_tag(word: str, low: str, wc: WordClasses) -> str:
    if not word:
        return "|"
    if word[0].isdigit() or word[0] in wc.signs or low in wc.numbers:
        return "#"
    if not word[0].isalpha():
        return "," if word == "," else ("C" if word == "&" else "|")
    if low in wc.clause:
        return "C"
    if low in wc.prepositions:
        return "P"
    if low in wc.verbs or low in wc.lexical:
        return "V"
    if low in wc.stopwords or (low.endswith("ly") and len(low) > 4
                               and low not in wc.not_adverbs):
        return "D"
    if word.islower() and len(low) > 4 and low.endswith("ed"):
        return "e"  # past tense or adjective: settled by its neighbours
    if word.islower() and len(low) > 4 and low.endswith("ing"):
        return "g"  # verb or noun ("waiting lists", "are waiting")
    return "N"


_TAG_CACHE = 16384


def _word_tag(word: str, wc: WordClasses) -> str:
    """The tag of a word out of context (cached: the same words recur on every page)."""
    tag = wc.tags.get(word)
    if tag is None:
        tag = _base_tag(word, word.lower(), wc)
        if len(wc.tags) < _TAG_CACHE:
            wc.tags[word] = tag
    return tag


def _word_tags(words: list[str], wc: WordClasses) -> list[str]:
    """The tags of words out of context; most are in the cache, looked up here directly."""
    known = wc.tags
    if all(map(known.__contains__, words)):
        return list(map(known.__getitem__, words))
    return [known.get(word) or _word_tag(word, wc) for word in words]


def _settle(words: list[str], lows: list[str], tags: list[str], wc: WordClasses) -> str:
    """Settle the words whose class depends on their neighbours, left to right (each
    reads the settled tags before it); the tags as one string."""
    out = list(tags)
    last = len(tags) - 1
    pronouns = wc.pronouns
    for i, tag in enumerate(tags):
        if tag not in "egVN":  # function words, figures and marks are settled already
            continue
        prev_low = lows[i - 1] if i else ""
        if tag == "N" and prev_low not in pronouns and prev_low not in wc.auxiliaries:
            if lows[i] in wc.speech and i < last and words[i].islower() and (
                    (lows[i + 1] in _CLAUSE_OBJECTS
                     and (words[i - 1][:1].isupper() or tags[i - 1] == "#"))
                    or (tags[i + 1] in "#F" and out[i - 1] == "N")):
                # "The Budget Office projects the deficit will reach", "Figures from the
                # agency show 40,000 people left"
                out[i] = "V"
            continue  # a noun turns verb only after a pronoun or an auxiliary (below)
        prev_tag = out[i - 1] if i else "|"
        nxt = tags[i + 1] if i < last else "|"
        if tag == "e":  # "the subsidised network" / "the network carried"
            after_det = prev_tag == "D" and prev_low not in pronouns
            # "the number of people recalled to prison", "those detained under": a
            # participle after the noun it describes, not the verb of the clause
            reduced = nxt == "P" and (prev_low == "those" or (
                prev_tag == "N" and i >= 2 and lows[i - 2] == "of"))
            relative = prev_low in ("that", "which", "who")  # "the quake that devastated"
            tag = "N" if not relative and (after_det or prev_tag in "P#" or nxt == "N"
                                           or reduced) else "V"
        elif tag == "g":  # "are still waiting" / "waiting lists", "cuts in staffing"
            tag = "V" if _last_real_tag(out[max(0, i - 3):i]) == "V" else "N"
        elif tag == "V":
            if (lows[i] in wc.lexical or (
                    prev_tag == "F" and nxt == "N" and lows[i] not in wc.verbs)) and (
                    (prev_tag == "D" and prev_low not in pronouns
                     and prev_low not in wc.adverbs) or prev_tag == "F"
                    or (prev_tag == "N" and i >= 2 and out[i - 2] == "F")):
                # "a rise of 12%", "the cost of", "a 22% (overall) increase in", "a 3% pay award"
                tag = "N"
            elif lows[i] in wc.lexical and (prev_tag in "N|C" or (
                    prev_tag == "V" and prev_low in wc.speech)) and \
                    _verb_follows(lows, tags, i + 1, wc):
                tag = "N"  # "interest costs now exceed", "said pay rose": the verb comes next
        elif i and (prev_low in pronouns or prev_low in wc.auxiliaries) and words[i].islower() \
                and ((prev_tag == "D" and prev_low in pronouns
                      and prev_low not in wc.demonstratives)
                     or (prev_low in wc.auxiliaries and (nxt != "N" or prev_low in _MODALS))):
            # "we anticipate", "was withdrawn in", "will close for", "would raise pay"
            tag = "V"
        out[i] = tag
    return "".join(out)


# after these a lower-case word is a verb even before a noun ("would raise average pay"),
# where after a form of "be" it may be a noun ("is council policy")
_MODALS = frozenset(("will", "would", "shall", "should", "can", "could", "may", "might", "must"))
_CLAUSE_OBJECTS = frozenset(("the", "that", "a", "an"))  # what opens a reported clause


def _verb_follows(lows: list[str], tags: list[str], j: int, wc: WordClasses) -> bool:
    """Whether a verb is the next word from tokens[j] on, past adverbs."""
    while j < len(tags) and lows[j] in wc.adverbs:
        j += 1
    return j < len(tags) and tags[j] == "V"


def _last_real_tag(tags: Sequence[str]) -> str:
    for tag in reversed(tags[-3:]):
        if tag != "D":
            return tag
    return "|"


@attrs.frozen
class Clause:
    """The tokens around a figure, as parallel tuples and a string of tags;
    tokens[first..last] are the figure itself."""

    text: str
    words: tuple[str, ...]
    lows: tuple[str, ...]
    tags: str
    first: int
    last: int
    wc: WordClasses

    @property
    def fig(self) -> int:
        return self.first

    def at(self, first: int, last: int) -> Clause:
        """The same tokens, read around another figure."""
        return Clause(self.text, self.words, self.lows, self.tags, first, last, self.wc)

    def tag(self, i: int) -> str:
        return self.tags[i] if 0 <= i < len(self.tags) else "|"

    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < len(self.lows) else ""

    def word(self, i: int) -> str:
        return self.words[i] if 0 <= i < len(self.words) else ""


_MAX_TOKENS_BEFORE = 48
_MAX_TOKENS_AFTER = 32


@attrs.define
class Tokens:
    """The tokens of a document, read once for all its figures. The windows of figures
    near each other overlap (in a text dense with figures each character lies in the
    windows of twenty), so the text is tokenized once, a stretch at a time ahead of the
    figures, and each window takes its tokens from there. `between(lo, hi)` is
    `token.findall(text, lo, hi)`: where lo or hi cuts a token, that end is read again.
    """

    text: str
    token: regex.Pattern[str]
    begin: int = 0  # where the stretch was read from
    starts: list[int] = attrs.Factory(list)
    ends: list[int] = attrs.Factory(list)
    words: list[str] = attrs.Factory(list)
    read_to: int = 0  # every token starting before this is read
    last_hi: int = 0  # where the last window ended
    # the token pattern as one group, to split a stretch at C speed into gaps and tokens
    pieces: regex.Pattern[str] = attrs.field(init=False)

    @pieces.default
    def _pieces(self) -> regex.Pattern[str]:
        return _splitter(self.token)

    def between(self, lo: int, hi: int) -> list[str]:
        if lo < self.begin or lo > self.read_to or lo > self.begin + _STRETCH:
            # A window apart from the last (a figure alone in its paragraph) is read on
            # its own; a stretch is read ahead only where windows overlap.
            if lo >= self.last_hi:
                self.last_hi = hi
                return self.token.findall(self.text, lo, hi)
            self._restart(lo)
        self.last_hi = hi
        self._read(hi)
        starts, ends = self.starts, self.ends
        i = bisect.bisect_left(starts, lo)
        found: list[str] = []
        if i > 0 and ends[i - 1] > lo:  # lo cuts a token: read on to where the stretch's start
            for m in self.token.finditer(self.text, lo, hi):
                k = bisect.bisect_left(starts, m.start())
                if k < len(starts) and starts[k] == m.start():
                    i = k
                    break
                found.append(m.group())
            else:
                return found
        j = max(i, bisect.bisect_right(ends, hi))
        found += self.words[i:j]
        if j < len(starts) and starts[j] < hi:  # hi cuts a token
            found += self.token.findall(self.text, starts[j], hi)
        return found

    def _restart(self, lo: int) -> None:
        self.begin = self.read_to = lo
        self.starts, self.ends, self.words = [], [], []

    def _read(self, hi: int) -> None:
        """Read the tokens on to `_AHEAD` characters past `hi` (further where one token
        runs on past that: a line of digits)."""
        text, ahead = self.text, _AHEAD
        while self.read_to < hi:
            pos = self.ends[-1] if self.ends else self.begin
            stop = min(len(text), max(hi, pos) + ahead)
            # gap, token, gap, token, ..., gap; the running lengths are where each begins
            pieces = self.pieces.split(text[pos:stop])
            offsets = list(itertools.accumulate(map(len, pieces), initial=pos))
            words, starts, ends = pieces[1::2], offsets[1:-1:2], offsets[2::2]
            if stop < len(text):
                # A token that ends within two characters of the cut might read on past
                # it ("don'|t", "12,|500"): it, and all after it, are read with the next
                # stretch.
                keep = bisect.bisect_right(ends, stop - 2)
                self.read_to = starts[keep] if keep < len(starts) else stop - 2
                del words[keep:], starts[keep:], ends[keep:]
            else:
                self.read_to = len(text)
            self.words += words
            self.starts += starts
            self.ends += ends
            ahead *= 2


@functools.cache
def _splitter(token: regex.Pattern[str]) -> regex.Pattern[str]:
    return regex.compile(f"({token.pattern})", token.flags)


_AHEAD = 512  # characters tokenized past a window at a time
_STRETCH = 8192  # and kept behind it, before the stretch is read anew


def read_clause(text: str, start: int, end: int, sentence: tuple[int, int],
                rules: RuleSet, tokens: Tokens | None = None) -> Clause:
    """The tagged tokens of the sentence window around the figure text[start:end] (read
    from `tokens`, the document's, when given)."""
    wc = word_classes(rules)
    between = tokens.between if tokens is not None else \
        lambda lo, hi: wc.token.findall(text, lo, hi)
    # at most so many tokens each side: a window dense with figures and brackets would
    # otherwise cost every figure in it a hundred tokens
    lo, hi = max(sentence[0], start - WINDOW_BEFORE), min(sentence[1], end + WINDOW_AFTER)
    before = between(lo, start)[-_MAX_TOKENS_BEFORE:]
    after = between(end, hi)[:_MAX_TOKENS_AFTER]
    words = [*before, text[start:end], *after]
    tags = [*_word_tags(before, wc), "F", *_word_tags(after, wc)]
    lows = list(map(str.lower, words))
    return Clause(text, tuple(words), tuple(lows), _settle(words, lows, tags, wc),
                  len(before), len(before), wc)


# -- noun phrases ---------------------------------------------------------------------------

def _render(c: Clause, first: int, last: int) -> str:
    """The words of tokens[first..last], at most _NP_WORDS, in the text's own spelling."""
    words = [c.words[k] for k in range(first, last + 1) if c.tags[k] not in ",|"]
    while words and words[-1].lower() in c.wc.joiners:
        words.pop()
    return " ".join(words[:_NP_WORDS]).rstrip(" ,")


def np_ending(c: Clause, j: int) -> tuple[int, int] | None:
    """The noun phrase whose last word is tokens[j], read backwards: "Waiting lists for care",
    "drop-in advice service at the county court"."""
    if c.tag(j) != "N":
        return None
    k = j
    joins = 0
    while True:
        while c.tag(k - 1) == "N" and j - k < _NP_WORDS:
            k -= 1
        m = k - 1
        while c.tag(m) == "D" and c.low(m) not in c.wc.pronouns and k - m <= 2:
            m -= 1
        if joins < _JOINS and c.low(m) in c.wc.joiners and c.tag(m - 1) == "N":
            k, joins = m - 1, joins + 1
            continue
        return k, j


def np_starting(c: Clause, i: int) -> tuple[int, int] | None:
    """The noun phrase from tokens[i] on (skipping determiners and figures before it)."""
    while ((c.tag(i) in "D#" and c.low(i) not in c.wc.pronouns)
           or (c.low(i) == "of" and c.tag(i - 1) == "#")) and i < c.last + 8:
        i += 1
    if c.tag(i) != "N":
        return None
    j = i
    joins = 0
    last_join = -1
    while True:
        while c.tag(j + 1) == "N" and j - i < _NP_WORDS:
            j += 1
        m = j + 1
        # "magnitude 7.7 and 7.6 earthquakes": figures inside the phrase they describe
        k = m
        while (c.tag(k) == "#" or (c.low(k) in ("and", "or", "to") and c.tag(k + 1) == "#")) \
                and k - m < 4:
            k += 1
        if k > m and c.tag(k) == "N" and c.tag(m) == "#":
            j = k
            continue
        # "an attempt to introduce a tracking tag": the object of an infinitive in the phrase
        if joins and c.low(last_join) == "to" and j - last_join <= 2 and c.tag(m) == "D" \
                and c.low(m) not in c.wc.pronouns and c.tag(m + 1) == "N":
            j, joins = m + 1, joins + 1
            continue
        if joins < _JOINS and c.low(m) in c.wc.joiners:
            n = m + 1
            # "increase in the number of reoffences": over determiners and "number of"
            while ((c.tag(n) == "D" and c.low(n) not in c.wc.pronouns)
                   or (c.low(n) == "of" and c.tag(n - 1) == "D" and n > m + 1)) and n - m <= 4:
                n += 1
            if c.tag(n) == "N":
                j, joins, last_join = n, joins + 1, m
                continue
        return i, j


def phrase(c: Clause, span: tuple[int, int] | None) -> str | None:
    return _render(c, *span) if span is not None else None


# -- what governs a figure --------------------------------------------------------------------

def governor(c: Clause) -> str | None:
    """'a caseload of 70', 'an average of 23 days': the noun right before 'of'."""
    i = c.fig - 1
    if c.low(i) != "of":
        return None
    return phrase(c, np_ending(c, i - 1))


def is_year(c: Clause, k: int) -> bool:
    """Whether tokens[k] is the year of a date ('September 2025', 'in 2014')."""
    word = c.word(k)
    return len(word) == 4 and word.isdigit() and 1500 <= int(word) <= 2100


def nearest_before(c: Clause, *, through_verb: bool = True) -> tuple[str, int]:
    """The nearest thing before the figure in its clause, over prepositions and determiners:
    ("np", index of its last word), ("verb", index), ("figure", index) or ("none", -1)."""
    i = c.fig - 1
    verbs = 0
    while i >= 0 and c.fig - i < 8:
        tag = c.tag(i)
        if tag == "N":
            return "np", i
        if tag == "#":
            return "figure", i
        if tag == "V":
            # "a £31m deal signed on Wednesday": a participle after its noun
            participle = c.low(i).endswith(("ed", "en"))
            if through_verb and verbs == 0 and c.tag(i - 1) == "N" and participle:
                verbs += 1
                i -= 1
                continue
            return "verb", i
        if tag == ",":
            # "The deal, worth £31m": a complement set off after its noun
            only_preps = c.fig - i > 1 and all(c.tag(k) in "PD" for k in range(i + 1, c.fig))
            if c.tag(i - 1) == "N" and (only_preps or verbs):
                return "np", i - 1
            date = is_year(c, c.fig)  # "until 2018, 2019": a year's sibling is a year
            if c.tag(i - 1) == "#" and (date or not is_year(c, i - 1)) and all(
                    c.tag(k) in "PD" for k in range(i + 1, c.fig)):
                return "figure", i - 1  # "stood at 234,229, up 7 per cent"
            if c.tag(i - 1) == "#" and not date and is_year(c, i - 1):
                # "rose by 4.5% in the year to September 2025, down from 5.1%": the figure
                # compared with is the last one before the date, not its year
                k = i - 2
                while k >= 0 and i - k < 14 and c.tag(k) != "|" and (
                        c.tag(k) != "#" or is_year(c, k)):
                    k -= 1
                if c.tag(k) == "#":
                    return "figure", k
            if c.fig - i == 1 and c.tag(i - 1) == "N":  # "1,240 people, 310 more than in 2021"
                k = i - 1
                while c.tag(k) == "N" and i - k < 4:
                    k -= 1
                if c.tag(k) == "#":
                    return "figure", k
            return "none", -1
        if c.low(i) in c.wc.objects and c.tag(i - 1) == "V":  # "costs us £450"
            i -= 1
            continue
        if (tag in "C|" and not _joins_words(c, i)) or c.low(i) in c.wc.pronouns:
            return "none", -1
        i -= 1
    return "none", -1


def clause_subject(c: Clause, verb: int) -> str | None:
    """The subject of the verb group ending at tokens[verb]: 'fares' in 'fares rose by 12%'."""
    i = verb
    # back over the verb group: "could be slashed", "are signed and guaranteed", "due to be"
    while verb - i < 8 and ((c.tag(i) in "VD" and c.low(i) not in c.wc.pronouns)
                            or (c.low(i) in ("and", "or", "to") and c.tag(i - 1) == "V")):
        i -= 1
    if c.low(i) == "to" and c.tag(i - 1) == "N" and i < verb:
        i -= 1  # "expect inflation to fall below 3%": what is to fall
    # "which will borrow ...", "that we anticipate will be ...": the noun before the pronoun
    if c.low(i) in c.wc.pronouns:
        if c.low(i) in ("it", "they", "there", "he", "she", "we", "i", "you", "this", "these",
                        "those") and c.low(i - 1) in ("that", "which", "who"):
            i -= 1
        elif c.low(i) not in ("which", "who", "that"):
            return None
        i -= 1
        if c.tag(i) == ",":
            i -= 1
    if c.tag(i) == ",":
        i = _before_aside(c, i)
    if c.tag(i) == "," and c.tag(i - 1) == "N":  # "The Centre's director, Jo Bloggs, said"
        named = np_ending(c, i - 1)
        if named is not None and c.tag(named[0] - 1) == ",":
            head = np_ending(c, named[0] - 2)
            if head is not None:
                return f"{_render(c, *head)} {_render(c, *named)}"
        return phrase(c, named)
    if c.low(i) == ")":  # "... Company (BGSW CRC) was formed": the name in brackets
        k = i - 1
        while c.tag(k) == "N" and i - k < 5:
            k -= 1
        if c.low(k) == "(" and k < i - 1 and c.word(k + 1)[:1].isupper():
            return _render(c, k + 1, i - 1)
        # "Core CPI (excluding energy, food and tobacco) rose": the phrase before the aside
        while k > 0 and i - k < 24 and c.low(k) != "(":
            k -= 1
        if c.low(k) != "(" or c.tag(k - 1) != "N":
            return None
        i = k - 1
    i = _before_age(c, i)
    span = np_ending(c, i)
    if span is not None and c.tag(span[0] - 1) in "PD" and c.tag(span[0] - 2) != "|":
        # "The national average caseload being juggled by each officer is ...": the
        # noun phrase that opens the clause says more than the one inside its complement
        opening = _clause_opening(c, span[0] - 1)
        if opening is not None and opening != span:
            return f"{_render(c, *opening)} {_render(c, *span)}"
    return phrase(c, span)


def _before_age(c: Clause, i: int) -> int:
    """Where a subject ends before the ages it is limited to, which close at tokens[i]
    ("the unemployment rate for people aged 16 and over rose": people); i when none do."""
    k = i
    if c.low(k) in _AGE_CLOSERS and c.low(k - 1) in ("and", "or"):
        k -= 2
    while i - k < 6 and (c.tag(k) == "#" or c.low(k) in ("to", "years", "-", "–")):
        k -= 1
    if k == i or c.low(k) not in ("aged", "ages"):
        return i
    return k - 1 if c.tag(k - 1) == "N" else i


_AGE_CLOSERS = frozenset(("over", "under", "older", "above", "below", "plus", "more"))


def _before_aside(c: Clause, comma: int) -> int:
    """Where the subject ends before an aside set off by commas that closes at tokens[comma]:
    a relative clause ("Core inflation, which strips out energy and food, slowed") or a
    participle phrase ("Services inflation, closely watched by the Bank, eased"); the
    comma itself when no such aside closes there."""
    k = comma - 1
    while k > 0 and comma - k < 16 and c.tag(k) not in ",|":
        k -= 1
    if c.tag(k) != "," or k == comma - 1 or c.tag(k - 1) != "N":
        return comma
    first = k + 1
    if c.low(first).endswith("ly") and c.tag(first) == "D":
        first += 1  # "closely watched"
    relative = c.low(first) in ("which", "who", "whose")
    participle = c.tag(first) in "VN" and c.low(first).endswith(("ed", "en")) \
        and c.tag(first + 1) == "P"
    return k - 1 if relative or participle else comma


def _clause_opening(c: Clause, i: int) -> tuple[int, int] | None:
    """The first noun phrase of the clause holding tokens[i]."""
    k = i
    # (a reporting verb closes the clause of its speaker: "X said the offer would cost")
    while k > 0 and i - k < 12 and c.tag(k - 1) not in ",|" and not (
            c.tag(k - 1) == "C" and not _joins_words(c, k - 1)) and not (
            c.tag(k - 1) == "V" and c.low(k - 1) in c.wc.speech):
        k -= 1
    while c.tag(k) in "DP" and k < i:
        k += 1
    return np_starting(c, k) if c.tag(k) == "N" else None


def _joins_words(c: Clause, k: int) -> bool:
    """'in and around', 'staff and volunteers': a conjunction inside a phrase, not one
    opening a clause."""
    return c.low(k) in ("and", "or", "&") and c.tag(k - 1) in "PN" and c.tag(k + 1) in "PND"


def verb_before(c: Clause) -> int | None:
    """The nearest verb before the figure in its clause (within 11 tokens): the last of
    the tags that settle it, found with string searches (a figure asks twice or more)."""
    tags, lo, hi = c.tags, max(0, c.fig - 11), c.fig
    if hi > len(tags):
        return None  # (past the tokens every tag reads as a break)
    while True:
        k = max(tags.rfind("V", lo, hi), tags.rfind("|", lo, hi), tags.rfind(",", lo, hi),
                tags.rfind("C", lo, hi))
        if k < 0 or tags[k] in "|,":
            return None
        if tags[k] == "V":
            return k
        if not _joins_words(c, k):  # a conjunction opening the clause
            return None
        hi = k


def change_of_figure(c: Clause) -> Clause | None:
    """'fell to 61,240 at the end of September, down 1,180 on August', 'answered 345,000
    calls, up 25 per cent': the clause read around the figure before ', up' or ', down',
    whose change the figure is (it measures what that figure measures)."""
    # (", up from 900": the level it changed from; "recruited 230 nurses, including 85 from
    # overseas": a part of it)
    lead = c.fig - 2 if c.low(c.fig - 1) == "from" else c.fig - 1
    if c.low(lead) not in ("up", "down", "including") or c.tag(lead - 1) != "," or (
            lead != c.fig - 1 and c.low(lead) == "including"):
        return None
    # (a figure, not a year: not "in the year to March 2025, up 2.6%")
    def figure(i: int) -> bool:
        return c.tag(i) == "#" and not _YEAR.fullmatch(c.low(i)) and \
            c.low(i - 1) not in c.wc.times
    before = _before_report(c, lead - 2)
    found = None
    if c.low(c.last).endswith("%"):  # "71% of patients seen within four hours, up from 66%"
        found = _back_in_clause(c, before, 20, lambda i: figure(i) and c.low(i).endswith("%"))
    if found is None:
        found = _back_in_clause(c, before, 20, figure)
    return figure_before(c, found) if found is not None else None


_YEAR = regex.compile(r"(?:1[5-9]|20)\d\d(?:[-–/]\d\d(?:\d\d)?)?")


def _before_report(c: Clause, i: int) -> int:
    """Where the words before tokens[i] go on past a reporting clause set off by commas
    that ends there ("grew by 0.3 per cent, official figures show, down from 0.6 per
    cent"); i when none does."""
    if c.low(i) not in c.wc.speech:
        return i
    k = i - 1
    while k > 0 and i - k < 6 and c.tag(k) not in ",|":
        k -= 1
    return k - 1 if c.tag(k) == "," else i


def changed_before_level(c: Clause) -> int | None:
    """'The bill will rise by £86 next April, to £547': the verb of the change whose new
    level the figure after ', to' is (its subject is what the figure measures)."""
    if c.low(c.fig - 1) != "to" or c.tag(c.fig - 2) != ",":
        return None
    return _back_in_clause(c, c.fig - 3, 16,
                           lambda i: c.tag(i) == "V" and c.low(i) in c.wc.change_verbs)


def _back_in_clause(c: Clause, i: int, reach: int, wanted: Callable[[int], bool]) -> int | None:
    """The nearest token from tokens[i] back that is `wanted`, in the same clause (no break,
    comma or clause opener between) and fewer than `reach` tokens before the figure."""
    while i >= 0 and c.fig - i < reach:
        if wanted(i):
            return i
        tag = c.tag(i)
        if tag in "|," or (tag == "C" and not _joins_words(c, i)):
            return None
        i -= 1
    return None


def verb_of_figure(c: Clause) -> str | None:
    """'hoped to save £410,000', 'spent £2m': the verb whose object the figure is."""
    i = c.fig - 1
    return c.low(i) if c.tag(i) in "VN" and c.word(i).islower() else None


def pronoun_subject(c: Clause) -> bool:
    """Whether the verb before the figure has a pronoun for its subject, opening the
    clause: 'It has 450 beds', 'They will need £2bn'."""
    verb = verb_before(c)
    if verb is None:
        return False
    i = verb
    while verb - i < 6 and c.tag(i) in "VD" and c.low(i) not in c.wc.pronouns:
        i -= 1
    return c.low(i) in _REFERRING and c.tag(i - 1) in "|C,"


_REFERRING = frozenset(("it", "they", "this", "these", "there"))


def changed_by(c: Clause) -> str | None:
    """'cut by 42 per cent', 'has increased by 47%': the lexical verb of a change."""
    if c.low(c.fig - 1) != "by" or c.tag(c.fig - 2) != "V":
        return None
    verb = c.low(c.fig - 2)
    return None if verb in c.wc.auxiliaries or verb in c.wc.verbs else c.words[c.fig - 2]


def event_verb(c: Clause) -> int | None:
    """The verb of the clause a date or period stands in, looking back over phrases set
    off by commas ('The contract was awarded by the secretary, Jo Bloggs, in July 2014')."""
    i = c.fig - 1
    while i >= 0 and c.fig - i < 24:
        tag = c.tag(i)
        if tag == "V" and c.low(i) not in c.wc.auxiliaries:
            return i
        if tag == "|" or (tag == "C" and not _joins_words(c, i)):
            return None
        i -= 1
    return None


def participle_before(c: Clause) -> str | None:
    """'killed more than 44,300 people', 'injuring 100': the lexical verb whose object the
    figure is, as a participle ('killed', 'injured'): the people counted are those it acted
    on. None after a copula, an auxiliary or a reporting verb ('were 300', 'said 40')."""
    i = c.fig - 1
    low = c.low(i)
    # "..., killing over 44,000 people": an -ing word with a figure for its object
    gerund = c.tag(i) == "N" and low.endswith("ing") and c.word(i).islower() \
        and c.tag(i - 1) in ",|C"
    if (c.tag(i) != "V" and not gerund) or low in c.wc.verbs or low in c.wc.auxiliaries \
            or low in c.wc.copulas or low in c.wc.speech or len(low) < 4:
        return None
    return c.wc.participles.get(low) or _participle(low)


def _participle(verb: str) -> str:
    """'killing' -> 'killed', 'injures' -> 'injured', 'stopping' -> 'stopped'; irregular
    forms ('hit', 'left') stay as written (the rules' participles name the others)."""
    if verb.endswith("ing") and len(verb) > 5:
        base = verb[:-3]
        if base[-1] == base[-2] and base[-1] not in "ls":
            base = base[:-1]  # "stopping"
        return base + "ed"
    if verb.endswith("ies"):
        return verb[:-3] + "ied"
    if verb.endswith(("sses", "shes", "ches", "xes")):
        return verb[:-2] + "ed"
    if verb.endswith("s") and not verb.endswith("ss"):
        return verb[:-1] + ("d" if verb[-2] == "e" else "ed")
    return verb


def measure_near(c: Clause, measures: frozenset[str]) -> tuple[str, int] | None:
    """The scale a reading is on and where its word stands: 'magnitude 7.8', '7.8
    magnitude', 'a risk score of 6.8', 'magnitude 7.7 and 7.6' (for 7.6)."""
    after = c.last + 1
    if c.low(after) in measures:
        return c.words[after], after
    i = c.fig - 1
    while i >= 0 and c.fig - i <= 5:
        if c.low(i) in measures:
            return c.words[i], i
        if c.tag(i) not in "#D" and c.low(i) not in ("and", "or", "to", "of", "is", "was"):
            return None
        i -= 1
    return None


def predicate(c: Clause, i: int) -> str | None:
    """What follows a figure that opens its clause: 'made by tourists' in 'around 14 per cent
    are made by tourists', 'signed our petition'. tokens[i] is the first token to read."""
    # over "of them", a rate ("a day"), adverbs, to the verb group
    while (c.tag(i) in "DP" or c.low(i) in c.wc.pronouns) and i < c.last + 6 \
            and c.low(i) != "to":
        i += 1
    to_verb = c.low(i) == "to" and c.tag(i + 1) in "NV" and c.tag(i + 2) in "DP"
    if to_verb:  # "£2.1m to lift the rate"
        i += 2
    elif c.tag(i) != "V":
        return None
    lexical = i - 1 if to_verb else None
    while c.tag(i) in "VDP" and c.low(i) not in c.wc.pronouns and i < c.last + 12:
        if lexical is None and c.tag(i) == "V" and (c.low(i) in c.wc.lexical
                                                    or c.low(i) not in c.wc.verbs):
            lexical = i
        i += 1
    span = np_starting(c, i)
    k = i
    # over a time or a rate: "spending 23 hours a day in their cells"
    while span is None and c.tag(k) in "#DP" and k < i + 6:
        k += 1
        span = np_starting(c, k) if c.tag(k) == "N" else None
    if span is None:
        return c.words[lexical] if lexical is not None else None
    if lexical is None:
        return _render(c, *span)
    if span[0] - lexical > 3:
        return f"{c.words[lexical]} {_render(c, *span)}"
    return _render(c, lexical, span[1])


def complement_after(c: Clause, preps: frozenset[str]) -> str | None:
    """'£85,000 on consultants', '6 months before release': the noun after a preposition."""
    i = c.last + 1
    if c.tag(i) == "#":
        return None
    while c.tag(i) == "D" and i < c.last + 3:  # "£350,000 a year for unpaid carers", "prior to"
        i += 1
    if c.low(i) not in preps:
        return None
    return phrase(c, np_starting(c, i + 1))


_NOT_MODIFYING = frozenset(("a", "an", "the", "next", "last", "this", "every", "each", "per"))


def noun_right_after(c: Clause) -> str | None:
    """The noun phrase right after the figure ('42 per cent cuts in staffing')."""
    i = c.last + 1
    if c.low(i) == "of":  # "half of all journeys"
        i += 1
        while c.tag(i) in "DC" and i < c.last + 4:  # "of all", "of those requests"
            i += 1
    if c.low(i) in ("next", "last") and c.low(i + 1) in c.wc.times:
        return None  # "will rise by £86 next April": when, not what
    while c.low(i) in c.wc.modifiers:
        i += 1
    if c.low(i) in ("the", "its", "their", "our", "his", "her") and c.tag(i + 1) in "ND" \
            and c.low(c.last).endswith(("half", "third", "thirds", "quarter", "quarters")):
        i += 1  # "about half the total refugee population"
        while c.tag(i) == "D" and c.tag(i + 1) == "N" and i < c.last + 4:
            i += 1
    if c.tag(i) == "D" and c.tag(i + 1) == "N" and i == c.last + 1 \
            and c.low(i) not in c.wc.pronouns and c.low(i) not in _NOT_MODIFYING:
        i += 1  # "a 22% overall increase in ..." (not "£86 next April", "5% each year")
    if c.tag(i) != "N":
        return None
    return phrase(c, np_starting(c, i))


def after_noun(c: Clause) -> int:
    """The index after the counted noun (or the figure): where a predicate can start."""
    i = c.last + 1
    while c.low(i) in c.wc.modifiers:
        i += 1
    while c.tag(i) == "N" and i < c.last + 6:
        i += 1
    return i


def figure_before(c: Clause, i: int | None = None) -> Clause | None:
    """The same clause read around the nearest figure before tokens[i] (default: before this
    figure), for a figure that leaves its noun unsaid ("up from 1.26 million in 2013-14")."""
    tags, lows = c.tags, c.lows
    last = c.first - 1 if i is None else i
    if c.tag(last) != "#":  # the nearest figure token, at most 40 tokens back
        last = tags.rfind("#", max(0, c.first - 40), max(0, last))
        if last < 0:
            return None
    first = last  # and the figure it ends: "7 per cent", "3.1 per 1,000", "up 5 to 10"
    while first > 0 and (tags[first - 1] == "#" or (
            first > 1 and lows[first - 1] in _FIGURE_JOINS and tags[first - 2] == "#")):
        first -= 1
    return c.at(first, last)


_FIGURE_JOINS = frozenset(("per", "up", "to", "of"))
