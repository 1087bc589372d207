"""Evidence: what a claim's wording says about the thing it measures, and the named
comparisons of two claims, each with a few levels (Fellegi-Sunter, as in Splink).

`features(claim, lexicon)` reads a claim once: the content words of its clause
(stemmed, aliases and acronyms resolved), the words right next to the figure (the
measure), its counted noun, the named bodies and places, the years it names, the
predicate of an event, its scope (personal, average, national, local), whether it
states a change and in which direction, whether it is an expectation rather than an
outcome, and whether it is a running total. `compare_features(a, b, idf)` turns two
readings into `Comparison`s; `link.score` weighs them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ..aliases import Lexicon, normal_word
from ..model import Claim
from ..rules import RuleSet, read_data_file
from .figures import position
from .words import patterns

#: Content words read on each side of a figure (its clause, roughly).
CONTEXT_WORDS = 14
#: Words next to a figure that name what it measures ("the 35 probation trusts").
NEAR_WORDS = 4
#: Characters either side of a figure read for the place it is about ("in Eastport").
NEAR_CHARS = 60

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’&-]*[A-Za-z]|[A-Za-z]")
#: Words either side of a date read for the predicate of its event ("began in 2013").
PREDICATE_WORDS = 4


@attrs.frozen
class LinkWords:
    """The word classes of data/linking.toml, as lookup tables."""

    classes: Mapping[str, str]  # phrase -> class (start, end, up, down, expected, ...)
    longest: int
    contrasts: Mapping[str, str]  # modifier -> contrast name
    suffixes: tuple[str, ...]
    drop: frozenset[str]
    scopes: Mapping[str, str]  # phrase -> scope name (aliases.toml)
    rates: frozenset[str]  # the terms of measures that are rates of change (inflation)


PREDICATES = ("start", "end", "publish", "announce", "amend", "sign", "strike", "say")
#: Predicates of acts a body repeats on many days: their dates repeat, never conflict.
REPEATED_ACTS = ("say",)


@functools.cache
def link_words() -> LinkWords:
    data = read_data_file("linking.toml")
    classes: dict[str, str] = {}
    for name, entry in data.get("words", {}).items():
        for phrase in entry.get("aliases", []):
            classes[phrase.lower()] = name
    contrasts = {w.lower(): name for name, entry in data.get("contrasts", {}).items()
                 for w in entry.get("aliases", [])}
    suffixes = tuple(sorted(data.get("suffixes", {}).get("aliases", []), key=len, reverse=True))
    aliases = read_data_file("aliases.toml")
    drop = frozenset(w.lower() for w in aliases.get("drop", {}).get("aliases", []))
    scopes = {p.lower(): name for name, entry in aliases.get("scope", {}).items()
              for p in entry.get("aliases", [])}
    longest = max((len(p.split()) for p in [*classes, *scopes]), default=1)
    rates = frozenset(w.lower() for w in data.get("rates", {}).get("aliases", [])
                      if " " not in w)
    return LinkWords(classes=classes, longest=longest, contrasts=contrasts, suffixes=suffixes,
                     drop=drop, scopes=scopes, rates=rates)


@functools.cache
def stem(word: str) -> str:
    """A word as terms are compared: singular, lower case, a common ending cut."""
    base = normal_word(word)
    for suffix in link_words().suffixes:
        if base.endswith(suffix) and len(base) - len(suffix) >= 4:
            return base[: -len(suffix)]
    return base


@functools.cache
def _ignored(word: str) -> bool:
    """Function words, auxiliaries, calendar and number words: they identify nothing."""
    r = RuleSet.default()
    low = word.lower()
    return (low in r.stopwords or low in r.verbs or low in r.months or low in r.weekdays
            or low in r.cardinals or low in link_words().drop or len(low) < 2)


@attrs.frozen(cache_hash=True)
class Features:
    """What a claim's wording says about its measure (see the module docstring)."""

    terms: frozenset[str]
    near: frozenset[str]
    noun: str | None
    #: the counted noun is an acronym or alias: it names one kind of thing
    named_noun: bool
    #: the counted noun with the modifiers before it ('paramedic', 'vacancy')
    noun_words: tuple[str, ...]
    names: frozenset[str]
    #: the names that name one body: acronyms, aliases and names of several words
    #: ('bristol crc', 'nao'; not a lone 'Ministry')
    bodies: frozenset[str]
    years: frozenset[int]
    #: the year of the text's reference date, for a figure that names none of its own
    now: int | None
    #: the clause says "last year": the figure is of the year before its text's
    last_year: bool
    predicate: str | None
    scope: frozenset[str]
    change: bool
    polarity: int
    outcome: int
    base: str | None
    expected: bool
    running: bool
    personal: bool
    modifiers: frozenset[str]
    #: the place of a figure in a list of figures ("4.8 and 3.9 metres": 1 and 2), or 0
    slot: int = 0
    #: a date that bounds a state ("closed until the autumn", "by March"): no event's day
    deadline: bool = False

    def blocking_terms(self) -> frozenset[str]:
        extra = {self.noun} if self.noun else set()
        return self.terms | self.names | extra


