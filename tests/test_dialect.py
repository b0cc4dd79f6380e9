"""Every SQL model transpiles to Spark SQL with sqlglot, using only portable functions and the
engine-specific ones listed in monitor.dialect (a Spark engine is a port of that list)."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from monitor.dialect import ENGINE_SPECIFIC, PORTABLE
from monitor.engine import model_text, source_context
from monitor.resources import packaged


def _functions(tree: exp.Expression) -> set[str]:
    return {
        f.name if isinstance(f, exp.Anonymous) else f.sql_name() for f in tree.find_all(exp.Func)
    }


def test_every_model_transpiles_to_spark_with_listed_functions_only() -> None:
    root = packaged("sql")
    models = sorted(root.rglob("*.sql"))
    assert models
    unlisted: dict[str, set[str]] = {}
    used: set[str] = set()
    for path in models:
        # templates expanded as the engine expands them (a per-source one for every source)
        texts = {
            model_text(path.relative_to(root).as_posix(), {"source": source})
            for source in source_context()
        }
        for tree in (t for text in sorted(texts) for t in sqlglot.parse(text, read="duckdb")):
            if tree is None:
                continue
            sqlglot.transpile(
                tree.sql("duckdb"), read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE
            )
            names = _functions(tree)
            used |= names
            extra = names - PORTABLE - set(ENGINE_SPECIFIC)
            if extra:
                unlisted[path.name] = extra
    assert not unlisted, f"functions neither portable nor in monitor.dialect: {unlisted}"
    # the list stays the list of what is used: nothing stale in it
    assert not set(ENGINE_SPECIFIC) - used, set(ENGINE_SPECIFIC) - used
