import datetime as dt
from pathlib import Path

import pytest

from monitor.errors import PolicyError
from monitor.pipeline import make_context
from monitor.policy import default_policy_path, load_policy
from monitor.resources import packaged

POLICY = packaged("policy", "2026.yaml")


def test_the_year_policy_loads_with_its_hash() -> None:
    policy, digest = load_policy(default_policy_path(dt.date(2026, 11, 15)))
    assert policy.dibao_standard.urban == 800 and len(digest) == 64


def test_a_bad_policy_lists_every_problem_with_key_value_and_range(tmp_path: Path) -> None:
    text = POLICY.read_text(encoding="utf-8")
    text = text.replace("edge_multiplier: 1.5", "edge_multiplier: 0.5")
    text = text.replace("employment_cost_deduction: 0.2", "employment_cost_deduction: 1.5")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(bad)
    message = str(err.value)
    assert "2 problem(s)" in message
    assert "edge_multiplier" in message and "0.5" in message and "greater than 1" in message
    assert "employment_cost_deduction" in message and "1.5" in message


def test_unknown_signal_codes_are_refused(tmp_path: Path) -> None:
    text = POLICY.read_text(encoding="utf-8").replace(
        "proactive_codes: [MED_OOP_HIGH,", "proactive_codes: [MED_OOP,"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="MED_OOP"):
        load_policy(bad)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 27), 1, dt.date(2026, 11, 30)),  # Friday -> Monday
        (dt.date(2026, 9, 30), 1, dt.date(2026, 10, 8)),  # the National Day holiday
        (dt.date(2026, 9, 30), 3, dt.date(2026, 10, 10)),  # 10-10 is a 调休 working Saturday
        (dt.date(2026, 2, 13), 1, dt.date(2026, 2, 14)),  # 2-14 is a 调休 working Saturday
        (dt.date(2026, 2, 14), 1, dt.date(2026, 2, 24)),  # then the Spring Festival holiday
    ],
)
def test_deadlines_count_working_days_of_the_year_calendar(
    start: dt.date, days: int, expected: dt.date
) -> None:
    policy, _ = load_policy(POLICY)
    assert policy.add_working_days(start, days) == expected


# ---- numbers that are each in range but contradict one another


def _policy_text(**replace: str) -> str:
    text = POLICY.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def _refused(tmp_path: Path, text: str) -> str:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(bad)
    return str(err.value)


def test_an_orange_threshold_above_its_red_one_is_refused_naming_both_keys(
    tmp_path: Path,
) -> None:
    message = _refused(
        tmp_path,
        _policy_text(
            **{
                "med_oop_orange_abs: 20000": "med_oop_orange_abs: 60000",
                "med_oop_orange_share: 0.5": "med_oop_orange_share: 1.5",
            }
        ),
    )
    assert "2 problem(s)" in message
    assert "thresholds.med_oop_orange_abs: 60000 is above thresholds.med_oop_red_abs (50000)" in (
        message
    )
    assert "thresholds.med_oop_orange_share: 1.5 is above thresholds.med_oop_red_share (1)" in (
        message
    )


def test_deadlines_out_of_order_are_refused(tmp_path: Path) -> None:
    message = _refused(
        tmp_path,
        _policy_text(
            **{
                "{red: 1, orange: 3, yellow: 10, review: 20}": (
                    "{red: 5, orange: 3, yellow: 10, review: 8}"
                )
            }
        ),
    )
    assert "2 problem(s)" in message
    assert "deadline_working_days.red: 5 is above deadline_working_days.orange (3)" in message
    assert "deadline_working_days.yellow: 10 is above deadline_working_days.review (8)" in message


def test_fewer_exit_months_for_the_vulnerable_than_the_default_is_refused(
    tmp_path: Path,
) -> None:
    message = _refused(
        tmp_path,
        _policy_text(**{"{vulnerable: 6, default: 3}": "{vulnerable: 2, default: 3}"}),
    )
    assert "gradual_exit_months.vulnerable: 2 is below gradual_exit_months.default (3)" in message


def test_every_inconsistency_and_range_problem_is_listed_together(tmp_path: Path) -> None:
    message = _refused(
        tmp_path,
        _policy_text(
            **{
                "med_oop_orange_abs: 20000": "med_oop_orange_abs: 60000",
                "{vulnerable: 6, default: 3}": "{vulnerable: 2, default: 3}",
                "employment_cost_deduction: 0.2": "employment_cost_deduction: 1.5",
            }
        ),
    )
    assert "3 problem(s)" in message
    for key in (
        "thresholds.med_oop_orange_abs",
        "gradual_exit_months.vulnerable",
        "employment_cost_deduction",
    ):
        assert key in message


