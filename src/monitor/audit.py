"""Supervision (plan §三(四) 随机检查、县级互查、第三方机构抽查): a reproducible random sample of
recent decisions per township, checked by another county (`monitor audit-sample`).

The decisions drawn from (sql/80_analyst/audit_items.sql) are the latest completed run's
warnings (the system's decision: 预警) and the caseworkers' dispositions of the last
`audit.window_days` (核实结果). Each township gives up to N of them, drawn without
replacement with chances in proportion to the policy's `audit.weights` of the decision's
kind (× `audit.suppressed_factor` when a 已核实 answer now holds back a signal the data still
shows): weighted random sampling by keys (Efraimidis–Spirakis), each decision's key
−ln(u)/weight with u from a SHA-256 of the seed and the decision's item, the N smallest
keys drawn. The same state and seed give the same sample (and byte-identical files);
another seed another. The seed defaults to the run's as-of date.

Each county's sample is one workbook, to be checked by another county (县级互查): the
counties' codes sorted and rotated by a shift of 1 to k−1 taken from the seed, so that no
county checks itself and each checks one. The workbook is masked like the township workbooks
(names shown, IDs and phones masked) and signed like them (the hidden 校验 sheet, an HMAC
keyed by the state's secret); `monitor feedback` imports its 检查结论 (feedback.py), which the
report counts per township.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from monitor.engine import Engine, connect
from monitor.errors import AuditSampleError
from monitor.geography import load_city
from monitor.policy import Audit, default_policy_path, load_policy
from monitor.privacy import mask_id, mask_phone, mask_text
from monitor.signals import CATALOG, TIER_LABELS
from monitor.workbooks import (
    FORMAT_VERSION,
    ListColumn,
    column_signatures,
    list_cell_text,
    row_signature,
    write_list_workbook,
)

AUDIT_SHEET = "抽查清单"
AUDIT_KIND = "audit"  # the 校验 sheet's 类型
FINDINGS = ("决定正确", "决定有误", "无法核实")
WARNING_KIND, DISPOSITION_KIND = "预警", "核实结果"
SYSTEM = "系统（监测预警）"

# The columns of audit_sample_<as-of>.csv (docs/outputs.md)
AUDIT_CSV_COLUMNS = ("item", "county", "checked_by", "township", "village", "household_key",
                     "kind", "codes", "decision", "decided_by", "decided_on", "suppressed",
                     "weight", "rank", "member_ids", "seed")  # fmt: skip

# The audit workbook's list: every column but 序号 and the fill-in ones is signed.
AUDIT_COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("序号", 5, lambda r: r["number"]),
    ListColumn("抽查编号", 22, lambda r: r["item"], "wrap"),
    ListColumn("乡镇（街道）", 10, lambda r: r["township"], "wrap"),
    ListColumn("村（社区）", 10, lambda r: r["village"], "wrap"),
    ListColumn("家庭编号", 18, lambda r: r["household_key"], "wrap"),
    ListColumn("家庭成员", 26, lambda r: r["members"], "wrap"),
    ListColumn("联系电话", 13, lambda r: r["phones"], "wrap"),
    ListColumn("抽查类型", 8, lambda r: r["kind"]),
    ListColumn("预警信号", 16, lambda r: r["signals"], "wrap"),
    ListColumn("决定内容", 14, lambda r: r["decision"], "wrap"),
    ListColumn("决定人", 10, lambda r: r["decided_by"], "wrap"),
    ListColumn("决定日期", 11, lambda r: r["decided_on"]),
    ListColumn("信号暂停提示", 7, lambda r: r["suppressed_text"]),
    ListColumn("核实备注", 20, lambda r: r["note"], "wrap"),
    ListColumn("检查结论", 11, None, choices=FINDINGS),
    ListColumn("检查日期", 11, None, "date"),
    ListColumn("检查人", 8, None),
    ListColumn("检查意见", 20, None, "wrap"),
)
AUDIT_HEADER = [c.header for c in AUDIT_COLUMNS]
SIGNED_HEADERS = [c.header for c in AUDIT_COLUMNS if c.value is not None and c.header != "序号"]
CHECK_HEADER = ["抽查编号", "信号", "校验码", "单元格校验码"]


def draw_key(seed: str, item: str, weight: float) -> float:
    """A decision's sampling key: −ln(u)/weight, u in (0, 1) from SHA-256(seed, item); the
    smallest keys are drawn (a weight twice as large, twice the chance to come first)."""
    digest = hashlib.sha256(f"{seed}\x1f{item}".encode()).digest()
    u = (int.from_bytes(digest[:8], "big") + 0.5) / 2**64
    return -math.log(u) / weight


def item_weight(audit: Audit, kind: str, outcome: str | None, suppressed: bool) -> float:
    """The decision's weight: its kind's (a warning: 预警; a disposition: its 核实结果, the
    largest when one day gave several), × suppressed_factor when it holds a signal back."""
    if kind == WARNING_KIND:
        weight = audit.weights[WARNING_KIND]
    else:
        weight = max(audit.weights.get(o, 1.0) for o in (outcome or "其他").split(";"))
    return weight * (audit.suppressed_factor if suppressed else 1.0)


def checker_counties(codes: list[str], seed: str) -> dict[str, str]:
    """Which county checks each county's sample: the sorted codes rotated by a shift of 1 to
    k−1 from the seed (never a county itself; each county checks exactly one)."""
    ordered = sorted(set(codes))
    if len(ordered) < 2:
        raise AuditSampleError(
            "config/city.yaml 只有一个区县，无法县级互查：请在 city.yaml 中列出全市各区县。"
        )
    digest = hashlib.sha256(f"{seed}\x1fcounties".encode()).digest()
    shift = 1 + int.from_bytes(digest[:8], "big") % (len(ordered) - 1)
    return {c: ordered[(i + shift) % len(ordered)] for i, c in enumerate(ordered)}


def draw(items: pl.DataFrame, audit: Audit, per_township: int, seed: str) -> pl.DataFrame:
    """Up to `per_township` items of each (county, township), the smallest keys, with their
    weight and rank (1 first), by county, township, rank."""
    weights = [
        item_weight(audit, r["kind"], r["outcome"], bool(r["suppressed"]))
        for r in items.select("kind", "outcome", "suppressed").iter_rows(named=True)
    ]
    keyed = items.with_columns(
        pl.Series("weight", weights, dtype=pl.Float64),
        pl.Series("draw", [draw_key(seed, i, w) for i, w in zip(items["item"], weights,
                                                                 strict=True)],
                  dtype=pl.Float64),
    )  # fmt: skip
    ranked = keyed.sort("county", "township", "draw", "item", nulls_last=True).with_columns(
        pl.int_range(1, pl.len() + 1).over("county", "township").alias("rank")
    )
    return ranked.filter(pl.col("rank") <= per_township)


@dataclass
class AuditSample:
    """The sample (`items`: full IDs, for the owner-only CSV) and its counts by county (no
    personal data in `lines()`)."""

    run_id: str
    as_of: dt.date
    seed: str
    per_township: int
    items: pl.DataFrame
    population: int
    outside_city: int
    checkers: dict[str, str]
    county_names: dict[str, str]
    csv: Path | None = None
    workbooks: int = 0
    # county, its checker, decisions drawn: all, 核实结果, of them 不符合条件, holding a signal back
    by_county: list[tuple[str, str, int, int, int, int]] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"抽查样本：依据 {self.as_of} 的运行，抽样种子 {self.seed!r}，每个乡镇（街道）至多"
            f" {self.per_township} 条；可抽的决定 {self.population} 条"
            f"（最近一次预警名单与近期核实结果），抽中 {self.items.height} 条："
        ]
        for county, checker, n, decided, ineligible, held in self.by_county:
            lines.append(f"  {county}：{n} 条（预警 {n - decided} 条，核实结果 {decided} 条，其中"
                         f"不符合条件 {ineligible} 条、信号暂停提示 {held} 条），由 {checker} 检查")  # fmt: skip
        if self.outside_city:
            lines.append(f"另有 {self.outside_city} 条决定的家庭不属本市区县，未抽查。")
        if self.csv is not None:
            lines.append(f"已写出 {self.csv}（含完整身份证号，仅限本人读取）及 {self.workbooks} 个区县互查工作簿"
                         f"（{self.csv.with_suffix('')}/），检查后经 monitor feedback 导入。")  # fmt: skip
        return lines

    def text(self) -> str:
        return "\n".join(self.lines())


def audit_sample(
    state: Path,
    per_township: int,
    seed: str | None = None,
    *,
    policy_file: Path | None = None,
    dest: Path | None = None,
) -> AuditSample:
    """The sample of the published state copy `state` (read-only) at its latest completed
    run; with `dest`, audit_sample_<as-of>.csv and one workbook per county written there."""
    if per_township < 1:
        raise AuditSampleError(f"--per-township {per_township}：每个乡镇至少抽 1 条")
    city = load_city()
    names = {c.code: c.name for c in city.counties}
    with connect(state, read_only=True) as engine:
        last = engine.run("00_state/last_completed_run.sql")
        if not last:
            raise AuditSampleError(f"{state}：状态库中还没有完成的运行，请先运行 monitor run。")
        run_id, as_of = str(last[0][0]), last[0][1]
        policy, _ = load_policy(policy_file or default_policy_path(as_of))
        seed = as_of.isoformat() if seed is None else seed
        items = engine.query(
            "80_analyst/audit_items.sql",
            {"as_of": as_of, "window_days": policy.audit.window_days},
        )
        population = items.height
        inside = items.filter(pl.col("county").is_in(list(names)))
        checkers = checker_counties(list(names), seed)
        sample = draw(inside, policy.audit, per_township, seed).with_columns(
            pl.col("county").replace_strict(checkers, default=None).alias("checked_by")
        )
        members = _members(engine, sample)
        secret = engine.value("50_publish/secret.sql", {"name": "workbook_hmac"})
    if secret is None:
        raise AuditSampleError(f"{state}：状态库中没有工作簿签名密钥，请先完成一次 monitor run。")
    rows = _rows(sample, members)
    result = AuditSample(
        run_id=run_id, as_of=as_of, seed=seed, per_township=per_township,
        items=_csv_frame(sample, rows, seed), population=population,
        outside_city=population - inside.height, checkers=checkers, county_names=names,
    )  # fmt: skip
    for county in sorted({r["county"] for r in rows}):
        mine = [r for r in rows if r["county"] == county]
        decided = [r for r in mine if r["kind"] == DISPOSITION_KIND]
        ineligible = sum(1 for r in decided if "已核实-不符合条件" in (r["outcome"] or ""))
        held = sum(1 for r in decided if r["suppressed"])
        result.by_county.append((names[county], names[checkers[county]], len(mine),
                                 len(decided), ineligible, held))  # fmt: skip
    if dest is not None:
        _write(result, rows, dest, bytes.fromhex(str(secret)))
    return result


def _members(engine: Engine, sample: pl.DataFrame) -> dict[str, list[dict[str, Any]]]:
    keys = pl.DataFrame({"household_key": sample["household_key"].unique().sort()},
                        schema={"household_key": pl.String})  # fmt: skip
    with engine.registered("audit_households", keys):
        frame = engine.query("80_analyst/audit_members.sql")
    out: dict[str, list[dict[str, Any]]] = {}
    for m in frame.iter_rows(named=True):
        out.setdefault(m["household_key"], []).append(m)
    return out


def _decision(r: dict[str, Any]) -> str:
    if r["kind"] == WARNING_KIND:
        return f"{TIER_LABELS.get(r['tier'] or '', r['tier'] or '')}预警"
    return (r["outcome"] or "").replace(";", "、")


def _rows(sample: pl.DataFrame, members: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The sampled decisions as the workbook shows them (names, masked IDs and phones)."""
    rows = []
    for r in sample.iter_rows(named=True):
        people = members.get(r["household_key"], [])
        names = [m["name"] for m in people if m["name"]]
        member_text = "；".join(
            f"{m['name'] or '（姓名未知）'} {mask_id(m['person_id'])}"
            + ("★" if m["warned"] else "")
            for m in people
        )
        codes = [c for c in (r["codes"] or "").split(";") if c]
        rows.append(r | {
            "township": r["township"] or "待分派",
            "village": r["village"] or "",
            "members": member_text,
            "phones": "；".join(sorted({mask_phone(m["phone"]) for m in people} - {""})),
            "signals": "、".join(CATALOG[c].label if c in CATALOG else c for c in codes),
            "decision": _decision(r),
            "decided_by": SYSTEM if r["kind"] == WARNING_KIND else (r["caseworker"] or "（未填写）"),
            "decided_on": r["decided_on"].isoformat(),
            "suppressed_text": "" if r["kind"] == WARNING_KIND else "是" if r["suppressed"] else "否",
            "note": mask_text(r["note"], names),
            "member_ids": ";".join(m["person_id"] for m in people),
        })  # fmt: skip
    return rows


