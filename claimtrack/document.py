"""Reading documents from disk: formats, size limits, identity.

`read_documents(path)` yields every document of a file (one for text, Markdown
and HTML, one per record for JSON Lines) as a `Source` with the warnings its
reading raised, or an `InputError` for what could not be read, so one bad
record or file does not stop a run. Decoding is decoding.py's job; the rules
are in docs/robustness.md.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
import sys
import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, Any

import attrs

from .decoding import SAMPLE_BYTES, clean, decode, is_binary
from .errors import InputError, InputWarning
from .frontmatter import FrontMatter, read_front_matter
from .htmltext import html_to_text
from .model import Document

#: The default largest document read (bytes); see docs/robustness.md#limits.
MAX_BYTES = 50 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
#: The files a directory is walked for (in any case).
TEXT_SUFFIXES = (".txt", ".md", *HTML_SUFFIXES, *JSONL_SUFFIXES)
#: The path that names standard input.
STDIN = "-"
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?![\d])")


@attrs.frozen(kw_only=True)
class Source:
    """A document read from a file, and the warnings (one line each) its reading raised."""

    document: Document
    warnings: tuple[str, ...] = ()


def text_files(name: str) -> list[Path]:
    """The file `name`, or the text files under the directory `name` in sorted order.

    A directory is walked recursively for TEXT_SUFFIXES, skipping hidden files
    and directories (".git"); a file named directly is read whatever its name.
    """
    if name == STDIN:
        return [Path(STDIN)]
    path = Path(name)
    if path.is_dir():
        found = sorted(_walk(path))
        if not found:
            listed = ", ".join(TEXT_SUFFIXES)
            raise InputError(f"{name}: no text files ({listed}) in this directory")
        return found
    if not path.exists():
        if path.is_symlink():
            raise _os_error(_link_error(path), name)
        raise InputError(f"{name}: no such file or directory")
    return [path]


def _link_error(path: Path) -> OSError:
    try:
        os.stat(path)
    except OSError as exc:
        return exc
    return FileNotFoundError(errno.ENOENT, "No such file or directory")  # pragma: no cover


def regular_file(name: str | os.PathLike[str], what: str = "file") -> Path:
    """The path of a regular file given by the user; InputError (one line) for anything
    else: no such file, a directory, a named pipe (which would block the read until
    someone writes to it), a device, a socket, a broken link or a link loop.
    Nothing is opened (stat does not block)."""
    path = Path(name)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        problem = _os_error(exc, display_name(path))
        if what == "file" or exc.errno == errno.ELOOP:
            raise problem from None
        reason = str(problem).removeprefix(f"{display_name(path)}: ")
        raise InputError(f"{display_name(path)}: cannot read {what} ({reason})") from None
    if stat.S_ISREG(mode):
        return path
    raise InputError(f"{display_name(path)}: {_file_type(mode)}, not a regular file")


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _walk(top: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file in files:
            # only regular files: a named pipe in a folder would block its reader
            if not file.startswith(".") and file.lower().endswith(TEXT_SUFFIXES) \
                    and (Path(root) / file).is_file():
                yield Path(root) / file


def display_name(path: Path) -> str:
    """The path as text that can be printed: undecodable bytes of a file name become U+FFFD."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def format_of(path: Path) -> str:
    """"html", "jsonl" or "text", from the file's suffix."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def read_documents(path: Path, *, max_bytes: int = MAX_BYTES) -> Iterator[Source | InputError]:
    """Every document in a file, or an InputError in place of what cannot be read.

    Never raises InputError itself: a file that cannot be opened yields one.
    `Path("-")` reads standard input as text.
    """
    name = display_name(path)
    try:
        with _open(path) as stream:
            if format_of(path) == "jsonl":
                yield from _jsonl_documents(stream, name, max_bytes)
            else:
                data = _read_bounded(stream, name, max_bytes)
                yield document_from_bytes(data, name, html=format_of(path) == "html")
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield _os_error(exc, name)


def load_document(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """The one Document in a file; InputError (one line) for anything unreadable.

    Decoding warnings are issued as InputWarning (the `warnings` module); a JSON
    Lines file of more than one record is refused (use read_documents).
    """
    found = []
    for item in read_documents(path, max_bytes=max_bytes):
        if isinstance(item, InputError):
            raise item
        found.append(item)
    if len(found) != 1:
        raise InputError(f"{path}: holds {len(found)} documents, not one (use read_documents)")
    for message in found[0].warnings:
        warnings.warn(message, InputWarning, stacklevel=2)
    return found[0].document


def document_from_bytes(data: bytes, name: str, *, html: bool = False) -> Source:
    """A file's bytes as a Document (InputError if they are not text).

    Front matter opening a text or Markdown file gives the document's source and date
    (see frontmatter.py).
    """
    decoded = decode(data, name)
    text = clean(html_to_text(decoded.text)) if html else decoded.text
    meta = FrontMatter() if html else read_front_matter(text)
    if meta.problem is not None:
        raise InputError(f"{name}: {meta.problem}")
    document = Document(text=text, id=name, path=name, source=meta.source, date=meta.date)
    return Source(document=document, warnings=decoded.warnings)


def _open(path: Path) -> AbstractContextManager[IO[bytes]]:
    if str(path) == STDIN:
        return nullcontext(sys.stdin.buffer)  # read, but left open
    return path.open("rb")


def _os_error(exc: OSError, name: str) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(f"{name}: a symbolic link loop")
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(exc.filename or name):
            return InputError(f"{name}: a broken symbolic link")
        return InputError(f"{name}: no such file")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: permission denied")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{name}: is a directory")
    return InputError(f"{name}: cannot read ({exc.strerror or exc})")


def _too_big(name: str, size: int | None, max_bytes: int) -> InputError:
    found = f"{size:,} bytes" if size is not None else "more bytes"
    return InputError(f"{name}: {found} is over the limit of {max_bytes:,} (--max-bytes)")


def _read_bounded(stream: IO[bytes], name: str, max_bytes: int) -> bytes:
    """At most max_bytes of a stream; a binary start is refused before the rest is read."""
    size = _size(stream)
    if size is not None and size > max_bytes:
        raise _too_big(name, size, max_bytes)
    head = stream.read(min(SAMPLE_BYTES, max_bytes + 1))
    if is_binary(head):
        raise InputError(f"{name}: not a text file")
    data = head + stream.read(max_bytes + 1 - len(head))
    if len(data) > max_bytes:
        raise _too_big(name, None, max_bytes)
    return data


def _size(stream: IO[bytes]) -> int | None:
    """The size of a regular file (None for pipes and devices)."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _jsonl_documents(stream: IO[bytes], name: str,
                     max_bytes: int) -> Iterator[Source | InputError]:
    """One Document per record of a JSON Lines file; blank lines are skipped."""
    seen: dict[str, int] = {}  # record id -> the line that used it first
    for number, line in enumerate(_lines(stream, max_bytes), 1):
        where = f"{name}:{number}"
        if isinstance(line, InputError):
            yield InputError(f"{where}: {line}")
        elif number == 1 and is_binary(line):
            yield InputError(f"{name}: not a text file")
            return
        elif line.strip():
            try:
                source = _record_document(line, where, name)
            except InputError as exc:
                yield exc
                continue
            except Exception as exc:  # one record's bug loses that record only
                yield InputError(f"{where}: internal error: {type(exc).__name__}: {exc}")
                continue
            yield _distinct_id(source, seen, number, where)


