"""残联 残疾人信息: one row per card holder; the card number is the ID + category + grade."""

from __future__ import annotations

import numpy as np

from ..context import Context
from ..facts import Card
from ..files import columns_of
from ..plan import CARD_CATEGORIES
from ..table import Defects, Table, TableBuilder

CATEGORY_P = (0.12, 0.15, 0.02, 0.50, 0.07, 0.08, 0.06)
GRADE_P = (0.08, 0.17, 0.30, 0.45)
GRADE_WORDS = ("一级", "二级", "三级", "四级")
MENTAL = (5, 6)  # 智力, 精神
UNKNOWN_LABELS = {"残疾类别": ("肢残", "其他"), "残疾等级": ("五级",)}


def build(ctx: Context) -> Table:
    """Disability card rows of a chunk."""
    rng = ctx.rng("disability")
    pop = ctx.pop
    n = pop.n_people
    age = pop.p_age
    p_card = np.select([age < 18, age < 60, age < 75], [0.006, 0.02, 0.06], 0.12)
    holder = (rng.random(n) < p_card) & ctx.alive_on(ctx.today)
    planted = {c.person for c in ctx.plan.cards}
    people = [p for p in np.nonzero(holder)[0].tolist() if p not in planted]
    m = len(people)
    category = rng.choice(7, size=m, p=CATEGORY_P) + 1
    grade = rng.choice(4, size=m, p=GRADE_P) + 1
    safe = ctx.p_safe[people] if m else np.zeros(0, dtype=bool)
    # quiet and planted households: grade 3–4, and grade 4 for 智力/精神
    grade = np.where(safe, np.maximum(grade, 3), grade)
    grade = np.where(safe & np.isin(category, MENTAL), 4, grade)
    years = np.minimum(np.maximum(age[people] - 1, 1), 20) if m else np.zeros(0, dtype=np.int64)
    issue = ctx.today - (rng.random(m) * years * 365).astype(np.int64) - 30
    cards = [
        Card(p, int(c), int(g), int(d))
        for p, c, g, d in zip(people, category, grade, issue, strict=True)
    ]
    district = ctx.county_is_district()
    tb = TableBuilder("disability", columns_of("disability"))
    district_file = ctx.catalogue.index("disability", "district")
    county_file = ctx.catalogue.index("disability", "county")
    for batch, fact in ((cards, False), (ctx.plan.cards, True)):
        _add(ctx, tb, batch, district, district_file, county_file, fact)
    table = tb.build()
    _disagreements(rng, table)
    d = Defects(rng, table)
    d.ids("残疾人证号", card=True)
    d.names("姓名", "残疾人证号")
    d.dates()
    d.labels(UNKNOWN_LABELS)
    d.unusable(("残疾人证号", "姓名", "身份证号"))
    return table


def _add(
    ctx: Context,
    tb: TableBuilder,
    cards: list[Card],
    district: np.ndarray,
    district_file: int,
    county_file: int,
    fact: bool,
) -> None:
    pop = ctx.pop
    people = [card.person for card in cards]
    files = [district_file if district[p] else county_file for p in people]
    ids = [pop.ids[p] for p in people]
    tb.add(
        ids,
        fact=fact,
        safe=ctx.p_safe[people] if people else False,
        file=np.array(files, dtype=np.int64),
        values={
            "姓名": [pop.names[p] for p in people],
            "残疾人证号": [f"{pop.ids[c.person]}{c.category}{c.grade}" for c in cards],
            "残疾类别": [CARD_CATEGORIES[c.category - 1] for c in cards],
            "残疾等级": [
                GRADE_WORDS[c.grade - 1] if f == district_file else str(c.grade)
                for c, f in zip(cards, files, strict=True)
            ],
            "发证日期": [c.issue_day for c in cards],
            "所属乡镇（街道）": [ctx.p_town[p] for p in people],
            "身份证号": ids,
        },
    )


def _disagreements(rng: np.random.Generator, table: Table) -> None:
    """Some rows' 残疾类别/残疾等级 columns disagree with the card (the card wins)."""
    d = Defects(rng, table)
    for i in d.pick(~table.fact & ~table.safe, 0.02, force=True):
        card = table.col("残疾人证号")[i]
        category, grade = int(card[18]), int(card[19])
        if rng.random() < 0.5:
            other = [c for c in range(1, 8) if c != category]
            table.col("残疾类别")[i] = CARD_CATEGORIES[other[int(rng.integers(len(other)))] - 1]
        else:
            other = [g for g in range(1, 5) if g != grade]
            new = other[int(rng.integers(len(other)))]
            words = not table.col("残疾等级")[i].isdigit()
            table.col("残疾等级")[i] = GRADE_WORDS[new - 1] if words else str(new)
        table.tag(i, "card_disagrees")
