"""网格员巡查走访记录: one row per visit of a grid worker; the visited person's name as heard.

Grid workers visit the households of their village (网格) again and again, the roster's far
more often than others, and write down what they find (情况类型, 情况描述). Records rarely
carry an ID; the phone is the person's own most of the time, sometimes the household head's,
a landline or none. A few visited people are unknown to the state (truth person_id blank).
The planner's visits (plan.Planner.plant_grid) come first: a planted report carries the
person's real name, township and phone, and their ID as well when that phone is not one the
state holds for them (it is on no clean roster row of theirs): a record that shares no
identifier with its person is never linked, and a report nobody can attach helps nobody.
Quiet households get no hardship visit in the last QUIET_DAYS days, only 其他 or older ones.

The side truth of each record (truth/grid_visits.csv): its 记录编号, whether the visited
person is a resident, whether the phone is known to the state (on the roster's 联系电话 or on
a ticket or visit carrying a valid ID), and its role (planted, quiet, background, unknown).
"""

from __future__ import annotations

import numpy as np

from .. import names as nm
from ..context import Context
from ..dates import from_day, to_day
from ..files import columns_of, grid_months
from ..ids import is_valid_id
from ..population import phone_number
from ..programs import Counters
from ..table import Defects, Table, TableBuilder

OTHER = "其他"
# background visits: the label's share (独居老人 only for an elder living alone, 留守儿童 only
# for a child; other visits of those people are 其他)
KIND_P = {"其他": 0.50, "生活困难": 0.13, "患病": 0.12, "残疾": 0.06, "独居老人": 0.12,
          "留守儿童": 0.07}  # fmt: skip
TEXTS = {
    "生活困难": (
        "家庭收入低，冬季取暖困难，需持续关注。",
        "主要劳动力外出务工无固定收入，\n生活拮据。",
        "邻居{neighbour}反映该户近期生活困难，已上门了解。",
    ),
    "患病": (
        "本人长期患病，需长期服药，医疗负担重。",
        "家中有人住院治疗，开支大，\n积蓄已花光。",
    ),
    "残疾": (
        "本人肢体残疾，行动不便，需要照护。",
        "家有智力残疾人员，监护人年老体弱。",
    ),
    "独居老人": (
        "老人独居，子女在外地，联系电话{phone}。",
        "独居，行动不便，屋顶漏雨，请社区关注。",
    ),
    "留守儿童": (
        "父母在外务工，由祖父母照看，{village}。",
        "留守儿童，学习生活需关注。",
    ),
    "其他": (
        "日常走访，家中情况正常。",
        "走访慰问，宣传医保缴费政策。",
        "了解家庭近况，无异常。",
    ),
}
UNKNOWN_LABELS = {"情况类型": ("走访慰问", "矛盾纠纷", "安全隐患")}
QUIET_DAYS = 60  # safe households: no hardship visit in the last 60 days
VISITS_PER_PERSON = 0.03  # visitors in the background, per resident
OUTSIDER_SHARE = 0.04
OUTSIDER_PHONES_FROM = 50_000_000  # phone indices of visited people unknown to the state
WITH_ID = 0.08  # background visits that carry the person's ID


