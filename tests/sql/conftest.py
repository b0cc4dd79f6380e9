"""Fixtures of the model tests: one copy per test of the template state (tests/conftest.py; see
harness.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from .harness import Models


@pytest.fixture
def models(template_state: Path, tmp_path: Path) -> Iterator[Models]:
    copy = tmp_path / "state.duckdb"
    shutil.copy(template_state, copy)
    con = duckdb.connect(str(copy))
    try:
        yield Models(con)
    finally:
        con.close()
