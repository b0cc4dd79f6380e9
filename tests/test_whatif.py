"""monitor.whatif: re-scoring the last run under another policy, on a private copy."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import build_small_input, run
from monitor.errors import WhatIfError
from monitor.resources import packaged
from monitor.state import open_state
from monitor.whatif import what_if

POLICY = packaged("policy", "2026.yaml")


def test_no_state_is_one_message(tmp_path: Path) -> None:
    with pytest.raises(WhatIfError, match="状态库不存在"):
        what_if(tmp_path / "missing.duckdb", POLICY)
    assert not (tmp_path / "missing.duckdb").exists()  # never a new empty database


def test_a_state_without_a_completed_run_is_one_message(tmp_path: Path) -> None:
    state = tmp_path / "s.duckdb"
    with open_state(state):
        pass
    with pytest.raises(WhatIfError, match="还没有完成的运行"):
        what_if(state, POLICY)


def test_the_same_policy_changes_nothing_and_the_state_is_not_written(tmp_path: Path) -> None:
    state = tmp_path / "s.duckdb"
    run(build_small_input(tmp_path / "in"), tmp_path / "out", state)
    before = hashlib.sha256(state.read_bytes()).hexdigest()
    diff = what_if(state, POLICY).summary
    assert diff.height > 0
    assert diff["added"].sum() == diff["removed"].sum() == diff["change"].abs().sum() == 0
    assert (diff["baseline"] == diff["candidate"]).all()
    assert hashlib.sha256(state.read_bytes()).hexdigest() == before
