"""sql/80_analyst/explain_runs.sql: every run of the state, the latest started first (explain
picks the completed run that finished last and notes a later one that did not complete)."""

from __future__ import annotations

from .harness import Models

MODEL = "80_analyst/explain_runs.sql"


def test_runs_latest_started_first_with_status_and_policy(models: Models) -> None:
    models.given("runs", [
        {"run_id": "2026-10-15", "as_of": "2026-10-15", "started_at": "2026-10-15 02:00:00",
         "finished_at": "2026-10-15 02:01:00", "status": "completed", "policy_file": "p.yaml",
         "policy_hash": "h1"},
        # a backfill of an earlier date, started after the later date's run
        {"run_id": "2026-09-15", "as_of": "2026-09-15", "started_at": "2026-11-01 09:00:00",
         "finished_at": "2026-11-01 09:01:00", "status": "completed"},
        {"run_id": "2026-11-15", "as_of": "2026-11-15", "started_at": "2026-11-15 02:00:00",
         "status": "failed"},
    ])  # fmt: skip
    got = models.query(MODEL)
    assert got.columns == ["run_id", "as_of", "status", "started_at", "finished_at",
                           "policy_file", "policy_hash"]  # fmt: skip
    assert got.select("run_id", "status", "policy_hash").rows() == [
        ("2026-11-15", "failed", None),
        ("2026-09-15", "completed", None),
        ("2026-10-15", "completed", "h1"),
    ]