@pytest.mark.parametrize(
    ("old", "new", "key", "value"),
    [
        ("edge_multiplier: 1.5", "edge_multiplier: 1", "edge_multiplier", "1"),
        ("edge_multiplier: 1.5", "edge_multiplier: 0.9", "edge_multiplier", "0.9"),
        ("medical_months: 12", "medical_months: 0", "windows.medical_months", "0"),
        ("disaster_days: 90", "disaster_days: 0", "windows.disaster_days", "0"),
        ("hotline_days: 30", "hotline_days: 0", "windows.hotline_days", "0"),
        ("{male: 60, female: 55}", "{male: 60, female: 15}", "retirement_age.female", "15"),
    ],
)
def test_numbers_out_of_range_are_refused_naming_key_and_value(
    tmp_path: Path, old: str, new: str, key: str, value: str
) -> None:
    # a retirement age below min_working_age (at most 18) is already out of range (40..75)
    message = _refused(tmp_path, _policy_text(**{old: new}))
    assert f"{key}:" in message and f"(value: {value})" in message


def test_a_retirement_age_not_above_the_working_age_is_refused() -> None:
    # Unreachable from a file today (retirement ages 40..75, min_working_age 14..18): the
    # validator guards the UNEMPLOYED age band should the ranges ever change.
    from monitor.policy import Inconsistent

    policy, _ = load_policy(POLICY)
    with pytest.raises(
        Inconsistent, match=r"retirement_age\.female: 55 is not above min_working_age"
    ):
        policy.model_copy(update={"min_working_age": 55})._retirement_above_working_age()


def test_equal_thresholds_and_deadlines_are_allowed(tmp_path: Path) -> None:
    text = _policy_text(
        **{
            "med_oop_orange_abs: 20000": "med_oop_orange_abs: 50000",
            "{red: 1, orange: 3, yellow: 10, review: 20}": "{red: 3, orange: 3, yellow: 3, review: 3}",
            "{vulnerable: 6, default: 3}": "{vulnerable: 3, default: 3}",
        }
    )
    ok = tmp_path / "ok.yaml"
    ok.write_text(text, encoding="utf-8")
    policy, _ = load_policy(ok)
    assert policy.deadline_working_days.red == 3


# ---- the year's policy file: no silent fallback to another year


def test_a_year_without_a_policy_file_is_an_error_naming_the_file() -> None:
    with pytest.raises(PolicyError) as err:
        default_policy_path(dt.date(2031, 1, 5))
    message = str(err.value)
    assert "policy/2031.yaml" in message
    assert "--policy FILE" in message


def test_an_explicit_policy_file_overrides_the_year(tmp_path: Path) -> None:
    (tmp_path / "in" / "roster").mkdir(parents=True)
    ctx = make_context(tmp_path / "in", tmp_path / "out", dt.date(2031, 1, 5), policy_file=POLICY)
    assert ctx.policy.year == 2026 and ctx.policy_file == POLICY


def test_make_context_refuses_a_year_without_a_policy_file(tmp_path: Path) -> None:
    (tmp_path / "in" / "roster").mkdir(parents=True)
    with pytest.raises(PolicyError, match=r"policy/2031\.yaml"):
        make_context(tmp_path / "in", tmp_path / "out", dt.date(2031, 1, 5))


def test_the_2027_policy_is_provisional_with_the_fixed_holidays_only() -> None:
    path = default_policy_path(dt.date(2027, 1, 4))
    assert path.name == "2027.yaml"
    policy, _ = load_policy(path)
    assert policy.year == 2027 and policy.provisional and policy.provisional_note
    previous, _ = load_policy(POLICY)
    assert not previous.provisional
    # every number unchanged from 2026 until the city's notice
    assert policy.params() == previous.params()
    assert policy.signal_weights == previous.signal_weights
    assert policy.proactive_codes == previous.proactive_codes
    assert policy.deadline_working_days == previous.deadline_working_days
    holidays = policy.holiday_dates()
    for day in ("2027-01-01", "2027-05-01", "2027-10-01", "2027-10-02", "2027-10-03"):
        assert dt.date.fromisoformat(day) in holidays
    assert not any(d.month == 2 for d in holidays)  # the Spring Festival waits for the notice
    assert policy.extra_working_days == ()
    assert dt.date(2028, 1, 1) in holidays  # next year's fixed holiday, for deadlines in December


def test_a_december_deadline_crosses_into_the_next_year_with_its_new_year_holiday() -> None:
    policy, _ = load_policy(POLICY)
    # Sunday 2026-12-20 + 20 working days: 2027-01-01 (a Friday) is a holiday
    assert policy.add_working_days(dt.date(2026, 12, 20), 20) == dt.date(2027, 1, 18)


def test_a_run_on_the_provisional_policy_says_so_in_the_report(tmp_path: Path) -> None:
    from conftest import build_small_input
    from monitor.pipeline import run_all

    root = build_small_input(tmp_path / "in")
    for as_of, out in ((dt.date(2027, 1, 4), "out2027"), (dt.date(2026, 11, 15), "out2026")):
        run_all(make_context(root, tmp_path / out, as_of, tmp_path / f"{out}.duckdb"))
    report = (tmp_path / "out2027" / "report.html").read_text(encoding="utf-8")
    assert "2027.yaml" in report
    assert "2027 年政策文件为临时版本" in report
    assert "待国务院 2027 年节假日安排公布后" in report
    assert "临时版本" not in (tmp_path / "out2026" / "report.html").read_text(encoding="utf-8")


