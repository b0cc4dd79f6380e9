"""sql/50_publish/warnings.sql: warnings.csv's rows in their documented order (tier, score
descending, household_key), each marked seen_before when the previous run warned it."""

from __future__ import annotations

from typing import Any

from .harness import Models

MODEL = "50_publish/warnings.sql"
PREVIOUS = "2026-10-15"


def warning(key: str, tier: str, score: float) -> dict[str, Any]:
    return {"household_key": key, "kind": "在册对象", "county": "341102", "township": "琅琊街道",
            "tier": tier, "score": score, "codes": "DROPOUT", "green_channel": False,
            "member_ids": "x", "explanation": "e"}  # fmt: skip


def history(run_id: str, key: str) -> dict[str, Any]:
    return {"run_id": run_id, "as_of": run_id, "household_key": key, "tier": "red",
            "codes": "DROPOUT"}  # fmt: skip


def given(models: Models) -> None:
    models.given("warnings_current", [
        warning("A", "red", 50.0), warning("B", "red", 60.0), warning("C", "red", 50.0),
        warning("D", "orange", 99.0), warning("E", "review", 0.0), warning("F", "yellow", 1.0),
    ])  # fmt: skip
    models.given("warning_history", [
        history(PREVIOUS, "A"), history(PREVIOUS, "A"),  # twice in a list: one row still
        history(PREVIOUS, "D"),
        history("2026-10-01", "E"),  # an older run: not the previous one
    ])  # fmt: skip


def test_order_is_tier_then_score_descending_then_household_key(models: Models) -> None:
    given(models)
    got = models.query(MODEL, previous_run_id=PREVIOUS)
    assert got.columns[-1] == "seen_before"
    assert got.select("household_key", "tier", "score").rows() == [
        ("B", "red", 60.0), ("A", "red", 50.0), ("C", "red", 50.0), ("D", "orange", 99.0),
        ("F", "yellow", 1.0), ("E", "review", 0.0),
    ]  # fmt: skip


def test_seen_before_means_warned_by_the_previous_run(models: Models) -> None:
    given(models)
    got = models.query(MODEL, previous_run_id=PREVIOUS)
    assert dict(got.select("household_key", "seen_before").rows()) == {
        "A": True, "B": False, "C": False, "D": True, "E": False, "F": False,
    }  # fmt: skip


def test_without_a_previous_run_every_household_is_new(models: Models) -> None:
    given(models)
    got = models.query(MODEL, previous_run_id=None)
    assert got.height == 6 and not got["seen_before"].any()