def _clause(sentence: str, at: int, end: int) -> tuple[str, str]:
    """The text before and after a figure, cut at the clause ends around it."""
    before = sentence[:at]
    after = sentence[end:]
    clause_end = patterns().clause_end
    cuts = list(clause_end.finditer(before))
    if cuts:
        before = before[cuts[-1].end():]
    cut = clause_end.search(after)
    if cut:
        after = after[:cut.start()]
    return before, after


def _phrases(tokens: Sequence[str], table: Mapping[str, str], longest: int) -> list[str]:
    """The classes of the words and phrases (up to `longest` words) among tokens."""
    return [name for _, name in _placed_phrases(tokens, table, longest)]


def _placed_phrases(tokens: Sequence[str], table: Mapping[str, str],
                    longest: int) -> list[tuple[int, str]]:
    """(token index, class) of the words and phrases among tokens."""
    found = []
    lower = [t.lower() for t in tokens]
    starts = _first_words(id(table), table)
    for i, word in enumerate(lower):
        if word not in starts:  # most words start no phrase: one set lookup
            continue
        for size in range(min(longest, len(lower) - i), 0, -1):
            name = table.get(" ".join(lower[i:i + size]))
            if name is not None:
                found.append((i, name))
                break
    return found


_FIRST_WORDS: dict[int, frozenset[str]] = {}


def _first_words(key: int, table: Mapping[str, str]) -> frozenset[str]:
    """The first words of a (cached, never changed) phrase table's phrases."""
    found = _FIRST_WORDS.get(key)
    if found is None:
        found = _FIRST_WORDS[key] = frozenset(p.split()[0] for p in table if p)
    return found


def _canonical_terms(tokens: Sequence[str], lexicon: Lexicon) -> list[str]:
    """Tokens as terms: aliases and acronyms resolved, then stemmed, function words out.
    An acronym brings the head of its spelled-out name too ('MoJ': 'ministry'), which
    a text may use alone ('the Ministry')."""
    words = tuple(normal_word(t) for t in tokens)
    heads = _heads(lexicon)
    out = []
    for word in lexicon.canonical(words):
        if word in lexicon.targets:
            out.append(word)
            out.extend(heads.get(word, ()))
        elif not _ignored(word):
            out.append(stem(word))
    return out


_HEADS: dict[int, tuple[Lexicon, dict[str, tuple[str, ...]]]] = {}


def _heads(lexicon: Lexicon) -> Mapping[str, tuple[str, ...]]:
    """acronym -> the stemmed head word of each of its spelled-out names (the first
    content word: 'ministry' of 'ministry of justice'). Only an acronym brings one: the
    words of an alias ('price inflation') are not the thing itself ('prices')."""
    found = _HEADS.get(id(lexicon))
    if found is None or found[0] is not lexicon:
        table: dict[str, set[str]] = {}
        for phrase, target in lexicon.phrases.items():
            content = [w for w in phrase if not _ignored(w)]
            if len(phrase) > 1 and content and _spells(target, phrase):
                table.setdefault(target, set()).add(stem(content[0]))
        found = _HEADS[id(lexicon)] = (lexicon, {t: tuple(sorted(h)) for t, h in table.items()})
    return found[1]


def _spells(acronym: str, phrase: tuple[str, ...]) -> bool:
    """Whether the initials of a phrase's words (all, or all but the linking words) spell
    the acronym: 'moj' of 'ministry of justice', 'crc' of 'community rehabilitation
    company'."""
    if " " in acronym:
        return False
    letters = acronym.rstrip("s") if len(acronym) > 2 else acronym
    initials = "".join(w[:1] for w in phrase)
    content = "".join(w[:1] for w in phrase if w not in _LINKING_WORDS)
    return letters in (initials, content) or acronym in (initials, content)


_LINKING_WORDS = frozenset(("of", "and", "the", "for", "in", "on", "to", "&"))


# "in Eastport", "across the North West": a place that puts a figure in a local scope
_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,7}s?\b")