# ---- the grid workers' reports (GRID_REPORT, issue 14): parameters with defaults


def test_a_file_written_before_the_grid_source_loads_with_the_defaults(tmp_path: Path) -> None:
    text = _policy_text(**{", GRID_REPORT]": "]"})
    older = "".join(
        line
        for line in text.splitlines(keepends=True)
        if "grid" not in line.lower() and "网格" not in line and "其他 does not" not in line
    )
    assert "GRID_REPORT" not in older and "grid_" not in older
    path = tmp_path / "older.yaml"
    path.write_text(older, encoding="utf-8")
    policy, _ = load_policy(path)
    current, _ = load_policy(POLICY)
    assert policy.windows.grid_days == current.windows.grid_days == 30
    assert policy.grid_hardship_types == current.grid_hardship_types
    assert "其他" not in policy.grid_hardship_types and len(policy.grid_hardship_types) == 5
    assert policy.signal_weights["GRID_REPORT"] == current.signal_weights["GRID_REPORT"]
    # a file that does not name it in proactive_codes keeps its own choice
    assert "GRID_REPORT" not in policy.proactive_codes
    assert "GRID_REPORT" in current.proactive_codes


def test_a_file_s_own_grid_parameters_win(tmp_path: Path) -> None:
    text = _policy_text(
        **{
            "  grid_days: 30": "  grid_days: 45",
            "grid_hardship_types: [生活困难, 患病, 残疾, 独居老人, 留守儿童]": (
                "grid_hardship_types: [生活困难, 其他]"
            ),
            "  GRID_REPORT: 15": "  GRID_REPORT: 40",
        }
    )
    path = tmp_path / "own.yaml"
    path.write_text(text, encoding="utf-8")
    policy, _ = load_policy(path)
    assert policy.windows.grid_days == 45
    assert policy.grid_hardship_types == ("生活困难", "其他")
    assert policy.signal_weights["GRID_REPORT"] == 40


@pytest.mark.parametrize(
    ("types", "said"),
    [("[生活困难, 家暴]", "家暴"), ("[生活困难, 生活困难]", "repeated")],
)
def test_a_grid_hardship_type_outside_the_contract_s_labels_is_refused(
    tmp_path: Path, types: str, said: str
) -> None:
    message = _refused(
        tmp_path,
        _policy_text(
            **{
                "grid_hardship_types: [生活困难, 患病, 残疾, 独居老人, 留守儿童]": (
                    f"grid_hardship_types: {types}"
                )
            }
        ),
    )
    assert "grid_hardship_types" in message and said in message
    assert "独居老人" in message  # the labels allowed


def test_grid_days_out_of_range_is_refused(tmp_path: Path) -> None:
    message = _refused(tmp_path, _policy_text(**{"  grid_days: 30": "  grid_days: 0"}))
    assert "windows.grid_days" in message and "greater than or equal to 1" in message


# ---- parameters added later have defaults: a file written before them still loads


def test_a_policy_file_from_before_issue_14_loads_with_the_defaults() -> None:
    old, _ = load_policy(Path(__file__).parent / "fixtures" / "policy_2026_before_issue14.yaml")
    new, _ = load_policy(POLICY)
    assert (old.care_age, old.adult_age, old.benefit_tolerance) == (80, 18, 0.1)
    assert set(old.schooling_cost.model_dump().values()) == {0}
    for code in ("CARE_NEEDED", "WORK_ABILITY_LOST", "BENEFIT_CHECK"):
        assert old.signal_weights[code] == new.signal_weights[code], code
    # the packaged file states every one of them (the defaults are for older files only)
    text = POLICY.read_text(encoding="utf-8")
    for key in ("care_age:", "adult_age:", "benefit_tolerance:", "schooling_cost:",
                "CARE_NEEDED:", "WORK_ABILITY_LOST:", "BENEFIT_CHECK:"):  # fmt: skip
        assert key in text, key


@pytest.mark.parametrize(
    ("old", "new", "key", "value"),
    [
        ("care_age: 80", "care_age: 59", "care_age", "59"),
        ("adult_age: 18", "adult_age: 21", "adult_age", "21"),
        ("benefit_tolerance: 0.1", "benefit_tolerance: 1", "benefit_tolerance", "1"),
        ("benefit_tolerance: 0.1", "benefit_tolerance: -0.1", "benefit_tolerance", "-0.1"),
        ("{preschool: 0,", "{preschool: -5,", "schooling_cost.preschool", "-5"),
    ],
)
def test_issue_14_parameters_out_of_range_are_refused(
    tmp_path: Path, old: str, new: str, key: str, value: str
) -> None:
    message = _refused(tmp_path, _policy_text(**{old: new}))
    assert f"{key}:" in message and f"(value: {value})" in message


def test_schooling_costs_are_parameters_of_the_sql() -> None:
    params = load_policy(POLICY)[0].params()
    assert params["schooling_cost_senior"] == 0 and params["care_age"] == 80
    assert params["benefit_tolerance"] == 0.1 and params["adult_age"] == 18
