"""sql/80_analyst/export_delivery.sql: what ingestion did with the one file of a source in
check-export's private run, with the ledger's facts of its content."""

from __future__ import annotations

from .harness import Models

MODEL = "80_analyst/export_delivery.sql"
CHECK = "2026-11-15~check-export"


def given(models: Models) -> None:
    models.given("deliveries", [
        {"run_id": CHECK, "source": "hr", "file_name": "新.csv", "file_hash": "n1",
         "outcome": "loaded", "records": 40},
        {"run_id": CHECK, "source": "hotline", "file_name": "坏.csv", "file_hash": "b1",
         "outcome": "failed", "reason": "缺少必需的列：来电时间", "failed_column": "call_time"},
        {"run_id": "2026-11-15", "source": "hr", "file_name": "旧.csv", "file_hash": "o1",
         "outcome": "loaded", "records": 9},
        {"run_id": CHECK, "source": "roster", "file_name": "旧.xlsx", "file_hash": "r1",
         "outcome": "skipped"},
    ])  # fmt: skip
    models.given("files", [
        {"file_hash": "n1", "source": "hr", "file_name": "新.csv", "first_run_id": CHECK,
         "records": 40, "title_rows": 1, "blank_rows": 2, "total_rows": 44, "encoding": "gb18030"},
        {"file_hash": "r1", "source": "roster", "file_name": "旧.xlsx", "first_run_id": "2026-10-15",
         "records": 12, "title_rows": 0, "blank_rows": 0, "total_rows": 13, "sheet": "数据"},
    ])  # fmt: skip


def test_a_loaded_file_with_its_ledger_facts(models: Models) -> None:
    given(models)
    got = models.query(MODEL, run_id=CHECK, source="hr").to_dicts()
    assert [(r["file_name"], r["outcome"], r["records"], r["title_rows"], r["blank_rows"],
             r["encoding"]) for r in got] == [("新.csv", "loaded", 40, 1, 2, "gb18030")]  # fmt: skip


def test_a_failed_file_has_its_reason_and_a_known_one_its_first_run(models: Models) -> None:
    given(models)
    failed = models.query(MODEL, run_id=CHECK, source="hotline").row(0, named=True)
    assert (failed["outcome"], failed["reason"], failed["failed_column"], failed["records"]) == (
        "failed", "缺少必需的列：来电时间", "call_time", None)  # fmt: skip
    known = models.query(MODEL, run_id=CHECK, source="roster").row(0, named=True)
    assert (known["outcome"], known["records"], known["first_run_id"], known["sheet"]) == (
        "skipped", 12, "2026-10-15", "数据")  # fmt: skip
