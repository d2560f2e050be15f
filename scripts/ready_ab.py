"""A/B the ``ready-N`` rows of ``make bench`` between accord trees, in fresh processes.

Runs the bench's two child scripts (``_READY``, ``_READY_RS`` in scripts/bench.py)
alternately, round after round, for the jsonschema-rs floor and for each ``src``
directory given, and prints the median and minimum CPU time (user + system, from
``os.wait4``) of each side and its ratio to the floor. Alternating rounds spread the
machine's noise over every side alike; byte-compiled first, as the bench does.

    BENCH_DIR=/work/main/.bench python scripts/ready_ab.py --size 1000 /tmp/base/src src

A tree to compare against: ``git archive main src | tar -x -C /tmp/base``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import bench_registry  # scripts/ is on the path of a script run from it
from bench import _READY, _READY_RS


def cpu(argv: list[str], src: str) -> float:
    """The CPU time of one child run with ``src`` first on its path."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "ACCORD_DEBUG")
    }
    env.update(PYTHONPATH=src, NO_COLOR="1")
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        if status:
            err.seek(0)
            raise SystemExit(f"{argv[:3]} with {src} failed: {err.read().decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime


# Run with the first tree: the latest version of each contract, as bench.registry_inputs
# lists them, and the floor's input, written once next to the registry as it writes it.
_INPUTS = """
import json, os, sys
from accord.core.frozen import thaw
from accord.registry.model import Registry
registry = Registry.load(sys.argv[1])
refs = [contract.versions[-1].ref for contract in registry]
if not os.path.isfile(sys.argv[2]):
    with open(sys.argv[2], "w") as out:
        out.write(json.dumps([thaw(registry.bundle(ref)) for ref in refs]))
print(json.dumps(refs))
"""


def inputs(size: int, src: str) -> tuple[Path, list[str], Path]:
    """The bench registry of ``size`` contracts (``BENCH_DIR`` as for the bench), its
    latest refs and the floor's bundles."""
    root = bench_registry.ensure(size)
    bundles = root.parent / f"bundles-{size}.json"
    done = subprocess.run(
        [sys.executable, "-c", _INPUTS, str(root), str(bundles)],
        env={**os.environ, "PYTHONPATH": src},
        capture_output=True,
        text=True,
        check=True,
    )
    return root, json.loads(done.stdout), bundles


def arguments(doc: str | None, argv: list[str] | None) -> tuple[argparse.Namespace, list[str]]:
    """An A/B script's arguments (``srcs``, ``--size``, ``--rounds``) and its ``src``
    directories, resolved, each with its accord compiled (children then time no
    bytecode compilation)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("srcs", nargs="+", help="src directories to compare (accord inside)")
    parser.add_argument("--size", type=int, default=1000, help="contracts (100, 1000, 5000)")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    srcs = [str(Path(s).resolve()) for s in args.srcs]
    for src in srcs:
        compileall.compile_dir(str(Path(src) / "accord"), quiet=1)
    return args, srcs


def main(argv: list[str] | None = None) -> int:
    args, srcs = arguments(__doc__, argv)
    root, refs, bundles = inputs(args.size, srcs[0])
    sides = {"jsonschema-rs": ([sys.executable, "-c", _READY_RS, str(bundles)], srcs[0])}
    for src in srcs:
        sides[src] = ([sys.executable, "-c", _READY, str(root), *refs], src)
    alternate(sides, cpu, rounds=args.rounds, size=args.size, floor="jsonschema-rs")
    return 0


def alternate(
    sides: dict[str, tuple[list[str], str]],
    measure: Callable[[list[str], str], float],
    *,
    rounds: int,
    size: int,
    floor: str,
) -> None:
    """Run every side once to warm the page cache and bytecode, then ``rounds`` rounds of
    each side in turn (``measure(child, src)``, CPU seconds), and print each side's median
    and minimum and its ratio to the ``floor`` side's median."""
    for child, src in sides.values():
        measure(child, src)
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, (child, src) in sides.items():
            times[name].append(measure(child, src))
    base = statistics.median(times[floor])
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"N={size:<5} {name:40} median {median * 1000:7.1f} ms  "
            f"min {min(values) * 1000:7.1f} ms  ratio {median / base:.2f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
