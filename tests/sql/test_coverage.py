"""Every model under sql/ has a model test in tests/sql/ (the test names the file it runs)."""

from __future__ import annotations

import re
from pathlib import Path

from monitor.resources import packaged

SQL = packaged("sql")
HERE = Path(__file__).resolve().parent


def test_every_sql_file_has_a_model_test() -> None:
    named: set[str] = set()
    for test in HERE.glob("test_*.py"):
        if test.name == Path(__file__).name:
            continue
        named |= set(
            re.findall(r"\"(\d\d_\w+/(?:\w+/)*\w+\.sql)\"", test.read_text(encoding="utf-8"))
        )
    models = {p.relative_to(SQL).as_posix() for p in SQL.rglob("*.sql")}
    assert models, "no sql/ files found"
    missing = sorted(models - named)
    assert not missing, f"sql/ files without a model test in tests/sql/: {missing}"
    unknown = sorted(named - models)
    assert not unknown, f"model tests name files that do not exist: {unknown}"
