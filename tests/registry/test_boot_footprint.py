"""A service that loads a registry and builds its validators pays for what it uses:
no python-jsonschema, ``referencing``, pydantic or OpenSSL on that path, none of the
modules only a rare path needs (error hints, exact numbers), and the lock digests are the
same whichever SHA-256 computes them."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import accord
from accord.registry import model

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("jsonschema", "referencing", "pydantic", "hashlib", "_hashlib", "secrets")
# Imported inside the functions that need them, never at boot: difflib (the "did you
# mean" hints of errors), fractions (exact numbers, for the diff engine), unicodedata
# (slugs, and the wording of a non-ASCII version's refusal), the rule catalogue (read
# only when accord.toml overrides a lint rule, or by lint, check, diff, docs) and tomllib
# (a TOML file that is not plain key = "text" lines: config._plain_toml reads those).
RARE = ("difflib", "fractions", "unicodedata", "accord.core.rules", "tomllib")
# Everything the ready path may import beyond `import json, jsonschema_rs, msgspec` (the
# jsonschema-rs floor's own imports, and msgspec's, which the strict parse and
# validate_json need), each for a reason. A module added to the boot path is a cost every
# service pays at start, so it is added here on purpose or not at all. (threading is not
# here: the locks on this path are _thread's, the same types.)
BOOT_EXTRAS = frozenset(
    {
        # the frozen dataclasses of the core model (copy, weakref: dataclasses' imports)
        "dataclasses",
        "copy",
        "weakref",
        "_weakrefset",
        # file names (pathlib's own imports)
        "pathlib",
        "fnmatch",
        "ntpath",
        "gc",
        "_sha256",  # lock digests, without OpenSSL (test below)
        # the load snapshot (accord.registry.snapshot): its signature and its unpickler
        "_blake2",
        "_pickle",
        "_compat_pickle",
        "pickle",  # writing it: the first start only (test below)
    }
)
BOOT_ACCORD = frozenset(
    {
        "accord",
        "accord._dataclass_methods",
        "accord._version",
        "accord.core",
        "accord.core.frozen",
        "accord.core.jsondoc",
        "accord.core.pointer",
        "accord.core.reasons",
        "accord.core.values",
        "accord.core.vocabulary",
        "accord.errors",
        "accord.registry",
        "accord.registry.config",
        "accord.registry.model",
        "accord.registry.names",
        "accord.registry.problems",
        "accord.registry.runtime",
        "accord.registry.snapshot",
        "accord.core.cachedir",
        "accord.validation",
        "accord.validation.budget",
        "accord.validation.dialect",
        "accord.validation.offline",
        "accord.validation.patterns",
        "accord.validation.recursion",
        "accord.validation.validator",
        "accord.versions",
    }
)

_BOOT = """
import json, sys
import accord
registry = accord.Registry.load(sys.argv[1])
for contract in registry:
    accord.validator(contract.versions[-1].ref, registry=registry)
print(json.dumps([sorted(sys.modules), "snapshot" in registry._memo]))
"""


def _boot(cache: Path) -> tuple[set[str], bool]:
    src = str(Path(accord.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src, "ACCORD_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _BOOT, str(ROOT / "contracts")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules, restored = json.loads(done.stdout)
    assert "accord.validation.validator" in modules
    return set(modules), restored


@pytest.fixture(scope="module")
def boot_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], set[str]]:
    """``sys.modules`` after loading this repo's registry and building its validators:
    on a first start (which writes the load snapshot) and on the next (which reads it),
    in one cache directory."""
    cache = tmp_path_factory.mktemp("boot-cache")  # its own: module fixtures come first
    cold, first_restored = _boot(cache)
    warm, restored = _boot(cache)
    assert not first_restored
    assert restored, "the second start did not read the first one's load snapshot"
    return cold, warm


@pytest.fixture(scope="module")
def boot_modules(boot_runs: tuple[set[str], set[str]]) -> set[str]:
    """Every module either start imported."""
    return boot_runs[0] | boot_runs[1]


def test_only_the_first_start_writes_a_snapshot(boot_runs: tuple[set[str], set[str]]) -> None:
    """Writing the snapshot (pickle) is the first start's cost; a start that reads it
    imports only the C unpickler."""
    cold, warm = boot_runs
    assert "pickle" in cold
    assert "pickle" not in warm


# What only a start that reads the registry's files (checking documents, walking them for
# recursion) or a bundle needs: a later start builds the validator of a version that is
# its own bundle from the snapshot's text.
FIRST_START_ONLY = (
    "accord.validation.dialect",
    "accord.core.vocabulary",
    "accord.validation.recursion",
)

_FIRST_PAYLOADS = """
import json, sys
import accord
from accord.registry.model import own_text
registry = accord.Registry.load(sys.argv[1])
own = [c.versions[-1].ref for c in registry if own_text(c.versions[-1]) is not None]
validators = [accord.validator(ref, registry=registry) for ref in own]
own_only = sorted(set(sys.modules).intersection(sys.argv[2:]))
validators.append(accord.validator("orders.order-placed@2.0.0", registry=registry))
before = set(sys.modules)
for validator in validators:
    for call in (
        lambda: validator.validate_json(b'{"order_id": 1}'),
        lambda: validator.validate_json(b'{}'),
        lambda: validator.validate({"order_id": 1}),
        lambda: validator.errors({"order_id": 1}),
        lambda: validator.is_valid({"order_id": 1}),
    ):
        try:
            call()
        except accord.ContractViolation:
            pass
