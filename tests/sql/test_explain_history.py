"""sql/80_analyst/explain_history.sql: every completed run up to the as-of date, whether it
warned one household (tier, codes) and the 处置时限 its workbooks gave."""

from __future__ import annotations

from .harness import Models

MODEL = "80_analyst/explain_history.sql"


def test_each_completed_run_warned_or_not(models: Models) -> None:
    models.given("runs", [
        {"run_id": d, "as_of": d, "started_at": f"{d} 02:00:00", "status": s}
        for d, s in (("2026-09-15", "completed"), ("2026-10-15", "completed"),
                     ("2026-10-20", "failed"), ("2026-11-15", "completed"),
                     ("2026-12-15", "completed"))
    ])  # fmt: skip
    models.given("warning_history", [
        {"run_id": "2026-09-15", "as_of": "2026-09-15", "household_key": "F1", "tier": "orange",
         "codes": "HOTLINE_HELP"},
        {"run_id": "2026-11-15", "as_of": "2026-11-15", "household_key": "F1", "tier": "red",
         "codes": "DROPOUT;HOTLINE_HELP"},
        {"run_id": "2026-10-15", "as_of": "2026-10-15", "household_key": "F2", "tier": "red",
         "codes": "DROPOUT"},
    ])  # fmt: skip
    models.given("issued_signals", [
        {"run_id": "2026-11-15", "household_key": "F1", "code": "DROPOUT", "deadline": "2026-11-16"},
        {"run_id": "2026-11-15", "household_key": "F1", "code": "HOTLINE_HELP",
         "deadline": "2026-11-16"},
    ])  # fmt: skip
    got = models.query(MODEL, household_key="F1", as_of="2026-11-15")
    assert [tuple(str(v) if v is not None else None for v in r) for r in
            got.select("run_id", "tier", "codes", "deadline").rows()] == [
        ("2026-09-15", "orange", "HOTLINE_HELP", None),
        ("2026-10-15", None, None, None),  # not warned that night
        ("2026-11-15", "red", "DROPOUT;HOTLINE_HELP", "2026-11-16"),
    ]  # fmt: skip
