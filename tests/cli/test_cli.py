"""The ``accord`` command line, run in-process through ``main(argv)``.

Every command against the example registry (``contracts/``) or a copy of it in
``tmp_path``: exit codes, output shapes, and the promise that bad input is one
``error[<code>]`` line on stderr, exit 2, no traceback and nothing written.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from accord import __version__
from accord.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "contracts"
ORDER_EXAMPLES = EXAMPLE / "orders" / "order-placed" / "examples" / "1.0.0"
CONTRACT_IDS = sorted(
    f"{p.parent.parent.name}.{p.parent.name}" for p in EXAMPLE.glob("*/*/contract.toml")
)


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def accord(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*argv: str | Path) -> Result:
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A private copy of the example registry."""
    root = tmp_path / "contracts"
    shutil.copytree(EXAMPLE, root)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _relock(root: Path) -> None:
    """Recompute accord.lock for every version file (as `accord publish` would)."""
    lines = sorted(
        f"{p.parent.parent.name}.{p.parent.name} {p.name.removesuffix('.schema.json')} "
        f"sha256:{hashlib.sha256(p.read_bytes()).hexdigest()}"
        for p in root.glob("*/*/*.schema.json")
    )
    (root / "accord.lock").write_text("".join(f"{line}\n" for line in lines))


# -- the frame ---------------------------------------------------------------------------


def test_version(accord: Any) -> None:
    result = accord("--version")
    assert result.code == 0
    assert result.out == f"accord {__version__}\n"


def test_help_lists_every_command(accord: Any) -> None:
    result = accord("--help")
    assert result.code == 0
    for command in ("list", "show", "lint", "fmt", "validate"):
        assert f"    {command} " in result.out


def test_no_command_prints_help_and_exits_2(accord: Any) -> None:
    result = accord()
    assert result.code == 2
    assert "usage: accord" in result.err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["list", "--bogus"], id="unknown-option"),
        pytest.param(["list", "--format", "xml"], id="bad-choice"),
        pytest.param(["show"], id="missing-ref"),
        pytest.param(["validate", "users.user"], id="missing-payload"),
    ],
)
def test_usage_errors_exit_2(accord: Any, argv: list[str]) -> None:
    result = accord(*argv)
    assert result.code == 2
    assert "error[usage]: " in result.err
    assert result.out == ""


