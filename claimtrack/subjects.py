"""The measured subject of a figure: its counted noun, or the thing the clause is about."""

from __future__ import annotations

import functools
import itertools

import attrs
import regex

from . import nouns
from .model import Quantity
from .patterns import alt
from .rules import RuleSet
from .structure import sentence_bounds

_TOKEN = regex.compile(r"[^\W\d_](?:\w|['’&-](?=\w))*+|\d[\d,.]*+|[^\w\s]")
_QUOTES = frozenset("\"'“”‘’«»")
_MAX_NOUN_WORDS = 4


@attrs.frozen
class NounPhrase:
    words: tuple[str, ...]
    end: int

    @property
    def text(self) -> str:
        return " ".join(self.words)


def singular(word: str, rules: RuleSet) -> str:
    """'offenders' -> 'offender', 'companies' -> 'company', 'staff' -> 'member of staff'."""
    lower = word.lower()
    if lower in rules.count_nouns:
        return rules.count_nouns[lower]
    keep = word if word.isupper() and len(word) > 1 else lower
    if keep.endswith("s") and word[:-1].isupper() and len(word) > 2:  # CRCs -> CRC
        return word[:-1]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("uses", "us"), ("xes", "x"),
                         ("ches", "ch"), ("shes", "sh")):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 1:
            return keep[: -len(suffix)] + repl
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3:
        return keep[:-1]
    return keep


def _is_content(word: str, rules: RuleSet) -> bool:
    return _is_content_word(word, rules.stopwords, rules.verbs,
                            rules.word_classes["not_adverbs"])


def _is_content_word(word: str, stopwords: frozenset[str], verbs: frozenset[str],
                     not_adverbs: frozenset[str]) -> bool:
    lower = word.lower()
    return (word[:1].isalpha() and lower not in stopwords and lower not in verbs
            and not (lower.endswith("ly") and len(lower) > 4 and lower not in not_adverbs))


def noun_after(text: str, pos: int, rules: RuleSet, *, skip_of: bool = False) -> NounPhrase | None:
    """The noun phrase right after a figure ('70 offenders', 'two long and dull forms')."""
    compound = _HYPHENED.match(text, pos)
    if compound is not None:  # "a 24-bed ward": beds (but "a 12-strong team")
        word = compound["word"]
        if word.lower() in rules.word_classes["compound_adjectives"] or \
                not _is_content(word, rules):
            return None
        return NounPhrase((word,), compound.end())
    words: list[str] = []
    end = pos
    seen_of = False
    wc = nouns.word_classes(rules)
    modifiers = wc.modifiers
    for token in _TOKEN.finditer(text, pos, min(len(text), pos + 160)):
        word = token.group()
        if text[end:token.start()].count("\n"):
            break
        if word in _QUOTES:
            end = token.end()
            continue
        lower = word.lower()
        if lower in rules.cardinals:
            break  # "one in eleven two years ago": another figure, no noun
        if not words and lower in modifiers:  # "95 new requests"
            continue
        if not words and lower == "of" and skip_of and not seen_of:
            seen_of = True
            end = token.end()
            continue
        if not words and lower in ("the", "their", "its", "our", "his", "her", "all", "those",
                                   "these", "them", "my", "your") and seen_of:
            end = token.end()
            continue
        if lower in ("and", "&") and words and not words[-1].lower().endswith("s"):
            continue
        if lower == "of" and words and _member_of(words, text, token.end(), rules):
            words.append("of")
            continue
        if words and words[-1] != "of" and (_plural(words[-1]) or lower.endswith("ed")):
            break  # the head noun is read; a verb or a new phrase follows
        if not _is_content(word, rules) or len(words) >= _MAX_NOUN_WORDS:
            break
        words.append(word)
        end = token.end()
    while words and words[-1].lower() == "of":
        words.pop()
    if words and words[-1].lower().endswith(("ing", "ed")) and len(words) == 1:
        return None  # "60 turning up", "9 of the 21 passed": a verb, not a noun
    return NounPhrase(tuple(words), end) if words else None


_HYPHENED = regex.compile(r"-(?P<word>[^\W\d_]++)(?![\w-])")


def _plural(word: str) -> bool:
    lower = word.lower()
    return (lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3) or (
        lower in ("people", "staff", "children", "men", "women"))


