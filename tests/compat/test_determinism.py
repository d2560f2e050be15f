"""The engine's answers never depend on the interpreter's string hash seed.

Sets and frozensets of strings iterate in an order ``PYTHONHASHSEED`` picks; an engine that
walks one (required names, enum values, pattern sets, property keys) could do more or less
work, hit its step budget under one seed only, or pick another witness or reason. Each seed
runs in its own interpreter (the seed is fixed at start-up), all cases in one process, and
everything the engine reports (step counts, verdicts, witnesses, reasons, rule ids,
pointers), and the payloads the seeded generator draws for its witness search, must be
identical across seeds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SUITES = Path(__file__).parent / "suites"

# Cases with many properties, enums, patterns and required sets; the first ones did
# different work under different seeds.
CASE_IDS = (
    "jsonsubschema/test_more/TestPaperBigchainDB.test_transaction_create_transfer",
    "jsonsubschema/test_more/TestPaperBigchainDB.test_transaction",
    "jsonsubschema/test_more/TestPaperBigchainDB.test_transaction_vote_transaction_validator_election",
    "jsonsubschema/test_string/TestNotStringSubtype.test_equiv_multiple_case",
    "jsonsubschema/test_boolean/TestNotBoolean.test_not_allOf3",
    "jsonsubschema/test_from_lale/TestMore.test_1",
    "jsonsubschema/test_from_lale/TestMore.test_6",
    "sentry/required/add",
)

_SCRIPT = """
import json, sys
from accord.compat import diff
from accord.compat._engine import compare
from accord.payloads.generate import valid_payloads
from accord.validation.dialect import fold_dependencies, normalize

ids = set(json.loads(sys.argv[1]))
out = {}
for path in sorted(__import__("pathlib").Path(sys.argv[2]).glob("*.json")):
    for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
        if case["id"] not in ids:
            continue
        old = fold_dependencies(normalize(case["old"]))
        new = fold_dependencies(normalize(case["new"]))
        comparison = compare(old, new, semantics="set")
        report = diff(old_schema=case["old"], new_schema=case["new"])
        drawn = [valid_payloads(side, n=4, seed=0) for side in (old, new)]
        out[case["id"]] = [comparison.steps, repr(comparison), repr(report), repr(drawn)]
print(json.dumps(out, sort_keys=True))
"""


def _start(seed: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, json.dumps(CASE_IDS), str(SUITES)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def _result(process: subprocess.Popen[str]) -> dict[str, list[object]]:
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    result: dict[str, list[object]] = json.loads(out)
    return result


def test_engine_answers_do_not_depend_on_the_hash_seed() -> None:
    started = {seed: _start(seed) for seed in (0, 1, 5, 17, 42)}
    runs = {seed: _result(process) for seed, process in started.items()}
    first = runs[0]
    assert sorted(first) == sorted(CASE_IDS)
    differ = [
        (seed, case_id)
        for seed, run in runs.items()
        for case_id in CASE_IDS
        if run[case_id] != first[case_id]
    ]
    assert differ == []
