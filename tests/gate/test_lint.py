"""Lint: one case per rule on a tiny registry, overrides, read-only and offline."""

# ruff: noqa: E501  (case tables keep one case per line)
from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_07, add_contract, lock_line, snapshot, write
from accord.core.rules import CATALOGUE
from accord.gate.lint import LintReport, lint
from accord.registry.problems import LINT_RULES, OVERRIDABLE

GOOD: dict[str, Any] = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}},
    "required": ["id"],
}
A = "orders/a"
A1 = f"{A}/1.0.0.schema.json"
A2 = f"{A}/1.1.0.schema.json"


def base(root: Path) -> None:
    add_contract(root, "orders.a", {"1.0.0": GOOD})


def v2(content: Any) -> Callable[[Path], None]:
    """A second version file of orders.a with ``content``."""

    def build(root: Path) -> None:
        data = content if isinstance(content, str | bytes) else json.dumps(content)
        write(root / A2, data)

    return build


def schema_ref(ref: str) -> Callable[[Path], None]:
    return v2({"type": "object", "properties": {"x": {"$ref": ref}}})


def settings(text: str, then: Callable[[Path], None] | None = None) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        write(root / "accord.toml", text)
        if then is not None:
            then(root)

    return build


def symlink_file(root: Path) -> None:
    write(root / "elsewhere.json", "{}")
    (root / A2).symlink_to(root / "elsewhere.json")
    os.remove(root / "elsewhere.json")  # dangling is still a symlink


def symlink_dir(root: Path) -> None:
    outside = root.parent / f"{root.name}-outside"
    add_contract(outside, "x.y", {"1.0.0": GOOD})
    (root / "linked").symlink_to(outside / "x", target_is_directory=True)


def fifo(root: Path) -> None:
    os.mkfifo(root / A / "pipe")


