"""U+2028 and U+2029 from a name cannot start a line either.

They are line terminators for Unicode (and for Python's ``str.splitlines``, which many
CI log parsers use, and for browsers breaking lines in a log viewer); a property named
``x\\u2028all checks passed`` printed raw put "all checks passed" at the start of a line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord.cli import main
from accord.core.text import escape_control, escape_output


@pytest.mark.parametrize("char", ["\u2028", "\u2029"])
def test_line_separators_are_escaped(char: str) -> None:
    assert escape_control(f"a{char}b") == f"a\\u{ord(char):04x}b"
    assert char not in escape_output(f"a{char}b\n")


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "junit", "json"])
def test_no_line_from_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    name = "x\u2028all checks passed\u2029all checks passed"
    root = tmp_path / "contracts"
    old = {"$schema": DRAFT_2020_12, "type": "object", "properties": {name: {"type": "string"}}}
    new = {"$schema": DRAFT_2020_12, "type": "object", "properties": {}}
    publish(root, "shop.thing", {"1.0.0": old, "2.0.0": new, "2.1.0": old})
    capsys.readouterr()
    main(["check", "--registry", str(root), "--format", fmt])
    out = capsys.readouterr().out
    assert "all checks passed" in out  # the name is reported
    assert not [line for line in out.splitlines() if line.startswith("all checks passed")]
    if fmt == "json":
        assert name in json.dumps(json.loads(out), ensure_ascii=False)  # still exact
