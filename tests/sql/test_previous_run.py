"""sql/50_publish/previous_run.sql: the run this one compares with is the latest completed run
of an earlier as-of date (not a failed or running one, not a later date, not this date)."""

from __future__ import annotations

from typing import Any

from .harness import AS_OF, RUN_ID, Models

MODEL = "50_publish/previous_run.sql"


def run(run_id: str, status: str) -> dict[str, Any]:
    return {"run_id": run_id, "as_of": run_id, "started_at": f"{run_id} 02:00:00", "status": status}


def test_the_latest_completed_run_before_the_as_of_date(models: Models) -> None:
    models.given("runs", [run("2026-10-01", "completed"), run("2026-10-15", "completed"),
                          run("2026-11-01", "failed"), run("2026-11-10", "running"),
                          run(RUN_ID, "completed"),  # this date again (a rerun): not earlier
                          run("2026-12-01", "completed")])  # fmt: skip
    got = models.query(MODEL)
    assert got.columns == ["run_id", "as_of"]
    assert [(r, d.isoformat()) for r, d in got.rows()] == [("2026-10-15", "2026-10-15")]


def test_no_earlier_completed_run_gives_no_row(models: Models) -> None:
    models.given("runs", [run("2026-11-01", "failed"), run(AS_OF.isoformat(), "running")])
    assert models.query(MODEL).height == 0