def contract_dir(name: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        directory = root / name
        directory.mkdir(parents=True)
        write(directory / "contract.toml", 'owner = "a"\nkind = "event"\n')
        write(directory / "1.0.0.schema.json", json.dumps(GOOD))

    return build


def both(*builders: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        for builder in builders:
            builder(root)

    return build


def file(rel: str, content: str | bytes = "x") -> Callable[[Path], None]:
    return lambda root: write(root / rel, content) and None


def lock(*lines: str) -> Callable[[Path], None]:
    return lambda root: write(root / "accord.lock", "".join(f"{x}\n" for x in lines)) and None


def locked_then_edited(root: Path) -> None:
    write(root / "accord.lock", lock_line(root, "orders.a", "1.0.0") + "\n")
    write(root / A1, json.dumps({**GOOD, "required": []}))


def example(kind: str, payload: Any, version: str = "1.0.0") -> Callable[[Path], None]:
    return file(f"{A}/examples/{version}/{kind}/e.json", json.dumps(payload))


def toml(text: str) -> Callable[[Path], None]:
    return file(f"{A}/contract.toml", text)


def remove(rel: str) -> Callable[[Path], None]:
    return lambda root: os.remove(root / rel)


def expectation(edit: Callable[[dict[str, Any]], Any]) -> Callable[[Path], None]:
    """consumers/billing/e.json: a minimal valid expectation file changed by ``edit``."""
    field = {"example": "x", "match": "string", "path": "$.id"}
    doc: dict[str, Any] = {
        "consumer": {"name": "billing"},
        "format_version": 1,
        "interactions": [
            {
                "body": {"contract": "orders.a@^1", "example": {"id": "x"}, "fields": [field]},
                "description": "an a",
                "type": "message",
            }
        ],
    }
    edit(doc)
    return file(EXPECTATION, json.dumps(doc))


def _field(doc: dict[str, Any]) -> dict[str, Any]:
    field: dict[str, Any] = doc["interactions"][0]["body"]["fields"][0]
    return field


EXPECTATION = "consumers/billing/e.json"


def v2_named(version: str) -> Callable[[Path], None]:
    """A version file ``version`` of orders.a."""
    return file(f"{A}/{version}.schema.json", json.dumps(GOOD))


def copy(rel: str, to: str) -> Callable[[Path], None]:
    return lambda root: write(root / to, (root / rel).read_bytes()) and None


def not_utf8(directory: str) -> Callable[[Path], None]:
    """A payload under ``directory`` whose name is not UTF-8 (byte 0xff)."""

    def build(root: Path) -> None:
        with open(os.fsencode(root / directory) + b"/\xff.json", "wb") as out:
            out.write(b'{"id": "c"}')

    return build


ZERO = "0" * 64
DEEP = "[" * 70 + "]" * 70
Case = tuple[Callable[[Path], None], list[tuple[str, str | None, str]]]

CASES: dict[str, Case] = {
    # consumer expectations: what check and verify refuse, lint reports
    "consumer-valid": (expectation(lambda doc: None), []),
    "consumer-json-malformed": (file(EXPECTATION, '{"consumer": '), [("json-malformed", EXPECTATION, "")]),
    "expectation-invalid": (expectation(lambda doc: doc.pop("consumer")), [("expectation-invalid", EXPECTATION, "")]),
    "expectation-bad-reference": (expectation(lambda doc: doc["interactions"][0]["body"].update(contract="orders.a@^^1")), [("expectation-bad-reference", EXPECTATION, "/interactions/0/body/contract")]),
    "expectation-bad-regex": (expectation(lambda doc: _field(doc).update(match="regex", regex="(")), [("expectation-bad-regex", EXPECTATION, "/interactions/0/body/fields/0")]),
    "expectation-bad-path": (expectation(lambda doc: _field(doc).update(path="$..[")), [("expectation-bad-path", EXPECTATION, "/interactions/0/body/fields/0/path")]),
    "expectation-conflict": (expectation(lambda doc: doc["interactions"].append(doc["interactions"][0])), [("expectation-conflict", EXPECTATION, "/interactions/1")]),
    # JSON documents
    "json-malformed": (v2('{"type": "object",\n}'), [("json-malformed", A2, "")]),
    "json-empty": (v2(""), [("json-empty", A2, "")]),
    "json-empty-whitespace": (v2(" \n"), [("json-empty", A2, "")]),
    "json-duplicate-key": (v2('{"type": "object", "type": "string"}'), [("json-duplicate-key", A2, "")]),
    "json-nan": (v2('{"type": "number", "const": NaN}'), [("json-nan", A2, "")]),
    "json-infinity": (v2('{"type": "number", "maximum": -Infinity}'), [("json-nan", A2, "")]),
    "json-number-out-of-range": (v2('{"type": "number", "maximum": 1e9999999999999999999}'), [("json-number-out-of-range", A2, "")]),
    "json-invalid-utf8": (v2(b'{"title": "\xff"}'), [("json-invalid-utf8", A2, "")]),
    "json-bom": (v2(b'\xef\xbb\xbf{"type": "object"}'), [("json-bom", A2, "")]),
    "json-lone-surrogate": (v2('{"type": "object", "title": "\\ud800"}'), [("json-lone-surrogate", A2, "")]),
    "json-too-large": (settings("max-file-bytes = 200\n", v2({"type": "object", "description": "x" * 300})), [("json-too-large", A2, "")]),
    "json-too-deep": (settings("max-depth = 20\n", v2({"type": "object", "default": json.loads(DEEP)})), [("json-too-deep", A2, "")]),
    "json-conflict-markers": (v2('<<<<<<< HEAD\n{"type": "object"}\n=======\n{"type": "string"}\n>>>>>>> branch\n'), [("json-conflict-markers", A2, "")]),
    "json-conflict-markers-toml": (toml('<<<<<<< HEAD\nowner = "a"\n=======\nowner = "b"\n>>>>>>> x\nkind = "event"\n'), [("json-conflict-markers", f"{A}/contract.toml", "")]),
    "json-conflict-markers-accord-toml": (settings('<<<<<<< HEAD\nmode = "full"\n=======\nmode = "none"\n>>>>>>> x\n'), [("json-conflict-markers", "accord.toml", "")]),
    # schemas
    "schema-root-not-object": (v2("true"), [("schema-root-not-object", A2, "")]),
    "schema-root-array": (v2("[]"), [("schema-root-not-object", A2, "")]),
    "schema-metaschema": (v2({"type": 5}), [("schema-metaschema", A2, "/type")]),
    "schema-dialect-unsupported": (v2({"$schema": "http://json-schema.org/draft-03/schema#", "type": "object"}), [("schema-dialect-unsupported", A2, "/$schema")]),
    "schema-dialect-upgrade": (v2({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "properties": {"n": {"type": "number", "minimum": 0, "exclusiveMinimum": True}}}), [("schema-dialect-upgrade", A2, "/$schema")]),
    "schema-unknown-keyword": (v2({"type": "object", "properties": {"a": {"minLenght": 1}}}), [("schema-unknown-keyword", A2, "/properties/a/minLenght")]),
    "schema-regex-invalid": (v2({"type": "string", "pattern": "(("}), [("schema-regex-invalid", A2, "/pattern")]),
    "schema-regex-nonportable": (v2({"type": "string", "pattern": "^(?=a)"}), [("schema-regex-nonportable", A2, "/pattern")]),
    "schema-too-complex": (settings("max-items = 3\n", v2({"type": "string", "enum": ["a", "b", "c", "d"]})), [("schema-too-complex", A2, "/enum")]),
    "schema-too-complex-nodes": (settings("max-nodes = 8\n", v2({"$defs": {"x": {"allOf": [{}, {}]}}, "allOf": [{"$ref": "#/$defs/x"}] * 3})), [("schema-too-complex", A2, "")]),
    "format-unknown": (v2({"type": "string", "format": "shoe-size"}), [("format-unknown", A2, "/format")]),
    "schema-ref-cycle": (v2({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}), [("schema-ref-cycle", A2, "/$defs/b/$ref")]),
    "schema-ref-cycle-cross-document": (both(v2({"allOf": [{"$ref": "accord://orders.b@1.0.0"}]}), lambda root: add_contract(root, "orders.b", {"1.0.0": {"$ref": "../a/1.1.0.schema.json"}}) and None), [("schema-ref-cycle", A2, "/allOf/0/$ref")]),
    "schema-defs-conflict": (v2({"$schema": DRAFT_07, "definitions": {"a": {}}, "$defs": {"a": {}}}), [("schema-defs-conflict", A2, "/$defs/a"), ("schema-dialect-upgrade", A2, "/$schema")]),
    "schema-ref-target-ignored": (v2({"$schema": DRAFT_07, "properties": {"a": {"$ref": "#/properties/b/properties/c"}, "b": {"$ref": "#", "properties": {"c": {}}}}}), [("schema-ref-target-ignored", A2, "/properties/a/$ref"), ("schema-ref-siblings-ignored", A2, "/properties/b"), ("schema-dialect-upgrade", A2, "/$schema")]),
    "schema-ref-siblings-ignored": (v2({"$schema": DRAFT_07, "definitions": {"a": {}}, "properties": {"b": {"$ref": "#/definitions/a", "type": "string"}}}), [("schema-ref-siblings-ignored", A2, "/properties/b"), ("schema-dialect-upgrade", A2, "/$schema")]),
    # $ref
    "ref-unresolvable": (schema_ref("#/$defs/nope"), [("ref-unresolvable", A2, "/properties/x/$ref")]),
    "ref-unresolvable-non-registry-file": (both(file(f"{A}/README.md", "# a"), schema_ref("README.md")), [("ref-unresolvable", A2, "/properties/x/$ref")]),
    "ref-remote": (schema_ref("https://example.com/money.json"), [("ref-remote", A2, "/properties/x/$ref")]),
    "ref-remote-file-uri": (schema_ref("file:///etc/passwd"), [("ref-remote", A2, "/properties/x/$ref")]),
    "ref-escapes-root": (schema_ref("../../../outside.schema.json"), [("ref-escapes-root", A2, "/properties/x/$ref")]),
    "ref-range-not-allowed": (schema_ref("accord://orders.a@^1"), [("ref-range-not-allowed", A2, "/properties/x/$ref")]),
    # paths
    "path-symlink": (symlink_file, [("path-symlink", A2, "")]),
    "path-symlink-dir": (symlink_dir, [("path-symlink", "linked", "")]),
    "path-special-file": (fifo, [("path-special-file", f"{A}/pipe", "")]),
    "path-special-file-in-reserved-dir": (lambda root: (root / "consumers").mkdir() or os.mkfifo(root / "consumers" / "p"), [("path-special-file", "consumers/p", "")]),
    # names
    "name-invalid": (contract_dir("orders/Bad_Name"), [("name-invalid", "orders/Bad_Name", "")]),
    "name-invalid-namespace": (contract_dir("Orders2/a"), [("name-invalid", "Orders2", "")]),
    "name-reserved": (contract_dir("orders/con"), [("name-reserved", "orders/con", "")]),
    # (and check reads the file under consumers/ as an expectation)
    "namespace-reserved": (contract_dir("consumers/a"), [("namespace-reserved", "consumers/a", ""), ("expectation-invalid", "consumers/a/1.0.0.schema.json", "")]),
    "name-collision": (both(contract_dir("orders/order-placed"), contract_dir("orders/order_placed")), [("name-collision", "orders/order_placed", ""), ("name-invalid", "orders/order_placed", "")]),
    "version-file-invalid-two-parts": (file(f"{A}/1.0.schema.json", "{}"), [("version-file-invalid", f"{A}/1.0.schema.json", "")]),
    "version-file-invalid-v-prefix": (file(f"{A}/v1.0.0.schema.json", "{}"), [("version-file-invalid", f"{A}/v1.0.0.schema.json", "")]),
    "version-file-invalid-leading-zero": (file(f"{A}/01.0.0.schema.json", "{}"), [("version-file-invalid", f"{A}/01.0.0.schema.json", "")]),
    "version-file-invalid-build-metadata": (file(f"{A}/1.0.0+b.schema.json", "{}"), [("version-file-invalid", f"{A}/1.0.0+b.schema.json", "")]),
    # names a checkout on macOS or Windows cannot keep apart, or git cannot carry
    "file-case-clash-version": (both(v2_named("1.1.0-RC"), v2_named("1.1.0-rc")), [("file-case-clash", f"{A}/1.1.0-rc.schema.json", "")]),
    "file-case-clash-example": (both(example("valid", {"id": "a"}), file(f"{A}/examples/1.0.0/valid/E.json", '{"id": "b"}')), [("file-case-clash", f"{A}/examples/1.0.0/valid/e.json", "")]),
    "file-case-clash-consumers": (both(expectation(lambda doc: None), copy(EXPECTATION, "consumers/billing/E.json")), [("file-case-clash", EXPECTATION, "")]),
    "file-name-not-utf8": (both(example("valid", {"id": "a"}), not_utf8(f"{A}/examples/1.0.0/valid")), [("file-name-not-utf8", f"{A}/examples/1.0.0/valid/\udcff.json", "")]),
    # layout
    "file-unexpected": (file(f"{A}/notes.txt"), [("file-unexpected", f"{A}/notes.txt", "")]),
    "file-unexpected-json-without-schema-suffix": (file(f"{A}/1.2.0.json", "{}"), [("file-unexpected", f"{A}/1.2.0.json", "")]),
    "file-unexpected-root": (file("Makefile"), [("file-unexpected", "Makefile", "")]),
    "file-unexpected-namespace": (file("orders/x.json", "{}"), [("file-unexpected", "orders/x.json", "")]),
    "file-unexpected-subdir": (file(f"{A}/drafts/1.0.0.schema.json", "{}"), [("file-unexpected", f"{A}/drafts", "")]),
    "file-unexpected-examples-version": (example("valid", {"id": "a"}, version="9.9.9"), [("file-unexpected", f"{A}/examples/9.9.9", "")]),
    "file-unexpected-examples-kind": (file(f"{A}/examples/1.0.0/maybe/e.json", "{}"), [("file-unexpected", f"{A}/examples/1.0.0/maybe", "")]),
    "contract-toml-missing": (remove(f"{A}/contract.toml"), [("contract-toml-missing", f"{A}/contract.toml", "")]),
    # config
    "toml-malformed": (toml('owner = "a"\nkind = \n'), [("toml-malformed", f"{A}/contract.toml", "")]),
    "config-unknown-key": (toml('owner = "a"\nkind = "event"\nowners = "b"\n'), [("config-unknown-key", f"{A}/contract.toml", "/owners")]),
    "config-invalid-value": (toml('owner = "a"\nkind = "thing"\n'), [("config-invalid-value", f"{A}/contract.toml", "/kind")]),
    "config-missing-key": (toml('kind = "event"\n'), [("config-missing-key", f"{A}/contract.toml", "/owner")]),
    "config-invalid-value-accord-toml": (settings('mode = "sometimes"\n'), [("config-invalid-value", "accord.toml", "/mode")]),
    "yanked-version-missing": (toml('owner = "a"\nkind = "event"\n[yanked]\n"3.0.0" = "sent a wrong field"\n'), [("yanked-version-missing", f"{A}/contract.toml", "/yanked/3.0.0")]),
    # lock
    "lock-digest-mismatch": (locked_then_edited, [("lock-digest-mismatch", A1, "")]),
    "lock-missing-file": (lock(f"orders.a 1.5.0 sha256:{ZERO}"), [("lock-missing-file", "accord.lock", ""), ("version-unpublished", A1, "")]),
    "version-unpublished": (both(v2(GOOD), lambda r: lock(lock_line(r, "orders.a", "1.0.0"))(r)), [("version-unpublished", A2, "")]),
    "publish-leftover": (both(file(f"{A}/.1.1.0.schema.json.k2j4_x9a.tmp", "{"), file(".accord.lock.abcdefgh.tmp"), file(f"{A}/.notes.x.tmp")), [("publish-leftover", f"{A}/.1.1.0.schema.json.k2j4_x9a.tmp", ""), ("publish-leftover", ".accord.lock.abcdefgh.tmp", "")]),
    "lock-malformed": (lock("orders.a 1.0.0"), [("lock-malformed", "accord.lock", "")]),
    "lock-duplicate": (lambda root: lock(lock_line(root, "orders.a", "1.0.0"), lock_line(root, "orders.a", "1.0.0"))(root), [("lock-duplicate", "accord.lock", "")]),
    "lock-unsorted": (both(v2(GOOD), lambda r: lock(lock_line(r, "orders.a", "1.1.0"), lock_line(r, "orders.a", "1.0.0"))(r)), [("lock-unsorted", "accord.lock", "")]),
    # examples
    "contract-rule-unknown": (toml('owner = "a"\nkind = "event"\n[rules.descripton-changed]\nseverity = "off"\nreason = "docs team"\n'), [("contract-rule-unknown", f"{A}/contract.toml", "/rules/descripton-changed")]),
    "example-invalid": (example("valid", {"qty": 1}), [("example-invalid", f"{A}/examples/1.0.0/valid/e.json", "")]),
    "example-unexpectedly-valid": (example("invalid", {"id": "x", "qty": 2}), [("example-unexpectedly-valid", f"{A}/examples/1.0.0/invalid/e.json", "")]),
    "example-malformed-json": (file(f"{A}/examples/1.0.0/valid/e.json", "{"), [("json-malformed", f"{A}/examples/1.0.0/valid/e.json", "")]),
}  # fmt: skip

# Rules that no tiny registry can trigger portably (they need I/O failures).
UNTESTABLE = {"file-not-found", "file-unreadable"}


@pytest.mark.parametrize(("build", "expected"), list(CASES.values()), ids=list(CASES))
def test_lint_rule(
    tmp_path: Path, build: Callable[[Path], None], expected: list[tuple[str, str | None, str]]
) -> None:
    root = tmp_path / "registry"
    base(root)
    build(root)
    before = snapshot(root)
    report = lint(root)
    assert snapshot(root) == before, "lint changed the registry"
    found = sorted((p.code, p.file, p.pointer) for p in report.problems)
    assert found == sorted(expected), [str(p) for p in report.problems]
    # Each problem carries its rule's default severity (the catalogue record's).
    assert [p.severity for p in report.problems] == [
        CATALOGUE[p.code].severity for p in report.problems
    ]
    warnings = {code for code in LINT_RULES if CATALOGUE[code].severity == "warning"}
    assert report.ok == all(code in warnings for code, _, _ in expected)


def test_base_registry_is_clean(tmp_path: Path) -> None:
    base(tmp_path)
    example("valid", {"id": "a"})(tmp_path)
    example("invalid", {"id": 1})(tmp_path)
    write(tmp_path / A / "README.md", "# a")
    write(tmp_path / A / "model.py", "")
    write(tmp_path / "README.md", "# registry")
    write(tmp_path / ".gitignore", "*.pyc")
    expectation(lambda doc: None)(tmp_path)
    report = lint(tmp_path)
    assert report.problems == ()
    assert report.ok


def test_malformed_json_reports_line_and_column(tmp_path: Path) -> None:
    base(tmp_path)
    v2('{\n  "type": "object",\n}')(tmp_path)
    [problem] = lint(tmp_path).problems
    assert (problem.code, problem.line, problem.column) == ("json-malformed", 3, 1)


def test_toml_malformed_reports_line(tmp_path: Path) -> None:
    base(tmp_path)
    toml('owner = "a"\nkind = \n')(tmp_path)
    [problem] = lint(tmp_path).problems
    assert (problem.code, problem.line) == ("toml-malformed", 2)


def test_lock_problems_carry_the_line(tmp_path: Path) -> None:
    base(tmp_path)
    lock(lock_line(tmp_path, "orders.a", "1.0.0"), "zzz garbage")(tmp_path)
    [problem] = lint(tmp_path).problems
    assert (problem.code, problem.line) == ("lock-malformed", 2)


def test_every_problem_in_one_report(tmp_path: Path) -> None:
    base(tmp_path)
    both(v2("{"), file(f"{A}/notes.txt"), example("valid", {}), contract_dir("orders/Bad"))(
        tmp_path
    )
    report = lint(tmp_path)
    assert report.counts == {
        "example-invalid": 1,
        "file-unexpected": 1,
        "json-malformed": 1,
        "name-invalid": 1,
    }
    assert report.error_count == 4
    assert report.warning_count == 0
    assert not report.ok
    payload = report.to_json()
    assert payload["ok"] is False
    assert len(payload["problems"]) == 4


def test_missing_root_is_a_report_not_a_crash(tmp_path: Path) -> None:
    report = lint(tmp_path / "nope")
    assert [p.code for p in report.problems] == ["registry-not-found"]
    assert isinstance(report, LintReport)


# -- overrides -------------------------------------------------------------------------


def _unknown_keyword_registry(root: Path, accord_toml: str) -> LintReport:
    base(root)
    v2({"type": "object", "x_vendor": 1})(root)
    write(root / "accord.toml", accord_toml)
    return lint(root)


def test_override_off(tmp_path: Path) -> None:
    report = _unknown_keyword_registry(
        tmp_path, '[lint.rules.schema-unknown-keyword]\nseverity = "off"\nreason = "vendor"\n'
    )
    assert report.problems == ()


def test_override_warning(tmp_path: Path) -> None:
    report = _unknown_keyword_registry(
        tmp_path, '[lint.rules.schema-unknown-keyword]\nseverity = "warning"\nreason = "vendor"\n'
    )
    assert [(p.code, p.severity) for p in report.problems] == [
        ("schema-unknown-keyword", "warning")
    ]
    assert report.ok


def test_override_can_raise_a_warning_to_an_error(tmp_path: Path) -> None:
    base(tmp_path)
    v2({"type": "string", "format": "shoe-size"})(tmp_path)
    write(
        tmp_path / "accord.toml",
        '[lint.rules.format-unknown]\nseverity = "error"\nreason = "strict"\n',
    )
    report = lint(tmp_path)
    assert [(p.code, p.severity) for p in report.problems] == [("format-unknown", "error")]
    assert not report.ok


@pytest.mark.parametrize(
    ("accord_toml", "expected"),
    [
        pytest.param('[lint.rules.schema-unknown-keyword]\nseverity = "off"\n', ("config-missing-key", "/lint/rules/schema-unknown-keyword/reason"), id="reason-required"),
        pytest.param('[lint.rules.no-such-rule]\nseverity = "off"\nreason = "a typo under test"\n', ("config-unknown-key", "/lint/rules/no-such-rule"), id="unknown-rule"),
        pytest.param('[lint.rules.ref-remote]\nseverity = "off"\nreason = "refs are vetted upstream"\n', ("config-invalid-value", "/lint/rules/ref-remote"), id="not-overridable"),
    ],
)  # fmt: skip
def test_override_errors(tmp_path: Path, accord_toml: str, expected: tuple[str, str]) -> None:
    base(tmp_path)
    write(tmp_path / "accord.toml", accord_toml)
    report = lint(tmp_path)
    assert [(p.code, p.pointer, p.file) for p in report.problems] == [(*expected, "accord.toml")]


def test_non_overridable_rule_still_reported(tmp_path: Path) -> None:
    base(tmp_path)
    schema_ref("https://example.com/x.json")(tmp_path)
    write(tmp_path / "accord.toml", '[lint.rules.ref-remote]\nseverity = "off"\nreason = "x"\n')
    assert sorted(p.code for p in lint(tmp_path).problems) == ["config-invalid-value", "ref-remote"]


# -- the rule table --------------------------------------------------------------------


def test_every_rule_is_exercised() -> None:
    exercised = {code for _, expected in CASES.values() for code, _, _ in expected}
    assert exercised <= set(LINT_RULES)
    # registry-not-found has its own test (test_missing_root_is_a_report_not_a_crash)
    assert set(LINT_RULES) - exercised - UNTESTABLE == {"registry-not-found"}


def test_rule_table_is_documented() -> None:
    assert list(LINT_RULES) == sorted(LINT_RULES)
    for rule, description in LINT_RULES.items():
        assert rule == rule.lower()
        assert "\n" not in description
        assert description.endswith(".")
    assert set(LINT_RULES) >= OVERRIDABLE


# -- offline ---------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012  (shared with the test through the class)

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b'{"type": "string"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_lint_never_fetches_remote_refs(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, requests = server
    base(tmp_path)
    v2(
        {
            "type": "object",
            "properties": {"x": {"$ref": f"{url}/x.json"}, "y": {"$ref": f"{url}/y.json#/a"}},
        }
    )(tmp_path)
    example("valid", {"id": "a"})(tmp_path)
    report = lint(tmp_path)
    assert sorted((p.code, p.pointer) for p in report.problems) == [
        ("ref-remote", "/properties/x/$ref"),
        ("ref-remote", "/properties/y/$ref"),
    ]
    # the server works (so zero requests means none were made, not that they failed)
    import urllib.request

    assert requests == []
    with urllib.request.urlopen(f"{url}/probe") as response:
        assert response.status == 200
    assert requests == ["/probe"]


def test_rules_table_naming_a_lint_rule_says_where_lint_rules_go(tmp_path: Path) -> None:
    """`[rules.<id>]` in contract.toml takes compatibility rules only; a lint rule id there
    is told apart from a typo (one catalogue knows every family)."""
    base(tmp_path)
    write(
        tmp_path / A / "contract.toml",
        'owner = "a"\nkind = "event"\n[rules.lock-unsorted]\nseverity = "off"\nreason = "lock order is kept by a hook"\n',
    )
    (problem,) = lint(tmp_path).problems
    assert problem.code == "contract-rule-unknown"
    assert "lock-unsorted is a lint rule" in problem.message
    assert "[lint.rules.lock-unsorted] in accord.toml" in problem.message
