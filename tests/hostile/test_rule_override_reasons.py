"""A rule override (``[rules.<id>]`` in ``contract.toml``, ``[lint.rules.<id>]`` in
``accord.toml``) approves a change of a rule's severity only with a real reason, as an
ignore entry does. ``severity = "off"`` with ``reason = "TODO"`` (or ``-``, ``n/a``)
turned a breaking change off and the gate passed; the same reason in an ignore file was
refused. Now it is ``config-invalid-value`` at the reason's pointer: exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _registry_builders import publish
from accord.cli import main
from accord.errors import ConfigError
from accord.registry.config import loads_toml, parse_contract_meta, parse_registry_settings

DIALECT = "https://json-schema.org/draft/2020-12/schema"
V1 = {"$schema": DIALECT, "type": "object", "properties": {"id": {"type": "integer"}}}
V2 = {"$schema": DIALECT, "type": "object", "properties": {"id": {"type": "string"}}}
PLACEHOLDERS = ["TODO", "TODO: why", "-", "n/a", "ok", "x", "   ", "<reason>"]
BASE = 'owner = "team"\nkind = "event"\n'


def _override(reason: str, severity: str = "off") -> str:
    body = f"severity = {json.dumps(severity)}\nreason = {json.dumps(reason)}\n"
    return "\n[rules.type-changed]\n" + body


@pytest.mark.parametrize("reason", PLACEHOLDERS)
@pytest.mark.parametrize("severity", ["off", "warning", "error"])
def test_a_placeholder_reason_is_refused_in_contract_toml(reason: str, severity: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_contract_meta(loads_toml(BASE + _override(reason, severity)), file="contract.toml")
    assert refused.value.code == "config-invalid-value"
    assert refused.value.pointer == "/rules/type-changed/reason"
    assert refused.value.file == "contract.toml"


@pytest.mark.parametrize("reason", PLACEHOLDERS)
def test_a_placeholder_reason_is_refused_in_accord_toml(reason: str) -> None:
    text = f'[lint.rules.lock-unsorted]\nseverity = "off"\nreason = {json.dumps(reason)}\n'
    with pytest.raises(ConfigError) as refused:
        parse_registry_settings(loads_toml(text), file="accord.toml")
    assert refused.value.code == "config-invalid-value"
    assert refused.value.pointer == "/lint/rules/lock-unsorted/reason"


@pytest.mark.parametrize("reason", ["TODO", "-", "n/a"])
def test_the_gate_refuses_a_breaking_change_switched_off_without_a_reason(
    reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    folder = publish(root, "orders.placed", {"1.0.0": V1, "1.1.0": V2})
    (folder / "contract.toml").write_text(BASE + _override(reason), encoding="utf-8")
    code = main(["check", "--registry", str(root)])
    captured = capsys.readouterr()
    assert code == 2, captured.out
    assert "error[config-invalid-value]" in captured.err
    assert "orders/placed/contract.toml#/rules/type-changed/reason" in captured.err
    assert main(["lint", "--registry", str(root)]) == 2


def test_a_real_reason_still_overrides(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    folder = publish(root, "orders.placed", {"1.0.0": V1, "1.1.0": V2})
    assert main(["check", "--registry", str(root)]) == 1
    reason = "ids are opaque strings to every reader (billing#12, reviewed by platform)"
    (folder / "contract.toml").write_text(BASE + _override(reason), encoding="utf-8")
    assert main(["check", "--registry", str(root)]) == 0
