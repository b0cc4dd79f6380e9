"""sql/40_score/benefit_check.sql: BENEFIT_CHECK (plan §二(二) 足额发放): a 低保 household (在保)
whose 补差 (standard x living members - household income, before the rigid-expenditure
deduction) is above 0 and whose 月保障金额 is blank, 0, or short of it by more than
benefit_tolerance x 补差."""

from __future__ import annotations

from typing import Any

import pytest

from .harness import Models, rows

MODEL = "40_score/benefit_check.sql"


def household(key: str, benefit: float | None, category: str = "低保", status: str = "在保",
              membership: str = "roster") -> dict[str, Any]:  # fmt: skip
    return {
        "household_key": key, "kind": "在册对象", "membership": membership, "size": 2,
        "living_size": 2, "head_id": f"{key}-1", "county": "341102", "township": "琅琊街道",
        "category": category, "urban_rural": "城市", "status": status, "monthly_benefit": benefit,
        "green_channel": False, "exit_months": 3, "exited_long_ago": False,
    }  # fmt: skip


def income(key: str, income: float | None, size: int = 2, standard: float = 800,
           rigid: float = 0) -> dict[str, Any]:  # fmt: skip
    per_capita = None if income is None else (income - rigid) / size
    return {"household_key": key, "size": size, "recorded_income": income, "hr_income": None,
            "standard": standard, "oop_window": 12 * rigid, "schooling_expenditure": 0,
            "income": income, "medical_expenditure": rigid, "rigid_expenditure": rigid,
            "annual_income": None if income is None else 12 * income,
            "per_capita": per_capita}  # fmt: skip


def given(models: Models, pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    models.given("households_routed", [h for h, _ in pairs])
    models.given("household_income", [i for _, i in pairs])
    models.given(
        "linked_roster",
        [{"household_no": h["household_key"], "person_id": h["head_id"], "relation": "本人",
          "file_hash": "r", "_row": n, "source": "roster", "file_name": "低收入人口.xlsx",
          "id_status": "valid", "record_hash": f"r{n}"} for n, (h, _) in enumerate(pairs, 1)],
    )  # fmt: skip


def found(models: Models, **overrides: Any) -> list[tuple[Any, ...]]:
    return rows(models.run(MODEL, **overrides), "household_key", "code", "tier", "amount")


def test_output_columns_are_the_signal_shape(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "household_key", "person_id", "code", "tier", "amount", "event_date", "source",
        "file_hash", "file_name", "_row", "detail",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("benefit", "fires"),
    [
        (None, True),  # blank
        (0, True),
        (899.99, True),  # short by 100.01 > 10 % of 1,000
        (900, False),  # short by exactly 10 %: within the tolerance
        (950, False),
        (1000, False),  # paid in full
        (1200, False),  # more than 补差
    ],
)
def test_benefit_against_the_gap_of_1000_with_a_10_percent_tolerance(
    models: Models, benefit: float | None, fires: bool
) -> None:
    # 补差 = 800 x 2 - 600 = 1,000
    given(models, [(household("B", benefit), income("B", 600))])
    got = found(models)
    assert bool(got) is fires
    if fires:
        assert got == [("B", "BENEFIT_CHECK", "review", round(1000.0 - (benefit or 0), 2))]


def test_the_tolerance_is_the_policys(models: Models) -> None:
    given(models, [(household("B", 850), income("B", 600))])
    assert found(models) != []
    assert found(models, benefit_tolerance=0.2) == []


def test_no_gap_no_signal_even_with_a_blank_benefit(models: Models) -> None:
    given(
        models,
        [
            (household("ZERO", None), income("ZERO", 1600)),  # 800 x 2 - 1,600 = 0
            (household("NEG", None), income("NEG", 1700)),
            (household("UNKNOWN", None), income("UNKNOWN", None)),  # no rule on unknown income
            (household("ONE", None), income("ONE", 1599)),  # 补差 1: above 0
        ],
    )
    assert found(models) == [("ONE", "BENEFIT_CHECK", "review", 1.0)]


def test_the_gap_is_before_the_rigid_expenditure_deduction_over_living_members(
    models: Models,
) -> None:
    # 3 members, 1 died (household_income's size is the living size): 补差 = 750 x 2 - 700 =
    # 800; the medical costs (500 a month) do not enlarge it. 700 of 800 is short by 12.5 %.
    given(models, [(household("R", 700), income("R", 700, size=2, standard=750, rigid=500))])
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "person_id", "amount", "source", "_row") == [
        ("R", "R-1", 100.0, "roster", 1)
    ]
    assert frame["detail"].to_list() == [
        "月保障金额 700 元，应补差额 800 元（低保标准 750 元 × 2 人 − 家庭月收入 700 元），"
        "少 100 元，超过补差额的 10%，需核查是否足额发放"
    ]


def test_blank_and_zero_are_said(models: Models) -> None:
    given(
        models, [(household("A", None), income("A", 600)), (household("B", 0), income("B", 1000))]
    )
    assert sorted(models.run(MODEL)["detail"].to_list()) == [
        "月保障金额为 0 元，应补差额 600 元（低保标准 800 元 × 2 人 − 家庭月收入 1,000 元），需核查是否足额发放",
        "月保障金额未填，应补差额 1,000 元（低保标准 800 元 × 2 人 − 家庭月收入 600 元），需核查是否足额发放",
    ]


@pytest.mark.parametrize(
    ("category", "status", "membership"),
    [
        ("低保", "渐退", "roster"),  # 在保 only
        ("低保", "退出", "roster"),
        ("特困", "在保", "roster"),  # 特困 is not paid a 补差
        ("低保边缘", "在保", "roster"),
        ("低保", "在保", "rural"),
    ],
)
def test_only_dibao_households_in_payment(
    models: Models, category: str, status: str, membership: str
) -> None:
    given(models, [(household("B", None, category, status, membership), income("B", 600))])
    assert found(models) == []
