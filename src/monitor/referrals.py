"""Referral to departments (plan §二(五) 由相关部门依规纳入相应救助范围): each 救助建议 of a
warning belongs to one department (the policy file's ``referral`` mapping), and each
department gets its list, ``departments/<部门>.xlsx``.

One row per household and recommendation of that department: the members concerned with
their full IDs (the receiving department identifies people by ID; the folder is owner-only
like the rest of OUT), the signals behind the recommendation with their evidence, what the
household already receives (the assistance chain), the 处置时限, and four columns the
department fills: 办理结果 (a drop-down), 办理日期, 经办人, 备注. The list is signed like a
township workbook (a very hidden 校验 sheet, an HMAC per row and per protected cell, with the
state's key), and `monitor feedback` imports a returned list into ``referral_results``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from monitor.contracts import source_label
from monitor.engine import Engine
from monitor.policy import Policy
from monitor.signals import (
    CATALOG,
    TIER_LABELS,
    TIER_RANKS,
    base_recommendation,
    recommending_codes,
)
from monitor.workbooks import (
    CHECK_SHEET,
    FIRST_ROW,
    TITLE_ROW,
    Column,
    Job,
    _evidence_cell,
    _page_setup,
    _Styles,
    _write_rows,
    answer_sheet,
    cell_signatures,
    new_workbook,
    row_signature,
    seal,
    write_jobs,
)

REFERRAL_SHEET, REFERRAL_EVIDENCE_SHEET = "转介清单", "证据明细"
REFERRAL_KIND = "referral"  # the 校验 sheet's 类型: how the feedback import recognises a list
REFERRAL_FORMAT = "1"
REFERRAL_RESULTS = ["已纳入救助", "此前已享受", "不符合条件", "办理中", "其他"]
FOLDER = "departments"

# One row per (department, household, recommendation), in the lists' order.
REFERRAL_FRAME_COLUMNS = [
    "department", "household_key", "recommendation", "codes", "tier", "member_ids", "members",
    "signals", "detail", "county", "township", "village", "kind", "green_channel", "deadline",
    "assistance_received",
]  # fmt: skip


@dataclass
class Referral:
    """One row of a department's list as it shows it (full IDs)."""

    key: str
    tier: str
    county: str
    township: str
    village: str
    kind: str
    recommendation: str
    members: str
    signals: str
    detail: str
    received: str
    green_channel: str
    deadline: str
    codes: list[str]
    number: int = 0


REFERRAL_FILL_IN: tuple[Column, ...] = (
    Column("办理结果", 12, "text"),
    Column("办理日期", 11, "date"),
    Column("经办人", 8, "text"),
    Column("备注", 20, "wrap"),
)

# The first printed page holds who, what and by when; the texts follow on the pages across
# (each repeating the tier and the household key), the fill-in columns last.
REFERRAL_COLUMNS: tuple[Column, ...] = (
    Column("序号", 5, "text", lambda r: r.number),
    Column("预警等级", 7, "tier", lambda r: TIER_LABELS[r.tier]),
    Column("家庭编号", 18, "text", lambda r: r.key),
    Column("救助建议", 12, "wrap", lambda r: r.recommendation),
    Column("涉及成员（姓名 身份证号）", 26, "wrap", lambda r: r.members),
    Column("处置时限", 11, "text", lambda r: r.deadline),
    Column("区县", 7, "text", lambda r: r.county),
    Column("乡镇（街道）", 10, "wrap", lambda r: r.township),
    Column("村（社区）", 10, "wrap", lambda r: r.village),
    Column("预警信号", 14, "wrap", lambda r: r.signals),
    Column("情况说明", 44, "wrap", lambda r: r.detail),
    Column("已享受救助", 22, "wrap", lambda r: r.received),
    Column("类型", 8, "text", lambda r: r.kind),
    Column("绿色通道", 6, "text", lambda r: r.green_channel),
    *REFERRAL_FILL_IN,
)
REFERRAL_HEADER = [c.header for c in REFERRAL_COLUMNS]
REFERRAL_KEY = ("家庭编号", "救助建议")  # a row is found by these, never by position

