"""Fingerprints of what made a store's contents: the rules that extracted its claims, and
the lexicon and comparison that keyed them. A store records both, so that a change is
noticed: claims keyed otherwise are keyed again, documents read under other rules are
read again on ingest (see docs/store.md)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from .aliases import Lexicon, load_aliases
from .compare import FEATURE_VERSION  # the one import to change when comparison moves
from .errors import InputError

Aliases = Lexicon | str | os.PathLike[str] | None


def _digest(parts: Iterable[bytes]) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()[:16]


def _lexicon_bytes(lexicon: Lexicon) -> bytes:
    entries = sorted(f"{' '.join(words)}={target}" for words, target in lexicon.phrases.items())
    return "\n".join([*entries, "targets:", *sorted(lexicon.targets)]).encode("utf-8")


def key_fingerprint(aliases: Aliases = None) -> str:
    """What keys claims: the comparison's version, the built-in aliases file, and the
    user's lexicon (by content: the same words in another file are the same lexicon)."""
    builtin = resources.files("claimtrack").joinpath("data", "aliases.toml").read_bytes()
    user = b""
    if aliases is not None:
        lexicon = aliases if isinstance(aliases, Lexicon) else load_aliases(Path(aliases))
        user = _lexicon_bytes(lexicon)
    return _digest([FEATURE_VERSION.encode(), builtin, user])


def rules_fingerprint(extra: Iterable[str | os.PathLike[str]] = ()) -> str:
    """What extracts claims: this claimtrack's version, its rule data files and the
    user's rule files (--rules), by content."""
    from ._version import __version__

    data = resources.files("claimtrack").joinpath("data")
    parts = [__version__.encode()]
    for item in sorted(data.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            parts += [item.name.encode(), item.read_bytes()]
    for path in extra:
        try:
            parts.append(Path(path).read_bytes())
        except OSError as exc:
            raise InputError(f"{path}: cannot read rule file ({exc.strerror or exc})") from None
    return _digest(parts)
