"""The state: one DuckDB file holding the ledger, raw and clean layers, links and every run's results.

Only one writer at a time: `open_state` takes an exclusive lock on a lock file
beside the database and refuses a second run with a clear message.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import stat
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from monitor.contracts import Contract, contracts
from monitor.engine import Engine, connect
from monitor.errors import (
    MonitorError,
    OutputError,
    StateLockedError,
    StateVersionError,
    write_problem,
)
from monitor.limits import duckdb_memory_limit

log = logging.getLogger(__name__)

_DUCK_TYPES = {
    "id": "VARCHAR",
    "card": "VARCHAR",
    "name": "VARCHAR",
    "text": "VARCHAR",
    "category": "VARCHAR",
    "phone": "VARCHAR",
    "date": "DATE",
    "amount": "DECIMAL(14,2)",
    "integer": "BIGINT",
    "school_year": "INTEGER",
}


def raw_columns(contract: Contract) -> list[tuple[str, str]]:
    """(name, type) of raw_<source>: the record as read, every contract column as text."""
    return [
        ("file_hash", "VARCHAR NOT NULL"),
        ("_row", "BIGINT NOT NULL"),
        *((c.name, "VARCHAR") for c in contract.columns),
        ("_extra", "VARCHAR"),
    ]


def clean_columns(contract: Contract) -> list[tuple[str, str]]:
    """(name, type) of clean_<source>: the record normalized, typed and flagged."""
    typed = [
        (c.name, _DUCK_TYPES[c.type]) for c in contract.columns if c.name != contract.person.id
    ]
    if any(c.type == "card" for c in contract.columns):
        typed += [("card_category", "INTEGER"), ("card_grade", "INTEGER")]
    return [
        ("file_hash", "VARCHAR NOT NULL"),
        ("_row", "BIGINT NOT NULL"),
        ("person_id", "VARCHAR"),
        ("id_status", "VARCHAR NOT NULL"),
        ("id_prefix", "VARCHAR"),
        ("name_key", "VARCHAR"),
        ("phone_norm", "VARCHAR"),
        *typed,
        ("flags", "VARCHAR"),
        ("quarantine_reason", "VARCHAR"),
        ("record_hash", "VARCHAR"),
        ("content_hash", "VARCHAR"),
    ]


# The state's schema version and the migrations that bring an older state to it, in order:
# (version, file under sql/, what it does). A migration is idempotent and keeps every row.
SCHEMA_VERSION = 6
MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "00_state/migrations/001_dispositions_keep_evidence.sql",
        "dispositions keep evidence keys",
    ),
    (2, "00_state/migrations/002_secrets.sql", "the workbooks' signing key"),
    (3, "00_state/migrations/003_feedback.sql", "dispositions from returned workbooks"),
    (4, "00_state/migrations/004_audit_findings.sql", "the supervision sample's findings"),
    (5, "00_state/migrations/005_referrals.sql", "the departments' referral lists and results"),
    (6, "00_state/migrations/006_stage_inputs.sql", "a stage's inputs, to keep unchanged links"),
)


def ensure_schema(engine: Engine) -> None:
    """Create every state table that does not exist yet, and upgrade a state made by an earlier
    version: its migrations in order, then any contract column its source tables lack."""
    fresh = not engine.has_table("runs")
    engine.run("00_state/schema.sql")
    stored = engine.value("00_state/schema_version.sql")
    version = SCHEMA_VERSION if fresh else int(stored or 0)
    if version > SCHEMA_VERSION:
        raise StateVersionError(
            f"the state is at schema version {version}, newer than this monitor's"
            f" {SCHEMA_VERSION}: run it with the monitor version that made it, or a later one"
        )
    for number, relative, note in MIGRATIONS:
        if number > version:
            engine.run(relative)
            log.info("state upgraded to schema version %d: %s", number, note)
    if stored is None or int(stored) < SCHEMA_VERSION:
        engine.run(
            "00_state/record_schema_version.sql",
            {"version": SCHEMA_VERSION, "note": "created" if fresh else "upgraded"},
        )
    for contract in contracts().values():
        engine.create_table(f"raw_{contract.source}", raw_columns(contract))
        engine.create_table(f"clean_{contract.source}", clean_columns(contract))


# ---------------------------------------------------------------- private files
# The state, its log and everything derived from it hold every ID, phone and bill of the
# city's poorest households: they are created readable by their owner only, and temporary
# files live in one private folder beside the state, never in the system's /tmp.

_umask_guard = threading.Lock()
_umask_users = 0
_umask_saved = 0
# The private temporary folder of the state open for writing in this process (set by
# open_state): the readers put their UTF-8 copies of GB18030 exports there.
_temp_folder: Path | None = None
# `<kind>-<pid>-…`: a temporary file or folder of process <pid>, kept while it lives.
_PID_TAG = re.compile(r"^[a-z0-9]+-(\d+)(?:-|$)")


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created in the block are their owner's only (umask 077).

    The umask belongs to the process: overlapping blocks (threads, nested states) share it
    and the last one out restores the previous value.
    """
    global _umask_users, _umask_saved
    with _umask_guard:
        if _umask_users == 0:
            previous = os.umask(0o077)
            os.umask(previous | 0o077)  # a stricter umask stays stricter
            _umask_saved = previous
        _umask_users += 1
    try:
        yield
    finally:
        with _umask_guard:
            _umask_users -= 1
            if _umask_users == 0:
                os.umask(_umask_saved)