def _names(text: str, lexicon: Lexicon) -> set[str]:
    """Named bodies and places: acronyms, and runs of capitalised words (not a lone
    capital that starts the text), each resolved through the lexicon."""
    out = set()
    for match in _ACRONYM.finditer(text):
        out.add(" ".join(lexicon.canonical((normal_word(match.group()),))))
        out.add("@" + normal_word(match.group()))  # marks an acronym (see bodies)
    r = RuleSet.default()
    not_names = patterns().not_names
    for match in patterns().name_run.finditer(text):
        words = [w for w in _TOKEN.findall(match.group()) if w[0].isupper()]
        words = [w for w in words if w.lower() not in r.months and w.lower() not in r.weekdays
                 and w.lower() not in r.stopwords and w not in not_names]
        if not words or (len(words) == 1 and match.start() == 0):
            continue
        canonical = lexicon.canonical(tuple(normal_word(w) for w in words))
        out.add(" ".join(canonical))
    return {n for n in out if n}


# a year 1800-2099 standing alone (\b1[89]\d\d|20\d\d\b), begun with a character class
# for speed: the lookbehind is the word boundary before it
_NO_YEARS: frozenset[int] = frozenset()
_YEAR = re.compile(r"[12](?<!\w[12])(?:(?<=1)[89]|(?<=2)0)\d\d\b")


_LAST_YEAR = re.compile(r"\blast\s+year\b", re.I)
_RELATIVE_YEAR = re.compile(r"\b(last|this|next)\s+year\b", re.I)
_YEAR_SHIFTS = {"last": -1, "this": 0, "next": 1}


def _years(sentence: str, claim: Claim, day: str | None) -> frozenset[int]:
    """The years the clause names, other than the figure itself ('last year' in a text of
    2026 names 2025)."""
    written = _YEAR.findall(_since_pattern().sub(" ", sentence)) if "since" in sentence \
        else _YEAR.findall(sentence)  # ("the first time since 2021": a span up to now)
    relative = _RELATIVE_YEAR.findall(sentence) if "year" in sentence.lower() else []
    reference = _year_of(day)
    if not written and not relative and reference is not None:
        # "rose to 4.8% in the three months to September" in a text of November 2026: the
        # latest September
        return _month_years(sentence, day or "", reference)
    if not written and not (relative and reference):
        return _NO_YEARS
    found = {int(year) for year in written}
    if reference is not None and claim.quantity.kind != "date":
        found |= {reference + _YEAR_SHIFTS[word.lower()] for word in relative}
    if claim.quantity.kind == "date" and isinstance(claim.quantity.value, str):
        own = {int(p[:4]) for p in claim.quantity.value.split("/") if p[:4].isdigit()}
        found -= own
    return frozenset(found)


@functools.cache
def _since_pattern() -> re.Pattern[str]:
    """'since 2021', 'since early 2021': the start of a span that runs to the present, not
    the time of the figure."""
    words = "|".join(sorted(RuleSet.default().since_words, key=len, reverse=True))
    return re.compile(rf"\b(?:{words})\s+(?:(?:the\s+)?(?:early|mid|late|end\s+of)\s+)?"
                      r"[12]\d\d\d\b")


def _month_years(sentence: str, day: str, year: int) -> frozenset[int]:
    """The years of the months a sentence names without a year, each the latest before or
    in the month of `day` (an ISO date)."""
    month = int(day[5:7]) if day[5:7].isdigit() else 12
    numbers, pattern = _month_names()
    return frozenset(year if number <= month else year - 1
                     for number in (numbers[m.lower()] for m in pattern.findall(sentence)))


@functools.cache
def _month_names() -> tuple[dict[str, int], re.Pattern[str]]:
    """The months' full names, capitalised, as a pattern (not "May", a modal verb as often as
    a month, nor abbreviations, which are words too: "Mar", "Jun")."""
    numbers = {name: number for name, number in RuleSet.default().months.items()
               if len(name) > 3 and name.isalpha()}
    return numbers, re.compile(r"\b(" + "|".join(sorted(n.title() for n in numbers)) + r")\b")


def _counted_noun(claim: Claim, lexicon: Lexicon) -> tuple[str | None, tuple[str, ...]]:
    """The counted noun of a count or ratio, through the lexicon ('community
    rehabilitation companies' -> 'crc' when a text defines CRCs), and the words of its
    noun phrase (at most two content words before it)."""
    q = claim.quantity
    if q.kind not in ("count", "ratio") or not q.unit:
        return None, ()
    unit = tuple(normal_word(t) for t in _TOKEN.findall(q.unit))
    if not unit:
        return None, ()
    subject = tuple(normal_word(t) for t in _TOKEN.findall(claim.subject or ""))
    words = unit
    if subject and unit[-1] in subject:  # the subject's words up to the counted noun
        words = subject[:subject.index(unit[-1]) + 1]
    canonical = lexicon.canonical(words)
    for word in reversed(canonical):
        if word in lexicon.targets:
            return word, (word,)
    phrase = tuple(stem(w) for w in canonical if not _ignored(w))[-3:]
    return stem(canonical[-1]), phrase


