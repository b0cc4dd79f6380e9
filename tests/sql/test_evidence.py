"""sql/50_publish/evidence.sql: the evidence records of the signals raised in this run (a
signal held back by a disposition has none shown), with the signal's tier, ordered by
household, code, file, row and person."""

from __future__ import annotations

from typing import Any

from .harness import Models

MODEL = "50_publish/evidence.sql"


def evidence(key: str, code: str, person: str, name: str, row: int,
             source: str = "hotline") -> dict[str, Any]:  # fmt: skip
    return {"household_key": key, "code": code, "person_id": person, "source": source,
            "file_hash": source, "file_name": name, "_row": row, "amount": 12.5,
            "event_date": "2026-11-01", "detail": f"{code} {row}"}  # fmt: skip


def test_evidence_of_raised_signals_only_in_order(models: Models) -> None:
    models.given("signal_evidence", [
        evidence("A", "HOTLINE_HELP", "P2", "b.csv", 1),
        evidence("A", "HOTLINE_HELP", "P1", "a.csv", 7),
        evidence("A", "HOTLINE_HELP", "P1", "a.csv", 3),
        evidence("A", "DROPOUT", "P3", "z.csv", 1, "roster"),
        evidence("A", "DROPOUT", "P3", "z.csv", 1, "education"),  # same name: by source
        evidence("B", "HOTLINE_HELP", "P9", "a.csv", 1),  # B's signal is held back
        evidence("C", "DROPOUT", "P8", "a.csv", 1),  # not among this run's signals at all
    ])  # fmt: skip
    models.given("signal_summary", [
        {"household_key": "A", "code": "HOTLINE_HELP", "tier": "orange"},
        {"household_key": "A", "code": "DROPOUT", "tier": "red"},
        {"household_key": "B", "code": "HOTLINE_HELP", "tier": "orange"},
    ])  # fmt: skip
    models.given("signals_after_dispositions", [
        {"household_key": "A", "code": "HOTLINE_HELP", "tier": "orange", "suppressed": False},
        {"household_key": "A", "code": "HOTLINE_HELP", "tier": "orange", "suppressed": False},
        {"household_key": "A", "code": "DROPOUT", "tier": "red", "suppressed": False},
        {"household_key": "B", "code": "HOTLINE_HELP", "tier": "orange", "suppressed": True},
    ])  # fmt: skip
    got = models.query(MODEL)
    assert got.columns == ["household_key", "person_id", "code", "tier", "amount", "event_date",
                           "source", "file_name", "_row", "detail", "grid_worker",
                           "grid_description"]  # fmt: skip
    assert got.select("household_key", "code", "tier", "file_name", "_row", "source").rows() == [
        ("A", "DROPOUT", "red", "z.csv", 1, "education"),
        ("A", "DROPOUT", "red", "z.csv", 1, "roster"),
        ("A", "HOTLINE_HELP", "orange", "a.csv", 3, "hotline"),
        ("A", "HOTLINE_HELP", "orange", "a.csv", 7, "hotline"),
        ("A", "HOTLINE_HELP", "orange", "b.csv", 1, "hotline"),
    ]  # one row per evidence record, however many signal rows name it
    assert got.filter(file_name="a.csv")["person_id"].to_list() == ["P1", "P1"]


def test_a_grid_visit_brings_its_grid_worker_and_description(models: Models) -> None:
    """Only a grid record's evidence row has them; another source's record of the same file
    content and row number has none."""
    models.given("signal_evidence", [
        evidence("A", "GRID_REPORT", "P1", "网格走访.csv", 2, "grid"),
        evidence("A", "HOTLINE_HELP", "P1", "工单.csv", 2, "hotline") | {"file_hash": "grid"},
    ])  # fmt: skip
    models.given("clean_grid", [
        {"file_hash": "grid", "_row": 2, "id_status": "missing", "grid_worker": "赵网格",
         "description": "独居，腿脚不便"},
        {"file_hash": "grid", "_row": 3, "id_status": "missing", "grid_worker": "钱网格",
         "description": "另一户"},
    ])  # fmt: skip
    models.given("signal_summary", [
        {"household_key": "A", "code": "GRID_REPORT", "tier": "orange"},
        {"household_key": "A", "code": "HOTLINE_HELP", "tier": "orange"},
    ])  # fmt: skip
    models.given("signals_after_dispositions", [
        {"household_key": "A", "code": "GRID_REPORT", "tier": "orange", "suppressed": False},
        {"household_key": "A", "code": "HOTLINE_HELP", "tier": "orange", "suppressed": False},
    ])  # fmt: skip
    got = models.query(MODEL)
    assert got.select("code", "grid_worker", "grid_description").rows() == [
        ("GRID_REPORT", "赵网格", "独居，腿脚不便"),
        ("HOTLINE_HELP", None, None),
    ]
