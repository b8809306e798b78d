"""This month's revenue as a range: pure maths over plain data (numpy), no database.

Revenue = won so far + wins from the open pipeline before the month ends + wins from deals not
yet created. Each open deal in stage s (region r) wins before the month ends with the rate
observed at the same day of past months for deals then in s (r); a region with too few past
deals uses the pooled rate. The pipeline is simulated per (stage, region) group from its deal
count and the mean and variance of its amounts; the not-yet-created part is drawn from the same
figure in past months. P10–P90 of the simulated totals is the range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PipelineCell:
    stage: str
    region: str | None
    deals: int
    amount: float  # sum of amounts (missing amounts count as 0)
    amount_sq: float  # sum of squared amounts


@dataclass(frozen=True)
class Trial:
    """Deals in ``stage`` at a past month's snapshot, and how many were won by that month's end."""

    stage: str
    region: str | None
    deals: int
    wins: int
    amount: float = 0.0  # of the deals in the stage then
    won_amount: float = 0.0  # of those won by the month's end


@dataclass(frozen=True)
class Rates:
    by_region: dict[tuple[str, str | None], float]
    pooled: dict[str, float]

    def of(self, stage: str, region: str | None) -> float:
        return self.by_region.get((stage, region), self.pooled.get(stage, 0.0))


def win_rates(trials: Sequence[Trial], min_region_trials: int) -> Rates:
    """Per stage and region where a region has at least ``min_region_trials`` deals, else pooled."""
    pooled_n: dict[str, int] = {}
    pooled_w: dict[str, int] = {}
    cell_n: dict[tuple[str, str | None], int] = {}
    cell_w: dict[tuple[str, str | None], int] = {}
    for t in trials:
        pooled_n[t.stage] = pooled_n.get(t.stage, 0) + t.deals
        pooled_w[t.stage] = pooled_w.get(t.stage, 0) + t.wins
        key = (t.stage, t.region)
        cell_n[key] = cell_n.get(key, 0) + t.deals
        cell_w[key] = cell_w.get(key, 0) + t.wins
    pooled = {s: pooled_w[s] / n for s, n in pooled_n.items() if n}
    by_region = {k: cell_w[k] / n for k, n in cell_n.items() if n >= min_region_trials}
    return Rates(by_region, pooled)


def month_factors(months: Sequence[Sequence[Trial]], rates: Rates) -> list[float]:
    """How each past month's pipeline did against the average rates (realised ÷ expected amount).

    Rates vary from month to month more than coin flips around one rate explain; drawing a past
    month's factor puts that variation into the range. 1.0 for a month with nothing expected.
    """
    out = []
    for trials in months:
        expected = sum(rates.of(t.stage, t.region) * t.amount for t in trials)
        realised = sum(t.won_amount for t in trials)
        out.append(realised / expected if expected > 0 else 1.0)
    return out


def simulate(
    won: float,
    pipeline: Sequence[PipelineCell],
    rates: Rates,
    new_values: Sequence[float],
    *,
    runs: int,
    factors: Sequence[float] = (),
    seed: int = 0,
) -> np.ndarray:
    """Simulated month totals (``runs`` of them); the same inputs give the same draws.

    ``new_values`` and ``factors`` are per past month, in the same order: each run draws one past
    month and takes both from it, so a month good for new deals and for the pipeline stays so.
    """
    rng = np.random.default_rng(seed)
    months = max(len(new_values), len(factors))
    pick = rng.integers(0, months, runs) if months else np.zeros(runs, dtype=int)
    pipe = np.zeros(runs)
    for cell in pipeline:
        if cell.deals <= 0:
            continue
        p = min(max(rates.of(cell.stage, cell.region), 0.0), 1.0)
        k = rng.binomial(cell.deals, p, runs)
        mean = cell.amount / cell.deals
        var = max(cell.amount_sq / cell.deals - mean * mean, 0.0)
        # The sum of k amounts drawn from the group: k·mean ± sqrt(k·var)·z.
        pipe += k * mean + np.sqrt(k * var) * rng.standard_normal(runs)
    if factors:
        pipe *= np.asarray(factors, dtype=float)[pick % len(factors)]
    total = won + np.maximum(pipe, 0.0)
    if new_values:
        total += np.asarray(new_values, dtype=float)[pick % len(new_values)]
    return total


@dataclass(frozen=True)
class Interval:
    low: float
    median: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


def interval(samples: np.ndarray, low: float, high: float) -> Interval:
    q = np.quantile(samples, [low, 0.5, high])
    return Interval(float(q[0]), float(q[1]), float(q[2]))


def expected(pipeline: Sequence[PipelineCell], rates: Rates) -> float:
    """The pipeline's rate-weighted amount (what the simulation centres on)."""
    return sum(rates.of(c.stage, c.region) * c.amount for c in pipeline)
