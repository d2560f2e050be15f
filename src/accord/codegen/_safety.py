"""The AST allow-list every generated module passes before it is written.

Generated modules are imported by services at boot, so they must be inert: imports
from a short list of modules, class definitions, literal constants, and the calls
model construction needs (``Field(...)``, ``ConfigDict(...)``, ``Model.model_rebuild()``,
``re.compile("literal")``). Annotations count as code: pydantic evaluates them. Anything
else (a function, an attribute lookup, an f-string, a call to anything not listed) is
refused with ``codegen-unsafe-output``, naming the line.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator

from accord.errors import CodegenError

__all__ = ["check_fast_source", "check_source", "check_tree", "parse_source"]

_MODULES = frozenset({"pydantic", "typing", "datetime", "enum", "uuid", "decimal", "re"})
# datamodel-code-generator emits type aliases (a map of constrained strings becomes
# ``X = TypeAliasType("X", Annotated[StrictStr, Field(max_length=64)])``); only these
# names may come from typing_extensions, and the alias call has one checked shape.
_TYPING_EXTENSIONS = frozenset({"TypeAliasType", "Annotated", "Literal"})
_FUTURE = frozenset({"annotations"})
_CALLS = frozenset({"Field", "ConfigDict"})
_GENERIC = frozenset(
    {"Annotated", "Literal", "Optional", "Union", "RootModel", "list", "dict", "set",
     "frozenset", "tuple", "type"}
)  # fmt: skip
_BUILTINS = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "set", "frozenset", "tuple",
     "type", "object", "None"}
)  # fmt: skip
_CONSTANT_TYPES = (str, int, float, bool, type(None))


def _is_none_default(name: str, args: list[ast.expr]) -> bool:
    """``Field(None)``: the generator's annotation for a ``"type": "null"`` property."""
    return (
        name == "Field"
        and len(args) == 1
        and isinstance(args[0], ast.Constant)
        and args[0].value is None
    )


