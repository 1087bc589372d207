"""The command line: argument parsing and output only; the work is in the library."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .batch import Tally
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2: the command's usage, then a one-line error naming the
    command (`claimtrack check: error: ...`)."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_USAGE, f"{self.format_usage()}{self.prog}: error: {message}\n")


def _kind(text: str) -> str:
    """A kind of finding as --only and --fail-on take it: singular or plural alike."""
    word = text.strip().lower()
    return word[:-1] if word in ("conflicts", "repeats", "updates") else word


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The largest --max-bytes (1 TB) and --time-budget (one week) accepted.
MAX_BYTES_OPTION = 10**12
MAX_SECONDS_OPTION = 7 * 24 * 3600


def _date(text: str) -> dt.date:
    """YYYY-MM-DD and nothing else (not 20240101, not 2024-W01-1)."""
    try:
        if _ISO_DAY.fullmatch(text) is None:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r} (expected YYYY-MM-DD)") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text) if len(text) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"invalid number {text[:40]!r}")
    if not 1 <= value <= MAX_BYTES_OPTION:
        raise argparse.ArgumentTypeError(
            f"must be from 1 to {MAX_BYTES_OPTION:,}, got {text}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text) if len(text) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"invalid number of seconds {text[:40]!r}")
    if not 0 <= value <= MAX_SECONDS_OPTION:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            f"must be from 0 (no limit) to {MAX_SECONDS_OPTION:,}, got {text}")
    return value


def _format_option(parser: argparse.ArgumentParser, view: type, default: str) -> None:
    """--format, with the formats that can render this command's view."""
    from .render import formats_for

    choices = formats_for(view)
    parser.add_argument("--format", choices=list(choices), default=default, metavar="FORMAT",
                        help="; ".join(f"{name}: {fmt.help}" for name, fmt in choices.items())
                        + f" (default: {default})")
    parser.add_argument("--wide", action="store_true",
                        help="show every cell and sentence whole (by default tables and "
                             "sentences are trimmed with '…' to the terminal's width)")


def _quiet_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar (it is drawn on stderr only when stderr is a "
                             "terminal)")


def _tally(args: argparse.Namespace, prog: str = "claimtrack") -> Tally:
    """The tally of a run over files, with a progress bar when stderr is a terminal."""
    from .batch import Tally
    from .progress import Progress

    progress = Progress(None if not args.quiet else False, prog=prog)
    return Tally(prog, verbose=args.verbose, progress=progress)


def _options(args: argparse.Namespace) -> Any:
    """How to render: fitted to the width of the terminal (or of $COLUMNS); output that
    goes to a file (--output) or a pipe, or with --wide, is left whole."""
    from .render import Options

    whole = getattr(args, "wide", False) or getattr(args, "output", "-") != "-"
    return Options(width=None if whole else _terminal_width())


def _terminal_width() -> int | None:
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


_RULES_HELP = ("a TOML rule file extending the built-in rules (see docs/rules.md); "
               "may be given more than once")


def _add_rules_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", default=[], metavar="FILE", help=_RULES_HELP)


def _rule_set(args: argparse.Namespace) -> Any:
    """The rule set a command reads with: the built-in rules and each --rules file."""
    from .rules import RuleSet

    return RuleSet.load(extra=args.rules) if args.rules else RuleSet.default()
_DATE_HELP = ("the documents' date: reference for relative dates (default: front matter, "
              "a JSON Lines record's date, else each post's dateline)")
_SOURCE_HELP = ("the publisher of the documents: the source of their narration (default: "
                "front matter, a JSON Lines record's source, else a masthead line)")


def _add_document_options(parser: argparse.ArgumentParser) -> None:
    """--date and --source: what the user knows of the documents read."""
    parser.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help=_DATE_HELP)
    parser.add_argument("--source", type=_source, metavar="NAME", help=_SOURCE_HELP)


def _source(text: str) -> str:
    name = " ".join(text.split())
    if not name or not name.isprintable():
        raise argparse.ArgumentTypeError(f"invalid source {text!r} (expected a name)")
    return name


