"""Testing support: assertions, example payloads, hypothesis strategies, a pytest plugin.

Everything here is importable without pytest; the pytest plugin itself is
:mod:`accord.testing.plugin` (registered through the ``pytest11`` entry point, it
imports nothing from accord until a fixture is used).

Layer: may import :mod:`accord.provider`, :mod:`accord.consumers`,
:mod:`accord.compat`, :mod:`accord.registry`, :mod:`accord.payloads` and below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.testing._helpers import (
    MAX_EXAMPLES,
    assert_compatible,
    assert_conforms,
    examples,
    mutations,
    strategy,
)

__all__ = [
    "MAX_EXAMPLES",
    "ProviderCase",
    "assert_compatible",
    "assert_conforms",
    "examples",
    "mutations",
    "provider_cases",
    "strategy",
]

if TYPE_CHECKING:
    from accord.testing._provider import ProviderCase, provider_cases


def __getattr__(name: str) -> Any:
    # Provider verification helpers import pytest; load them only when asked for, so
    # ``accord.testing`` stays importable without pytest.
    if name in ("ProviderCase", "provider_cases"):
        from accord.testing import _provider

        return getattr(_provider, name)
    raise AttributeError(f"module 'accord.testing' has no attribute {name!r}")
