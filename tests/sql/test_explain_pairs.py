"""sql/80_analyst/explain_pairs.sql: the matcher's candidate pairs whose candidate is a member
of one household, with what was compared and the stored posterior of the pair."""

from __future__ import annotations

from typing import Any

from .harness import Models

MODEL = "80_analyst/explain_pairs.sql"


def pair(row: int, person: str, block: str) -> dict[str, Any]:
    return {"source": "hotline", "file_hash": "h", "_row": row, "person_id": person,
            "block": block, "id_status": "missing", "rec_name": "张伟", "rec_pinyin": "zhangwei",
            "rec_phone": "13800000000", "cand_name": "张伟", "cand_pinyin": "zhangwei",
            "cand_has_phone": True, "phone_agrees": True, "cand_has_township": False,
            "township_agrees": False}  # fmt: skip


def given(models: Models) -> None:
    models.given("household_members", [
        {"person_id": "P1", "household_key": "F1"}, {"person_id": "P2", "household_key": "F1"},
        {"person_id": "P9", "household_key": "F9"},
    ])  # fmt: skip
    models.given("candidate_pairs", [
        pair(1, "P1", "phone"), pair(2, "P2", "name_township"), pair(2, "P9", "name_township"),
        pair(3, "P1", "phone"),
    ])  # fmt: skip
    models.given("match_decisions", [
        {"source": "hotline", "file_hash": "h", "_row": 1, "person_id": "P1", "method": "fuzzy",
         "score": 0.999},
        {"source": "hotline", "file_hash": "h", "_row": 2, "person_id": "P9", "method": "review",
         "score": 0.6},
    ])  # fmt: skip
    models.given("review_pairs", [
        {"source": "hotline", "file_hash": "h", "_row": 2, "candidate_id": "P2", "score": 0.35},
    ])  # fmt: skip


def test_the_pairs_of_members_with_their_posterior(models: Models) -> None:
    given(models)
    got = models.query(MODEL, household_key="F1")
    assert got.select("_row", "person_id", "block", "score").rows() == [
        (1, "P1", "phone", 0.999),  # the decision's
        (2, "P2", "name_township", 0.35),  # the review pair's
        (3, "P1", "phone", None),  # nothing stored
    ]
    first = got.row(0, named=True)
    assert (first["rec_name"], first["cand_pinyin"], first["phone_agrees"],
            first["cand_has_township"]) == ("张伟", "zhangwei", True, False)  # fmt: skip
