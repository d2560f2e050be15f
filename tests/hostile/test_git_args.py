"""Every git argv accord builds keeps user values out of option position.

A static scan of ``src/``: git argv lists are built in exactly two runners, and each call
of a runner passes a value that is not a literal either after ``--`` /
``--end-of-options``, or as one of the names below that only ever hold what git itself
produced (object ids) or a ref built behind a literal ``refs/`` prefix. A new git call
that passes a remote, ref or path any other way fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import accord

SRC = Path(accord.__file__).parent
# The only functions allowed to build ["git", ...]: (module, function).
RUNNERS = {("gate/git.py", "_git"), ("distribution/records.py", "run_bytes")}
# Names that hold object ids git printed, or refs under a literal "refs/" prefix.
GIT_MADE = {"tip", "tree", "commit", "blob", "theirs", "ours", "scratch", "local_ref", "parents"}
ENDS_OPTIONS = {"--", "--end-of-options"}


def _functions(tree: ast.AST) -> dict[ast.AST, str]:
    owner: dict[ast.AST, str] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef):
            for node in ast.walk(fn):
                owner.setdefault(node, fn.name)
    return owner


def _git_argv_builders() -> set[tuple[str, str]]:
    found = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner = _functions(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.List)
                and node.elts
                and isinstance(node.elts[0], ast.Constant)
                and node.elts[0].value == "git"
            ):
                found.add((path.relative_to(SRC).as_posix(), owner.get(node, "<module>")))
    return found


def _is_runner_call(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in {"_git", "run", "run_bytes"} and bool(node.args)


def _safe(arg: ast.expr) -> bool:
    if isinstance(arg, ast.Constant):
        return True
    if isinstance(arg, ast.Starred):
        return _safe(arg.value)
    if isinstance(arg, ast.Name):
        return arg.id in GIT_MADE or arg.id == "_ZERO"
    if isinstance(arg, ast.BoolOp):
        return all(_safe(value) for value in arg.values)
    if isinstance(arg, ast.JoinedStr):
        first = arg.values[0] if arg.values else None
        if isinstance(first, ast.Constant) and str(first.value).startswith(("refs/", "+refs/")):
            return True
        return isinstance(first, ast.FormattedValue) and _safe(first.value)
    return False


def test_only_the_runners_build_git_argv() -> None:
    assert _git_argv_builders() == RUNNERS


def test_user_values_come_after_end_of_options() -> None:
    unguarded = []
    for name in ("gate/git.py", "distribution/records.py"):
        tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
        owner = _functions(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not _is_runner_call(node):
                continue
            if owner.get(node) in {"run", *(fn for _, fn in RUNNERS)}:
                continue  # the runner passing its own *args on
            args = node.args[1:] if name == "gate/git.py" else node.args  # _git(repo, ...)
            guarded = False
            after_m = False
            for arg in args:
                if isinstance(arg, ast.Constant) and arg.value in ENDS_OPTIONS:
                    guarded = True
                if not (guarded or after_m or _safe(arg)):
                    unguarded.append(f"{name}:{node.lineno}: {ast.unparse(arg)}")
                after_m = isinstance(arg, ast.Constant) and arg.value == "-m"
    assert unguarded == []
