"""``make bench`` (scripts/bench.py) in its smallest mode: the shape of results.json, and
the docs table rendered from it (scripts/bench_render.py); the statistics behind a row's
spread (scripts/bench_stats.py) and the round policy, on deterministic inputs. A benchmark
measures; these tests assert only what the harness computes and writes, never a timing."""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    bench = _script("bench")
    cache = tmp_path_factory.mktemp("bench")
    mp = pytest.MonkeyPatch()
    mp.setenv("BENCH_DIR", str(cache))
    try:
        out = cache / "results.json"
        # every group but boot (the same machinery as check, and the slowest at this scale);
        # validate before codegen, as in a full run (the pydantic peer generates models too)
        groups = ["validate", "diff", "check", "codegen"]
        argv = ["--scale", "tiny", "--only", *groups, "--rounds", "2", "--out", str(out)]
        assert bench.main(argv) == 0
        return dict(json.loads(out.read_text()))
    finally:
        mp.undo()


def test_the_registry_generator_is_deterministic(tmp_path: Path) -> None:
    registry = _script("bench_registry")
    a = registry.build(tmp_path / "a", 3)
    b = registry.build(tmp_path / "b", 3)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    # 3 contracts x 3 versions on main, and the changed ones gained a 1.3.0 on `change`
    assert len([f for f in files if f.name.endswith(".schema.json")]) == 3 * 3 + 3
    lock = (a / "accord.lock").read_text().splitlines()
    assert lock == sorted(lock)
    assert len(lock) == 12


def test_results_have_every_field_a_claim_needs(result: dict[str, Any]) -> None:
    assert result["format_version"] == 3
    assert {
        "date",
        "machine",
        "versions",
        "method",
        "rows",
        "scale",
        "policy",
        "bytecode",
        "previous",
        "load_average",
        "source",
    } <= set(result)
    # the commit of the tree measured (this test runs in a git checkout)
    assert len(result["source"]["commit"]) == 40
    assert result["source"]["dirty"] in (True, False)
    # accord was measured as installed: byte-compiled, nothing compiled from source
    assert result["bytecode"]["accord_modules_compiled_from_source"] == 0
    assert result["bytecode"]["accord_modules_loaded"] > 50
    assert {"cpu", "cpus", "system", "memory_gib"} <= set(result["machine"])
    for library in ("accord", "jsonschema-rs", "jsoncompat", "orjson", "datamodel-code-generator"):
        assert library in result["versions"]
    ids = [row["id"] for row in result["rows"]]
    assert len(ids) == len(set(ids))
    measured = [row for row in result["rows"] if not row["id"].startswith("growth-")]
    assert {row["group"] for row in measured} == {"validate", "diff", "check", "codegen"}
    # every row at every size of the scale (3 and 6 contracts; 10 and 20 properties), and a
    # growth row for each family measured at two sizes
    assert ids == [
        "explain-invalid",
        "validate-json",
        "is-valid",
        "peer-python-jsonschema",
        "peer-fastjsonschema",
        "peer-pydantic",
        "peer-bad-data",
        "diff-10",
        "diff-20",
        "against-3",
        "alone-3",
        "warm-3",
        "against-6",
        "alone-6",
        "warm-6",
        "codegen-noop-3",
        "codegen-full-3",
        "growth-diff-10-20",
        "growth-against-3-6",
        "growth-alone-3-6",
        "growth-warm-3-6",
    ]
    for row in result["rows"][-4:]:
        assert row["goal"] == "<= 2x (linear)"
        assert row["contender"]["median"] > 0
    for row in measured:
        assert set(row) == {
            "id",
            "group",
            "path",
            "unit",
            "contender",
            "floor",
            "ratio",
            "ratio_interval",
            "paired_ratio",
            "ratio_of_medians",
            "goal",
            "met",
            "met_by_interval",
            "spread_pct",
            "rounds",
            "seconds",
            "previous",
        }
        assert row["rounds"] == 2
        for side in (row["contender"], row["floor"]):
            if side is None:
                continue
            assert side["n"] == len(side["samples"]) == 2
            assert side["median"] == pytest.approx(sum(side["samples"]) / 2)
            # two samples: the interval is their range, which holds the median half the time
            assert side["interval"] == [min(side["samples"]), max(side["samples"])]
            assert side["confidence"] == 0.5
            assert side["spread_pct"] >= 0
        if row["floor"] is not None:
            # the ratio is the median of the per-round ratios, judged by their spread
            per_round = [
                a / b
                for a, b in zip(row["contender"]["samples"], row["floor"]["samples"], strict=True)
            ]
            assert row["paired_ratio"]["samples"] == per_round
            assert row["ratio"] == pytest.approx(sum(per_round) / 2)
            assert row["spread_pct"] == row["paired_ratio"]["spread_pct"]
            assert row["ratio_of_medians"] == pytest.approx(
                row["contender"]["median"] / row["floor"]["median"]
            )
            low, high = row["ratio_interval"]
            assert low <= row["ratio"] <= high
        else:
            assert row["paired_ratio"] is None
            assert row["spread_pct"] == row["contender"]["spread_pct"]
        if row["goal"] == "(info)":  # a peer beside accord: no goal
            assert row["met"] is None
            continue
        assert row["met"] in (True, False)
        assert row["met_by_interval"] in (True, False)
        assert row["met"] or not row["met_by_interval"]  # the interval holds the median
        assert row["goal"]


