"""Fixtures of the model tests: the template state and one copy per test (see harness.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from monitor import link, score
from monitor.state import ensure_schema

from .harness import AS_OF, RUN_ID, Models, policy


@pytest.fixture(scope="session")
def template_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "template.duckdb"
    con = duckdb.connect(str(path))
    try:
        ensure_schema(con)
        link.link_records(con, RUN_ID)
        link.build_households(con)
        score.score(con, policy(), AS_OF, RUN_ID)
    finally:
        con.close()
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