print(json.dumps([own, own_only, sorted(set(sys.modules) - before), "snapshot" in registry._memo]))
"""


def test_first_payloads_import_nothing_and_a_later_start_no_dialect(tmp_path: Path) -> None:
    # A registry's validator is built from its version's text when the version is its
    # own bundle (its schema is built on first read), else from the bundle: the first
    # payloads of either, valid or explained, import nothing, on a first start and on a
    # later one (tests/validation: the same for a validator of a document); a later
    # start that builds only validators of the first kind reads no dialect.
    src = str(Path(accord.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src, "ACCORD_CACHE_DIR": str(tmp_path)}
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _FIRST_PAYLOADS, str(ROOT / "contracts"), *FIRST_START_ONLY],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        own, own_only, imported, from_snapshot = json.loads(done.stdout)
        assert own, "no version of the example registry is its own bundle"
        assert imported == []
        runs.append((from_snapshot, own_only))
    assert [restored for restored, _ in runs] == [False, True]
    assert runs[1][1] == []


def _modules_of(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout))


def test_boot_imports_only_what_the_ready_path_needs(boot_modules: set[str]) -> None:
    floor = _modules_of("import json, jsonschema_rs, msgspec")
    extras = boot_modules - floor
    assert {m for m in extras if not m.startswith("accord")} <= BOOT_EXTRAS, sorted(
        m for m in extras - BOOT_EXTRAS if not m.startswith("accord")
    )
    assert {m for m in extras if m.startswith("accord")} <= BOOT_ACCORD, sorted(
        m for m in extras - BOOT_ACCORD if m.startswith("accord")
    )


def test_loading_and_building_validators_imports_nothing_heavy(boot_modules: set[str]) -> None:
    assert boot_modules.isdisjoint(HEAVY), sorted(boot_modules.intersection(HEAVY))


def test_boot_leaves_rare_path_modules_unimported(boot_modules: set[str]) -> None:
    assert boot_modules.isdisjoint(RARE), sorted(boot_modules.intersection(RARE))


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 40])
def test_digests_agree_with_and_without_openssl(
    monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    expected = "sha256:" + hashlib.sha256(data).hexdigest()
    assert model.digest_of(data) == expected  # hashlib is loaded here: OpenSSL's
    monkeypatch.delitem(sys.modules, "hashlib")
    assert model._sha256() is not hashlib.sha256
    assert model.digest_of(data) == expected


def test_the_boot_path_locks_are_threadings_own_types() -> None:
    import threading

    from accord.registry import runtime
    from accord.validation.validator import Validator

    assert threading.Lock is threading._allocate_lock  # type: ignore[attr-defined]
    assert type(model._parse_lock_guard) is type(threading.Lock())
    assert type(model._first_use_guard) is type(threading.RLock())
    assert type(runtime._lock) is type(threading.RLock())
    assert type(Validator({"type": "string"})._lock) is type(threading.Lock())


def _compiled_methods(module_names: set[str]) -> dict[str, list[str]]:
    """The dataclass methods of these modules that @dataclass compiled at import (its
    generated functions come from ``exec`` of source text: file ``<string>``)."""
    import dataclasses
    import importlib

    compiled: dict[str, list[str]] = {}
    for name in sorted(module_names):
        for value in vars(importlib.import_module(name)).values():
            if not (dataclasses.is_dataclass(value) and isinstance(value, type)):
                continue
            if value.__module__ != name:
                continue
            for method in (
                "__init__",
                "__repr__",
                "__eq__",
                "__hash__",
                "__setattr__",
                "__delattr__",
            ):
                function = vars(value).get(method)
                function = getattr(function, "__wrapped__", function)  # the repr guard
                code = getattr(function, "__code__", None)
                if code is not None and code.co_filename == "<string>":
                    compiled.setdefault(value.__qualname__, []).append(method)
    return compiled


def test_boot_path_dataclasses_compile_no_method(boot_modules: set[str]) -> None:
    # @dataclass compiles each method it generates at import, on every service's boot:
    # the boot path's classes take __repr__, __eq__ and __hash__ from
    # accord._dataclass_methods or write them out, and __init__ too (a field with a
    # default factory takes the generated signature's own sentinel,
    # accord._dataclass_methods.FACTORY); a frozen class with a written __init__ takes
    # its __setattr__/__delattr__ from accord._dataclass_methods.frozen_dataclass.
    # tests/test_written_dataclass_methods.py holds each to the methods it replaces.
    accord_modules = {m for m in boot_modules if m.startswith("accord")}
    assert _compiled_methods(accord_modules) == {}
