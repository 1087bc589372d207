"""claimtrack: find, normalise, attribute and compare quantitative claims in documents.

>>> import claimtrack
>>> [c.text for c in claimtrack.extract("The trust employs around 250 nurses.")]
['around 250']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

__all__ = [
    "Attribution",
    "Claim",
    "ClaimStore",
    "ClaimtrackError",
    "Document",
    "Finding",
    "InputError",
    "Quantity",
    "RuleError",
    "RuleSet",
    "__version__",
    "claim_to_dict",
    "compare",
    "extract",
    "extract_document",
    "extract_file",
    "load_document",
]

# The public names are imported on first use so that `claimtrack --version`
# and `import claimtrack` stay cheap (regex and attrs load only when needed).
_LAZY = {
    "Attribution": "model",
    "Claim": "model",
    "ClaimStore": "store",
    "Document": "model",
    "Quantity": "model",
    "Finding": "model",
    "claim_to_dict": "model",
    "compare": "compare",
    "ClaimtrackError": "errors",
    "InputError": "errors",
    "RuleError": "errors",
    "RuleSet": "rules",
    "extract": "pipeline",
    "extract_document": "pipeline",
    "extract_file": "pipeline",
    "load_document": "document",
}

if TYPE_CHECKING:
    from .compare import compare
    from .document import load_document
    from .errors import ClaimtrackError, InputError, RuleError
    from .model import Attribution, Claim, Document, Finding, Quantity, claim_to_dict
    from .pipeline import extract, extract_document, extract_file
    from .rules import RuleSet
    from .store import ClaimStore


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'claimtrack' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
