"""The load snapshot (accord.registry.snapshot): a registry loaded again, unchanged, is
the registry a load from its files builds; any change to what the load read is seen; a
snapshot the machine did not sign is never read."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

import accord
from _releases import CHECKING_LIBRARIES, pretend_release
from accord.errors import RegistryError
from accord.registry import model, snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def registry_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example registry, and inputs taken as settled at once (the files
    were written a moment ago: by default a load writes no snapshot of them)."""
    root = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts", root)
    monkeypatch.setattr(snapshot, "_SETTLED_NS", 0)
    time.sleep(0.02)  # past the file system clock's tick: the copy is older than the load
    return root


def _restored(registry: model.Registry) -> bool:
    return "snapshot" in registry._memo


def _snapshots(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from accord.core.cachedir import cache_dir

    return sorted((cache_dir() / "snapshots").glob("*.bin"))


def _later_write(path: Path, data: bytes) -> None:
    time.sleep(0.02)  # a write in a later clock tick than the load's read
    path.write_bytes(data)


def test_restored_registry_is_the_loaded_one(registry_root: Path) -> None:
    loaded = model.Registry.load(registry_root)
    assert not _restored(loaded)
    again = model.Registry.load(registry_root)
    assert _restored(again)
    assert again.root == loaded.root
    assert again.settings == loaded.settings
    assert dict(again.lock) == dict(loaded.lock)
    assert again.problems == loaded.problems == ()
    assert list(again.contracts) == list(loaded.contracts)
    assert repr(again) == repr(loaded)
    for old, new in zip(loaded.versions(), again.versions(), strict=True):
        assert (new.ref, new.draft, new.yanked, new.file, new.path) == (
            old.ref,
            old.draft,
            old.yanked,
            old.file,
            old.path,
        )
        assert model.own_text(new) == model.own_text(old)  # what a validator compiles
        assert new.raw == old.raw  # reads a version the load left unread, checked
        assert new.document == old.document
        assert new.digest == old.digest
    for contract in loaded:
        for version in contract.versions:
            first = accord.validator(version.ref, registry=loaded)
            second = accord.validator(version.ref, registry=again)
            assert second.schema == first.schema
            for example in version.document.get("examples") or [{}, [], "x", 1]:
                assert second.is_valid(example) == first.is_valid(example)


@pytest.mark.parametrize(
    "change",
    [
        "edit-latest-same-size",
        "edit-contract-toml",
        "add-version",
        "remove-version",
        "rename-over-latest",
        "add-contract",
        "edit-lock",
        "add-accord-toml",
    ],
)
def test_any_change_to_what_the_load_read_is_seen(registry_root: Path, change: str) -> None:
    model.Registry.load(registry_root)
    assert _restored(model.Registry.load(registry_root))
    money = registry_root / "common" / "money"
    latest = money / "1.0.0.schema.json"
    if change == "edit-latest-same-size":
        raw = latest.read_bytes()
        broken = raw.replace(b'"', b"'", 1)  # same size, no longer JSON
        _later_write(latest, broken)
    elif change == "edit-contract-toml":
        toml = money / "contract.toml"
        _later_write(toml, toml.read_bytes() + b"\nunknown-key = 1\n")
    elif change == "add-version":
        _later_write(money / "1.0.1.schema.json", b"{}")
    elif change == "remove-version":
        time.sleep(0.02)
        (registry_root / "orders" / "order-placed" / "2.0.0.schema.json").unlink()
    elif change == "rename-over-latest":
        other = money / ".tmp"
        other.write_bytes(latest.read_bytes().replace(b'"', b"'", 1))
        time.sleep(0.02)
        other.replace(latest)
    elif change == "add-contract":
        time.sleep(0.02)
        (money.parent / "new-one").mkdir()
    elif change == "edit-lock":
        lock = registry_root / "accord.lock"
        _later_write(lock, lock.read_bytes().replace(b"sha256:b", b"sha256:c", 1))
    elif change == "add-accord-toml":
        _later_write(registry_root / "accord.toml", b"[limits]\nnot-a-limit = 1\n")
    if change == "add-version":  # a draft: the load reads it
        registry = model.Registry.load(registry_root)
        assert not _restored(registry)
        assert registry.get("common.money@1.0.1").draft
    else:
        with pytest.raises(RegistryError):
            model.Registry.load(registry_root)


def test_an_old_version_edited_is_refused_on_first_use_as_after_any_load(
    registry_root: Path,
) -> None:
    """A version the load left unread is no input of the snapshot (its directory is):
    its first use checks it against the lock, as after a load from the files."""
    model.Registry.load(registry_root)
    old = registry_root / "orders" / "order-placed" / "1.0.0.schema.json"
    _later_write(old, old.read_bytes().replace(b'"', b"'", 1))
    again = model.Registry.load(registry_root)
    assert _restored(again)
    with pytest.raises(RegistryError):
        again.get("orders.order-placed@1.0.0").document


def test_a_snapshot_this_machine_did_not_sign_is_not_read(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.Registry.load(registry_root)
    (path,) = _snapshots(monkeypatch)
    data = bytearray(path.read_bytes())
    data[-1] ^= 1  # one bit of the pickled state
    path.write_bytes(bytes(data))
    assert not _restored(model.Registry.load(registry_root))  # and it is written again
    assert _restored(model.Registry.load(registry_root))
    # another machine's secret: a snapshot carried over is not believed
    from accord.core import cachedir

    secret = Path(path.parent.parent / "signing-secret")
    secret.write_bytes(b"\x01" * 32)
    cachedir.signing_secret.cache_clear()
    assert not _restored(model.Registry.load(registry_root))
    path.write_bytes(b"accord-load-snapshot 1\n")  # truncated
    cachedir.signing_secret.cache_clear()
    assert not _restored(model.Registry.load(registry_root))


@pytest.mark.parametrize("planted", ["readable-by-others", "writable-by-group", "another-user"])
def test_a_secret_someone_else_can_know_signs_nothing(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch, planted: str
) -> None:
    """A shared cache directory (``ACCORD_CACHE_DIR=/tmp/accord``) may hold a
    ``signing-secret`` another user made first or can read: whoever knows it can sign
    a snapshot (unpickled on load) or a startup proof. Such a secret is not used."""
    import os

    from accord.core import cachedir

    secret = cachedir.cache_dir() / "signing-secret"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"\x01" * 32)  # known to whoever planted it
    secret.chmod({"readable-by-others": 0o604, "writable-by-group": 0o620}.get(planted, 0o600))
    if planted == "another-user":
        owner = secret.stat().st_uid
        monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    cachedir.signing_secret.cache_clear()
    assert cachedir.machine_secret() is None
    model.Registry.load(registry_root)
    assert not _snapshots(monkeypatch)
    assert not _restored(model.Registry.load(registry_root))
    assert secret.read_bytes() == b"\x01" * 32  # left alone: not ours to replace


def test_no_snapshot_in_a_cache_directory_inside_a_work_tree(
    registry_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache directory a repository holds could bring a forged snapshot and its
    secret: there is no secret there, so no snapshot is written or read."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(repo / "cache"))
    model.Registry.load(registry_root)
    assert not _restored(model.Registry.load(registry_root))
    assert not (repo / "cache").exists()


def test_inputs_changed_just_before_the_load_write_no_snapshot(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file written in the load's clock tick may be written again in it, keeping its
    times: inputs younger than the settle margin make the load write no snapshot."""
    monkeypatch.setattr(snapshot, "_SETTLED_NS", 2_000_000_000)
    model.Registry.load(registry_root)
    assert _snapshots(monkeypatch) == []
    assert not _restored(model.Registry.load(registry_root))


def test_snapshots_can_be_turned_off(registry_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_LOAD_SNAPSHOT", "0")
    model.Registry.load(registry_root)
    assert _snapshots(monkeypatch) == []
    model.Registry.load(registry_root)
    monkeypatch.delenv("ACCORD_LOAD_SNAPSHOT")
    model.Registry.load(registry_root)
    monkeypatch.setenv("ACCORD_LOAD_SNAPSHOT", "0")
    assert not _restored(model.Registry.load(registry_root))


def test_a_registry_with_a_draft_or_a_warning_is_not_snapshotted(registry_root: Path) -> None:
    money = registry_root / "common" / "money"
    (money / "1.1.0.schema.json").write_bytes((money / "1.0.0.schema.json").read_bytes())
    time.sleep(0.02)
    registry = model.Registry.load(registry_root)
    assert any(v.draft for v in registry.versions())
    assert not _restored(model.Registry.load(registry_root))


def test_check_all_never_reads_a_snapshot(registry_root: Path) -> None:
    model.Registry.load(registry_root)
    assert not _restored(model.Registry.load(registry_root, check_all=True))


def test_a_process_with_another_integer_digit_limit_reads_the_files(
    registry_root: Path,
) -> None:
    """How many digits a number may have decides whether a schema's long integer is
    refused: a snapshot is only taken by a process with the same limit."""
    import sys

    model.Registry.load(registry_root)
    limit = sys.get_int_max_str_digits()
    try:
        sys.set_int_max_str_digits(limit + 1)
        assert not _restored(model.Registry.load(registry_root))
    finally:
        sys.set_int_max_str_digits(limit)
    assert _restored(model.Registry.load(registry_root))


def test_an_interrupted_write_leaves_no_file(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from accord.core.cachedir import cache_dir, machine_secret

    assert machine_secret() is not None  # made before the disk fills up

    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", full)
        model.Registry.load(registry_root)  # the load itself never fails for it
    assert list((cache_dir() / "snapshots").iterdir()) == []
    model.Registry.load(registry_root)
    assert _restored(model.Registry.load(registry_root))


def test_a_pattern_that_may_backtrack_is_still_capped_after_a_restore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot keeps whether a latest release's text may need the backtracking cap
    (may_backtrack, computed when it is written): a restored validator is capped alike."""
    from _registry_builders import DRAFT_2020_12, locked_version

    root = tmp_path / "contracts"
    lookahead = {"$schema": DRAFT_2020_12, "type": "string", "pattern": "^(?=a)a+$"}
    plain = {"$schema": DRAFT_2020_12, "type": "string", "pattern": "^a+$"}
    locked_version(root, "shop.look", "1.0.0", lookahead)
    locked_version(root, "shop.plain", "1.0.0", plain)
    for contract in ("look", "plain"):
        (root / "shop" / contract / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    monkeypatch.setattr(snapshot, "_SETTLED_NS", 0)
    time.sleep(0.02)
    loaded = model.Registry.load(root)
    again = model.Registry.load(root)
    assert _restored(again)
    found = {v.ref: model.own_text(v) for v in again.versions()}
    assert found == {v.ref: model.own_text(v) for v in loaded.versions()}
    assert found["shop.look@1.0.0"] is not None
    assert found["shop.look@1.0.0"][0][2] is True
    assert found["shop.plain@1.0.0"] is not None
    assert found["shop.plain@1.0.0"][0][2] is False
    assert not accord.validator("shop.look@1.0.0", registry=again).is_valid("b")


def test_the_snapshot_directory_keeps_the_latest_few(
    registry_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One snapshot per registry root, the least recently written removed past a bound:
    temp copies and old worktrees do not fill the disk."""
    monkeypatch.setattr(snapshot, "_KEPT", 3)
    roots = []
    for n in range(5):
        copy = tmp_path / f"copy-{n}"
        shutil.copytree(registry_root, copy)
        roots.append(copy)
    time.sleep(0.02)
    for copy in roots:
        model.Registry.load(copy)
        time.sleep(0.01)
    assert len(_snapshots(monkeypatch)) == 3
    assert _restored(model.Registry.load(roots[-1]))
    assert not _restored(model.Registry.load(roots[0]))


@pytest.mark.parametrize("library", CHECKING_LIBRARIES)
def test_the_snapshot_key_holds_each_checking_library_version(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch, library: str
) -> None:
    place = snapshot._place(registry_root.resolve())
    assert place is not None
    pretend_release(monkeypatch, library, "0.0.0-upgraded")
    other = snapshot._place(registry_root.resolve())
    assert other is not None
    assert other[0] != place[0]


def test_a_snapshot_of_another_library_release_is_not_read(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A service that upgrades jsonschema-rs checks its registry again: the snapshot the
    old release's checks passed is not taken."""
    model.Registry.load(registry_root)
    assert _restored(model.Registry.load(registry_root))
    with monkeypatch.context() as patch:
        pretend_release(patch, "jsonschema_rs", "999.0.0")
        assert not _restored(model.Registry.load(registry_root))  # and writes its own
        assert _restored(model.Registry.load(registry_root))
    assert _restored(model.Registry.load(registry_root))


def test_installed_versions_reads_each_dist_info_name_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import sys

    from accord.core import cachedir

    first, second = tmp_path / "first", tmp_path / "second"
    (first / "alpha-1.0.dist-info").mkdir(parents=True)
    (first / "alpha_beta-9.dist-info").mkdir()
    (second / "alpha-2.0.dist-info").mkdir(parents=True)  # shadowed, as for an import
    (second / "beta-3.1.dist-info").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(first), str(second)])
    listed: list[str] = []
    real = os.listdir

    def listdir(path: str) -> list[str]:
        listed.append(path)
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    found = cachedir.installed_versions.__wrapped__(("alpha", "beta"))
    assert found == ("1.0", "3.1")
    assert listed == [str(tmp_path / "missing"), str(first), str(second)]


def test_a_snapshot_larger_than_the_cap_is_a_miss(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot is read whole and unpickled: a file past the cap is not read at all
    (its size is taken with fstat first), and the load reads the files."""
    model.Registry.load(registry_root)
    (path,) = _snapshots(monkeypatch)
    size = path.stat().st_size
    assert snapshot._MAX_BYTES >= 1 << 30
    monkeypatch.setattr(snapshot, "_MAX_BYTES", size - 1)
    from accord.core import cachedir

    opened: list[object] = []

    def tracking_open(file: object, *args: object, **kwargs: object) -> object:
        opened.append(file)
        return open(file, *args, **kwargs)  # type: ignore[call-overload]

    with monkeypatch.context() as patch:  # the cache directory's reads, and no other
        patch.setattr(cachedir, "open", tracking_open, raising=False)
        loaded = model.Registry.load(registry_root)
    assert not _restored(loaded)
    assert loaded.problems == ()
    assert opened == []  # the snapshot's descriptor was never read
    monkeypatch.setattr(snapshot, "_MAX_BYTES", size)
    assert _restored(model.Registry.load(registry_root))


def test_no_snapshot_past_the_cap_is_written(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One that large would never be read: it is not written (nor any older one kept)."""
    monkeypatch.setattr(snapshot, "_MAX_BYTES", 1024)
    assert not _restored(model.Registry.load(registry_root))
    assert _snapshots(monkeypatch) == []
    assert not _restored(model.Registry.load(registry_root))


def test_a_snapshot_of_another_accord_build_is_not_read(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """accord upgraded in place to a later commit (the same version number, the same
    directory): the registry is checked again by the code now installed, never taken
    from what the older code accepted."""
    from accord.core import cachedir

    model.Registry.load(registry_root)
    assert _restored(model.Registry.load(registry_root))
    monkeypatch.setattr(cachedir, "accord_build", lambda: "files another-commit")
    assert not _restored(model.Registry.load(registry_root))
    assert _restored(model.Registry.load(registry_root))
