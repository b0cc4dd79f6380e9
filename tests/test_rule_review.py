"""Looking at the rules themselves: the report's precision of each signal from the recorded
dispositions (confirmed against found ineligible, with a Wilson interval), its warning rates
by county, sex and age band, its departments' section, and monitor whatif's signal lines."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import polars as pl
import pytest

from conftest import put
from monitor.engine import Engine
from monitor.policy import POLICY_DIR, load_policy
from monitor.report import build_report
from monitor.rule_review import SignalPrecision, signal_precision, wilson
from monitor.whatif import WhatIf

AS_OF = dt.date(2026, 11, 15)
RUN_ID = AS_OF.isoformat()
POLICY = load_policy(POLICY_DIR / "2026.yaml")[0]
PUBLISHED = SimpleNamespace(by_tier={"red": 0, "orange": 0, "yellow": 0, "review": 0}, new=0,
                            resolved=0)  # fmt: skip


def report(engine: Engine) -> str:
    return build_report(engine, RUN_ID, AS_OF, "2026.yaml", "0" * 64, PUBLISHED, POLICY)


def section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    end = html.find("<h2", start + 1)
    return html[start:end]


def answers(engine: Engine, code: str, outcomes: dict[str, int]) -> None:
    rows = []
    for outcome, n in outcomes.items():
        for i in range(n):
            rows.append({"household_key": f"{code}-{outcome}-{i}", "code": code,
                         "outcome": outcome, "decided_on": dt.date(2026, 11, 10),
                         "recorded_at": dt.datetime(2026, 11, 10, 9)})  # fmt: skip
    put(engine, "dispositions", rows)


def test_the_wilson_interval() -> None:
    low, high = wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)
    assert wilson(0, 0) == (0.0, 1.0)
    assert wilson(5, 5)[1] == 1.0 and wilson(0, 5)[0] == 0.0


def test_the_reports_precision_by_signal_from_recorded_dispositions(template_engine: Engine) -> None:  # fmt: skip
    answers(template_engine, "MED_OOP_HIGH", {"已核实-已救助": 6, "已核实-已纳入低保": 2,
                                              "已核实-不符合条件": 2, "无法联系": 3})  # fmt: skip
    answers(template_engine, "DROPOUT", {"其他": 1})
    found = {p.code: p for p in signal_precision(template_engine, AS_OF)}
    assert found["MED_OOP_HIGH"].precision == 0.8 and found["DROPOUT"].precision is None
    html = section(report(template_engine), "各信号核实情况（规则精准度估计）")
    row = html[html.index("<td class='l'>医疗自付费用高</td>") :].split("</tr>")[0]
    cells = [c.split(">", 1)[1] for c in row.split("</td>")[:-1]]
    assert cells == [
        "医疗自付费用高",
        "13",
        "6",
        "2",
        "2",
        "3",
        "0",
        "80%（95%区间 49%–94%，8/10）",
    ]
    assert "尚无已核实的处置，无法估计" in html  # DROPOUT: only 其他
    assert "<svg" in html  # the chart of confirmed against ineligible


def test_no_disposition_yet_says_so(template_engine: Engine) -> None:
    html = section(report(template_engine), "各信号核实情况（规则精准度估计）")
    assert "尚无乡镇核实结果" in html


def test_warning_rates_by_county_sex_and_age_band(template_engine: Engine) -> None:
    put(template_engine, "households_routed", [
        {"household_key": "R1", "county": "341102", "membership": "roster", "exited_long_ago": False},
    ])  # fmt: skip
    put(template_engine, "member_facts", [
        {"household_key": "R1", "person_id": "P1", "sex": "M", "age": 40, "alive": True},
        {"household_key": "R1", "person_id": "P2", "sex": "F", "age": 70, "alive": True},
        {"household_key": "R1", "person_id": "P3", "sex": "F", "age": 8, "alive": True},
        {"household_key": "R1", "person_id": "P4", "sex": "M", "age": 12, "alive": True},
    ])  # fmt: skip
    put(template_engine, "warnings_current", [{"household_key": "R1", "member_ids": "P1"}])
    put(
        template_engine, "city_counties", [{"code": "341102", "county": "341102", "name": "琅琊区"}]
    )
    html = section(report(template_engine), "预警率（按区县、性别、年龄段）")
    assert (
        "<td class='l'>琅琊区</td><td>4</td><td>4</td><td>100.0%</td><td>1</td><td>25.0%</td>"
        in html
    )
    assert (
        "<td class='l'>男</td><td>2</td><td>2</td><td>100.0%</td><td>1</td><td>50.0%</td>" in html
    )
    assert "<td class='l'>0–15岁</td><td>2</td>" in html
    assert "<td class='l'>60岁及以上</td><td>1</td>" in html
    for id_ in ("P1", "P2"):
        assert id_ not in html


def test_the_departments_section_counts_lists_and_results(template_engine: Engine) -> None:
    put(template_engine, "referrals", [
        {"run_id": RUN_ID, "department": "医保", "household_key": "H1", "recommendation": "医疗救助"},
        {"run_id": RUN_ID, "department": "民政", "household_key": "H1", "recommendation": "临时救助"},
    ])  # fmt: skip
    put(template_engine, "referral_results", [
        {"run_id": RUN_ID, "department": "医保", "household_key": "H1", "recommendation": "医疗救助",
         "result": "此前已享受", "decided_on": AS_OF, "recorded_at": dt.datetime(2026, 11, 15, 9)},
    ])  # fmt: skip
    html = section(report(template_engine), "部门转介")
    assert html.index("<td class='l'>医保</td>") < html.index(
        "<td class='l'>民政</td>"
    )  # policy order
    assert ("<td class='l'>医保</td><td>1</td><td>1</td><td>1</td><td>1</td><td>0</td><td>1</td>"
            in html)  # fmt: skip


def test_whatif_lists_each_signals_households_and_precision() -> None:
    empty = pl.DataFrame({"county": [], "township": [], "tier": [], "baseline": [],
                          "candidate": [], "added": [], "removed": []})  # fmt: skip
    result = WhatIf(
        empty,
        pl.DataFrame(),
        {"MED_OOP_HIGH": (11, 27), "DROPOUT": (2, 2)},
        [SignalPrecision("MED_OOP_HIGH", "医疗自付费用高", 13, 6, 2, 8, 2, 3, 0)],
    )
    lines = result.signal_lines()
    assert (
        lines[1]
        == "  医疗自付费用高（MED_OOP_HIGH）：11 → 27 户；精准度 80%（95%区间 49%–94%，8/10）"
    )
    assert lines[2] == "  学生辍学（DROPOUT）：2 → 2 户；精准度 尚无核实结果"


@pytest.mark.parametrize("confirmed,ineligible", [(0, 3), (3, 0)])
def test_the_extremes_have_an_interval_within_zero_and_one(confirmed: int, ineligible: int) -> None:
    low, high = wilson(confirmed, confirmed + ineligible)
    assert 0.0 <= low <= high <= 1.0
