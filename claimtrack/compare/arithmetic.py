"""Arithmetic within one sentence: a part and its stated share, a change with both ends
and the stated change, a total and its parts (`inconsistent` findings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

import attrs
import regex

from ..aliases import normal_words
from ..model import Claim, Finding
from ..rules import RuleSet
from .figures import _EPS, figure, number_text, position
from .words import patterns

_RATIO_TO_PERCENT = regex.compile(r"^[^\d.;]{0,40}+$")


@attrs.frozen
class _Placed:
    claim: Claim
    at: int  # offset in the sentence

    @property
    def end(self) -> int:
        return self.at + self.claim.end - self.claim.start


def check_arithmetic(claims: Iterable[Claim]) -> Iterator[Finding]:
    """Within each sentence: part/whole vs stated percentage, a change with both ends vs
    the stated change, a total vs its parts."""
    sentences: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.sentence:
            sentences[(claim.doc, claim.sentence)].append(claim)
    for (_, sentence), group in sentences.items():
        if len(group) < 2:
            continue
        placed = _place(sentence, group)
        yield from _check_ratios(sentence, placed)
        yield from _check_changes(sentence, placed)
        yield from _check_totals(sentence, placed)


def _place(sentence: str, group: list[Claim]) -> list[_Placed]:
    """The claims with their offsets in the sentence (from the first claim's place)."""
    group = sorted(group, key=lambda c: c.start)
    origin = group[0].start - position(group[0])
    return [_Placed(c, c.start - origin) for c in group]


def _number(claim: Claim) -> float | None:
    value = claim.quantity.value
    return float(value) if isinstance(value, (int, float)) else None


def _stated(claim: Claim) -> tuple[float, float] | None:
    fig = figure(claim)
    return fig.admits if fig is not None else None


def _inconsistent(claims: Sequence[Claim], explanation: str, off: float) -> Finding:
    ordered = tuple(sorted(claims, key=lambda c: c.start))
    stop = RuleSet.default().stopwords
    words = [w for w in normal_words(ordered[0].subject or "") if w not in stop][-2:]
    subject = " ".join(words) or "figures"
    return Finding(kind="inconsistent", claims=ordered, key=f"{subject}|arithmetic",
                   explanation=explanation, severity="high" if off >= 0.2 else "medium",
                   score=1.0, evidence=("arithmetic within one sentence",))


def _check_ratios(sentence: str, placed: list[_Placed]) -> Iterator[Finding]:
    for i, part in enumerate(placed[:-1]):
        q = part.claim.quantity
        nxt = placed[i + 1]
        if q.kind != "ratio" or not q.denominator or nxt.claim.quantity.kind != "percent":
            continue
        numerator = _number(part.claim)
        admitted, parts = _stated(nxt.claim), _stated(part.claim)
        if numerator is None or admitted is None or parts is None:
            continue
        if not _RATIO_TO_PERCENT.match(sentence[part.end:nxt.at]):
            continue
        share = 100.0 * numerator / float(q.denominator)
        if q.qualifier == "exact":  # a count of things: exactly that many
            parts = (numerator, numerator)
        low, high = (100.0 * end / float(q.denominator) for end in parts)
        if high < admitted[0] - _EPS or low > admitted[1] + _EPS:
            yield _inconsistent(
                (part.claim, nxt.claim),
                f"{part.claim.text} is {number_text(round(share, 1))}%, not {nxt.claim.text}",
                abs(share - (_number(nxt.claim) or share)) / max(share, 1e-9))


def _check_changes(sentence: str, placed: list[_Placed]) -> Iterator[Finding]:
    for a, b, c in zip(placed, placed[1:], placed[2:], strict=False):
        kinds = (a.claim.quantity.kind, b.claim.quantity.kind, c.claim.quantity.kind)
        before = patterns().change_before.match(sentence[a.end:b.at])
        if kinds[1] == "percent" and kinds[0] == kinds[2] != "percent" and before and \
                patterns().change_after.match(sentence[b.end:c.at]):
            yield from _change(new=a.claim, base=c.claim, change=b.claim, word=before.group("dir"))
        if kinds[2] == "percent" and kinds[0] == kinds[1] != "percent" and \
                patterns().change_to.match(sentence[a.end:b.at]) and \
                sentence[:a.at].rstrip().lower().endswith("from") and \
                patterns().change_lead.match(sentence[b.end:c.at]):
            direction = patterns().direction_after.match(sentence[c.end:])
            if direction:
                yield from _change(new=b.claim, base=a.claim, change=c.claim,
                                   word=direction.group("dir"))


def _change(*, new: Claim, base: Claim, change: Claim, word: str) -> Iterator[Finding]:
    new_fig, base_fig, stated = figure(new), figure(base), _stated(change)
    if new_fig is None or base_fig is None or stated is None or base_fig.stated[0] <= 0:
        return
    if new_fig.shape != "point" or base_fig.shape != "point":
        return
    sign = -1.0 if word.lower() in patterns().fall else 1.0
    ends = [100.0 * (n - b) / b for n in new_fig.stated for b in base_fig.stated]
    low, high = min(ends), max(ends)
    want = (stated[0] * sign, stated[1] * sign)
    want = (min(want), max(want))
    if high < want[0] - _EPS or low > want[1] + _EPS:
        actual = 100.0 * ((_number(new) or 0) - (_number(base) or 1)) / (_number(base) or 1)
        direction = "up" if actual >= 0 else "down"
        yield _inconsistent(
            (new, base, change),
            f"{new.text} on {base.text} is {direction} {number_text(round(abs(actual), 1))}%, "
            f"not {word} {change.text}",
            abs(abs(actual) - (_number(change) or 0)) / max(abs(actual), 1e-9))


def _check_totals(sentence: str, placed: list[_Placed]) -> Iterator[Finding]:
    for i, whole in enumerate(placed[:-2]):
        if not patterns().parts.match(sentence[whole.end:placed[i + 1].at]):
            continue
        kind = whole.claim.quantity.kind
        parts = [p.claim for p in placed[i + 1:]]
        total = _stated(whole.claim)
        if total is None or kind not in ("count", "money"):
            continue
        if all(p.quantity.kind == kind for p in parts):
            bounds = [_stated(p) for p in parts]
            limit, unit = total[1], ""
        elif all(p.quantity.kind == "percent" for p in parts):
            bounds = [_stated(p) for p in parts]
            limit, unit = 100.0 + _EPS, "%"
        else:
            continue
        lows = [b[0] for b in bounds if b is not None]
        if len(lows) < 2 or len(lows) != len(bounds):
            continue
        if sum(lows) > limit + _EPS * max(1.0, limit):
            written = sum(_number(p) or 0 for p in parts)
            of_what = f"the total {whole.claim.text}" if not unit else "100%"
            yield _inconsistent(
                (whole.claim, *parts),
                f"the parts ({', '.join(p.text for p in parts)}) add up to "
                f"{number_text(written)}{unit}, "
                f"more than {of_what}",
                (sum(lows) - limit) / max(limit, 1e-9))