Memo = dict[tuple[object, ...], Features]


def features(claim: Claim, lexicon: Lexicon, memo: Memo | None = None,
             day: str | None = None) -> Features:
    """The reading of one claim (see the module docstring). `memo` keeps readings of
    one lexicon by the words they rest on: templated text repeats them."""
    sentence = claim.sentence or claim.text
    at = position(claim)
    end = at + len(claim.text)
    before, after = _clause(sentence, at, end)
    tokens_before = _TOKEN.findall(before)
    tokens_after = _TOKEN.findall(after)
    if claim.attribution.speaker:
        # the speaker's own name says who speaks, not what is measured ("Dr Mara Quill: ...")
        speaker = set(_TOKEN.findall(claim.attribution.speaker))
        tokens_before = [t for t in tokens_before if t not in speaker]
        tokens_after = [t for t in tokens_after if t not in speaker]
    tokens_before = tokens_before[-CONTEXT_WORDS:]
    tokens_after = tokens_after[:CONTEXT_WORDS]
    near_text = f"{before[-NEAR_CHARS:]} {after[:NEAR_CHARS]}"
    pattern = patterns()
    places = _places(near_text) if pattern.place.search(near_text) else _NO_PLACES
    q = claim.quantity
    key = (tuple(tokens_before), tuple(tokens_after), claim.subject, q.kind, q.unit,
           claim.attribution.speaker, _slot(before, after),
           _years(f"{before} {after}", claim, claim.date or day), places,
           bool(pattern.first_person.search(f"{before[-60:]} {after[:30]}")),
           before.rstrip().endswith("("),
           q.kind == "date" and _deadline(claim.text, tokens_before), _now(claim, day))
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _read(claim, lexicon, tokens_before, tokens_after, key)
        if memo is not None:  # equal readings are one object: later compared by identity
            found = memo[key] = memo.setdefault((found,), found)
    return found


def _deadline(text: str, before: Sequence[str]) -> bool:
    """A date after a word that bounds it from above (dates.toml [deadline]: "until the
    autumn", "by 4 July"), in its own text or just before it."""
    deadlines = RuleSet.default().deadlines
    words = [w.lower() for w in before[-4:]]
    if words and words[-1] == "the":
        words.pop()
    lead = text.lower().split()
    return any(" ".join(words[-size:]) in deadlines or " ".join(lead[:size]) in deadlines
               for size in range(1, 5))


_NO_PLACES: frozenset[str] = frozenset()


def _places(text: str) -> frozenset[str]:
    """The places a text puts a figure in ('in eastport'), not months ('in March')."""
    months = RuleSet.default().months
    return frozenset(
        "in " + " ".join(normal_word(w) for w in _TOKEN.findall(m.group("place")))
        for m in patterns().place.finditer(text)
        if m.group("place").split()[0].lower() not in months)


