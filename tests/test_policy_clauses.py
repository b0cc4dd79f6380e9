"""One case per clause of policy.md: a minimal household -> expected codes, tier, 救助建议.

All cases live in one input folder (each household independent of the others)
and are scored in one run; the table below says what each household must get.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pytest

from conftest import make_id, read, run, write_csv
from monitor.resources import packaged

AS_OF = dt.date(2026, 11, 15)
_seq = itertools.count(100)


def person(born: str, male: bool = True, county: str = "341102") -> str:
    n = next(_seq)
    return make_id(county, born, n * 2 + (1 if male else 0))


def days_ago(n: int) -> str:
    return (AS_OF - dt.timedelta(days=n)).isoformat()


@dataclass
class City:
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def add(self, source: str, **values: str) -> None:
        self.rows.setdefault(source, []).append(values)

    def roster(self, key: str, members: list[tuple[str, str, str]], category: str = "低保",
               income: str = "", status: str = "在保", urban: str = "城市", properties: str | None = None,
               benefit: str | None = None) -> None:  # fmt: skip
        """A roster household; a 低保 one with a known income is paid its 补差 in full
        (standard x members - income) unless `benefit` says otherwise."""
        if benefit is None:
            standard = 800 if urban == "城市" else 750
            full = category == "低保" and status != "退出" and income != ""
            benefit = str(max(0, standard * len(members) - int(income))) if full else ""
        for i, (name, pid, relation) in enumerate(members):
            self.add("roster", 家庭编号=key, 成员姓名=name, 成员身份证号=pid, 与户主关系=relation,
                     乡镇=f"{key}镇", 村=f"{key}村", 城乡类别=urban, 救助类别=category,
                     家庭月总收入=income if i == 0 else "", 月保障金额=benefit if i == 0 else "",
                     状态=status)  # fmt: skip
        if properties is not None:
            self.add("housing", 户主姓名=members[0][0], 户主身份证号=members[0][1], 房屋安全等级="A",
                     是否纳入危房改造="否", 不动产套数=properties)  # fmt: skip

    def write(self, root: Path) -> Path:
        headers = {
            "roster": [
                "家庭编号",
                "成员姓名",
                "成员身份证号",
                "与户主关系",
                "乡镇",
                "村",
                "城乡类别",
                "救助类别",
                "家庭月总收入",
                "月保障金额",
                "状态",
            ],
        }
        renames = {"乡镇": "乡镇（街道）", "村": "村（社区）"}
        for source, rows in self.rows.items():
            cols = headers.get(source) or list(dict.fromkeys(k for r in rows for k in r))
            write_csv(root / source / f"{source}.csv", [renames.get(c, c) for c in cols],
                      [[r.get(c, "") for c in cols] for r in rows])  # fmt: skip
        return root


def settle(
    city: City, name: str, pid: str, when: str, oop: str, care: str = "门诊慢特病", assist: str = ""
) -> None:
    city.add("medical_insurance", 参保人姓名=name, 证件号码=pid, 结算日期=when, 就医类型=care,
             医疗总费用=oop, 个人自付=oop, 医疗救助支付=assist)  # fmt: skip


CASES: dict[
    str, tuple[str, str, str | None]
] = {}  # household key -> (codes, tier, assistance fragment)
NOTHING: list[str] = []  # household keys that must raise nothing
KEYS: dict[str, str] = {}  # case -> household key (for non-roster persons: their ID)


def build() -> City:
    c = City()

    # MED_OOP_HIGH, absolute thresholds (not on the roster: 主动发现)
    for case, amount, tier in (
        ("oop_orange_abs", "25000", "orange"),
        ("oop_red_abs", "60000", "red"),
    ):
        pid = person("19700101")
        settle(c, "甲" + case, pid, days_ago(40), amount)
        KEYS[case] = pid
        CASES[pid] = ("MED_OOP_HIGH", tier, "医疗救助")
    # relative to a known annual income: 7,000 of 12,000 (>= 50 %) orange; 6,500 of 6,000 red
    for key, income, amount, tier in (
        ("R01", "1000", "7000", "orange"),
        ("R02", "500", "6500", "red"),
    ):
        pid = person("19700202")
        c.roster(key, [("乙" + key, pid, "本人")], category="低保", income=income)
        settle(c, "乙" + key, pid, days_ago(50), amount)
        CASES[key] = ("MED_OOP_HIGH", tier, "医疗救助")  # 低保: no income rule applies
    # below 5,000: nothing; outside the window: nothing; refunds net out: nothing
    for key, rows in (
        ("R03", [("4000", 40)]),
        ("R04", [("30000", 400)]),
        ("R05", [("30000", 40), ("-15000", 30)]),
    ):
        pid = person("19700303")
        c.roster(
            key, [("丙" + key, pid, "本人")], category="低保", income="300" if key == "R03" else ""
        )
        for amount, ago in rows:
            settle(c, "丙" + key, pid, days_ago(ago), amount)
        NOTHING.append(key)

    # MAJOR_ILLNESS: 3 months ago orange; 14 months ago nothing
    for key, ago, expected in (("R10", 90, True), ("R11", 425, False)):
        pid = person("19750505")
        c.roster(key, [("丁" + key, pid, "本人")], category="低保边缘", income="1400")
        c.add(
            "health",
            患者姓名="丁" + key,
            身份证号=pid,
            诊断类别="重大疾病",
            疾病名称="恶性肿瘤",
            就诊日期=days_ago(ago),
        )
        (
            CASES.__setitem__(key, ("MAJOR_ILLNESS", "orange", "单人户纳入低保"))
            if expected
            else NOTHING.append(key)
        )

    # SEVERE_DISABILITY: grade 2 any category; grade 3 智力; grade 3 肢体 is not severe
    for key, card, expected in (("R20", "42", True), ("R21", "53", True), ("R22", "43", False)):
        pid = person("19800606")
        c.roster(key, [("戊" + key, pid, "本人")], category="低保", income="300")
        c.add("disability", 姓名="戊" + key, 残疾人证号=pid + card)
        if expected:
            # 单人户纳入低保 is never recommended to a household already on 低保; living alone
            # and severely disabled, the member needs care as well (CARE_NEEDED, issue 14)
            CASES[key] = ("CARE_NEEDED;SEVERE_DISABILITY", "orange", "残疾人两项补贴核查")
        else:
            NOTHING.append(key)
    pid = person("19800707")
    c.roster("R23", [("己R23", pid, "本人")], category="低保边缘", income="1300")
    c.add("disability", 姓名="己R23", 残疾人证号=pid + "41")
    CASES["R23"] = ("SEVERE_DISABILITY", "orange", "单人户纳入低保")

    # UNEMPLOYED: registered 2 months ago at 40; a 62-year-old man is past retirement age
    for key, born, expected in (("R30", "19860101", True), ("R31", "19640101", False)):
        pid = person(born)
        c.roster(key, [("庚" + key, pid, "本人")], category="低保", income="300")
        c.add(
            "hr", 姓名="庚" + key, 社会保障号码=pid, 就业状态="失业登记", 失业登记日期=days_ago(60)
        )
        (
            CASES.__setitem__(key, ("UNEMPLOYED", "yellow", "就业救助"))
            if expected
            else NOTHING.append(key)
        )

    # DROPOUT (latest year) red; a dropout last year who is back at school is not
    for key, rows, expected in (
        ("R40", [("2026", "辍学")], True),
        ("R41", [("2025", "辍学"), ("2026", "在读")], False),
    ):
        head, child = person("19820101"), person("20120101")
        c.roster(
            key,
            [("辛" + key, head, "本人"), ("辛小" + key, child, "子女")],
            category="低保",
            income="600",
        )
        for year, status in rows:
            c.add(
                "education",
                学生姓名="辛小" + key,
                身份证件号=child,
                学段="初中",
                学籍状态=status,
                学年=f"{year}-{int(year) + 1}",
            )
        (
            CASES.__setitem__(key, ("DROPOUT", "red", "控辍保学"))
            if expected
            else NOTHING.append(key)
        )
    # EDU_COST yellow
    head, child = person("19780101"), person("20090101")
    c.roster(
        "R42", [("壬R42", head, "本人"), ("壬小R42", child, "子女")], category="低保", income="600"
    )
    c.add(
        "education",
        学生姓名="壬小R42",
        身份证件号=child,
        学段="高中",
        学籍状态="在读",
        学年="2026-2027",
    )
    CASES["R42"] = ("EDU_COST", "yellow", "教育救助")

    # HOUSING_UNSAFE: D red, C orange, D already in 危房改造 nothing
    for key, grade, renovating, expected in (
        ("R50", "D", "否", "red"),
        ("R51", "C", "否", "orange"),
        ("R52", "D", "是", None),
    ):
        pid = person("19600101")
        c.roster(key, [("癸" + key, pid, "本人")], category="低保", income="300")
        c.add(
            "housing",
            户主姓名="癸" + key,
            户主身份证号=pid,
            房屋安全等级=grade,
            是否纳入危房改造=renovating,
            不动产套数="1",
        )
        (
            CASES.__setitem__(key, ("HOUSING_UNSAFE", expected, "住房救助"))
            if expected
            else NOTHING.append(key)
        )

    # DISASTER: 全部倒塌 30 days ago red, 一般损坏 orange, 120 days ago nothing
    for key, damage, ago, expected in (
        ("R60", "全部倒塌", 30, "red"),
        ("R61", "一般损坏", 30, "orange"),
        ("R62", "全部倒塌", 120, None),
    ):
        pid = person("19650101")
        c.roster(key, [("子" + key, pid, "本人")], category="低保", income="300")
        c.add(
            "emergency",
            姓名="子" + key,
            身份证号码=pid,
            灾害类型="洪涝",
            受灾日期=days_ago(ago),
            房屋损毁程度=damage,
            人员伤亡="无",
        )
        (
            CASES.__setitem__(key, ("DISASTER", expected, "临时救助"))
            if expected
            else NOTHING.append(key)
        )

    # RURAL_RISK (rural source, not on the roster): 突发严重困难户 red, 边缘易致贫户 orange, cleared nothing
    for key, klass, cleared, expected in (
        ("H1", "突发严重困难户", "否", "red"),
        ("H2", "边缘易致贫户", "否", "orange"),
        ("H3", "边缘易致贫户", "是", None),
    ):
        pid = person("19720101", county="341122")
        c.add("rural", 户编号=key, 成员姓名="丑" + key, 成员证件号码=pid, 与户主关系="本人", 户类型="监测户",
              监测对象类别=klass, 风险是否消除=cleared, 家庭人均纯收入="24000", 乡镇="来安镇", 村="一村")  # fmt: skip
        (
            CASES.__setitem__("XC:" + key, ("RURAL_RISK", expected, "防返贫帮扶"))
            if expected
            else NOTHING.append("XC:" + key)
        )

    # INCOME_BELOW_STANDARD / INCOME_EDGE (rural, not on the roster): 6,000 and 10,800 a year per person
    for key, yearly, code, tier in (
        ("H4", "6000", "INCOME_BELOW_STANDARD", "orange"),
        ("H5", "10800", "INCOME_EDGE", "yellow"),
    ):
        pid = person("19730101", county="341122")
        c.add("rural", 户编号=key, 成员姓名="寅" + key, 成员证件号码=pid, 与户主关系="本人", 户类型="脱贫户",
              监测对象类别="无", 风险是否消除="是", 家庭人均纯收入=yearly, 乡镇="来安镇", 村="一村")  # fmt: skip
        CASES["XC:" + key] = (
            code,
            tier,
            "纳入低保" if code == "INCOME_BELOW_STANDARD" else "低保边缘认定",
        )

    # HOTLINE_HELP: a 求助 ticket 10 days ago orange; a 咨询 nothing
    for key, kind, expected in (("R70", "求助", True), ("R71", "咨询", False)):
        pid = person("19690101")
        c.roster(key, [("卯" + key, pid, "本人")], category="低保", income="300")
        c.add(
            "hotline",
            工单编号="T" + key,
            来电时间=days_ago(10) + " 09:00",
            诉求人="卯" + key,
            身份证号=pid,
            诉求类型=kind,
        )
        (
            CASES.__setitem__(key, ("HOTLINE_HELP", "orange", "入户核实"))
            if expected
            else NOTHING.append(key)
        )

    # GRID_REPORT (plan §二(四) 网格化管理): a grid worker's 独居老人 visit 10 days ago orange;
    # a visit of 其他, or a 患病 visit 40 days ago (grid_days 30), nothing; not on any list,
    # a 生活困难 visit alone makes a 主动发现 household (a proactive code)
    for key, kind, ago, listed, expected in (
        ("G1", "独居老人", 10, True, True),
        ("G2", "其他", 10, True, False),
        ("G3", "患病", 40, True, False),
        ("G4", "生活困难", 5, False, True),
    ):
        pid = person("19480101")
        if listed:
            c.roster(key, [("巳" + key, pid, "本人")], category="低保", income="300")
        c.add("grid", 记录编号="WG" + key, 走访日期=days_ago(ago), 网格员="网格员" + key,
              姓名="巳" + key, 身份证号=pid, 乡镇=f"{key}镇", 村=f"{key}村", 情况类型=kind,
              情况描述="老人独居，行动不便")  # fmt: skip
        KEYS[key] = key if listed else pid
        if expected:
            CASES[KEYS[key]] = ("GRID_REPORT", "orange", "入户核实")
        else:
            NOTHING.append(key)

    # MED_ASSIST_MISSING: a 低保 member's 住院 settlement without 医疗救助
    pid = person("19710101")
    c.roster("R80", [("辰R80", pid, "本人")], category="低保", income="300")
    settle(c, "辰R80", pid, days_ago(30), "800", care="住院", assist="0")
    CASES["R80"] = ("MED_ASSIST_MISSING", "yellow", "医疗救助")

    # Income rules on 低保 households (urban standard 800):
    # wage 2,500 -> 2,000 counted (20 % employment cost), 2 people -> 1,000 each: 渐退 3 months
    head, spouse = person("19800101"), person("19820101", male=False)
    c.roster(
        "R90",
        [("巳R90", head, "本人"), ("巳妻R90", spouse, "配偶")],
        category="低保",
        income="1000",
    )
    c.add("hr", 姓名="巳R90", 社会保障号码=head, 就业状态="就业", 月工资="2500")
    CASES["R90"] = ("INCOME_ABOVE_STANDARD", "review", "渐退（3个月）")
    # wage 5,000 -> 4,000, 2 people -> 2,000 each >= 2 x 800: 退出
    head, spouse = person("19800202"), person("19820202", male=False)
    c.roster(
        "R91",
        [("午R91", head, "本人"), ("午妻R91", spouse, "配偶")],
        category="低保",
        income="1000",
    )
    c.add("hr", 姓名="午R91", 社会保障号码=head, 就业状态="就业", 月工资="5000")
    CASES["R91"] = ("INCOME_EXIT", "review", "退出")
    # pensions of a single 70-year-old: 城乡居民 900 counts 757 (< 800: nothing); 职工 900 counts 900 (渐退 6 months, 60+)
    for key, kind, expected in (
        ("R92", "城乡居民基本养老保险", None),
        ("R93", "职工基本养老保险", "渐退（6个月）"),
    ):
        pid = person("19560101")
        c.roster(key, [("未" + key, pid, "本人")], category="低保", income="300")
        c.add(
            "hr",
            姓名="未" + key,
            社会保障号码=pid,
            就业状态="未就业",
            养老金类型=kind,
            月养老金="900",
        )
        (
            CASES.__setitem__(key, ("INCOME_ABOVE_STANDARD", "review", expected))
            if expected
            else NOTHING.append(key)
        )
    # employment cost: wage 1,000 counts 800 (not above 800: nothing); 1,100 counts 880 (above)
    for key, wage, expected in (("R94", "1000", False), ("R95", "1100", True)):
        pid = person("19850101")
        c.roster(key, [("申" + key, pid, "本人")], category="低保", income="300")
        c.add("hr", 姓名="申" + key, 社会保障号码=pid, 就业状态="就业", 月工资=wage)
        (
            CASES.__setitem__(key, ("INCOME_ABOVE_STANDARD", "review", "渐退"))
            if expected
            else NOTHING.append(key)
        )
    # rigid expenditure: 低保边缘, income 1,000 with 4,800 out-of-pocket a year -> 600 a month: below 800
    for key, oop, expected in (("R96", "4800", True), ("R97", None, False)):
        pid = person("19660101")
        c.roster(key, [("酉" + key, pid, "本人")], category="低保边缘", income="1000")
        if oop:
            settle(c, "酉" + key, pid, days_ago(100), oop)
        (
            CASES.__setitem__(key, ("INCOME_BELOW_STANDARD", "orange", "纳入低保"))
            if expected
            else NOTHING.append(key)
        )
    # unknown income: no income rule fires
    pid = person("19880101")
    c.roster("R98", [("戌R98", pid, "本人")], category="临时救助")
    NOTHING.append("R98")

    # DECEASED and ASSETS_REVIEW (review tier)
    head, spouse = person("19500101"), person("19520101", male=False)
    c.roster(
        "R99", [("亥R99", head, "本人"), ("亥妻R99", spouse, "配偶")], category="低保", income="300"
    )
    c.add("health", 患者姓名="亥妻R99", 身份证号=spouse, 诊断类别="一般", 死亡日期=days_ago(20))
    CASES["R99"] = ("DECEASED", "review", "减员")
    pid = person("19400101")
    c.roster("R9A", [("亥R9A", pid, "本人")], category="特困", income="300")
    c.add("health", 患者姓名="亥R9A", 身份证号=pid, 诊断类别="一般", 死亡日期=days_ago(5))
    CASES["R9A"] = ("DECEASED", "review", "减员;停发")  # no member left
    pid = person("19750808")
    c.roster("RA0", [("甲RA0", pid, "本人")], category="低保", income="300", properties="3")
    CASES["RA0"] = ("ASSETS_REVIEW", "review", "核查家庭财产")
    pid = person("19750909")
    c.roster("RA1", [("乙RA1", pid, "本人")], category="低保", income="300", properties="1")
    NOTHING.append("RA1")

    # Tier = the highest signal; codes sorted: dropout (red) + unsafe C house (orange)
    head, child = person("19790101"), person("20130101")
    c.roster(
        "RB0", [("丙RB0", head, "本人"), ("丙小RB0", child, "子女")], category="低保", income="600"
    )
    c.add(
        "education",
        学生姓名="丙小RB0",
        身份证件号=child,
        学段="小学",
        学籍状态="辍学",
        学年="2026-2027",
    )
    c.add(
        "housing",
        户主姓名="丙RB0",
        户主身份证号=head,
        房屋安全等级="C",
        是否纳入危房改造="否",
        不动产套数="1",
    )
    CASES["RB0"] = ("DROPOUT;HOUSING_UNSAFE", "red", "住房救助")

    # Not on any list: EDU_COST alone does not make a 主动发现 household
    pid = person("20080101")
    c.add(
        "education", 学生姓名="丁某", 身份证件号=pid, 学段="高中", 学籍状态="在读", 学年="2026-2027"
    )
    KEYS["edu_only"] = pid
    build_exact_rules(c)
    build_more_of_the_plan(c)
    return c


def build_exact_rules(c: City) -> None:
    """Cases of the rules made exact in issue 9 (each failed on the code before it)."""
    # MED_OOP_HIGH against the household income (12 x the larger of recorded and HR income):
    # recorded 500 but two wages of 1,500 (2 x 1,200 counted = 2,400 a month, 28,800 a year);
    # 16,000 is 56 % of it: orange (on the recorded 6,000 a year it would be a red 267 %)
    head, spouse = person("19800303"), person("19820303", male=False)
    c.roster(
        "S01", [("张S01", head, "本人"), ("李S01", spouse, "配偶")], category="低保", income="500"
    )
    for pid, name in ((head, "张S01"), (spouse, "李S01")):
        c.add("hr", 姓名=name, 社会保障号码=pid, 就业状态="就业", 月工资="1500")
    settle(c, "张S01", head, days_ago(60), "9000")
    settle(c, "李S01", spouse, days_ago(90), "7000")
    CASES["S01"] = ("MED_OOP_HIGH", "orange", "医疗救助")
    # an income known to be 0 is known: 6,000 >= 5,000 and >= 100 % of 0 -> red; blank: unknown
    pid = person("19700404")
    c.roster("S02", [("王S02", pid, "本人")], category="临时救助", income="0")
    settle(c, "王S02", pid, days_ago(30), "6000")
    CASES["S02"] = ("INCOME_BELOW_STANDARD;MED_OOP_HIGH", "red", "临时救助")
    pid = person("19700505")
    c.roster("S03", [("王S03", pid, "本人")], category="临时救助")
    settle(c, "王S03", pid, days_ago(30), "6000")
    NOTHING.append("S03")
    # a member who died (20 days ago): no disability or illness signal for them; the household's
    # medical costs before the death still count (60,000: red); 2 members, 1 living
    head, spouse = person("19800505"), person("19600505", male=False)
    c.roster(
        "S05", [("赵S05", head, "本人"), ("钱S05", spouse, "配偶")], category="低保", income="300"
    )
    c.add("health", 患者姓名="钱S05", 身份证号=spouse, 诊断类别="重大疾病", 疾病名称="肺癌",
          就诊日期=days_ago(80))  # fmt: skip
    c.add("health", 患者姓名="钱S05", 身份证号=spouse, 诊断类别="一般", 死亡日期=days_ago(20))
    c.add("disability", 姓名="钱S05", 残疾人证号=spouse + "41")
    settle(c, "钱S05", spouse, days_ago(50), "60000", care="住院", assist="5000")
    CASES["S05"] = ("DECEASED;MED_OOP_HIGH", "red", "减员")
    # every member died: DECEASED (减员;停发) and nothing else
    pid = person("19450606")
    c.roster("S06", [("孙S06", pid, "本人")], category="特困", income="300")
    c.add("health", 患者姓名="孙S06", 身份证号=pid, 诊断类别="一般", 死亡日期=days_ago(10))
    c.add("disability", 姓名="孙S06", 残疾人证号=pid + "41")
    c.add("housing", 户主姓名="孙S06", 户主身份证号=pid, 房屋安全等级="D", 是否纳入危房改造="否",
          不动产套数="1")  # fmt: skip
    CASES["S06"] = ("DECEASED", "review", "减员;停发")
    # on the roster and in the rural source: the roster household (2 people, income 1,900:
    # 950 each, 渐退) keeps its size and income; RURAL_RISK attaches to it; the rural member on
    # no roster forms the rural household alone
    head, spouse, other = person("19700707", county="341122"), person("19720707", male=False, county="341122"), person("19950707", county="341122")  # fmt: skip
    c.roster(
        "S07", [("周S07", head, "本人"), ("吴S07", spouse, "配偶")], category="低保", income="1900"
    )
    for name, pid, rel in (
        ("周S07", head, "本人"),
        ("吴S07", spouse, "配偶"),
        ("周小S07", other, "子女"),
    ):
        c.add("rural", 户编号="H7", 户主姓名="周S07", 户主证件号码=head, 成员姓名=name, 成员证件号码=pid,
              与户主关系=rel, 户类型="脱贫户", 监测对象类别="脱贫不稳定户", 风险类型="因病",
              风险是否消除="否", 家庭人均纯收入="4000", 乡镇="来安镇", 村="一村")  # fmt: skip
    CASES["S07"] = ("INCOME_ABOVE_STANDARD;RURAL_RISK", "orange", "渐退")
    CASES["XC:H7"] = ("INCOME_BELOW_STANDARD;RURAL_RISK", "orange", "防返贫帮扶")
    # a rural head's row with a damaged 成员证件号码 takes the person from 户主证件号码
    pid = person("19680808", county="341122")
    c.add("rural", 户编号="H8", 户主姓名="郑S08", 户主证件号码=pid, 成员姓名="郑S08",
          成员证件号码=pid[:-1] + ("0" if pid[-1] != "0" else "1"), 与户主关系="本人(户主)",
          户类型="监测户", 监测对象类别="突发严重困难户", 风险是否消除="否",
          家庭人均纯收入="30000", 乡镇="来安镇", 村="二村")  # fmt: skip
    CASES["XC:H8"] = ("RURAL_RISK", "red", "临时救助")
    KEYS["rural_head"] = pid
    # a rural household none of whose rows links to a person still gets its own risk
    c.add("rural", 户编号="H9", 户主姓名="冯S09", 成员姓名="冯S09", 成员证件号码="", 与户主关系="本人",
          户类型="脱贫户", 监测对象类别="脱贫不稳定户", 风险是否消除="否", 家庭人均纯收入="30000",
          乡镇="来安镇", 村="三村")  # fmt: skip
    CASES["XC:H9"] = ("RURAL_RISK", "orange", "防返贫帮扶")
    # a 低保 household that left (退出): below the standard again is a case; the rules that
    # assume current assistance (MED_ASSIST_MISSING) do not fire
    pid = person("19710909")
    c.roster("S10", [("陈S10", pid, "本人")], category="低保", income="300", status="退出")
    settle(c, "陈S10", pid, days_ago(30), "800", care="住院", assist="0")
    CASES["S10"] = ("INCOME_BELOW_STANDARD", "orange", "纳入低保")
    # DROPOUT with a blank 学年 is this school year's
    head, child = person("19830101"), person("20130606")
    c.roster(
        "S11", [("褚S11", head, "本人"), ("褚小S11", child, "子女")], category="低保", income="600"
    )
    c.add("education", 学生姓名="褚小S11", 身份证件号=child, 学段="小学", 学籍状态="辍学", 学年="")
    CASES["S11"] = ("DROPOUT", "red", "控辍保学")
    # ages are whole years completed: born 1990-12-15 is 35 on 2026-11-15
    pid = person("19901215")
    c.roster("S12", [("卫S12", pid, "本人")], category="低保", income="300")
    c.add("hr", 姓名="卫S12", 社会保障号码=pid, 就业状态="失业登记", 失业登记日期=days_ago(30))
    CASES["S12"] = ("UNEMPLOYED", "yellow", "就业救助")
    # an emergency record without damage or casualties says so in plain words
    pid = person("19651111")
    c.roster("S13", [("蒋S13", pid, "本人")], category="低保", income="300")
    c.add("emergency", 姓名="蒋S13", 身份证号码=pid, 灾害类型="洪涝", 受灾日期=days_ago(20),
          房屋损毁程度="无", 人员伤亡="无")  # fmt: skip
    CASES["S13"] = ("DISASTER", "orange", "临时救助")
    # routing: a township's county is the reference list's, not the members' ID prefix
    head = person("19850303", county="341122")
    c.add("roster", 家庭编号="S14", 成员姓名="沈S14", 成员身份证号=head, 与户主关系="本人", 乡镇="琅琊街道",
          村="东门社区", 城乡类别="城市", 救助类别="低保", 家庭月总收入="300", 月保障金额="500",
          状态="在保")  # fmt: skip
    c.add("disability", 姓名="沈S14", 残疾人证号=head + "11")
    # alone and severely disabled: CARE_NEEDED too (issue 14)
    CASES["S14"] = ("CARE_NEEDED;SEVERE_DISABILITY", "orange", "残疾人两项补贴核查")
    # no township: the 医保 参保地; an ID of a former county code: its successor
    pid = person("19600101", county="341122")
    c.add("medical_insurance", 参保人姓名="韩S15", 证件号码=pid, 结算日期=days_ago(30), 就医类型="住院",
          医疗总费用="80000", 个人自付="30000", 参保地="定远县")  # fmt: skip
    KEYS["insured_place"] = pid
    CASES[pid] = ("MED_OOP_HIGH", "orange", "医疗救助")
    pid = person("19600202", county="342326")
    settle(c, "杨S16", pid, days_ago(30), "30000")
    KEYS["former_code"] = pid
    CASES[pid] = ("MED_OOP_HIGH", "orange", "医疗救助")


def rural_member(c: City, key: str, name: str, pid: str, relation: str = "本人",
                 kind: str = "脱贫户") -> None:  # fmt: skip
    """A rural-source member of household 户编号 `key`, risk removed, income well above the line."""
    c.add("rural", 户编号=key, 成员姓名=name, 成员证件号码=pid, 与户主关系=relation, 户类型=kind,
          监测对象类别="无", 风险是否消除="是", 家庭人均纯收入="24000", 乡镇="来安镇", 村="一村")  # fmt: skip


def build_more_of_the_plan(c: City) -> None:
    """Cases of issue 14's rules (policy.md "More of the plan"); ages on 2026-11-15."""
    # CARE_NEEDED (§二(七)): living alone at 80+ on 特困/低保 (在保 or 渐退); 79 is not 80
    pid = person("19461115", male=False)  # 80 today
    c.roster("C01", [("甲C01", pid, "本人")], category="特困", income="300")
    CASES["C01"] = ("CARE_NEEDED", "yellow", "分散供养照料服务")
    pid = person("19461116", male=False)  # 79 until tomorrow
    c.roster("C02", [("乙C02", pid, "本人")], category="低保", income="300")
    NOTHING.append("C02")
    # an elderly couple is not alone; a widower is (his wife died 20 days ago)
    for key, died in (("C03", False), ("C04", True)):
        head, wife = person("19410101"), person("19430101", male=False)
        c.roster(key, [("丙" + key, head, "本人"), ("丁" + key, wife, "配偶")], income="300")
        if died:
            c.add(
                "health", 患者姓名="丁" + key, 身份证号=wife, 诊断类别="一般", 死亡日期=days_ago(20)
            )
            CASES[key] = ("CARE_NEEDED;DECEASED", "yellow", "居家养老上门服务")
        else:
            NOTHING.append(key)
    # 低保边缘 is not in the scheme; 渐退 is
    pid = person("19400101")
    c.roster("C05", [("戊C05", pid, "本人")], category="低保边缘", income="1300")
    NOTHING.append("C05")
    pid = person("19420101")
    c.roster("C06", [("己C06", pid, "本人")], category="低保", income="1000", status="渐退")
    CASES["C06"] = ("CARE_NEEDED", "yellow", "居家养老上门服务")
    # minors whose parents both died (事实无人抚养): orange, the advice once for both children;
    # with an 18-year-old sibling alive there is an adult
    for key, eldest, expected in (("C07", "20100101", True), ("C08", "20081115", False)):
        father, mother = person("19800101"), person("19820101", male=False)
        kids = [person("20140101"), person(eldest)]
        c.roster(key, [("庚" + key, father, "本人"), ("辛" + key, mother, "配偶"),
                       ("庚小" + key, kids[0], "子女"), ("庚大" + key, kids[1], "子女")],
                 category="特困" if expected else "低保", income="0")  # fmt: skip
        for name, parent in (("庚" + key, father), ("辛" + key, mother)):
            c.add("health", 患者姓名=name, 身份证号=parent, 诊断类别="一般", 死亡日期=days_ago(40))
        if expected:
            CASES[key] = (
                "CARE_NEEDED;DECEASED",
                "orange",
                "未成年人关爱保护（事实无人抚养儿童核查）",
            )
        else:
            CASES[key] = ("DECEASED", "review", "减员")

    # WORK_ABILITY_LOST (§二(一)): working age (16 to 60 for men, 55 for women), a rural-source
    # household not on 低保/特困, a severe disability or a 重大疾病 in the last 12 months
    for key, born, male, cause, expected in (
        ("W01", "19810101", True, "card", True),
        ("W02", "19661115", True, "card", False),  # 60 today: retired
        ("W03", "19721115", False, "illness", True),  # a woman of 54
        ("W04", "19711115", False, "illness", False),  # 55 today: retired
        ("W05", "20101116", True, "card", False),  # 15 until tomorrow
        ("W06", "20101115", True, "card", True),  # 16 today
    ):
        pid = person(born, male=male, county="341122")
        rural_member(c, key, "壬" + key, pid)
        if cause == "card":
            c.add("disability", 姓名="壬" + key, 残疾人证号=pid + "41")
            signal = "SEVERE_DISABILITY"
        else:
            c.add("health", 患者姓名="壬" + key, 身份证号=pid, 诊断类别="重大疾病", 疾病名称="胃癌",
                  就诊日期="2025-11-16")  # fmt: skip  # the first day of the 12 months
            signal = "MAJOR_ILLNESS"
        codes = f"{signal};WORK_ABILITY_LOST" if expected else signal
        CASES["XC:" + key] = (
            codes,
            "orange",
            "纳入农村低保或特困人员救助供养" if expected else None,
        )
    # a diagnosis 12 months ago to the day is outside the window: nothing at all
    pid = person("19800303", county="341122")
    rural_member(c, "W07", "癸W07", pid)
    c.add("health", 患者姓名="癸W07", 身份证号=pid, 诊断类别="重大疾病", 疾病名称="胃癌",
          就诊日期="2025-11-15")  # fmt: skip
    NOTHING.append("XC:W07")
    # on the roster and in the rural source: on 低保 already it is not proposed; 低保边缘 it is
    for key, category, expected in (("W08", "低保", False), ("W09", "低保边缘", True)):
        head, wife = person("19800404", county="341122"), person("19820404", male=False, county="341122")  # fmt: skip
        income = "600" if category == "低保" else "2200"
        c.roster(key, [("子" + key, head, "本人"), ("丑" + key, wife, "配偶")], category=category,
                 income=income, urban="农村")  # fmt: skip
        rural_member(c, "F" + key, "子" + key, head)
        rural_member(c, "F" + key, "丑" + key, wife, "配偶")
        c.add("disability", 姓名="子" + key, 残疾人证号=head + "22")
        codes = "SEVERE_DISABILITY;WORK_ABILITY_LOST" if expected else "SEVERE_DISABILITY"
        CASES[key] = (codes, "orange", "残疾人两项补贴核查")

    # BENEFIT_CHECK (§二(二) 足额发放): 补差 = 800 x 2 - 600 = 1,000, tolerance 10 %
    for key, benefit, expected in (
        ("B01", "", True),  # blank
        ("B02", "0", True),
        ("B03", "899", True),
        ("B04", "900", False),  # within the tolerance
        ("B05", None, False),  # paid in full (1,000)
    ):
        head, wife = person("19700606"), person("19720606", male=False)
        c.roster(key, [("寅" + key, head, "本人"), ("卯" + key, wife, "配偶")], income="600",
                 benefit=benefit)  # fmt: skip
        (CASES.__setitem__(key, ("BENEFIT_CHECK", "review", "核查保障金额（足额发放）"))
         if expected else NOTHING.append(key))  # fmt: skip
    # not 在保 (渐退), or an unknown income: nothing; an HR wage above 补差: 渐退 only
    head = person("19700707")
    c.roster("B06", [("辰B06", head, "本人")], income="300", status="渐退", benefit="")
    NOTHING.append("B06")
    head = person("19700808")
    c.roster("B07", [("巳B07", head, "本人")], income="", benefit="")
    NOTHING.append("B07")
    head, wife = person("19800808"), person("19820808", male=False)
    c.roster("B08", [("午B08", head, "本人"), ("未B08", wife, "配偶")], income="300", benefit="")
    c.add("hr", 姓名="午B08", 社会保障号码=head, 就业状态="就业", 月工资="2500")  # 2,000 > 1,600
    CASES["B08"] = ("INCOME_ABOVE_STANDARD", "review", "渐退")


