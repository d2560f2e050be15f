"""The checking libraries' releases as a test pretends them (tests of every cache key).

The expected list is written out here, not read from accord: a library dropped from
``accord.core.cachedir.CHECKING_LIBRARIES`` fails the tests that use it.
"""

from __future__ import annotations

import pytest

# jsonschema-rs (metaschema, reference validator, witnesses), regress (pattern validity),
# python-jsonschema with its metaschemas and referencing (what jsonschema-rs refuses is
# decided there), msgspec (the parser).
CHECKING_LIBRARIES = (
    "jsonschema_rs",
    "regress",
    "jsonschema",
    "jsonschema_specifications",
    "referencing",
    "msgspec",
)


def pretend_release(monkeypatch: pytest.MonkeyPatch, library: str, version: str) -> None:
    """The installed releases as accord reads them, ``library`` reported as ``version``."""
    from accord.core import cachedir

    real = cachedir.installed_versions

    def pretended(distributions: tuple[str, ...]) -> tuple[str | None, ...]:
        found = real(distributions)
        return tuple(
            version if name == library else seen
            for name, seen in zip(distributions, found, strict=True)
        )

    monkeypatch.setattr(cachedir, "installed_versions", pretended)
