"""An independent, idealised reading of policy.md over the exports read back.

Records are linked by the truth's person_id (a perfect linker), values are
parsed from the files as written. Every planted situation must show with its
tier, and no quiet household may show any code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from .gen_readers import AS_OF, City, Record, normalize_id, parse_amount, parse_date

UNLINKABLE = {"id_typo_digit", "id_typo_swap", "id_excel_truncated", "id_blank", "unusable"}
REPEATS = {"duplicate", "reexport", "redelivered"}  # the same record once more: counts once
TIER_ORDER = {"red": 3, "orange": 2, "yellow": 1, "review": 0}
GRID_HARDSHIP = ("生活困难", "患病", "残疾", "独居老人", "留守儿童")  # policy.md: all but 其他


def _days_ago(d: dt.date | None) -> int | None:
    return None if d is None else (AS_OF - d).days


def _within(d: dt.date | None, days: int) -> bool:
    ago = _days_ago(d)
    return ago is not None and 0 <= ago < days


def _linkable(r: Record) -> bool:
    """Could a careful pipeline link this record to its person with confidence?"""
    if r.source == "rural" and r.values.get("户编号") and "unusable" not in r.tags:
        return True  # the rural source's 户编号 is the household's key, IDs or not
    if r.tags & UNLINKABLE:
        return False
    if r.source in ("hotline", "grid") and not normalize_id(r.values.get("身份证号")):
        return not any(t.startswith("name_") for t in r.tags)
    return True


@dataclass
class Household:
    key: str
    members: list[str]
    kind: str  # roster | rural | other
    standard: int = 750
    category: str = ""
    status: str = ""
    recorded: float | None = None
    benefit: float | None = None  # the head row's 月保障金额
    codes: dict[str, str] = field(default_factory=dict)  # code -> tier

    def fire(self, code: str, tier: str) -> None:
        if code not in self.codes or TIER_ORDER[tier] > TIER_ORDER[self.codes[code]]:
            self.codes[code] = tier


class Oracle:
    def __init__(self, city: City, linkable_only: bool = False) -> None:
        self.city = city
        self.persons = {p["person_id"]: p for p in city.persons}
        self.by_key: dict[str, list[str]] = defaultdict(list)
        for p in city.persons:
            self.by_key[p["expected_household_key"]].append(p["person_id"])
        self.by_person: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
        for source, records in city.records.items():
            for r in records:
                if linkable_only and not _linkable(r):
                    continue
                if r.person_id and not r.tags & REPEATS:
                    key = source if r.folder == "input" else "hr_previous"
                    self.by_person[r.person_id][key].append(r)
        years = [r.values.get("学年") for r in city.records["education"] if r.values.get("学年")]
        self.latest_year = max(str(y) for y in years)
        today = AS_OF.isoformat()
        self.dead = {
            p["person_id"] for p in city.persons if p["death_date"] and p["death_date"] <= today
        }

    # -- households ------------------------------------------------------------

    def household_of(self, person_id: str) -> Household:
        person = self.persons[person_id]
        key = person["expected_household_key"]
        if not key:
            single = Household("", [person_id], "other")
            self.evaluate(single)
            return single
        members = self.by_key[key]
        kind = "rural" if key.startswith("XC:") else "roster"
        hh = Household(key, members, kind)
        if kind == "roster":
            for m in members:
                for r in self.by_person[m]["roster"]:
                    if str(r.values.get("与户主关系", "")).startswith("本人"):
                        hh.category = str(r.values.get("救助类别", ""))
                        hh.status = str(r.values.get("状态", ""))
                        hh.recorded = parse_amount(r.values.get("家庭月总收入"))
                        hh.benefit = parse_amount(r.values.get("月保障金额"))
                        hh.standard = 800 if r.values.get("城乡类别") == "城市" else 750
        else:
            for r in self.by_person[members[0]]["rural"]:
                annual = parse_amount(r.values.get("家庭人均纯收入（元/年）"))
                if annual is not None:
                    hh.recorded = annual / 12 * len(members)
        if hh.category == "支出型困难":
            hh.category = "刚性支出困难"
        self.evaluate(hh)
        return hh

    # -- rules -----------------------------------------------------------------

    def oop(self, member: str, days: int = 365) -> float:
        total = 0.0
        for r in self.by_person[member]["medical_insurance"]:
            if not _within(parse_date(r.values.get("结算日期")), days):
                continue
            parts = [
                parse_amount(r.values.get(c))
                for c in (
                    "医疗总费用（元）",
                    "基本医保支付（元）",
                    "大病保险支付（元）",
                    "医疗救助支付（元）",
                )
            ]
            if all(p is not None for p in parts):
                total += parts[0] - parts[1] - parts[2] - parts[3]  # type: ignore[operator]
            else:
                total += parse_amount(r.values.get("个人自付（元）")) or 0.0
        return total

    def hr_income(self, member: str, folder: str = "hr") -> float | None:
        rows = self.by_person[member][folder]
        if not rows:
            return None
        r = rows[0]
        wage = parse_amount(r.values.get("月工资（元）")) or 0.0
        pension = parse_amount(r.values.get("月养老金（元）")) or 0.0
        kind = r.values.get("养老金类型")
        counted = pension if kind == "职工基本养老保险" else 0.0
        if kind == "城乡居民基本养老保险":
            counted = max(0.0, pension - 143)
        return wage * 0.8 + counted

    def evaluate(self, hh: Household) -> None:
        oop = sum(self.oop(m) for m in hh.members)
        hr = [self.hr_income(m) for m in hh.members]
        hr_total = sum(x for x in hr if x is not None) if any(x is not None for x in hr) else None
        incomes = [x for x in (hh.recorded, hr_total) if x is not None]
        income = max(incomes) if incomes else None
        size = len(hh.members)
        if oop >= 50000 or (income is not None and oop >= 5000 and oop >= 12 * income):
            hh.fire("MED_OOP_HIGH", "red")
        elif oop >= 20000 or (income is not None and oop >= 5000 and oop >= 6 * income):
            hh.fire("MED_OOP_HIGH", "orange")
        if income is not None and hh.kind != "other":
            pc = (income - oop / 12) / size
            std = hh.standard
            on_dibao = hh.category in ("低保", "特困") and hh.status != "退出"
            if not on_dibao and pc < std:
                hh.fire("INCOME_BELOW_STANDARD", "orange")
            edge_ok = hh.kind == "rural" or hh.category in ("临时救助", "其他低收入")
            if edge_ok and std <= pc < 1.5 * std:
                hh.fire("INCOME_EDGE", "yellow")
            if hh.category == "低保" and hh.status == "在保" and std < pc < 2 * std:
                hh.fire("INCOME_ABOVE_STANDARD", "review")
            if hh.category == "低保" and hh.status in ("在保", "渐退") and pc >= 2 * std:
                hh.fire("INCOME_EXIT", "review")
        for m in hh.members:
            self.person_codes(hh, m)
        self.more_of_the_plan(hh, income)

    # -- issue 14: care needs, lost work ability, the benefit paid --------------------------

    def age(self, member: str) -> int:
        """Whole years completed on the as-of date."""
        born = dt.date.fromisoformat(self.persons[member]["birth_date"])
        return AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))

    def severe(self, member: str) -> bool:
        for r in self.by_person[member]["disability"]:
            card = normalize_id(r.values.get("残疾人证号"))
            if len(card) == 20 and card[18:].isdigit():
                category, grade = int(card[18]), int(card[19])
                if grade <= 2 or (grade == 3 and category in (5, 6)):
                    return True
        return False

    def ill(self, member: str) -> bool:
        return any(
            r.values.get("诊断类别") == "重大疾病"
            and _within(parse_date(r.values.get("就诊日期")), 365)
            for r in self.by_person[member]["health"]
        )

    def more_of_the_plan(self, hh: Household, income: float | None) -> None:
        living = [m for m in hh.members if m not in self.dead]
        scheme = hh.kind == "roster" and hh.category in ("低保", "特困")
        if scheme and hh.status in ("在保", "渐退"):
            for m in living:
                if len(living) == 1 and (self.age(m) >= 80 or self.severe(m)):
                    hh.fire("CARE_NEEDED", "yellow")
                if self.age(m) < 18 and all(self.age(o) < 18 for o in living):
                    hh.fire("CARE_NEEDED", "orange")
        rural = any(self.by_person[m]["rural"] for m in hh.members)
        on_assistance = scheme and hh.status != "退出"
        if rural and not on_assistance:
            for m in living:
                retire = 60 if self.persons[m]["sex"] == "M" else 55
                if 16 <= self.age(m) < retire and (self.severe(m) or self.ill(m)):
                    hh.fire("WORK_ABILITY_LOST", "orange")
        if hh.category == "低保" and hh.status == "在保" and income is not None:
            gap = hh.standard * len(living) - income
            paid = hh.benefit or 0.0
            if gap > 0 and (not paid or gap - paid > 0.1 * gap):
                hh.fire("BENEFIT_CHECK", "review")

    def person_codes(self, hh: Household, m: str) -> None:
        data = self.by_person[m]
        person = self.persons[m]
        born = dt.date.fromisoformat(person["birth_date"])
        age = (AS_OF - born).days // 365
        alive = m not in self.dead  # a deceased member's illness or disability is no signal
        for r in data["health"]:
            if (
                alive
                and r.values.get("诊断类别") == "重大疾病"
                and _within(parse_date(r.values.get("就诊日期")), 365)
            ):
                hh.fire("MAJOR_ILLNESS", "orange")
            if parse_date(r.values.get("死亡日期")) is not None and hh.kind == "roster":
                hh.fire("DECEASED", "review")
        for r in data["disability"]:
            card = normalize_id(r.values.get("残疾人证号"))
            if len(card) == 20 and card[18:].isdigit():
                category, grade = int(card[18]), int(card[19])
                if alive and (grade <= 2 or (grade == 3 and category in (5, 6))):
                    hh.fire("SEVERE_DISABILITY", "orange")
        retire = 60 if person["sex"] == "M" else 55
        for r in data["hr"]:
            status = r.values.get("就业状态")
            registered = status == "失业登记" and _within(
                parse_date(r.values.get("失业登记日期")), 183
            )
            if (registered or r.values.get("参保状态") == "暂停缴费") and 16 <= age < retire:
                hh.fire("UNEMPLOYED", "yellow")
            for before in data["hr_previous"]:
                was, now = (
                    parse_amount(before.values.get("月工资（元）")),
                    parse_amount(r.values.get("月工资（元）")),
                )
                if was and now is not None and now <= 0.5 * was:
                    hh.fire("INCOME_DROP", "yellow")
                if before.values.get("就业状态") == "就业" and status in ("失业登记", "未就业"):
                    hh.fire("INCOME_DROP", "yellow")
        # a blank 学年 is the latest on record unless the person has a row of the latest year
        has_latest = any(r.values.get("学年") == self.latest_year for r in data["education"])
        for r in data["education"]:
            year = r.values.get("学年") or ("" if has_latest else self.latest_year)
            if year != self.latest_year:
                continue
            level, status = r.values.get("学段"), r.values.get("学籍状态")
            if status == "辍学" and level in ("小学", "初中"):
                hh.fire("DROPOUT", "red")
            if status == "在读" and level in ("高中", "中职", "高职", "本科"):
                hh.fire("EDU_COST", "yellow")
        for r in data["housing"]:
            grade = r.values.get("房屋安全等级")
            if grade in ("C", "D") and r.values.get("是否纳入危房改造") != "是":
                hh.fire("HOUSING_UNSAFE", "red" if grade == "D" else "orange")
            units = parse_amount(r.values.get("不动产套数"))
            if hh.kind == "roster" and units is not None and units >= 2:
                hh.fire("ASSETS_REVIEW", "review")
        for r in data["emergency"]:
            if _within(parse_date(r.values.get("受灾日期")), 90):
                severe = r.values.get("房屋损毁程度") in ("全部倒塌", "严重损坏") or r.values.get(
                    "人员伤亡"
                ) in ("死亡", "重伤")
                hh.fire("DISASTER", "red" if severe else "orange")
        for r in data["rural"]:
            category = r.values.get("监测对象类别")
            if category not in (None, "", "无") and r.values.get("风险是否消除") == "否":
                hh.fire("RURAL_RISK", "red" if category == "突发严重困难户" else "orange")
        for r in data["hotline"]:
            if r.values.get("诉求类型") == "求助" and _within(
                parse_date(r.values.get("来电时间")), 30
            ):
                hh.fire("HOTLINE_HELP", "orange")
        for r in data["grid"]:
            if r.values.get("情况类型") in GRID_HARDSHIP and _within(
                parse_date(r.values.get("走访日期")), 30
            ):
                hh.fire("GRID_REPORT", "orange")
        if hh.category in ("低保", "特困") and hh.status != "退出":
            for r in data["medical_insurance"]:
                if r.values.get("就医类型") != "住院":
                    continue
                if not _within(parse_date(r.values.get("结算日期")), 365):
                    continue
                assist = parse_amount(r.values.get("医疗救助支付（元）"))
                if not assist and (parse_amount(r.values.get("医疗总费用（元）")) or 0) > 0:
                    hh.fire("MED_ASSIST_MISSING", "yellow")


@pytest.fixture(scope="module")
def oracle(city: City) -> Oracle:
    return Oracle(city)


def test_planted_situations_show_with_their_tier(oracle: Oracle, city: City) -> None:
    missing = []
    for s in city.situations:
        hh = oracle.household_of(s["person_id"])
        assert hh.key == s["expected_household_key"]
        if hh.codes.get(s["code"]) != s["tier"]:
            missing.append((s["code"], s["tier"], hh.codes.get(s["code"]), s["fact"]))
    assert not missing, missing


def test_quiet_households_raise_nothing(oracle: Oracle, city: City) -> None:
    members: dict[str, list[str]] = defaultdict(list)
    for p in city.persons:
        members[p["household_id"]].append(p["person_id"])
    noisy = []
    for q in city.quiet:
        for person_id in members[q["household_id"]]:
            hh = oracle.household_of(person_id)
            if hh.codes:
                noisy.append((q["household_id"], q["kind"], hh.codes))
    assert not noisy, noisy[:10]


def test_planted_facts_are_linkable(city: City) -> None:
    """Facts never rest on a damaged ID or a misheard caller: with such records left out,
    every situation still shows."""
    strict = Oracle(city, linkable_only=True)
    missing = []
    for s in city.situations:
        hh = strict.household_of(s["person_id"])
        if hh.codes.get(s["code"]) != s["tier"]:
            missing.append((s["code"], s["tier"], hh.codes.get(s["code"]), s["fact"]))
    assert not missing, missing


def test_absent_codes_stay_absent(oracle: Oracle, city: City) -> None:
    """truth/absent.csv: the codes a planted household must not raise, even on a careful
    reading of everything exported about it."""
    import csv

    with open(city.root / "truth" / "absent.csv", encoding="utf-8", newline="") as handle:
        absent = list(csv.DictReader(handle))
    assert absent
    person_of = {s["household_id"]: s["person_id"] for s in city.situations}
    raised = []
    for a in absent:
        hh = oracle.household_of(person_of[a["household_id"]])
        assert hh.key == a["expected_household_key"]
        if a["code"] in hh.codes:
            raised.append((a["household_id"], a["code"], hh.codes))
    assert not raised, raised[:10]
