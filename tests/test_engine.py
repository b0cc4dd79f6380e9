"""monitor.engine: the one way SQL runs (models, templates, frames, transactions, errors)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from monitor import engine as engine_module
from monitor.engine import connect, model_text, source_context
from monitor.errors import MonitorError, SqlError


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private sql/ folder for the engine to read models from."""
    root = tmp_path / "sql"
    (root / "90_test").mkdir(parents=True)
    monkeypatch.setattr(engine_module, "SQL_DIR", root)
    engine_module._templates.cache_clear()
    yield root
    engine_module._templates.cache_clear()


def write(root: Path, name: str, text: str) -> str:
    (root / "90_test" / name).write_text(text, encoding="utf-8")
    return f"90_test/{name}"


def test_build_makes_a_table_named_after_the_file_binding_only_named_parameters(
    models: Path, tmp_path: Path
) -> None:
    model = write(models, "doubled.sql", "-- One row per x ($unused in a comment)\n"
                                         "select range * $factor as x from range(3)\n")  # fmt: skip
    with connect(tmp_path / "s.duckdb") as engine:
        engine.build(model, {"factor": 2, "unused": 1, "other": 5})
        assert engine.table("doubled")["x"].to_list() == [0, 2, 4]
        assert engine.execute(
            "select table_type from information_schema.tables where table_name = 'doubled'"
        ) == [("BASE TABLE",)]


def test_a_file_can_ask_to_be_a_view(models: Path, tmp_path: Path) -> None:
    model = write(models, "live.sql", "-- materialized: view\n-- One row per t\nselect * from t\n")
    with connect(tmp_path / "s.duckdb") as engine:
        engine.execute("create table t as select 1 as a")
        engine.build(model)
        engine.execute("insert into t values (2)")
        assert sorted(engine.table("live")["a"].to_list()) == [1, 2]  # a view sees new rows


def test_a_model_that_became_a_view_replaces_the_table_of_an_older_state(
    models: Path, tmp_path: Path
) -> None:
    """A state made when a model was a table (records_current until issue 15) takes the view
    the model is now, and the other way round."""
    with connect(tmp_path / "s.duckdb") as engine:
        engine.execute("create table t as select 1 as a")
        engine.execute("create table m as select 0 as a")  # the older state's table
        engine.build(
            write(models, "m.sql", "-- materialized: view\n-- One row per t\nselect * from t\n")
        )
        kind = "select table_type from information_schema.tables where table_name = 'm'"
        assert engine.execute(kind) == [("VIEW",)] and engine.table("m")["a"].to_list() == [1]
        engine.build(write(models, "m.sql", "-- One row per t\nselect * from t\n"))
        assert engine.execute(kind) == [("BASE TABLE",)]


def test_templates_expand_one_part_per_source_from_the_contracts(models: Path) -> None:
    model = write(models, "ids.sql", "{% for s in sources %}select '{{ s.source }}' as source, "
                                     "{{ s.id_column }} from raw_{{ s.source }}\n"
                                     "{% if not loop.last %}union all\n{% endif %}{% endfor %}")  # fmt: skip
    text = model_text(model)
    assert text.count("union all") == len(source_context()) - 1
    assert "select 'disability' as source, card_number from raw_disability" in text
    with pytest.raises(Exception, match="source"):  # an undefined name is an error
        model_text(write(models, "bad.sql", "select {{ source.source }}"))


def test_a_plain_model_is_read_as_written(models: Path) -> None:
    text = "-- One row per x\nselect 1 as x -- {not a template}\n"
    assert model_text(write(models, "plain.sql", text)) == text


def test_query_value_and_run(models: Path, tmp_path: Path) -> None:
    query = write(models, "q.sql", "select range as i, 'a' || range as s from range($n)")
    count = write(models, "n.sql", "select count(*) from t")
    insert = write(models, "ins.sql", "insert into t values ($a)")
    with connect(tmp_path / "s.duckdb") as engine:
        frame = engine.query(query, {"n": 2})
        assert isinstance(frame, pl.DataFrame) and frame.rows() == [(0, "a0"), (1, "a1")]
        engine.execute("create table t (a int)")
        engine.run(insert, {"a": 7})
        assert engine.value(count) == 1


def test_batches_give_the_query_rows_in_order_a_part_at_a_time(
    models: Path, tmp_path: Path
) -> None:
    """Engine.batches: the rows of engine.query in the same order, in frames of at most `rows`
    rows; a query of no row gives one empty frame with its columns (a CSV's header)."""
    query = write(
        models, "q.sql", "select range as i, 'a' || range as s from range($n) order by i desc"
    )
    with connect(tmp_path / "s.duckdb") as engine:
        parts = list(engine.batches(query, {"n": 2500}, rows=1000))
        assert [p.height for p in parts] == [1000, 1000, 500]
        assert pl.concat(parts).equals(engine.query(query, {"n": 2500}))
        (empty,) = engine.batches(query, {"n": 0})
        assert empty.height == 0 and empty.columns == ["i", "s"]
        engine.execute("select 1")  # the engine takes statements again
        bad = write(models, "bad.sql", "select * from no_such_table")
        with pytest.raises(SqlError, match=r"90_test/bad\.sql"):
            list(engine.batches(bad))


