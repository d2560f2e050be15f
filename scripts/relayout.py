#!/usr/bin/env python3
"""Move accord's flat package root into subpackages that are the layers ("One house").

Run once, from the repository root, on a clean work tree::

    .venv/bin/python scripts/relayout.py            # do it (git mv + rewrites + ruff)
    .venv/bin/python scripts/relayout.py --dry-run  # print the plan, change nothing

What it does, in this order, all computed in memory first (a missing anchor or an
unplaced module stops it before anything is written):

1. ``git mv`` every module in :data:`MOVES` (optional rows are skipped when the file
   does not exist) and every test file in :data:`TEST_MOVES`.
2. Rewrites every reference to a moved module in the tracked text files of src/,
   tests/, scripts/, examples/, docs/, the top-level ``*.md`` and ``pyproject.toml``:
   ``from accord._x import y``, ``from accord import _x``, ``import accord._x``, dotted
   strings (``"accord._x.name"`` in monkeypatch/mock targets), docs text and
   ``src/accord/_x.py`` paths. Public modules that moved (``accord.registry``,
   ``accord.validation``, ``accord.fastapi``) are rewritten in code only: docs keep the
   public path, which stays importable (package re-exports, ``accord/fastapi.py`` shim).
   CHANGELOG.md is history and is left alone.
3. Splits the definitions in :data:`SPLITS` into their own modules (that is how the
   runtime cycles and outward imports are broken; imports of a moved name, and
   ``module.name`` uses of it, follow it) and applies the small code :data:`PATCHES`
   that go with them (required ones stop the run when their anchor is gone; cosmetic
   ones are reported and skipped).
4. Writes the subpackage ``__init__.py`` files (docstring: what the layer owns and what
   it may import; ``accord.registry`` and ``accord.validation`` re-export their public
   names lazily), a "Layer:" paragraph in the existing packages' docstrings, the
   ``accord/fastapi.py`` shim, and ARCHITECTURE.md from
   ``scripts/relayout_ARCHITECTURE.md`` plus the tree's own "Key decisions" onwards.
5. Runs ``ruff check --fix --select I,F401`` and ``ruff format`` on the Python files it
   touched in src/, tests/ and scripts/ (the ruff next to this interpreter, else on
   PATH), wraps docstring, comment and plain-string lines a longer name pushed over
   100 columns, and lists any long code line left for a person.
6. Regenerates the example model packages (folders holding ``_accord_manifest.json``)
   from scratch with this tree's ``accord codegen``: their text names accord modules.

Test files are mirrored to the new layout only where that is a pure move (a test that
imports a helper module from its own folder stays where it is).

It refuses to run twice (``src/accord/core/`` exists) and on a dirty tree (unless
``--allow-dirty``). Nothing is committed: review ``git status`` and commit.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

PKG = Path("src/accord")

# (old path under src/accord, new path under src/accord, optional)
# Optional rows are modules other branches add; skipped when absent.
MOVES: list[tuple[str, str, bool]] = [
    # core: JSON documents and the kernel facts everything shares
    ("_jsondoc.py", "core/jsondoc.py", False),
    ("_pointer.py", "core/pointer.py", False),
    ("_memo.py", "core/memo.py", False),
    ("_text.py", "core/text.py", True),
    # validation: JSON Schema as a language, and checking instances against it
    ("validation.py", "validation/validator.py", False),
    ("_backends.py", "validation/backends.py", False),
    ("_formats.py", "validation/formats.py", False),
    ("_reference.py", "validation/reference.py", False),
    ("_probe.py", "validation/probe.py", False),
    ("_dialect.py", "validation/dialect.py", False),
    ("_offline.py", "validation/offline.py", True),
    ("_budget.py", "validation/budget.py", True),
    # registry: the contracts directory as data
    ("registry.py", "registry/model.py", False),
    ("_names.py", "registry/names.py", False),
    ("_config.py", "registry/config.py", False),
    ("_discovery.py", "registry/discovery.py", False),
    ("_runtime.py", "registry/runtime.py", False),
    # payloads: the one generator
    ("_generate.py", "payloads/generate.py", False),
    ("compat/_examples.py", "payloads/examples.py", False),
    # gate: what CI runs on a registry
    ("_lint.py", "gate/lint.py", False),
    ("_publish.py", "gate/publish.py", False),
    ("_gate.py", "gate/check.py", False),
    ("_changelog.py", "gate/changelog.py", False),
    ("_git.py", "gate/git.py", False),
    ("reporting/_gate.py", "gate/render.py", False),
    # distribution: registries leaving the repository
    ("_package.py", "distribution/wheel.py", False),
    ("_gitrecords.py", "distribution/records.py", False),
    ("_envelope.py", "distribution/envelope.py", False),
    # service: a running service's side
    ("_service.py", "service/startup.py", False),
    ("fastapi.py", "service/fastapi.py", False),
    ("_openapi.py", "service/openapi.py", False),
]

# Files deleted (their package dissolves); old module -> where its names now live.
REMOVED: dict[str, str] = {"reporting/__init__.py": "gate/render.py"}

# Top-level modules that stay where they are (public paths or packaging).
KEEP = {"__init__.py", "__main__.py", "_version.py", "errors.py", "versions.py", "py.typed"}
KEEP_DIRS = {"cli", "codegen", "compat", "consumers", "provider", "testing", "reporting"}

# Public modules whose path users write: rewritten in code, left alone in docs.
PUBLIC = {"accord.registry", "accord.validation", "accord.fastapi"}

# Logger names are configuration users write: never rewritten.
KEEP_STRINGS = ('getLogger("accord.fastapi")',)

# Test files that mirror the new layout (pure moves).
TEST_MOVES: list[tuple[str, str]] = [
    ("tests/test_jsondoc.py", "tests/core/test_jsondoc.py"),
    ("tests/test_jsondoc_fast.py", "tests/core/test_jsondoc_fast.py"),
    ("tests/test_memo.py", "tests/core/test_memo.py"),
    ("tests/test_errors.py", "tests/core/test_errors.py"),
    ("tests/test_versions.py", "tests/core/test_versions.py"),
    ("tests/test_validation.py", "tests/validation/test_validation.py"),
    ("tests/test_backends.py", "tests/validation/test_backends.py"),
    ("tests/test_formats.py", "tests/validation/test_formats.py"),
    ("tests/test_reference_probe.py", "tests/validation/test_reference_probe.py"),
    ("tests/test_differential.py", "tests/validation/test_differential.py"),
    ("tests/test_dialect.py", "tests/validation/test_dialect.py"),
    ("tests/test_registry.py", "tests/registry/test_registry.py"),
    ("tests/test_registry_trust.py", "tests/registry/test_registry_trust.py"),
    ("tests/test_config.py", "tests/registry/test_config.py"),
    ("tests/test_names.py", "tests/registry/test_names.py"),
    ("tests/test_runtime.py", "tests/registry/test_runtime.py"),
    ("tests/test_example_registry.py", "tests/registry/test_example_registry.py"),
    ("tests/distribution/test_discovery.py", "tests/registry/test_discovery.py"),
    ("tests/test_generate.py", "tests/payloads/test_generate.py"),
    ("tests/test_lint.py", "tests/gate/test_lint.py"),
]


@dataclass(frozen=True)
class Split:
    """Top-level definitions of ``source`` (new path) that move into ``target``."""

    source: str
    names: tuple[str, ...]
    target: str
    doc: str


SPLITS: list[Split] = [
    Split(
        "validation/validator.py",
        (
            "_REGRESS_MAX_TEXT",
            "_BACKTRACK_LIMIT",
            "_reference_validator",
            "_pattern_options",
            "_as_reference_reads",
            "_regex",
            "search",
            "_search",
            "needs_linear_engine",
            "linear_search",
            "_reference_matcher",
            "_QUANTIFIERS",
            "backtracks",
            "pattern_search",
        ),
        "validation/patterns.py",
        "ECMA-262 patterns at bounded cost: how the explaining backend reads a pattern the\n"
        "way the installed reference does, whether a pattern can backtrack\n"
        "catastrophically, and matching with the reference's linear (or capped) engine.\n"
        "Shared by the validator, the backend choice (``backends``) and consumer matchers;\n"
        "``backends`` and ``validator`` therefore do not import each other both ways.",
    ),
    Split(
        "gate/lint.py",
        ("_RULES", "LINT_RULES", "OVERRIDABLE", "check_overrides", "apply_overrides"),
        "registry/problems.py",
        "The registry problem catalogue: every lint rule id with its one-line description,\n"
        "which rules ``[lint.rules]`` in ``accord.toml`` may override, and applying those\n"
        "overrides. The loader (:mod:`accord.registry.model`) and ``accord lint``\n"
        "(:mod:`accord.gate.lint`) share this one table, so the loader never imports lint.",
    ),
    Split(
        "provider/_verify.py",
        ("_bodies_of", "provider_of"),
        "provider/_interactions.py",
        "Facts about one interaction of an expectation file: its bodies and the provider it\n"
        "is verified against. Shared by verification (``_verify``) and can-i-deploy\n"
        "(``_deploy``), which therefore do not import each other both ways.",
    ),
    Split(
        "compat/_types.py",
        ("Schema",),
        "core/schema.py",
        "The type of a JSON Schema document (an object or a boolean), shared by the\n"
        "payload generator and the compatibility engine.",
    ),
]


@dataclass(frozen=True)
class Patch:
    """Replace ``old`` (must occur exactly ``count`` times) in ``path`` (new path)."""

    path: str
    old: str
    new: str
    count: int = 1
    why: str = ""
    required: bool = True  # False: cosmetic (a line-length wrap); a miss is reported


PATCHES: list[Patch] = [
    Patch(
        "README.md",
        "`LINT_RULES` in\n[`src/accord/gate/lint.py`](src/accord/gate/lint.py)",
        "`LINT_RULES` in\n[`src/accord/registry/problems.py`](src/accord/registry/problems.py)",
        why="the lint rule table lives in the problem catalogue now",
        required=False,
    ),
    # tests that name source files by path
    Patch(
        "tests/hostile/test_no_fetch.py",
        '_OFFLINE_MODULE = SRC / "_offline.py"',
        '_OFFLINE_MODULE = SRC / "validation" / "offline.py"',
        why="the one module allowed to build validators, by its new path",
        required=False,
    ),
    Patch(
        "tests/hostile/test_git_args.py",
        'RUNNERS = {("_git.py", "_git"), ("_gitrecords.py", "run_bytes")}',
        'RUNNERS = {("gate/git.py", "_git"), ("distribution/records.py", "run_bytes")}',
        why="the git runners, by path under src/accord",
        required=False,
    ),
    Patch(
        "tests/hostile/test_git_args.py",
        'for name in ("_git.py", "_gitrecords.py"):',
        'for name in ("gate/git.py", "distribution/records.py"):',
        why="the git runners, by path under src/accord",
        required=False,
    ),
    Patch(
        "tests/hostile/test_git_args.py",
        'if name == "_git.py" else',
        'if name == "gate/git.py" else',
        why="the git runners, by path under src/accord",
        required=False,
    ),
    Patch(
        "tests/hostile/test_git_args.py",
        "found.add((path.name, ",
        "found.add((path.relative_to(SRC).as_posix(), ",
        why="the git runners, by path under src/accord (two are named git.py-like)",
        required=False,
    ),
    Patch(
        "src/accord/codegen/_fast.py",
        "        \"its verdict is the reference validator's (accord.validation.backends decides"
        ' eligibility).\\n"\n',
        "        \"its verdict is the reference validator's (accord.validation.backends"
        ' decides\\n"\n'
        """        "eligibility).\\n"\n""",
        why="the generated fast module's docstring, wrapped (a longer name)",
        required=False,
    ),
    Patch(
        "tests/service/test_testing_plugin.py",
        """        "heavy = [m for m in ('accord.registry.model', 'accord.compat', """
        """'jsonschema_rs', 'pydantic') "\n""",
        """        "heavy = [m for m in ('accord.registry.model', 'accord.compat', "\n"""
        """        "'jsonschema_rs', 'pydantic') "\n""",
        why="the heavy-module list of the lazy-plugin test, wrapped (a longer name)",
        required=False,
    ),
    Patch(
        "src/accord/registry/model.py",
        "    if lint:\n"
        "        from accord.gate.lint import lint_only_problems\n"
        "\n"
        "        collector.problems.extend(lint_only_problems(registry, scan))\n",
        "    if lint_checks is not None:\n"
        "        collector.problems.extend(lint_checks(registry, scan))\n",
        why="the loader runs lint's extra checks through a hook instead of importing lint",
    ),
    Patch(
        "src/accord/registry/model.py",
        "    trusted: Mapping[tuple[str, Version], str] | None = None,\n"
        ") -> tuple[Registry, list[Problem]]:\n",
        "    trusted: Mapping[tuple[str, Version], str] | None = None,\n"
        "    lint_checks: Callable[[Registry, _Scan], Iterable[Problem]] | None = None,\n"
        ") -> tuple[Registry, list[Problem]]:\n",
        why="_build(lint_checks=...): the hook",
    ),
    Patch(
        "src/accord/registry/model.py",
        "from collections.abc import ",
        "from collections.abc import Callable, ",
        why="Callable for the hook's type",
    ),
    Patch(
        "src/accord/gate/lint.py",
        "_build(Path(root), lint=True)",
        "_build(Path(root), lint=True, lint_checks=lint_only_problems)",
        why="lint passes its checks to the loader",
    ),
    Patch(
        "src/accord/registry/discovery.py",
        "    from accord.registry.model import Registry\n\n    here = Path(cwd)",
        "    here = Path(cwd)",
        why="discovery sits below the model: it no longer imports it at run time",
    ),
    Patch(
        "src/accord/registry/discovery.py",
        "    if isinstance(registry, Registry):\n",
        "    if registry is not None and not isinstance(registry, (str, os.PathLike)):\n",
        why="a Registry argument is recognised as 'not a path' (no import of the model)",
    ),
]


