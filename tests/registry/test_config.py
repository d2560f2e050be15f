"""accord.toml, contract.toml and [tool.accord]: every key checked, every error coded."""

# ruff: noqa: E501  (case tables keep one case per line)
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from _registry_builders import write
from accord.errors import ConfigError
from accord.registry.config import (
    ContractMeta,
    RegistrySettings,
    ToolConfig,
    find_project_config,
    load_contract_meta,
    load_registry_settings,
    loads_toml,
    parse_contract_meta,
    parse_registry_settings,
    read_toml,
)
from accord.versions import Version


def contract(text: str, **kwargs: object) -> ContractMeta:
    return parse_contract_meta(loads_toml(text), file="contract.toml", **kwargs)  # type: ignore[arg-type]


# -- contract.toml ---------------------------------------------------------------------


def test_contract_minimal_defaults() -> None:
    meta = contract('owner = "payments"\nkind = "event"\n')
    assert meta == ContractMeta(owner="payments", kind="event")
    assert meta.mode == "full"
    assert meta.status == "stable"
    assert meta.tags == ()
    assert dict(meta.yanked) == {}
    assert dict(meta.rules) == {}


def test_contract_every_key() -> None:
    meta = contract(
        """
owner = "payments"
provider = "checkout-service"
kind = "response"
mode = "backward-transitive"
status = "deprecated"
description = "What a checkout returns"
tags = ["pii", "billing"]

[yanked]
"1.2.0" = "shipped a wrong enum"

[rules.pattern-changed]
severity = "warning"
reason = "patterns are validated upstream"
"""
    )
    assert meta.provider == "checkout-service"
    assert meta.kind == "response"
    assert meta.mode == "backward-transitive"
    assert meta.status == "deprecated"
    assert meta.tags == ("pii", "billing")
    assert dict(meta.yanked) == {Version.parse("1.2.0"): "shipped a wrong enum"}
    rule = meta.rules["pattern-changed"]
    assert (rule.rule, rule.severity, rule.reason) == (
        "pattern-changed",
        "warning",
        "patterns are validated upstream",
    )


def test_contract_mode_defaults_to_registry_mode() -> None:
    assert contract('owner = "a"\nkind = "record"\n', default_mode="backward").mode == "backward"
    assert (
        contract('owner = "a"\nkind = "record"\nmode = "none"\n', default_mode="backward").mode
        == "none"
    )


BASE = 'owner = "a"\nkind = "event"\n'


@pytest.mark.parametrize(
    ("text", "code", "pointer"),
    [
        pytest.param('kind = "event"\n', "config-missing-key", "/owner", id="owner-missing"),
        pytest.param('owner = "a"\n', "config-missing-key", "/kind", id="kind-missing"),
        pytest.param('owner = ""\nkind = "event"\n', "config-invalid-value", "/owner", id="owner-empty"),
        pytest.param('owner = 3\nkind = "event"\n', "config-invalid-value", "/owner", id="owner-int"),
        pytest.param('owner = "a"\nkind = "command"\n', "config-invalid-value", "/kind", id="kind-bad"),
        pytest.param(BASE + 'mode = "sideways"\n', "config-invalid-value", "/mode", id="mode-bad"),
        pytest.param(BASE + 'status = "gone"\n', "config-invalid-value", "/status", id="status-bad"),
        pytest.param(BASE + "description = 1\n", "config-invalid-value", "/description", id="description-int"),
        pytest.param(BASE + 'tags = "x"\n', "config-invalid-value", "/tags", id="tags-str"),
        pytest.param(BASE + "tags = [1]\n", "config-invalid-value", "/tags", id="tags-int"),
        pytest.param(BASE + 'owners = "x"\n', "config-unknown-key", "/owners", id="unknown-key"),
        pytest.param(BASE + 'yanked = "1.0.0"\n', "config-invalid-value", "/yanked", id="yanked-not-table"),
        pytest.param(BASE + '[yanked]\n"v1.0.0" = "x"\n', "config-invalid-value", "/yanked/v1.0.0", id="yanked-bad-version"),
        pytest.param(BASE + '[yanked]\n"1.0.0" = ""\n', "config-invalid-value", "/yanked/1.0.0", id="yanked-no-reason"),
        pytest.param(BASE + '[rules.pattern-changed]\nseverity = "warning"\n', "config-missing-key", "/rules/pattern-changed/reason", id="rule-no-reason"),
        pytest.param(BASE + '[rules.pattern-changed]\nreason = "x"\n', "config-missing-key", "/rules/pattern-changed/severity", id="rule-no-severity"),
        pytest.param(BASE + '[rules.pattern-changed]\nseverity = "fatal"\nreason = "x"\n', "config-invalid-value", "/rules/pattern-changed/severity", id="rule-bad-severity"),
        pytest.param(BASE + '[rules.pattern-changed]\nseverity = "off"\nreason = "x"\nuntil = 2\n', "config-unknown-key", "/rules/pattern-changed/until", id="rule-unknown-key"),
        pytest.param(BASE + '[rules.Pattern_Changed]\nseverity = "off"\nreason = "x"\n', "config-invalid-value", "/rules/Pattern_Changed", id="rule-id-not-kebab"),
        pytest.param(BASE + "rules = 1\n", "config-invalid-value", "/rules", id="rules-not-table"),
        # a provider is the service name `verify --provider`, verification records and
        # deployment records use: one no record can carry would tie the contract to no one
        pytest.param(BASE + 'provider = "../x"\n', "config-invalid-value", "/provider", id="provider-path"),
        pytest.param(BASE + 'provider = "Orders Service"\n', "config-invalid-value", "/provider", id="provider-not-a-name"),
        pytest.param(BASE + 'provider = "con"\n', "config-invalid-value", "/provider", id="provider-device-name"),
        pytest.param(BASE + 'provider = "orders_service"\n', "config-invalid-value", "/provider", id="provider-underscore"),
    ],
)  # fmt: skip
def test_contract_errors(text: str, code: str, pointer: str) -> None:
    with pytest.raises(ConfigError) as info:
        contract(text)
    assert info.value.code == code
    assert info.value.pointer == pointer
    assert info.value.file == "contract.toml"


