"""accord benchmarks (``make bench``): every row of issue 17 as a contender against its floor.

How a figure is made, so that it can back a claim:

- each row pits accord (the *contender*) against a *floor* (the least the job can cost:
  ``python -c pass``, a plain script) or a *peer* from the package index (jsonschema-rs,
  orjson, jsoncompat, datamodel-code-generator, ...), and states the goal as a ratio (or
  an absolute bound) from the issue;
- in-process rows run both sides in this process; rows about a command or a fresh
  process (``accord --version``, ``check``, ``codegen``, boot) run a fresh subprocess
  per sample and count its CPU time (user + system, from ``wait4``), which a shared
  machine disturbs far less than the wall clock;
- every round runs each side of every row of a group once, in a new random order
  (contenders interleaved with their floors, so a slow minute hits both), after one
  warm-up sample per side; a row reports the median of its rounds and the spread
  (interquartile range over the median, in %);
- registries of 100 / 1,000 / 5,000 contracts x 3 versions are generated
  deterministically (``scripts/bench_registry.py``) and cached under ``.bench/``.

The result goes to ``.bench/results.json`` (machine, date, the version of every library,
per row: median, spread, ratio, goal, met); ``scripts/bench_render.py`` renders the table
of docs/performance.md from that file and nothing else.

Usage: python scripts/bench.py [--scale tiny|small|full] [--only GROUP ...] [--rounds N]
       (``BENCH_SCALE`` sets the default scale: ``small`` is 100 contracts only)
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench_registry  # noqa: E402 - a sibling script

RESULTS_FORMAT = 1
LIBRARIES = (
    "accord",
    "jsonschema",
    "jsonschema-rs",
    "fastjsonschema",
    "referencing",
    "orjson",
    "msgspec",
    "pydantic",
    "pydantic-core",
    "datamodel-code-generator",
    "jsoncompat",
)


@dataclass(frozen=True)
class Scale:
    """Which sizes a run measures and how many rounds it spends on each kind of row."""

    name: str
    registries: tuple[int, ...]  # contracts (x 3 versions each)
    diff_sizes: tuple[int, ...]  # properties
    codegen: int  # contracts
    memory: int  # contracts
    rounds_fast: int  # in-process microsecond rows
    rounds_process: int  # a fresh process per sample, under a second
    rounds_slow: int  # samples of several seconds
    warm_up: bool = True  # one unmeasured sample per side first


SCALES = {
    "tiny": Scale("tiny", (3,), (20,), 3, 3, 5, 3, 3, warm_up=False),
    "small": Scale("small", (100,), (50, 500), 100, 100, 21, 11, 5),
    "full": Scale("full", (100, 1000, 5000), (50, 500, 5000), 100, 1000, 21, 11, 3),
}


# -- measuring ---------------------------------------------------------------------------


@dataclass
class Side:
    """One contender or floor: ``sample()`` returns one measurement (seconds, or MiB)."""

    label: str
    sample: Callable[[], float]
    values: list[float] = field(default_factory=list)


@dataclass
class Row:
    id: str
    group: str
    path: str
    contender: Side
    floor: Side | None
    goal: str
    rounds: int
    max_ratio: float | None = None
    max_value: float | None = None  # an absolute goal on the contender's median
    unit: str = "s"  # "s" (shown in s, ms or us) or "MiB"


def _stats(values: list[float]) -> dict[str, Any]:
    median = statistics.median(values)
    if len(values) >= 4:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1, q3 = min(values), max(values)
    spread = 100.0 * (q3 - q1) / median if median else 0.0
    return {"median": median, "spread_pct": round(spread, 1), "samples": len(values)}


def run_group(rows: list[Row], rng: random.Random, *, warm_up: bool = True) -> None:
    """Warm every side once, then run ``rounds`` rounds, each side once per round, in a
    new random order each round."""
    sides = [(row, side) for row in rows for side in (row.contender, row.floor) if side]
    for _, side in sides if warm_up else ():
        side.sample()
    for index in range(max(row.rounds for row in rows)):
        order = [(row, side) for row, side in sides if index < row.rounds]
        rng.shuffle(order)
        for _, side in order:
            side.values.append(side.sample())


def batched(fn: Callable[[], Any], target: float = 0.02) -> Callable[[], float]:
    """A sample of ``fn``: the CPU time of one call, averaged over a batch of ~``target``
    s (the batch size is fixed once, so every sample runs the same work). CPU time, not
    the wall clock: other load on a shared machine then mostly stays out of it."""
    fn()
    start = time.process_time()
    calls = 0
    while time.process_time() - start < target:
        fn()
        calls += 1
    batch = max(calls, 1)

    def sample() -> float:
        start = time.process_time()
        for _ in range(batch):
            fn()
        return (time.process_time() - start) / batch

    return sample


def timed(fn: Callable[[], Any]) -> Callable[[], float]:
    """A sample of ``fn``: the CPU time of one call in this process."""

    def sample() -> float:
        start = time.process_time()
        fn()
        return time.process_time() - start

    return sample


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    env.pop("ACCORD_DEBUG", None)
    return {**env, **(extra or {})}


def run_process(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, str]:
    """Run ``argv``; its CPU time (user + system) and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # The argv is built by this script: no shell, no user input.
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:4]} exited {proc.returncode}: {problem[-2000:]}")
    return usage.ru_utime + usage.ru_stime, text


