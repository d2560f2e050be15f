"""accord codegen no-op: decided from digests without loading, and never when it is not one.

A run that left the package up to date keeps the digest of the registry's tree and of
every package file in the cache; a same run is then answered from them. Each test below
changes one input the decision must see and proves the full path ran (and did what it
always did).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.codegen import _noop, _package, generate_registry
from accord.core.cache import ContentCache
from accord.errors import RegistryError
from accord.registry.model import Registry

SCHEMA = {"type": "object", "properties": {"id": {"type": "integer"}}}


def publish(root: Path, contracts: dict[str, dict[str, Any]]) -> None:
    """Write every given version and lock it (the lock lists every file on disk)."""
    for contract_id, versions in contracts.items():
        namespace, name = contract_id.split(".")
        directory = root / namespace / name
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
        for version, schema in versions.items():
            raw = json.dumps(
                {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
            ).encode()
            (directory / f"{version}.schema.json").write_bytes(raw)
    lock = [
        f"{p.parent.parent.name}.{p.parent.name} {p.name.removesuffix('.schema.json')} "
        f"sha256:{hashlib.sha256(p.read_bytes()).hexdigest()}\n"
        for p in root.glob("*/*/*.schema.json")
    ]
    (root / "accord.lock").write_text("".join(sorted(lock)))


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every ``Registry.load`` of the test (the full path loads, the no-op does not)."""
    seen: list[Path] = []
    real = Registry.load.__func__  # type: ignore[attr-defined]

    def load(cls: type[Registry], root: Any, **options: Any) -> Registry:
        seen.append(Path(root))
        return real(cls, root, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(Registry, "load", classmethod(load))
    return seen


def _tree(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, ContentCache]:
    root, out = tmp_path / "contracts", tmp_path / "out"
    publish(root, {"a.one": {"1.0.0": SCHEMA}, "b.two": {"1.0.0": SCHEMA, "1.1.0": SCHEMA}})
    cache = ContentCache(tmp_path / "cache")
    first = generate_registry(root, out, cache=cache)
    assert first.regenerated
    assert first.written
    return root, out, cache


def run(root: Path, out: Path, cache: ContentCache | None, **kw: Any) -> _package.CodegenResult:
    return generate_registry(root, out, cache=cache, **kw)


def test_a_no_op_loads_nothing_and_reports_every_file_unchanged(
    setup: tuple[Path, Path, ContentCache], loads: list[Path]
) -> None:
    root, out, cache = setup
    before = _tree(out)
    full = run(root, out, None)  # the full path's verdict on the same package
    assert len(loads) == 1
    quick = run(root, out, cache)
    assert len(loads) == 1  # not loaded again
    assert quick == full
    assert quick.up_to_date
    assert quick.unchanged == tuple(sorted(before))
    checked = run(root, out, cache, check=True)
    assert len(loads) == 1
    assert checked.up_to_date
    assert checked.stale == ()
    assert _tree(out) == before


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda root: (root / "a/one/contract.toml").write_text(
                'owner = "other"\nkind = "event"\n'
            ),
            id="contract-toml",
        ),
        pytest.param(lambda root: (root / "a/one/notes.md").write_text("x"), id="added-file"),
        pytest.param(lambda root: (root / "a/one/examples").mkdir(), id="added-directory"),
        pytest.param(
            lambda root: (root / "accord.toml").write_text('mode = "backward"\n'), id="accord-toml"
        ),
    ],
)
def test_any_change_under_the_root_takes_the_full_path(
    setup: tuple[Path, Path, ContentCache], loads: list[Path], edit: Any
) -> None:
    root, out, cache = setup
    edit(root)
    result = run(root, out, cache)
    assert len(loads) == 1
    assert result.up_to_date  # nothing the models depend on changed
    run(root, out, cache)
    assert len(loads) == 1  # and the new tree is remembered


def test_a_changed_schema_is_regenerated(
    setup: tuple[Path, Path, ContentCache], loads: list[Path], tmp_path: Path
) -> None:
    root, out, cache = setup
    changed = {**SCHEMA, "properties": {"id": {"type": "integer"}, "x": {"type": "string"}}}
    publish(root, {"b.two": {"1.2.0": changed}})
    assert run(root, out, cache, check=True).stale
    result = run(root, out, cache)
    assert "accord_models/b/two/v1_2_0.py" in result.regenerated
    assert _tree(out) == _tree(_fresh(root, tmp_path))


def test_an_edited_published_schema_is_still_refused(
    setup: tuple[Path, Path, ContentCache],
) -> None:
    root, out, cache = setup
    (root / "a/one/1.0.0.schema.json").write_text(json.dumps({**SCHEMA, "type": "array"}))
    with pytest.raises(RegistryError):
        run(root, out, cache)


def test_a_symlink_under_the_root_is_still_refused(
    setup: tuple[Path, Path, ContentCache],
) -> None:
    root, out, cache = setup
    (root / "a/one/link.json").symlink_to(root / "a/one/1.0.0.schema.json")
    assert _noop.tree_inputs(root) is None
    with pytest.raises(RegistryError) as caught:
        run(root, out, cache)
    assert "path-symlink" in {p.code for p in caught.value.problems}