class _Checker:
    def __init__(self, package: str, file: str | None) -> None:
        self.package = package
        self.file = file
        self.names: set[str] = set(_BUILTINS)
        self.known: set[str] = set()  # names read and allowed already (see name())
        self.classes: set[str] = set()

    def fail(self, node: ast.AST | None, why: str) -> CodegenError:
        line = getattr(node, "lineno", None)
        return CodegenError(
            f"generated code failed the safety check: {why}" + (f" (line {line})" if line else ""),
            code="codegen-unsafe-output",
            file=self.file,
            line=line,
        )

    def module_allowed(self, module: str, names: list[ast.alias]) -> bool:
        if module == "typing_extensions":
            return all(alias.name in _TYPING_EXTENSIONS for alias in names)
        top = module.partition(".")[0]
        if top in _MODULES or module == self.package or module.startswith(self.package + "."):
            return True
        # fastjsonschema-generated validators raise its exception classes.
        return module in {"fastjsonschema", "fastjsonschema.exceptions"}

    def check_name(self, name: str, node: ast.AST) -> None:
        if name.startswith("__") or not name.isidentifier():
            raise self.fail(node, f"name {name!r} is not allowed")

    def name(self, name: str, node: ast.AST) -> None:
        """``name`` read as an expression on ``node``'s line: allowed and known.

        A name that passed once is remembered: the test is pure and ``names`` only
        grows, so it would pass again (a module reads a few names thousands of times).
        """
        if name in self.known:
            return
        self.check_name(name, node)
        if name not in self.names:
            raise self.fail(node, f"unknown name {name!r}")
        self.known.add(name)

    def expr(self, node: ast.expr) -> None:
        """Refuse ``node`` unless it is an allowed expression (:meth:`any_expr`).

        The shapes generated annotations and values are made of are accepted here first,
        each only where the case of :meth:`any_expr` it stands for would accept it, with
        the same checks in the same order; every other node (including every refusal)
        takes :meth:`any_expr` itself. That costs a few type tests instead of trying up
        to nine patterns, and no throw-away ``Name`` node per ``Field``/``Annotated``.
        """
        if isinstance(node, ast.Name):
            self.name(node.id, node)
            return
        if isinstance(node, ast.Constant):
            if isinstance(node.value, _CONSTANT_TYPES):
                return
        elif isinstance(node, ast.Subscript):
            value = node.value
            if isinstance(value, ast.Name) and value.id in _GENERIC:
                self.name(value.id, node)
                self.expr(node.slice)
                return
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and not node.args and func.id in _CALLS:
                self.name(func.id, node)
                for kw in node.keywords:
                    if kw.arg is None:
                        raise self.fail(node, "keyword unpacking")
                    self.expr(kw.value)
                return
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            self.expr(node.left)
            self.expr(node.right)
            return
        self.any_expr(node)

    def any_expr(self, node: ast.expr) -> None:
        """The allow-list of expressions (:meth:`expr` is its fast path)."""
        match node:
            case ast.Constant(value=value):
                if not isinstance(value, _CONSTANT_TYPES):
                    raise self.fail(node, f"constant of type {type(value).__name__}")
            case ast.Name(id=name):
                self.check_name(name, node)
                if name not in self.names:
                    raise self.fail(node, f"unknown name {name!r}")
            case ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=int() | float())):
                pass
            case ast.BinOp(op=ast.BitOr(), left=left, right=right):
                self.expr(left)
                self.expr(right)
            case ast.Subscript(value=ast.Name(id=name), slice=inner) if name in _GENERIC:
                self.expr(ast.Name(id=name, ctx=ast.Load(), lineno=node.lineno))
                self.expr(inner)
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                for elt in elts:
                    self.expr(elt)
            case ast.Dict(keys=keys, values=items):
                for key in keys:
                    if key is None:
                        raise self.fail(node, "dict unpacking")
                    self.expr(key)
                for item in items:
                    self.expr(item)
            case ast.Call(func=ast.Name(id=name), args=args, keywords=keywords) if (
                name in _CALLS and (not args or _is_none_default(name, args))
            ):
                self.expr(ast.Name(id=name, ctx=ast.Load(), lineno=node.lineno))
                for kw in keywords:
                    if kw.arg is None:
                        raise self.fail(node, "keyword unpacking")
                    self.expr(kw.value)
            case _:
                raise self.fail(node, f"expression {type(node).__name__} is not allowed")

    def target(self, node: ast.expr) -> str:
        if not isinstance(node, ast.Name):
            raise self.fail(node, "assignment to something other than a name")
        if node.id != "__all__":
            self.check_name(node.id, node)
        return node.id

    def class_body(self, cls: ast.ClassDef) -> None:
        for i, stmt in enumerate(cls.body):
            match stmt:
                case ast.Expr(value=ast.Constant(value=str())) if i == 0:
                    pass
                case ast.Pass():
                    pass
                case ast.AnnAssign(target=target, annotation=annotation, value=value):
                    name = self.target(target)
                    if name.startswith("_"):
                        raise self.fail(stmt, f"private class attribute {name!r}")
                    self.expr(annotation)
                    if value is not None:
                        self.expr(value)
                case ast.Assign(targets=[target], value=value):
                    self.target(target)
                    self.expr(value)
                case _:
                    raise self.fail(stmt, f"statement {type(stmt).__name__} in a class body")

    def statement(self, stmt: ast.stmt, index: int) -> None:
        match stmt:
            case ast.Expr(value=ast.Constant(value=str())) if index == 0:
                pass
            case ast.ImportFrom(module="__future__", names=names, level=0):
                if any(alias.name not in _FUTURE for alias in names):
                    raise self.fail(stmt, "unexpected __future__ import")
            case ast.ImportFrom(module=str() as module, names=names, level=0):
                if not self.module_allowed(module, names):
                    raise self.fail(stmt, f"import from {module!r}")
                for alias in names:
                    if alias.name == "*":
                        raise self.fail(stmt, "star import")
                    local = alias.asname or alias.name
                    if alias.name.startswith("__") or local.startswith("__"):
                        raise self.fail(stmt, f"import of {alias.name!r}")
                    self.names.add(local)
            case ast.Import(names=names):
                for alias in names:
                    if alias.name != "re" or alias.asname is not None:
                        raise self.fail(stmt, f"import {alias.name!r}")
                    self.names.add("re")
            case ast.ClassDef(name=name, bases=bases, keywords=[], decorator_list=[]):
                self.check_name(name, stmt)
                for base in bases:
                    self.expr(base)
                self.names.add(name)
                self.classes.add(name)
                self.class_body(stmt)
            case (
                ast.Assign(targets=[target], value=value)
                | ast.AnnAssign(target=target, value=value)
            ) if value is not None:
                name = self.target(target)
                if isinstance(stmt, ast.AnnAssign):
                    self.expr(stmt.annotation)
                if self.re_compile(value) or self.type_alias(value, name):
                    pass
                else:
                    self.expr(value)
                self.names.add(name)
            case ast.Expr(
                value=ast.Call(
                    func=ast.Attribute(value=ast.Name(id=name), attr="model_rebuild"),
                    args=[],
                    keywords=[],
                )
            ) if name in self.classes:
                pass
            case _:
                raise self.fail(stmt, f"module-level {type(stmt).__name__} is not allowed")

    def type_alias(self, value: ast.expr, name: str) -> bool:
        """``name = TypeAliasType("name", <an allowed type expression>)``."""
        match value:
            case ast.Call(
                func=ast.Name(id="TypeAliasType"),
                args=[ast.Constant(value=str() as alias), aliased],
                keywords=[],
            ) if "TypeAliasType" in self.names and alias == name:
                self.expr(aliased)
                return True
        return False

    def re_compile(self, value: ast.expr) -> bool:
        match value:
            case ast.Call(
                func=ast.Attribute(value=ast.Name(id="re"), attr="compile"),
                args=[ast.Constant(value=str())],
                keywords=[],
            ) if "re" in self.names:
                return True
        return False


