"""Ingestion: every file of INPUT/<source>/ into the raw and clean layers, once per content hash.

Per file: data records read = records staged + records quarantined (checked
here: a file that breaks it fails with RecordBalanceError); title, blank and 合计
rows are counted apart. A file that cannot be used fails alone: its reason goes to
the run's deliveries and to quarantine.csv. Every statement is a file of
sql/10_ingest/, run by the engine; a file's rows are stored in one transaction.
A file with a header and no record is loaded with 0 records and a message; for a
snapshot source it is no delivery (the last picture stays, as for an empty folder).

Not every entry of a source folder is read (``folder_entries``): hidden files
(``.name``), Excel lock files (``~$name``) and sub-folders are listed as skipped
deliveries with their reason; symbolic links (to a file anywhere, or to a
folder) and special files (pipes, devices) as failed ones. None of them is
opened, hashed or followed. A file's bytes count for one source: the same bytes
loaded in another source's folder fail here with a reason naming it, and the
copy of a file that failed is read again and fails with its own reason (the
ledger holds loaded files only).
A record with a field beyond readers.MAX_FIELD_BYTES is quarantined
(``field_too_large:<column>`` in its flags, the reason in words).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from monitor import progress
from monitor.clean import FIELD_TOO_LARGE, clean_frame
from monitor.contracts import Contract, contracts
from monitor.engine import Engine, identifier, source_context
from monitor.errors import InputFileError, RecordBalanceError, SqlError
from monitor.limits import chunk_rows
from monitor.readers import SUPPORTED_SUFFIXES, ReadResult, read_file
from monitor.validate import ExpectationResult, GxBatch, flag_frame

log = logging.getLogger(__name__)

# deliveries of an entry that is not read have no content hash
NOT_READ = ""
HIDDEN_REASON = (
    "隐藏文件（文件名以“.”开头），不读取。如这是要报送的数据，请去掉文件名开头的“.”后重新报送。"
)
LOCK_REASON = (
    "Excel 临时锁定文件（文件名以“~$”开头，文件在 Excel 中打开时产生），不读取。"
    "请关闭 Excel 后删除该文件。"
)


@dataclass
class SourceIngest:
    """What ingestion did with one source's folder in one run."""

    source: str
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    records: int = 0
    delivered: bool = False  # the folder held at least one usable file with records
    empty: int = 0  # files read without error that hold no data record (header only)
    messages: list[str] = field(default_factory=list)  # one per failed file
    # one per empty file and per entry not read (hidden, lock file, sub-folder): not failures
    notices: list[str] = field(default_factory=list)
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
    """sha256 of a file's bytes, streamed (a symbolic link is refused, not followed)."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class FolderEntry:
    """One entry of a source folder: a file to read, or what is not read and why."""

    path: Path
    outcome: str | None = None  # None: to be read; "skipped" or "failed": not read
    reason: str | None = None
    value: str = ""  # what the entry is (a link's target), for quarantine.csv


def folder_entries(folder: Path) -> list[FolderEntry]:
    """Every entry of a source folder, in name order (module docstring): nothing is followed."""
    if not folder.is_dir():
        return []
    entries = []
    for path in sorted(folder.iterdir()):
        name = path.name
        try:
            mode = path.lstat().st_mode
        except OSError as exc:
            reason = f"「{name}」的文件信息无法读取（{exc.strerror}），不读取。请检查文件权限。"
            entries.append(FolderEntry(path, "failed", reason))
            continue
        if name.startswith("~$"):
            entries.append(FolderEntry(path, "skipped", LOCK_REASON))
        elif name.startswith("."):
            entries.append(FolderEntry(path, "skipped", HIDDEN_REASON))
        elif stat.S_ISLNK(mode):
            target = "文件夹" if path.is_dir() else "文件" if path.exists() else "不存在的位置"
            reason = (
                f"「{name}」是符号链接（指向{target}），不读取：来源文件夹中的符号链接一律不跟随。"
                "请把导出文件本身（而不是链接）复制到该文件夹后重新运行。"
            )
            try:
                value = os.readlink(path)
            except OSError:
                value = ""
            entries.append(FolderEntry(path, "failed", reason, value))
        elif stat.S_ISDIR(mode):
            reason = (
                f"「{name}」是子文件夹，其中的文件不读取。"
                f"请把导出文件直接放在「{folder.name}」文件夹中。"
            )
            entries.append(FolderEntry(path, "skipped", reason))
        elif not stat.S_ISREG(mode):
            reason = (
                f"「{name}」不是普通文件（管道、设备或套接字），不读取。"
                "请放入导出的 .csv 或 .xlsx 文件。"
            )
            entries.append(FolderEntry(path, "failed", reason))
        else:
            entries.append(FolderEntry(path))
    return entries


def list_files(folder: Path) -> list[Path]:
    """The export files of a source folder to read, in name order (``folder_entries``)."""
    return [e.path for e in folder_entries(folder) if e.outcome is None]


def ingest_source(
    engine: Engine,
    input_dir: Path,
    source: str,
    run_id: str,
    today: dt.date,
) -> SourceIngest:
    """Load every new file of one source; record what was delivered in this run."""
    contract = contracts()[source]
    result = SourceIngest(source)
    engine.run("10_ingest/forget_deliveries.sql", {"run_id": run_id, "source": source})
    engine.run("10_ingest/forget_pictures.sql", {"run_id": run_id, "source": source})
    seen_now: set[str] = set()
    counted: dict[str, int] = {}  # records of each content read now (for a second copy)
    picture: list[tuple[str, str]] = []
    batch = GxBatch(contract, today)
    for entry in folder_entries(input_dir / source):
        path = entry.path
        if entry.outcome is not None:  # not read: listed with its reason
            _not_read(engine, run_id, source, entry, result)
            continue
        started = time.perf_counter()
        try:
            digest = file_hash(path)
        except OSError as exc:  # became a link since it was listed, or unreadable
            why = f"「{path.name}」无法打开（{exc.strerror}），不读取。请检查该文件后重新运行。"
            _not_read(engine, run_id, source, FolderEntry(path, "failed", why), result)
            continue
        result.steps["hash"] = result.steps.get("hash", 0.0) + time.perf_counter() - started
        outcome, records, reason, column, value = _ingest_file(
            engine, contract, path, digest, seen_now, run_id, today, result.steps, batch
        )
        if outcome == "loaded" and batch.rows >= chunk_rows():
            _run_gx(engine, batch, result.steps)
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
        _record_delivery(
            engine, run_id, source, path.name, digest, outcome, records, reason, column, value
        )
        if outcome == "failed":
            result.failed += 1
            result.messages.append(f"{source}/{path.name}: {reason}")
            log.warning("%s/%s failed: %s", source, path.name, reason)
            continue
        if outcome == "loaded":
            result.loaded += 1
            seconds = time.perf_counter() - started
            result.timings.append((path.suffix.lower(), records or 0, seconds))
            progress.say(f"  {contract.label} {path.name}: {records or 0:,} 条，{seconds:.1f} 秒")
        else:
            result.skipped += 1
            log.info("%s/%s: already ingested (same content), skipped", source, path.name)
        result.records += records or 0
        if size != 0:  # a header-only file is no picture (design.md: an empty folder)
            picture.append((digest, path.name))
    # the source's last rows (their time goes to the last file loaded), and any problem found
    gx_started = time.perf_counter()
    _run_gx(engine, batch, result.steps)
    if result.timings:
        suffix, records, seconds = result.timings[-1]
        result.timings[-1] = (suffix, records, seconds + time.perf_counter() - gx_started)
    result.delivered = bool(picture)
    if contract.kind == "snapshot":
        for digest, name in picture:
            engine.run(
                "10_ingest/record_picture.sql",
                {"run_id": run_id, "source": source, "file_hash": digest, "file_name": name},
            )
    return result


def _not_read(
    engine: Engine,
    run_id: str,
    source: str,
    entry: FolderEntry,
    result: SourceIngest,
) -> None:
    """The delivery of a folder entry that is not read: skipped or failed, with its reason."""
    assert entry.outcome is not None and entry.reason is not None
    name = entry.path.name
    _record_delivery(
        engine, run_id, source, name, NOT_READ, entry.outcome, None, entry.reason, None, entry.value
    )
    if entry.outcome == "failed":
        result.failed += 1
        result.messages.append(f"{source}/{name}: {entry.reason}")
        log.warning("%s/%s not read: %s", source, name, entry.reason)
    else:
        result.skipped += 1
        result.notices.append(f"{source}/{name}: {entry.reason}")
        log.info("%s/%s not read: %s", source, name, entry.reason)


def _record_delivery(
    engine: Engine,
    run_id: str,
    source: str,
    name: str,
    digest: str,
    outcome: str,
    records: int | None,
    reason: str | None,
    column: str | None,
    value: str | None = None,
) -> None:
    engine.run(
        "10_ingest/record_delivery.sql",
        {
            "run_id": run_id,
            "source": source,
            "file_name": name,
            "file_hash": digest,
            "outcome": outcome,
            "records": records,
            "reason": reason,
            "failed_column": column,
            "failed_value": value or None,
        },
    )


def _ingest_file(
    engine: Engine,
    contract: Contract,
    path: Path,
    digest: str,
    seen_now: set[str],
    run_id: str,
    today: dt.date,
    steps: dict[str, float],
    batch: GxBatch,
) -> tuple[str, int | None, str | None, str | None, str | None]:
    """(outcome, records, reason, column, value) for one file; adds its step timings to
    ``steps``. Only this source's ledger makes a file known: the same bytes failed here (the
    ledger holds loaded files only) or loaded in another source are read again."""
    source = contract.source
    known = engine.run("10_ingest/known_file.sql", {"file_hash": digest, "source": source})
    if known:
        return "skipped", int(known[0][0]), None, None, None
    if digest in seen_now:  # the same bytes under two names in one delivery
        return "skipped", None, None, None, None
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        reason = f"不支持的文件类型 {path.suffix}：请报送 .csv 或 .xlsx 文件"
        return "failed", None, reason, None, path.suffix
    if path.is_symlink():  # became a link since the folder was listed
        return "failed", None, f"「{path.name}」是符号链接，不读取。", None, None
    started = time.perf_counter()
    try:
        read = read_file(path, source, contract)  # xlsx: the whole sheet; CSV: the header
    except InputFileError as exc:
        return "failed", exc.records, exc.reason, exc.column or None, exc.value
    except Exception as exc:  # a reader crash must not stop the other files
        log.exception("%s/%s: unexpected reader error", source, path.name)
        reason = f"文件无法读取（{type(exc).__name__}: {exc}）。请重新导出。"
        return "failed", None, reason, None, None
    steps["read"] = steps.get("read", 0.0) + time.perf_counter() - started
    elsewhere = engine.run(
        "10_ingest/loaded_elsewhere.sql", {"file_hash": digest, "source": source}
    )
    if elsewhere:  # the ledger keeps one source per content
        other, name = elsewhere[0]
        reason = (
            f"与「{other}/{name}」的内容完全相同，已作为 {other} 的数据载入；"
            f"同一文件不能同时作为两个来源报送。请确认文件是否放错了来源文件夹。"
        )
        return "failed", None, reason, None, None
    # One transaction per file: a file that breaks halfway leaves nothing behind.
    try:
        with engine.transaction():
            quarantined, expectations = _load_chunks(
                engine, contract, path.name, read, digest, today, steps, batch
            )
            committing = time.perf_counter()
            _record_file(engine, contract.source, path, digest, run_id, read, expectations)
        steps["commit"] = steps.get("commit", 0.0) + time.perf_counter() - committing
    except InputFileError as exc:
        return "failed", exc.records, exc.reason, exc.column or None, exc.value
    except Exception as exc:
        log.exception("%s/%s: could not be loaded", source, path.name)
        # the engine's own error, not the statement the engine adds to it (the reason is
        # shown in the report)
        cause = exc.__cause__ if isinstance(exc, SqlError) and exc.__cause__ else exc
        reason = f"文件读取中途出错（{type(cause).__name__}: {cause}）。请重新导出。"
        return "failed", None, reason, None, None
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
    return "loaded", read.records, None, None, None


def _source(source: str) -> dict[str, Any]:
    """What the templates know of `source` (engine.source_context), for a per-source statement."""
    identifier(source)
    return next(s for s in source_context() if s["source"] == source)


def _store(engine: Engine, model: str, source: str, frame: pl.DataFrame, digest: str) -> None:
    """Insert a chunk of file `digest` into a table of `source` with sql/10_ingest/<model>."""
    with engine.registered("chunk", frame):
        engine.run(model, {"file_hash": digest}, context={"source": _source(source)})


def _load_chunks(
    engine: Engine,
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
        if read.problems:
            clean = _quarantine_problems(clean, read)
        lap("normalize")
        clean, chunk_results = flag_frame(clean, contract, today)
        batch.add(digest, clean, chunk_results)
        if batch.rows >= chunk_rows():  # memory stays bounded on a 10-million-row file
            batch.run()
        lap("validate")
        if clean.height != chunk.height:
            raise RecordBalanceError(f"{contract.source}/{name}: record balance broken")
        usable = clean.filter(pl.col("quarantine_reason").is_null()).height
        staged += usable
        quarantined += clean.height - usable
        _store(engine, "10_ingest/store_raw.sql", contract.source, chunk, digest)
        _store(engine, "10_ingest/store_clean.sql", contract.source, clean, digest)
        for r in chunk_results:
            merged = results.setdefault(r.spec.flag, ExpectationResult(r.spec))
            merged.element_count += r.element_count
            merged.unexpected_count += r.unexpected_count
            merged.error = merged.error or r.error
        lap("store")
    lap("read")
    # data records read = records staged + records quarantined (title/blank/合计 rows apart)
    if staged + quarantined != read.records:
        raise RecordBalanceError(f"{contract.source}/{name}: record balance broken")
    return quarantined, list(results.values())


def _quarantine_problems(clean: pl.DataFrame, read: ReadResult) -> pl.DataFrame:
    """Quarantine the records of ``clean`` the reader found a problem in (a field beyond
    MAX_FIELD_BYTES): the reason first, and ``field_too_large:<column>`` in the flags."""
    rows = [r for r in clean["_row"].to_list() if r in read.problems]
    if not rows:
        return clean
    reasons = [read.problems[r].reason for r in rows]
    flags = [f"{FIELD_TOO_LARGE}:{read.problems[r].column}" for r in rows]
    row = pl.col("_row")
    problem = row.replace_strict(rows, reasons, default=None, return_dtype=pl.String)
    flag = row.replace_strict(rows, flags, default=None, return_dtype=pl.String)
    return clean.with_columns(
        pl.concat_str([problem, pl.col("quarantine_reason")], separator="；", ignore_nulls=True)
        .replace("", None)
        .alias("quarantine_reason"),
        pl.concat_str([pl.col("flags"), flag], separator=";", ignore_nulls=True)
        .replace("", None)
        .alias("flags"),
    )


def _run_gx(engine: Engine, batch: GxBatch, steps: dict[str, float]) -> None:
    """Validate the queued rows with GX and record what did not hold against the loaded files
    (the rows of a file that failed to load were validated too; its errors are dropped)."""
    started = time.perf_counter()
    batch.run()
    for file_key, errors in batch.take().items():
        for flag, error in errors.items():
            expectation, _, column = flag.partition(":")
            engine.run(
                "10_ingest/record_validation_error.sql",
                {
                    "error": error,
                    "file_hash": file_key,
                    "expectation": expectation,
                    "column_name": column,
                },
            )
    steps["validate"] = steps.get("validate", 0.0) + time.perf_counter() - started


def _record_file(
    engine: Engine,
    source: str,
    path: Path,
    digest: str,
    run_id: str,
    read: ReadResult,
    expectations: list[ExpectationResult],
) -> None:
    """The ledger row and the GX results of a loaded file (none for a file without records)."""
    for r in expectations:
        engine.run(
            "10_ingest/record_validation.sql",
            {
                "file_hash": digest,
                "expectation": r.spec.type,
                "column_name": r.spec.column,
                "element_count": r.element_count,
                "unexpected_count": r.unexpected_count,
                "success": r.success,
                "error": r.error,
            },
        )
    engine.run(
        "10_ingest/record_file.sql",
        {
            "file_hash": digest,
            "source": source,
            "file_name": path.name,
            "size_bytes": path.stat().st_size,
            "first_run_id": run_id,
            "records": read.records,
            "title_rows": read.title_rows,
            "blank_rows": read.blank_rows,
            "total_rows": read.total_rows,
            "sheet": read.sheet,
            "encoding": read.encoding,
            "delimiter": read.delimiter,
            "header_json": json.dumps(read.header, ensure_ascii=False, sort_keys=True),
            "notes": "；".join(read.notes) or None,
        },
    )
