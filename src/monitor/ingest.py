"""Ingestion: every file of INPUT/<source>/ into the raw and clean layers, once per content hash.

Per file: data records read = records staged + records quarantined (asserted
here); title, blank and 合计 rows are counted apart. A file that cannot be used
fails alone: its reason goes to the run's deliveries and to quarantine.csv.
A file with a header and no record is loaded with 0 records and a message; for a
snapshot source it is no delivery (the last picture stays, as for an empty folder).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from monitor.clean import CONTENT_TEXT, KEY_TEXT, clean_frame
from monitor.contracts import Contract, contracts
from monitor.errors import InputFileError
from monitor.readers import SUPPORTED_SUFFIXES, ReadResult, read_file
from monitor.state import registered, run_sql
from monitor.validate import CHUNK_ROWS as GX_BATCH_ROWS
from monitor.validate import ExpectationResult, GxBatch, flag_frame

log = logging.getLogger(__name__)


@dataclass
class SourceIngest:
    """What ingestion did with one source's folder in one run."""

    source: str
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    records: int = 0
    quarantined: int = 0
    delivered: bool = False  # the folder held at least one usable file with records
    empty: int = 0  # files read without error that hold no data record (header only)
    messages: list[str] = field(default_factory=list)  # one per failed file
    notices: list[str] = field(default_factory=list)  # one per empty file (not a failure)
    # (file suffix, records, seconds) of each file loaded now, for benchmarks and the report
    timings: list[tuple[str, int, float]] = field(default_factory=list)
    # seconds per step over the files seen now: hash, read, normalize, validate, store, commit
    steps: dict[str, float] = field(default_factory=dict)