def check_source(source: str, *, package: str, file: str | None = None) -> None:
    """Refuse ``source`` unless every statement is on the allow-list.

    Args:
        source: The generated module's text.
        package: The generated package's name (imports from it are allowed).
        file: Name used in errors.

    Raises:
        CodegenError: ``codegen-unsafe-output`` naming the offending line.
    """
    check_tree(parse_source(source, file=file), package=package, file=file)


def parse_source(source: str, *, file: str | None = None) -> ast.Module:
    """``ast.parse(source)``; a syntax error is ``codegen-unsafe-output``."""
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise CodegenError(
            f"generated code does not parse: {exc.msg}",
            code="codegen-unsafe-output",
            file=file,
            line=exc.lineno,
        ) from None


def check_tree(tree: ast.Module, *, package: str, file: str | None = None) -> None:
    """:func:`check_source` on the parsed module (``parse_source`` of the exact text that
    is written: one parse serves every check of it)."""
    checker = _Checker(package, file)
    # Annotations may name classes and type aliases defined further down (they are
    # evaluated later; the generator sorts statements by name, so an alias such as
    # ``TagsAdditionalProperty`` follows a root class ``Account`` that names it). Each
    # alias statement is still checked where it stands.
    checker.names.update(s.name for s in tree.body if isinstance(s, ast.ClassDef))
    checker.names.update(_alias_names(tree))
    for index, stmt in enumerate(tree.body):
        checker.statement(stmt, index)


def _alias_names(tree: ast.Module) -> Iterator[str]:
    """The names module-level ``name = TypeAliasType("name", ...)`` statements bind."""
    for stmt in tree.body:
        match stmt:
            case ast.Assign(
                targets=[ast.Name(id=name)],
                value=ast.Call(
                    func=ast.Name(id="TypeAliasType"), args=[ast.Constant(value=alias), _]
                ),
            ) if alias == name:
                yield name


# --- fastjsonschema validator modules ------------------------------------------------

