"""sql/80_analyst/explain_signals.sql: every signal record of one household, raised or held
back by a disposition, with its label, the household's tier for the signal and the person's
name; by that tier, code, then the record's own tier, file and row."""

from __future__ import annotations

from typing import Any

from .harness import Models

MODEL = "80_analyst/explain_signals.sql"


def signal(key: str, code: str, tier: str, person: str, row: int | None,
           suppressed: bool = False) -> dict[str, Any]:  # fmt: skip
    return {"household_key": key, "code": code, "tier": tier, "person_id": person,
            "source": "hotline", "file_name": None if row is None else "工单.csv", "_row": row,
            "detail": f"{code} {row}", "suppressed": suppressed,
            "worse_since_disposition": False}  # fmt: skip


def given(models: Models) -> None:
    models.given("signals_after_dispositions", [
        signal("F1", "HOTLINE_HELP", "orange", "P1", 5),
        signal("F1", "HOTLINE_HELP", "orange", "P2", 2),
        signal("F1", "DROPOUT", "red", "P2", 9, suppressed=True),
        signal("F1", "UNEMPLOYED", "yellow", "P1", 1),
        signal("F2", "DROPOUT", "red", "P3", 1),  # another household
    ])  # fmt: skip
    models.given("signal_summary", [
        {"household_key": "F1", "code": "HOTLINE_HELP", "tier": "orange", "tier_rank": 2},
        {"household_key": "F1", "code": "DROPOUT", "tier": "red", "tier_rank": 1},
        {"household_key": "F1", "code": "UNEMPLOYED", "tier": "yellow", "tier_rank": 3},
        {"household_key": "F2", "code": "DROPOUT", "tier": "red", "tier_rank": 1},
    ])  # fmt: skip
    models.given("signal_catalog", [
        {"code": "HOTLINE_HELP", "label": "12345求助"}, {"code": "DROPOUT", "label": "学生辍学"},
        {"code": "UNEMPLOYED", "label": "失业"},
    ])  # fmt: skip
    models.given("tier_ranks", [{"tier": t, "tier_rank": r} for t, r in
                                (("red", 1), ("orange", 2), ("yellow", 3), ("review", 4))])  # fmt: skip
    models.given("persons", [{"person_id": "P1", "name": "张伟"}, {"person_id": "P2", "name": "张小明"}])  # fmt: skip


def test_every_signal_record_of_the_household_in_tier_order(models: Models) -> None:
    given(models)
    got = models.query(MODEL, household_key="F1")
    assert got.select("code", "label", "signal_tier", "person_id", "name", "_row",
                      "suppressed").rows() == [
        ("DROPOUT", "学生辍学", "red", "P2", "张小明", 9, True),  # held back, still listed
        ("HOTLINE_HELP", "12345求助", "orange", "P2", "张小明", 2, False),
        ("HOTLINE_HELP", "12345求助", "orange", "P1", "张伟", 5, False),
        ("UNEMPLOYED", "失业", "yellow", "P1", "张伟", 1, False),
    ]  # fmt: skip


def test_another_household_is_not_included(models: Models) -> None:
    given(models)
    assert models.query(MODEL, household_key="F2")["person_id"].to_list() == ["P3"]
    assert models.query(MODEL, household_key="F9").height == 0
