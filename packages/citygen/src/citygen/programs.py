"""Which households are on the roster (民政 低收入人口库) and on the rural monitoring list.

The roster holds about 5 % of residents as whole households; the rural source
(乡村振兴 防返贫监测户) about 2 % of the households of rural townships, some of
them also on the roster. Household-level fields (category, status, income…)
are drawn coherently: a 低保 household's per-capita income is below the
standard, a 低保边缘 one between 1 and 1.5 times it, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .geo import City
from .population import T_ELDER_ALONE, T_SINGLE_PARENT, Population

CATEGORIES = ("低保", "特困", "低保边缘", "刚性支出困难", "临时救助", "其他低收入")
DIBAO, TEKUN, EDGE, RIGID, TEMPORARY, OTHER_LOW = range(6)
OLD_RIGID_LABEL = "支出型困难"
STATUSES = ("在保", "渐退", "退出")
ACTIVE, PHASING_OUT, EXITED = range(3)
STANDARD_URBAN, STANDARD_RURAL = 800, 750
RURAL_ADDED_FROM = 5_000_000

RURAL_TYPES = ("脱贫户", "监测户")
RURAL_CATEGORIES = ("无", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
NO_RISK, UNSTABLE, EDGE_RISK, SUDDEN = range(4)
RISK_TYPES = ("因病", "因残", "因学", "因灾", "因意外事故", "因务工就业不稳", "其他")
RISK_TYPE_P = np.array([0.35, 0.15, 0.10, 0.08, 0.07, 0.15, 0.10])

# Per-capita income as a multiple of the standard, by category (background).
INCOME_BANDS = {
    DIBAO: (0.15, 0.9),
    TEKUN: (0.0, 0.5),
    EDGE: (1.05, 1.45),
    RIGID: (1.1, 2.4),
    TEMPORARY: (0.6, 2.6),
    OTHER_LOW: (1.0, 2.8),
}


@dataclass
class Counters:
    """Numbers that keep growing across chunks (household keys, ticket numbers…)."""

    roster: dict[int, int] = field(default_factory=dict)  # per county code
    rural: dict[int, int] = field(default_factory=dict)
    rural_added: dict[int, int] = field(default_factory=dict)  # put on the list by a case
    ticket: int = 0
    outsider: int = 0  # phone index of people unknown to the state
    grid_visit: int = 0  # grid visit record numbers
    grid_outsider: int = 0  # phone index of people unknown to the state visited by a grid worker

    def next_roster(self, county: int) -> int:
        self.roster[county] = self.roster.get(county, 0) + 1
        return self.roster[county]

    def next_rural(self, county: int) -> int:
        self.rural[county] = self.rural.get(county, 0) + 1
        return self.rural[county]

    def next_rural_added(self, county: int) -> int:
        """Numbers of households a planted case puts on the rural list: a series of their
        own (from 5000001), so that the list's other numbers do not depend on the cases."""
        self.rural_added[county] = self.rural_added.get(county, 0) + 1
        return RURAL_ADDED_FROM + self.rural_added[county]


@dataclass
class Programs:
    """Household-level roster and rural-monitoring fields of one chunk (arrays of length H)."""

    standard: np.ndarray  # 低保标准 of the household (800 urban, 750 rural)
    on_roster: np.ndarray
    family_id: list[str]
    category: np.ndarray  # index into CATEGORIES, -1 when not on the roster
    status: np.ndarray
    income: np.ndarray  # 家庭月总收入, NaN = blank
    benefit: np.ndarray  # 月保障金额, NaN = blank
    admit_day: np.ndarray
    old_label: np.ndarray  # exported with the old label 支出型困难
    on_rural: np.ndarray
    rural_id: list[str]
    rural_type: np.ndarray
    rural_category: np.ndarray
    rural_risk: np.ndarray  # index into RISK_TYPES, -1 blank
    rural_income: np.ndarray  # 家庭人均纯收入（元/年）
    rural_cleared: np.ndarray  # 风险是否消除 = 是

    def expected_key(self, h: int) -> str:
        """The household key the pipeline should report for household h."""
        if self.on_roster[h]:
            return self.family_id[h]
        if self.on_rural[h]:
            return "XC:" + self.rural_id[h]
        return ""

    def kind(self, h: int) -> str:
        return "roster" if self.on_roster[h] else "rural" if self.on_rural[h] else "other"

    def set_roster_income(self, h: int, size: int, per_capita_ratio: float) -> None:
        """Set 家庭月总收入 to a per-capita multiple of the standard (and the benefit with it)."""
        std = float(self.standard[h])
        self.income[h] = round(per_capita_ratio * std * size / 10) * 10
        self.benefit[h] = _benefit(int(self.category[h]), per_capita_ratio, std, size)


