"""``accord.diff`` is told what each side is: a schema, a file (``*_path=``) or a
registry reference (``*_ref=``); a bare str is still guessed, with a DeprecationWarning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import accord
from accord.errors import DocumentError, UsageError
from accord.gate import publish as _publish

V1 = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}
V2 = {**V1, "required": ["id", "email"]}


def _registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    (root / "orders" / "placed").mkdir(parents=True)
    (root / "orders" / "placed" / "contract.toml").write_text('owner = "t"\nkind = "event"\n')
    _publish.publish(root, "orders.placed", V1)
    return root


def _file(path: Path, schema: object) -> Path:
    path.write_text(json.dumps(schema))
    return path


def test_each_side_is_given_explicitly(tmp_path: Path) -> None:
    registry = accord.Registry.load(_registry(tmp_path))
    new = _file(tmp_path / "new.json", V2)
    by_ref = accord.diff(old_ref="orders.placed@1.0.0", new_path=new, registry=registry)
    by_path = accord.diff(old_path=str(_file(tmp_path / "old.json", V1)), new_schema=V2)
    by_schema = accord.diff(V1, V2)
    for report in (by_ref, by_path, by_schema):
        assert (report.backward, report.required_bump) == (False, "major")
    assert by_ref.old == "orders.placed@1.0.0"


def test_a_path_positional_is_a_file(tmp_path: Path) -> None:
    report = accord.diff(_file(tmp_path / "a.json", V1), _file(tmp_path / "b.json", V1))
    assert report.required_bump == "none"


def test_a_file_named_like_a_reference_is_read_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # old_path= never consults a registry, whatever the name looks like.
    monkeypatch.chdir(tmp_path)
    _file(tmp_path / "orders.placed@1.0.0", V1)
    report = accord.diff(old_path="orders.placed@1.0.0", new_schema=V1)
    assert report.required_bump == "none"


def test_a_reference_is_never_read_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # old_ref= never opens a file of that name, even when one exists.
    root = _registry(tmp_path)
    monkeypatch.chdir(tmp_path)
    _file(tmp_path / "orders.placed@1.0.0", {"type": "string"})
    report = accord.diff(
        old_ref="orders.placed@1.0.0", new_schema=V1, registry=accord.Registry.load(root)
    )
    assert report.required_bump == "none"


def test_a_missing_path_is_a_missing_file_not_a_reference(tmp_path: Path) -> None:
    with pytest.raises(DocumentError):
        accord.diff(old_path=tmp_path / "orders.placed@1.0.0", new_schema=V1)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"new_schema": V1}, id="old-missing"),
        pytest.param({"old": V1, "old_schema": V1, "new_schema": V1}, id="old-twice"),
        pytest.param({"old_schema": V1, "new_path": "a.json", "new_ref": "a.b@1"}, id="new-twice"),
        pytest.param({"old_schema": "a.json", "new_schema": V1}, id="str-as-schema"),
        pytest.param({"old_ref": {"type": "object"}, "new_schema": V1}, id="dict-as-ref"),
    ],
)
def test_each_side_exactly_once_and_of_its_kind(kwargs: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        accord.diff(**kwargs)  # type: ignore[arg-type]


def test_a_positional_str_still_works_with_a_deprecation_warning(tmp_path: Path) -> None:
    old = _file(tmp_path / "old.json", V1)
    with pytest.warns(DeprecationWarning, match="old_path= or old_ref="):
        report = accord.diff(str(old), V2)  # type: ignore[arg-type]
    assert report.required_bump == "major"


def test_overrides_replace_the_contracts_own(tmp_path: Path) -> None:
    """``overrides=`` is what the gate judges a version under when a change lowers the
    contract's overrides (the base's): it replaces the contract's, ``{}`` applies none."""
    from accord.registry.config import RuleOverride

    root = _registry(tmp_path)
    (root / "orders" / "placed" / "contract.toml").write_text(
        'owner = "t"\nkind = "event"\n\n[rules.required-added]\nseverity = "off"\n'
        'reason = "every producer sends email since RFC-7"\n'
    )
    new = _file(tmp_path / "new.json", V2)
    registry = accord.Registry.load(root)
    own = accord.diff(old_ref="orders.placed@1.0.0", new_path=new, registry=registry)
    assert own.compatible
    assert "required-added" not in {c.rule for c in own.changes}
    none = accord.diff(old_ref="orders.placed@1.0.0", new_path=new, registry=registry, overrides={})
    assert not none.compatible
    assert "required-added" in {c.rule for c in none.breaking}
    off = RuleOverride("required-added", "off", "every producer sends email since RFC-7")
    plain = accord.diff(V1, V2, overrides={"required-added": off})
    assert plain.compatible
    assert accord.diff(V1, V2).compatible is False
