"""``accord publish`` writes nothing the registry then refuses to read.

A table of bad first versions: after ``publish`` either raised (nothing written) or
succeeded, the registry loads and ``accord check`` and ``accord lint`` pass. The
registry's read caps (``max-depth``, ``max-file-bytes`` in ``accord.toml``) were not
applied to the document published: it was read with the defaults (``--schema``) or not
read at all (the Python API, ``--model``, ``import-openapi``), written and locked, and
every later load failed (``json-too-deep``, ``json-too-large``) until the lock was
edited by hand.
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


def _with(x: Any) -> dict[str, Any]:
    return {"$schema": DIALECT, "type": "object", "properties": {"x": x}}


def _nested(levels: int) -> dict[str, Any]:
    inner: dict[str, Any] = {}
    for _ in range(levels):
        inner = {"items": inner}
    return _with(inner)


FIRST_VERSIONS: dict[str, Any] = {
    "deeper-than-max-depth": _nested(20),
    "larger-than-max-file-bytes": _with({"description": "a" * 5000}),
    "deeper-than-the-default-cap": _nested(70),
    "unknown-dialect": {"$schema": "https://example.com/schema", "type": "object"},
    "invalid-pattern": _with({"type": "string", "pattern": "(("}),
    "non-portable-pattern": _with({"type": "string", "pattern": "(?<=a)b"}),
    "not-a-schema": _with({"type": "strin"}),
    "remote-ref": _with({"$ref": "https://example.com/x"}),
    "defs-missing": _with({"$ref": "#/$defs/nothing"}),
    "root-not-object": False,
    "too-many-items": {"$schema": DIALECT, "enum": list(range(300))},
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    registry = tmp_path / "contracts"
    make_contract(registry, CID)
    (registry / "accord.toml").write_text(
        "max-depth = 16\nmax-file-bytes = 4096\nmax-items = 256\n"
    )
    return registry


def _registry_still_works(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Registry.load(root)
    for command in ("check", "lint"):
        code = main([command, "--registry", str(root)])
        captured = capsys.readouterr()
        assert code == 0, (command, captured)


@pytest.mark.parametrize("case", sorted(FIRST_VERSIONS))
def test_a_first_version_is_refused_or_the_registry_still_loads(
    root: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        _publish.publish(root, CID, FIRST_VERSIONS[case])
    except AccordError:
        assert not (root / "orders" / "placed" / "1.0.0.schema.json").exists()
        assert not (root / "accord.lock").exists()
    _registry_still_works(root, capsys)


@pytest.mark.parametrize(
    ("case", "code"),
    [("deeper-than-max-depth", "json-too-deep"), ("larger-than-max-file-bytes", "json-too-large")],
)
@pytest.mark.parametrize("first", [True, False], ids=["first-version", "later-version"])
def test_the_registrys_read_caps_refuse_the_document(
    root: Path, case: str, code: str, first: bool
) -> None:
    if not first:
        _publish.publish(root, CID, BASE_SCHEMA)
    before = sorted(p.name for p in (root / "orders" / "placed").iterdir())
    with pytest.raises(AccordError) as caught:
        _publish.publish(root, CID, FIRST_VERSIONS[case], version=None if first else "2.0.0")
    assert caught.value.code == code
    assert sorted(p.name for p in (root / "orders" / "placed").iterdir()) == before


def test_the_cli_refuses_a_schema_file_over_the_registrys_depth_cap(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps(FIRST_VERSIONS["deeper-than-max-depth"]))
    code = main(["publish", CID, "--schema", str(schema), "--registry", str(root)])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "json-too-deep" in captured.err
    assert "Traceback" not in captured.err
    assert not (root / "accord.lock").exists()
    _registry_still_works(root, capsys)


@pytest.mark.parametrize(
    "document",
    [
        _with({"type": "object", "properties": {"\ud800": {}}}),
        _with({"const": "a\udc00"}),
    ],
    ids=["key", "value"],
)
def test_a_lone_surrogate_is_refused_not_a_traceback(root: Path, document: Any) -> None:
    """A Python str may hold an unpaired surrogate, which UTF-8 cannot write: publish
    raised UnicodeEncodeError (the CLI's exit 3 for `--model`)."""
    with pytest.raises(AccordError) as caught:
        _publish.publish(root, CID, document)
    assert caught.value.code == "json-lone-surrogate"
    assert not (root / "accord.lock").exists()


def test_publish_model_with_a_lone_surrogate_is_exit_2(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "surrogate_model.py").write_text(
        "from pydantic import BaseModel, Field\n\n\n"
        "class Placed(BaseModel):\n"
        '    kind: str = Field(description="a\\udc00")\n',
        encoding="utf-8",
    )
    spec = f"{tmp_path / 'surrogate_model.py'}:Placed"
    code = main(["publish", CID, "--model", spec, "--registry", str(root)])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "json-lone-surrogate" in captured.err
    assert not (root / "accord.lock").exists()