@dataclass(frozen=True)
class Layer:
    package: str  # dotted
    doc: str  # what it owns; may import


LAYERS: list[Layer] = [
    Layer(
        "accord.core",
        "The kernel: strict JSON reading and canonical writing (``jsondoc``), JSON pointers\n"
        "(``pointer``), identity memoisation (``memo``), terminal-safe text (``text``) and\n"
        "the ``Schema`` type (``schema``).\n\n"
        "May import: nothing in accord but :mod:`accord.errors` and :mod:`accord.versions`\n"
        "(which sit beside it at the bottom).",
    ),
    Layer(
        "accord.validation",
        "JSON Schema as a language, and checking instances against it: dialect detection\n"
        "and draft-07 normalisation (``dialect``), format checkers (``formats``), the\n"
        "semantic reference validator on jsonschema-rs (``reference``) and the probe of the\n"
        "installed one (``probe``), bounded pattern matching (``patterns``), schema\n"
        "budgets (``budget``), the third-party validator\n"
        "constructors (``offline``, ``backends``) and the runtime :class:`Validator`\n"
        "(``validator``). Nothing here knows about registries.\n\n"
        "May import: :mod:`accord.core`, :mod:`accord.errors`, :mod:`accord.versions`.",
    ),
    Layer(
        "accord.registry",
        "The contracts directory as data: the immutable :class:`Registry` with loading,\n"
        "``$ref`` resolution, bundling and ``accord.lock`` (``model``), contract names and\n"
        "refs (``names``), ``accord.toml``/``contract.toml`` (``config``), the problem\n"
        "catalogue and its overrides (``problems``), which registry a process uses\n"
        "(``discovery``) and ``accord.validator(ref)``'s caches (``runtime``).\n\n"
        "May import: :mod:`accord.validation`, :mod:`accord.core`, :mod:`accord.errors`,\n"
        ":mod:`accord.versions`.",
    ),
    Layer(
        "accord.payloads",
        "The one deterministic payload generator (valid payloads, and payloads that break\n"
        "exactly one constraint: ``generate``) and the regex sampler and example values\n"
        "(``examples``).\n\n"
        "May import: :mod:`accord.validation`, :mod:`accord.core`, :mod:`accord.errors`.\n"
        "Independent of :mod:`accord.registry`.",
    ),
    Layer(
        "accord.gate",
        "What CI runs on a registry: ``accord lint`` (``lint``), publish/new/yank/retire\n"
        "(``publish``), ``accord check`` (``check``), release notes (``changelog``), git\n"
        "reads (``git``) and the check report's output formats (``render``).\n\n"
        "May import: :mod:`accord.consumers`, :mod:`accord.compat`, :mod:`accord.registry`,\n"
        ":mod:`accord.payloads` and below. Independent of :mod:`accord.provider`.",
    ),
    Layer(
        "accord.distribution",
        "Registries leaving the repository: the registry wheel/sdist (``wheel``),\n"
        "verification and deployment records on a git branch (``records``) and CloudEvents\n"
        "envelopes with upcasters (``envelope``).\n\n"
        "May import: :mod:`accord.codegen`, :mod:`accord.consumers`, :mod:`accord.registry`\n"
        "and below.",
    ),
    Layer(
        "accord.service",
        "A running service's side: startup contract checks (``startup``), the FastAPI/ASGI\n"
        "middleware and body dependency (``fastapi``, public as :mod:`accord.fastapi`) and\n"
        "OpenAPI 3.1 component import (``openapi``).\n\n"
        "May import: :mod:`accord.gate` (publish), :mod:`accord.compat`,\n"
        ":mod:`accord.registry`, :mod:`accord.payloads` and below.",
    ),
]

