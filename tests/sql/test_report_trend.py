"""sql/60_report/warning_trend.sql and overdue_red.sql: the report's trend across the runs in
the state, and its headline's red households past their deadline."""

from __future__ import annotations

from typing import Any

from .harness import AS_OF, RUN_ID, Models

SEP, OCT = "2026-09-15", "2026-10-15"


def run(run_id: str, status: str = "completed") -> dict[str, Any]:
    return {"run_id": run_id, "as_of": run_id, "started_at": f"{run_id} 02:00:00",
            "status": status}  # fmt: skip


def warned(run_id: str, key: str, tier: str) -> dict[str, Any]:
    return {"run_id": run_id, "as_of": run_id, "household_key": key, "tier": tier, "codes": "X"}


def test_trend_has_each_completed_earlier_run_and_this_one(models: Models) -> None:
    models.given("runs", [run(SEP), run("2026-09-20", "failed"), run(OCT), run(RUN_ID, "running"),
                          run("2026-12-15")])  # fmt: skip
    models.given("warning_history", [
        warned(SEP, "A", "red"), warned(SEP, "B", "orange"), warned(SEP, "C", "orange"),
        warned("2026-09-20", "A", "red"),  # a failed run: not a point of the trend
        # OCT warned no one: a point of 0
        warned(RUN_ID, "OLD", "red"),  # an earlier run of this as-of date, being replaced
        warned("2026-12-15", "A", "red"),  # after this run's as-of date
    ])  # fmt: skip
    models.given("warnings_current", [
        {"household_key": "A", "tier": "red"}, {"household_key": "D", "tier": "yellow"},
        {"household_key": "E", "tier": "review"},
    ])  # fmt: skip
    got = models.query("60_report/warning_trend.sql", as_of=AS_OF)
    assert got.columns == ["as_of", "red", "orange", "yellow", "review", "households"]
    assert [(d.isoformat(), *rest) for d, *rest in got.rows()] == [
        (SEP, 1, 2, 0, 0, 3),
        (OCT, 0, 0, 0, 0, 0),
        (RUN_ID, 1, 0, 1, 1, 3),  # from warnings_current, not the history
    ]


def test_trend_of_a_first_run_that_warns_no_one(models: Models) -> None:
    models.given("runs", [run(RUN_ID, "running")])
    got = models.query("60_report/warning_trend.sql", as_of=AS_OF)
    assert [(d.isoformat(), *rest) for d, *rest in got.rows()] == [(RUN_ID, 0, 0, 0, 0, 0)]


def issued(
    run_id: str, key: str, tier: str, deadline: str, code: str = "DROPOUT"
) -> dict[str, Any]:
    return {"run_id": run_id, "household_key": key, "code": code, "tier": tier,
            "deadline": deadline}  # fmt: skip


def answer(key: str, on: str) -> dict[str, Any]:
    return {"household_key": key, "code": "DROPOUT", "outcome": "无法联系", "decided_on": on,
            "recorded_at": f"{on} 10:00:00"}  # fmt: skip


def test_overdue_red_households(models: Models) -> None:
    models.given("runs", [run(SEP), run(OCT), run(RUN_ID, "running")])
    models.given("warnings_current", [
        {"household_key": k, "tier": "red"} for k in ("H1", "H2", "H3", "H4", "H5", "H6", "H7")
    ] + [{"household_key": "H8", "tier": "orange"}])  # fmt: skip
    models.given("issued_signals", [
        issued(OCT, "H1", "red", "2026-10-20"),  # unanswered, past its deadline: overdue
        issued(SEP, "H2", "red", "2026-09-20"),  # first sent in September: that deadline
        issued(OCT, "H2", "red", "2026-11-20"),
        issued(OCT, "H3", "red", "2026-11-20"),  # its deadline not reached
        issued(OCT, "H4", "red", "2026-10-20"),  # answered after it was sent
        issued(OCT, "H5", "red", "2026-10-20"),  # an answer from before it was sent: none
        issued(OCT, "H6", "orange", "2026-10-25"),  # sent as orange, red only now: not yet
        issued(RUN_ID, "H7", "red", "2026-11-10"),  # this run's own: not sent before
        issued(OCT, "H8", "red", "2026-10-20"),  # orange now: not a red case
    ])  # fmt: skip
    models.given("dispositions", [answer("H4", "2026-10-18"), answer("H5", "2026-10-01")])
    assert models.query("60_report/overdue_red.sql", as_of=AS_OF).rows() == [(3,)]  # H1 H2 H5
