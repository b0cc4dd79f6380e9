"""Analysts' explain: everything the state knows about why one household is (or is not) warned.

For one household of the state's latest completed run: every signal (its code, label, tier
and the text warnings.csv published for it), each signal's evidence records, the members,
how each record that concerns the household was linked to its person (method, score and the
comparison levels the matcher stored), the income computation of policy.md step by step as
the scoring models computed it (sql/40_score/household_income.sql's columns, with the inputs
they read), and the household's warnings across runs and its dispositions.

Read-only: every statement is a query of sql/80_analyst/ (the engine may be opened
read-only). The state keeps the linking and scoring tables of its latest run only, so the
explanation is of that run; another as-of date is refused with a message saying so.

The result holds no full ID, phone number or name: they are masked as they are read
(monitor.privacy), so that the object can be printed or logged as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from monitor import matching
from monitor.engine import Engine
from monitor.errors import ExplainError, PolicyError, UnknownHouseholdError
from monitor.policy import load_policy
from monitor.privacy import mask_id, mask_name, mask_phone, mask_text
from monitor.signals import CATALOG, TIER_LABELS, assistance

log = logging.getLogger(__name__)

METHOD_LABELS = {
    "exact": "精确匹配（身份证号有效）",
    "repaired": "修复后精确匹配（身份证号经无损修复）",
    "fuzzy": "模糊匹配",
    "review-decided": "人工复核认定为同一人",
    "review": "待人工复核",
    "unmatched": "未关联到人",
    "quarantined": "已隔离（无可用的身份信息）",
}
# the clean layer's id_status in words (normalize.py); check-export's table uses them too
ID_STATUS_LABELS = {
    "valid": "身份证号有效",
    "repaired": "身份证号已修复",
    "bad_check": "身份证号校验位错误",
    "truncated": "身份证号被截断",
    "missing": "缺少身份证号",
    "invalid": "身份证号无法识别",
}
MEMBERSHIP_LABELS = {"roster": "低收入人口库", "rural": "防返贫监测", "other": "其他部门数据"}
SEX_LABELS = {"M": "男", "F": "女"}
SUPPRESSED_NOTE = "另有已核实处置的信号暂不提示"
_ID_LIKE = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")


# ---------------------------------------------------------------- the result


@dataclass(frozen=True)
class Evidence:
    """One evidence record of a signal (source label, file, row, date, amount, what it says)."""

    source_label: str
    file: str | None
    row: int | None
    date: dt.date | None
    amount: Decimal | None
    says: str
    person: str  # masked name and ID
    method: str | None  # how the record was linked (METHOD_LABELS' keys)


@dataclass(frozen=True)
class SignalExplained:
    code: str
    label: str
    tier: str  # red / orange / yellow / review: the highest of its records
    published: str | None  # the signal's text in warnings.csv (masked); None: not published
    held_back: str | None  # the disposition that holds it back, when one does
    worse_since: str | None  # the disposition it got worse since, when raised again
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Member:
    name: str  # masked
    id: str  # masked
    phone: str  # masked
    relation: str | None
    head: bool
    sex: str | None
    age: int | None
    alive: bool
    death_date: dt.date | None
    membership: str


@dataclass(frozen=True)
class RecordLink:
    """How one record that concerns the household was linked to its person."""

    source_label: str
    file: str | None
    row: int
    record_name: str  # masked, as on the record
    id_status: str
    person: str  # masked name and ID of the person it is attached to ("" for nobody)
    method: str  # METHOD_LABELS' keys
    score: float | None
    levels: str | None  # the comparison levels (name, phone, township, block)
    note: str | None  # a review candidate, a decision, a version


@dataclass(frozen=True)
class IncomeStep:
    label: str
    text: str


@dataclass(frozen=True)
class HistoryEntry:
    run_id: str
    as_of: dt.date
    tier: str | None  # None: not warned in that run
    codes: tuple[str, ...]
    deadline: dt.date | None


@dataclass(frozen=True)
class DispositionEntry:
    code: str
    label: str
    outcome: str
    decided_on: dt.date
    tier: str | None
    amount: Decimal | None
    note: str  # masked
    caseworker: str  # masked
    answers_run: str | None
    from_workbook: bool


@dataclass(frozen=True)
class Explanation:
    household_key: str
    run_id: str
    as_of: dt.date
    current: bool  # the latest run knows the household (else: history and dispositions only)
    summary: tuple[tuple[str, str], ...]  # (what, value) lines of the household's facts
    warned: bool
    tier: str | None
    score: float | None
    codes: tuple[str, ...]
    assistance: str
    signals: tuple[SignalExplained, ...]
    members: tuple[Member, ...]
    records: tuple[RecordLink, ...]
    income: tuple[IncomeStep, ...]
    history: tuple[HistoryEntry, ...]
    dispositions: tuple[DispositionEntry, ...]
    notes: tuple[str, ...]
    # what the exports say the household already receives (一户一条救助链), item by item
    received: tuple[str, ...] = ()
    received_text: str = ""  # as warnings.csv's assistance_received says it

    def text(self) -> str:
        """The explanation for the terminal, in Chinese (personal data masked)."""
        return _render(self)


# ---------------------------------------------------------------- building it


def explain(engine: Engine, household_key: str, as_of: dt.date | None = None) -> Explanation:
    """Explain household `household_key` from the state's latest completed run.

    ``as_of`` defaults to that run's as-of date; another date is refused (ExplainError), as is
    a state without a completed run. A key the state does not know raises
    UnknownHouseholdError. Only queries run: the state is not changed.
    """
    key = household_key.strip()
    run = _explained_run(engine, as_of)
    when: dt.date = run["as_of"]
    params = {"household_key": key, "as_of": when}
    household = engine.query("80_analyst/explain_household.sql", params)
    history = engine.query("80_analyst/explain_history.sql", params)
    dispositions = engine.query("80_analyst/explain_dispositions.sql", params)
    if household.is_empty() and history["tier"].is_null().all() and dispositions.is_empty():
        raise UnknownHouseholdError(_unknown_message(key))
    notes = list(run["notes"])
    if household.is_empty():
        notes.append(
            f"{when} 的运行中已没有这个家庭（其成员的记录不在当前数据中）：下面只有历次预警与处置记录。"
        )
        return Explanation(
            household_key=key,
            run_id=run["run_id"],
            as_of=when,
            current=False,
            summary=(),
            warned=False,
            tier=None,
            score=None,
            codes=(),
            assistance="",
            signals=(),
            members=(),
            records=(),
            income=(),
            history=_history(history),
            dispositions=_dispositions(dispositions, ()),
            notes=tuple(notes),
        )
    row = household.row(0, named=True)
    members = engine.query("80_analyst/explain_members.sql", params)
    signals = engine.query("80_analyst/explain_signals.sql", params)
    evidence = engine.query("80_analyst/explain_evidence.sql", params)
    records = engine.query("80_analyst/explain_records.sql", params)
    pairs = engine.query("80_analyst/explain_pairs.sql", params)
    settlements = engine.query("80_analyst/explain_settlements.sql", params)
    names = _names(members, signals, evidence, records)
    policy, policy_note = _run_policy(run)
    if policy_note:
        notes.append(policy_note)
    codes = tuple(row["codes"].split(";")) if row["codes"] else ()
    received = engine.query("80_analyst/explain_assistance.sql", params)
    return Explanation(
        household_key=key,
        run_id=run["run_id"],
        as_of=when,
        current=True,
        summary=_summary(row),
        warned=bool(row["warned"]),
        tier=row["tier"],
        score=row["score"],
        codes=codes,
        assistance=_assistance(row),
        signals=_signals(row, signals, evidence, names),
        members=_members(members),
        records=_records(records, pairs, names),
        income=_income(row, members, settlements, policy),
        history=_history(history),
        dispositions=_dispositions(dispositions, names),
        notes=tuple(notes),
        received=_received(received, policy),
        received_text=str(received["assistance_received"][0] or "") if received.height else "",
    )


def _received(frame: pl.DataFrame, policy: dict[str, float | int] | None) -> tuple[str, ...]:
    """What the household already receives, one line per item with the export it comes from
    (household_assistance's columns; the medical window from the run's policy, if readable)."""
    if frame.is_empty():
        return ()
    window = f"近{policy['medical_months']}个月" if policy else "医疗统计期内"
    r = frame.row(0, named=True)
    lines = []
    if r["monthly_benefit"] is not None:
        lines.append(f"{r['benefit_label']} {_yuan(r['monthly_benefit'])} 元/月"
                     "（低收入人口库 月保障金额，户主所在行）")  # fmt: skip
    if r["medical_assistance"] is not None:
        lines.append(f"医疗救助 {_yuan(r['medical_assistance'])} 元（医保结算明细 医疗救助支付，"
                     f"{window} {r['medical_settlements']} 笔结算，退费已冲抵）")  # fmt: skip
    if r["education_aided_students"] is not None:
        amount = "金额未填" if r["education_aid"] is None else f"{_yuan(r['education_aid'])} 元"
        lines.append(f"教育资助 {amount}（学籍与资助 资助金额，最近学年，"
                     f"{r['education_aided_students']} 名学生）")  # fmt: skip
    if r["in_renovation"]:
        lines.append("已纳入危房改造（住房安全 是否纳入危房改造）")
    if r["unemployment_benefit_members"] is not None:
        lines.append(f"失业保险金 {r['unemployment_benefit_members']} 人"
                     "（就业参保 是否领取失业保险金）")  # fmt: skip
    return tuple(lines)


def _explained_run(engine: Engine, as_of: dt.date | None) -> dict[str, Any]:
    """The completed run whose tables the state holds (the last one to finish), checked
    against ``as_of``; with notes on a later run that did not complete."""
    runs = engine.query("80_analyst/explain_runs.sql")
    completed = runs.filter(pl.col("status") == "completed").sort(
        "finished_at", descending=True, nulls_last=True
    )
    if completed.is_empty():
        raise ExplainError("状态库中还没有完成的运行：请先运行 `monitor run`，再查看家庭说明。")
    run = completed.row(0, named=True)
    if as_of is not None and as_of != run["as_of"]:
        raise ExplainError(
            f"状态库保存的信号、证据与收入明细来自监测日期 {run['as_of']} 的运行，没有 {as_of} 的："
            f"请不带 --as-of（或用 --as-of {run['as_of']}）查看；说明中列有历次运行的预警与处置记录。"
        )
    later = runs.filter(
        (pl.col("status") != "completed") & (pl.col("started_at") > run["finished_at"])
    )
    notes = [
        f"运行 {r['run_id']} 在其后开始但未完成（状态 {r['status']}）：若它已完成评分，"
        "以下明细可能来自该次运行。分析请使用夜间运行完成后发布的状态库副本。"
        for r in later.iter_rows(named=True)
    ]
    return {**run, "notes": notes}


def _unknown_message(key: str) -> str:
    shown = mask_text(key)
    hint = (
        "这看起来像身份证号，请输入家庭编号。"
        if _ID_LIKE.match(key)
        else "请核对编号（区分大小写，如 341102-2020-000022、XC:… 或 GR:…）。"
    )
    return (
        f"状态库中没有家庭编号「{shown}」的家庭：{hint}"
        "家庭编号见本次输出的 warnings.csv 的 household_key 列（乡镇工作簿的“家庭编号”列）。"
    )


def _run_policy(run: dict[str, Any]) -> tuple[dict[str, float | int] | None, str | None]:
    """The parameters of the policy file the run used, read again (the same content only)."""
    path = run.get("policy_file")
    if not path:
        return None, "运行未记录所用的政策文件：收入计算中的政策参数未显示。"
    try:
        policy, digest = load_policy(Path(path))
    except PolicyError as exc:
        log.warning("explain: cannot read the run's policy file again: %s", exc)
        return None, "运行所用的政策文件已无法读取：收入计算中的政策参数未显示。"
    if run.get("policy_hash") and digest != run["policy_hash"]:
        return None, "运行所用的政策文件此后已改动：收入计算中的政策参数未显示。"
    return policy.params(), None


def _names(*frames: pl.DataFrame) -> tuple[str, ...]:
    """Every name of a person the explanation shows, for masking free text."""
    found: set[str] = set()
    for frame in frames:
        for column in ("name", "person_name", "record_name"):
            if column in frame.columns:
                found |= {n for n in frame[column].to_list() if n}
    return tuple(found)


def _person(name: str | None, person_id: str | None) -> str:
    if not person_id:
        return ""
    return f"{mask_name(name) or '（姓名未知）'}（{mask_id(person_id)}）"


def _summary(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    county = row["county_name"] or row["county"] or ""
    place = " ".join(p for p in (county, row["township"], row["village"]) if p)
    kind = row["kind"] or ""
    if row["category"]:
        kind += f"（{row['category']}，{row['status'] or '状态未填'}）"
    elif row["membership"] == "rural":
        kind += (
            f"（防返贫监测{('，' + row['monitoring_class']) if row['monitoring_class'] else ''}）"
        )
    lines = [
        ("类型", kind),
        ("所在地", place),
        ("人数", f"{row['size']} 人（在世 {row['living_size']} 人）"),
        ("绿色通道", "是" if row["green_channel"] else "否"),
    ]
    if row["urban_rural"]:
        lines.append(("城乡类别", row["urban_rural"]))
    if row["exited_long_ago"]:
        lines.append(("说明", "已退出救助超过监测期，只在有严重困难信号时提示"))
    return tuple(lines)


def _assistance(row: dict[str, Any]) -> str:
    if not row["code_tiers"]:
        return ""
    return assistance(
        row["code_tiers"],
        row["category"],
        row["exit_months"],
        bool(row["no_member_left"]),
        row["status"],
    )


def _published(explanation: str | None) -> tuple[dict[str, str], str | None]:
    """warnings.csv's explanation cut into its signals' parts (【tier】label：…。), by code,
    and the closing note on signals held back (when there is one)."""
    if not explanation:
        return {}, None
    by_label = {s.label: code for code, s in CATALOG.items()}
    labels = "|".join(re.escape(label) for label in sorted(by_label, key=len, reverse=True))
    tiers = "|".join(TIER_LABELS.values())
    starts = list(re.finditer(f"【(?:{tiers})】({labels})：", explanation))
    parts: dict[str, str] = {}
    note = None
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(explanation)
        part = explanation[match.start() : end]
        if SUPPRESSED_NOTE in part:
            part, _, rest = part.partition(SUPPRESSED_NOTE)
            note = SUPPRESSED_NOTE + rest
        parts[by_label[match.group(1)]] = part
    return parts, note


def _signals(
    row: dict[str, Any], signals: pl.DataFrame, evidence: pl.DataFrame, names: tuple[str, ...]
) -> tuple[SignalExplained, ...]:
    published, _ = _published(row["explanation"])
    out = []
    for code in dict.fromkeys(signals["code"].to_list()):
        own = signals.filter(pl.col("code") == code)
        first = own.row(0, named=True)
        held = own.filter(pl.col("suppressed"))
        raised = own.filter(~pl.col("suppressed"))
        held_back = None
        if raised.is_empty() and not held.is_empty():
            h = held.row(0, named=True)
            held_back = f"{h['disposed_on']} 已处置为「{h['disposition']}」，暂不提示"
        worse = own.filter(pl.col("worse_since_disposition"))
        worse_since = None
        if not worse.is_empty():
            w = worse.row(0, named=True)
            worse_since = f"{w['disposed_on']} {w['disposition']}，此后情况加重，重新提示"
        text = published.get(code)
        out.append(
            SignalExplained(
                code=code,
                label=first["label"],
                tier=first["signal_tier"],
                published=mask_text(text, names) if text else None,
                held_back=held_back,
                worse_since=worse_since,
                evidence=tuple(
                    Evidence(
                        source_label=e["source_label"] or e["source"] or "",
                        file=e["file_name"],
                        row=e["_row"],
                        date=e["event_date"],
                        amount=e["amount"],
                        says=mask_text(e["detail"], names),
                        person=_person(e["name"], e["person_id"]),
                        method=e["method"],
                    )
                    for e in evidence.filter(pl.col("code") == code).iter_rows(named=True)
                ),
            )
        )
    return tuple(out)


def _members(members: pl.DataFrame) -> tuple[Member, ...]:
    return tuple(
        Member(
            name=mask_name(m["name"]),
            id=mask_id(m["person_id"]),
            phone=mask_phone(m["phone"]),
            relation=m["relation"],
            head=bool(m["is_head"]),
            sex=SEX_LABELS.get(m["sex"] or ""),
            age=m["age"],
            alive=bool(m["alive"]),
            death_date=m["death_date"],
            membership=m["membership"],
        )
        for m in members.iter_rows(named=True)
    )


def _levels(pairs: pl.DataFrame) -> dict[tuple[str, str, int, str], str]:
    """The matcher's comparison levels of each candidate pair, as review.csv words them: the
    name level by matching.name_levels, the rest as candidate_pairs stores them."""
    if pairs.is_empty():
        return {}
    levels = matching.name_levels(
        pairs["rec_name"], pairs["cand_name"], pairs["rec_pinyin"], pairs["cand_pinyin"]
    )
    words = matching._levels_text(pairs, levels).to_list()
    keys = pairs.select("source", "file_hash", "_row", "person_id").rows()
    return {(s, f, r, p): w for (s, f, r, p), w in zip(keys, words, strict=True)}


def _records(
    records: pl.DataFrame, pairs: pl.DataFrame, names: tuple[str, ...]
) -> tuple[RecordLink, ...]:
    levels = _levels(pairs)
    scores = {
        (s, f, r, p): score
        for s, f, r, p, score in pairs.select(
            "source", "file_hash", "_row", "person_id", "score"
        ).rows()
    }
    out = []
    for r in records.iter_rows(named=True):
        method = r["method"]
        person_id = r["person_id"]
        notes = []
        key = (r["source"], r["file_hash"], r["_row"], person_id or r["review_candidate"])
        level = r["review_levels"] or levels.get(key)
        score = r["score"]
        if r["decided_same"] is True and person_id:
            method = "review-decided"
            notes.append(f"review.xlsx 于 {r['decided_at']:%Y-%m-%d} 认定")
        elif r["decided_same"] is False:
            notes.append(f"review.xlsx 于 {r['decided_at']:%Y-%m-%d} 认定不是候选人本人")
        if r["review_candidate"] and not person_id:
            candidate = _person(r["candidate_name"], r["review_candidate"])
            notes.append(f"候选人 {candidate}")
            score = r["review_score"]
        if method in ("exact", "repaired"):
            level = None
        if method == "fuzzy" and score is None:
            score = scores.get(key)
        if r["version"] in ("duplicate", "superseded"):
            notes.append(
                "重复报送的记录，另一版本计入"
                if r["version"] == "duplicate"
                else "已被更新的版本取代"
            )
        out.append(
            RecordLink(
                source_label=r["source_label"] or r["source"],
                file=r["file_name"],
                row=r["_row"],
                record_name=mask_name(r["record_name"]),
                id_status=r["id_status"],
                person=_person(r["person_name"], person_id),
                method=method,
                score=score,
                levels=level,
                note=mask_text("；".join(notes), names) or None,
            )
        )
    return tuple(out)


def _yuan(value: Any) -> str:
    """An amount as the warnings say it: thousands separated, cents only when there are any."""
    number = float(value)
    return f"{number:,.0f}" if round(number, 2) == round(number) else f"{number:,.2f}"


def _share(value: float) -> str:
    return f"{100 * value:g}%"


def _income(
    row: dict[str, Any],
    members: pl.DataFrame,
    settlements: pl.DataFrame,
    policy: dict[str, float | int] | None,
) -> tuple[IncomeStep, ...]:
    """policy.md's household income, step by step: each input as the scoring models read it
    and each result as sql/40_score/household_income.sql computed it (nothing recomputed)."""
    p = policy or {}
    size = row["income_size"] if row["income_size"] is not None else row["living_size"]
    steps: list[IncomeStep] = []
    # 1. recorded income
    recorded = row["recorded_income"]
    if row["roster_monthly_income"] is not None:
        text = f"低收入人口库登记的家庭月总收入 {_yuan(recorded)} 元"
    elif recorded is not None:
        text = (
            f"防返贫监测家庭人均纯收入 {_yuan(row['rural_income_year'])} 元/年 ÷ 12 × {size} 人"
            f" = {_yuan(recorded)} 元/月"
        )
    else:
        text = "无（低收入人口库与防返贫监测名单均无收入记录）"
    steps.append(IncomeStep("登记收入", text))
    # 2. HR income, member by member
    deduction = p.get("employment_cost_deduction")
    excluded = p.get("basic_pension_excluded")
    lines = []
    for m in members.filter(pl.col("hr_file").is_not_null()).iter_rows(named=True):
        who = mask_name(m["name"]) or mask_id(m["person_id"])
        if not m["alive"]:
            lines.append(f"{who}：已故，不计入")
            continue
        if m["monthly_wage"] is None and m["monthly_pension"] is None:
            lines.append(f"{who}：人社记录的工资、养老金均为空，不计入（空白不按 0 计）")
            continue
        parts = []
        if m["monthly_wage"] is not None:
            cost = (
                f"（1 − {_share(float(deduction))}）"
                if deduction is not None
                else "（1 − 就业成本扣除比例）"
            )
            parts.append(f"月工资 {_yuan(m['monthly_wage'])} 元 × {cost}")
        pension, kind = m["monthly_pension"], m["pension_type"]
        if pension is not None:
            if kind == "职工基本养老保险":
                parts.append(f"职工基本养老保险 {_yuan(pension)} 元（全额计入）")
            elif kind == "城乡居民基本养老保险":
                base = f"{_yuan(excluded)} 元" if excluded is not None else "部分"
                parts.append(
                    f"城乡居民基本养老保险 {_yuan(pension)} 元（扣除基础养老金 {base}后计入，不低于 0）"
                )
            else:
                parts.append(f"养老金 {_yuan(pension)} 元（类型「{kind or '未填'}」，不计入）")
        source = f"（{m['hr_file']} 第 {m['hr_row']} 行）"
        lines.append(f"{who}：" + " ＋ ".join(parts) + source)
    if row["hr_income"] is not None:
        total = f"合计 {_yuan(row['hr_income'])} 元/月"
    else:
        total = "无（没有成员的人社工资或养老金可计入）"
    steps.append(IncomeStep("人社收入", "；".join([*lines, total])))
    # 3. household income
    income = row["income"]
    if income is None:
        steps.append(IncomeStep("家庭月收入", "未知（既无登记收入也无人社收入）：收入类规则不适用"))
        return tuple(steps)
    which = (
        "人社收入"
        if row["hr_income"] is not None and (recorded is None or row["hr_income"] > recorded)
        else "登记收入"
    )
    steps.append(
        IncomeStep("家庭月收入", f"登记收入与人社收入取较大者（{which}）：{_yuan(income)} 元/月")
    )
    # 4. rigid expenditure
    months = p.get("medical_months")
    window = f"近 {months} 个月" if months else "医疗窗口期内"
    schooling = row.get("schooling_expenditure") or 0
    medical = row.get("medical_expenditure")
    if medical is None:
        medical = row["rigid_expenditure"]
    if settlements.is_empty():
        rigid = f"{window}无医疗结算记录：0 元/月"
    else:
        divisor = f"÷ {months}" if months else "按月平均"
        rigid = (
            f"{window}医疗个人自付合计 {_yuan(row['oop_window'])} 元（{settlements.height} 笔结算"
            f"{'，退费已冲抵' if (settlements['oop'] < 0).any() else ''}）{divisor}"
            f" = {_yuan(medical)} 元/月"
        )
    if schooling > 0:  # plan §二(八) 就学: the policy's schooling_cost of each member 在读
        rigid += (
            f"；就学（在读成员按学段计）{_yuan(schooling)} 元/月"
            f"；合计 {_yuan(row['rigid_expenditure'])} 元/月"
        )
    steps.append(IncomeStep("刚性支出", rigid))
    # 5. per capita income and the standard
    per_capita = row["per_capita"]
    if per_capita is None:
        steps.append(IncomeStep("人均收入", "家庭无在世成员，不计算人均收入"))
    else:
        text = (
            f"（{_yuan(income)} − {_yuan(row['rigid_expenditure'])}）÷ {size} 人"
            f" = {_yuan(per_capita)} 元/月"
        )
        if per_capita < 0:
            text += "（医疗支出超过收入，按人均 0 元/月说明）"
        steps.append(IncomeStep("人均收入", text))
    standard = row["standard"]
    area = ""
    if p:
        if standard == p.get("dibao_standard_urban"):
            area = "（城市）"
        elif standard == p.get("dibao_standard_rural"):
            area = "（农村）"
    text = f"{_yuan(standard)} 元/人·月{area}"
    if per_capita is not None:
        text += "；" + _compared(per_capita, standard, p)
    steps.append(IncomeStep("低保标准", text))
    steps.append(
        IncomeStep(
            "家庭年收入",
            f"12 × {_yuan(income)} = {_yuan(row['annual_income'])} 元（扣除刚性支出前；"
            "“医疗自付费用高”按此比较）",
        )
    )
    return tuple(steps)


def _compared(per_capita: float, standard: float, p: dict[str, float | int]) -> str:
    if per_capita < standard:
        return "人均收入低于低保标准"
    edge, exit_ = p.get("edge_multiplier"), p.get("gradual_exit_multiplier")
    if edge is None or exit_ is None:
        return "人均收入不低于低保标准"
    parts = []
    if per_capita < edge * standard:
        parts.append(f"在标准的 1 至 {edge:g} 倍（{_yuan(edge * standard)} 元）之间")
    if per_capita < exit_ * standard:
        parts.append(f"低于标准的 {exit_:g} 倍（{_yuan(exit_ * standard)} 元，渐退线）")
    else:
        parts.append(f"达到标准的 {exit_:g} 倍（{_yuan(exit_ * standard)} 元，退出线）")
    return "人均收入" + "，".join(parts)


def _history(history: pl.DataFrame) -> tuple[HistoryEntry, ...]:
    return tuple(
        HistoryEntry(
            run_id=h["run_id"],
            as_of=h["as_of"],
            tier=h["tier"],
            codes=tuple(h["codes"].split(";")) if h["codes"] else (),
            deadline=h["deadline"],
        )
        for h in history.iter_rows(named=True)
    )


def _dispositions(frame: pl.DataFrame, names: tuple[str, ...]) -> tuple[DispositionEntry, ...]:
    return tuple(
        DispositionEntry(
            code=d["code"],
            label=d["label"] or (CATALOG[d["code"]].label if d["code"] in CATALOG else d["code"]),
            outcome=d["outcome"],
            decided_on=d["decided_on"],
            tier=d["tier"],
            amount=d["amount"],
            note=mask_text(d["note"], names),
            caseworker=mask_name(d["caseworker"]),
            answers_run=d["issued_run_id"],
            from_workbook=bool(d["from_workbook"]),
        )
        for d in frame.iter_rows(named=True)
    )


# ---------------------------------------------------------------- the text


def _tier(tier: str | None) -> str:
    return TIER_LABELS.get(tier or "", tier or "")


def _label(code: str) -> str:
    signal = CATALOG.get(code)
    return f"{signal.label}（{code}）" if signal else code


def _render(e: Explanation) -> str:
    out = [f"家庭 {e.household_key} 的说明（监测日期 {e.as_of}，运行 {e.run_id}）"]
    out += [f"注意：{n}" for n in e.notes]
    out += [f"{what}：{value}" for what, value in e.summary]
    if e.current:
        if e.warned:
            out.append(
                f"本次预警：{_tier(e.tier)}，评分 {e.score:g}，信号 "
                + "、".join(_label(c) for c in e.codes)
            )
            if e.assistance:
                out.append(f"救助建议：{e.assistance.replace(';', '；')}")
            if e.received_text:
                out.append(e.received_text)
        else:
            out.append("本次未预警。")

    out += ["", f"一、信号（{len(e.signals)} 个）"]
    if not e.signals:
        out.append("  无")
    for i, s in enumerate(e.signals, 1):
        out.append(f"  {i}. {s.code} {s.label}：{_tier(s.tier)}")
        if s.published:
            out.append(f"     预警说明：{s.published}")
        if s.held_back:
            out.append(f"     处置：{s.held_back}")
        if s.worse_since:
            out.append(f"     处置：{s.worse_since}")
        out.append(f"     证据（{len(s.evidence)} 条）：")
        for ev in s.evidence:
            out.append(f"       - {_evidence_line(ev)}")

    out += ["", f"二、家庭成员（{len(e.members)} 人）"]
    if not e.members:
        out.append("  无")
    for m in e.members:
        facts = [m.id]
        if m.head:
            facts.append("户主")
        if m.relation and not (m.head and m.relation == "本人"):
            facts.append(f"与户主关系 {m.relation}")
        if m.sex:
            facts.append(m.sex)
        if m.age is not None:
            facts.append(f"{m.age} 岁")
        if m.phone:
            facts.append(f"电话 {m.phone}")
        facts.append(f"{m.death_date} 死亡" if not m.alive else "在世")
        facts.append(f"来自{MEMBERSHIP_LABELS.get(m.membership, m.membership)}")
        out.append(f"  {m.name or '（姓名未知）'}：" + "，".join(facts))

    out += ["", f"三、记录如何关联到人（{len(e.records)} 条）"]
    if not e.records:
        out.append("  无")
    for r in e.records:
        where = f"{r.source_label} {r.file or ''} 第 {r.row} 行".strip()
        said = f"记录姓名 {r.record_name or '（空）'}，{ID_STATUS_LABELS.get(r.id_status, r.id_status)}"
        how = METHOD_LABELS.get(r.method, r.method)
        if r.score is not None:
            how += f"，得分 {r.score:.4f}"
        line = f"  {where}（{said}）→ {r.person or '（无人）'}：{how}"
        if r.levels:
            line += f"；比对 {r.levels}"
        if r.note:
            line += f"；{r.note}"
        out.append(line)

    out += ["", "四、收入计算（policy.md：家庭收入）"]
    if not e.income:
        out.append("  无")
    for i, step in enumerate(e.income, 1):
        out.append(f"  {i}. {step.label}：{step.text}")

    out += ["", "五、历次运行的预警"]
    if not e.history:
        out.append("  无")
    for h in e.history:
        if h.tier is None:
            out.append(f"  {h.as_of}（运行 {h.run_id}）：未预警")
            continue
        line = f"  {h.as_of}（运行 {h.run_id}）：{_tier(h.tier)}，信号 " + "、".join(
            _label(c) for c in h.codes
        )
        if h.deadline:
            line += f"，处置时限 {h.deadline}"
        out.append(line)

    out += ["", f"六、处置记录（{len(e.dispositions)} 条）"]
    if not e.dispositions:
        out.append("  无")
    for d in e.dispositions:
        facts = [d.outcome]
        if d.tier:
            facts.append(f"当时{_tier(d.tier)}")
        if d.amount is not None:
            facts.append(f"金额 {_yuan(d.amount)}")
        if d.caseworker:
            facts.append(f"核实人 {d.caseworker}")
        if d.note:
            facts.append(f"备注 {d.note}")
        if d.answers_run:
            facts.append(f"答复 {d.answers_run} 的预警")
        facts.append("来自退回的乡镇工作簿" if d.from_workbook else "命令行录入")
        out.append(f"  {d.decided_on} {d.label}（{d.code}）：" + "，".join(facts))

    if e.current:
        out += ["", "七、已享受的救助（一户一条救助链，依据各部门数据）"]
        out += [f"  {line}" for line in e.received] or ["  各部门数据中未见该户已享受的救助。"]
    return "\n".join(out)


def _evidence_line(ev: Evidence) -> str:
    if ev.file is None:
        where = f"{ev.source_label}（由多个来源计算，无单条记录）"
    else:
        where = f"{ev.source_label} {ev.file} 第 {ev.row} 行"
    facts = [where]
    if ev.date:
        facts.append(str(ev.date))
    if ev.amount is not None and ev.file is not None:  # an income signal's is in its text
        facts.append(f"金额 {_yuan(ev.amount)}")
    line = "，".join(facts) + f"：{ev.says}"
    if ev.person:
        line += f"（{ev.person}"
        if ev.method:
            line += f"，{METHOD_LABELS.get(ev.method, ev.method)}"
        line += "）"
    return line