CITY = build()  # fills CASES, NOTHING and KEYS at import time, for parametrization


@pytest.fixture(scope="module")
def warnings(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    root = tmp_path_factory.mktemp("clauses")
    inp = CITY.write(root / "input")
    run(inp, root / "out", root / "state.duckdb", AS_OF)
    return read(root / "out" / "warnings.csv")


def _row(warnings: pl.DataFrame, key: str) -> dict[str, str] | None:
    if key.isdigit() or (len(key) == 18 and key[:17].isdigit()):
        found = warnings.filter(pl.col("member_ids").str.contains(key))
    else:
        found = warnings.filter(pl.col("household_key") == key)
    return found.row(0, named=True) if found.height else None


@pytest.mark.parametrize("key", sorted(CASES))
def test_clause_raises_expected_signal(warnings: pl.DataFrame, key: str) -> None:
    codes, tier, assistance = CASES[key]
    row = _row(warnings, key)
    assert row is not None, f"{key}: no warning"
    assert row["codes"] == codes
    assert row["tier"] == tier
    if assistance:
        assert assistance in row["assistance"], row["assistance"]
    assert row["explanation"]


@pytest.mark.parametrize("key", NOTHING)
def test_clause_raises_nothing(warnings: pl.DataFrame, key: str) -> None:
    assert _row(warnings, key) is None


def test_no_single_person_dibao_for_households_on_dibao(warnings: pl.DataFrame) -> None:
    for row in warnings.iter_rows(named=True):
        if row["household_key"] in ("R20", "R21"):
            assert "单人户纳入低保" not in row["assistance"]


def test_stop_payment_only_when_no_member_is_left(warnings: pl.DataFrame) -> None:
    assert "停发" not in _row(warnings, "R99")["assistance"]  # type: ignore[index]


def test_green_channel_for_members_aged_60_or_severely_disabled(warnings: pl.DataFrame) -> None:
    assert _row(warnings, "R99")["green_channel"] == "true"  # type: ignore[index]
    assert _row(warnings, "R20")["green_channel"] == "true"  # type: ignore[index]
    assert _row(warnings, "R90")["green_channel"] == "false"  # type: ignore[index]


def test_education_cost_alone_is_not_proactive_discovery(warnings: pl.DataFrame) -> None:
    assert _row(warnings, KEYS["edu_only"]) is None


def test_income_drop_between_hr_snapshots_and_dispositions(tmp_path: Path) -> None:
    from monitor.dispositions import record_disposition
    from monitor.state import open_state

    head = person("19800101")
    state, inp = tmp_path / "state.duckdb", tmp_path / "input"
    c = City()
    c.roster("D1", [("甲D1", head, "本人")], category="低保", income="300")
    c.add(
        "emergency",
        姓名="甲D1",
        身份证号码=head,
        灾害类型="火灾",
        受灾日期=days_ago(10),
        房屋损毁程度="一般损坏",
        人员伤亡="无",
    )
    c.write(inp)
    write_csv(
        inp / "hr" / "hr.csv",
        ["姓名", "社会保障号码", "就业状态", "月工资"],
        [["甲D1", head, "就业", "5000"]],
    )
    run(inp, tmp_path / "o1", state, AS_OF)
    # next night: the wage fell from 5,000 to 900 (-82 %)
    write_csv(
        inp / "hr" / "hr.csv",
        ["姓名", "社会保障号码", "就业状态", "月工资"],
        [["甲D1", head, "就业", "900"]],
    )
    run(inp, tmp_path / "o2", state, AS_OF + dt.timedelta(days=1))
    row = _row(read(tmp_path / "o2" / "warnings.csv"), "D1")
    assert row is not None and row["codes"] == "DISASTER;INCOME_DROP"
    assert "5,000" in row["explanation"] and "900" in row["explanation"]
    assert row["status"] == "持续"

    # a caseworker verified both; the next run raises nothing and resolved.csv says 已处置
    with open_state(state) as engine:
        for code in ("DISASTER", "INCOME_DROP"):
            record_disposition(engine, "D1", code, "已核实-已救助", AS_OF + dt.timedelta(days=1))
    run(inp, tmp_path / "o3", state, AS_OF + dt.timedelta(days=2))
    assert _row(read(tmp_path / "o3" / "warnings.csv"), "D1") is None
    resolved = read(tmp_path / "o3" / "resolved.csv")
    assert resolved.filter(pl.col("household_key") == "D1")["reason"].to_list() == ["已处置"]

    # a new disaster after the disposition: worse, raised again and said so
    c.add(
        "emergency",
        姓名="甲D1",
        身份证号码=head,
        灾害类型="洪涝",
        受灾日期=(AS_OF + dt.timedelta(days=2)).isoformat(),
        房屋损毁程度="一般损坏",
        人员伤亡="无",
    )
    c.write(inp)
    run(inp, tmp_path / "o4", state, AS_OF + dt.timedelta(days=3))
    row = _row(read(tmp_path / "o4" / "warnings.csv"), "D1")
    assert row is not None and row["codes"] == "DISASTER"
    assert "情况加重" in row["explanation"]
    assert (
        "已核实处置的信号暂不提示" in row["explanation"]
    )  # INCOME_DROP stays suppressed, and it says so


def test_what_if_a_higher_standard_adds_households(tmp_path: Path) -> None:
    from monitor.whatif import what_if

    root = tmp_path
    CITY.write(root / "input")
    run(root / "input", root / "out", root / "state.duckdb", AS_OF)
    text = packaged("policy", "2026.yaml").read_text(encoding="utf-8")
    higher = root / "higher.yaml"
    higher.write_text(
        text.replace(
            "dibao_standard: {urban: 800, rural: 750}", "dibao_standard: {urban: 1100, rural: 1000}"
        ),
        encoding="utf-8",
    )
    result = what_if(root / "state.duckdb", higher)
    diff = result.summary
    # R94/R95 (880 a month) and R92 (757) fall below a standard of 1,100; R90's 渐退 ends
    assert diff["added"].sum() >= 1
    changes = result.households
    assert (changes["change"] == "新增").sum() == diff["added"].sum()
    assert (changes["change"] == "移出").sum() == diff["removed"].sum()
    assert set(changes["candidate_tier"].drop_nulls()) <= {"红色", "橙色", "黄色", "复核"}
    same = what_if(root / "state.duckdb", packaged("policy", "2026.yaml"))
    assert same.summary["added"].sum() == 0 and same.summary["removed"].sum() == 0
    assert same.households.height == 0
    before = read(root / "out" / "warnings.csv").height
    assert diff["baseline"].sum() == before


def _explained(warnings: pl.DataFrame, key: str) -> dict[str, str]:
    row = _row(warnings, key if key in CASES or key in NOTHING else KEYS[key])
    assert row is not None, key
    return row


def test_med_oop_is_compared_with_the_household_income(warnings: pl.DataFrame) -> None:
    text = _explained(warnings, "S01")["explanation"]
    assert "16,000" in text and "家庭年收入 28,800 元的 50%（橙色）" in text, text
    assert "退费已冲抵" not in text  # no refund was netted
    assert "家庭年收入 0 元的 100%（红色）" in _explained(warnings, "S02")["explanation"]


def test_refunds_are_said_only_when_netted(warnings: pl.DataFrame) -> None:
    # 60,000 in one settlement, no refund: not said (the netted case: test_household_signals.py)
    assert "退费已冲抵" not in _explained(warnings, "oop_red_abs")["explanation"]


def test_a_deceased_member_raises_no_living_person_signal(warnings: pl.DataFrame) -> None:
    row = _explained(warnings, "S05")
    assert "重度残疾" not in row["explanation"] and "重大疾病" not in row["explanation"]
    assert row["green_channel"] == "false"  # the 60+ member died
    assert _explained(warnings, "S06")["assistance"] == "减员;停发"


def test_roster_and_rural_person_stays_in_the_roster_household(warnings: pl.DataFrame) -> None:
    text = _explained(warnings, "S07")["explanation"]
    assert "2 人" in text and "人均 950 元/月" in text, text
    assert "1 人" in _explained(warnings, "XC:H7")["explanation"]


def test_rural_head_row_takes_the_head_id(warnings: pl.DataFrame) -> None:
    assert KEYS["rural_head"] in _explained(warnings, "XC:H8")["member_ids"]


def test_blank_school_year_and_member_names(warnings: pl.DataFrame) -> None:
    text = _explained(warnings, "S11")["explanation"]
    assert "褚小S11：" in text and "学年未填" in text, text


def test_age_in_whole_years_and_plain_words(warnings: pl.DataFrame) -> None:
    assert "年龄35岁" in _explained(warnings, "S12")["explanation"]
    text = _explained(warnings, "S13")["explanation"]
    assert "房屋无损毁" in text and "无人员伤亡" in text, text


def test_routing_by_reference_list_insured_place_and_successor_code(
    warnings: pl.DataFrame,
) -> None:
    assert _explained(warnings, "S14")["county"] == "341102"  # 琅琊街道, although the ID is 341122
    assert _explained(warnings, "insured_place")["county"] == "341125"  # 参保地 定远县
    assert _explained(warnings, "former_code")["county"] == "341126"  # 342326 -> 凤阳县


def test_rigid_expenditure_assessment_only_for_households_not_assisted(
    warnings: pl.DataFrame,
) -> None:
    assert "刚性支出困难认定" not in _explained(warnings, "R01")["assistance"]  # 低保
    assert "刚性支出困难认定" in _explained(warnings, "S02")["assistance"]  # 临时救助


def test_worse_since_a_disposition_is_judged_per_signal(tmp_path: Path) -> None:
    """Income: a lower per-capita income is worse, a higher one is not (it was backwards);
    events: a record not among the disposition's evidence is worse even when dated before
    the decision, and the same ticket re-sent in another file is not."""
    from monitor.dispositions import record_disposition
    from monitor.state import open_state

    a, b = person("19700101"), person("19710101")
    state, inp = tmp_path / "state.duckdb", tmp_path / "input"
    c = City()
    c.roster("D2", [("甲D2", a, "本人")], category="低保边缘", income="500")
    c.roster("D3", [("乙D3", b, "本人")], category="低保", income="300")
    ticket = {"工单编号": "T9", "来电时间": days_ago(5) + " 09:00", "诉求人": "乙D3", "身份证号": b,
              "诉求类型": "求助"}  # fmt: skip
    c.add("hotline", **ticket)
    c.write(inp)
    run(inp, tmp_path / "o1", state, AS_OF)
    with open_state(state) as engine:
        record_disposition(engine, "D2", "INCOME_BELOW_STANDARD", "已核实-不符合条件", AS_OF)
        record_disposition(engine, "D3", "HOTLINE_HELP", "已核实-已救助", AS_OF)

    def night(n: int) -> pl.DataFrame:
        run(inp, tmp_path / f"o{n}", state, AS_OF + dt.timedelta(days=n))
        return read(tmp_path / f"o{n}" / "warnings.csv")

    # income up (500 -> 600 a month) and the same ticket re-sent under another name: suppressed
    c.rows["roster"] = [r for r in c.rows["roster"] if r["家庭编号"] != "D2"]
    c.roster("D2", [("甲D2", a, "本人")], category="低保边缘", income="600")
    c.write(inp)
    write_csv(inp / "hotline" / "hotline_重发.csv", list(ticket), [list(ticket.values())])
    w = night(1)
    assert _row(w, "D2") is None and _row(w, "D3") is None
    # income down (600 -> 300) and a ticket dated before the decision that arrives only now
    c.rows["roster"] = [r for r in c.rows["roster"] if r["家庭编号"] != "D2"]
    c.roster("D2", [("甲D2", a, "本人")], category="低保边缘", income="300")
    c.write(inp)
    late = ticket | {"工单编号": "T10", "来电时间": days_ago(3) + " 10:00"}
    write_csv(inp / "hotline" / "hotline_补录.csv", list(late), [list(late.values())])
    w = night(2)
    for key in ("D2", "D3"):
        row = _row(w, key)
        assert row is not None and "此后情况加重" in row["explanation"], key
        assert "已已核实" not in row["explanation"]


def test_townships_outside_the_reference_list_are_reported(tmp_path: Path) -> None:
    c = City()
    c.roster(
        "T1", [("甲T1", person("19700101", county="341122"), "本人")], category="低保", income="300"
    )
    c.write(tmp_path / "input")
    run(tmp_path / "input", tmp_path / "out", tmp_path / "state.duckdb", AS_OF)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert (
        "不在行政区划参考表中的乡镇" in html
        and "<td class='l'>T1镇</td><td class='l'>来安县</td>" in html
    )


def test_a_grid_report_says_the_visit_and_not_the_description(warnings: pl.DataFrame) -> None:
    row = _explained(warnings, "G1")
    assert "网格员走访发现困难" in row["explanation"]
    assert f"{days_ago(10)}网格员走访记录：独居老人（记录编号 WGG1）" in row["explanation"]
    assert row["assistance"] == "入户核实;临时救助"
    # the free text and the grid worker's name are for the workbooks' 证据明细 only
    assert "行动不便" not in row["explanation"] and "网格员G1" not in row["explanation"]
    assert _explained(warnings, "G4")["kind"] == "主动发现"


def test_the_same_advice_is_given_once_for_two_members(warnings: pl.DataFrame) -> None:
    row = _explained(warnings, "C07")
    assert row["assistance"].count("未成年人关爱保护") == 1, row["assistance"]
    assert row["explanation"].count("未成年人（") == 2  # one sentence per child


def test_explanations_of_the_more_of_the_plan_codes(warnings: pl.DataFrame) -> None:
    assert "年龄80岁（80岁及以上）" in _explained(warnings, "C01")["explanation"]
    text = _explained(warnings, "B03")["explanation"]
    assert (
        "月保障金额 899 元，应补差额 1,000 元（低保标准 800 元 × 2 人 − 家庭月收入 600 元）" in text
    )
    text = _explained(warnings, "XC:W03")["explanation"]
    assert "劳动年龄内（54岁）" in text and "该户为脱贫户" in text, text


def test_schooling_costs_as_rigid_expenditure_when_the_policy_sets_them(tmp_path: Path) -> None:
    """policy.md: schooling_cost per 学段 (0 by default) is deducted with medical costs. A
    低保边缘 household of 2 with 1,700 a month and a pupil 在读 高中: 850 each, nothing; with
    高中 at 1,000 a month, (1,700 - 1,000) / 2 = 350, below the standard of 800."""
    c = City()
    head, child = person("19800909"), person("20090909")
    c.roster("E1", [("申E1", head, "本人"), ("申小E1", child, "子女")], category="低保边缘",
             income="1700")  # fmt: skip
    c.add(
        "education",
        学生姓名="申小E1",
        身份证件号=child,
        学段="高中",
        学籍状态="在读",
        学年="2026-2027",
    )
    c.write(tmp_path / "input")
    run(tmp_path / "input", tmp_path / "o1", tmp_path / "s1.duckdb", AS_OF)
    assert _row(read(tmp_path / "o1" / "warnings.csv"), "E1")["codes"] == "EDU_COST"  # type: ignore[index]
    text = packaged("policy", "2026.yaml").read_text(encoding="utf-8")
    costly = tmp_path / "costly.yaml"
    costly.write_text(text.replace("junior: 0, senior: 0", "junior: 0, senior: 1000"), "utf-8")
    from monitor import pipeline

    ctx = pipeline.make_context(
        tmp_path / "input", tmp_path / "o2", AS_OF, tmp_path / "s2.duckdb", policy_file=costly
    )
    pipeline.run_all(ctx)
    row = _row(read(tmp_path / "o2" / "warnings.csv"), "E1")
    assert row is not None and row["codes"] == "EDU_COST;INCOME_BELOW_STANDARD"
    assert "扣除刚性支出 1,000 元/月（医疗 0 元、就学 1,000 元）" in row["explanation"]
