"""sql/40_score/household_signals.sql: the members' person signals plus the household-level
signals (MED_OOP_HIGH, MED_ASSIST_MISSING, ASSETS_REVIEW, RURAL_RISK, income), and who gets
them: roster and rural households everything, anyone else only with a proactive code; a
household with no living member DECEASED only."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "40_score/household_signals.sql"


def pid(n: int, born: str = "19800101", male: bool = True) -> str:
    return f"341102{born}{n:02d}{1 if male else 2}X"


def households(models: Models, rows_: list[dict[str, Any]]) -> None:
    """households_routed rows; defaults: a roster 低保 household (在保) of one living member."""
    base = {"kind": "在册对象", "membership": "roster", "size": 1, "living_size": 1,
            "category": "低保", "status": "在保", "exited_long_ago": False,
            "county": "341102", "township": "琅琊街道"}  # fmt: skip
    out = []
    for r in rows_:
        row = base | r
        if row["membership"] != "roster":
            row = row | {
                "kind": "主动发现",
                "category": r.get("category"),
                "status": r.get("status"),
            }
        out.append(row)
    models.given("households_routed", out)


def members(models: Models, pairs: list[tuple[str, str, str]]) -> None:
    """(person_id, household_key, membership)."""
    models.given(
        "household_members",
        [{"person_id": p, "household_key": h, "membership": m} for p, h, m in pairs],
    )


def incomes(models: Models, annual: dict[str, float | None]) -> None:
    models.given(
        "household_income",
        [{"household_key": k, "annual_income": a, "income": None if a is None else a / 12}
         for k, a in annual.items()],
    )  # fmt: skip


def settlement(person: str, row: int, oop: float, **values: Any) -> dict[str, Any]:
    return {
        "person_id": person, "record_hash": f"k{row}", "file_hash": "m1",
        "settlement_date": "2026-10-01", "care_type": "门诊慢特病", "assistance_paid": None,
        "source": "medical_insurance", "file_name": "医保.csv", "_row": row, "oop": oop,
    } | values  # fmt: skip


def person_signal(person: str, code: str, tier: str, row: int = 1, **values: Any) -> dict[str, Any]:
    return {
        "person_id": person, "code": code, "tier": tier, "source": "x", "file_hash": "fx",
        "file_name": "x.csv", "_row": row, "detail": f"{code} of {person}",
    } | values  # fmt: skip


def one_person_households(models: Models, keys: list[str], **values: Any) -> list[str]:
    """Households K with one member each (the person pid(i)); returns the persons."""
    people = [pid(i) for i in range(len(keys))]
    households(
        models,
        [{"household_key": k, "head_id": p} | values for k, p in zip(keys, people, strict=True)],
    )
    members(models, [(p, k, "roster") for k, p in zip(keys, people, strict=True)])
    return people


def test_output_columns_are_the_signal_shape_with_the_household(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "household_key", "person_id", "code", "tier", "amount", "event_date", "source",
        "file_hash", "file_name", "_row", "detail",
    ]  # fmt: skip


# ---- MED_OOP_HIGH -----------------------------------------------------------------------


def test_out_of_pocket_absolute_thresholds_with_an_unknown_income(models: Models) -> None:
    amounts = {"A": 19999.99, "B": 20000, "C": 49999.99, "D": 50000, "E": 4999}
    people = one_person_households(models, list(amounts))
    incomes(models, dict.fromkeys(amounts))  # unknown: only the absolute rules
    models.given(
        "settlements",
        [
            settlement(p, i, a)
            for i, (p, a) in enumerate(zip(people, amounts.values(), strict=True))
        ],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "code", "tier", "amount") == [
        ("B", "MED_OOP_HIGH", "orange", 20000.0),
        ("C", "MED_OOP_HIGH", "orange", 49999.99),
        ("D", "MED_OOP_HIGH", "red", 50000.0),
    ]
    assert rows(frame, "household_key", "detail") == [
        ("B", "近12个月医疗个人自付合计 20,000 元（1笔结算），达到 20,000 元（橙色）"),
        ("C", "近12个月医疗个人自付合计 50,000 元（1笔结算），达到 20,000 元（橙色）"),
        ("D", "近12个月医疗个人自付合计 50,000 元（1笔结算），达到 50,000 元（红色）"),
    ]


def test_out_of_pocket_relative_to_a_known_annual_income(models: Models) -> None:
    cases = {
        # household: (annual income, out-of-pocket, tier or None)
        "A": (12000, 6000, "orange"),  # 50 %
        "B": (12000, 5999, None),  # below 50 %
        "C": (12000, 12000, "red"),  # 100 %
        "D": (12000, 11999, "orange"),
        "E": (4000, 4999, None),  # above 100 % but below 5,000
        "F": (4000, 5000, "red"),
        "G": (0, 5000, "red"),  # a known 0 is known: 5,000 >= 100 % of 0
        "H": (None, 5000, None),  # unknown: only the absolute rules
        "I": (None, 19999, None),
        "J": (100000, 20000, "orange"),  # absolute rule whatever the share
    }
    people = one_person_households(models, list(cases))
    incomes(models, {k: v[0] for k, v in cases.items()})
    models.given(
        "settlements",
        [
            settlement(p, i, v[1])
            for i, (p, v) in enumerate(zip(people, cases.values(), strict=True))
        ],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "tier") == [(k, v[2]) for k, v in cases.items() if v[2]]
    text = dict(rows(frame, "household_key", "detail"))
    assert text["A"].endswith("，超过家庭年收入 12,000 元的 50%（橙色）")
    assert text["C"].endswith("，超过家庭年收入 12,000 元的 100%（红色）")
    assert text["G"].endswith("，超过家庭年收入 0 元的 100%（红色）")
    assert text["J"].endswith("，达到 20,000 元（橙色）")


def test_out_of_pocket_sums_the_household_and_cites_its_largest_settlement(models: Models) -> None:
    head, spouse, other = pid(1), pid(2, male=False), pid(3)
    households(models, [{"household_key": "S01", "head_id": head, "size": 2, "living_size": 2},
                        {"household_key": "S02", "head_id": other}])  # fmt: skip
    members(models, [(head, "S01", "roster"), (spouse, "S01", "roster"), (other, "S02", "roster")])
    incomes(models, {"S01": None, "S02": None})
    models.given(
        "settlements",
        [
            settlement(head, 3, 9000, file_hash="f1", file_name="医保_10月.csv"),
            settlement(spouse, 1, 16000, file_hash="f2", file_name="医保_11月.csv"),
            settlement(other, 2, 15000),  # another household's: not in the sum
        ],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "person_id", "file_hash", "file_name", "_row", "amount", "source") == [
        ("S01", spouse, "f2", "医保_11月.csv", 1, 25000.0, "medical_insurance")
    ]  # fmt: skip
    assert frame["detail"].to_list() == [
        "近12个月医疗个人自付合计 25,000 元（2笔结算），达到 20,000 元（橙色）"
    ]


def test_refunds_net_out_and_are_said_only_when_netted(models: Models) -> None:
    people = one_person_households(models, ["R", "N", "Z"])
    incomes(models, {"R": None, "N": None, "Z": None})
    models.given(
        "settlements",
        [
            settlement(people[0], 1, 30000),
            settlement(people[0], 2, -5000),  # a refund
            settlement(people[1], 3, 25000),
            settlement(people[1], 4, 0),  # zero is not a refund
            settlement(people[2], 5, 30000),
            settlement(people[2], 6, -15000),  # nets to 15,000: below 20,000
        ],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "amount", "_row", "detail") == [
        ("N", 25000.0, 3, "近12个月医疗个人自付合计 25,000 元（2笔结算），达到 20,000 元（橙色）"),
        ("R", 25000.0, 1, "近12个月医疗个人自付合计 25,000 元（2笔结算，退费已冲抵），达到 20,000 元（橙色）"),
    ]  # fmt: skip


def test_largest_settlement_ties_go_to_the_first_content_hash_then_row(models: Models) -> None:
    (p,) = one_person_households(models, ["T"])
    incomes(models, {"T": None})
    models.given(
        "settlements",
        [settlement(p, 5, 12000, file_name="b.csv"), settlement(p, 9, 12000, file_name="a.csv"),
         settlement(p, 2, 12000, file_name="a.csv", file_hash="m2")],
    )  # fmt: skip
    # m1 before m2 (content hashes; names do not matter), then the row
    assert rows(models.run(MODEL), "file_name", "_row", "file_hash") == [("b.csv", 5, "m1")]


# ---- MED_ASSIST_MISSING -----------------------------------------------------------------


def test_medical_assistance_missing_for_inpatients_of_households_on_assistance(
    models: Models,
) -> None:
    cases = {
        # household: (category, status, care type, 医疗救助支付, raises)
        "A": ("低保", "在保", "住院", 0, True),
        "B": ("低保", "在保", "住院", None, True),  # blank
        "C": ("低保", "在保", "住院", 100, False),
        "D": ("低保", "在保", "门诊", 0, False),
        "E": ("特困", "渐退", "住院", 0, True),
        "F": ("低保", "退出", "住院", 0, False),  # left assistance
        "G": ("低保边缘", "在保", "住院", 0, False),  # not 低保/特困
        "H": ("特困", None, "住院", 0, True),  # no status: 在保
        "I": (None, None, "住院", 0, False),
    }
    people = [pid(i) for i in range(len(cases))]
    households(models, [{"household_key": k, "head_id": p, "category": v[0], "status": v[1]}
                        for p, (k, v) in zip(people, cases.items(), strict=True)])  # fmt: skip
    members(models, [(p, k, "roster") for p, k in zip(people, cases, strict=True)])
    incomes(models, dict.fromkeys(cases, 120000))
    models.given(
        "settlements",
        [settlement(p, i, 800, care_type=v[2], assistance_paid=v[3])
         for i, (p, v) in enumerate(zip(people, cases.values(), strict=True))],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "code", "tier", "amount") == [
        (k, "MED_ASSIST_MISSING", "yellow", 800.0) for k, v in cases.items() if v[4]
    ]
    assert dict(rows(frame, "household_key", "detail"))["E"] == (
        "2026-10-01住院结算未享受医疗救助（医疗救助支付为0或空），该户为特困对象"
    )


def test_medical_assistance_missing_once_per_member_citing_the_latest_stay(models: Models) -> None:
    head, spouse = pid(1), pid(2, male=False)
    households(models, [{"household_key": "A", "head_id": head, "size": 2, "living_size": 2}])
    members(models, [(head, "A", "roster"), (spouse, "A", "roster")])
    incomes(models, {"A": 120000})
    models.given(
        "settlements",
        [
            settlement(head, 1, 800, care_type="住院", assistance_paid=0, settlement_date="2026-03-01"),
            settlement(head, 2, 900, care_type="住院", assistance_paid=0, settlement_date="2026-09-01"),
            settlement(head, 3, 700, care_type="住院", assistance_paid=0, settlement_date="2025-11-15"),  # 12 months
            settlement(spouse, 4, 600, care_type="住院", assistance_paid=None, settlement_date="2026-05-01"),
        ],
    )  # fmt: skip
    assert rows(models.run(MODEL), "person_id", "code", "_row", "event_date") == [
        (head, "MED_ASSIST_MISSING", 2, "2026-09-01"),
        (spouse, "MED_ASSIST_MISSING", 4, "2026-05-01"),
    ]


# ---- ASSETS_REVIEW ----------------------------------------------------------------------


def test_assets_review_for_a_roster_head_with_two_or_more_properties(models: Models) -> None:
    heads = [pid(i) for i in range(5)]
    spouse = pid(9, male=False)
    households(
        models,
        [
            {"household_key": "A", "head_id": heads[0]},
            {"household_key": "B", "head_id": heads[1]},
            {"household_key": "C", "head_id": heads[2]},
            {"household_key": "D", "head_id": heads[3], "size": 2, "living_size": 2},
            {"household_key": "XC:E", "head_id": heads[4], "membership": "rural"},
        ],
    )
    members(models, [(heads[0], "A", "roster"), (heads[1], "B", "roster"),
                     (heads[2], "C", "roster"), (heads[3], "D", "roster"),
                     (spouse, "D", "roster"), (heads[4], "XC:E", "rural")])  # fmt: skip
    housing = [(heads[0], 2), (heads[1], 1), (heads[2], None), (spouse, 3), (heads[4], 3)]
    models.given(
        "linked_housing",
        [{"file_hash": "h1", "_row": i, "person_id": p, "properties": n, "safety_grade": "A",
          "source": "housing", "file_name": "住建.csv"} for i, (p, n) in enumerate(housing)],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "person_id", "code", "tier", "amount", "_row") == [
        ("A", heads[0], "ASSETS_REVIEW", "review", 2.0, 0)
    ]
    assert frame["detail"].to_list() == ["户主名下不动产 2 套，需核查家庭财产"]


# ---- RURAL_RISK -------------------------------------------------------------------------


def rural(row: int, household_no: str | None, person: str | None, klass: str | None,
          cleared: str | None = "否", relation: str = "本人", **values: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "file_hash": "r1", "_row": row, "household_no": household_no, "person_id": person,
        "relation": relation, "monitoring_class": klass, "risk_cleared": cleared,
        "risk_type": "因病", "source": "rural", "file_name": "乡村振兴.xlsx",
    } | values  # fmt: skip


def test_rural_risk_red_for_sudden_hardship_not_when_cleared_or_class_none(models: Models) -> None:
    keys = ["XC:H1", "XC:H2", "XC:H3", "XC:H4", "XC:H5"]
    households(models, [{"household_key": k, "membership": "rural"} for k in keys])
    members(models, [])
    models.given(
        "linked_rural",
        [
            rural(1, "H1", None, "突发严重困难户"),  # nobody links: on XC:H1
            rural(2, "H2", None, "边缘易致贫户"),  # nobody links either: its own row
            rural(3, "H3", None, "边缘易致贫户", cleared="是"),
            rural(4, "H4", None, "无"),
            rural(5, "H5", None, None),  # class unknown
            rural(6, None, None, "突发严重困难户"),  # no 户编号: no household
        ],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "code", "tier", "_row") == [
        ("XC:H1", "RURAL_RISK", "red", 1),
        ("XC:H2", "RURAL_RISK", "orange", 2),
    ]
    assert dict(rows(frame, "household_key", "detail"))["XC:H1"] == (
        "防返贫监测对象（突发严重困难户，因病），风险尚未消除"
    )


def test_rural_risk_once_per_household_on_the_members_roster_household(models: Models) -> None:
    head, spouse, child = pid(1), pid(2, male=False), pid(3, "20050101")
    households(
        models,
        [
            {"household_key": "S07", "head_id": head, "size": 2, "living_size": 2},
            {"household_key": "XC:H7", "head_id": child, "membership": "rural"},
        ],
    )
    members(models, [(head, "S07", "roster"), (spouse, "S07", "roster"), (child, "XC:H7", "rural")])
    models.given(
        "linked_rural",
        [
            rural(1, "H7", spouse, "脱贫不稳定户", relation="配偶"),
            rural(2, "H7", head, "脱贫不稳定户", relation="本人"),
            rural(3, "H7", child, "脱贫不稳定户", relation="子女", risk_type=None),
        ],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "person_id", "code", "tier", "_row") == [
        ("S07", head, "RURAL_RISK", "orange", 2),  # the head's row
        ("XC:H7", child, "RURAL_RISK", "orange", 3),
    ]
    assert dict(rows(frame, "household_key", "detail"))["XC:H7"] == (
        "防返贫监测对象（脱贫不稳定户，风险类型未填），风险尚未消除"
    )


def test_rural_risk_on_the_roster_household_and_on_the_members_left_outside_it(
    models: Models,
) -> None:
    """Head and spouse are on roster household S07; a third row of rural household H7 links
    to nobody, so it stays the rural household XC:H7 (formed from the members on no roster
    household). The family's risk is raised on both: S07's warning does not cover the member
    left outside it, and policy.md's rural household is every member of 户编号 H7."""
    head, spouse = pid(1), pid(2, male=False)
    households(
        models,
        [
            {"household_key": "S07", "head_id": head, "size": 2, "living_size": 2},
            {"household_key": "XC:H7", "head_id": None, "membership": "rural", "size": 1,
             "living_size": 1},
        ],
    )  # fmt: skip
    members(models, [(head, "S07", "roster"), (spouse, "S07", "roster")])
    models.given(
        "linked_rural",
        [
            rural(1, "H7", head, "脱贫不稳定户", relation="本人"),
            rural(2, "H7", spouse, "脱贫不稳定户", relation="配偶"),
            rural(3, "H7", None, "脱贫不稳定户", relation="子女"),
        ],
    )
    assert rows(models.run(MODEL), "household_key", "code") == [
        ("S07", "RURAL_RISK"),
        ("XC:H7", "RURAL_RISK"),
    ]


