"""Small registries and a subprocess runner for the distribution tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from _registry_builders import add_contract, lock_line, write

TOML = 'owner = "shop"\nkind = "event"\nmode = "none"\n'

V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"id": {"type": "integer"}, "amount": {"type": "number"}},
    "required": ["id", "amount"],
    "additionalProperties": False,
}
V1_1: dict[str, Any] = {
    **V1,
    "properties": {**V1["properties"], "note": {"type": "string"}},
}
V2: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"id": {"type": "integer"}, "amount_cents": {"type": "integer"}},
    "required": ["id", "amount_cents"],
    "additionalProperties": False,
}
V3: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "total": {
            "type": "object",
            "properties": {"cents": {"type": "integer"}, "currency": {"const": "EUR"}},
            "required": ["cents", "currency"],
            "additionalProperties": False,
        },
    },
    "required": ["id", "total"],
    "additionalProperties": False,
}


def make_registry(
    root: Path, *, versions: dict[str, Any] | None = None, publish: bool = True
) -> Path:
    """``shop.order`` with 1.0.0, 1.1.0, 2.0.0, 3.0.0 (all published by default)."""
    versions = versions or {"1.0.0": V1, "1.1.0": V1_1, "2.0.0": V2, "3.0.0": V3}
    add_contract(root, "shop.order", versions, toml=TOML)
    if publish:
        lines = sorted(lock_line(root, "shop.order", v) for v in versions)
        write(root / "accord.lock", "".join(line + "\n" for line in lines))
    return root


def run(*argv: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing text output; never raises on a non-zero exit."""
    return subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def fresh_venv(directory: Path, *, sees: Path, env: dict[str, str]) -> tuple[Path, Path]:
    """A venv without pip at ``directory`` that sees the packages in the site directory
    ``sees`` through a .pth file (accord's dependencies are on no index here).

    Returns:
        The venv's interpreter and its own site-packages directory.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(directory)], check=True)
    python = directory / "bin" / "python"
    found = run(
        python,
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        cwd=directory,
        env=env,
    )
    assert found.returncode == 0, found.stderr
    purelib = Path(found.stdout.strip())
    (purelib / "_accord_test_deps.pth").write_text(f"import site; site.addsitedir({str(sees)!r})\n")
    return python, purelib


def pip_install(
    python: Path, *argv: str | Path, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """``pip install --no-index ...`` into the environment of ``python`` (this pip runs it)."""
    return run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-index",
        *argv,
        cwd=cwd,
        env=env,
    )
