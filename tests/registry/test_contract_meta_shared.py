"""Contracts whose ``contract.toml`` bytes are the same share one parsed, immutable
``ContractMeta``; a file with a problem is never shared: each reports its own problems,
named in its own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import RegistryError
from accord.registry.model import Registry

SCHEMA = '{"$schema": "https://json-schema.org/draft/2020-12/schema"}'


def _contract(root: Path, name: str, toml: str) -> None:
    directory = root / "ns" / name
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text(toml)
    (directory / "1.0.0.schema.json").write_text(SCHEMA)


def test_the_same_bytes_share_one_meta(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        _contract(tmp_path, name, 'owner = "team"\nkind = "event"\n')
    _contract(tmp_path, "d", 'owner = "other"\nkind = "event"\n')
    registry = Registry.load(tmp_path)
    metas = [registry.contract(f"ns.{n}").meta for n in ("a", "b", "c", "d")]
    assert metas[0] is metas[1] is metas[2]
    assert metas[0].owner == "team"
    assert metas[3].owner == "other"


@pytest.mark.parametrize("toml", ['owner = "team"\n', 'owner = "team"\nkind = "event"\nx = 1\n'])
def test_a_file_with_a_problem_reports_it_in_every_file(tmp_path: Path, toml: str) -> None:
    for name in ("a", "b"):
        _contract(tmp_path, name, toml)
    for _ in range(2):  # a second load answers the same (nothing cached for it)
        with pytest.raises(RegistryError) as info:
            Registry.load(tmp_path)
        files = sorted(p.file for p in info.value.problems if p.file)
        assert files == ["ns/a/contract.toml", "ns/b/contract.toml"]
