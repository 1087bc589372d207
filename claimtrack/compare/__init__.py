"""Compare claims across documents by record linkage (see docs/findings.md).

`compare(claims)` reads each claim once (`evidence.features`), groups claims of one
reading, finds candidate pairs by blocking and scores them (`link`), and turns the
links into findings (`findings`): repeat clusters, conflicts and updates between
them, and arithmetic slips within a sentence (`arithmetic`).

This package is also callable, `claimtrack.compare(claims)`: importing a submodule
binds the package to the name `compare` in `claimtrack`, where the public function
of that name lives, so the package forwards calls to it.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .arithmetic import check_arithmetic
from .figures import Figure, disagree, figure, half_unit, same_figure
from .findings import blocking_keys, collection_lexicon, compare
from .keys import Key, alternate_blocks, claim_key, keyed, subject_words

#: Changes whenever what linking reads or how it weighs it changes: a store that
#: recorded findings or terms under another version re-derives them.
FEATURE_VERSION = "link-3"

__all__ = ["FEATURE_VERSION", "Figure", "Key", "alternate_blocks", "blocking_keys",
           "check_arithmetic", "claim_key", "collection_lexicon", "compare", "disagree",
           "figure", "half_unit", "keyed", "same_figure", "subject_words"]


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return compare(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
