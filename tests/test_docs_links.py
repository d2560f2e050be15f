"""Every relative link in README.md and docs/*.md resolves: the file (or directory)
exists in the repository, and an ``#anchor`` names a heading of the page it points to
(GitHub's heading ids). External links (``https:``, ``mailto:``) are not fetched."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, with inline code spans blanked."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, _CODE_SPAN.sub("", line)))
    return lines


def slug(heading: str) -> str:
    """GitHub's id for a heading: markup dropped, lowercased, punctuation removed,
    spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"<[^>]+>", "", text).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _, line in _prose_lines_keep_code(page.read_text(encoding="utf-8")):
        match = _HEADING.match(line)
        if match is None:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def _prose_lines_keep_code(text: str) -> list[tuple[int, str]]:
    """Lines outside fenced blocks, code spans kept (a heading's id includes them)."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def links(page: Path) -> list[tuple[int, str]]:
    return [
        (number, target)
        for number, line in _prose_lines(page.read_text(encoding="utf-8"))
        for target in _LINK.findall(line)
    ]


def broken(page: Path) -> list[str]:
    problems = []
    for number, target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:, ...
            continue
        path_part, _, anchor = target.partition("#")
        where = f"{page.relative_to(ROOT)}:{number}: {target}"
        resolved = (page.parent / unquote(path_part)).resolve() if path_part else page
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{where}: leaves the repository")
            continue
        if not resolved.exists():
            problems.append(f"{where}: no such file")
            continue
        if anchor:
            if resolved.suffix != ".md":
                problems.append(f"{where}: an anchor into a file that is not Markdown")
            elif unquote(anchor) not in anchors(resolved):
                problems.append(f"{where}: no heading with this id in {resolved.name}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    assert broken(page) == []


def test_the_pages_link_to_each_other() -> None:
    # The checker checks something: the README and the docs index link into docs/.
    assert len(PAGES) >= 10
    readme_targets = {target for _, target in links(ROOT / "README.md")}
    assert "docs/index.md" in readme_targets
    index_targets = {target.partition("#")[0] for _, target in links(ROOT / "docs/index.md")}
    for page in PAGES[1:]:
        if page.name != "index.md":
            assert page.name in index_targets, page.name


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("`accord.toml` and `[tool.accord]`", "accordtoml-and-toolaccord"),
        (
            "Which registry a service uses (discovery order)",
            "which-registry-a-service-uses-discovery-order",
        ),
        ("3. Validate at the edge", "3-validate-at-the-edge"),
        ("`accord pact import`", "accord-pact-import"),
        ("property-added-optional", "property-added-optional"),
    ],
)
def test_slugs_follow_github(heading: str, expected: str) -> None:
    assert slug(heading) == expected


def test_a_broken_link_and_anchor_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "a.md").write_text("# Title\n\n## Part one\n", encoding="utf-8")
    page = tmp_path / "b.md"
    page.write_text(
        "[ok](a.md#part-one) [self](#b) [gone](missing.md) [bad](a.md#part-two)\n\n## B\n\n"
        "`[in code](missing.md)`\n```\n[fenced](missing.md)\n```\n[web](https://example.com/x)\n",
        encoding="utf-8",
    )
    problems = broken(page)
    assert [p.split(": ")[1] for p in problems] == ["missing.md", "a.md#part-two"]