# A "Layer" paragraph appended to the docstrings of packages that already exist.
LAYER_NOTES: dict[str, str] = {
    "compat": "Layer: may import :mod:`accord.registry`, :mod:`accord.payloads`,\n"
    ":mod:`accord.validation`, :mod:`accord.core` and the kernel modules; nothing above.",
    "consumers": "Layer: may import :mod:`accord.compat`, :mod:`accord.registry` and below;\n"
    "independent of :mod:`accord.codegen`.",
    "codegen": "Layer: may import :mod:`accord.registry`, :mod:`accord.validation` and below;\n"
    "independent of :mod:`accord.consumers`, :mod:`accord.compat` and :mod:`accord.gate`.",
    "provider": "Layer: may import :mod:`accord.consumers`, :mod:`accord.registry` and below;\n"
    "independent of :mod:`accord.gate`.",
    "testing": "Layer: may import :mod:`accord.provider`, :mod:`accord.consumers`,\n"
    ":mod:`accord.compat`, :mod:`accord.registry`, :mod:`accord.payloads` and below.",
    "cli": "Layer: the top; may import every other layer. The only place that prints or\n"
    "returns exit codes.",
}

# Packages whose __init__ re-exports a moved module's ``__all__`` lazily (public paths).
REEXPORT: dict[str, str] = {
    "accord.registry": "accord.registry.model",
    "accord.validation": "accord.validation.validator",
}
SHIMS: dict[str, str] = {"fastapi.py": "accord.service.fastapi"}