def test_internal_error_exits_3_without_traceback(
    accord: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli import _cmd_registry

    def explode(*_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(_cmd_registry, "_list", explode)
    monkeypatch.delenv("ACCORD_DEBUG", raising=False)
    result = accord("list", "--registry", EXAMPLE)
    assert result.code == 3
    assert "internal error (RuntimeError): boom" in result.err
    assert "please report" in result.err


def test_raised_finding_exits_1(accord: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.cli import _cmd_registry
    from accord.errors import ContractViolation, ValidationIssue

    def violate(*_: object) -> int:
        issue = ValidationIssue("/id", "/properties/id/minimum", "minimum", "0 is too small")
        raise ContractViolation("users.user@1.0.0", [issue])

    monkeypatch.setattr(_cmd_registry, "_list", violate)
    result = accord("list", "--registry", EXAMPLE)
    assert result.code == 1
    assert result.err.startswith(
        "error[contract-violation]: <input>#/id: payload violates users.user@1.0.0"
    )


def test_accord_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli import _cmd_registry

    def explode(*_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(_cmd_registry, "_list", explode)
    monkeypatch.setenv("ACCORD_DEBUG", "1")
    assert main(["list", "--registry", str(EXAMPLE)]) == 3
    assert "Traceback" in capsys.readouterr().err


# -- list ----------------------------------------------------------------------------------


def test_list_text(accord: Any) -> None:
    result = accord("list", "--registry", EXAMPLE)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["CONTRACT", "LATEST", "VERSIONS", "OWNER", "KIND", "STATUS"]
    assert [line.split()[0] for line in lines[1:]] == CONTRACT_IDS
    orders = next(line for line in lines if line.startswith("orders.order-placed "))
    assert "1.0.0, 1.1.0, 1.2.0, 2.0.0" in orders
    assert "checkout-team" in orders
    assert "\x1b[" not in result.out  # not a terminal: no colour


def test_list_json(accord: Any) -> None:
    result = accord("list", "--registry", EXAMPLE, "--format", "json")
    assert result.code == 0
    doc = result.json()
    assert doc["format_version"] == 1
    assert [c["id"] for c in doc["contracts"]] == CONTRACT_IDS
    user = next(c for c in doc["contracts"] if c["id"] == "users.user")
    assert user["owner"] == "identity-team"
    assert user["provider"] == "users-service"
    assert user["kind"] == "response"
    assert user["status"] == "stable"
    assert user["latest"] == "1.1.0"
    assert [v["version"] for v in user["versions"]] == ["1.0.0", "1.1.0"]
    assert all(v["published"] and v["yanked"] is None for v in user["versions"])
    assert all(v["digest"].startswith("sha256:") for v in user["versions"])


def test_list_reads_tool_accord_registry_from_pyproject(
    accord: Any, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = registry.parent
    (project / "pyproject.toml").write_text('[tool.accord]\nregistry = "contracts"\n')
    (project / "src").mkdir()
    monkeypatch.chdir(project / "src")
    result = accord("list", "--format", "json")
    assert result.code == 0
    assert Path(result.json()["registry"]).resolve() == registry.resolve()


def test_tool_accord_format_is_the_default_and_the_flag_wins(
    accord: Any, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = registry.parent
    (project / "pyproject.toml").write_text(
        '[tool.accord]\nregistry = "contracts"\nformat = "json"\n'
    )
    monkeypatch.chdir(project)
    assert accord("list").json()["format_version"] == 1
    assert not accord("list", "--format", "text").out.lstrip().startswith("{")
    # a configured format a command does not offer falls back to that command's default
    (project / "pyproject.toml").write_text(
        '[tool.accord]\nregistry = "contracts"\nformat = "sarif"\n'
    )
    assert not accord("list").out.lstrip().startswith("{")


# -- show ----------------------------------------------------------------------------------


def test_show_bundles_external_refs(accord: Any) -> None:
    result = accord("show", "orders.order-placed@1.0.0", "--registry", EXAMPLE)
    assert result.code == 0
    doc = result.json()
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "accord://" not in result.out
    assert result.out.endswith("}\n")


def test_show_resolves_a_range_to_the_highest_match(accord: Any) -> None:
    ranged = accord("show", "orders.order-placed@^1", "--registry", EXAMPLE, "--raw")
    exact = (EXAMPLE / "orders" / "order-placed" / "1.2.0.schema.json").read_text()
    assert ranged.code == 0
    assert ranged.out == exact


def test_show_raw_is_the_file_as_written(accord: Any) -> None:
    result = accord("show", "users.user-registered@1.0.0", "--raw", "--registry", EXAMPLE)
    assert result.code == 0
    assert result.out == (EXAMPLE / "users" / "user-registered" / "1.0.0.schema.json").read_text()
    assert "accord://users.user@1.1.0" in result.out


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        pytest.param("users.nobody", "contract-not-found", id="unknown-contract"),
        pytest.param("users.user@9.0.0", "version-not-found", id="unknown-version"),
        pytest.param("users.user@^3", "version-not-found", id="range-matches-nothing"),
        pytest.param("Users..user", "invalid-reference", id="malformed-ref"),
    ],
)
def test_show_bad_reference_exits_2(accord: Any, ref: str, code: str) -> None:
    result = accord("show", ref, "--registry", EXAMPLE)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"error[{code}]: ")


def test_broken_registry_is_reported_not_raised(accord: Any, registry: Path) -> None:
    toml = registry / "users" / "user" / "contract.toml"
    toml.write_text(toml.read_text() + 'colour = "blue"\n')
    result = accord("list", "--registry", registry)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0].startswith("error[config-unknown-key]: ")
    assert "users/user/contract.toml#/colour: unknown key 'colour'" in lines[0]
    assert all(line.startswith(("error[", "warning[")) for line in lines[:-1])
    assert lines[-1].endswith(f"in registry {registry}")


def test_list_marks_unpublished_versions(accord: Any, registry: Path) -> None:
    source = registry / "users" / "user" / "1.1.0.schema.json"
    (registry / "users" / "user" / "1.2.0.schema.json").write_bytes(source.read_bytes())
    text = accord("list", "--registry", registry)
    assert text.code == 0
    # A file without a lock line in a registry that has a lock is a draft: never latest.
    assert "1.1.0   1.0.0, 1.1.0, 1.2.0 (draft: not in accord.lock)" in text.out
    data = accord("list", "--registry", registry, "--format", "json").json()
    user = next(c for c in data["contracts"] if c["id"] == "users.user")
    assert [v["published"] for v in user["versions"]] == [True, True, False]
    assert [v["draft"] for v in user["versions"]] == [False, False, True]
    assert user["latest"] == "1.1.0"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("no_color", "coloured"),
    [pytest.param(None, True, id="terminal"), pytest.param("1", False, id="NO_COLOR")],
)
def test_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch, no_color: str | None, coloured: bool
) -> None:
    from accord.cli._common import style

    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert (style(_Terminal(), "x", "red") != "x") is coloured
    assert style(io.StringIO(), "x", "red") == "x"


