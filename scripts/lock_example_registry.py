"""Rewrite (or ``--check``) ``contracts/accord.lock`` from the version files on disk.

The example registry is hand-edited while accord is young; this keeps its lock in sync
until ``accord publish`` owns the file. Every ``*.schema.json`` is listed as published:
``<contract> <version> sha256:<hex digest of the raw bytes>``, one sorted line each.

Usage: python scripts/lock_example_registry.py [--check] [REGISTRY]
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

SUFFIX = ".schema.json"


def lock_lines(root: Path) -> list[str]:
    lines = []
    for path in root.glob(f"*/*/*{SUFFIX}"):
        namespace, name = path.parent.parent.name, path.parent.name
        version = path.name.removesuffix(SUFFIX)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{namespace}.{name} {version} sha256:{digest}")
    return sorted(lines)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    rest = [a for a in argv if a != "--check"]
    root = Path(rest[0]) if rest else Path(__file__).resolve().parent.parent / "contracts"
    text = "".join(line + "\n" for line in lock_lines(root))
    lock = root / "accord.lock"
    if check:
        if not lock.exists() or lock.read_text(encoding="utf-8") != text:
            print(f"{lock} is out of date: run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    lock.write_text(text, encoding="utf-8")
    print(f"wrote {lock} ({text.count(chr(10))} versions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
