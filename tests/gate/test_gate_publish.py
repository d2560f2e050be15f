"""``accord publish``, ``new``, ``yank`` and ``retire`` on real registries in tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import BASE_SCHEMA, make_contract, run_cli, schema, version_file
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import (
    ConfigError,
    ContractNotFound,
    InvalidReference,
    SchemaError,
    UsageError,
)
from accord.gate import publish as _publish
from accord.gate.lint import lint
from accord.registry.model import Registry, read_lock

CID = "orders.placed"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    registry = tmp_path / "contracts"
    make_contract(registry, CID)
    return registry


def lock_versions(root: Path) -> list[str]:
    return [str(v) for (cid, v) in read_lock(root) if cid == CID]


def test_first_publish_is_1_0_0_canonical_and_locked(root: Path) -> None:
    result = _publish.publish(root, CID, BASE_SCHEMA)
    assert (result.status, str(result.version)) == ("published", "1.0.0")
    path = version_file(root, CID, "1.0.0")
    assert path.read_text() == json.dumps(BASE_SCHEMA, indent=2, sort_keys=True) + "\n"
    assert lock_versions(root) == ["1.0.0"]
    assert Registry.load(root).published(Registry.load(root).get(f"{CID}@1.0.0"))


@pytest.mark.parametrize("hard_links", [True, False], ids=["linked", "no-hard-links"])
def test_a_published_file_reads_like_any_file_the_user_writes(
    root: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    # The version file is made from a 0600 temp file: it must take the mode a new file
    # gets under the umask (as accord.lock and contract.toml do), or the team and a
    # service running as another user cannot read the published version.
    import errno

    if not hard_links:

        def refuse(*_: object, **__: object) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", refuse)
    previous = os.umask(0o022)
    try:
        _publish.publish(root, CID, BASE_SCHEMA)
    finally:
        os.umask(previous)
    mode = version_file(root, CID, "1.0.0").stat().st_mode & 0o777
    assert mode == 0o644 == (root / "accord.lock").stat().st_mode & 0o777


@pytest.mark.parametrize("version", [None, "1.1.0"], ids=["next", "named"])
def test_the_content_of_a_yanked_version_is_not_called_published(
    root: Path, version: str | None
) -> None:
    # 1.1.0 is yanked: ranges serve 1.0.0. Publishing its content again (by its number,
    # or as the next minor, which is 1.1.0 again) said "already published ... nothing to
    # do" (exit 0): the publisher was told the schema is out while nothing serves it.
    _publish.publish(root, CID, BASE_SCHEMA)
    added = schema(extra={"type": "string"})
    _publish.publish(root, CID, added)
    _publish.yank(root, f"{CID}@1.1.0", reason="wrong field name")
    result = _publish.publish(root, CID, added, version=version)
    assert (result.status, str(result.version)) == ("conflict", "1.1.0")
    assert "yanked" in result.message
    assert str(Registry.load(root).get(f"{CID}@^1").version) == "1.0.0"


def test_the_next_version_skips_a_number_a_yanked_version_holds(root: Path) -> None:
    # 1.1.0 is yanked; the fix is another additive change over 1.0.0. With no --version
    # the smallest allowed number was 1.1.0 again, taken: a conflict the publisher could
    # only get past by reading the lock. A number is used once: 1.2.0 is next.
    _publish.publish(root, CID, BASE_SCHEMA)
    _publish.publish(root, CID, schema(extra={"type": "string"}))
    _publish.yank(root, f"{CID}@1.1.0", reason="wrong field name")
    result = _publish.publish(root, CID, schema(renamed={"type": "string"}))
    assert (result.status, str(result.version), str(result.previous)) == (
        "published",
        "1.2.0",
        "1.0.0",
    )
    assert str(Registry.load(root).get(f"{CID}@^1").version) == "1.2.0"


@pytest.mark.parametrize(
    ("new", "version", "status", "published"),
    [
        pytest.param(
            schema(extra={"type": "string"}), None, "published", "1.1.0", id="additive-auto-minor"
        ),
        pytest.param(
            schema(extra={"type": "string"}), "1.1.0", "published", "1.1.0", id="additive-as-minor"
        ),
        pytest.param(
            schema(extra={"type": "string"}), "2.0.0", "published", "2.0.0", id="additive-as-major"
        ),
        pytest.param(
            schema(extra={"type": "string"}), "1.0.1", "refused", None, id="additive-as-patch"
        ),
        pytest.param(
            schema(id={"type": "integer", "description": "the id"}),
            None,
            "published",
            "1.0.1",
            id="docs-auto-patch",
        ),
        pytest.param(BASE_SCHEMA, None, "unchanged", None, id="identical-noop"),
        pytest.param(BASE_SCHEMA, "1.0.0", "unchanged", None, id="identical-same-version"),
        pytest.param(
            schema(extra={"type": "string"}), "1.0.0", "conflict", None, id="existing-other-content"
        ),
        pytest.param(
            schema(id={"type": "string"}), "1.1.0", "refused", None, id="breaking-as-minor"
        ),
        pytest.param(
            schema(id={"type": "string"}), None, "published", "2.0.0", id="breaking-auto-major"
        ),
    ],
)
def test_publish_decisions(
    root: Path, new: dict[str, Any], version: str | None, status: str, published: str | None
) -> None:
    _publish.publish(root, CID, BASE_SCHEMA)
    before = sorted(p.name for p in version_file(root, CID, "x").parent.iterdir())
    result = _publish.publish(root, CID, new, version=version)
    assert result.status == status
    after = sorted(p.name for p in version_file(root, CID, "x").parent.iterdir())
    if published is None:
        assert after == before
        assert lock_versions(root) == ["1.0.0"]
    else:
        assert str(result.version) == published
        assert lock_versions(root) == ["1.0.0", published]


def test_refusal_explains_which_change_needs_which_bump(root: Path) -> None:
    _publish.publish(root, CID, BASE_SCHEMA)
    result = _publish.publish(
        root, CID, schema(extra={"type": "string"}, id={"type": "string"}), version="1.0.1"
    )
    assert result.status == "refused"
    assert (result.required_bump, result.declared_bump) == ("major", "patch")
    assert "publish 2.0.0 or later" in result.message
    assert result.reasons[0].startswith("needs major: ")
    assert any(
        r.startswith("needs minor: property-added-optional at /extra") for r in result.reasons
    )


def test_below_1_0_a_breaking_change_needs_a_minor(root: Path) -> None:
    _publish.publish(root, CID, BASE_SCHEMA, version="0.3.1")
    result = _publish.publish(root, CID, schema(id={"type": "string"}))
    assert (result.status, str(result.version)) == ("published", "0.4.0")


def test_removal_needs_deprecation_first(root: Path) -> None:
    _publish.publish(root, CID, BASE_SCHEMA)
    refused = _publish.publish(root, CID, schema(note=None), version="2.0.0")
    assert refused.status == "refused"
    assert "removal-not-deprecated: /note" in refused.reasons[0]
    deprecated = _publish.publish(root, CID, schema(note={"type": "string", "deprecated": True}))
    assert (deprecated.status, str(deprecated.version)) == ("published", "1.1.0")
    removed = _publish.publish(root, CID, schema(note=None))
    assert (removed.status, str(removed.version)) == ("published", "2.0.0")


def test_removal_policy_can_be_switched_off(root: Path) -> None:
    (root / "accord.toml").write_text("[deprecation]\nrequire-deprecation-before-removal = false\n")
    _publish.publish(root, CID, BASE_SCHEMA)
    assert _publish.publish(root, CID, schema(note=None)).status == "published"


def test_yank_keeps_the_file_and_previous_skips_it(root: Path) -> None:
    _publish.publish(root, CID, BASE_SCHEMA)
    _publish.publish(root, CID, schema(extra={"type": "string"}))
    assert _publish.yank(root, f"{CID}@1.1.0", reason="wrong field name") is True
    assert _publish.yank(root, f"{CID}@1.1.0", reason="again") is False
    registry = Registry.load(root)
    assert version_file(root, CID, "1.1.0").exists()
    assert str(registry.get(f"{CID}@^1").version) == "1.0.0"
    # The next publish is diffed against 1.0.0, the highest non-yanked version.
    result = _publish.publish(root, CID, schema(other={"type": "string"}), version="1.2.0")
    assert (result.status, str(result.previous)) == ("published", "1.0.0")


def test_retire_blocks_new_versions_and_keeps_files(root: Path) -> None:
    _publish.publish(root, CID, BASE_SCHEMA)
    assert _publish.retire(root, CID) is True
    assert _publish.retire(root, CID) is False
    assert Registry.load(root).contract(CID).meta.status == "retired"
    assert version_file(root, CID, "1.0.0").exists()
    with pytest.raises(UsageError) as caught:
        _publish.publish(root, CID, schema(extra={"type": "string"}))
    assert caught.value.code == "contract-retired"


def test_retire_replaces_an_existing_status_line(root: Path) -> None:
    (root / "orders" / "placed" / "contract.toml").write_text(
        'owner = "t"\nkind = "event"\nstatus = "deprecated"\n\n[rules.type-changed]\n'
        'severity = "warning"\nreason = "types are loose here"\n'
    )
    _publish.retire(root, CID)
    text = (root / "orders" / "placed" / "contract.toml").read_text()
    assert text.count("status") == 1
    assert 'status = "retired"\n\n[rules' in text


def test_new_scaffolds_and_refuses_duplicates(tmp_path: Path) -> None:
    root = tmp_path / "reg"
    directory = _publish.new_contract(root, "billing.invoice-paid", owner="billing", kind="event")
    assert (directory / "contract.toml").read_text() == 'owner = "billing"\nkind = "event"\n'
    assert "billing.invoice-paid" in Registry.load(root)
    with pytest.raises(UsageError) as exists:
        _publish.new_contract(root, "billing.invoice-paid", owner="x", kind="event")
    assert exists.value.code == "contract-exists"
    for bad in ("consumers.thing", "billing.invoice_paid"):
        with pytest.raises(InvalidReference):
            _publish.new_contract(root, bad, owner="x", kind="event")
    with pytest.raises(ConfigError):
        _publish.new_contract(root, "billing.refund", owner="x", kind="banana")
    assert not (root / "billing" / "refund" / "contract.toml").exists()


def test_publish_refuses_bad_schemas_and_unknown_contracts(root: Path) -> None:
    with pytest.raises(SchemaError):
        _publish.publish(root, CID, {"$schema": BASE_SCHEMA["$schema"], "type": "strin"})
    with pytest.raises(ContractNotFound) as caught:
        _publish.publish(root, "orders.nope", BASE_SCHEMA)
    # A new user who skipped `accord new` is told the command that makes the contract.
    assert "accord new orders.nope --owner" in str(caught.value)
    assert not list((root / "orders" / "placed").glob("*.json"))
    assert not (root / "orders" / "nope").exists()


# -- Pydantic models -------------------------------------------------------------------

MODEL = """
from decimal import Decimal
from pydantic import BaseModel

