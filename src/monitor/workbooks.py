"""The caseworkers' workbooks: one per township, names shown, IDs and phones masked.

Sheet 预警名单: one row per household with tier colours, explanation, 救助建议,
deadline and the two columns caseworkers fill in (核实结果 with a drop-down, 备注),
which the feedback import reads back. Sheet 证据明细: one row per evidence record.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import polars as pl
import xlsxwriter

from monitor.contracts import source_label
from monitor.privacy import mask_id, mask_phone
from monitor.signals import CATALOG, TIER_LABELS

OUTCOMES = ["已核实-已救助", "已核实-不符合条件", "已核实-已纳入低保", "无法联系", "其他"]
TIER_COLOURS = {"red": "#F8CBAD", "orange": "#FCE4D6", "yellow": "#FFF2CC", "review": "#DDEBF7"}
MAIN_HEADER = [
    "序号", "预警等级", "状态", "家庭编号", "类型", "村（社区）", "涉及成员", "联系电话",
    "预警信号", "情况说明", "救助建议", "绿色通道", "处置时限", "核实结果", "备注",
]  # fmt: skip
EVIDENCE_HEADER = [
    "家庭编号", "成员姓名", "身份证号", "预警信号", "等级", "数据来源", "文件", "行号", "日期", "金额", "说明",
]  # fmt: skip
FIXED_TIME = dt.datetime(2000, 1, 1)


def workbook_name(county: str, township: str) -> str:
    """``341102_琅琊街道.xlsx``; characters a file system dislikes become ``_``."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", township or "待分派")
    return f"{county}_{safe}.xlsx"


def write_township_workbooks(
    folder: Path,
    warnings: pl.DataFrame,
    evidence: pl.DataFrame,
    people: pl.DataFrame,
    as_of: dt.date,
) -> int:
    """Write one workbook per (county, township) that has warnings; returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {r["person_id"]: (r["name"], r["phone"]) for r in people.iter_rows(named=True)}
    by_household = evidence.partition_by("household_key", as_dict=True, maintain_order=True)
    count = 0
    groups = warnings.partition_by(["county", "township"], as_dict=True, maintain_order=True)
    for (county, township), rows in sorted(
        groups.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))
    ):
        path = folder / workbook_name(str(county), str(township))
        ev = [by_household[(k,)] for k in rows["household_key"].to_list() if (k,) in by_household]
        _write_workbook(
            path, str(township), rows, pl.concat(ev) if ev else evidence.clear(), names, as_of
        )
        count += 1
    return count


def _write_workbook(
    path: Path,
    township: str,
    rows: pl.DataFrame,
    evidence: pl.DataFrame,
    names: dict[str, tuple[str | None, str | None]],
    as_of: dt.date,
) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties(
        {"title": f"{township} 低收入人口动态监测预警名单 {as_of}", "created": FIXED_TIME}
    )
    head = wb.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    text = wb.add_format({"num_format": "@", "valign": "top"})
    editable = wb.add_format({"locked": False, "bg_color": "#E2EFDA", "valign": "top"})
    tier_formats = {
        t: wb.add_format({"bg_color": c, "valign": "top", "bold": True})
        for t, c in TIER_COLOURS.items()
    }

    ws = wb.add_worksheet("预警名单")
    ws.write_row(0, 0, MAIN_HEADER, head)
    for i, r in enumerate(rows.iter_rows(named=True), start=1):
        members = [m for m in (r["member_ids"] or "").split(";") if m]
        member_text = "；".join(
            f"{names.get(m, (None, None))[0] or '（姓名未知）'} {mask_id(m)}" for m in members
        )
        phones = sorted({mask_phone(names.get(m, (None, None))[1]) for m in members} - {""})
        codes = "、".join(CATALOG[c].label for c in r["codes"].split(";"))
        values = [
            i, TIER_LABELS[r["tier"]], r["status"], r["household_key"], r["kind"], r["village"],
            member_text, "；".join(phones), codes, r["explanation"],
            r["assistance"].replace(";", "；"), "是" if r["green_channel"] == "true" else "否",
            r["deadline"],
        ]  # fmt: skip
        for col, value in enumerate(values):
            fmt = tier_formats[r["tier"]] if col == 1 else (wrap if col in (6, 9, 10) else text)
            ws.write(i, col, value, fmt)
        ws.write_blank(i, 13, None, editable)
        ws.write_blank(i, 14, None, editable)
        # rows tall enough for the wrapped explanation (about 24 Chinese characters a line)
        lines = max(
            math.ceil(len(r["explanation"] or "") / 24), math.ceil(len(member_text) / 15), 1
        )
        ws.set_row(i, 15 * min(lines, 20))
    last = max(rows.height, 1)
    ws.data_validation(1, 13, last + 500, 13, {"validate": "list", "source": OUTCOMES})
    ws.freeze_panes(1, 4)
    # printed for home visits: landscape, one page wide, the header on every page
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.autofilter(0, 0, last, len(MAIN_HEADER) - 1)
    for col, width in enumerate([5, 8, 6, 20, 9, 12, 30, 14, 18, 60, 30, 8, 11, 16, 24]):
        ws.set_column(col, col, width)
    ws.protect("", {"autofilter": True, "sort": True, "format_columns": True})

    ev = wb.add_worksheet("证据明细")
    ev.write_row(0, 0, EVIDENCE_HEADER, head)
    for i, r in enumerate(evidence.iter_rows(named=True), start=1):
        name = names.get(r["person_id"], (None, None))[0] or ""
        values = [
            r["household_key"], name, mask_id(r["person_id"]), CATALOG[r["code"]].label,
            TIER_LABELS[r["tier"]], source_label(r["source"]), r["file_name"] or "",
            r["_row"], r["event_date"].isoformat() if r["event_date"] else "",
            float(r["amount"]) if r["amount"] is not None else "", r["detail"],
        ]  # fmt: skip
        ev.write_row(i, 0, values, text)
    ev.freeze_panes(1, 0)
    ev.set_landscape()
    ev.set_paper(9)
    ev.fit_to_pages(1, 0)
    ev.repeat_rows(0)
    for col, width in enumerate([20, 10, 20, 16, 6, 14, 28, 6, 11, 12, 60]):
        ev.set_column(col, col, width)
    wb.close()
