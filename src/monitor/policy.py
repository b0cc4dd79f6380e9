"""The policy file: every number of policy.md, typed and validated on load.

A bad file gives one message listing every problem (key, value, allowed range),
including numbers that are each in range but contradict one another (an orange
threshold above its red one, deadlines out of order, ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from monitor.contracts import contracts
from monitor.errors import PolicyError, ResourceNotFoundError
from monitor.resources import find, packaged
from monitor.signals import CATALOG, recommendation_texts

POLICY_DIR = packaged("policy")  # the packaged defaults; an operator's in $MONITOR_HOME/policy

SIGNAL_CODES: tuple[str, ...] = tuple(CATALOG)  # the signal registry (signals.py) is the one list
Tier = Literal["red", "orange", "yellow", "review"]
Money = Annotated[float, Field(ge=0, le=1_000_000)]
Share = Annotated[float, Field(ge=0, le=10)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Inconsistent(ValueError):
    """Numbers each in range that contradict one another (raised by the model validators).

    Each problem is a line template naming its keys as ``{key}`` fields; the
    loader fills them with the full dotted key (``thresholds.med_oop_red_abs``).
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(p.format_map(_Dotted("")) for p in problems))
        self.problems = problems


class _Dotted(dict[str, str]):
    """``{key}`` -> the key under ``prefix`` (the location of the model that raised)."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def __missing__(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key


def _num(value: float) -> str:
    return f"{value:g}"


def _not_above(pairs: Sequence[tuple[str, float, str, float]], why: str) -> list[str]:
    """A problem line for each (key, value, other key, other value) whose value exceeds the other's."""
    return [
        f"{{{a}}}: {_num(va)} is above {{{b}}} ({_num(vb)}); {why}"
        for a, va, b, vb in pairs
        if va > vb
    ]


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise Inconsistent(problems)


class Standard(_Model):
    urban: Money
    rural: Money


class ExitMonths(_Model):
    vulnerable: Annotated[int, Field(ge=1, le=6)]
    default: Annotated[int, Field(ge=1, le=6)]

    @model_validator(mode="after")
    def _vulnerable_get_at_least_the_default(self) -> Self:
        if self.vulnerable < self.default:
            raise Inconsistent(
                [
                    f"{{vulnerable}}: {self.vulnerable} is below {{default}} ({self.default});"
                    " a household with a vulnerable member gets at least the default 渐退 months"
                ]
            )
        return self


class RetirementAge(_Model):
    male: Annotated[int, Field(ge=40, le=75)]
    female: Annotated[int, Field(ge=40, le=75)]


class Windows(_Model):
    medical_months: Annotated[int, Field(ge=1, le=60)]
    major_illness_months: Annotated[int, Field(ge=1, le=60)]
    unemployment_months: Annotated[int, Field(ge=1, le=60)]
    disaster_days: Annotated[int, Field(ge=1, le=3650)]
    hotline_days: Annotated[int, Field(ge=1, le=3650)]
    inpatient_months: Annotated[int, Field(ge=1, le=60)]
    # GRID_REPORT (local, 30): a grid worker's visit of the last grid_days days; a default, so
    # that a file written before the grid source (2026-12) still loads
    grid_days: Annotated[int, Field(ge=1, le=3650)] = 30


class Thresholds(_Model):
    med_oop_orange_abs: Money
    med_oop_red_abs: Money
    med_oop_min_rel: Money
    med_oop_orange_share: Share
    med_oop_red_share: Share
    wage_drop_share: Annotated[float, Field(gt=0, le=1)]
    assets_properties: Annotated[int, Field(ge=1, le=100)]

    @model_validator(mode="after")
    def _orange_not_above_red(self) -> Self:
        pairs = [
            (
                "med_oop_orange_abs",
                self.med_oop_orange_abs,
                "med_oop_red_abs",
                self.med_oop_red_abs,
            ),
            (
                "med_oop_orange_share",
                self.med_oop_orange_share,
                "med_oop_red_share",
                self.med_oop_red_share,
            ),
        ]
        _raise_if(_not_above(pairs, "an orange threshold must not be above its red one"))
        return self


class SchoolingCost(_Model):
    """Schooling counted as rigid expenditure (plan §二(八) 就学), yuan per month per member
    在读 in the 学段 (*local*: the exports carry no costs, so 0 until the city sets them)."""

    preschool: Money = 0  # 学前
    primary: Money = 0  # 小学
    junior: Money = 0  # 初中
    senior: Money = 0  # 高中
    secondary_vocational: Money = 0  # 中职
    higher_vocational: Money = 0  # 高职
    undergraduate: Money = 0  # 本科
    postgraduate: Money = 0  # 研究生


class DateRange(_Model):
    from_: dt.date = Field(alias="from")
    to: dt.date