def make_programs(
    rng: np.random.Generator,
    city: City,
    pop: Population,
    as_of_day: int,
    roster_households: int,
    rural_households: int,
    counters: Counters,
) -> Programs:
    """Pick roster and rural households of a chunk and draw their fields."""
    H = pop.n_households
    standard = np.where(pop.hh_urban, STANDARD_URBAN, STANDARD_RURAL)
    has_elder = np.zeros(H, dtype=bool)
    np.logical_or.at(has_elder, pop.p_hh, pop.p_age >= 60)
    w = np.where(pop.hh_urban, 1.0, 1.8) * np.where(pop.hh_template == T_ELDER_ALONE, 2.5, 1.0)
    w = w * np.where(has_elder, 1.5, 1.0) * np.where(pop.hh_template == T_SINGLE_PARENT, 1.5, 1.0)
    k = min(roster_households, H)
    chosen = rng.choice(H, size=k, replace=False, p=w / w.sum())
    on_roster = np.zeros(H, dtype=bool)
    on_roster[chosen] = True
    progs = Programs(
        standard=standard,
        on_roster=on_roster,
        family_id=[""] * H,
        category=np.full(H, -1),
        status=np.full(H, -1),
        income=np.full(H, np.nan),
        benefit=np.full(H, np.nan),
        admit_day=np.full(H, -1),
        old_label=np.zeros(H, dtype=bool),
        on_rural=np.zeros(H, dtype=bool),
        rural_id=[""] * H,
        rural_type=np.full(H, -1),
        rural_category=np.full(H, -1),
        rural_risk=np.full(H, -1),
        rural_income=np.full(H, np.nan),
        rural_cleared=np.zeros(H, dtype=bool),
    )
    _roster_fields(rng, city, pop, progs, np.sort(chosen), as_of_day, counters)
    _pick_rural(rng, city, pop, progs, rural_households, counters)
    return progs


def _roster_fields(
    rng: np.random.Generator,
    city: City,
    pop: Population,
    progs: Programs,
    chosen: np.ndarray,
    as_of_day: int,
    counters: Counters,
) -> None:
    elder_alone = (pop.hh_template == T_ELDER_ALONE)[chosen]
    p_general = np.array([0.60, 0.02, 0.13, 0.09, 0.07, 0.09])
    p_elder = np.array([0.35, 0.50, 0.05, 0.02, 0.03, 0.05])
    cats = np.where(
        elder_alone,
        rng.choice(6, size=len(chosen), p=p_elder),
        rng.choice(6, size=len(chosen), p=p_general),
    )
    u = rng.random(len(chosen))
    status = np.where(u < 0.85, ACTIVE, np.where(u < 0.94, PHASING_OUT, EXITED))
    status = np.where((status == PHASING_OUT) & (cats != DIBAO), ACTIVE, status)
    admit = as_of_day - rng.integers(30, 8 * 365, len(chosen))
    progs.category[chosen] = cats
    progs.status[chosen] = status
    progs.admit_day[chosen] = admit
    progs.old_label[chosen] = (cats == RIGID) & (rng.random(len(chosen)) < 0.4)
    admit_years = admit.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    for j, h in enumerate(chosen.tolist()):
        code = city.counties[int(pop.hh_county[h])].code
        progs.family_id[h] = f"{code}-{admit_years[j]}-{counters.next_roster(code):06d}"
        lo, hi = INCOME_BANDS[int(cats[j])]
        ratio = float(rng.uniform(lo, hi))
        progs.set_roster_income(h, int(pop.hh_size[h]), ratio)
        if rng.random() < 0.04:
            progs.income[h] = np.nan
        if status[j] == EXITED:
            progs.benefit[h] = np.nan


def _benefit(category: int, ratio: float, std: float, size: int) -> float:
    if category == DIBAO:
        return float(max(30, round((1 - min(ratio, 0.97)) * std * size)))
    if category == TEKUN:
        return float(round(1.3 * std * size / 10) * 10)
    return np.nan


def _pick_rural(
    rng: np.random.Generator,
    city: City,
    pop: Population,
    progs: Programs,
    count: int,
    counters: Counters,
) -> None:
    rural_hh = ~pop.hh_urban
    from_roster = np.nonzero(rural_hh & progs.on_roster)[0]
    others = np.nonzero(rural_hh & ~progs.on_roster)[0]
    k_roster = min(len(from_roster), round(count * 0.3))
    k_other = min(len(others), count - k_roster)
    chosen = np.sort(
        np.concatenate(
            [
                rng.choice(from_roster, size=k_roster, replace=False),
                rng.choice(others, size=k_other, replace=False),
            ]
        )
    ).astype(np.int64)
    n = len(chosen)
    progs.on_rural[chosen] = True
    rtype = (rng.random(n) < 0.35).astype(np.int64)
    cat = np.where(
        rtype == 1,
        np.where(rng.random(n) < 0.55, EDGE_RISK, SUDDEN),
        np.where(rng.random(n) < 0.3, UNSTABLE, NO_RISK),
    )
    cleared = (cat == NO_RISK) | (rng.random(n) < 0.65)
    risk = np.where(cat == NO_RISK, -1, rng.choice(len(RISK_TYPES), size=n, p=RISK_TYPE_P))
    income = np.where(rtype == 1, rng.uniform(7000, 16000, n), rng.uniform(11000, 26000, n))
    progs.rural_type[chosen] = rtype
    progs.rural_category[chosen] = cat
    progs.rural_cleared[chosen] = cleared
    progs.rural_risk[chosen] = risk
    progs.rural_income[chosen] = np.round(income / 10) * 10
    for h in chosen.tolist():
        code = city.counties[int(pop.hh_county[h])].code
        progs.rural_id[h] = f"FP{code}{counters.next_rural(code):07d}"