TEXT_SUFFIXES = {".py", ".pyi", ".md", ".toml", ".cfg", ".ini", ".txt", ".rst", ".yml", ".yaml"}
TEXT_ROOTS = ("src/", "tests/", "scripts/", "examples/", "docs/")
SKIP_PARTS = ("tests/data/", "/golden/")
SKIP_FILES = {"CHANGELOG.md", "scripts/relayout.py", "scripts/relayout_ARCHITECTURE.md"}
ARCHITECTURE_TEMPLATE = Path("scripts/relayout_ARCHITECTURE.md")
MANIFEST = "/_accord_manifest.json"
KEEP_FROM = "## Key decisions"
MAX_LINE = 100


# -- the plan ------------------------------------------------------------------------


def dotted(path: str) -> str:
    """``registry/model.py`` -> ``accord.registry.model`` (paths under src/accord)."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["accord", *parts])


@dataclass
class Plan:
    moves: list[tuple[str, str]] = field(default_factory=list)  # repo paths
    modmap: dict[str, str] = field(default_factory=dict)  # old dotted -> new dotted
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (old mod, name) -> new
    new_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (new mod, name) -> new
    paths: dict[str, str] = field(default_factory=dict)  # "accord/_x.py" -> "accord/y/x.py"
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def make_plan(root: Path) -> Plan:
    plan = Plan()
    pkg = root / PKG
    if (pkg / "core").exists():
        sys.exit("relayout: src/accord/core/ exists: the layout was already moved (run once)")
    placed = set(KEEP)
    for old, new, optional in MOVES:
        placed.add(old.split("/")[0] if "/" not in old else old)
        if not (pkg / old).is_file():
            if optional:
                plan.skipped.append(f"src/accord/{old} (optional row, not in this tree)")
                continue
            sys.exit(f"relayout: src/accord/{old} is missing (the table expects it)")
        if (pkg / new).exists():
            sys.exit(f"relayout: src/accord/{new} already exists")
        plan.moves.append((f"{PKG}/{old}", f"{PKG}/{new}"))
        plan.modmap[dotted(old)] = dotted(new)
        plan.paths[f"accord/{old}"] = f"accord/{new}"
    for old, new in REMOVED.items():
        plan.removed.append(f"{PKG}/{old}")
        plan.modmap[dotted(old)] = dotted(new)
    unplaced = sorted(
        p.name
        for p in pkg.iterdir()
        if (p.is_file() and p.name not in placed and p.suffix == ".py")
        or (p.is_dir() and p.name not in KEEP_DIRS and p.name != "__pycache__")
    )
    if unplaced:
        sys.exit(
            "relayout: no place in MOVES for "
            + ", ".join(f"src/accord/{n}" for n in unplaced)
            + ": add a row to MOVES (and to a layer) and run again"
        )
    for old, new in TEST_MOVES:
        if (root / old).is_file():
            if (root / new).exists():
                sys.exit(f"relayout: {new} already exists")
            helper = _local_helper(root / old)
            if helper is not None:
                plan.skipped.append(f"{old} (imports {helper} from its own folder)")
                continue
            plan.moves.append((old, new))
            plan.paths[old] = new
    for split in SPLITS:
        source_old = next(
            (dotted(o) for o, n, _ in MOVES if n == split.source), dotted(split.source)
        )
        for name in split.names:
            plan.names[(source_old, name)] = dotted(split.target)
            plan.new_names[(dotted(split.source), name)] = dotted(split.target)
    return plan


def _local_helper(test: Path) -> str | None:
    """A helper module the test imports from its folder (tests/ itself is on sys.path
    everywhere through its conftest.py; a subfolder is not)."""
    if test.parent.name == "tests":
        return None
    for name in re.findall(r"^\s*(?:from|import) (_\w+)", test.read_text(), re.MULTILINE):
        if (test.parent / f"{name}.py").is_file():
            return f"{name}.py"
    return None


# -- rewriting -----------------------------------------------------------------------

_DOTTED = re.compile(r"(?<![\w.])accord(?:\.\w+)+")
_PATH = re.compile(r"(?<![\w.])(?:accord|tests)/[\w/]+\.py\b")


def rewrite_dotted(text: str, plan: Plan, *, code: bool) -> str:
    modmap = plan.modmap if code else {k: v for k, v in plan.modmap.items() if k not in PUBLIC}

    def sub(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 12) : match.start() + len(match.group(0)) + 2]
        if any(keep in before for keep in KEEP_STRINGS):
            return match.group(0)
        parts = match.group(0).split(".")
        for i in range(len(parts), 1, -1):
            prefix = ".".join(parts[:i])
            rest = parts[i:]
            if rest and (prefix, rest[0]) in plan.names and code:
                return ".".join([plan.names[(prefix, rest[0])], *rest])
            if prefix in modmap:
                return ".".join([modmap[prefix], *rest])
        return match.group(0)

    text = _DOTTED.sub(sub, text)
    return _PATH.sub(lambda m: plan.paths.get(m.group(0), m.group(0)), text)


def _alias(name: str, asname: str | None) -> str:
    return f"{name} as {asname}" if asname and asname != name else name


def rewrite_import_froms(text: str, plan: Plan) -> str:
    """``from accord import _x`` and imports of split names: statement by statement."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module):
            continue
        if not node.module.startswith("accord"):
            continue
        special = any(
            f"{node.module}.{a.name}" in plan.modmap or (node.module, a.name) in plan.new_names
            for a in node.names
        )
        if not special:
            continue
        groups: dict[str, list[str]] = {}
        for a in node.names:
            sub = f"{node.module}.{a.name}"
            if sub in plan.modmap:
                parent, _, leaf = plan.modmap[sub].rpartition(".")
                groups.setdefault(parent, []).append(_alias(leaf, a.asname or a.name))
            elif (node.module, a.name) in plan.new_names:
                groups.setdefault(plan.new_names[(node.module, a.name)], []).append(
                    _alias(a.name, a.asname)
                )
            else:
                groups.setdefault(node.module, []).append(_alias(a.name, a.asname))
        indent = " " * node.col_offset
        new = f"\n{indent}".join(f"from {m} import {', '.join(ns)}" for m, ns in groups.items())
        assert node.end_lineno is not None
        assert node.end_col_offset is not None
        start = offsets[node.lineno - 1] + node.col_offset
        end = offsets[node.end_lineno - 1] + node.end_col_offset
        edits.append((start, end, new))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    # the same statements inside strings (``python -c`` snippets, doctests): one line each,
    # joined with "; " so the result is valid wherever the string is used
    return _FROM_IN_TEXT.sub(lambda m: _rewrite_from_text(m, plan), text)


