"""Resource budgets: every hostile schema is refused (exit 2) or ``unproven``, quickly.

Each hostile shape from the "Fail closed" issue is built in code just over its cap
(``max-items``, ``max-nodes``, the witness size, the step budget, ``max-depth``'s upper
bound), so a regression fails an assertion instead of running for minutes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.compat import _engine
from accord.errors import ConfigError, SchemaError
from accord.payloads import generate as _generate
from accord.payloads import regex as _regex
from accord.registry.config import MAX_DEPTH_BOUND, parse_registry_settings
from accord.validation import budget as _budget

DRAFT = "https://json-schema.org/draft/2020-12/schema"
OVER = _budget.DEFAULT_MAX_ITEMS + 1


def _dag(width: int, levels: int, leaf: str) -> dict[str, Any]:
    """A ``width``-way ``anyOf`` per level, each branch referencing the next level."""
    defs: dict[str, Any] = {f"L{levels}": {"type": leaf}}
    for i in range(levels - 1, -1, -1):
        defs[f"L{i}"] = {
            "anyOf": [{"$ref": f"#/$defs/L{i + 1}", "maxLength": 100 + j} for j in range(width)]
        }
    return {"$schema": DRAFT, "$defs": defs, "$ref": "#/$defs/L0"}


HOSTILE: dict[str, tuple[dict[str, Any], str]] = {
    "allOf-of-empty": ({"allOf": [{} for _ in range(OVER)]}, "/allOf"),
    "properties": (
        {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(OVER)}},
        "/properties",
    ),
    "anyOf-consts": ({"anyOf": [{"const": f"c{i}"} for i in range(OVER)]}, "/anyOf"),
    "enum": ({"enum": [f"c{i}" for i in range(OVER)]}, "/enum"),
    "required": ({"type": "object", "required": [f"p{i}" for i in range(OVER)]}, "/required"),
    "prefixItems": ({"type": "array", "prefixItems": [{} for _ in range(OVER)]}, "/prefixItems"),
    # 12-way x 4 levels: 12**4 = 20736 paths, just over max-nodes (20000), in 1.5 KB.
    "anyOf-dag": (_dag(12, 4, "string"), ""),
}


def _registry(tmp_path: Path, document: dict[str, Any], toml: str = "") -> Path:
    root = tmp_path / "contracts"
    directory = root / "orders" / "thing"
    directory.mkdir(parents=True)
    (root / "accord.toml").write_text(toml)
    (directory / "contract.toml").write_text('owner = "team-a"\nkind = "event"\n')
    (directory / "1.0.0.schema.json").write_text(json.dumps({"$schema": DRAFT, **document}))
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.parametrize(("document", "pointer"), HOSTILE.values(), ids=HOSTILE.keys())
def test_every_command_refuses_a_schema_over_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: dict[str, Any], pointer: str
) -> None:
    root = _registry(tmp_path, document)
    file = root / "orders" / "thing" / "1.0.0.schema.json"
    code, out, _err = _run(capsys, "lint", "--registry", root, "--format", "json")
    assert code == 2
    found = [p for p in json.loads(out)["problems"] if p["code"] == "schema-too-complex"]
    assert [(p["file"], p["pointer"]) for p in found] == [
        ("orders/thing/1.0.0.schema.json", pointer)
    ]
    code, _out, err = _run(capsys, "diff", file, file)
    assert code == 2
    assert err.startswith("error[schema-too-complex]: ")
    assert f"1.0.0.schema.json#{pointer}" in err or pointer == ""
    code, _out, err = _run(capsys, "codegen", "--registry", root, "--out", tmp_path / "gen")
    assert code == 2
    assert "schema-too-complex" in err
    assert not (tmp_path / "gen").exists()
    code, _out, err = _run(capsys, "validate", "orders.thing@1.0.0", file, "--registry", root)
    assert code == 2
    assert "schema-too-complex" in err


def test_the_caps_are_settings_with_upper_bounds(tmp_path: Path) -> None:
    settings = parse_registry_settings({"max-items": 5000, "max-nodes": 50_000})
    assert settings.limits == _budget.SchemaLimits(max_items=5000, max_nodes=50_000)
    for key, bound in (
        ("max-items", _budget.MAX_ITEMS_BOUND),
        ("max-nodes", _budget.MAX_NODES_BOUND),
        ("max-depth", MAX_DEPTH_BOUND),
    ):
        parse_registry_settings({key: bound})
        with pytest.raises(ConfigError) as caught:
            parse_registry_settings({key: bound + 1}, file="accord.toml")
        assert caught.value.code == "config-invalid-value"
        assert caught.value.pointer == f"/{key}"
    # Raised in accord.toml, a wide schema loads.
    root = _registry(tmp_path, HOSTILE["enum"][0], toml=f"max-items = {OVER}\n")
    assert main(["lint", "--registry", str(root)]) == 0


def test_max_depth_over_its_bound_is_exit_2_not_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path, {"type": "string"}, toml="max-depth = 250\n")
    for argv in (["lint", "--registry", root], ["list", "--registry", root]):
        code, out, err = _run(capsys, *argv)
        assert code == 2
        assert "config-invalid-value" in out + err
        assert "over its upper bound of 100" in out + err


def _nest(shape: str, levels: int) -> dict[str, Any]:
    """A schema nesting exactly ``levels`` JSON levels deep (with its ``$schema``)."""
    step = {"not": 1, "items": 1, "properties": 2, "anyOf": 2}[shape]
    schema: dict[str, Any] = {"type": "string"}
    depth = 1
    if (levels - depth) % step:
        schema, depth = {"type": "string", "enum": ["a"]}, 2
    while depth + step <= levels:
        if shape == "not":
            schema = {"not": schema}
        elif shape == "items":
            schema = {"type": "array", "items": schema}
        elif shape == "properties":
            schema = {"type": "object", "properties": {"a": schema}}
        else:
            schema = {"anyOf": [schema, {"type": "null"}]}
        depth += step
    return schema


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@pytest.mark.parametrize("shape", ["not", "items", "properties", "anyOf"])
def test_every_command_survives_max_depth_at_its_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    old = _nest(shape, MAX_DEPTH_BOUND)
    assert _depth({"$schema": DRAFT, **old}) == MAX_DEPTH_BOUND
    root = _registry(tmp_path, old, toml=f"max-depth = {MAX_DEPTH_BOUND}\n")
    new = json.dumps({"$schema": DRAFT, **old}).replace('"string"', '"integer"', 1)
    (root / "orders" / "thing" / "1.1.0.schema.json").write_text(new)
    payload = tmp_path / "payload.json"
    payload.write_text("1")
    for argv in (
        ["lint", "--registry", root],
        ["diff", "orders.thing@1.0.0", "orders.thing@1.1.0", "--registry", root],
        ["validate", "orders.thing@1.0.0", payload, "--registry", root],
        ["codegen", "--registry", root, "--out", tmp_path / "gen"],
        ["fmt", "--registry", root],
    ):
        code, _out, err = _run(capsys, *argv)
        assert code in (0, 1), (argv[0], err)


def test_witnesses_are_never_materialised_over_the_cap() -> None:
    over = _generate.MAX_WITNESS_SIZE + 1
    for keyword, kind in (("minLength", "string"), ("minItems", "array")):
        schema = {"type": kind, keyword: over}
        assert list(_generate.valid_payloads(schema, n=2, seed=0)) == []
    schema = {"type": "object", "minProperties": over}
    assert list(_generate.valid_payloads(schema, n=2, seed=0)) == []
    assert _regex.draw(f"a{{{over}}}", __import__("random").Random(0)) is None


@pytest.mark.parametrize(
    ("keyword", "kind"),
    [("minLength", "string"), ("minProperties", "object"), ("minItems", "array")],
)
def test_diff_with_a_billion_sized_bound_is_unproven_not_materialised(
    keyword: str, kind: str
) -> None:
    from accord.compat import diff

    report = diff({"type": kind, keyword: 10**9}, {"type": kind, keyword: 10**9 - 1})
    assert report.forward is False
    assert [(c.status, c.witness) for c in report.changes] == [("unproven", None)]


def test_the_step_budget_counts_every_path_through_a_dag() -> None:
    # 12-way x 6 levels: 12**6 paths in 3 KB. The reference validator walks all of
    # them, so each check is charged its expanded size and the budget runs out at once.
    old, new = _dag(12, 6, "string"), _dag(12, 6, "integer")
    comparison = _engine.compare(old, new, max_steps=20_000)
    assert comparison.backward.holds is None
    assert comparison.forward.holds is None
    assert "step budget" in (comparison.backward.reason or "")
    assert comparison.steps <= 2 * 20_000 + 2 * 20_000 // 4 + 2 * (12**6 // 100 + 1)


def test_the_step_budget_counts_the_clauses_a_recursive_conditional_grows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found by the draft-07 soundness property: each hop through ``then`` -> ``anyOf``
    -> ``$ref`` adds an atom to the clause the prover merges again, so 20,000 steps
    merged over 220,000 atoms (a two-line schema took 15 s in ``accord diff``). Every
    atom merged is charged now."""
    from accord.compat import _prover

    merged = 0
    facets = _prover.Facets.__init__

    def counting(self: Any, prover: Any, atoms: Any, negs: Any, restrict: Any = None) -> None:
        nonlocal merged
        merged += len(atoms) + len(negs)
        facets(self, prover, atoms, negs, restrict)

    monkeypatch.setattr(_prover.Facets, "__init__", counting)
    recursive = {
        "$defs": {
            "d": {
                "if": {"properties": {"a": {"type": "string"}}},
                "then": {"anyOf": [{"$ref": "#/$defs/d", "properties": {"a": False}}]},
            }
        },
        "$ref": "#/$defs/d",
    }
    verdict = _engine.includes({"type": "object"}, recursive, max_steps=20_000)
    assert verdict.holds is None
    assert "step budget" in verdict.reason
    assert merged <= 20_000


