"""sql/40_score/household_income.sql: recorded and HR income, the larger of the two, rigid
expenditure and per-capita income over the living members (policy.md "Household income")."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from .harness import Models, rows

MODEL = "40_score/household_income.sql"


def household(
    key: str, size: int = 1, living: int | None = None, **values: object
) -> dict[str, object]:
    base: dict[str, object] = {
        "household_key": key, "kind": "在册对象", "membership": "roster", "size": size,
        "living_size": size if living is None else living, "head_id": f"{key}-1",
        "county": "341102", "township": "琅琊街道", "category": "低保", "urban_rural": "城市",
        "status": "在保", "green_channel": False, "exit_months": 3, "exited_long_ago": False,
    }  # fmt: skip
    return base | values


def member(key: str, n: int = 1, alive: bool = True) -> dict[str, object]:
    return {"household_key": key, "person_id": f"{key}-{n}", "membership": "roster", "age": 40,
            "alive": alive, "death_date": None if alive else "2026-10-01"}  # fmt: skip


def hr(person: str, wage: float | None = None, pension: float | None = None,
       kind: str | None = None, row: int = 1) -> dict[str, object]:  # fmt: skip
    return {"file_hash": "h", "_row": row, "person_id": person, "employment_status": "就业",
            "monthly_wage": wage, "monthly_pension": pension, "pension_type": kind,
            "source": "hr", "file_name": "hr.xlsx", "township": "琅琊街道"}  # fmt: skip


def settlement(person: str, oop: float, row: int) -> dict[str, object]:
    return {"person_id": person, "record_hash": f"k{row}", "file_hash": "m", "_row": row,
            "settlement_date": "2026-10-01", "care_type": "住院", "oop": oop,
            "source": "medical_insurance", "file_name": "医保.csv"}  # fmt: skip


def school(person: str, stage: str, status: str = "在读", row: int = 1) -> dict[str, object]:
    """A schooling row (the latest school year of a living member: schooling.sql)."""
    return {"household_key": person.split("-")[0], "person_id": person, "file_hash": "e",
            "_row": row, "stage": stage, "enrolment_status": status, "school_year": 2026,
            "effective_year": 2026, "year_blank": False, "source": "education"}  # fmt: skip


def given(
    models: Models,
    households: Sequence[dict[str, object]],
    members: Sequence[dict[str, object]] = (),
    hr_rows: Sequence[dict[str, object]] = (),
    settlements: Sequence[dict[str, object]] = (),
    schooling: Sequence[dict[str, object]] = (),
) -> None:
    models.given("households_routed", households)
    models.given("member_facts", members)
    models.given("hr_current", hr_rows)
    models.given("settlements", settlements)
    models.given("schooling", schooling)


# --- a member's HR income


@pytest.mark.parametrize(
    ("wage", "pension", "kind", "income"),
    [
        (2500, None, None, 2000.0),  # 20 % employment cost
        (1000, None, None, 800.0),
        (None, 900, "职工基本养老保险", 900.0),  # in full
        (None, 900, "城乡居民基本养老保险", 757.0),  # above the 143 basic pension only
        (None, 143, "城乡居民基本养老保险", 0.0),
        (None, 100, "城乡居民基本养老保险", 0.0),  # never negative
        (None, 144, "城乡居民基本养老保险", 1.0),
        (1000, 200, "城乡居民基本养老保险", 857.0),
        (1000, 1200, "职工基本养老保险", 2000.0),
        (0, None, None, 0.0),  # a known zero wage is a known zero income
    ],
)
def test_member_income_from_wage_and_pension(
    models: Models, wage: float | None, pension: float | None, kind: str | None, income: float
) -> None:
    given(models, [household("F1")], [member("F1")], [hr("F1-1", wage, pension, kind)])
    assert rows(models.run(MODEL), "hr_income", "income") == [(income, income)]


def test_employment_cost_and_pension_excluded_are_the_policys(models: Models) -> None:
    given(
        models,
        [household("F1")],
        [member("F1")],
        [hr("F1-1", 1000, 300, "城乡居民基本养老保险")],
    )
    frame = models.run(MODEL, employment_cost_deduction=0.5, basic_pension_excluded=200)
    assert rows(frame, "hr_income") == [(600.0,)]


def test_hr_income_sums_the_living_members_a_member_without_hr_adds_nothing(
    models: Models,
) -> None:
    given(
        models,
        [household("F1", 4, 3)],
        [member("F1", 1), member("F1", 2), member("F1", 3), member("F1", 4, alive=False)],
        [hr("F1-1", 1500, row=1), hr("F1-2", None, 900, "职工基本养老保险", row=2),
         hr("F1-4", 5000, row=4)],  # the deceased member earns nothing
    )  # fmt: skip
    assert rows(models.run(MODEL), "size", "hr_income") == [(3, 2100.0)]


def test_an_hr_record_without_wage_or_pension_is_unknown_not_zero(models: Models) -> None:
    given(
        models,
        [household("F1", 2), household("F2", 2)],
        [member("F1", 1), member("F1", 2), member("F2", 1), member("F2", 2)],
        [hr("F1-1", row=1), hr("F1-2", row=2), hr("F2-1", row=3), hr("F2-2", 1000, row=4)],
    )
    assert rows(models.run(MODEL), "household_key", "hr_income", "income") == [
        ("F1", None, None),
        ("F2", 800.0, 800.0),
    ]


# --- recorded income and the household's income


def test_recorded_income_of_the_roster_or_of_a_rural_household(models: Models) -> None:
    """Rural: 家庭人均纯收入 9,000 a year / 12 x 2 living members (of 3) = 1,500 a month."""
    given(
        models,
        [
            household("F1", roster_monthly_income=1200),
            household("XC:H1", 3, 2, kind="主动发现", membership="rural", category=None,
                      status=None, urban_rural="农村", rural_income_year=9000),
            household("XC:H2", 2, kind="主动发现", membership="rural", category=None,
                      status=None, urban_rural="农村", rural_income_year=None),
            household("GR:x", kind="主动发现", membership="other", category=None, status=None,
                      urban_rural=None),
        ],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "size", "recorded_income", "income") == [
        ("F1", 1, 1200.0, 1200.0),
        ("GR:x", 1, None, None),
        ("XC:H1", 2, 1500.0, 1500.0),
        ("XC:H2", 2, None, None),
    ]


@pytest.mark.parametrize(
    ("recorded", "wage", "income"),
    [
        (1000, 2500, 2000.0),  # HR larger
        (3000, 2500, 3000.0),  # recorded larger
        (1000, None, 1000.0),  # recorded only
        (None, 2500, 2000.0),  # HR only
        (None, None, None),  # neither: unknown
        (0, None, 0.0),  # a known 0 is 0
        (None, 0, 0.0),
        (0, 0, 0.0),
    ],
)
def test_income_is_the_larger_of_recorded_and_hr_income_where_either_exists(
    models: Models, recorded: float | None, wage: float | None, income: float | None
) -> None:
    given(
        models,
        [household("F1", roster_monthly_income=recorded)],
        [member("F1")],
        [] if wage is None else [hr("F1-1", wage)],
    )
    frame = models.run(MODEL)
    annual = None if income is None else 12 * income
    per_capita = income  # one member, no medical costs
    assert rows(frame, "income", "annual_income", "per_capita") == [(income, annual, per_capita)]


# --- rigid expenditure and per-capita income


def test_rigid_expenditure_is_the_windows_out_of_pocket_over_12_months(models: Models) -> None:
    """(2,400 - 4,800 / 12) / 2 = 1,000; annual income is before the deduction."""
    given(
        models,
        [household("F1", 3, 2, roster_monthly_income=2400)],
        [member("F1", 1), member("F1", 2), member("F1", 3, alive=False)],
        settlements=[settlement("F1-1", 3000, 1), settlement("F1-3", 1800, 2),  # before the death
                     settlement("X-1", 99999, 3)],  # nobody's member
    )  # fmt: skip
    assert rows(
        models.run(MODEL),
        "oop_window",
        "rigid_expenditure",
        "income",
        "annual_income",
        "per_capita",
    ) == [(4800.0, 400.0, 2400.0, 28800.0, 1000.0)]


def test_refunds_net_out_and_a_negative_sum_floors_at_zero(models: Models) -> None:
    given(
        models,
        [household("F1", roster_monthly_income=900), household("F2", roster_monthly_income=900),
         household("F3", roster_monthly_income=900)],
        [member("F1"), member("F2"), member("F3")],
        settlements=[settlement("F1-1", 3000, 1), settlement("F1-1", -1800, 2),
                     settlement("F2-1", 600, 3), settlement("F2-1", -1800, 4)],
    )  # fmt: skip
    assert rows(
        models.run(MODEL), "household_key", "oop_window", "rigid_expenditure", "per_capita"
    ) == [
        ("F1", 1200.0, 100.0, 800.0),
        ("F2", 0.0, 0.0, 900.0),
        ("F3", 0.0, 0.0, 900.0),  # no settlement
    ]


def test_medical_costs_above_the_income_give_a_negative_per_capita(models: Models) -> None:
    given(
        models,
        [household("F1", 2, roster_monthly_income=500)],
        [member("F1", 1), member("F1", 2)],
        settlements=[settlement("F1-1", 24000, 1)],
    )
    assert rows(models.run(MODEL), "rigid_expenditure", "per_capita") == [(2000.0, -750.0)]


def test_unknown_income_has_no_per_capita_even_with_medical_costs(models: Models) -> None:
    given(models, [household("F1")], [member("F1")], settlements=[settlement("F1-1", 1200, 1)])
    assert rows(
        models.run(MODEL), "income", "rigid_expenditure", "per_capita", "annual_income"
    ) == [(None, 100.0, None, None)]


def test_no_living_member_no_per_capita(models: Models) -> None:
    given(
        models,
        [household("F1", 1, 0, roster_monthly_income=300)],
        [member("F1", alive=False)],
        [hr("F1-1", 3000)],
    )
    assert rows(models.run(MODEL), "size", "income", "per_capita") == [(0, 300.0, None)]


# --- the standard


def test_the_standard_urban_800_rural_750(models: Models) -> None:
    given(
        models,
        [
            household("U", urban_rural="城市", county="341122"),
            household("R", urban_rural="农村", county="341102"),
            # without a 城乡类别: a district's code (市辖区, 01-20) is urban, a county's rural
            household("GD", urban_rural=None, county="341102", membership="other"),
            household("GC", urban_rural=None, county="341122", membership="other"),
        ],
    )
    assert rows(models.run(MODEL), "household_key", "standard") == [
        ("GC", 750.0),
        ("GD", 800.0),
        ("R", 750.0),
        ("U", 800.0),
    ]
    assert rows(
        models.run(MODEL, dibao_standard_urban=900, dibao_standard_rural=850),
        "household_key",
        "standard",
    )[0] == (
        "GC",
        850.0,
    )


def test_one_row_per_household_and_its_columns(models: Models) -> None:
    given(
        models,
        [household("F1", 2, roster_monthly_income=1000)],
        [member("F1", 1), member("F1", 2)],
        [hr("F1-1", 1500, row=1), hr("F1-2", 1500, row=2)],
        [settlement("F1-1", 1200, 1), settlement("F1-2", 1200, 2)],
    )
    frame = models.run(MODEL)
    assert frame.columns == [
        "household_key", "size", "recorded_income", "hr_income", "standard", "oop_window",
        "schooling_expenditure", "income", "medical_expenditure", "rigid_expenditure",
        "annual_income", "per_capita",
    ]  # fmt: skip
    assert rows(frame, "household_key", "hr_income", "oop_window", "income", "per_capita") == [
        ("F1", 2400.0, 2400.0, 2400.0, 1100.0)
    ]


# --- schooling as rigid expenditure (plan §二(八) 就学; schooling_cost, *local*, 0 by default)


def test_schooling_costs_nothing_by_default(models: Models) -> None:
    given(
        models,
        [household("F1", 2, roster_monthly_income=1400)],
        [member("F1", 1), member("F1", 2)],
        settlements=[settlement("F1-1", 2400, 1)],
        schooling=[school("F1-2", "高中")],
    )
    assert rows(
        models.run(MODEL), "medical_expenditure", "schooling_expenditure", "rigid_expenditure"
    ) == [(200.0, 0.0, 200.0)]


def test_schooling_is_counted_with_medical_costs_worked_example(models: Models) -> None:
    # docs/policy.md: income 1,400 for 2, medical 2,400 a year (200 a month) and a member
    # 在读 高中 at 300 a month: rigid 500, per capita (1,400 - 500) / 2 = 450 (< 800)
    given(
        models,
        [household("F1", 2, roster_monthly_income=1400)],
        [member("F1", 1), member("F1", 2)],
        settlements=[settlement("F1-1", 2400, 1)],
        schooling=[school("F1-2", "高中")],
    )
    assert rows(
        models.run(MODEL, schooling_cost_senior=300),
        "medical_expenditure",
        "schooling_expenditure",
        "rigid_expenditure",
        "per_capita",
        "annual_income",
    ) == [(200.0, 300.0, 500.0, 450.0, 16800.0)]  # the annual income: before the deduction


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([("F1-1", "小学", "在读")], 100.0),
        ([("F1-1", "本科", "在读")], 900.0),
        ([("F1-1", "本科", "休学")], 0.0),  # 在读 only
        ([("F1-1", "本科", "毕业")], 0.0),
        ([("F1-1", "初中", "辍学")], 0.0),
        ([("F1-1", "小学", "在读"), ("F1-2", "本科", "在读")], 1000.0),  # each member
        ([("F1-1", "小学", "在读"), ("F1-1", "本科", "在读")], 900.0),  # a member once
        ([("F1-1", "研究生", "在读")], 0.0),  # a stage whose cost is left at 0
    ],
)
def test_schooling_cost_per_stage_for_each_member_in_school(
    models: Models, records: list[tuple[str, str, str]], expected: float
) -> None:
    given(
        models,
        [household("F1", 2, roster_monthly_income=2000)],
        [member("F1", 1), member("F1", 2)],
        schooling=[school(p, stage, status, i) for i, (p, stage, status) in enumerate(records)],
    )
    frame = models.run(MODEL, schooling_cost_primary=100, schooling_cost_undergraduate=900)
    assert rows(frame, "schooling_expenditure", "rigid_expenditure") == [(expected, expected)]
