"""sql/80_analyst/explain_evidence.sql: the evidence records of one household's signals with
the source's label, the person's name and how linking attached the record."""

from __future__ import annotations

from typing import Any

from .harness import Models

MODEL = "80_analyst/explain_evidence.sql"


def evidence(key: str, code: str, person: str | None, source: str, row: int | None,
             amount: float | None = None) -> dict[str, Any]:  # fmt: skip
    return {"household_key": key, "code": code, "person_id": person, "source": source,
            "file_hash": None if row is None else f"{source}-file",
            "file_name": None if row is None else f"{source}.csv", "_row": row, "amount": amount,
            "event_date": "2026-10-01", "detail": f"{code} 的证据",
            "record_key": None if row is None else f"{source}:k{row}"}  # fmt: skip


def given(models: Models) -> None:
    models.given("signal_evidence", [
        evidence("F1", "MED_OOP_HIGH", "P1", "medical_insurance", 7, 6000),
        evidence("F1", "MED_OOP_HIGH", "P2", "medical_insurance", 3, -100),
        evidence("F1", "INCOME_BELOW_STANDARD", "P1", "roster", None, 320.5),  # no record
        evidence("F2", "DROPOUT", "P3", "education", 1),
    ])  # fmt: skip
    models.given("record_links", [
        {"source": "medical_insurance", "file_hash": "medical_insurance-file", "_row": 7,
         "person_id": "P1", "method": "exact"},
        {"source": "medical_insurance", "file_hash": "medical_insurance-file", "_row": 3,
         "person_id": "P2", "method": "fuzzy", "score": 0.97},
    ])  # fmt: skip
    models.given("source_catalog", [{"source": "medical_insurance", "label": "医保结算"},
                                    {"source": "roster", "label": "民政低收入人口库"}])  # fmt: skip
    models.given("persons", [{"person_id": "P1", "name": "张伟"}, {"person_id": "P2", "name": "李娜"}])  # fmt: skip


def test_evidence_with_its_source_person_and_link(models: Models) -> None:
    given(models)
    got = models.query(MODEL, household_key="F1")
    assert got.select("code", "source_label", "file_name", "_row", "name", "method",
                      "score").rows() == [
        ("INCOME_BELOW_STANDARD", "民政低收入人口库", None, None, "张伟", None, None),
        ("MED_OOP_HIGH", "医保结算", "medical_insurance.csv", 3, "李娜", "fuzzy", 0.97),
        ("MED_OOP_HIGH", "医保结算", "medical_insurance.csv", 7, "张伟", "exact", None),
    ]  # fmt: skip
    assert got.filter(_row=3).row(0, named=True)["detail"] == "MED_OOP_HIGH 的证据"


def test_only_the_households_evidence(models: Models) -> None:
    given(models)
    assert models.query(MODEL, household_key="F2")["code"].to_list() == ["DROPOUT"]