def build_parser() -> argparse.ArgumentParser:
    from .render import Claims, Table

    parser = _Parser(prog="claimtrack", description="Track quantitative claims across documents.")
    parser.add_argument("--version", action="version", version=f"claimtrack {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    extract = sub.add_parser("extract", help="list the claims in documents",
                             description="List the quantitative claims in text files.")
    extract.add_argument("paths", nargs="+", metavar="PATH",
                         help="files (.txt, .md, .html, .htm, .jsonl; '-' for standard input), "
                              "or directories walked for them")
    _format_option(extract, Claims, "table")
    _add_document_options(extract)
    extract.add_argument("--max-bytes", type=_positive_int, default=None, metavar="N",
                         help="largest document read, in bytes (default 50 MB)")
    extract.add_argument("--time-budget", type=_seconds, default=None, metavar="SECONDS",
                         help="give up on a document after this long (default 60, plus 30 a "
                              "million characters; 0: no limit)")
    _add_rules_argument(extract)
    _quiet_option(extract)
    structure = sub.add_parser("structure", help="show how a document was read",
                               description="List the segments of a document: offsets, role, "
                                           "speaker, source and reference date.")
    structure.add_argument("path", metavar="FILE", help="a text file")
    _format_option(structure, Table, "table")
    _add_document_options(structure)
    _add_rules_argument(structure)
    _add_compare_parser(sub)
    _add_store_parsers(sub)
    return parser


def _cmd_extract(args: argparse.Namespace) -> int:
    from .batch import extract_paths
    from .budget import DEFAULT
    from .document import MAX_BYTES
    from .render import Claims, render

    tally = _tally(args)
    budget = DEFAULT if args.time_budget is None else args.time_budget
    per_document = list(extract_paths(args.paths, tally, max_bytes=args.max_bytes or MAX_BYTES,
                                      date=args.date, budget=budget, rules=_rule_set(args),
                                      source=args.source))
    tally.progress.close()
    if not per_document and tally.failed and args.format != "json":
        return tally.exit_code  # nothing was read: no empty table to show
    claims = tuple(c for found in per_document for c in found)
    sys.stdout.write(render(Claims(claims=claims), args.format, _options(args)))
    return tally.exit_code


def _cmd_structure(args: argparse.Namespace) -> int:
    from .document import load_document, regular_file
    from .render import Table, render
    from .segments import document_segments, segment_to_dict

    document = load_document(Path(args.path) if args.path == "-" else regular_file(args.path))
    if args.date is not None or args.source is not None:
        import attrs

        document = attrs.evolve(document, date=args.date or document.date,
                                source=args.source or document.source)
    rows = tuple(segment_to_dict(s, document.text)
                 for s in document_segments(document, _rule_set(args)))
    sys.stdout.write(render(Table(rows=rows), args.format, _options(args)))
    return EXIT_OK


_COMMANDS = {"extract": _cmd_extract, "structure": _cmd_structure}


_ONLY = ("conflict", "repeat", "update", "inconsistent")


def _add_compare_arguments(parser: argparse.ArgumentParser, view: type) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files (.txt, .md, .html, .htm, .jsonl; '-' for standard input), "
                             "or directories walked for them")
    parser.add_argument("--aliases", metavar="FILE",
                        help="TOML lexicon of subject aliases (see docs/findings.md)")
    _format_option(parser, view, "table")
    _add_rules_argument(parser)
    parser.add_argument("--only", type=_kind, choices=_ONLY, metavar="KIND",
                        help="show one kind of finding: conflict, repeat, update or "
                             "inconsistent (the plural is accepted too)")
    _add_document_options(parser)
    parser.add_argument("-o", "--output", metavar="FILE", default="-",
                        help="write to FILE instead of standard output")
    _quiet_option(parser)
    _add_link_arguments(parser)


def _add_link_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-score", type=_score, default=None, metavar="SCORE",
                        help="the least match score (0-1) of a finding (default: the fitted "
                             "bars in data/linking.toml, see docs/findings.md)")
    parser.add_argument("--explain", action="store_true",
                        help="print the evidence table of each finding (after the findings; "
                             "on standard error for check)")


def _score(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"a score is between 0 and 1, not {text}")
    return value


def _add_compare_parser(sub: Any) -> None:
    compare = sub.add_parser("compare", help="find repeated and conflicting figures",
                             description="Compare the claims in documents: the same figure "
                                         "repeated, figures that disagree, sums that do not "
                                         "add up.")
    from .render import Findings

    _add_compare_arguments(compare, Findings)


