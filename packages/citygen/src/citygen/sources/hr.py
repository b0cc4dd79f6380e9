"""人社 就业、失业与参保: one row per person, in the current and the previous snapshot."""

from __future__ import annotations

import numpy as np

from ..context import Context
from ..dates import to_day
from ..facts import HrRecord
from ..files import columns_of, previous_month
from ..table import Defects, Table, TableBuilder

EMPLOYED, FLEXIBLE, NOT_WORKING, REGISTERED = "就业", "灵活就业", "未就业", "失业登记"
STATUSES = np.array([EMPLOYED, FLEXIBLE, NOT_WORKING, REGISTERED], dtype=object)
EMPLOYEE_PENSION, RESIDENT_PENSION, NO_PENSION = "职工基本养老保险", "城乡居民基本养老保险", "无"
UNKNOWN_LABELS = {
    "就业状态": ("待业", "退休"),
    "参保状态": ("中断",),
    "养老金类型": ("企业养老",),
}


class Snapshot:
    """Column arrays of one HR snapshot for all people of a chunk."""

    def __init__(self, n: int) -> None:
        self.present = np.zeros(n, dtype=bool)
        self.status = np.full(n, NOT_WORKING, dtype=object)
        self.wage = np.full(n, np.nan)
        self.insured = np.full(n, "正常缴费", dtype=object)
        self.pension_type = np.full(n, NO_PENSION, dtype=object)
        self.pension = np.full(n, np.nan)
        self.unemployed_day = np.full(n, -1, dtype=np.int64)
        self.benefit = np.full(n, "", dtype=object)

    def copy(self) -> Snapshot:
        other = Snapshot(0)
        for name, value in vars(self).items():
            setattr(other, name, value.copy())
        return other


def build(ctx: Context) -> Table:
    """HR rows of a chunk: current snapshot (input/) and previous one (previous/)."""
    rng = ctx.rng("hr")
    now = _background(ctx, rng)
    _calm(ctx, rng, now)
    before = _previous(ctx, rng, now)
    now.present &= ctx.alive_on(ctx.today - 60)
    before.present &= ctx.alive_on(to_day(previous_month(ctx.as_of)))
    overridden = np.zeros(ctx.pop.n_people, dtype=bool)
    overridden[list(ctx.plan.hr)] = True
    now.present &= ~overridden
    before.present &= ~overridden
    tb = TableBuilder("hr", columns_of("hr"))
    district = ctx.county_is_district()
    for snap, prefix in ((now, "current"), (before, "previous")):
        files = np.where(
            district,
            ctx.catalogue.index("hr", f"{prefix}_district"),
            ctx.catalogue.index("hr", f"{prefix}_county"),
        )
        people = np.nonzero(snap.present)[0]
        _add(ctx, tb, snap, people, files, fact=False)
        for p, override in ctx.plan.hr.items():
            record = override.current if prefix == "current" else override.previous
            if record is not None:
                one = _snapshot_of(record)
                _add(ctx, tb, one, np.array([p]), files, fact=True, at=0)
    table = tb.build()
    d = Defects(rng, table)
    d.ids("社会保障号码")
    d.names("姓名", "社会保障号码")
    d.dates(scale=8.0)  # few rows carry a date
    d.amounts(("月工资（元）", "月养老金（元）"))
    d.labels(UNKNOWN_LABELS)
    d.unusable(("社会保障号码", "姓名"))
    return table


def _background(ctx: Context, rng: np.random.Generator) -> Snapshot:
    pop = ctx.pop
    n = pop.n_people
    age = pop.p_age
    roster = ctx.p_roster
    urban = pop.hh_urban[pop.p_hh]
    elder = age >= 60
    snap = Snapshot(n)
    p_record = np.select([age < 16, age <= 17, age <= 22, age <= 59], [0.0, 0.1, 0.5, 0.85], 0.85)
    snap.present = rng.random(n) < p_record
    u = rng.random(n)
    non_roster = np.searchsorted(np.cumsum([0.60, 0.20, 0.12, 0.08]), u, side="right")
    on_roster = np.searchsorted(np.cumsum([0.12, 0.30, 0.43, 0.15]), u, side="right")
    elders = np.searchsorted(np.cumsum([0.02, 0.10, 0.88]), u, side="right")
    status = np.where(elder, elders, np.where(roster, on_roster, non_roster))
    snap.status = STATUSES[np.minimum(status, 3)]
    registered = snap.status == REGISTERED
    snap.unemployed_day = np.where(registered, ctx.today - rng.integers(5, 900, n), -1)
    snap.benefit = np.where(
        registered,
        np.where(rng.random(n) < 0.4, "是", "否"),
        np.where(rng.random(n) < 0.5, "否", ""),
    ).astype(object)
    median = np.where(urban, 4500.0, 3600.0)
    wage = np.clip(np.exp(rng.normal(np.log(median), 0.45)), 2000, 40000)
    wage = np.where(roster, rng.uniform(1800, 2800, n), wage)
    flexible = np.where(roster, rng.uniform(800, 2000, n), rng.uniform(1500, 5000, n))
    flexible = np.where(rng.random(n) < 0.05, np.nan, flexible)
    snap.wage = np.round(
        np.select([snap.status == EMPLOYED, snap.status == FLEXIBLE], [wage, flexible], np.nan), -1
    )
    v = rng.random(n)
    working_insured = np.where(v < 0.90, "正常缴费", np.where(v < 0.96, "暂停缴费", "终止"))
    elder_insured = np.where(v < 0.7, "终止", "正常缴费")
    snap.insured = np.where(elder, elder_insured, working_insured).astype(object)
    employee_p = np.where(roster, 0.1, np.where(urban, 0.6, 0.15))
    employee = rng.random(n) < employee_p
    snap.pension_type = np.where(
        elder, np.where(employee, EMPLOYEE_PENSION, RESIDENT_PENSION), NO_PENSION
    ).astype(object)
    snap.pension = np.select(
        [snap.pension_type == EMPLOYEE_PENSION, snap.pension_type == RESIDENT_PENSION],
        [np.round(rng.uniform(2200, 6500, n), -1), np.round(rng.uniform(143, 450, n))],
        np.nan,
    )
    return snap


