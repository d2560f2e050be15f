"""accord benchmarks (``make bench``): every row of issue 17 as a contender against its floor.

How a figure is made, so that it can back a claim (docs/performance.md says it at length):

- each row pits accord (the *contender*) against a *floor* (the least the job can cost:
  ``python -c pass``, a plain script) or a *peer* from the package index (jsonschema-rs,
  orjson, jsoncompat, datamodel-code-generator, ...), and states the goal as a ratio (or
  an absolute bound) from the issue;
- in-process rows run both sides in this process; rows about a command or a fresh
  process (``accord --version``, ``check``, ``codegen``, boot) run a fresh subprocess
  per sample and count its CPU time (user + system, from ``wait4``), which a shared
  machine disturbs far less than the wall clock;
- accord is measured as installed: its modules are byte-compiled first (``compileall``,
  as pip does on install) and the children run with bytecode on, so no fresh process
  pays for compiling accord from source (checked in a child before measuring);
- every round runs each side of every row of a group once, in a new random order
  (contenders interleaved with their floors, so a slow minute hits both), after one
  warm-up call of each in-process side; a row reports the median of its rounds and its spread: the
  relative half-width of the 95% distribution-free confidence interval of the median
  (``scripts/bench_stats.py``). A row with a floor is judged by its ratio, taken per
  round (both sides back to back) and reported as the median of those ratios with the
  same interval: the drift of a shared machine's speed cancels in it. Rounds are added
  to a row until the spread of what it is judged by is under 10%, or the row's round cap
  or time budget is reached;
- the previous ``.bench/results.json`` is kept (``results.previous.json``) and every row
  states how far its median, its floor's and its ratio moved from it; a move over 15% of
  what the row is judged by (its ratio, or its figure) is flagged;
- registries of 100 / 1,000 / 5,000 contracts x 3 versions are generated
  deterministically (``scripts/bench_registry.py``) and cached under ``.bench/``.

The result goes to ``.bench/results.json`` (machine, date, the version of every library,
per row: every sample, median, interval, spread, ratio, goal, met, move from the previous
run); ``scripts/bench_render.py`` renders the tables of docs/performance.md and the
README from that file and nothing else.

Usage: python scripts/bench.py [--scale tiny|small|full] [--only GROUP ...] [--rounds N]
       (``BENCH_SCALE`` sets the default scale: ``small`` is 100 contracts only)
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import functools
import itertools
import json
import math
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
# accord from this tree, in this process as in the children (PYTHONPATH), whatever the
# venv's editable install points at
sys.path[:0] = [str(SRC), str(ROOT / "scripts")]

import bench_registry  # noqa: E402 - a sibling script
import bench_stats  # noqa: E402 - a sibling script

RESULTS_FORMAT = 3
# A re-run's median moving more than this is flagged (issue 17: "a re-run stays within 15%").
RERUN_LIMIT_PCT = 15.0
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
class Policy:
    """How many rounds a row gets. Each row runs at least a minimum number of rounds (more
    for cheap rounds), then more until the spread of what it is judged by (``Row.spread``:
    its paired ratio, or its figure) is at most ``target_pct``, unless it has run
    ``max_rounds`` rounds or spent ``budget`` seconds."""

    target_pct: float = 10.0  # sqrt(2) x 10% ~ 14%: a re-run's median within 15%
    fast_rounds: int = 21  # the minimum when a round takes under 0.1 s
    process_rounds: int = 11  # ... under 1 s
    slow_rounds: int = 6  # ... under ``slow_limit`` (6: the fewest a 95% interval needs)
    # s a round: check alone at 5,000 contracts takes 55 to 65 s (both sides), and at 3
    # rounds its interval is the range (75% coverage), ~20% wide on this host: 6 rounds
    slow_limit: float = 90.0
    crawl_rounds: int = 3  # ... longer: a range of 3, 75% coverage (stated as such)
    max_rounds: int = 61
    budget: float = 45.0  # seconds of measuring after which a row gets no more rounds
    # ... except that a row still over ``target_pct`` whose rounds take under 30 s may run
    # up to 12 rounds past the budget: with 6 samples the 95% interval is the whole range
    # (one outlier is the spread), with 9 it is x(2)..x(8), with 12 x(3)..x(10): two
    # outliers each side are out (multi-second fresh-process rows on a shared host)
    settle_rounds: int = 12
    # Cheap rounds (under 0.1 s: the in-process micro rows) may run this many instead of
    # ``max_rounds``, still within ``budget``: on a shared host their samples scatter
    # widely (an IQR near 50% of the median), and the interval of the median narrows
    # only with the square root of the rounds (61 left ~20%; 241, half that).
    fast_max_rounds: int = 241

    def minimum(self, round_seconds: float) -> int:
        if round_seconds < 0.1:
            return self.fast_rounds
        if round_seconds < 1.0:
            return self.process_rounds
        if round_seconds < self.slow_limit:
            return self.slow_rounds
        return self.crawl_rounds


@dataclass(frozen=True)
class Scale:
    """Which sizes a run measures and how it spends rounds on them."""

    name: str
    registries: tuple[int, ...]  # contracts (x 3 versions each)
    diff_sizes: tuple[int, ...]  # properties
    codegen: int  # contracts
    memory: tuple[int, ...]  # contracts
    policy: Policy
    warm_up: bool = True  # one unmeasured call of each in-process side first


SCALES = {
    "tiny": Scale(
        "tiny", (3, 6), (10, 20), 3, (3,), Policy(20.0, 3, 3, 3, 3, 5, 2.0), warm_up=False
    ),
    "small": Scale("small", (100,), (50, 500), 100, (100,), Policy()),
    "full": Scale(
        "full",
        (100, 1000, 5000),
        (50, 500, 5000),
        100,
        (1000, 5000),
        # rows of several seconds at 1,000 and 5,000 contracts run their minimum (6, or 3
        # over 90 s a round) whatever the budget: the run takes longer the slower accord is
        Policy(),
    ),
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
    max_ratio: float | None = None
    max_value: float | None = None  # an absolute goal on the contender's median
    unit: str = "s"  # "s" (shown in s, ms or us) or "MiB"
    rounds: int | None = None  # a fixed number of rounds (else the policy decides)
    phase: int = 0  # rows of a group are measured phase by phase (interleaved within one)
    seconds: float = 0.0  # the wall time its measured samples took

    @property
    def sides(self) -> list[Side]:
        return [self.contender, *([self.floor] if self.floor else [])]

    def spread(self) -> float:
        """The spread of what the row is judged by, in %: its paired ratio when it has a
        floor (``bench_stats``: the drift of the machine cancels in each round's ratio),
        else its contender's figure."""
        if self.floor is None:
            return bench_stats.spread_of(self.contender.values)
        ratios = bench_stats.paired_ratios(self.contender.values, self.floor.values)
        return bench_stats.spread_of(ratios) if ratios else math.inf


def wants_more(row: Row, policy: Policy, *, overtime: bool = False) -> bool:
    """Whether ``row`` needs another round (see ``Policy``); past the run's deadline
    (``overtime``) only its minimum."""
    done = len(row.contender.values)
    if row.rounds is not None:
        return done < row.rounds
    per_round = row.seconds / done
    if done < policy.minimum(per_round):
        return True
    cap = policy.fast_max_rounds if per_round < 0.1 else policy.max_rounds
    if overtime or done >= cap:
        return False
    if row.seconds + per_round > policy.budget and not (
        done < policy.settle_rounds and per_round < 30.0
    ):
        return False
    return row.spread() > policy.target_pct


def run_group(
    rows: list[Row],
    rng: random.Random,
    policy: Policy,
    *,
    warm_up: bool = True,
    clock: Callable[[], float] = time.perf_counter,
    deadline: float | None = None,
) -> None:
    """Warm every in-process side once, then run rounds: each side of every row that
    wants more, once per round, in a new random order each round, until no row wants
    more. Past ``deadline`` (a ``clock()`` value) rows get only their minimum rounds."""
    for row in rows if warm_up else ():
        for side in row.sides:
            if not isinstance(side.sample, ProcessSample):
                side.sample()
    active = list(rows)
    while active:
        order = [(row, side) for row in active for side in row.sides]
        rng.shuffle(order)
        for row, side in order:
            start = clock()
            side.values.append(side.sample())
            row.seconds += clock() - start
        overtime = deadline is not None and clock() > deadline
        active = [row for row in active if wants_more(row, policy, overtime=overtime)]


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


def timed(fn: Callable[[], Any], after: Callable[[], Any] | None = None) -> Callable[[], float]:
    """A sample of ``fn``: the CPU time of one call in this process; ``after`` (the
    harness's own clean-up, e.g. removing what the call wrote) runs untimed."""

    def sample() -> float:
        start = time.process_time()
        fn()
        spent = time.process_time() - start
        if after is not None:
            after()
        return spent

    return sample


# Every child's cache directory unless a row sets its own: never the user's cache.
_CACHE: dict[str, str] = {}


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A child's environment: accord from this tree, bytecode on (as installed), no colour,
    no debug, the harness's own cache directory."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1", **_CACHE}
    env.pop("ACCORD_DEBUG", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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


@dataclass(frozen=True)
class ProcessSample:
    """A sample: a fresh process's CPU time, or (``reported``) the last number it prints.

    ``before`` runs first (outside the measurement) and returns extra environment. No
    warm-up: each sample is a new process, and what a first one would warm (bytecode) is
    compiled before measuring."""

    argv: list[str]
    env: dict[str, str] | None = None
    before: Callable[[], dict[str, str]] | None = None
    reported: bool = False

    def __call__(self) -> float:
        extra = self.before() if self.before else {}
        cpu, out = run_process(self.argv, _env({**(self.env or {}), **extra}))
        if self.reported and not out.split():
            raise RuntimeError(f"{self.argv[:4]} printed nothing")
        return float(out.split()[-1]) if self.reported else cpu


process = ProcessSample


# -- accord as installed: byte-compiled ---------------------------------------------------

# Run in a child with the children's environment: counts every module compiled from
# source while importing each accord module (a loader that found valid bytecode never
# calls source_to_code).
_BYTECODE_CHECK = """
import importlib.machinery, json, pkgutil, sys
compiled = []
original = importlib.machinery.SourceFileLoader.source_to_code
def source_to_code(self, data, path, *args, **kwargs):
    compiled.append(str(path))
    return original(self, data, path, *args, **kwargs)
importlib.machinery.SourceFileLoader.source_to_code = source_to_code
import accord, accord.cli
failed = []
for info in pkgutil.walk_packages(accord.__path__, "accord.", onerror=failed.append):
    if not info.name.endswith("__main__"):
        try:
            __import__(info.name)
        except ImportError:
            failed.append(info.name)
mine = [m.__file__ for n, m in sys.modules.items() if n.split(".")[0] == "accord"]
print(json.dumps({"accord": accord.__file__, "modules": len(mine), "compiled": compiled,
                  "failed": failed}))
"""


def bytecode_check(src: Path = SRC) -> dict[str, Any]:
    """Import every accord module under ``src`` in a child run as the measured ones are;
    which modules it compiled from source (none, when valid bytecode is there)."""
    _, out = run_process(python(_BYTECODE_CHECK), _env({"PYTHONPATH": str(src)}))
    report: dict[str, Any] = json.loads(out)
    ours = [path for path in report["compiled"] if Path(path).is_relative_to(src)]
    return {
        "accord": report["accord"],
        "modules": report["modules"],
        "compiled": ours,
        "others_compiled": len(report["compiled"]) - len(ours),
        "failed": report["failed"],
    }


def byte_compile(src: Path = SRC) -> dict[str, Any]:
    """Byte-compile accord under ``src`` as pip does on install, then check in a child
    that importing every accord module compiles none from source."""
    if not compileall.compile_dir(str(src / "accord"), quiet=1):
        raise SystemExit(f"compileall failed on {src / 'accord'}")
    report = bytecode_check(src)
    if not Path(report["accord"]).is_relative_to(src) or report["compiled"] or report["failed"]:
        raise SystemExit(f"accord does not load from bytecode under {src}: {report}")
    return {
        "compiled_with": "compileall (timestamp-checked .pyc, as pip install writes)",
        "accord_modules_loaded": report["modules"],
        "accord_modules_compiled_from_source": len(report["compiled"]),
        "other_modules_compiled_from_source": report["others_compiled"],
    }


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


def generated_model(registry: Any, ref: str, tmp: Path) -> Any:
    """The pydantic model ``accord codegen`` generates for ``ref`` (the pydantic peer)."""
    import importlib

    from accord.codegen import generate_package

    out = tmp / "models"
    # not the default package name: the codegen rows generate that one
    result = generate_package(registry, out, package="accord_bench_peer_models")
    sys.path.insert(0, str(out))
    try:
        name, version = ref.split("@")
        namespace, contract = name.split(".")
        module = importlib.import_module(
            f"{result.package_dir.name}.{namespace}.{contract.replace('-', '_')}"
            f".v{version.replace('.', '_')}"
        )
    finally:
        sys.path.remove(str(out))
    return module.MODEL


def rows_validate(scale: Scale, tmp: Path) -> list[Row]:
    import fastjsonschema
    import jsonschema
    import jsonschema_rs
    import msgspec
    import orjson
    import pydantic

    import accord
    from accord.core.frozen import thaw
    from accord.registry.model import Registry

    registry = Registry.load(EXAMPLE)
    model = generated_model(registry, ORDER_REF, tmp)
    schema = thaw(registry.bundle(ORDER_REF))
    validator = accord.validator(ORDER_REF, registry=registry)
    rs = jsonschema_rs.Draft202012Validator(schema, validate_formats=True, offline=True)
    py = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    fast = fastjsonschema.compile(schema, handlers={}, use_formats=True)
    payload, bad = order_payload(), invalid_payload()
    data, bad_data = orjson.dumps(payload), orjson.dumps(bad)
    if not rs.is_valid(payload) or rs.is_valid(bad) or not validator.errors(bad):
        raise SystemExit("the benchmark payloads are not what they claim")
    model.model_validate_json(data)
    try:
        model.model_validate_json(bad_data)
    except pydantic.ValidationError:
        pass
    else:
        raise SystemExit("the generated pydantic model accepts the invalid payload")
    kb = f"{len(data) / 1024:.1f} KB"
    return [
        Row(
            "explain-invalid",
            "validate",
            f"explain an invalid {kb} payload (`Validator.errors`)",
            Side("accord", batched(lambda: validator.errors(bad))),
            Side("jsonschema-rs iter_errors", batched(lambda: list(rs.iter_errors(bad)))),
            "<= 2x",
            max_ratio=2.0,
        ),
        Row(
            "validate-json",
            "validate",
            f"`validate_json(bytes)`, {kb} valid",
            Side("accord", batched(lambda: validator.validate_json(data))),
            Side("orjson.loads + rs is_valid", batched(lambda: rs.is_valid(orjson.loads(data)))),
            "<= 1.3x",
            max_ratio=1.3,
        ),
        Row(
            "is-valid",
            "validate",
            f"`is_valid(payload)`, {kb}",
            Side("accord", batched(lambda: validator.is_valid(payload))),
            Side("jsonschema-rs is_valid", batched(lambda: rs.is_valid(payload))),
            # accord's own row (not the issue's): 1.1x until "valid" needed a proof that
            # jsonschema-rs read every number as itself (NaN, the infinities and integers
            # past Python's digit limit it misreads): one msgspec MessagePack encoding of
            # the payload and a memchr, about 0.45x of the reference's own check on this one.
            "<= 1.5x",
            max_ratio=1.5,
        ),
        Row(
            "peer-python-jsonschema",
            "validate",
            f"(peer) python-jsonschema `is_valid`, {kb}, vs accord",
            Side("python-jsonschema", batched(lambda: py.is_valid(payload))),
            Side("accord is_valid", batched(lambda: validator.is_valid(payload))),
            "(info)",
        ),
        Row(
            "peer-fastjsonschema",
            "validate",
            f"(peer) fastjsonschema compiled validator, {kb}, vs accord",
            Side("fastjsonschema", batched(lambda: fast(payload))),
            Side("accord is_valid", batched(lambda: validator.is_valid(payload))),
            "(info)",
        ),
        Row(
            "peer-pydantic",
            "validate",
            f"(peer) pydantic `model_validate_json` (the model accord codegen generates), {kb} "
            "valid, vs accord",
            Side("pydantic", batched(lambda: model.model_validate_json(data))),
            Side("accord validate_json", batched(lambda: validator.validate_json(data))),
            "(info)",
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
        ),
    ]


def _refused(validator: Any, data: bytes) -> None:
    from accord.errors import ContractViolation

    try:
        validator.validate_json(data)
    except ContractViolation:
        return
    raise SystemExit("the invalid payload was accepted")


# The child times its own first call: CPU time, like every other row.
_FIRST = """
import sys, time
import accord
validator = accord.validator(sys.argv[2], registry=sys.argv[1])
data = open(sys.argv[3], "rb").read()
start = time.process_time()
if sys.argv[4] == "valid":
    validator.validate_json(data)
else:
    assert validator.errors(__import__("json").loads(data))
print(time.process_time() - start)
"""

_READY = """
import sys
import accord
registry = accord.Registry.load(sys.argv[1])
for ref in sys.argv[2:]:
    accord.validator(ref, registry=registry)
"""

# The floor of "validators ready": jsonschema-rs compiling the same documents and keeping
# the validators, as a service must (until round 6 it dropped each one as soon as it was
# built, so the allocator reused one validator's memory for the next: no process that
# keeps its validators can come near that; ready-drop-N shows the difference).
_READY_RS = """
import json, sys
import jsonschema_rs
validators = [
    jsonschema_rs.Draft202012Validator(document, validate_formats=True, offline=True)
    for document in json.load(open(sys.argv[1]))
]
"""

_READY_RS_DROP = """
import json, sys
import jsonschema_rs
for document in json.load(open(sys.argv[1])):
    jsonschema_rs.Draft202012Validator(document, validate_formats=True, offline=True)
"""

# The least a loader that reads the registry itself can do (an info row beside ready-N):
# list each contract's folder, read and parse its contract.toml, read its latest version,
# hash it (builtin SHA-256, as accord does), parse it and compile it. No check at all (no
# duplicate keys, limits, lock or $ref): what is left between this and the floor, which
# reads one file of documents bundled beforehand, is the cost of reading a registry.
_READY_LEAST = """
import os, sys, tomllib
from _sha256 import sha256
import msgspec, jsonschema_rs
decode = msgspec.json.Decoder().decode
for namespace in os.scandir(sys.argv[1]):
    if not namespace.is_dir():
        continue
    for contract in os.scandir(namespace.path):
        names = sorted(entry.name for entry in os.scandir(contract.path))
        with open(os.path.join(contract.path, "contract.toml"), "rb") as file:
            tomllib.loads(file.read().decode())
        latest = [name for name in names if name.endswith(".schema.json")][-1]
        with open(os.path.join(contract.path, latest), "rb") as file:
            data = file.read()
        sha256(data).hexdigest()
        jsonschema_rs.Draft202012Validator(decode(data), validate_formats=True, offline=True)
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


@functools.cache
def registry_inputs(root: Path) -> tuple[Path, list[str], Path]:
    """The registry ``root`` (from ``bench_registry.ensure``), the latest version of each
    contract, and a JSON file of their bundled documents (what the jsonschema-rs floor
    compiles), written next to the registry once; the registry is loaded here at most once."""
    from accord.core.frozen import thaw
    from accord.registry.model import Registry

    registry = Registry.load(root)
    refs = [contract.versions[-1].ref for contract in registry]
    out = root.parent / f"bundles-{len(refs)}.json"
    if not out.is_file():
        out.write_text(json.dumps([thaw(registry.bundle(ref)) for ref in refs]))
    return root, refs, out


def rows_boot(scale: Scale, tmp: Path) -> list[Row]:
    import orjson

    rows: list[Row] = []
    valid, invalid = tmp / "valid.json", tmp / "invalid.json"
    valid.write_bytes(orjson.dumps(order_payload()))
    invalid.write_bytes(orjson.dumps(invalid_payload()))
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
                max_value=0.005,
            )
        )
    for size in scale.registries:
        root, refs, bundles = registry_inputs(bench_registry.ensure(size))
        # A service's first start writes the load snapshot (docs/registry.md, "The load
        # snapshot") and every later start reads it: ready-N measures a later start (one
        # start made here, outside the measurement, writes it), ready-cold-N the first.
        run_process(python(_READY, str(root), *refs), _env())
        rows.append(
            Row(
                f"ready-{size}",
                "boot",
                f"validators ready, {size:,} contracts, fresh process",
                Side("accord", process(python(_READY, str(root), *refs))),
                Side(
                    "jsonschema-rs compiling the same, kept",
                    process(python(_READY_RS, str(bundles))),
                ),
                "<= 1.5x",
                max_ratio=1.5,
            )
        )
        rows.append(
            Row(
                f"ready-cold-{size}",
                "boot",
                f"(info) validators ready, {size:,} contracts, fresh process, no load "
                "snapshot (a first start, or ACCORD_LOAD_SNAPSHOT=0)",
                Side(
                    "accord",
                    process(python(_READY, str(root), *refs), env={"ACCORD_LOAD_SNAPSHOT": "0"}),
                ),
                Side(
                    "jsonschema-rs compiling the same, kept",
                    process(python(_READY_RS, str(bundles))),
                ),
                "(info)",
            )
        )
        rows.append(
            Row(
                f"ready-drop-{size}",
                "boot",
                f"(info) the floor of ready-{size:,} as it was until round 6: each validator "
                "dropped as soon as it is built, against the floor that keeps them",
                Side(
                    "jsonschema-rs compiling, dropping each",
                    process(python(_READY_RS_DROP, str(bundles))),
                ),
                Side(
                    "jsonschema-rs compiling the same, kept",
                    process(python(_READY_RS, str(bundles))),
                ),
                "(info)",
            )
        )
        rows.append(
            Row(
                f"ready-least-{size}",
                "boot",
                f"(info) the least a loader reading the {size:,} contracts' files can do "
                "(list, read contract.toml and the latest file, hash, parse, compile; no check)",
                Side("a 15-line loader", process(python(_READY_LEAST, str(root)))),
                Side(
                    "jsonschema-rs compiling the same, kept",
                    process(python(_READY_RS, str(bundles))),
                ),
                "(info)",
            )
        )
    for size in scale.memory:
        root, refs, bundles = registry_inputs(bench_registry.ensure(size))
        rows.append(
            Row(
                f"memory-{size}",
                "boot",
                f"peak memory, {size:,} contracts loaded",
                Side("accord", process(python(_PEAK + _MEMORY, str(root), *refs), reported=True)),
                Side(
                    "jsonschema-rs alone",
                    process(python(_PEAK + _MEMORY_RS, str(bundles)), reported=True),
                ),
                "<= 1.3x",
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
    new: dict[str, Any] = json.loads(json.dumps(schema))
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
    from accord.compat import _diff

    def cold_diff(old: dict[str, Any], new: dict[str, Any]) -> Any:
        # The engine keeps its verdicts on small local questions for the process (a
        # registry's check asks the same ones across contracts); a batch repeating one
        # diff would time those lookups, not a diff: each call starts with none kept.
        _diff._local_verdicts.clear()
        return diff(old, new, limits=limits)

    rows = []
    for n in scale.diff_sizes:
        old, new = wide_schema(n), changed_schema(wide_schema(n))
        old_text, new_text = json.dumps(old), json.dumps(new)
        rows.append(
            Row(
                f"diff-{n}",
                "diff",
                f"diff, {n:,} properties (5 changed)",
                Side("accord", batched(functools.partial(cold_diff, old, new))),
                Side(
                    "jsoncompat (Rust) check_compat",
                    batched(functools.partial(jsoncompat.check_compat, old_text, new_text, "both")),
                ),
                "<= 2x",
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


class ColdCaches:
    """Before each sample: a cache directory nobody has used (so every verdict is
    computed), the one before removed (a 5,000-contract cache is not small); the last
    one stays (``last``): the cache a cold run filled, for the warm row to re-use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = itertools.count()
        self.last: Path | None = None

    def __call__(self) -> dict[str, str]:
        if self.last is not None:
            shutil.rmtree(self.last, ignore_errors=True)
        self.last = self.folder / f"cold-{next(self.count)}"
        return {"ACCORD_CACHE_DIR": str(self.last)}

    def filled(self) -> dict[str, str]:
        """The cache directory of the last cold sample (before the warm row's samples)."""
        if self.last is None:
            raise RuntimeError("no cold sample has filled a cache yet")
        return {"ACCORD_CACHE_DIR": str(self.last)}


def rows_check(scale: Scale, tmp: Path) -> list[Row]:
    rows = []
    for size in scale.registries:
        cold, cold_alone = ColdCaches(tmp / f"against-{size}"), ColdCaches(tmp / f"alone-{size}")
        root = bench_registry.ensure(size)
        large = size > 1000
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
                "<= 3x" + ("; < 3 s" if large else ""),
                max_ratio=3.0,
                max_value=3.0 if large else None,
            )
        )
        rows.append(
            Row(
                f"alone-{size}",
                "check",
                f"`check` on the registry alone, {size:,} x 3 versions",
                Side(
                    "accord", process(accord("check", "--registry", str(root)), before=cold_alone)
                ),
                Side(
                    "every pair diffed by a plain script", process(python(_PLAIN_ALONE, str(root)))
                ),
                "<= 3x",
                max_ratio=3.0,
            )
        )
        # after the cold rows of this size (phase 1): the cache the last cold `check`
        # filled, re-used unchanged (no extra cold run to fill one)
        rows.append(
            Row(
                f"warm-{size}",
                "check",
                f"`check` re-run on the unchanged registry, {size:,} x 3, warm cache",
                Side(
                    "accord",
                    process(accord("check", "--registry", str(root)), before=cold_alone.filled),
                ),
                None,
                "< 1 s",
                max_value=1.0,
                phase=1,
            )
        )
    return rows


