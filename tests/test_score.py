"""monitor.score: the scoring stage's parameters and wiring (the rules: tests/sql/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import build_small_input, run
from monitor import score
from monitor.policy import POLICY_DIR, load_policy
from monitor.signals import CATALOG, TIER_RANKS
from monitor.state import open_state

POLICY = load_policy(POLICY_DIR / "2026.yaml")[0]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 15), 12, dt.date(2025, 11, 15)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),  # clamped to the month's end
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 15), 1, dt.date(2025, 12, 15)),
        (dt.date(2026, 5, 31), 3, dt.date(2026, 2, 28)),
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert score.months_before(day, months) == expected


def test_score_params_carry_every_policy_number_and_the_window_starts() -> None:
    as_of = dt.date(2026, 11, 15)
    params = score.score_params(POLICY, as_of)
    assert set(POLICY.params()) <= set(params)
    w = POLICY.windows
    assert params["as_of"] == as_of
    assert params["medical_since"] == score.months_before(as_of, w.medical_months)
    assert params["disaster_since"] == as_of - dt.timedelta(days=w.disaster_days)
    assert params["hotline_since"] == as_of - dt.timedelta(days=w.hotline_days)
    assert params["proactive_codes"] == list(POLICY.proactive_codes)


def test_score_writes_the_registry_with_this_policys_weights(tmp_path: Path) -> None:
    """signal_catalog is the registry (every code once) with the policy's weights, and the
    count score() returns is the households in warnings_current."""
    state = tmp_path / "s.duckdb"
    run(build_small_input(tmp_path / "in"), tmp_path / "out", state)
    with open_state(state) as engine:
        warned = score.score(engine, POLICY, dt.date(2026, 11, 15), "2026-11-15")
        catalog = engine.table("signal_catalog")
        assert catalog["code"].to_list() == list(CATALOG)
        weights = dict(zip(catalog["code"], catalog["weight"], strict=True))
        assert weights == {c: float(POLICY.signal_weights[c]) for c in CATALOG}
        assert dict(engine.execute("select tier, tier_rank from tier_ranks")) == TIER_RANKS
        assert warned == engine.execute("select count(*) from warnings_current")[0][0] > 0