def _read(claim: Claim, lexicon: Lexicon, tokens_before: list[str], tokens_after: list[str],
          key: tuple[Any, ...]) -> Features:
    slot, years, places, first_person, bracketed, deadline, now = key[6:]
    speaker = set(_TOKEN.findall(claim.attribution.speaker or ""))
    words = link_words()
    named = _names(" ".join([*tokens_before, ",", *tokens_after]), lexicon)
    # words of direction, outcome and modality ("increased", "missed", "expected") are
    # compared on their own: they say how a figure moved, not what it measures
    signs = _sign_words()
    terms_before = [t for t in _canonical_terms(tokens_before, lexicon) if t not in signs]
    terms_after = [t for t in _canonical_terms(tokens_after, lexicon) if t not in signs]
    near = set(terms_before[-NEAR_WORDS:]) | set(terms_after[:NEAR_WORDS])
    noun, noun_words = _counted_noun(claim, lexicon)
    if noun:
        near.add(noun)
    subject_terms = _canonical_terms([t for t in _TOKEN.findall(claim.subject or "")
                                      if t not in speaker], lexicon)
    terms = set(terms_before) | set(terms_after) | set(subject_terms)
    if not near - {noun}:
        # "It is 4.8 per cent": nothing next to the figure says what it measures; the
        # subject read for it does (the question's unemployment)
        near.update(subject_terms[-NEAR_WORDS:])
    near_tokens = [*tokens_before[-NEAR_WORDS - 2:], *tokens_after[:NEAR_WORDS + 2]]
    classes = _phrases([*tokens_before, *tokens_after], words.classes, words.longest)
    predicate = _nearest_predicate(tokens_before, tokens_after, words) \
        if claim.quantity.kind == "date" else None
    # "4.8% higher than a year earlier": the comparison after a figure is its direction (the
    # phrase "higher than" before a figure makes that figure the earlier level instead)
    # The direction is read before the figure and just after it ("rose by 4.6%", "a 3% rise"):
    # further on it is another figure's ("rose by 4.6% in the year to September, down from
    # 5.1% in August").
    compared = [t.lower() for t in tokens_after[:2]]
    moved = _phrases([*tokens_before[-NEAR_WORDS - 2:], *tokens_after[:2]], words.classes,
                     words.longest)
    up = "up" in moved or compared == ["higher", "than"]
    down = "down" in moved or compared == ["lower", "than"]
    scope = set(_phrases([*tokens_before[-6:], *tokens_after[:2]], words.scopes,
                         words.longest)) | places
    if "national" in scope:  # "against 4.2 per cent nationally": not the place named before
        scope = {s for s in scope if not s.startswith("in ")}
    # "of which $300 million": a part of the figure before; "up from £3.1m": the level a
    # change started from
    scope.update({"part", "earlier"} & set(_phrases(tokens_before[-3:], words.classes,
                                                     words.longest)))
    if "part_after" in _phrases(tokens_after[:3], words.classes, words.longest):
        scope.add("part")  # "About £300m of it"
    if _from_level(tokens_before, tokens_after):
        scope.add("earlier")
    rate_change = claim.quantity.change and bool(_rate_terms() & terms)
    personal = first_person or "personal" in scope
    if personal:
        scope.add("personal")
    # the counted noun's own modifiers when it has them ("12 secondary schools"), else
    # the words next to the figure
    said = noun_words[:-1] if len(noun_words) > 1 else [t.lower() for t in near_tokens]
    contrasts = {**words.contrasts, **{stem(w): c for w, c in words.contrasts.items()}}
    modifiers = frozenset(contrasts[t] + ":" + t for t in said if t in contrasts)
    return Features(
        terms=frozenset(terms), near=frozenset(near), noun=noun,
        named_noun=noun is not None and noun in lexicon.targets, noun_words=noun_words,
        names=frozenset(n for n in named if not n.startswith("@")),
        bodies=frozenset(n for n in named if " " in n or "@" + n in named
                         or n in lexicon.targets),
        years=years, now=now, predicate=predicate,
        last_year=bool(_LAST_YEAR.search(" ".join(tokens_before[-8:] + tokens_after[:8]))),
        # a rate of change stated as a change ("CPI rose by 3.1% in the year") is its level
        scope=frozenset(scope), change=claim.quantity.change and not rate_change,
        # (the level a change started from moved nowhere: the words of direction near it
        # are the change's)
        # (nor did a rate of change stated as a change: "CPI rose by 3.3%" is the rate that
        # "slowed to 3.3%")
        polarity=0 if "earlier" in scope or rate_change
        else (1 if up else 0) - (1 if down else 0),
        outcome=("met" in classes) - ("missed" in classes),
        base=_base(claim, bracketed, tokens_before, tokens_after, lexicon),
        expected="expected" in classes, running="running" in classes, personal=personal,
        modifiers=modifiers, slot=slot, deadline=deadline)


def _from_level(tokens_before: Sequence[str], tokens_after: Sequence[str]) -> bool:
    """'eased to 4.9%, from 5.2%', 'fell to 3.1% in September from 3.4%', 'rose from 3.1%
    to 3.4%': the figure after 'from' is the level a change started from (the figures are
    no tokens, so 'to X from' reads 'to from')."""
    last = [t.lower() for t in tokens_before[-5:]]
    if last[-1:] != ["from"]:
        return False
    # "to X from Y", "to X in September from Y": a new level, then the old
    return "to" in last[:-1] or [t.lower() for t in tokens_after[:1]] == ["to"]


_NUMBER = re.compile(r"\d[\d.,]*")


def _slot(before: str, after: str) -> int:
    """1 for the first figure of a list ('4.8 and 3.9'), 2 for the second, and so on;
    0 for a figure on its own."""
    # a list before the figure ends in a comma or "and" and a space (a cheap test
    # first: the pattern is searched from every position)
    tail = before.rstrip()
    lists = patterns()
    found = lists.list_before.search(before) if len(tail) < len(before) and \
        tail.endswith(lists.list_joiners) else None
    if found:
        return len(_NUMBER.findall(found.group(1))) + 1
    return 1 if lists.list_after.match(after) else 0


