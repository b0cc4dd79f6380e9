"""sql/00_state/schema.sql: the state's bookkeeping tables, created once and never emptied."""

from __future__ import annotations

import duckdb
import pytest

from monitor.contracts import contracts
from monitor.engine import Engine
from monitor.state import ensure_schema

from .harness import Models

MODEL = "00_state/schema.sql"

# table -> the columns every other stage relies on
KEY_COLUMNS = {
    "runs": ["run_id", "as_of", "started_at", "finished_at", "status", "policy_hash"],
    "files": ["file_hash", "source", "file_name", "first_run_id", "records", "total_rows"],
    "validations": ["file_hash", "expectation", "column_name", "unexpected_count", "success"],
    "deliveries": ["run_id", "source", "file_name", "file_hash", "outcome", "records", "reason"],
    "pictures": ["run_id", "source", "file_hash", "file_name"],
    "warning_history": ["run_id", "as_of", "household_key", "tier", "codes"],
    "dispositions": ["household_key", "code", "outcome", "decided_on", "amount"],
    "roster_exits": ["household_key", "first_seen_as_of"],
    "schema_versions": ["version", "applied_at", "note"],
}


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    found = con.execute(
        "select column_name from information_schema.columns where table_name = ?"
        " order by ordinal_position",
        [table],
    ).fetchall()
    return [str(c) for (c,) in found]


def constraints(con: duckdb.DuckDBPyConnection, kind: str) -> set[tuple[str, str]]:
    found = con.execute(
        "select table_name, constraint_column_names from duckdb_constraints()"
        " where constraint_type = ?",
        [kind],
    ).fetchall()
    return {(str(t), str(c)) for t, cols in found for c in cols}


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"select count(*) from {table}").fetchall()[0][0])


def test_schema_sql_creates_the_bookkeeping_tables_with_their_key_columns() -> None:
    """On an empty database the file alone creates every bookkeeping table with its key columns."""
    con = duckdb.connect()
    Engine(con).run(MODEL)
    for table, wanted in KEY_COLUMNS.items():
        assert set(wanted) <= set(columns(con, table)), table


def test_primary_keys_and_not_null_columns() -> None:
    """Runs, files and roster exits are keyed; ledger columns other stages need are not null."""
    con = duckdb.connect()
    Engine(con).run(MODEL)
    keys = constraints(con, "PRIMARY KEY")
    assert {("runs", "run_id"), ("files", "file_hash"), ("roster_exits", "household_key"),
            ("secrets", "name"), ("stage_inputs", "stage")} <= keys  # fmt: skip
    assert not {t for t, _ in keys} - {
        "runs",
        "files",
        "roster_exits",
        "schema_versions",
        "secrets",
        "stage_inputs",
    }  # event tables repeat
    not_null = constraints(con, "NOT NULL")
    assert ("pictures", "file_hash") in not_null
    assert ("deliveries", "outcome") in not_null
    assert ("runs", "finished_at") not in not_null  # a running run has none yet
    assert ("deliveries", "records") not in not_null  # a file that could not be read


def test_a_second_run_with_the_same_id_is_refused_by_the_key() -> None:
    """The primary key refuses a duplicate run_id; a different run_id is accepted."""
    con = duckdb.connect()
    Engine(con).run(MODEL)
    insert = "insert into runs (run_id, as_of, started_at, status) values (?, ?, now(), 'running')"
    con.execute(insert, ["2026-11-15", "2026-11-15"])
    con.execute(insert, ["2026-12-15", "2026-12-15"])
    with pytest.raises(duckdb.ConstraintException):
        con.execute(insert, ["2026-11-15", "2026-11-15"])
    with pytest.raises(duckdb.ConstraintException):
        con.execute(insert, ["2027-01-15", None])  # as_of is required
    assert count(con, "runs") == 2


def test_ensure_schema_also_creates_the_source_tables() -> None:
    """ensure_schema adds raw_<source> and clean_<source> for every data contract."""
    con = duckdb.connect()
    ensure_schema(Engine(con))
    for source in contracts():
        assert {"file_hash", "_row", "_extra"} <= set(columns(con, f"raw_{source}"))
        assert {"person_id", "id_status", "id_prefix", "quarantine_reason"} <= set(
            columns(con, f"clean_{source}")
        )


def test_ensure_schema_twice_is_harmless_and_keeps_rows(models: Models) -> None:
    """Rerunning ensure_schema on a state with rows keeps every row and every column."""
    con = models.con
    models.given("runs", [{"run_id": "2026-11-15", "as_of": "2026-11-15",
                           "started_at": "2026-11-15 08:00:00", "status": "completed"}])  # fmt: skip
    models.given("files", [{"file_hash": "f1", "source": "hr", "file_name": "人社.xlsx",
                            "records": 3, "title_rows": 0, "blank_rows": 0, "total_rows": 3}])  # fmt: skip
    models.given("pictures", [{"run_id": "2026-11-15", "source": "hr", "file_hash": "f1",
                               "file_name": "人社.xlsx"}])  # fmt: skip
    models.given("roster_exits", [{"household_key": "H1", "first_seen_as_of": "2026-10-15"}])
    models.given("clean_hr", [{"file_hash": "f1", "_row": 1, "id_status": "valid"}])
    before = {t: columns(con, t) for t in [*KEY_COLUMNS, "clean_hr", "raw_hr"]}
    ensure_schema(Engine(con))
    ensure_schema(Engine(con))
    assert {t: columns(con, t) for t in before} == before
    assert [count(con, t) for t in ("runs", "files", "pictures", "roster_exits", "clean_hr")] == [
        1, 1, 1, 1, 1,
    ]  # fmt: skip
    assert con.execute("select status from runs").fetchall() == [("completed",)]