REFERRAL_EVIDENCE_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("家庭编号", 20, "household_key"),
    ("救助建议", 16, "recommendation"),
    ("成员姓名", 10, "name"),
    ("身份证号", 20, "person_id"),
    ("预警信号", 14, "label"),
    ("数据来源", 14, "source_label"),
    ("文件", 28, "file_name"),
    ("行号", 6, "_row"),
    ("日期", 11, "date"),
    ("金额（元）", 12, "amount"),
    ("说明", 60, "detail"),
)


def scope(department: str) -> str:
    """What a department list's row signatures are bound to, besides the run (a township
    workbook's are bound to its township): a row cannot move between lists."""
    return f"{REFERRAL_KIND}:{department}"


def referral_frame(warnings: pl.DataFrame, signals: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """The departments' rows: for each warning (warnings.csv's rows, in their order) and each
    of its 救助建议 (in its order), the department the policy gives it, the signals of the
    household that give it, their highest tier, the members who carry them and their
    sentences. `signals` is 50_publish/referral_signals.sql's rows. Ordered by the policy's
    departments, then as warnings.csv (tier, score), then the recommendation's place."""
    by_signal = {(r["household_key"], r["code"]): r for r in signals.iter_rows(named=True)}
    departments = policy.referral.department_names()
    out: list[dict[str, Any]] = []
    for w in warnings.iter_rows(named=True):
        codes = w["codes"].split(";")
        for item in (w["assistance"] or "").split(";"):
            if not item:
                continue
            giving = recommending_codes(item, codes) or codes
            rows = [by_signal[(w["household_key"], c)] for c in giving
                    if (w["household_key"], c) in by_signal]  # fmt: skip
            tier = min((r["tier"] for r in rows), key=TIER_RANKS.__getitem__, default=w["tier"])
            ids = sorted({i for r in rows for i in (r["member_ids"] or "").split(";") if i})
            people = {}
            for r in rows:
                for person in (r["members"] or "").split("；"):
                    if person:
                        people[person.rsplit(" ", 1)[-1]] = person
            out.append({
                "department": policy.referral.department_of(base_recommendation(item)),
                "household_key": w["household_key"],
                "recommendation": item,
                "codes": ";".join(giving),
                "tier": tier,
                "member_ids": ";".join(ids) or w["member_ids"],
                "members": "；".join(people[i] for i in ids if i in people),
                "signals": "、".join(CATALOG[c].label for c in giving if c in CATALOG),
                "detail": "。".join(f"{r['label']}：{r['detail']}" for r in rows)
                + ("。" if rows else ""),
                "county": w["county"],
                "township": w["township"],
                "village": w["village"],
                "kind": w["kind"],
                "green_channel": w["green_channel"],
                "deadline": w["deadline"],
                "assistance_received": w.get("assistance_received"),
            })  # fmt: skip
    frame = pl.DataFrame(out, schema={c: pl.String for c in REFERRAL_FRAME_COLUMNS})
    order = {d: i for i, d in enumerate(departments)}
    return (
        frame.with_row_index("_order")
        .sort(pl.col("department").replace_strict(order, return_dtype=pl.Int32), "_order")
        .drop("_order")
    )


def _referrals(frame: pl.DataFrame, county_names: dict[str, str]) -> list[Referral]:
    out = []
    for number, r in enumerate(frame.iter_rows(named=True), start=1):
        out.append(
            Referral(
                key=r["household_key"],
                tier=r["tier"],
                county=county_names.get(r["county"] or "", r["county"] or ""),
                township=r["township"] or "",
                village=r["village"] or "",
                kind=r["kind"] or "",
                recommendation=r["recommendation"],
                members=r["members"] or "",
                signals=r["signals"] or "",
                detail=r["detail"] or "",
                received=r["assistance_received"] or "",
                green_channel="是" if r["green_channel"] == "true" else "否",
                deadline=r["deadline"] or "",
                codes=(r["codes"] or "").split(";"),
                number=number,
            )
        )
    return out


def protected_values(referral: Referral) -> list[Any]:
    """The values of a row's protected cells of 转介清单, in column order."""
    return [c.value(referral) for c in REFERRAL_COLUMNS if c.value is not None]


def department_file(department: str) -> str:
    """``departments/<部门>.xlsx``'s name (the policy file's department names are file-safe)."""
    return f"{department}.xlsx"


def department_jobs(
    folder: Path,
    referrals: pl.DataFrame,
    evidence: pl.DataFrame,
    names: dict[str, str],
    departments: Sequence[str],
    *,
    as_of: dt.date,
    run_id: str,
    secret: bytes,
    county_names: dict[str, str],
) -> list[Job]:
    """One job per department of the policy (every one of them: an empty list says so);
    `evidence` is the run's evidence records (publish.evidence_frame), `names` the members'
    names by ID. Each evidence record is listed once per department, with the department's
    recommendations it stands behind."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = (
        referrals.select("department", "household_key", "recommendation", "codes")
        .with_columns(pl.col("codes").str.split(";"))
        .explode("codes")
        .rename({"codes": "code"})
        .group_by("department", "household_key", "code", maintain_order=True)
        .agg(pl.col("recommendation").str.join("；"))
    )
    ev = evidence.join(wanted, on=["household_key", "code"], how="inner", maintain_order="left")
    by_department = referrals.partition_by("department", as_dict=True, maintain_order=True)
    ev_by_department = ev.partition_by("department", as_dict=True, maintain_order=True)
    jobs: list[Job] = []
    for department in departments:
        rows = _referrals(by_department.get((department,), referrals.clear()), county_names)
        records = ev_by_department.get((department,), ev.clear())
        args = (folder / department_file(department), department, rows, records, names, as_of,
                run_id, secret)  # fmt: skip
        jobs.append((_write_list, args, len(rows) + records.height))
    return jobs


def write_department_workbooks(
    folder: Path,
    referrals: pl.DataFrame,
    evidence: pl.DataFrame,
    names: dict[str, str],
    departments: Sequence[str],
    *,
    as_of: dt.date,
    run_id: str,
    secret: bytes,
    county_names: dict[str, str],
) -> int:
    """Write one list per department of the policy, in turn; returns how many (the nightly
    publish writes them with the township workbooks' jobs: publish_referrals)."""
    jobs = department_jobs(folder, referrals, evidence, names, departments, as_of=as_of,
                           run_id=run_id, secret=secret, county_names=county_names)  # fmt: skip
    write_jobs(jobs, parallel=False)
    return len(jobs)


def _title(department: str, as_of: dt.date, rows: list[Referral]) -> str:
    households = len({r.key for r in rows})
    return (
        f"{department} 转介清单（低收入人口动态监测，监测日期 {as_of}）共 {len(rows)} 项、"
        f"{households} 户：请核实办理后在“办理结果”列选择结果，退回民政部门导入。"
        "含完整身份证号，仅限部门内部使用，注意保密"
    )


def _evidence_value(r: dict[str, Any], field: str, names: dict[str, str]) -> Any:
    if field == "name":
        return names.get(r["person_id"] or "") or ""
    if field == "label":
        signal = CATALOG.get(r["code"])
        return signal.label if signal else r["code"]
    if field == "source_label":
        return source_label(r["source"])
    if field == "date":
        return r["event_date"].isoformat() if r["event_date"] else ""
    if field == "amount":
        return float(r["amount"]) if r["amount"] is not None else ""
    return r[field]


def _write_list(
    path: Path, department: str, rows: list[Referral], evidence: pl.DataFrame,
    names: dict[str, str], as_of: dt.date, run_id: str, secret: bytes,
) -> None:  # fmt: skip
    """Write one department's list (a job: a spawned process may run it), encrypted with
    the bureau's password when one is set, like the township workbooks."""
    _write_list_plain(path, department, rows, evidence, names, as_of=as_of, run_id=run_id,
                      secret=secret)  # fmt: skip
    seal(path)


def _write_list_plain(
    path: Path,
    department: str,
    rows: list[Referral],
    evidence: pl.DataFrame,
    names: dict[str, str],
    *,
    as_of: dt.date,
    run_id: str,
    secret: bytes,
) -> None:
    wb = new_workbook(path, f"{department} 转介清单 {as_of}")
    styles = _Styles(wb)
    label = f"{department} 转介清单"
    last = FIRST_ROW + max(len(rows), 1) - 1

    ws = wb.add_worksheet(REFERRAL_SHEET)
    ws.write_string(TITLE_ROW, 0, _title(department, as_of, rows), styles.title)
    _write_rows(ws, REFERRAL_COLUMNS, rows, styles, boxes=False)
    if not rows:
        ws.write_string(FIRST_ROW, 0, "本次没有转介给本部门的救助建议。", styles.text)
    answer_sheet(
        ws, REFERRAL_HEADER, ("办理结果", "办理日期"), REFERRAL_RESULTS, as_of, last, label
    )

    ev = wb.add_worksheet(REFERRAL_EVIDENCE_SHEET)
    for col, (header, width, _) in enumerate(REFERRAL_EVIDENCE_COLUMNS):
        ev.set_column(col, col, width)
        ev.write_string(0, col, header, styles.head)
    for i, record in enumerate(evidence.iter_rows(named=True), start=1):
        ev.write_cells(i, [_evidence_cell(_evidence_value(record, name, names), styles)
                           for _, _, name in REFERRAL_EVIDENCE_COLUMNS])  # fmt: skip
    ev.freeze_panes(1, 1)
    ev.autofilter(0, 0, max(evidence.height, 1), len(REFERRAL_EVIDENCE_COLUMNS) - 1)
    _page_setup(ev, label, (0, 0))
    ev.fit_to_pages(1, 0)
    ev.protect("", {"autofilter": True, "format_columns": True, "format_rows": True})

    check = wb.add_worksheet(CHECK_SHEET)
    check.write_row(0, 0, ["格式", REFERRAL_FORMAT])
    check.write_row(1, 0, ["运行", run_id])
    check.write_row(2, 0, ["类型", REFERRAL_KIND])
    check.write_row(3, 0, ["部门", department])
    check.write_row(5, 0, [*REFERRAL_KEY, "信号", "校验码", "单元格校验码"])
    where = scope(department)
    for i, r in enumerate(rows, start=6):
        values = protected_values(r)
        signature = row_signature(secret, run_id, where, [*values, ";".join(r.codes)])
        cells = cell_signatures(secret, run_id, where, values, REFERRAL_COLUMNS)
        check.write_cells(i, [(v, styles.text) for v in
                              (r.key, r.recommendation, ";".join(r.codes), signature, cells)])  # fmt: skip
    check.protect("")
    check.very_hidden()
    ws.activate()
    wb.close()


def record_referrals(engine: Engine, run_id: str, frame: pl.DataFrame) -> None:
    """Keep this run's department lists in the state (replacing an earlier run of the same
    as-of): what a department's returned result is recorded against."""
    engine.run("50_publish/referrals_forget.sql", {"run_id": run_id})
    with engine.registered("referral_rows", frame.select(REFERRAL_FRAME_COLUMNS)):
        engine.run("50_publish/referrals_remember.sql", {"run_id": run_id})


def referral_rows(engine: Engine, warnings: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """The departments' rows of the run's warnings (referral_frame over
    50_publish/referral_signals.sql)."""
    return referral_frame(warnings, engine.query("50_publish/referral_signals.sql"), policy)


def member_names(members: pl.DataFrame) -> dict[str, str]:
    """The members' names by ID (publish.members_frame), for the lists' evidence."""
    return {m["person_id"]: m["name"] for m in members.iter_rows(named=True) if m["name"]}
