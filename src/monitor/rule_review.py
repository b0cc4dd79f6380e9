"""Looking at the rules themselves (policy.md "More of the plan"): how often each signal's
handled warnings were confirmed, as an estimate of the rule's precision, and the warning
rates by county, sex and age band against the monitored population. Counts only: what the
report and `monitor whatif` show so that analysts can see which thresholds to revisit, and
a rule that burdens one group shows up before anyone complains.

Precision of a signal = confirmed ÷ (confirmed + found ineligible) over the (household,
signal) pairs caseworkers handled, each by its latest disposition (60_report/
signal_precision.sql); 无法联系 and 其他 say nothing about the rule and are left out. With
few handled cases the estimate is wide: it comes with a 95 % Wilson score interval.

Example: 8 confirmed, 2 ineligible -> 80 % (95 % interval 49 %–94 %).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from monitor.engine import Engine
from monitor.policy import Policy
from monitor.signals import CATALOG

Z_95 = 1.959964  # the normal quantile of a two-sided 95 % interval (a statistical constant)
SEX_LABELS = {"M": "男", "F": "女"}


def wilson(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion: wilson(8, 10) -> (0.490, 0.943)."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    centre = p + z * z / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    scale = 1 + z * z / trials
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


@dataclass(frozen=True)
class SignalPrecision:
    """One signal's handled warnings and the precision they estimate (None: none judged)."""

    code: str
    label: str
    handled: int
    helped: int
    enrolled: int
    confirmed: int
    not_eligible: int
    unreachable: int
    other: int

    @property
    def judged(self) -> int:
        return self.confirmed + self.not_eligible

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.judged if self.judged else None

    def words(self) -> str:
        """``80%（95%区间 49%–94%，8/10）``, or why there is no estimate."""
        if self.precision is None:
            return "尚无已核实的处置，无法估计"
        low, high = wilson(self.confirmed, self.judged)
        return (
            f"{self.precision:.0%}（95%区间 {low:.0%}–{high:.0%}，{self.confirmed}/{self.judged}）"
        )


def signal_precision(engine: Engine, as_of: dt.date) -> list[SignalPrecision]:
    """Every signal with handled warnings, in the registry's order (codes it no longer has
    last, by code)."""
    rows = engine.query("60_report/signal_precision.sql", {"as_of": as_of}).rows(named=True)
    order = {code: i for i, code in enumerate(CATALOG)}
    rows.sort(key=lambda r: (order.get(r["code"], len(order)), r["code"]))
    counts = ("handled", "helped", "enrolled", "confirmed", "not_eligible", "unreachable", "other")
    return [
        SignalPrecision(
            code=r["code"],
            label=CATALOG[r["code"]].label if r["code"] in CATALOG else r["code"],
            **{k: int(r[k]) for k in counts},
        )
        for r in rows
    ]


def age_bands(policy: Policy) -> dict[int, str]:
    """The report's age bands, from the policy: children below the working age, the working
    age, and the ages of the 绿色通道 (60 and over)."""
    young, old = policy.min_working_age, policy.green_channel_age
    return {1: f"0–{young - 1}岁", 2: f"{young}–{old - 1}岁", 3: f"{old}岁及以上"}


@dataclass(frozen=True)
class RateRow:
    """One group of the monitored population and its warnings."""

    group: str
    population: int
    in_warned: int  # members of a warned household
    carriers: int  # members a signal of the warning is about
    proactive: int  # warned members of households outside the monitored population

    @staticmethod
    def share(part: int, whole: int) -> str:
        return f"{part / whole:.1%}" if whole else "—"


def warning_rates(engine: Engine, policy: Policy) -> dict[str, list[RateRow]]:
    """Warning rates of the monitored population by county (code order, 市外 last), sex and
    age band (60_report/warning_rates.sql summed over the other two)."""
    params = {"min_working_age": policy.min_working_age,
              "green_channel_age": policy.green_channel_age}  # fmt: skip
    rows = engine.query("60_report/warning_rates.sql", params).rows(named=True)
    bands = age_bands(policy)
    dimensions: dict[str, dict[str, list[int]]] = {"county": {}, "sex": {}, "age": {}}
    for r in rows:  # in county-code order: dicts keep the first-seen order
        counts = [int(r[k]) for k in ("population", "in_warned", "carriers", "proactive")]
        for dimension, group in (
            ("county", r["county"]),
            ("sex", SEX_LABELS.get(r["sex"], r["sex"] or "不明")),
            ("age", bands[int(r["age_band"])]),
        ):
            total = dimensions[dimension].setdefault(group, [0, 0, 0, 0])
            for i, n in enumerate(counts):
                total[i] += n
    order: dict[str, Any] = {
        "county": None,
        "sex": list(SEX_LABELS.values()),
        "age": list(bands.values()),
    }
    out: dict[str, list[RateRow]] = {}
    for dimension, groups in dimensions.items():
        names = list(groups)
        known = order[dimension]
        if known:
            names.sort(key=lambda g: known.index(g) if g in known else len(known))
        out[dimension] = [RateRow(g, *groups[g]) for g in names]
    return out
