"""The command line: argument parsing and output only; the work is in the library."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

TABLE_COLUMNS = ("doc", "text", "kind", "value", "unit", "per", "subject", "speaker", "source")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 2."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


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


_RULES_HELP = ("a TOML rule file extending the built-in rules (see docs/rules.md); "
               "may be given more than once")


def _add_rules_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", default=[], metavar="FILE", help=_RULES_HELP)


def _rule_set(args: argparse.Namespace) -> Any:
    """The rule set a command reads with: the built-in rules and each --rules file."""
    from .rules import RuleSet

    return RuleSet.load(extra=args.rules) if args.rules else RuleSet.default()


def build_parser() -> argparse.ArgumentParser:
    from .report import FORMATS

    parser = _Parser(prog="claimtrack", description="Track quantitative claims across documents.")
    parser.add_argument("--version", action="version", version=f"claimtrack {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    extract = sub.add_parser("extract", help="list the claims in documents",
                             description="List the quantitative claims in text files.")
    extract.add_argument("paths", nargs="+", metavar="PATH",
                         help="files (.txt, .md, .html, .htm, .jsonl; '-' for standard input), "
                              "or directories walked for them")
    extract.add_argument("--format", choices=FORMATS, default="table")
    extract.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                         help="reference date for relative dates (default: each post's dateline)")
    extract.add_argument("--max-bytes", type=_positive_int, default=None, metavar="N",
                         help="largest document read, in bytes (default 50 MB)")
    extract.add_argument("--time-budget", type=_seconds, default=None, metavar="SECONDS",
                         help="give up on a document after this long (default 60; 0: no limit)")
    _add_rules_argument(extract)
    structure = sub.add_parser("structure", help="show how a document was read",
                               description="List the segments of a document: offsets, role, "
                                           "speaker, source and reference date.")
    structure.add_argument("path", metavar="FILE", help="a text file")
    structure.add_argument("--format", choices=FORMATS, default="table")
    structure.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                           help="reference date for relative dates (default: each post's dateline)")
    _add_rules_argument(structure)
    _add_compare_parser(sub)
    _add_store_parsers(sub)
    return parser


def _cmd_extract(args: argparse.Namespace) -> int:
    from .batch import Tally, extract_paths
    from .budget import DEFAULT_SECONDS
    from .document import MAX_BYTES
    from .model import claim_to_dict
    from .report import render

    tally = Tally("claimtrack", verbose=args.verbose)
    budget = DEFAULT_SECONDS if args.time_budget is None else args.time_budget
    rows = [claim_to_dict(c)
            for claims in extract_paths(args.paths, tally, max_bytes=args.max_bytes or MAX_BYTES,
                                        date=args.date, budget=budget, rules=_rule_set(args))
            for c in claims]
    columns = None
    if args.format in ("table", "markdown"):
        columns = TABLE_COLUMNS
        rows = [{**row, "value": _shown_value(row)} for row in rows]
    sys.stdout.write(render(rows, args.format, columns))
    return tally.exit_code


def _shown_value(row: dict[str, Any]) -> Any:
    """The value cell of a table: the interval of a range or vague amount ("300-400",
    "200000-999999"), as the value alone would leave it empty."""
    if row["value"] is not None or (row["low"] is None and row["high"] is None):
        return row["value"]
    low = "" if row["low"] is None else row["low"]
    high = "" if row["high"] is None else row["high"]
    return f"{low}-{high}" if row["kind"] != "date" else f"{low}/{high}"


def _cmd_structure(args: argparse.Namespace) -> int:
    from .document import load_document, regular_file
    from .report import render
    from .segments import document_segments, segment_to_dict

    document = load_document(Path(args.path) if args.path == "-" else regular_file(args.path))
    if args.date is not None:
        import attrs

        document = attrs.evolve(document, date=args.date)
    rows = [segment_to_dict(s, document.text)
            for s in document_segments(document, _rule_set(args))]
    sys.stdout.write(render(rows, args.format))
    return EXIT_OK


_COMMANDS = {"extract": _cmd_extract, "structure": _cmd_structure}


FINDING_COLUMNS = ("kind", "severity", "key", "score", "explanation", "evidence", "claims")
REPORT_COLUMNS = ("subject", "value", "qualifier", "document", "speaker", "source", "date")
_ONLY = {"conflicts": "conflict", "repeats": "repeat", "updates": "update",
         "inconsistent": "inconsistent"}


def _add_compare_arguments(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files (.txt, .md, .html, .htm, .jsonl; '-' for standard input), "
                             "or directories walked for them")
    parser.add_argument("--aliases", metavar="FILE",
                        help="TOML lexicon of subject aliases (see docs/findings.md)")
    parser.add_argument("--format", choices=formats, default="table")
    _add_rules_argument(parser)
    parser.add_argument("--only", choices=sorted(_ONLY), help="show one kind of finding")
    parser.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                        help="reference date for relative dates (default: each post's dateline)")
    _add_link_arguments(parser)


def _add_link_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-score", type=_score, default=None, metavar="SCORE",
                        help="the least match score (0-1) of a finding (default: the fitted "
                             "bars in data/linking.toml, see docs/findings.md)")
    parser.add_argument("--explain", action="store_true",
                        help="print the evidence table of each finding")


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
    _add_compare_arguments(compare, ("table", "json", "markdown", "csv"))


def _read_claims(args: argparse.Namespace, prog: str = "claimtrack"
                 ) -> tuple[list[Any], dict[str, str], Any]:
    """The claims of every document named, each document's text (for acronyms), and the
    tally of what could not be read (the run goes on past it, and exits 2 at the end)."""
    from .aliases import load_aliases
    from .batch import Tally, extract_documents

    if isinstance(args.aliases, str):  # a bad lexicon is said before the documents are read
        args.aliases = load_aliases(args.aliases)
    tally = Tally(prog, verbose=args.verbose)
    progress = sys.stderr.isatty() and len(args.paths) > 1
    claims: list[Any] = []
    texts: dict[str, str] = {}
    for number, (document, found) in enumerate(
            extract_documents(args.paths, tally, date=args.date, rules=_rule_set(args)), 1):
        if progress:
            sys.stderr.write(f"\r{prog}: reading {number} {Path(document.id).name[:40]:40}")
            sys.stderr.flush()
        texts[document.id] = document.text
        claims.extend(found)
    if progress:
        sys.stderr.write("\r" + " " * 72 + "\r")
    return claims, texts, tally


def _findings(args: argparse.Namespace, claims: list[Any], texts: dict[str, str]) -> list[Any]:
    from .compare import compare

    found = compare(claims, aliases=args.aliases, texts=texts, min_score=args.min_score)
    if args.only:
        found = [f for f in found if f.kind == _ONLY[args.only]]
    return found


def _finding_rows(findings: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"kind": f.kind, "severity": f.severity, "key": f.key, "score": round(f.score, 3),
             "explanation": f.explanation, "evidence": "; ".join(f.evidence),
             "claims": "; ".join(f"{Path(c.doc).name}@{c.start} {c.text}" for c in f.claims)}
            for f in findings]


def _finding_text(findings: Sequence[Any], markdown: bool, explain: bool = False) -> str:
    """Findings as numbered entries: a table cell is too narrow for an explanation."""
    if not findings:
        return "No findings.\n"
    lines = []
    for number, f in enumerate(findings, 1):
        head = f"**{f.kind}** ({f.severity}) `{f.key}` score {f.score:.2f}" if markdown else \
            f"{f.kind} ({f.severity}) {f.key} score {f.score:.2f}"
        lines.append(f"{number}. {head}")
        lines.append(f"   {f.explanation}")
        if f.evidence:
            lines.append("   evidence: " + "; ".join(f.evidence))
        for c in f.claims:
            who = ", ".join(x for x in (c.attribution.speaker, c.attribution.source) if x)
            lines.append(f"   - {c.doc}@{c.start}: {c.text!r}" + (f" ({who})" if who else ""))
        if explain and f.comparisons:
            lines.extend("   " + row for row in explain_table(f).splitlines())
    return "\n".join(lines) + "\n"


def explain_table(finding: Any) -> str:
    """The evidence table of a finding: each comparison, its level and weight."""
    from .report import render

    rows = [{"comparison": name, "level": level, "weight": f"{weight:+.2f}", "evidence": says}
            for name, level, weight, says in finding.comparisons]
    return render(rows, "table", ("comparison", "level", "weight", "evidence"))


def _cmd_compare(args: argparse.Namespace) -> int:
    from .report import render

    claims, texts, tally = _read_claims(args)
    findings = _findings(args, claims, texts)
    if args.format == "json":
        sys.stdout.write(render([_finding_json(f, args.explain) for f in findings], "json"))
    elif args.format == "csv":
        sys.stdout.write(render(_finding_rows(findings), "csv", FINDING_COLUMNS))
    else:
        sys.stdout.write(_finding_text(findings, args.format == "markdown", args.explain))
    return int(tally.exit_code)


def _finding_json(finding: Any, explain: bool) -> dict[str, Any]:
    from .model import finding_to_dict

    record = finding_to_dict(finding)
    if explain:
        record["comparisons"] = [{"comparison": n, "level": lv, "weight": round(w, 2),
                                  "evidence": says} for n, lv, w, says in finding.comparisons]
    return record


_COMMANDS["compare"] = _cmd_compare


# --------------------------------------------------------------------------- the store

_STORE_HELP = "the claim store (default: $CLAIMTRACK_STORE, else .claimtrack/claims.db)"
_PATHS_HELP = "files (.txt, .md, .html, .htm, .jsonl), or directories walked for them"


def _add_store_parsers(sub: Any) -> None:
    from .checkfmt import FAIL_ON
    from .checkfmt import FORMATS as CHECK_FORMATS
    from .report import FORMATS

    ingest = sub.add_parser("ingest", help="add documents to the claim store",
                            description="Add documents and their claims to the claim store. "
                                        "A document stored with the same text is left as it "
                                        "is; a changed one has its claims replaced.")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    ingest.add_argument("--store", metavar="DB", help=_STORE_HELP)
    ingest.add_argument("--time-budget", type=_seconds, default=None, metavar="SECONDS",
                        help="give up on a document after this long (default 60; 0: no limit)")
    _add_rules_argument(ingest)
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
        parser.add_argument("--time-budget", type=_seconds, default=None, metavar="SECONDS",
                            help="give up on a document after this long (default 60)")
        parser.add_argument("--output", metavar="FILE", default="-",
                            help="write to FILE instead of standard output")
        _add_rules_argument(parser)
        if name == "check":
            parser.add_argument("--fail-on", choices=FAIL_ON, default="conflict",
                                help="the least grave finding that fails the check: conflict "
                                     "(and inconsistent), repeat (any finding), or none")
            parser.add_argument("--baseline", metavar="FILE",
                                help="JSON list of acknowledged finding ids (claimtrack "
                                     "baseline) not to report")
            parser.add_argument("--format", choices=CHECK_FORMATS, default="text")
            _add_link_arguments(parser)
    history = sub.add_parser("history", help="a subject's figures over time",
                             description="List the stored figures of a subject by date: "
                                         "value, speaker, source and document.")
    history.add_argument("subject", metavar="SUBJECT",
                         help="what is measured, e.g. 'paramedic vacancies' (normalised as "
                              "claim keys are)")
    history.add_argument("--store", metavar="DB", help=_STORE_HELP)
    history.add_argument("--format", choices=FORMATS, default="table")


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
    from .batch import Tally, budgeted_extract, read_paths
    from .budget import DEFAULT_SECONDS
    from .errors import StoreError
    from .store import ClaimStore, store_path

    tally = Tally("claimtrack", verbose=args.verbose)
    budget = DEFAULT_SECONDS if args.time_budget is None else args.time_budget
    extract = budgeted_extract(budget, _rule_set(args))
    statuses = {"new": 0, "changed": 0, "unchanged": 0}
    claims = findings = 0
    path = store_path(args.store)
    with ClaimStore(path) as store:
        for document in read_paths(args.paths, tally, budget=budget):
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
    total = sum(statuses.values())
    print(f"{path}: {total} document{'s' * (total != 1)} ({statuses['new']} new, "
          f"{statuses['changed']} changed, {statuses['unchanged']} unchanged); "
          f"{claims} claims added; {findings} findings recorded")
    return tally.exit_code


def _store_check(args: argparse.Namespace) -> tuple[list[Any], list[Any], Any]:
    """The findings of the documents named against the store, the documents, the tally."""
    from .batch import Tally, extract_documents
    from .budget import DEFAULT_SECONDS
    from .store import ClaimStore, store_path

    tally = Tally("claimtrack", verbose=args.verbose)
    budget = DEFAULT_SECONDS if args.time_budget is None else args.time_budget
    documents: dict[str, Any] = {}
    claims: list[Any] = []
    with ClaimStore(store_path(args.store), readonly=True) as store:
        for document, found_claims in extract_documents(args.paths, tally, budget=budget,
                                                        rules=_rule_set(args)):
            if document.id not in documents:  # a file named twice is checked once
                documents[document.id] = document
                claims.extend(found_claims)
        texts = {d.id: d.text for d in documents.values()}
        found = store.check(claims, texts, min_score=getattr(args, "min_score", None))
    if getattr(args, "explain", False):
        sys.stderr.write(_finding_text(found, False, True))
    return found, list(documents.values()), tally


def _cmd_check(args: argparse.Namespace) -> int:
    from .checkfmt import make_report, places_of, read_baseline, render_check

    baseline = read_baseline(args.baseline) if args.baseline else frozenset()
    found, documents, tally = _store_check(args)
    report = make_report(found, places_of(documents), fail_on=args.fail_on,
                         baseline=baseline, documents=len(documents))
    _write_output(args.output, render_check(report, args.format))
    if tally.failed:
        return EXIT_USAGE
    return EXIT_FINDINGS if report.failed() else EXIT_OK


def _cmd_baseline(args: argparse.Namespace) -> int:
    from .checkfmt import baseline_json

    found, documents, tally = _store_check(args)
    _write_output(args.output, baseline_json(found))
    if args.output != "-":
        print(f"{args.output}: {len(found)} finding ids from {len(documents)} documents")
    return int(tally.exit_code)


def _cmd_history(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .report import render
    from .store import ClaimStore, store_path, subject_key

    if not subject_key(args.subject):
        raise InputError(f"{args.subject!r} names no subject (only words that identify none)")
    with ClaimStore(store_path(args.store), readonly=True) as store:
        entries = store.history(args.subject)
    rows = [{"date": e.date, "value": e.text, "normalised": e.value, "kind": e.kind,
             "unit": e.unit, "speaker": e.speaker, "source": e.source, "document": e.document}
            for e in entries]
    if not rows and args.format in ("table", "markdown"):
        print(f"claimtrack: no figures stored under {subject_key(args.subject)!r}",
              file=sys.stderr)
    sys.stdout.write(render(rows, args.format, HISTORY_COLUMNS))
    return EXIT_OK


HISTORY_COLUMNS = ("date", "value", "normalised", "kind", "unit", "speaker", "source",
                   "document")
_COMMANDS.update(ingest=_cmd_ingest, check=_cmd_check, baseline=_cmd_baseline,
                 history=_cmd_history)


def _report_rows(claims: list[Any], args: argparse.Namespace,
                 texts: dict[str, str]) -> list[dict[str, Any]]:
    from .store import subject_key

    rows: list[dict[str, Any]] = []
    for claim in claims:
        rows.append({"subject": subject_key(claim.subject or "") or (claim.subject or ""),
                     "value": claim.text, "qualifier": claim.quantity.qualifier,
                     "document": claim.doc, "speaker": claim.attribution.speaker,
                     "source": claim.attribution.source, "date": claim.date,
                     "start": claim.start})
    rows.sort(key=lambda r: (str(r["subject"]).lower(), str(r["document"]), int(r["start"])))
    return rows


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import render

    claims, texts, tally = _read_claims(args, "claim-report")
    rows = _report_rows(claims, args, texts)
    findings = _findings(args, claims, texts)
    if args.format == "json":
        sys.stdout.write(render([{"claims": [{k: r[k] for k in REPORT_COLUMNS} for r in rows],
                                  "findings": [_finding_json(f, args.explain)
                                               for f in findings]}], "json"))
        return int(tally.exit_code)
    finding_rows = _finding_rows(findings)
    if args.format == "csv":
        sys.stdout.write(render(rows, "csv", REPORT_COLUMNS) + "\n"
                         + render(finding_rows, "csv", FINDING_COLUMNS))
        return int(tally.exit_code)
    heading = "## " if args.format == "markdown" else ""
    sys.stdout.write(f"{heading}Claims by subject ({len(rows)})\n\n")
    sys.stdout.write(render(rows, args.format, REPORT_COLUMNS))
    sys.stdout.write(f"\n{heading}Findings ({len(findings)})\n\n")
    sys.stdout.write(_finding_text(findings, args.format == "markdown", args.explain))
    return int(tally.exit_code)


def build_report_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="claim-report",
                     description="A report of the claims in documents, grouped by subject, "
                                 "then the repeated and conflicting figures among them.")
    parser.add_argument("--version", action="version", version=f"claim-report {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks for errors")
    _add_compare_arguments(parser, ("table", "markdown", "json", "csv"))
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
