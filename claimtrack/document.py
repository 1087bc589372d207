"""Reading documents from disk: decoding, size limits, identity."""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import InputError
from .model import Document

#: The default largest document read (bytes); see docs/cli.md (--max-bytes).
MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md")


def decode(data: bytes, name: str) -> str:
    """Text of a file: UTF-8 (BOM or not), UTF-16 with BOM, else cp1252 as a fallback."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_document(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """A Document from a file; InputError (one line) for anything unreadable."""
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(f"{name}: is a directory")
        if size > max_bytes:
            raise InputError(f"{name}: {size} bytes is over the limit of {max_bytes} (--max-bytes)")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{name}: no such file") from exc
    except PermissionError as exc:
        raise InputError(f"{name}: permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{name}: is a directory") from exc
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    text = decode(data, name).replace("\r\n", "\n")
    return Document(text=text, id=name, path=name)
