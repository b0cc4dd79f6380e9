"""sql/10_ingest/: what a run records of a source's folder (deliveries) and of a snapshot
source's picture (pictures), and forgetting an earlier attempt of the same run."""

from __future__ import annotations

from .harness import Models, rows

FORGET_DELIVERIES = "10_ingest/forget_deliveries.sql"
RECORD_DELIVERY = "10_ingest/record_delivery.sql"
FORGET_PICTURES = "10_ingest/forget_pictures.sql"
RECORD_PICTURE = "10_ingest/record_picture.sql"


def delivery(run_id: str, source: str, file_name: str, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "run_id": run_id, "source": source, "file_name": file_name, "file_hash": file_name,
        "outcome": "loaded", "records": 1,
    }  # fmt: skip
    return base | values


def picture(run_id: str, source: str, file_name: str) -> dict[str, object]:
    return {"run_id": run_id, "source": source, "file_hash": file_name, "file_name": file_name}


def test_forget_deliveries_of_one_run_and_source_only(models: Models) -> None:
    """A rerun of a date forgets that run's rows of the source; other runs and sources stay."""
    models.given(
        "deliveries",
        [
            delivery("2026-11-15", "hr", "a.csv"),
            delivery("2026-11-15", "hr", "b.csv", outcome="failed", records=None),
            delivery("2026-11-15", "roster", "c.xlsx"),
            delivery("2026-10-15", "hr", "a.csv"),
        ],
    )
    models.statement(FORGET_DELIVERIES, run_id="2026-11-15", source="hr")
    assert rows(models.table("deliveries"), "run_id", "source", "file_name") == [
        ("2026-10-15", "hr", "a.csv"),
        ("2026-11-15", "roster", "c.xlsx"),
    ]


def test_record_delivery_keeps_every_field_and_nulls(models: Models) -> None:
    """A failed file's reason, column and value; a file not read has no hash and no records."""
    models.given("deliveries", [delivery("2026-10-15", "hr", "old.csv")])
    models.statement(
        RECORD_DELIVERY, run_id="2026-11-15", source="hr", file_name="坏.csv", file_hash="h1",
        outcome="failed", records=3, reason="缺少必填列", failed_column="id_number",
        failed_value="姓名,乡镇",
    )  # fmt: skip
    models.statement(
        RECORD_DELIVERY, run_id="2026-11-15", source="hr", file_name=".hidden", file_hash="",
        outcome="skipped", records=None, reason="隐藏文件", failed_column=None, failed_value=None,
    )  # fmt: skip
    assert rows(
        models.table("deliveries"), "run_id", "file_name", "file_hash", "outcome", "records",
        "reason", "failed_column", "failed_value",
    ) == [
        ("2026-10-15", "old.csv", "old.csv", "loaded", 1, None, None, None),
        ("2026-11-15", ".hidden", "", "skipped", None, "隐藏文件", None, None),
        ("2026-11-15", "坏.csv", "h1", "failed", 3, "缺少必填列", "id_number", "姓名,乡镇"),
    ]  # fmt: skip


def test_forget_pictures_of_one_run_and_source_only(models: Models) -> None:
    """Only the run's picture of the source goes; the earlier picture stays current-able."""
    models.given(
        "pictures",
        [
            picture("2026-11-15", "roster", "a.xlsx"),
            picture("2026-11-15", "roster", "b.xlsx"),
            picture("2026-11-15", "hr", "h.csv"),
            picture("2026-10-15", "roster", "a.xlsx"),
        ],
    )
    models.statement(FORGET_PICTURES, run_id="2026-11-15", source="roster")
    assert rows(models.table("pictures"), "run_id", "source", "file_name") == [
        ("2026-10-15", "roster", "a.xlsx"),
        ("2026-11-15", "hr", "h.csv"),
    ]


def test_record_picture_adds_one_file_of_the_picture(models: Models) -> None:
    """One row per file of the picture; the same content under two names is two rows."""
    models.given("pictures", [])
    for name in ("残联.xlsx", "残联(1).xlsx"):
        models.statement(
            RECORD_PICTURE, run_id="2026-11-15", source="disability", file_hash="d1",
            file_name=name,
        )  # fmt: skip
    assert rows(models.table("pictures"), "run_id", "source", "file_hash", "file_name") == [
        ("2026-11-15", "disability", "d1", "残联(1).xlsx"),
        ("2026-11-15", "disability", "d1", "残联.xlsx"),
    ]
