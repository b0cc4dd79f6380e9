"""乡村振兴 防返贫监测户: one row per member of each monitored rural household."""

from __future__ import annotations

import numpy as np

from .. import programs as pg
from ..context import Context
from ..files import columns_of
from ..population import HEAD, RELATION_LABELS
from ..table import Defects, Table, TableBuilder

UNKNOWN_LABELS = {
    "户类型": ("一般农户",),
    "监测对象类别": ("易返贫户",),
    "风险类型": ("因债",),
}


def build(ctx: Context) -> Table:
    """The rural monitoring records of a chunk."""
    rng = ctx.rng("rural")
    pop, progs, plan = ctx.pop, ctx.progs, ctx.plan
    tb = TableBuilder("rural", columns_of("rural"))
    keys = ctx.catalogue.keys("rural")
    main = ctx.catalogue.index("rural", "main")
    towns = ctx.city.townships
    cols: dict[str, list[object]] = {name: [] for name, _ in columns_of("rural")}
    person_ids: list[str] = []
    facts: list[bool] = []
    safes: list[bool] = []
    files: list[int] = []
    blanked: list[int] = []  # records whose ID cell is blank although the person is known
    for h in np.nonzero(progs.on_rural)[0].tolist():
        code = str(ctx.city.counties[int(pop.hh_county[h])].code)
        members = list(pop.members(h))
        n = len(members)
        head = members[0]
        risk = int(progs.rural_risk[h])
        damage = plan.rural_blank_ids.get(h, "")
        for p in members:
            role = int(pop.p_role[p])
            blank = damage == "all" or (damage == "head" and role == HEAD)
            if blank:
                blanked.append(len(person_ids))
            cols["成员姓名"].append(pop.names[p])
            cols["成员证件号码"].append("" if blank else pop.ids[p])
            head_label = "本人" if damage == "head" else "户主"
            cols["与户主关系"].append(head_label if role == HEAD else RELATION_LABELS[role])
            person_ids.append(pop.ids[p])
        shared = {
            "户编号": progs.rural_id[h],
            "户主姓名": pop.names[head],
            "户主证件号码": "" if damage == "all" else pop.ids[head],
            "户类型": pg.RURAL_TYPES[int(progs.rural_type[h])],
            "监测对象类别": pg.RURAL_CATEGORIES[int(progs.rural_category[h])],
            "风险类型": pg.RISK_TYPES[risk] if risk >= 0 else "",
            "家庭人均纯收入（元/年）": float(progs.rural_income[h]),
            "风险是否消除": "是" if progs.rural_cleared[h] else "否",
            "乡镇（街道）": towns[int(pop.hh_town[h])].name,
            "村（社区）": ctx.city.village_name(int(pop.hh_village[h])),
        }
        for name, value in shared.items():
            cols[name].extend([value] * n)
        facts.extend([bool(plan.planted_hh[h])] * n)
        safes.extend([bool(plan.safe_hh[h])] * n)
        files.extend([keys.index(code) if code in keys else main] * n)
    tb.add(
        person_ids, fact=np.array(facts), safe=np.array(safes), file=np.array(files), values=cols
    )
    table = tb.build()
    for i in blanked:
        table.tag(i, "id_blank")
    d = Defects(rng, table)
    d.ids("成员证件号码")
    d.names("成员姓名", "成员证件号码")
    d.amounts(("家庭人均纯收入（元/年）",))
    d.labels(UNKNOWN_LABELS)
    # a wholly unusable row: a head's row keeping 户主证件号码 would still be the head (clean.py)
    d.unusable(("成员证件号码", "成员姓名", "户主证件号码", "户主姓名"))
    return table
