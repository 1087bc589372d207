"""The one exception family of claimtrack, and the exit code of each kind.

The exit codes of the command line are decided here and nowhere else:
`exit_code(exc)` maps any exception to one (docs/robustness.md#exit-codes).
"""

from __future__ import annotations

#: The run finished and found nothing to report (or was only asked to list).
EXIT_OK = 0
#: A check found conflicts.
EXIT_FINDINGS = 1
#: A usage or input error, or an internal error in one of the documents.
EXIT_USAGE = 2
#: Interrupted with Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class ClaimtrackError(Exception):
    """Base of every error claimtrack raises on purpose."""

    exit_code = EXIT_USAGE


class InputError(ClaimtrackError):
    """A file or option the user gave cannot be used."""


class BudgetError(InputError):
    """Extracting one document took longer than its time budget."""


class RuleError(ClaimtrackError):
    """A rule data file (built in or user-supplied) is malformed."""


class StoreError(ClaimtrackError):
    """The claim store cannot be opened or written."""


class InputWarning(UserWarning):
    """A file was read, but not as it claimed to be (e.g. not valid UTF-8)."""


def exit_code(exc: BaseException) -> int:
    """The exit status of a run that `exc` stopped (or that `exc` spoiled one document of)."""
    if isinstance(exc, ClaimtrackError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return EXIT_USAGE
