"""sql/30_link/pending_records.sql: the records the matcher decides, with what they could be found by."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/pending_records.sql"


def record(source: str, row: int, status: str, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": source,
        "file_hash": "h1",
        "_row": row,
        "id_status": status,
    }
    return base | values


def test_pending_records_in_record_order(models: Models) -> None:
    """Every unquarantined record without a usable ID, by source, file and row, with has_phone and
    has_township; valid, repaired and quarantined records are not pending."""
    models.given(
        "records_current",
        [
            record("hr", 2, "missing", phone_norm="13800000001"),
            record("hotline", 1, "bad_check", township="城关镇"),
            record("hr", 1, "truncated", phone_norm="13800000001", township="城关镇"),
            record("hr", 3, "invalid"),
            record("hr", 4, "valid"),
            record("hr", 5, "repaired"),
            record("hr", 6, "missing", quarantine_reason="unreadable"),
        ],
    )
    assert models.query(MODEL).rows() == [
        ("hotline", "h1", 1, "bad_check", False, True),
        ("hr", "h1", 1, "truncated", True, True),
        ("hr", "h1", 2, "missing", True, False),
        ("hr", "h1", 3, "invalid", False, False),
    ]
