"""``accord.check`` run on two registries in one process: no verdict crosses over.

The gate memoises version-pair verdicts in the process, keyed by the two files'
digests. A file's digest names its verdict only inside one registry: a ``$ref`` into
another contract's version (``accord://common.money@1.1.0``) is bundled from the
registry it sits in, and another registry (a fork, another checkout, another project
checked by the same CI worker) may hold other bytes under that version. A process that
checked registry A and then registry B, where B's ``orders.placed`` 1.1.0 changes
``amount`` from integer to string through ``common.money`` 1.1.0 (mode ``none``), said
B passed: A's verdict for the same two files was reused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from _registry_builders import locked_version
from accord.gate.check import check

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _registry(root: Path, money_1_1: dict[str, Any]) -> Path:
    """``common.money`` (mode none) 1.0.0 and 1.1.0, and ``orders.placed`` (mode full)
    1.0.0 and 1.1.0 whose ``amount`` refers to each in turn: the same bytes in every
    registry this makes."""
    (root / "accord.toml").parent.mkdir(parents=True)
    (root / "accord.toml").write_text('mode = "full"\n', encoding="utf-8")
    for folder, toml in (
        (root / "common" / "money", 'owner = "team"\nkind = "record"\nmode = "none"\n'),
        (root / "orders" / "placed", 'owner = "team"\nkind = "event"\n'),
    ):
        folder.mkdir(parents=True)
        (folder / "contract.toml").write_text(toml, encoding="utf-8")
    locked_version(root, "common.money", "1.0.0", {"$schema": DIALECT, "type": "integer"})
    locked_version(root, "common.money", "1.1.0", money_1_1)
    for version in ("1.0.0", "1.1.0"):
        amount = {"$ref": f"accord://common.money@{version}"}
        document = {
            "$schema": DIALECT,
            "type": "object",
            "properties": {"amount": amount},
            "required": ["amount"],
        }
        locked_version(root, "orders.placed", version, document)
    return root


def test_a_verdict_of_one_registry_is_not_reused_for_another(tmp_path: Path) -> None:
    described = {"$schema": DIALECT, "type": "integer", "description": "in cents"}
    compatible = _registry(tmp_path / "a", described)
    breaking = _registry(tmp_path / "b", {"$schema": DIALECT, "type": "string"})
    assert check(compatible).exit_code() == 0
    report = check(breaking)
    assert report.exit_code() == 1
    assert [(f.rule, f.contract) for f in report.active] == [("bump-insufficient", "orders.placed")]
