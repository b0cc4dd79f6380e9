"""sql/50_publish/people.sql: a name and a phone per person whose current records carry a
valid or repaired ID (never a typo's or a truncated ID's person), the smallest of each."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "50_publish/people.sql"


def record(row: int, person: str | None, status: str, name: str | None,
           phone: str | None) -> dict[str, Any]:  # fmt: skip
    return {"source": "hotline", "file_hash": "f", "_row": row, "person_id": person,
            "id_status": status, "name": name, "phone_norm": phone}  # fmt: skip


def test_one_row_per_person_with_a_proven_id(models: Models) -> None:
    models.given("records_current", [
        record(1, "P1", "valid", "张三", "13900000002"),
        record(2, "P1", "repaired", "张 三", None),
        record(3, "P1", "valid", None, "13800000001"),
        record(4, "P2", "bad_check", "李四", "13700000000"),  # a typo's ID: not shown
        record(5, "P3", "truncated", "王五", None),
        record(6, None, "missing", "赵六", "13600000000"),
        record(7, "P4", "repaired", None, None),
    ])  # fmt: skip
    got = models.query(MODEL)
    assert got.columns == ["person_id", "name", "phone"]
    assert rows(got, "person_id", "name", "phone") == [
        ("P1", "张 三", "13800000001"),
        ("P4", None, None),
    ]