def test_the_docs_table_is_rendered_from_the_results_alone(
    result: dict[str, Any], tmp_path: Path
) -> None:
    render = _script("bench_render")
    page = tmp_path / "performance.md"
    page.write_text(
        "# Performance\n\nintro\n\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\nafter\n"
    )
    assert render.update(page, result)
    text = page.read_text()
    assert "old table" not in text
    assert text.startswith("# Performance\n\nintro\n\n<!-- bench:begin -->\n")
    assert text.endswith("<!-- bench:end -->\n\nafter\n")
    table = text.split("<!-- bench:begin -->\n")[1].split("<!-- bench:end -->")[0]
    assert table == render.render_markdown(result)
    # 2 rounds: every interval is the range of 2, at 50%, and the summary says so
    assert "Intervals under 95% (too few rounds): explain-invalid (50%)" in table
    assert result["date"] in table
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(lines) == 1 + len(result["rows"])  # the header and one line per row
    for row, line in zip(result["rows"], lines[1:], strict=True):
        assert line.startswith(f"| {row['path']} | ")
        assert row["goal"] in line
        met = {True: "yes", False: "**no**", None: ""}[row["met"]]
        assert f" | {met} | " in line
    # a page without the markers is left alone
    other = tmp_path / "other.md"
    other.write_text("no markers\n")
    assert not render.update(other, result)
    assert other.read_text() == "no markers\n"


# -- the statistics (scripts/bench_stats.py), on deterministic inputs ----------------------


@pytest.mark.parametrize(
    ("n", "low", "high", "confidence"),
    [
        # the textbook order-statistic intervals of the median (1-indexed x(low)..x(high))
        (6, 1, 6, 1 - 2 / 64),
        (9, 2, 8, 1 - 2 * (1 + 9) / 512),
        (11, 2, 10, 1 - 2 * (1 + 11) / 2048),
        (21, 6, 16, 1 - 2 * sum(math.comb(21, i) for i in range(6)) / 2**21),
        # too few samples for 95%: the whole range, and its lower coverage stated as it is
        (5, 1, 5, 1 - 2 / 32),
        (2, 1, 2, 0.5),
        (1, 1, 1, 0.0),
    ],
)
def test_the_median_interval_is_the_binomial_order_statistic_one(
    n: int, low: int, high: int, confidence: float
) -> None:
    stats = _script("bench_stats")
    values = [float(10 * i) for i in range(1, n + 1)]
    random.Random(n).shuffle(values)  # the order of the samples does not matter
    interval = stats.median_interval(values)
    assert (interval.low, interval.high) == (10.0 * low, 10.0 * high)
    assert interval.coverage == pytest.approx(confidence)
    if n >= 6:
        assert interval.coverage >= 0.95
        # and the next narrower interval would not reach 95%
        assert low == (n + 1) // 2 or stats.coverage(n, low + 1) < 0.95