def lock_path(state: Path) -> Path:
    """The writer lock file beside the state: `<state>.lock`."""
    return state.with_name(state.name + ".lock")


def wal_path(state: Path) -> Path:
    """DuckDB's write-ahead log of the state: `<state>.wal`."""
    return state.with_name(state.name + ".wal")


def temp_folder_of(state: Path) -> Path:
    """The state's private temporary folder (0700): `<state dir>/.<state name>.tmp/`."""
    return state.parent / f".{state.name}.tmp"


def temp_folder() -> Path | None:
    """The private temporary folder of the state this process has open for writing, if any."""
    return _temp_folder


def _narrow(path: Path, allowed: int) -> None:
    """Take away every permission bit of an existing file that `allowed` does not grant."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & ~allowed:
        try:
            path.chmod(mode & allowed)
        except PermissionError:
            log.warning("无法收紧 %s 的权限（当前 %o，文件不属于当前用户）", path, mode)
        else:
            log.info("%s: 权限 %o 已收紧为 %o（含完整身份证号）", path, mode, mode & allowed)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _clear_temp_folder(folder: Path) -> None:
    """Remove what runs that died left in the temporary folder (called with the lock held).

    An entry tagged with the pid of a live process (a what-if working on its copy, this
    process) is kept; untagged entries are made only while the lock is held, so they are
    leftovers once the lock is ours.
    """
    removed = 0
    for entry in folder.iterdir():
        tag = _PID_TAG.match(entry.name)
        if tag and (int(tag[1]) == os.getpid() or _alive(int(tag[1]))):
            continue
        _remove(entry)
        removed += 1
    if removed:
        log.warning("已删除上次中断的运行留下的 %d 个临时文件（%s）", removed, folder)


def published_state(out: Path) -> Path:
    """The last published copy of the state, beside the output folder: `<OUT>.state.duckdb`.
    Written when a nightly run completes; what analysts' commands read (never the state a
    run is writing)."""
    out = out.resolve()
    return out.with_name(f"{out.name}.state.duckdb")


def publish_state_copy(engine: Engine, state: Path, out: Path) -> Path:
    """Copy the state (checkpointed, so the file alone holds it) beside OUT, owner-only,
    replacing the previous copy in one rename: a reader has the old copy or the new one."""
    engine.checkpoint()
    target = published_state(out)
    partial = target.with_name(f".{out.resolve().name}.state-{os.getpid()}")
    with private_umask():
        try:
            shutil.copyfile(state, partial)
            partial.chmod(0o600)
            os.replace(partial, target)
        except BaseException as exc:
            partial.unlink(missing_ok=True)
            problem = write_problem(exc)
            if problem is not None:
                raise OutputError(
                    f"{target}：写入状态副本时{problem}。本次输出已发布，分析命令仍读上一份副本；"
                    "请腾出空间或修正权限。"
                ) from exc
            raise
    return target


def remove_output_leftovers(out: Path) -> None:
    """Remove `.<out>.tmp-<pid>` and `.<out>.old-<pid>` folders and `.<out>.state-<pid>`
    copies that publish left behind when its process died (they hold full IDs); a live
    process's are kept."""
    out = out.resolve()
    if not out.parent.is_dir():
        return
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(tmp|old|state)-(\d+)")
    for entry in sorted(out.parent.iterdir()):
        match = pattern.fullmatch(entry.name)
        if match is None:
            continue
        pid = int(match[2])
        if pid != os.getpid() and _alive(pid):
            continue
        if match[1] == "old" and not out.exists() and entry.is_dir():
            entry.rename(out)  # died between publish's two renames: the last output is back
            log.warning("上次发布在替换输出目录时中断，已恢复原输出目录 %s", out)
            continue
        _remove(entry)
        log.warning("已删除上次中断的发布留下的文件夹 %s（含完整身份证号）", entry)


