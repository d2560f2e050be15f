"""``Registry.load`` lists old published versions and reads one on first use.

What that must never do: let a command that vouches for the whole registry pass a
version nobody read (check, lint, check --against, publish, codegen, package, the
service startup checks all read everything), or hand out a version whose bytes are not
the ones published (edited, or swapped for a symlink or a FIFO, after the load).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import commit_all, init_repo
from accord.cli import main
from accord.errors import RegistryError
from accord.registry.model import Registry, _deferred
from accord.registry.runtime import clear_caches
from accord.service.startup import require

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA: dict[str, Any] = {
    "$schema": DRAFT,
    "type": "object",
    "properties": {"id": {"type": "integer"}},
    "required": ["id"],
}
OLD = "orders/placed/1.0.0.schema.json"


def _relock(root: Path, rel: str, raw: bytes) -> None:
    """Write ``raw`` to ``rel`` with a lock line that matches it (a corrupted file that
    the lock vouches for: only reading it shows what is wrong)."""
    (root / rel).write_bytes(raw)
    namespace, name, file = rel.split("/")
    version = file.removesuffix(".schema.json")
    key = f"{namespace}.{name} {version} "
    lines = [x for x in (root / "accord.lock").read_text().splitlines() if not x.startswith(key)]
    lines.append(key + "sha256:" + hashlib.sha256(raw).hexdigest())
    (root / "accord.lock").write_text("".join(f"{x}\n" for x in sorted(lines)))


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    folder = root / "orders" / "placed"
    folder.mkdir(parents=True)
    (folder / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    (root / "accord.lock").write_text("")
    for version, extra in (("1.0.0", {}), ("1.1.0", {"description": "an order"})):
        raw = (json.dumps({**SCHEMA, **extra}, indent=2, sort_keys=True) + "\n").encode()
        _relock(root, f"orders/placed/{version}.schema.json", raw)
    commit_all(repo, "base")
    clear_caches()
    yield root
    clear_caches()


@pytest.fixture
def corrupted(root: Path) -> Path:
    """The old version 1.0.0 rewritten as text that is not JSON, and re-locked."""
    _relock(root, OLD, b'{"type": "object",\n')
    return root


def _exit(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out + err


def test_the_load_lists_the_old_version_and_its_first_use_refuses_it(corrupted: Path) -> None:
    registry = Registry.load(corrupted)
    old = registry.get("orders.placed@1.0.0")
    assert _deferred(old) is not None
    with pytest.raises(RegistryError) as full:
        Registry.load(corrupted, check_all=True)
    with pytest.raises(RegistryError) as used:
        old.document
    assert (used.value.code, used.value.file) == ("json-malformed", OLD)
    assert used.value.problems == full.value.problems
    with pytest.raises(RegistryError) as verified:
        registry.verify_all()
    assert verified.value.problems == full.value.problems


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["lint"],
        ["check", "--against", "main", "--against-tip", "--no-cache"],
        ["codegen", "--out", "{out}", "--no-cache"],
        ["publish", "orders.placed", "--schema", "{schema}"],
    ],
    ids=["check", "lint", "check-against", "codegen", "publish"],
)
def test_every_command_that_vouches_for_the_registry_refuses_it(
    corrupted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    schema = tmp_path / "next.json"
    schema.write_text(json.dumps({**SCHEMA, "description": "next"}))
    lock = (corrupted / "accord.lock").read_bytes()
    args = [a.format(out=tmp_path / "gen", schema=schema) for a in argv]
    code, printed = _exit(capsys, *args, "--registry", corrupted)
    assert code == 2, printed
    assert "json-malformed" in printed
    assert (corrupted / "accord.lock").read_bytes() == lock
    assert not (corrupted / "orders" / "placed" / "1.2.0.schema.json").exists()
    assert not (tmp_path / "gen").exists()


def test_the_service_startup_check_refuses_it(corrupted: Path) -> None:
    from pydantic import BaseModel

    class Order(BaseModel):
        id: int

    with pytest.raises(RegistryError) as caught:
        require("orders.placed@^1", model=Order, role="producer", registry=corrupted)
    assert (caught.value.code, caught.value.file) == ("json-malformed", OLD)


def test_an_old_version_edited_after_the_load_is_refused_on_first_use(root: Path) -> None:
    registry = Registry.load(root)
    (root / OLD).write_bytes((root / OLD).read_bytes() + b"\n")
    with pytest.raises(RegistryError) as caught:
        registry.get("orders.placed@1.0.0").raw
    assert (caught.value.code, caught.value.file) == ("lock-digest-mismatch", OLD)


def test_a_symlink_swapped_in_after_the_load_is_not_followed(root: Path, tmp_path: Path) -> None:
    registry = Registry.load(root)
    outside = tmp_path / "outside.json"
    outside.write_bytes((root / OLD).read_bytes())  # the very bytes published
    (root / OLD).unlink()
    (root / OLD).symlink_to(outside)
    with pytest.raises(RegistryError) as caught:
        registry.get("orders.placed@1.0.0").document
    assert (caught.value.code, caught.value.file) == ("path-symlink", OLD)


def test_a_fifo_swapped_in_after_the_load_is_refused_without_blocking(root: Path) -> None:
    registry = Registry.load(root)
    (root / OLD).unlink()
    os.mkfifo(root / OLD)
    with pytest.raises(RegistryError) as caught:
        registry.get("orders.placed@1.0.0").document
    assert (caught.value.code, caught.value.file) == ("path-special-file", OLD)


def test_a_version_a_latest_release_refers_to_is_checked_at_load(root: Path) -> None:
    latest = {**SCHEMA, "$ref": "accord://orders.placed@1.0.0"}
    raw = (json.dumps(latest, indent=2, sort_keys=True) + "\n").encode()
    _relock(root, "orders/placed/1.1.0.schema.json", raw)
    registry = Registry.load(root)
    assert _deferred(registry.get("orders.placed@1.0.0")) is None  # read at load
    _relock(root, OLD, b"[1, 2")
    with pytest.raises(RegistryError) as full:
        Registry.load(root, check_all=True)
    with pytest.raises(RegistryError) as caught:
        Registry.load(root)
    assert caught.value.problems == full.value.problems
    assert (caught.value.code, caught.value.file) == ("json-malformed", OLD)
