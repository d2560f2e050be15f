"""A path argument too long to stat (ENAMETOOLONG) is a missing file or registry: exit 2
or an AccordError, never an internal error (``Path.exists``/``is_dir`` raise OSError
for it, unlike for a missing file)."""

from __future__ import annotations

import warnings

import pytest

from accord.cli import main
from accord.compat import diff
from accord.errors import AccordError, RegistryError
from accord.registry.model import Registry

LONG = "x" * 5000


@pytest.mark.parametrize(
    "argv",
    [
        ["diff", LONG, LONG],
        ["diff", f"{LONG}@x", LONG],
        ["list", "--registry", LONG],
        ["validate", "orders.order-placed", "payload.json", "--registry", LONG],
        ["check", "--registry", LONG],
    ],
    ids=["diff", "diff-with-at", "list", "validate", "check"],
)
def test_a_path_too_long_to_stat_is_exit_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_registry_load_of_a_root_too_long_to_stat_is_registry_not_found() -> None:
    with pytest.raises(RegistryError) as info:
        Registry.load(LONG)
    assert info.value.problems[0].code == "registry-not-found"


def test_diff_of_a_name_too_long_to_stat_is_an_accord_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the str-guessing warning
        with pytest.raises(AccordError):
            diff(LONG, LONG)