_IMPORT_FLOOR = "import accord.cli._cmd_codegen, accord.codegen, accord.registry.model"


def rows_codegen(scale: Scale, tmp: Path) -> list[Row]:
    from datamodel_code_generator import generate

    from accord.codegen import generate_package
    from accord.codegen._render import generator_options
    from accord.core.frozen import thaw
    from accord.registry.model import Registry

    root = bench_registry.ensure(scale.codegen)
    out = tmp / "noop"
    run_process(accord("codegen", "--registry", str(root), "--out", str(out)), _env())
    registry = Registry.load(root)
    bundles = [json.dumps(thaw(registry.bundle(v))) for v in registry.versions()]
    fresh = iter(range(10**9))
    options = generator_options()

    written: list[Path] = []

    def ours() -> None:
        target = tmp / f"full-{next(fresh)}"
        written.append(target)
        generate_package(Registry.load(root), target)

    def clean_up() -> None:  # the harness's, not accord's: the peer writes no files
        shutil.rmtree(written.pop())

    def peer() -> None:
        # The same job without accord around it: the generator with the options accord
        # passes (strict types, annotated constraints, literals, double quotes, ...),
        # so both sides produce the same models; only accord's own work differs.
        for text in bundles:
            generate(text, **options)

    n = scale.codegen
    return [
        Row(
            f"codegen-noop-{n}",
            "codegen",
            f"codegen no-op, {n:,} contracts",
            Side("accord", process(accord("codegen", "--registry", str(root), "--out", str(out)))),
            Side("import floor", process(python(_IMPORT_FLOOR))),
            "<= 2x",
            max_ratio=2.0,
        ),
        Row(
            f"codegen-full-{n}",
            "codegen",
            f"codegen full, {n:,} contracts x 3 versions",
            Side("accord", timed(ours, after=clean_up)),
            Side("datamodel-codegen in process, accord's options", timed(peer)),
            "<= 1.1x",
            max_ratio=1.1,
        ),
    ]


