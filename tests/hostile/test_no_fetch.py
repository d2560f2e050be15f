"""No accord command fetches a URL or reads a local file a schema names.

A loopback server (127.0.0.1, ephemeral port) counts hits while every CLI command that
reads schemas runs on a registry whose schemas put ``$ref`` to that server and to a
``file://`` secret in every data and annotation position (``default``, ``examples``,
``const``, ``enum``, ``x-*``): zero hits, the secret never appears in any output or
written file. Schema-position remote refs are refused with exit 2, still without a hit.
An AST scan of ``src/`` keeps every validator construction going through
``accord.validation.offline``.
"""

from __future__ import annotations

import ast
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import publish
from accord.cli import main

SRC = Path(__file__).resolve().parents[2] / "src" / "accord"
SECRET = "S3CR3T-d0-not-leak"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _Server:
    def __init__(self) -> None:
        self.hits: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                body = json.dumps({"type": "string", "leak": SECRET}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.timeout = 1
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/x"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[_Server]:
    s = _Server()
    try:
        yield s
    finally:
        s.close()


def _data_refs(http_url: str, secret_url: str) -> dict[str, Any]:
    """A schema with both refs in every data and annotation position."""
    refs = [{"$ref": http_url}, {"$ref": secret_url}]
    return {
        "$schema": DIALECT,
        "type": "object",
        "x-meta": {"$ref": secret_url, "inner": {"$ref": http_url}},
        "default": {"a": "x"},
        "examples": [{"a": "y"}],
        "properties": {
            "a": {"type": "string", "default": refs[1], "examples": refs},
            "b": {"type": "integer", "examples": refs, "x-unit": refs[0]},
            "c": {"const": refs[1]},
            "d": {"enum": [*refs, 1]},
            "e": {"type": "array", "default": refs, "items": {"type": "string"}},
        },
        "required": ["a"],
    }


def _fast_eligible(http_url: str, secret_url: str) -> dict[str, Any]:
    """Refs only in annotations: the fast backend and fast modules still apply."""
    return {
        "$schema": DIALECT,
        "type": "object",
        "properties": {
            "a": {"type": "string", "default": {"$ref": secret_url}},
            "b": {"type": "integer", "examples": [{"$ref": http_url}]},
            "c": {"type": "integer", "x-doc": {"$ref": http_url}, "description": "c"},
        },
    }


def _files_text(root: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("latin-1") for p in sorted(root.rglob("*")) if p.is_file()
    )


def _wheel_text(out: Path) -> str:
    import zipfile

    parts = []
    for wheel in out.glob("*.whl"):
        with zipfile.ZipFile(wheel) as zf:
            parts.extend(zf.read(n).decode("latin-1") for n in zf.namelist())
    return "\n".join(parts)


def test_no_command_fetches_refs_in_data_positions(
    tmp_path: Path, server: _Server, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"type": "string", "leak": SECRET}))
    secret_url = secret.as_uri()
    root = tmp_path / "contracts"
    root.mkdir()
    v1 = _data_refs(server.url, secret_url)
    v11 = json.loads(json.dumps(v1))
    v11["properties"]["f"] = {"type": "string", "examples": [{"$ref": server.url}]}
    publish(root, "orders.thing", {"1.0.0": v1, "1.1.0": v11})
    publish(root, "orders.plain", {"1.0.0": _fast_eligible(server.url, secret_url)})
    new = tmp_path / "new.schema.json"
    v12 = json.loads(json.dumps(v11))
    v12["properties"]["g"] = {"type": "boolean", "default": {"$ref": secret_url}}
    new.write_text(json.dumps(v12))
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({"a": "x", "c": {"$ref": secret_url}, "d": 1}))
    (root / "orders" / "thing" / "1.2.0.schema.json").write_text(json.dumps(v12))
    out = tmp_path / "gen"
    wheels = tmp_path / "wheels"
    r = str(root)
    commands: list[list[str]] = [
        ["lint", "--registry", r],
        ["show", "--registry", r, "orders.thing@1.0.0"],
        ["show", "--raw", "--registry", r, "orders.thing@1.1.0"],
        ["validate", "--registry", r, "orders.thing@1.0.0", str(payload)],
        ["validate", "--backend", "fast", "--registry", r, "orders.plain@1.0.0", str(payload)],
        ["diff", "--registry", r, "orders.thing@1.0.0", "orders.thing@1.1.0"],
        ["diff", str(root / "orders/thing/1.1.0.schema.json"), str(new)],
        ["check", "--registry", r],
        ["changelog", "--registry", r],
        ["fmt", "--check", "--registry", r],
        ["fmt", "--registry", r],
        ["codegen", "--registry", r, "--out", str(out)],
        ["codegen", "--check", "--registry", r, "--out", str(out)],
        ["package", "--registry", r, "--out", str(wheels)],
        ["verify", "--static", "--registry", r],
        ["consumers", "--registry", r, "orders.thing"],
    ]
    outputs = []
    for argv in commands:
        code = main(argv)
        captured = capsys.readouterr()
        outputs.append(captured.out + captured.err)
        assert code in (0, 1), (argv, code, captured.out, captured.err)
    (root / "orders" / "thing" / "1.2.0.schema.json").unlink()
    code = main(
        ["publish", "--registry", r, "--schema", str(new), "--version", "1.2.0", "orders.thing"]
    )
    captured = capsys.readouterr()
    outputs.append(captured.out + captured.err)
    assert code == 0, captured
    assert server.hits == []
    assert SECRET not in "\n".join(outputs)
    assert SECRET not in _files_text(root)
    assert SECRET not in _files_text(out)
    assert SECRET not in _wheel_text(wheels)
    assert (out / "accord_models" / "orders" / "plain" / "v1_0_0_fast.py").is_file()


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_schema_position_remote_refs_are_refused(
    tmp_path: Path, server: _Server, scheme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"type": "string", "leak": SECRET}))
    url = server.url if scheme == "http" else secret.as_uri()
    schema = {
        "$schema": DIALECT,
        "type": "object",
        "properties": {"a": {"$ref": url}, "b": {"items": {"$ref": url}}},
    }
    root = tmp_path / "contracts"
    root.mkdir()
    publish(root, "orders.thing", {"1.0.0": schema})
    bad = tmp_path / "bad.schema.json"
    bad.write_text(json.dumps(schema))
    good = tmp_path / "good.schema.json"
    good.write_text(json.dumps({"$schema": DIALECT, "type": "object"}))
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({"a": "x"}))
    openapi = tmp_path / "openapi.json"
    openapi.write_text(
        json.dumps(
            {
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {"schemas": {"Widget": schema}},
            }
        )
    )
    r = str(root)
    commands: list[list[str]] = [
        ["import-openapi", "--namespace", "api", "--owner", "t", "--registry", r, str(openapi)],
        ["lint", "--registry", r],
        ["show", "--registry", r, "orders.thing@1.0.0"],
        ["validate", "--registry", r, "orders.thing@1.0.0", str(payload)],
        ["diff", str(good), str(bad)],
        ["diff", str(bad), str(good)],
        ["check", "--registry", r],
        ["codegen", "--registry", r, "--out", str(tmp_path / "gen")],
        ["package", "--registry", r, "--out", str(tmp_path / "wheels")],
        ["verify", "--static", "--registry", r],
    ]
    for argv in commands:
        code = main(argv)
        captured = capsys.readouterr()
        assert code == 2, (argv, code, captured.out, captured.err)
        assert SECRET not in captured.out + captured.err
        assert "Traceback" not in captured.err
    assert not (tmp_path / "wheels").exists() or not list((tmp_path / "wheels").iterdir())
    assert not list((tmp_path / "gen").rglob("*.py")) if (tmp_path / "gen").exists() else True
    other = tmp_path / "other"
    other.mkdir()
    code = main(
        ["publish", "--registry", str(other), "--schema", str(bad), "--version", "1.0.0", "x.y"]
    )
    assert code == 2
    assert server.hits == []