def _base(claim: Claim, bracketed: bool, before: Sequence[str], after: Sequence[str],
          lexicon: Lexicon) -> str | None:
    """What a percentage is a share of: '42% of emergency calls' -> 'call', and
    'nine of the 12 stations (75%)' -> 'station'."""
    if claim.quantity.kind != "percent":
        return None
    if after[:1] and after[0].lower() == "of":  # the head of the noun phrase after "of"
        phrase: list[str] = []
        for token in after[1:6]:
            if _ignored(token):
                if phrase:
                    break
                continue  # "of the", "of its"
            phrase.append(token)
        words = _canonical_terms(phrase, lexicon)
        return words[-1] if words else None
    if bracketed:
        words = _canonical_terms(before[-3:], lexicon)
        return words[-1] if words else None
    return None


def _nearest_predicate(before: Sequence[str], after: Sequence[str],
                       words: LinkWords) -> str | None:
    """The event class of the predicate word nearest a date ('began in 2013'); when
    none stands within PREDICATE_WORDS, the nearest in its clause ('the earthquake that
    devastated parts of southern Turkey on Feb. 6': news puts the day last)."""
    near = _predicate_within(before[-PREDICATE_WORDS:], after[:PREDICATE_WORDS], words)
    return near if near is not None else _predicate_within(before, after, words)


def _predicate_within(before: Sequence[str], after: Sequence[str],
                      words: LinkWords) -> str | None:
    tokens = [*before, *after]
    here = len(before) - 0.5
    placed = [(abs(i - here), name) for i, name in
              _placed_phrases(tokens, words.classes, words.longest) if name in PREDICATES]
    return min(placed)[1] if placed else None


# --------------------------------------------------------------------------- comparisons


@attrs.frozen
class Comparison:
    """One named comparison of two claims at one level, and what it rests on in words."""

    name: str
    level: str
    says: str = ""


IdfFn = Callable[[str], float]


def _top(words: frozenset[str], idf: IdfFn, n: int = 3) -> list[str]:
    """The shared words in order (not by rarity, so that the evidence of a link
    reads the same in any collection)."""
    return sorted(words)[:n]


#: The word classes of linking.toml that are comparisons of their own, not measures.
SIGN_CLASSES = ("up", "down", "met", "missed", "expected", "running")


@functools.cache
def _rate_terms() -> frozenset[str]:
    """The terms of the measures that are rates of change, as written and stemmed."""
    return frozenset(form for word in link_words().rates for form in (word, stem(word)))


@functools.cache
def _sign_words() -> frozenset[str]:
    return frozenset(stem(w) for w, c in link_words().classes.items()
                     if c in SIGN_CLASSES and " " not in w)


@functools.cache
def _generic_nouns() -> frozenset[str]:
    """The nouns the built-in lexicon names as spellings of a common noun ('person',
    'member of staff'): counted alone, they name no particular measure."""
    from ..aliases import builtin_lexicon

    return frozenset(w for target in builtin_lexicon().phrases.values()
                     for w in (target, stem(target.split()[-1])))


def _measure(a: Features, b: Features, idf: IdfFn, rare: float) -> Comparison:
    if a.noun and b.noun:
        if a.noun == b.noun and a.named_noun:
            return Comparison("measure", "noun_named", f"counted noun '{a.noun}' (a name)")
        if a.noun == b.noun and len(a.noun_words) > 1 and a.noun_words == b.noun_words:
            return Comparison("measure", "noun_named",
                              f"counted noun '{' '.join(a.noun_words)}'")
        if a.noun == b.noun:  # a common noun ('person') says less than a rare one
            if idf(a.noun) >= rare and a.noun not in _generic_nouns():
                return Comparison("measure", "noun", f"counted noun '{a.noun}'")
            # (a body both name: "the Red Cross said 300 people"; not a measure one writes
            # as a name and the other in lower case, "the Claimant Count" / "the claimant
            # count")
            said_by = {stem(w) for n in a.names & b.names for w in n.split()}
            others = (a.near & b.near) - {a.noun} - said_by  # "people made homeless"
            if not others or max(idf(w) for w in others) < rare:
                return Comparison("measure", "noun_common", f"counted noun '{a.noun}'")
            return Comparison("measure", "near_rare", f"counted noun '{a.noun}', next to "
                              "the figure: " + ", ".join(f"'{w}'" for w in _top(others, idf)))
        return Comparison("measure", "noun_differs",
                          f"counted nouns '{a.noun}' and '{b.noun}' differ")
    shared = a.near & b.near
    if not shared:
        return Comparison("measure", "none", "nothing in common next to the figures")
    words = _top(shared, idf)
    level = "near_rare" if max(idf(w) for w in shared) >= rare else "near"
    return Comparison("measure", level, "next to the figure: " + ", ".join(f"'{w}'" for w in words))