# Families of rows measured at several sizes: ``<family>-<size>``.
GROWTH_FAMILIES = ("diff", "against", "alone", "warm", "ready", "memory")


def growth_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``median(bigger) / median(smaller)`` for each family of sized rows, next to the
    ratio of the work (the sizes) and the floor's own growth: linear means a growth no
    larger than the ratio of the work."""
    out = []
    for family in GROWTH_FAMILIES:
        sized = sorted(
            (int(found[1]), row)
            for row in results
            if (found := re.fullmatch(rf"{family}-(\d+)", row["id"]))
        )
        for (small, a), (big, b) in itertools.pairwise(sized):
            growth = b["contender"]["median"] / a["contender"]["median"]
            interval = bench_stats.quotient_interval(
                tuple(b["contender"]["interval"]), tuple(a["contender"]["interval"])
            )
            floor = None
            if a["floor"] and b["floor"]:
                floor = {
                    "label": f"{a['floor']['label']} (its growth)",
                    "median": b["floor"]["median"] / a["floor"]["median"],
                }
            work = big / small
            out.append(
                {
                    "id": f"growth-{family}-{small}-{big}",
                    "group": "growth",
                    "path": f"growth of {a['path'].split(',')[0]}, {small:,} -> {big:,}",
                    "unit": "x",
                    "contender": {
                        "label": "accord",
                        "median": growth,
                        "interval": list(interval) if interval else None,
                        "spread_pct": None,  # derived: the spreads are those of its rows
                    },
                    "floor": floor,
                    "ratio": None,
                    "ratio_interval": None,
                    "work": work,
                    "goal": f"<= {work:g}x (linear)",
                    "met": growth <= work,
                    "met_by_interval": interval is not None and interval[1] <= work,
                    "spread_pct": None,
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


def source() -> dict[str, Any]:
    """The commit of the accord tree measured, and whether it had uncommitted changes
    (None where it is not a git checkout)."""

    def git(*args: str) -> str | None:
        # git from PATH, arguments as a list: no shell.
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no", "--", "src")
    return {"commit": git("rev-parse", "HEAD"), "dirty": None if status is None else bool(status)}


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
    contender = {"label": row.contender.label, **bench_stats.summarize(row.contender.values)}
    floor = (
        {"label": row.floor.label, **bench_stats.summarize(row.floor.values)} if row.floor else None
    )
    ratio = ratio_interval = paired = ratio_of_medians = None
    if floor and floor["median"] and row.floor is not None:
        # the median of the per-round ratios (bench_stats: paired), with its interval
        paired = bench_stats.summarize(
            bench_stats.paired_ratios(row.contender.values, row.floor.values)
        )
        ratio, ratio_interval = paired["median"], tuple(paired["interval"])
        ratio_of_medians = contender["median"] / floor["median"]
    checks, sure = [], []
    if row.max_ratio is not None and ratio is not None:
        checks.append(ratio <= row.max_ratio)
        sure.append(ratio_interval is not None and ratio_interval[1] <= row.max_ratio)
    if row.max_value is not None:
        checks.append(contender["median"] <= row.max_value)
        sure.append(contender["interval"][1] <= row.max_value)
    judged = paired if paired is not None else contender
    return {
        "id": row.id,
        "group": row.group,
        "path": row.path,
        "unit": row.unit,
        "contender": contender,
        "floor": floor,
        "ratio": ratio,
        "ratio_interval": list(ratio_interval) if ratio_interval else None,
        # the per-round ratios (their median is "ratio"), and the ratio of the two medians
        "paired_ratio": paired,
        "ratio_of_medians": ratio_of_medians,
        "goal": row.goal,
        "met": all(checks) if checks else None,
        # met by the whole interval, not only by the median (the ratio's upper bound)
        "met_by_interval": all(sure) if sure else None,
        # the spread of what the row is judged by: the paired ratio when it has a floor,
        # else its figure (None: no relative figure); each side keeps its own
        "spread_pct": judged["spread_pct"],
        "rounds": contender["n"],
        "seconds": round(row.seconds, 2),
    }


def compare(result: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Add to every row of ``result`` how far its median and ratio moved from the same
    row of ``previous`` (the run before), and a summary of the rows that moved over
    ``RERUN_LIMIT_PCT``."""
    if not previous or previous.get("format_version") not in (1, 2, RESULTS_FORMAT):
        result["previous"] = None
        for row in result["rows"]:
            row["previous"] = None
        return
    before = {row["id"]: row for row in previous.get("rows", [])}
    moved = []
    compared = 0
    for row in result["rows"]:
        old = before.get(row["id"])
        if old is None:
            row["previous"] = None
            continue
        compared += 1
        change = bench_stats.moved_pct(row["contender"]["median"], old["contender"]["median"])
        ratio_change = bench_stats.moved_pct(row["ratio"], old.get("ratio"))
        floor_change = (
            bench_stats.moved_pct(row["floor"]["median"], old["floor"]["median"])
            if row.get("floor") and old.get("floor")
            else None
        )
        # a row with a floor is judged by its ratio: the machine's own change of speed
        # between the runs moves both medians (the floor's move shows it) and cancels in
        # the ratio; a row without one, by its figure
        judged = ratio_change if row.get("floor") else change
        worst = abs(judged) if judged is not None else 0.0
        row["previous"] = {
            "median": old["contender"]["median"],
            "ratio": old.get("ratio"),
            "moved_pct": None if change is None else round(change, 1),
            "ratio_moved_pct": None if ratio_change is None else round(ratio_change, 1),
            "floor_moved_pct": None if floor_change is None else round(floor_change, 1),
            "over": worst > RERUN_LIMIT_PCT,
        }
        if worst > RERUN_LIMIT_PCT:
            moved.append(row["id"])
    result["previous"] = {
        "date": previous.get("date"),
        "scale": previous.get("scale"),
        "same_machine": previous.get("machine") == result["machine"],
        "same_versions": previous.get("versions") == result["versions"],
        "rows_compared": compared,
        "limit_pct": RERUN_LIMIT_PCT,
        "moved_over_limit": moved,
    }


