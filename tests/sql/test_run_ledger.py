"""sql/00_state/: a run's row in runs, the schema version and the latest completed run."""

from __future__ import annotations

from .harness import Models, rows

BEGIN = "00_state/begin_run.sql"
COMPLETE = "00_state/complete_run.sql"
LAST = "00_state/last_completed_run.sql"
VERSION = "00_state/schema_version.sql"
RECORD_VERSION = "00_state/record_schema_version.sql"


def run_row(run_id: str, status: str = "completed") -> dict[str, object]:
    return {"run_id": run_id, "as_of": run_id, "started_at": f"{run_id} 02:00:00",
            "status": status, "policy_file": f"policy-{run_id}.yaml"}  # fmt: skip


def begin(models: Models, run_id: str, policy_hash: str = "h1") -> None:
    models.statement(BEGIN, run_id=run_id, as_of=run_id, input_dir="in",
                     policy_file="2026.yaml", policy_hash=policy_hash)  # fmt: skip


def test_begin_run_adds_a_running_run(models: Models) -> None:
    """A new as-of date gets a running row with its input, policy file and hash, not finished."""
    models.given("runs", [run_row("2026-10-15")])
    begin(models, "2026-11-15")
    assert rows(models.table("runs"), "run_id", "status", "policy_hash", "finished_at") == [
        ("2026-10-15", "completed", None, None),
        ("2026-11-15", "running", "h1", None),
    ]


def test_a_rerun_of_an_as_of_date_replaces_its_run(models: Models) -> None:
    """Rerunning a date replaces that date's row (one run per as-of date), others stay."""
    models.given("runs", [run_row("2026-10-15"), run_row("2026-11-15")])
    begin(models, "2026-11-15", policy_hash="h2")
    assert rows(models.table("runs"), "run_id", "status", "policy_hash") == [
        ("2026-10-15", "completed", None),
        ("2026-11-15", "running", "h2"),
    ]


def test_complete_run_marks_only_that_run(models: Models) -> None:
    """Completing a run sets its status and finish time; another running run is untouched."""
    models.given("runs", [run_row("2026-10-15", "running"), run_row("2026-11-15", "running")])
    models.statement(COMPLETE, run_id="2026-11-15")
    got = models.table("runs")
    assert rows(got, "run_id", "status") == [("2026-10-15", "running"), ("2026-11-15", "completed")]
    finished = dict(rows(got, "run_id", "finished_at"))
    assert finished["2026-10-15"] is None and finished["2026-11-15"] is not None


def test_last_completed_run_is_the_latest_completed_as_of(models: Models) -> None:
    """The latest completed as-of date wins; a later run still running (or failed) does not."""
    models.given("runs", [run_row("2026-09-15"), run_row("2026-10-15"),
                          run_row("2026-11-15", "running"), run_row("2026-12-15", "failed")])  # fmt: skip
    assert rows(models.query(LAST), "run_id", "policy_file") == [
        ("2026-10-15", "policy-2026-10-15.yaml")
    ]


def test_no_completed_run_gives_no_row(models: Models) -> None:
    models.given("runs", [run_row("2026-11-15", "running")])
    assert models.query(LAST).height == 0


def test_schema_version_is_the_highest_recorded(models: Models) -> None:
    """The state's version is the highest one recorded; a state with none has null."""
    models.given("schema_versions", [])
    assert rows(models.query(VERSION), "version") == [(None,)]
    models.statement(RECORD_VERSION, version=1, note="created")
    models.statement(RECORD_VERSION, version=3, note="upgraded")
    assert rows(models.query(VERSION), "version") == [(3,)]
    assert rows(models.table("schema_versions"), "version", "note") == [
        (1, "created"), (3, "upgraded"),
    ]  # fmt: skip
