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
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb

from monitor.contracts import Contract, contracts
from monitor.errors import MonitorError, StateLockedError

log = logging.getLogger(__name__)

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"

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


class SqlError(MonitorError):
    """A SQL statement failed; the message names the stage and the statement."""


def run_sql(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None = None,
    *,
    stage: str,
) -> duckdb.DuckDBPyConnection:
    """Run one statement; log its stage and duration, wrap a failure with stage and SQL."""
    started = time.perf_counter()
    try:
        result = con.execute(sql, dict(params) if params else None)
        result.fetchall()  # DuckDB 2.0 refuses new work while a result is unfinished
    except duckdb.Error as exc:
        raise SqlError(f"SQL failed in stage {stage}: {exc}\n--- statement ---\n{sql}") from exc
    log.debug("%s: %.3fs", stage, time.perf_counter() - started)
    return result


def sql_file(relative: str) -> str:
    """The text of a file under sql/."""
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def build_table(
    con: duckdb.DuckDBPyConnection, relative: str, params: Mapping[str, Any] | None = None
) -> None:
    """Materialize sql/<relative> as a table named after the file (dbt style: one file, one table)."""
    name = Path(relative).stem
    text = sql_file(relative)
    code = re.sub(r"--[^\n]*", "", text)  # parameters named in comments are not bound
    named = set(re.findall(r"\$(\w+)", code))
    used = {k: v for k, v in (params or {}).items() if k in named}
    run_sql(con, f"CREATE OR REPLACE TABLE {name} AS\n{text}", used, stage=relative)


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: Any) -> Iterator[None]:
    """A polars frame visible to SQL as `name` (via Arrow, no copy) for the block's duration."""
    con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        con.unregister(name)


def replace_table(con: duckdb.DuckDBPyConnection, name: str, frame: Any) -> None:
    """(Re)create table `name` from a polars frame (via Arrow, without copying in Python)."""
    with registered(con, "_replace_table_frame", frame):
        run_sql(
            con, f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _replace_table_frame", stage=name
        )


def raw_ddl(contract: Contract) -> str:
    cols = ",\n  ".join(f"{c.name} VARCHAR" for c in contract.columns)
    return (
        f"CREATE TABLE IF NOT EXISTS raw_{contract.source} (\n  file_hash VARCHAR NOT NULL,\n"
        f"  _row BIGINT NOT NULL,\n  {cols},\n  _extra VARCHAR\n)"
    )


def clean_ddl(contract: Contract) -> str:
    cols = []
    for c in contract.columns:
        if c.name == contract.person.id:
            continue
        cols.append(f"{c.name} {_DUCK_TYPES[c.type]}")
    if any(c.type == "card" for c in contract.columns):
        cols += ["card_category INTEGER", "card_grade INTEGER"]
    body = ",\n  ".join(cols)
    return (
        f"CREATE TABLE IF NOT EXISTS clean_{contract.source} (\n"
        "  file_hash VARCHAR NOT NULL,\n  _row BIGINT NOT NULL,\n"
        "  person_id VARCHAR,\n  id_status VARCHAR NOT NULL,\n  id_prefix VARCHAR,\n"
        "  name_key VARCHAR,\n  phone_norm VARCHAR,\n"
        f"  {body},\n  flags VARCHAR,\n  quarantine_reason VARCHAR,\n  record_hash VARCHAR,\n"
        "  content_hash VARCHAR\n)"
    )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every state table that does not exist yet."""
    run_sql(con, sql_file("00_state/schema.sql"), stage="00_state/schema.sql")
    for contract in contracts().values():
        run_sql(con, raw_ddl(contract), stage=f"raw_{contract.source}")
        run_sql(con, clean_ddl(contract), stage=f"clean_{contract.source}")
        # added after the first states were made (a state made before keeps its tables)
        run_sql(
            con,
            f"ALTER TABLE clean_{contract.source} ADD COLUMN IF NOT EXISTS content_hash VARCHAR",
            stage=f"clean_{contract.source}",
        )


@contextlib.contextmanager
def open_state(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the state database, holding the writer lock for the duration."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_suffix(path.suffix + ".lock")
    with open(lock_path, "a+") as lock:
        if not read_only:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StateLockedError(
                    f"{path}: another run is writing this state. Wait for it to finish "
                    "(or pass another --state for a separate experiment)."
                ) from exc
        con = duckdb.connect(str(path), read_only=read_only)
        try:
            con.execute("SET preserve_insertion_order = false")
            # Checkpoint at 1 GB of WAL, not DuckDB's 16 MB: with the default, every file's
            # commit rewrote the tables it touched (commits: 8.7 s -> 2.1 s on 1M people's HR and
            # medical files, plus 3 s for the one checkpoint).
            # The log is replayed if a run dies; closing the state checkpoints.
            con.execute("SET checkpoint_threshold = '1GB'")
            threads = os.environ.get("MONITOR_THREADS", "").strip()
            if threads:  # the engine's worker threads (default: one per core)
                if not threads.isdigit() or int(threads) < 1:
                    raise MonitorError(
                        f"MONITOR_THREADS={threads!r}: give a whole number of threads, e.g. 2"
                    )
                con.execute(f"SET threads = {int(threads)}")
            if not read_only:
                ensure_schema(con)
            yield con
        finally:
            con.close()


def query_frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | list[Any] | None = None
) -> Any:
    """Run a query and return a polars DataFrame (via Arrow; DuckDB 2.0 has no ``.pl()``)."""
    import polars as pl

    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
