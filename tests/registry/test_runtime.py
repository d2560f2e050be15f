"""accord.validator(): resolution, caching, thread safety, errors."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import accord
from accord.errors import ContractNotFound, ContractViolation, DocumentError, VersionNotFound
from accord.registry.model import Registry
from accord.registry.runtime import clear_caches

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"

USER = {"id": 1, "name": "Ada", "email": "ada@example.com"}


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_caches()


def test_range_resolves_to_highest_and_validates() -> None:
    v = accord.validator("users.user@^1", registry=CONTRACTS)
    assert v.ref.startswith("users.user@1.")
    assert v.is_valid(USER)
    assert not v.is_valid({"id": 1})
    with pytest.raises(ContractViolation) as info:
        v.validate({"id": 0, "name": "Ada"})
    paths = {e.instance_path for e in info.value.errors}
    assert "/id" in paths
    assert info.value.ref == v.ref


def test_validate_json_is_strict() -> None:
    v = accord.validator("users.user@^1", registry=CONTRACTS)
    assert v.validate_json(b'{"id": 1, "name": "Ada", "email": "ada@example.com"}') == USER
    with pytest.raises(DocumentError) as info:
        v.validate_json(b'{"id": 1, "id": 2, "name": "Ada", "email": "ada@example.com"}')
    assert info.value.code == "json-duplicate-key"


def test_same_version_shares_one_validator() -> None:
    reg = Registry.load(CONTRACTS)
    exact = reg.get("users.user@^1").ref
    a = accord.validator("users.user@^1", registry=CONTRACTS)
    b = accord.validator(exact, registry=str(CONTRACTS))
    assert a is b
    c = accord.validator("users.user@^1", registry=reg)
    assert c is accord.validator(exact, registry=reg)


def test_default_registry_comes_from_pyproject(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert accord.validator("users.user@^1").is_valid(USER)


def test_missing_contract_and_version() -> None:
    with pytest.raises(ContractNotFound):
        accord.validator("users.nobody@^1", registry=CONTRACTS)
    with pytest.raises(VersionNotFound):
        accord.validator("users.user@^9", registry=CONTRACTS)


def test_threads_share_and_agree(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, root)
    results: list[object] = []

    def work() -> None:
        v = accord.validator("users.user@^1", registry=root)
        results.append(v)
        assert all(v.is_valid(USER) for _ in range(200))
        assert not any(v.is_valid({"id": "x"}) for _ in range(200))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert len({id(v) for v in results}) == 1