def test_rural_risk_takes_the_red_row_of_a_household(models: Models) -> None:
    head, spouse = pid(1), pid(2, male=False)
    households(models, [{"household_key": "XC:H8", "head_id": head, "membership": "rural",
                         "size": 2, "living_size": 2}])  # fmt: skip
    members(models, [(head, "XC:H8", "rural"), (spouse, "XC:H8", "rural")])
    models.given(
        "linked_rural",
        [rural(1, "H8", head, "边缘易致贫户"),
         rural(2, "H8", spouse, "突发严重困难户", relation="配偶")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "person_id", "tier") == [
        ("XC:H8", spouse, "red")
    ]


# ---- person and income signals; applicability --------------------------------------------


def test_person_signals_attach_to_the_persons_household(models: Models) -> None:
    head, child, stranger = pid(1), pid(2, "20120101"), pid(3)
    households(models, [{"household_key": "A", "head_id": head, "size": 2, "living_size": 2}])
    members(models, [(head, "A", "roster"), (child, "A", "roster")])
    models.given(
        "person_signals",
        [
            person_signal(head, "UNEMPLOYED", "yellow"),
            person_signal(child, "DROPOUT", "red", 2),
            person_signal(stranger, "HOTLINE_HELP", "orange", 3),  # in no household
        ],
    )
    assert rows(models.run(MODEL), "household_key", "person_id", "code", "tier", "file_hash", "_row", "detail") == [
        ("A", head, "UNEMPLOYED", "yellow", "fx", 1, f"UNEMPLOYED of {head}"),
        ("A", child, "DROPOUT", "red", "fx", 2, f"DROPOUT of {child}"),
    ]  # fmt: skip


def test_income_signals_pass_through(models: Models) -> None:
    (head,) = one_person_households(models, ["A"], category="低保边缘")
    models.given(
        "income_signals",
        [{"household_key": "A", "person_id": head, "code": "INCOME_BELOW_STANDARD",
          "tier": "orange", "amount": 600, "source": "roster", "detail": "人均 600 元/月"}],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "code", "amount", "source", "file_hash") == [
        ("A", "INCOME_BELOW_STANDARD", 600.0, "roster", None)
    ]


def test_care_work_ability_and_benefit_signals_pass_through(models: Models) -> None:
    # issue 14: care_needed, work_ability_lost and benefit_check are household signals; a
    # household off the roster and the rural list gets none of them (not proactive codes)
    a, b, c, d = one_person_households(models, ["A", "B", "C", "D"])
    households(
        models,
        [{"household_key": "A", "head_id": a}, {"household_key": "B", "head_id": b},
         {"household_key": "C", "head_id": c}, {"household_key": "D", "head_id": d,
                                                "membership": "other"}],
    )  # fmt: skip
    for table, key, person, code, tier in (
        ("care_needed", "A", a, "CARE_NEEDED", "yellow"),
        ("work_ability_lost", "B", b, "WORK_ABILITY_LOST", "orange"),
        ("benefit_check", "C", c, "BENEFIT_CHECK", "review"),
    ):
        models.given(
            table,
            [{"household_key": key, "person_id": person, "code": code, "tier": tier,
              "source": "roster", "file_hash": "r", "_row": 1, "detail": code},
             {"household_key": "D", "person_id": d, "code": code, "tier": tier,
              "source": "roster", "file_hash": "r", "_row": 2, "detail": code}],
        )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "code", "tier") == [
        ("A", "CARE_NEEDED", "yellow"),
        ("B", "WORK_ABILITY_LOST", "orange"),
        ("C", "BENEFIT_CHECK", "review"),
    ]


