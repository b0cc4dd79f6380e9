"""sql/40_score/person_signals.sql: one row per signal raised by one person's records
(policy.md, "Warning signals"), each with its evidence; no signal about a living person for a
member who died, and an event counts only up to the death."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "40_score/person_signals.sql"
DIED = "2026-10-01"


def pid(n: int, born: str = "19800101", male: bool = True) -> str:
    """A person ID of 18 characters: county, birth date, sequence, sex digit, check character."""
    return f"341102{born}{n:02d}{1 if male else 2}X"


def members(models: Models, people: list[dict[str, Any]]) -> None:
    """member_facts rows; defaults: a living roster member of household H<n>, 40, male."""
    base = {"membership": "roster", "sex": "M", "age": 40, "alive": True}
    out = []
    for i, p in enumerate(people):
        row = base | {"household_key": f"H{i}"} | p
        if row.get("death_date"):
            row["alive"] = False
        out.append(row)
    models.given("member_facts", out)


def record(source: str, person: str | None, row: int, **values: Any) -> dict[str, Any]:
    return {
        "file_hash": f"f_{source}", "_row": row, "person_id": person, "source": source,
        "file_name": f"{source}.csv", "id_status": "valid", "record_hash": f"{source}{row}",
    } | values  # fmt: skip


def signals(models: Models, code: str | None = None) -> list[tuple[Any, ...]]:
    frame = models.run(MODEL)
    if code is not None:
        frame = frame.filter(frame["code"] == code)
    return rows(frame, "person_id", "code", "tier", "_row")


def test_output_columns_are_the_signal_shape(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "person_id", "code", "tier", "amount", "event_date", "source", "file_hash",
        "file_name", "_row", "detail",
    ]  # fmt: skip


# ---- MAJOR_ILLNESS ----------------------------------------------------------------------


def test_major_illness_within_twelve_months_for_a_living_member(models: Models) -> None:
    a, b, c, d, e = (pid(i) for i in range(1, 6))
    members(models, [{"person_id": a}, {"person_id": b}, {"person_id": c},
                     {"person_id": d}, {"person_id": e, "death_date": DIED}])  # fmt: skip
    models.given(
        "linked_health",
        [
            record("health", a, 1, diagnosis_class="重大疾病", disease="恶性肿瘤",
                   visit_date="2025-11-15"),  # exactly 12 months ago: outside
            record("health", a, 2, diagnosis_class="重大疾病", disease="恶性肿瘤",
                   visit_date="2025-11-16"),  # inside
            record("health", b, 3, diagnosis_class="一般", visit_date="2026-10-01"),
            record("health", c, 4, diagnosis_class="重大疾病", visit_date="2026-11-16"),  # future
            record("health", d, 5, diagnosis_class=None, visit_date="2026-10-01"),  # unknown
            record("health", e, 6, diagnosis_class="重大疾病", visit_date="2026-09-01"),  # died
            record("health", None, 7, diagnosis_class="重大疾病", visit_date="2026-09-01"),
        ],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "person_id", "code", "tier", "_row", "event_date") == [
        (a, "MAJOR_ILLNESS", "orange", 2, "2025-11-16")
    ]
    assert frame["detail"].to_list() == ["近12个月内有重大疾病诊断（恶性肿瘤，2025-11-16）"]


def test_major_illness_without_a_disease_name_says_so(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given("linked_health", [record("health", a, 1, diagnosis_class="重大疾病",
                                          visit_date="2026-10-01")])  # fmt: skip
    assert models.run(MODEL)["detail"].to_list() == [
        "近12个月内有重大疾病诊断（病种未填，2026-10-01）"
    ]


# ---- SEVERE_DISABILITY ------------------------------------------------------------------


def test_severe_disability_grades_one_two_any_category_three_only_mental(models: Models) -> None:
    cases = [
        ("一级", "肢体", True),
        ("二级", "视力", True),
        ("三级", "智力", True),
        ("三级", "精神", True),
        ("三级", "肢体", False),
        ("四级", "智力", False),
        (None, "智力", False),  # unknown grade is not severe
        ("三级", None, False),  # grade 3 of unknown category is not severe
    ]
    people = [pid(i) for i in range(len(cases))]
    members(models, [{"person_id": p} for p in people])
    models.given(
        "linked_disability",
        [record("disability", p, i, disability_grade=g, disability_category=c,
                issue_date="2020-01-01") for i, (p, (g, c, _)) in enumerate(zip(people, cases, strict=True))],
    )  # fmt: skip
    frame = models.run(MODEL)
    expected = [
        (p, "SEVERE_DISABILITY", "orange")
        for p, (_, _, yes) in zip(people, cases, strict=True)
        if yes
    ]
    assert rows(frame, "person_id", "code", "tier") == expected
    assert "持残疾人证：智力残疾三级" in " ".join(frame["detail"].to_list())


def test_severe_disability_not_for_a_member_who_died(models: Models) -> None:
    a, b = pid(1), pid(2)
    members(models, [{"person_id": a, "death_date": DIED}, {"person_id": b}])
    models.given(
        "linked_disability",
        [record("disability", a, 1, disability_grade="一级", disability_category="肢体"),
         record("disability", b, 2, disability_grade="一级", disability_category="肢体")],
    )  # fmt: skip
    assert signals(models) == [(b, "SEVERE_DISABILITY", "orange", 2)]


# ---- UNEMPLOYED -------------------------------------------------------------------------


def test_unemployment_registration_within_six_months(models: Models) -> None:
    people = [pid(i) for i in range(6)]
    members(models, [{"person_id": p} for p in people])
    dates = [
        "2026-05-15",  # exactly 6 months ago: outside
        "2026-05-16",  # inside
        "2026-10-16",  # inside
        "2026-11-20",  # after the as-of date
        None,  # registered, date unknown: not within the window as far as we know
        "2026-10-16",  # 就业, not registered
    ]
    statuses = ["失业登记"] * 5 + ["就业"]
    models.given(
        "linked_hr",
        [record("hr", p, i, employment_status=s, unemployment_date=d)
         for i, (p, s, d) in enumerate(zip(people, statuses, dates, strict=True))],
    )  # fmt: skip
    assert signals(models) == [
        (people[1], "UNEMPLOYED", "yellow", 1),
        (people[2], "UNEMPLOYED", "yellow", 2),
    ]


def test_suspended_contributions_count_whatever_the_employment_status(models: Models) -> None:
    a, b, c = pid(1), pid(2), pid(3)
    members(models, [{"person_id": a}, {"person_id": b}, {"person_id": c}])
    models.given(
        "linked_hr",
        [
            record("hr", a, 1, employment_status="就业", insurance_status="暂停缴费"),
            record("hr", b, 2, employment_status="就业", insurance_status="正常缴费"),
            record("hr", c, 3, employment_status=None, insurance_status=None),
        ],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "person_id", "code") == [(a, "UNEMPLOYED")]
    assert frame["detail"].to_list() == ["社会保险暂停缴费，年龄40岁"]


def test_unemployed_only_from_16_to_retirement_age(models: Models) -> None:
    cases = [
        (15, "M", False),
        (16, "M", True),
        (59, "M", True),
        (60, "M", False),  # men retire at 60
        (54, "F", True),
        (55, "F", False),  # women at 55
        (57, "F", False),
        (None, "M", False),  # unknown age: not shown to be of working age
    ]
    people = [pid(i, male=s == "M") for i, (_, s, _) in enumerate(cases)]
    members(
        models,
        [{"person_id": p, "age": a, "sex": s} for p, (a, s, _) in zip(people, cases, strict=True)],
    )
    models.given(
        "linked_hr",
        [record("hr", p, i, employment_status="失业登记", unemployment_date="2026-10-16")
         for i, p in enumerate(people)],
    )  # fmt: skip
    expected = sorted(
        (p, "UNEMPLOYED") for p, (_, _, yes) in zip(people, cases, strict=True) if yes
    )
    assert rows(models.run(MODEL), "person_id", "code") == expected


def test_unemployed_says_the_date_and_the_age_in_whole_years(models: Models) -> None:
    # born 1990-12-15: 35 on 2026-11-15 (member_facts computes the whole years)
    a = pid(1, born="19901215")
    members(models, [{"person_id": a, "birth_date": "1990-12-15", "age": 35}])
    models.given("linked_hr", [record("hr", a, 1, employment_status="失业登记",
                                      unemployment_date="2026-10-16")])  # fmt: skip
    frame = models.run(MODEL)
    assert frame["detail"].to_list() == ["近6个月内失业登记（2026-10-16），年龄35岁"]
    assert rows(frame, "event_date") == [("2026-10-16",)]


def test_unemployed_not_for_a_member_who_died(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a, "death_date": DIED}])
    models.given("linked_hr", [record("hr", a, 1, employment_status="失业登记",
                                      unemployment_date="2026-09-16",
                                      insurance_status="暂停缴费")])  # fmt: skip
    assert signals(models) == []


# ---- DROPOUT and EDU_COST ---------------------------------------------------------------


def with_schooling(models: Models) -> Any:
    """person_signals after schooling.sql (the latest school year of each living member),
    which DROPOUT and EDU_COST read."""
    models.run("40_score/schooling.sql")
    return models.run(MODEL)


def education_files(models: Models, delivered: dict[str, str | None]) -> None:
    models.given(
        "files",
        [{"file_hash": f, "source": "education", "file_name": f"{f}.xlsx", "first_run_id": d,
          "records": 1, "title_rows": 0, "blank_rows": 0, "total_rows": 1}
         for f, d in delivered.items()],
    )  # fmt: skip


def school(person: str, row: int, stage: str, status: str, year: int | None,
           file_hash: str = "e1") -> dict[str, Any]:  # fmt: skip
    return record("education", person, row, stage=stage, enrolment_status=status,
                  school_year=year, file_hash=file_hash, file_name=f"{file_hash}.xlsx")  # fmt: skip


def test_dropout_in_primary_or_junior_school_in_the_latest_school_year(models: Models) -> None:
    back, out, senior, primary = pid(1, "20120101"), pid(2, "20120101"), pid(3, "20090101"), pid(4, "20160101")  # fmt: skip
    members(models, [{"person_id": p, "age": 14} for p in (back, out, senior, primary)])
    education_files(models, {"e1": "2026-10-01"})
    models.given(
        "linked_education",
        [
            school(back, 1, "初中", "辍学", 2025),
            school(back, 2, "初中", "在读", 2026),  # back at school this year
            school(out, 3, "初中", "在读", 2025),
            school(out, 4, "初中", "辍学", 2026),
            school(senior, 5, "高中", "辍学", 2026),  # not compulsory schooling
            school(primary, 6, "小学", "辍学", 2026),
        ],
    )
    frame = with_schooling(models).filter(code="DROPOUT")
    assert rows(frame, "person_id", "tier", "_row") == [(out, "red", 4), (primary, "red", 6)]
    assert sorted(frame["detail"].to_list()) == [
        "初中学生学籍状态为辍学（2026-2027学年）",
        "小学学生学籍状态为辍学（2026-2027学年）",
    ]


def test_a_blank_school_year_is_the_year_of_its_files_first_delivery(models: Models) -> None:
    autumn, summer = pid(1, "20130606"), pid(2, "20130606")
    members(models, [{"person_id": autumn, "age": 13}, {"person_id": summer, "age": 13}])
    # a school year starts on 1 September: delivered 2026-09-01 is 2026-2027,
    # delivered 2026-08-31 is 2025-2026
    education_files(models, {"sep": "2026-09-01", "aug": "2026-08-31", "old": "2026-03-01"})
    models.given(
        "linked_education",
        [
            school(autumn, 1, "小学", "在读", 2025, file_hash="old"),
            school(autumn, 2, "小学", "辍学", None, file_hash="sep"),  # 2026: the latest
            school(summer, 3, "小学", "辍学", None, file_hash="aug"),  # 2025: not the latest
            school(summer, 4, "小学", "在读", 2026, file_hash="old"),
        ],
    )
    frame = with_schooling(models)
    assert rows(frame, "person_id", "code", "_row") == [(autumn, "DROPOUT", 2)]
    assert frame["detail"].to_list() == [
        "小学学生学籍状态为辍学（2026-2027学年，学年未填，按报送时学年计）"
    ]


def test_dropout_not_for_a_member_who_died(models: Models) -> None:
    a = pid(1, "20120101")
    members(models, [{"person_id": a, "age": 14, "death_date": DIED}])
    education_files(models, {"e1": "2026-10-01"})
    models.given("linked_education", [school(a, 1, "初中", "辍学", 2026)])
    assert rows(with_schooling(models), "person_id", "code") == []


def test_education_cost_for_students_of_senior_stages(models: Models) -> None:
    cases = [
        ("高中", "在读", True),
        ("中职", "在读", True),
        ("高职", "在读", True),
        ("本科", "在读", True),
        ("初中", "在读", False),  # compulsory schooling is free
        ("高中", "休学", False),
        ("本科", None, False),
        (None, "在读", False),
    ]
    people = [pid(i, "20080101") for i in range(len(cases))]
    members(models, [{"person_id": p, "age": 18} for p in people])
    education_files(models, {"e1": "2026-10-01"})
    models.given(
        "linked_education",
        [school(p, i, stage, status, 2026) for i, (p, (stage, status, _)) in
         enumerate(zip(people, cases, strict=True))],
    )  # fmt: skip
    frame = with_schooling(models)
    expected = sorted(
        (p, "EDU_COST", "yellow") for p, (_, _, yes) in zip(people, cases, strict=True) if yes
    )
    assert rows(frame, "person_id", "code", "tier") == expected
    assert "在读本科（2026-2027学年），有教育支出" in frame["detail"].to_list()


def test_education_cost_only_in_the_latest_school_year(models: Models) -> None:
    graduated, blank = pid(1, "20050101"), pid(2, "20080101")
    members(models, [{"person_id": graduated, "age": 21}, {"person_id": blank, "age": 18}])
    education_files(models, {"e1": "2026-10-01"})
    models.given(
        "linked_education",
        [
            school(graduated, 1, "本科", "在读", 2025),
            school(graduated, 2, "本科", "毕业", 2026),
            school(blank, 3, "高中", "在读", None),
        ],
    )
    frame = with_schooling(models)
    assert rows(frame, "person_id", "code") == [(blank, "EDU_COST")]
    assert frame["detail"].to_list() == [
        "在读高中（2026-2027学年，学年未填，按报送时学年计），有教育支出"
    ]


# ---- HOUSING_UNSAFE ---------------------------------------------------------------------


def test_unsafe_housing_c_orange_d_red_unless_in_renovation(models: Models) -> None:
    cases = [
        ("C", "否", "orange"),
        ("D", "否", "red"),
        ("D", "是", None),  # already in 危房改造
        ("C", "是", None),
        ("D", None, "red"),  # renovation unknown: not shown to be in it
        ("B", "否", None),
        (None, "否", None),  # unknown grade
    ]
    people = [pid(i) for i in range(len(cases))]
    members(models, [{"person_id": p} for p in people])
    models.given(
        "linked_housing",
        [record("housing", p, i, safety_grade=g, in_renovation=r, properties=1)
         for i, (p, (g, r, _)) in enumerate(zip(people, cases, strict=True))]
        + [record("housing", None, 99, safety_grade="D", in_renovation="否")],
    )  # fmt: skip
    frame = models.run(MODEL)
    expected = sorted(
        (p, "HOUSING_UNSAFE", t) for p, (_, _, t) in zip(people, cases, strict=True) if t
    )
    assert rows(frame, "person_id", "code", "tier") == expected
    assert "房屋安全等级为D级（危房），未纳入危房改造" in frame["detail"].to_list()


# ---- DISASTER ---------------------------------------------------------------------------


def test_disaster_within_ninety_days(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given(
        "linked_emergency",
        [
            record("emergency", a, 1, event_date="2026-08-17", house_damage="一般损坏"),  # 90 days
            record("emergency", a, 2, event_date="2026-08-18", house_damage="一般损坏"),  # 89 days
            record("emergency", a, 3, event_date="2026-11-16", house_damage="一般损坏"),  # future
            record("emergency", None, 4, event_date="2026-11-01", house_damage="一般损坏"),
        ],
    )  # fmt: skip
    assert signals(models) == [(a, "DISASTER", "orange", 2)]


def test_disaster_red_for_collapse_severe_damage_death_or_serious_injury(models: Models) -> None:
    cases = [
        ("全部倒塌", "无", "red"),
        ("严重损坏", "无", "red"),
        ("无", "死亡", "red"),
        ("无", "重伤", "red"),
        ("一般损坏", "轻伤", "orange"),
        ("无", "无", "orange"),
        (None, None, "orange"),  # unknown damage is not taken as collapse
    ]
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given(
        "linked_emergency",
        [record("emergency", a, i, event_date="2026-11-01", disaster_type="洪涝",
                house_damage=d, casualty=c) for i, (d, c, _) in enumerate(cases)],
    )  # fmt: skip
    assert rows(models.run(MODEL), "_row", "tier") == [(i, t) for i, (_, _, t) in enumerate(cases)]


def test_disaster_text_in_plain_words(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given(
        "linked_emergency",
        [
            record("emergency", a, 1, event_date="2026-11-01", disaster_type="洪涝",
                   house_damage="无", casualty="无"),
            record("emergency", a, 2, event_date="2026-11-02", disaster_type=None,
                   house_damage=None, casualty=None, direct_loss=12345),
            record("emergency", a, 3, event_date="2026-11-03", disaster_type="火灾",
                   house_damage="全部倒塌", casualty="重伤"),
        ],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "_row", "detail", "amount") == [
        (1, "2026-11-01遭受洪涝，房屋无损毁，无人员伤亡", None),
        (2, "2026-11-02遭受灾害，房屋损毁情况未填，人员伤亡情况未填，直接经济损失 12,345 元", 12345.0),
        (3, "2026-11-03遭受火灾，房屋全部倒塌，人员重伤", None),
    ]  # fmt: skip


def test_disaster_counts_only_up_to_the_persons_death(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a, "death_date": DIED}])
    models.given(
        "linked_emergency",
        [
            record("emergency", a, 1, event_date="2026-09-20", house_damage="无"),
            record("emergency", a, 2, event_date=DIED, house_damage="无"),  # the day of death
            record("emergency", a, 3, event_date="2026-10-05", house_damage="无"),
        ],
    )
    assert rows(models.run(MODEL).filter(code="DISASTER"), "_row") == [(1,), (2,)]


# ---- HOTLINE_HELP -----------------------------------------------------------------------


def test_hotline_help_tickets_within_thirty_days(models: Models) -> None:
    a, dead = pid(1), pid(2)
    members(models, [{"person_id": a}, {"person_id": dead, "death_date": DIED}])
    models.given(
        "linked_hotline",
        [
            record("hotline", a, 1, ticket_no="T1", request_type="求助", call_time="2026-11-05"),
            record("hotline", a, 2, ticket_no="T2", request_type="咨询", call_time="2026-11-05"),
            record("hotline", a, 3, ticket_no="T3", request_type="求助", call_time="2026-10-16"),  # 30 days
            record("hotline", a, 4, ticket_no="T4", request_type="求助", call_time="2026-10-17"),  # 29 days
            record("hotline", a, 5, ticket_no="T5", request_type=None, call_time="2026-11-05"),
            record("hotline", a, 6, ticket_no="T6", request_type="求助", call_time="2026-11-16"),
            record("hotline", dead, 7, ticket_no="T7", request_type="求助", call_time="2026-09-30"),  # before the 30 days
            record("hotline", dead, 8, ticket_no="T8", request_type="求助", call_time="2026-10-20"),  # after the death
        ],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "person_id", "code", "tier", "_row") == [
        (a, "HOTLINE_HELP", "orange", 1),
        (a, "HOTLINE_HELP", "orange", 4),
    ]
    assert "2026-11-05拨打12345求助（工单 T1）" in frame["detail"].to_list()


def test_hotline_ticket_before_the_death_counts(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a, "death_date": "2026-11-10"}])
    models.given(
        "linked_hotline",
        [record("hotline", a, 1, ticket_no="T1", request_type="求助", call_time="2026-11-01"),
         record("hotline", a, 2, ticket_no="T2", request_type="求助", call_time="2026-11-12")],
    )  # fmt: skip
    assert rows(models.run(MODEL).filter(code="HOTLINE_HELP"), "_row") == [(1,)]


# ---- DECEASED ---------------------------------------------------------------------------


def test_deceased_once_per_roster_member_whatever_the_death_records(models: Models) -> None:
    roster, rural, later = pid(1), pid(2), pid(3)
    members(
        models,
        [
            {"person_id": roster, "death_date": "2026-10-01"},
            {"person_id": rural, "membership": "rural", "death_date": "2026-10-01"},
            {"person_id": later},
        ],
    )
    models.given(
        "linked_health",
        [
            record("health", roster, 1, death_date="2026-10-03", file_name="b.csv"),
            record("health", roster, 2, death_date="2026-10-01", file_name="b.csv", file_hash="h2"),
            record("health", roster, 3, death_date="2026-10-01", file_name="a.csv", file_hash="h3"),
            record("health", rural, 4, death_date="2026-10-01"),  # not a roster member
            record("health", later, 5, death_date="2026-11-20"),  # after the as-of date
        ],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "person_id", "code", "tier", "file_name", "_row", "event_date") == [
        (roster, "DECEASED", "review", "b.csv", 2, "2026-10-01")  # by content hash, not name
    ]
    assert frame["detail"].to_list() == ["卫健记录死亡日期 2026-10-01，需减员"]


def test_a_dead_members_death_record_with_a_major_illness_raises_only_deceased(
    models: Models,
) -> None:
    a = pid(1, "19600505", male=False)
    members(models, [{"person_id": a, "sex": "F", "death_date": "2026-10-26"}])
    models.given(
        "linked_health",
        [
            record("health", a, 1, diagnosis_class="重大疾病", disease="肺癌",
                   visit_date="2026-08-27"),
            record("health", a, 2, diagnosis_class="一般", death_date="2026-10-26"),
        ],
    )  # fmt: skip
    assert signals(models) == [(a, "DECEASED", "review", 2)]


def test_records_of_people_in_no_household_raise_nothing_but_housing(models: Models) -> None:
    # member_facts is the household members; housing is raised on any linked person and
    # attached (or not) to a household later
    stranger = pid(9)
    members(models, [])
    models.given("linked_health", [record("health", stranger, 1, diagnosis_class="重大疾病",
                                          visit_date="2026-10-01")])  # fmt: skip
    models.given("linked_housing", [record("housing", stranger, 1, safety_grade="D",
                                           in_renovation="否")])  # fmt: skip
    assert signals(models) == [(stranger, "HOUSING_UNSAFE", "red", 1)]


def test_a_blank_school_year_of_a_file_without_a_readable_run_is_the_as_of_years(
    models: Models,
) -> None:
    a = pid(1, "20130606")
    members(models, [{"person_id": a, "age": 13}])
    education_files(models, {"e1": None})  # no run id: delivered as of 2026-11-15
    models.given("linked_education", [school(a, 1, "初中", "辍学", None)])
    assert with_schooling(models)["detail"].to_list() == [
        "初中学生学籍状态为辍学（2026-2027学年，学年未填，按报送时学年计）"
    ]


def test_an_old_registration_with_suspended_contributions_says_the_suspension(
    models: Models,
) -> None:
    a = pid(1)
    members(models, [{"person_id": a, "age": 50}])
    models.given("linked_hr", [record("hr", a, 1, employment_status="失业登记",
                                      unemployment_date="2025-01-10",
                                      insurance_status="暂停缴费")])  # fmt: skip
    assert models.run(MODEL)["detail"].to_list() == ["社会保险暂停缴费，年龄50岁"]
