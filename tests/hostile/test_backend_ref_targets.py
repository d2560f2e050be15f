"""The python and fast backends decide only where accord has read what they will read.

Their eligibility checks (pattern translation and probes, format routing) visit the
subschema positions of the document, but both engines follow a ``$ref`` anywhere: into
a ``const`` value or an unknown keyword. There ``"pattern": "^\\d$"`` reached
fastjsonschema untranslated, and ``accord validate --backend fast`` said "valid" for
``"\\u0661"`` (an Arabic-Indic digit one), which the reference refuses. The python backend's probe
reads strings of at most two characters, too short to show that ``\\b`` is
Unicode-aware in the reference and ASCII in regress: ``\\bfoo`` was accepted for
``"éfoo"``. Each is now refused for that backend (``backend-ineligible``, exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord.cli import main
from accord.validation.backends import fast_refusals, python_refusals

VIA_CONST = {
    "$schema": DRAFT_2020_12,
    "type": "object",
    "properties": {
        "v": {"$ref": "#/properties/w/const"},
        "w": {"const": {"type": "string", "pattern": "^\\d$"}},
    },
}
BOUNDARY = {
    "$schema": DRAFT_2020_12,
    "type": "object",
    "properties": {"v": {"type": "string", "pattern": "\\bfoo"}},
}
CASES = [
    pytest.param(VIA_CONST, "fast", {"v": "\u0661"}, id="fast-ref-into-const"),
    pytest.param(VIA_CONST, "python", {"v": "\u0661"}, id="python-ref-into-const"),
    pytest.param(BOUNDARY, "python", {"v": "\u00e9foo"}, id="python-word-boundary"),
]


@pytest.mark.parametrize(("schema", "backend", "payload"), CASES)
def test_the_backend_is_refused_where_it_would_say_yes(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    schema: dict[str, Any],
    backend: str,
    payload: Any,
) -> None:
    import json

    root = tmp_path / "contracts"
    publish(root, "ns.c", {"1.0.0": schema})
    source = tmp_path / "payload.json"
    source.write_text(json.dumps(payload))
    argv = ["validate", "ns.c@1.0.0", str(source), "--registry", str(root)]
    assert main(argv) == 1  # the reference refuses it
    capsys.readouterr()
    assert main([*argv, "--backend", backend]) == 2
    assert "backend-ineligible" in capsys.readouterr().err


def test_refs_into_subschema_positions_stay_eligible() -> None:
    schema = {
        "$defs": {"a~b/c": {"type": "integer"}},
        "properties": {"x": {"$ref": "#/$defs/a~0b~1c"}, "y": {"$ref": "#"}},
        "items": {"$ref": "#/properties/x"},
    }
    assert fast_refusals(schema) == []
    assert python_refusals(schema) == []


@pytest.mark.parametrize(
    ("pattern", "refused"),
    [("\\bfoo", True), ("foo\\B", True), ("[\\b]x", False), ("\\\\b", False), ("a[\\]b]", False)],
)
def test_word_boundaries_outside_a_class_are_left_to_the_reference(
    pattern: str, refused: bool
) -> None:
    reasons = [r.reason for r in python_refusals({"pattern": pattern})]
    assert any("Unicode-aware" in r for r in reasons) is refused


def test_a_percent_encoded_ref_to_a_subschema_stays_eligible() -> None:
    schema = {"$defs": {"a b": {"type": "integer"}}, "properties": {"x": {"$ref": "#/$defs/a%20b"}}}
    assert fast_refusals(schema) == []
