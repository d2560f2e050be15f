"""What a gate run imports: ``check --against`` on a change that withdraws no
consumer's expectation never imports the consumers package (~10 ms a run), and the
folder names the gate spells itself are the ones that package reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from _gate_helpers import (
    BASE_SCHEMA,
    commit_all,
    git,
    init_repo,
    make_contract,
    schema,
    write_unpublished,
)

import accord
from accord.consumers._model import CONSUMERS_DIR
from accord.consumers._records import VERIFICATIONS_DIR
from accord.gate import check as gate

_RUN = """
import json, sys
from accord.gate.check import check
report = check(sys.argv[1], against="main")
print(json.dumps([report.exit_code(), "accord.consumers" in sys.modules]))
"""


def test_the_gate_spells_the_consumers_folders_as_the_consumers_package_does() -> None:
    assert gate._CONSUMERS_DIR == CONSUMERS_DIR
    assert gate._VERIFICATIONS_DIR == VERIFICATIONS_DIR


def _run(root: Path) -> tuple[int, bool]:
    src = str(Path(accord.__file__).resolve().parents[1])
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(root)],
        env={**os.environ, "PYTHONPATH": src},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    code, imported = json.loads(done.stdout)
    return code, imported


def _repo(tmp_path: Path, *, consumer: bool) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    make_contract(root, "orders.placed")
    write_unpublished(root, "orders.placed", "1.0.0", BASE_SCHEMA)
    if consumer:
        expectation = root / CONSUMERS_DIR / "billing" / "orders.json"
        expectation.parent.mkdir(parents=True)
        expectation.write_text(json.dumps({"consumer": "billing", "expectations": []}))
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "change")
    write_unpublished(root, "orders.placed", "1.1.0", schema(extra={"type": "string"}))
    return root


def test_a_change_that_withdraws_no_expectation_does_not_import_the_consumers_package(
    tmp_path: Path,
) -> None:
    assert _run(_repo(tmp_path, consumer=False)) == (0, False)


def test_a_change_that_deletes_an_expectation_still_reads_it(tmp_path: Path) -> None:
    root = _repo(tmp_path, consumer=True)
    (root / CONSUMERS_DIR / "billing" / "orders.json").unlink()
    _code, imported = _run(root)
    assert imported  # the base's expectation was read back and parsed
