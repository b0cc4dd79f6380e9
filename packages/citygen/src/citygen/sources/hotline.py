"""12345 工单: one row per ticket; callers named by an operator, rarely with an ID.

Callers are mostly residents (roster members more often than others), some
people unknown to the state (truth person_id blank). The side truth of each
ticket says whether the caller's phone is known to the state: it appears in
the roster's 联系电话 or on another ticket that carries the caller's valid ID.
"""

from __future__ import annotations

import numpy as np

from .. import names as nm
from ..context import Context
from ..dates import to_day
from ..facts import Ticket
from ..files import columns_of, hotline_quarters
from ..ids import is_valid_id
from ..population import phone_number
from ..programs import Counters
from ..table import Defects, Table, TableBuilder

KINDS = ("咨询", "投诉", "建议", "求助")
KIND_P = (0.45, 0.25, 0.12, 0.18)
TEXTS = {
    "咨询": (
        "咨询低保申请条件及所需材料。",
        "咨询城乡居民医保缴费时间，以及异地就医报销比例。",
        "咨询残疾人两项补贴发放时间。",
        "咨询孩子上学资助政策, 如何申请。",
        "咨询养老保险补缴政策，\n本人已满60周岁。",
    ),
    "投诉": (
        "反映{village}路灯损坏，夜间出行不便，希望尽快维修。",
        "投诉小区物业收费不合理，\n多次沟通无果。",
        "反映{village}附近工地夜间施工噪音扰民, 影响休息。",
    ),
    "建议": (
        "建议在{town}增设公交站点。",
        "建议简化低保年审材料，方便老人办理。",
    ),
    "求助": (
        "家中老人卧病在床，无人照料，生活困难，请求帮助。",
        "本人失业在家，房租已拖欠两个月, 请求临时救助。",
        "反映{village}一户人家房屋漏雨，\n家中有残疾人，请求上门核实。",
    ),
}
UNKNOWN_LABELS = {"诉求类型": ("举报", "表扬")}
QUIET_HELP_DAYS = 60  # quiet households: no 求助 ticket in the last 60 days


def build(ctx: Context, roster: Table, counters: Counters) -> Table:
    """Tickets of a chunk (the chunk's roster tells which phones the state holds)."""
    rng = ctx.rng("hotline")
    pop = ctx.pop
    quarters = hotline_quarters(ctx.as_of)
    y0, q0 = quarters[0]
    first_day = to_day(ctx.as_of.replace(year=y0, month=3 * q0 - 2, day=1))
    tickets = _resident_tickets(ctx, rng, first_day) + list(ctx.plan.tickets)
    n_facts = len(ctx.plan.tickets)
    n_outsiders = int(rng.binomial(len(tickets), 0.15)) + (1 if tickets else 0)
    tb = TableBuilder("hotline", columns_of("hotline"))
    towns = ctx.city.townships
    chunk_towns = np.unique(pop.hh_town)
    records: list[tuple[str, dict[str, object], bool, bool, str]] = []
    for k, t in enumerate(tickets):
        fact = k >= len(tickets) - n_facts
        records.append(_resident_record(ctx, rng, t, fact, counters))
    for _ in range(n_outsiders):
        records.append(_outsider_record(ctx, rng, first_day, chunk_towns, towns, counters))
    late = [_resident_record(ctx, rng, t, False, counters) for t in _late_tickets(ctx, rng)]
    records.extend(late)
    keys = ctx.catalogue.keys("hotline")
    ticket_kinds = [(str(values["工单编号"]), kind) for _, values, _, _, kind in records]
    cols: dict[str, list[object]] = {name: [] for name, _ in columns_of("hotline")}
    for _, values, _, _, _ in records:
        for name, value in values.items():
            cols[name].append(value)
    files = [keys.index(_quarter_key(int(when[0]))) for when in cols["来电时间"]]  # type: ignore[index]
    if late:  # only in the latest quarter's file delivered again
        files[len(files) - len(late) :] = [ctx.catalogue.redelivery("hotline")] * len(late)
    tb.add(
        [r[0] for r in records],
        fact=np.array([r[2] for r in records], dtype=bool),
        safe=np.array([r[3] for r in records], dtype=bool),
        file=np.array(files, dtype=np.int64),
        side=[""] * len(records),
        values=cols,
    )
    table = tb.build()
    d = Defects(rng, table)
    d.ids("身份证号")
    d.names("诉求人", "身份证号", homophone_rate=0.12, facts_clean=True)
    d.dates()
    d.labels(UNKNOWN_LABELS)
    d.unusable(("诉求人", "身份证号", "联系电话"), rate=0.002)
    known = _known_phones(roster, table)
    phones = table.col("联系电话")
    table.side = [
        f"{ticket},{kind},{'true' if phones[i] and phones[i] in known else 'false'}"
        for i, (ticket, kind) in enumerate(ticket_kinds)
    ]
    return table


def _quarter_key(day: int) -> str:
    date = np.datetime64(day, "D").astype(object)
    return f"{date.year}Q{(date.month - 1) // 3 + 1}"


