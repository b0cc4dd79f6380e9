"""sql/30_link/current_names.sql: the distinct names on current records, to spell in pinyin."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "30_link/current_names.sql"


def record(row: int, name_key: str | None, **values: object) -> dict[str, object]:
    base: dict[str, object] = {"source": "hr", "file_hash": "h1", "_row": row, "name_key": name_key}
    return base | values


def test_every_written_name_once(models: Models) -> None:
    """Each name_key once, whatever the source, status or quarantine; a record without one adds none."""
    models.given(
        "records_current",
        [
            record(1, "张三"),
            record(2, "张三", source="hotline", id_status="missing"),
            record(3, "李四", quarantine_reason="unreadable"),
            record(4, None),
        ],
    )
    assert rows(models.query(MODEL), "name_key") == [("张三",), ("李四",)]
