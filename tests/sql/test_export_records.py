"""sql/80_analyst/export_records.sql: the records of one file, how each was linked, whether its
person is known from other sources or belongs to a register's household, and what a masked
sample of unmatched rows shows."""

from __future__ import annotations

from typing import Any

from .harness import Models

MODEL = "80_analyst/export_records.sql"


def record(row: int, status: str, digest: str = "new", source: str = "hr",
           quarantine: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"source": source, "file_hash": digest, "_row": row, "id_status": status,
            "name": f"人{row}", "phone_norm": "13800000000", "township": "琅琊街道",
            "flags": "id_missing" if status == "missing" else None,
            "quarantine_reason": quarantine}  # fmt: skip


def link(row: int, person: str | None, method: str, digest: str = "new",
         source: str = "hr") -> dict[str, Any]:  # fmt: skip
    return {"source": source, "file_hash": digest, "_row": row, "person_id": person,
            "method": method}  # fmt: skip


def given(models: Models) -> None:
    models.given("records_current", [
        record(1, "valid"), record(2, "missing"), record(3, "bad_check"),
        record(4, "missing", quarantine="无可用身份"), record(1, "valid", digest="old"),
        record(1, "valid", source="roster", digest="r"),
    ])  # fmt: skip
    models.given("record_links", [
        link(1, "P1", "exact"), link(2, None, "unmatched"), link(3, "P3", "fuzzy"),
        link(4, None, "quarantined"),
        link(1, "P3", "exact", digest="old"),  # an earlier export of the same source
        link(1, "P1", "exact", source="roster", digest="r"),  # another source
    ])  # fmt: skip
    models.given("raw_ids", [{"source": "hr", "file_hash": "new", "_row": 3,
                              "id_text": "341102198001010010"}])  # fmt: skip
    models.given("household_members", [{"person_id": "P1", "household_key": "F1",
                                        "membership": "roster"},
                                       {"person_id": "P3", "household_key": "GR:x",
                                        "membership": "other"}])  # fmt: skip


def test_the_files_records_linked_and_known(models: Models) -> None:
    given(models)
    got = models.query(MODEL, source="hr", file_hash="new")
    assert got.select("_row", "id_status", "method", "linked", "known_elsewhere",
                      "membership", "quarantine_reason").rows() == [
        (1, "valid", "exact", True, True, "roster", None),
        (2, "missing", "unmatched", False, False, None, None),
        (3, "bad_check", "fuzzy", True, False, "other", None),  # only in hr: not elsewhere
        (4, "missing", "quarantined", False, False, None, "无可用身份"),
    ]  # fmt: skip
    third = got.filter(_row=3).row(0, named=True)
    assert (third["id_text"], third["name"], third["phone_norm"]) == (
        "341102198001010010", "人3", "13800000000")  # fmt: skip
    assert got.filter(_row=2)["flags"].to_list() == ["id_missing"]
