"""A power cut during or after `accord codegen`: modules are not synced to disk one by one.

Only the manifest is synced (last); a generated module a power cut leaves empty or cut
short no longer matches the digest the manifest and the no-op record hold for it, so
the next run, whichever path decides it, rewrites exactly those files, and
``codegen --check`` calls them stale.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from accord.codegen import generate_registry
from accord.core.cache import ContentCache

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}


def _registry(root: Path) -> None:
    directory = root / "a" / "one"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    raw = json.dumps(SCHEMA).encode()
    (directory / "1.0.0.schema.json").write_bytes(raw)
    (root / "accord.lock").write_text(f"a.one 1.0.0 sha256:{hashlib.sha256(raw).hexdigest()}\n")


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("cached", [True, False], ids=["no-op-path", "full-path"])
@pytest.mark.parametrize("damage", ["empty", "cut-short"])
def test_a_module_a_power_cut_damaged_is_rewritten(
    tmp_path: Path, cached: bool, damage: str
) -> None:
    root, out = tmp_path / "contracts", tmp_path / "out"
    _registry(root)
    cache = ContentCache(tmp_path / "cache") if cached else None
    generate_registry(root, out, cache=cache)
    good = _tree(out)
    damaged = ["accord_models/a/one/v1_0_0.py", "accord_models/__init__.py"]
    for rel in damaged:
        data = good[rel]
        (out / rel).write_bytes(b"" if damage == "empty" else data[: len(data) // 2])

    checked = generate_registry(root, out, cache=cache, check=True)
    assert checked.stale == tuple(sorted(damaged))
    result = generate_registry(root, out, cache=cache)
    assert result.written == tuple(sorted(damaged))
    assert _tree(out) == good