# -- lint ----------------------------------------------------------------------------------


def test_lint_clean_registry(accord: Any) -> None:
    result = accord("lint", "--registry", EXAMPLE)
    assert result.code == 0, result.out
    assert "no problems" in result.out


def test_lint_clean_registry_json(accord: Any) -> None:
    result = accord("lint", "--registry", EXAMPLE, "--format", "json")
    assert result.code == 0
    doc = result.json()
    assert doc["format_version"] == 1
    assert doc["ok"] is True
    assert doc["problems"] == []


def test_lint_reports_every_problem_with_its_location(accord: Any, registry: Path) -> None:
    (registry / "users" / "user" / "1.2.0.schema.json").write_text('{"type": "object",\n  oops}')
    toml = registry / "products" / "product" / "contract.toml"
    toml.write_text(toml.read_text().replace('kind = "response"', 'kind = "banana"'))
    text = accord("lint", "--registry", registry)
    assert text.code == 2
    assert "users/user/1.2.0.schema.json:2:3: json-malformed: " in text.out
    assert "products/product/contract.toml" in text.out
    data = accord("lint", "--registry", registry, "--format", "json")
    assert data.code == 2
    doc = data.json()
    assert doc["ok"] is False
    codes = {(p["file"], p["code"]) for p in doc["problems"]}
    assert ("users/user/1.2.0.schema.json", "json-malformed") in codes
    assert any(file == "products/product/contract.toml" for file, _ in codes)
    for problem in doc["problems"]:
        assert set(problem) == {"code", "severity", "file", "pointer", "line", "column", "message"}


# -- fmt -----------------------------------------------------------------------------------

UGLY = '{\n    "type": "object",\n    "title": "Next",\n    "$schema": "https://json-schema.org/draft/2020-12/schema",\n    "description": "An unpublished draft."\n}'  # noqa: E501


def test_fmt_rewrites_unpublished_files_only(accord: Any, registry: Path) -> None:
    draft = registry / "users" / "user" / "1.2.0.schema.json"
    draft.write_text(UGLY)
    # A published file that is not canonical (its digest is what the lock says).
    published = registry / "common" / "money" / "1.0.0.schema.json"
    published.write_text(json.dumps(json.loads(published.read_text()), indent=4))
    _relock(registry)
    draft_lock_line = f"users.user 1.2.0 sha256:{hashlib.sha256(draft.read_bytes()).hexdigest()}"
    lock = registry / "accord.lock"
    lock.write_text(
        "".join(f"{x}\n" for x in lock.read_text().splitlines() if x != draft_lock_line)
    )
    before = _snapshot(registry)

    result = accord("fmt", "--registry", registry)
    assert result.code == 0
    assert "reformatted" in result.out
    assert "users/user/1.2.0.schema.json" in result.out
    after = _snapshot(registry)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"users/user/1.2.0.schema.json"}
    assert draft.read_text() == json.dumps(json.loads(UGLY), indent=2, sort_keys=True) + "\n"
    assert accord("fmt", "--registry", registry, "--check").code == 0


def test_fmt_check_writes_nothing_and_exits_1(accord: Any, registry: Path) -> None:
    draft = registry / "orders" / "order-placed" / "2.1.0.schema.json"
    draft.write_text(UGLY)
    before = _snapshot(registry)
    result = accord("fmt", "--check", "--registry", registry)
    assert result.code == 1
    assert "would reformat" in result.out
    assert "orders/order-placed/2.1.0.schema.json" in result.out
    assert _snapshot(registry) == before
    assert not list(registry.rglob("*.tmp"))