def run(
    scale: Scale,
    groups: list[str],
    *,
    rounds: int | None = None,
    seed: int | None = None,
    max_minutes: float | None = None,
) -> dict[str, Any]:
    """Measure ``groups`` at ``scale``; the results document. After ``max_minutes``,
    rows run only their minimum rounds."""
    rng = random.Random(seed)
    started = time.time()
    deadline = None if max_minutes is None else time.perf_counter() + 60 * max_minutes
    results: list[dict[str, Any]] = []
    # the machine's 1-minute load average: other work on it shows here
    load = {"start": os.getloadavg()[0]}
    bytecode = byte_compile()
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        _CACHE["ACCORD_CACHE_DIR"] = str(tmp / "cache")
        try:
            for name in groups:
                maker = GROUPS[name]
                needs_tmp = name in ("validate", "boot", "check", "codegen")
                rows = maker(scale, tmp) if needs_tmp else maker(scale)
                for row in rows:
                    row.rounds = rounds
                print(f"[{name}] {len(rows)} rows ...", file=sys.stderr, flush=True)
                group_start = time.time()
                for phase in sorted({row.phase for row in rows}):
                    run_group(
                        [row for row in rows if row.phase == phase],
                        rng,
                        scale.policy,
                        warm_up=scale.warm_up,
                        deadline=deadline,
                    )
                results += [row_result(row) for row in rows]
                load[name] = os.getloadavg()[0]
                print(
                    f"[{name}] done in {time.time() - group_start:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            _CACHE.clear()
    results += growth_rows(results)
    policy = scale.policy
    return {
        "format_version": RESULTS_FORMAT,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scale": scale.name,
        "seconds": round(time.time() - started, 1),
        "machine": machine(),
        "versions": versions(),
        "source": source(),
        "bytecode": bytecode,
        "load_average": load,
        "policy": {
            "confidence": bench_stats.CONFIDENCE,
            "target_pct": policy.target_pct,
            "rerun_limit_pct": RERUN_LIMIT_PCT,
            "min_rounds": {
                "round < 0.1 s": policy.fast_rounds,
                "round < 1 s": policy.process_rounds,
                f"round < {policy.slow_limit:g} s": policy.slow_rounds,
                "longer": policy.crawl_rounds,
            },
            "max_rounds": policy.max_rounds,
            "max_rounds_round_under_0.1_s": policy.fast_max_rounds,
            "budget_s": policy.budget,
            "settle_rounds_over_target": policy.settle_rounds,
            "fixed_rounds": rounds,
            "max_minutes": max_minutes,
            "overtime": deadline is not None and time.perf_counter() > deadline,
        },
        "method": (
            "median of interleaved rounds in random order; a ratio is the median of the "
            "per-round ratios (each round measures both sides back to back); spread = the "
            "larger half of the 95% distribution-free confidence interval of the median "
            "(order statistics), over the median; rounds added until the spread of what a "
            f"row is judged by (its ratio, or its figure) is under {policy.target_pct:g}% "
            "or a cap is hit; CPU time: in-process calls in "
            "batches, fresh-process rows the child's user + system time, accord "
            "byte-compiled as installed; memory: the child's VmHWM"
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
    parser.add_argument(
        "--max-minutes",
        type=float,
        help="after this long, rows run only their minimum rounds (default: no limit)",
    )
    bench_dir = Path(os.environ.get("BENCH_DIR", ROOT / ".bench"))
    parser.add_argument("--out", type=Path, default=bench_dir / "results.json")
    parser.add_argument(
        "--render",
        action="store_true",
        help="then render docs/performance.md (and README.md's marked block) from the result",
    )
    args = parser.parse_args(argv)
    previous_path = args.out.with_name(args.out.stem + ".previous.json")
    previous = load_results(args.out)
    result = run(
        SCALES[args.scale],
        args.only,
        rounds=args.rounds,
        seed=args.seed,
        max_minutes=args.max_minutes,
    )
    compare(result, previous)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.out.is_file():
        # the run before stays readable: results.previous.json
        os.replace(args.out, previous_path)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    import bench_render

    print(bench_render.render_text(result))
    if args.render and set(args.only) != set(GROUPS):
        # the page and the README state a whole run, never part of one
        print("\n(--only: docs/performance.md and README.md left as they are)", file=sys.stderr)
    elif args.render:
        bench_render.update(ROOT / "docs" / "performance.md", result)
        bench_render.update(ROOT / "README.md", result, readme=True)
    return 0


def load_results(path: Path) -> dict[str, Any] | None:
    """The results document at ``path``; None when there is none or it is unreadable."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


if __name__ == "__main__":
    sys.exit(main())