def _member_of(words: list[str], text: str, pos: int, rules: RuleSet) -> bool:
    following = _TOKEN.match(text, pos + 1 if pos < len(text) and text[pos] == " " else pos)
    if following is None:
        return False
    phrase = f"{words[-1].lower()} of {following.group().lower()}"
    return phrase in rules.count_nouns


def _compounds(rules: RuleSet) -> dict[str, tuple[int, str]]:
    """The count nouns of more than one word, each with its place in the data and its unit."""
    return {alias: (place, unit) for place, (alias, unit) in enumerate(rules.count_nouns.items())
            if " " in alias}


def unit_of(phrase: NounPhrase, rules: RuleSet) -> str:
    """The singular counted unit: the head noun ('four pilot boroughs' -> borough), or a
    compound the rule data knows ('three probation trusts' -> probation trust)."""
    words = list(phrase.words)
    joined = " ".join(w.lower() for w in words)
    # the compounds the phrase ends with (at a word boundary): the first in the data wins
    compounds = rules.memo(_compounds)
    endings = [joined, *(joined[i + 1:] for i, ch in enumerate(joined) if ch == " ")]
    known = [compounds[ending] for ending in endings if ending in compounds]
    if known:
        return min(known)[1]
    if "of" in words:
        head_index = words.index("of") - 1
        tail = " ".join(words[head_index:]).lower()
        return rules.count_nouns.get(tail, singular(words[head_index], rules))
    return singular(words[-1], rules)


def _join(*parts: str | None) -> str | None:
    """The parts that say something new, in order: ('caseload', 'offenders') -> 'caseload
    offenders'; a part already contained in an earlier one is left out."""
    out: list[str] = []
    for part in parts:
        if part and not any(part.lower() in seen.lower() for seen in out):
            out.append(part)
    return " ".join(out) or None




def _before(c: nouns.Clause, depth: int) -> str | None:
    """What the words before a figure say it measures: the noun it follows, the subject of
    the verb before it, or the subject of the figure it follows."""
    what, i = nouns.nearest_before(c)
    if what == "np":
        return nouns.phrase(c, nouns.np_ending(c, i))
    if what == "verb":
        return nouns.clause_subject(c, i)
    if what == "figure" and depth > 0:
        previous = nouns.figure_before(c, i)
        return _figure_subject(previous, depth - 1) if previous is not None else None
    return None


def _verb_subject(c: nouns.Clause) -> str | None:
    """The subject of the nearest verb before the figure in its clause."""
    verb = nouns.verb_before(c)
    if verb is None or c.low(verb) in c.wc.speech:
        return None  # "Figures from the agency show 40% of ...": who states it, not what
    return nouns.clause_subject(c, verb)


def _figure_subject(c: nouns.Clause, depth: int) -> str | None:
    """The subject of another figure in the window, for one that leaves it unsaid."""
    after = c.low(c.last + 1)
    return _count_subject(c, copula=False, generic=after in c.wc.generic, depth=depth)


def _count_subject(c: nouns.Clause, *, copula: bool, generic: bool, depth: int) -> str | None:
    counted = nouns.noun_right_after(c)
    acted = nouns.participle_before(c) if counted is None or generic else None
    if acted is not None:  # "killed more than 44,300 people": the people killed
        return _join(counted, acted)
    context = nouns.governor(c) or (_verb_subject(c) if copula else None)
    if counted is not None:
        if not generic:
            return _join(context, counted)
        # "2,380 people signed our petition", "home care for 1,240 people"
        return _join(context, counted, nouns.predicate(c, nouns.after_noun(c))
                     or _before(c, 0))
    if context is not None:
        return context
    # an elliptical count: "Now there are 19", "412 of them are in bed and breakfast"
    return _join(_before(c, depth), nouns.predicate(c, c.last + 1))


def _percent_subject(c: nouns.Clause, depth: int) -> str | None:
    counted = nouns.noun_right_after(c)
    what, _ = nouns.nearest_before(c)
    if counted is not None:
        # "Violence accounted for 41% of all recorded crime"
        return _join(_verb_subject(c), counted) if what == "verb" else counted
    # "fares rose by 12%"; "the proposed cuts which will slash the work force by almost half";
    # "the head count cut by 42 per cent": the verb of change says what the figure measures
    changed = nouns.changed_by(c)
    return (_join(nouns.governor(c) or _before(c, depth), _verb_subject(c), changed)
            or nouns.predicate(c, c.last + 1))


