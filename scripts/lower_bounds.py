"""Write pip files that install the lowest release accord allows of each runtime dependency.

``make test-oldest`` runs the suite on them, so each lower bound in ``pyproject.toml`` is a
release the suite really passes on (not a guess). Writes, into OUTDIR:

- ``lower.txt``: ``name==X`` for every ``name>=X`` in ``[project] dependencies``;
- ``constraints.txt``: ``requirements.lock`` without those packages (and ``pydantic-core``,
  which each pydantic release pins exactly), so the tools stay as locked.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Packages that a lowered dependency pins exactly: they must follow it, not the lock.
_COMPANIONS = {"pydantic": ("pydantic-core",)}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: lower_bounds.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins: dict[str, str] = {}
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([^,;\s]+)", requirement)
        if match is None:
            print(f"lower_bounds.py: {requirement!r} has no plain lower bound", file=sys.stderr)
            return 2
        pins[_norm(match[1])] = match[2]
    dropped = set(pins) | {c for name in pins for c in _COMPANIONS.get(name, ())}
    kept = [
        line
        for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if line.startswith("#") or _norm(line.partition("==")[0]) not in dropped
    ]
    (out / "lower.txt").write_text(
        "".join(f"{name}=={version}\n" for name, version in sorted(pins.items())),
        encoding="utf-8",
    )
    (out / "constraints.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
