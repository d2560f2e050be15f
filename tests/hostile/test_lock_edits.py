"""``accord.lock`` edited by hand (an editor's byte order mark, an invisible character in
a contract id).

A lock line's contract id was any run of non-space characters, so a line starting with
a byte order mark (``\\ufefforders.thing 1.0.0 sha256:...``, what Notepad writes) parsed
as the lock line of another contract: the real version then had no lock line and
``accord fmt`` rewrote the published file as a draft (lint and check did flag the
registry). A contract id in the lock is now the ASCII characters contract ids are made
of; anything else is ``lock-malformed`` (exit 2) from every reader, ``fmt`` included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _registry_builders import add_contract, digest
from accord.cli import main

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Published as written by hand: not canonical, so fmt would reformat it as a draft.
PUBLISHED = '{"type": "object",   "$schema": "' + DIALECT + '"}'


@pytest.mark.parametrize(
    "prefix", ["\ufeff", "\u200b", "\u2060"], ids=["bom", "zwsp", "word-joiner"]
)
def test_a_lock_id_with_an_invisible_character_is_malformed(
    prefix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    add_contract(root, "orders.thing", {})
    version = root / "orders" / "thing" / "1.0.0.schema.json"
    version.write_text(PUBLISHED)
    line = f"orders.thing 1.0.0 {digest(version)}\n"
    (root / "accord.lock").write_text(line)
    assert main(["fmt", "--check", "--registry", str(root)]) == 0
    (root / "accord.lock").write_text(prefix + line)
    for command in (["fmt"], ["lint"], ["check"]):
        assert main([*command, "--registry", str(root)]) == 2, command
        shown = capsys.readouterr()
        assert "lock-malformed" in shown.out + shown.err, command
    assert version.read_text() == PUBLISHED