def test_contract_meta_is_frozen() -> None:
    meta = contract(BASE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.owner = "b"  # type: ignore[misc]
    with pytest.raises(TypeError):
        meta.yanked[Version.parse("1.0.0")] = "x"  # type: ignore[index]


# -- TOML reading ----------------------------------------------------------------------


def test_malformed_toml_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "contract.toml", 'owner = "a"\nkind = [\n')
    with pytest.raises(ConfigError) as info:
        load_contract_meta(path, display="x/contract.toml")
    assert info.value.code == "toml-malformed"
    assert info.value.file == "x/contract.toml"
    assert info.value.line is not None
    assert info.value.column is not None


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param('<<<<<<< HEAD\nowner = "a"\n=======\nowner = "b"\n>>>>>>> x\n', "json-conflict-markers", id="conflict"),
        pytest.param(b'owner = "\xff"\n', "json-invalid-utf8", id="bad-utf8"),
        # tomllib recurses once per level: RecursionError (exit 3) within the size cap
        pytest.param("x = " + "{a=" * 5000 + "1" + "}" * 5000, "toml-malformed", id="deep-tables"),
        pytest.param("x = " + "[" * 5000 + "]" * 5000, "toml-malformed", id="deep-arrays"),
    ],
)  # fmt: skip
def test_toml_refusals(tmp_path: Path, content: str | bytes, code: str) -> None:
    path = write(tmp_path / "accord.toml", content)
    with pytest.raises(ConfigError) as info:
        read_toml(path)
    assert info.value.code == code


def test_conflict_marker_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.toml", 'mode = "full"\n<<<<<<< HEAD\n')
    with pytest.raises(ConfigError) as info:
        read_toml(path)
    assert info.value.line == 2


def test_toml_symlink_and_fifo_refused(tmp_path: Path) -> None:
    target = write(tmp_path / "real.toml", 'mode = "full"\n')
    (tmp_path / "link.toml").symlink_to(target)
    with pytest.raises(ConfigError) as info:
        read_toml(tmp_path / "link.toml")
    assert info.value.code == "path-symlink"
    os.mkfifo(tmp_path / "fifo.toml")
    with pytest.raises(ConfigError) as info:
        read_toml(tmp_path / "fifo.toml")
    assert info.value.code == "path-special-file"


# -- accord.toml -----------------------------------------------------------------------


def test_registry_settings_defaults_without_file(tmp_path: Path) -> None:
    assert load_registry_settings(tmp_path) == RegistrySettings()
    assert RegistrySettings().max_file_bytes == 1024 * 1024
    assert RegistrySettings().max_depth == 64


def test_registry_settings_every_key(tmp_path: Path) -> None:
    write(
        tmp_path / "accord.toml",
        """
mode = "backward"
max-file-bytes = 2048
max-depth = 10

[lint.rules.schema-unknown-keyword]
severity = "off"
reason = "vendor keywords"

[deprecation]
require-deprecation-before-removal = false
""",
    )
    settings = load_registry_settings(tmp_path)
    assert settings.mode == "backward"
    assert settings.max_file_bytes == 2048
    assert settings.max_depth == 10
    assert settings.lint_rules["schema-unknown-keyword"].severity == "off"
    assert settings.require_deprecation_before_removal is False
    assert settings.file == "accord.toml"


