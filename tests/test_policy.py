import datetime as dt
from pathlib import Path

import pytest

from monitor.errors import PolicyError
from monitor.policy import default_policy_path, load_policy

POLICY = Path(__file__).resolve().parents[1] / "policy" / "2026.yaml"


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
