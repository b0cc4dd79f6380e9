"""住建 住房安全与不动产: one row per household head (most rural heads, some urban)."""

from __future__ import annotations

import numpy as np

from ..context import Context
from ..facts import House
from ..files import columns_of
from ..table import Defects, Table, TableBuilder

GRADES = np.array(["A", "B", "C", "D"], dtype=object)
ROADS = (
    "人民路",
    "解放路",
    "丰乐大道",
    "龙蟠大道",
    "紫薇路",
    "花园路",
    "南谯路",
    "天长路",
    "清流路",
)
UNKNOWN_LABELS = {
    "房屋安全等级": ("E", "危房"),
    "是否纳入危房改造": ("不详",),
    "保障性住房": ("经适房",),
}


def build(ctx: Context) -> Table:
    """Housing rows of a chunk's household heads."""
    rng = ctx.rng("housing")
    pop, progs, plan = ctx.pop, ctx.progs, ctx.plan
    H = pop.n_households
    heads = pop.hh_start
    urban = pop.hh_urban
    roster = progs.on_roster
    p_row = np.where(urban, np.where(roster, 0.6, 0.35), 0.8)
    alive = ctx.alive_on(ctx.today)[heads]
    listed = (rng.random(H) < p_row) & alive
    u = rng.random(H)
    rural_grade = np.searchsorted(np.cumsum([0.40, 0.48, 0.08]), u, side="right")
    urban_grade = np.searchsorted(np.cumsum([0.75, 0.22, 0.025]), u, side="right")
    grade = np.where(urban, urban_grade, rural_grade)
    grade = np.where(plan.safe_hh, np.minimum(grade, 1), grade)  # quiet: A or B only
    renovation = np.where(
        grade >= 2,
        np.where(rng.random(H) < 0.45, "是", "否"),
        np.where(rng.random(H) < 0.2, "", "否"),
    ).astype(object)
    v = rng.random(H)
    urban_units = np.searchsorted(np.cumsum([0.15, 0.70, 0.12]), v, side="right")
    rural_units = np.searchsorted(np.cumsum([0.60, 0.38]), v, side="right")
    roster_units = np.searchsorted(np.cumsum([0.50, 0.47]), v, side="right")
    units = np.where(roster, roster_units, np.where(urban, urban_units, rural_units))
    units = np.where(plan.safe_hh, np.minimum(units, 1), units)
    w = rng.random(H)
    social = np.where(
        urban & roster, np.where(w < 0.2, "公租房", np.where(w < 0.3, "廉租房", "无")), "无"
    ).astype(object)
    overridden = np.zeros(H, dtype=bool)
    overridden[list(plan.houses)] = True
    listed &= ~overridden
    tb = TableBuilder("housing", columns_of("housing"))
    rural_file = ctx.catalogue.index("housing", "rural")
    urban_file = ctx.catalogue.index("housing", "urban")
    files = np.where(urban, urban_file, rural_file)
    chosen = np.nonzero(listed)[0]
    _add(ctx, rng, tb, chosen, GRADES[grade[chosen]], renovation[chosen], units[chosen],
         social[chosen], files[chosen], fact=False)  # fmt: skip
    for h, house in plan.houses.items():
        _add_fact(ctx, rng, tb, h, house, int(files[h]))
    table = tb.build()
    d = Defects(rng, table)
    d.ids("户主身份证号")
    d.names("户主姓名", "户主身份证号")
    d.labels(UNKNOWN_LABELS)
    d.unusable(("户主身份证号", "户主姓名"))
    return table


def _add(
    ctx: Context,
    rng: np.random.Generator,
    tb: TableBuilder,
    households: np.ndarray,
    grades: np.ndarray,
    renovation: np.ndarray,
    units: np.ndarray,
    social: np.ndarray,
    files: np.ndarray,
    fact: bool,
) -> None:
    if len(households) == 0:
        return
    pop = ctx.pop
    heads = pop.hh_start[households].tolist()
    ids = [pop.ids[p] for p in heads]
    tb.add(
        ids,
        fact=fact,
        safe=ctx.plan.safe_hh[households],
        file=files,
        values={
            "户主姓名": [pop.names[p] for p in heads],
            "户主身份证号": ids,
            "房屋地址": [_address(ctx, rng, h) for h in households.tolist()],
            "房屋安全等级": grades.tolist(),
            "是否纳入危房改造": renovation.tolist(),
            "不动产套数": units,
            "保障性住房": social.tolist(),
            "所属乡镇（街道）": [ctx.p_town[p] for p in heads],
        },
    )


def _add_fact(
    ctx: Context, rng: np.random.Generator, tb: TableBuilder, h: int, house: House, file: int
) -> None:
    _add(
        ctx,
        rng,
        tb,
        np.array([h]),
        np.array([house.grade], dtype=object),
        np.array([house.renovation], dtype=object),
        np.array([house.units]),
        np.array([house.housing_type], dtype=object),
        np.array([file]),
        fact=True,
    )


def _address(ctx: Context, rng: np.random.Generator, h: int) -> str:
    pop = ctx.pop
    town = ctx.city.townships[int(pop.hh_town[h])]
    county = ctx.city.counties[town.county_index].name
    village = ctx.city.village_name(int(pop.hh_village[h]))
    n = int(rng.integers(1, 300))
    style = rng.random()
    if town.urban:
        road = ROADS[int(rng.integers(len(ROADS)))]
        building = f"{int(rng.integers(1, 30))}栋{int(rng.integers(1, 5))}单元{int(rng.integers(101, 1802))}室"
        base = f"{county}{town.name}{road}{n}号{building}"
    else:
        base = f"{county}{town.name}{village}{int(rng.integers(1, 15))}组{n}号"
    if style < 0.02:  # a comma, quoted in CSV
        return base.replace(town.name, town.name + ",", 1)
    if style < 0.03:  # a line break inside the cell
        return base + "\n（老宅）"
    return base
