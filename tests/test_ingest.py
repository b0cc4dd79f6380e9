"""monitor.ingest: one source's folder into the ledger, raw and clean layers, a file at a time
(each in one transaction; a file that cannot be used fails alone and leaves nothing)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest

from conftest import A_HEAD, B, C, write_csv
from monitor import ingest
from monitor.contracts import Contract
from monitor.engine import Engine
from monitor.ingest import (
    HIDDEN_REASON,
    LOCK_REASON,
    empty_file_reason,
    file_hash,
    folder_entries,
    ingest_source,
    list_files,
)
from monitor.state import open_state

DAY = dt.date(2026, 11, 15)
HR = ["姓名", "社会保障号码", "就业状态", "月工资（元）", "失业登记日期"]
ROWS = [
    ["甲", A_HEAD, "就业", "3000", "2026-01-01"],
    ["乙", B, "失业登记", "", "2026-10-01"],
    ["丙", C, "就业", "1,200元", ""],
]


def _counts(engine: Engine) -> tuple[int, int, int, int]:
    """Rows of raw_hr, clean_hr, files and validations."""
    return tuple(  # type: ignore[return-value]
        engine.execute(f"select count(*) from {t}")[0][0]
        for t in ("raw_hr", "clean_hr", "files", "validations")
    )


def _deliveries(engine: Engine) -> list[tuple[object, ...]]:
    return engine.execute(
        "select run_id, file_name, outcome, records, reason from deliveries order by run_id, file_name"
    )


# ---------------------------------------------------------------- the folder


def test_folder_entries_in_name_order_with_what_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "hr"
    write_csv(folder / "b.csv", HR, ROWS)
    write_csv(folder / "a.csv", HR, ROWS)
    (folder / ".a.csv").write_text("x", encoding="utf-8")
    (folder / "~$b.xlsx").write_text("x", encoding="utf-8")
    (folder / "old").mkdir()
    entries = {e.path.name: (e.outcome, e.reason) for e in folder_entries(folder)}
    assert list(entries) == sorted(entries)
    assert entries[".a.csv"] == ("skipped", HIDDEN_REASON)
    assert entries["~$b.xlsx"] == ("skipped", LOCK_REASON)
    assert entries["old"][0] == "skipped" and "子文件夹" in str(entries["old"][1])
    assert entries["a.csv"] == entries["b.csv"] == (None, None)
    assert list_files(folder) == [folder / "a.csv", folder / "b.csv"]
    assert folder_entries(tmp_path / "missing") == []


def test_file_hash_is_the_sha256_of_the_bytes_and_refuses_a_link(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"abc" * 1000)
    assert file_hash(path) == hashlib.sha256(b"abc" * 1000).hexdigest()
    (tmp_path / "link.csv").symlink_to(path)
    with pytest.raises(OSError):
        file_hash(tmp_path / "link.csv")


def test_an_empty_snapshot_file_keeps_the_last_picture_an_event_file_does_not_say_so() -> None:
    assert "沿用上次" in empty_file_reason("snapshot")
    assert "沿用上次" not in empty_file_reason("event")


# ---------------------------------------------------------------- the ledger


def test_a_loaded_file_is_stored_once_and_skipped_as_known_later(tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "hr" / "a.csv", HR, ROWS)
    with open_state(tmp_path / "s.duckdb") as engine:
        first = ingest_source(engine, tmp_path / "in", "hr", "r1", DAY)
        stored = _counts(engine)
        second = ingest_source(engine, tmp_path / "in", "hr", "r2", DAY + dt.timedelta(days=1))
        assert _counts(engine) == stored
        deliveries = _deliveries(engine)
        pictures = engine.execute("select run_id, file_name from pictures order by run_id")
    assert (first.loaded, first.skipped, first.records, first.delivered) == (1, 0, 3, True)
    assert (second.loaded, second.skipped, second.records, second.delivered) == (0, 1, 3, True)
    assert stored[:3] == (3, 3, 1) and stored[3] > 0
    assert deliveries == [
        ("r1", "a.csv", "loaded", 3, None),
        ("r2", "a.csv", "skipped", 3, None),  # the ledger's records
    ]
    assert pictures == [("r1", "a.csv"), ("r2", "a.csv")]


def test_a_rerun_of_a_run_replaces_its_deliveries_and_picture(tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "hr" / "a.csv", HR, ROWS)
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "hr", "r1", DAY)
        write_csv(tmp_path / "in" / "hr" / "b.csv", HR, ROWS[:1])
        ingest_source(engine, tmp_path / "in", "hr", "r1", DAY)
        deliveries = _deliveries(engine)
        pictures = engine.execute("select run_id, file_name from pictures order by file_name")
    assert deliveries == [
        ("r1", "a.csv", "skipped", 3, None),
        ("r1", "b.csv", "loaded", 1, None),
    ]
    assert pictures == [("r1", "a.csv"), ("r1", "b.csv")]


def test_an_event_source_has_no_picture(tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "hotline" / "t.csv", ["工单编号", "诉求人", "来电时间"], [
        ["T1", "甲", "2026-11-01 09:00"],
    ])  # fmt: skip
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hotline", "r1", DAY)
        pictures = engine.execute("select count(*) from pictures")[0][0]
    assert (result.loaded, result.delivered, pictures) == (1, True, 0)


# ---------------------------------------------------------------- a file fails alone


def _dropping_a_row_of_two_row_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ingest.clean_frame

    def clean_frame(frame: pl.DataFrame, contract: Contract, today: dt.date) -> pl.DataFrame:
        clean = real(frame, contract, today)
        return clean.head(1) if clean.height == 2 else clean

    monkeypatch.setattr(ingest, "clean_frame", clean_frame)


def test_a_broken_record_balance_fails_the_file_alone_and_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records read must equal records staged plus quarantined: a file breaking it (a bug)
    fails with RecordBalanceError and nothing of it is kept; the other files load."""
    _dropping_a_row_of_two_row_chunks(monkeypatch)
    write_csv(tmp_path / "in" / "hr" / "bad.csv", HR, ROWS[:2])
    write_csv(tmp_path / "in" / "hr" / "good.csv", HR, ROWS)
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hr", "r1", DAY)
        counts = _counts(engine)
        files = engine.execute("select file_name from files")
        deliveries = _deliveries(engine)
    assert (result.loaded, result.failed, result.records) == (1, 1, 3)
    assert counts[:3] == (3, 3, 1) and files == [("good.csv",)]
    (bad, good) = deliveries
    assert bad[:4] == ("r1", "bad.csv", "failed", None)
    assert "RecordBalanceError" in str(bad[4]) and "record balance broken" in str(bad[4])
    assert good == ("r1", "good.csv", "loaded", 3, None)


