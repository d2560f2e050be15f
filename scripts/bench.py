"""accord benchmarks (``make bench``): measured, printed as a table, never asserted.

Each benchmark reports the best of several repetitions (``time.perf_counter``) and,
where an issue states a target, the target beside the measurement so a person can
read the table. Ratios compare runs made in this same process, on this machine.

Usage: python scripts/bench.py [--only NAME] [--repeat N]
"""

from __future__ import annotations

import argparse
import copy
import itertools
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _wide_schema(n: int) -> dict[str, Any]:
    kinds = [
        {"type": "string", "maxLength": 64},
        {"type": "integer", "minimum": 0},
        {"type": "number", "maximum": 1000},
        {"type": "boolean"},
        {"enum": ["a", "b", "c"]},
    ]
    props = {f"field_{i:05d}": copy.deepcopy(kinds[i % len(kinds)]) for i in range(n)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": props,
        "required": [f"field_{i:05d}" for i in range(0, n, 10)],
    }


def _changed(schema: dict[str, Any], changes: int) -> dict[str, Any]:
    new = copy.deepcopy(schema)
    props = new["properties"]
    names = sorted(props)
    step = max(1, len(names) // changes)
    for k, name in enumerate(names[::step][:changes]):
        if k % 2 == 0:
            props[name] = {"type": "string", "maxLength": 32}
        else:
            props[f"{name}_added"] = {"type": "string"}
    return new


def bench_diff(repeat: int) -> list[tuple[str, str, str]]:
    from accord.compat import diff

    rows = []
    timings = {}
    for n in (500, 5000):
        old = _wide_schema(n)
        new = _changed(old, 5)
        diff(old, new)  # warm caches of compiled validators the same way a CLI run would not
        t = _best(lambda old=old, new=new: diff(copy.deepcopy(old), copy.deepcopy(new)), repeat)
        timings[n] = t
        target = "< 50 ms" if n == 500 else ""
        rows.append((f"diff {n}-property schemas, 5 changes", f"{t * 1000:.1f} ms", target))
    rows.append(
        (
            "growth time(5000)/time(500)",
            f"{timings[5000] / timings[500]:.1f}x",
            "< 12x",
        )
    )
    try:
        from accord.registry import Registry

        registry = Registry.load(ROOT / "contracts")
        best: tuple[int, str, Any, Any] | None = None
        for contract in registry.contracts.values():
            versions = contract.versions
            for a, b in itertools.pairwise(versions):
                size = len(a.raw) + len(b.raw)
                if best is None or size > best[0]:
                    best = (size, contract.id, a, b)
        if best is not None:
            _, cid, a, b = best
            old_doc = registry.bundle(f"{cid}@{a.version}")
            new_doc = registry.bundle(f"{cid}@{b.version}")
            t = _best(lambda: diff(old_doc, new_doc), repeat)
            rows.append(
                (
                    f"diff largest example pair {cid} {a.version}->{b.version}",
                    f"{t * 1000:.1f} ms",
                    "< 10 ms",
                )
            )
    except Exception as exc:  # noqa: BLE001 - a benchmark reports what it could not measure
        rows.append(("diff example registry pair", f"skipped: {exc}", ""))
    return rows


def bench_service(repeat: int) -> list[tuple[str, str, str]]:
    """Startup contract checks (accord.require) for 20 (contract, model, role) pairs.

    The models are the generated ones embedded in examples/orders_service (12 consumer
    checks, 8 producer checks). "fresh process" clears accord's in-memory caches and
    the registry's memo (bundles, validators) before each run, keeping the on-disk
    cache: what a service pays at boot after its own imports and the registry load.
    """
    import importlib
    import tempfile

    from accord import _service
    from accord.registry import Registry

    sys.path.insert(0, str(ROOT / "examples" / "orders_service"))
    models = importlib.import_module("orders_models").MODELS
    start = time.perf_counter()
    registry = Registry.load(ROOT / "contracts")
    load = time.perf_counter() - start
    items = list(models.items())
    checks = [(r, m, "consumer") for r, m in items] + [(r, m, "producer") for r, m in items]
    checks = checks[:20]

    def run(cache: str) -> None:
        for ref, model, role in checks:
            _service.require(ref, model=model, role=role, registry=registry, cache_dir=cache)

    def fresh(cache: str) -> None:
        _service.clear_caches()
        registry._memo.clear()
        run(cache)

    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        run(cache)
        cold = time.perf_counter() - start
        warm = _best(lambda: fresh(cache), repeat)
        memory = _best(lambda: run(cache), repeat)
    return [
        ("registry load (example registry)", f"{load * 1000:.1f} ms", ""),
        (f"service check, {len(checks)} contracts, no cache", f"{cold * 1000:.1f} ms", ""),
        (
            f"service check, {len(checks)} contracts, fresh process, disk cache",
            f"{warm * 1000:.1f} ms",
            "< 100 ms",
        ),
        (f"service check, {len(checks)} contracts, in-memory cache", f"{memory * 1000:.1f} ms", ""),
    ]


BENCHES: dict[str, Callable[[int], list[tuple[str, str, str]]]] = {
    "diff": bench_diff,
    "service": bench_service,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(BENCHES))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()} on {platform.system()}"
    )
    rows: list[tuple[str, str, str]] = []
    for name, bench in BENCHES.items():
        if args.only and name != args.only:
            continue
        rows.extend(bench(args.repeat))
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark'.ljust(width)}  {'measured':>14}  target")
    for label, value, target in rows:
        print(f"{label.ljust(width)}  {value:>14}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