def test_the_spread_is_the_larger_side_of_the_interval_over_the_median() -> None:
    stats = _script("bench_stats")
    # 9 samples: the interval is x(2)..x(8) = 10..13 around a median of 10, so the true
    # median lies within +30% / -0% of it: the spread says 30%, not the average of the sides
    values = [9.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 13.0, 20.0]
    summary = stats.summarize(values)
    assert summary["median"] == 10.0
    assert summary["interval"] == [10.0, 13.0]
    assert summary["spread_pct"] == 30.0
    assert summary["n"] == 9
    assert summary["samples"] == values
    # one wild sample beyond the interval does not move it: x(9) = 20 or 2,000
    assert stats.summarize([*values[:-1], 2000.0])["spread_pct"] == 30.0
    # the IQR is kept as information: quartiles 10 and 10 -> 0%
    assert summary["iqr_pct"] == 0.0
    # a noisy row: 1..9 -> interval 2..8 around 5
    assert stats.summarize([float(i) for i in range(1, 10)])["spread_pct"] == 60.0
    assert stats.spread_of([float(i) for i in range(1, 10)]) == 60.0
    # identical samples: no spread; a zero median with others around it: no relative figure
    assert stats.summarize([4.0] * 7)["spread_pct"] == 0.0
    assert stats.summarize([-1.0, *[0.0] * 7, 1.0])["spread_pct"] == 0.0
    assert stats.summarize([-1.0, -1.0, 0.0, 0.0, 0.0, 1.0, 1.0])["spread_pct"] is None
    assert stats.spread_of([-1.0, -1.0, 0.0, 0.0, 0.0, 1.0, 1.0]) == math.inf
    with pytest.raises(ValueError, match="no samples"):
        stats.median_interval([])


def test_ratio_intervals_and_moves() -> None:
    stats = _script("bench_stats")
    assert stats.quotient_interval((2.0, 3.0), (1.0, 2.0)) == (1.0, 3.0)
    assert stats.quotient_interval((2.0, 3.0), (0.0, 2.0)) is None
    assert stats.moved_pct(115.0, 100.0) == pytest.approx(15.0)
    assert stats.moved_pct(80.0, 100.0) == pytest.approx(-20.0)
    assert stats.moved_pct(None, 100.0) is None
    assert stats.moved_pct(1.0, 0.0) is None


def test_a_ratio_is_paired_by_round_so_the_machine_s_drift_cancels() -> None:
    stats = _script("bench_stats")
    bench = _script("bench")
    # a machine whose speed drifts by up to 40% from round to round, and a contender
    # that costs 1.4x its floor in every round: each side is noisy, the ratio is not
    speed = [1.0, 1.4, 0.8, 1.2, 0.9, 1.3, 1.0, 0.85, 1.1, 1.35, 0.95]
    floor = [0.5 * s for s in speed]
    contender = [0.7 * s for s in speed]
    assert stats.paired_ratios(contender, floor) == pytest.approx([1.4] * len(speed))
    assert stats.paired_ratios([1.0, 2.0], [0.0, 1.0]) == [2.0]  # a 0 floor has no ratio
    row = bench.Row(
        "r",
        "g",
        "r",
        bench.Side("a", lambda: 0.0),
        bench.Side("b", lambda: 0.0),
        "<= 1.5x",
        max_ratio=1.5,
    )
    row.contender.values, row.floor.values = contender, floor
    assert stats.spread_of(contender) > 15.0 < stats.spread_of(floor)
    assert row.spread() == pytest.approx(0.0)  # judged by the ratio
    result = bench.row_result(row)
    assert result["ratio"] == pytest.approx(1.4)
    assert result["spread_pct"] == 0.0
    assert result["contender"]["spread_pct"] > 15.0  # each side keeps its own spread
    assert result["met"] is True
    # a row without a floor is judged by its own figure
    alone = bench.Row("s", "g", "s", bench.Side("a", lambda: 0.0), None, "< 5 ms")
    alone.contender.values = contender
    assert alone.spread() == stats.spread_of(contender)
    assert bench.row_result(alone)["spread_pct"] == pytest.approx(
        stats.spread_of(contender), abs=0.1
    )


