"""医保 结算明细: one row per settlement, one file per month, refunds as negative rows."""

from __future__ import annotations

import numpy as np

from .. import programs as pg
from ..context import Context
from ..dates import to_day, ymd
from ..files import columns_of, medical_months, reexport_month
from ..table import Defects, Table, TableBuilder

KINDS = np.array(["普通门诊", "门诊慢特病", "住院"], dtype=object)
OUTPATIENT, CHRONIC, INPATIENT = range(3)
UNKNOWN_LABELS = {"就医类型": ("门诊", "急诊")}


def build(ctx: Context) -> Table:
    """Settlements of a chunk: background, quiet households' small bills, planted bills."""
    rng = ctx.rng("medical_insurance")
    pop = ctx.pop
    n = pop.n_people
    months = medical_months(ctx.as_of)
    first_day = to_day(ctx.as_of.replace(year=months[0][0], month=months[0][1], day=1))
    age = pop.p_age
    roster = ctx.p_roster
    p_recent = np.where(age >= 60, 0.45, 0.22) * np.where(roster, 1.3, 1.0)
    recent = np.where(rng.random(n) < p_recent, rng.geometric(0.4, n), 0)
    older = np.where(rng.random(n) < 0.12, rng.geometric(0.6, n), 0)
    safe = ctx.p_safe
    recent = np.where(safe, 0, recent)
    older = np.where(safe, 0, older)
    person = np.concatenate([np.repeat(np.arange(n), recent), np.repeat(np.arange(n), older)])
    m_recent = int(recent.sum())
    day = np.concatenate(
        [
            ctx.today - rng.integers(0, 365, m_recent),
            ctx.today - rng.integers(366, ctx.today - first_day + 1, len(person) - m_recent),
        ]
    )
    kind = np.searchsorted(np.cumsum([0.6, 0.25]), rng.random(len(person)), side="right")
    amounts = _amounts(ctx, rng, person, kind)
    # quiet and planted households: a few small outpatient bills only
    safe_people = np.nonzero(safe)[0]
    small = np.repeat(safe_people, rng.integers(0, 3, len(safe_people)))
    small_amounts = _small_bills(rng, len(small))
    person = np.concatenate([person, small])
    day = np.concatenate([day, ctx.today - rng.integers(0, 360, len(small))])
    kind = np.concatenate([kind, np.zeros(len(small), dtype=np.int64)])
    amounts = np.concatenate([amounts, small_amounts])
    window = _window_controls(ctx, rng)
    if window:
        w = np.array(window)
        person = np.concatenate([person, w[:, 0].astype(np.int64)])
        day = np.concatenate([day, w[:, 1].astype(np.int64)])
        kind = np.concatenate([kind, np.full(len(w), INPATIENT)])
        amounts = np.concatenate([amounts, w[:, 2:]])
    death = pop.p_death[person]
    keep = ((death < 0) | (day <= death)) & (day >= first_day)
    person, day, kind, amounts = person[keep], day[keep], kind[keep], amounts[keep]
    refund = (rng.random(len(person)) < 0.01) & ~safe[person]
    refund_day = np.minimum(day + rng.integers(1, 25, len(person)), ctx.today)
    person = np.concatenate([person, person[refund]])
    day = np.concatenate([day, refund_day[refund]])
    kind = np.concatenate([kind, kind[refund]])
    amounts = np.concatenate([amounts, -amounts[refund]])
    tb = TableBuilder("medical_insurance", columns_of("medical_insurance"))
    _add(ctx, rng, tb, person, day, KINDS[kind], amounts, fact=False)
    facts = ctx.plan.settlements
    if facts:
        _add(
            ctx,
            rng,
            tb,
            np.array([s.person for s in facts]),
            np.array([s.day for s in facts]),
            np.array([s.kind for s in facts], dtype=object),
            np.array([[s.total, s.basic, s.major, s.assist, s.oop] for s in facts]),
            fact=True,
        )
    table = tb.build()
    d = Defects(rng, table)
    d.ids("证件号码")
    d.names("参保人姓名", "证件号码")
    d.dates()
    d.amounts(("基本医保支付（元）", "大病保险支付（元）", "医疗救助支付（元）", "个人自付（元）"))
    d.labels(UNKNOWN_LABELS)
    d.unusable(("证件号码", "参保人姓名"))
    next_file = np.where(table.file + 1 < len(months), table.file + 1, -1)
    d.cross_file_duplicates(next_file)
    _reexported(ctx, table, d, len(facts))
    return table


REEXPORT_SHARE = 0.03  # of the re-exported month's other records


