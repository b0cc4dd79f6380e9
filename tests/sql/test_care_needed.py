"""sql/40_score/care_needed.sql: CARE_NEEDED (plan §二(七) 访视、照料): a living member of a roster
特困/低保 household (在保 or 渐退) living alone aged care_age+ or severely disabled (yellow), or a
minor whose household has no living member aged adult_age+ (orange)."""

from __future__ import annotations

from typing import Any

import pytest

from .harness import Models, rows

MODEL = "40_score/care_needed.sql"


def household(key: str, size: int = 1, living: int | None = None, category: str = "低保",
              status: str = "在保", membership: str = "roster") -> dict[str, Any]:  # fmt: skip
    return {
        "household_key": key, "kind": "在册对象", "membership": membership, "size": size,
        "living_size": size if living is None else living, "head_id": f"{key}-1",
        "county": "341102", "township": "琅琊街道", "category": category, "urban_rural": "城市",
        "status": status, "green_channel": False, "exit_months": 3, "exited_long_ago": False,
    }  # fmt: skip


def member(key: str, n: int, age: int, alive: bool = True) -> dict[str, Any]:
    return {"household_key": key, "person_id": f"{key}-{n}", "membership": "roster",
            "age": age, "sex": "F", "alive": alive,
            "death_date": None if alive else "2026-10-01"}  # fmt: skip


def roster_row(person: str, row: int) -> dict[str, Any]:
    return {"household_no": person.split("-")[0], "person_id": person, "relation": "本人",
            "file_hash": "r", "_row": row, "source": "roster", "file_name": "低收入人口.xlsx",
            "id_status": "valid", "record_hash": f"r{row}"}  # fmt: skip


def severe(person: str, row: int) -> dict[str, Any]:
    """A SEVERE_DISABILITY row of person_signals (its definition lives there)."""
    return {"person_id": person, "code": "SEVERE_DISABILITY", "tier": "orange",
            "event_date": "2015-03-01", "source": "disability", "file_hash": "d", "_row": row,
            "file_name": "残联.xlsx",
            "detail": "持残疾人证：肢体残疾二级（一、二级或三级智力/精神残疾为重度）"}  # fmt: skip


