"""sql/80_analyst/explain_assistance.sql: what one household already receives, item by item
(household_assistance)."""

from __future__ import annotations

from .harness import Models

MODEL = "80_analyst/explain_assistance.sql"


def test_the_households_row_only(models: Models) -> None:
    models.given("household_assistance", [
        {"household_key": "F1", "benefit_label": "低保金", "monthly_benefit": 800,
         "medical_assistance": 3200, "medical_settlements": 2, "in_renovation": False,
         "assistance_received": "已享受：低保金 800 元/月；医疗救助 3,200 元（近12个月）"},
        {"household_key": "F2", "in_renovation": True, "assistance_received": "已享受：已纳入危房改造"},
    ])  # fmt: skip
    got = models.query(MODEL, household_key="F1").to_dicts()
    assert [(r["household_key"], r["monthly_benefit"], r["medical_settlements"],
             r["assistance_received"]) for r in got] == [
        ("F1", 800, 2, "已享受：低保金 800 元/月；医疗救助 3,200 元（近12个月）")]  # fmt: skip
    assert models.query(MODEL, household_key="F9").is_empty()