@contextlib.contextmanager
def state_lock(path: Path, *, read_only: bool = False) -> Iterator[Path]:
    """The state's writer lock (shared access only when `read_only`), held for the block,
    with the state's files made private; yields the private temporary folder.

    Taking the writer lock narrows the state, its log and its lock to 0600 and clears what
    a run that died left in the temporary folder.
    """
    with private_umask():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path(path), "a+") as lock:
            _narrow(lock_path(path), 0o600)
            if not read_only:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError as exc:
                    raise StateLockedError(
                        f"{path}：另一次运行正在写入这个状态库。请等它结束后再试"
                        "（或用 --state 另指一个状态库做单独的试验）。"
                    ) from exc
            for private in (path, wal_path(path)):
                _narrow(private, 0o600)
            folder = temp_folder_of(path)
            try:
                folder.mkdir(mode=0o700, exist_ok=True)
                _narrow(folder, 0o700)
                if not read_only:
                    _clear_temp_folder(folder)
            except OSError:
                if not read_only:
                    raise
            yield folder


# The states this process has open for writing: path -> (the open engine, holders). A stage
# of a run (a Prefect task) opens the state itself; while the run holds it open, the
# stage's open takes no second lock and reuses the run's connection (reconnecting per stage
# cost a checkpoint each: 14 % of a 100k city's night).
_held: dict[Path, list[Any]] = {}
_held_guard = threading.Lock()


@contextlib.contextmanager
def _reused(path: Path) -> Iterator[Engine | None]:
    """The engine this process already has open for writing on `path`, for the block."""
    key = path.resolve()
    with _held_guard:
        held = _held.get(key)
        if held is not None:
            held[1] += 1
    if held is None:
        yield None
        return
    try:
        yield held[0]
    finally:
        with _held_guard:
            held[1] -= 1


def _settings(spill: Path | None) -> dict[str, str | int | bool]:
    settings: dict[str, str | int | bool] = {
        "preserve_insertion_order": False,
        # Checkpoint at 1 GB of WAL, not DuckDB's 16 MB: with the default, every file's
        # commit rewrote the tables it touched (commits: 8.7 s -> 2.1 s on 1M people's HR and
        # medical files, plus 3 s for the one checkpoint). The log is replayed if a run
        # dies; closing the state checkpoints.
        "checkpoint_threshold": "1GB",
    }
    if spill is not None:
        settings["temp_directory"] = str(spill)
    # the run's one memory setting (limits.py): DuckDB's share; beyond it DuckDB spills
    settings["memory_limit"] = duckdb_memory_limit()
    threads = os.environ.get("MONITOR_THREADS", "").strip()
    if threads:  # the engine's worker threads (default: one per core)
        if not threads.isdigit() or int(threads) < 1:
            raise MonitorError(
                f"MONITOR_THREADS={threads!r}: give a whole number of threads, e.g. 2"
            )
        settings["threads"] = int(threads)
    return settings


@contextlib.contextmanager
def open_state(path: Path, *, read_only: bool = False) -> Iterator[Engine]:
    """Open the state for the block, holding the writer lock; when this process already
    has it open for writing (a run, whose stages open it each in turn), the same engine.

    While it is open for writing, every file the process creates is its owner's only (the
    database, the log DuckDB writes beside it, the output folder), and temporary files
    (DuckDB's spills, the readers' UTF-8 copies, Python's tempfile) go to the state's
    private folder.
    """
    global _temp_folder
    with _reused(path) as running:
        if running is not None:
            yield running
            return
    with state_lock(path, read_only=read_only) as folder:
        spill = folder / f"duckdb-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        # DuckDB creates the spill folder on its first spill and removes it on close
        settings = _settings(spill if folder.is_dir() else None)
        previous_tempdir = tempfile.tempdir
        key = path.resolve()
        try:
            with connect(path, read_only=read_only, settings=settings) as engine:
                if read_only:
                    yield engine
                    return
                ensure_schema(engine)
                # Python's temporary files too (the township workbooks' parts, written by
                # xlsxwriter): into the private folder, not /tmp
                _temp_folder = folder
                tempfile.tempdir = str(folder)
                with _held_guard:
                    _held[key] = [engine, 1]
                try:
                    yield engine
                finally:
                    with _held_guard:
                        del _held[key]
        finally:
            if not read_only:
                _temp_folder = None
                tempfile.tempdir = previous_tempdir
            shutil.rmtree(spill, ignore_errors=True)
