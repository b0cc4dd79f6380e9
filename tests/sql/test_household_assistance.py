"""sql/40_score/household_assistance.sql: what a household already receives according to the
exports (一户一条救助链): the roster's 月保障金额, 医疗救助 paid in the medical window, 教育资助
of the latest 学年, 纳入危房改造 and 失业保险金, as amounts and as one sentence."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "40_score/household_assistance.sql"


def pid(n: int, born: str = "19800101") -> str:
    return f"341102{born}{n:02d}1X"


def households(models: Models, rows_: list[dict[str, Any]]) -> None:
    base = {"kind": "在册对象", "membership": "roster", "size": 1, "living_size": 1,
            "county": "341102", "township": "琅琊街道"}  # fmt: skip
    models.given("households_routed", [base | r for r in rows_])


def members(models: Models, people: list[tuple[str, str, bool]]) -> None:
    """(person_id, household_key, alive)."""
    models.given(
        "member_facts",
        [{"person_id": p, "household_key": h, "membership": "roster", "alive": a, "age": 40}
         for p, h, a in people],
    )  # fmt: skip


def record(source: str, person: str, row: int, **values: Any) -> dict[str, Any]:
    return {"file_hash": f"f_{source}", "_row": row, "person_id": person, "source": source,
            "file_name": f"{source}.csv", "id_status": "valid",
            "record_hash": f"{source}{row}"} | values  # fmt: skip


def settlement(person: str, row: int, paid: float | None) -> dict[str, Any]:
    return {"person_id": person, "record_hash": f"m{row}", "file_hash": "m1",
            "settlement_date": "2026-09-01", "care_type": "住院", "assistance_paid": paid,
            "source": "medical_insurance", "file_name": "医保.csv", "_row": row, "oop": 100}  # fmt: skip


def received(models: Models) -> dict[str, str]:
    frame = models.run(MODEL)
    return dict(rows(frame, "household_key", "assistance_received"))


def test_medical_assistance_of_the_window_is_summed_per_household(models: Models) -> None:
    a1, a2, b = pid(1), pid(2), pid(3)
    households(models, [{"household_key": "A", "category": "低边"}, {"household_key": "B"}])
    members(models, [(a1, "A", True), (a2, "A", True), (b, "B", True)])
    # settlements holds the window's rows only (40_score/settlements.sql); a refund nets out
    models.given("settlements", [settlement(a1, 1, 2000), settlement(a2, 2, 1500),
                                 settlement(a2, 3, -300), settlement(b, 4, 0),
                                 settlement(b, 5, None)])  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "medical_assistance", "medical_settlements") == [
        ("A", 3200.0, 2)
    ]  # B: nothing paid, so nothing received
    assert received(models) == {"A": "已享受：医疗救助 3,200 元（近12个月）"}


def test_the_roster_benefit_of_a_household_on_assistance(models: Models) -> None:
    people = [pid(i) for i in range(1, 6)]
    households(models, [
        {"household_key": "D", "category": "低保", "status": "在保", "monthly_benefit": 1200},
        {"household_key": "T", "category": "特困", "status": "渐退", "monthly_benefit": 900},
        {"household_key": "L", "category": "临时救助", "status": "在保", "monthly_benefit": 500},
        {"household_key": "X", "category": "低保", "status": "退出", "monthly_benefit": 1200},
        {"household_key": "Z", "category": "低保", "status": "在保", "monthly_benefit": 0},
    ])  # fmt: skip
    members(models, [(p, k, True) for p, k in zip(people, "DTLXZ", strict=True)])
    assert received(models) == {
        "D": "已享受：低保金 1,200 元/月",
        "T": "已享受：特困供养金 900 元/月",
        "L": "已享受：临时救助保障金 500 元/月",
    }  # 退出: no longer paid; 0: nothing paid


def test_education_aid_of_the_latest_school_year_of_living_members(models: Models) -> None:
    s1, s2, s3, dead = pid(1, "20100101"), pid(2, "20100101"), pid(3, "20100101"), pid(4)
    households(models, [{"household_key": k} for k in ("E", "F", "G")])
    members(models, [(s1, "E", True), (s2, "E", True), (s3, "F", True), (dead, "G", False)])
    models.given("files", [{"file_hash": "f_education", "source": "education",
                            "file_name": "e.csv", "first_run_id": "2026-10-01", "records": 1,
                            "title_rows": 0, "blank_rows": 0, "total_rows": 1}])  # fmt: skip
    school = {"stage": "初中", "enrolment_status": "在读"}
    models.given("linked_education", [
        record("education", s1, 1, school_year=2025, aided="是", aid_amount=2000, **school),
        record("education", s1, 2, school_year=2026, aided="是", aid_amount=600, **school),
        record("education", s2, 3, school_year=2026, aided="是", aid_amount=400, **school),
        record("education", s3, 4, school_year=2026, aided="是", aid_amount=None, **school),
        record("education", s3, 5, school_year=2025, aided="否", aid_amount=None, **school),
        record("education", dead, 6, school_year=2026, aided="是", aid_amount=800, **school),
    ])  # fmt: skip
    assert received(models) == {
        "E": "已享受：教育资助 1,000 元",  # 600 + 400 of 2026-2027; 2025's 2,000 is over
        "F": "已享受：教育资助（金额未填）",
    }


def test_renovation_unemployment_benefit_and_the_fixed_order(models: Models) -> None:
    head, son, dead = pid(1), pid(2), pid(3)
    households(models, [{"household_key": "H", "category": "低保", "status": "在保",
                         "monthly_benefit": 800}])  # fmt: skip
    members(models, [(head, "H", True), (son, "H", True), (dead, "H", False)])
    models.given("linked_housing", [record("housing", head, 1, in_renovation="是",
                                           safety_grade="C")])  # fmt: skip
    models.given("hr_current", [record("hr", son, 1, unemployment_benefit="是"),
                                record("hr", dead, 2, unemployment_benefit="是"),
                                record("hr", head, 3, unemployment_benefit="否")])  # fmt: skip
    models.given("settlements", [settlement(son, 1, 3200)])
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "in_renovation", "unemployment_benefit_members") == [
        ("H", True, 1)
    ]
    assert received(models) == {
        "H": "已享受：低保金 800 元/月；医疗救助 3,200 元（近12个月）；已纳入危房改造；失业保险金（1 人）"
    }


def test_the_window_months_are_the_policys(models: Models) -> None:
    a = pid(1)
    households(models, [{"household_key": "A"}])
    members(models, [(a, "A", True)])
    models.given("settlements", [settlement(a, 1, 100)])
    frame = models.run(MODEL, medical_months=6)
    assert frame["assistance_received"].to_list() == ["已享受：医疗救助 100 元（近6个月）"]
