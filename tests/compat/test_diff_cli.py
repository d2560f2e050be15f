"""``accord diff``, ``accord rules`` and ``accord explain``, in process.

Output formats are compared with golden files under ``tests/compat/golden/``; set
``ACCORD_UPDATE_GOLDEN=1`` to rewrite them after an intended change (and review the
diff).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main

GOLDEN = Path(__file__).with_name("golden")

OLD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "status": {"enum": ["new", "paid"]},
        "note": {"type": "string", "maxLength": 20},
    },
    "required": ["id"],
    "additionalProperties": False,
}
NEW: dict[str, Any] = {
    "type": "object",
    "description": "An order.",
    "properties": {
        "id": {"type": "integer"},
        "status": {"enum": ["new", "paid", "shipped"]},
        "note": {"type": "string", "maxLength": 10},
        "email": {"type": "string"},
    },
    "required": ["id", "email"],
    "additionalProperties": False,
}


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.json").write_text(json.dumps(OLD, indent=2), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(NEW, indent=2), encoding="utf-8")
    (tmp_path / "same.json").write_text(json.dumps(OLD), encoding="utf-8")
    return tmp_path


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ACCORD_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "golden"), [("json", "diff.json"), ("text", "diff.txt"), ("markdown", "diff.md")]
)
def test_diff_output_formats(files: Path, fmt: str, golden: str) -> None:
    # A real process per run: the output must not depend on what ran before in the
    # same interpreter (generator caches), only on the inputs.
    argv = [sys.executable, "-m", "accord", "diff", "old.json", "new.json", "--format", fmt]
    env = {**os.environ, "NO_COLOR": "1"}
    first = subprocess.run(argv, capture_output=True, text=True, cwd=files, env=env, check=False)
    assert first.returncode == 1, first.stderr
    _golden(golden, first.stdout)
    again = subprocess.run(argv, capture_output=True, text=True, cwd=files, env=env, check=False)
    assert again.stdout == first.stdout


def test_diff_text_in_process(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "old.json", "new.json"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("old.json -> new.json: NOT compatible under mode full")
    assert "error   property-added-required [proven] /email" in out


def test_diff_markdown_in_process(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "old.json", "new.json", "--format", "markdown"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("### ❌ `old.json` → `new.json`")
    assert "| error | `enum-value-added` | proven | `/status` | forward |" in out


def test_diff_json_is_the_report(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "old.json", "new.json", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["format_version"] == 1
    assert (data["compatible"], data["backward"], data["forward"]) == (False, False, False)
    rules = {c["rule"] for c in data["changes"]}
    assert {"property-added-required", "enum-value-added", "max-length-decreased"} <= rules


def test_diff_exit_0_when_compatible(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "old.json", "same.json", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["compatible"], data["required_bump"], data["changes"]) == (True, "none", [])


@pytest.mark.parametrize(
    ("mode", "code"), [("full", 1), ("none", 0), ("forward", 1), ("backward", 1)]
)
def test_diff_mode(files: Path, capsys: pytest.CaptureFixture[str], mode: str, code: int) -> None:
    assert main(["diff", "old.json", "new.json", "--mode", mode, "--format", "json"]) == code
    assert json.loads(capsys.readouterr().out)["mode"] == mode


def test_diff_mode_backward_allows_widening(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (files / "a.json").write_text('{"enum": ["a"]}', encoding="utf-8")
    (files / "b.json").write_text('{"enum": ["a", "b"]}', encoding="utf-8")
    assert main(["diff", "a.json", "b.json", "--mode", "backward"]) == 0
    assert main(["diff", "a.json", "b.json"]) == 1
    capsys.readouterr()


def test_diff_semantics_set(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An open struct (it declares "id"): contract writers never send "x".
    (files / "a.json").write_text(
        '{"type": "object", "properties": {"id": {"type": "integer"}}}', encoding="utf-8"
    )
    (files / "b.json").write_text(
        '{"type": "object", "properties": {"id": {"type": "integer"}, "x": {"type": "string"}}}',
        encoding="utf-8",
    )
    assert main(["diff", "a.json", "b.json", "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["diff", "a.json", "b.json", "--semantics", "set", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["semantics"] == "set"
    assert data["changes"][0]["witness"]["accepted_by"] == "old"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ('{"type": "object",', "json-malformed"),
        ('{"a": 1, "a": 2}', "json-duplicate-key"),
        ("[1, 2]", "schema-not-object"),
        ('{"type": "string", "maxLength": NaN}', "json-nan"),
    ],
)
def test_bad_input_exits_2_without_traceback(
    files: Path, capsys: pytest.CaptureFixture[str], content: str, code: str
) -> None:
    (files / "bad.json").write_text(content, encoding="utf-8")
    assert main(["diff", "old.json", "bad.json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"error[{code}]" in captured.err
    assert "bad.json" in captured.err
    assert "Traceback" not in captured.err


def test_missing_file_exits_2(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "old.json", "nope.json"]) == 2
    err = capsys.readouterr().err
    assert "error[file-not-found]: nope.json" in err
    assert "Traceback" not in err


def test_bad_mode_and_max_steps_exit_2(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "old.json", "new.json", "--mode", "sideways"]) == 2
    assert main(["diff", "old.json", "new.json", "--max-steps", "0"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_registry_references(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = tmp_path / "shop" / "thing"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text(
        'owner = "a"\nkind = "event"\nmode = "backward"\n', encoding="utf-8"
    )
    (directory / "1.0.0.schema.json").write_text('{"enum": ["a"]}', encoding="utf-8")
    (directory / "1.1.0.schema.json").write_text('{"enum": ["a", "b"]}', encoding="utf-8")
    argv = ["diff", "shop.thing@1.0.0", "shop.thing@1.1.0", "--registry", str(tmp_path)]
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["mode"], data["forward"], data["required_bump"]) == ("backward", False, "minor")
    assert main([*argv, "--mode", "full"]) == 1
    assert main(["diff", "shop.thing@1.0.0", "shop.thing@9.0.0", "--registry", str(tmp_path)]) == 2
    assert "version-not-found" in capsys.readouterr().err


# -- rules and explain ----------------------------------------------------------------------


def test_rules_text_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from accord.compat import RULES

    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule_id in RULES:
        assert f"\n{rule_id} " in out


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    from accord.compat import RULES
    from accord.core.rules import CATALOGUE

    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = [r["id"] for r in data["rules"]]
    assert ids[: len(RULES)] == list(RULES)  # compatibility rules first, then lint, gate
    assert sorted(ids) == sorted(CATALOGUE)
    assert set(data["rules"][0]) == {
        "family",
        "id",
        "description",
        "details",
        "severity",
        "overridable",
        "kind",
        "breaks",
        "bump",
        "mirror",
        "waiver",
        "hint",
        "example",
    }
    lint = next(r for r in data["rules"] if r["id"] == "json-duplicate-key")
    assert lint == {
        "family": "lint",
        "id": "json-duplicate-key",
        "description": "A JSON object repeats a key.",
        "details": "",
        "severity": "error",
        "overridable": False,
    }


def test_rules_markdown_is_the_docs_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "markdown"]) == 0
    docs = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert capsys.readouterr().out == docs.read_text(encoding="utf-8")


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "max-length-decreased"]) == 0
    _golden("explain-max-length-decreased.txt", capsys.readouterr().out)


def test_explain_unknown_rule_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "property-remved"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "did you mean property-removed" in captured.err