def test_households_off_the_roster_only_with_a_proactive_code(models: Models) -> None:
    p = [pid(i) for i in range(6)]
    households(
        models,
        [
            {"household_key": "GR:1", "head_id": p[0], "membership": "other"},
            {"household_key": "GR:2", "head_id": p[1], "membership": "other"},
            {"household_key": "XC:3", "head_id": p[2], "membership": "rural"},
            {"household_key": "R4", "head_id": p[3]},
            {"household_key": "R5", "head_id": p[4], "status": "退出", "exited_long_ago": True},
            {"household_key": "R6", "head_id": p[5], "status": "退出", "exited_long_ago": True},
        ],
    )
    members(models, [(p[0], "GR:1", "other"), (p[1], "GR:2", "other"), (p[2], "XC:3", "rural"),
                     (p[3], "R4", "roster"), (p[4], "R5", "roster"), (p[5], "R6", "roster")])  # fmt: skip
    models.given(
        "person_signals",
        [
            person_signal(p[0], "EDU_COST", "yellow"),  # yellow alone: not hardship
            person_signal(p[0], "UNEMPLOYED", "yellow", 2),
            person_signal(p[1], "EDU_COST", "yellow"),
            person_signal(p[1], "HOTLINE_HELP", "orange", 2),  # proactive: both listed
            person_signal(p[2], "EDU_COST", "yellow"),
            person_signal(p[3], "EDU_COST", "yellow"),
            person_signal(p[4], "EDU_COST", "yellow"),  # left assistance long ago
            person_signal(p[5], "EDU_COST", "yellow"),
            person_signal(p[5], "DISASTER", "orange", 2),  # but in hardship again
        ],
    )
    assert rows(models.run(MODEL), "household_key", "code") == [
        ("GR:2", "EDU_COST"),
        ("GR:2", "HOTLINE_HELP"),
        ("R4", "EDU_COST"),
        ("R6", "DISASTER"),
        ("R6", "EDU_COST"),
        ("XC:3", "EDU_COST"),
    ]