def build(ctx: Context, roster: Table, tickets: Table, counters: Counters) -> Table:
    """The visits of a chunk (the roster and the tickets tell which phones the state holds)."""
    rng = ctx.rng("grid")
    pop = ctx.pop
    y0, m0 = grid_months(ctx.as_of)[0]
    first_day = to_day(ctx.as_of.replace(year=y0, month=m0, day=1))
    proven = _proven_phones(roster)
    records: list[tuple[str, dict[str, object], bool, bool, str]] = []
    for v in ctx.plan.grid_visits:
        p = v.person
        own = pop.phones[p]
        with_id = not own or (pop.ids[p], own) not in proven
        values = _values(ctx, rng, counters, p, v.day, v.kind, own, with_id, True)
        records.append((pop.ids[p], values, True, True, v.role))
    for p, day, kind in _background(ctx, rng, first_day):
        phone = _background_phone(ctx, rng, p)
        values = _values(ctx, rng, counters, p, day, kind, phone, bool(rng.random() < WITH_ID),
                         False)  # fmt: skip
        records.append((pop.ids[p], values, False, bool(ctx.p_safe[p]), "background"))
    n_outsiders = int(rng.binomial(len(records), OUTSIDER_SHARE)) + (1 if records else 0)
    for _ in range(n_outsiders):
        records.append(_outsider(ctx, rng, first_day, counters))
    keys = ctx.catalogue.keys("grid")
    tb = TableBuilder("grid", columns_of("grid"))
    cols: dict[str, list[object]] = {name: [] for name, _ in columns_of("grid")}
    for _, values, _, _, _ in records:
        for name, value in values.items():
            cols[name].append(value)
    files = [keys.index(from_day(int(day)).strftime("%Y%m")) for day in cols["走访日期"]]  # type: ignore[call-overload]
    tb.add(
        [r[0] for r in records],
        fact=np.array([r[2] for r in records], dtype=bool),
        safe=np.array([r[3] for r in records], dtype=bool),
        file=np.array(files, dtype=np.int64),
        values=cols,
    )
    table = tb.build()
    d = Defects(rng, table)
    d.ids("身份证号")
    d.names("姓名", "身份证号", homophone_rate=0.08, facts_clean=True)
    d.dates()
    d.labels(UNKNOWN_LABELS)
    d.unusable(("姓名", "身份证号", "联系电话"), rate=0.002)
    known = _known_phones(roster, tickets, table)
    phones, numbers = table.col("联系电话"), table.col("记录编号")
    roles = [r[4] for r in records]
    table.side = [
        f"{numbers[i]},{'resident' if roles[i] != 'unknown' else 'unknown'},"
        f"{'true' if phones[i] and phones[i] in known else 'false'},{roles[i]}"
        for i in range(table.n)
    ]
    return table


def _record_no(counters: Counters, day: int) -> str:
    counters.grid_visit += 1
    return f"WG{from_day(day):%Y%m%d}{counters.grid_visit:07d}"


def grid_worker(ctx: Context, village: int) -> str:
    """The grid worker of a village (one 网格 per village), the same in every chunk."""
    rng = np.random.default_rng([ctx.seed, 7021, village])
    return nm.random_names(rng, 1, np.array([int(rng.integers(1965, 2000))]))[0]


def _values(
    ctx: Context,
    rng: np.random.Generator,
    counters: Counters,
    p: int,
    day: int,
    kind: str,
    phone: str,
    with_id: bool,
    fact: bool,
) -> dict[str, object]:
    pop = ctx.pop
    h = int(pop.p_hh[p])
    village = int(pop.hh_village[h])
    village_name = ctx.city.village_name(village)
    return {
        "记录编号": _record_no(counters, day),
        "走访日期": day,
        "网格员": grid_worker(ctx, village),
        "姓名": pop.names[p],
        "身份证号": pop.ids[p] if with_id else "",
        "联系电话": phone,
        "乡镇（街道）": ctx.p_town[p],
        "村（社区）": "" if not fact and rng.random() < 0.05 else village_name,
        "情况类型": kind,
        "情况描述": _text(ctx, rng, kind, p, village_name),
    }


def _text(ctx: Context, rng: np.random.Generator, kind: str, p: int, village: str) -> str:
    options = TEXTS[kind]
    template = options[int(rng.integers(len(options)))]
    head = int(ctx.pop.hh_start[ctx.pop.p_hh[p]])
    neighbour = nm.random_names(rng, 1, np.array([1960]))[0]
    return template.format(phone=ctx.pop.phones[head] or "无", neighbour=neighbour, village=village)