def _reexported(ctx: Context, table: Table, d: Defects, n_facts: int) -> None:
    """Records also written to the month's xlsx re-export: the planted settlements marked so
    and a few of the month's other records."""
    month = ctx.catalogue.index("medical_insurance", reexport_month(ctx.catalogue))
    if n_facts:
        flags = np.array([s.reexport for s in ctx.plan.settlements], dtype=bool)
        table.reexported[table.n - n_facts :][flags] = True
    usable = np.array([tags is None or "unusable" not in tags for tags in table.tags], dtype=bool)
    for i in d.pick((table.file == month) & ~table.fact & usable, REEXPORT_SHARE):
        table.reexported[i] = True


def _amounts(
    ctx: Context, rng: np.random.Generator, person: np.ndarray, kind: np.ndarray
) -> np.ndarray:
    """(total, basic, major, assist, out-of-pocket) of background settlements."""
    m = len(person)
    total = np.select(
        [kind == OUTPATIENT, kind == CHRONIC],
        [
            np.clip(np.exp(rng.normal(np.log(180), 0.7, m)), 20, 3000),
            np.clip(np.exp(rng.normal(np.log(800), 0.6, m)), 100, 10000),
        ],
        np.clip(np.exp(rng.normal(np.log(9000), 0.8, m)), 1500, 300000),
    )
    total = np.round(total, 2)
    basic = np.select(
        [kind == OUTPATIENT, kind == CHRONIC],
        [total * rng.uniform(0.3, 0.6, m), total * rng.uniform(0.55, 0.7, m)],
        np.maximum(0.0, total - 800) * rng.uniform(0.6, 0.75, m),
    )
    basic = np.round(basic, 2)
    major = np.round(
        np.where(kind == INPATIENT, np.maximum(0.0, total - basic - 15000) * 0.6, 0), 2
    )
    progs = ctx.progs
    hh = ctx.pop.p_hh[person]
    cat = progs.category[hh]
    assisted = (
        progs.on_roster[hh] & np.isin(cat, [pg.DIBAO, pg.TEKUN]) & (progs.status[hh] != pg.EXITED)
    )
    share = np.select(
        [kind == INPATIENT, kind == CHRONIC],
        [
            np.where(rng.random(m) < 0.92, rng.uniform(0.5, 0.8, m), 0.0),
            np.where(rng.random(m) < 0.5, rng.uniform(0.3, 0.6, m), 0.0),
        ],
        0.0,
    )
    assist = np.round(np.where(assisted, (total - basic - major) * share, 0.0), 2)
    oop = np.round(total - basic - major - assist, 2)
    return np.column_stack([total, basic, major, assist, oop])


def _small_bills(rng: np.random.Generator, m: int) -> np.ndarray:
    total = np.round(rng.uniform(20, 150, m), 2)
    basic = np.round(total * rng.uniform(0.3, 0.5, m), 2)
    zeros = np.zeros(m)
    return np.column_stack([total, basic, zeros, zeros, np.round(total - basic, 2)])


def _window_controls(ctx: Context, rng: np.random.Generator) -> list[list[float]]:
    """Some quiet households had a big 住院 bill 13+ months ago: outside every window."""
    out = []
    for h, _ in ctx.plan.quiet:
        if rng.random() >= 0.1:
            continue
        p = int(ctx.pop.hh_start[h])
        oop = float(round(rng.uniform(25000, 35000), 2))
        basic = float(round(oop * 1.5, 2))
        out.append([p, ctx.today - int(rng.integers(400, 440)), oop + basic, basic, 0.0, 0.0, oop])
    return out


def _add(
    ctx: Context,
    rng: np.random.Generator,
    tb: TableBuilder,
    person: np.ndarray,
    day: np.ndarray,
    kinds: np.ndarray,
    amounts: np.ndarray,
    fact: bool,
) -> None:
    if len(person) == 0:
        return
    pop = ctx.pop
    y, mth, _ = ymd(day)
    keys = [f"{a}{b:02d}" for a, b in zip(y.tolist(), mth.tolist(), strict=True)]
    index = {k: i for i, k in enumerate(ctx.catalogue.keys("medical_insurance"))}
    files = np.array([index[k] for k in keys])
    counties = ctx.city.counties
    county = pop.hh_county[pop.p_hh[person]]
    by_name = rng.random(len(person)) < 0.3
    place = [
        counties[c].name if named else str(counties[c].code)
        for c, named in zip(county.tolist(), by_name.tolist(), strict=True)
    ]
    ids = [pop.ids[p] for p in person.tolist()]
    tb.add(
        ids,
        fact=fact,
        safe=ctx.p_safe[person],
        file=files,
        values={
            "参保人姓名": [pop.names[p] for p in person.tolist()],
            "证件号码": ids,
            "结算日期": day,
            "就医类型": kinds.tolist(),
            "医疗总费用（元）": amounts[:, 0],
            "基本医保支付（元）": amounts[:, 1],
            "大病保险支付（元）": amounts[:, 2],
            "医疗救助支付（元）": amounts[:, 3],
            "个人自付（元）": amounts[:, 4],
            "参保地": place,
        },
    )