def _money_subject(c: nouns.Clause, depth: int, rules: RuleSet) -> str | None:
    # "a £90,000 pilot", "the council paid consultants £85,000", "£85,000 on consultants"
    what = nouns.noun_right_after(c) or nouns.governor(c) or _before(c, depth)
    # "hoped to save £410,000" is a saving, "spent £2m" spending
    verb = nouns.verb_of_figure(c)
    named = rules.money_verbs.get(verb) if verb is not None else None
    return _join(what, _verb_subject(c), named,
                 nouns.complement_after(c, c.wc.money_complements)
                 or nouns.predicate(c, c.last + 1))


def _duration_subject(c: nouns.Clause, depth: int) -> str | None:
    what = nouns.noun_right_after(c) or nouns.governor(c) or _before(c, depth)
    return _join(what, nouns.complement_after(c, c.wc.duration_complements)
                 or nouns.predicate(c, c.last + 1))


def _date_subject(c: nouns.Clause, depth: int) -> str | None:
    # "BGSW CRC was formed in 2014", "Ferries have crossed the estuary since the 1870s";
    # a date opening its clause is about what follows ("In 2021 men were spending ...")
    if c.low(c.last + 1) == "s":  # the quote mark is not a token
        # "yesterday's announcement", "Monday's quake": the event the date is of
        owned = nouns.phrase(c, nouns.np_starting(c, c.last + 2))
        if owned is not None:
            return owned
    event = nouns.event_verb(c)
    before = _join(nouns.clause_subject(c, event) if event is not None else None,
                   _verb_subject(c), _before(c, depth))
    if before is not None:
        return _join(before, nouns.predicate(c, c.last + 1)
                     or nouns.complement_after(c, c.wc.date_complements))
    # "In 2015, the ...", "1940s: The Act introduces ...": a date heading its clause
    start = c.last + 2 if c.tag(c.last + 1) == "," or c.low(c.last + 1) == ":" else c.last + 1
    following = nouns.np_starting(c, start)
    after = start if following is None else following[1] + 1
    return _join(nouns.phrase(c, following), nouns.predicate(c, after))



_DEPTH = 2
_COUNTED = ("count", "ratio", "quantity")  # the kinds with a counted noun


