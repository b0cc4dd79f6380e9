"""sql/80_analyst/explain_settlements.sql: the window's medical settlements of one household's
members (what household_income sums into the rigid expenditure), by date."""

from __future__ import annotations

from .harness import Models

MODEL = "80_analyst/explain_settlements.sql"


def test_the_members_settlements_by_date(models: Models) -> None:
    models.given("household_members", [
        {"person_id": "P1", "household_key": "F1"}, {"person_id": "P2", "household_key": "F1"},
        {"person_id": "P9", "household_key": "F9"},
    ])  # fmt: skip
    models.given("settlements", [
        {"person_id": "P1", "file_name": "m.csv", "_row": 5, "settlement_date": "2026-09-01",
         "care_type": "住院", "oop": 6000},
        {"person_id": "P2", "file_name": "m.csv", "_row": 2, "settlement_date": "2026-03-01",
         "care_type": "门诊", "oop": -50},
        {"person_id": "P9", "file_name": "m.csv", "_row": 1, "settlement_date": "2026-01-01",
         "oop": 10},
    ])  # fmt: skip
    got = models.query(MODEL, household_key="F1")
    assert got.select("person_id", "_row", "care_type").rows() == [
        ("P2", 2, "门诊"), ("P1", 5, "住院")]  # fmt: skip
    assert [float(v) for v in got["oop"]] == [-50.0, 6000.0]
