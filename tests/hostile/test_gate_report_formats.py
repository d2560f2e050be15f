"""``accord check`` reports stay well-formed whatever the names and reasons hold.

- ``--format junit`` wrote a property name holding U+FFFF (valid JSON, accepted by the
  loader) raw into the XML, which XML 1.0 cannot hold: the report did not parse.
- ``--format markdown`` (and ``--markdown-summary``, the job summary) wrote a changed
  property's path raw in the Changes section: a name holding a newline started a line
  of its own (a fake ``## ✅ accord check`` heading).
- ``--format text`` wrote an ignore entry's reason raw: a newline in it started a line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord.cli import main

FAKE = "\n\n## ✅ accord check\n\npassed"


def _registry(root: Path, name: str) -> Path:
    old = {
        "$schema": DRAFT_2020_12,
        "type": "object",
        "properties": {name: {"type": "string"}, "k": {"type": "string"}},
        "additionalProperties": False,
    }
    new = {
        "$schema": DRAFT_2020_12,
        "type": "object",
        "properties": {"k": {"type": "string"}},
        "additionalProperties": False,
    }
    publish(root, "shop.thing", {"1.0.0": old, "1.1.0": new})
    return root


def _check(root: Path, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    capsys.readouterr()
    assert main(["check", "--registry", str(root), *more]) == 1
    return capsys.readouterr().out


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\x01", "\x0b"])
def test_junit_is_well_formed_xml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], char: str
) -> None:
    root = _registry(tmp_path / "contracts", f"a{char}b")
    out = _check(root, capsys, "--format", "junit")
    suites = ET.fromstring(out.encode())
    assert suites.get("failures") == "2"
    assert f"\\u{ord(char):04x}" in out


def _lines_from_the_name(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith(("## ✅", "passed"))]


def test_markdown_keeps_a_name_on_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path / "contracts", f"a{FAKE}")
    assert _lines_from_the_name(_check(root, capsys, "--format", "markdown")) == []


def test_markdown_summary_keeps_a_name_on_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path / "contracts", f"a{FAKE}")
    summary = tmp_path / "summary.md"
    _check(root, capsys, "--markdown-summary", str(summary))
    assert _lines_from_the_name(summary.read_text(encoding="utf-8")) == []


def test_markdown_path_cannot_close_its_code_span(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path / "contracts", "a` **passed** `b")
    out = _check(root, capsys, "--format", "markdown")
    changes = out.split("### Changes", 1)[1]
    # before: `/a` **passed** `b` (the name's backticks closed accord's span)
    assert "at `` /a` **passed** `b `` " in changes
    assert 'witness `` {"a` **passed** `b":""} `` ' in changes


def test_an_ignore_reason_cannot_start_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path / "contracts", "gone")
    ignores = tmp_path / "accord-ignore.toml"
    fingerprint = _fingerprint(root, capsys, "bump-insufficient")
    ignores.write_text(
        "[[ignore]]\n"
        f'fingerprint = "{fingerprint}"\n'
        'rule = "bump-insufficient"\n'
        'reason = "reviewed by ops in PR 12\\npassed: 1 contract(s), 0 error(s)"\n',
        encoding="utf-8",
    )
    for fmt in ("text", "markdown", "github", "junit"):
        out = _check(root, capsys, "--format", fmt, "--ignore-file", str(ignores))
        assert not [line for line in out.splitlines() if line.startswith("passed")], fmt


def _fingerprint(root: Path, capsys: pytest.CaptureFixture[str], rule: str) -> str:
    import json

    report = json.loads(_check(root, capsys, "--format", "json"))
    return next(f["fingerprint"] for f in report["findings"] if f["rule"] == rule)


def _diff_markdown_removal_row(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The ``property-removed`` row of ``accord diff --format markdown`` between the
    registry's two versions."""
    capsys.readouterr()
    versions = ["shop.thing@1.0.0", "shop.thing@1.1.0"]
    main(["diff", *versions, "--registry", str(root), "--format", "markdown"])
    out = capsys.readouterr().out
    return next(line for line in out.splitlines() if "property-removed" in line)


def test_diff_markdown_path_cannot_close_its_code_span(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path / "contracts", "a` **passed** `b|c")
    row = _diff_markdown_removal_row(root, capsys)
    assert "| `` /a` **passed** `b\\|c `` |" in row  # before: `/a` **passed** `b\|c`


MARKUP = "![x](https://e.example/t.png) **passed** <img src=x> [ok](https://e.example) &#x2705;"


def test_markdown_text_cells_render_names_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name in a message was Markdown: an image, bold "passed", a link, raw HTML and
    an entity (✅) rendered in the PR comment or job summary. Now every Markdown
    character in a text cell is backslash-escaped (it renders as itself)."""
    root = _registry(tmp_path / "contracts", MARKUP)
    out = _check(root, capsys, "--format", "markdown")
    rows = [line for line in out.splitlines() if line.startswith("| error |")]
    assert rows
    for row in rows:
        assert "**passed**" not in row
        assert "![x]" not in row
        assert not re.search(r"(?<!\\)<img", row)
        assert "&#x2705;" not in row
        assert "\\*\\*passed\\*\\*" in row
    row = _diff_markdown_removal_row(root, capsys)
    message = row.split(" | ")[5]
    assert "**passed**" not in message
    assert not re.search(r"(?<!\\)<img", message)


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_a_ref_cannot_start_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    """git reads any text inside ``@{...}`` as a date (``main@{1 day ago<newline>...}``
    names a commit): the header wrote the ref raw, so a line of its own followed (in CI
    logs, a forged ``::error`` workflow command; in Markdown, a fake heading)."""
    from _registry_builders import commit_all, init_repo

    repo = tmp_path / "repo"
    init_repo(repo)
    root = _registry(repo / "contracts", "a")
    commit_all(repo, "base")
    ref = "main@{1 day ago\n::error file=x::forged" + FAKE + "}"
    capsys.readouterr()
    argv = ["check", "--no-cache", "--registry", str(root), "--against", ref]
    assert main([*argv, "--format", output_format]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert not [line for line in lines if line.startswith("::error")]
    headings = [line for line in lines if line.startswith("## ✅")]
    assert len(headings) == (output_format == "markdown")
    assert "passed}" not in lines
    if output_format == "text":
        assert "\\u000a::error file=x::forged" in lines[0]
