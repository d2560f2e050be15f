"""An ignore entry approves a gate finding only with a real reason: empty and
placeholder reasons (what ``--format ignore-toml`` writes, ``TODO``, ``n/a``, ``-``)
are refused with exit 2 naming the entry, from an ignore file and from
``[tool.accord] ignore``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main
from accord.errors import ConfigError
from accord.gate.check import is_placeholder_reason, load_ignore_file, parse_ignore_entries

FP = "0123456789abcdef"


@pytest.mark.parametrize(
    "reason",
    [
        "",
        "   ",
        "TODO: why this finding is approved (who, where reviewed)",
        "todo",
        "FIXME later",
        "TBD",
        "xxx",
        "n/a",
        "N/A",
        "-",
        "...",
        "none",
        "ok",
        "reason",
        "<why>",
        "placeholder",
    ],
)
def test_placeholder_reasons_are_refused(reason: str, tmp_path: Path) -> None:
    assert is_placeholder_reason(reason)
    path = tmp_path / "accord-ignore.toml"
    path.write_text(
        f'[[ignore]]\nfingerprint = "{"f" * 16}"\nreason = "billing owns it, #12"\n\n'
        f"[[ignore]]\nfingerprint = {json.dumps(FP)}\nreason = {json.dumps(reason)}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_ignore_file(path)
    assert caught.value.pointer == "/ignore/1/reason"
    assert f"ignore entry 2 (fingerprint {FP})" in caught.value.message


@pytest.mark.parametrize(
    "reason",
    ["approved in #42 by team-orders", "billing publishes it next release", "ok'd in PR-7"],
)
def test_real_reasons_are_accepted(reason: str) -> None:
    assert not is_placeholder_reason(reason)
    (entry,) = parse_ignore_entries([{"fingerprint": FP, "reason": reason}], file="x")
    assert entry.reason == reason


def test_a_placeholder_in_tool_accord_ignore_is_refused_too() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_ignore_entries(
            [{"fingerprint": FP, "reason": "TODO"}],
            file="pyproject.toml",
            pointer="/tool/accord/ignore",
        )
    assert caught.value.pointer == "/tool/accord/ignore/0/reason"


def test_check_with_a_generated_ignore_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check --format ignore-toml > accord-ignore.toml` then `check` must not pass."""
    from accord.gate import publish as _publish

    root = tmp_path / "contracts"
    (root / "orders" / "placed").mkdir(parents=True)
    (root / "orders" / "placed" / "contract.toml").write_text('owner = "t"\nkind = "event"\n')
    _publish.publish(root, "orders.placed", {"type": "object", "properties": {"a": {}}})
    (root / "orders" / "placed" / "1.1.0.schema.json").write_text('{"type": "object"}')
    main(["check", "--registry", str(root), "--format", "ignore-toml"])
    generated = capsys.readouterr().out
    assert "refuses (exit 2)" in generated
    ignore = tmp_path / "accord-ignore.toml"
    ignore.write_text(generated)
    assert main(["check", "--registry", str(root), "--ignore-file", str(ignore)]) == 2
    err = capsys.readouterr().err
    assert "ignore entry 1 (fingerprint " in err
    assert "placeholder" in err