def test_fmt_on_a_clean_registry_changes_nothing(accord: Any, registry: Path) -> None:
    before = _snapshot(registry)
    assert accord("fmt", "--registry", registry).code == 0
    assert _snapshot(registry) == before


@pytest.mark.parametrize(
    ("published", "summary"),
    [
        pytest.param(
            1, "1 file reformatted, 0 already formatted, 1 published file left untouched", id="one"
        ),
        pytest.param(
            2, "1 file reformatted, 0 already formatted, 2 published files left untouched", id="two"
        ),
    ],
)
def test_fmt_summary_counts_in_singular_and_plural(
    accord: Any, tmp_path: Path, published: int, summary: str
) -> None:
    """The summary read "1 published file left as they are"."""
    from _registry_builders import add_contract, locked_version

    root = tmp_path / "contracts"
    add_contract(root, "orders.placed", {"9.0.0": UGLY})
    for minor in range(published):
        locked_version(root, "orders.placed", f"1.{minor}.0", {"type": "object"})
    result = accord("fmt", "--registry", root)
    assert (result.code, result.out.splitlines()[-1]) == (0, summary)


def test_fmt_bad_file_exits_2_and_writes_nothing(accord: Any, registry: Path) -> None:
    (registry / "orders" / "order-placed" / "2.1.0.schema.json").write_text(UGLY)
    (registry / "users" / "user" / "1.2.0.schema.json").write_text('{"a": 1, "a": 2}')
    before = _snapshot(registry)
    result = accord("fmt", "--registry", registry)
    assert result.code == 2
    assert result.err.startswith("error[json-duplicate-key]: ")
    assert "users/user/1.2.0.schema.json" in result.err
    assert _snapshot(registry) == before


