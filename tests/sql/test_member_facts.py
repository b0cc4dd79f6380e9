"""sql/40_score/member_facts.sql: birth date, sex and age from the ID; death on or before as-of."""

from __future__ import annotations

import datetime as dt

import pytest

from .harness import Models, rows

MODEL = "40_score/member_facts.sql"
# 17th digit odd: male; even: female
BORN_1990_12_15 = "341102199012150011"
BORN_1990_11_15 = "341102199011150020"
BORN_1990_11_16 = "341102199011160038"
BORN_2000_02_29 = "34110220000229004X"


def members(models: Models, *people: str) -> None:
    models.given(
        "household_members",
        [{"person_id": p, "household_key": "F1", "membership": "roster"} for p in people],
    )


def death(person: str | None, date: str | None, row: int = 1) -> dict[str, object]:
    return {"file_hash": "h", "_row": row, "person_id": person, "death_date": date,
            "diagnosis_class": "一般", "source": "health", "file_name": "health.csv"}  # fmt: skip


def test_age_in_whole_years_completed_on_the_as_of_date(models: Models) -> None:
    """On 2026-11-15: born 1990-12-15 is 35, born 1990-11-15 is 36 (the birthday), 11-16 is 35."""
    members(models, BORN_1990_12_15, BORN_1990_11_15, BORN_1990_11_16)
    assert rows(models.run(MODEL), "person_id", "birth_date", "age") == [
        (BORN_1990_11_15, "1990-11-15", 36),
        (BORN_1990_11_16, "1990-11-16", 35),
        (BORN_1990_12_15, "1990-12-15", 35),
    ]


@pytest.mark.parametrize(
    ("as_of", "age"),
    [
        (dt.date(2026, 2, 27), 25),
        (dt.date(2026, 2, 28), 25),  # no 29 February in 2026: the anniversary is 1 March
        (dt.date(2026, 3, 1), 26),
        (dt.date(2028, 2, 28), 27),
        (dt.date(2028, 2, 29), 28),
    ],
)
def test_born_on_29_february(models: Models, as_of: dt.date, age: int) -> None:
    members(models, BORN_2000_02_29)
    assert rows(models.run(MODEL, as_of=as_of), "birth_date", "age") == [("2000-02-29", age)]


def test_sex_from_the_17th_digit(models: Models) -> None:
    members(models, BORN_1990_12_15, BORN_1990_11_15, BORN_2000_02_29)
    assert rows(models.run(MODEL), "person_id", "sex") == [
        (BORN_1990_11_15, "F"),
        (BORN_1990_12_15, "M"),
        (BORN_2000_02_29, "F"),  # the check digit X is the 18th, not the 17th
    ]


def test_death_on_or_before_the_as_of_date_only(models: Models) -> None:
    members(models, BORN_1990_12_15, BORN_1990_11_15, BORN_1990_11_16, BORN_2000_02_29)
    models.given(
        "linked_health",
        [
            death(BORN_1990_12_15, "2026-11-15", 1),  # on the as-of date: deceased
            death(BORN_1990_11_15, "2026-11-16", 2),  # after it: alive as of the run
            death(BORN_1990_11_16, None, 3),  # a visit without a death
            death(BORN_2000_02_29, "2026-11-01", 4),
            death(BORN_2000_02_29, "2026-10-01", 5),  # two records: the earlier date
            death(None, "2026-10-01", 6),  # linked to nobody
        ],
    )
    assert rows(models.run(MODEL), "person_id", "death_date", "alive") == [
        (BORN_1990_11_15, None, True),
        (BORN_1990_11_16, None, True),
        (BORN_1990_12_15, "2026-11-15", False),
        (BORN_2000_02_29, "2026-10-01", False),
    ]


def test_a_later_run_sees_the_death(models: Models) -> None:
    members(models, BORN_1990_11_15)
    models.given("linked_health", [death(BORN_1990_11_15, "2026-11-16")])
    assert rows(models.run(MODEL, as_of=dt.date(2026, 11, 16)), "death_date", "alive") == [
        ("2026-11-16", False)
    ]


def test_one_row_per_member_with_household_and_membership(models: Models) -> None:
    models.given(
        "household_members",
        [{"person_id": BORN_1990_12_15, "household_key": "XC:H1", "membership": "rural"},
         {"person_id": BORN_1990_11_15, "household_key": "GR:0123456789abcdef", "membership": "other"}],
    )  # fmt: skip
    models.given(
        "linked_health", [death(BORN_1990_12_15, "2026-01-01", 1), death(BORN_1990_12_15, None, 2)]
    )
    frame = models.run(MODEL)
    assert rows(frame, "person_id", "household_key", "membership") == [
        (BORN_1990_11_15, "GR:0123456789abcdef", "other"),
        (BORN_1990_12_15, "XC:H1", "rural"),
    ]
    assert frame.columns == [
        "household_key", "person_id", "membership", "birth_date", "sex", "age", "death_date",
        "alive",
    ]  # fmt: skip
