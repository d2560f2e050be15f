"""``accord changelog``: release notes from the diffs between versions."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import commit_all, init_repo, make_contract, run_cli, schema

from accord.gate import publish as _publish
from accord.gate.changelog import changelog

CID = "orders.placed"
GOLDEN = Path(__file__).parent / "golden" / "changelog.md"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    make_contract(root, CID)
    documents = [
        schema(),
        schema(note={"type": "string", "deprecated": True}, extra={"type": "string"}),
        schema(note=None, extra={"type": "string"}, id={"type": "string"}),
    ]
    results = [_publish.publish(root, CID, document) for document in documents]
    assert [str(r.version) for r in results] == ["1.0.0", "1.1.0", "2.0.0"]
    return root


def test_changelog_golden_breaking_first(root: Path) -> None:
    text = changelog(root)
    if os.environ.get("ACCORD_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    section = text[text.index("### 2.0.0") : text.index("### 1.1.0")]
    assert section.index("#### Breaking") < section.index("Migration:")
    assert text.index("### 2.0.0") < text.index("### 1.1.0") < text.index("### 1.0.0")


def test_changelog_since_a_ref(root: Path, tmp_path: Path, capsys: Any) -> None:
    repo = tmp_path
    init_repo(repo)
    commit_all(repo, "three versions")
    newer = schema(note=None, extra={"type": "string"}, id={"type": "string"}, more={})
    assert str(_publish.publish(root, CID, newer).version) == "2.1.0"
    text = changelog(root, CID, since="HEAD")
    assert "### 2.1.0" in text
    assert "### 2.0.0" not in text
    code, out, _ = run_cli(["changelog", CID, "--registry", str(root)], capsys)
    assert code == 0
    assert out.startswith("# Changelog\n\n## orders.placed\n")


def _bound_rules() -> list[str]:
    from accord.compat._rules import RULES

    return sorted(r for r in RULES if r.endswith(("-increased", "-decreased")))


@pytest.mark.parametrize("rule_id", _bound_rules())
def test_bound_migration_hints_point_the_right_way(rule_id: str) -> None:
    """A tighter bound asks writers to comply; a wider one asks readers to accept more.

    Raising a lower bound or lowering an upper bound tightens; where the engine gives a
    witness for the rule's own example, it must agree (old accepts it: tighter).
    """
    from accord.compat import diff
    from accord.compat._rules import RULES
    from accord.gate.changelog import migration_hint

    old, new = RULES[rule_id].example
    changes = [c for c in diff(old, new, semantics="set").changes if c.rule == rule_id]
    assert changes, f"the example of {rule_id} does not produce it"
    change = changes[0]
    lower = rule_id.startswith(("min-", "minimum-"))
    tighter = lower == rule_id.endswith("-increased")
    if change.witness is not None:
        assert (change.witness.accepted_by == "old") is tighter, change.witness
    hint = migration_hint(change)
    expected = "writers: keep values within the new, tighter bound"
    if not tighter:
        expected = "readers: accept values within the new, wider bound"
    assert hint == expected, rule_id


def test_schema_text_in_a_change_renders_as_itself(tmp_path: Path) -> None:
    # A property name (or an enum value) is whatever the schema's author wrote: in the
    # release notes it must stay text, never become a link, an image, emphasis or HTML.
    root = tmp_path / "contracts"
    make_contract(root, CID)
    hostile = "[docs](https://evil.example) <img src=x onerror=alert(1)> **bold** a|b"
    for document in (
        schema(**{hostile: {"type": "string"}}),
        schema(**{hostile: {"type": "string", "deprecated": True}}),
        schema(),
    ):
        assert _publish.publish(root, CID, document).status == "published"
    text = changelog(root)
    line = next(line for line in text.splitlines() if "property-removed" in line)
    line = line.split("`: ", 1)[1]  # after the pointer's code span, where it is text
    assert "[docs](" not in line
    assert re.search(r"(?<!\\)<img", line) is None
    assert "**bold**" not in line
    assert r"\[docs\]\(https\:" in line or r"\[docs\](https\:" in line
    assert r"\<img" in line
    assert r"\*\*bold\*\*" in line