class DeadlineDays(_Model):
    red: Annotated[int, Field(ge=0, le=60)]
    orange: Annotated[int, Field(ge=0, le=60)]
    yellow: Annotated[int, Field(ge=0, le=60)]
    review: Annotated[int, Field(ge=0, le=60)]

    @model_validator(mode="after")
    def _in_tier_order(self) -> Self:
        order = [("red", self.red), ("orange", self.orange), ("yellow", self.yellow)]
        order.append(("review", self.review))
        pairs = [(a, va, b, vb) for (a, va), (b, vb) in itertools.pairwise(order)]
        _raise_if(_not_above(pairs, "deadlines must satisfy red <= orange <= yellow <= review"))
        return self


Area = Literal["城市", "农村"]
COUNTY_CODE = Annotated[str, Field(pattern=r"^\d{6}$")]


class PriceLink(_Model):
    """价格临时补贴 (policy.md "More of the plan"; plan §二(二)): when a month's CPI, or its
    food prices, rose year on year by at least the trigger, every roster 低保/特困 member and
    every HR 失业保险金 recipient gets the month's 低保标准 × the triggering rise (`monitor
    price-subsidy`). Defaults: the national triggers (3.5 %, 6 %); the rest is *local*."""

    cpi_trigger: Annotated[float, Field(gt=0, le=100)] = 3.5
    food_trigger: Annotated[float, Field(gt=0, le=100)] = 6.0
    # the only rule so far: the 低保标准 of the household's 城乡类别 × the rise (per cent)
    amount_rule: Literal["standard_times_rise"] = "standard_times_rise"
    amount_decimals: Annotated[int, Field(ge=0, le=2)] = 2
    # an HR recipient on no roster: the 城乡类别 of the county their ID was issued in (a
    # former code counts as its successor); an ID of a county not listed gets other_area
    county_area: dict[COUNTY_CODE, Area] = {}
    other_area: Area = "城市"


# The kinds of decision the supervision sample draws from: the latest run's warnings
# (预警) and each 核实结果 of a caseworker (workbooks.OUTCOMES, repeated here so that the
# policy model needs no workbook code; tests/test_audit_sample.py checks they agree).
AUDIT_KINDS: tuple[str, ...] = (
    "预警", "已核实-已救助", "已核实-不符合条件", "已核实-已纳入低保", "无法联系", "其他",
)  # fmt: skip


class Audit(_Model):
    """Supervision (§三(四) 随机检查、县级互查): `monitor audit-sample` draws per township from the
    latest warnings and the dispositions of the last `window_days`; a decision's chance of
    being drawn is its kind's weight (× `suppressed_factor` when it holds back a signal the
    data still shows). The weights are *local*."""

    window_days: Annotated[int, Field(ge=1, le=3650)] = 90
    weights: dict[str, Annotated[float, Field(gt=0, le=1000)]] = {
        "预警": 1.0, "已核实-已救助": 1.0, "已核实-不符合条件": 4.0, "已核实-已纳入低保": 1.0,
        "无法联系": 2.0, "其他": 1.0,
    }  # fmt: skip
    suppressed_factor: Annotated[float, Field(ge=1, le=1000)] = 3.0

    @model_validator(mode="after")
    def _every_kind_weighted(self) -> Self:
        unknown = sorted(set(self.weights) - set(AUDIT_KINDS))
        missing = [k for k in AUDIT_KINDS if k not in self.weights]
        problems = [f"{{weights}}: {k} is not a kind of decision" for k in unknown]
        problems += [f"{{weights}}: {k} has no weight" for k in missing]
        if problems:
            problems.append(f"the kinds are {' / '.join(AUDIT_KINDS)}")
        _raise_if(problems)
        return self


# 情况类型 of a grid worker's visit that report hardship (GRID_REPORT, local): every label of
# the grid source's domain but 其他 (data_contracts/grid.yaml).
GRID_HARDSHIP_TYPES: tuple[str, ...] = ("生活困难", "患病", "残疾", "独居老人", "留守儿童")
# Signals added after policy files were written (issue 14), and the weight a file that does not
# list them in signal_weights gives them, so that an older file still loads; a file's own
# weight wins.
ADDED_SIGNAL_WEIGHTS: dict[str, float] = {
    "GRID_REPORT": 15,  # as HOTLINE_HELP: a report of hardship that asks for a visit
    # care needs, lost work ability, full payment
    "CARE_NEEDED": 15,
    "WORK_ABILITY_LOST": 20,
    "BENEFIT_CHECK": 5,
}


def _grid_situation_types() -> tuple[str, ...]:
    return contracts()["grid"].column("situation_type").domain


