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
import os
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
    from functools import partial

    from accord.compat import diff as plain_diff
    from accord.validation.budget import SchemaLimits

    # 5,000 properties in one object is over the default max-items (1,000): a registry
    # meaning it raises the cap in accord.toml, as the benchmark does here.
    diff = partial(plain_diff, limits=SchemaLimits(max_items=10_000, max_nodes=200_000))

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
        from accord.registry.model import Registry

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
            # a millisecond-scale measurement: more repetitions to see past scheduler noise
            t = _best(lambda: diff(old_doc, new_doc), repeat * 4)
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


def bench_generate(repeat: int) -> list[tuple[str, str, str]]:
    """The payload generator on a 50-property object (was a timed unit test)."""
    from accord.payloads.generate import valid_payloads

    kinds: list[dict[str, Any]] = [
        {"type": "string", "maxLength": 10},
        {"type": "integer", "minimum": 0},
        {"enum": ["a", "b"]},
        {"type": "string", "format": "date-time"},
        {"type": "array", "items": {"type": "string"}},
        {"type": ["number", "null"]},
    ]
    schema = {
        "type": "object",
        "properties": {f"p{i}": kinds[i % len(kinds)] for i in range(50)},
        "required": [f"p{i}" for i in range(0, 50, 3)],
        "additionalProperties": False,
    }
    valid_payloads(schema, n=20)  # compile the validators once
    seeds = iter(range(10**6))
    t = _best(lambda: valid_payloads(schema, n=20, seed=next(seeds)), repeat)
    return [("generate 20 payloads, 50-property object", f"{t * 1000:.1f} ms", "< 100 ms")]


def bench_service(repeat: int) -> list[tuple[str, str, str]]:
    """Startup contract checks (accord.require) for 20 (contract, model, role) pairs.

    The models are the generated ones embedded in examples/orders_service (12 consumer
    checks, 8 producer checks). "fresh process" clears accord's in-memory caches and
    the registry's memo (bundles, validators) before each run, keeping the on-disk
    cache: what a service pays at boot after its own imports and the registry load.
    """
    import importlib
    import tempfile

    from accord.registry.model import Registry
    from accord.service import startup as _service

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


# --- validators ----------------------------------------------------------------------

ORDER_REF = "orders.order-placed@2.0.0"


def _order_payload(lines: int) -> dict[str, Any]:
    """An ``orders.order-placed@2.0.0`` payload with ``lines`` line items."""
    return {
        "order_id": "6f1c2a1e-8d3b-4c55-9e0f-1a2b3c4d5e6f",
        "placed_at": "2024-05-17T09:41:00+02:00",
        "status": "confirmed",
        "coupon_code": "SPRING24",
        "customer": {"id": 42, "email": "ada.lovelace@example.com"},
        "line_items": [
            {
                "sku": f"MUG-{1000 + i:04d}",
                "quantity": 1 + i % 5,
                "unit_price": {"amount": f"{9 + i % 50}.50", "currency": "EUR"},
            }
            for i in range(lines)
        ],
        "shipping_address": {
            "line1": "12 Analytical Row",
            "line2": "Flat 3",
            "city": "London",
            "postal_code": "N1 9GU",
            "country": "GB",
        },
        "total": {"amount": "1234.50", "currency": "EUR"},
    }


def _per_call(fn: Callable[[], Any], repeat: int) -> float:
    """Best per-call time in seconds over ``repeat`` batches sized to ~20 ms."""
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < 0.02:
        fn()
        calls += 1
    batch = max(calls, 1)

    def run() -> None:
        for _ in range(batch):
            fn()

    return _best(run, repeat) / batch


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} us"


