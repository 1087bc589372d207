"""The readable text of an HTML page, with the standard library's parser.

Scripts, styles and the like are dropped; block elements become line breaks;
entities are decoded; runs of HTML white space in running text become one
space (inside `<pre>` they are kept). Claims found in the result have offsets
into this text, not into the markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Elements whose content is not text a reader sees.
SKIPPED = frozenset({"script", "style", "template", "noscript", "svg", "math", "title",
                     "object", "iframe", "select"})
#: Elements that stand on lines of their own (a paragraph break before and after).
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol",
    "p", "pre", "section", "summary", "table", "ul",
})
#: A table's rows and row groups: a line each, so that a table reads as rows of cells under
#: a header line (claimtrack/tables.py), not as paragraphs.
ROWS = frozenset({"tr", "thead", "tbody", "tfoot"})
#: Elements that end a line without starting a paragraph.
LINE_BREAKS = frozenset({"br"})
#: Table cells: kept apart by a tab on their row.
CELLS = frozenset({"td", "th"})
# Elements without an end tag: they never open a skipped region.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})

# HTML white space only: a no-break space (&nbsp;) between "12" and "345" stays.
_SPACE = re.compile(r"[ \t\n\r\f]+")
# A "<" that does not open a complete tag before the next "<" (stray, or
# unclosed). html.parser rescans such a tag to the end of the input at every
# one of them, which is quadratic; escaped, they are plain text.
_STRAY_LT = re.compile(r"<(?![^<>]*+>)")
# A comment, closed or not: its "<" characters are not stray.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_PARAGRAPH, _LINE = "\n\n", "\n"


class _TextParser(HTMLParser):
    """Collects the text of one page; line breaks are held back until text follows them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0
        self._pre = 0
        self._pending = ""  # the break (or cell tab) owed before the next text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skip = 0  # an unclosed <title> or <svg> in the head stops here
        if tag in SKIPPED and tag not in _VOID:
            self._skip += 1
        elif tag == "pre":
            self._pre += 1
        self._break(tag, start=True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break(tag, start=True)  # <br/>, <img/>, <p/>: no content, never skipped

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self._skip:
            self._skip -= 1
        elif tag == "pre" and self._pre:
            self._pre -= 1
        self._break(tag, start=False)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if not self._pre:
            data = _SPACE.sub(" ", data)
            if self._pending or not self.pieces or self.pieces[-1].endswith((" ", "\n", "\t")):
                data = data.lstrip(" ")
            if not data:
                return
        if self._pending:
            if self.pieces:
                self.pieces[-1] = self.pieces[-1].rstrip(" ")
                self.pieces.append(self._pending)
            self._pending = ""
        self.pieces.append(data)

    def _break(self, tag: str, *, start: bool) -> None:
        if self._skip:
            return
        if tag in BLOCKS:
            self._pending = _PARAGRAPH
        elif tag in ROWS:
            self._pending = self._pending if self._pending == _PARAGRAPH else _LINE
        elif tag in LINE_BREAKS and start:
            self._pending = self._pending or _LINE
        elif tag in CELLS and start:
            self._pending = self._pending or "\t"

    def text(self) -> str:
        return "".join(self.pieces).rstrip(" ")


def _escape_stray(markup: str) -> str:
    """Stray "<" as "&lt;", outside comments (see _STRAY_LT); an unclosed comment dropped."""
    out = []
    last = 0
    for comment in _COMMENT.finditer(markup):
        out.append(_STRAY_LT.sub("&lt;", markup[last:comment.start()]))
        if comment.group().endswith("-->"):
            out.append(comment.group())  # an unclosed one is dropped, as browsers do
        last = comment.end()
    out.append(_STRAY_LT.sub("&lt;", markup[last:]))
    return "".join(out)


def html_to_text(markup: str) -> str:
    """The text a reader of the page sees, one paragraph per block element."""
    parser = _TextParser()
    parser.feed(_escape_stray(markup))
    parser.close()
    return parser.text()