# Referral (policy.md "More of the plan", plan §二(五)): the department each 救助建议 belongs
# to; a recommendation listed under no department goes to `default_department`.
DEFAULT_REFERRAL_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "教育": ("教育救助", "控辍保学"),
    "医保": ("医疗救助",),
    "住建": ("住房救助",),
    "人社": ("就业救助",),
    "乡村振兴": ("防返贫帮扶",),
    "残联": ("残疾人两项补贴核查",),
}
# a department's name is its list's file name (departments/<部门>.xlsx)
DepartmentName = Annotated[str, Field(min_length=1, max_length=20, pattern=r'^[^\\/:*?"<>|\s.]+$')]


class Referral(_Model):
    """Which department receives each 救助建议 (departments/<部门>.xlsx)."""

    default_department: DepartmentName = "民政"
    departments: dict[DepartmentName, tuple[str, ...]] = Field(
        default_factory=lambda: dict(DEFAULT_REFERRAL_DEPARTMENTS)
    )

    @model_validator(mode="after")
    def _each_recommendation_in_one_department(self) -> Self:
        seen: dict[str, str] = {}
        problems = []
        for department, items in self.departments.items():
            for item in items:
                if item in seen and seen[item] != department:
                    problems.append(
                        f"{{departments}}: {item} is listed under both {seen[item]} and"
                        f" {department}; each 救助建议 belongs to exactly one department"
                    )
                seen.setdefault(item, department)
        _raise_if(problems)
        return self

    def department_of(self, recommendation: str) -> str:
        """The department of a 救助建议 (its registry text: signals.base_recommendation)."""
        for department, items in self.departments.items():
            if recommendation in items:
                return department
        return self.default_department

    def department_names(self) -> tuple[str, ...]:
        """Every department that gets a list: those named in the mapping, then the default."""
        names = list(self.departments)
        return (
            *names,
            *([self.default_department] if self.default_department not in names else []),
        )