_FROM_IN_TEXT = re.compile(
    r"\bfrom (accord(?:\.\w+)*) import (\w+(?: as \w+)?(?:, \w+(?: as \w+)?)*)"
)


def _rewrite_from_text(match: re.Match[str], plan: Plan) -> str:
    module = match.group(1)
    groups: dict[str, list[str]] = {}
    changed = False
    for item in match.group(2).split(", "):
        name, _, asname = item.partition(" as ")
        sub = f"{module}.{name}"
        if sub in plan.modmap:
            parent, _, leaf = plan.modmap[sub].rpartition(".")
            groups.setdefault(parent, []).append(_alias(leaf, asname or name))
            changed = True
        elif (module, name) in plan.new_names:
            groups.setdefault(plan.new_names[(module, name)], []).append(_alias(name, asname))
            changed = True
        else:
            groups.setdefault(module, []).append(_alias(name, asname))
    if not changed:
        return match.group(0)
    return "; ".join(f"from {m} import {', '.join(ns)}" for m, ns in groups.items())


def rewrite_text(path: str, text: str, plan: Plan) -> str:
    if path.endswith((".py", ".pyi")):
        # dotted names first (old -> new modules), then the statements that change shape
        # (``from accord import _x``, split names), which read the new module names
        return rewrite_import_froms(rewrite_dotted(text, plan, code=True), plan)
    return rewrite_dotted(text, plan, code=False)


# -- splits, patches, new files -------------------------------------------------------


def _top_imports(tree: ast.Module, text: str, used: set[str]) -> list[str]:
    """The module's top-level imports that bind a name in ``used`` (and ``__future__``),
    ``if TYPE_CHECKING:`` blocks filtered the same way."""

    def binds(node: ast.Import | ast.ImportFrom) -> list[ast.alias]:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            return list(node.names)
        return [a for a in node.names if (a.asname or a.name).split(".")[0] in used]

    def render(node: ast.Import | ast.ImportFrom, aliases: list[ast.alias], pad: str) -> str:
        names = ", ".join(_alias(a.name, a.asname) for a in aliases)
        if isinstance(node, ast.Import):
            return f"{pad}import {names}"
        return f"{pad}from {'.' * node.level}{node.module or ''} import {names}"

    out = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            aliases = binds(node)
            if aliases:
                out.append(render(node, aliases, ""))
        elif (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        ):
            inner = [
                render(n, binds(n), "    ")
                for n in node.body
                if isinstance(n, ast.Import | ast.ImportFrom) and binds(n)
            ]
            if inner:
                out.append("if TYPE_CHECKING:\n" + "\n".join(inner))
    if any(line.startswith("if TYPE_CHECKING:") for line in out) and "TYPE_CHECKING" not in used:
        out.insert(1, "from typing import TYPE_CHECKING")
    return out


