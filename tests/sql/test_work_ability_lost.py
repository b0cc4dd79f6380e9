"""sql/40_score/work_ability_lost.sql: WORK_ABILITY_LOST (plan §二(一) 脱贫人口 丧失劳动能力): a
member of working age of a rural-source household not on 低保/特困, severely disabled or with a
重大疾病 diagnosis in the window (SEVERE_DISABILITY / MAJOR_ILLNESS of person_signals)."""

from __future__ import annotations

from typing import Any

import pytest

from .harness import Models, rows

MODEL = "40_score/work_ability_lost.sql"


def household(key: str, membership: str = "rural", category: str | None = None,
              status: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "household_key": key, "kind": "在册对象" if membership == "roster" else "主动发现",
        "membership": membership, "size": 1, "living_size": 1, "head_id": f"{key}-1",
        "county": "341122", "township": "来安镇", "category": category, "urban_rural": "农村",
        "status": status, "green_channel": False, "exit_months": 3, "exited_long_ago": False,
    }  # fmt: skip


def member(key: str, age: int = 40, sex: str = "M", alive: bool = True) -> dict[str, Any]:
    return {"household_key": key, "person_id": f"{key}-1", "membership": "rural", "age": age,
            "sex": sex, "alive": alive, "death_date": None if alive else "2026-10-01"}  # fmt: skip


def rural_row(person: str, row: int, kind: str | None = "脱贫户") -> dict[str, Any]:
    return {"household_no": person.split("-")[0], "person_id": person, "household_type": kind,
            "file_hash": "x", "_row": row, "source": "rural", "file_name": "监测户.xlsx",
            "id_status": "valid", "record_hash": f"x{row}"}  # fmt: skip


def condition(person: str, code: str = "SEVERE_DISABILITY", row: int = 1) -> dict[str, Any]:
    detail = {
        "SEVERE_DISABILITY": "持残疾人证：肢体残疾一级（一、二级或三级智力/精神残疾为重度）",
        "MAJOR_ILLNESS": "近12个月内有重大疾病诊断（肺癌，2026-08-01）",
    }[code]
    return {"person_id": person, "code": code, "tier": "orange", "event_date": "2026-08-01",
            "source": "disability" if code == "SEVERE_DISABILITY" else "health",
            "file_hash": "e", "_row": row, "file_name": "e.xlsx", "detail": detail}  # fmt: skip


def given(
    models: Models,
    households: list[dict[str, Any]],
    members: list[dict[str, Any]],
    signals: list[dict[str, Any]],
    rural: list[dict[str, Any]] | None = None,
) -> None:
    models.given("households_routed", households)
    models.given("member_facts", members)
    models.given("person_signals", signals)
    if rural is None:
        rural = [rural_row(m["person_id"], i) for i, m in enumerate(members)]
    models.given("linked_rural", rural)


def found(models: Models) -> list[tuple[Any, ...]]:
    return rows(models.run(MODEL), "household_key", "person_id", "code", "tier")


def test_output_columns_are_the_signal_shape(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "household_key", "person_id", "code", "tier", "amount", "event_date", "source",
        "file_hash", "file_name", "_row", "detail",
    ]  # fmt: skip


def test_a_severely_disabled_member_of_a_rural_household_with_the_card_as_evidence(
    models: Models,
) -> None:
    given(models, [household("XC:1")], [member("XC:1", 45)], [condition("XC:1-1", row=5)])
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "code", "tier", "source", "_row", "event_date") == [
        ("XC:1", "WORK_ABILITY_LOST", "orange", "disability", 5, "2026-08-01")
    ]
    assert frame["detail"].to_list() == [
        "劳动年龄内（45岁），持残疾人证：肢体残疾一级（一、二级或三级智力/精神残疾为重度），"
        "可能完全或部分丧失劳动能力；该户为脱贫户，未纳入低保、特困"
    ]


def test_a_major_illness_and_a_card_are_two_evidence_records(models: Models) -> None:
    given(
        models,
        [household("XC:1")],
        [member("XC:1")],
        [condition("XC:1-1", row=1), condition("XC:1-1", "MAJOR_ILLNESS", row=2)],
    )
    frame = models.run(MODEL)
    assert rows(frame, "source", "_row") == [("disability", 1), ("health", 2)]