def test_expanded_size_follows_refs_and_stops_at_the_cap() -> None:
    assert _budget.expanded_size(_dag(12, 8, "string"), cap=1000) == 1001
    assert _budget.expanded_size({"a": [{}, {}]}, cap=100) == 4
    shared = {"$defs": {"x": {"type": "string"}}, "allOf": [{"$ref": "#/$defs/x"}] * 3}
    assert _budget.expanded_size(shared, cap=100) == 1 + 2 + 1 + 3 * 2
    recursive = {"$defs": {"n": {"items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"}
    assert _budget.expanded_size(recursive, cap=100) < 10
    with pytest.raises(SchemaError) as caught:
        _budget.check_limits({"enum": list(range(5))}, _budget.SchemaLimits(max_items=4))
    assert (caught.value.code, caught.value.pointer) == ("schema-too-complex", "/enum")


def test_a_chain_of_deep_contracts_is_exit_2_not_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each document is within max-depth; $refs chain six of them into one ~600-level
    # schema, deeper than the diff walker can recurse.
    root = tmp_path / "contracts"
    root.mkdir()
    (root / "accord.toml").write_text(f"max-depth = {MAX_DEPTH_BOUND}\n")
    links = 6
    for i in range(links):
        directory = root / "orders" / f"c{i}"
        directory.mkdir(parents=True)
        (directory / "contract.toml").write_text('owner = "team-a"\nkind = "event"\n')
        for version in ("1.0.0", "1.1.0"):
            last = i + 1 == links
            leaf = {"type": "integer" if version == "1.1.0" else "string"} if last else {}
            schema: dict[str, Any] = leaf or {"$ref": f"accord://orders.c{i + 1}@{version}"}
            for _ in range(MAX_DEPTH_BOUND - 2):
                schema = {"type": "array", "items": schema}
            text = json.dumps({"$schema": DRAFT, **schema})
            (directory / f"{version}.schema.json").write_text(text)
    code, _out, err = _run(capsys, "diff", "orders.c0@1.0.0", "orders.c0@1.1.0", "--registry", root)
    assert code == 2
    assert err.startswith("error[schema-too-complex]: orders/c0/1.1.0.schema.json: ")


def test_diff_takes_explicit_limits_over_the_defaults() -> None:
    from accord.compat import diff
    from accord.errors import SchemaError
    from accord.validation.budget import SchemaLimits

    wide = {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(1_001)}}
    with pytest.raises(SchemaError) as caught:
        diff(wide, wide)
    assert caught.value.code == "schema-too-complex"
    report = diff(wide, wide, limits=SchemaLimits(max_items=2_000))
    assert report.compatible
    assert report.changes == ()


def _holding_itself() -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    schema["properties"] = {"next": schema}
    return schema


def _shared_twice_per_level(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        node = {"allOf": [node, node]}
    return node


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "schema",
    [_holding_itself(), _shared_twice_per_level(40)],
    ids=["holding-itself", "shared-2^40-paths"],
)
def test_a_python_schema_with_endless_paths_is_refused_not_walked(schema: Any) -> None:
    """A dict handed to ``diff`` is not parsed JSON: it may hold itself, or share one
    container along 2^40 paths. The limits scan stops once it has counted past max-nodes
    (it walked forever before) and the schema is refused as too complex."""
    from accord.compat import diff

    for old, new in ((schema, {"type": "object"}), ({"type": "object"}, schema)):
        with pytest.raises(SchemaError) as caught:
            diff(old, new)
        assert caught.value.code == "schema-too-complex"
        assert "max-nodes" in str(caught.value)
    with pytest.raises(SchemaError):
        _budget.check_limits(schema, _budget.SchemaLimits(max_nodes=50))
