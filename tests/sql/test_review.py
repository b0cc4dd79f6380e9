"""sql/50_publish/review.sql: the uncertain matches of this run's records (linking's review
pairs and the pairs whose names disagree), the record as read beside its candidate; in the
sources' canonical order, file, row, then the strongest candidate first."""

from __future__ import annotations

from typing import Any

from .harness import RUN_ID, Models

MODEL = "50_publish/review.sql"


def pair(source: str, digest: str, row: int, candidate: str, score: float | None,
         levels: str = "name=2") -> dict[str, Any]:  # fmt: skip
    return {"source": source, "file_hash": digest, "_row": row, "candidate_id": candidate,
            "levels": levels, "score": score}  # fmt: skip


def delivery(source: str, name: str, digest: str, outcome: str = "loaded",
             run_id: str = RUN_ID) -> dict[str, Any]:  # fmt: skip
    return {"run_id": run_id, "source": source, "file_name": name, "file_hash": digest,
            "outcome": outcome, "records": 1}  # fmt: skip


def record(source: str, digest: str, row: int, name: str) -> dict[str, Any]:
    return {"source": source, "file_hash": digest, "_row": row, "name": name,
            "township": "琅琊街道", "phone_norm": "13800000000", "id_status": "bad_check"}  # fmt: skip


def given(models: Models) -> None:
    models.given("deliveries", [
        delivery("hotline", "工单.csv", "h1"),
        delivery("hotline", "工单.csv", "h1", outcome="skipped"),  # listed twice: once
        delivery("roster", "低收入人口库.xlsx", "r1", outcome="skipped"),
        delivery("health", "诊疗.csv", "x1", outcome="failed"),
        delivery("hr", "hr.csv", "e1", run_id="2026-10-15"),  # an earlier run's file
    ])  # fmt: skip
    models.given("records_current", [
        record("hotline", "h1", 1, "张三"), record("hotline", "h1", 2, "张三"),
        record("roster", "r1", 4, "李四"), record("health", "x1", 1, "王五"),
        record("hr", "e1", 1, "赵六"),
    ])  # fmt: skip
    models.given("review_pairs", [
        pair("hotline", "h1", 2, "C2", 0.80), pair("hotline", "h1", 2, "C1", 0.80),
        pair("hotline", "h1", 2, "C3", 0.95), pair("hotline", "h1", 1, "C9", None),
        pair("health", "x1", 1, "C1", 0.9), pair("hr", "e1", 1, "C1", 0.9),
    ])  # fmt: skip
    models.given("name_disagreements", [pair("roster", "r1", 4, "C1", None, "id=exact")])
    models.given(
        "persons", [{"person_id": "C1", "name": "李四"}, {"person_id": "C3", "name": "张叁"}]
    )
    models.given("person_contacts", [
        {"person_id": "C1", "kind": "township", "value": "西涧街道", "source": "roster"},
        {"person_id": "C1", "kind": "township", "value": "琅琊街道", "source": "hr"},
        {"person_id": "C1", "kind": "phone", "value": "13900000000", "source": "roster"},
    ])  # fmt: skip
    models.given("raw_ids", [{"source": "hotline", "file_hash": "h1", "_row": 2,
                              "id_text": "34110219800101011Ｘ"}])  # fmt: skip


def test_pairs_of_this_runs_files_in_order_strongest_candidate_first(models: Models) -> None:
    given(models)
    got = models.query(MODEL)
    # record_hash: review.xlsx's key of the record (review.csv selects its own columns)
    assert got.columns == [
        "source", "file", "row", "record_name", "record_id", "record_township", "record_phone",
        "candidate_id", "candidate_name", "candidate_township", "candidate_phone", "levels",
        "score", "record_hash",
    ]  # fmt: skip
    assert got.select("source", "file", "row", "candidate_id", "score").rows() == [
        ("roster", "低收入人口库.xlsx", 4, "C1", None),  # names disagree: roster first
        ("hotline", "工单.csv", 1, "C9", None),
        ("hotline", "工单.csv", 2, "C3", 0.95),
        ("hotline", "工单.csv", 2, "C1", 0.80),  # equal scores: by candidate
        ("hotline", "工单.csv", 2, "C2", 0.80),
    ]


def test_record_and_candidate_side_by_side(models: Models) -> None:
    given(models)
    got = models.query(MODEL).filter(row=2, candidate_id="C1").to_dicts()
    assert got == [{
        "source": "hotline", "file": "工单.csv", "row": 2, "record_name": "张三",
        "record_id": "34110219800101011Ｘ", "record_township": "琅琊街道",
        "record_phone": "13800000000", "candidate_id": "C1", "candidate_name": "李四",
        "candidate_township": "琅琊街道", "candidate_phone": "13900000000", "levels": "name=2",
        "score": 0.80, "record_hash": None,
    }]  # fmt: skip
    unknown = models.query(MODEL).filter(candidate_id="C9").to_dicts()[0]
    assert unknown["record_id"] == ""  # no ID as read: blank, not null
    assert unknown["candidate_name"] is None and unknown["candidate_phone"] is None