# What fastjsonschema.compile_to_code emits at module level (inspected, 2.22): a VERSION
# string, ``import re``, ``from decimal import Decimal``, its exception classes,
# ``REGEX_PATTERNS = {"p": re.compile("p"), ...}``, ``NoneType = type(None)`` and the
# ``validate*(data, custom_formats={}, name_prefix=None)`` functions.
_FAST_EXCEPTIONS = frozenset(
    {
        "JsonSchemaException",
        "JsonSchemaValueException",
        "JsonSchemaValuesException",
        "JsonSchemaDefinitionException",
    }
)
_FAST_ARGS = ("data", "custom_formats", "name_prefix")
_FAST_BUILTINS = frozenset(
    {"isinstance", "len", "set", "str", "sorted", "dict", "frozenset", "tuple", "list",
     "hasattr", "enumerate", "type", "int", "float", "bool", "any", "all", "min", "max",
     "range", "None", "True", "False"}
)  # fmt: skip
# Names NUMBERS_WALK reads: generated code may not rebind them at module level.
_WALK_NAMES = frozenset(
    {"id", "repr", "validate", "validate_schema", "validate_json_numbers",
     "validate_json_numbers_named", "UnicodeEncodeError"}
)  # fmt: skip
_FAST_METHODS = frozenset(
    {"remove", "keys", "items", "values", "get", "is_integer", "search", "match", "fullmatch",
     "format", "add", "append"}
)  # fmt: skip
_FAST_NODES: tuple[type[ast.AST], ...] = (
    ast.FunctionDef, ast.arguments, ast.arg, ast.Assign, ast.AugAssign, ast.Expr, ast.If,
    ast.For, ast.Try, ast.ExceptHandler, ast.Raise, ast.Return, ast.Break, ast.Continue,
    ast.Pass, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call,
    ast.keyword, ast.Attribute, ast.Subscript, ast.Slice, ast.Name, ast.Constant, ast.Dict,
    ast.List, ast.Tuple, ast.Set, ast.GeneratorExp, ast.ListComp, ast.SetComp,
    ast.DictComp, ast.comprehension, ast.Load, ast.Store, ast.Del, ast.boolop,
    ast.operator, ast.unaryop, ast.cmpop,
)  # fmt: skip
_FORMATTER = string.Formatter()


# A fast module's entry point (accord.codegen._fast): accord's text, appended verbatim
# (check_fast_source recognises it by equality, so it may use what generated code may
# not: a set, id, a method call).
# One walk visits each container once (a payload built in Python may share or cycle);
# a payload without such a number costs that walk only; with one, a second walk names it.
NUMBERS_WALK = """

def validate(data, custom_formats={}, name_prefix=None):
    \"\"\"data if it is valid, else JsonSchemaValueException. A number no JSON text holds
    (NaN, an infinity) is refused first: fastjsonschema would compare it with bounds; so
    is a string holding an unpaired surrogate (json.loads makes one from a lone surrogate
    escape), which the reference validator cannot read.\"\"\"
    if not validate_json_numbers(data):
        validate_json_numbers_named(data, name_prefix or "data")
    return validate_schema(data, custom_formats, name_prefix)


def validate_json_numbers(data):
    seen = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, (dict, list, tuple)):
            if id(value) not in seen:
                seen.add(id(value))
                if isinstance(value, dict):
                    stack.extend(value.keys())
                    stack.extend(value.values())
                else:
                    stack.extend(value)
        elif isinstance(value, float):
            if value - value != 0:
                return False
        elif isinstance(value, Decimal) and not value.is_finite():
            return False
        elif isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


def validate_json_numbers_named(data, name):
    seen = set()
    stack = [(data, name)]
    while stack:
        value, name = stack.pop()
        if isinstance(value, (dict, list, tuple)):
            if id(value) not in seen:
                seen.add(id(value))
                if isinstance(value, dict):
                    stack.extend((k, name) for k in value.keys())
                    stack.extend((v, name + "." + str(k)) for k, v in value.items())
                else:
                    stack.extend((v, name + "[" + str(i) + "]") for i, v in enumerate(value))
        elif isinstance(value, float) and value - value != 0 or (
            isinstance(value, Decimal) and not value.is_finite()
        ):
            raise JsonSchemaValueException(
                name + " must be a number a JSON text can hold, not " + repr(value)
                + " (no JSON number is NaN or infinite)",
                value=value,
                name=name,
                definition={},
                rule="type",
            )
        elif isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise JsonSchemaValueException(
                    name + " must be text a JSON text can hold, not " + repr(value)
                    + " (it holds an unpaired surrogate)",
                    value=value,
                    name=name,
                    definition={},
                    rule="type",
                ) from None
"""


