"""sql/80_analyst/explain_members.sql: one household's members with name, phone, relation to
the head, whether they are the head, and their HR record of the current picture; the head
first, then by birth date."""

from __future__ import annotations

from .harness import Models

MODEL = "80_analyst/explain_members.sql"


def given(models: Models) -> None:
    models.given("member_facts", [
        {"household_key": "F1", "person_id": "P1", "membership": "roster",
         "birth_date": "1980-01-01", "sex": "M", "age": 46, "alive": True},
        {"household_key": "F1", "person_id": "P2", "membership": "roster",
         "birth_date": "1950-02-02", "sex": "F", "age": 76, "death_date": "2026-05-01",
         "alive": False},
        {"household_key": "F1", "person_id": "P3", "membership": "roster",
         "birth_date": "2012-03-03", "sex": "M", "age": 14, "alive": True},
        {"household_key": "F9", "person_id": "P9", "membership": "other",
         "birth_date": "1990-01-01", "sex": "M", "age": 36, "alive": True},
    ])  # fmt: skip
    models.given("households_routed", [{"household_key": "F1", "head_id": "P1"},
                                       {"household_key": "F9", "head_id": "P9"}])  # fmt: skip
    models.given("persons", [{"person_id": "P1", "name": "张伟"}, {"person_id": "P3", "name": "张小明"}])  # fmt: skip
    models.given("person_contacts", [
        {"person_id": "P1", "kind": "phone", "value": "13900000000"},
        {"person_id": "P1", "kind": "phone", "value": "13800000000"},
        {"person_id": "P1", "kind": "township", "value": "琅琊街道"},
    ])  # fmt: skip
    models.given("linked_roster", [
        {"household_no": "F1", "person_id": "P1", "relation": "本人"},
        {"household_no": "F1", "person_id": "P3", "relation": "子女"},
        {"household_no": "F2", "person_id": "P3", "relation": "孙子女"},  # another household
    ])  # fmt: skip
    models.given("hr_current", [
        {"person_id": "P1", "employment_status": "就业", "monthly_wage": 3000,
         "pension_type": None, "file_name": "hr.csv", "_row": 12},
        {"person_id": "P2", "monthly_pension": 900, "pension_type": "职工基本养老保险",
         "file_name": "hr.csv", "_row": 13},
    ])  # fmt: skip


def test_members_head_first_with_contacts_relation_and_hr(models: Models) -> None:
    given(models)
    got = models.query(MODEL, household_key="F1")
    assert got.select("person_id", "name", "phone", "relation", "is_head", "alive",
                      "monthly_wage", "monthly_pension", "hr_row").rows() == [
        ("P1", "张伟", "13800000000", "本人", True, True, 3000, None, 12),
        ("P2", None, None, None, False, False, None, 900, 13),
        ("P3", "张小明", None, "子女", False, True, None, None, None),
    ]  # fmt: skip
    assert models.query(MODEL, household_key="F9")["person_id"].to_list() == ["P9"]
