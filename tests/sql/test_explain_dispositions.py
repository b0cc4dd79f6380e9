"""sql/80_analyst/explain_dispositions.sql: one household's dispositions with the signal's
label, in the order they were decided and recorded."""

from __future__ import annotations

from .harness import Models

MODEL = "80_analyst/explain_dispositions.sql"


def test_the_households_dispositions_in_order(models: Models) -> None:
    models.given("dispositions", [
        {"household_key": "F1", "code": "DROPOUT", "outcome": "已核实-已救助",
         "decided_on": "2026-11-18", "tier": "red", "note": "已送返学校", "caseworker": "王芳",
         "issued_run_id": "2026-11-15", "workbook_hash": "abc",
         "recorded_at": "2026-11-19 08:00:00"},
        {"household_key": "F1", "code": "HOTLINE_HELP", "outcome": "无法联系",
         "decided_on": "2026-11-17", "recorded_at": "2026-11-17 09:00:00"},
        {"household_key": "F2", "code": "DROPOUT", "outcome": "其他", "decided_on": "2026-11-17",
         "recorded_at": "2026-11-17 09:00:00"},
    ])  # fmt: skip
    models.given("signal_catalog", [{"code": "DROPOUT", "label": "学生辍学"}])
    got = models.query(MODEL, household_key="F1")
    assert got.select("code", "label", "outcome", "caseworker", "issued_run_id",
                      "from_workbook").rows() == [
        ("HOTLINE_HELP", None, "无法联系", None, None, False),
        ("DROPOUT", "学生辍学", "已核实-已救助", "王芳", "2026-11-15", True),
    ]  # fmt: skip