class Order(BaseModel):
    id: int
    total: Decimal
    note: str | None = None
"""


def test_publish_model_is_deterministic(root: Path, tmp_path: Path) -> None:
    model_file = tmp_path / "model_orders.py"
    model_file.write_text(MODEL)
    model = _publish.load_model(f"{model_file}:Order")
    first = _publish.export_model_schema(model)
    assert first == _publish.export_model_schema(model)
    assert first["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _publish.publish(root, CID, first).status == "published"
    assert _publish.publish(root, CID, _publish.export_model_schema(model)).status == "unchanged"


def test_model_errors_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        _publish.load_model("no_such_module_anywhere:Order")
    with pytest.raises(UsageError):
        _publish.load_model(f"{tmp_path / 'missing.py'}:Order")
    with pytest.raises(UsageError):
        _publish.export_model_schema(object)


def test_pydantic_profile_rewrites_the_decimal_lookahead() -> None:
    lookahead = next(iter(_publish.PYDANTIC_DECIMAL_PATTERNS))
    document = {
        "type": "object",
        "properties": {
            "d": {"anyOf": [{"type": "number"}, {"type": "string", "pattern": lookahead}]},
            "x": {"discriminator": {"propertyName": "k"}, "oneOf": [{"type": "object"}]},
            "f": {"type": "string", "format": "binary"},
        },
    }
    out = _publish.pydantic_profile(document)
    assert (
        out["properties"]["d"]["anyOf"][1]["pattern"]
        == _publish.PYDANTIC_DECIMAL_PATTERNS[lookahead]
    )
    assert out["properties"]["x"]["discriminator"] == {"propertyName": "k"}
    assert out["properties"]["f"]["format"] == "binary"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet="+-.0123456789e ", max_size=8))
def test_portable_decimal_pattern_matches_the_lookahead_one(text: str) -> None:
    import regress

    for lookahead, portable in _publish.PYDANTIC_DECIMAL_PATTERNS.items():
        assert (regress.Regex(lookahead).find(text) is not None) == (
            regress.Regex(portable).find(text) is not None
        )


# -- the CLI ---------------------------------------------------------------------------


def test_cli_publish_refusal_exits_1(root: Path, tmp_path: Path, capsys: Any) -> None:
    first = tmp_path / "v1.json"
    first.write_text(json.dumps(BASE_SCHEMA))
    code, out, _ = run_cli(
        ["publish", CID, "--schema", str(first), "--registry", str(root)], capsys
    )
    assert (code, out.split(":")[0]) == (0, "published")
    second = tmp_path / "v2.json"
    second.write_text(json.dumps(schema(extra={"type": "string"})))
    argv = ["publish", CID, "--schema", str(second), "--version", "1.0.1", "--registry", str(root)]
    code, out, _ = run_cli(argv, capsys)
    assert code == 1
    assert "needs minor: property-added-optional at /extra" in out
    auto = ["publish", CID, "--schema", str(second), "--format", "json", "--registry", str(root)]
    code, out, _ = run_cli(auto, capsys)
    assert (code, json.loads(out)["version"]) == (0, "1.1.0")


def test_cli_publish_of_a_major_bump_lists_each_change_once(
    root: Path, tmp_path: Path, capsys: Any
) -> None:
    """A major bump's reasons explain its breaking changes; the change list below them
    names only the others (it named every breaking change a second time)."""
    first = tmp_path / "v1.json"
    first.write_text(json.dumps(BASE_SCHEMA))
    assert (
        run_cli(["publish", CID, "--schema", str(first), "--registry", str(root)], capsys)[0] == 0
    )
    second = tmp_path / "v2.json"
    second.write_text(json.dumps(schema(id={"type": "string"}, extra={"type": "string"})))
    code, out, _ = run_cli(
        ["publish", CID, "--schema", str(second), "--registry", str(root)], capsys
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("published: orders.placed 2.0.0")
    why = (
        "  major: type-changed at /id: type integer -> string; breaks backward and forward, "
        'which mode full requires; backward refuted, witness {"id":0} (accepted by old, '
        'rejected by new); forward refuted, witness {"id":""} (accepted by new, '
        "rejected by old)"
    )
    assert [line for line in lines if "type-changed at /id" in line] == [why]
    assert [line for line in lines if "property-added-optional" in line] == [
        "  property-added-optional at /extra: optional property 'extra' added"
    ]


DRAFT_07_SCHEMA = {**BASE_SCHEMA, "$schema": "http://json-schema.org/draft-07/schema#"}


def test_cli_publish_of_a_draft_07_schema_warns_as_lint_does(
    root: Path, tmp_path: Path, capsys: Any
) -> None:
    """DESIGN accepts draft-07 (normalised), so publish takes it, but says so with lint's
    rule id; before, only `accord lint` told (publish printed "published" alone)."""
    source = tmp_path / "d7.json"
    source.write_text(json.dumps(DRAFT_07_SCHEMA))
    argv = ["publish", CID, "--schema", str(source), "--registry", str(root)]
    code, out, err = run_cli([*argv, "--dry-run", "--format", "json"], capsys)
    assert code == 0
    (warning,) = json.loads(out)["warnings"]
    assert (warning["code"], warning["severity"], warning["pointer"]) == (
        "schema-dialect-upgrade",
        "warning",
        "/$schema",
    )
    code, out, err = run_cli(argv, capsys)
    assert (code, out.split(":")[0]) == (0, "published")
    assert err.startswith(
        f"warning[schema-dialect-upgrade]: {source}#/$schema: the schema is written in draft-07"
    )
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("severity", "code", "err"),
    [
        pytest.param("error", 2, "error[schema-dialect-upgrade]: ", id="raised-to-error"),
        pytest.param("off", 0, "", id="switched-off"),
    ],
)
def test_publish_reads_the_registry_lint_rule_overrides(
    root: Path, tmp_path: Path, capsys: Any, severity: str, code: int, err: str
) -> None:
    """A registry that makes schema-dialect-upgrade an error refuses a draft-07 version
    at publish, as lint and check do; before, publish wrote and locked it, and from then
    on lint and check refused the registry over a version that can never change."""
    (root / "accord.toml").write_text(
        f'[lint.rules.schema-dialect-upgrade]\nseverity = "{severity}"\n'
        'reason = "this registry is written in 2020-12 only"\n'
    )
    source = tmp_path / "d7.json"
    source.write_text(json.dumps(DRAFT_07_SCHEMA))
    found = run_cli(["publish", CID, "--schema", str(source), "--registry", str(root)], capsys)
    assert (found[0], found[2][: len(err)] if err else found[2]) == (code, err)
    assert lock_versions(root) == ([] if code else ["1.0.0"])
    assert version_file(root, CID, "1.0.0").exists() == (code == 0)


def test_cli_new_yank_retire(tmp_path: Path, capsys: Any) -> None:
    root = tmp_path / "contracts"
    reg = ["--registry", str(root)]
    assert run_cli(["new", CID, "--owner", "o", "--kind", "event", *reg], capsys)[0] == 0
    schema_file = tmp_path / "s.json"
    schema_file.write_text(json.dumps(BASE_SCHEMA))
    assert run_cli(["publish", CID, "--schema", str(schema_file), *reg], capsys)[0] == 0
    assert run_cli(["yank", f"{CID}@1.0.0", "--reason", "bad", *reg], capsys)[0] == 0
    assert run_cli(["retire", CID, *reg], capsys)[0] == 0
    code, _, err = run_cli(["publish", CID, "--schema", str(schema_file), *reg], capsys)
    assert code == 2
    assert "error[contract-retired]" in err


def test_cli_publish_model(root: Path, tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "order_model.py").write_text(MODEL)
    argv = [
        "publish",
        CID,
        "--model",
        f"{tmp_path / 'order_model.py'}:Order",
        "--registry",
        str(root),
    ]
    assert run_cli(argv, capsys)[0] == 0
    assert version_file(root, CID, "1.0.0").exists()


HOSTILE_MODELS = """
from pydantic import BaseModel, Field

