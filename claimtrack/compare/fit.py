"""Fit the weights of data/linking.toml from labelled pairs of claims.

    python -m claimtrack.compare.fit --collection DOCS PAIRS.json [--collection ...]
        [--write]

A collection is documents (a file, a .jsonl or a directory) and a JSON list of pairs
in the format of the shared gold (`a`, `b` with doc, start, end; `relation` repeat,
conflict, not_conflict or none). For each comparison level, m is how often it holds
between the two claims of a pair of one measure (repeat, conflict) and u how often
between the candidate pairs that are not (every other candidate the blocking finds,
as Splink estimates u from random pairs, plus the `none` and `not_conflict` pairs);
both are smoothed (add one). The weight is log2(m / u). The prior is the log2 odds
of a match among candidates. The bars: repeat, the least score above every labelled
non-match with the same figure; conflict, the least above every labelled pair that
must not be a conflict, so that the defaults give no false links on these pairs.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model import Claim
from .figures import disagree, same_figure
from .findings import collection_lexicon, read_profiles
from .link import Idf, Profile, document_frequencies, score

_SMOOTH = 1.0
#: The least bar of any kind; a conflict's bar is at least MARGIN above the repeat bar.
FLOOR = 0.5
MARGIN = 0.1
#: How many labelled pairs the design's weights count for, as a prior on m.
PRIOR_PAIRS = 8.0
_CLIP = 8.0
_MATCH = ("repeat", "conflict", "update")


def _covers(claim: Claim, side: dict[str, Any]) -> bool:
    if Path(claim.doc).stem != Path(side["doc"]).stem and claim.doc != side["doc"]:
        return False
    start, end = int(side["start"]), int(side.get("end", side["start"] + 1))
    return (claim.start < end and start < claim.end) or abs(claim.start - start) <= 3


def _profile_of(profiles: Sequence[Profile], side: dict[str, Any]) -> Profile | None:
    for profile in profiles:
        if any(_covers(c, side) for c in profile.claims):
            return profile
    return None


def _read(paths: Sequence[str]) -> tuple[list[Claim], dict[str, str]]:
    from ..batch import Tally, extract_documents

    claims: list[Claim] = []
    texts: dict[str, str] = {}
    for document, found in extract_documents(list(paths), Tally("fit")):
        texts[document.id] = document.text
        claims.extend(found)
    return claims, texts


def labelled(collections: Sequence[tuple[str, str]]) -> list[tuple[str, tuple[Any, ...]]]:
    """(relation, comparisons-with-figures) for every labelled pair and every other
    candidate ("other") of every collection."""
    out: list[tuple[str, tuple[Any, ...]]] = []
    for docs, pairs_path in collections:
        claims, texts = _read([docs])
        profiles = read_profiles(claims, collection_lexicon(claims, None, texts))
        counts = document_frequencies(profiles)
        idf = Idf(counts, sum(len(p.claims) for p in profiles))
        labels: dict[tuple[int, int], str] = {}
        for pair in json.loads(Path(pairs_path).read_text(encoding="utf-8")):
            a, b = _profile_of(profiles, pair["a"]), _profile_of(profiles, pair["b"])
            if a is None or b is None or a.index == b.index:
                continue
            labels[(min(a.index, b.index), max(a.index, b.index))] = pair["relation"]
        pairs = set(labels) | _random_pairs(profiles)
        for i, j in sorted(pairs):
            left, right = profiles[i].reading, profiles[j].reading
            value, weighted = score(left, right, idf)
            out.append((labels.get((i, j), "other"), (weighted, left, right, value)))
    return out


def _random_pairs(profiles: Sequence[Profile], limit: int = 50_000) -> set[tuple[int, int]]:
    """Pairs of one family from different documents: all of them, or a fixed sample."""
    import random

    by_family: dict[object, list[int]] = defaultdict(list)
    for profile in profiles:
        by_family[profile.reading.family].append(profile.index)
    every = [(i, j) for members in by_family.values() for x, i in enumerate(members)
             for j in members[x + 1:] if profiles[i].docs != profiles[j].docs]
    if len(every) > limit:
        every = random.Random(1).sample(every, limit)
    return set(every)


def fit(rows: list[tuple[str, tuple[Any, ...]]]) -> dict[str, Any]:
    levels: dict[str, set[str]] = defaultdict(set)
    m: dict[str, Counter[str]] = defaultdict(Counter)
    u: dict[str, Counter[str]] = defaultdict(Counter)
    matches = others = 0
    for relation, (weighted, *_rest) in rows:
        is_match = relation in _MATCH
        matches += is_match
        others += not is_match
        for comparison, _ in weighted:
            levels[comparison.name].add(comparison.level)
            (m if is_match else u)[comparison.name][comparison.level] += 1
    from ..rules import read_data_file

    known = {name: {k: float(v) for k, v in table.items()}
             for name, table in read_data_file("linking.toml").get("design", {}).items()}
    table: dict[str, dict[str, float]] = {}
    for name in sorted(set(known) | set(levels)):
        names = sorted(set(known.get(name, {})) | levels[name])
        table[name] = {}
        pu = {lv: (u[name][lv] + _SMOOTH) / (others + _SMOOTH * len(names)) for lv in names}
        # the design's weights as a prior on m: PRIOR_PAIRS pseudo-pairs of one measure
        raw = {lv: pu[lv] * 2.0 ** known.get(name, {}).get(lv, 0.0) for lv in names}
        m0 = {lv: v / sum(raw.values()) for lv, v in raw.items()}
        for level in names:
            pm = (m[name][level] + PRIOR_PAIRS * m0[level]) / (matches + PRIOR_PAIRS)
            table[name][level] = round(max(-_CLIP, min(_CLIP, math.log2(pm / pu[level]))), 2)
    prior = round(math.log2(max(matches, 1) / max(others, 1)), 2)  # odds among random pairs
    return {"weights": table, "prior": prior, "matches": matches, "others": others}


def _bars(rows: list[tuple[str, tuple[Any, ...]]],
          fitted: dict[str, Any]) -> tuple[float, float, float]:
    """Scores under the fitted weights; the bars that keep labelled non-matches out.
    A conflict needs at least the repeat bar of figures that can conflict (dates of
    different events are kept apart by their predicate, not by the bar)."""
    repeat_bar, conflict_bar, numbers_bar = FLOOR, FLOOR, FLOOR
    for relation, (weighted, a, b, _) in rows:
        total = fitted["prior"] + sum(fitted["weights"][c.name][c.level] for c, _ in weighted)
        value = 1.0 / (1.0 + 2.0 ** -total)
        measured = 1.0 / (1.0 + 2.0 ** -(total - sum(fitted["weights"][c.name][c.level]
                                                      for c, _ in weighted
                                                      if c.name == "figure")))
        if relation in ("none", "not_conflict") and disagree(a.figure, b.figure) and \
                measured + 0.01 > conflict_bar:
            value = measured
            conflict_bar = min(0.99, value + 0.01)
            print(f"# conflict bar {conflict_bar:.2f}: {relation} {a.features.near} / "
                  f"{b.features.near}")
        bar = repeat_bar if a.family[0] == "date" else numbers_bar
        if relation == "none" and same_figure(a.figure, b.figure) and value + 0.01 > bar:
            print(f"# repeat bar {value + 0.01:.2f} ({a.family[0]}): {a.features.near} / "
                  f"{b.features.near}")
            if a.family[0] == "date":
                repeat_bar = min(0.99, value + 0.01)
            else:
                numbers_bar = min(0.99, value + 0.01)
    return (round(numbers_bar, 2), round(max(repeat_bar, numbers_bar), 2),
            round(max(conflict_bar, numbers_bar + MARGIN), 2))


def render(fitted: dict[str, Any], bars: tuple[float, float, float]) -> str:
    repeat_bar, date_bar, conflict_bar = bars
    lines = [f"# Fitted by `python -m claimtrack.compare.fit` on {fitted['matches']} pairs of "
             f"one measure and {fitted['others']} others (see docs/findings.md)."]
    for name, table in fitted["weights"].items():
        lines.append(f"[weights.{name}]")
        lines.extend(f"{level} = {value}" for level, value in table.items())
        lines.append("")
    lines += ["[thresholds]", f"prior = {fitted['prior']}", f"repeat = {repeat_bar}",
              f"date_repeat = {date_bar}", f"conflict = {conflict_bar}", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collection", nargs=2, action="append", required=True,
                        metavar=("DOCS", "PAIRS"))
    parser.add_argument("--write", action="store_true", help="write data/linking.toml")
    args = parser.parse_args(argv)
    rows = labelled([tuple(c) for c in args.collection])
    fitted = fit(rows)
    text = render(fitted, _bars(rows, fitted))
    print(text)
    if args.write:
        path = Path(__file__).resolve().parent.parent / "data" / "linking.toml"
        data = path.read_text(encoding="utf-8")
        head = re.split(r"^# Fitted by", data, maxsplit=1, flags=re.M)[0]
        path.write_text(head + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