def process(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    before: Callable[[], dict[str, str]] | None = None,
    reported: bool = False,
) -> Callable[[], float]:
    """A sample: a fresh process's CPU time, or (``reported``) the last number it prints.

    ``before`` runs first (outside the measurement) and returns extra environment."""

    def sample() -> float:
        extra = before() if before else {}
        cpu, out = run_process(argv, _env({**(env or {}), **extra}))
        if reported and not out.split():
            raise RuntimeError(f"{argv[:4]} printed nothing")
        return float(out.split()[-1]) if reported else cpu

    return sample


def python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def accord(*args: str) -> list[str]:
    # What the installed console script runs, without depending on it being installed.
    return python("import sys; from accord.cli import main; sys.exit(main())", *args)


# -- the rows ----------------------------------------------------------------------------

EXAMPLE = ROOT / "contracts"
ORDER_REF = "orders.order-placed@2.0.0"


def order_payload(lines: int = 10) -> dict[str, Any]:
    """An ``orders.order-placed@2.0.0`` payload; 10 line items make the 1.3 KB one."""
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


def invalid_payload() -> dict[str, Any]:
    payload = order_payload()
    payload["customer"]["email"] = "not an email"
    payload["line_items"][3]["quantity"] = -1
    payload["total"]["currency"] = "euro"
    return payload


def rows_validate(scale: Scale) -> list[Row]:
    import fastjsonschema
    import jsonschema
    import jsonschema_rs
    import msgspec
    import orjson

    import accord
    from accord.core.frozen import thaw
    from accord.registry.model import Registry

    registry = Registry.load(EXAMPLE)
    schema = thaw(registry.bundle(ORDER_REF))
    validator = accord.validator(ORDER_REF, registry=registry)
    rs = jsonschema_rs.Draft202012Validator(schema, validate_formats=True, offline=True)
    py = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    fast = fastjsonschema.compile(schema, handlers={}, use_formats=True)
    payload, bad = order_payload(), invalid_payload()
    data, bad_data = orjson.dumps(payload), orjson.dumps(bad)
    if not rs.is_valid(payload) or rs.is_valid(bad) or not validator.errors(bad):
        raise SystemExit("the benchmark payloads are not what they claim")
    n = scale.rounds_fast
    kb = f"{len(data) / 1024:.1f} KB"
    return [
        Row(
            "explain-invalid",
            "validate",
            f"explain an invalid {kb} payload (`Validator.errors`)",
            Side("accord", batched(lambda: validator.errors(bad))),
            Side("jsonschema-rs iter_errors", batched(lambda: list(rs.iter_errors(bad)))),
            "<= 2x",
            n,
            max_ratio=2.0,
        ),
        Row(
            "validate-json",
            "validate",
            f"`validate_json(bytes)`, {kb} valid",
            Side("accord", batched(lambda: validator.validate_json(data))),
            Side("orjson.loads + rs is_valid", batched(lambda: rs.is_valid(orjson.loads(data)))),
            "<= 1.3x",
            n,
            max_ratio=1.3,
        ),
        Row(
            "is-valid",
            "validate",
            f"`is_valid(payload)`, {kb}",
            Side("accord", batched(lambda: validator.is_valid(payload))),
            Side("jsonschema-rs is_valid", batched(lambda: rs.is_valid(payload))),
            "<= 1.1x",
            n,
            max_ratio=1.1,
        ),
        Row(
            "peer-python-jsonschema",
            "validate",
            f"(peer) python-jsonschema `is_valid`, {kb}, vs accord",
            Side("python-jsonschema", batched(lambda: py.is_valid(payload))),
            Side("accord is_valid", batched(lambda: validator.is_valid(payload))),
            "(info)",
            n,
        ),
        Row(
            "peer-fastjsonschema",
            "validate",
            f"(peer) fastjsonschema compiled validator, {kb}, vs accord",
            Side("fastjsonschema", batched(lambda: fast(payload))),
            Side("accord is_valid", batched(lambda: validator.is_valid(payload))),
            "(info)",
            n,
        ),
        Row(
            "peer-bad-data",
            "validate",
            f"(peer) `validate_json` of the invalid {kb}, vs msgspec decode + rs is_valid",
            Side("accord", batched(lambda: _refused(validator, bad_data))),
            Side(
                "msgspec.json.decode + rs is_valid",
                batched(lambda: rs.is_valid(msgspec.json.decode(bad_data))),
            ),
            "(info)",
            n,
        ),
    ]


