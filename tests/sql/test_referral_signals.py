"""sql/50_publish/referral_signals.sql: per raised signal of a warned household, its tier, the
members who carry it (full IDs and "name ID") and its sentences, for the departments' lists."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "50_publish/referral_signals.sql"
HEAD, CHILD = "34110219800101011X", "34110220120101031X"


def signal(key: str, code: str, tier: str, detail: str, person: str | None, row: int = 1,
           suppressed: bool = False) -> dict[str, Any]:  # fmt: skip
    return {"household_key": key, "code": code, "tier": tier, "person_id": person,
            "detail": detail, "file_hash": "f", "_row": row, "suppressed": suppressed}  # fmt: skip


def test_each_raised_signal_with_its_members_and_sentences(models: Models) -> None:
    models.given("signals_after_dispositions", [
        signal("A", "MED_OOP_HIGH", "red", "自付 60,000 元", HEAD),
        signal("A", "MAJOR_ILLNESS", "orange", "重大疾病（白血病）", CHILD, 2),
        signal("A", "MAJOR_ILLNESS", "orange", "重大疾病（肺癌）", HEAD, 3),
        signal("A", "MAJOR_ILLNESS", "orange", "重大疾病（肺癌）", HEAD, 4),  # said once
        signal("A", "HOTLINE_HELP", "orange", "求助", HEAD, suppressed=True),  # held back
        signal("B", "DROPOUT", "red", "辍学", CHILD),  # B is not warned (not in the list)
    ])  # fmt: skip
    models.given("warnings_current", [{"household_key": "A"}])
    models.given("persons", [{"person_id": HEAD, "name": "张三"}])  # the child has no name
    got = models.query(MODEL)
    assert rows(got, "household_key", "code", "label", "tier", "member_ids", "members") == [
        ("A", "MAJOR_ILLNESS", "重大疾病", "orange", f"{HEAD};{CHILD}",
         f"张三 {HEAD}；（姓名未知） {CHILD}"),
        ("A", "MED_OOP_HIGH", "医疗自付费用高", "red", HEAD, f"张三 {HEAD}"),
    ]  # fmt: skip
    details = dict(rows(got, "code", "detail"))
    assert details["MAJOR_ILLNESS"] == "张三：重大疾病（肺癌）；重大疾病（白血病）"  # by text
