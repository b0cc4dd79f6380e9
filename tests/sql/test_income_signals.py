"""sql/40_score/income_signals.sql: INCOME_BELOW_STANDARD, INCOME_EDGE, INCOME_ABOVE_STANDARD,
INCOME_EXIT (per-capita income against the 低保 standard) and INCOME_DROP (HR pictures)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from .harness import Models, rows

MODEL = "40_score/income_signals.sql"
BELOW, EDGE, ABOVE, EXIT = (
    "INCOME_BELOW_STANDARD", "INCOME_EDGE", "INCOME_ABOVE_STANDARD", "INCOME_EXIT",
)  # fmt: skip


def household(key: str, membership: str = "roster", category: str | None = "低保",
              status: str | None = "在保", **values: object) -> dict[str, object]:  # fmt: skip
    base: dict[str, object] = {
        "household_key": key, "kind": "在册对象" if membership == "roster" else "主动发现",
        "membership": membership, "size": 1, "living_size": 1, "head_id": f"{key}-1",
        "county": "341102", "township": "琅琊街道", "category": category,
        "urban_rural": "城市" if membership == "roster" else "农村", "status": status,
        "green_channel": False, "exit_months": 3, "exited_long_ago": False,
    }  # fmt: skip
    return base | values


def income(key: str, per_capita: float | None, standard: float = 800, size: int = 1,
           **values: object) -> dict[str, object]:  # fmt: skip
    known = None if per_capita is None else per_capita * size
    base: dict[str, object] = {
        "household_key": key, "size": size, "recorded_income": known, "hr_income": None,
        "standard": standard, "oop_window": 0, "income": known, "rigid_expenditure": 0,
        "annual_income": None if known is None else 12 * known, "per_capita": per_capita,
    }  # fmt: skip
    return base | values


def given(
    models: Models,
    households: Sequence[dict[str, object]],
    incomes: Sequence[dict[str, object]],
) -> None:
    models.given("households_routed", households)
    models.given("household_income", incomes)


def codes(models: Models, **overrides: object) -> list[tuple[object, ...]]:
    return rows(models.run(MODEL, **overrides), "household_key", "code")


# --- INCOME_BELOW_STANDARD


@pytest.mark.parametrize(
    ("membership", "category", "status", "fires"),
    [
        ("roster", "低保边缘", "在保", True),
        ("roster", "刚性支出困难", "在保", True),
        ("roster", "临时救助", "在保", True),
        ("roster", "其他低收入", "在保", True),
        ("roster", "低保", "退出", True),  # left 低保 and below the standard again: a case
        ("roster", "特困", "退出", True),
        ("roster", "低保", "在保", False),  # already on 低保
        ("roster", "低保", "渐退", False),
        ("roster", "特困", "在保", False),
        ("roster", "特困", "渐退", False),
        ("rural", None, None, True),
        ("other", None, None, False),  # 主动发现 households have no income rule
    ],
)
def test_below_the_standard_for_households_not_on_dibao_or_tekun(
    models: Models, membership: str, category: str | None, status: str | None, fires: bool
) -> None:
    given(models, [household("F1", membership, category, status)], [income("F1", 799.99)])
    assert (("F1", BELOW) in codes(models)) is fires


def test_below_is_strictly_below_the_standard(models: Models) -> None:
    given(
        models,
        [household(k, category="低保边缘") for k in ("AT", "UNDER", "ZERO", "NEG")],
        [income("AT", 800), income("UNDER", 799.99), income("ZERO", 0),
         income("NEG", -750, rigid_expenditure=2000, income=500, size=2)],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "code", "tier", "amount", "source", "person_id") == [
        ("NEG", BELOW, "orange", -750.0, "roster", "NEG-1"),
        ("UNDER", BELOW, "orange", 799.99, "roster", "UNDER-1"),
        ("ZERO", BELOW, "orange", 0.0, "roster", "ZERO-1"),  # a known 0 is an income
    ]
    detail = frame.filter(frame["household_key"] == "NEG")["detail"][0]
    assert "医疗支出超过收入，人均 0 元/月" in detail and "低于低保标准 800 元" in detail, detail


def test_urban_and_rural_standards(models: Models) -> None:
    """Per-capita 760: below the urban 800, at least the rural 750 (a rural household: 低保边缘)."""
    given(
        models,
        [household("U", category="低保边缘", urban_rural="城市"),
         household("R", category="低保边缘", urban_rural="农村"),
         household("XC:H1", "rural", None, None)],
        [income("U", 760, 800), income("R", 760, 750), income("XC:H1", 760, 750)],
    )  # fmt: skip
    assert codes(models) == [("U", BELOW), ("XC:H1", EDGE)]


def test_no_income_rule_fires_on_an_unknown_income(models: Models) -> None:
    given(
        models,
        [household("EDGE", category="临时救助"), household("DB", category="低保"),
         household("XC:H1", "rural", None, None)],
        [income("EDGE", None), income("DB", None), income("XC:H1", None, 750)],
    )  # fmt: skip
    assert codes(models) == []


# --- INCOME_EDGE


@pytest.mark.parametrize(
    ("per_capita", "fires"),
    [(799.99, False), (800, True), (1199.99, True), (1200, False)],
)
def test_edge_band_from_the_standard_to_one_and_a_half_times(
    models: Models, per_capita: float, fires: bool
) -> None:
    given(models, [household("F1", category="临时救助")], [income("F1", per_capita)])
    assert (("F1", EDGE) in codes(models)) is fires


@pytest.mark.parametrize(
    ("membership", "category", "status", "fires"),
    [
        ("rural", None, None, True),
        ("roster", "临时救助", "在保", True),
        ("roster", "其他低收入", "在保", True),
        ("roster", "低保边缘", "在保", False),  # already 低保边缘
        ("roster", "刚性支出困难", "在保", False),
        ("roster", "低保", "在保", False),
        ("roster", "特困", "在保", False),
        ("other", None, None, False),
    ],
)
def test_edge_for_rural_households_and_roster_temporary_or_other_low_income(
    models: Models, membership: str, category: str | None, status: str | None, fires: bool
) -> None:
    given(models, [household("F1", membership, category, status)], [income("F1", 1000)])
    assert (("F1", EDGE) in codes(models)) is fires


def test_edge_multiplier_is_the_policys(models: Models) -> None:
    given(models, [household("F1", category="临时救助")], [income("F1", 1300)])
    assert codes(models) == []
    assert codes(models, edge_multiplier=1.7) == [("F1", EDGE)]


# --- INCOME_ABOVE_STANDARD and INCOME_EXIT


@pytest.mark.parametrize(
    ("category", "status", "per_capita", "code"),
    [
        ("低保", "在保", 800, None),  # at the standard: stays
        ("低保", "在保", 800.01, ABOVE),
        ("低保", "在保", 1599.99, ABOVE),
        ("低保", "在保", 1600, EXIT),
        ("低保", "渐退", 1000, None),  # already in 渐退
        ("低保", "渐退", 1600, EXIT),
        ("低保", "退出", 1000, None),
        ("低保", "退出", 1600, None),
        ("特困", "在保", 1000, None),
        ("特困", "在保", 1600, None),
        ("低保边缘", "在保", 1600, None),
    ],
)
def test_above_the_standard_and_exit_for_dibao_households(
    models: Models, category: str, status: str, per_capita: float, code: str | None
) -> None:
    given(models, [household("F1", category=category, status=status)], [income("F1", per_capita)])
    assert codes(models) == ([] if code is None else [("F1", code)])


def test_gradual_exit_text_gives_the_households_months_and_evidence(models: Models) -> None:
    given(
        models,
        [household("F1", exit_months=6, size=3, living_size=2)],
        [income("F1", 950, size=2, hr_income=1900, recorded_income=1000)],
    )
    frame = models.run(MODEL)
    assert rows(frame, "code", "tier", "amount", "source", "person_id") == [
        (ABOVE, "review", 950.0, "roster", "F1-1")
    ]
    detail = frame["detail"][0]
    assert "家庭月收入 1,900 元（人社工资、养老金折算）" in detail, detail
    assert "2 人，人均 950 元/月" in detail and "渐退 6 个月" in detail, detail


def test_exit_multiplier_is_the_policys(models: Models) -> None:
    given(models, [household("F1")], [income("F1", 1700)])
    assert codes(models) == [("F1", EXIT)]
    assert codes(models, gradual_exit_multiplier=2.5) == [("F1", ABOVE)]


def test_rural_standard_for_the_dibao_bands(models: Models) -> None:
    given(
        models,
        [household("A", urban_rural="农村"), household("B", urban_rural="农村")],
        [income("A", 1499.99, 750), income("B", 1500, 750)],
    )
    assert codes(models) == [("A", ABOVE), ("B", EXIT)]


def test_columns_pass_through_once(models: Models) -> None:
    """households_routed's size (with the deceased) is not the income's living size."""
    given(
        models,
        [household("F1", category="低保边缘", size=3, living_size=2)],
        [income("F1", 300, size=2)],
    )
    frame = models.run(MODEL)
    assert frame.columns == [
        "household_key", "person_id", "code", "tier", "amount", "event_date", "source",
        "file_hash", "file_name", "_row", "detail",
    ]  # fmt: skip
    assert "2 人，人均 300 元/月" in frame["detail"][0]


# --- INCOME_DROP

P = "341102198001010012"


def hr_given(
    models: Models,
    previous: Sequence[dict[str, object]],
    current: Sequence[dict[str, object]],
    runs: Sequence[tuple[str, str]] = (("2026-11-01", "old"), ("2026-11-15", "new")),
    dead: Sequence[str] = (),
) -> None:
    """previous: clean_hr rows of file 'old'; current: hr_current rows of file 'new'."""
    models.given("households_routed", [])
    models.given("household_income", [])
    models.given(
        "pictures",
        [{"run_id": r, "source": "hr", "file_hash": f, "file_name": f"{f}.xlsx"} for r, f in runs],
    )
    models.given("clean_hr", previous)
    models.given(
        "hr_current",
        [
            r | {"file_name": f"{r['file_hash']}.xlsx", "source": "hr", "method": "exact"}
            for r in current
        ],
    )
    people = {str(r["person_id"]) for r in (*previous, *current) if r.get("person_id")}
    models.given(
        "member_facts",
        [{"household_key": f"K{p[-4:]}", "person_id": p, "membership": "roster", "age": 40,
          "alive": p not in dead, "death_date": "2026-11-01" if p in dead else None}
         for p in sorted(people)],
    )  # fmt: skip


def hr(person: str | None, wage: float | None, status: str = "就业", file: str = "old",
       row: int = 1, id_status: str = "valid") -> dict[str, object]:  # fmt: skip
    """A clean_hr row (of the file `file`); `current` makes it an hr_current row."""
    return {"file_hash": file, "_row": row, "person_id": person, "id_status": id_status,
            "employment_status": status, "monthly_wage": wage}  # fmt: skip


def pid(n: int) -> str:
    return f"34110219800101{n:03d}1"


@pytest.mark.parametrize(
    ("before", "after", "fires"),
    [
        ((5000, "就业"), (2500, "就业"), True),  # -50 %
        ((5000, "就业"), (2501, "就业"), False),
        ((5000, "就业"), (0, "就业"), True),
        ((5000, "就业"), (None, "就业"), False),  # an unknown wage is no drop
        ((0, "就业"), (0, "就业"), False),
        ((None, "就业"), (0, "就业"), False),
        ((3000, "就业"), (3000, "失业登记"), True),
        ((3000, "就业"), (None, "未就业"), True),
        ((3000, "就业"), (3000, "灵活就业"), False),
        ((3000, "灵活就业"), (None, "失业登记"), False),  # not from 就业
        ((None, "失业登记"), (None, "未就业"), False),
    ],
)
def test_income_drop_wage_halved_or_employment_lost(
    models: Models,
    before: tuple[float | None, str],
    after: tuple[float | None, str],
    fires: bool,
) -> None:
    hr_given(models, [hr(P, before[0], before[1])], [hr(P, after[0], after[1], file="new")])
    assert (models.run(MODEL).height == 1) is fires


def test_income_drop_evidence(models: Models) -> None:
    hr_given(
        models,
        [hr(P, 5000, row=3)],
        [hr(P, 900, file="new", row=7)],
    )
    frame = models.run(MODEL)
    assert rows(
        frame, "household_key", "person_id", "code", "tier", "amount", "source", "file_hash",
        "file_name", "_row",
    ) == [(f"K{P[-4:]}", P, "INCOME_DROP", "yellow", 900.0, "hr", "new", "new.xlsx", 7)]  # fmt: skip
    assert frame["detail"][0] == "月工资由 5,000 元降至 900 元（降幅 82%）"


def test_no_income_drop_for_a_deceased_member(models: Models) -> None:
    hr_given(
        models,
        [hr(P, 5000, row=1), hr(pid(2), 3000, row=2)],
        [hr(P, 0, "未就业", file="new", row=1), hr(pid(2), 3000, "失业登记", file="new", row=2)],
        dead=[P],
    )
    assert rows(models.run(MODEL), "person_id") == [(pid(2),)]


def test_the_previous_picture_is_the_latest_earlier_one_that_differs(models: Models) -> None:
    """Runs: 11-01 'old' (5,000), 11-08 and 11-15 'new' (the same picture), 11-20 after the run."""
    hr_given(
        models,
        [hr(P, 5000), hr(P, 2000, file="new"), hr(P, 100, file="future")],
        [hr(P, 2000, file="new")],
        runs=[("2026-11-01", "old"), ("2026-11-08", "new"), ("2026-11-15", "new"),
              ("2026-11-20", "future")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "person_id", "amount") == [(P, 2000.0)]


def test_a_picture_of_several_files_is_compared_as_a_whole(models: Models) -> None:
    """11-15 adds a file to 11-08's: it differs; 11-08 is the previous picture."""
    hr_given(
        models,
        [hr(P, 9000, file="a"), hr(P, 5000, file="b"), hr(pid(2), 3000, file="c", row=2)],
        [hr(P, 2000, file="b")],
        runs=[("2026-11-01", "a"), ("2026-11-08", "b"), ("2026-11-15", "b"), ("2026-11-15", "c")],
    )
    assert rows(models.run(MODEL), "person_id", "detail") == [
        (P, "月工资由 5,000 元降至 2,000 元（降幅 60%）")
    ]