def _span(node: ast.stmt, offsets: list[int], lines: list[str]) -> tuple[int, int]:
    """A top-level statement's span: its decorators and the comment lines right above."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    while first > 1 and lines[first - 2].startswith("#"):
        first -= 1
    assert node.end_lineno is not None
    return offsets[first - 1], offsets[node.end_lineno]


def apply_split(files: dict[str, str], split: Split) -> None:
    source = f"{PKG}/{split.source}"
    target = f"{PKG}/{split.target}"
    text = files[source]
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    wanted = set(split.names)
    moved: list[tuple[int, int]] = []
    last_import_end = 0
    for i, node in enumerate(tree.body):
        if isinstance(node, ast.Import | ast.ImportFrom):
            last_import_end = _span(node, offsets, lines)[1]
        name = None
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            name = node.name
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target_node = node.targets[0]
            name = target_node.id if isinstance(target_node, ast.Name) else None
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
        if name in wanted:
            start, end = _span(node, offsets, lines)
            # an attribute docstring right after an assignment travels with it
            nxt = tree.body[i + 1] if i + 1 < len(tree.body) else None
            if (
                isinstance(node, ast.Assign | ast.AnnAssign)
                and isinstance(nxt, ast.Expr)
                and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)
            ):
                end = _span(nxt, offsets, lines)[1]
            moved.append((start, end))
            wanted.discard(name)
    if not moved:
        sys.exit(f"relayout: {source} has none of {', '.join(split.names)} to move")
    if wanted:
        print(f"relayout: note: {source} has no top-level {', '.join(sorted(wanted))} (not moved)")
    bodies = "\n\n".join(text[s:e].strip("\n") for s, e in moved)
    names_used = {
        n.id if isinstance(n, ast.Name) else n.name
        for n in ast.walk(ast.parse(bodies))
        if isinstance(n, ast.Name | ast.alias)
    }
    imports = "\n".join(_top_imports(tree, text, names_used))
    doc = split.doc.replace('"""', '\\"\\"\\"')
    files[target] = f'"""{doc}\n"""\n\n{imports}\n\n\n{bodies}\n'
    assert all(start >= last_import_end for start, _ in moved), source
    for start, end in sorted(moved, reverse=True):
        text = text[:start] + text[end:]
    rest = ast.parse(text)
    used = {n.id for n in ast.walk(rest) if isinstance(n, ast.Name)}
    used |= {
        e.value
        for n in ast.walk(rest)
        if isinstance(n, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == "__all__"
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        )
        for e in ast.walk(n)
        if isinstance(e, ast.Constant) and isinstance(e.value, str)
    }
    keep = [n for n in split.names if n in used and n not in wanted]
    reimport = f"from {dotted(split.target)} import {', '.join(keep)}\n" if keep else ""
    # the re-import goes after the last top-level import (moved spans all follow it)
    text = text[:last_import_end] + reimport + text[last_import_end:]
    files[source] = text


def redirect_module_attrs(path: str, text: str, split: Split) -> str:
    """``mod.name`` where ``mod`` is the split module bound as a name and ``name`` moved:
    ``target.name``, with ``from <package> import <target>`` next to the binding."""
    source, target = dotted(split.source), dotted(split.target)
    if source.rpartition(".")[2] not in text:
        return text
    tree = ast.parse(text, filename=path)
    aliases: dict[str, ast.stmt] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                if f"{node.module}.{a.name}" == source:
                    aliases[a.asname or a.name] = node
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == source and a.asname:
                    aliases[a.asname] = node
    if not aliases:
        return text
    parent, _, leaf = target.rpartition(".")
    local = (
        leaf
        if leaf not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        else f"_{leaf}"
    )
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    bindings: set[ast.stmt] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr in split.names
        ):
            value = node.value
            assert value.end_col_offset is not None
            start = offsets[value.lineno - 1] + value.col_offset
            edits.append((start, offsets[value.lineno - 1] + value.end_col_offset, local))
            bindings.add(aliases[value.id])
    for binding in bindings:
        assert binding.end_lineno is not None
        pad = " " * binding.col_offset
        line = f"{pad}from {parent} import {_alias(leaf, local)}\n"
        edits.append((offsets[binding.end_lineno], offsets[binding.end_lineno], line))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def apply_patch(files: dict[str, str], patch: Patch) -> None:
    text = files.get(patch.path)
    if text is None and not patch.required:
        print(f"relayout: note: {patch.path} does not exist; patch skipped ({patch.why})")
        return
    if text is None:
        sys.exit(f"relayout: patch target {patch.path} does not exist")
    found = text.count(patch.old)
    if found != patch.count and not patch.required:
        print(f"relayout: note: {patch.path}: cosmetic patch not applied ({patch.why})")
        return
    if found != patch.count:
        sys.exit(
            f"relayout: {patch.path}: expected {patch.count} x {patch.old!r}, found {found}"
            f" ({patch.why}); adjust PATCHES"
        )
    files[patch.path] = text.replace(patch.old, patch.new)


def layer_init(layer: Layer) -> str:
    return f'"""{layer.doc}\n"""\n'


def reexport_init(package: str, module: str, doc: str, source: str) -> str:
    tree = ast.parse(source)
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                assert node.value is not None
                names = list(ast.literal_eval(node.value))
    if not names:
        sys.exit(f"relayout: {module} has no __all__ to re-export")
    leaf = module.rpartition(".")[2]
    imports = "\n".join(f"    from {module} import {n} as {n}" for n in names)
    listed = "\n".join(f'    "{n}",' for n in sorted(names))
    return (
        f'"""{doc}\n\n'
        f"The public names of ``{leaf}`` are importable from here (``from {package} import\n"
        f"{names[0]}``), resolved on first use so importing one submodule stays cheap.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING, Any\n\n"
        f"if TYPE_CHECKING:\n{imports}\n\n"
        f"__all__ = [\n{listed}\n]\n\n\n"
        "def __getattr__(name: str) -> Any:\n"
        "    if name in __all__:\n"
        "        import importlib\n\n"
        f'        return getattr(importlib.import_module("{module}"), name)\n'
        '    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")\n'
    )