def _read_claims(args: argparse.Namespace, prog: str = "claimtrack"
                 ) -> tuple[list[Any], dict[str, Any], Any]:
    """The claims of every document named, the documents (their texts define acronyms),
    and the tally of what could not be read (the run goes on past it, and exits 2 at the
    end)."""
    from .aliases import load_aliases
    from .batch import extract_documents

    if isinstance(args.aliases, str):  # a bad lexicon is said before the documents are read
        args.aliases = load_aliases(args.aliases)
    tally = _tally(args, prog)
    claims: list[Any] = []
    documents: dict[str, Any] = {}
    for document, found in extract_documents(args.paths, tally, date=args.date,
                                             rules=_rule_set(args), source=args.source):
        known = documents.get(document.id)
        if known is not None and known.text == document.text:
            continue  # a file named twice is read once
        documents[document.id] = document
        claims.extend(found)
    return claims, documents, tally


def _findings(args: argparse.Namespace, claims: list[Any], documents: dict[str, Any],
              tally: Any) -> Any:
    """The findings among the claims, as a view to render."""
    from .compare import compare
    from .render import Findings
    from .render.places import places_of

    tally.progress.phase(f"comparing {len(claims):,} claims", None, unit="claim")
    found = compare(claims, aliases=args.aliases,
                    texts={d.id: d.text for d in documents.values()}, min_score=args.min_score)
    tally.progress.close()
    if args.only:
        found = [f for f in found if f.kind == args.only]
    return Findings(findings=tuple(found), places=places_of(documents.values()),
                    documents=tuple(documents.values()), claims=tuple(claims))


def _cmd_compare(args: argparse.Namespace) -> int:
    from .render import render

    claims, documents, tally = _read_claims(args)
    findings = _findings(args, claims, documents, tally)
    text = render(findings, args.format, _options(args))
    if args.explain:
        from .render.evidence import explained

        text += "\nEvidence\n\n" + explained(findings.findings)
    _write_output(args.output, text)
    return int(tally.exit_code)


_COMMANDS["compare"] = _cmd_compare


# --------------------------------------------------------------------------- the store

_STORE_HELP = "the claim store (default: $CLAIMTRACK_STORE, else .claimtrack/claims.db)"
_PATHS_HELP = "files (.txt, .md, .html, .htm, .jsonl), or directories walked for them"
_ALIASES_HELP = ("TOML lexicon of subject aliases (see docs/findings.md); the store records "
                 "which lexicon keyed its claims and keys them again when it changes")


def _open_store(args: argparse.Namespace, readonly: bool = False) -> Any:
    """The claim store named, keying claims with --aliases, reading with --rules."""
    from .store import ClaimStore, store_path

    return ClaimStore(store_path(args.store), readonly=readonly, aliases=args.aliases,
                      rules=args.rules)


def _add_store_parsers(sub: Any) -> None:
    from .checks import FAIL_ON, CheckReport
    from .render import Table

    ingest = sub.add_parser("ingest", help="add documents to the claim store",
                            description="Add documents and their claims to the claim store. "
                                        "A document stored with the same text is left as it "
                                        "is; a changed one has its claims replaced.")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    ingest.add_argument("--store", metavar="DB", help=_STORE_HELP)
    ingest.add_argument("--aliases", metavar="FILE", help=_ALIASES_HELP)
    ingest.add_argument("--time-budget", type=_seconds, default=None, metavar="SECONDS",
                        help="give up on a document after this long (default 60, plus 30 a "
                              "million characters; 0: no limit)")
    _add_rules_argument(ingest)
    _quiet_option(ingest)
    _add_document_options(ingest)
    for name, help_text, description in (
            ("check", "compare new documents with the claim store",
             "Compare the claims of new documents with the claims on record, without "
             "writing to the store. Exit 1 when a finding at or above --fail-on remains."),
            ("baseline", "write the ids of the findings a check would report",
             "Write a baseline: the ids of the findings `check` reports for these "
             "documents, so that later checks fail only on new ones.")):
        parser = sub.add_parser(name, help=help_text, description=description)
        parser.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
        parser.add_argument("--store", metavar="DB", help=_STORE_HELP)
        parser.add_argument("--aliases", metavar="FILE", help=_ALIASES_HELP)
        parser.add_argument("--time-budget", type=_seconds, default=None, metavar="SECONDS",
                            help="give up on a document after this long (default 60, plus 30 "
                                 "a million characters)")
        parser.add_argument("--output", metavar="FILE", default="-",
                            help="write to FILE instead of standard output")
        _add_rules_argument(parser)
        _quiet_option(parser)
        _add_document_options(parser)
        if name == "check":
            parser.add_argument("--fail-on", type=_kind, choices=FAIL_ON, default="conflict",
                                metavar="KIND",
                                help="the least grave finding that fails the check: conflict "
                                     "(and inconsistent), repeat (any finding), or none "
                                     "(default: conflict; the plural is accepted too)")
            parser.add_argument("--baseline", metavar="FILE",
                                help="JSON list of acknowledged finding ids (claimtrack "
                                     "baseline) not to report")
            _format_option(parser, CheckReport, "text")
            _add_link_arguments(parser)
    history = sub.add_parser("history", help="a subject's figures over time",
                             description="List the stored figures of a subject by date: "
                                         "value, speaker, source and document.")
    history.add_argument("subject", metavar="SUBJECT",
                         help="what is measured, e.g. 'paramedic vacancies' (normalised as "
                              "claim keys are)")
    history.add_argument("--store", metavar="DB", help=_STORE_HELP)
    _format_option(history, Table, "table")


