"""Public functions that write a directory take it as ``str`` or ``os.PathLike`` and
refuse anything else with a UsageError naming the argument, before anything is read or
written.

``generate_package(registry, "generated")`` raised ``TypeError: unsupported operand
type(s) for /: 'str' and 'str'`` (its ``out_dir`` was used as a ``Path``), and
``build_site(registry, 1)`` a ``TypeError`` from ``Path``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.codegen import generate_package
from accord.distribution.wheel import export_expectations, package_registry
from accord.errors import UsageError
from accord.registry.model import Registry
from accord.site import build_site

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


class _BytesPath:
    def __fspath__(self) -> bytes:
        return b"out"


WRONG = [None, 1, b"out", ["out"], _BytesPath()]


def _calls(registry: Registry, tmp: Path) -> dict[str, Callable[[Any], Any]]:
    return {
        "generate_package out_dir": lambda v: generate_package(registry, v),
        "build_site out": lambda v: build_site(registry, v),
        "package_registry out_dir": lambda v: package_registry(registry, v),
        "export_expectations source": lambda v: export_expectations(v, tmp),
        "export_expectations target": lambda v: export_expectations(tmp, v),
    }


@pytest.mark.parametrize("wrong", WRONG, ids=lambda v: type(v).__name__)
def test_a_directory_argument_that_is_no_path_is_a_usage_error(
    tmp_path: Path, wrong: object
) -> None:
    registry = Registry.load(CONTRACTS)
    before = sorted(tmp_path.rglob("*"))
    for label, call in _calls(registry, tmp_path).items():
        with pytest.raises(UsageError) as info:
            call(wrong)
        assert info.value.code == "path-argument", label
        name = label.split()[1]
        assert f"{name}= takes a directory path" in info.value.message, label
        assert type(wrong).__name__ in info.value.message, label
    assert sorted(tmp_path.rglob("*")) == before  # nothing written


def test_generate_package_takes_a_str_directory(tmp_path: Path) -> None:
    result = generate_package(Registry.load(CONTRACTS), str(tmp_path / "out"))
    assert (tmp_path / "out" / result.package_dir.name / "__init__.py").is_file()
