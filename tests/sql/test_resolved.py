"""sql/50_publish/resolved.sql: households the previous run warned and this one does not,
已处置 when a disposition holds their signals back, 已解除 when none is left; by household_key."""

from __future__ import annotations

from typing import Any

from .harness import Models

MODEL = "50_publish/resolved.sql"
PREVIOUS = "2026-10-15"


def history(run_id: str, key: str, codes: str = "DROPOUT") -> dict[str, Any]:
    return {"run_id": run_id, "as_of": run_id, "household_key": key, "county": "341102",
            "township": "琅琊街道", "tier": "red", "codes": codes}  # fmt: skip


def given(models: Models) -> None:
    models.given("warning_history", [
        history(PREVIOUS, "C", "MED_OOP_HIGH;UNEMPLOYED"),  # no signal left: 已解除
        history(PREVIOUS, "A"),  # still warned: not resolved
        history(PREVIOUS, "B"),  # its signal verified and held back: 已处置
        history("2026-10-01", "E"),  # an older run
    ])  # fmt: skip
    models.given("warnings_current", [{"household_key": "A", "tier": "red", "score": 1.0,
                                       "codes": "DROPOUT"}])  # fmt: skip
    models.given("signals_after_dispositions", [
        {"household_key": "A", "code": "DROPOUT", "tier": "red", "suppressed": False},
        {"household_key": "B", "code": "DROPOUT", "tier": "red", "suppressed": True},
    ])  # fmt: skip


def test_households_no_longer_warned_with_the_reason(models: Models) -> None:
    given(models)
    got = models.query(MODEL, previous_run_id=PREVIOUS)
    assert got.columns == ["household_key", "county", "township", "previous_codes", "reason",
                           "previous_as_of"]  # fmt: skip
    assert got.rows() == [
        ("B", "341102", "琅琊街道", "DROPOUT", "已处置", PREVIOUS),
        ("C", "341102", "琅琊街道", "MED_OOP_HIGH;UNEMPLOYED", "已解除", PREVIOUS),
    ]


def test_without_a_previous_run_nothing_is_resolved(models: Models) -> None:
    given(models)
    assert models.query(MODEL, previous_run_id=None).height == 0