def _distinct_id(source: Source, seen: dict[str, int], number: int, where: str) -> Source:
    """A record whose id an earlier record of the file has is named FILE:LINE instead
    (with a warning), so that neither replaces the other in a comparison or a store."""
    document = source.document
    first = seen.setdefault(document.id, number)
    if first == number:
        return source
    seen.setdefault(where, number)
    message = (f"{where}: id {json.dumps(document.id)[:60]} is also the id of line {first}; "
               f"this record is named {where}")
    return Source(document=attrs.evolve(document, id=where),
                  warnings=(*source.warnings, message))


def _lines(stream: IO[bytes], max_bytes: int) -> Iterator[bytes | InputError]:
    """The lines of a stream, each at most max_bytes; a longer one becomes an error."""
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of it
                line = stream.readline(1 << 20)
            yield InputError(f"record over the limit of {max_bytes:,} bytes (--max-bytes)")
        else:
            yield line


def _record_document(line: bytes, where: str, name: str) -> Source:
    decoded = decode(line, where)
    record = _parse_record(decoded.text, where)
    text = record.get("text")
    if not isinstance(text, str):
        problem = "missing" if text is None else "not a string"
        raise InputError(f'{where}: "text" is {problem}')
    record_id = record.get("id")
    if record_id is not None and (not isinstance(record_id, (str, int)) or
                                  isinstance(record_id, bool)):
        raise InputError(f'{where}: "id" must be a string or a whole number')
    source = record.get("source")
    if source is not None and not isinstance(source, str):
        raise InputError(f'{where}: "source" must be a string')
    for field, value in (("text", text), ("id", record_id), ("source", source)):
        lone = _SURROGATE.search(value) if isinstance(value, str) else None
        if lone is not None:
            escape = lone.group().encode("unicode_escape").decode()
            raise InputError(f'{where}: "{field}" holds an unpaired surrogate escape '
                             f"({escape}), which is no character")
    document = Document(text=clean(text), id=where if record_id is None else str(record_id),
                        date=_record_date(record.get("date"), where), path=name,
                        source=source)
    return Source(document=document, warnings=decoded.warnings)


def _parse_record(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        problem = exc.msg.removesuffix(" at")  # "Invalid control character at"
        raise InputError(f"{where}: not valid JSON at column {exc.colno}: {problem}") from None
    except RecursionError:
        raise InputError(f"{where}: not valid JSON (nested too deeply)") from None
    except ValueError:  # Python reads no integer of more than sys.get_int_max_str_digits()
        raise InputError(f"{where}: a number of more than {sys.get_int_max_str_digits():,} "
                         "digits") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: a record must be a JSON object, got {type(record).__name__}")
    return record


def _record_date(value: object, where: str) -> dt.date | None:
    """A record's "date": YYYY-MM-DD, or the date part of an ISO 8601 timestamp."""
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise InputError(f'{where}: "date" must be YYYY-MM-DD, got {json.dumps(value)[:40]}')
