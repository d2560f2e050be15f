"""``accord changelog`` keeps each name and reason on its own line.

A changed property's path and message and a yank reason were written raw into the
Markdown: a property named ``a\\n\\n## ✅ all good`` made a heading of its own in the
release notes (and on the site's changelog page, which renders them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord.cli import main
from accord.registry.model import Registry
from accord.site import render_site

FAKE = "a\n\n## ✅ all good\n\nb"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    old = {"$schema": DRAFT_2020_12, "type": "object", "properties": {"k": {"type": "string"}}}
    new = {**old, "properties": {"k": {"type": "string"}, FAKE: {"type": "string"}}}
    newer = {**old, "properties": {"k": {"type": "string"}, FAKE: {"type": "string"}, "z": {}}}
    publish(root, "shop.thing", {"1.0.0": old, "1.1.0": new, "1.2.0": newer})
    toml = root / "shop" / "thing" / "contract.toml"
    reason = "superseded: see PR 12\n\n## ✅ all good"
    toml.write_text(toml.read_text() + f'\n[yanked]\n"1.2.0" = {json.dumps(reason)}\n')
    return root


def test_changelog_lines_come_from_accord(
    registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["changelog", "--registry", str(registry)]) == 0
    out = capsys.readouterr().out
    assert "1.1.0" in out
    assert "1.2.0 (yanked: superseded" in out
    assert not [line for line in out.splitlines() if line.startswith("## ✅")]


def test_site_changelog_has_no_heading_from_a_name(registry: Path) -> None:
    page = render_site(Registry.load(registry))["changelog/shop.thing.html"].decode()
    assert "<h2>✅ all good" not in page
    assert "all good" in page
