"""sql/80_analyst/explain_household.sql: one household as the latest scoring saw it, with the
income household_income computed, its county's name and its warning (when it has one)."""

from __future__ import annotations

from .harness import Models

MODEL = "80_analyst/explain_household.sql"


def given(models: Models) -> None:
    models.given("households_routed", [
        {"household_key": "F1", "kind": "在册对象", "membership": "roster", "size": 3,
         "living_size": 2, "head_id": "P1", "county": "341102", "township": "琅琊街道",
         "category": "低保", "status": "在保", "roster_monthly_income": 1200,
         "green_channel": True, "exit_months": 3, "exited_long_ago": False},
        {"household_key": "F2", "kind": "主动发现", "membership": "other", "size": 1,
         "living_size": 1, "head_id": "P9", "county": "341122", "township": "待分派"},
    ])  # fmt: skip
    models.given("household_income", [
        {"household_key": "F1", "size": 2, "recorded_income": 1200, "hr_income": 900,
         "standard": 800, "oop_window": 1200, "income": 1200, "medical_expenditure": 100,
         "schooling_expenditure": 0, "rigid_expenditure": 100, "annual_income": 14400,
         "per_capita": 550},
    ])  # fmt: skip
    models.given("warnings_current", [
        {"household_key": "F1", "tier": "red", "score": 21.5, "codes": "DROPOUT;UNEMPLOYED",
         "code_tiers": "DROPOUT=1;UNEMPLOYED=3", "explanation": "【红色】学生辍学：…。",
         "no_member_left": False},
        {"household_key": "F2", "tier": "yellow", "score": 1.0, "codes": "UNEMPLOYED"},
    ])  # fmt: skip
    models.given("city_counties", [
        {"code": "341102", "county": "341102", "name": "琅琊区"},
        {"code": "341101", "county": "341102", "name": "琅琊区"},  # a former code, same county
    ])  # fmt: skip


def test_the_household_its_income_and_its_warning(models: Models) -> None:
    given(models)
    got = models.query(MODEL, household_key="F1").to_dicts()
    assert len(got) == 1
    row = got[0]
    assert (row["household_key"], row["county_name"], row["size"], row["living_size"]) == (
        "F1", "琅琊区", 3, 2)  # fmt: skip
    assert (row["income_size"], row["recorded_income"], row["hr_income"], row["income"],
            row["rigid_expenditure"], row["per_capita"], row["standard"]) == (
        2, 1200, 900, 1200, 100, 550, 800)  # fmt: skip
    assert (row["warned"], row["tier"], row["codes"], row["code_tiers"]) == (
        True, "red", "DROPOUT;UNEMPLOYED", "DROPOUT=1;UNEMPLOYED=3")  # fmt: skip
    assert (row["medical_expenditure"], row["schooling_expenditure"]) == (100, 0)


def test_a_household_without_income_or_county_name_and_an_unknown_key(models: Models) -> None:
    given(models)
    row = models.query(MODEL, household_key="F2").row(0, named=True)
    assert row["income"] is None and row["county_name"] is None and row["warned"] is True
    assert models.query(MODEL, household_key="NOPE").height == 0


def test_a_household_not_warned(models: Models) -> None:
    given(models)
    models.given("warnings_current", [])
    row = models.query(MODEL, household_key="F1").row(0, named=True)
    assert row["warned"] is False and row["tier"] is None and row["explanation"] is None
