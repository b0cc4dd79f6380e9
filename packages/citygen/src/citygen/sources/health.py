"""卫健 诊疗与死亡: diagnoses (one row each) and death records."""

from __future__ import annotations

import numpy as np

from ..context import Context
from ..facts import Diagnosis
from ..files import columns_of
from ..plan import MAJOR_DISEASES
from ..table import Defects, Table, TableBuilder

CATEGORIES = np.array(["一般", "慢性病", "重大疾病"], dtype=object)
DISEASES = {
    "一般": (
        "上呼吸道感染",
        "急性胃肠炎",
        "支气管炎",
        "腰椎间盘突出",
        "骨折",
        "肺炎",
        "阑尾炎",
        "白内障",
    ),
    "慢性病": (
        "高血压",
        "2型糖尿病",
        "冠心病",
        "慢性阻塞性肺疾病",
        "类风湿关节炎",
        "慢性肾病",
        "帕金森病",
    ),
    "重大疾病": MAJOR_DISEASES,
}
DEATH_CAUSES = ("呼吸衰竭", "心力衰竭", "多器官功能衰竭", "脑出血", "肺部感染", "恶性肿瘤")
UNKNOWN_LABELS = {"诊断类别": ("重病", "急诊")}
QUIET_MAJOR_DAYS = 540  # quiet households: no 重大疾病 in the last 18 months


def build(ctx: Context) -> Table:
    """Health rows of a chunk."""
    rng = ctx.rng("health")
    pop = ctx.pop
    n = pop.n_people
    age = pop.p_age
    p_any = np.select([age < 18, age < 60], [0.03, 0.06], 0.16)
    count = np.where(rng.random(n) < p_any, rng.integers(1, 3, n), 0)
    person = np.repeat(np.arange(n), count)
    m = len(person)
    category = CATEGORIES[np.searchsorted(np.cumsum([0.55, 0.33]), rng.random(m), side="right")]
    day = ctx.today - rng.integers(1, 1100, m)
    death = pop.p_death[person]
    keep = (death < 0) | (day < death)
    quiet_major = (
        ctx.p_safe[person] & (category == "重大疾病") & (day > ctx.today - QUIET_MAJOR_DAYS)
    )
    category[quiet_major & (rng.random(m) < 0.5)] = "慢性病"
    day = np.where(
        quiet_major & (category == "重大疾病"), ctx.today - rng.integers(600, 1100, m), day
    )
    stay = np.select(
        [category == "一般", category == "慢性病"],
        [np.where(rng.random(m) < 0.5, -1, rng.integers(0, 6, m)), rng.integers(0, 11, m)],
        rng.integers(5, 41, m),
    )
    person, category, day, stay = person[keep], category[keep], day[keep], stay[keep]
    diseases = [_pick(rng, DISEASES[c]) for c in category.tolist()]
    tb = TableBuilder("health", columns_of("health"))
    visits = ctx.catalogue.index("health", "visits")
    deaths_file = ctx.catalogue.index("health", "deaths")
    ids = [pop.ids[p] for p in person.tolist()]
    tb.add(
        ids,
        fact=False,
        safe=ctx.p_safe[person],
        file=visits,
        values={
            "患者姓名": [pop.names[p] for p in person.tolist()],
            "身份证号": ids,
            "诊断类别": category.tolist(),
            "疾病名称": diseases,
            "就诊日期": day,
            "住院天数": stay,
            "死亡日期": -1,
            "所属乡镇（街道）": [ctx.p_town[p] for p in person.tolist()],
        },
    )
    planted_deaths = {d.person for d in ctx.plan.diagnoses if d.death_day >= 0}
    dead = [
        p
        for p in np.nonzero(pop.p_death >= 0)[0].tolist()
        if p not in planted_deaths and rng.random() < 0.85  # some deaths are never reported
    ]
    records = [
        Diagnosis(p, "", _pick(rng, DEATH_CAUSES), int(pop.p_death[p]), -1, int(pop.p_death[p]))
        for p in dead
    ]
    _add_many(ctx, tb, records, [deaths_file] * len(records), False)
    planted = ctx.plan.diagnoses
    files = [deaths_file if dx.death_day >= 0 else visits for dx in planted]
    _add_many(ctx, tb, planted, files, True)
    table = tb.build()
    d = Defects(rng, table)
    d.ids("身份证号")
    d.names("患者姓名", "身份证号")
    d.dates()
    d.labels(UNKNOWN_LABELS)
    d.unusable(("身份证号", "患者姓名"))
    return table


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def _add_many(
    ctx: Context, tb: TableBuilder, records: list[Diagnosis], files: list[int], fact: bool
) -> None:
    if not records:
        return
    pop = ctx.pop
    people = [dx.person for dx in records]
    ids = [pop.ids[p] for p in people]
    tb.add(
        ids,
        fact=fact,
        safe=ctx.p_safe[people],
        file=np.array(files, dtype=np.int64),
        values={
            "患者姓名": [pop.names[p] for p in people],
            "身份证号": ids,
            "诊断类别": [dx.category for dx in records],
            "疾病名称": [dx.disease for dx in records],
            "就诊日期": [dx.day for dx in records],
            "住院天数": [dx.stay_days if dx.death_day < 0 else -1 for dx in records],
            "死亡日期": [dx.death_day for dx in records],
            "所属乡镇（街道）": [ctx.p_town[p] for p in people],
        },
    )