def _calm(ctx: Context, rng: np.random.Generator, snap: Snapshot) -> None:
    """Quiet and planted households: no unemployment, no suspended contributions; members
    of income-sensitive households add (almost) no income."""
    safe = ctx.p_safe
    # an old registration (9+ months) stays: outside UNEMPLOYED's 6-month window
    recent = snap.unemployed_day > ctx.today - 270
    registered = safe & (snap.status == REGISTERED) & recent
    snap.status[registered] = NOT_WORKING
    snap.unemployed_day[registered] = -1
    snap.benefit[registered] = ""
    snap.insured[safe & (snap.insured == "暂停缴费")] = "正常缴费"
    zero = ctx.plan.hr_zero_hh[ctx.pop.p_hh]
    working = zero & np.isin(snap.status, [EMPLOYED, FLEXIBLE])
    snap.status[working] = NOT_WORKING
    snap.wage[zero] = np.nan
    pensioner = zero & (snap.pension_type != NO_PENSION)
    snap.pension_type[pensioner] = RESIDENT_PENSION
    snap.pension[pensioner] = np.round(rng.uniform(143, 160, int(pensioner.sum())))


def _previous(ctx: Context, rng: np.random.Generator, now: Snapshot) -> Snapshot:
    """The snapshot a month earlier: mostly the same; some wages changed, some jobs lost."""
    n = ctx.pop.n_people
    before = now.copy()
    free = ~ctx.p_safe
    before.present &= ~free | (rng.random(n) < 0.985)
    employed = now.status == EMPLOYED
    drift = free & employed & (rng.random(n) < 0.3)
    before.wage[drift] = np.round(now.wage[drift] * rng.uniform(0.92, 1.05, int(drift.sum())), -1)
    earning = np.isin(now.status, [EMPLOYED, FLEXIBLE]) & ~np.isnan(now.wage)
    cut = free & earning & (rng.random(n) < 0.01)
    before.status[cut] = EMPLOYED
    before.wage[cut] = np.round(now.wage[cut] * rng.uniform(2.2, 4.0, int(cut.sum())), -1)
    previous_day = to_day(previous_month(ctx.as_of))
    recent = free & (now.status == REGISTERED) & (now.unemployed_day > previous_day)
    lost = free & (now.status == NOT_WORKING) & (ctx.pop.p_age < 60) & (rng.random(n) < 0.02)
    job = recent | lost
    before.status[job] = EMPLOYED
    before.wage[job] = np.round(rng.uniform(3000, 6000, int(job.sum())), -1)
    before.unemployed_day[job] = -1
    before.benefit[job] = ""
    return before


def _snapshot_of(record: HrRecord) -> Snapshot:
    snap = Snapshot(1)
    snap.present[0] = True
    snap.status[0] = record.status
    snap.wage[0] = record.wage
    snap.insured[0] = record.insured
    snap.pension_type[0] = record.pension_type
    snap.pension[0] = record.pension
    snap.unemployed_day[0] = record.unemployed_day
    snap.benefit[0] = record.benefit
    return snap


def _add(
    ctx: Context,
    tb: TableBuilder,
    snap: Snapshot,
    people: np.ndarray,
    files: np.ndarray,
    fact: bool,
    at: int | None = None,
) -> None:
    """Rows for `people`; their values are at `at` in snap (a one-person snapshot) or at p."""
    if len(people) == 0:
        return
    pop = ctx.pop
    rows = np.zeros(len(people), dtype=np.int64) if at is not None else people
    ids = [pop.ids[p] for p in people.tolist()]
    tb.add(
        ids,
        fact=fact,
        safe=ctx.p_safe[people],
        file=files[people],
        values={
            "姓名": [pop.names[p] for p in people.tolist()],
            "社会保障号码": ids,
            "就业状态": snap.status[rows].tolist(),
            "失业登记日期": snap.unemployed_day[rows],
            "是否领取失业保险金": snap.benefit[rows].tolist(),
            "月工资（元）": snap.wage[rows],
            "参保状态": snap.insured[rows].tolist(),
            "养老金类型": snap.pension_type[rows].tolist(),
            "月养老金（元）": snap.pension[rows],
            "所属乡镇（街道）": [ctx.p_town[p] for p in people.tolist()],
        },
    )
