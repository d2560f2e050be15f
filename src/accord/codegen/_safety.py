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

from accord.errors import CodegenError

__all__ = ["check_source"]

_MODULES = frozenset({"pydantic", "typing", "datetime", "enum", "uuid", "decimal", "re"})
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


class _Checker:
    def __init__(self, package: str, file: str | None) -> None:
        self.package = package
        self.file = file
        self.names: set[str] = set(_BUILTINS)
        self.classes: set[str] = set()

    def fail(self, node: ast.AST | None, why: str) -> CodegenError:
        line = getattr(node, "lineno", None)
        return CodegenError(
            f"generated code failed the safety check: {why}" + (f" (line {line})" if line else ""),
            code="codegen-unsafe-output",
            file=self.file,
            line=line,
        )

    def module_allowed(self, module: str) -> bool:
        top = module.partition(".")[0]
        if top in _MODULES or module == self.package or module.startswith(self.package + "."):
            return True
        # fastjsonschema-generated validators raise its exception classes.
        return module in {"fastjsonschema", "fastjsonschema.exceptions"}

    def check_name(self, name: str, node: ast.AST) -> None:
        if name.startswith("__") or not name.isidentifier():
            raise self.fail(node, f"name {name!r} is not allowed")

    def expr(self, node: ast.expr) -> None:
        match node:
            case ast.Constant(value=value):
                if not isinstance(value, (str, int, float, bool, type(None))):
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
            case ast.Call(func=ast.Name(id=name), args=[], keywords=keywords) if name in _CALLS:
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
                if not self.module_allowed(module):
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
                if self.re_compile(value):
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
    checker = _Checker(package, file)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise CodegenError(
            f"generated code does not parse: {exc.msg}",
            code="codegen-unsafe-output",
            file=file,
            line=exc.lineno,
        ) from None
    # Annotations may name classes defined further down (they are evaluated later).
    checker.names.update(s.name for s in tree.body if isinstance(s, ast.ClassDef))
    for index, stmt in enumerate(tree.body):
        checker.statement(stmt, index)
