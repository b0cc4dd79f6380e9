"""A state made by an earlier monitor opens and upgrades with nothing lost.

tests/fixtures/state_v0.duckdb.gz was made by the code of commit 4a81bbb (before schema
versions): a run of tests/conftest.py's small input on 2026-11-15 and a caseworker's
disposition of F001's DROPOUT ("已核实-已救助" on 2026-11-16, note "已上门")."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from pathlib import Path

import pytest

from conftest import build_small_input
from monitor import pipeline
from monitor.errors import StateVersionError
from monitor.state import MIGRATIONS, SCHEMA_VERSION, open_state

FIXTURE = Path(__file__).parents[1] / "fixtures" / "state_v0.duckdb.gz"
# named for the model-coverage test: every migration file has a test
MIGRATION_FILES = (
    "00_state/migrations/001_dispositions_keep_evidence.sql",
    "00_state/migrations/002_secrets.sql",
    "00_state/migrations/003_feedback.sql",
    "00_state/migrations/004_audit_findings.sql",
    "00_state/migrations/005_referrals.sql",
    "00_state/migrations/006_stage_inputs.sql",
)


def old_state(tmp_path: Path) -> Path:
    path = tmp_path / "state.duckdb"
    with gzip.open(FIXTURE, "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def test_every_migration_is_named_here() -> None:
    assert tuple(m[1] for m in MIGRATIONS) == MIGRATION_FILES
    assert MIGRATIONS[-1][0] == SCHEMA_VERSION


def test_an_old_state_upgrades_keeping_every_row(tmp_path: Path) -> None:
    path = old_state(tmp_path)
    with open_state(path, read_only=True) as engine:
        before = {
            t: engine.execute(f"select count(*) from {t}")[0][0]
            for t in ("runs", "files", "deliveries", "dispositions", "warning_history",
                      "clean_medical_insurance", "raw_roster")
        }  # fmt: skip
        assert before["dispositions"] == 1
    with open_state(path) as engine:
        after = {t: engine.execute(f"select count(*) from {t}")[0][0] for t in before}
        assert after == before
        assert engine.execute("select max(version) from schema_versions") == [(SCHEMA_VERSION,)]
        row = engine.execute(
            "select household_key, code, outcome, decided_on, note, evidence_keys from dispositions"
        )
        assert row == [("F001", "DROPOUT", "已核实-已救助", dt.date(2026, 11, 16), "已上门", None)]
        columns = {
            r[0]
            for r in engine.execute(
                "select column_name from information_schema.columns"
                " where table_name = 'clean_medical_insurance'"
            )
        }
        assert "content_hash" in columns
        assert engine.execute("select count(*) from secrets") == [(0,)]  # 002: made at publish
        assert engine.execute(
            "select caseworker, issued_run_id, workbook_hash from dispositions"
        ) == [(None, None, None)]  # 003: the old disposition keeps its row, the new columns empty
        assert engine.execute("select count(*) from issued_signals") == [(0,)]
        assert engine.execute("select count(*) from audit_findings") == [(0,)]  # 004
        # 005: the departments' lists and their results, empty until a run publishes
        assert engine.execute("select count(*) from referrals") == [(0,)]
        assert engine.execute("select count(*) from referral_results") == [(0,)]
    # opening again changes nothing; the next night runs on it, the disposition still counts
    with open_state(path) as engine:
        assert engine.execute("select count(*) from schema_versions")[0][0] == 1
    root = build_small_input(tmp_path / "in")
    pipeline.run_all(pipeline.make_context(root, tmp_path / "out", dt.date(2026, 11, 17), path))
    text = (tmp_path / "out" / "warnings.csv").read_text(encoding="utf-8-sig")
    assert "F001" not in text  # DROPOUT verified the day before: suppressed, as it was


def test_a_state_from_a_newer_monitor_is_refused(tmp_path: Path) -> None:
    path = old_state(tmp_path)
    with open_state(path) as engine:
        engine.execute("insert into schema_versions values (999, now(), 'future')")
    with pytest.raises(StateVersionError, match="999"), open_state(path):
        pass