def _csv_frame(sample: pl.DataFrame, rows: list[dict[str, Any]], seed: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "item": sample["item"],
            "county": sample["county"],
            "checked_by": sample["checked_by"],
            "township": [r["township"] for r in rows],
            "village": sample["village"],
            "household_key": sample["household_key"],
            "kind": sample["kind"],
            "codes": sample["codes"],
            "decision": [r["decision"] for r in rows],
            "decided_by": [r["decided_by"] for r in rows],
            "decided_on": [r["decided_on"] for r in rows],
            "suppressed": sample["suppressed"],
            "weight": sample["weight"],
            "rank": sample["rank"].cast(pl.Int64),
            "member_ids": [r["member_ids"] for r in rows],
            "seed": [seed] * sample.height,
        },
        schema_overrides={"village": pl.String, "codes": pl.String},
    ).select(AUDIT_CSV_COLUMNS)


def scope(county: str, checker: str, seed: str) -> str:
    """What a row's signature is bound to besides its run: the workbook's county, checker and
    seed (a row moved to another county's workbook does not match)."""
    return f"{AUDIT_KIND}:{county}:{checker}:{seed}"


def signed_values(row: dict[str, Any]) -> list[str]:
    """The signed cells of a row as text, in SIGNED_HEADERS' order."""
    return [
        list_cell_text(c.value(row))
        for c in AUDIT_COLUMNS
        if c.value is not None and c.header != "序号"
    ]