@pytest.mark.parametrize(
    ("text", "code", "pointer"),
    [
        pytest.param('mode = "x"\n', "config-invalid-value", "/mode", id="mode"),
        pytest.param("max-file-bytes = 0\n", "config-invalid-value", "/max-file-bytes", id="bytes-zero"),
        pytest.param("max-depth = true\n", "config-invalid-value", "/max-depth", id="depth-bool"),
        pytest.param('max-depth = "9"\n', "config-invalid-value", "/max-depth", id="depth-str"),
        pytest.param('owner = "a"\n', "config-unknown-key", "/owner", id="contract-key"),
        pytest.param("[lint]\nstrict = true\n", "config-unknown-key", "/lint/strict", id="lint-unknown"),
        pytest.param('[lint.rules.x]\nseverity = "off"\n', "config-missing-key", "/lint/rules/x/reason", id="lint-no-reason"),
        pytest.param("[deprecation]\nrequire-deprecation-before-removal = 1\n", "config-invalid-value", "/deprecation/require-deprecation-before-removal", id="deprecation-int"),
        pytest.param("[deprecation]\ngrace = 1\n", "config-unknown-key", "/deprecation/grace", id="deprecation-unknown"),
    ],
)  # fmt: skip
def test_registry_settings_errors(text: str, code: str, pointer: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_registry_settings(loads_toml(text), file="accord.toml")
    assert (info.value.code, info.value.pointer, info.value.file) == (code, pointer, "accord.toml")


# -- [tool.accord] ---------------------------------------------------------------------


def test_find_project_config_nearest_with_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.accord]\nregistry = "schemas/contracts"\nformat = "json"\ncodegen-package = "app.models"\n',
    )
    # A nearer pyproject without [tool.accord] is passed over (like ruff).
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    deep = tmp_path / "sub" / "deeper"
    deep.mkdir()
    tool = find_project_config(deep)
    assert tool.registry == tmp_path.resolve() / "schemas" / "contracts"
    assert tool.format == "json"
    assert tool.codegen_package == "app.models"
    assert tool.source == tmp_path.resolve() / "pyproject.toml"


def test_find_project_config_none(tmp_path: Path) -> None:
    assert find_project_config(tmp_path) == ToolConfig()


@pytest.mark.parametrize(
    ("table", "code", "pointer"),
    [
        pytest.param('owner = "a"\n', "config-unknown-key", "/tool/accord/owner", id="contract-key-owner"),
        pytest.param('mode = "full"\n', "config-unknown-key", "/tool/accord/mode", id="contract-key-mode"),
        pytest.param('registri = "x"\n', "config-unknown-key", "/tool/accord/registri", id="typo"),
        pytest.param("registry = 1\n", "config-invalid-value", "/tool/accord/registry", id="registry-int"),
        pytest.param('format = "xml"\n', "config-invalid-value", "/tool/accord/format", id="format-bad"),
    ],
)  # fmt: skip
def test_tool_config_errors(tmp_path: Path, table: str, code: str, pointer: str) -> None:
    write(tmp_path / "pyproject.toml", "[tool.accord]\n" + table)
    with pytest.raises(ConfigError) as info:
        find_project_config(tmp_path)
    assert (info.value.code, info.value.pointer) == (code, pointer)
    assert info.value.file == str(tmp_path.resolve() / "pyproject.toml")
    if "contract-key" in pointer or table.startswith(("owner", "mode")):
        assert "contract.toml" in info.value.message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param('owner = "a"\nkind = = 1\n', 2, 8, id="mid-document"),
        pytest.param('owner = "a"\nkind = [\n', 3, 1, id="end-of-document"),
    ],
)
def test_malformed_toml_position(text: str, line: int, column: int) -> None:
    with pytest.raises(ConfigError) as info:
        loads_toml(text, file="contract.toml")
    assert (info.value.code, info.value.line, info.value.column) == ("toml-malformed", line, column)


def test_tool_config_carries_gate_service_and_pact_tables(tmp_path: Path) -> None:
    from accord.registry.config import parse_tool_config

    tool = parse_tool_config(
        {
            "registry": "contracts",
            "fail-on": "warning",
            "against": "origin/main",
            "ignore-file": "accord-ignore.toml",
            "ignore": [{"fingerprint": "0123456789abcdef", "reason": "approved"}],
            "format": "sarif",
            "service": {"produces": [{"ref": "orders.order-placed@^1"}]},
            "pact": {"map": ["GET /users/{id} 200=users.user@^1"]},
        },
        base=tmp_path,
    )
    assert tool.fail_on == "warning"
    assert tool.against == "origin/main"
    assert tool.ignore_file == tmp_path / "accord-ignore.toml"
    assert tool.ignore == ({"fingerprint": "0123456789abcdef", "reason": "approved"},)
    assert tool.format == "sarif"
    assert tool.service is not None
    assert tool.service["produces"][0]["ref"] == "orders.order-placed@^1"
    assert tool.pact is not None


@pytest.mark.parametrize(
    ("table", "pointer"),
    [
        ({"fail-on": "sometimes"}, "/tool/accord/fail-on"),
        ({"ignore": {"a": 1}}, "/tool/accord/ignore"),
        ({"service": "orders"}, "/tool/accord/service"),
    ],
)
def test_tool_config_refuses_bad_gate_values(
    tmp_path: Path, table: dict[str, object], pointer: str
) -> None:
    from accord.errors import ConfigError
    from accord.registry.config import parse_tool_config

    with pytest.raises(ConfigError) as info:
        parse_tool_config(table, base=tmp_path)
    assert info.value.code == "config-invalid-value"
    assert info.value.pointer == pointer
