"""Codegen safety: unsafe keys, dangling refs, the AST allow-list, an injection corpus."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.codegen import CodegenError, check_source, render_version
from accord.errors import SchemaError
from accord.validation import reference as _reference

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "contracts"


def _render(schema: dict[str, Any], name: str = "thing") -> str:
    return render_version(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema},
        contract_id=f"ns.{name}",
        name=name,
        version="1.0.0",
        source=f"ns/{name}/1.0.0.schema.json",
        digest="sha256:" + "0" * 64,
        package="accord_models",
    )


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"customTypePath": "os.system"}, "/customTypePath"),
        ({"properties": {"a": {"customBasePath": "os.Foo"}}}, "/properties/a/customBasePath"),
        ({"properties": {"a": {"x-python-type": "os.PathLike"}}}, "/properties/a/x-python-type"),
        ({"$defs": {"d": {"x-python-import": {"module": "os"}}}}, "/$defs/d/x-python-import"),
        ({"not": {"x-enum-varnames": ["a"]}}, "/not/x-enum-varnames"),
        ({"items": {"x-is-base-class": True}}, "/items/x-is-base-class"),
        # pointers are rendered from the walk's path only on error: escaped names,
        # list indices, and subschemas of dropped keywords (walked by scan)
        (
            {"properties": {"a/b~c": {"anyOf": [{}, {"x-pydantic-x": 1}]}}},
            "/properties/a~1b~0c/anyOf/1/x-pydantic-x",
        ),
        (
            {"patternProperties": {"^a/": {"items": {"prefixItems": [{}, {"javaType": "X"}]}}}},
            "/patternProperties/^a~1/items/prefixItems/1/javaType",
        ),
        ({"$defs": {"d": {"not": {"x~y": {}, "x-datamodel/z": 1}}}}, "/$defs/d/not/x-datamodel~1z"),
    ],
    ids=[
        "customTypePath",
        "customBasePath",
        "x-python-type",
        "x-python-import",
        "in-not",
        "x-is",
        "escaped-and-index",
        "dropped-map-and-list",
        "escaped-key",
    ],
)
def test_unsafe_keys_are_refused(schema: dict[str, Any], pointer: str) -> None:
    with pytest.raises(SchemaError) as caught:
        _render(schema)
    assert caught.value.code == "codegen-unsafe-key"
    assert caught.value.pointer == pointer


def test_unsafe_key_as_property_name_is_just_a_field() -> None:
    text = _render({"type": "object", "properties": {"customTypePath": {"type": "string"}}})
    assert "customTypePath__" in text or "customTypePath:" in text


@pytest.mark.parametrize(
    "ref", ["#/$defs/missing", "https://example.com/s.json", "other.json#/x", "#anchor"]
)
def test_dangling_refs_are_refused(ref: str) -> None:
    with pytest.raises(SchemaError) as caught:
        _render({"type": "object", "properties": {"a": {"$ref": ref}}})
    assert caught.value.code == "codegen-dangling-ref"
    assert caught.value.pointer == "/properties/a/$ref"


def test_dangling_ref_pointer_names_escaped_names_and_indices() -> None:
    schema = {"type": "object", "properties": {"a~/b": {"oneOf": [{}, {"$ref": "#/nowhere"}]}}}
    with pytest.raises(SchemaError) as caught:
        _render(schema)
    assert caught.value.pointer == "/properties/a~0~1b/oneOf/1/$ref"


@pytest.mark.parametrize(
    "source",
    [
        "import os\n",
        "from os import system\n",
        "from pydantic import BaseModel\nclass A(BaseModel):\n    def f(self): pass\n",
        "from pydantic import Field\nx = Field(default=__import__('os'))\n",
        "x = eval('1')\n",
        "from pydantic import BaseModel\n@print\nclass A(BaseModel):\n    pass\n",
        "from pydantic import BaseModel\nclass A(BaseModel):\n    a: int = f'{1}'\n",
        "from typing import Literal\nx = Literal.__class__\n",
        "import re\nx = re.compile(p)\n",
        "from pydantic import BaseModel\nclass A(BaseModel):\n    __slots__ = ()\n",
        "if True:\n    pass\n",
        "from typing_extensions import deprecated\n",
        "from typing_extensions import TypeAliasType\nX = TypeAliasType('Y', int)\n",
        "from typing_extensions import TypeAliasType\nX = TypeAliasType('X', int, t=())\n",
        "from typing_extensions import TypeAliasType\nX = TypeAliasType('X', eval('int'))\n",
        "X = TypeAliasType('X', int)\n",
    ],
    ids=[
        "import-os", "from-os", "method", "dunder-call", "eval", "decorator", "fstring",
        "attribute", "re-compile-nonliteral", "dunder-attr", "if",
        "typing-extensions-other-name", "alias-name-mismatch", "alias-keywords",
        "alias-of-a-call", "alias-not-imported",
    ],
)  # fmt: skip
def test_ast_allow_list_refuses(source: str) -> None:
    with pytest.raises(CodegenError) as caught:
        check_source(source, package="accord_models")
    assert caught.value.code == "codegen-unsafe-output"


def test_ast_allow_list_accepts_model_code() -> None:
    check_source(
        '"""doc"""\nfrom __future__ import annotations\nimport re\n'
        "from typing import Annotated, Literal\n"
        "from pydantic import BaseModel, ConfigDict, Field, StrictStr\n"
        "from fastjsonschema.exceptions import JsonSchemaValueException\n"
        "P = re.compile('^a$')\n"
        "class A(BaseModel):\n    model_config = ConfigDict(extra='forbid')\n"
        "    a: Annotated[StrictStr | None, Field(alias='a-b', max_length=-1)] = None\n"
        "    b: Literal['x', 1, None] | B\n"
        "class B(BaseModel):\n    pass\n"
        "A.model_rebuild()\nMODEL = A\n",
        package="accord_models",
    )


@pytest.mark.parametrize("name", ["order-event", "account"])
def test_a_map_of_constrained_strings_generates_a_checked_type_alias(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """datamodel-code-generator emits a TypeAliasType for the map's constrained value
    type; the allow-list admits exactly that shape. The generator sorts the module's
    statements by name, so the alias (``MetadataAdditionalProperty``) comes after a root
    class named ``Account``, whose annotation then names it before its assignment:
    the allow-list refused that (``codegen-unsafe-output``, unknown name), so codegen
    failed for a whole registry holding such a contract (pydantic resolves the name when
    the model is first used, as for a class defined further down)."""
    text = _render(
        {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "metadata": {
                    "type": "object",
                    "additionalProperties": {"type": "string", "maxLength": 64},
                },
            },
            "required": ["id"],
        },
        name=name,
    )
    assert "TypeAliasType(" in text
    module = f"{name.replace('-', '_')}_model"
    (tmp_path / f"{module}.py").write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    model = importlib.import_module(module).MODEL
    assert model.model_validate({"id": "1", "metadata": {"a": "b"}}).metadata == {"a": "b"}
    with pytest.raises(ValueError, match="64"):
        model.model_validate({"id": "1", "metadata": {"a": "b" * 65}})


_NASTY = [
    'quote"',
    "single'quote",
    "new\nline",
    "cr\rreturn",
    "sep\u2028line",
    'tri"""ple',
    "back\\slash",
    "class",
    "import",
    "__class__",
    "__init__",
    "model_config",
    "model_fields",
    "self",
    "root",
    "validate",
    "}{",
    "#comment",
]