def test_frames_are_registered_replaced_and_appended(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    with connect(tmp_path / "s.duckdb") as engine:
        with engine.registered("f", frame):
            assert engine.execute("select sum(a) from f") == [(3,)]
        with pytest.raises(SqlError):  # gone after the block
            engine.execute("select * from f")
        engine.replace("t", frame)
        engine.append("t", pl.DataFrame({"b": ["z"], "a": [3]}))  # columns by name
        assert engine.execute("select a, b from t order by a") == [(1, "x"), (2, "y"), (3, "z")]


def test_a_transaction_commits_together_or_not_at_all(tmp_path: Path) -> None:
    with connect(tmp_path / "s.duckdb") as engine:
        engine.execute("create table t (a int)")
        with pytest.raises(RuntimeError), engine.transaction():
            engine.execute("insert into t values (1)")
            raise RuntimeError("a file failed halfway")
        assert engine.execute("select count(*) from t") == [(0,)]
        with engine.transaction():
            engine.execute("insert into t values (2)")
        assert engine.execute("select a from t") == [(2,)]


def test_an_engine_error_names_the_model_and_the_statement(
    models: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = write(models, "broken.sql", "select no_such_column from range(1)")
    with connect(tmp_path / "s.duckdb") as engine:
        with pytest.raises(SqlError) as err:
            engine.build(model)
        assert isinstance(err.value, MonitorError)
        assert "90_test/broken.sql" in str(err.value) and "no_such_column" in str(err.value)
        with caplog.at_level(logging.DEBUG, logger="monitor.engine"):
            engine.run(write(models, "ok.sql", "select 1"))
        assert any("90_test/ok.sql" in r.getMessage() for r in caplog.records)  # stage, time


def test_names_made_from_values_must_be_plain_identifiers(tmp_path: Path) -> None:
    with connect(tmp_path / "s.duckdb") as engine:
        with pytest.raises(SqlError, match="plain identifier"):
            engine.replace("t; drop table runs", pl.DataFrame({"a": [1]}))
        with pytest.raises(SqlError, match="plain identifier"):
            engine.table("Runs")


def test_create_table_adds_the_columns_an_older_table_lacks(tmp_path: Path) -> None:
    with connect(tmp_path / "s.duckdb") as engine:
        engine.create_table("t", [("a", "INTEGER NOT NULL")])
        engine.execute("insert into t values (1)")
        engine.create_table("t", [("a", "INTEGER NOT NULL"), ("b", "VARCHAR NOT NULL")])
        assert engine.columns("t") == {"a": "INTEGER", "b": "VARCHAR"}
        assert engine.execute("select a, b from t") == [(1, None)]


def test_settings_are_applied_when_connecting(tmp_path: Path) -> None:
    with connect(tmp_path / "s.duckdb", settings={"threads": 1}) as engine:
        assert engine.execute("select current_setting('threads')") == [(1,)]


def test_a_file_that_is_not_a_database_is_one_message(tmp_path: Path) -> None:
    bad = tmp_path / "s.duckdb"
    bad.write_text("not a database", encoding="utf-8")
    with pytest.raises(SqlError, match="状态库无法打开"), connect(bad):
        pass


def test_a_failure_inside_a_transaction_is_the_statements_not_the_cleanup(tmp_path: Path) -> None:
    """A statement failing on a registered frame inside a transaction is the error raised
    (DuckDB refuses the frame's unregistering until the rollback; that is not the news)."""
    with connect(tmp_path / "s.duckdb") as engine:
        engine.execute("create table t (a int not null)")
        frame = pl.DataFrame({"a": [None]}, schema={"a": pl.Int32})
        with pytest.raises(SqlError, match="NOT NULL"), engine.transaction():
            engine.append("t", frame)
        assert engine.execute("select count(*) from t") == [(0,)]
        engine.append("t", pl.DataFrame({"a": [1]}))  # the name is free again
        assert engine.execute("select a from t") == [(1,)]


def test_memory_is_lent_for_a_block_and_given_back(tmp_path: Path) -> None:
    """Engine.memory_lent: DuckDB's memory_limit is the lower one inside the block and the
    one it had after it, also when the block fails."""
    with connect(tmp_path / "s.duckdb", settings={"memory_limit": "1GiB"}) as engine:
        limit = "select current_setting('memory_limit')"
        before = engine.execute(limit)[0][0]
        with engine.memory_lent("256MiB"):
            assert engine.execute(limit)[0][0] != before
            assert engine.execute("select count(*) from range(100000)") == [(100000,)]
        assert engine.execute(limit)[0][0] == before
        with pytest.raises(RuntimeError), engine.memory_lent("256MiB"):
            raise RuntimeError("a failing block")
        assert engine.execute(limit)[0][0] == before
