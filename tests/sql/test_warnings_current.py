"""sql/50_publish/warnings_current.sql: one warning row per household with a signal that is not
suppressed: tier = the highest, codes sorted, score = the signals' weights plus the amounts in
ten-thousands of yuan (capped at 50), and an explanation that names the member, says each
sentence once, notes a signal raised again since a disposition and the ones suppressed."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "50_publish/warnings_current.sql"
HEAD, SPOUSE, CHILD = "34110219800101011X", "34110219820101022X", "34110220120101031X"
NAMES = {HEAD: "张三", SPOUSE: "李四", CHILD: "张小五"}


def signal(household: str, code: str, tier: str, detail: str, person: str | None = HEAD,
           amount: float | None = None, row: int = 1, **values: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "household_key": household, "person_id": person, "code": code, "tier": tier,
        "amount": amount, "source": "x", "file_hash": "f", "file_name": "x.csv", "_row": row,
        "detail": detail, "suppressed": False, "worse_since_disposition": False,
    } | values  # fmt: skip


def given(models: Models, signals: list[dict[str, Any]],
          households: list[dict[str, Any]] | None = None) -> None:  # fmt: skip
    models.given("signals_after_dispositions", signals)
    models.given("persons", [{"person_id": p, "name": n} for p, n in NAMES.items()])
    keys = sorted({s["household_key"] for s in signals})
    base = {"kind": "在册对象", "membership": "roster", "county": "341102", "township": "琅琊街道",
            "village": "东门社区", "category": "低保", "status": "在保", "size": 2,
            "living_size": 2, "green_channel": False, "exit_months": 3}  # fmt: skip
    models.given("households_routed", households or [base | {"household_key": k} for k in keys])


def test_output_columns(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "household_key", "kind", "county", "township", "village", "tier", "score", "codes",
        "green_channel", "member_ids", "explanation", "code_tiers", "signal_tiers", "category",
        "roster_status", "exit_months", "no_member_left", "assistance_received",
    ]  # fmt: skip


def test_one_row_per_household_highest_tier_codes_sorted(models: Models) -> None:
    given(
        models,
        [
            signal("A", "HOUSING_UNSAFE", "orange", "房屋C级"),
            signal("A", "DROPOUT", "red", "初中辍学", CHILD),
            signal("A", "UNEMPLOYED", "yellow", "失业登记", SPOUSE),
            signal("B", "DECEASED", "review", "死亡"),
            signal("B", "EDU_COST", "yellow", "在读高中", CHILD),
        ],
    )
    assert rows(models.run(MODEL), "household_key", "tier", "codes", "code_tiers", "signal_tiers") == [
        ("A", "red", "DROPOUT;HOUSING_UNSAFE;UNEMPLOYED", "DROPOUT=1;HOUSING_UNSAFE=2;UNEMPLOYED=3",
         "DROPOUT=red;HOUSING_UNSAFE=orange;UNEMPLOYED=yellow"),
        ("B", "yellow", "DECEASED;EDU_COST", "DECEASED=4;EDU_COST=3",
         "DECEASED=review;EDU_COST=yellow"),
    ]  # fmt: skip


def test_score_is_the_weights_plus_the_amounts_in_ten_thousands_capped_at_50(
    models: Models,
) -> None:
    given(
        models,
        [
            # weights (policy 2026): MED_OOP_HIGH 30, HOTLINE_HELP 15, DISASTER 35
            signal("A", "MED_OOP_HIGH", "orange", "自付", amount=25000),
            signal("A", "HOTLINE_HELP", "orange", "求助 T1", row=1),
            signal("A", "HOTLINE_HELP", "orange", "求助 T2", row=2),  # a code's weight once
            signal("B", "MED_OOP_HIGH", "red", "自付", amount=600000),  # 60: capped at 50
            signal("C", "DISASTER", "red", "洪涝", amount=12345, row=1),
            signal("C", "DISASTER", "orange", "火灾", amount=None, row=2),  # unknown: adds nothing
            # a per-capita income is not money at stake: a poorer household must not score lower
            signal("D", "INCOME_BELOW_STANDARD", "orange", "人均 300 元", amount=300),
            signal("D", "MED_ASSIST_MISSING", "yellow", "住院", amount=8000),  # counted in MED_OOP
        ],
    )
    assert rows(models.run(MODEL), "household_key", "score") == [
        ("A", 30 + 15 + 2.5),
        ("B", 30 + 50.0),
        ("C", 35 + 1.23),
        ("D", 25 + 10.0),
    ]


def test_explanation_names_the_member_and_prefixes_the_tier(models: Models) -> None:
    given(
        models,
        [
            signal("A", "UNEMPLOYED", "yellow", "近6个月内失业登记（2026-10-16），年龄44岁", SPOUSE),
            signal("A", "DROPOUT", "red", "初中学生学籍状态为辍学（2026-2027学年）", CHILD),
            signal("A", "DECEASED", "review", "卫健记录死亡日期 2026-10-01，需减员"),
            signal("A", "RURAL_RISK", "orange", "防返贫监测对象（边缘易致贫户，因病），风险尚未消除",
                   person=None),  # a rural household nobody links to: no name
            signal("A", "HOTLINE_HELP", "orange", "2026-11-05拨打12345求助（工单 T1）",
                   "34110219990101041X"),  # a person without a name on record
        ],
    )  # fmt: skip
    assert models.run(MODEL)["explanation"].to_list() == [
        "【红色】学生辍学：张小五：初中学生学籍状态为辍学（2026-2027学年）。"
        "【橙色】12345求助：2026-11-05拨打12345求助（工单 T1）。"
        "【橙色】防返贫监测风险：防返贫监测对象（边缘易致贫户，因病），风险尚未消除。"
        "【黄色】失业：李四：近6个月内失业登记（2026-10-16），年龄44岁。"
        "【复核】成员死亡：张三：卫健记录死亡日期 2026-10-01，需减员。"
    ]


def test_an_identical_sentence_is_said_once_others_in_order(models: Models) -> None:
    given(
        models,
        [
            # one event in two departments' words would be two sentences; the same words once
            signal("A", "DISASTER", "orange", "2026-11-01遭受洪涝，房屋一般损坏", row=7,
                   file_name="b.csv"),
            signal("A", "DISASTER", "orange", "2026-11-01遭受洪涝，房屋一般损坏", row=2,
                   file_name="a.csv"),
            signal("A", "DISASTER", "red", "2026-11-03遭受火灾，房屋全部倒塌", row=3),
            signal("A", "DISASTER", "orange", "2026-11-01遭受洪涝，房屋一般损坏", SPOUSE, row=4),
        ],
    )  # fmt: skip
    assert models.run(MODEL)["explanation"].to_list() == [
        "【红色】受灾或意外：张三：2026-11-03遭受火灾，房屋全部倒塌；"
        "张三：2026-11-01遭受洪涝，房屋一般损坏；李四：2026-11-01遭受洪涝，房屋一般损坏。"
    ]


def test_a_signal_worse_since_its_disposition_says_so(models: Models) -> None:
    given(
        models,
        [
            signal("A", "MED_OOP_HIGH", "red", "近12个月医疗个人自付合计 60,000 元（2笔结算）",
                   amount=60000, worse_since_disposition=True, disposition="已核实-已救助",
                   disposed_on="2026-10-01"),
        ],
    )  # fmt: skip
    text = models.run(MODEL)["explanation"].to_list()[0]
    assert text == (
        "【红色】医疗自付费用高：张三：近12个月医疗个人自付合计 60,000 元（2笔结算）"
        "（2026-10-01 已核实-已救助，此后情况加重，重新提示）。"
    )
    assert "已已核实" not in text


def test_suppressed_signals_are_not_raised_but_noted(models: Models) -> None:
    verified = {"suppressed": True, "disposition": "已核实-已救助", "disposed_on": "2026-10-01"}
    given(
        models,
        [
            signal("A", "DISASTER", "red", "洪涝", amount=50000, **verified),
            signal("A", "HOTLINE_HELP", "orange", "求助 T1", row=1, **verified),
            signal("A", "HOTLINE_HELP", "orange", "求助 T2", row=2, **verified),
            signal("A", "UNEMPLOYED", "yellow", "失业登记", SPOUSE),
            signal("B", "DISASTER", "red", "洪涝", **verified),  # all suppressed: no warning
        ],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "tier", "codes", "member_ids", "score") == [
        ("A", "yellow", "UNEMPLOYED", SPOUSE, 10.0)
    ]
    assert frame["explanation"].to_list() == [
        "【黄色】失业：李四：失业登记。"
        "另有已核实处置的信号暂不提示：12345求助（2026-10-01 已核实-已救助）、"
        "受灾或意外（2026-10-01 已核实-已救助）。"
    ]


def test_member_ids_distinct_and_sorted(models: Models) -> None:
    given(
        models,
        [
            signal("A", "UNEMPLOYED", "yellow", "失业", SPOUSE),
            signal("A", "DROPOUT", "red", "辍学", CHILD),
            signal("A", "HOTLINE_HELP", "orange", "求助", HEAD, row=1),
            signal("A", "DISASTER", "orange", "洪涝", HEAD, row=2),
            signal("A", "RURAL_RISK", "orange", "防返贫", None),
        ],
    )
    assert rows(models.run(MODEL), "member_ids") == [(";".join(sorted((HEAD, SPOUSE, CHILD))),)]


def test_household_facts_and_no_member_left(models: Models) -> None:
    base = {"kind": "在册对象", "membership": "roster", "county": "341102", "township": "琅琊街道",
            "village": "东门社区", "category": "特困", "status": "在保", "green_channel": False}  # fmt: skip
    given(
        models,
        [signal("A", "DECEASED", "review", "死亡"), signal("B", "DECEASED", "review", "死亡", SPOUSE)],
        [base | {"household_key": "A", "size": 1, "living_size": 0, "exit_months": 3},
         base | {"household_key": "B", "size": 2, "living_size": 1, "green_channel": True,
                 "category": "低保", "status": "渐退", "exit_months": 6}],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "kind", "county", "township", "village",
                "category", "roster_status", "exit_months", "green_channel", "no_member_left") == [
        ("A", "在册对象", "341102", "琅琊街道", "东门社区", "特困", "在保", 3, False, True),
        ("B", "在册对象", "341102", "琅琊街道", "东门社区", "低保", "渐退", 6, True, False),
    ]  # fmt: skip


def test_a_signal_of_a_household_not_routed_is_not_listed(models: Models) -> None:
    given(models, [signal("A", "DISASTER", "red", "洪涝")], households=[])
    models.given("households_routed", [])
    assert models.run(MODEL).height == 0


def test_what_the_household_already_receives_is_beside_its_warning(models: Models) -> None:
    given(models, [signal("A", "MED_OOP_HIGH", "orange", "自付", amount=25000),
                   signal("B", "DROPOUT", "red", "初中辍学", CHILD)])  # fmt: skip
    models.given("household_assistance", [
        {"household_key": "A", "assistance_received": "已享受：医疗救助 3,200 元（近12个月）"},
        {"household_key": "Z", "assistance_received": "已享受：低保金 800 元/月"},  # not warned
    ])  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "assistance_received") == [
        ("A", "已享受：医疗救助 3,200 元（近12个月）"),
        ("B", None),  # nothing on record: blank
    ]
