"""Front matter: the metadata block a Markdown or text file may open with.

    ---
    source: Harbour Times
    date: 2024-03-05
    ---

Its lines describe the document (who published it, when); they are not claims.
The block stays in the text, so offsets still count from the start of the file;
extraction starts after it.
"""

from __future__ import annotations

import datetime as dt

import attrs
import regex

# "---" on the first line, up to 40 "key: value" lines, "---" (a BOM may come first).
_BLOCK = regex.compile(
    r"\A\ufeff?+---[ \t]*+\r?+\n(?P<body>(?:[ \t]*+[\w-]++[ \t]*+:[^\n]*+\n|[ \t]*+\r?+\n){0,40}+)"
    r"---[ \t]*+(?:\r?+\n|\Z)")
_ENTRY = regex.compile(r"^[ \t]*+(?P<key>[\w-]++)[ \t]*+:[ \t]*+(?P<value>[^\n]*?)[ \t\r]*+$",
                       regex.M)
#: the keys read; others (title, tags, ...) are left alone
SOURCE_KEYS = ("source", "publisher", "publication")
DATE_KEYS = ("date", "published")


@attrs.frozen
class FrontMatter:
    """What a front-matter block says: where it ends, the source and the date."""

    end: int = 0
    source: str | None = None
    date: dt.date | None = None
    problem: str | None = None  # a date that is not YYYY-MM-DD


def read_front_matter(text: str) -> FrontMatter:
    """The front matter opening `text`, or an empty FrontMatter (end 0)."""
    if not text.startswith(("---", "\ufeff---")):
        return FrontMatter()
    block = _BLOCK.match(text)
    if block is None:
        return FrontMatter()
    source = date = problem = None
    for entry in _ENTRY.finditer(block["body"]):
        key, value = entry["key"].lower(), entry["value"].strip().strip("\"'")
        if key in SOURCE_KEYS and value and source is None:
            source = value
        elif key in DATE_KEYS and value and date is None:
            try:
                date = dt.date.fromisoformat(value[:10])
            except ValueError:
                problem = f"front matter: date must be YYYY-MM-DD, got {value[:40]!r}"
    return FrontMatter(block.end(), source, date, problem)