def test_fmt_never_writes_through_a_symlink(accord: Any, registry: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(UGLY)
    (registry / "users" / "user" / "1.2.0.schema.json").symlink_to(outside)
    result = accord("fmt", "--registry", registry)
    assert result.code == 2
    assert result.err.startswith("error[path-symlink]: ")
    assert outside.read_text() == UGLY


# -- validate ------------------------------------------------------------------------------


def test_validate_valid_payload(accord: Any) -> None:
    payload = ORDER_EXAMPLES / "valid" / "one-line.json"
    result = accord("validate", "orders.order-placed@1.0.0", payload, "--registry", EXAMPLE)
    assert result.code == 0
    assert "valid under orders.order-placed@1.0.0" in result.out


def test_validate_invalid_payload_lists_every_error(accord: Any, tmp_path: Path) -> None:
    payload = json.loads((ORDER_EXAMPLES / "valid" / "one-line.json").read_text())
    del payload["customer"]["email"]
    payload["line_items"][0]["quantity"] = 0
    path = tmp_path / "order.json"
    path.write_text(json.dumps(payload))
    result = accord("validate", "orders.order-placed@^1", path, "--registry", EXAMPLE)
    assert result.code == 1
    assert "invalid under orders.order-placed@1.2.0 (2 errors)" in result.out
    assert "$.customer" in result.out
    assert "$.line_items[0].quantity" in result.out


def test_validate_json_output(accord: Any) -> None:
    good = ORDER_EXAMPLES / "valid" / "one-line.json"
    bad = ORDER_EXAMPLES / "invalid" / "negative-quantity.json"
    result = accord(
        "validate",
        "orders.order-placed@1.0.0",
        good,
        bad,
        "--registry",
        EXAMPLE,
        "--format",
        "json",
    )
    assert result.code == 1
    doc = result.json()
    assert doc["format_version"] == 1
    assert doc["contract"] == "orders.order-placed"
    assert doc["version"] == "1.0.0"
    assert doc["valid"] is False
    assert [p["valid"] for p in doc["payloads"]] == [True, False]
    (error,) = doc["payloads"][1]["errors"]
    assert error["instance_path"] == "/line_items/0/quantity"
    assert error["json_path"] == "$.line_items[0].quantity"
    assert error["keyword"] == "minimum"
    assert set(error) == {"instance_path", "json_path", "schema_path", "keyword", "message"}


def test_validate_reads_stdin(accord: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (ORDER_EXAMPLES / "invalid" / "missing-email.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = accord("validate", "orders.order-placed@1.0.0", "-", "--registry", EXAMPLE)
    assert result.code == 1
    assert result.out.startswith("<stdin>: invalid")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param(b'{"id": 1, "id": 2}', "json-duplicate-key", id="duplicate-key"),
        pytest.param(b'{"id": NaN}', "json-nan", id="nan"),
        pytest.param(b'{"id": 1', "json-malformed", id="truncated"),
        pytest.param(b"", "json-empty", id="empty"),
    ],
)
def test_validate_refuses_bad_json_with_exit_2(
    accord: Any, tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "payload.json"
    path.write_bytes(content)
    result = accord("validate", "users.user", path, "--registry", EXAMPLE)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"error[{code}]: {path}")


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("state", ["draft", "yanked"])
def test_validate_warns_of_a_pinned_draft_or_yanked_version(
    accord: Any, registry: Path, tmp_path: Path, state: str, form: str
) -> None:
    """An exact pin selects a draft (no accord.lock line) or a yanked version, "with a
    warning" (docs/registry.md); `accord validate` printed none, so "valid under
    users.user@9.0.0" read as a verdict of the published contract."""
    folder = registry / "users" / "user"
    if state == "draft":
        shutil.copy(folder / "1.0.0.schema.json", folder / "9.0.0.schema.json")
        ref, code = "users.user@9.0.0", "version-unpublished"
    else:
        toml = folder / "contract.toml"
        toml.write_text(toml.read_text() + '\n[yanked]\n"1.0.0" = "leaked the email field"\n')
        ref, code = "users.user@1.0.0", "version-yanked"
    payload = tmp_path / "user.json"
    payload.write_text("{}")
    result = accord("validate", ref, payload, "--registry", registry, "--format", form)
    assert result.code in (0, 1)
    assert result.err.startswith(f"warning[{code}]: ")
    assert ref in result.err
    if state == "yanked":
        assert "leaked the email field" in result.err
    published = accord("validate", "users.user@1.1.0", payload, "--registry", registry)
    assert published.err == ""


def test_validate_missing_payload_file(accord: Any, tmp_path: Path) -> None:
    result = accord("validate", "users.user", tmp_path / "nope.json", "--registry", EXAMPLE)
    assert result.code == 2
    assert result.err.startswith("error[file-not-found]: ")


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["lsit"], "did you mean 'list'?"),
        (["pact", "exprt"], "did you mean 'export'?"),
        (["zzzz"], None),
    ],
    ids=["command", "subcommand", "nothing-close"],
)
def test_a_mistyped_command_names_the_closest(
    accord: Any, argv: list[str], hint: str | None
) -> None:
    result = accord(*argv)
    assert result.code == 2
    assert "invalid choice" in result.err
    if hint is None:
        assert "did you mean" not in result.err
    else:
        assert hint in result.err


def test_publish_says_published_once(accord: Any, registry: Path, tmp_path: Path) -> None:
    schema = tmp_path / "s.json"
    schema.write_text('{"type": "object", "properties": {"id": {"type": "string"}}}')
    result = accord("new", "shop.thing", "--owner", "t", "--kind", "event", "--registry", registry)
    assert result.code == 0, result.err
    result = accord("publish", "shop.thing", "--schema", schema, "--registry", registry)
    assert result.code == 0, result.err
    assert "published: shop.thing 1.0.0" in result.out
    assert "published: published" not in result.out


def test_fmt_of_a_draft_named_too_long_to_rewrite_is_exit_2(accord: Any, tmp_path: Path) -> None:
    """A draft whose name leaves no room for the temp file fmt writes beside it (a
    version of 236 digits): exit 2 naming it, nothing written; before, an internal
    error (exit 3, OSError: File name too long)."""
    from _registry_builders import add_contract

    root = tmp_path / "contracts"
    add_contract(root, "orders.placed", {"9" * 236 + ".0.0": UGLY, "9.0.0": UGLY})
    before = _snapshot(root)
    result = accord("fmt", "--registry", root)
    assert (result.code, result.err.split(":")[0]) == (2, "error[version-too-long]")
    assert _snapshot(root) == before