def workbook_file(county_names: dict[str, str], county: str, checker: str) -> str:
    """``琅琊区_由南谯区检查.xlsx``."""
    return f"{county_names[county]}_由{county_names[checker]}检查.xlsx"


def _write(result: AuditSample, rows: list[dict[str, Any]], dest: Path, secret: bytes) -> None:
    from monitor.publish import write_analyst_files

    name = f"audit_sample_{result.as_of}"

    def books(folder: Path) -> int:
        counties = sorted({r["county"] for r in rows})
        for county in counties:
            write_county_workbook(folder, result, [r for r in rows if r["county"] == county],
                                  county, secret)  # fmt: skip
        return len(counties)

    result.workbooks = write_analyst_files(dest, f"{name}.csv", result.items, name, books)
    result.csv = dest.resolve() / f"{name}.csv"


def write_county_workbook(
    folder: Path, result: AuditSample, rows: list[dict[str, Any]], county: str, secret: bytes
) -> Path:
    """One county's sample, to be checked by its checker county, signed row by row."""
    names = result.county_names
    checker = result.checkers[county]
    where = scope(county, checker, result.seed)
    check_rows = []
    for number, r in enumerate(rows, start=1):
        r["number"] = number
        values = signed_values(r)
        extra = [r["codes"] or ""]
        check_rows.append([
            r["item"], r["codes"] or "",
            row_signature(secret, result.run_id, where, [*values, *extra]),
            column_signatures(secret, result.run_id, where, SIGNED_HEADERS, values),
        ])  # fmt: skip
    title = (
        f"{names[county]} 随机抽查清单（县级互查：由{names[checker]}检查；监测日期 {result.as_of}，"
        f"抽样种子 {result.seed}）共 {len(rows)} 条：请逐条核查后在“检查结论”中选择，"
        "经 monitor feedback 导入　内部资料 注意保密"
    )
    path = folder / workbook_file(names, county, checker)
    write_list_workbook(
        path, sheet=AUDIT_SHEET, title=title, label=f"{names[county]}（{names[checker]}检查）",
        columns=AUDIT_COLUMNS, rows=rows, as_of=result.as_of, across=2,
        check_meta=[["格式", FORMAT_VERSION], ["运行", result.run_id], ["类型", AUDIT_KIND],
                    ["区县", county, checker], ["种子", result.seed]],
        check_header=CHECK_HEADER, check_rows=check_rows,
    )  # fmt: skip
    return path
