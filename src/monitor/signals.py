"""The signal catalog: each code's Chinese label and 救助建议 (policy.md, "Warning signals")."""

from __future__ import annotations

import re
from dataclasses import dataclass

TIER_RANKS = {"red": 1, "orange": 2, "yellow": 3, "review": 4}
TIER_LABELS = {"red": "红色", "orange": "橙色", "yellow": "黄色", "review": "复核"}


# What "worse since a caseworker's disposition" means for a signal (policy.md, dispositions),
# besides a higher tier, which always is:
AMOUNT_UP = "amount_up"  # a larger amount (out-of-pocket, properties)
INCOME_DOWN = "income_down"  # a lower per-capita income (or wage)
INCOME_UP = "income_up"  # a higher per-capita income (further above the line: 渐退, 退出)
NEW_RECORD = "new_record"  # a record that was not there when the decision was taken


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    assistance: tuple[str, ...]
    assistance_red: tuple[str, ...] = ()  # added when the signal is red
    # (tier, 救助建议) replacing `assistance` when the signal has that tier (CARE_NEEDED's minor)
    assistance_by_tier: tuple[tuple[str, tuple[str, ...]], ...] = ()
    worse: str = NEW_RECORD
    # the amount is money at stake (out-of-pocket, a disaster's loss): it orders rows in a tier
    scores_amount: bool = False
    model: str = "40_score/person_signals.sql"  # the SQL model that raises it
    policy_keys: tuple[str, ...] = ()  # the policy file's parameters it reads (Policy.params)


HOUSEHOLD = "40_score/household_signals.sql"
INCOME = "40_score/income_signals.sql"
# the income rules read the standards and the household income's parameters, with the rigid
# expenditure's: medical costs over the window and schooling per 学段 (plan §二(八))
SCHOOLING_KEYS = tuple(
    f"schooling_cost_{stage}"
    for stage in ("preschool", "primary", "junior", "senior", "secondary_vocational",
                  "higher_vocational", "undergraduate", "postgraduate")
)  # fmt: skip
INCOME_KEYS = ("dibao_standard_urban", "dibao_standard_rural", "employment_cost_deduction",
               "basic_pension_excluded", "medical_months", *SCHOOLING_KEYS)  # fmt: skip