class Huge(BaseModel):
    x: int = Field(le=10**5000)

class Unresolvable(BaseModel):
    x: int = Field(json_schema_extra={"$ref": "file:///etc/passwd"})

LOOP = []
LOOP.append(LOOP)

class Circular(BaseModel):
    x: int = Field(json_schema_extra={"examples": LOOP})
"""


@pytest.mark.parametrize(
    ("model", "code"),
    [
        pytest.param("Huge", "json-malformed", id="integer-over-the-digit-limit"),
        pytest.param("Unresolvable", "model-schema-failed", id="pydantic-cannot-export"),
        pytest.param("Circular", "model-schema-failed", id="circular-extra"),
    ],
)
def test_a_model_whose_schema_is_no_json_is_exit_2_and_writes_nothing(
    root: Path, tmp_path: Path, capsys: Any, model: str, code: str
) -> None:
    # A 5,001-digit bound in a --schema file is json-malformed; from a model it was an
    # internal error (ValueError from json.dumps), as was Pydantic failing to export
    # (KeyError for a $ref it cannot resolve, ValueError for a circular value): exit 3.
    (tmp_path / "hostile_models.py").write_text(HOSTILE_MODELS)
    argv = ["publish", CID, "--model", f"{tmp_path / 'hostile_models.py'}:{model}"]
    code_, _, err = run_cli([*argv, "--registry", str(root)], capsys)
    assert (code_, f"error[{code}]" in err, "Traceback" in err) == (2, True, False), err
    assert not version_file(root, CID, "1.0.0").exists()
    assert read_lock(root) == {}


# -- interrupted publishes -------------------------------------------------------------

_PUBLISH_SCRIPT = """
import json, sys
from accord.gate import publish as _publish
result = _publish.publish(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
print(result.status)
"""


def _publish_killed_at(root: Path, step: str, document: Any) -> int:
    env = {**os.environ, "ACCORD_TEST_FAILPOINT": step}
    done = subprocess.run(
        [sys.executable, "-c", _PUBLISH_SCRIPT, str(root), CID, json.dumps(document)],
        env=env,
        capture_output=True,
        check=False,
    )
    return done.returncode


@pytest.mark.parametrize("step", ["after-temp-file", "after-version-file", "before-lock-write"])
def test_interrupted_publish_is_accepted_or_repaired(root: Path, step: str) -> None:
    from accord.gate.check import check

    _publish.publish(root, CID, BASE_SCHEMA)
    new = schema(extra={"type": "string"})
    assert _publish_killed_at(root, step, new) == -9  # really killed (SIGKILL)
    assert lint(root).ok, lint(root).problems  # the registry stays valid
    assert lock_versions(root) == ["1.0.0"]
    report = check(root)
    if step == "after-temp-file":
        assert report.exit_code() == 0  # a hidden temp file is all that is left
    else:
        assert [f.rule for f in report.findings] == ["lock-missing-entry"]
        assert "completes an interrupted publish" in report.findings[0].message
    # The killed publisher held the lock: the operating system released it, so the next
    # publish needs no one to delete a stale lock file by hand.
    result = _publish.publish(root, CID, new, lock_timeout=5)
    assert (result.status, str(result.version)) == (
        ("published", "1.1.0") if step == "after-temp-file" else ("completed", "1.1.0")
    )
    assert lock_versions(root) == ["1.0.0", "1.1.0"]
    assert check(root).exit_code() == 0


def test_publish_outside_a_registry_says_how_to_name_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    # `accord publish` run from a directory with no ./contracts said only "registry
    # directory does not exist", with no hint of --registry, pyproject.toml or init.
    (tmp_path / "s.json").write_text(json.dumps(BASE_SCHEMA))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["publish", "orders.placed", "--schema", "s.json"], capsys)
    assert (code, out) == (2, "")
    assert "registry-not-found" in err
    assert "--registry" in err
    assert "accord init" in err
    assert not (tmp_path / "contracts").exists()


def test_publish_on_a_file_system_without_hard_links(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # vfat, exFAT and some network file systems refuse os.link (EPERM, EOPNOTSUPP): the
    # version file is then created with O_EXCL, so publishing still never overwrites.
    import errno

    def refuse(*_: object, **__: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    result = _publish.publish(root, CID, BASE_SCHEMA)
    assert (result.status, str(result.version)) == ("published", "1.0.0")
    path = version_file(root, CID, "1.0.0")
    assert path.read_text() == json.dumps(BASE_SCHEMA, indent=2, sort_keys=True) + "\n"
    assert lock_versions(root) == ["1.0.0"]
    other = schema(extra={"type": "string"})
    assert _publish.publish(root, CID, other, version="1.0.0").status == "conflict"
    assert path.read_text() == json.dumps(BASE_SCHEMA, indent=2, sort_keys=True) + "\n"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert Registry.load(root).published(Registry.load(root).get(f"{CID}@1.0.0"))