@pytest.mark.parametrize(
    ("age", "sex", "fires"),
    [
        (15, "M", False),
        (16, "M", True),  # min_working_age
        (59, "M", True),
        (60, "M", False),  # retirement age of men
        (54, "F", True),
        (55, "F", False),  # retirement age of women
    ],
)
def test_working_age_from_16_to_the_retirement_age(
    models: Models, age: int, sex: str, fires: bool
) -> None:
    given(models, [household("XC:1")], [member("XC:1", age, sex)], [condition("XC:1-1")])
    assert bool(found(models)) is fires


@pytest.mark.parametrize(
    ("membership", "category", "status", "fires"),
    [
        ("rural", None, None, True),
        ("roster", "低保边缘", "在保", True),  # on the roster, not on 低保/特困
        ("roster", "刚性支出困难", "在保", True),
        ("roster", "低保", "退出", True),  # left 低保
        ("roster", "低保", "在保", False),  # already on 低保
        ("roster", "低保", "渐退", False),
        ("roster", "特困", "在保", False),
        ("roster", "特困", "渐退", False),
    ],
)
def test_only_households_not_on_dibao_or_tekun(
    models: Models, membership: str, category: str | None, status: str | None, fires: bool
) -> None:
    given(models, [household("H", membership, category, status)], [member("H")], [condition("H-1")])
    assert bool(found(models)) is fires


def test_only_rural_source_households(models: Models) -> None:
    # the roster household has a member in the rural source (a spouse): it is a rural-source
    # household; the other roster household and the 主动发现 one have nobody there
    given(
        models,
        [household("R1", "roster", "低保边缘", "在保"), household("R2", "roster", "低保边缘", "在保"),
         household("GR:1", "other")],
        [member("R1"), {**member("R1"), "person_id": "R1-2"}, member("R2"), member("GR:1")],
        [condition("R1-1"), condition("R2-1"), condition("GR:1-1")],
        rural=[rural_row("R1-2", 1, "监测户")],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "person_id") == [("R1", "R1-1")]
    assert "该户为监测户" in frame["detail"].item()


def test_not_for_a_member_who_died_nor_for_other_signals(models: Models) -> None:
    given(
        models,
        [household("XC:1"), household("XC:2")],
        [member("XC:1", alive=False), member("XC:2")],
        [condition("XC:1-1"), {**condition("XC:2-1"), "code": "HOUSING_UNSAFE"}],
    )
    assert found(models) == []


def _chain(models: Models, **records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The records -> person_signals -> WORK_ABILITY_LOST (one definition of each condition)."""
    given(models, [household("XC:1")], [member("XC:1")], [])
    for table, values in records.items():
        models.given(table, [{"file_hash": "e", "source": table.removeprefix("linked_"),
                              "file_name": "e.xlsx", "id_status": "valid", "person_id": "XC:1-1",
                              "record_hash": f"e{v['_row']}"} | v for v in values])  # fmt: skip
    models.run("40_score/person_signals.sql")
    return found(models)


@pytest.mark.parametrize(
    ("visit", "fires"),
    [("2025-11-15", False), ("2025-11-16", True), ("2026-11-15", True), ("2026-11-16", False)],
)
def test_a_major_illness_diagnosis_in_the_last_12_months(
    models: Models, visit: str, fires: bool
) -> None:
    # as of 2026-11-15: 2025-11-15 is 12 months ago (outside), 2026-11-16 is in the future
    got = _chain(
        models,
        linked_health=[
            {"_row": 1, "diagnosis_class": "重大疾病", "disease": "肺癌", "visit_date": visit}
        ],
    )
    assert bool(got) is fires


@pytest.mark.parametrize(
    ("grade", "category", "fires"),
    [
        ("二级", "肢体", True),
        ("三级", "精神", True),
        ("三级", "智力", True),
        ("三级", "肢体", False),
    ],
)
def test_a_severe_disability_grade_1_2_or_3_mental(
    models: Models, grade: str, category: str, fires: bool
) -> None:
    got = _chain(
        models,
        linked_disability=[{"_row": 1, "disability_grade": grade, "disability_category": category}],
    )
    assert bool(got) is fires
