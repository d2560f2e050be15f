"""``accord check --against``: the git phase is linear in the registry's size.

The base tree is listed once per run and scanned once (grouped by contract folder);
scanning it once per contract made the phase quadratic (issue 17). The tests count
listings and scans instead of timing anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from _gate_helpers import commit_all, init_repo, make_contract, schema, write_unpublished

from accord.gate import git as git_module
from accord.gate.check import check


class _CountingBlobs(Mapping[str, str]):
    """A tree's blob map that counts full scans (``items``, ``keys``, iteration)."""

    def __init__(self, blobs: Mapping[str, str], scans: list[int]) -> None:
        self._blobs = dict(blobs)
        self._scans = scans

    def __getitem__(self, key: str) -> str:
        return self._blobs[key]

    def __iter__(self) -> Iterator[str]:
        self._scans[0] += 1
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)

    def items(self) -> Any:
        self._scans[0] += 1
        return MappingProxyType(self._blobs).items()

    def values(self) -> Any:
        return MappingProxyType(self._blobs).values()


def _registry(repo: Path, contracts: int = 3, *, versions: int = 1, document: Any = None) -> Path:
    """A git repository at ``repo`` whose registry holds ``contracts`` contracts
    ``orders.c<i>``, each with unpublished versions 1.0.0 .. 1.<versions - 1>.0 of
    ``document`` (default: :func:`schema`); nothing committed yet."""
    init_repo(repo)
    root = repo / "contracts"
    for i in range(contracts):
        make_contract(root, f"orders.c{i}")
        for minor in range(versions):
            write_unpublished(
                root, f"orders.c{i}", f"1.{minor}.0", schema() if document is None else document
            )
    return root


def _spy(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[int]]:
    listings, scans = [0], [0]
    real = git_module.read_tree

    def read_tree(repo: Path, commit: str, prefix: str) -> git_module.GitTree:
        listings[0] += 1
        tree = real(repo, commit, prefix)
        return git_module.GitTree(
            repo=tree.repo,
            commit=tree.commit,
            prefix=tree.prefix,
            blobs=_CountingBlobs(tree.blobs, scans),
        )

    monkeypatch.setattr(git_module, "read_tree", read_tree)
    return listings, scans


@pytest.mark.parametrize("contracts", [3, 24])
def test_the_base_tree_is_listed_once_and_scanned_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contracts: int
) -> None:
    repo = tmp_path / "repo"
    root = _registry(repo, contracts)
    commit_all(repo, "base")
    write_unpublished(root, "orders.c1", "1.1.0", schema(extra={"type": "string"}))
    listings, scans = _spy(monkeypatch)

    report = check(root, against="main", tip=True)

    assert report.exit_code() == 0
    assert report.checked == ("orders.c1",)
    # One `git ls-tree` per run (the lock and the change detection share it), and one
    # pass over its entries whatever the number of contracts.
    assert listings == [1]
    assert scans == [1]


def test_a_changed_contract_toml_or_an_extra_file_is_still_a_change(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    root = _registry(repo)
    # A file deeper in the folder is not one of the contract's files.
    (root / "orders" / "c2" / "examples").mkdir()
    (root / "orders" / "c2" / "examples" / "x.schema.json").write_text("{}")
    commit_all(repo, "base")
    toml = root / "orders" / "c0" / "contract.toml"
    toml.write_text(toml.read_text() + 'description = "edited"\n')

    report = check(root, against="main", tip=True)

    assert report.checked == ("orders.c0",)


def test_a_cli_run_asks_git_each_question_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `accord check --against` keys its output and its run (the work tree's state, the
    # merge-base), lists the base tree and reads its lock: each a git process, asked
    # once per run (the same questions were asked 29 times).
    from _gate_helpers import run_cli

    repo = tmp_path / "repo"
    root = _registry(repo)
    commit_all(repo, "base")
    write_unpublished(root, "orders.c1", "1.1.0", schema(extra={"type": "string"}))
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "cache"))
    asked: list[tuple[str, ...]] = []
    real = git_module._git

    def counting(directory: Path, *args: str, **options: Any) -> bytes:
        asked.append(args)
        return real(directory, *args, **options)

    monkeypatch.setattr(git_module, "_git", counting)

    code, out, _ = run_cli(["check", "--registry", str(root), "--against", "main"], capsys)

    assert code == 0, out
    assert len(asked) == len(set(asked)), asked
    assert [a[0] for a in asked].count("status") == 1
    # One listing of the index, and no untracked scan: the tree digest's own walk of
    # the registry finds what git does not track.
    assert [a[0] for a in asked].count("ls-files") == 1
    (status,) = [a for a in asked if a[0] == "status"]
    assert "--untracked-files=no" in status
    # Outside a run nothing is remembered: a second run asks again.
    asked.clear()
    check(root, against="main")
    assert [a[0] for a in asked].count("merge-base") == 1


def _small_registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    make_contract(root, "orders.c0")
    write_unpublished(root, "orders.c0", "1.0.0", schema())
    write_unpublished(root, "orders.c0", "1.1.0", schema(extra={"type": "string"}))
    return root


