"""``make demo``: a short tour of accord on the example registry in ``contracts/``.

Each step runs the real ``accord`` command line in a subprocess and prints it the way a
terminal session would, with its exit code. Some steps are *meant* to exit non-zero (an
invalid payload exits 1, a breaking change exits 1); the demo fails only when a step's
exit code is not the one it expects, so ``make demo`` doubles as an end-to-end check.

Usage: python scripts/demo.py
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = "contracts/orders/order-placed/examples/1.0.0"


@dataclass(frozen=True)
class Step:
    title: str
    args: tuple[str, ...]
    expect: int
    # A step that is not an `accord` command: the program and the directory it runs in.
    program: tuple[str, ...] = ()
    cwd: Path | None = None


def _service_steps(scratch: Path) -> list[Step]:
    """Boot the example services' startup contract checks, then boot a drifted copy."""
    import accord

    if not hasattr(accord, "check_service"):
        print("(accord.check_service is not exported yet: skipping the startup checks)\n")
        return []
    examples = ROOT / "examples"
    drifted = scratch / "orders_service"
    shutil.copytree(
        examples / "orders_service", drifted, ignore=shutil.ignore_patterns(".accord-cache")
    )
    shutil.copyfile(examples / "drifted" / "events.py", drifted / "orders_service" / "events.py")
    pyproject = drifted / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            'registry = "../../contracts"', f"registry = {json.dumps(str(ROOT / 'contracts'))}"
        ),
        encoding="utf-8",
    )
    python = (sys.executable, "-m")
    return [
        Step(
            "Startup contract checks: orders-service proves its models at boot",
            (),
            0,
            (*python, "orders_service"),
            examples / "orders_service",
        ),
        Step(
            "Startup contract checks: billing-service (a tolerant reader of order-placed)",
            (),
            0,
            (*python, "billing_service"),
            examples / "billing_service",
        ),
        Step(
            "A model drifts (examples/drifted/events.py): the startup check refuses to boot, "
            "naming the field, the rule and a witness (exit 1 is expected)",
            (),
            1,
            (*python, "orders_service"),
            drifted,
        ),
    ]


def _steps() -> list[Step]:
    steps = [
        Step("What is in the registry?", ("list",), 0),
        Step("Is the registry well-formed?", ("lint",), 0),
        Step(
            "A valid order-placed event",
            ("validate", "orders.order-placed@^1.0", f"{EXAMPLES}/valid/one-line.json"),
            0,
        ),
        Step(
            "Invalid events: every error, with its path in the payload (exit 1 is expected)",
            (
                "validate",
                "orders.order-placed@1.0.0",
                f"{EXAMPLES}/invalid/negative-quantity.json",
                f"{EXAMPLES}/invalid/missing-email.json",
            ),
            1,
        ),
        Step("The shared money record, bundled", ("show", "common.money@1.0.0"), 0),
    ]
    if importlib.util.find_spec("accord.cli._cmd_diff") is not None:
        steps += [
            Step(
                "An additive minor version: compatible",
                ("diff", "users.user@1.0.0", "users.user@1.1.0"),
                0,
            ),
            Step(
                "A major version that drops customer.name: breaking (exit 1 is expected)",
                ("diff", "orders.order-placed@1.2.0", "orders.order-placed@2.0.0"),
                1,
            ),
        ]
    else:
        print("(accord diff is not available yet: skipping the compatibility steps)\n")
    return steps


def main() -> int:
    env = {**os.environ, "NO_COLOR": "1"}
    surprises: list[str] = []
    with tempfile.TemporaryDirectory(prefix="accord-demo-") as scratch:
        for number, step in enumerate([*_steps(), *_service_steps(Path(scratch))], 1):
            print(f"── {number}. {step.title}")
            if step.program:
                shown = "python " + shlex.join(step.program[1:])
                where = step.cwd or ROOT
                place = where.relative_to(ROOT) if where.is_relative_to(ROOT) else "<copy>"
                print(f"$ cd {place} && {shown}", flush=True)
                argv = list(step.program)
            else:
                shown = f"accord {shlex.join(step.args)}"
                print(f"$ {shown}", flush=True)
                argv = [sys.executable, "-m", "accord", *step.args]
            done = subprocess.run(argv, cwd=step.cwd or ROOT, env=env, check=False)
            print(f"[exit {done.returncode}]\n", flush=True)
            if done.returncode != step.expect:
                surprises.append(f"{shown}: exit {done.returncode}, expected {step.expect}")
    if surprises:
        print("demo FAILED: unexpected exit codes:", *surprises, sep="\n  ", file=sys.stderr)
        return 1
    print("demo finished: every step exited as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