class _FastChecker:
    def __init__(self, file: str | None) -> None:
        self.file = file
        self.names: set[str] = set(_FAST_BUILTINS)
        self.functions: set[str] = set()

    def fail(self, node: ast.AST | None, why: str) -> CodegenError:
        return _Checker("", self.file).fail(node, why)

    def statement(self, stmt: ast.stmt, index: int) -> None:
        match stmt:
            case ast.Expr(value=ast.Constant(value=str())) if index == 0:
                pass
            case ast.Import(names=[ast.alias(name="re", asname=None)]):
                self.names.add("re")
            case ast.ImportFrom(module="decimal", names=[ast.alias(name="Decimal", asname=None)]):
                self.names.add("Decimal")
            case ast.ImportFrom(
                module="fastjsonschema" | "fastjsonschema.exceptions", names=names, level=0
            ):
                for alias in names:
                    if alias.name not in _FAST_EXCEPTIONS or alias.asname is not None:
                        raise self.fail(stmt, f"import of {alias.name!r} from fastjsonschema")
                    self.names.add(alias.name)
            case ast.Assign(targets=[ast.Name(id=name)], value=ast.Constant(value=str())):
                self.assigned(stmt, name)
            case ast.Assign(targets=[ast.Name(id="REGEX_PATTERNS")], value=ast.Dict() as table):
                if "re" not in self.names:
                    raise self.fail(stmt, "re.compile before import re")
                for key, value in zip(table.keys, table.values, strict=True):
                    match key, value:
                        case ast.Constant(value=str() as pattern), ast.Call(
                            func=ast.Attribute(value=ast.Name(id="re"), attr="compile"),
                            args=[ast.Constant(value=str() as compiled)],
                            keywords=[],
                        ) if pattern == compiled:
                            pass
                        case _:
                            raise self.fail(
                                stmt, "REGEX_PATTERNS entry other than re.compile(literal)"
                            )
                self.assigned(stmt, "REGEX_PATTERNS")
            case ast.Assign(
                targets=[ast.Name(id="NoneType")],
                value=ast.Call(
                    func=ast.Name(id="type"), args=[ast.Constant(value=None)], keywords=[]
                ),
            ):
                self.assigned(stmt, "NoneType")
            case ast.FunctionDef():
                self.function(stmt)
            case _:
                raise self.fail(stmt, f"module-level {type(stmt).__name__} is not allowed")

    def assigned(self, stmt: ast.stmt, name: str) -> None:
        if name.startswith("_") or name in self.names or name in _WALK_NAMES:
            raise self.fail(stmt, f"assignment to {name!r}")
        self.names.add(name)

    def function(self, fn: ast.FunctionDef) -> None:
        args = fn.args
        plain = (
            not fn.decorator_list
            and fn.returns is None
            and not args.posonlyargs
            and not args.kwonlyargs
            and args.vararg is None
            and args.kwarg is None
            and tuple(a.arg for a in args.args) == _FAST_ARGS
            and all(a.annotation is None for a in args.args)
        )
        defaults = [ast.dump(d) for d in args.defaults]
        expected = [ast.dump(ast.Dict(keys=[], values=[])), ast.dump(ast.Constant(value=None))]
        if not plain or defaults != expected:
            raise self.fail(fn, f"function {fn.name!r} is not a fastjsonschema validator")
        if fn.name != "validate" and not fn.name.startswith("validate_"):
            raise self.fail(fn, f"function name {fn.name!r}")

    def bodies(self, tree: ast.Module) -> None:
        known = self.names | self.functions
        for fn in tree.body:
            if isinstance(fn, ast.FunctionDef):
                self.body(fn, known)

    def body(self, fn: ast.FunctionDef, known: set[str]) -> None:
        local: set[str] = set(_FAST_ARGS)
        formatted: set[int] = set()
        for node in ast.walk(fn):
            if not isinstance(node, _FAST_NODES):
                raise self.fail(node, f"{type(node).__name__} in a validator function")
            match node:
                case ast.FunctionDef(name=name) if node is not fn:
                    if node.decorator_list or node.returns is not None or node.args.defaults:
                        raise self.fail(node, f"nested function {name!r}")
                    local.add(name)
                    local.update(a.arg for a in node.args.args)
                case ast.Name(id=name, ctx=ast.Store() | ast.Del()):
                    local.add(name)
                case ast.ExceptHandler(type=caught, name=bound):
                    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
                    if not names or not all(
                        isinstance(n, ast.Name) and n.id in _FAST_EXCEPTIONS & known for n in names
                    ):
                        raise self.fail(node, "except clause other than fastjsonschema's")
                    if bound is not None:
                        local.add(bound)
                case ast.Call(
                    func=ast.Attribute(value=ast.Constant(value=str() as text), attr="format"),
                    args=[],
                    keywords=[
                        ast.keyword(
                            arg=None,
                            value=ast.Call(
                                func=ast.Name(id="locals"), args=[], keywords=[]
                            ) as call,
                        )
                    ],
                ):
                    for _, field, spec, conv in _FORMATTER.parse(text):
                        if field is not None and (
                            not field.isidentifier() or field.startswith("_") or spec or conv
                        ):
                            raise self.fail(node, f"format field {field!r}")
                    formatted.add(id(call.func))
        for node in ast.walk(fn):
            match node:
                case ast.Name(id=name, ctx=ast.Load()):
                    if name.startswith("__"):
                        raise self.fail(node, f"name {name!r} is not allowed")
                    if name == "locals" and id(node) in formatted:
                        continue
                    if name not in known and name not in local:
                        raise self.fail(node, f"unknown name {name!r}")
                case ast.Attribute(attr=attr):
                    if attr.startswith("_"):
                        raise self.fail(node, f"attribute {attr!r}")
                case ast.Call(func=ast.Attribute(attr=attr)) if attr not in _FAST_METHODS:
                    raise self.fail(node, f"call of method {attr!r}")
                case ast.Call(func=ast.Name(id=name)):
                    if name == "hasattr" and not (
                        len(node.args) == 2
                        and isinstance(node.args[1], ast.Constant)
                        and isinstance(node.args[1].value, str)
                        and not node.args[1].value.startswith("_")
                    ):
                        raise self.fail(node, "hasattr with a computed or private name")
                case ast.Call(func=ast.Attribute()):
                    pass
                case ast.Call():
                    raise self.fail(node, "call of a computed callable")
                case ast.keyword(arg=None) if not (
                    isinstance(node.value, ast.Call) and id(node.value.func) in formatted
                ):
                    raise self.fail(node, "keyword unpacking")