def test_fast_modules_never_resolve_data_position_refs(tmp_path: Path, server: _Server) -> None:
    from accord.codegen._fast import render_fast

    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"type": "string", "leak": SECRET}))
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "default": {"$ref": secret.as_uri()}},
            "b": {"type": "integer", "examples": [{"$ref": server.url}]},
            "c": {"type": "integer", "x-doc": {"$ref": server.url}},
        },
    }
    rendered = render_fast(schema, ref="orders.thing@1.0.0", source="x", digest="sha256:0")
    assert rendered.text is not None, rendered.skipped
    assert SECRET not in rendered.text
    assert server.url not in rendered.text
    assert server.hits == []


def test_fast_refuses_every_scheme(tmp_path: Path, server: _Server) -> None:
    from accord.errors import RefError
    from accord.validation.offline import fast_compile, fast_compile_to_code

    for url in (server.url, (tmp_path / "nope.json").as_uri(), "data:application/json,{}"):
        with pytest.raises(RefError):
            fast_compile({"properties": {"a": {"$ref": url}}})
        with pytest.raises(RefError):
            fast_compile_to_code({"properties": {"a": {"$ref": url}}})
    assert server.hits == []


# --- the AST guard: every validator construction goes through accord.validation.offline -------

_OFFLINE_MODULE = SRC / "validation" / "offline.py"
# Names whose call builds a validator or compiles a schema in a third-party library.
_BUILDERS = {
    "Draft202012Validator",
    "Draft201909Validator",
    "Draft7Validator",
    "Draft6Validator",
    "Draft4Validator",
    "Draft3Validator",
    "validator_for",
    "validator_cls_for",
    "compile_to_code",
    "compile",
    "validate",
    "validator_for_message",
    "extend",
    "create",
}
_LIBRARIES = {"jsonschema", "jsonschema_rs", "fastjsonschema"}


