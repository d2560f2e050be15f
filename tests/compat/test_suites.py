"""The public compatibility suites (tests/compat/suites/), adjudicated, under accord.

Each ``<suite>.json`` holds schema pairs extracted from a public suite with the suite's
own label per direction (``label``), the adjudicated truth under the reference validator
(``set``: a witness payload decides every break), accord's answer when extracted
(``accord``) and, where the suite and the truth differ, the ``adjudication``
(``scripts/extract_suites.py`` writes them; ``scripts/suites_report.py`` prints the
per-suite accuracy in docs/compatibility.md).

What must hold on every case:

- accord never proves a direction the truth says breaks (0 unsound verdicts), and never
  refutes one that holds;
- every witness accord gives is accepted by its writer and rejected by its reader under
  the reference, both as accord reads the schemas (normalised to 2020-12) and as they
  are written (the reference in their declared dialect); every witness recorded in a
  case behaves as it is listed under the latter;
- a direction accord answered right when the case was recorded stays right (an
  ``unproven`` may become right, never the reverse);
- input accord refused (invalid under its declared dialect) is still refused, and
  nothing else is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.compat._engine import compare
from accord.errors import SchemaError
from accord.validation.dialect import fold_dependencies, normalize, unnormalised_assertion
from accord.validation.offline import rs_metaschema_error
from accord.validation.reference import is_valid, is_valid_declared

SUITES = Path(__file__).parent / "suites"
FILES = sorted(SUITES.glob("*.json"))
CASES: list[tuple[str, dict[str, Any]]] = [
    (path.stem, case)
    for path in FILES
    for case in json.loads(path.read_text(encoding="utf-8"))["cases"]
]


def _read(schema: Any) -> Any:
    """The document the engine compares, as ``accord.diff`` reads an input."""
    return fold_dependencies(normalize(schema))


def _refused(schema: Any) -> bool:
    """Whether ``accord.diff(old_schema=..., new_schema=...)`` refuses the schema as
    invalid input: a dialect accord does not read, a document normalisation refuses, a
    schema the reference will not compile under its declared dialect."""
    try:
        normalize(schema)
    except SchemaError:
        return True
    return rs_metaschema_error(schema) is not None


def test_suites_are_present_with_their_licences() -> None:
    assert {p.stem for p in FILES} >= {
        "apicurio",
        "jsoncompat",
        "jsonsubschema",
        "karapace",
        "sentry",
    }
    for path in FILES:
        about = json.loads(path.read_text(encoding="utf-8"))["about"]
        assert about["licence"] in ("Apache-2.0", "MIT")
        assert path.with_suffix(".LICENSE").read_text(encoding="utf-8").strip()
        notice = path.with_suffix(".NOTICE").read_text(encoding="utf-8")
        assert about["source"] in notice
        assert about["commit"] in notice


def test_case_ids_are_unique() -> None:
    ids = [case["id"] for _, case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("suite", "case"), CASES, ids=[c["id"] for _, c in CASES])
def test_accord_on_suite_case(suite: str, case: dict[str, Any]) -> None:
    recorded = case["accord"]
    refused = _refused(case["old"]) or _refused(case["new"])
    assert refused == ("refused" in recorded), "refusal changed"
    if refused:
        return
    old, new = _read(case["old"]), _read(case["new"])
    w = case["witnesses"]
    for listed, expected in (
        ("old_only", (True, False)),
        ("new_only", (False, True)),
        ("both", (True, True)),
    ):
        for payload in w[listed]:
            found = (
                is_valid_declared(case["old"], payload),
                is_valid_declared(case["new"], payload),
            )
            assert found == expected, payload
    result = compare(old, new, semantics="set")
    # As accord.diff: nothing is claimed while the declared dialect asserts a keyword the
    # normalised form cannot express (draft-06/07 content keywords).
    blind = unnormalised_assertion(case["old"]) or unnormalised_assertion(case["new"])
    for direction, writer, reader in (("backward", old, new), ("forward", new, old)):
        verdict = getattr(result, direction)
        holds = None if blind and verdict.holds is True else verdict.holds
        truth = case["set"][direction]
        if truth is False:
            assert holds is not True, f"UNSOUND {direction}: proven, a witness breaks it"
        elif truth is True:
            assert holds is not False, f"{direction}: refuted, the truth says it holds"
        if recorded[direction] is not None and recorded[direction] == truth:
            assert holds == truth, f"{direction}: was right, now {verdict.reason}"
        if verdict.has_witness:
            raw_writer, raw_reader = (
                (case["old"], case["new"])
                if direction == "backward"
                else (case["new"], case["old"])
            )
            for accepts in (is_valid, is_valid_declared):
                # accord's reading (normalised) and the schemas as written agree on it.
                w_in, r_in = (writer, reader) if accepts is is_valid else (raw_writer, raw_reader)
                assert accepts(w_in, verdict.witness), f"{direction}: witness invalid for writer"
                assert not accepts(r_in, verdict.witness), f"{direction}: witness fits reader"
