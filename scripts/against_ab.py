"""A/B the ``against-N`` rows of ``make bench`` between accord trees, in fresh processes.

Runs what the row runs (``accord check --registry ROOT --against main`` with a cache
directory nobody has used, and the bench's floor, ``_PLAIN_AGAINST`` in scripts/bench.py)
alternately, round after round, for the floor and for each ``src`` directory given, and
prints the median and minimum CPU time (user + system of the child and the git processes
it waited for, from ``os.wait4``) of each side and its ratio to the floor. Alternating
rounds spread the machine's noise over every side alike; byte-compiled first, as the
bench does.

    BENCH_DIR=/work/main/.bench python scripts/against_ab.py --size 1000 /tmp/base/src src

A tree to compare against: ``git archive main src | tar -x -C /tmp/base``.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import bench_registry  # scripts/ is on the path of a script run from it
from bench import _PLAIN_AGAINST, accord, python
from ready_ab import alternate, arguments, cpu


def cold(child: list[str], src: str) -> float:
    """:func:`cpu` of one run with a new, empty cache directory (as the bench's
    ``ColdCaches``), removed afterwards."""
    folder = tempfile.mkdtemp(prefix="against-ab-")
    os.environ["ACCORD_CACHE_DIR"] = os.path.join(folder, "cache")
    try:
        return cpu(child, src)
    finally:
        del os.environ["ACCORD_CACHE_DIR"]
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args, srcs = arguments(__doc__, argv)
    root = str(bench_registry.ensure(args.size))
    sides = {"floor": (python(_PLAIN_AGAINST, root), srcs[0])}
    for src in srcs:
        sides[src] = (accord("check", "--registry", root, "--against", "main"), src)
    alternate(sides, cold, rounds=args.rounds, size=args.size, floor="floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
