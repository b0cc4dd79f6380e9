"""Harness of the model tests (dbt's unit tests): given rows in the upstream tables, one model, expected rows out.

The template is a state whose every table and view exists with its real columns
and types: the pipeline's own stages run once on an empty state. Each test works
on a copy, fills the tables a model reads with a few literal rows (columns not
given are null, so a `select *` collision shows up as it would in a run), runs
that one model and compares the rows it made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from conftest import as_table
from monitor import score
from monitor.engine import Engine
from monitor.policy import Policy, load_policy

AS_OF = dt.date(2026, 11, 15)
RUN_ID = AS_OF.isoformat()


def policy() -> Policy:
    from monitor.policy import POLICY_DIR

    return load_policy(POLICY_DIR / "2026.yaml")[0]


class Models:
    """One test's copy of the template state."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.engine = Engine(con)

    def _columns(self, table: str) -> dict[str, str]:
        rows = self.con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        if not rows:
            raise KeyError(f"no table or view {table!r} in the template state")
        return {str(n): str(t) for n, t in rows}

    def given(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Replace `table`'s rows (a view becomes a table of the same columns) with `rows`."""
        as_table(self.engine, table)
        self.con.execute(f"delete from {table}")
        columns = self._columns(table)
        for row in rows:
            unknown = set(row) - set(columns)
            if unknown:
                raise KeyError(f"{table} has no column {sorted(unknown)}")
            names = list(row)
            values = ", ".join(f"cast(? as {columns[n]})" for n in names)
            self.con.execute(
                f"insert into {table} ({', '.join(names)}) values ({values})",
                [_text(row[n]) for n in names],
            )

    def run(self, model: str, **overrides: Any) -> pl.DataFrame:
        """Build sql/<model> with the 2026 policy's parameters at AS_OF; return its rows."""
        self.engine.build(model, self.params(overrides))
        return self.table(Path(model).stem)

    def query(self, model: str, **overrides: Any) -> pl.DataFrame:
        """The rows of the query sql/<model> (a model read into a frame, not stored)."""
        return self.engine.query(model, self.params(overrides))

    def statement(self, model: str, **overrides: Any) -> None:
        """Run the statement sql/<model> (an insert, update or delete of the state)."""
        self.engine.run(model, self.params(overrides))

    def params(self, overrides: dict[str, Any]) -> dict[str, Any]:
        return score.score_params(policy(), AS_OF) | {"run_id": RUN_ID} | overrides

    def table(self, name: str) -> pl.DataFrame:
        return self.engine.table(name)


def ledger(file_hash: str, source: str, **values: Any) -> dict[str, Any]:
    """A row of the files ledger: a file of one record read in the 2026-10-15 run."""
    base: dict[str, Any] = {
        "file_hash": file_hash, "source": source, "file_name": f"{file_hash}.csv",
        "first_run_id": "2026-10-15", "records": 1, "title_rows": 0, "blank_rows": 0,
        "total_rows": 1,
    }  # fmt: skip
    return base | values


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | int | float):
        return str(value)
    return value


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """The frame's rows as sorted tuples of `columns` (dates as ISO text, decimals as float)."""
    out = []
    for row in frame.select(columns).iter_rows():
        out.append(tuple(_plain(v) for v in row))
    return sorted(out, key=lambda r: tuple("" if v is None else str(v) for v in r))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return value