def subject_for(quantity: Quantity, text: str, end: int, sentence: tuple[int, int],
                start: int, rules: RuleSet,
                tokens: nouns.Tokens | None = None) -> tuple[str | None, str | None]:
    """(subject, counted unit) of a figure spanning text[start:end] (`tokens`: the
    document's, for a caller that reads many of its figures). A figure that shares the
    measure of the one before it takes its subject in pipeline._with_shared_measure."""
    kind = quantity.kind
    skip_of = kind in ("percent", "count", "ratio") or quantity.value is None
    # only counts and measures read the noun after the figure: what it counts
    counted = noun_after(text, end, rules, skip_of=skip_of) if kind in _COUNTED else None
    unit = None
    if counted is not None and kind in ("count", "ratio"):
        unit = unit_of(counted, rules)
    valued = _valued_phrase(text, start, sentence, rules)
    if valued is not None:  # "the survey put the number of empty homes at 26,000"
        if unit is None and kind in ("count", "ratio"):
            unit = _valued_unit(valued, rules)
        return valued, unit
    c = nouns.read_clause(text, start, end, sentence, rules, tokens)
    measure = nouns.measure_near(c, rules.measures) if kind == "quantity" else None
    if measure is not None:
        subject = _measure_subject(c, *measure)
    elif kind in ("count", "ratio", "quantity"):
        people = None
        if counted is None and kind != "quantity":
            unit = _elliptical_unit(c, text, start, sentence, rules)
            if unit is None and _acts_on_people(text, start, sentence[0], rules):
                unit = "person"  # "the fire killed at least 12", "rescuers freed 40"
            if unit is None:
                people = _people_measure(c, rules)
                unit = "person" if people is not None else None
        copula = _copula_before(text, max(sentence[0], start - 20), start, c.wc)
        generic = counted is not None and counted.words[-1].lower() in c.wc.generic
        subject = _count_subject(c, copula=copula, generic=generic, depth=_DEPTH)
        if people is not None and (subject is None or people.lower() not in subject.lower()):
            subject = people  # "Employment rose by 41,000 ..., to 2.4 million"
    elif kind == "percent":
        subject = _percent_subject(c, _DEPTH)
    elif kind == "money":
        subject = _money_subject(c, _DEPTH, rules)
    elif kind == "duration":
        subject = _duration_subject(c, _DEPTH)
    else:
        subject = _date_subject(c, _DEPTH)
    level = nouns.changed_before_level(c) if kind in ("money", "percent", "quantity") else None
    if level is not None:  # "The bill will rise by £86 next April, to £547 a year"
        subject = nouns.clause_subject(c, level) or subject
    # ("including 31 homes" says what it counts itself)
    changed = nouns.change_of_figure(c) if kind != "date" and (
        counted is None or c.low(c.fig - 1) != "including") else None
    if changed is not None:  # "fell to 61,240 in September, down 1,180 on August"
        subject = _figure_subject(changed, _DEPTH - 1) or subject
    if kind != "date" and nouns.pronoun_subject(c):
        # "The new hospital opened in May. It has 450 beds": what the pronoun stands for
        subject = _join(_antecedent(text, sentence[0], rules), subject)
    if subject is None and _may_name(text, sentence, start, rules):
        # no reading of the clause: its content words, as a reader scans it
        subject = subject_before(text, sentence[0], start, rules) or \
            subject_after(text, end, sentence[1], rules)
    if unit is None and kind == "count" and subject:
        # "the number of unemployed people, at 7.4 million": what the subject counts
        unit = rules.count_nouns.get(subject.split()[-1].lower())
    if subject is None and unit is not None and kind == "count":
        subject = unit  # "How many applications are pending?" - "About 2,700, Senator."
    return subject, unit


def _valued_phrase(text: str, start: int, sentence: tuple[int, int],
                   rules: RuleSet) -> str | None:
    """What a figure after "put ... at", "estimated ... at" values: "the survey put the
    number of empty homes at 26,000" -> "number of empty homes"."""
    lo = max(sentence[0], start - _VALUED_REACH)
    if text.rfind(" at", lo, start) < 0:
        return None  # the common case: no "at" before the figure
    found = rules.memo(_valued_pattern).search(text, lo, start)
    return " ".join(found["np"].split()) if found is not None else None


def _valued_unit(phrase: str, rules: RuleSet) -> str | None:
    """The counted noun of a valued phrase: "number of empty homes" -> home."""
    words = phrase.split()
    if "of" in words[:-1]:
        words = words[words.index("of") + 1:]
    cut = next((i for i, w in enumerate(words) if i and w.lower() in rules.word_classes[
        "prepositions"]), len(words))
    head = words[cut - 1]
    if head.lower() in rules.count_nouns:
        return rules.count_nouns[head.lower()]
    return singular(head, rules) if head.islower() and _plural(head) else None


_VALUED_REACH = 120  # characters back from a figure where "put ... at" is read


def _valued_pattern(rules: RuleSet) -> regex.Pattern[str]:
    verbs = alt(rules.word_list("valuing_verbs"))
    return regex.compile(
        rf"\b{verbs}\s++(?:(?:the|its|their|his|her|our|this|that)\s++)"
        rf"(?P<np>[^\d,;:.()“”\"]{{1,80}}?)\s++at\s++$", regex.I)  # (a hedge is the figure's)


def _acts_on_people(text: str, start: int, lo: int, rules: RuleSet) -> bool:
    """Whether the verb right before a bare count is one whose object is people
    ('killed', 'injured', 'evacuated', 'arrested'; grammar [people_verbs])."""
    # (a figure's hedge is part of it: "killed |at least 12")
    words = _LAST_WORD.findall(text, max(lo, start - 40), start)
    return bool(words) and words[-1].lower() in rules.word_list("people_verbs")


def _copula_before(text: str, lo: int, hi: int, wc: nouns.WordClasses) -> bool:
    """Whether the word before text[hi] makes the clause's subject the thing measured:
    "the caseload stood at 70", "average waits are around 16 weeks"."""
    words = _LAST_WORD.findall(text, lo, hi)
    return bool(words) and words[-1].lower() in wc.copulas


