"""The one inter-process file lock (accord.core.filelock): exclusive while held,
released by the operating system when its holder dies, never broken by a guess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from accord.core.filelock import exclusive, holder


class Busy(Exception):
    def __init__(self, pid: int | None) -> None:
        super().__init__(pid)
        self.pid = pid


class Refused(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(code, reason)
        self.code = code


_HOLD = """
import sys, time
from pathlib import Path
from accord.core.filelock import exclusive
with exclusive(Path(sys.argv[1]), timeout=5, busy=RuntimeError, refused=RuntimeError):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder_process(lock: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(lock)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def _end(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait(timeout=10)
    assert proc.stdout is not None
    proc.stdout.close()


def test_a_live_holder_excludes_and_is_named(tmp_path: Path) -> None:
    lock = tmp_path / "x.lck"
    proc = _holder_process(lock)
    try:
        with pytest.raises(Busy) as info, exclusive(lock, timeout=0.2, busy=Busy, refused=Refused):
            pass
        assert info.value.pid == proc.pid
        assert holder(lock) == proc.pid
    finally:
        _end(proc)


def test_a_killed_holder_leaves_nothing_to_delete_by_hand(tmp_path: Path) -> None:
    lock = tmp_path / "x.lck"
    proc = _holder_process(lock)
    os.kill(proc.pid, signal.SIGKILL)
    _end(proc)
    assert lock.exists()  # the file stays, the lock does not
    with exclusive(lock, timeout=5, busy=Busy, refused=Refused):
        assert holder(lock) == os.getpid()
    assert not lock.exists()


def test_an_old_lock_file_of_a_live_writer_is_never_broken_by_age(tmp_path: Path) -> None:
    # The records lock used to be broken once its file was 120 s old: a slow writer lost it.
    lock = tmp_path / "x.lck"
    proc = _holder_process(lock)
    try:
        os.utime(lock, (time.time() - 3600, time.time() - 3600))
        with pytest.raises(Busy), exclusive(lock, timeout=0.2, busy=Busy, refused=Refused):
            pass
    finally:
        _end(proc)


def test_threads_take_turns(tmp_path: Path) -> None:
    lock = tmp_path / "x.lck"
    inside = 0
    most = 0
    counter = tmp_path / "counter"
    counter.write_text("0")
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        for _ in range(20):
            with exclusive(lock, timeout=30, busy=Busy, refused=Refused):
                with guard:
                    inside += 1
                    most = max(most, inside)
                counter.write_text(str(int(counter.read_text()) + 1))
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert most == 1
    assert counter.read_text() == "80"
    assert not lock.exists()
