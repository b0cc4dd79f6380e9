"""sql/30_link/proven_count.sql: how many current records carry a usable ID (m's population)."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/proven_count.sql"


def test_counts_unquarantined_valid_and_repaired_records(models: Models) -> None:
    """valid and repaired count; damaged or missing IDs and quarantined records do not."""
    statuses = ["valid", "repaired", "valid", "bad_check", "truncated", "missing"]
    records: list[dict[str, object]] = [
        {"source": "hr", "file_hash": "h1", "_row": i, "id_status": s}
        for i, s in enumerate(statuses)
    ]
    records.append({"source": "hr", "file_hash": "h1", "_row": 9, "id_status": "valid",
                    "quarantine_reason": "unreadable"})  # fmt: skip
    models.given("records_current", records)
    assert models.query(MODEL).rows() == [(3,)]