def _refused(validator: Any, data: bytes) -> None:
    from accord.errors import ContractViolation

    try:
        validator.validate_json(data)
    except ContractViolation:
        return
    raise SystemExit("the invalid payload was accepted")


_FIRST = """
import sys, time
import accord
validator = accord.validator(sys.argv[2], registry=sys.argv[1])
data = open(sys.argv[3], "rb").read()
start = time.perf_counter()
if sys.argv[4] == "valid":
    validator.validate_json(data)
else:
    assert validator.errors(__import__("json").loads(data))
print(time.perf_counter() - start)
"""

_READY = """
import sys
import accord
registry = accord.Registry.load(sys.argv[1])
for ref in sys.argv[2:]:
    accord.validator(ref, registry=registry)
"""

_READY_RS = """
import json, sys
import jsonschema_rs
for document in json.load(open(sys.argv[1])):
    jsonschema_rs.Draft202012Validator(document, validate_formats=True, offline=True)
"""

# The peak resident set of this process image: VmHWM, not ru_maxrss (which keeps the
# high-water mark of the forking parent, the harness itself, across exec).
_PEAK = """
def _peak_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

_MEMORY = (
    _READY
    + """
print(_peak_mib())
"""
)

_MEMORY_RS = """
import json, sys
import jsonschema_rs
keep = [
    jsonschema_rs.Draft202012Validator(document, validate_formats=True, offline=True)
    for document in json.load(open(sys.argv[1]))
]
print(_peak_mib())
"""


def _latest_refs(root: Path) -> list[str]:
    from accord.registry.model import Registry

    registry = Registry.load(root)
    return [contract.versions[-1].ref for contract in registry]


def _bundles_file(root: Path, refs: list[str]) -> Path:
    """The bundled documents of ``refs`` in one JSON file (what the rs floor compiles)."""
    from accord.core.frozen import thaw
    from accord.registry.model import Registry

    out = root.parent / f"bundles-{len(refs)}.json"
    if not out.is_file():
        registry = Registry.load(root)
        out.write_text(json.dumps([thaw(registry.bundle(ref)) for ref in refs]))
    return out


def rows_boot(scale: Scale, tmp: Path) -> list[Row]:
    import orjson

    rows: list[Row] = []
    valid, invalid = tmp / "valid.json", tmp / "invalid.json"
    valid.write_bytes(orjson.dumps(order_payload()))
    invalid.write_bytes(orjson.dumps(invalid_payload()))
    n = scale.rounds_process
    for kind, path in (("valid", valid), ("invalid", invalid)):
        what = "`validate_json`" if kind == "valid" else "invalid payload explained"
        rows.append(
            Row(
                f"first-{kind}",
                "boot",
                f"first {what} after boot (fresh process)",
                Side(
                    "accord",
                    process(
                        python(_FIRST, str(EXAMPLE), ORDER_REF, str(path), kind), reported=True
                    ),
                ),
                None,
                "< 5 ms",
                n,
                max_value=0.005,
            )
        )
    for size in scale.registries:
        if size not in (scale.registries[0], 5000):
            continue
        root = bench_registry.ensure(size)
        refs = _latest_refs(root)
        bundles = _bundles_file(root, refs)
        rows.append(
            Row(
                f"ready-{size}",
                "boot",
                f"validators ready, {size:,} contracts, fresh process",
                Side("accord", process(python(_READY, str(root), *refs))),
                Side("jsonschema-rs compiling the same", process(python(_READY_RS, str(bundles)))),
                "<= 1.5x",
                n if size <= 1000 else scale.rounds_slow,
                max_ratio=1.5,
            )
        )
    root = bench_registry.ensure(scale.memory)
    refs = _latest_refs(root)
    bundles = _bundles_file(root, refs)
    rows.append(
        Row(
            f"memory-{scale.memory}",
            "boot",
            f"peak memory, {scale.memory:,} contracts loaded",
            Side("accord", process(python(_PEAK + _MEMORY, str(root), *refs), reported=True)),
            Side(
                "jsonschema-rs alone",
                process(python(_PEAK + _MEMORY_RS, str(bundles)), reported=True),
            ),
            "<= 1.3x",
            scale.rounds_slow,
            max_ratio=1.3,
            unit="MiB",
        )
    )
    rows.append(
        Row(
            "version",
            "boot",
            "`accord --version`",
            Side("accord", process(accord("--version"))),
            Side("python -c pass", process(python("pass"))),
            "<= 2x",
            n * 2,
            max_ratio=2.0,
        )
    )
    return rows


def wide_schema(n: int) -> dict[str, Any]:
    kinds: list[dict[str, Any]] = [
        {"type": "string", "maxLength": 64},
        {"type": "integer", "minimum": 0},
        {"type": "number", "maximum": 1000},
        {"type": "boolean"},
        {"enum": ["a", "b", "c"]},
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {f"field_{i:05d}": dict(kinds[i % len(kinds)]) for i in range(n)},
        "required": [f"field_{i:05d}" for i in range(0, n, 10)],
    }


def changed_schema(schema: dict[str, Any], changes: int = 5) -> dict[str, Any]:
    new = json.loads(json.dumps(schema))
    props = new["properties"]
    names = sorted(props)
    step = max(1, len(names) // changes)
    for k, name in enumerate(names[::step][:changes]):
        if k % 2 == 0:
            props[name] = {"type": "string", "maxLength": 32}
        else:
            props[f"{name}_added"] = {"type": "string"}
    return new


def rows_diff(scale: Scale) -> list[Row]:
    import jsoncompat

    from accord.compat import diff
    from accord.validation.budget import SchemaLimits

    # 5,000 properties is over the default max-items (1,000): a registry meaning it
    # raises the cap in accord.toml, as the benchmark does here.
    limits = SchemaLimits(max_items=10_000, max_nodes=200_000)
    rows = []
    for n in scale.diff_sizes:
        old, new = wide_schema(n), changed_schema(wide_schema(n))
        old_text, new_text = json.dumps(old), json.dumps(new)
        rows.append(
            Row(
                f"diff-{n}",
                "diff",
                f"diff, {n:,} properties (5 changed)",
                Side("accord", timed(lambda o=old, w=new: diff(o, w, limits=limits))),
                Side(
                    "jsoncompat (Rust) check_compat",
                    timed(lambda o=old_text, w=new_text: jsoncompat.check_compat(o, w, "both")),
                ),
                "<= 2x",
                scale.rounds_process if n <= 500 else scale.rounds_slow,
                max_ratio=2.0,
            )
        )
    return rows


_PLAIN_ALONE = """
import hashlib, json, pathlib, sys
from accord.compat import diff
root = pathlib.Path(sys.argv[1])
lock = {}
for line in (root / "accord.lock").read_text().splitlines():
    contract, version, digest = line.split(" ")
    lock[(contract, version)] = digest
