"""``accord verify --base-url --states``: the handlers run in the verifier, not in the
remote provider; the run says so on stderr (and suggests --state-change-url)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from accord.cli import main

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import Users, http_server, registry_root, wsgi_server  # fixtures

__all__ = ["http_server", "registry_root", "wsgi_server"]

STATES = """
from accord.provider import provider_state

@provider_state("p-warning: nothing to set up")
def nothing():
    yield
"""


@pytest.fixture(autouse=True)
def _no_global_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Other test modules register handlers (e.g. "user exists") into the process-wide
    # DEFAULT_STATES; these tests need billing's state to be unhandled, whatever ran before.
    from accord.provider._states import DEFAULT_STATES

    monkeypatch.setattr(DEFAULT_STATES, "handlers", {})


def _run(root: Path, tmp_path: Path, base: str, *extra: str) -> int:
    (tmp_path / "p_warning_states.py").write_text(STATES, encoding="utf-8")
    argv = ["verify", "--provider", "users-service", "--base-url", base, "--app-dir"]
    return main([*argv, str(tmp_path), *extra, "--registry", str(root)])


def test_states_with_a_base_url_warn_that_they_run_in_the_verifier(
    registry_root: Path,
    http_server: Callable[[Users], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = http_server(Users())
    # billing needs a state nobody handles: exit 2, after the warning
    assert _run(registry_root, tmp_path, base, "--states", "p_warning_states") == 2
    err = capsys.readouterr().err
    assert "warning[states-in-verifier]" in err
    assert "--state-change-url" in err


def test_no_warning_without_states(
    registry_root: Path,
    http_server: Callable[[Users], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = http_server(Users())
    assert _run(registry_root, tmp_path, base) == 2
    assert "states-in-verifier" not in capsys.readouterr().err
