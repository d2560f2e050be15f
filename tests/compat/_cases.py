"""What every file of cases in the shared case format checks the same way."""

from __future__ import annotations

from typing import Any

from accord.validation.reference import is_valid


def check_listed_witnesses(old: Any, new: Any, witnesses: dict[str, list[Any]]) -> None:
    """Each listed payload is accepted and rejected as its list says, under the
    reference validator (``old_only``, ``new_only``, ``both``)."""
    for listed, expected in (
        ("old_only", (True, False)),
        ("new_only", (False, True)),
        ("both", (True, True)),
    ):
        for payload in witnesses[listed]:
            assert (is_valid(old, payload), is_valid(new, payload)) == expected, (listed, payload)
