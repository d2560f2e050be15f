"""Boot orders-service: prove its models against the registry, then serve.

``python -m orders_service`` runs the startup contract checks and exits (0: ready);
``python -m orders_service --serve`` also starts uvicorn.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import accord

HERE = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    try:
        report = accord.check_service(HERE / "pyproject.toml")
    except accord.ContractMismatch as exc:
        print(f"orders-service: startup contract check FAILED [{exc.code}]", file=sys.stderr)
        print(exc.message, file=sys.stderr)
        return 1
    took = (time.perf_counter() - started) * 1000
    for check in report.checks:
        print(f"  ok  {check.role:8} {check.version:36} {check.model}")
    for warning in report.warnings:
        print(f"  note {warning}")
    print(f"orders-service: {len(report.checks)} contract checks passed in {took:.0f} ms; ready")
    if "--serve" in argv:
        import uvicorn

        uvicorn.run("orders_service.app:app", port=8000)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
