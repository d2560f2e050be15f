"""``accord retire``, ``accord yank`` and ``accord new`` write ``contract.toml`` text.

``retire`` and ``yank`` edit the file line by line (comments and layout stay). A line
that only looks like ``status = ...`` or ``[yanked]`` (inside a multi-line
``description``) was edited instead: the command said "retired" / "yanked" and exit 0,
the file still parsed, and the contract took new versions / ranges still served the
version. Now an edit is written only when the parsed file differs from before by
exactly what the command means; anything else is ``contract-toml-unsupported`` (exit
2), nothing written.

An argument holding bytes that are not UTF-8 (a lone surrogate in Python's view of
``argv``) was an internal error (exit 3) from ``new`` and ``yank``, and ``new`` left an
empty contract directory behind that broke every later command on the registry.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _registry_builders import publish, snapshot
from accord.cli import main
from accord.registry.model import Registry

DIALECT = "https://json-schema.org/draft/2020-12/schema"
V1 = {"$schema": DIALECT, "type": "object", "properties": {"id": {"type": "integer"}}}
V11 = {**V1, "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}}

# A description whose lines look like the lines the edits look for.
LOOKALIKE = 'owner = "team"\nkind = "event"\ndescription = """\nstatus = "stable"\n[yanked]\n"""\n'


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": V1, "1.1.0": V11})
    (root / "orders" / "thing" / "contract.toml").write_text(LOOKALIKE)
    return root


def test_retire_never_says_retired_while_the_contract_is_not(
    registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["retire", "orders.thing", "--registry", str(registry)])
    meta = Registry.load(registry).contract("orders.thing").meta
    assert (code, meta.status) in ((0, "retired"), (2, "stable"))
    if code == 2:
        assert "contract-toml-unsupported" in capsys.readouterr().err
        assert (registry / "orders" / "thing" / "contract.toml").read_text() == LOOKALIKE


def test_yank_never_says_yanked_while_the_version_is_not(
    registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["yank", "orders.thing@1.0.0", "--reason", "id was a string", "--registry", str(registry)]
    )
    yanked = Registry.load(registry).contract("orders.thing").yanked
    assert (code, bool(yanked)) in ((0, True), (2, False))
    if code == 2:
        assert "contract-toml-unsupported" in capsys.readouterr().err
        assert (registry / "orders" / "thing" / "contract.toml").read_text() == LOOKALIKE


def test_a_plain_file_is_still_edited(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": V1, "1.1.0": V11})
    args = ["--registry", str(root)]
    assert main(["yank", "orders.thing@1.0.0", "--reason", "id was a string", *args]) == 0
    assert main(["retire", "orders.thing", *args]) == 0
    contract = Registry.load(root).contract("orders.thing")
    assert contract.meta.status == "retired"
    assert [str(v) for v in contract.yanked] == ["1.0.0"]


@pytest.mark.parametrize(
    "args",
    [
        ["new", "orders.other", "--owner", "team\udcff", "--kind", "event"],
        ["new", "orders.other", "--owner", "team", "--kind", "event", "--description", "\udcff"],
        ["yank", "orders.thing@1.0.0", "--reason", "broken \udcff"],
    ],
    ids=["new-owner", "new-description", "yank-reason"],
)
def test_an_argument_that_is_not_utf8_is_exit_2_and_writes_nothing(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": V1, "1.1.0": V11})
    before = snapshot(root)
    # Python decodes argv with surrogateescape: the byte 0xff arrives as "\udcff".
    assert main([*args, "--registry", str(root)]) == 2
    assert "internal error" not in capsys.readouterr().err
    assert snapshot(root) == before
    assert main(["lint", "--registry", str(root)]) == 0
