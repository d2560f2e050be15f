"""The suite never lets pact_ffi send its anonymous usage ping.

pact-rust reads ``PACT_DO_NOT_TRACK`` as the text ``true`` only: set to ``1`` (what the
suite set before) it printed "We are tracking events anonymously ..." and tracked. The
suite's conftest sets ``true`` for every test and every child process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

_VERIFY = """
import json, sys
sys.path.insert(0, sys.argv[1])
from _pact_rust import one_body_pact, pact_rust_accepts
open(sys.argv[2], "w").write(json.dumps(one_body_pact({}, {"v": 1})))
print("accepted", pact_rust_accepts(sys.argv[2], "p", {"v": 1}))
"""


@pytest.mark.timeout(120)
def test_a_pact_verification_under_the_suite_does_not_track(tmp_path: Path) -> None:
    assert os.environ.get("PACT_DO_NOT_TRACK") == "true"
    env = dict(os.environ)
    env.pop("PACT_DO_NOT_TRACK")  # the helper module must set it by itself too
    here = str(Path(__file__).parent)
    run = subprocess.run(
        [sys.executable, "-c", _VERIFY, here, str(tmp_path / "p.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=110,
        check=False,
    )
    out = run.stdout + run.stderr
    assert "accepted True" in out, out[-2000:]
    assert "tracking" not in out.lower(), out[-2000:]
    assert json.loads((tmp_path / "p.json").read_text())["provider"] == {"name": "p"}
