"""JSON Schema as a language, and checking instances against it: dialect detection
and draft-07 normalisation (``dialect``), format checkers (``formats``), the
semantic reference validator on jsonschema-rs (``reference``) and the probe of the
installed one (``probe``), bounded pattern matching (``patterns``), schema
budgets (``budget``), the third-party validator
constructors (``offline``, ``backends``) and the runtime :class:`Validator`
(``validator``). Nothing here knows about registries.

May import: :mod:`accord.core`, :mod:`accord.errors`, :mod:`accord.versions`.

The public names of ``validator`` are importable from here (``from accord.validation import
DEFAULT_MAX_ERRORS``), resolved on first use so importing one submodule stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.validation.validator import DEFAULT_MAX_ERRORS as DEFAULT_MAX_ERRORS
    from accord.validation.validator import Validator as Validator
    from accord.validation.validator import explain_backend as explain_backend

__all__ = [
    "DEFAULT_MAX_ERRORS",
    "Validator",
    "explain_backend",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import importlib

        return getattr(importlib.import_module("accord.validation.validator"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