class Policy(_Model):
    """The year's policy (policy.md). See policy/2026.yaml for the meaning of each key."""

    year: Annotated[int, Field(ge=2000, le=2100)]
    dibao_standard: Standard
    edge_multiplier: Annotated[float, Field(gt=1, le=5)]
    gradual_exit_multiplier: Annotated[float, Field(gt=1, le=5)]
    gradual_exit_months: ExitMonths
    basic_pension_excluded: Money
    employment_cost_deduction: Annotated[float, Field(ge=0, lt=1)]
    retirement_age: RetirementAge
    min_working_age: Annotated[int, Field(ge=14, le=18)]
    post_exit_months: Annotated[int, Field(ge=0, le=120)]
    green_channel_age: Annotated[int, Field(ge=50, le=100)]
    suppress_days: Annotated[int, Field(ge=0, le=3650)]
    windows: Windows
    thresholds: Thresholds
    proactive_codes: tuple[str, ...]
    signal_weights: dict[str, Annotated[float, Field(ge=0, le=1000)]]
    deadline_working_days: DeadlineDays
    holidays: tuple[dt.date | DateRange, ...]
    extra_working_days: tuple[dt.date, ...] = ()
    # A file made before the year's notices (standards, State Council holidays): runs say so.
    provisional: bool = False
    provisional_note: str = ""
    # added 2026-12 (issue 14), with defaults so that an older file still loads
    price_link: PriceLink = PriceLink()
    audit: Audit = Audit()
    grid_hardship_types: tuple[str, ...] = GRID_HARDSHIP_TYPES
    # -- issue 14, more of the plan (rules); defaults so that an older file still loads
    # CARE_NEEDED (plan §二(七)): a member living alone aged care_age+ (*local*), or a minor
    # (under adult_age) whose household has no living member of adult_age or more
    care_age: Annotated[int, Field(ge=60, le=100)] = 80
    adult_age: Annotated[int, Field(ge=16, le=18)] = 18
    # BENEFIT_CHECK (plan §二(二)): 月保障金额 below 补差 by more than this share of it (*local*)
    benefit_tolerance: Annotated[float, Field(ge=0, lt=1)] = 0.1
    # rigid expenditure (plan §二(八)): schooling, per 学段 (*local*, 0 by default)
    schooling_cost: SchoolingCost = SchoolingCost()
    # referral lists (plan §二(五)): the department of each 救助建议
    referral: Referral = Field(default_factory=Referral)

    @field_validator("signal_weights", mode="after")
    @classmethod
    def _weights_of_added_signals(cls, weights: dict[str, float]) -> dict[str, float]:
        return {**{c: w for c, w in ADDED_SIGNAL_WEIGHTS.items() if c not in weights}, **weights}

    @field_validator("grid_hardship_types", mode="after")
    @classmethod
    def _grid_types_of_the_contract(cls, types: tuple[str, ...]) -> tuple[str, ...]:
        allowed = _grid_situation_types()
        unknown = [t for t in types if t not in allowed]
        if unknown or len(set(types)) != len(types):
            raise ValueError(
                f"{'、'.join(unknown) or 'a repeated label'}: use distinct 情况类型 labels of"
                f" the grid source ({'、'.join(allowed)})"
            )
        return types

    @model_validator(mode="after")
    def _retirement_above_working_age(self) -> Self:
        # UNEMPLOYED needs a non-empty age band (today's ranges already ensure it).
        _raise_if(
            [
                f"{{retirement_age}}.{sex}: {age} is not above {{min_working_age}}"
                f" ({self.min_working_age}); the working-age band would be empty"
                for sex, age in (
                    ("male", self.retirement_age.male),
                    ("female", self.retirement_age.female),
                )
                if age <= self.min_working_age
            ]
        )
        return self

    def holiday_dates(self) -> set[dt.date]:
        out: set[dt.date] = set()
        for item in self.holidays:
            if isinstance(item, dt.date):
                out.add(item)
            else:
                day = item.from_
                while day <= item.to:
                    out.add(day)
                    day += dt.timedelta(days=1)
        return out

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (weekends and holidays skipped, 调休 worked).

        Example: from Wednesday 2026-09-30 with the October holiday, 1 working day
        -> 2026-10-08 (10-01..10-07 are holidays).

        Only this policy's calendar is used, also past its year: a December run's
        deadlines fall in January, so the next year's fixed holidays (元旦) belong
        in both years' files.
        """
        holidays, extra = self.holiday_dates(), set(self.extra_working_days)
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            working = day in extra or (day.weekday() < 5 and day not in holidays)
            if working:
                left -= 1
        return day

    def params(self) -> dict[str, float | int]:
        """Every scalar of the file as a parameter of the SQL models, named after its key:
        a top-level key as it is (``suppress_days``), a key of a group joined to the group's
        name (``dibao_standard_urban``, ``gradual_exit_months_vulnerable``), except the
        ``windows`` and ``thresholds`` groups, whose keys are names already
        (``medical_months``, ``med_oop_red_abs``). One name for one fact, in the file and in SQL.
        """
        out: dict[str, float | int] = {}
        skip = {"year", "signal_weights", "deadline_working_days"}
        for key, value in self.model_dump(exclude=skip).items():
            if isinstance(value, dict):
                for inner, v in value.items():
                    if isinstance(v, int | float) and not isinstance(v, bool):
                        out[inner if key in ("windows", "thresholds") else f"{key}_{inner}"] = v
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out[key] = value
        return out


def _problem_lines(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        cause: Any = err.get("ctx", {}).get("error")
        if isinstance(cause, Inconsistent):  # the message names its keys and values
            lines += [f"  - {p.format_map(_Dotted(key))}" for p in cause.problems]
        else:
            lines.append(f"  - {key}: {err['msg']} (value: {err.get('input')!r})")
    return lines


def load_policy(path: Path) -> tuple[Policy, str]:
    """Load and validate a policy file; returns the policy and the file's sha256."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy file ({exc.strerror})") from exc
    try:
        policy = Policy.model_validate(yaml.safe_load(data))
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        lines = _problem_lines(exc)
        raise PolicyError(f"{path}: {len(lines)} problem(s):\n" + "\n".join(lines)) from exc
    unknown = [
        c for c in (*policy.proactive_codes, *policy.signal_weights) if c not in SIGNAL_CODES
    ]
    missing = [c for c in SIGNAL_CODES if c not in policy.signal_weights]
    known = recommendation_texts()
    strays = [i for items in policy.referral.departments.values() for i in items if i not in known]
    if strays:
        raise PolicyError(
            f"{path}: referral.departments names 救助建议 the signal registry never gives:"
            f" {'、'.join(strays)} (allowed: {'、'.join(known)})"
        )
    if unknown or missing:
        raise PolicyError(
            f"{path}: unknown signal codes {unknown or '-'}; signal_weights missing {missing or '-'}"
            f" (allowed: {', '.join(SIGNAL_CODES)})"
        )
    return policy, hashlib.sha256(data).hexdigest()


def default_policy_path(as_of: dt.date) -> Path:
    """policy/<year>.yaml for the as-of year ($MONITOR_HOME/policy/, then the packaged
    defaults); no other year's file stands in for it."""
    try:
        return find("policy", f"{as_of.year}.yaml")
    except ResourceNotFoundError as exc:
        raise PolicyError(
            f"no policy file for {as_of.year} (as-of {as_of}): {exc}; add"
            f" policy/{as_of.year}.yaml with the year's standards and holidays,"
            " or pass --policy FILE"
        ) from exc
