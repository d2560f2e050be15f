"""An expectation's file name (``name=``, else the provider) is a name, never a path.

``Expectation(consumer, name=...)`` (and the ``accord_expectation`` fixture) writes
``consumers/<consumer>/<name>.json``. The consumer was slugified, the name was taken as
written: ``name="../../../outside"`` wrote ``outside.json`` beside the registry,
``"a/b"`` into a new directory, ``"x\\ny"`` a file name with a line break, ``"CON"`` a
Windows device name. Such a name is now refused when the expectation is made, before
anything is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.consumers import Expectation, string
from accord.errors import AccordError

BAD = [
    "../../../outside",
    "a/b",
    "a\\b",
    "x\ny",
    ".hidden",
    "..",
    "CON",
    "Users",
    "users.v2",
    " users",
]


def _write(root: Path, name: str) -> Path:
    e = Expectation("billing", name=name, provider="users-service")
    e.upon_receiving("get").with_request("GET", "/u").will_respond_with(
        200, body={"a": string("x")}
    )
    return e.write(root)


@pytest.mark.parametrize("name", BAD)
def test_a_file_name_that_is_no_name_is_refused_and_nothing_written(
    tmp_path: Path, name: str
) -> None:
    root = tmp_path / "registry" / "contracts"
    root.mkdir(parents=True)
    with pytest.raises(AccordError) as info:
        _write(root, name)
    assert info.value.code in ("name-invalid", "name-reserved")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("provider", ["../x", "Users Service"])
def test_a_provider_that_is_no_name_is_refused_when_it_names_the_file(provider: str) -> None:
    with pytest.raises(AccordError):
        Expectation("billing", provider=provider)


def test_a_name_is_written_where_it_says(tmp_path: Path) -> None:
    assert _write(tmp_path, "users-v2") == tmp_path / "consumers" / "billing" / "users-v2.json"