def test_a_move_of_the_machine_between_runs_is_not_a_move_of_a_ratio() -> None:
    bench = _script("bench")
    machine = {"cpu": "x", "cpus": 2, "system": "s", "machine": "m", "memory_gib": 1}
    run = {"format_version": 3, "machine": machine, "versions": {}, "date": "d", "scale": "s"}
    old = {**run, "rows": [_measured("a", 1.0, 0.5), _measured("b", 1.0)]}
    # the machine ran 45% faster: both sides of "a" moved, its ratio did not; "b" has no
    # floor, so its own move is what counts
    new = {**run, "rows": [_measured("a", 0.55, 0.275), _measured("b", 0.55)]}
    bench.compare(new, old)
    a, b = new["rows"]
    assert a["previous"]["moved_pct"] == -45.0
    assert a["previous"]["floor_moved_pct"] == -45.0
    assert a["previous"]["ratio_moved_pct"] == 0.0
    assert a["previous"]["over"] is False
    assert b["previous"]["over"] is True
    assert new["previous"]["moved_over_limit"] == ["b"]


# -- the round policy (scripts/bench.py run_group), with fake samples and a fake clock ------


class _FakeClock:
    """A clock that advances by the cost of each sample taken."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _side(
    bench: ModuleType, label: str, values: list[float], clock: _FakeClock, cost: float, log: list
) -> Any:
    cycle = itertools.cycle(values)

    def sample() -> float:
        clock.now += cost
        log.append(label)
        return next(cycle)

    return bench.Side(label, sample)


def _rounds(bench: ModuleType, rows: list[Any], clock: _FakeClock, **policy: Any) -> list[int]:
    bench.run_group(rows, random.Random(7), bench.Policy(**policy), warm_up=False, clock=clock)
    return [len(row.contender.values) for row in rows]


def test_a_steady_row_stops_at_its_minimum_and_a_noisy_one_gets_more_rounds() -> None:
    bench = _script("bench")
    clock, log = _FakeClock(), []
    steady = bench.Row(
        "steady",
        "g",
        "steady",
        _side(bench, "a", [1.0, 1.01, 0.99], clock, 0.01, log),
        _side(bench, "b", [2.0], clock, 0.01, log),
        "<= 2x",
    )
    noisy = bench.Row(
        "noisy", "g", "noisy", _side(bench, "c", [1.0, 2.0], clock, 0.01, log), None, "< 5 ms"
    )
    # rounds of 0.02 s: 21 at least; the steady row is within 10% at once, the noisy one
    # (1, 2, 1, 2, ...) never is, so it runs to the cap
    assert _rounds(bench, [steady, noisy], clock, fast_max_rounds=40) == [21, 40]
    assert len(steady.floor.values) == 21
    assert steady.spread() < 10.0
    assert noisy.spread() > 10.0


def test_cheap_noisy_rows_run_past_the_cap_of_costly_ones_within_the_budget() -> None:
    bench = _script("bench")
    clock, log = _FakeClock(), []

    def noisy(label: str, cost: float) -> Any:
        return bench.Row(
            label, "g", label, _side(bench, label, [1.0, 2.0], clock, cost, log), None, "< 5 ms"
        )

    # a round under 0.1 s (an in-process micro row) may run up to fast_max_rounds ...
    assert _rounds(bench, [noisy("cheap", 0.02)], clock, max_rounds=30, fast_max_rounds=90) == [90]
    # ... a fresh-process row stops at max_rounds ...
    assert _rounds(bench, [noisy("costly", 0.2)], clock, max_rounds=30, fast_max_rounds=90) == [30]
    # ... and the budget still ends a cheap row first (0.05 s a round, ~2 s: 40 rounds)
    assert _rounds(
        bench, [noisy("budget", 0.05)], clock, budget=2.025, max_rounds=30, fast_max_rounds=90
    ) == [40]


def test_rounds_interleave_every_side_in_a_new_order_each_round() -> None:
    bench = _script("bench")
    clock, log = _FakeClock(), []
    rows = [
        bench.Row(
            f"r{i}",
            "g",
            f"r{i}",
            _side(bench, f"c{i}", [1.0], clock, 0.01, log),
            _side(bench, f"f{i}", [1.0], clock, 0.01, log),
            "<= 2x",
            rounds=5,
        )
        for i in range(3)
    ]
    assert _rounds(bench, rows, clock) == [5, 5, 5]
    rounds = [log[i : i + 6] for i in range(0, len(log), 6)]
    assert len(rounds) == 5
    assert all(sorted(r) == ["c0", "c1", "c2", "f0", "f1", "f2"] for r in rounds)
    assert len({tuple(r) for r in rounds}) > 1  # shuffled, not one fixed order


def test_slow_rows_run_the_fewest_rounds_a_95_percent_interval_needs_then_stop_at_the_budget() -> (
    None
):
    bench = _script("bench")
    clock, log = _FakeClock(), []
    # 10 s a sample, noisy: 6 rounds (120 s) are always run, even over a 60 s budget, and
    # a row still over the target runs on to 12 (its interval then drops two outliers a side)
    slow = bench.Row(
        "slow", "g", "slow", _side(bench, "s", [1.0, 3.0], clock, 10.0, log), None, "< 1 s"
    )
    assert _rounds(bench, [slow], clock, budget=60.0) == [12]
    # ... but a steady one stops at its minimum, and no row settles past the run's cap
    steady = bench.Row(
        "steady", "g", "steady", _side(bench, "t", [1.0], clock, 10.0, log), None, "< 1 s"
    )
    assert _rounds(bench, [steady], clock, budget=60.0) == [6]
    capped = bench.Row(
        "capped", "g", "capped", _side(bench, "u", [1.0, 3.0], clock, 10.0, log), None, "< 1 s"
    )
    assert _rounds(bench, [capped], clock, budget=60.0, max_rounds=7) == [7]
    # 100 s a round (check at 5,000 contracts, very slow): 3 rounds, the range of 3 at 75%
    crawl = bench.Row(
        "crawl", "g", "crawl", _side(bench, "x", [1.0, 3.0], clock, 100.0, log), None, "< 1 s"
    )
    assert _rounds(bench, [crawl], clock, budget=60.0) == [3]
    # 40 s a round: still the 6 a 95% interval needs, but none settling past the budget
    long = bench.Row(
        "long", "g", "long", _side(bench, "y", [1.0, 3.0], clock, 40.0, log), None, "< 1 s"
    )
    assert _rounds(bench, [long], clock, budget=60.0) == [6]
    # 0.5 s a sample (a process row): 11 rounds at least, then more until 30 s are spent
    clock2 = _FakeClock()
    medium = bench.Row(
        "medium", "g", "medium", _side(bench, "m", [1.0, 3.0], clock2, 0.5, log), None, "< 1 s"
    )
    assert _rounds(bench, [medium], clock2, budget=30.0) == [60]
    assert medium.seconds == pytest.approx(30.0)


# -- the growth rows and the previous-run comparison --------------------------------------


def _measured(row_id: str, median: float, floor: float | None = None) -> dict[str, Any]:
    def side(label: str, m: float) -> dict[str, Any]:
        return {"label": label, "median": m, "interval": [0.9 * m, 1.1 * m], "spread_pct": 10.0}

    return {
        "id": row_id,
        "group": "check",
        "path": f"`check` on the registry alone, {row_id}",
        "unit": "s",
        "contender": side("accord", median),
        "floor": side("plain", floor) if floor else None,
        "ratio": median / floor if floor else None,
        "goal": "<= 3x",
        "met": True,
        "spread_pct": 10.0,
    }


def test_growth_rows_compare_each_size_with_the_next_and_with_the_work() -> None:
    bench = _script("bench")
    rows = [
        _measured("alone-100", 1.0, 0.5),
        _measured("alone-1000", 8.0, 5.0),
        _measured("alone-5000", 60.0, 25.0),
        _measured("alone-warm-100", 1.0),  # another family: not mixed in
        _measured("ready-100", 1.0),  # one size only: no growth
    ]
    growth = {row["id"]: row for row in bench.growth_rows(rows)}
    assert set(growth) == {"growth-alone-100-1000", "growth-alone-1000-5000"}
    first, second = growth["growth-alone-100-1000"], growth["growth-alone-1000-5000"]
    assert first["contender"]["median"] == pytest.approx(8.0)
    assert first["work"] == 10.0
    assert first["met"] is True  # 8x for 10x the work
    assert first["met_by_interval"] is True  # and at most 9.8x within the interval
    assert first["floor"]["median"] == pytest.approx(10.0)
    assert first["contender"]["interval"] == pytest.approx([7.2 / 1.1, 8.8 / 0.9])
    assert second["contender"]["median"] == pytest.approx(7.5)
    assert second["goal"] == "<= 5x (linear)"
    assert second["met"] is False  # 7.5x for 5x the work: worse than linear
    assert second["met_by_interval"] is False
    assert first["group"] == second["group"] == "growth"


def test_each_row_states_how_far_it_moved_from_the_previous_run() -> None:
    bench = _script("bench")
    render = _script("bench_render")
    machine = {"cpu": "x", "cpus": 2, "system": "s", "machine": "m", "memory_gib": 1}
    old = {
        "format_version": 2,
        "date": "2026-01-01T00:00:00Z",
        "scale": "small",
        "machine": machine,
        "versions": {"python": "3.11"},
        "rows": [_measured("a", 1.0, 1.0), _measured("b", 1.0), _measured("gone", 1.0)],
    }
    new = {
        "format_version": 2,
        "date": "2026-01-02T00:00:00Z",
        "scale": "small",
        "seconds": 60.0,
        "method": "m",
        "policy": {"rerun_limit_pct": 15.0},
        "machine": machine,
        "versions": {"python": "3.11"},
        "rows": [_measured("a", 1.1, 1.0), _measured("b", 1.2), _measured("new", 1.0)],
    }
    bench.compare(new, old)
    a, b, fresh = new["rows"]
    assert a["previous"] == {
        "median": 1.0,
        "ratio": 1.0,
        "moved_pct": 10.0,
        "ratio_moved_pct": 10.0,
        "floor_moved_pct": 0.0,
        "over": False,
    }
    assert b["previous"]["moved_pct"] == 20.0
    assert b["previous"]["ratio_moved_pct"] is None
    assert b["previous"]["over"] is True
    assert fresh["previous"] is None
    assert new["previous"]["moved_over_limit"] == ["b"]
    assert new["previous"]["rows_compared"] == 2
    assert new["previous"]["same_machine"] is True
    # the table states it, and the summary names the row that moved too far
    table = render.render_markdown(new)
    assert "| ratio +10%, +10%, floor +0% |" in table
    assert "| **+20%** |" in table
    assert "1 of 2 rows moved less than 15% (the ratio for a row with a floor" in table
    assert "else its figure) (over: b)" in table
    # no previous run (or one of an unknown format): nothing compared, and said so
    bench.compare(new, None)
    assert new["previous"] is None
    assert "none to compare with" in render.render_text(new)
    bench.compare(new, {**old, "format_version": 99})
    assert new["previous"] is None


def test_make_bench_keeps_the_previous_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _script("bench")
    monkeypatch.setenv("BENCH_DIR", str(tmp_path))
    out = tmp_path / "results.json"
    argv = ["--scale", "tiny", "--only", "diff", "--rounds", "2", "--seed", "1", "--out", str(out)]
    page = ROOT / "docs" / "performance.md"
    before = page.read_bytes()
    # --render after a run of some groups only: the page (a whole run) is left alone
    assert bench.main([*argv, "--render"]) == 0
    assert page.read_bytes() == before
    first = json.loads(out.read_text())
    assert first["previous"] is None
    assert bench.main(argv) == 0
    second = json.loads(out.read_text())
    assert json.loads((tmp_path / "results.previous.json").read_text()) == first
    assert second["previous"]["date"] == first["date"]
    assert second["previous"]["rows_compared"] == len(second["rows"])
    for row, before in zip(second["rows"], first["rows"], strict=True):
        assert row["previous"]["median"] == before["contender"]["median"]


def test_the_bytecode_check_sees_modules_compiled_from_source(tmp_path: Path) -> None:
    bench = _script("bench")
    package = tmp_path / "accord"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text("X = 1\n")
    (package / "extra.py").write_text("Y = 2\n")
    # no bytecode yet: the child compiles all three from source (and, bytecode on, writes it)
    report = bench.bytecode_check(tmp_path)
    assert sorted(Path(p).name for p in report["compiled"]) == ["__init__.py", "cli.py", "extra.py"]
    assert report["modules"] == 3
    # byte-compiled: none is
    summary = bench.byte_compile(tmp_path)
    assert summary["accord_modules_compiled_from_source"] == 0
    assert summary["accord_modules_loaded"] == 3
    assert bench.bytecode_check(tmp_path)["compiled"] == []
    # a module changed after compiling is compiled again (and the harness refuses to measure)
    (package / "extra.py").write_text("Y = 3\n# changed\n")
    assert [Path(p).name for p in bench.bytecode_check(tmp_path)["compiled"]] == ["extra.py"]


def test_only_in_process_sides_are_warmed_up() -> None:
    bench = _script("bench")
    calls: list[str] = []

    def in_process() -> float:
        calls.append("in-process")
        return 1.0

    fresh_calls: list[int] = []

    def before() -> dict[str, str]:
        fresh_calls.append(1)
        return {}

    fresh = bench.process(["true"], before=before)
    row = bench.Row(
        "r", "g", "r", bench.Side("a", in_process), bench.Side("b", fresh), "<= 2x", rounds=2
    )
    bench.run_group([row], random.Random(1), bench.Policy(), warm_up=True)
    # the in-process side: one warm-up call and two samples; the fresh process: two samples
    assert calls == ["in-process"] * 3
    assert len(fresh_calls) == 2
    assert len(row.floor.values) == 2


def test_the_readme_figures_are_the_goal_rows_of_the_results(
    result: dict[str, Any], tmp_path: Path
) -> None:
    render = _script("bench_render")
    readme = tmp_path / "README.md"
    readme.write_text(
        "# accord\n\n<!-- bench:readme:begin -->\nold\n<!-- bench:readme:end -->\n\n## Next\n"
    )
    assert render.update(readme, result, readme=True)
    block = readme.read_text().split("<!-- bench:readme:begin -->\n")[1]
    block = block.split("<!-- bench:readme:end -->")[0]
    assert block == render.render_readme(result)
    assert result["machine"]["cpu"] in block
    assert f"{result['machine']['cpus']} CPUs" in block
    lines = [line for line in block.splitlines() if line.startswith("| ")][1:]
    goal_rows = [row for row in result["rows"] if row["met"] is not None]
    assert len(lines) == len(goal_rows)
    for row, line in zip(goal_rows, lines, strict=True):
        assert line.startswith(f"| {row['path']} | ")
        assert render.value(row["contender"]["median"], row["unit"]) in line
    # the summary under it is the one `make bench` prints
    assert all(line in block for line in render.summary(result))
    assert all(line in render.render_text(result) for line in render.summary(result))


def test_cold_caches_are_fresh_each_sample_and_the_last_one_is_kept(tmp_path: Path) -> None:
    bench = _script("bench")
    caches = bench.ColdCaches(tmp_path / "alone")
    with pytest.raises(RuntimeError, match="no cold sample"):
        caches.filled()
    first = Path(caches()["ACCORD_CACHE_DIR"])
    first.mkdir(parents=True)
    second = Path(caches()["ACCORD_CACHE_DIR"])
    assert second != first
    assert not first.exists()  # the one before is removed
    second.mkdir()
    assert caches.filled() == {"ACCORD_CACHE_DIR": str(second)}
    assert second.is_dir()  # the last one stays, for the warm row


def test_past_the_deadline_rows_run_only_their_minimum() -> None:
    bench = _script("bench")
    clock, log = _FakeClock(), []
    noisy = bench.Row(
        "noisy", "g", "noisy", _side(bench, "n", [1.0, 2.0], clock, 0.01, log), None, "< 5 ms"
    )
    bench.run_group(
        [noisy], random.Random(1), bench.Policy(), warm_up=False, clock=clock, deadline=0.0
    )
    assert len(noisy.contender.values) == 21  # not the 61 its spread would ask for


def test_a_timed_sample_leaves_the_harness_clean_up_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # codegen full: accord writes a package the harness then removes; the peer writes
    # nothing, so only the call is accord's cost, not the removal
    bench = _script("bench")
    clock = _FakeClock()
    monkeypatch.setattr(bench.time, "process_time", clock)
    calls: list[str] = []

    def call() -> None:
        calls.append("call")
        clock.now += 2.0

    def clean_up() -> None:
        calls.append("clean up")
        clock.now += 5.0

    sample = bench.timed(call, after=clean_up)
    assert sample() == 2.0
    assert sample() == 2.0
    assert calls == ["call", "clean up", "call", "clean up"]
