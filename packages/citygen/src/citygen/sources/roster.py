"""民政 低收入人口库: one row per member of each roster household."""

from __future__ import annotations

import numpy as np

from .. import programs as pg
from ..context import Context
from ..files import columns_of
from ..population import HEAD, RELATION_LABELS
from ..table import Defects, Table, TableBuilder

UNKNOWN_LABELS = {
    "与户主关系": ("儿媳", "女婿", "外孙子女"),
    "救助类别": ("低收入户", "五保户"),
    "状态": ("暂停", "待审核"),
    "城乡类别": ("城镇",),
}


def build(ctx: Context) -> Table:
    """The roster records of a chunk."""
    rng = ctx.rng("roster")
    pop, progs, plan = ctx.pop, ctx.progs, ctx.plan
    cat = ctx.catalogue
    tb = TableBuilder("roster", columns_of("roster"))
    households = np.nonzero(progs.on_roster)[0]
    batch = cat.index("roster", "batch")
    county_file = [cat.index("roster", str(c.code)) for c in ctx.city.counties]
    in_batch = rng.random(len(households)) < 0.03
    copied = (rng.random(len(households)) < 0.01) & ~in_batch
    if len(households) >= 50 and not copied.any():
        copied[int(rng.integers(len(households)))] = True
    dup_rows: list[int] = []
    towns = ctx.city.townships
    cols: dict[str, list[object]] = {name: [] for name, _ in columns_of("roster")}
    person_ids: list[str] = []
    facts: list[bool] = []
    safes: list[bool] = []
    files: list[int] = []
    for j, h in enumerate(households.tolist()):
        file = batch if in_batch[j] else county_file[int(pop.hh_county[h])]
        head_label = "本人(户主)" if file % 2 == 0 else "本人"
        old_system = file % 4 == 1 or file == batch  # these exports still say 支出型困难
        members = [p for p in pop.members(h) if p not in plan.off_roster]
        n = len(members)
        head_phone = pop.phones[members[0]]
        for p in members:
            own = pop.phones[p]
            if own and (p in plan.roster_phone_self or rng.random() < 0.92):
                cols["联系电话"].append(own)
            else:
                cols["联系电话"].append(head_phone if rng.random() < 0.5 else "")
            role = int(pop.p_role[p])
            cols["与户主关系"].append(head_label if role == HEAD else RELATION_LABELS[role])
            cols["成员姓名"].append(pop.names[p])
            cols["成员身份证号"].append(pop.ids[p])
            person_ids.append(pop.ids[p])
        town = towns[int(pop.hh_town[h])]
        c = int(progs.category[h])
        old = c == pg.RIGID and (old_system or bool(progs.old_label[h]))
        shared = {
            "家庭编号": progs.family_id[h],
            "乡镇（街道）": town.name,
            "村（社区）": ctx.city.village_name(int(pop.hh_village[h])),
            "城乡类别": "城市" if town.urban else "农村",
            "救助类别": pg.OLD_RIGID_LABEL if old else pg.CATEGORIES[c],
            "家庭月总收入": float(progs.income[h]),
            "月保障金额": float(progs.benefit[h]),
            "纳入日期": int(progs.admit_day[h]),
            "状态": pg.STATUSES[int(progs.status[h])],
        }
        for name, value in shared.items():
            cols[name].extend([value] * n)
        if copied[j]:
            dup_rows.extend(range(len(files), len(files) + n))
        facts.extend([bool(plan.planted_hh[h])] * n)
        safes.extend([bool(plan.safe_hh[h])] * n)
        files.extend([file] * n)
    tb.add(
        person_ids, fact=np.array(facts), safe=np.array(safes), file=np.array(files), values=cols
    )
    table = tb.build()
    for i, category in enumerate(table.col("救助类别")):
        if category == pg.OLD_RIGID_LABEL:
            table.tag(i, "label_old")
    _disagreeing_members(rng, table)
    d = Defects(rng, table)
    d.ids("成员身份证号")
    d.names("成员姓名", "成员身份证号")
    d.dates()
    d.amounts(("家庭月总收入", "月保障金额"))
    d.labels(UNKNOWN_LABELS)
    d.unusable(("成员身份证号", "成员姓名"))
    table.dup_target[dup_rows] = batch
    return table


def _disagreeing_members(rng: np.random.Generator, table: Table) -> None:
    """A few non-head rows whose household fields differ from the head's row."""
    relation = table.col("与户主关系")
    member = np.array([not r.startswith("本人") for r in relation], dtype=bool)
    d = Defects(rng, table)
    for i in d.pick(member & ~table.safe & ~table.fact, 0.006):
        if rng.random() < 0.5:
            table.col("救助类别")[i] = "低保边缘" if table.col("救助类别")[i] == "低保" else "低保"
        else:
            table.col("状态")[i] = "退出" if table.col("状态")[i] != "退出" else "在保"
        table.tag(i, "household_field_disagrees")
