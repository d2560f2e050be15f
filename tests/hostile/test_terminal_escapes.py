"""Text output escapes control and bidi characters from user-controlled strings.

A property name holding ESC could clear the terminal and print a fake "all checks
passed"; NUL, C1 controls, DEL and bidi overrides hide or reorder text. Every text
output goes through ``accord.core.text`` (one escape), and a name cannot start a line.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from _registry_builders import publish
from accord.cli import main
from accord.core.text import ACCORD_SGR, escape_control, escape_output

DIALECT = "https://json-schema.org/draft/2020-12/schema"
EVIL = "x\x1b[2J\x1b[H\x1bc\x00\x07\x9b\x85\x7f\u202e\u2066\nall checks passed"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x07", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9b", "\x9f"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ud800", "\udcfe", "\udfff"],
)
def test_every_unsafe_character_is_escaped(char: str) -> None:
    assert char not in escape_control(f"a{char}b")
    assert char not in escape_output(f"a{char}b\n")
    assert char not in escape_output(f"a{char}b\n", sgr=ACCORD_SGR)
    assert escape_control(f"a{char}b") == f"a\\u{ord(char):04x}b"


@pytest.mark.parametrize("command", ["lint", "check", "list"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_non_utf8_file_name_is_reported_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, fmt: str
) -> None:
    """A file name that is not UTF-8 reaches Python as lone surrogates (surrogateescape):
    printed raw to a UTF-8 stream it raised UnicodeEncodeError (``lint``: an internal
    error, exit 3). Lone surrogates are escaped as every unsafe character is."""
    root = tmp_path / "contracts"
    publish(root, "orders.created", {"1.0.0": {"$schema": DIALECT, "type": "object"}})
    os.mkdir(os.fsencode(root / "orders") + b"/bad\xfe")
    (root / "orders" / "created" / os.fsdecode(b"1.\xff.schema.json")).write_text("{}")
    argv = [command, "--registry", str(root)]
    code = main([*argv, "--format", fmt] if fmt == "json" else argv)
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert "\\udcfe" in out + err
    assert "internal error" not in err
    assert not re.search("[\ud800-\udfff]", out + err)


def test_newlines_stay_in_outputs_not_in_fields() -> None:
    assert escape_output("a\nb\tc\n") == "a\nb\tc\n"
    assert "\n" not in escape_control("a\nb")
    assert "\r" not in escape_output("a\rb")


def test_only_accords_own_colours_pass_and_only_when_asked() -> None:
    assert escape_output("\x1b[31;1mred\x1b[0m", sgr=ACCORD_SGR) == "\x1b[31;1mred\x1b[0m"
    assert "\x1b" not in escape_output("\x1b[31mred\x1b[0m")
    assert "\x1b[8m" not in escape_output("\x1b[8mhidden\x1b[0m", sgr=ACCORD_SGR)
    assert "\x1b" not in escape_output("\x1b[2J", sgr=ACCORD_SGR)


def test_json_output_stays_exact_json() -> None:
    text = json.dumps({EVIL: 1}, ensure_ascii=False)
    assert json.loads(escape_output(text)) == {EVIL: 1}


def _write_registry(root: Path, *, typo: bool) -> None:
    v1 = {
        "$schema": DIALECT,
        "type": "object",
        "properties": {EVIL: {"type": "integer"}},
        "required": [EVIL],
    }
    directory = publish(root, "orders.thing", {"1.0.0": v1})
    # An unpublished version: with a typo under the hostile name (lint reports it), or
    # without the hostile property (check reports a breaking removal).
    v2: dict[str, object] = {"$schema": DIALECT, "type": "object"}
    if typo:
        v2["properties"] = {EVIL: {"type": "integer", "minimun": 1}}
    (directory / "1.1.0.schema.json").write_text(json.dumps(v2))
    # A consumer reading the hostile field: consumers and verify --static print it.
    reads = {"path": f"$[{json.dumps(EVIL)}]", "match": "string", "example": "s"}
    expectation = {
        "consumer": {"name": "billing", "version": "1.0.0", "branch": "main"},
        "format_version": 1,
        "interactions": [],
        "reads": [{"contract": "orders.thing@^1", "fields": [reads]}],
    }
    (root / "consumers" / "billing").mkdir(parents=True)
    (root / "consumers" / "billing" / "orders.json").write_text(json.dumps(expectation))


def _assert_safe(text: str, argv: list[str]) -> None:
    found = UNSAFE.search(text)
    assert found is None, (argv, found, text)
    for line in text.splitlines():
        assert not line.startswith("all checks passed"), (argv, text)


def test_cli_text_outputs_escape_hostile_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    _write_registry(root, typo=False)
    typo = tmp_path / "typo"
    _write_registry(typo, typo=True)
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"$schema": DIALECT, "type": "object"}))
    new = tmp_path / "new.json"
    new.write_text(
        json.dumps(
            {
                "$schema": DIALECT,
                "type": "object",
                "properties": {EVIL: {"type": "integer"}},
                "required": [EVIL],
                "additionalProperties": False,
            }
        )
    )
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({EVIL: "not an integer"}))
    r = str(root)
    commands = [
        ["lint", "--registry", str(typo)],
        ["check", "--registry", str(typo)],
        ["check", "--registry", r],
        ["diff", str(old), str(new)],
        ["diff", "--format", "markdown", str(old), str(new)],
        ["validate", "--registry", r, "orders.thing@1.0.0", str(payload)],
        ["show", "--registry", r, "orders.thing@1.0.0"],
        ["consumers", "--registry", r, "orders.thing"],
        ["verify", "--static", "--registry", r],
        ["diff", "--format", "json", str(old), str(new)],
    ]
    seen = []
    for argv in commands:
        code = main(argv)
        captured = capsys.readouterr()
        assert code in (0, 1, 2), (argv, code)
        _assert_safe(captured.out, argv)
        _assert_safe(captured.err, argv)
        seen.append(captured.out + captured.err)
    # The hostile name is shown (escaped), not dropped.
    assert sum("\\u001b[2J" in text for text in seen) >= 8
    assert json.loads(seen[-1])["changes"]