@pytest.mark.parametrize("check", [False, True])
@pytest.mark.parametrize("how", ["edit", "delete"])
def test_a_hand_edited_or_deleted_generated_file_is_seen(
    setup: tuple[Path, Path, ContentCache], loads: list[Path], check: bool, how: str
) -> None:
    root, out, cache = setup
    before = _tree(out)
    rel = "accord_models/a/one/v1_0_0.py" if how == "edit" else "accord_models/b/two/v1_1_0_fast.py"
    if how == "edit":
        (out / rel).write_text((out / rel).read_text() + "# hand edit\n")
    else:
        (out / rel).unlink()
    result = run(root, out, cache, check=check)
    assert len(loads) == 1
    if check:
        assert result.stale == (rel,)
    else:
        assert result.written == (rel,)
        assert _tree(out) == before


@pytest.mark.parametrize("check", [False, True])
def test_a_file_added_to_the_package_is_seen(
    setup: tuple[Path, Path, ContentCache], loads: list[Path], check: bool
) -> None:
    """The no-op path compared only the files it recorded: a module added to the package
    afterwards was answered up to date without loading (``--check`` too)."""
    root, out, cache = setup
    (out / "accord_models/a/one/v9_0_0.py").write_text("MODELS = {}\n")
    result = run(root, out, cache, check=check)
    assert len(loads) == 1
    if check:
        assert result.stale == ("accord_models/a/one/v9_0_0.py",)


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(("accord.core.cache", "__version__", "9.9.9"), id="accord-version"),
        pytest.param(("accord.codegen._noop", "GENERATOR_VERSION", "0.0.1"), id="generator-pin"),
        pytest.param(("accord.codegen._noop", "OPTIONS_KEY", "0" * 16), id="generator-options"),
        pytest.param(
            ("accord.codegen._noop", "fast_generator_version", lambda: "0.0.1"),
            id="fastjsonschema-version",
        ),
    ],
)
def test_another_accord_or_generator_takes_the_full_path(
    setup: tuple[Path, Path, ContentCache],
    loads: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    target: tuple[str, str, Any],
) -> None:
    root, out, cache = setup
    module, name, value = target
    monkeypatch.setattr(sys.modules[module], name, value)
    run(root, out, cache)
    assert len(loads) == 1


def test_the_accord_version_is_in_every_module_key(
    setup: tuple[Path, Path, ContentCache], loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another accord regenerates every module (its version is in each header), no-op or not.
    root, out, cache = setup
    for module in ("accord.core.cache", "accord.codegen._package", "accord.codegen._render"):
        monkeypatch.setattr(sys.modules[module], "__version__", "9.9.9")
    result = run(root, out, cache)
    assert len(loads) == 1
    assert len(result.regenerated) == 3
    assert b"accord 9.9.9" in (out / "accord_models/a/one/v1_0_0.py").read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],
        lambda data: data.replace(b'"inputs"', b'"other"'),
        lambda _: b"garbage",
    ],
)
def test_a_damaged_entry_takes_the_full_path(
    setup: tuple[Path, Path, ContentCache], loads: list[Path], damage: Any
) -> None:
    root, out, cache = setup
    before = _tree(out)
    entries = [p for p in (cache.directory / "v1" / _noop.KIND).rglob("*") if p.is_file()]
    assert len(entries) == 1
    entries[0].write_bytes(damage(entries[0].read_bytes()))
    assert run(root, out, cache).up_to_date
    assert len(loads) == 1
    assert _tree(out) == before


def test_a_forged_entry_cannot_name_files_outside_the_package(
    setup: tuple[Path, Path, ContentCache], loads: list[Path], tmp_path: Path
) -> None:
    root, out, cache = setup
    inputs = _noop.tree_inputs(root)
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    _noop.remember(cache, root, out, "accord_models", inputs=inputs, files={"../outside.txt": b"x"})
    run(root, out, cache)
    assert len(loads) == 1


def test_no_cache_always_loads(setup: tuple[Path, Path, ContentCache], loads: list[Path]) -> None:
    root, out, _ = setup
    assert run(root, out, None).up_to_date
    assert len(loads) == 1


def test_another_out_dir_or_package_is_not_answered_by_this_one(
    setup: tuple[Path, Path, ContentCache], loads: list[Path], tmp_path: Path
) -> None:
    root, _, cache = setup
    other = tmp_path / "other"
    other.mkdir()
    run(root, other, cache, package="models_y")
    assert len(loads) == 1
    assert (other / "models_y/a/one/v1_0_0.py").is_file()


def _fresh(root: Path, tmp_path: Path) -> Path:
    fresh = tmp_path / "fresh"
    _package.generate_package(Registry.load(root), fresh)
    return fresh


def test_a_cli_no_op_imports_no_generator_pydantic_or_validator(tmp_path: Path) -> None:
    root, out = tmp_path / "contracts", tmp_path / "out"
    publish(root, {"a.one": {"1.0.0": SCHEMA}})
    code = (
        "import sys; from accord.cli import main\n"
        "argv = ['codegen', '--registry', sys.argv[1], '--out', sys.argv[2]]\n"
        "assert main(argv) == 0\n"
        "heavy = ('datamodel_code_generator', 'pydantic', 'jsonschema', 'jsonschema_rs',\n"
        "         'fastjsonschema', 'referencing', 'accord.registry.model')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "ACCORD_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-c", code, str(root), str(out)]
    first = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
    assert "datamodel_code_generator" in first.stdout  # the first run generates
    second = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
    assert second.stdout.splitlines()[-1] == "[]"
    assert "0 written, 0 removed" in second.stdout
