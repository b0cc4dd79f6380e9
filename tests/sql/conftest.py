"""Fixtures of the model tests: the template state and one copy per test (see harness.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from monitor import link, score
from monitor.engine import connect
from monitor.state import ensure_schema

from .harness import AS_OF, RUN_ID, Models, policy


@pytest.fixture(scope="session")
def template_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "template.duckdb"
    with connect(path) as engine:
        ensure_schema(engine)
        link.link_records(engine, RUN_ID)
        link.build_households(engine)
        score.score(engine, policy(), AS_OF, RUN_ID)
    return path


@pytest.fixture
def models(template_state: Path, tmp_path: Path) -> Iterator[Models]:
    copy = tmp_path / "state.duckdb"
    shutil.copy(template_state, copy)
    con = duckdb.connect(str(copy))
    try:
        yield Models(con)
    finally:
        con.close()
