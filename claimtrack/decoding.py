"""Bytes to text: encodings, binary files, line ends and mojibake.

Pure functions of the bytes; reading files is document.py's job. The rules are
in docs/robustness.md#decoding.
"""

from __future__ import annotations

import codecs
import functools
import re

import attrs

from .errors import InputError

#: How much of the start of a file is looked at to tell text from binary.
SAMPLE_BYTES = 8192
#: More control characters than this share of the sample: binary.
MAX_CONTROL_SHARE = 0.10

# The openings of binary formats people leave beside text files. Most also
# hold NUL bytes early on; these catch those that do not (PDF, gzip, bzip2...).
BINARY_MAGIC = (
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a", b"GIF89a",  # GIF
    b"%PDF-",  # PDF
    b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08",  # zip, docx, xlsx, odt, jar
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2 (with the block magic, checked below)
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",  # 7-zip
    b"Rar!\x1a\x07",  # rar
    b"\x28\xb5\x2f\xfd",  # zstd
    b"\x7fELF",  # executables
    b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe",  # Mach-O, Java classes
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # old Office (doc, xls)
    b"SQLite format 3\x00",  # SQLite
    b"wOFF", b"wOF2",  # web fonts
)
# C0 controls that plain text holds: tab, line feed, vertical tab, form feed,
# carriage return, and escape (coloured terminal logs).
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1b")
_CONTROLS = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# The characters whose UTF-8 bytes, read as cp1252, make the mojibake met in
# practice ("â€™" for "’", "Â£" for "£"). Their garbled forms are derived from
# this list, so it holds the intended characters only.
MOJIBAKE_TARGETS = (
    "‘’‚“”„–—…•†‡‰‹›€™"  # General Punctuation and the euro sign
    "\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷"  # Latin-1 signs (Â£, Â°, Â½)
    "ÀÁÂÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝÞß"  # Latin-1 capitals (Ã‰ for É)
    "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"  # Latin-1 small letters (Ã© for é)
    "ŒœŠšŽžŸƒ"  # the other letters of cp1252
)


@attrs.frozen
class Decoded:
    """Text read from bytes, the encoding used, and what the reader should be told."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def _cp1252_table() -> dict[int, str]:
    """latin-1 code points 0x80-0x9F to their cp1252 characters (five bytes stay C1)."""
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


@functools.cache
def _cp1252() -> dict[int, str]:
    return _cp1252_table()


def decode_cp1252(data: bytes) -> str:
    """cp1252, with the five bytes it leaves undefined read as latin-1: never fails.

    One character per byte, so offsets into the text are offsets into the bytes.
    """
    return data.decode("latin-1").translate(_cp1252())


def is_binary(data: bytes) -> bool:
    """Whether the start of `data` is a known binary format, or not text at all."""
    if data.startswith(BINARY_MAGIC):
        return not data.startswith(b"BZh") or data[4:10] == b"1AY&SY"
    if data.startswith(tuple(bom for bom, _ in _BOMS)):
        return False  # UTF-16 and UTF-32 hold NUL bytes; judged after decoding
    return _not_text(data[:SAMPLE_BYTES])


def _not_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    return controls > MAX_CONTROL_SHARE * len(sample)


def decode(data: bytes, name: str) -> Decoded:
    """The text of a file's bytes; InputError if they are not text.

    UTF-8 with or without a byte-order mark, UTF-16 and UTF-32 with one; bytes
    that are not valid UTF-8 are read as cp1252 (with a warning). Line ends and
    the usual mojibake are then repaired (see `clean`).
    """
    if is_binary(data):
        raise InputError(f"{name}: not a text file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_marked(data, encoding, name)
    try:
        return Decoded(clean(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        return Decoded(clean(decode_cp1252(data)), "cp1252",
                       (f"{name}: not valid UTF-8, read as cp1252",))


def _decode_marked(data: bytes, encoding: str, name: str) -> Decoded:
    """A file with a byte-order mark: the mark is trusted, bad sequences replaced."""
    warnings: tuple[str, ...] = ()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        label = encoding.removesuffix("-sig").upper()
        text = data.decode(encoding, errors="replace")
        warnings = (f"{name}: not valid {label}, bad bytes replaced with U+FFFD",)
    if encoding != "utf-8-sig":
        text = text.removeprefix("\ufeff")
        if _not_text(text[:SAMPLE_BYTES].encode("utf-8", errors="replace")):
            raise InputError(f"{name}: not a text file")
    return Decoded(clean(text), encoding.removesuffix("-sig"), warnings)


def normalise_newlines(text: str) -> str:
    """`\\r\\n` and lone `\\r` line ends as `\\n`."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _garble(char: str) -> str:
    return decode_cp1252(char.encode("utf-8"))


@attrs.frozen
class _Mojibake:
    pattern: re.Pattern[str]
    table: dict[str, str]
    leads: frozenset[str]  # the first characters of the garbled forms ("Â", "Ã", "â"...)


@functools.cache
def _mojibake() -> _Mojibake:
    table = {_garble(c): c for c in MOJIBAKE_TARGETS}
    # Longest first, so "â€™" is not read as "â€" and a stray "™".
    alternatives = sorted(table, key=len, reverse=True)
    return _Mojibake(re.compile("|".join(map(re.escape, alternatives))), table,
                     frozenset(g[0] for g in table))


def repair_mojibake(text: str) -> str:
    """UTF-8 that was once read as cp1252 put right: "â€™" to "’", "Â£" to "£"."""
    found = _mojibake()
    if not any(lead in text for lead in found.leads):
        return text
    return found.pattern.sub(lambda m: found.table[m.group()], text)


def clean(text: str) -> str:
    """Text as extraction wants it: `\\n` line ends, mojibake repaired."""
    return repair_mojibake(normalise_newlines(text))
