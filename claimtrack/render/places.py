"""Where a claim is: the file its document came from, and its line and column."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from ..model import Claim, Document


@attrs.frozen(kw_only=True)
class Place:
    """The file a document was read from; `positional` when the document's text is the
    file's (plain text and Markdown), so that its lines and columns are the file's, not
    those of an HTML page's text or of one JSON Lines record."""

    file: str
    positional: bool = True


def places_of(documents: Iterable[Document]) -> dict[str, Place]:
    """The place of each document, by its id."""
    from ..document import format_of

    out = {}
    for document in documents:
        file = document.path or document.id
        positional = format_of(Path(file)) == "text" and document.id == file
        out[document.id] = Place(file=file, positional=positional)
    return out


def file_position(claim: Claim, places: Mapping[str, Place]) -> tuple[str, int, int] | None:
    """File, line and column of a claim when they are the file's own, else None."""
    place = places.get(claim.doc)
    if place is None or not place.positional or claim.line is None or claim.column is None:
        return None
    return place.file, claim.line, claim.column


def end_position(claim: Claim) -> tuple[int, int]:
    """Line and column just after the claim's last character (its text may span lines)."""
    line, column = claim.line or 1, claim.column or 1
    breaks = claim.text.count("\n")
    if not breaks:
        return line, column + len(claim.text)
    return line + breaks, len(claim.text) - claim.text.rfind("\n")


def location(claim: Claim, places: Mapping[str, Place]) -> str:
    """`file:line:column` of a claim; the document id joins the file when they differ
    (a JSON Lines record), lines of a text that is not the file's (an HTML page, a
    record) are said to be the text's, and `doc@offset` stands in when the line is not
    known (a claim stored by an older claimtrack)."""
    place = places.get(claim.doc)
    name = claim.doc
    if place is not None and place.file != claim.doc:
        name = f"{place.file} ({claim.doc})"
    if claim.line is None:
        return f"{name}@{claim.start}"
    if place is not None and not place.positional:
        return f"{name}, text {claim.line}:{claim.column}"
    return f"{name}:{claim.line}:{claim.column}"
