"""The one exception family of claimtrack, and the exit code of each kind."""

from __future__ import annotations


class ClaimtrackError(Exception):
    """Base of every error claimtrack raises on purpose."""

    exit_code = 2


class InputError(ClaimtrackError):
    """A file or option the user gave cannot be used."""


class RuleError(ClaimtrackError):
    """A rule data file (built in or user-supplied) is malformed."""


class StoreError(ClaimtrackError):
    """The claim store cannot be opened or written."""