def shim(public: str, module: str, source: str) -> str:
    tree = ast.parse(source)
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            names = list(ast.literal_eval(node.value))
    body = "\n".join(f"    {n}," for n in names)
    return (
        f'"""The public path of :mod:`{module}` (``{public}``): a re-export."""\n\n'
        f"from {module} import (\n{body}\n)\n\n"
        f"__all__ = {sorted(names)!r}\n"
    )


def add_layer_note(text: str, note: str) -> str:
    tree = ast.parse(text)
    first = tree.body[0] if tree.body else None
    if not (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return f'"""{note}\n"""\n\n{text}'
    assert first.end_lineno is not None
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    end = offsets[first.end_lineno - 1] + (first.end_col_offset or 0)
    close = end - 3
    body = text[:close].rstrip("\n")
    return body + "\n\n" + note + "\n" + text[close:]


# -- main ----------------------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def generated_dirs(root: Path) -> list[str]:
    """Directories ``accord codegen`` wrote (they hold its manifest): regenerated, not edited."""
    return sorted(
        str(Path(p).parent) for p in git(root, "ls-files").splitlines() if p.endswith(MANIFEST)
    )


def tracked_text_files(root: Path) -> list[str]:
    out = []
    generated = tuple(f"{d}/" for d in generated_dirs(root))
    for path in git(root, "ls-files").splitlines():
        if path in SKIP_FILES or path.startswith(generated):
            continue
        # vendored data and goldens are left alone, but notes written there (*.md) follow
        if any(part in path for part in SKIP_PARTS) and not path.endswith(".md"):
            continue
        p = Path(path)
        top_level_doc = "/" not in path and p.suffix in {".md", ".toml"}
        if (path.startswith(TEXT_ROOTS) and p.suffix in TEXT_SUFFIXES) or top_level_doc:
            out.append(path)
    return out


def deeper_test_paths(text: str) -> str:
    """A test file moved one directory down: its ``__file__`` arithmetic follows (paths
    to its own folder, ``Path(__file__).parent`` alone, stay)."""
    text = re.sub(
        r"(Path\(__file__\)(?:\.resolve\(\))?\.parents\[)(\d+)\]",
        lambda m: f"{m.group(1)}{int(m.group(2)) + 1}]",
        text,
    )
    return (
        text.replace(
            "Path(__file__).resolve().parent.parent", "Path(__file__).resolve().parents[2]"
        )
        .replace("Path(__file__).resolve().parent /", "Path(__file__).resolve().parents[1] /")
        .replace("Path(__file__).parent /", "Path(__file__).parents[1] /")
    )


def find_ruff() -> list[str] | None:
    here = Path(sys.executable).parent / "ruff"
    if here.is_file():
        return [str(here)]
    found = shutil.which("ruff")
    return [found] if found else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the plan only")
    parser.add_argument("--allow-dirty", action="store_true", help="run on a dirty tree")
    parser.add_argument("--no-ruff", action="store_true", help="skip ruff --fix and format")
    args = parser.parse_args(argv)
    root = Path(git(Path.cwd(), "rev-parse", "--show-toplevel").strip())
    if not args.allow_dirty and git(root, "status", "--porcelain", "--untracked-files=no"):
        sys.exit("relayout: the work tree has changes; commit or stash them (or --allow-dirty)")
    plan = make_plan(root)

    # 1. everything in memory, keyed by the new path
    renames = dict(plan.moves)
    files: dict[str, str] = {}
    original: dict[str, str] = {}
    for path in tracked_text_files(root):
        if f"{path}" in plan.removed:
            continue
        text = (root / path).read_text(encoding="utf-8")
        new_path = renames.get(path, path)
        original[new_path] = text
        new = rewrite_text(path, text, plan)
        if path.startswith("tests/") and new_path.count("/") > path.count("/"):
            new = deeper_test_paths(new)
        files[new_path] = new
    for split in SPLITS:
        apply_split(files, split)
        for path, text in files.items():
            if path.endswith(".py") and path != f"{PKG}/{split.source}":
                files[path] = redirect_module_attrs(path, text, split)
    for patch in PATCHES:
        apply_patch(files, patch)
    created: list[str] = []
    for layer in LAYERS:
        init = f"{PKG}/{layer.package.split('.', 1)[1].replace('.', '/')}/__init__.py"
        if layer.package in REEXPORT:
            module = REEXPORT[layer.package]
            source = files[f"{PKG}/{module.split('.', 1)[1].replace('.', '/')}.py"]
            files[init] = reexport_init(layer.package, module, layer.doc, source)
        else:
            files[init] = layer_init(layer)
        created.append(init)
    for init_name, note in LAYER_NOTES.items():
        path = f"{PKG}/{init_name}/__init__.py"
        files[path] = add_layer_note(files[path], note)
    for shim_name, module in SHIMS.items():
        path = f"{PKG}/{shim_name}"
        source = files[f"{PKG}/{module.split('.', 1)[1].replace('.', '/')}.py"]
        files[path] = shim(dotted(shim_name), module, source)
        created.append(path)
    created.extend(f"{PKG}/{split.target}" for split in SPLITS)
    template = root / ARCHITECTURE_TEMPLATE
    if template.is_file():
        # the new map and module table, then this tree's own sections from "Key decisions"
        # on (rewritten like every other document), so later edits there are kept
        current = files.get("ARCHITECTURE.md", "")
        keep = current[current.find(KEEP_FROM) :] if KEEP_FROM in current else ""
        files["ARCHITECTURE.md"] = template.read_text(encoding="utf-8").rstrip("\n") + (
            "\n\n" + keep if keep else "\n"
        )
    for path, text in files.items():
        try:
            if path.endswith(".py"):
                ast.parse(text, filename=path)
        except SyntaxError as exc:
            sys.exit(f"relayout: rewriting {path} produced invalid Python: {exc}")

    changed = sorted(p for p in files if files[p] != original.get(p))
    if args.dry_run:
        report(plan, created, changed, verbose=True)
        return 0

    # 2. write
    for old, new in plan.moves:
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        git(root, "mv", old, new)
    for old in plan.removed:
        git(root, "rm", "-q", old)
    for old, _new in plan.moves:
        # a folder left holding only caches would import as a namespace package
        folder = (root / old).parent
        if folder.is_dir() and all(p.name == "__pycache__" for p in folder.iterdir()):
            shutil.rmtree(folder)
    for path in changed:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path], encoding="utf-8")
    git(root, "add", *created, *changed)
    report(plan, created, changed, verbose=False)

    # 3. imports sorted, unused ones dropped, formatted; long docstring/comment lines wrapped
    py = [p for p in changed if p.endswith(".py") and p.startswith(("src/", "tests/", "scripts/"))]
    ruff = None if args.no_ruff else find_ruff()
    if ruff and py:
        fix = [*ruff, "check", "--fix", "--select", "I,F401", "-q", *py]
        subprocess.run(fix, cwd=root, check=False)
        subprocess.run([*ruff, "format", "-q", *py], cwd=root, check=True)
        print(f"  ruff --fix (I, F401) and ruff format on {len(py)} files")
    elif not args.no_ruff:
        print("  ruff not found: run `ruff check --fix --select I,F401` and `ruff format`")
    if ruff and py:
        for path, numbers in too_long(ruff, root, py).items():
            text = (root / path).read_text(encoding="utf-8")
            (root / path).write_text(wrap_long_lines(text, numbers), encoding="utf-8")
        git(root, "add", *py)

    # 4. generated model packages: regenerated from scratch by this tree's own codegen
    #    (their text names accord modules; incremental codegen would keep the old text)
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    for directory in generated_dirs(root):
        out, _, package = directory.rpartition("/")
        shutil.rmtree(root / directory)
        cmd = [sys.executable, "-m", "accord", "codegen", "--registry", "contracts"]
        cmd += ["--out", out, "--package", package]
        done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            git(root, "checkout", "HEAD", "--", directory)
            print(f"  codegen FAILED for {directory} (kept as it was):\n{done.stderr}")
        else:
            git(root, "add", "-A", directory)
            print(f"  regenerated {directory}")
    if ruff:
        check = [*ruff, "check", "--select", "E501", "--output-format", "concise", "src", "tests"]
        left = subprocess.run(check, cwd=root, capture_output=True, text=True, check=False)
        if left.returncode != 0:
            print("  lines still over the limit (code, not text: fix by hand):")
            print(left.stdout)
    print("relayout: done; review `git status`, then run make lint and the tests")
    return 0