by_contract = {}
for (contract, version), digest in lock.items():
    ns, name = contract.split(".")
    raw = (root / ns / name / f"{version}.schema.json").read_bytes()
    assert "sha256:" + hashlib.sha256(raw).hexdigest() == digest
    by_contract.setdefault(contract, []).append((tuple(map(int, version.split("."))), raw))
for versions in by_contract.values():
    versions.sort()
    docs = [json.loads(raw) for _, raw in versions]
    for old, new in zip(docs, docs[1:]):
        assert diff(old, new, mode="full").compatible
"""

_PLAIN_AGAINST = """
import hashlib, json, pathlib, subprocess, sys
from accord.compat import diff
root = pathlib.Path(sys.argv[1])
names = subprocess.run(
    ["git", "-C", str(root), "diff", "--name-only", "main...HEAD", "--", "."],
    capture_output=True, text=True, check=True,
).stdout.split()
lock = {}
for line in (root / "accord.lock").read_text().splitlines():
    contract, version, digest = line.split(" ")
    lock[(contract, version)] = digest
for (contract, version), digest in lock.items():
    ns, name = contract.split(".")
    raw = (root / ns / name / f"{version}.schema.json").read_bytes()
    assert "sha256:" + hashlib.sha256(raw).hexdigest() == digest
