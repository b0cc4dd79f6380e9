"""sql/50_publish/warning_history_*.sql: a run's warning list is kept (replacing an earlier run
of the same as-of date) for the next run's 新增/持续 and resolved.csv."""

from __future__ import annotations

from .harness import AS_OF, RUN_ID, Models, rows

FORGET = "50_publish/warning_history_forget.sql"
REMEMBER = "50_publish/warning_history_remember.sql"


def test_a_rerun_replaces_its_own_list_and_keeps_other_runs(models: Models) -> None:
    models.given("warning_history", [
        {"run_id": RUN_ID, "as_of": AS_OF, "household_key": "OLD", "tier": "red", "codes": "X"},
        {"run_id": "2026-10-15", "as_of": "2026-10-15", "household_key": "A", "tier": "red",
         "codes": "DROPOUT"},
    ])  # fmt: skip
    models.given("warnings_current", [
        {"household_key": "A", "county": "341102", "township": "琅琊街道", "tier": "orange",
         "score": 1.0, "codes": "DROPOUT;UNEMPLOYED"},
        {"household_key": "B", "county": "341122", "township": None, "tier": "review",
         "score": 0.0, "codes": "DECEASED"},
    ])  # fmt: skip
    models.statement(FORGET)
    models.statement(REMEMBER)
    history = models.table("warning_history")
    assert rows(history, "run_id", "as_of", "household_key", "county", "township", "tier",
                "codes") == [
        ("2026-10-15", "2026-10-15", "A", None, None, "red", "DROPOUT"),
        (RUN_ID, AS_OF.isoformat(), "A", "341102", "琅琊街道", "orange", "DROPOUT;UNEMPLOYED"),
        (RUN_ID, AS_OF.isoformat(), "B", "341122", None, "review", "DECEASED"),
    ]  # fmt: skip
