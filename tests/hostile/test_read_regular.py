"""read_regular against files that change between its checks and its read.

The checks run on ``lstat`` (before opening) and again on ``fstat`` of the opened
descriptor; these tests make the two disagree, as a file swapped or grown by another
process meanwhile would.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from accord.core import jsondoc
from accord.core.jsondoc import read_regular
from accord.errors import DocumentError


def _lstat_as(monkeypatch: pytest.MonkeyPatch, victim: Path, seen: Path) -> None:
    """Make the lstat of ``victim`` report what ``seen`` is (a swap after the check)."""
    real = os.lstat

    def fake(path: object, *args: object, **kwargs: object) -> os.stat_result:
        return real(seen if Path(str(path)) == victim else path)  # type: ignore[arg-type]

    monkeypatch.setattr(jsondoc.os, "lstat", fake)


def _swapped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, checked: bytes, read: bytes
) -> tuple[Path, Path]:
    """A victim file holding ``read`` whose lstat (the check) reports a file holding
    ``checked``: (the victim, the checked file)."""
    seen = tmp_path / "checked.json"
    seen.write_bytes(checked)
    victim = tmp_path / "victim.json"
    victim.write_bytes(read)
    _lstat_as(monkeypatch, victim, seen)
    return victim, seen


def test_a_file_is_read_whole_in_one_piece(tmp_path: Path) -> None:
    for size in (0, 1, 4095, 4096, 4097, 200_000):
        path = tmp_path / f"{size}.json"
        data = os.urandom(size)
        path.write_bytes(data)
        assert read_regular(path, max_bytes=None) == data
        assert read_regular(path, max_bytes=size) == data
        if size:
            with pytest.raises(DocumentError) as info:
                read_regular(path, max_bytes=size - 1)
            assert info.value.code == "json-too-large"
            assert info.value.file == str(path)


def test_a_directory_swapped_in_after_the_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regular = tmp_path / "regular.json"
    regular.write_text("{}")
    victim = tmp_path / "victim.json"
    victim.mkdir()
    _lstat_as(monkeypatch, victim, regular)
    with pytest.raises(DocumentError) as info:
        read_regular(victim, display="contracts/x/1.0.0.json")
    assert info.value.code == "path-special-file"
    assert info.value.file == "contracts/x/1.0.0.json"


def test_a_fifo_swapped_in_after_the_check_is_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regular = tmp_path / "regular.json"
    regular.write_text("{}")
    victim = tmp_path / "victim.json"
    os.mkfifo(victim)
    _lstat_as(monkeypatch, victim, regular)

    def unblock() -> None:
        # A read that blocked on the FIFO (the defect) gets a writer after a while and
        # returns its bytes, so the test fails on the assertion instead of hanging.
        fd = os.open(victim, os.O_WRONLY)
        os.write(fd, b"{}")
        os.close(fd)

    timer = threading.Timer(3.0, unblock)
    timer.daemon = True
    timer.start()
    try:
        with pytest.raises(DocumentError) as info:
            read_regular(victim)
        assert info.value.code == "path-special-file"
    finally:
        timer.cancel()


def test_a_file_grown_past_the_cap_after_the_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim, _ = _swapped(monkeypatch, tmp_path, b"x" * 10, b"x" * 1000)
    with pytest.raises(DocumentError) as info:
        read_regular(victim, max_bytes=100)
    assert info.value.code == "json-too-large"
    assert info.value.file == str(victim)


def test_a_file_grown_while_being_read_is_cut_at_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim, small = _swapped(monkeypatch, tmp_path, b"x" * 10, b"x" * 1000)
    monkeypatch.setattr(jsondoc.os, "fstat", lambda fd: os.stat(small))
    reads: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        reads.append(len(chunk))
        return chunk

    monkeypatch.setattr(jsondoc.os, "read", counting_read)
    with pytest.raises(DocumentError) as info:
        read_regular(victim, max_bytes=100)
    assert info.value.code == "json-too-large"
    # No more than the cap plus one byte was taken in.
    assert sum(reads) <= 101
    # Without a cap the grown file is read to its end.
    reads.clear()
    assert read_regular(victim, max_bytes=None) == b"x" * 1000


def test_a_file_shrunk_after_the_check_is_read_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim, big = _swapped(monkeypatch, tmp_path, b"x" * 1000, b"y" * 10)
    monkeypatch.setattr(jsondoc.os, "fstat", lambda fd: os.stat(big))
    assert read_regular(victim, max_bytes=None) == b"y" * 10


def test_a_symlink_swapped_in_after_the_check_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regular = tmp_path / "regular.json"
    regular.write_text("{}")
    secret = tmp_path / "secret.json"
    secret.write_text('{"secret": 1}')
    victim = tmp_path / "victim.json"
    victim.symlink_to(secret)
    _lstat_as(monkeypatch, victim, regular)
    with pytest.raises(DocumentError) as info:
        read_regular(victim)
    assert info.value.code == "file-unreadable"


# -- listed: the caller's listing showed a regular file, so no lstat before the open ----


def _special(tmp_path: Path, kind: str) -> Path:
    """What may have taken a listed file's place since the listing."""
    path = tmp_path / "swapped.json"
    target = tmp_path / "secret.json"
    target.write_text('{"secret": 1}')
    if kind == "symlink":
        path.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "large":
        path.write_bytes(b"x" * 1000)
    return path  # "missing": nothing there


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("symlink", "path-symlink"),
        ("fifo", "path-special-file"),
        ("directory", "path-special-file"),
        ("missing", "file-not-found"),
        ("large", "json-too-large"),
    ],
)
def test_a_listed_read_refuses_what_an_unlisted_one_refuses(
    tmp_path: Path, kind: str, code: str
) -> None:
    path = _special(tmp_path, kind)
    refused = {}
    for listed in (False, True):
        with pytest.raises(DocumentError) as info:
            read_regular(path, display="contracts/x/1.0.0.json", max_bytes=100, listed=listed)
        refused[listed] = (info.value.code, info.value.file, str(info.value))
    assert refused[True] == refused[False]
    assert refused[True][0] == code


def test_a_listed_read_takes_no_lstat_and_reads_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "1.0.0.schema.json"
    path.write_bytes(b'{"type": "object"}\n')
    calls: list[object] = []
    real = os.lstat

    def counting(target: object, *args: object, **kwargs: object) -> os.stat_result:
        calls.append(target)
        return real(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jsondoc.os, "lstat", counting)
    assert read_regular(path, listed=True) == path.read_bytes()
    assert calls == []
    assert read_regular(path) == path.read_bytes()
    assert calls == [path]