for name in names:
    path = root.parent / name
    if not path.name.endswith(".schema.json"):
        continue
    folder, version = path.parent, path.name.removesuffix(".schema.json")
    numbers = sorted(tuple(map(int, p.name.split(".")[:3])) for p in folder.glob("*.schema.json"))
    at = numbers.index(tuple(map(int, version.split("."))))
    previous = ".".join(map(str, numbers[at - 1]))
    old = json.loads((folder / f"{previous}.schema.json").read_bytes())
    assert diff(old, json.loads(path.read_bytes()), mode="full").compatible
"""


def rows_check(scale: Scale, tmp: Path) -> list[Row]:
    rows = []
    caches = iter(range(10**9))

    def cold() -> dict[str, str]:
        # a cache directory nobody has used: every verdict is computed
        return {"ACCORD_CACHE_DIR": str(tmp / f"cold-{next(caches)}")}

    largest = scale.registries[-1]
    for size in scale.registries:
        root = bench_registry.ensure(size)
        slow = size > 1000
        rounds = scale.rounds_slow if size >= 1000 else scale.rounds_process
        rows.append(
            Row(
                f"against-{size}",
                "check",
                f"`check --against`, {size:,} x 3 versions, "
                f"{len(bench_registry.changed_contracts(size))} changed",
                Side(
                    "accord",
                    process(
                        accord("check", "--registry", str(root), "--against", "main"), before=cold
                    ),
                ),
                Side(
                    "git diff + lock digests + diff of the changed",
                    process(python(_PLAIN_AGAINST, str(root))),
                ),
                "<= 3x" + ("; < 3 s" if slow else ""),
                rounds,
                max_ratio=3.0,
                max_value=3.0 if slow else None,
            )
        )
        rows.append(
            Row(
                f"alone-{size}",
                "check",
                f"`check` on the registry alone, {size:,} x 3 versions",
                Side("accord", process(accord("check", "--registry", str(root)), before=cold)),
                Side(
                    "every pair diffed by a plain script", process(python(_PLAIN_ALONE, str(root)))
                ),
                "<= 3x",
                scale.rounds_slow if size >= 1000 else scale.rounds_process,
                max_ratio=3.0,
            )
        )
        if size == largest:
            warm = tmp / "warm"
            run_process(
                accord("check", "--registry", str(root)), _env({"ACCORD_CACHE_DIR": str(warm)})
            )
            rows.append(
                Row(
                    f"alone-warm-{size}",
                    "check",
                    f"`check` re-run on the unchanged registry, {size:,} x 3, warm cache",
                    Side(
                        "accord",
                        process(
                            accord("check", "--registry", str(root)),
                            env={"ACCORD_CACHE_DIR": str(warm)},
                        ),
                    ),
                    None,
                    "< 1 s",
                    scale.rounds_process,
                    max_value=1.0,
                )
            )
    return rows


_IMPORT_FLOOR = "import accord.cli._cmd_codegen, accord.codegen, accord.registry.model"


def rows_codegen(scale: Scale, tmp: Path) -> list[Row]:
    from datamodel_code_generator import InputFileType, generate
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import Formatter

    from accord.codegen import generate_package
    from accord.core.frozen import thaw
    from accord.registry.model import Registry

    root = bench_registry.ensure(scale.codegen)
    out = tmp / "noop"
    run_process(accord("codegen", "--registry", str(root), "--out", str(out)), _env())
    registry = Registry.load(root)
    bundles = [json.dumps(thaw(registry.bundle(v))) for v in registry.versions()]
    fresh = iter(range(10**9))

    def ours() -> None:
        target = tmp / f"full-{next(fresh)}"
        generate_package(Registry.load(root), target)
        shutil.rmtree(target)

    def peer() -> None:
        for text in bundles:
            generate(
                text,
                input_file_type=InputFileType.JsonSchema,
                output_model_type=DataModelType.PydanticV2BaseModel,
                disable_timestamp=True,
                formatters=[Formatter.BUILTIN],  # what accord's codegen uses
            )

    n = scale.codegen
    return [
        Row(
            f"codegen-noop-{n}",
            "codegen",
            f"codegen no-op, {n:,} contracts",
            Side("accord", process(accord("codegen", "--registry", str(root), "--out", str(out)))),
            Side("import floor", process(python(_IMPORT_FLOOR))),
            "<= 2x",
            scale.rounds_process,
            max_ratio=2.0,
        ),
        Row(
            f"codegen-full-{n}",
            "codegen",
            f"codegen full, {n:,} contracts x 3 versions",
            Side("accord", timed(ours)),
            Side("datamodel-codegen in process", timed(peer)),
            "<= 1.1x",
            scale.rounds_slow,
            max_ratio=1.1,
        ),
    ]


def growth_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``time(bigger) / time(smaller)`` for each family of sized rows: linear or better."""
    by_id = {r["id"]: r for r in results}
    out = []
    for family in ("diff", "against", "alone", "ready"):
        sized = sorted(
            (
                (int(found[1]), r)
                for key, r in by_id.items()
                if (found := re.fullmatch(rf"{family}-(\d+)", key))
            ),
            key=lambda pair: pair[0],
        )
        for (small, a), (big, b) in itertools.pairwise(sized):
            growth = b["contender"]["median"] / a["contender"]["median"]
            work = big / small
            out.append(
                {
                    "id": f"growth-{family}-{small}-{big}",
                    "group": a["group"],
                    "path": f"growth of {a['path'].split(',')[0]}, {small:,} -> {big:,}",
                    "unit": "x",
                    "contender": {"label": "accord", "median": growth, "spread_pct": None},
                    "floor": None,
                    "ratio": None,
                    "goal": f"<= {work:g}x",
                    "met": growth <= work,
                }
            )
    return out


