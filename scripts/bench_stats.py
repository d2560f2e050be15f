"""The statistics of ``make bench`` (scripts/bench.py): what a row's figure and spread mean.

A row reports the **median** of its samples. Its **spread** is the relative half-width of
a distribution-free confidence interval of that median, built from order statistics: with
``n`` samples sorted ``x(1) <= ... <= x(n)``, the interval ``[x(k), x(n + 1 - k)]`` holds
the true median with probability ``1 - 2 * P(B <= k - 1)``, ``B ~ Binomial(n, 1/2)``,
whatever the distribution of the samples (no normality assumed). The largest ``k`` whose
coverage is still at least 95% is used; with fewer than 6 samples no such ``k`` exists, so
the interval is the whole range and its (lower) coverage is stated as it is. The spread
is the larger of the two sides, ``max(median - low, high - median) / median``: "the true
median lies within +-spread of the reported one, with at least 95% confidence".

Two runs' medians each carry that error, so they differ by up to about ``sqrt(2)`` times
the spread (95%): a row is measured until its spread is under 10%, so that a re-run's
median stays within about 15%. This covers the noise *within* a run; a shift of the
machine's load *between* runs is what the previous-run comparison (``moved``) shows.

A row with a floor is judged by its **ratio**, and the ratio is paired: every round
measures both sides once, back to back in a random order, so ``contender[i] / floor[i]``
is one measurement of the ratio taken while the machine ran at one speed. The row's ratio
is the median of those per-round ratios, with the same order-statistic interval and
spread. On a shared host the machine's speed drifts over minutes (two runs an hour apart
have differed by 45% on both sides of every micro row, with their ratios within 2%): the
drift widens each side's interval but cancels in each round's ratio, which is the figure
a goal states. The ratio of the two medians is kept as information.

The interquartile range over the median (``iqr_pct``) is kept as information on how much
single samples vary; it says nothing about how far a median can move.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    coverage: float  # the exact probability that [low, high] holds the true median


def coverage(n: int, k: int) -> float:
    """The probability that ``[x(k), x(n + 1 - k)]`` of ``n`` samples holds the median."""
    if not 1 <= k <= (n + 1) // 2:
        raise ValueError(f"no order-statistic interval x({k})..x({n + 1 - k}) of {n} samples")
    tail = sum(math.comb(n, i) for i in range(k))
    return 1.0 - 2.0 * tail / (1 << n)


def median_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> Interval:
    """The narrowest order-statistic interval of the median with at least ``confidence``
    coverage; the whole range (and its lower coverage) when ``values`` are too few."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    n = len(ordered)
    k = 1
    while k + 1 <= (n + 1) // 2 and coverage(n, k + 1) >= confidence:
        k += 1
    return Interval(ordered[k - 1], ordered[n - k], coverage(n, k))


def relative_half_width(median: float, interval: Interval) -> float | None:
    """``max(median - low, high - median) / median`` in %; None when the median is 0 and
    the interval is not a point (no relative figure exists)."""
    side = max(median - interval.low, interval.high - median)
    if median == 0:
        return 0.0 if side == 0 else None
    return 100.0 * side / abs(median)


def iqr_pct(values: Sequence[float]) -> float | None:
    """The interquartile range over the median, in % (information: how single samples vary)."""
    median = statistics.median(values)
    if len(values) < 2:
        return 0.0
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    if median == 0:
        return 0.0 if q3 == q1 else None
    return 100.0 * (q3 - q1) / abs(median)


def summarize(values: Sequence[float]) -> dict[str, Any]:
    """What results.json keeps of one side of a row: the median, its interval and spread,
    and every sample."""
    median = statistics.median(values)
    interval = median_interval(values)
    spread = relative_half_width(median, interval)
    iqr = iqr_pct(values)
    return {
        "median": median,
        "n": len(values),
        "interval": [interval.low, interval.high],
        "confidence": round(interval.coverage, 4),
        "spread_pct": None if spread is None else round(spread, 1),
        "iqr_pct": None if iqr is None else round(iqr, 1),
        "samples": list(values),
    }


def spread_of(values: Sequence[float]) -> float:
    """The spread of ``values`` in % (infinite when it has no relative figure)."""
    median = statistics.median(values)
    spread = relative_half_width(median, median_interval(values))
    return math.inf if spread is None else spread


def paired_ratios(top: Sequence[float], bottom: Sequence[float]) -> list[float]:
    """``top[i] / bottom[i]`` for every round ``i`` both sides measured (a round measures
    each side of a row once); rounds whose floor measured 0 have no ratio."""
    return [a / b for a, b in zip(top, bottom, strict=False) if b > 0]


def quotient_interval(
    top: tuple[float, float], bottom: tuple[float, float]
) -> tuple[float, float] | None:
    """The interval of ``a / b`` for ``a`` in ``top`` and ``b`` in ``bottom`` (both positive
    intervals): a conservative interval of a ratio of two medians (coverage at least
    ``1 - 2 * (1 - confidence)`` of the two, 90% for two 95% intervals)."""
    if bottom[0] <= 0 or top[0] < 0:
        return None
    return top[0] / bottom[1], top[1] / bottom[0]


def moved_pct(new: float | None, old: float | None) -> float | None:
    """How far ``new`` moved from ``old``, in % of ``old``."""
    if new is None or old is None or old == 0:
        return None
    return 100.0 * (new - old) / old
