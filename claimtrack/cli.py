"""The command line: argument parsing and output only; the work is in the library."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ._version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
TABLE_COLUMNS = ("doc", "text", "kind", "value", "unit", "per", "subject", "speaker", "source")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 2."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r} (expected YYYY-MM-DD)") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .report import FORMATS

    parser = _Parser(prog="claimtrack", description="Track quantitative claims across documents.")
    parser.add_argument("--version", action="version", version=f"claimtrack {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    extract = sub.add_parser("extract", help="list the claims in documents",
                             description="List the quantitative claims in text files.")
    extract.add_argument("paths", nargs="+", metavar="PATH",
                         help="text files, or directories walked for .txt and .md files")
    extract.add_argument("--format", choices=FORMATS, default="table")
    extract.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                         help="reference date for relative dates (default: each post's dateline)")
    extract.add_argument("--max-bytes", type=_positive_int, default=None, metavar="N",
                         help="largest document read, in bytes (default 50 MB)")
    return parser


def iter_paths(paths: Sequence[str]) -> Iterator[Path]:
    """Files named, and the .txt/.md files under directories named, in sorted order."""
    from .document import TEXT_SUFFIXES
    from .errors import InputError

    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            if not found:
                raise InputError(f"{name}: no .txt or .md files in this directory")
            yield from found
        elif path.exists():
            yield path
        else:
            raise InputError(f"{name}: no such file or directory")


def _cmd_extract(args: argparse.Namespace) -> int:
    from .document import MAX_BYTES, load_document
    from .model import claim_to_dict
    from .pipeline import extract_document
    from .report import render

    rows = []
    for path in list(iter_paths(args.paths)):
        document = load_document(path, max_bytes=args.max_bytes or MAX_BYTES)
        if args.date is not None:
            import attrs

            document = attrs.evolve(document, date=args.date)
        rows.extend(claim_to_dict(c) for c in extract_document(document))
    columns = TABLE_COLUMNS if args.format in ("table", "markdown") else None
    sys.stdout.write(render(rows, args.format, columns))
    return EXIT_OK


_COMMANDS = {"extract": _cmd_extract}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    from .errors import ClaimtrackError

    try:
        return _COMMANDS[args.command](args)
    except ClaimtrackError as exc:
        if args.verbose:
            raise
        print(f"claimtrack: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK


def report_main(argv: Sequence[str] | None = None) -> int:
    """claim-report: a table of the claims in documents (comparison comes later)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("--version", "-V"):
        print(f"claim-report {__version__}")
        return EXIT_OK
    return main(["extract", *args])
