"""``accord publish`` never locks a version the registry then refuses to load.

The first version of a contract was published without its ``$ref``s resolved in the
registry: ``#/$defs/nothing``, ``accord://common.nothing@1.0.0`` or a relative path to a
file that is no version file was written and locked, and from then on every load of the
registry (every ``accord`` command, every service's boot) failed with
``ref-unresolvable``; a published version is immutable, so only editing the lock by hand
undid it. A later version was checked (its comparison with the previous one bundles it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import BASE_SCHEMA, make_contract

from accord.cli import main
from accord.errors import AccordError
from accord.gate import publish as _publish
from accord.registry.model import Registry

CID = "orders.placed"
DIALECT = BASE_SCHEMA["$schema"]


def _with(x: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"$schema": DIALECT, "type": "object", "properties": {"x": x}, **extra}


BAD_REFS: dict[str, tuple[dict[str, Any], str]] = {
    "defs-missing": (_with({"$ref": "#/$defs/nothing"}), "ref-unresolvable"),
    "contract-missing": (_with({"$ref": "accord://common.nothing@1.0.0"}), "ref-unresolvable"),
    "version-missing": (_with({"$ref": "accord://common.money@9.9.9"}), "ref-unresolvable"),
    "relative-not-a-version-file": (_with({"$ref": "../../shared.json"}), "ref-unresolvable"),
    "relative-missing": (
        _with({"$ref": "../../common/money/9.9.9.schema.json"}),
        "ref-unresolvable",
    ),
    "relative-escaping": (_with({"$ref": "../../../outside.json"}), "ref-escapes-root"),
    "cycle": (
        _with(
            {"$ref": "#/$defs/a"},
            **{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}},
        ),
        "schema-ref-cycle",
    ),
}
MONEY = {"$schema": DIALECT, "type": "object", "properties": {"amount": {"type": "integer"}}}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    registry = tmp_path / "contracts"
    make_contract(registry, CID)
    make_contract(registry, "common.money")
    _publish.publish(registry, "common.money", MONEY)
    (registry / "shared.json").write_text('{"type": "string"}')
    (tmp_path / "outside.json").write_text('{"type": "string"}')
    return registry


def _state(root: Path) -> tuple[bytes, list[str]]:
    files = sorted(p.name for p in (root / "orders" / "placed").iterdir())
    return (root / "accord.lock").read_bytes(), files


@pytest.mark.parametrize("case", sorted(BAD_REFS))
@pytest.mark.parametrize("first", [True, False], ids=["first-version", "later-version"])
def test_a_version_whose_refs_do_not_resolve_is_refused(root: Path, case: str, first: bool) -> None:
    document, code = BAD_REFS[case]
    if not first:
        _publish.publish(root, CID, BASE_SCHEMA)
    before = _state(root)
    with pytest.raises(AccordError) as caught:
        _publish.publish(root, CID, document, version=None if first else "2.0.0")
    assert caught.value.code == code, caught.value
    assert _state(root) == before  # nothing written
    Registry.load(root)  # and the registry still loads


@pytest.mark.parametrize("case", ["defs-missing", "contract-missing", "cycle"])
def test_a_dry_run_refuses_it_too(root: Path, case: str) -> None:
    document, code = BAD_REFS[case]
    with pytest.raises(AccordError) as caught:
        _publish.publish(root, CID, document, dry_run=True)
    assert caught.value.code == code


def test_the_cli_refuses_it_with_exit_2(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps(BAD_REFS["contract-missing"][0]))
    before = _state(root)
    code = main(["publish", CID, "--schema", str(schema), "--registry", str(root)])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "ref-unresolvable" in captured.err + captured.out
    assert "Traceback" not in captured.err
    assert _state(root) == before


def test_refs_that_resolve_are_published(root: Path) -> None:
    document = _with(
        {"$ref": "accord://common.money@1.0.0"},
        **{"$defs": {"id": {"type": "string"}}},
    )
    document["properties"]["id"] = {"$ref": "#/$defs/id"}
    document["properties"]["m"] = {"$ref": "../../common/money/1.0.0.schema.json"}
    result = _publish.publish(root, CID, document)
    assert result.status == "published"
    registry = Registry.load(root)
    assert registry.bundle(registry.get(f"{CID}@1.0.0"))


@pytest.mark.parametrize("first", [True, False], ids=["first-version", "later-version"])
@pytest.mark.parametrize("how", ["accord-ref", "relative-ref", "through-a-published-one"])
def test_a_version_that_refers_to_a_draft_is_refused(root: Path, first: bool, how: str) -> None:
    """A draft (a version file without its accord.lock line) is not immutable: a
    published version embedding it would change with each edit of the draft, and stop
    resolving once it is deleted."""
    draft = root / "common" / "money" / "1.1.0.schema.json"
    draft.write_text(json.dumps(MONEY))
    target = {
        "accord-ref": {"$ref": "accord://common.money@1.1.0"},
        "relative-ref": {"$ref": "../../common/money/1.1.0.schema.json"},
        "through-a-published-one": {"$ref": "accord://common.wrapper@1.0.0"},
    }[how]
    if how == "through-a-published-one":
        # A published version that refers to the draft already (written by hand).
        make_contract(root, "common.wrapper")
        wrapper = _with({"$ref": "accord://common.money@1.1.0"})
        (root / "common" / "wrapper" / "1.0.0.schema.json").write_text(json.dumps(wrapper))
        from _gate_helpers import write_unpublished

        write_unpublished(root, "common.wrapper", "1.0.0", wrapper)
    if not first:
        _publish.publish(root, CID, BASE_SCHEMA)
    before = _state(root)
    with pytest.raises(AccordError) as caught:
        _publish.publish(root, CID, _with(target), version=None if first else "2.0.0")
    assert caught.value.code == "ref-draft"
    assert "common.money@1.1.0" in str(caught.value)
    assert "accord publish common.money" in str(caught.value)
    assert _state(root) == before
