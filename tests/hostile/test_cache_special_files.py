"""A cache file that is not a regular file is a miss, never a hang.

Every reader of accord's cache directory (the load snapshot, the signing secret, the
content cache) opened its file by name and read it to the end: a FIFO there, or a
symlink to one (or to ``/dev/zero``), blocked every run that looked the entry up,
forever (or filled memory). The startup checks' ``cache-dir``:
``tests/service/test_startup_cache_forgery.py``."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from _registry_builders import publish
from accord.core import cachedir
from accord.core.cache import ContentCache
from accord.gate import check as gate
from accord.registry import model, snapshot

ROOT = Path(__file__).resolve().parents[2]


def _finishes(run: Callable[[], object], fifos: list[Path]) -> object:
    """``run()``'s result; fails when it is still running after 20 s (then each FIFO
    is opened for writing and closed, so a reader blocked on it sees its end)."""
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(run()), daemon=True)
    thread.start()
    thread.join(20)
    if thread.is_alive():
        for fifo in fifos:
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("blocked on a FIFO in the cache")
    return done[0]


def _fifo_in_place_of(path: Path) -> Path:
    path.unlink()
    os.mkfifo(path)
    return path


@pytest.fixture
def registry_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts", root)
    monkeypatch.setattr(snapshot, "_SETTLED_NS", 0)
    time.sleep(0.02)  # past the file system clock's tick: the copy is older than the load
    return root


def test_a_fifo_in_place_of_the_snapshot_is_a_load_from_the_files(registry_root: Path) -> None:
    loaded = model.Registry.load(registry_root)
    (path,) = (cachedir.cache_dir() / "snapshots").glob("*.bin")
    fifo = _fifo_in_place_of(path)
    again = _finishes(lambda: model.Registry.load(registry_root), [fifo])
    assert isinstance(again, model.Registry)
    assert "snapshot" not in again._memo
    assert list(again.contracts) == list(loaded.contracts)


def test_a_fifo_in_place_of_the_signing_secret_is_no_secret(registry_root: Path) -> None:
    model.Registry.load(registry_root)
    fifo = _fifo_in_place_of(cachedir.cache_dir() / "signing-secret")
    cachedir.signing_secret.cache_clear()
    assert _finishes(cachedir.machine_secret, [fifo]) is None


def test_a_fifo_in_place_of_a_content_cache_entry_is_a_miss(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}
    publish(root, "orders.placed", {"1.0.0": document, "1.1.0": {**document, "title": "t"}})
    cold = gate.check(root, cache=ContentCache(tmp_path / "cache"))
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert entries
    fifos = [_fifo_in_place_of(p) for p in entries]
    gate._DIFF_CACHE.clear()
    cache = ContentCache(tmp_path / "cache")
    warm = _finishes(lambda: gate.check(root, cache=cache), fifos)
    assert warm == cold
    assert cache.hits == 0