def _context(a: Features, b: Features, idf: IdfFn) -> Comparison:
    """How much of the shorter context the other shares, each word weighed by rarity."""
    shared = a.terms & b.terms
    total = getattr(idf, "total", None)  # a cached sum when the weigher keeps one
    smaller = min(total(a.terms), total(b.terms)) if total is not None else \
        min(sum(idf(w) for w in a.terms), sum(idf(w) for w in b.terms))
    overlap = sum(idf(w) for w in shared) / smaller if smaller > 0 else 0.0
    level = ("high" if overlap >= 0.5 else "medium" if overlap >= 0.3
             else "low" if overlap > 0.1 else "none")
    if len(shared) < 2 and level in ("high", "medium") and not (a.noun and b.noun):
        level = "low"  # one shared word ('cost'), with no counted noun, is not a context
    says = f"context overlap {overlap:.2f}"
    if shared:
        says += " (" + ", ".join(f"'{w}'" for w in _top(shared, idf)) + ")"
    return Comparison("context", level, says)


def jaro_winkler(a: str, b: str) -> float:
    """The Jaro-Winkler similarity of two strings (1.0 for equal ones), which record
    linkage uses for names spelled two ways ('Turkey' / 'Turkiye')."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    reach = max(len(a), len(b)) // 2 - 1
    taken = [False] * len(b)
    matches_a = []
    for i, char in enumerate(a):
        for j in range(max(0, i - reach), min(len(b), i + reach + 1)):
            if not taken[j] and b[j] == char:
                taken[j] = True
                matches_a.append(char)
                break
    if not matches_a:
        return 0.0
    matches_b = [char for j, char in enumerate(b) if taken[j]]
    m = len(matches_a)
    half_swaps = sum(x != y for x, y in zip(matches_a, matches_b, strict=True)) / 2
    jaro = (m / len(a) + m / len(b) + (m - half_swaps) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


#: Names this similar are one name spelled two ways.
NAME_SIMILARITY = 0.9


def _names_cmp(a: Features, b: Features) -> Comparison:
    if not a.names or not b.names:
        return Comparison("names", "missing", "a named body on one side only"
                          if a.names or b.names else "no named body")
    shared = a.names & b.names or {f"{x} ~ {y}" for x in a.names for y in b.names
                                   if jaro_winkler(x, y) >= NAME_SIMILARITY}
    if shared:
        return Comparison("names", "same", "named: " + ", ".join(sorted(shared)[:3]))
    return Comparison("names", "different", "different names: "
                      f"{sorted(a.names)[0]} / {sorted(b.names)[0]}")


def _now(claim: Claim, day: str | None) -> int | None:
    return None if claim.quantity.kind == "date" else _year_of(claim.date or day)


def _year_of(day: str | None) -> int | None:
    """The year of an ISO date ('2026-02-04'), or None (a stored date may be anything)."""
    year = (day or "")[:4]
    return int(year) if len(year) == 4 and year.isascii() and year.isdigit() else None


def _time(a: Features, b: Features) -> Comparison:
    if not a.years or not b.years:
        # "Last year the council closed a gap of £9m" against a gap named in the present
        # tense of a text of this year: a figure of another year
        dated, plain = (a, b) if a.years else (b, a)
        if dated.last_year and plain.now is not None and dated.now == plain.now \
                and max(dated.years) < plain.now:
            return Comparison("time", "different",
                              f"{max(dated.years)} against the present of {plain.now}")
        return Comparison("time", "missing", "no year stated on one side")
    if a.years & b.years:
        return Comparison("time", "same", "same year " + str(min(a.years & b.years)))
    return Comparison("time", "different",
                      f"different years {min(a.years)} / {min(b.years)}")


def _predicate(a: Features, b: Features) -> Comparison:
    if a.predicate is None or b.predicate is None:
        return Comparison("predicate", "missing", "")
    if a.predicate == b.predicate and a.predicate in REPEATED_ACTS:
        # a statement is known by who made it: the day two bodies spoke is two events
        if _same_body(a, b):
            return Comparison("predicate", "same", f"same event ({a.predicate}) by one body")
        if a.bodies and b.bodies:
            return Comparison("predicate", "different", f"{a.predicate}: different bodies")
        return Comparison("predicate", "missing", f"{a.predicate}: no body on one side")
    if a.predicate == b.predicate:
        return Comparison("predicate", "same", f"same event ({a.predicate})")
    return Comparison("predicate", "different", f"different events ({a.predicate} / "
                      f"{b.predicate})")


def _same_body(a: Features, b: Features) -> bool:
    return bool(a.bodies & b.bodies) or any(jaro_winkler(x, y) >= NAME_SIMILARITY
                                            for x in a.bodies for y in b.bodies)


def _same_places(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """b's scope with each place that names a place of a more or less fully ('in
    westbrook hospital' and 'in westbrook's hospitals' -> 'in westbrook') written as a's."""
    places = [s for s in a if s.startswith("in ")]
    out = set()
    for scope in b:
        match = next((p for p in places if p != scope and scope.startswith("in ")
                      and (p.startswith(scope + " ") or scope.startswith(p + " "))), None)
        out.add(match or scope)
    return frozenset(out)


