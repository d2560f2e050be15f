"""Strict JSON reading: every refusal has its own code; nothing is written."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from accord.core.jsondoc import (
    _umask,
    atomic_write,
    canonical_dumps,
    load_path,
    loads,
    new_file_mode,
    temp_target,
)
from accord.errors import AccordError, DocumentError


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"", "json-empty", id="empty"),
        pytest.param(b"  \n ", "json-empty", id="whitespace-only"),
        pytest.param(b'{"a": 1,}', "json-malformed", id="trailing-comma"),
        pytest.param(b'{"a": 1, "a": 2}', "json-duplicate-key", id="duplicate-key"),
        pytest.param(b'{"a": {"b": 1, "b": 1}}', "json-duplicate-key", id="nested-duplicate"),
        pytest.param(b'{"a": NaN}', "json-nan", id="nan"),
        pytest.param(b'{"a": Infinity}', "json-nan", id="infinity"),
        pytest.param(b'{"a": -Infinity}', "json-nan", id="minus-infinity"),
        pytest.param(b'{"a": "\xff"}', "json-invalid-utf8", id="invalid-utf8"),
        pytest.param(b'\xef\xbb\xbf{"a": 1}', "json-bom", id="bom"),
        pytest.param(b'{"a": "\\ud800"}', "json-lone-surrogate", id="lone-surrogate"),
        pytest.param(
            b'{\n<<<<<<< HEAD\n"a": 1\n=======\n"a": 2\n>>>>>>> b\n}',
            "json-conflict-markers",
            id="conflict-markers",
        ),
        pytest.param(b"[" * 65 + b"]" * 65, "json-too-deep", id="too-deep"),
    ],
)
def test_refusals_have_codes(data: bytes, code: str) -> None:
    with pytest.raises(DocumentError) as info:
        loads(data, file="x.json")
    assert info.value.code == code
    assert info.value.file == "x.json"
    assert isinstance(info.value, AccordError)
    assert isinstance(info.value, ValueError)


def test_malformed_reports_line_and_column() -> None:
    with pytest.raises(DocumentError) as info:
        loads(b'{\n  "a": 1\n  "b": 2\n}', file="x.json")
    assert (info.value.line, info.value.column) == (3, 3)
    assert "x.json:3:3" in str(info.value)


def test_depth_cap_is_configurable_and_strings_do_not_count() -> None:
    deep = b"[" * 70 + b"]" * 70
    assert loads(deep, max_depth=100) is not None
    assert loads(b'["' + b"[" * 200 + b'"]') == ["[" * 200]


def test_size_cap() -> None:
    with pytest.raises(DocumentError) as info:
        loads(b"[" + b"1," * 100 + b"1]", max_bytes=50)
    assert info.value.code == "json-too-large"


def test_big_integers_stay_exact() -> None:
    value = loads(b'{"n": 18446744073709551617, "f": 1.5, "big": 1e400}')
    assert value["n"] == 2**64 + 1
    assert isinstance(value["n"], int)
    assert value["f"] == 1.5
    assert str(value["big"]) == "1E+400"


def test_load_path_refuses_symlinks_and_special_files(tmp_path: Path) -> None:
    target = tmp_path / "t.json"
    target.write_text("{}")
    link = tmp_path / "l.json"
    link.symlink_to(target)
    with pytest.raises(DocumentError) as info:
        load_path(link)
    assert info.value.code == "path-symlink"
    fifo = tmp_path / "f.json"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError) as info:
        load_path(fifo)
    assert info.value.code == "path-special-file"
    with pytest.raises(DocumentError) as info:
        load_path(tmp_path / "missing.json")
    assert info.value.code == "file-not-found"


def test_canonical_dumps_is_stable() -> None:
    assert canonical_dumps({"b": 1, "a": [2**70, "é"]}) == (
        '{\n  "a": [\n    1180591620717411303424,\n    "é"\n  ],\n  "b": 1\n}\n'
    )


def test_atomic_write_exclusive_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "1.0.0.schema.json"
    atomic_write(path, b"first")
    with pytest.raises(FileExistsError):
        atomic_write(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.0.0.schema.json"]
    atomic_write(path, b"third")
    assert path.read_bytes() == b"third"


def test_atomic_write_fsyncs_unless_told_the_file_is_derived(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync
    synced: list[int] = []

    def counting_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    atomic_write(tmp_path / "durable.json", b"{}")
    assert len(synced) == 1
    atomic_write(tmp_path / "derived.py", b"x = 1\n", durable=False)
    atomic_write(tmp_path / "derived.py", b"x = 2\n", durable=False)
    assert len(synced) == 1
    assert (tmp_path / "derived.py").read_bytes() == b"x = 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["derived.py", "durable.json"]


def test_atomic_write_new_file_follows_the_umask(tmp_path: Path) -> None:
    # mkstemp's 0600 made wheels in dist/ unreadable to anyone but their builder.
    previous = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new.json", b"{}")
        os.umask(0o077)
        atomic_write(tmp_path / "private.json", b"{}")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600


def test_atomic_write_replacing_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "kept.json"
    path.write_bytes(b"[]")
    path.chmod(0o640)
    atomic_write(path, b"{}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_bytes() == b"{}"


def test_atomic_write_new_mode_is_for_new_files_only(tmp_path: Path) -> None:
    # A batch writer reads the umask once (new_file_mode) and passes it on; a file that
    # already exists still keeps its own mode.
    kept = tmp_path / "kept.py"
    kept.write_bytes(b"")
    kept.chmod(0o640)
    atomic_write(kept, b"x = 1\n", new_mode=0o604)
    atomic_write(tmp_path / "new.py", b"y = 2\n", new_mode=0o604)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "new.py").stat().st_mode) == 0o604
    assert new_file_mode() == 0o666 & ~_umask()


def test_atomic_write_syncs_the_temp_file_before_it_takes_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The temp file carries the name temp_target reads back (lint reports leftovers)
    # and is fsynced before the rename: after a crash the target is old or whole.
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str, dst: Path) -> None:
        events.append(("replace", str(src)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write(tmp_path / "model.py", b"z = 3\n")
    (_, synced), (_, renamed) = events
    assert [kind for kind, _ in events] == ["fsync", "replace"]
    assert synced == renamed
    assert temp_target(Path(renamed).name) == "model.py"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.py"]


def test_atomic_write_failure_leaves_no_temp_file(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        atomic_write(tmp_path / "model.py", "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def _no_hard_links(monkeypatch: pytest.MonkeyPatch, code: int = errno.EPERM) -> None:
    """A file system without hard links (vfat answers EPERM, others EOPNOTSUPP)."""

    def refuse(*_: object, **__: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", refuse)


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS])
def test_exclusive_write_without_hard_links_copies_and_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    _no_hard_links(monkeypatch, code)
    path = tmp_path / "1.0.0.schema.json"
    atomic_write(path, b"first", exclusive=True)
    assert path.read_bytes() == b"first"
    assert stat.S_IMODE(path.stat().st_mode) == new_file_mode()
    with pytest.raises(FileExistsError):
        atomic_write(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.0.0.schema.json"]  # no temp


def test_exclusive_write_without_hard_links_removes_a_failed_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_hard_links(monkeypatch)
    path = tmp_path / "1.0.0.schema.json"
    real_write = os.write

    def full_disk(fd: int, data: Any) -> int:
        if os.readlink(f"/proc/self/fd/{fd}") == str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OSError, match="No space"):
        atomic_write(path, b"first", exclusive=True)
    assert list(tmp_path.iterdir()) == []  # neither the half-written file nor the temp


def test_exclusive_write_keeps_other_link_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_hard_links(monkeypatch, errno.EACCES)  # a refusal, not a missing feature
    path = tmp_path / "1.0.0.schema.json"
    with pytest.raises(PermissionError):
        atomic_write(path, b"first", exclusive=True)
    assert list(tmp_path.iterdir()) == []
