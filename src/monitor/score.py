"""Scoring: signals per person and household, and the warning list (policy.md)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from monitor.engine import Engine
from monitor.policy import Policy
from monitor.signals import CATALOG, TIER_RANKS


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (clamped to the month's end): 2026-03-31, 1 -> 2026-02-28."""
    year, month = divmod(day.year * 12 + (day.month - 1) - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def score_params(policy: Policy, as_of: dt.date) -> dict[str, object]:
    """Every parameter bound into the scoring SQL: the policy's numbers and window start dates."""
    w = policy.windows
    params: dict[str, object] = dict(policy.params())
    params.update(
        as_of=as_of,
        medical_since=months_before(as_of, w.medical_months),
        major_illness_since=months_before(as_of, w.major_illness_months),
        unemployment_since=months_before(as_of, w.unemployment_months),
        inpatient_since=months_before(as_of, w.inpatient_months),
        disaster_since=as_of - dt.timedelta(days=w.disaster_days),
        hotline_since=as_of - dt.timedelta(days=w.hotline_days),
        proactive_codes=list(policy.proactive_codes),
    )
    params.update(
        grid_since=as_of - dt.timedelta(days=w.grid_days),
        grid_hardship_types=list(policy.grid_hardship_types),
    )
    return params


# The scoring models, in the order they build on each other.
SCORE_MODELS = (
    "40_score/settlements.sql",
    "40_score/hr_current.sql",
    "40_score/member_facts.sql",
    "40_score/grid_signals.sql",
    "40_score/schooling.sql",
    "40_score/person_signals.sql",
    "40_score/households_routed.sql",
    "40_score/household_income.sql",
    "40_score/income_signals.sql",
    "40_score/care_needed.sql",  # issue 14 (rules): care needs, lost work ability, full payment
    "40_score/work_ability_lost.sql",
    "40_score/benefit_check.sql",
    "40_score/household_signals.sql",
    "40_score/signal_evidence.sql",
    "40_score/signal_summary.sql",
    "40_score/signals_after_dispositions.sql",
    "40_score/household_assistance.sql",
    "50_publish/warnings_current.sql",
)


def score(engine: Engine, policy: Policy, as_of: dt.date, run_id: str) -> int:
    """Build person and household signals and ``warnings_current``; returns the warning count."""
    catalog = pl.DataFrame(
        {
            "code": list(CATALOG),
            "label": [s.label for s in CATALOG.values()],
            "weight": [float(policy.signal_weights[c]) for c in CATALOG],
            "worse": [s.worse for s in CATALOG.values()],
            "scores_amount": [s.scores_amount for s in CATALOG.values()],
        }
    )
    ranks = pl.DataFrame({"tier": list(TIER_RANKS), "tier_rank": list(TIER_RANKS.values())})
    engine.replace("signal_catalog", catalog)
    engine.replace("tier_ranks", ranks)
    params = score_params(policy, as_of) | {"run_id": run_id}
    # the first as-of date at which a roster household was seen 退出 (the roster has none)
    engine.run("40_score/roster_exits_forget.sql")
    engine.run("40_score/roster_exits_remember.sql", params)
    for model in SCORE_MODELS:
        engine.build(model, params)
    return int(engine.value("50_publish/warning_count.sql"))