_LAST_WORD = regex.compile(r"[^\W\d_]++(?=\W*+$)")


# a transcript speaker's label opening a sentence: "Dr Firth: ", "Q12 Ms Okoro: "
_TURN_LABEL = regex.compile(
    r"(?:Q\d++\.?[ \t]++)?(?:[A-Z][\w.'’-]*+[ \t]++){0,4}[A-Z][\w.'’-]*+:[ \t]++")


# an address or a conjunction opening a sentence: "Minister, ...", "Mr Ellery, ...", "And ..."
_ADDRESS = regex.compile(r"(?:[A-Z][\w.'’-]*+[ \t]++){0,2}[A-Z][\w.'’-]*+,[ \t]++"
                         r"|(?:And|But|So|Yet|Or)[ \t]++")


def _question_before(text: str, sentence_start: int) -> int | None:
    """Where the question ending the paragraph before ends (past its mark), when the
    sentence at `sentence_start` opens a turn under it; else None."""
    line = text.rfind("\n", 0, sentence_start) + 1
    label = text[line:sentence_start].rstrip()  # the speaker's label, if any
    if line < 2 or (label and (len(label) > 120 or not label.endswith(":"))):
        return None
    asked = text[max(0, line - 400):line].rstrip()
    if not asked.endswith("?"):
        return None
    return line - (len(text[max(0, line - 400):line]) - len(asked)) + 1


def _antecedent(text: str, sentence_start: int, rules: RuleSet) -> str | None:
    """The subject of the sentence before: the first noun phrase of its opening words; at
    the start of an answer, the question's ("Chair: Unemployment is 5.2 per cent, is it
    not?" - "Minister: It is 4.8 per cent")."""
    before = text[max(0, sentence_start - 3):sentence_start]
    if not before.rstrip(" \t") or before.rstrip(" \t")[-1] not in ".!":
        asked = _question_before(text, sentence_start)
        if asked is None:
            return None  # a new paragraph or turn, a heading: nothing to refer back to
        sentence_start = asked
    start, end = sentence_bounds(text, sentence_start - 2, sentence_start - 2)
    if end - start > 2 * nouns.WINDOW_BEFORE or text.count(" ", start, end) < 3:
        return None  # "Mr. Chairman.": a title's full stop, no sentence
    label = _TURN_LABEL.match(text, start, end)
    if label is not None:
        start = label.end()  # "Dr Firth: Our estimate is ...": the estimate, not Dr Firth
    address = _ADDRESS.match(text, start, end)
    if address is not None:
        start = address.end()  # "Minister, unemployment is ...": not the minister
    c = nouns.read_clause(text, start, start, (start, end), rules)
    if c.tag(c.last + 1) != "D" and c.tag(c.last + 1) != "N":
        return None
    if c.low(c.last + 1) in c.wc.pronouns:
        return None  # "That is correct." names nothing
    return nouns.phrase(c, nouns.np_starting(c, c.last + 1))


def _people_measure(c: nouns.Clause, rules: RuleSet) -> str | None:
    """'Employment rose by 41,000 ..., to 2.4 million': the statistic of people a count
    with no noun of its own belongs to (it counts persons), or None."""
    event = nouns.event_verb(c)
    for subject in (nouns.governor(c), _verb_subject(c),
                    nouns.clause_subject(c, event) if event is not None else None):
        if subject is None:
            continue
        words = subject.lower().split()
        if " ".join(words[-2:]) in rules.people_measures or words[-1] in rules.people_measures:
            return subject
    return None


def _measure_subject(c: nouns.Clause, word: str, at: int) -> str | None:
    """'a magnitude 7.8 earthquake': the scale and the thing measured on it."""
    thing = None
    if at == c.last + 1:  # "7.8 magnitude earthquake", "7.5 magnitudes"
        thing = nouns.phrase(c, nouns.np_starting(c, at + 1))
    thing = thing or nouns.noun_right_after(c) or nouns.governor(c) or _before(c, 0)
    if thing is not None and word.lower() in thing.lower().split():
        return thing
    return _join(word.lower(), thing)