def test_a_failure_before_the_commit_rolls_the_whole_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunks are stored, then the ledger row fails: the transaction leaves no row of
    the file in raw, clean, files or validations, and the file is read again next time."""

    def record_file(*args: object) -> None:
        raise RuntimeError("disk full")

    write_csv(tmp_path / "in" / "hr" / "a.csv", HR, ROWS)
    with open_state(tmp_path / "s.duckdb") as engine:
        with monkeypatch.context() as patch:
            patch.setattr(ingest, "_record_file", record_file)
            failed = ingest_source(engine, tmp_path / "in", "hr", "r1", DAY)
        assert _counts(engine) == (0, 0, 0, 0)
        again = ingest_source(engine, tmp_path / "in", "hr", "r2", DAY)
        assert _counts(engine)[:3] == (3, 3, 1)
    assert (failed.loaded, failed.failed, failed.delivered) == (0, 1, False)
    assert failed.messages == [
        "hr/a.csv: 文件读取中途出错（RuntimeError: disk full）。请重新导出。"
    ]
    assert (again.loaded, again.failed) == (1, 0)


def test_a_chunk_the_engine_refuses_fails_the_file_and_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clean chunk the engine cannot store (a column clean_hr lacks): the file fails alone
    and the raw chunk stored before it is rolled back; the next file loads."""
    real = ingest.clean_frame

    def clean_frame(frame: pl.DataFrame, contract: Contract, today: dt.date) -> pl.DataFrame:
        clean = real(frame, contract, today)
        if clean.height == 2:
            clean = clean.with_columns(pl.lit("x").alias("no_such_column"))
        return clean

    monkeypatch.setattr(ingest, "clean_frame", clean_frame)
    write_csv(tmp_path / "in" / "hr" / "a.csv", HR, ROWS[:2])
    write_csv(tmp_path / "in" / "hr" / "b.csv", HR, ROWS)
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hr", "r1", DAY)
        counts = _counts(engine)
        files = engine.execute("select file_name from files")
    assert (result.loaded, result.failed, result.records) == (1, 1, 3)
    assert counts[:3] == (3, 3, 1) and files == [("b.csv",)]
    (message,) = result.messages
    assert message.startswith("hr/a.csv: 文件读取中途出错（")


def test_an_engine_error_is_named_without_the_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A statement the engine refuses fails the file with the engine's own error (its class
    and message), not the SQL text the engine's SqlError adds (the reason goes to the report)."""

    def record_file(engine: Engine, *args: object) -> None:
        engine.execute("select * from no_such_table")

    monkeypatch.setattr(ingest, "_record_file", record_file)
    write_csv(tmp_path / "in" / "hr" / "a.csv", HR, ROWS)
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hr", "r1", DAY)
        counts = _counts(engine)
    assert (result.loaded, result.failed) == (0, 1)
    assert counts == (0, 0, 0, 0)
    (message,) = result.messages
    assert message.startswith("hr/a.csv: 文件读取中途出错（CatalogException: ")
    assert "no_such_table" in message
    assert "--- statement ---" not in message and "SQL failed in" not in message
