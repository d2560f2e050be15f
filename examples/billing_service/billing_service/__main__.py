"""Boot billing-service: prove its models against the registry (exit 0: ready)."""

from __future__ import annotations

import sys
from pathlib import Path

import accord

HERE = Path(__file__).resolve().parents[1]


def main() -> int:
    try:
        report = accord.check_service(HERE / "pyproject.toml")
    except accord.ContractMismatch as exc:
        print(f"billing-service: startup contract check FAILED [{exc.code}]", file=sys.stderr)
        print(exc.message, file=sys.stderr)
        return 1
    for check in report.checks:
        print(f"  ok  {check.role:8} {check.version:36} {check.model}")
    print(f"billing-service: {len(report.checks)} contract checks passed; ready")
    return 0


if __name__ == "__main__":
    sys.exit(main())
