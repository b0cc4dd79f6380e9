"""sql/10_ingest/store_raw.sql and store_clean.sql: a chunk of a file's records into the
source's raw and clean tables (one template each, run per source)."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl

from monitor.clean import CONTENT_TEXT, KEY_TEXT
from monitor.engine import source_context

from .harness import Models, rows

STORE_RAW = "10_ingest/store_raw.sql"
STORE_CLEAN = "10_ingest/store_clean.sql"


def store(models: Models, model: str, source: str, chunk: pl.DataFrame, file_hash: str) -> None:
    context = {"source": next(s for s in source_context() if s["source"] == source)}
    with models.engine.registered("chunk", chunk):
        models.engine.run(model, {"file_hash": file_hash}, context=context)


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def test_raw_chunk_is_stored_by_name_with_its_file_hash(models: Models) -> None:
    """Every row of the chunk, tagged with the file's hash; columns matched by name whatever
    their order, a contract column the chunk lacks is null."""
    models.given("raw_hr", [{"file_hash": "old", "_row": 1, "person_name": "甲"}])
    chunk = pl.DataFrame(
        {
            "_extra": [None, '{"备注": "x"}'],
            "person_name": ["张三", "李四"],
            "_row": [1, 2],
            "id_number": ["110101199003071234", "bad"],
            "monthly_wage": ["3,200", ""],
        }
    )
    store(models, STORE_RAW, "hr", chunk, "f1")
    assert rows(
        models.table("raw_hr"), "file_hash", "_row", "person_name", "id_number", "monthly_wage",
        "township", "_extra",
    ) == [
        ("f1", 1, "张三", "110101199003071234", "3,200", None, None),
        ("f1", 2, "李四", "bad", "", None, '{"备注": "x"}'),
        ("old", 1, "甲", None, None, None, None),
    ]  # fmt: skip


def test_raw_template_writes_the_given_sources_table_only(models: Models) -> None:
    """The template names its table from the source in its context: roster's chunk goes to
    raw_roster, raw_hr is untouched."""
    chunk = pl.DataFrame({"_row": [7], "township": ["城关镇"]})
    store(models, STORE_RAW, "roster", chunk, "r1")
    assert rows(models.table("raw_roster"), "file_hash", "_row", "township") == [
        ("r1", 7, "城关镇")
    ]
    assert models.table("raw_hr").height == 0


def test_clean_chunk_keeps_key_and_content_texts_as_md5(models: Models) -> None:
    """clean.py's key and content texts become record_hash and content_hash (their md5) and
    are not stored themselves; typed columns are matched by name."""
    chunk = pl.DataFrame(
        {
            "_row": [1, 2],
            "person_id": ["110101199003071234", None],
            "id_status": ["valid", "missing"],
            "person_name": ["张三", "李四"],
            "unemployment_date": [dt.date(2026, 3, 1), None],
            "flags": [None, "id_missing"],
            "quarantine_reason": [None, None],
            KEY_TEXT: ["key-a", "key-b"],
            CONTENT_TEXT: ["content-a", "content-b"],
        }
    )
    store(models, STORE_CLEAN, "hr", chunk, "f1")
    assert rows(
        models.table("clean_hr"), "file_hash", "_row", "person_id", "id_status", "person_name",
        "unemployment_date", "flags", "record_hash", "content_hash",
    ) == [
        ("f1", 1, "110101199003071234", "valid", "张三", "2026-03-01", None, md5("key-a"),
         md5("content-a")),
        ("f1", 2, None, "missing", "李四", None, "id_missing", md5("key-b"), md5("content-b")),
    ]  # fmt: skip
    assert KEY_TEXT not in models.table("clean_hr").columns


def test_clean_template_writes_the_given_sources_table_only(models: Models) -> None:
    """One template for every source: a roster chunk goes to clean_roster."""
    chunk = pl.DataFrame(
        {"_row": [3], "id_status": ["valid"], KEY_TEXT: ["k"], CONTENT_TEXT: ["c"]}
    )
    store(models, STORE_CLEAN, "roster", chunk, "r1")
    assert rows(models.table("clean_roster"), "file_hash", "_row", "record_hash") == [
        ("r1", 3, md5("k"))
    ]
    assert models.table("clean_hr").height == 0