def check_fast_source(source: str, *, file: str | None = None) -> None:
    """Refuse a fastjsonschema validator module unless it is what compile_to_code emits.

    Module level: a docstring, string constants, ``import re``, ``from decimal import
    Decimal``, fastjsonschema's exception classes, ``REGEX_PATTERNS`` of
    ``re.compile(literal)``, ``NoneType = type(None)`` and ``validate*`` functions with
    fastjsonschema's signature. Function bodies: control flow, comparisons, literals,
    calls of a short list of builtins, methods and the module's own validators; no
    imports, no dunder names or private attributes, no computed callables, and
    ``str.format(**locals())`` only on literal templates with plain fields.

    Raises:
        CodegenError: ``codegen-unsafe-output`` naming the offending line.
    """
    checker = _FastChecker(file)
    # accord's own entry point, verbatim at the end; the rest is fastjsonschema's output
    source = source.removesuffix(NUMBERS_WALK)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise CodegenError(
            f"generated code does not parse: {exc.msg}",
            code="codegen-unsafe-output",
            file=file,
            line=exc.lineno,
        ) from None
    checker.functions.update(s.name for s in tree.body if isinstance(s, ast.FunctionDef))
    for index, stmt in enumerate(tree.body):
        checker.statement(stmt, index)
    checker.bodies(tree)
