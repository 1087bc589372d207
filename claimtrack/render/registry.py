"""The registry of output formats: each names the renderer of every view it supports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class Options:
    """How to render: `width` is the number of columns a table or line may take (None:
    everything, untrimmed, as --wide asks)."""

    width: int | None = None


Renderer = Callable[[Any, Options], str]


@attrs.frozen(kw_only=True)
class Format:
    """An output format: its name (the value of --format), a line of help, and a renderer
    for each type of view it can show."""

    name: str
    help: str
    renderers: Mapping[type, Renderer]


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    """Add a format (or replace the one of that name): commands offer it at once for
    every view it renders."""
    _FORMATS[fmt.name] = fmt


def _formats() -> dict[str, Format]:
    if not _FORMATS:  # the built-in formats register themselves on import
        from . import formats  # noqa: F401
    return _FORMATS


def formats_for(view: type) -> dict[str, Format]:
    """The formats that can render views of this type, in registration order."""
    return {name: f for name, f in _formats().items() if view in f.renderers}


def render(view: Any, fmt: str, options: Options | None = None) -> str:
    """The view as text in format `fmt` (one of formats_for(type(view)))."""
    found = _formats().get(fmt)
    if found is None or type(view) not in found.renderers:
        raise ValueError(f"format {fmt!r} cannot render {type(view).__name__}")
    return found.renderers[type(view)](view, options or Options())