def _is_library(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in _LIBRARIES


def _library_aliases(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Local names bound to the validator libraries (or their submodules), and builder
    names imported from them."""
    modules: set[str] = set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_library(alias.name):
                    modules.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and _is_library(node.module):
            for alias in node.names:
                builds = alias.name in _BUILDERS or alias.name.endswith("Validator")
                if builds and alias.name != "extend":
                    names.add(alias.asname or alias.name)
                elif alias.name[:1].islower() and alias.name not in ("exceptions", "extend"):
                    modules.add(alias.asname or alias.name)  # a submodule (validators)
    return modules, names


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _unguarded(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, names = _library_aliases(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _root_name(node) in modules:
            if node.attr in _BUILDERS or node.attr.endswith("Validator"):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
        elif isinstance(node, ast.Name) and node.id in names:
            found.append(f"{path.name}:{node.lineno} {node.id}")
    return found


def test_every_validator_construction_goes_through_offline() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == _OFFLINE_MODULE:
            continue
        offenders.extend(_unguarded(path))
    assert offenders == [], (
        "build validators with accord.validation.offline (rs_validator, py_validator, "
        "fast_compile, "
        f"fast_compile_to_code), never directly: {offenders}"
    )


def test_the_guard_sees_a_direct_construction(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import jsonschema_rs\nimport fastjsonschema as f\n"
        "from jsonschema import Draft7Validator\n"
        "jsonschema_rs.Draft202012Validator({})\nf.compile_to_code({})\nDraft7Validator({})\n"
        "import jsonschema\njsonschema.validators.validator_for({})\n"
        "from jsonschema import validators as v\nv.validator_for({})\n"
        "from jsonschema_rs import validator_for as vf\nvf({})\n"
        "from jsonschema.exceptions import best_match\nbest_match([])\n"
    )
    assert len(_unguarded(sample)) == 6
