"""``make bench`` (scripts/bench.py) in its smallest mode: the shape of results.json, and
the docs table rendered from it (scripts/bench_render.py). A benchmark measures; this
test asserts only what the harness writes, never a timing."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    bench = _script("bench")
    cache = tmp_path_factory.mktemp("bench")
    mp = pytest.MonkeyPatch()
    mp.setenv("BENCH_DIR", str(cache))
    try:
        out = cache / "results.json"
        argv = ["--scale", "tiny", "--only", "diff", "check", "--rounds", "2", "--out", str(out)]
        assert bench.main(argv) == 0
        return dict(json.loads(out.read_text()))
    finally:
        mp.undo()


def test_the_registry_generator_is_deterministic(tmp_path: Path) -> None:
    registry = _script("bench_registry")
    a = registry.build(tmp_path / "a", 3)
    b = registry.build(tmp_path / "b", 3)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    # 3 contracts x 3 versions on main, and the changed ones gained a 1.3.0 on `change`
    assert len([f for f in files if f.name.endswith(".schema.json")]) == 3 * 3 + 3
    lock = (a / "accord.lock").read_text().splitlines()
    assert lock == sorted(lock)
    assert len(lock) == 12


def test_results_have_every_field_a_claim_needs(result: dict[str, Any]) -> None:
    assert result["format_version"] == 1
    assert {"date", "machine", "versions", "method", "rows", "scale"} <= set(result)
    assert {"cpu", "cpus", "system", "memory_gib"} <= set(result["machine"])
    for library in ("accord", "jsonschema-rs", "jsoncompat", "orjson", "datamodel-code-generator"):
        assert library in result["versions"]
    ids = [row["id"] for row in result["rows"]]
    assert len(ids) == len(set(ids))
    measured = [row for row in result["rows"] if not row["id"].startswith("growth-")]
    assert {row["group"] for row in measured} == {"diff", "check"}
    for row in measured:
        assert set(row) == {
            "id",
            "group",
            "path",
            "unit",
            "contender",
            "floor",
            "ratio",
            "goal",
            "met",
        }
        assert row["contender"]["samples"] == 2
        assert row["contender"]["median"] > 0
        assert row["contender"]["spread_pct"] >= 0
        if row["floor"] is not None:
            assert row["ratio"] == pytest.approx(
                row["contender"]["median"] / row["floor"]["median"]
            )
        assert row["met"] in (True, False)
        assert row["goal"]


def test_the_docs_table_is_rendered_from_the_results_alone(
    result: dict[str, Any], tmp_path: Path
) -> None:
    render = _script("bench_render")
    page = tmp_path / "performance.md"
    page.write_text(
        "# Performance\n\nintro\n\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\nafter\n"
    )
    assert render.update(page, result)
    text = page.read_text()
    assert "old table" not in text
    assert text.startswith("# Performance\n\nintro\n\n<!-- bench:begin -->\n")
    assert text.endswith("<!-- bench:end -->\n\nafter\n")
    table = text.split("<!-- bench:begin -->\n")[1].split("<!-- bench:end -->")[0]
    assert table == render.render_markdown(result)
    assert result["date"] in table
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(lines) == 1 + len(result["rows"])  # the header and one line per row
    for row, line in zip(result["rows"], lines[1:], strict=True):
        assert line.startswith(f"| {row['path']} | ")
        assert row["goal"] in line
        assert line.endswith({True: "| yes |", False: "| **no** |", None: "|  |"}[row["met"]])
    # a page without the markers is left alone
    other = tmp_path / "other.md"
    other.write_text("no markers\n")
    assert not render.update(other, result)
    assert other.read_text() == "no markers\n"