# -- the run -----------------------------------------------------------------------------

GROUPS: dict[str, Callable[..., list[Row]]] = {
    "validate": rows_validate,
    "boot": rows_boot,
    "diff": rows_diff,
    "check": rows_check,
    "codegen": rows_codegen,
}


def versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "system": platform.platform(),
        "machine": platform.machine(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def row_result(row: Row) -> dict[str, Any]:
    contender = {"label": row.contender.label, **_stats(row.contender.values)}
    floor = {"label": row.floor.label, **_stats(row.floor.values)} if row.floor else None
    ratio = contender["median"] / floor["median"] if floor and floor["median"] else None
    checks = []
    if row.max_ratio is not None and ratio is not None:
        checks.append(ratio <= row.max_ratio)
    if row.max_value is not None:
        checks.append(contender["median"] <= row.max_value)
    return {
        "id": row.id,
        "group": row.group,
        "path": row.path,
        "unit": row.unit,
        "contender": contender,
        "floor": floor,
        "ratio": ratio,
        "goal": row.goal,
        "met": all(checks) if checks else None,
    }


def run(
    scale: Scale, groups: list[str], *, rounds: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """Measure ``groups`` at ``scale``; the results document."""
    rng = random.Random(seed)
    started = time.time()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        for name in groups:
            maker = GROUPS[name]
            needs_tmp = name in ("boot", "check", "codegen")
            rows = maker(scale, tmp) if needs_tmp else maker(scale)
            if rounds is not None:
                for row in rows:
                    row.rounds = rounds
            print(f"[{name}] {len(rows)} rows ...", file=sys.stderr, flush=True)
            run_group(rows, rng, warm_up=scale.warm_up)
            results += [row_result(row) for row in rows]
    results += growth_rows(results)
    return {
        "format_version": RESULTS_FORMAT,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scale": scale.name,
        "seconds": round(time.time() - started, 1),
        "machine": machine(),
        "versions": versions(),
        "method": (
            "median of interleaved rounds in random order; spread = IQR / median; "
            "CPU time: in-process calls in batches, fresh-process rows the child's "
            "user + system time; memory: the child's VmHWM"
        ),
        "rows": results,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", choices=sorted(SCALES), default=os.environ.get("BENCH_SCALE", "full")
    )
    parser.add_argument("--only", nargs="+", choices=sorted(GROUPS), default=list(GROUPS))
    parser.add_argument("--rounds", type=int, help="rounds for every row (default: per row)")
    parser.add_argument("--seed", type=int, help="seed of the round order (default: random)")
    bench_dir = Path(os.environ.get("BENCH_DIR", ROOT / ".bench"))
    parser.add_argument("--out", type=Path, default=bench_dir / "results.json")
    parser.add_argument(
        "--render", action="store_true", help="then render docs/performance.md from the result"
    )
    args = parser.parse_args(argv)
    result = run(SCALES[args.scale], args.only, rounds=args.rounds, seed=args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    import bench_render

    print(bench_render.render_text(result))
    if args.render:
        bench_render.update(ROOT / "docs" / "performance.md", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
