"""The lock file a writer holds (``accord.lock.lck`` in the registry root, ``<record>.lock``
beside a record) is never a symlink or a special file.

A pull request can commit ``contracts/accord.lock.lck`` as a symlink. The lock was
opened by name, following it, then truncated and given the holder's pid: ``accord
publish`` or ``accord yank`` run on such a checkout emptied whatever file the link named
(outside the registry too) before the load refused the link (exit 2); a FIFO there was an
internal error."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from _registry_builders import publish
from accord.cli import main
from accord.provider._records import locked

DOCUMENT = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}


def _registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    publish(root, "orders.placed", {"1.0.0": DOCUMENT})
    return root


def _symlink(lock: Path, tmp_path: Path) -> Callable[[], None]:
    precious = tmp_path / "precious.txt"
    precious.write_text("precious data\n")
    lock.symlink_to(precious)

    def untouched() -> None:
        assert precious.read_text() == "precious data\n"
        assert lock.is_symlink()

    return untouched


def _fifo(lock: Path, tmp_path: Path) -> Callable[[], None]:
    os.mkfifo(lock)
    return lambda: None


@pytest.mark.parametrize(
    ("make", "code"), [(_symlink, "path-symlink"), (_fifo, "path-special-file")]
)
@pytest.mark.parametrize(
    "command",
    [
        ["publish", "orders.placed", "--schema", "{schema}", "--version", "2.0.0"],
        ["yank", "orders.placed@1.0.0", "--reason", "a broken example of the field"],
        ["retire", "orders.placed"],
    ],
    ids=["publish", "yank", "retire"],
)
def test_a_lock_file_that_is_a_link_or_special_is_refused_before_any_write(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path, Path], Callable[[], None]],
    code: str,
    command: list[str],
) -> None:
    root = _registry(tmp_path)
    schema = tmp_path / "new.json"
    schema.write_text('{"$schema": "https://json-schema.org/draft/2020-12/schema"}')
    untouched = make(root / "accord.lock.lck", tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    argv = [a.replace("{schema}", str(schema)) for a in command]
    assert main([*argv, "--registry", str(root)]) == 2
    assert f"error[{code}]" in capsys.readouterr().err
    untouched()
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_a_record_lock_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    from accord.errors import AccordError

    record = tmp_path / "verifications" / "orders" / "1.0.0.json"
    record.parent.mkdir(parents=True)
    untouched = _symlink(record.with_name("1.0.0.json.lock"), tmp_path)
    with pytest.raises(AccordError) as info, locked(record):
        pass
    assert info.value.code == "path-symlink"
    untouched()
