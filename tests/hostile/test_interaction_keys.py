"""Two interactions with one key (description + provider states) are one too many.

A Pact file with two different interactions of one key was imported as is, into a file
that breaks the pair's rule (one interaction per key): importing the same Pact again
then failed with ``expectation-conflict``, and a hand-edited expectation file with a
repeated key was read without complaint.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from accord.consumers._model import validate
from accord.consumers._pact import import_pact
from accord.errors import DocumentError

GET: dict[str, Any] = {
    "description": "get user",
    "request": {"method": "GET", "path": "/users/1"},
    "response": {"status": 200, "body": {"id": 1}},
}


def _pact(*interactions: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def _other_answer() -> dict[str, Any]:
    other = copy.deepcopy(GET)
    other["response"]["body"] = {"id": 2}
    return other


def test_a_repeated_interaction_is_imported_once() -> None:
    assert len(import_pact(_pact(GET, copy.deepcopy(GET)))["interactions"]) == 1


def test_two_interactions_of_one_key_are_a_conflict() -> None:
    with pytest.raises(DocumentError) as caught:
        import_pact(_pact(GET, _other_answer()), file="p.json")
    assert (caught.value.code, caught.value.pointer) == ("expectation-conflict", "/interactions/1")


def test_other_provider_states_are_another_key() -> None:
    other = {**_other_answer(), "providerStates": [{"name": "user 2 exists"}]}
    assert len(import_pact(_pact(GET, other))["interactions"]) == 2


def test_the_cli_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli import main

    reg = tmp_path / "reg"
    pact = tmp_path / "p.json"
    pact.write_text(json.dumps(_pact(GET, _other_answer())))
    assert main(["pact", "import", str(pact), "--registry", str(reg)]) == 2
    assert "expectation-conflict" in capsys.readouterr().err
    assert not reg.exists()


def test_a_hand_edited_expectation_with_a_repeated_key_is_refused() -> None:
    doc = import_pact(_pact(GET))
    doc["interactions"].append(copy.deepcopy(doc["interactions"][0]))
    with pytest.raises(DocumentError) as caught:
        validate(doc, file="consumers/web/users.json")
    assert caught.value.code == "expectation-conflict"
