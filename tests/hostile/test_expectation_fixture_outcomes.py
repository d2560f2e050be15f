"""``accord_expectation`` records only what a passing test declared.

The fixture skipped recording when the test *failed*, but an expected failure
(``xfail``) or a test that called ``pytest.skip()`` after exercising the stub is reported
as skipped, not failed: its interactions were recorded as if the consumer's code had
been shown to work with them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BODY = """
import httpx
import pytest

def _use(accord_expectation):
    e = accord_expectation("billing", provider="users-service")
    e.upon_receiving("get a").with_request("GET", "/a").will_respond_with(200)
    client = httpx.Client(transport=e.transport(), base_url="http://users")
    assert client.get("/a").status_code == 200

"""

OUTCOMES = {
    "xfail": "@pytest.mark.xfail(reason='known bug')\ndef test_it(accord_expectation):\n"
    "    _use(accord_expectation)\n    assert False, 'the consumer cannot handle it'\n",
    "skip": "def test_it(accord_expectation):\n"
    "    _use(accord_expectation)\n    pytest.skip('not today')\n",
    "imperative-xfail": "def test_it(accord_expectation):\n"
    "    _use(accord_expectation)\n    pytest.xfail('known bug')\n",
}


def _pytest(where: Path) -> subprocess.CompletedProcess[str]:
    import accord

    # the accord under test, not whichever one the child would import from its cwd
    source = str(Path(accord.__file__).resolve().parents[1])
    path = os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "ACCORD_REGISTRY": str(where / "reg"), "PYTHONPATH": path}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(where)],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_a_test_that_did_not_pass_records_nothing(tmp_path: Path, outcome: str) -> None:
    (tmp_path / "test_consumer.py").write_text(BODY + OUTCOMES[outcome])
    run = _pytest(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (tmp_path / "reg" / "consumers").exists(), run.stdout


def test_a_passing_test_records(tmp_path: Path) -> None:
    (tmp_path / "test_consumer.py").write_text(
        BODY + "def test_it(accord_expectation):\n    _use(accord_expectation)\n"
    )
    run = _pytest(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "reg" / "consumers" / "billing" / "users-service.json").is_file()
