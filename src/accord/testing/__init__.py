"""Testing support: assertions, example payloads, hypothesis strategies, a pytest plugin.

Everything here is importable without pytest; the pytest plugin itself is
:mod:`accord.testing.plugin` (registered through the ``pytest11`` entry point, it
imports nothing from accord until a fixture is used).
"""

from __future__ import annotations

from accord.testing._helpers import (
    assert_compatible,
    assert_conforms,
    examples,
    mutations,
    strategy,
)

__all__ = ["assert_compatible", "assert_conforms", "examples", "mutations", "strategy"]