def test_no_collection_while_the_registry_loads_and_the_loaded_objects_set_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import accord.gate.check as gate

    seen: dict[str, tuple[bool, int]] = {}
    real_load, real_contract = gate._load, gate._check_contract

    def load(*args: Any, **kwargs: Any) -> Any:
        seen["load"] = (gc.isenabled(), gc.get_freeze_count())
        return real_load(*args, **kwargs)

    def check_contract(*args: Any, **kwargs: Any) -> Any:
        seen["diff"] = (gc.isenabled(), gc.get_freeze_count())
        return real_contract(*args, **kwargs)

    monkeypatch.setattr(gate, "_load", load)
    monkeypatch.setattr(gate, "_check_contract", check_contract)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0

    assert check(_small_registry(tmp_path)).exit_code() == 0

    assert seen["load"] == (False, 0)
    assert seen["diff"][0] is True
    assert seen["diff"][1] > 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_the_collector_is_left_alone_when_the_process_froze_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import accord.gate.check as gate

    enabled: list[bool] = []
    real_load = gate._load

    def load(*args: Any, **kwargs: Any) -> Any:
        enabled.append(gc.isenabled())
        return real_load(*args, **kwargs)

    monkeypatch.setattr(gate, "_load", load)
    root = _small_registry(tmp_path)
    gc.freeze()
    try:
        assert check(root).exit_code() == 0
        assert enabled == [True]
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_collector_is_back_on_when_the_load_fails(tmp_path: Path) -> None:
    import gc

    from accord.errors import RegistryError

    root = _small_registry(tmp_path)
    (root / "orders" / "c0" / "1.0.0.schema.json").write_text("{", encoding="utf-8")
    with pytest.raises(RegistryError):
        check(root)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_no_collection_while_the_run_is_stored_and_the_collector_back_on_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import accord.gate.check as gate
    from accord.core.cache import open_cache

    seen: list[tuple[bool, int]] = []
    real_store = gate._store_run

    def store(*args: Any, **kwargs: Any) -> Any:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return real_store(*args, **kwargs)

    monkeypatch.setattr(gate, "_store_run", store)
    cache = open_cache(tmp_path / "cache", enabled=True)
    assert cache is not None
    assert check(_small_registry(tmp_path), cache=cache).exit_code() == 0
    assert len(seen) == 1
    assert seen[0][0] is False
    assert seen[0][1] > 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("in_git", [False, True])
def test_each_directory_is_listed_once_by_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_git: bool
) -> None:
    # In git and with a cache, the run key's tree digest lists every directory first;
    # the load takes the same listing instead of listing each directory again.
    import os

    import accord.registry.model as model
    from accord.core.cache import open_cache

    root = _small_registry(tmp_path / "repo").resolve()
    if in_git:
        init_repo(root.parent)
        commit_all(root.parent, "base")
    directories = [str(root), *(str(p) for p in root.rglob("*") if p.is_dir())]
    listed: list[str] = []
    real = os.scandir

    def scandir(path: Any) -> Any:
        listed.append(os.fspath(path))
        return real(path)

    cache = open_cache(tmp_path / "cache", enabled=True)
    monkeypatch.setattr(model.os, "scandir", scandir)
    with git_module.session():
        assert check(root, cache=cache if in_git else None).exit_code() == 0
    assert sorted(listed) == sorted(directories)


def test_an_unchanged_line_of_the_base_lock_costs_no_version_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every line of the base's lock is compared with the registry; a line whose version
    # is still there with its digest must not be rendered or sorted (at 5,000 contracts
    # that was 15,000 `str(version)` and a sort of the whole lock).
    from accord.versions import Version

    repo = tmp_path / "repo"
    root = _registry(repo, versions=4, document=schema(extra={"type": "string"}))
    commit_all(repo, "base")
    import accord.gate.check as gate

    counted: list[str] = []
    real_against = gate._against

    def against(*args: Any, **kwargs: Any) -> Any:
        spies = {name: getattr(Version, name) for name in ("__str__", "__lt__", "__le__", "__eq__")}

        def spy(name: str) -> Any:
            def counting(self: Version, *rest: Any) -> Any:
                counted.append(name)
                return spies[name](self, *rest)

            return counting

        for name in spies:
            monkeypatch.setattr(Version, name, spy(name))
        try:
            return real_against(*args, **kwargs)
        finally:
            for name, method in spies.items():
                monkeypatch.setattr(Version, name, method)

    monkeypatch.setattr(gate, "_against", against)

    report = check(root, against="main", tip=True)

    assert report.exit_code() == 0
    assert report.checked == ()
    assert counted == []


def test_blob_id_is_the_id_git_gives_the_bytes(tmp_path: Path) -> None:
    import subprocess

    for data in (b"", b"{}\n", bytes(range(256)) * 40):
        path = tmp_path / "blob"
        path.write_bytes(data)
        by_git = subprocess.run(
            ["git", "hash-object", str(path)], capture_output=True, check=True, text=True
        ).stdout.strip()
        assert git_module.blob_id(data) == by_git