def _may_name(text: str, sentence: tuple[int, int], start: int, rules: RuleSet) -> bool:
    """Whether subject_before and subject_after can find a word in the sentence: not when
    it holds no content word (asked once per sentence: its figures share the answer), and
    no word runs into the figure (which subject_before would read cut short)."""
    if start > sentence[0] and _WORD_CHARACTER.match(text, start - 1) is not None:
        return True
    return _holds_content_word(text, sentence[0], sentence[1], rules.stopwords, rules.verbs,
                               rules.word_classes["not_adverbs"])


_WORD_CHARACTER = regex.compile(r"\w")


@functools.lru_cache(maxsize=64)
def _holds_content_word(text: str, start: int, end: int, stopwords: frozenset[str],
                        verbs: frozenset[str], not_adverbs: frozenset[str]) -> bool:
    # Read in pieces cut at a space after each multiple of _PIECE: no word runs over a
    # space, so the pieces hold the window's words, and the pieces within it are those of
    # every window over them. Where there is no sentence, each figure's window is cut from
    # a grid (structure._window_start): neighbours' windows differ at their ends only, and
    # each window costs a piece or two, not all its words.
    lo = start
    while lo < end:
        cut = text.find(" ", (lo // _PIECE + 1) * _PIECE, end)
        hi = end if cut < 0 else cut
        if _piece_holds_content_word(text, lo, hi, stopwords, verbs, not_adverbs):
            return True
        lo = hi
    return False


_PIECE = 64  # characters: the grid of structure._window_start


@functools.lru_cache(maxsize=256)
def _piece_holds_content_word(text: str, start: int, end: int, stopwords: frozenset[str],
                              verbs: frozenset[str], not_adverbs: frozenset[str]) -> bool:
    # each distinct word once: a window of figures and function words ("5 per cent of
    # 5 per cent of ...", where no figure finds a subject) repeats a few words
    words = set(_CLAUSE_WORD.findall(text, start, end))
    return any(len(w) > 1 and _is_content_word(w, stopwords, verbs, not_adverbs) for w in words)


_CLAUSE_WORD = regex.compile(r"(?<!\w)[^\W\d_](?:\w|['’&-](?=\w))*+")
# read right to left: not possessive (its last letter is its first matched), and whole
_CLAUSE_WORD_BACK = regex.compile(r"(?<!\w)[^\W\d_](?:\w|['’&-](?=\w))*(?!\w)", regex.REVERSE)


def _content_words(text: str, start: int, end: int, rules: RuleSet, n: int, *,
                   backwards: bool = False) -> list[str]:
    """The first (or last) `n` content words of text[start:end], read lazily so that a
    long sentence costs no more than a short one."""
    pattern = _CLAUSE_WORD_BACK if backwards else _CLAUSE_WORD
    words = (w.group() for w in pattern.finditer(text, start, end))
    found = list(itertools.islice((w for w in words if len(w) > 1 and _is_content(w, rules)), n))
    return found[::-1] if backwards else found


def subject_before(text: str, sentence_start: int, pos: int, rules: RuleSet) -> str | None:
    """What a clause is about: its first noun phrase and the words nearest the figure."""
    first = _content_words(text, sentence_start, pos, rules, 3)
    if not first:
        return None
    last = _content_words(text, sentence_start, pos, rules, 3, backwards=True)
    near = [w for w in last if w not in first]
    return " ".join(first + near)


def subject_after(text: str, pos: int, sentence_end: int, rules: RuleSet) -> str | None:
    """For a figure opening its clause ('Last year the Centre revealed ...')."""
    return " ".join(_content_words(text, pos, sentence_end, rules, 5)) or None


def _elliptical(c: nouns.Clause) -> bool:
    """A count whose noun was said before: nothing names it here ("It now holds 915.",
    "412 of them are ...", "310 more than in 2021"), and no subject in its clause does."""
    after, tag = c.low(c.last + 1), c.tag(c.last + 1)
    if tag not in ",|CP" and after not in c.wc.modifiers and after not in c.wc.rate_leads:
        return False
    return nouns.governor(c) is None and _verb_subject(c) is None


_NUMBER_TOKEN = regex.compile(r"\d[\d,.]*+|[^\W\d_]++")


def _elliptical_unit(c: nouns.Clause, text: str, start: int, sentence: tuple[int, int],
                     rules: RuleSet) -> str | None:
    """The counted noun of a count that leaves it unsaid: an earlier figure's in the same
    sentence ("cut from 14 officers to eight", "2,210 arrests, an average of 24 a day"),
    else the previous sentence's when the clause has no subject of its own ("built for 640
    men. It now holds 915."), else the plural subject of the clause ("Shoplifting offences
    rose by 1,204")."""
    same = _unit_said_before(text, sentence[0], start, rules)
    if same is not None:
        return same
    if _elliptical(c):
        reach = start - 2 * nouns.WINDOW_BEFORE  # a break before it would not matter
        found = text.rfind("\n\n", max(0, reach - 2), start)
        paragraph = found + 2  # never across one,
        if found > 0 and text[max(0, found - 3):found].rstrip().endswith("?"):
            # but back to the question an answer takes its noun from ("How many inspectors
            # ...?" - "About 600, Senator.")
            paragraph = text.rfind("\n\n", max(0, reach - 2), found) + 2
            asked = _HOW_MANY.search(text, max(paragraph, reach), found)
            if asked is not None:
                return singular(asked["noun"], rules)
        lo = max(paragraph, sentence[0] - nouns.WINDOW_BEFORE, reach)
        return _unit_said_before(text, lo, sentence[0], rules)
    subject = _verb_subject(c)
    words = subject.split() if subject else []
    # the noun before a complement: "nurses in the NHS fell to 300,000" counts nurses
    cut = next((i for i, w in enumerate(words) if i and w.lower() in c.wc.prepositions),
               len(words))
    while cut > 1 and words[cut - 1].lower().endswith(("ing", "ed")) \
            and words[cut - 1].islower():
        cut -= 1  # "the number of people waiting for treatment fell to 61,240": people
    head = words[cut - 1] if words else ""
    opens = bool(words) and words[0] == head  # "Vacancies were 31,000"
    if head.lower() in rules.count_nouns:
        return rules.count_nouns[head.lower()]  # "the caseload stood at 234" counts cases
    if not _plural(head) or not (head.islower() or (opens and head.istitle())) \
            or head.lower() in rules.containers:
        return None  # "waiting lists reach 412,000" counts no lists
    return singular(head, rules)


# "How many of those inspectors ...?": the noun a bare number answering it counts
_HOW_MANY = regex.compile(
    r"\bhow\s++many\s++(?:(?:of\s++)?+(?:the|those|these|your|our|their)\s++)?+"
    r"(?:[a-z]++\s++)?(?P<noun>[a-z]+s)\b", regex.I)
_YEAR_TOKEN = regex.compile(r"(?:1[5-9]|20)\d\d")


_LOOK_BACK = 300  # characters searched back for the count an elliptical one refers to
_MAX_FIGURES_BACK = 4  # and how many figures


def _unit_said_before(text: str, lo: int, hi: int, rules: RuleSet) -> str | None:
    """The counted noun of the nearest count (or fraction of a group) before `hi` in
    text[lo:hi], read right to left and stopping at the first, so that a sentence dense
    with figures costs no more per figure than a short one."""
    tried = 0
    for m in reversed(list(_NUMBER_TOKEN.finditer(text, max(lo, hi - _LOOK_BACK), hi))):
        word = m.group()
        if (m.end() < len(text) and text[m.end()].isalpha()) or _YEAR_TOKEN.fullmatch(word):
            continue  # "the 1870s", "in 2017": no count
        lower = word.lower()
        if not (word[0].isdigit() or lower in rules.cardinals or lower in rules.fractions):
            continue
        tried += 1
        if tried > _MAX_FIGURES_BACK:
            return None
        phrase = noun_after(text, m.end(), rules, skip_of=True)
        if phrase is not None and phrase.words[0].lower() in rules.scales:  # "two million"
            rest = phrase.words[1:]
            phrase = NounPhrase(rest, phrase.end) if rest else \
                noun_after(text, phrase.end, rules, skip_of=True)
        if phrase is not None and not phrase.words[0][:1].isupper() \
                and phrase.words[-1].lower() not in rules.time_units \
                and phrase.words[-1].lower() not in rules.point_words \
                and phrase.words[-1].lower() not in rules.word_list("past_verbs"):
            # not "12 October", "3 years", "0.3 points", "children under 5 fell"
            return unit_of(phrase, rules)
    return None
