"""Two ``accord pact import`` runs for one consumer-provider pair lose no interaction.

Each run merged the stored file under the directory lock, released it, and wrote
later: a run finishing in between was overwritten by the first one's stale merge (and
into a new consumer directory neither took the lock at all). The merge and the write
now happen under one lock, so the second run merges what the first wrote.

The interleaving is forced, not hoped for: the first run pauses just before it writes
and lets the second run go until it finishes or blocks on the lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.consumers import _model
from accord.core import jsondoc

REPO = Path(__file__).resolve().parents[2]
MAP = ["--map", "GET /users/{id} 200=users.user@^1"]


def _pact(description: str) -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "provider": {"name": "users-service"},
        "interactions": [
            {
                "description": description,
                "request": {"method": "GET", "path": "/users/1"},
                "response": {"status": 200, "body": {"id": 1}},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


@pytest.mark.parametrize("existing", [True, False], ids=["existing-file", "new-directory"])
def test_a_second_import_between_merge_and_write_is_kept(
    existing: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "reg"
    shutil.copytree(REPO / "contracts", root)
    files = {}
    for name in ("first", "second", "earlier"):
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(json.dumps(_pact(f"get user ({name})")))
    command = ["pact", "import", *MAP, "--registry", str(root)]
    if existing:
        assert main([*command[:2], str(files["earlier"]), *command[2:]]) == 0

    blocked = threading.Event()

    @contextlib.contextmanager
    def signalling_lock(directory: Path) -> Iterator[None]:
        # The real lock (flock on the directory), saying when it has to wait for it.
        fd = os.open(directory, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                blocked.set()
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    monkeypatch.setattr(_model, "locked_dir", signalling_lock)
    codes: list[int] = []
    second = threading.Thread(
        target=lambda: codes.append(main([*command[:2], str(files["second"]), *command[2:]]))
    )
    real_write = jsondoc.atomic_write
    paused: list[bool] = []

    def pausing_write(path: Path, data: bytes, **kwargs: Any) -> None:
        if threading.current_thread() is threading.main_thread() and not paused:
            paused.append(True)
            second.start()
            for _ in range(600):  # the second run finishes, or waits for the lock
                if not second.is_alive() or blocked.is_set():
                    break
                second.join(0.1)
        real_write(path, data, **kwargs)

    monkeypatch.setattr(jsondoc, "atomic_write", pausing_write)
    assert main([*command[:2], str(files["first"]), *command[2:]]) == 0
    second.join(60)
    assert codes == [0]
    stored = json.loads((root / "consumers" / "web" / "users-service.json").read_text())
    descriptions = sorted(i["description"] for i in stored["interactions"])
    expected = ["first", "second"] + (["earlier"] if existing else [])
    assert descriptions == sorted(f"get user ({name})" for name in expected)


def test_a_refused_import_leaves_no_new_directory(tmp_path: Path) -> None:
    root = tmp_path / "reg"
    shutil.copytree(REPO / "contracts", root)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(_pact("get user")))
    conflicting = _pact("get user")
    conflicting["interactions"][0]["response"]["body"] = {"id": 2}
    bad.write_text(json.dumps(conflicting))
    assert main(["pact", "import", str(good), str(bad), *MAP, "--registry", str(root)]) == 2
    assert not (root / "consumers" / "web").exists()


def test_a_refusal_after_the_locks_removes_the_directories_it_created(tmp_path: Path) -> None:
    """The directories are created (to be locked) before the merge: one whose merge is
    refused takes back what the run created, here ``consumers/mobile``."""
    root = tmp_path / "reg"
    shutil.copytree(REPO / "contracts", root)
    web = tmp_path / "web.json"
    web.write_text(json.dumps(_pact("get user")))
    assert main(["pact", "import", str(web), *MAP, "--registry", str(root)]) == 0
    changed = _pact("get user")
    changed["interactions"][0]["response"]["body"] = {"id": 2}
    web.write_text(json.dumps(changed))
    mobile = tmp_path / "mobile.json"
    mobile.write_text(json.dumps({**_pact("get user"), "consumer": {"name": "mobile"}}))
    before = (root / "consumers" / "web" / "users-service.json").read_bytes()
    assert main(["pact", "import", str(mobile), str(web), *MAP, "--registry", str(root)]) == 2
    assert not (root / "consumers" / "mobile").exists()
    assert (root / "consumers" / "web" / "users-service.json").read_bytes() == before
