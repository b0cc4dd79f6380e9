"""sql/60_report/signal_precision.sql, warning_rates.sql and department_referrals.sql: what the
report (and monitor whatif) show about the rules themselves and the departments' lists."""

from __future__ import annotations

from typing import Any

from .harness import AS_OF, RUN_ID, Models, rows

PRECISION = "60_report/signal_precision.sql"
RATES = "60_report/warning_rates.sql"
REFERRALS = "60_report/department_referrals.sql"


def disposition(key: str, code: str, outcome: str, on: str, at: str = "10:00:00",
                run: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"household_key": key, "code": code, "outcome": outcome, "decided_on": on,
            "recorded_at": f"{on} {at}", "issued_run_id": run}  # fmt: skip


def test_each_household_and_signal_counts_once_by_its_latest_answer(models: Models) -> None:
    models.given("dispositions", [
        disposition("H1", "MED_OOP_HIGH", "无法联系", "2026-10-20"),
        disposition("H1", "MED_OOP_HIGH", "已核实-已救助", "2026-10-25"),  # the latest: counts
        disposition("H2", "MED_OOP_HIGH", "已核实-不符合条件", "2026-11-01"),
        disposition("H3", "MED_OOP_HIGH", "已核实-已纳入低保", "2026-11-02"),
        disposition("H4", "MED_OOP_HIGH", "已核实-不符合条件", "2026-11-20"),  # after the as-of
        disposition("H1", "DROPOUT", "其他", "2026-11-01"),
        # an answer to a later run's workbook wins over a later-dated one to an earlier run's
        disposition("H5", "DROPOUT", "已核实-已救助", "2026-11-10", run="2026-11-01"),
        disposition("H5", "DROPOUT", "已核实-不符合条件", "2026-11-09", run="2026-11-08"),
        disposition("H6", "DROPOUT", "无法联系", "2026-11-03"),
    ])  # fmt: skip
    got = models.query(PRECISION, as_of=AS_OF)
    assert rows(got, "code", "handled", "helped", "enrolled", "confirmed", "not_eligible",
                "unreachable", "other") == [
        ("DROPOUT", 3, 0, 0, 0, 1, 1, 1),
        ("MED_OOP_HIGH", 3, 1, 1, 2, 1, 0, 0),
    ]  # fmt: skip


def test_warning_rates_of_the_monitored_population_by_county_sex_and_age(models: Models) -> None:
    models.given("households_routed", [
        {"household_key": "R1", "county": "341102", "membership": "roster", "exited_long_ago": False},
        {"household_key": "R2", "county": "341122", "membership": "rural", "exited_long_ago": False},
        {"household_key": "X1", "county": "341102", "membership": "roster", "exited_long_ago": True},
        {"household_key": "G1", "county": "110101", "membership": "other", "exited_long_ago": False},
    ])  # fmt: skip
    people = [("P1", "R1", "M", 40, True), ("P2", "R1", "F", 38, True), ("P3", "R1", "M", 10, True),
              ("P4", "R1", "F", 90, False),  # died: not counted
              ("P5", "R2", "F", 70, True), ("P6", "X1", "M", 40, True),  # left long ago
              ("P7", "G1", "M", 15, True)]  # fmt: skip
    models.given("member_facts", [{"person_id": p, "household_key": h, "sex": s, "age": a,
                                   "alive": alive} for p, h, s, a, alive in people])  # fmt: skip
    models.given("warnings_current", [{"household_key": "R1", "member_ids": "P1"},
                                      {"household_key": "X1", "member_ids": "P6"},
                                      {"household_key": "G1", "member_ids": "P7"}])  # fmt: skip
    models.given("city_counties", [{"code": "341102", "county": "341102", "name": "琅琊区"},
                                   {"code": "341122", "county": "341122", "name": "来安县"}])  # fmt: skip
    got = models.query(RATES, min_working_age=16, green_channel_age=60)
    assert rows(got, "county", "sex", "age_band", "population", "in_warned", "carriers",
                "proactive") == [
        ("市外", "M", 1, 0, 0, 0, 1),  # 主动发现 outside the monitored population
        ("来安县", "F", 3, 1, 0, 0, 0),
        ("琅琊区", "F", 2, 1, 1, 0, 0),
        ("琅琊区", "M", 1, 1, 1, 0, 0),
        ("琅琊区", "M", 2, 1, 1, 1, 1),  # P1 carries a signal; P6 (left long ago) is outside
    ]  # fmt: skip
    # the bands are the policy's: with a working age from 15, the 15-year-old moves up
    moved = models.query(RATES, min_working_age=15, green_channel_age=60)
    assert ("市外", "M", 2, 0, 0, 0, 1) in rows(moved, "county", "sex", "age_band", "population",
                                                "in_warned", "carriers", "proactive")  # fmt: skip


def test_each_departments_list_and_the_results_returned(models: Models) -> None:
    earlier = "2026-10-15"
    sent = [(earlier, "医保", "H1", "医疗救助"), (RUN_ID, "医保", "H1", "医疗救助"),
            (earlier, "医保", "H2", "医疗救助"), (earlier, "教育", "H3", "教育救助"),
            (RUN_ID, "教育", "H3", "教育救助"), (RUN_ID, "教育", "H3", "控辍保学"),
            ("2026-12-15", "民政", "H9", "临时救助")]  # a later run: not counted  # fmt: skip
    models.given("referrals", [{"run_id": r, "department": d, "household_key": k,
                                "recommendation": i} for r, d, k, i in sent])  # fmt: skip
    models.given("referral_results", [
        {"run_id": earlier, "department": "医保", "household_key": "H1", "recommendation": "医疗救助",
         "result": "办理中", "decided_on": "2026-10-20", "recorded_at": "2026-10-20 10:00:00"},
        {"run_id": RUN_ID, "department": "医保", "household_key": "H1", "recommendation": "医疗救助",
         "result": "已纳入救助", "decided_on": "2026-11-15", "recorded_at": "2026-11-15 10:00:00"},
        {"run_id": earlier, "department": "医保", "household_key": "H2", "recommendation": "医疗救助",
         "result": "此前已享受", "decided_on": "2026-10-21", "recorded_at": "2026-10-21 10:00:00"},
    ])  # fmt: skip
    got = models.query(REFERRALS, run_id=RUN_ID)
    assert rows(got, "department", "items", "households", "sent", "answered", "enrolled",
                "already", "not_eligible", "in_progress", "other") == [
        ("医保", 1, 1, 2, 2, 1, 1, 0, 0, 0),
        ("教育", 2, 1, 2, 0, 0, 0, 0, 0, 0),
    ]  # fmt: skip