def report(plan: Plan, created: list[str], changed: list[str], *, verbose: bool) -> None:
    print(f"relayout: {len(plan.moves)} moves, {len(created)} new files")
    for old, new in plan.moves:
        print(f"  git mv {old} {new}")
    for old in plan.removed:
        print(f"  git rm {old}")
    for path in created:
        print(f"  new    {path}")
    for old in plan.skipped:
        print(f"  skip   {old}")
    print(f"  {len(changed)} files rewritten")
    if verbose:
        for path in changed:
            print(f"  edit   {path}")


def too_long(ruff: list[str], root: Path, paths: list[str]) -> dict[str, set[int]]:
    """Lines ruff reports as too long (E501), per file."""
    cmd = [*ruff, "check", "--select", "E501", "--output-format", "json", *paths]
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    out: dict[str, set[int]] = {}
    for item in json.loads(done.stdout or "[]"):
        rel = str(Path(item["filename"]).resolve().relative_to(root.resolve()))
        out.setdefault(rel, set()).add(item["location"]["row"])
    return out


def wrap_long_lines(text: str, numbers: set[int]) -> str:
    """Wrap the given long lines where they are comment or docstring text (a longer
    module name made them long); code lines are left for a person."""
    text_lines: set[int] = set()
    comment_lines: set[int] = set()
    literal_lines: set[int] = set()  # a line that is one plain string inside brackets
    depth = 0
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    for tok in tokens:
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
            text_lines.update(range(tok.start[0] + 1, tok.end[0]))
        elif tok.type == tokenize.STRING and depth > 0:
            rest = tok.line.strip().removesuffix(",")
            quote = rest[-1:]
            plain = rest[:1] in "\"'" and quote == rest[0] and rest.count(quote) == 2
            if plain and "\\" not in rest:
                literal_lines.add(tok.start[0])
        elif tok.type == tokenize.COMMENT and not tok.line[: tok.start[1]].strip():
            comment_lines.add(tok.start[0])
    out: list[str] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\n")
        if number not in numbers:
            out.append(line)
            continue
        indent = body[: len(body) - len(body.lstrip())]
        prefix = indent
        if number in comment_lines:
            prefix = indent + "# "
        elif number in literal_lines:
            quote = body.strip()[0]
            cut = _cut(body, limit=MAX_LINE - 1)
            tail = body[cut:].rstrip(",").rstrip(quote) if cut is not None else ""
            if cut is not None and tail.strip():
                out.append(body[:cut] + quote + "\n")
                out.append(indent + quote + body[cut:] + "\n")
                continue
        if number not in text_lines and number not in comment_lines:
            out.append(line)
            continue
        cut = _cut(body)
        if cut is None:
            out.append(line)
            continue
        out.append(body[:cut].rstrip() + "\n")
        out.append(prefix + body[cut:].lstrip() + "\n")
    return "".join(out)


def _cut(line: str, limit: int = MAX_LINE) -> int | None:
    """The last space before the limit that is not inside a ``literal``."""
    for i in range(min(len(line), limit), 0, -1):
        if line[i - 1] == " " and line[:i].count("``") % 2 == 0 and line[:i].strip(" #"):
            return i
    return None


if __name__ == "__main__":
    raise SystemExit(main())
