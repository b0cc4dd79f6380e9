"""教育 学籍与资助: one row per student and school year (latest and previous)."""

from __future__ import annotations

import math

import numpy as np

from ..context import Context
from ..facts import SchoolRecord
from ..files import columns_of
from ..table import Defects, Table, TableBuilder

LEVELS = ("学前", "小学", "初中", "高中", "中职", "高职", "本科", "研究生")
PRESCHOOL, PRIMARY, JUNIOR, SENIOR, VOCATIONAL, COLLEGE, BACHELOR, MASTER = range(8)
COSTLY = {SENIOR, VOCATIONAL, COLLEGE, BACHELOR, MASTER}
FUNDING = (1000, 500, 625, 2000, 2000, 3300, 3300, 6000)
UNIVERSITIES = ("滁州学院", "安徽科技学院", "安徽大学", "合肥工业大学", "安徽师范大学")
COLLEGES = ("滁州职业技术学院", "安徽交通职业技术学院", "滁州城市职业学院")
UNKNOWN_LABELS = {
    "学段": ("幼儿园", "大专"),
    "学籍状态": ("转学", "借读"),
    "是否享受资助": ("不详",),
}


def level_for_age(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """The school level of students of these ages (-1: not of school age)."""
    u = rng.random(len(age))
    return np.select(
        [
            (age >= 3) & (age <= 5),
            (age >= 6) & (age <= 11),
            (age >= 12) & (age <= 14),
            (age >= 15) & (age <= 17),
            (age >= 18) & (age <= 21),
            (age >= 22) & (age <= 24),
        ],
        [
            PRESCHOOL,
            PRIMARY,
            JUNIOR,
            np.where(u < 0.7, SENIOR, VOCATIONAL),
            np.where(u < 0.6, BACHELOR, COLLEGE),
            np.where(u < 0.4, MASTER, BACHELOR),
        ],
        default=-1,
    )


def build(ctx: Context) -> Table:
    """Student records of a chunk for the latest and the previous school year."""
    rng = ctx.rng("education")
    pop = ctx.pop
    age = pop.p_age
    enrol_p = np.select(
        [age <= 2, age <= 5, age <= 14, age <= 17, age <= 21, age <= 24],
        [0.0, 0.85, 0.98, 0.9, 0.55, 0.15],
        default=0.0,
    )
    alive = ctx.alive_on(ctx.today)
    latest = (rng.random(pop.n_people) < enrol_p) & alive
    level_now = level_for_age(rng, age)
    status_now = _statuses(rng, level_now)
    previous = latest & (age >= 4) & (rng.random(pop.n_people) < 0.45)
    level_before = np.where(
        np.isin(level_now, [SENIOR, VOCATIONAL, BACHELOR, COLLEGE])
        & ~np.isin(age - 1, [14, 17, 21]),
        level_now,
        level_for_age(rng, age - 1),
    )
    finishing = level_before != level_now
    status_before = np.where(finishing, "毕业", "在读").astype(object)
    back_to_school = previous & np.isin(level_now, [PRIMARY, JUNIOR]) & ~finishing
    back_to_school &= rng.random(pop.n_people) < 0.01
    status_before[back_to_school] = "辍学"  # dropped out last year, back in school now
    safe = ctx.p_safe
    # quiet and planted households: no dropout, no costly schooling (their older
    # teenagers are not enrolled), so that neither DROPOUT nor EDU_COST can fire
    latest &= ~(safe & np.isin(level_now, list(COSTLY)))
    previous &= ~(safe & np.isin(level_before, list(COSTLY)))
    status_now[safe & latest] = "在读"
    planted = {s.person for s in ctx.plan.school}
    if planted:
        mask = np.zeros(pop.n_people, dtype=bool)
        mask[list(planted)] = True
        latest &= ~mask
        previous &= ~mask
    tb = TableBuilder("education", columns_of("education"))
    y = ctx.school_year
    for offset, chosen, levels, statuses in (
        (0, latest, level_now, status_now),
        (1, previous, level_before, status_before),
    ):
        people = np.nonzero(chosen & (levels >= 0))[0]
        _add(ctx, rng, tb, people, levels[people], statuses[people], offset, y)
    for rec in ctx.plan.school:
        _add_fact(ctx, rng, tb, rec, y)
    table = tb.build()
    d = Defects(rng, table)
    d.ids("身份证件号")
    d.names("学生姓名", "身份证件号")
    d.amounts(("资助金额（元）",))
    d.labels(UNKNOWN_LABELS)
    d.unusable(("身份证件号", "学生姓名"))
    return table


def _statuses(rng: np.random.Generator, levels: np.ndarray) -> np.ndarray:
    u = rng.random(len(levels))
    can_drop = np.isin(levels, [PRIMARY, JUNIOR, SENIOR, VOCATIONAL])
    status = np.where(u < 0.012, "休学", "在读").astype(object)
    status[(u >= 0.012) & (u < 0.02) & can_drop] = "辍学"
    status[(u >= 0.02) & (u < 0.025)] = "毕业"
    return status


def _add(
    ctx: Context,
    rng: np.random.Generator,
    tb: TableBuilder,
    people: np.ndarray,
    levels: np.ndarray,
    statuses: np.ndarray,
    offset: int,
    year: int,
) -> None:
    if len(people) == 0:
        return
    pop = ctx.pop
    roster = ctx.p_roster[people]
    funded = rng.random(len(people)) < np.where(roster, 0.6, np.where(levels >= SENIOR, 0.3, 0.1))
    amounts = np.array(FUNDING)[levels].astype(float)
    unfunded_amount = np.where(rng.random(len(people)) < 0.5, np.nan, 0.0)
    amounts = np.where(funded, amounts, unfunded_amount)
    files = _files(ctx, levels, offset)
    ids = [pop.ids[p] for p in people.tolist()]
    tb.add(
        ids,
        fact=False,
        safe=ctx.p_safe[people],
        file=files,
        values={
            "学生姓名": [pop.names[p] for p in people.tolist()],
            "身份证件号": ids,
            "学校名称": _schools(ctx, rng, people, levels),
            "学段": [LEVELS[v] for v in levels.tolist()],
            "学籍状态": statuses.tolist(),
            "是否享受资助": np.where(funded, "是", "否").tolist(),
            "资助金额（元）": amounts,
            "学年": f"{year - offset}-{year - offset + 1}",
            "所属乡镇（街道）": [ctx.p_town[p] for p in people.tolist()],
        },
    )


def _add_fact(
    ctx: Context, rng: np.random.Generator, tb: TableBuilder, rec: SchoolRecord, year: int
) -> None:
    level = LEVELS.index(rec.level)
    people = np.array([rec.person])
    levels = np.array([level])
    pop = ctx.pop
    amount = float(FUNDING[level]) if rec.funded else math.nan
    first = year - rec.year_offset
    school_year = "" if rec.blank_year else f"{first}-{first + 1}"
    tb.add(
        [pop.ids[rec.person]],
        fact=True,
        safe=True,
        file=_files(ctx, levels, rec.year_offset),
        values={
            "学生姓名": pop.names[rec.person],
            "身份证件号": pop.ids[rec.person],
            "学校名称": _schools(ctx, rng, people, levels),
            "学段": rec.level,
            "学籍状态": rec.status,
            "是否享受资助": "是" if rec.funded else "否",
            "资助金额（元）": amount,
            "学年": school_year,
            "所属乡镇（街道）": ctx.p_town[rec.person],
        },
    )


def _files(ctx: Context, levels: np.ndarray, offset: int) -> np.ndarray:
    cat = ctx.catalogue
    if offset == 1:
        return np.full(len(levels), cat.index("education", "previous"))
    return np.where(
        levels == PRESCHOOL,
        cat.index("education", "preschool"),
        cat.index("education", "latest"),
    )


def _schools(
    ctx: Context, rng: np.random.Generator, people: np.ndarray, levels: np.ndarray
) -> list[str]:
    pop = ctx.pop
    towns = ctx.city.townships
    counties = ctx.city.counties
    out = []
    picks = rng.integers(0, 100, len(people)).tolist()
    for p, level, k in zip(people.tolist(), levels.tolist(), picks, strict=True):
        town = towns[int(pop.hh_town[pop.p_hh[p]])]
        county = counties[town.county_index].name
        county_short = county[:-1] if len(county) > 2 else county
        if level == PRESCHOOL:
            out.append(f"{town.root}中心幼儿园")
        elif level == PRIMARY:
            out.append(f"{town.root}中心小学" if k % 3 else f"{town.root}第二小学")
        elif level == JUNIOR:
            out.append(f"{town.root}初级中学")
        elif level == SENIOR:
            out.append(f"{county_short}中学" if k % 2 else f"{county_short}第二中学")
        elif level == VOCATIONAL:
            out.append(f"{county_short}职业教育中心")
        elif level == COLLEGE:
            out.append(COLLEGES[k % len(COLLEGES)])
        elif level == MASTER:
            out.append("中国科学技术大学")
        else:
            out.append(UNIVERSITIES[k % len(UNIVERSITIES)])
    return out