def _scope(a: Features, b: Features, speakers: tuple[str | None, str | None]) -> Comparison:
    mine = a.scope
    theirs = _same_places(mine, b.scope) if mine and b.scope else b.scope
    if a.personal and b.personal and speakers[0] != speakers[1]:
        return Comparison("scope", "two_people", "two people's own figures")
    if ("part" in mine) != ("part" in theirs):
        return Comparison("scope", "part", "a part against the whole")
    if ("earlier" in mine) != ("earlier" in theirs):
        return Comparison("scope", "earlier", "the level a change started from")
    if mine == theirs:
        return Comparison("scope", "same", "no scope difference" if not mine else
                          "same scope: " + ", ".join(sorted(mine)))
    if mine and theirs:
        return Comparison("scope", "different", f"scopes differ: {', '.join(sorted(mine))}"
                          f" / {', '.join(sorted(theirs))}")
    one = mine or theirs
    return Comparison("scope", "missing", "scope on one side only: " + ", ".join(sorted(one)))


def compare_features(a: Features, b: Features, idf: IdfFn, rare: float,
                     speakers: tuple[str | None, str | None] = (None, None),
                     ) -> list[Comparison]:
    """The comparisons of two claims' readings, in a fixed order."""
    out = [_measure(a, b, idf, rare), _context(a, b, idf), _names_cmp(a, b), _time(a, b),
           _predicate(a, b), _scope(a, b, speakers)]
    out.append(_FIXED["change", "same" if a.change == b.change else "differs"])
    if a.polarity and b.polarity:
        level = "same" if a.polarity == b.polarity else "opposite"
    else:
        level = "missing"
    out.append(_FIXED["polarity", level])
    if a.outcome and b.outcome:
        level = "same" if a.outcome == b.outcome else "opposite"
    else:
        level = "missing"
    out.append(_FIXED["outcome", level])
    out.append(_FIXED["modality", "same" if a.expected == b.expected else "differs"])
    level = "missing"
    if a.base and b.base:
        level = "same" if a.base == b.base else "different"
    out.append(Comparison("base", level, f"shares of '{a.base}'" if level == "same" else
                          f"shares of '{a.base}' and '{b.base}'" if a.base and b.base else ""))
    level = "missing"
    if a.slot and b.slot:
        level = "same" if a.slot == b.slot else "different"
    elif max(a.slot, b.slot) > 1:  # a figure on its own is the list's first, if any
        level = "different"
    out.append(Comparison("list", level, f"place {a.slot} of a list on both sides"
                          if level == "same" else "different places in lists"
                          if level == "different" else ""))
    clash = _clash(a.modifiers, b.modifiers) if a.modifiers and b.modifiers else ""
    out.append(Comparison("modifiers", "clash", clash) if clash else _FIXED["modifiers", "none"])
    return out


#: The comparisons whose words depend on their level alone, made once.
_FIXED = {(c.name, c.level): c for c in (
    Comparison("change", "same"), Comparison("change", "differs", "a change against a level"),
    Comparison("polarity", "same"), Comparison("polarity", "missing"),
    Comparison("polarity", "opposite", "rise against fall"),
    Comparison("outcome", "same"), Comparison("outcome", "missing"),
    Comparison("outcome", "opposite", "met against missed"),
    Comparison("modality", "same"),
    Comparison("modality", "differs", "an expectation against an outcome"),
    Comparison("modifiers", "none"))}


def _clash(a: frozenset[str], b: frozenset[str]) -> str:
    """Two different modifiers of one contrast ('full-time' / 'part-time')."""
    for left in sorted(a - b):
        name = left.split(":")[0]
        for right in sorted(b - a):
            if right.split(":")[0] == name:
                return f"'{left.split(':')[1]}' against '{right.split(':')[1]}'"
    return ""
