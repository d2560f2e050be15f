"""A yank says why, as every approval does.

A ``[yanked]`` entry takes a published version out of every range and makes it no
previous version: it changes what the gate compares and what consumers are served, and
consumers read its reason. ``"1.1.0" = "x"`` (or ``TODO``, ``-``) was accepted while the
same placeholder in an ignore entry or a rule override was refused. Now it is
``config-invalid-value`` at ``/yanked/<version>`` (exit 2), and ``accord yank --reason
TODO`` is refused before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _registry_builders import publish
from accord.cli import main
from accord.errors import ConfigError, UsageError
from accord.gate import publish as _publish
from accord.registry.config import loads_toml, parse_contract_meta

DIALECT = "https://json-schema.org/draft/2020-12/schema"
V1 = {"$schema": DIALECT, "type": "object", "properties": {"id": {"type": "integer"}}}
V11 = {**V1, "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}}
PLACEHOLDERS = ["x", "TODO", "TODO: why", "-", "n/a", "ok", "   x ", "<reason>"]
BASE = 'owner = "team"\nkind = "event"\n'


def _yanked(reason: str) -> str:
    return BASE + f'[yanked]\n"1.0.0" = {json.dumps(reason)}\n'


@pytest.mark.parametrize("reason", PLACEHOLDERS)
def test_a_placeholder_yank_reason_is_refused(reason: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_contract_meta(loads_toml(_yanked(reason)), file="contract.toml")
    assert refused.value.code == "config-invalid-value"
    assert refused.value.pointer == "/yanked/1.0.0"
    assert refused.value.file == "contract.toml"
    assert "placeholder" in str(refused.value)


def test_a_real_reason_is_kept() -> None:
    meta = parse_contract_meta(loads_toml(_yanked("sent emails unmasked")), file="contract.toml")
    assert [str(v) for v in meta.yanked] == ["1.0.0"]


def test_check_refuses_the_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "contracts"
    folder = publish(root, "orders.placed", {"1.0.0": V1, "1.1.0": V11})
    (folder / "contract.toml").write_text(_yanked("TODO"), encoding="utf-8")
    assert main(["check", "--registry", str(root)]) == 2
    assert "error[config-invalid-value]" in capsys.readouterr().err


@pytest.mark.parametrize("reason", ["x", "TODO", "n/a"])
def test_accord_yank_refuses_a_placeholder_and_writes_nothing(reason: str, tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    folder = publish(root, "orders.placed", {"1.0.0": V1, "1.1.0": V11})
    before = (folder / "contract.toml").read_bytes()
    with pytest.raises(UsageError) as refused:
        _publish.yank(root, "orders.placed@1.0.0", reason=reason)
    assert "placeholder" in str(refused.value)
    assert (folder / "contract.toml").read_bytes() == before


def test_the_cli_yank_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "contracts"
    folder = publish(root, "orders.placed", {"1.0.0": V1, "1.1.0": V11})
    before = (folder / "contract.toml").read_bytes()
    argv = ["yank", "orders.placed@1.0.0", "--reason", "TODO", "--registry", str(root)]
    assert main(argv) == 2
    assert (folder / "contract.toml").read_bytes() == before
    capsys.readouterr()
