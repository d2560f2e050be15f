"""``pact import`` and ``pact export`` do not succeed on nothing.

A Pact file with no interactions (``"interactions": []``, ``"messages": []``, or neither
key: a broker's error page, another tool's JSON) imported as an expectation file that
expects nothing, exit 0 ("-> ... (0 interactions)"). ``pact export`` of a registry, or of
a ``--consumer``, with no interaction exited 0, printed nothing and wrote nothing: the
step that publishes the Pact files to a broker then publishes none, and the broker's
can-i-deploy answers for a consumer with no pact. Both are exit 2 now, nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.consumers import Expectation
from accord.consumers._pact import import_pact
from accord.errors import DocumentError

EMPTY_PACTS: dict[str, dict[str, Any]] = {
    "v3-no-interactions": {
        "interactions": [],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    },
    "v4-no-interactions": {
        "interactions": [],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    },
    "v3-no-messages": {"messages": [], "metadata": {"pactSpecification": {"version": "3.0.0"}}},
    "neither-key": {"metadata": {"pactSpecification": {"version": "2.0.0"}}},
    "both-null": {"interactions": None, "messages": None},
}


def _pact(case: str) -> dict[str, Any]:
    return {"consumer": {"name": "billing"}, "provider": {"name": "users"}, **EMPTY_PACTS[case]}


@pytest.mark.parametrize("case", sorted(EMPTY_PACTS))
def test_a_pact_without_interactions_is_refused(case: str) -> None:
    with pytest.raises(DocumentError) as caught:
        import_pact(_pact(case), file="billing-users.json")
    assert caught.value.code in ("pact-empty", "pact-invalid"), caught.value
    assert caught.value.file == "billing-users.json"


@pytest.mark.parametrize("case", sorted(EMPTY_PACTS))
def test_the_cli_writes_nothing_for_it(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry, pact = tmp_path / "contracts", tmp_path / "billing-users.json"
    registry.mkdir()
    pact.write_text(json.dumps(_pact(case)))
    code = main(["pact", "import", str(pact), "--registry", str(registry)])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "Traceback" not in captured.err
    assert not (registry / "consumers").exists()


def test_an_export_with_no_interaction_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry, out = tmp_path / "contracts", tmp_path / "pacts"
    registry.mkdir()
    code = main(["pact", "export", "--out", str(out), "--registry", str(registry)])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "expectations-none" in captured.err
    assert not out.exists() or not any(out.iterdir())


def test_an_export_of_a_consumer_with_no_interaction_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry, out = tmp_path / "contracts", tmp_path / "pacts"
    registry.mkdir()
    Expectation("billing", version="1.4.0", name="users", provider="users").write(registry)
    (
        Expectation("web", version="1.0.0", name="users", provider="users")
        .upon_receiving("get user 1")
        .with_request("GET", "/users/1")
        .will_respond_with(200)
        .write(registry)
    )
    argv = ["pact", "export", "--out", str(out), "--registry", str(registry)]
    code = main([*argv, "--consumer", "billing"])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "consumer-unknown" in captured.err
    assert "billing" in captured.err
    assert not out.exists() or not any(out.iterdir())
    assert main(argv) == 0  # web's interaction is exported
    assert [p.name for p in out.iterdir()] == ["web-users.json"]
