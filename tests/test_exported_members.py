"""The public surface: ``__all__`` complete, sorted, and every name importable."""

from __future__ import annotations

import accord


def test_all_is_sorted_and_unique() -> None:
    assert list(accord.__all__) == sorted(set(accord.__all__))


def test_every_exported_name_resolves() -> None:
    for name in accord.__all__:
        assert getattr(accord, name) is not None, name


def test_no_public_name_is_missing_from_all() -> None:
    import types

    public = {
        name
        for name in dir(accord)
        # submodules become attributes once imported anywhere; they are not re-exports
        if not name.startswith("_") and not isinstance(getattr(accord, name), types.ModuleType)
    }
    assert public <= set(accord.__all__) | {"annotations"}


def test_all_matches_the_lazy_table() -> None:
    assert set(accord.__all__) == set(accord._LAZY) | {"__version__"}
