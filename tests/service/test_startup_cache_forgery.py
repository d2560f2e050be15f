"""The startup checks' disk cache (``[tool.accord.service] cache-dir``) takes no entry it
did not write itself.

Its keys are SHA-256 digests anyone can compute (role, model schema, contract bundle,
accord version), and its usual place, ``.accord-cache`` beside the service's code, is in
the repository: a change under review could commit ``proof-<key>.json`` saying "holds"
(or a payload list with nothing in it) and a model that does not conform passed
``check_service`` / ``require``. Entries are now signed with a secret that lives in
accord's own cache directory, outside any work tree: a file from anywhere else is a miss.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_service_checks import _service_project

from _releases import pretend_release
from accord.errors import ContractMismatch
from accord.service import startup as _startup
from accord.service.startup import check_service

_LOOSE = '{ ref = "common.money@^1", model = "svc_models.py:Loose" }'
_MONEY = '{ ref = "common.money@^1", model = "svc_models.py:Money" }'


def _requested(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every (kind, key) the disk cache is asked for, from now on."""
    asked: list[tuple[str, str]] = []
    get = _startup._DiskCache.get

    def spy(self: _startup._DiskCache, kind: str, key: str) -> object:
        asked.append((kind, key))
        return get(self, kind, key)

    monkeypatch.setattr(_startup._DiskCache, "get", spy)
    return asked


def _forge(directory: Path, asked: list[tuple[str, str]]) -> None:
    """What a committed change could hold: "holds" for every proof, no probe payloads."""
    directory.mkdir(exist_ok=True)
    for kind, key in asked:
        value: object = True if kind == "proof" else []
        entry = {"format": _startup._CACHE_FORMAT, "value": value}
        (directory / f"{kind}-{key}.json").write_text(json.dumps(entry), encoding="utf-8")


def test_a_forged_proof_never_passes_a_model_that_does_not_conform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject = _service_project(tmp_path, _LOOSE, "")
    asked = _requested(monkeypatch)
    # Each run asks for what the forgery before it opened up (the proof first, then the
    # probe's payloads): forge everything asked for, three times over.
    for _ in range(3):
        _startup.clear_caches()
        with pytest.raises(ContractMismatch) as info:
            check_service(pyproject)
        assert [m.code for m in info.value.mismatches] == ["contract-mismatch"]
        _forge(tmp_path / ".accord-cache", asked)
    assert "proof" in {kind for kind, _ in asked}


def test_entries_written_on_another_machine_are_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache directory copied from elsewhere (a developer's, baked into an image) is
    recomputed, not believed: its entries were signed with that machine's secret."""
    pyproject = _service_project(tmp_path, _MONEY, "")
    _startup.clear_caches()
    assert not any(c.cached for c in check_service(pyproject).checks)
    _startup.clear_caches()
    assert all(c.cached for c in check_service(pyproject).checks)
    # another machine: accord's own cache directory (where the secret lives) is new
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "elsewhere"))
    _startup.clear_caches()
    assert not any(c.cached for c in check_service(pyproject).checks)
    # and what that machine wrote is taken there from then on
    _startup.clear_caches()
    assert all(c.cached for c in check_service(pyproject).checks)


