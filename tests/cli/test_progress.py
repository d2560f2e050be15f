"""Progress on long work: a bar on stderr when a person watches, nothing otherwise."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from _registry_builders import publish
from accord.cli import main
from accord.cli._progress import progress_bar, wanted
from accord.codegen import generate_package
from accord.gate.check import check
from accord.registry.model import Registry

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "contracts"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "tty", "shown"),
    [
        pytest.param({}, True, True, id="terminal"),
        pytest.param({}, False, False, id="pipe-or-ci-log"),
        pytest.param({"TERM": "dumb"}, True, False, id="dumb-terminal"),
        pytest.param({"ACCORD_PROGRESS": "0"}, True, False, id="turned-off"),
        pytest.param({"ACCORD_PROGRESS": "1"}, False, True, id="forced"),
    ],
)
def test_bar_only_where_someone_watches(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool, shown: bool
) -> None:
    monkeypatch.delenv("ACCORD_PROGRESS", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    stream = _Tty() if tty else io.StringIO()
    assert wanted(stream) is shown
    with progress_bar("check", stream=stream) as progress:
        assert (progress is not None) is shown
        if progress is not None:
            progress(1, 2, "orders.order-placed")
    assert ("orders.order-placed" in stream.getvalue()) is shown


def test_labels_cannot_drive_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_PROGRESS", "1")
    stream = io.StringIO()
    with progress_bar("verify", stream=stream) as progress:
        assert progress is not None
        progress(1, 1, "billing: \x1b]0;owned\x07\x1b[31mred")
    assert "\x1b]0;" not in stream.getvalue()
    assert "\x1b[31m" not in stream.getvalue()


def test_check_reports_each_contract(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    shutil.copytree(EXAMPLE, root)
    calls: list[tuple[int, int, str]] = []
    check(root, progress=lambda done, total, label: calls.append((done, total, label)))
    total = len(Registry.load(root))
    assert [c[0] for c in calls] == list(range(1, total + 1))
    assert {c[1] for c in calls} == {total}
    assert sorted(c[2] for c in calls) == sorted(c.id for c in Registry.load(root))


def test_codegen_reports_each_version(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    schema = {"type": "object", "properties": {"id": {"type": "integer"}}}
    publish(root, "orders.placed", {"1.0.0": schema})
    publish(root, "billing.paid", {"1.0.0": schema})
    calls: list[tuple[int, int, str]] = []
    generate_package(
        Registry.load(root),
        tmp_path / "out",
        progress=lambda done, total, label: calls.append((done, total, label)),
    )
    assert calls[-1] == (2, 2, "")
    assert {c[2] for c in calls[:-1]} == {"orders.placed@1.0.0", "billing.paid@1.0.0"}


def test_cli_check_draws_on_stderr_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    shutil.copytree(EXAMPLE, root)
    monkeypatch.setenv("ACCORD_PROGRESS", "1")
    assert main(["check", "--registry", str(root), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "check" in captured.err
    assert captured.out.startswith("{")  # machine-readable output stays clean


def test_services_never_import_the_progress_library() -> None:
    code = (
        "import sys, accord\n"
        "accord.validator('orders.order-placed@^1', registry='contracts')\n"
        "from accord.cli import main\n"
        "main(['check', '--registry', 'contracts', '--format', 'json'])\n"
        "print('tqdm' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ACCORD_PROGRESS"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.stdout.decode().strip().endswith("False"), done.stderr.decode()
