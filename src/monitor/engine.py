"""The engine: the one way SQL runs (splink's DatabaseAPI is the model).

Every statement of the package goes through an :class:`Engine`: build a model (a file
under ``sql/``) into a table or view, query a model into a polars frame, register a frame
for SQL to read, run a statement, hold a transaction. Each call logs its model and
duration, and an engine error becomes :class:`~monitor.errors.SqlError` naming the model
and the statement. This module and the state's lock (``state.py``) are the only ones that
know the engine is DuckDB; a Spark engine (province scale) implements the same methods and
ports the functions listed in ``monitor.dialect``.

Model files are DuckDB SQL with ``$name`` parameters. A file may be a template (Jinja, the
way dbt writes its models): ``{% for source in sources %}`` expands one part per source
from the data contracts, so that per-source unions are written once. The template context
always holds ``sources`` (see :func:`source_context`) and whatever the caller adds. A file
whose first lines say ``-- materialized: view`` is built as a view, otherwise as a table.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import polars as pl

from monitor.errors import SqlError, StateLockedError
from monitor.resources import packaged

log = logging.getLogger(__name__)

SQL_DIR = packaged("sql")

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_PARAMETER = re.compile(r"\$(\w+)")
_COMMENT = re.compile(r"--[^\n]*")


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(SQL_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def source_context() -> tuple[dict[str, Any], ...]:
    """What a template knows of each source, from its contract, in the canonical order:
    its name, kind (snapshot/event) and the columns that identify the person."""
    from monitor.contracts import contracts

    return tuple(
        {
            "source": c.source,
            "kind": c.kind,
            "label": c.label,
            "household_register": c.household_register,
            "by_phone": c.by_phone,
            "id_column": c.person.id,
            "name_column": c.person.name,
            "phone_column": c.person.phone,
            "township_column": c.person.township,
            "village_column": c.person.village,
        }
        for c in contracts().values()
    )


def model_text(model: str, context: Mapping[str, Any] | None = None) -> str:
    """The SQL of sql/<model>, its template expanded (every model is a template; most have
    no template syntax and come back as written)."""
    text = (SQL_DIR / model).read_text(encoding="utf-8")
    if "{%" not in text and "{{" not in text:
        return text
    values = {"sources": source_context(), **(context or {})}
    return _templates().get_template(model).render(**values)


def _materialization(text: str) -> str:
    head = text.lstrip().splitlines()[:3]
    return "VIEW" if any(line.strip() == "-- materialized: view" for line in head) else "TABLE"


Params = Mapping[str, Any] | Sequence[Any] | None


def _bound(sql: str, params: Params) -> dict[str, Any] | list[Any] | None:
    """The parameters the statement names (DuckDB refuses unused ones; a `$x` in a comment
    is not a parameter); positional ones (`?`) as given."""
    if not params:
        return None
    if not isinstance(params, Mapping):
        return list(params)
    named = set(_PARAMETER.findall(_COMMENT.sub("", sql)))
    used = {k: v for k, v in params.items() if k in named}
    return used or None


def identifier(name: str) -> str:
    """`name` if it is a plain lower-case SQL identifier (table names made from contracts)."""
    if not _IDENTIFIER.match(name):
        raise SqlError(f"{name!r} is not a plain identifier")
    return name


class Engine:
    """One open state: the methods every stage uses to run SQL."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    # ------------------------------------------------------------ statements
    def execute(
        self, sql: str, params: Params = None, *, stage: str = "sql"
    ) -> list[tuple[Any, ...]]:
        """Run one statement (or several without parameters) and return its rows. The
        engine's own statements and the text of models come through here; stages call the
        model methods below."""
        started = time.perf_counter()
        try:
            result = self._con.execute(sql, _bound(sql, params))
            rows = result.fetchall()  # DuckDB refuses new work while a result is unfinished
        except duckdb.Error as exc:
            raise SqlError(f"SQL failed in {stage}: {exc}\n--- statement ---\n{sql}") from exc
        log.debug("%s: %.3fs", stage, time.perf_counter() - started)
        return rows

    def build(
        self,
        model: str,
        params: Mapping[str, Any] | None = None,
        *,
        name: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        """Materialize sql/<model> as a table (or a view, when the file says so) named after
        the file, or `name` (a per-source template built once per source)."""
        text = model_text(model, context)
        target = identifier(name or Path(model).stem)
        kind = _materialization(text)
        found = self.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [target]
        )
        if found and (found[0][0] == "VIEW") != (kind == "VIEW"):
            # a state made when the model was the other kind (records_current was a table)
            self.execute(f"DROP {'VIEW' if found[0][0] == 'VIEW' else 'TABLE'} {target}")
        self.execute(f"CREATE OR REPLACE {kind} {target} AS\n{text}", params, stage=model)

    def run(
        self,
        model: str,
        params: Mapping[str, Any] | None = None,
        *,
        context: Mapping[str, Any] | None = None,
    ) -> list[tuple[Any, ...]]:
        """Run the statement of sql/<model> (an insert, update or delete, or a query whose
        few rows the caller reads) and return its rows."""
        return self.execute(model_text(model, context), params, stage=model)

    def value(self, model: str, params: Mapping[str, Any] | None = None) -> Any:
        """The single value of the query sql/<model> (a count, a setting)."""
        rows = self.run(model, params)
        return rows[0][0] if rows else None

    def query(
        self,
        model: str,
        params: Mapping[str, Any] | None = None,
        *,
        context: Mapping[str, Any] | None = None,
    ) -> pl.DataFrame:
        """The rows of the query sql/<model> as a polars frame (via Arrow)."""
        return self._frame(model_text(model, context), params, stage=model)

    def batches(
        self, model: str, params: Mapping[str, Any] | None = None, *, rows: int = 500_000
    ) -> Iterator[pl.DataFrame]:
        """The rows of the query sql/<model> in order, as frames of at most `rows` rows (via
        Arrow record batches): a result larger than memory is written out a part at a time.
        The engine takes no other statement until the iteration ends."""
        sql = model_text(model)
        try:
            reader = self._con.sql(sql, params=_bound(sql, params)).to_arrow_reader(rows)
            schema = pl.from_arrow(reader.schema.empty_table())
            assert isinstance(schema, pl.DataFrame)
            seen = False
            for batch in reader:
                frame = pl.from_arrow(batch)
                assert isinstance(frame, pl.DataFrame)
                if frame.height:
                    seen = True
                    yield frame
            if not seen:
                yield schema  # no row: the columns still (a CSV's header)
        except duckdb.Error as exc:
            raise SqlError(f"SQL failed in {model}: {exc}\n--- statement ---\n{sql}") from exc

    def table(self, name: str) -> pl.DataFrame:
        """Every row of table `name` as a polars frame, in storage order."""
        return self._frame(f"SELECT * FROM {identifier(name)}", None, stage=name)

    def frame(self, sql: str, params: Params = None, *, stage: str = "sql") -> pl.DataFrame:
        """The rows of a query given as text, as a polars frame (tests and the engine's own
        queries; stages query models)."""
        return self._frame(sql, params, stage=stage)

    def _frame(self, sql: str, params: Params, *, stage: str) -> pl.DataFrame:
        started = time.perf_counter()
        try:
            arrow = self._con.sql(sql, params=_bound(sql, params)).to_arrow_table()
        except duckdb.Error as exc:
            raise SqlError(f"SQL failed in {stage}: {exc}\n--- statement ---\n{sql}") from exc
        log.debug("%s: %.3fs", stage, time.perf_counter() - started)
        frame = pl.from_arrow(arrow)
        assert isinstance(frame, pl.DataFrame)
        return frame

    # ------------------------------------------------------------ frames
    @contextlib.contextmanager
    def registered(self, name: str, frame: pl.DataFrame) -> Iterator[None]:
        """`frame` visible to SQL as `name` (via Arrow, no copy) for the block's duration."""
        self._con.register(identifier(name), frame.to_arrow())
        try:
            yield
        finally:
            # after a failed statement in a transaction DuckDB refuses even this until the
            # rollback; the failure that matters is the statement's (a later register of the
            # same name replaces the frame)
            with contextlib.suppress(duckdb.Error):
                self._con.unregister(name)

    def replace(self, name: str, frame: pl.DataFrame) -> None:
        """(Re)create table `name` from a frame."""
        with self.registered("_frame", frame):
            self.execute(
                f"CREATE OR REPLACE TABLE {identifier(name)} AS SELECT * FROM _frame", stage=name
            )

    def append(self, table: str, frame: pl.DataFrame) -> None:
        """Insert the frame's rows into `table`, columns matched by name."""
        with self.registered("_frame", frame):
            self.execute(
                f"INSERT INTO {identifier(table)} BY NAME SELECT * FROM _frame", stage=table
            )

    # ------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """The block's statements commit together or not at all."""
        self.execute("BEGIN TRANSACTION", stage="transaction")
        try:
            yield
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                self._con.execute("ROLLBACK")
            raise
        self.execute("COMMIT", stage="transaction")

    # ------------------------------------------------------------ schema
    def columns(self, table: str) -> dict[str, str]:
        """Column name -> type of a table or view (empty when it does not exist)."""
        rows = self.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = $t ORDER BY ordinal_position",
            {"t": table},
            stage=f"columns of {table}",
        )
        return {str(n): str(t) for n, t in rows}

    def has_table(self, name: str) -> bool:
        return bool(self.columns(name))

    def create_table(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        """Create table `name` of (column, type) unless it exists; add the columns an older
        table lacks (empty, at the end: an old table's rows have no value)."""
        body = ",\n  ".join(f"{identifier(c)} {kind}" for c, kind in columns)
        self.execute(f"CREATE TABLE IF NOT EXISTS {identifier(name)} (\n  {body}\n)", stage=name)
        have = self.columns(name)
        for column, kind in columns:
            if column not in have:
                added = kind.replace("NOT NULL", "").strip()
                self.execute(f"ALTER TABLE {name} ADD COLUMN {column} {added}", stage=name)

    def checkpoint(self) -> None:
        """Write the log into the database file: the file alone then holds every change."""
        self.execute("CHECKPOINT", stage="checkpoint")

    def set(self, setting: str, value: str | int | bool) -> None:
        """An engine setting (threads, memory_limit, temp_directory, ...)."""
        self.execute(f"SET {identifier(setting)} = $v", {"v": value}, stage=f"set {setting}")

    @contextlib.contextmanager
    def memory_lent(self, limit: str) -> Iterator[None]:
        """DuckDB's memory_limit lowered to `limit` for the block, and then set back: while a
        stage's Python side holds large frames (the matcher's candidate pairs), the buffer
        pool gives up the blocks it keeps cached instead of holding its whole share beside
        them (5M people: link peaked at 8.98 GiB with 4.8 GiB for DuckDB). Where DuckDB
        cannot free enough for the lower limit, the block runs with the limit it had."""
        (before,) = self.execute("SELECT current_setting('memory_limit')")[0]
        try:
            self.set("memory_limit", limit)
        except SqlError:
            log.debug(
                "memory_limit kept at %s: DuckDB could not give up enough for %s", before, limit
            )
            yield
            return
        try:
            yield
        finally:
            self.set("memory_limit", str(before))


@contextlib.contextmanager
def connect(
    path: Path, *, read_only: bool = False, settings: Mapping[str, str | int | bool] | None = None
) -> Iterator[Engine]:
    """Open the database file at `path` for the block; `settings` are applied first."""
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        holder = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", str(exc))
        if holder is None:
            raise SqlError(f"{path}：状态库无法打开：{exc}") from exc
        raise StateLockedError(
            f"{path}：另一个程序正打开着这个状态库（PID {holder[2]}，{holder[1]}），"
            "本次运行无法写入。请关闭它（例如 DuckDB 命令行、Jupyter 或脚本中对该文件的连接）"
            "后重试；分析时请读取每晚发布在输出目录旁的副本 OUT.state.duckdb。"
        ) from exc
    except duckdb.Error as exc:
        raise SqlError(f"{path}：状态库无法打开：{exc}") from exc
    try:
        engine = Engine(con)
        for setting, value in (settings or {}).items():
            engine.set(setting, value)
        yield engine
    finally:
        con.close()