def test_no_secret_means_no_disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where accord's cache directory is inside a work tree (or cannot be written), there
    is no secret to sign with: the startup cache is then off, never unsigned."""
    pyproject = _service_project(tmp_path, _MONEY, "")
    (tmp_path / ".git").mkdir()
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "accord-cache-in-tree"))
    _startup.clear_caches()
    check_service(pyproject)
    assert not list((tmp_path / ".accord-cache").glob("*-*.json"))


def test_a_committed_symlink_to_a_fifo_is_a_miss_not_a_hang(tmp_path: Path) -> None:
    """``cache-dir`` is in the service's repository: a change can commit a symlink at an
    entry's name (its key is a digest anyone computes) to a FIFO or ``/dev/zero``. The
    entry was read to its end, so every boot blocked (or filled memory); now a file that
    is not a regular file is a miss."""
    import os
    import threading

    pyproject = _service_project(tmp_path, _MONEY, "")
    _startup.clear_caches()
    check_service(pyproject)
    entries = sorted((tmp_path / ".accord-cache").glob("*-*.json"))
    assert entries
    fifos = []
    for number, entry in enumerate(entries):
        fifos.append(tmp_path / f"fifo-{number}")
        os.mkfifo(fifos[-1])
        entry.unlink()
        entry.symlink_to(fifos[-1])
    _startup.clear_caches()
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(check_service(pyproject)), daemon=True)
    thread.start()
    thread.join(20)
    if thread.is_alive():
        for fifo in fifos:  # let the blocked reader see an end
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("a boot blocked on a FIFO in cache-dir")
    assert not any(c.cached for c in done[0].checks)  # type: ignore[attr-defined]


@pytest.mark.parametrize("library", ["jsonschema_rs", "regress", "jsonschema"])
def test_a_proof_of_another_library_release_is_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str
) -> None:
    """A proof is what the engine (jsonschema-rs's witnesses, regress's patterns) decided:
    after an upgrade of one of those libraries the model is proven again, as every other
    cache of accord's (``CHECKING_LIBRARIES``) and the load snapshot do."""

    pyproject = _service_project(tmp_path, _MONEY, "")
    asked = _requested(monkeypatch)
    _startup.clear_caches()
    check_service(pyproject)
    before = {key for kind, key in asked if kind == "proof"}
    assert before
    pretend_release(monkeypatch, library, "999.0")
    asked.clear()
    _startup.clear_caches()
    check_service(pyproject)
    after = {key for kind, key in asked if kind == "proof"}
    assert after
    assert not after & before


def test_a_proof_of_another_accord_build_is_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """accord upgraded to a later commit keeps its version number: a proof the older
    engine made is not believed by the newer one."""
    from accord.core import cachedir

    pyproject = _service_project(tmp_path, _MONEY, "")
    asked = _requested(monkeypatch)
    _startup.clear_caches()
    check_service(pyproject)
    before = {key for kind, key in asked if kind == "proof"}
    assert before
    monkeypatch.setattr(cachedir, "accord_build", lambda: "files another-commit")
    asked.clear()
    _startup.clear_caches()
    check_service(pyproject)
    after = {key for kind, key in asked if kind == "proof"}
    assert after
    assert not after & before


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000, b'{"format": 1, "value": ' * 50_000, b" " * ((1 << 20) + 1) + b"{}"],
    ids=["deep-array", "deep-object", "large"],
)
def test_a_committed_hostile_entry_is_a_miss_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    """``cache-dir`` sits in the service's repository and an entry's name is a digest
    anyone computes: a committed file there nested past the parser's recursion limit
    raised RecursionError out of every boot (``require``, ``check_service``); one of
    any size was read whole before its signature was looked at. Now the first is a
    miss, and one past the cap is not read at all."""
    from accord.core import cachedir

    monkeypatch.setattr(_startup, "_MAX_ENTRY_BYTES", 1 << 20)
    pyproject = _service_project(tmp_path, _MONEY, "")
    asked = _requested(monkeypatch)
    _startup.clear_caches()
    check_service(pyproject)
    directory = tmp_path / ".accord-cache"
    planted = {str(directory / f"{kind}-{key}.json") for kind, key in asked}
    for path in planted:
        Path(path).write_bytes(content)
    read: list[int] = []
    real = cachedir.read_entry

    def spy(path: object, **options: object) -> bytes | None:
        data = real(path, **options)  # type: ignore[arg-type]
        if str(path) in planted and data is not None:
            read.append(len(data))
        return data

    monkeypatch.setattr(cachedir, "read_entry", spy)
    _startup.clear_caches()
    check_service(pyproject)  # proven again, no traceback
    assert all(size <= 1 << 20 for size in read)