def test_a_household_level_proactive_code_lists_a_household_off_the_roster(models: Models) -> None:
    p = pid(1)
    households(models, [{"household_key": "GR:1", "head_id": p, "membership": "other"}])
    members(models, [(p, "GR:1", "other")])
    incomes(models, {"GR:1": None})
    models.given("settlements", [settlement(p, 1, 30000)])
    models.given("person_signals", [person_signal(p, "UNEMPLOYED", "yellow")])
    assert rows(models.run(MODEL), "household_key", "code") == [
        ("GR:1", "MED_OOP_HIGH"),
        ("GR:1", "UNEMPLOYED"),
    ]


def test_a_household_with_no_living_member_keeps_deceased_only(models: Models) -> None:
    head, spouse = pid(1, "19450606"), pid(2, "19600505", male=False)
    households(
        models,
        [
            {"household_key": "S06", "head_id": head, "category": "特困", "living_size": 0},
            {"household_key": "S05", "head_id": spouse, "size": 2, "living_size": 1},
        ],
    )
    members(models, [(head, "S06", "roster"), (spouse, "S05", "roster")])
    incomes(models, {"S06": None, "S05": None})
    models.given(
        "person_signals",
        [
            person_signal(head, "DECEASED", "review"),
            person_signal(head, "HOUSING_UNSAFE", "red", 2),
            person_signal(spouse, "DECEASED", "review", 3),
        ],
    )
    models.given(
        "settlements",
        [settlement(head, 1, 60000, care_type="住院", assistance_paid=0),
         settlement(spouse, 2, 60000)],
    )  # fmt: skip
    models.given("linked_housing", [{"file_hash": "h1", "_row": 1, "person_id": head,
                                     "properties": 3, "source": "housing"}])  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "code") == [
        ("S05", "DECEASED"),
        ("S05", "MED_OOP_HIGH"),  # the costs before the death are the household's
        ("S06", "DECEASED"),
    ]


def test_signals_of_households_not_routed_are_dropped(models: Models) -> None:
    p = pid(1)
    households(models, [])
    members(models, [(p, "GONE", "roster")])
    models.given("person_signals", [person_signal(p, "DISASTER", "red")])
    assert models.run(MODEL).height == 0