def _write_output(name: str, text: str) -> None:
    from .errors import InputError

    if name == "-":
        sys.stdout.write(text)
        return
    try:
        Path(name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{name}: cannot write ({exc.strerror or exc})") from None


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .batch import budgeted_extract, read_paths
    from .budget import DEFAULT
    from .errors import StoreError

    tally = _tally(args)
    budget = DEFAULT if args.time_budget is None else args.time_budget
    extract = budgeted_extract(budget, _rule_set(args))
    statuses = {"new": 0, "changed": 0, "unchanged": 0}
    claims = findings = 0
    with _open_store(args) as store:
        path = store.path
        for document in read_paths(args.paths, tally, budget=budget, date=args.date,
                                   source=args.source):
            try:
                done = store.ingest(document, extract)
            except StoreError:
                raise
            except Exception as exc:  # one document's failure is one line; the rest go on
                tally.fail(exc, document.id)
                continue
            statuses[done.status] += 1
            claims += done.claims
            findings += done.findings
    tally.progress.close()
    from .render.text import count

    print(f"{path}: {count(sum(statuses.values()), 'document')} ({statuses['new']} new, "
          f"{statuses['changed']} changed, {statuses['unchanged']} unchanged); "
          f"{count(claims, 'claim')} added; {count(findings, 'finding')} recorded")
    return tally.exit_code


def _store_check(args: argparse.Namespace) -> tuple[list[Any], list[Any], Any]:
    """The findings of the documents named against the store, the documents, the tally."""
    from .batch import extract_documents
    from .budget import DEFAULT

    tally = _tally(args)
    budget = DEFAULT if args.time_budget is None else args.time_budget
    documents: dict[str, Any] = {}
    claims: list[Any] = []
    with _open_store(args, readonly=True) as store:
        stale = store.documents_read_otherwise()
        if stale:
            were = "documents were" if stale != 1 else "document was"
            tally.warn(f"{store.path}: {stale} stored {were} read by another claimtrack or "
                       "with other rules; ingest again to compare with what this one reads")
        for document, found_claims in extract_documents(args.paths, tally, budget=budget,
                                                        rules=_rule_set(args),
                                                        date=args.date, source=args.source):
            if document.id not in documents:  # a file named twice is checked once
                documents[document.id] = document
                claims.extend(found_claims)
        tally.progress.phase(f"comparing {len(claims):,} claims with the store", None,
                             unit="claim")
        found = store.check(claims, {d.id: d.text for d in documents.values()},
                            min_score=getattr(args, "min_score", None))
        tally.progress.close()
    if getattr(args, "explain", False):
        from .render.evidence import explained

        sys.stderr.write(explained(found))
    return found, list(documents.values()), tally


def _cmd_check(args: argparse.Namespace) -> int:
    from .checks import make_report, read_baseline
    from .render import render
    from .render.places import places_of

    baseline = read_baseline(args.baseline) if args.baseline else frozenset()
    found, documents, tally = _store_check(args)
    report = make_report(found, places_of(documents), fail_on=args.fail_on,
                         baseline=baseline, documents=len(documents), unread=tally.failed)
    _write_output(args.output, render(report, args.format, _options(args)))
    if tally.failed:
        return EXIT_USAGE
    return EXIT_FINDINGS if report.failed() else EXIT_OK


def _cmd_baseline(args: argparse.Namespace) -> int:
    from .checks import baseline_json

    found, documents, tally = _store_check(args)
    _write_output(args.output, baseline_json(found))
    if args.output != "-":
        from .render.text import count

        print(f"{args.output}: {count(len(found), 'finding id')} from "
              f"{count(len(documents), 'document')}")
    return int(tally.exit_code)


def _cmd_history(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .render import Table, render
    from .store import ClaimStore, store_path, subject_key

    if not subject_key(args.subject):
        raise InputError(f"{args.subject!r} names no subject (only words that identify none)")
    with ClaimStore(store_path(args.store), readonly=True) as store:
        entries = store.history(args.subject)
    rows = tuple({"date": e.date, "value": e.text, "normalised": e.value, "kind": e.kind,
             "unit": e.unit, "speaker": e.speaker, "source": e.source, "document": e.document}
                 for e in entries)
    if not rows and args.format in ("table", "markdown"):
        print(f"claimtrack: no figures stored under {subject_key(args.subject)!r}",
              file=sys.stderr)
    sys.stdout.write(render(Table(rows=rows, columns=HISTORY_COLUMNS), args.format,
                            _options(args)))
    return EXIT_OK


HISTORY_COLUMNS = ("date", "value", "normalised", "kind", "unit", "speaker", "source",
                   "document")
_COMMANDS.update(ingest=_cmd_ingest, check=_cmd_check, baseline=_cmd_baseline,
                 history=_cmd_history)


def _cmd_report(args: argparse.Namespace) -> int:
    from .render import render
    from .render.views import report_view

    claims, documents, tally = _read_claims(args, "claim-report")
    findings = _findings(args, claims, documents, tally)
    view = report_view(claims, findings, aliases=args.aliases,
                       texts={d.id: d.text for d in documents.values()})
    text = render(view, args.format, _options(args))
    if args.explain:
        from .render.evidence import explained

        text += "\nEvidence\n\n" + explained(findings.findings)
    _write_output(args.output, text)
    return int(tally.exit_code)


def build_report_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="claim-report",
                     description="A report of the claims in documents, grouped by subject, "
                                 "then the repeated and conflicting figures among them.")
    parser.add_argument("--version", action="version", version=f"claim-report {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks for errors")
    from .render import Report

    _add_compare_arguments(parser, Report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    return guarded("claimtrack", args.verbose, lambda: _COMMANDS[args.command](args))


def guarded(prog: str, verbose: bool, command: Callable[[], int]) -> int:
    """Run a command: any exception is one line on stderr (and a traceback if verbose)."""
    import warnings

    from .errors import exit_code

    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warning_printer(prog, warnings.showwarning)
            code = command()
        sys.stdout.flush()  # a full disk is found here, not at exit after the status is set
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in _WRITE_ERRNOS:
            raise
        _silence_stdout()
        print(f"{prog}: error: cannot write the output ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        print(f"{prog}: error: interrupted", file=sys.stderr)
        return exit_code(exc)
    except Exception as exc:
        from .batch import Tally

        Tally(prog, verbose=verbose).fail(exc)
        return exit_code(exc)


#: Errors of writing to standard output (the command's own files name themselves).
_WRITE_ERRNOS = frozenset((errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS))


def _warning_printer(prog: str, fallback: Callable[..., None]) -> Callable[..., None]:
    """warnings.showwarning printing an InputWarning as one `PROG: warning: ...` line."""
    from .errors import InputWarning

    def show(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        if issubclass(category, InputWarning):
            from .batch import one_line

            print(f"{prog}: warning: {one_line(str(message))}", file=sys.stderr)
        else:
            fallback(message, category, *args, **kwargs)

    return show


def _silence_stdout() -> None:
    """After the reader of our output went away: no second error when Python flushes it."""
    import contextlib
    import os

    # Not possible when stdout is no file descriptor (an in-memory stream): nothing to do.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def report_main(argv: Sequence[str] | None = None) -> int:
    """claim-report: the claims of documents grouped by subject, then the findings."""
    args = build_report_parser().parse_args(argv)
    return guarded("claim-report", args.verbose, lambda: _cmd_report(args))