def empty_file_reason(kind: str) -> str:
    """The message of a file with a header and no data record (kept in its delivery)."""
    if kind == "snapshot":
        return (
            "文件只有表头、没有数据记录（0 条）：不作为本次报送，该来源沿用上次的数据。"
            "请确认报送部门导出了数据。"
        )
    return "文件只有表头、没有数据记录（0 条）。请确认报送部门导出了数据。"


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def list_files(folder: Path) -> list[Path]:
    """The export files of a source folder, in name order (hidden and Excel lock files ignored)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


def ingest_source(
    con: duckdb.DuckDBPyConnection,
    input_dir: Path,
    source: str,
    run_id: str,
    today: dt.date,
) -> SourceIngest:
    """Load every new file of one source; record what was delivered in this run."""
    contract = contracts()[source]
    result = SourceIngest(source)
    run_sql(
        con,
        "DELETE FROM deliveries WHERE run_id = $r AND source = $s",
        {"r": run_id, "s": source},
        stage="ingest",
    )
    run_sql(
        con,
        "DELETE FROM pictures WHERE run_id = $r AND source = $s",
        {"r": run_id, "s": source},
        stage="ingest",
    )
    seen_now: set[str] = set()
    counted: dict[str, int] = {}  # records of each content read now (for a second copy)
    picture: list[tuple[str, str]] = []
    batch = GxBatch(contract, today)
    for path in list_files(input_dir / source):
        started = time.perf_counter()
        digest = file_hash(path)
        result.steps["hash"] = result.steps.get("hash", 0.0) + time.perf_counter() - started
        outcome, records, reason, column = _ingest_file(
            con, contract, path, digest, seen_now, run_id, today, result.steps, batch
        )
        if outcome == "loaded" and batch.rows >= GX_BATCH_ROWS:
            _run_gx(con, batch, result.steps)
        if outcome != "failed":  # a second copy of a failed file fails with its own reason
            seen_now.add(digest)
        size = counted.get(digest) if records is None else records
        if outcome != "failed" and size is not None:
            counted[digest] = size
        if outcome != "failed" and size == 0:
            reason = empty_file_reason(contract.kind)
            result.empty += 1
            result.notices.append(f"{source}/{path.name}: {reason}")
            log.warning("%s/%s: no data record: %s", source, path.name, reason)
        _record_delivery(con, run_id, source, path.name, digest, outcome, records, reason, column)
        if outcome == "failed":
            result.failed += 1
            result.messages.append(f"{source}/{path.name}: {reason}")
            log.warning("%s/%s failed: %s", source, path.name, reason)
            continue
        if outcome == "loaded":
            result.loaded += 1
            result.timings.append(
                (path.suffix.lower(), records or 0, time.perf_counter() - started)
            )
        else:
            result.skipped += 1
            log.info("%s/%s: already ingested (same content), skipped", source, path.name)
        result.records += records or 0
        if size != 0:  # a header-only file is no picture (design.md: an empty folder)
            picture.append((digest, path.name))
    # the source's last rows (their time goes to the last file loaded), and any problem found
    gx_started = time.perf_counter()
    _run_gx(con, batch, result.steps)
    if result.timings:
        suffix, records, seconds = result.timings[-1]
        result.timings[-1] = (suffix, records, seconds + time.perf_counter() - gx_started)
    result.delivered = bool(picture)
    if contract.kind == "snapshot" and picture:
        con.executemany(
            "INSERT INTO pictures VALUES (?, ?, ?, ?)",
            [(run_id, source, h, name) for h, name in picture],
        )
    return result


def _record_delivery(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str,
    name: str,
    digest: str,
    outcome: str,
    records: int | None,
    reason: str | None,
    column: str | None,
) -> None:
    con.execute(
        "INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, source, name, digest, outcome, records, reason, column],
    )


def _ingest_file(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    path: Path,
    digest: str,
    seen_now: set[str],
    run_id: str,
    today: dt.date,
    steps: dict[str, float],
    batch: GxBatch,
) -> tuple[str, int | None, str | None, str | None]:
    """(outcome, records, reason, column) for one file; adds its step timings to ``steps``."""
    source = contract.source
    known = con.execute("SELECT records FROM files WHERE file_hash = ?", [digest]).fetchall()
    if known:
        return "skipped", int(known[0][0]), None, None
    if digest in seen_now:  # the same bytes under two names in one delivery
        return "skipped", None, None, None
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return "failed", None, f"不支持的文件类型 {path.suffix}：请报送 .csv 或 .xlsx 文件", None
    started = time.perf_counter()
    try:
        read = read_file(path, source, contract)  # xlsx: the whole sheet; CSV: the header
    except InputFileError as exc:
        return "failed", exc.records, exc.reason, exc.column or None
    except Exception as exc:  # a reader crash must not stop the other files
        log.exception("%s/%s: unexpected reader error", source, path.name)
        return "failed", None, f"文件无法读取（{type(exc).__name__}: {exc}）。请重新导出。", None
    steps["read"] = steps.get("read", 0.0) + time.perf_counter() - started
    # One transaction per file: a file that breaks halfway leaves nothing behind.
    con.execute("BEGIN TRANSACTION")
    try:
        quarantined, expectations = _load_chunks(
            con, contract, path.name, read, digest, today, steps, batch
        )
        committing = time.perf_counter()
        _record_file(con, contract.source, path, digest, run_id, read, expectations)
        con.execute("COMMIT")
        steps["commit"] = steps.get("commit", 0.0) + time.perf_counter() - committing
    except InputFileError as exc:
        con.execute("ROLLBACK")
        return "failed", exc.records, exc.reason, exc.column or None
    except Exception as exc:
        con.execute("ROLLBACK")
        log.exception("%s/%s: could not be loaded", source, path.name)
        return (
            "failed",
            None,
            f"文件读取中途出错（{type(exc).__name__}: {exc}）。请重新导出。",
            None,
        )
    log.info(
        "%s/%s: %d records (%d quarantined), %d title, %d blank, %d total rows",
        source,
        path.name,
        read.records,
        quarantined,
        read.title_rows,
        read.blank_rows,
        read.total_rows,
    )
    return "loaded", read.records, None, None


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, digest: str) -> None:
    # A clean chunk's key and content texts are stored as their md5 (stable across versions).
    hashed = (
        f" EXCLUDE ({KEY_TEXT}, {CONTENT_TEXT}), md5({KEY_TEXT}) AS record_hash,"
        f" md5({CONTENT_TEXT}) AS content_hash"
        if KEY_TEXT in frame.columns
        else ""
    )
    with registered(con, "_frame", frame):
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT ? AS file_hash, *{hashed} FROM _frame", [digest]
        )


def _load_chunks(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    name: str,
    read: ReadResult,
    digest: str,
    today: dt.date,
    steps: dict[str, float],
    batch: GxBatch,
) -> tuple[int, list[ExpectationResult]]:
    """Normalize, flag and store a file chunk by chunk, queueing its rows for GX (``batch``);
    returns (quarantined, per-expectation counts)."""
    staged = quarantined = 0
    results: dict[str, ExpectationResult] = {}
    chunks = read.chunks()
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps[step] = steps.get(step, 0.0) + now - clock
        clock = now

    for chunk in chunks:
        lap("read")
        clean = clean_frame(chunk, contract, today)
        lap("normalize")
        clean, chunk_results = flag_frame(clean, contract, today)
        batch.add(digest, clean, chunk_results)
        if batch.rows >= GX_BATCH_ROWS:  # memory stays bounded on a 10-million-row file
            batch.run()
        lap("validate")
        if clean.height != chunk.height:
            raise AssertionError(f"{contract.source}/{name}: record balance broken")
        usable = clean.filter(pl.col("quarantine_reason").is_null()).height
        staged += usable
        quarantined += clean.height - usable
        _insert(con, f"raw_{contract.source}", chunk, digest)
        _insert(con, f"clean_{contract.source}", clean, digest)
        for r in chunk_results:
            merged = results.setdefault(r.spec.flag, ExpectationResult(r.spec))
            merged.element_count += r.element_count
            merged.unexpected_count += r.unexpected_count
            merged.error = merged.error or r.error
        lap("store")
    lap("read")
    # data records read = records staged + records quarantined (title/blank/合计 rows apart)
    if staged + quarantined != read.records:
        raise AssertionError(f"{contract.source}/{name}: record balance broken")
    return quarantined, list(results.values())


def _run_gx(con: duckdb.DuckDBPyConnection, batch: GxBatch, steps: dict[str, float]) -> None:
    """Validate the queued rows with GX and record what did not hold against the loaded files
    (the rows of a file that failed to load were validated too; its errors are dropped)."""
    started = time.perf_counter()
    batch.run()
    for file_key, errors in batch.take().items():
        for flag, error in errors.items():
            expectation, _, column = flag.partition(":")
            con.execute(
                "UPDATE validations SET error = ?, success = false"
                " WHERE file_hash = ? AND expectation = ? AND column_name = ?",
                [error, file_key, expectation, column],
            )
    steps["validate"] = steps.get("validate", 0.0) + time.perf_counter() - started


def _record_file(
    con: duckdb.DuckDBPyConnection,
    source: str,
    path: Path,
    digest: str,
    run_id: str,
    read: ReadResult,
    expectations: list[ExpectationResult],
) -> None:
    """The ledger row and the GX results of a loaded file (none for a file without records)."""
    if expectations:
        con.executemany(
            "INSERT INTO validations VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    digest,
                    r.spec.type,
                    r.spec.column,
                    r.element_count,
                    r.unexpected_count,
                    r.success,
                    r.error,
                ]
                for r in expectations
            ],
        )
    con.execute(
        "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            digest,
            source,
            path.name,
            path.stat().st_size,
            run_id,
            read.records,
            read.title_rows,
            read.blank_rows,
            read.total_rows,
            read.sheet,
            read.encoding,
            read.delimiter,
            json.dumps(read.header, ensure_ascii=False, sort_keys=True),
            "；".join(read.notes) or None,
        ],
    )
