"""The record writers write under the registry, and only where records live.

``write_record`` (local) and ``git_record_writer`` (local + a commit on the records
branch) take a path inside the registry: they never write outside ``verifications/`` or
``environments/`` (a drop-in cannot be looser than what it replaces: a path such as
``orders/order-placed/1.0.0.json`` would replace a published schema), and never through
a symlink inside the registry (it can point anywhere), whether it is a directory on the
way or the record itself. A refused write leaves nothing behind.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.distribution.records import git_record_writer
from accord.errors import AccordError
from accord.provider import update_record, write_record

Writer = Callable[[Path, str, Any], Path]


def _git_writer(tmp_path: Path) -> Writer:
    repo = tmp_path / "records.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    return git_record_writer(repo)


def _local_writer(tmp_path: Path) -> Writer:
    return write_record


def _updating_writer(tmp_path: Path) -> Writer:
    return lambda root, rel, data: update_record(root, rel, lambda old: data)


WRITERS = {"local": _local_writer, "git": _git_writer, "update": _updating_writer}


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture(params=sorted(WRITERS))
def writer(request: pytest.FixtureRequest, tmp_path: Path) -> Writer:
    return WRITERS[request.param](tmp_path)


def test_a_record_is_written_where_records_live(writer: Writer, tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    root.mkdir()
    path = writer(root, "verifications/billing/1.0.0.json", b"{}\n")
    assert path == root / "verifications" / "billing" / "1.0.0.json"
    assert path.read_bytes() == b"{}\n"


@pytest.mark.parametrize(
    "rel",
    [
        "orders/order-placed/1.0.0.json",  # a published schema
        "accord.lock",
        "contract.toml",
        "verifications/../orders/order-placed/1.0.0.json",
        "/etc/passwd",
        "verifications/.hidden.json",
    ],
)
def test_a_path_outside_the_record_directories_is_refused(
    writer: Writer, tmp_path: Path, rel: str
) -> None:
    root = tmp_path / "contracts"
    (root / "orders" / "order-placed").mkdir(parents=True)
    published = root / "orders" / "order-placed" / "1.0.0.json"
    published.write_bytes(b'{"type": "object"}\n')
    before = _files(root)
    with pytest.raises(AccordError) as caught:
        writer(root, rel, b"{}\n")
    assert caught.value.code in {"record-bad-name", "record-bad-path"}
    assert published.read_bytes() == b'{"type": "object"}\n'
    assert _files(root) == before


@pytest.mark.parametrize("linked", ["verifications", "verifications/billing"])
def test_a_symlinked_directory_on_the_way_is_refused(
    writer: Writer, tmp_path: Path, linked: str
) -> None:
    root = tmp_path / "contracts"
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / linked).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, root / linked)
    with pytest.raises(AccordError) as caught:
        writer(root, "verifications/billing/1.0.0.json", b"{}\n")
    assert caught.value.code == "path-symlink"
    assert linked in str(caught.value)
    assert list(outside.iterdir()) == []


def test_a_symlinked_record_is_refused(writer: Writer, tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    (root / "verifications" / "billing").mkdir(parents=True)
    target = tmp_path / "elsewhere.json"
    target.write_bytes(b"keep\n")
    os.symlink(target, root / "verifications" / "billing" / "1.0.0.json")
    with pytest.raises(AccordError) as caught:
        writer(root, "verifications/billing/1.0.0.json", b"{}\n")
    assert caught.value.code == "path-symlink"
    assert target.read_bytes() == b"keep\n"
    assert (root / "verifications" / "billing" / "1.0.0.json").is_symlink()