def _corpus_schema() -> dict[str, Any]:
    props: dict[str, Any] = {name: {"type": "string"} for name in _NASTY}
    props["with_default"] = {"type": "integer", "default": "__import__('os').system('x')"}
    props["with_pattern"] = {"type": "string", "pattern": '^a"""\\)$'}
    props["enum"] = {"enum": ['"""', "\n", "\\", "__import__('os')", 1, None]}
    props["const"] = {"const": "');import os;('"}
    props["nested"] = {"$ref": "#/$defs/__import__('os')"}
    return {
        "type": "object",
        "title": '"""\nimport os\n"""',
        "description": '"""; import os; """',
        "additionalProperties": False,
        "properties": props,
        "required": ["class", "model_config"],
        "$defs": {
            "__import__('os')": {"type": "object", "properties": {"x\ny": {"type": "integer"}}},
            "a/b~c": {"type": "string"},
        },
    }


def test_injection_corpus_yields_inert_faithful_code(tmp_path: Path) -> None:
    text = _render(_corpus_schema(), name="nasty")
    tree = ast.parse(text)
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported <= {"__future__", "typing", "pydantic"}
    assert not any(isinstance(node, ast.Import) for node in ast.walk(tree))
    module = tmp_path / "nasty.py"
    module.write_text(text)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **_corpus_schema()}
    payloads = [
        {"class": "a", "model_config": "b"},
        {"class": "a", "model_config": "b", **dict.fromkeys(_NASTY, "v")},
        {"class": "a", "model_config": "b", "enum": '"""'},
        {"class": "a", "model_config": "b", "enum": 2},
        {"class": "a", "model_config": "b", "const": "x"},
        {"class": "a", "model_config": "b", "new\nline": 1},
        {"class": "a", "model_config": "b", "nested": {"x\ny": 1}},
        {"class": "a", "model_config": "b", "unknown": 1},
        {"class": 1, "model_config": "b"},
    ]
    verdicts = [_reference.is_valid(schema, p) for p in payloads]
    code = (
        "import json, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import nasty\n"
        "out = []\n"
        "for p in json.loads(sys.argv[2]):\n"
        "    try:\n        nasty.MODEL.model_validate(p); out.append(True)\n"
        "    except Exception:\n        out.append(False)\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code, str(tmp_path), json.dumps(payloads)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == verdicts


_EXPRESSIONS = [
    "int", "StrictStr", "None", "undefined", "__import__", "Literal", "A", "Z",
    "'x'", "1", "-1", "-1.5", "True", "b'x'", "1j", "...", "-'x'", "+1", "~1", "not 1",
    "int | None", "int & str", "int | f()", "list[int]", "dict[str, list[A | None]]",
    "Literal['a', 1, None, -2]", "Annotated[StrictStr, Field(max_length=3)]",
    "Annotated[int, Field(ge=-1, alias='a-b')]", "Unknown[int]", "os[int]", "list[os]",
    "list[int][0]", "x.y[int]", "Literal[f'{1}']", "Field(**k)", "Field(1)",
    "Field(default=__import__('os'))", "Field(default=[1, (2, 3), {'a': -1}])",
    "ConfigDict(extra='forbid')", "print()", "Field", "ConfigDict().x", "f(x)",
    "{'a': 1}", "{**a}", "{'a': os}", "[1, A]", "(1, __x)", "(1, 2)[0]", "lambda: 1",
    "a if b else c", "x.y", "Literal[1] | list[dict[str, Annotated[int, Field(gt=0)]]]",
    "A | B", "A | x.y", "Annotated[int, Field(default=Field(default=os))]",
]  # fmt: skip


def _verdict(check: Any, source: str) -> str:
    try:
        check(ast.parse(source, mode="eval").body)
    except CodegenError as exc:
        return f"{exc.code}: {exc} line={exc.line}"
    return "ok"


@pytest.mark.parametrize("source", _EXPRESSIONS)
def test_expr_fast_path_gives_the_allow_lists_verdict(source: str) -> None:
    # _Checker.expr accepts common shapes without trying any_expr's patterns: on every
    # expression (allowed or not) it must give exactly any_expr's verdict and error.
    from accord.codegen._safety import _Checker

    def checker() -> _Checker:
        made = _Checker("accord_models", "f.py")
        made.names |= {"StrictStr", "Literal", "Annotated", "Field", "ConfigDict", "A", "B"}
        return made

    fast = checker()
    slow = checker()
    slow.expr = slow.any_expr  # type: ignore[method-assign]
    assert _verdict(fast.expr, source) == _verdict(slow.expr, source)
    # twice: names remembered by the first check give the same second verdict
    assert _verdict(fast.expr, source) == _verdict(slow.expr, source)


def test_expr_fast_path_and_the_allow_list_accept_the_golden_modules() -> None:
    from accord.codegen._safety import _Checker, check_tree

    golden = sorted((Path(__file__).parent / "golden").glob("*.py.txt"))
    assert golden
    for module in golden:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        check_tree(tree, package="accord_models")
        slow = _Checker("accord_models", module.name)
        slow.expr = slow.any_expr  # type: ignore[method-assign]
        slow.names.update(s.name for s in tree.body if isinstance(s, ast.ClassDef))
        for index, stmt in enumerate(tree.body):
            slow.statement(stmt, index)