def test_no_previous_picture_no_drop(models: Models) -> None:
    hr_given(models, [hr(P, 5000, file="new")], [hr(P, 100, file="new")],
             runs=[("2026-11-01", "new"), ("2026-11-15", "new")])  # fmt: skip
    assert models.run(MODEL).height == 0


def test_previous_rows_with_an_unusable_id_are_not_compared(models: Models) -> None:
    hr_given(
        models,
        [hr(P, 5000, id_status="bad_check"), hr(pid(2), 5000, row=2, id_status="repaired")],
        [hr(P, 100, file="new"), hr(pid(2), 100, file="new", row=2)],
    )
    assert rows(models.run(MODEL), "person_id") == [(pid(2),)]


def test_the_wage_drop_share_is_the_policys(models: Models) -> None:
    hr_given(models, [hr(P, 5000)], [hr(P, 3000, file="new")])
    assert models.run(MODEL).height == 0
    assert models.run(MODEL, wage_drop_share=0.4).height == 1


def test_the_previous_record_is_chosen_as_the_current_one_is(models: Models) -> None:
    """In a picture of two files the person's record is the first by file name, then by row:
    a.xlsx row 5 (5,000), not b.xlsx row 1 (1,000); 5,000 -> 2,000 is a 60 % drop."""
    hr_given(
        models,
        [hr(P, 5000, file="a", row=5), hr(P, 1000, file="b", row=1)],
        [hr(P, 2000, file="new")],
        runs=[("2026-11-01", "a"), ("2026-11-01", "b"), ("2026-11-15", "new")],
    )
    assert rows(models.run(MODEL), "person_id", "detail") == [
        (P, "月工资由 5,000 元降至 2,000 元（降幅 60%）")
    ]
