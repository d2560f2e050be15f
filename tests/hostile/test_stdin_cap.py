"""``accord validate REF -`` reads stdin within the payload cap: at most the cap plus
one chunk, then ``json-too-large`` (exit 2). It read the whole stream first, so
``yes | accord validate REF -`` (or ``< /dev/zero``) grew without bound, and a 300 MB
stream took 300 MB before it was refused."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from _registry_builders import publish
from accord.cli import main
from accord.core.jsondoc import DEFAULT_MAX_BYTES

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _Endless(io.RawIOBase):
    """A stream that never ends (a pipe from ``yes``), counting what was asked of it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        view[:] = b" " * len(view)
        self.given += len(view)
        if self.given > 8 * DEFAULT_MAX_BYTES:
            raise AssertionError("read 8 times the cap: stdin is read without a bound")
        return len(view)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": {"$schema": DIALECT, "type": "object"}})
    return root


def test_an_endless_stdin_is_refused_at_the_cap(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    endless = _Endless()
    stdin = io.TextIOWrapper(io.BufferedReader(endless))
    monkeypatch.setattr(sys, "stdin", stdin)
    code = main(["validate", "orders.thing@^1", "-", "--registry", str(root)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error[json-too-large]: <stdin>:"), err
    assert f"over the cap of {DEFAULT_MAX_BYTES} bytes" in err
    assert endless.given <= DEFAULT_MAX_BYTES + 2 * (1 << 16)


def test_a_payload_within_the_cap_is_still_read_whole(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = b'{"note": "' + b"x" * (DEFAULT_MAX_BYTES - 100) + b'"}'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    assert main(["validate", "orders.thing@^1", "-", "--registry", str(root)]) == 0


def test_a_real_pipe_over_the_cap_is_exit_2(root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "validate", "orders.thing@^1", "-"],
        input=b"[" + b"0," * (2 * DEFAULT_MAX_BYTES) + b"0]",
        capture_output=True,
        env={"PYTHONPATH": str(Path(__file__).parents[2] / "src"), "PATH": "/usr/bin:/bin"},
        cwd=root.parent,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert b"error[json-too-large]: <stdin>" in done.stderr
