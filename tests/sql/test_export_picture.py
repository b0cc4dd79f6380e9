"""sql/80_analyst/export_picture.sql: the file check-export ingests joins its snapshot source's
latest picture (up to the compared run) in the private run, instead of replacing it."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "80_analyst/export_picture.sql"
CHECK = "2026-11-15~check-export"


def test_the_latest_picture_joins_the_checked_file(models: Models) -> None:
    models.given("pictures", [
        {"run_id": "2026-10-15", "source": "hr", "file_hash": "old", "file_name": "十月.csv"},
        {"run_id": "2026-11-15", "source": "hr", "file_hash": "a", "file_name": "城区.csv"},
        {"run_id": "2026-11-15", "source": "hr", "file_hash": "b", "file_name": "县域.csv"},
        {"run_id": "2026-11-15", "source": "roster", "file_hash": "r", "file_name": "库.xlsx"},
        {"run_id": "2026-12-15", "source": "hr", "file_hash": "later", "file_name": "十二月.csv"},
        # the checked file, recorded by ingestion (the same content as one already there)
        {"run_id": CHECK, "source": "hr", "file_hash": "b", "file_name": "新.csv"},
    ])  # fmt: skip
    models.statement(MODEL, check_run_id=CHECK, run_id="2026-11-15", source="hr")
    got = models.table("pictures").filter(run_id=CHECK)
    assert rows(got, "source", "file_hash", "file_name") == [
        ("hr", "a", "城区.csv"),
        ("hr", "b", "新.csv"),  # not twice
    ]
    assert models.table("pictures").height == 7  # other runs' pictures untouched
