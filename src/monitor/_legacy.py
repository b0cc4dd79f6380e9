"""TRANSITIONAL (issue 11, removed when the engine seam is done): the old helpers on a raw
connection, for the modules not yet moved onto monitor.engine."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb

from monitor.engine import Engine, model_text


def con_of(engine: Engine) -> duckdb.DuckDBPyConnection:
    return engine._con


def run_sql(con: Any, sql: str, params: Mapping[str, Any] | None = None, *, stage: str) -> None:
    Engine(con).execute(sql, params, stage=stage)


def build_table(con: Any, relative: str, params: Mapping[str, Any] | None = None) -> None:
    Engine(con).build(relative, params)


@contextlib.contextmanager
def registered(con: Any, name: str, frame: Any) -> Iterator[None]:
    with Engine(con).registered(name, frame):
        yield


def replace_table(con: Any, name: str, frame: Any) -> None:
    Engine(con).replace(name, frame)


def query_frame(con: Any, sql: str, params: Any = None) -> Any:
    import polars as pl

    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())


def sql_file(relative: str) -> str:
    return model_text(relative)


__all__ = ["Path", "build_table", "con_of", "query_frame", "registered", "replace_table", "run_sql"]
