"""A deployment record (``environments/<env>.toml``) is read like every registry file:
a regular file, never through a symlink, as UTF-8 text, or refused with exit 2.

``can-i-deploy`` and ``record-deployment`` used to read it with ``Path.read_text``: a
directory or a file that is not UTF-8 was an internal error (exit 3), as was (through
tomllib) a value nested a few thousand levels deep.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.provider import record_deployment

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]

COMMANDS = {
    "can-i-deploy": ["can-i-deploy", "billing", "1.4.0", "--to", "staging"],
    "record-deployment": ["record-deployment", "billing", "1.4.0", "--env", "staging"],
}


def _directory(path: Path) -> None:
    path.mkdir()


def _not_utf8(path: Path) -> None:
    path.write_bytes(b"format_version = 1\n# caf\xe9\n")


def _deeply_nested(path: Path) -> None:
    # Within the size cap; tomllib recurses once per level (RecursionError, exit 3).
    path.write_text("format_version = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n")


BROKEN = {"directory": _directory, "not-utf8": _not_utf8, "deeply-nested": _deeply_nested}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
@pytest.mark.parametrize("breakage", BROKEN.values(), ids=BROKEN.keys())
def test_a_record_that_is_not_a_regular_utf8_file_is_exit_2(
    registry_root: Path,
    command: list[str],
    breakage: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    staging = registry_root / "environments" / "staging.toml"
    breakage(staging)  # type: ignore[operator]
    assert main([*command, "--registry", str(registry_root)]) == 2
    err = capsys.readouterr().err
    assert "environments/staging.toml" in err
    assert "internal error" not in err


def test_a_broken_record_of_another_environment_is_not_read_past(registry_root: Path) -> None:
    """Every environment's record is read (known services and versions), so a broken
    one refuses the question instead of crashing it."""
    record_deployment(registry_root, "billing", "1.4.0", "production")
    (registry_root / "environments" / "staging.toml").mkdir()
    argv = ["can-i-deploy", "billing", "1.4.0", "--to", "production"]
    assert main([*argv, "--registry", str(registry_root)]) == 2
