"""sql/80_analyst/explain_records.sql: the current records that concern one household (linked
to a member, in review with a member as candidate, or its own register rows that link to
nobody), how each was linked, the levels review stored and the latest identity decision."""

from __future__ import annotations

from typing import Any

from .harness import Models

MODEL = "80_analyst/explain_records.sql"


def record(source: str, row: int, name: str, status: str = "valid") -> dict[str, Any]:
    return {"source": source, "file_hash": f"{source}-f", "_row": row, "name": name,
            "id_status": status, "record_hash": f"{source}-h{row}"}  # fmt: skip


def link(source: str, row: int, person: str | None, method: str,
         score: float | None = None) -> dict[str, Any]:  # fmt: skip
    return {"source": source, "file_hash": f"{source}-f", "_row": row, "person_id": person,
            "method": method, "score": score}  # fmt: skip


def given(models: Models) -> None:
    models.given("household_members", [
        {"person_id": "P1", "household_key": "F1", "membership": "roster"},
        {"person_id": "P2", "household_key": "F1", "membership": "roster"},
        {"person_id": "P9", "household_key": "F9", "membership": "other"},
    ])  # fmt: skip
    models.given("records_current", [
        record("roster", 1, "张伟"), record("hotline", 4, "张伟", "missing"),
        record("hotline", 5, "张伟", "missing"), record("hotline", 6, "李娜", "missing"),
        record("roster", 2, "某人", "missing"), record("hr", 3, "王五"),
        record("hotline", 7, "张伟", "missing"),
    ])  # fmt: skip
    models.given("record_links", [
        link("roster", 1, "P1", "exact"),
        link("hotline", 4, "P1", "fuzzy", 0.999),
        link("hotline", 5, None, "review", 0.8),  # in review, a member the candidate
        link("hotline", 6, "P2", "fuzzy", 1.0),  # a person's decision: the same person
        link("roster", 2, None, "unmatched", 0.0),  # the household's own row, nobody
        link("hr", 3, "P9", "exact"),  # another household's
        link("hotline", 7, None, "unmatched", 0.0),  # decided: not the member
    ])  # fmt: skip
    models.given("review_pairs", [
        {"source": "hotline", "file_hash": "hotline-f", "_row": 5, "candidate_id": "P1",
         "levels": "姓名:相同 电话:缺失", "score": 0.8},
        {"source": "hotline", "file_hash": "hotline-f", "_row": 6, "candidate_id": "P2",
         "levels": "姓名:相同 电话:一致", "score": 0.7},
        {"source": "hotline", "file_hash": "hotline-f", "_row": 7, "candidate_id": "P1",
         "levels": "姓名:相同 电话:不一致", "score": 0.75},
    ])  # fmt: skip
    models.given("review_decisions", [
        {"source": "hotline", "record_hash": "hotline-h6", "candidate_id": "P2",
         "same_person": False, "recorded_at": "2026-11-01 10:00:00"},
        {"source": "hotline", "record_hash": "hotline-h6", "candidate_id": "P2",
         "same_person": True, "recorded_at": "2026-11-02 10:00:00"},  # the latest counts
        {"source": "hotline", "record_hash": "hotline-h7", "candidate_id": "P1",
         "same_person": False, "recorded_at": "2026-11-02 10:00:00"},
    ])  # fmt: skip
    models.given("linked_roster", [
        {"source": "roster", "file_hash": "roster-f", "_row": 1, "household_no": "F1",
         "person_id": "P1"},
        {"source": "roster", "file_hash": "roster-f", "_row": 2, "household_no": "F1",
         "person_id": None},
    ])  # fmt: skip
    models.given("persons", [{"person_id": "P1", "name": "张伟"}, {"person_id": "P2", "name": "李娜"}])  # fmt: skip
    models.given("files", [{"file_hash": "hotline-f", "source": "hotline", "file_name": "工单.csv",
                            "records": 4, "title_rows": 0, "blank_rows": 0, "total_rows": 4}])  # fmt: skip
    models.given("source_catalog", [{"source": "hotline", "label": "12345热线"}])


def test_the_households_records_and_how_each_was_linked(models: Models) -> None:
    given(models)
    got = models.query(MODEL, household_key="F1")
    assert got.select("source", "_row", "person_id", "method", "review_candidate",
                      "candidate_name", "decided_same").rows() == [
        ("hotline", 4, "P1", "fuzzy", None, None, None),
        ("hotline", 5, None, "review", "P1", "张伟", None),
        ("hotline", 6, "P2", "fuzzy", "P2", "李娜", True),
        ("hotline", 7, None, "unmatched", "P1", "张伟", False),
        ("roster", 1, "P1", "exact", None, None, None),
        ("roster", 2, None, "unmatched", None, None, None),
    ]  # fmt: skip
    hotline = got.filter(_row=5).row(0, named=True)
    assert (hotline["source_label"], hotline["file_name"], hotline["record_name"],
            hotline["id_status"], hotline["review_levels"], hotline["review_score"]) == (
        "12345热线", "工单.csv", "张伟", "missing", "姓名:相同 电话:缺失", 0.8)  # fmt: skip


def test_another_households_records_are_not_listed(models: Models) -> None:
    given(models)
    assert models.query(MODEL, household_key="F9").select("source", "_row").rows() == [("hr", 3)]