def _background(
    ctx: Context, rng: np.random.Generator, first_day: int
) -> list[tuple[int, int, str]]:
    """(person, day, 情况类型) of the background visits: the roster's households far more often,
    elders more than others; a safe household's visits of the last QUIET_DAYS days are 其他."""
    pop = ctx.pop
    n = pop.n_people
    weight = np.where(ctx.p_roster, 25.0, 1.0) * np.where(pop.p_age >= 70, 4.0, 1.0)
    n_visitors = min(round(VISITS_PER_PERSON * n), n)
    if n_visitors == 0:
        return []
    visitors = rng.choice(n, size=n_visitors, replace=False, p=weight / weight.sum())
    count = rng.geometric(0.7, len(visitors))
    labels = list(KIND_P)
    probs = np.array(list(KIND_P.values()))
    out = []
    for p, c in zip(visitors.tolist(), count.tolist(), strict=True):
        alone = int(pop.hh_size[pop.p_hh[p]]) == 1 and int(pop.p_age[p]) >= 60
        for _ in range(c):
            day = ctx.today - int(rng.integers(0, ctx.today - first_day + 1))
            if pop.p_death[p] >= 0 and day >= pop.p_death[p]:
                continue
            kind = labels[int(rng.choice(len(labels), p=probs))]
            if (kind == "独居老人" and not alone) or (kind == "留守儿童" and pop.p_age[p] >= 16):
                kind = OTHER
            if ctx.p_safe[p] and kind != OTHER and day > ctx.today - QUIET_DAYS:
                kind = OTHER
            out.append((p, day, kind))
    return out


def _background_phone(ctx: Context, rng: np.random.Generator, p: int) -> str:
    """The person's own phone mostly; sometimes the household head's, a landline or none."""
    pop = ctx.pop
    phone = pop.phones[p]
    u = rng.random()
    if not phone or u < 0.04:
        head = int(pop.hh_start[pop.p_hh[p]])
        return pop.phones[head] if rng.random() < 0.5 else ""
    if u < 0.06:
        return f"0550-{int(rng.integers(2000000, 9999999))}"
    return phone


def _outsider(
    ctx: Context, rng: np.random.Generator, first_day: int, counters: Counters
) -> tuple[str, dict[str, object], bool, bool, str]:
    """A visit to someone the state does not know (moved in, never registered)."""
    counters.grid_outsider += 1
    day = ctx.today - int(rng.integers(0, ctx.today - first_day + 1))
    name = nm.random_names(rng, 1, np.array([int(rng.integers(1945, 2005))]))[0]
    h = int(rng.integers(ctx.pop.n_households))
    village = int(ctx.pop.hh_village[h])
    town = ctx.city.townships[int(ctx.pop.hh_town[h])].name
    labels = list(KIND_P)
    kind = labels[int(rng.choice(len(labels), p=np.array(list(KIND_P.values()))))]
    if kind in ("独居老人", "留守儿童"):
        kind = OTHER
    index = ctx.people_total + OUTSIDER_PHONES_FROM + counters.grid_outsider
    values: dict[str, object] = {
        "记录编号": _record_no(counters, day),
        "走访日期": day,
        "网格员": grid_worker(ctx, village),
        "姓名": name,
        "身份证号": "",
        "联系电话": phone_number(index, int(rng.integers(39))),
        "乡镇（街道）": town,
        "村（社区）": ctx.city.village_name(village),
        "情况类型": kind,
        "情况描述": TEXTS[kind][int(rng.integers(len(TEXTS[kind])))].format(
            phone="无", neighbour="", village=town
        ),
    }
    return "", values, False, False, "unknown"


def _proven_phones(roster: Table) -> set[tuple[str, str]]:
    """(person, phone) pairs a roster row proves: the row shows the phone, its ID is valid as
    written and neither its ID nor its name was damaged."""
    out = set()
    phones, ids = roster.col("联系电话"), roster.col("成员身份证号")
    for i, pid in enumerate(roster.person_id):
        tags = roster.tags[i] or []
        if not pid or not phones[i] or any(t.startswith(("id_", "name_")) for t in tags):
            continue
        if isinstance(ids[i], str) and is_valid_id(ids[i]):
            out.add((pid, phones[i]))
    return out


def _known_phones(roster: Table, tickets: Table, visits: Table) -> set[str]:
    """Phones the state holds: in the roster's 联系电话, or on a ticket or a visit with a valid
    ID."""
    known = {
        phone
        for phone, pid in zip(roster.col("联系电话"), roster.person_id, strict=True)
        if phone and pid
    }
    for table in (tickets, visits):
        for phone, id_text in zip(table.col("联系电话"), table.col("身份证号"), strict=True):
            if phone and isinstance(id_text, str) and is_valid_id(id_text):
                known.add(phone)
    return known
