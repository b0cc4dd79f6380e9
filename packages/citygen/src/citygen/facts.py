"""Records the planner asks the source generators to write (planted facts).

A planted record carries the fact of a situation (a 住院 bill, a dropout, a
failed house…). Source generators write them next to the background records
and spare them the damaging defects (see `table.FACT_SAFE_DEFECTS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

NAN = math.nan


@dataclass
class HrRecord:
    """One person's row in an HR snapshot (values as in the contract)."""

    status: str  # 就业状态
    wage: float = NAN
    insured: str = "正常缴费"
    pension_type: str = "无"
    pension: float = NAN
    unemployed_day: int = -1
    benefit: str = ""


@dataclass
class HrOverride:
    """A person's HR rows in the current and previous snapshots (None: no row)."""

    current: HrRecord | None
    previous: HrRecord | None


@dataclass
class Settlement:
    """One 医保 settlement; oop = total - basic - major - assist (assist NaN = blank)."""

    person: int
    day: int
    kind: str
    total: float
    basic: float
    major: float
    assist: float
    oop: float
    reexport: bool = False  # also in the month's xlsx re-export (files.reexport_spec)


@dataclass
class Diagnosis:
    """A 卫健 record: a diagnosis, or a death when death_day >= 0."""

    person: int
    category: str
    disease: str
    day: int
    stay_days: int
    death_day: int = -1


@dataclass
class Card:
    """A disability card: category 1–7 and grade 1–4 are also the card's last two digits."""

    person: int
    category: int
    grade: int
    issue_day: int


@dataclass
class SchoolRecord:
    """One student and school year (year_offset 0 = latest school year, 1 = the one before)."""

    person: int
    level: str
    status: str
    year_offset: int
    funded: bool = False
    blank_year: bool = False  # 学年 left blank (the row goes to the latest year's file)


@dataclass
class House:
    """A household head's row in the housing export."""

    grade: str
    renovation: str
    units: int
    housing_type: str = "无"


@dataclass
class Emergency:
    """One affected person of one event."""

    person: int
    kind: str
    day: int
    damage: str
    loss: float
    casualty: str


@dataclass
class Ticket:
    """A 12345 ticket from a resident."""

    person: int
    day: int
    second: int
    kind: str
    text: str
    with_id: bool


@dataclass
class GridVisit:
    """A grid worker's visit the planner asks for: a planted report of hardship (role
    planted) or a quiet household's control (role quiet: 其他, or a visit long ago)."""

    person: int
    day: int
    kind: str  # 情况类型
    role: str


@dataclass
class Situation:
    """A planted situation: what the pipeline should find."""

    household: int
    person: int
    code: str
    tier: str
    fact: str
    variant: str = ""  # the plan's variant (plan.VARIANTS, plan.CASES) that planted it


@dataclass
class Absent:
    """A code that must not be raised for a planted household."""

    household: int
    code: str


@dataclass
class Plan:
    """Everything the planner decided for one chunk."""

    safe_hh: np.ndarray  # planted or quiet: background must not trigger anything
    hr_zero_hh: np.ndarray  # members' HR rows must add (almost) no income
    planted_hh: np.ndarray
    quiet: list[tuple[int, str]] = field(default_factory=list)
    quiet_controls: dict[int, str] = field(default_factory=dict)  # quiet household -> control
    situations: list[Situation] = field(default_factory=list)
    hr: dict[int, HrOverride] = field(default_factory=dict)
    settlements: list[Settlement] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    school: list[SchoolRecord] = field(default_factory=list)
    houses: dict[int, House] = field(default_factory=dict)
    emergencies: list[Emergency] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    grid_visits: list[GridVisit] = field(default_factory=list)
    roster_phone_self: set[int] = field(default_factory=set)  # show own phone on the roster
    absent: list[Absent] = field(default_factory=list)
    off_roster: set[int] = field(default_factory=set)  # members of a roster household it omits
    # rural households whose ID cells are blank: "head" (the head's 成员证件号码 only; the
    # head row says 本人) or "all" (every 成员证件号码 and 户主证件号码)
    rural_blank_ids: dict[int, str] = field(default_factory=dict)
