"""sql/50_publish/referrals_*.sql and sql/70_feedback/*referral*: what a run's department lists
carried, and a department's returned result recorded against it (once)."""

from __future__ import annotations

import polars as pl

from monitor.referrals import REFERRAL_FRAME_COLUMNS

from .harness import RUN_ID, Models, rows

FORGET = "50_publish/referrals_forget.sql"
REMEMBER = "50_publish/referrals_remember.sql"
ISSUED = "70_feedback/referral_issued.sql"
RECORD = "70_feedback/record_referral_result.sql"
SAME = "70_feedback/same_referral_result.sql"


def frame(*rows_: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in REFERRAL_FRAME_COLUMNS} for r in rows_],
                        schema={c: pl.String for c in REFERRAL_FRAME_COLUMNS})  # fmt: skip


def test_a_run_remembers_its_lists_and_a_rerun_replaces_them(models: Models) -> None:
    models.given("referrals", [
        {"run_id": RUN_ID, "department": "医保", "household_key": "OLD", "recommendation": "医疗救助"},
        {"run_id": "2026-10-15", "department": "教育", "household_key": "H9", "recommendation": "教育救助"},
    ])  # fmt: skip
    models.statement(FORGET, run_id=RUN_ID)
    lists = frame(
        {"department": "医保", "household_key": "H1", "recommendation": "医疗救助",
         "codes": "MAJOR_ILLNESS;MED_OOP_HIGH", "tier": "red", "member_ids": "P1;P2",
         "county": "341102", "township": "琅琊街道", "deadline": "2026-11-16"},
    )  # fmt: skip
    with models.engine.registered("referral_rows", lists):
        models.statement(REMEMBER, run_id=RUN_ID)
    assert rows(models.table("referrals"), "run_id", "department", "household_key", "codes",
                "member_ids", "deadline") == [
        ("2026-10-15", "教育", "H9", None, None, None),
        (RUN_ID, "医保", "H1", "MAJOR_ILLNESS;MED_OOP_HIGH", "P1;P2", "2026-11-16"),
    ]  # fmt: skip


def answer(**values: object) -> dict[str, object]:
    return {"run_id": RUN_ID, "department": "医保", "household_key": "H1",
            "recommendation": "医疗救助", "result": "已纳入救助", "decided_on": "2026-11-18",
            "handler": "李医保", "note": None} | values  # fmt: skip


def test_a_result_is_recorded_only_against_an_issued_row_and_once(models: Models) -> None:
    models.given("referrals", [{"run_id": RUN_ID, "department": "医保", "household_key": "H1",
                                "recommendation": "医疗救助"}])  # fmt: skip
    assert models.query(ISSUED, **answer()).item() == 1
    assert models.query(ISSUED, **answer(department="教育")).item() == 0
    assert models.query(ISSUED, **answer(run_id="2026-10-15")).item() == 0
    assert models.query(SAME, **answer()).item() == 0
    models.statement(RECORD, **answer(), workbook_hash="abc")
    assert models.query(SAME, **answer()).item() == 1  # the same answer again: nothing new
    assert models.query(SAME, **answer(result="办理中")).item() == 0
    assert models.query(SAME, **answer(note="已报销")).item() == 0
    got = models.table("referral_results")
    assert rows(got, "department", "household_key", "result", "decided_on", "handler",
                "workbook_hash") == [("医保", "H1", "已纳入救助", "2026-11-18", "李医保", "abc")]  # fmt: skip
    assert got["recorded_at"].is_not_null().all()