CATALOG: dict[str, Signal] = {
    s.code: s
    for s in (
        Signal(
            "MED_OOP_HIGH",
            "医疗自付费用高",
            ("医疗救助", "刚性支出困难认定"),
            ("临时救助",),
            worse=AMOUNT_UP,
            scores_amount=True,
            model=HOUSEHOLD,
            policy_keys=(
                "med_oop_orange_abs",
                "med_oop_red_abs",
                "med_oop_min_rel",
                "med_oop_orange_share",
                "med_oop_red_share",
                "medical_months",
            ),
        ),
        Signal(
            "MAJOR_ILLNESS",
            "重大疾病",
            ("医疗救助", "单人户纳入低保"),
            policy_keys=("major_illness_months",),
        ),
        Signal("SEVERE_DISABILITY", "重度残疾", ("单人户纳入低保", "残疾人两项补贴核查")),
        Signal(
            "UNEMPLOYED",
            "失业",
            ("就业救助",),
            policy_keys=(
                "unemployment_months",
                "min_working_age",
                "retirement_age_male",
                "retirement_age_female",
            ),
        ),
        Signal("DROPOUT", "学生辍学", ("教育救助", "控辍保学")),
        Signal("EDU_COST", "教育支出", ("教育救助",)),
        Signal("HOUSING_UNSAFE", "住房不安全", ("住房救助",)),
        Signal(
            "DISASTER",
            "受灾或意外",
            ("临时救助（急难型，先行救助）",),
            scores_amount=True,
            policy_keys=("disaster_days",),
        ),
        Signal("RURAL_RISK", "防返贫监测风险", ("防返贫帮扶",), ("临时救助",), model=HOUSEHOLD),
        Signal(
            "HOTLINE_HELP", "12345求助", ("入户核实", "临时救助"), policy_keys=("hotline_days",)
        ),
        Signal(
            "MED_ASSIST_MISSING",
            "住院未享受医疗救助",
            ("医疗救助",),
            model=HOUSEHOLD,
            policy_keys=("inpatient_months",),
        ),
        Signal(
            "INCOME_BELOW_STANDARD",
            "收入低于低保标准",
            ("纳入低保",),
            worse=INCOME_DOWN,
            model=INCOME,
            policy_keys=INCOME_KEYS,
        ),
        Signal(
            "INCOME_EDGE",
            "低保边缘",
            ("低保边缘认定",),
            worse=INCOME_DOWN,
            model=INCOME,
            policy_keys=(*INCOME_KEYS, "edge_multiplier"),
        ),
        Signal(
            "INCOME_DROP",
            "收入骤降",
            ("入户核实", "临时救助"),
            worse=INCOME_DOWN,
            model=INCOME,
            policy_keys=("wage_drop_share",),
        ),
        Signal(
            "INCOME_ABOVE_STANDARD",
            "收入超过低保标准",
            ("渐退",),
            worse=INCOME_UP,
            model=INCOME,
            policy_keys=(
                *INCOME_KEYS,
                "gradual_exit_multiplier",
                "gradual_exit_months_vulnerable",
                "gradual_exit_months_default",
            ),
        ),
        Signal(
            "INCOME_EXIT",
            "收入超过退出线",
            ("退出",),
            worse=INCOME_UP,
            model=INCOME,
            policy_keys=(*INCOME_KEYS, "gradual_exit_multiplier"),
        ),
        Signal("DECEASED", "成员死亡", ("减员",)),  # + 停发 when no member is left (publish)
        Signal(
            "ASSETS_REVIEW",
            "家庭财产核查",
            ("核查家庭财产",),
            worse=AMOUNT_UP,
            model=HOUSEHOLD,
            policy_keys=("assets_properties",),
        ),
        # More of the plan (policy.md, added 2026-12)
        Signal(
            "GRID_REPORT",
            "网格员走访发现困难",
            ("入户核实", "临时救助"),
            model="40_score/grid_signals.sql",
            policy_keys=("grid_days", "grid_hardship_types"),
        ),
        # -- issue 14, more of the plan (rules) -------------------------------------------
        Signal(
            "CARE_NEEDED",
            "需访视照料",
            ("居家养老上门服务",),  # 特困: 分散供养照料服务 (assistance() below)
            assistance_by_tier=(("orange", ("未成年人关爱保护（事实无人抚养儿童核查）",)),),
            model="40_score/care_needed.sql",
            policy_keys=("care_age", "adult_age"),
        ),
        Signal(
            "WORK_ABILITY_LOST",
            "丧失劳动能力",
            ("纳入农村低保或特困人员救助供养（丧失劳动能力）",),
            model="40_score/work_ability_lost.sql",
            policy_keys=(
                "min_working_age",
                "retirement_age_male",
                "retirement_age_female",
                "major_illness_months",
            ),
        ),
        Signal(
            "BENEFIT_CHECK",
            "保障金额核查",
            ("核查保障金额（足额发放）",),
            worse=AMOUNT_UP,  # a larger shortfall against 补差
            model="40_score/benefit_check.sql",
            policy_keys=(
                "dibao_standard_urban",
                "dibao_standard_rural",
                "employment_cost_deduction",
                "basic_pension_excluded",
                "benefit_tolerance",
            ),
        ),
        # -- end of issue 14 (rules) ------------------------------------------------------
    )
}

# 单人户纳入低保 is only for members of 低保边缘 / 刚性支出困难 roster households (policy.md).
SINGLE_PERSON_DIBAO = "单人户纳入低保"
SINGLE_PERSON_CATEGORIES = ("低保边缘", "刚性支出困难")
# 刚性支出困难认定 is not proposed to a household on 低保/特困, nor to one already 刚性支出困难.
RIGID_EXPENDITURE = "刚性支出困难认定"
ASSISTED_CATEGORIES = ("低保", "特困")
# Care at home (plan §二(七)): for a 特困 person, the 分散供养 care service takes its place.
HOME_CARE = "居家养老上门服务"
TEKUN_HOME_CARE = "分散供养照料服务"


def on_assistance(category: str | None, status: str | None) -> bool:
    """A roster 低保/特困 household that has not left (状态 在保 or 渐退)."""
    return category in ASSISTED_CATEGORIES and status != "退出"


