"""应急 受灾与意外: one row per affected person and event (village disasters, fires, accidents)."""

from __future__ import annotations

import math

import numpy as np

from ..context import Context
from ..facts import Emergency
from ..files import columns_of
from ..table import Defects, Table, TableBuilder

EVENT_KINDS = ("洪涝", "台风", "干旱", "地震", "火灾", "意外事故", "其他")
EVENT_P = (0.35, 0.08, 0.10, 0.02, 0.15, 0.25, 0.05)
DAMAGE_LOSS = {
    "全部倒塌": (50000, 200000),
    "严重损坏": (10000, 50000),
    "一般损坏": (1000, 10000),
    "无": (200, 3000),
}
LATE_ROWS = 8  # records of the last days in the disaster list sent again
UNKNOWN_LABELS = {
    "灾害类型": ("冰雹", "雪灾"),
    "房屋损毁程度": ("部分损坏",),
    "人员伤亡": ("失踪",),
}


def build(ctx: Context) -> Table:
    """Emergency rows of a chunk."""
    rng = ctx.rng("emergency")
    events: list[Emergency] = []
    n_events = max(2, int(rng.poisson(ctx.pop.n_people / 3500)))
    for k in range(n_events):
        kind = EVENT_KINDS[int(rng.choice(len(EVENT_KINDS), p=EVENT_P))]
        inside = k == 0 or rng.random() < 0.12
        day = ctx.today - int(rng.integers(5, 85) if inside else rng.integers(120, 720))
        if kind == "意外事故":
            events.extend(_accident(ctx, rng, day))
        elif kind == "火灾":
            events.extend(_fire(ctx, rng, day))
        else:
            events.extend(_village_event(ctx, rng, kind, day))
    events.extend(_old_events_of_quiet_households(ctx, rng))
    # the disaster list is sent again with the last days' records added
    late_kind = ("洪涝", "台风")[int(rng.integers(2))]
    late = _village_event(ctx, rng, late_kind, ctx.today - int(rng.integers(1, 4)))[:LATE_ROWS]
    tb = TableBuilder("emergency", columns_of("emergency"))
    disaster = ctx.catalogue.index("emergency", "disaster")
    accident = ctx.catalogue.index("emergency", "accident")
    for batch, fact in ((events, False), (ctx.plan.emergencies, True)):
        files = [accident if e.kind in ("意外事故", "火灾") else disaster for e in batch]
        _add(ctx, tb, batch, files, fact)
    _add(ctx, tb, late, [ctx.catalogue.redelivery("emergency")] * len(late), False)
    table = tb.build()
    d = Defects(rng, table)
    d.ids("身份证号码")
    d.names("姓名", "身份证号码")
    d.dates()
    d.amounts(("直接经济损失（元）",))
    d.labels(UNKNOWN_LABELS)
    d.unusable(("身份证号码", "姓名"))
    return table


def _old_events_of_quiet_households(ctx: Context, rng: np.random.Generator) -> list[Emergency]:
    """Some quiet households were hit long ago: outside DISASTER's 90-day window."""
    out = []
    for h, _ in ctx.plan.quiet:
        if rng.random() < 0.1:
            day = ctx.today - int(rng.integers(150, 600))
            head = int(ctx.pop.hh_start[h])
            out.append(Emergency(head, "洪涝", day, "严重损坏", _loss(rng, "严重损坏"), "无"))
    return out


def _free_households(ctx: Context) -> np.ndarray:
    """Households that background events may hit (not quiet, not planted)."""
    return ~ctx.plan.safe_hh


def _loss(rng: np.random.Generator, damage: str) -> float:
    lo, hi = DAMAGE_LOSS[damage]
    return float(round(rng.uniform(lo, hi), -1))


def _household_rows(
    ctx: Context,
    rng: np.random.Generator,
    h: int,
    kind: str,
    day: int,
    damage: str,
    alive: np.ndarray,
) -> list[Emergency]:
    out = []
    loss = _loss(rng, damage)
    for k, p in enumerate(ctx.pop.members(h)):
        if not alive[p]:
            continue
        casualty = "轻伤" if rng.random() < 0.03 else "无"
        out.append(Emergency(p, kind, day, damage, loss if k == 0 else math.nan, casualty))
    return out


def _village_event(ctx: Context, rng: np.random.Generator, kind: str, day: int) -> list[Emergency]:
    pop = ctx.pop
    free = np.nonzero(_free_households(ctx))[0]
    if len(free) == 0:
        return []
    village = int(pop.hh_village[free[int(rng.integers(len(free)))]])
    in_village = free[pop.hh_village[free] == village]
    share = rng.uniform(0.3, 0.8)
    hit = in_village[rng.random(len(in_village)) < share][:40]
    out = []
    alive = ctx.alive_on(day)
    for h in hit.tolist():
        u = rng.random()
        if kind in ("洪涝", "台风"):
            damage = (
                "全部倒塌"
                if u < 0.05
                else "严重损坏"
                if u < 0.2
                else "一般损坏"
                if u < 0.6
                else "无"
            )
        elif kind == "地震":
            damage = "一般损坏" if u < 0.5 else "无"
        elif kind == "干旱":
            damage = "无"
        else:
            damage = "一般损坏" if u < 0.3 else "无"
        out.extend(_household_rows(ctx, rng, h, kind, day, damage, alive))
    return out


def _fire(ctx: Context, rng: np.random.Generator, day: int) -> list[Emergency]:
    free = np.nonzero(_free_households(ctx))[0]
    if len(free) == 0:
        return []
    h = int(free[int(rng.integers(len(free)))])
    u = rng.random()
    damage = "全部倒塌" if u < 0.2 else "严重损坏" if u < 0.6 else "一般损坏"
    return _household_rows(ctx, rng, h, "火灾", day, damage, ctx.alive_on(day))


def _accident(ctx: Context, rng: np.random.Generator, day: int) -> list[Emergency]:
    pop = ctx.pop
    free_people = np.nonzero(
        _free_households(ctx)[pop.p_hh] & (pop.p_age >= 16) & ctx.alive_on(day)
    )[0]
    if len(free_people) == 0:
        return []
    p = int(free_people[int(rng.integers(len(free_people)))])
    casualty = "重伤" if rng.random() < 0.4 else "轻伤"
    return [
        Emergency(p, "意外事故", day, "无", float(round(rng.uniform(2000, 50000), -1)), casualty)
    ]


def _add(
    ctx: Context, tb: TableBuilder, events: list[Emergency], files: list[int], fact: bool
) -> None:
    if not events:
        return
    pop = ctx.pop
    people = [e.person for e in events]
    ids = [pop.ids[p] for p in people]
    tb.add(
        ids,
        fact=fact,
        safe=ctx.p_safe[people],
        file=np.array(files, dtype=np.int64),
        values={
            "姓名": [pop.names[p] for p in people],
            "身份证号码": ids,
            "灾害类型": [e.kind for e in events],
            "受灾日期": [e.day for e in events],
            "房屋损毁程度": [e.damage for e in events],
            "直接经济损失（元）": [e.loss for e in events],
            "人员伤亡": [e.casualty for e in events],
            "所属乡镇（街道）": [ctx.p_town[p] for p in people],
        },
    )