def _model_class(registry: Any, ref: str, out: Path) -> Any:
    import importlib

    from accord.codegen import generate_package

    generate_package(registry, out, package="bench_models")
    sys.path.insert(0, str(out))
    version = registry.get(ref)
    namespace, name = version.contract_id.split(".")
    dotted = str(version.version).replace(".", "_")
    module = importlib.import_module(f"bench_models.{namespace}.{name.replace('-', '_')}.v{dotted}")
    return module.MODEL


def bench_validate(repeat: int) -> list[tuple[str, str, str]]:
    import json
    import tempfile

    import jsonschema
    import jsonschema_rs

    import accord
    from accord.core.frozen import thaw
    from accord.registry.model import Registry

    registry = Registry.load(ROOT / "contracts")
    # Bundles are read-only (FrozenDict/FrozenList); jsonschema-rs takes plain JSON.
    schema = thaw(registry.bundle(ORDER_REF))
    validator = accord.validator(ORDER_REF, registry=registry)
    direct = jsonschema_rs.Draft202012Validator(schema, validate_formats=True, offline=True)
    plain = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            model: Any = _model_class(registry, ORDER_REF, Path(tmp))
        except Exception as exc:  # noqa: BLE001 - a benchmark reports what it could not measure
            model = None
            rows.append(("generated model", f"skipped: {exc}"[:60], ""))
        for lines in (10, 100):  # 10 line items: the 1.3 KB payload
            payload = _order_payload(lines)
            data = json.dumps(payload).encode()
            if not validator.is_valid(payload):
                raise SystemExit("the benchmark payload must be valid")
            label = f"{len(data) / 1024:.1f} KB, {lines} line item{'s' if lines > 1 else ''}"
            ours = _per_call(lambda p=payload: validator.is_valid(p), repeat)
            rs = _per_call(lambda p=payload: direct.is_valid(p), repeat)
            py = _per_call(lambda p=payload: plain.is_valid(p), max(2, repeat // 2))
            vj = _per_call(lambda d=data: validator.validate_json(d), repeat)
            base = _per_call(lambda d=data: direct.is_valid(json.loads(d)), repeat)
            rows += [
                (f"[{label}] accord.validator(ref).is_valid", _us(ours), ""),
                (f"[{label}] jsonschema-rs is_valid, direct", _us(rs), ""),
                (f"[{label}] python-jsonschema is_valid", _us(py), ""),
                (f"[{label}]   speed-up over python-jsonschema", f"{py / ours:.0f}x", ">= 60x"),
                (f"[{label}]   overhead over jsonschema-rs", f"{ours / rs:.2f}x", "<= 1.10x"),
                (f"[{label}] validate_json(bytes)", _us(vj), ""),
                (f"[{label}] json.loads + jsonschema-rs", _us(base), ""),
                (f"[{label}]   validate_json ratio", f"{vj / base:.2f}x", "<= 1.2x"),
            ]
            if model is not None:
                mv = _per_call(lambda d=data: model.model_validate_json(d), repeat)
                rows.append((f"[{label}] generated model.model_validate_json", _us(mv), "(info)"))
    return rows


# --- boot and codegen on a 100-contract registry --------------------------------------


def _big_registry(root: Path, count: int = 100) -> list[str]:
    """Write a registry of ``count`` contracts (one 1.0.0 each) with a lock; their refs."""
    import hashlib
    import json

    from accord.registry.model import Registry

    example = Registry.load(ROOT / "contracts").bundle(ORDER_REF)
    root.mkdir(parents=True, exist_ok=True)
    (root / "accord.toml").write_text('mode = "full"\n', encoding="utf-8")
    lock = []
    refs = []
    for i in range(count):
        folder = root / "bench" / f"contract-{i:03d}"
        folder.mkdir(parents=True)
        (folder / "contract.toml").write_text('owner = "bench"\nkind = "event"\n', encoding="utf-8")
        schema = dict(example, title=f"Contract {i}")
        raw = (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode()
        (folder / "1.0.0.schema.json").write_bytes(raw)
        lock.append(f"bench.contract-{i:03d} 1.0.0 sha256:{hashlib.sha256(raw).hexdigest()}\n")
        refs.append(f"bench.contract-{i:03d}@1.0.0")
    (root / "accord.lock").write_text("".join(sorted(lock)), encoding="utf-8")
    return refs


_BOOT = """
import sys, time
start = time.perf_counter()
import accord
for ref in sys.argv[2:]:
    accord.validator(ref, registry=sys.argv[1])
print(time.perf_counter() - start)
"""


def bench_boot(repeat: int) -> list[tuple[str, str, str]]:
    import subprocess
    import tempfile

    from accord.codegen import generate_package
    from accord.registry.model import Registry

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "contracts"
        refs = _big_registry(root)
        times = []
        for _ in range(max(1, min(repeat, 3))):
            done = subprocess.run(
                [sys.executable, "-c", _BOOT, str(root), *refs],
                check=True,
                capture_output=True,
                text=True,
            )
            times.append(float(done.stdout.strip()))
        rows.append(
            ("boot: first validator for each of 100 contracts", f"{min(times):.3f} s", "< 0.3 s")
        )
        out = Path(tmp) / "out"
        start = time.perf_counter()
        generate_package(Registry.load(root), out)
        full = time.perf_counter() - start
        start = time.perf_counter()
        generate_package(Registry.load(root), out)
        noop = time.perf_counter() - start
        rows.append(("codegen: full generation, 100 contracts", f"{full:.2f} s", "< 10 s"))
        rows.append(("codegen: no-op run, 100 contracts", f"{noop:.2f} s", "< 1 s"))
    return rows


def bench_provider(repeat: int) -> list[tuple[str, str, str]]:
    """Provider verification: 200 HTTP interactions replayed in process (FastAPI)."""
    import json
    import tempfile

    from fastapi import FastAPI, HTTPException

    from accord.consumers import Expectation, integer, string
    from accord.provider import StateRegistry, app_target, verify_provider
    from accord.registry.model import Registry

    users: dict[int, dict[str, Any]] = {}
    app = FastAPI()

    @app.get("/users/{user_id}")
    def get_user(user_id: int) -> dict[str, Any]:
        if user_id not in users:
            raise HTTPException(404)
        return users[user_id]

    states = StateRegistry()

    @states.state("user exists")
    def user_exists(id: int) -> Any:
        users[id] = {"id": id, "name": f"user {id}", "email": f"u{id}@example.com"}
        yield
        users.pop(id, None)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        contract = root / "users" / "user"
        contract.mkdir(parents=True)
        (contract / "contract.toml").write_text(
            'owner = "t"\nprovider = "users-service"\nkind = "response"\n'
        )
        schema = json.loads((ROOT / "contracts/users/user/1.1.0.schema.json").read_text())
        (contract / "1.1.0.schema.json").write_text(json.dumps(schema))
        e = Expectation("billing", version="1.0.0")
        for i in range(1, 201):
            (
                e.upon_receiving(f"get user {i}")
                .given("user exists", id=i)
                .with_request("GET", f"/users/{i}")
                .will_respond_with(
                    200,
                    contract="users.user@^1",
                    body={"id": integer(i), "name": string("x"), "email": string("a@b.c")},
                )
            )
        e.write(root)
        registry = Registry.load(root)

        def run() -> None:
            target = app_target(app)
            try:
                report = verify_provider(registry, "users-service", target=target, states=states)
            finally:
                target.close()
            if not report.ok or len(report.results) != 200:
                raise RuntimeError(report.render_text())

        t = _best(run, repeat)
    return [("provider: verify 200 interactions in process (FastAPI)", f"{t:.2f} s", "< 2 s")]


def _write_gate_registry(root: Path, contracts: int) -> None:
    """``contracts`` contracts with 1.0.0, 1.1.0 and 1.2.0 (additive minors) and a lock."""
    import hashlib
    import json

    lock: list[str] = []
    for i in range(contracts):
        cid = (f"ns{i % 20:02d}", f"c{i:04d}")
        directory = root / cid[0] / cid[1]
        directory.mkdir(parents=True)
        (directory / "contract.toml").write_text('owner = "bench"\nkind = "event"\n')
        props: dict[str, Any] = {"id": {"type": "integer"}, "name": {"type": "string"}}
        for minor in range(3):
            props[f"f{minor}"] = {"type": "string", "maxLength": 40}
            doc = {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "properties": dict(props),
                "required": ["id"],
            }
            raw = (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()
            (directory / f"1.{minor}.0.schema.json").write_bytes(raw)
            lock.append(f"{cid[0]}.{cid[1]} 1.{minor}.0 sha256:{hashlib.sha256(raw).hexdigest()}")
    (root / "accord.lock").write_text("".join(f"{line}\n" for line in sorted(lock)))


def bench_check(repeat: int) -> list[tuple[str, str, str]]:
    """accord check on 1,000 contracts x 3 versions against a ref where 10 changed."""
    import hashlib
    import json
    import subprocess
    import tempfile

    from accord.gate.check import check

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "b",
            "GIT_AUTHOR_EMAIL": "b@example.com",
            "GIT_COMMITTER_NAME": "b",
            "GIT_COMMITTER_EMAIL": "b@example.com",
        }

        def git(*args: str) -> None:
            subprocess.run(
                ["git", "-C", str(repo), *args], check=True, env=env, capture_output=True
            )

        git("init", "-q", "-b", "main")
        root = repo / "contracts"
        _write_gate_registry(root, 1000)
        git("add", "-A")
        git("commit", "-q", "-m", "base")
        git("checkout", "-q", "-b", "change")
        lock = (root / "accord.lock").read_text().splitlines()
        for i in range(0, 1000, 100):  # 10 contracts get a 1.3.0
            ns, name = f"ns{i % 20:02d}", f"c{i:04d}"
            doc = json.loads((root / ns / name / "1.2.0.schema.json").read_text())
            doc["properties"]["added"] = {"type": "boolean"}
            raw = (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()
            (root / ns / name / "1.3.0.schema.json").write_bytes(raw)
            lock.append(f"{ns}.{name} 1.3.0 sha256:{hashlib.sha256(raw).hexdigest()}")
        (root / "accord.lock").write_text("".join(f"{line}\n" for line in sorted(lock)))
        git("add", "-A")
        git("commit", "-q", "-m", "ten new versions")
        best: Any = None
        from accord.gate import check as _gate

        for _ in range(max(1, min(repeat, 3))):
            _gate._DIFF_CACHE.clear()  # each run diffs from scratch, as a fresh CI job does
            start = time.perf_counter()
            report = check(root, against="main")
            total = time.perf_counter() - start
            if best is None or total < best[0]:
                best = (total, dict(report.timings), len(report.checked), report.failed())
        total, timings, checked, failed = best
        rows.append(
            (
                f"check 1,000 contracts x 3 versions --against main ({checked} changed)",
                f"{total:.2f} s",
                "< 10 s",
            )
        )
        split = ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
        rows.append(("  split: " + split, "", "failed" if failed else "clean"))
        start = time.perf_counter()
        alone = check(root)
        rows.append(
            (
                "check the same registry alone (every version diffed)",
                f"{time.perf_counter() - start:.2f} s",
                "",
            )
        )
        _ = alone
    return rows


BENCHES: dict[str, Callable[[int], list[tuple[str, str, str]]]] = {
    "diff": bench_diff,
    "generate": bench_generate,
    "service": bench_service,
    "validate": bench_validate,
    "boot": bench_boot,
    "provider": bench_provider,
    "check": bench_check,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(BENCHES))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} "
        f"{os.cpu_count()} CPUs, python {platform.python_version()} on {platform.platform()}"
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
