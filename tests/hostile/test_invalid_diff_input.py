"""``accord diff FILE FILE`` checks each schema as the registry loader does; ``package``
refuses a registry that fails lint, whatever the lock claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import publish
from accord.cli import main
from accord.compat import diff
from accord.errors import SchemaError

DIALECT = "https://json-schema.org/draft/2020-12/schema"

BAD: dict[str, tuple[Any, str, str]] = {
    "invalid-regex": ({"type": "string", "pattern": "(["}, "schema-regex-invalid", "/pattern"),
    "bad-metaschema": ({"type": "strin"}, "schema-metaschema", "/type"),
    "keyword-typo": (
        {"type": "object", "properties": {"a": {"type": "string", "minLenght": 3}}},
        "schema-unknown-keyword",
        "/properties/a/minLenght",
    ),
    "remote-ref": (
        {"properties": {"a": {"$ref": "http://127.0.0.1:9/x"}}},
        "ref-remote",
        "/properties/a/$ref",
    ),
    "file-ref": (
        {"properties": {"a": {"$ref": "file:///etc/passwd"}}},
        "ref-remote",
        "/properties/a/$ref",
    ),
    "escaping-ref": (
        {"properties": {"a": {"$ref": "../../../etc/passwd"}}},
        "ref-needs-registry",
        "/properties/a/$ref",
    ),
    "cycle": (
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
        "schema-ref-cycle",
        "",
    ),
}


def _write(path: Path, schema: Any) -> Path:
    path.write_text(json.dumps({"$schema": DIALECT, **schema}))
    return path


@pytest.mark.parametrize("case", sorted(BAD))
def test_diff_of_invalid_files_is_refused(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema, code, pointer = BAD[case]
    bad = _write(tmp_path / "bad.json", schema)
    good = _write(tmp_path / "good.json", {"type": "object"})
    for argv in ([str(bad), str(bad)], [str(good), str(bad)], [str(bad), str(good)]):
        assert main(["diff", *argv]) == 2, argv
        captured = capsys.readouterr()
        assert code in captured.err, captured.err
        assert str(bad) in captured.err
        assert "compatible" not in captured.out
    with pytest.raises(SchemaError) as info:
        diff(old_path=str(bad), new_path=str(good))
    assert info.value.code == code
    assert info.value.file == str(bad)
    assert info.value.pointer.startswith(pointer)


def test_diff_of_valid_files_still_works(tmp_path: Path) -> None:
    old = _write(tmp_path / "old.json", {"type": "object", "properties": {"a": {}}})
    new = _write(tmp_path / "new.json", {"type": "object", "properties": {"a": {"$ref": "#"}}})
    assert main(["diff", str(old), str(old)]) == 0
    assert main(["diff", str(old), str(new)]) in (0, 1)


def test_package_refuses_a_registry_that_fails_lint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    bad = {"$schema": DIALECT, "type": "string", "pattern": "(["}
    publish(root, "orders.thing", {"1.0.0": bad})  # a lock line trusts it
    assert main(["lint", "--registry", str(root)]) == 2
    out = tmp_path / "dist"
    assert main(["package", "--registry", str(root), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "schema-regex-invalid" in captured.err + captured.out
    assert not out.exists() or not list(out.iterdir())
