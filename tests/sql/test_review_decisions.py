"""sql/70_feedback/*review_decision.sql: identity decisions returned in review.xlsx."""

from __future__ import annotations

from .harness import Models, rows

RECORD = "70_feedback/record_review_decision.sql"
SAME = "70_feedback/same_review_decision.sql"
PAIR = {"source": "hotline", "record_hash": "h1", "candidate_id": "P1"}


def test_a_decision_is_stored_and_the_same_one_again_is_known(models: Models) -> None:
    models.given("review_decisions", [])
    decided = PAIR | {"same_person": True, "note": None}
    assert rows(models.query(SAME, **decided), "same") == [(0,)]
    models.statement(RECORD, **decided, workbook_hash="w1")
    assert rows(models.table("review_decisions"), "source", "record_hash", "candidate_id",
                "same_person", "workbook_hash") == [("hotline", "h1", "P1", True, "w1")]  # fmt: skip
    assert rows(models.query(SAME, **decided), "same") == [(1,)]
    # the opposite decision, or another note, is new; and only the latest counts
    assert rows(models.query(SAME, **(decided | {"same_person": False})), "same") == [(0,)]
    assert rows(models.query(SAME, **(decided | {"note": "电话核实"})), "same") == [(0,)]


def test_only_the_latest_decision_on_the_pair_is_compared(models: Models) -> None:
    models.given("review_decisions", [
        PAIR | {"same_person": True, "recorded_at": "2026-11-16 09:00:00"},
        PAIR | {"same_person": False, "recorded_at": "2026-11-17 09:00:00"},
    ])  # fmt: skip
    assert rows(models.query(SAME, **PAIR, same_person=False, note=None), "same") == [(1,)]
    assert rows(models.query(SAME, **PAIR, same_person=True, note=None), "same") == [(0,)]