def assistance(
    code_tiers: str,
    category: str | None,
    exit_months: int | None = None,
    no_member_left: bool = False,
    status: str | None = None,
) -> str:
    """救助建议 of a household from its ``CODE=rank;…`` list, in signal order, without repeats.

    Example: ``assistance("MED_OOP_HIGH=1;SEVERE_DISABILITY=2", "低保")`` ->
    ``医疗救助;临时救助;残疾人两项补贴核查`` (no 刚性支出困难认定 nor 单人户纳入低保 for 低保);
    the same for a 低保 household that left (状态 退出) adds 刚性支出困难认定;
    ``assistance("INCOME_ABOVE_STANDARD=4", "低保", 6)`` -> ``渐退（6个月）``;
    ``assistance("DECEASED=4", "特困", no_member_left=True)`` -> ``减员;停发``;
    ``assistance("CARE_NEEDED=3", "特困")`` -> ``分散供养照料服务``, and for an orange one (a
    minor without an adult) ``未成年人关爱保护（事实无人抚养儿童核查）``.
    """
    items: list[str] = []
    tier_of_rank = {str(rank): tier for tier, rank in TIER_RANKS.items()}
    for part in code_tiers.split(";"):
        code, _, rank = part.partition("=")
        signal = CATALOG[code]
        options = list(
            dict(signal.assistance_by_tier).get(tier_of_rank.get(rank, ""), signal.assistance)
        )
        if rank == str(TIER_RANKS["red"]):
            options += signal.assistance_red
        for item in options:
            if item == SINGLE_PERSON_DIBAO and category not in SINGLE_PERSON_CATEGORIES:
                continue
            if item == HOME_CARE and category == "特困":
                item = TEKUN_HOME_CARE
            if item == RIGID_EXPENDITURE and (
                on_assistance(category, status) or category == "刚性支出困难"
            ):
                continue
            if item == "渐退" and exit_months:
                item = f"渐退（{exit_months}个月）"
            if item not in items:
                items.append(item)
            if item == "减员" and no_member_left and "停发" not in items:
                items.append("停发")
    return ";".join(items)


# ---------------------------------------------------------------- referral to departments
# 救助建议 that assistance() adds rather than reads from a signal's own list, and the code that
# gives each (停发: 减员 of a household with no member left; 分散供养照料服务: a 特困 person's
# care at home).
DERIVED_RECOMMENDATIONS: dict[str, str] = {"停发": "DECEASED", TEKUN_HOME_CARE: "CARE_NEEDED"}
# 渐退 is said with its months (渐退（6个月）): one recommendation whatever the months
_MONTHS = re.compile(r"（\d+个月）$")


def base_recommendation(item: str) -> str:
    """The registry's text of a published 救助建议: ``渐退（6个月）`` -> ``渐退``; others as they are."""
    return _MONTHS.sub("", item.strip())


def recommendation_texts() -> tuple[str, ...]:
    """Every 救助建议 text the registry can produce (as `base_recommendation` gives it), each
    once, in registry order: what the policy file's referral mapping sends to a department."""
    texts: list[str] = []
    for signal in CATALOG.values():
        for item in _own_recommendations(signal):
            if item not in texts:
                texts.append(item)
    texts += [t for t in DERIVED_RECOMMENDATIONS if t not in texts]
    return tuple(texts)


def _own_recommendations(signal: Signal) -> tuple[str, ...]:
    """What a signal's own lists can recommend: its 救助建议, a red one's, each tier's own."""
    by_tier = tuple(item for _, items in signal.assistance_by_tier for item in items)
    return (*signal.assistance, *signal.assistance_red, *by_tier)


def recommending_codes(item: str, codes: list[str] | tuple[str, ...]) -> list[str]:
    """The codes among `codes` whose signal can give the 救助建议 `item` (published text), in
    the order given: the signals a department's row is about.

    Example: ``recommending_codes("医疗救助", ["MAJOR_ILLNESS", "UNEMPLOYED",
    "MED_OOP_HIGH"])`` -> ``["MAJOR_ILLNESS", "MED_OOP_HIGH"]``.
    """
    base = base_recommendation(item)
    return [
        code
        for code in codes
        if code in CATALOG
        and (
            base in _own_recommendations(CATALOG[code]) or DERIVED_RECOMMENDATIONS.get(base) == code
        )
    ]