def _resident_tickets(ctx: Context, rng: np.random.Generator, first_day: int) -> list[Ticket]:
    pop = ctx.pop
    n = pop.n_people
    adult = (pop.p_age >= 18) & (pop.p_age <= 85)
    weight = np.where(ctx.p_roster, 40.0, 1.0) * adult  # the roster calls far more often
    n_callers = round(0.018 * n)
    if n_callers == 0 or weight.sum() == 0:
        return []
    callers = rng.choice(
        n, size=min(n_callers, int(adult.sum())), replace=False, p=weight / weight.sum()
    )
    count = rng.geometric(0.75, len(callers))
    out = []
    span = ctx.today - first_day
    for p, c in zip(callers.tolist(), count.tolist(), strict=True):
        for _ in range(c):
            day = ctx.today - int(rng.integers(0, span + 1))
            if pop.p_death[p] >= 0 and day >= pop.p_death[p]:
                continue
            kind = KINDS[int(rng.choice(4, p=KIND_P))]
            if ctx.p_safe[p] and kind == "求助" and day > ctx.today - QUIET_HELP_DAYS:
                kind = "咨询"
            text = _text(ctx, rng, kind, p)
            second = int(rng.integers(8 * 3600, 20 * 3600))
            out.append(Ticket(p, day, second, kind, text, with_id=bool(rng.random() < 0.06)))
    return out


LATE_PER_PEOPLE = 5000  # one ticket more in the re-sent export per 5,000 residents


def _late_tickets(ctx: Context, rng: np.random.Generator) -> list[Ticket]:
    """Tickets of the last few days, only in the latest quarter's export sent again (from
    people of neither planted nor quiet households)."""
    pop = ctx.pop
    eligible = np.nonzero(
        (pop.p_age >= 18) & (pop.p_age <= 85) & ~ctx.p_safe & ctx.alive_on(ctx.today)
    )[0]
    k = min(len(eligible), max(2, round(pop.n_people / LATE_PER_PEOPLE)))
    out = []
    for p in np.sort(rng.choice(eligible, size=k, replace=False)).tolist():
        day = ctx.today - int(rng.integers(0, 4))
        kind = KINDS[int(rng.choice(4, p=KIND_P))]
        second = int(rng.integers(8 * 3600, 20 * 3600))
        out.append(
            Ticket(p, day, second, kind, _text(ctx, rng, kind, p), bool(rng.random() < 0.06))
        )
    return out


def _text(ctx: Context, rng: np.random.Generator, kind: str, p: int) -> str:
    options = TEXTS[kind]
    template = options[int(rng.integers(len(options)))]
    village = ctx.city.village_name(int(ctx.pop.hh_village[ctx.pop.p_hh[p]]))
    return template.format(village=village, town=ctx.p_town[p])


def _ticket_no(counters: Counters, day: int) -> str:
    counters.ticket += 1
    date = np.datetime64(day, "D").astype(object)
    return f"GD{date:%Y%m%d}{counters.ticket:07d}"


def _resident_record(
    ctx: Context, rng: np.random.Generator, t: Ticket, fact: bool, counters: Counters
) -> tuple[str, dict[str, object], bool, bool, str]:
    pop = ctx.pop
    p = t.person
    phone = pop.phones[p]
    u = rng.random()
    if not fact:
        if not phone or u < 0.03:
            head = int(pop.hh_start[pop.p_hh[p]])
            phone = pop.phones[head] if rng.random() < 0.5 else ""
        elif u < 0.05:
            phone = f"0550-{int(rng.integers(2000000, 9999999))}"
    town = ctx.p_town[p]
    v = rng.random()
    if not fact and v < 0.10:
        town = ""
    elif not fact and v < 0.15:
        town = ctx.city.townships[int(rng.integers(len(ctx.city.townships)))].name
    values: dict[str, object] = {
        "工单编号": _ticket_no(counters, t.day),
        "来电时间": (t.day, t.second),
        "诉求人": pop.names[p],
        "联系电话": phone,
        "身份证号": pop.ids[p] if t.with_id else "",
        "诉求类型": t.kind,
        "诉求内容": t.text,
        "所属乡镇（街道）": town,
    }
    return pop.ids[p], values, fact, bool(ctx.p_safe[p]), "resident"


def _outsider_record(
    ctx: Context,
    rng: np.random.Generator,
    first_day: int,
    chunk_towns: np.ndarray,
    towns: tuple,
    counters: Counters,
) -> tuple[str, dict[str, object], bool, bool, str]:
    counters.outsider += 1
    day = ctx.today - int(rng.integers(0, ctx.today - first_day + 1))
    year = np.array([int(rng.integers(1950, 2004))])
    name = nm.random_names(rng, 1, year)[0]
    town = towns[int(chunk_towns[int(rng.integers(len(chunk_towns)))])].name
    kind = KINDS[int(rng.choice(4, p=KIND_P))]
    template = TEXTS[kind][int(rng.integers(len(TEXTS[kind])))]
    values: dict[str, object] = {
        "工单编号": _ticket_no(counters, day),
        "来电时间": (day, int(rng.integers(8 * 3600, 20 * 3600))),
        "诉求人": name,
        "联系电话": phone_number(ctx.people_total + counters.outsider, int(rng.integers(39))),
        "身份证号": "",
        "诉求类型": kind,
        "诉求内容": template.format(village=town, town=town),
        "所属乡镇（街道）": town,
    }
    return "", values, False, False, "unknown"


def _known_phones(roster: Table, tickets: Table) -> set[str]:
    """Phones the state holds: in the roster's 联系电话, or on a ticket with a valid ID."""
    known = {
        phone
        for phone, pid in zip(roster.col("联系电话"), roster.person_id, strict=True)
        if phone and pid
    }
    for phone, id_text in zip(tickets.col("联系电话"), tickets.col("身份证号"), strict=True):
        if phone and isinstance(id_text, str) and is_valid_id(id_text):
            known.add(phone)
    return known
