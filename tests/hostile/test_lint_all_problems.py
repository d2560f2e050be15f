"""``accord lint`` reports every problem in a contract.toml, not only the first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import ConfigError
from accord.gate.lint import lint
from accord.registry.config import parse_contract_meta

BAD = """\
owners = "typo"
kind = "thing"
mode = "sometimes"
tags = "not-a-list"

[yanked]
"1.x" = "bad version"
"1.0.0" = ""

[rules.enum-value-added]
severity = "loud"
reason = "x"

[rules.Not_Kebab]
severity = "off"
reason = "x"
"""


def test_lint_lists_every_problem_in_a_contract_toml(tmp_path: Path) -> None:
    directory = tmp_path / "orders" / "a"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text(BAD)
    (directory / "1.0.0.schema.json").write_text(json.dumps({"type": "object"}))
    found = sorted(
        (p.code, p.pointer) for p in lint(tmp_path).problems if p.file == "orders/a/contract.toml"
    )
    assert found == [
        ("config-invalid-value", "/kind"),
        ("config-invalid-value", "/mode"),
        ("config-invalid-value", "/rules/Not_Kebab"),
        ("config-invalid-value", "/rules/enum-value-added/severity"),
        ("config-invalid-value", "/tags"),
        ("config-invalid-value", "/yanked/1.0.0"),
        ("config-invalid-value", "/yanked/1.x"),
        ("config-missing-key", "/owner"),
        ("config-unknown-key", "/owners"),
    ]


def test_the_api_still_raises_the_first() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_contract_meta({"kind": "thing"}, file="c.toml")
    assert caught.value.pointer == "/owner"