def given(
    models: Models,
    households: list[dict[str, Any]],
    members: list[dict[str, Any]],
    signals: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> None:
    models.given("households_routed", households)
    models.given("member_facts", members)
    models.given("person_signals", list(signals))
    models.given("linked_roster", [roster_row(m["person_id"], i) for i, m in enumerate(members)])


def found(models: Models, **overrides: Any) -> list[tuple[Any, ...]]:
    return rows(models.run(MODEL, **overrides), "household_key", "person_id", "tier")


def test_output_columns_are_the_signal_shape(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "household_key", "person_id", "code", "tier", "amount", "event_date", "source",
        "file_hash", "file_name", "_row", "detail",
    ]  # fmt: skip


# ---- living alone, aged care_age or more


def test_alone_at_80_but_not_at_79(models: Models) -> None:
    given(
        models,
        [household("A80"), household("A79")],
        [member("A80", 1, 80), member("A79", 1, 79)],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "person_id", "code", "tier", "source", "_row") == [
        ("A80", "A80-1", "CARE_NEEDED", "yellow", "roster", 0)
    ]
    assert frame["detail"].to_list() == [
        "独居（户内无其他在世成员），年龄80岁（80岁及以上），需上门访视、照料；该户为低保对象"
    ]


def test_the_age_is_the_policys_care_age(models: Models) -> None:
    given(
        models, [household("A80"), household("A85")], [member("A80", 1, 80), member("A85", 1, 85)]
    )
    assert found(models, care_age=85) == [("A85", "A85-1", "yellow")]


@pytest.mark.parametrize(
    ("category", "status", "membership", "fires"),
    [
        ("低保", "在保", "roster", True),
        ("低保", "渐退", "roster", True),
        ("特困", "在保", "roster", True),
        ("特困", "渐退", "roster", True),
        ("低保", "退出", "roster", False),  # left assistance
        ("特困", "退出", "roster", False),
        ("低保边缘", "在保", "roster", False),
        ("刚性支出困难", "在保", "roster", False),
        ("临时救助", "在保", "roster", False),
        (None, None, "rural", False),  # not on the roster
        (None, None, "other", False),
    ],
)
def test_only_for_roster_tekun_and_dibao_households_in_the_scheme(
    models: Models, category: str | None, status: str | None, membership: str, fires: bool
) -> None:
    given(
        models,
        [household("H", category=category, status=status, membership=membership)],  # type: ignore[arg-type]
        [member("H", 1, 85)],
    )
    assert bool(found(models)) is fires


def test_alone_means_no_other_living_member(models: Models) -> None:
    given(
        models,
        [
            household("SPOUSE", 2),  # an 85-year-old living with a spouse
            household("WIDOW", 2, living=1),  # the spouse died
            household("UNKNOWN", 2),  # a second roster row whose person is not identified
        ],
        [
            member("SPOUSE", 1, 85), member("SPOUSE", 2, 83),
            member("WIDOW", 1, 85), member("WIDOW", 2, 86, alive=False),
            member("UNKNOWN", 1, 85),
        ],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "person_id", "tier") == [("WIDOW", "WIDOW-1", "yellow")]


def test_a_member_who_died_needs_no_care(models: Models) -> None:
    given(models, [household("D", 1, living=0)], [member("D", 1, 90, alive=False)])
    assert found(models) == []


# ---- living alone, severely disabled (SEVERE_DISABILITY)


def test_alone_and_severely_disabled_at_any_age_with_the_card_as_evidence(models: Models) -> None:
    given(
        models,
        [household("S"), household("N"), household("F", 2)],
        [member("S", 1, 40), member("N", 1, 40), member("F", 1, 40), member("F", 2, 42)],
        [severe("S-1", 7), severe("F-1", 8)],  # F: severely disabled but not alone
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "tier", "source", "_row", "event_date") == [
        ("S", "yellow", "disability", 7, "2015-03-01")
    ]
    assert frame["detail"].to_list() == [
        "独居（户内无其他在世成员），持残疾人证：肢体残疾二级（一、二级或三级智力/精神残疾为重度），"
        "需上门访视、照料；该户为低保对象"
    ]


@pytest.mark.parametrize(
    ("grade", "category", "fires"),
    [
        ("二级", "肢体", True),
        ("一级", "视力", True),
        ("三级", "智力", True),
        ("三级", "精神", True),
        ("三级", "肢体", False),
        ("四级", "智力", False),
    ],
)
def test_severe_disability_as_person_signals_defines_it(
    models: Models, grade: str, category: str, fires: bool
) -> None:
    # the whole chain: the card -> SEVERE_DISABILITY (person_signals) -> CARE_NEEDED
    given(models, [household("S")], [member("S", 1, 45)])
    models.given(
        "linked_disability",
        [{"file_hash": "d", "_row": 1, "person_id": "S-1", "source": "disability",
          "file_name": "残联.xlsx", "id_status": "valid", "record_hash": "d1",
          "disability_grade": grade, "disability_category": category}],
    )  # fmt: skip
    models.run("40_score/person_signals.sql")
    assert bool(found(models)) is fires


# ---- a minor without an adult


def test_a_minor_whose_household_has_no_living_adult(models: Models) -> None:
    given(
        models,
        [
            household("ORPHANS", 4, living=2, category="特困"),  # both parents died
            household("WITH18", 2),  # an 18-year-old sibling is an adult
            household("WITH17", 2, living=2),  # two minors only, nobody died
            household("UNKNOWN", 2),  # a roster row not identified: maybe the adult
        ],
        [
            member("ORPHANS", 1, 45, alive=False), member("ORPHANS", 2, 44, alive=False),
            member("ORPHANS", 3, 12), member("ORPHANS", 4, 17),
            member("WITH18", 1, 18), member("WITH18", 2, 9),
            member("WITH17", 1, 17), member("WITH17", 2, 9),
            member("UNKNOWN", 1, 9),
        ],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "person_id", "tier", "source") == [
        ("ORPHANS", "ORPHANS-3", "orange", "roster"),
        ("ORPHANS", "ORPHANS-4", "orange", "roster"),
        ("WITH17", "WITH17-1", "orange", "roster"),
        ("WITH17", "WITH17-2", "orange", "roster"),
    ]
    assert (
        "未成年人（12岁），家中无18岁及以上在世成员（户内 4 人，其中 2 人已故），需核查是否事实无人抚养；"
        "该户为特困对象"
    ) in frame["detail"].to_list()


def test_the_adult_age_is_the_policys(models: Models) -> None:
    given(models, [household("M", 2)], [member("M", 1, 17), member("M", 2, 9)])
    assert found(models, adult_age=17) == []


def test_a_minor_only_in_a_household_in_the_scheme(models: Models) -> None:
    given(
        models,
        [household("E", 1, category="低保边缘"), household("X", 1, status="退出")],
        [member("E", 1, 12), member("X", 1, 12)],
    )
    assert found(models) == []


def test_a_severely_disabled_minor_alone_is_one_orange_row(models: Models) -> None:
    given(models, [household("M")], [member("M", 1, 15)], [severe("M-1", 3)])
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "tier", "source") == [("M", "orange", "roster")]
