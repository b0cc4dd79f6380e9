"""sql/70_feedback/: what a disposition is recorded against, and its row."""

from __future__ import annotations

from .harness import Models, rows

NOW = "70_feedback/signal_now.sql"
WARNED = "70_feedback/times_warned.sql"
RECORD = "70_feedback/record_disposition.sql"


def test_signal_now_is_that_household_and_code_only(models: Models) -> None:
    models.given("signal_summary", [
        {"household_key": "H1", "code": "MEDICAL_BURDEN", "tier": "red", "amount": 52000,
         "evidence_keys": ["medical_insurance:r1"]},
        {"household_key": "H1", "code": "HOTLINE_HELP", "tier": "orange"},
        {"household_key": "H2", "code": "MEDICAL_BURDEN", "tier": "yellow"},
    ])  # fmt: skip
    got = models.query(NOW, household_key="H1", code="MEDICAL_BURDEN")
    assert rows(got, "tier", "amount") == [("red", 52000.0)]
    assert got["evidence_keys"].to_list() == [["medical_insurance:r1"]]
    assert models.query(NOW, household_key="H3", code="MEDICAL_BURDEN").height == 0


def test_times_warned_counts_runs_of_that_household(models: Models) -> None:
    """0 for a household never warned (a mistyped 家庭编号)."""
    models.given("warning_history", [
        {"run_id": "2026-10-15", "as_of": "2026-10-15", "household_key": "H1", "tier": "red", "codes": "X"},
        {"run_id": "2026-11-15", "as_of": "2026-11-15", "household_key": "H1", "tier": "red", "codes": "X"},
        {"run_id": "2026-11-15", "as_of": "2026-11-15", "household_key": "H2", "tier": "red", "codes": "X"},
    ])  # fmt: skip
    assert rows(models.query(WARNED, household_key="H1"), "runs") == [(2,)]
    assert rows(models.query(WARNED, household_key="H9"), "runs") == [(0,)]


def test_record_disposition_keeps_what_it_was_decided_against(models: Models) -> None:
    """The row carries outcome, date, tier, amount, note and evidence keys, and a record time;
    an earlier disposition stays (the history is kept)."""
    models.given("dispositions", [{"household_key": "H1", "code": "MEDICAL_BURDEN",
                                   "outcome": "无法联系", "decided_on": "2026-10-20"}])  # fmt: skip
    models.statement(RECORD, household_key="H1", code="MEDICAL_BURDEN", outcome="已核实-已救助",
                     decided_on="2026-11-20", tier="red", amount=52000.0, note="已临时救助",
                     evidence_keys=["medical_insurance:r1"], caseworker="王芳",
                     issued_run_id="2026-11-15", workbook_hash="abc")  # fmt: skip
    got = models.table("dispositions")
    assert rows(got, "outcome", "decided_on", "tier", "amount", "note") == [
        ("已核实-已救助", "2026-11-20", "red", 52000.0, "已临时救助"),
        ("无法联系", "2026-10-20", None, None, None),
    ]
    new = got.filter(got["outcome"] == "已核实-已救助")
    assert new["evidence_keys"].to_list() == [["medical_insurance:r1"]]
    assert new["recorded_at"].to_list()[0] is not None
    assert rows(new, "caseworker", "issued_run_id", "workbook_hash") == [
        ("王芳", "2026-11-15", "abc")
    ]
