"""``accord check --against``: only a file the base commit holds byte for byte, and had
locked, is loaded the cheap way; anything else is checked in full and refused.

The gate keeps only the bytes of an unchanged, self-contained version (parsed when a
diff first reads it). An edit to a published file, even re-locked in the working
``accord.lock``, makes its bytes differ from the base: it gets every check again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import commit_all, edit_keeping_stat, init_repo
from _registry_builders import git as _git
from accord.errors import AccordError, RegistryError
from accord.gate.check import check
from accord.registry import model as registry_module

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA: dict[str, Any] = {
    "$schema": DRAFT,
    "type": "object",
    "$defs": {"id": {"type": "integer"}},
    "properties": {"id": {"$ref": "#/$defs/id"}},
    "required": ["id"],
}


def _write(root: Path, contract: str, version: str, document: Any, *, lock: bool = True) -> None:
    namespace, name = contract.split(".")
    folder = root / namespace / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "contract.toml").write_text('owner = "team"\nkind = "event"\n', encoding="utf-8")
    raw = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()
    (folder / f"{version}.schema.json").write_bytes(raw)
    if lock:
        _relock(root, contract, version, "sha256:" + hashlib.sha256(raw).hexdigest())


def _relock(root: Path, contract: str, version: str, digest: str) -> None:
    path = root / "accord.lock"
    lines = path.read_text().splitlines() if path.exists() else []
    lines = [x for x in lines if not x.startswith(f"{contract} {version} ")]
    lines.append(f"{contract} {version} {digest}")
    path.write_text("".join(f"{x}\n" for x in sorted(lines)))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    for i in range(3):
        _write(root, f"orders.c{i}", "1.0.0", SCHEMA)
    commit_all(repo, "base")
    return root


def _fully_checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose $refs the load resolved (every file but those kept as bytes)."""
    seen: list[str] = []
    real = registry_module._check_refs

    def spy(index: Any, version: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(version.file)
        return real(index, version, *args, **kwargs)

    monkeypatch.setattr(registry_module, "_check_refs", spy)
    return seen


def test_an_edited_published_version_relocked_is_checked_in_full_and_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _fully_checked(monkeypatch)
    bad = {**SCHEMA, "properties": {"id": {"type": "integr"}}}
    _write(root, "orders.c1", "1.0.0", bad)  # edited, and its lock line rewritten to match
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "schema-metaschema"
    assert "orders/c1/1.0.0.schema.json" in seen


def test_an_edited_published_version_with_a_dangling_ref_is_refused(root: Path) -> None:
    dangling = {**SCHEMA, "properties": {"id": {"$ref": "#/$defs/missing"}}}
    _write(root, "orders.c2", "1.0.0", dangling)
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert "orders/c2/1.0.0.schema.json" in str(info.value)


def test_a_file_equal_to_the_base_but_not_to_the_working_lock_is_reported(root: Path) -> None:
    _relock(root, "orders.c0", "1.0.0", "sha256:" + "0" * 64)
    report = check(root, against="main", tip=True)
    assert [(f.rule, f.contract) for f in report.active] == [("lock-digest-mismatch", "orders.c0")]
    assert report.exit_code() == 1


def test_a_file_the_base_locked_but_did_not_hold_is_checked_in_full(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base commit's lock names bytes its own file does not have: the working file
    # matches that lock line, yet it is not the base's file, so nothing vouches for it.
    repo = root.parent
    other = {**SCHEMA, "description": "the bytes the base locked"}
    raw = (json.dumps(other, indent=2, sort_keys=True) + "\n").encode()
    _relock(root, "orders.c1", "1.0.0", "sha256:" + hashlib.sha256(raw).hexdigest())
    _git(repo, "commit", "-q", "-am", "a base whose lock disagrees with its file")
    (root / "orders" / "c1" / "1.0.0.schema.json").write_bytes(raw)
    seen = _fully_checked(monkeypatch)
    report = check(root, against="main", tip=True)
    assert "orders/c1/1.0.0.schema.json" in seen
    assert "orders/c0/1.0.0.schema.json" not in seen
    assert report.exit_code() == 0


def test_a_ref_into_a_deleted_version_is_still_refused(root: Path) -> None:
    # An unchanged file whose $ref leaves it is never kept as bytes: its refs are
    # resolved against today's registry, as before.
    repo = root.parent
    _write(
        root,
        "orders.c3",
        "1.0.0",
        {**SCHEMA, "properties": {"id": {"$ref": "accord://orders.c0@1.0.0#/$defs/id"}}},
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a contract referring to another")
    (root / "orders" / "c0" / "1.0.0.schema.json").unlink()
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert "orders/c3/1.0.0.schema.json" in str(info.value)


# -- files kept unread: the base's own bytes, under the base's settings ---------------


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The version files the load parsed (every file but those kept unread)."""
    seen: list[str] = []
    real = registry_module._parse_version_file

    def spy(raw: bytes, *, file: str, **kwargs: Any) -> Any:
        seen.append(file)
        return real(raw, file=file, **kwargs)

    monkeypatch.setattr(registry_module, "_parse_version_file", spy)
    return seen


def _commit(root: Path, message: str = "more") -> None:
    _git(root.parent, "add", "-A")
    _git(root.parent, "commit", "-q", "-m", message)


def test_an_unchanged_self_contained_file_is_not_parsed(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _parsed(monkeypatch)
    report = check(root, against="main", tip=True)
    assert seen == []
    assert report.exit_code() == 0
    assert report.checked == ()


def test_an_edited_file_is_parsed_and_refused(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _parsed(monkeypatch)
    path = root / "orders" / "c1" / "1.0.0.schema.json"
    path.write_bytes(path.read_bytes()[:-3])  # no longer JSON, lock line untouched
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "json-malformed"
    assert seen == ["orders/c1/1.0.0.schema.json"]


def test_an_edited_file_relocked_is_parsed_and_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _parsed(monkeypatch)
    deep: Any = {"type": "string"}
    for _ in range(80):  # past the default depth cap
        deep = {"items": deep}
    _write(root, "orders.c1", "1.0.0", {**SCHEMA, "properties": {"id": deep}})
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "json-too-deep"
    assert seen == ["orders/c1/1.0.0.schema.json"]


def test_a_symlink_to_the_base_bytes_is_refused(root: Path) -> None:
    path = root / "orders" / "c1" / "1.0.0.schema.json"
    copy = root.parent / "elsewhere.json"
    copy.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(copy)
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "path-symlink"


def test_an_edit_git_cannot_see_is_still_seen(root: Path) -> None:
    # git's stat cache is told to look at mtime and size only, and the edit keeps both:
    # `git status` calls the file clean. The gate hashes the bytes it reads instead.
    repo = root.parent
    _git(repo, "config", "core.checkStat", "minimal")
    _git(repo, "config", "core.trustctime", "false")
    path = root / "orders" / "c1" / "1.0.0.schema.json"
    old = path.stat()
    os.utime(path, ns=(old.st_atime_ns - 10**10, old.st_mtime_ns - 10**10))
    _git(repo, "update-index", "--refresh")
    edit_keeping_stat(path, b'"integer"', b'"integex"')
    edited = path.read_bytes()
    status = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, check=True
    )
    assert status.stdout == b""  # git vouches for a file that changed
    for relocked in (False, True):
        if relocked:
            _relock(root, "orders.c1", "1.0.0", "sha256:" + hashlib.sha256(edited).hexdigest())
        with pytest.raises(RegistryError) as info:
            check(root, against="main", tip=True)
        assert info.value.code == "schema-metaschema"
        assert "orders/c1/1.0.0.schema.json" in str(info.value)


def test_a_base_with_a_broken_lock_vouches_for_nothing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base's lock cannot be read: nothing it holds is trusted, every file is parsed
    # and checked, and the lock problem is refused as on any branch.
    lock = root / "accord.lock"
    lock.write_text(lock.read_text() + "not a lock line\n")
    _commit(root, "a base with a malformed lock")
    seen = _parsed(monkeypatch)
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "lock-malformed"
    assert len(seen) == 3


def test_a_base_whose_lock_disagrees_with_its_file_is_parsed(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base locked other bytes than the file it holds (its own gate would have
    # failed): the file is parsed and checked, and the lock line is reported.
    _relock(root, "orders.c2", "1.0.0", "sha256:" + "1" * 64)
    _commit(root, "a base whose lock disagrees with its file")
    seen = _parsed(monkeypatch)
    report = check(root, against="main", tip=True)
    assert seen == ["orders/c2/1.0.0.schema.json"]
    assert [(f.rule, f.contract) for f in report.active] == [("version-modified", "orders.c2")]
    assert report.exit_code() == 1


def test_lowered_caps_parse_every_file_again(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The base's checks held under the base's settings: a branch that lowers a cap has
    # every unchanged file checked against it.
    seen = _parsed(monkeypatch)
    (root / "accord.toml").write_text("max-depth = 2\n", encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "json-too-deep"
    assert len(seen) >= 1


def test_settings_equal_to_the_base_keep_files_unread(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "accord.toml").write_text("max-depth = 60\n", encoding="utf-8")
    _commit(root, "settings")
    seen = _parsed(monkeypatch)
    assert check(root, against="main", tip=True).exit_code() == 0
    assert seen == []
    (root / "accord.toml").write_text("max-depth = 60 \n", encoding="utf-8")
    assert check(root, against="main", tip=True).exit_code() == 0
    assert len(seen) == 3  # other bytes: the base's settings are not vouched for


ESCAPED_OUT = (
    b'{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", '
    b'"properties": {"id": {"\\u0024ref": "accord://orders.c0@1.0.0#/$defs/id"}}}\n'
)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(ESCAPED_OUT, id="ref-key-escaped"),
        pytest.param(
            ESCAPED_OUT.replace(b"\\u0024ref", b"$ref").replace(b"$defs", b"\\u0024defs"),
            id="ref-value-escaped",
        ),
        pytest.param(ESCAPED_OUT.replace(b"\\u0024ref", b"$ref"), id="ref-out"),
        pytest.param(
            ESCAPED_OUT.replace(b"\\u0024ref", b"$ref")
            .replace(b"accord://", b"./../c0/1.0.0.")
            .replace(b"orders.c0@1.0.0", b"schema.json"),
            id="ref-relative-file",
        ),
    ],
)
def test_a_ref_out_of_the_file_is_resolved_again(root: Path, raw: bytes) -> None:
    # However a $ref out of the file is spelled, the file is parsed and the $ref is
    # resolved against today's registry: the target's deletion is refused.
    folder = root / "orders" / "c3"
    folder.mkdir(parents=True)
    (folder / "contract.toml").write_text('owner = "team"\nkind = "event"\n', encoding="utf-8")
    (folder / "1.0.0.schema.json").write_bytes(raw)
    _relock(root, "orders.c3", "1.0.0", "sha256:" + hashlib.sha256(raw).hexdigest())
    _commit(root)
    assert check(root, against="main", tip=True).exit_code() == 0
    (root / "orders" / "c0" / "1.0.0.schema.json").unlink()
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert "orders/c3/1.0.0.schema.json" in str(info.value)


@pytest.mark.parametrize(
    ("raw", "local"),
    [
        (b'{"type": "object"}', []),
        (b'{"$schema": "https://json-schema.org/draft/2020-12/schema"}', []),
        (b' {"a": {"$ref" : "#/$defs/x~y"}}', None),  # an escaped pointer token
        (b'{"a": {"$ref": "#/$defs/x"}, "$defs": {"x": {}}}', ["#/$defs/x"]),
        (b'{"a": {"$ref": "#"}}', ["#"]),
        (b'{"a": {"$ref": "#/allOf/0"}}', None),  # through an array
        (b'{"a": {"$ref": "#/$defs/x%20y"}}', None),  # percent-encoded
        (b'{"a": {"$ref": "#anchor"}}', None),
        (b'{"a": {"$ref": "other.json"}}', None),
        (b'{"a": {"$ref": 5}}', None),  # not a string: the parse decides
        (b'{"enum": ["$ref"]}', None),
        (b'{"a": {"\\u0024ref": "other.json"}}', None),
        (b'{"a": {"$ref": "#/$defs/\\"x"}}', None),
        (b'{"$id": "accord://orders.c0@1.0.0", "a": {"$ref": "#/b"}}', None),
        (b'{"a": {"$dynamicRef": "accord://orders.c0@1.0.0#meta"}}', None),
        (b'{"a": {"$recursiveRef": "#"}}', None),
        (b'{"$defs": {"x": {"const": "$id"}}}', None),  # a value spelled like a key: parsed
        (b'{"$schema": "http://json-schema.org/draft-07/schema#"}', None),
        (b'{"$schema": "https://json-schema.org/draft/2020-12/schema", "x": "$schema"}', None),
        (b'[{"$ref": "#/x"}]', None),  # not an object
        (b"true", None),
        # One search over the keys: each key decides, wherever it stands.
        (
            (
                b'{"$schema": "https://json-schema.org/draft/2020-12/schema",'
                b' "a": {"$ref": "#/b"}, "b": {"$ref": "#"}}'
            ),
            ["#/b", "#"],
        ),
        (b'{"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"$id": "x"}}', None),
        (b'{"a": {"$ref": "#/b"}, "b": {"$ref": "other.json"}}', None),
        (b'{"$schema": "https://json-schema.org/draft/2020-12/schemas"}', None),
        (b'{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x"}', None),
        (b'{"a": {"$ref": "#/b"}, "b": {"const": "\\u0041"}}', None),  # an escape after
        (b'{"a": {"$ref": "#/b"}, "$refs": {}, "$identity": {}}', ["#/b"]),  # other keys
    ],
)
def test_what_the_bytes_must_show_to_stay_unread(raw: bytes, local: list[str] | None) -> None:
    assert registry_module._local_refs(raw) == local


def test_a_broken_file_the_base_locked_is_refused_once_a_diff_reads_it(root: Path) -> None:
    # A base whose lock names a file that is not JSON at all (its own gate refused it):
    # the file is kept unread while nothing needs it, and refused as soon as a diff does.
    broken = b'{"type": "object", "properties": {"id": {"type": "integer"}}\n'
    path = root / "orders" / "c1" / "1.0.0.schema.json"
    path.write_bytes(broken)
    _relock(root, "orders.c1", "1.0.0", "sha256:" + hashlib.sha256(broken).hexdigest())
    _commit(root, "a base its own gate refuses")
    _write(root, "orders.c1", "1.1.0", SCHEMA)
    with pytest.raises(AccordError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "json-malformed"
    assert "orders/c1/1.0.0.schema.json" in str(info.value)


@pytest.mark.parametrize(
    ("base", "branch", "same"),
    [
        (None, None, True),
        (b"max-depth = 60\n", b"max-depth = 60\n", True),
        (b"max-depth = 60\n", b"max-depth = 61\n", False),
        (b"max-depth = 60\n", None, False),
        (None, b"max-depth = 60\n", False),
        (b"max-depth = 60\n", "link", False),
        (None, "directory", False),
    ],
)
def test_only_the_base_s_own_settings_keep_files_unread(
    root: Path, base: bytes | None, branch: bytes | str | None, same: bool
) -> None:
    from accord.gate import git
    from accord.gate.check import _same_settings

    settings = root / "accord.toml"
    if base is not None:
        settings.write_bytes(base)
        _commit(root, "settings")
    settings.unlink(missing_ok=True)
    if branch == "link":
        (root.parent / "elsewhere.toml").write_bytes(base or b"")
        settings.symlink_to(root.parent / "elsewhere.toml")
    elif branch == "directory":
        settings.mkdir()
    elif isinstance(branch, bytes):
        settings.write_bytes(branch)
    tree = git.read_tree(root.parent, git.rev_parse(root.parent, "main"), "contracts")
    assert _same_settings(root, tree) is same


@pytest.mark.parametrize("lead", [bytes([byte]) for byte in range(256)] + [b"", b" \t\r\n"])
@pytest.mark.parametrize("start", [b"{", b"[", b"x{", b""])
def test_the_object_test_of_the_bytes_is_lstrip_s(lead: bytes, start: bytes) -> None:
    # _local_refs asks whether the text opens an object without copying the file: the
    # same answer as raw.lstrip().startswith(b"{") for every leading byte.
    raw = lead + start
    expected = raw.lstrip().startswith(b"{")
    assert (registry_module._object_text().match(raw) is not None) is expected


# -- a version left unread keeps no bytes: read again, and checked against its digest --

_NEXT = {**SCHEMA, "properties": {**SCHEMA["properties"], "note": {"type": "string"}}}


def _after_load(monkeypatch: pytest.MonkeyPatch, then: Any) -> list[Any]:
    """Run ``then()`` as soon as the gate has loaded the registry; the registry loaded."""
    from accord.gate import check as gate

    real = gate._load
    loaded: list[Any] = []
    monkeypatch.setattr(gate, "_DIFF_CACHE", {})  # every verdict computed: files read

    def load(*args: Any, **kwargs: Any) -> Any:
        registry, findings = real(*args, **kwargs)
        loaded.append(registry)
        then()
        return registry, findings

    monkeypatch.setattr(gate, "_load", load)
    return loaded


def test_a_version_left_unread_holds_no_bytes_and_reads_back_what_the_load_hashed(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(root, "orders.c1", "1.1.0", _NEXT)  # c1 changes: its 1.0.0 is diffed
    loaded = _after_load(monkeypatch, lambda: None)
    report = check(root, against="main", tip=True)
    assert report.exit_code() == 0
    registry = loaded[0]
    kept = registry_module._RAW_SLOT.__get__
    untouched = registry.get("orders.c0@1.0.0")
    assert type(kept(untouched, None)) is registry_module._Reread
    assert untouched.raw == (root / "orders" / "c0" / "1.0.0.schema.json").read_bytes()
    assert type(kept(untouched, None)) is bytes  # read once
    assert untouched.document == SCHEMA


@pytest.mark.parametrize("change", ["edited", "deleted", "symlink"])
def test_a_version_changed_on_disk_while_the_gate_runs_is_refused_not_read(
    root: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    # The diff of c1's new version reads 1.0.0 again: its file must still be the bytes
    # the load read and hashed, or the run is refused (exit 2), never judged on others.
    _write(root, "orders.c1", "1.1.0", _NEXT)
    path = root / "orders" / "c1" / "1.0.0.schema.json"
    other = {**SCHEMA, "properties": {"id": {"type": "string"}}}

    def swap() -> None:
        if change == "edited":
            path.write_bytes((json.dumps(other, indent=2, sort_keys=True) + "\n").encode())
        elif change == "deleted":
            path.unlink()
        else:
            copy = root.parent / "elsewhere.json"
            copy.write_bytes(path.read_bytes())
            path.unlink()
            path.symlink_to(copy)

    _after_load(monkeypatch, swap)
    with pytest.raises(AccordError) as info:
        check(root, against="main", tip=True)
    expected = {"edited": "file-unreadable", "deleted": "file-not-found", "symlink": "path-symlink"}
    assert info.value.code == expected[change]
    assert "orders/c1/1.0.0.schema.json" in str(info.value)
