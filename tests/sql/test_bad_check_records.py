"""sql/30_link/bad_check_records.sql: the pending records whose ID has a wrong check character."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/bad_check_records.sql"


def record(source: str, row: int, status: str, **values: object) -> dict[str, object]:
    base: dict[str, object] = {"source": source, "file_hash": "h1", "_row": row,
                               "id_status": status, "id_prefix": f"34110219800101{row:04d}"}  # fmt: skip
    return base | values


def test_bad_check_records_in_record_order(models: Models) -> None:
    """Only unquarantined bad_check records, with the ID as delivered, by source, file and row."""
    models.given(
        "records_current",
        [
            record("hr", 2, "bad_check"),
            record("hotline", 5, "bad_check"),
            record("hr", 1, "bad_check"),
            record("hr", 3, "truncated"),
            record("hr", 4, "valid", person_id="341102198001010010"),
            record("hr", 6, "bad_check", quarantine_reason="unreadable"),
        ],
    )
    assert models.query(MODEL).rows() == [
        ("hotline", "h1", 5, "341102198001010005"),
        ("hr", "h1", 1, "341102198001010001"),
        ("hr", "h1", 2, "341102198001010002"),
    ]
