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
# (slugs, and the wording of a non-ASCII version's refusal), and the rule catalogue
# (read only when accord.toml overrides a lint rule, or by lint, check, diff, docs).
RARE = ("difflib", "fractions", "unicodedata", "accord.core.rules")

_BOOT = """
import json, sys
import accord
registry = accord.Registry.load(sys.argv[1])
for contract in registry:
    accord.validator(contract.versions[-1].ref, registry=registry)
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture(scope="module")
def boot_modules() -> set[str]:
    """``sys.modules`` after loading this repo's registry and building its validators."""
    src = str(Path(accord.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src}
    done = subprocess.run(
        [sys.executable, "-c", _BOOT, str(ROOT / "contracts")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = set(json.loads(done.stdout))
    assert "accord.validation.validator" in modules
    return modules


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
