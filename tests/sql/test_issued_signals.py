"""sql/50_publish/issued_signals_*.sql and sql/70_feedback/: what a run's workbooks carried,
and what a returned answer is recorded against and compared with."""

from __future__ import annotations

from .harness import RUN_ID, Models, rows

FORGET = "50_publish/issued_signals_forget.sql"
REMEMBER = "50_publish/issued_signals_remember.sql"
ISSUED = "70_feedback/signal_issued.sql"
SAME = "70_feedback/same_disposition.sql"
RUN = "70_feedback/issued_run.sql"


def summary(key: str, code: str, tier: str, amount: float | None = None) -> dict[str, object]:
    return {"household_key": key, "code": code, "tier": tier, "amount": amount,
            "evidence_keys": [f"medical_insurance:{key}{code}"]}  # fmt: skip


def test_a_run_remembers_the_raised_signals_of_its_warned_households(models: Models) -> None:
    """Raised and not held back by a disposition, of a household warned: with tier, amount,
    evidence keys and where the household is; a rerun of the date replaces its rows."""
    models.given("signal_summary", [summary("H1", "MED_OOP_HIGH", "red", 52000),
                                    summary("H1", "DROPOUT", "orange"),
                                    summary("H2", "DROPOUT", "yellow")])  # fmt: skip
    models.given("signals_after_dispositions", [
        {"household_key": "H1", "code": "MED_OOP_HIGH", "person_id": "P1", "suppressed": False},
        {"household_key": "H1", "code": "MED_OOP_HIGH", "person_id": "P2", "suppressed": False},
        {"household_key": "H1", "code": "DROPOUT", "suppressed": True},
        {"household_key": "H2", "code": "DROPOUT", "suppressed": False},
    ])  # fmt: skip
    models.given(
        "warnings_current", [{"household_key": "H1", "county": "341102", "township": "琅琊街道"}]
    )
    models.given("issued_signals", [{"run_id": RUN_ID, "household_key": "OLD", "code": "X"},
                                    {"run_id": "2026-10-15", "household_key": "H9", "code": "X"}])  # fmt: skip
    models.statement(FORGET, run_id=RUN_ID)
    models.given("warnings_current", [{"household_key": "H1", "county": "341102",
                                       "township": "琅琊街道", "tier": "orange"}])  # fmt: skip
    deadlines = {f"deadline_{t}": f"2026-11-{d}" for t, d in
                 (("red", 16), ("orange", 20), ("yellow", 25), ("review", 30))}  # fmt: skip
    models.statement(REMEMBER, run_id=RUN_ID, **deadlines)
    got = models.table("issued_signals")
    assert rows(
        got, "run_id", "household_key", "code", "tier", "amount", "township", "deadline"
    ) == [
        ("2026-10-15", "H9", "X", None, None, None, None),
        (RUN_ID, "H1", "MED_OOP_HIGH", "red", 52000.0, "琅琊街道", "2026-11-20"),
    ]  # the signal's own tier; the deadline is the household's (its warning's tier)


def test_an_answer_is_recorded_against_the_signal_as_its_run_issued_it(models: Models) -> None:
    models.given("issued_signals", [
        {"run_id": "2026-10-15", "household_key": "H1", "code": "MED_OOP_HIGH", "tier": "orange", "amount": 30000},
        {"run_id": RUN_ID, "household_key": "H1", "code": "MED_OOP_HIGH", "tier": "red", "amount": 52000},
    ])  # fmt: skip
    got = models.query(ISSUED, run_id="2026-10-15", household_key="H1", code="MED_OOP_HIGH")
    assert rows(got, "tier", "amount") == [("orange", 30000.0)]
    assert models.query(ISSUED, run_id=RUN_ID, household_key="H1", code="DROPOUT").height == 0


def test_a_workbooks_run_must_have_completed(models: Models) -> None:
    models.given("runs", [
        {"run_id": "2026-10-15", "as_of": "2026-10-15", "started_at": "2026-10-15 02:00:00", "status": "completed"},
        {"run_id": "2026-11-15", "as_of": "2026-11-15", "started_at": "2026-11-15 02:00:00", "status": "running"},
    ])  # fmt: skip
    assert rows(models.query(RUN, run_id="2026-10-15"), "run_id", "as_of") == [
        ("2026-10-15", "2026-10-15")
    ]
    assert models.query(RUN, run_id="2026-11-15").height == 0  # not completed
    assert models.query(RUN, run_id="1999-01-01").height == 0


def test_the_same_answer_is_found_whatever_file_it_came_in(models: Models) -> None:
    """Same household, signal, outcome, date, caseworker, note and run: the same answer
    (another file hash, a re-saved copy, is still the same); any of them different is not."""
    answer = {"household_key": "H1", "code": "DROPOUT", "outcome": "无法联系",
              "decided_on": "2026-11-18", "caseworker": "王芳", "note": None,
              "issued_run_id": RUN_ID}  # fmt: skip
    models.given("dispositions", [answer | {"workbook_hash": "aaa"}])
    assert rows(models.query(SAME, **answer), "same") == [(1,)]
    for change in ({"caseworker": "李强"}, {"note": "再访"}, {"decided_on": "2026-11-19"},
                   {"issued_run_id": "2026-12-15"}, {"outcome": "其他"}):  # fmt: skip
        assert rows(models.query(SAME, **(answer | change)), "same") == [(0,)], change
