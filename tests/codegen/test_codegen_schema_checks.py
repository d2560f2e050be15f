"""``accord codegen`` refuses what the registry's own checks refuse.

A published version's bytes are trusted at load (they passed the gate when they
landed), so ``codegen`` ran ``verify_all()`` only and a schema ``accord check`` refuses
(a ``pattern`` that is no ECMA-262 regex) was generated into a package. Each version
generated is now checked as ``check`` checks it (``check_schema`` and the registry's
rule overrides): exit 2, nothing written. The check is kept in the cache with the
version's input key, so a no-op run stays a no-op.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_codegen_noop import SCHEMA, publish

from accord.cli import main
from accord.codegen import _package, generate_registry
from accord.core.cache import ContentCache
from accord.errors import RegistryError

BAD = {"type": "object", "properties": {"b": {"type": "string", "pattern": "("}}}


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no-cache"])
def test_a_schema_check_refuses_is_not_generated(tmp_path: Path, cached: bool) -> None:
    root, out = tmp_path / "contracts", tmp_path / "out"
    publish(root, {"a.one": {"1.0.0": SCHEMA}, "b.two": {"1.0.0": BAD}})
    cache = ContentCache(tmp_path / "cache") if cached else None
    with pytest.raises(RegistryError) as caught:
        generate_registry(root, out, cache=cache)
    assert [p.code for p in caught.value.problems] == ["schema-regex-invalid"]
    assert caught.value.problems[0].file == "b/two/1.0.0.schema.json"
    assert not out.exists()
    with pytest.raises(RegistryError):  # not remembered as checked
        generate_registry(root, out, cache=cache)
    assert not out.exists()


def test_a_rule_the_registry_downgrades_is_generated(tmp_path: Path) -> None:
    """The registry's ``[lint.rules]`` apply (as ``check`` applies them), and they are
    part of the cached check: removing the override refuses the version again."""
    root, out = tmp_path / "contracts", tmp_path / "out"
    nonportable = {"type": "object", "properties": {"a": {"type": "string", "pattern": "(?<=x)a"}}}
    publish(root, {"b.two": {"1.0.0": nonportable}})
    toml = root / "accord.toml"
    toml.write_text(
        '[lint.rules.schema-regex-nonportable]\nseverity = "warning"\n'
        'reason = "reviewed in #42: lookbehind is fine here"\n'
    )
    cache = ContentCache(tmp_path / "cache")
    assert generate_registry(root, out, cache=cache).written
    toml.unlink()
    (out / "accord_models" / "b" / "two" / "v1_0_0.py").unlink()  # not a whole no-op
    with pytest.raises(RegistryError) as caught:
        generate_registry(root, out, cache=cache)
    assert [p.code for p in caught.value.problems] == ["schema-regex-nonportable"]


def test_the_cli_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = tmp_path / "contracts", tmp_path / "out"
    publish(root, {"b.two": {"1.0.0": BAD}})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["codegen", "--registry", str(root), "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "schema-regex-invalid" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_checked_version_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is keyed into the cache with the input key: a second run, even one
    that is not a whole no-op (another version added), does not check the first."""
    root, out = tmp_path / "contracts", tmp_path / "out"
    publish(root, {"a.one": {"1.0.0": SCHEMA}})
    cache = ContentCache(tmp_path / "cache")
    generate_registry(root, out, cache=cache)
    checked: list[str] = []
    real = _package._Sources.schema_errors

    def spy(self: _package._Sources) -> list[object]:
        checked.append(self.version.ref)
        return real(self)  # type: ignore[return-value]

    monkeypatch.setattr(_package._Sources, "schema_errors", spy)
    publish(root, {"a.one": {"1.0.0": SCHEMA}, "c.three": {"1.0.0": SCHEMA}})
    generate_registry(root, out, cache=cache)
    assert checked == ["c.three@1.0.0"]
