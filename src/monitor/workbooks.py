"""The caseworkers' workbooks: one per township, names shown, IDs and phones masked.

Each workbook (``townships/<县区名>_<乡镇>.xlsx``) has four sheets, and one hidden:

- 预警清单: one row per household, read, filtered and filled in on screen: a title row,
  the header repeated on every printed page, borders, the tier as colour *and* word, and
  the four columns a caseworker fills (核实结果 from a drop-down, 核实日期, 核实人, 备注),
  the only unlocked cells of a protected sheet.
- 打印版: the same households in eleven columns laid out for A4 landscape at 100 %, with
  boxes to write in; what is written on paper is entered in 预警清单.
- 证据明细: every evidence record behind each warning, masked the same way.
- 汇总: counts by village × tier and by signal, with a chart.
- 校验 (very hidden): the run, the township, and per household its key, its signal codes
  and an HMAC of its protected cells (a key kept in the state), so that the feedback import
  recognises a foreign or tampered workbook and ties each row to its household by the
  visible 家庭编号, never by position.

Every column of a sheet is one row of its table (header, width, style, value, editable),
the one place the header, the cell and the feedback import agree on.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import io
import math
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
import xlsxwriter.workbook
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from monitor.contracts import source_label
from monitor.errors import OutputError
from monitor.privacy import mask_id, mask_phone, mask_text
from monitor.signals import CATALOG, TIER_LABELS

OUTCOMES = ["已核实-已救助", "已核实-不符合条件", "已核实-已纳入低保", "无法联系", "其他"]
# distinct in colour, and the tier's word in the cell for a black-and-white print
TIER_COLOURS = {"red": "#FF8F8F", "orange": "#FFC266", "yellow": "#FFF176", "review": "#BDD7EE"}
FIXED_TIME = dt.datetime(2000, 1, 1)


class _FastZipFile(zipfile.ZipFile):
    """The zip of a workbook deflated at level 1: of xlsxwriter's time on a large workbook
    about 40 % was zlib at its default level 6; level 1 writes it 1.6 x faster for files about
    a quarter larger (docs/benchmarks.md). xlsxwriter has no option for it: its module's
    ZipFile is replaced (tests/test_workbooks.py checks that the replacement takes)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", 1)
        super().__init__(*args, **kwargs)

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:  # fmt: skip
        # a ZipInfo given to writestr does not take the archive's level by itself
        level = self.compresslevel if compresslevel is None else compresslevel
        super().writestr(zinfo_or_arcname, data, compress_type, level)


xlsxwriter.workbook.ZipFile = _FastZipFile


class _StreamedWorksheet(Worksheet):
    """A worksheet whose rows become XML as soon as the next row is begun (xlsxwriter's
    constant_memory mode), kept in memory rather than in xlsxwriter's temporary file: a row
    is XML text, not a cell object per cell held until the workbook closes (民政's list at
    5M people: 139,047 rows and 256,047 evidence rows). Rows must be written in order. xlsxwriter ignores a cell it cannot
    place (an earlier row in this mode, a row past Excel's last) and returns a code: here
    that is an error, never a cell silently missing from a caseworker's list."""

    def _check_dimensions(self, row: int, col: int, ignore_row: bool = False,
                          ignore_col: bool = False) -> int:  # fmt: skip
        placed = super()._check_dimensions(row, col, ignore_row, ignore_col)
        if placed == -2:
            raise ValueError(f"sheet {self.name}: row {row} written after row {self.previous_row}")
        if placed == -1 and not (ignore_row or ignore_col):
            raise OutputError(
                f"工作表“{self.name}”需要写入第 {row + 1:,} 行第 {col + 1} 列，超出 Excel 的上限"
                f"（{self.xls_rowmax:,} 行、{self.xls_colmax:,} 列）：该清单无法完整写入一个工作表。"
                "本次输出未更新；请联系系统维护人员（按县区拆分该清单）。"
            )
        return placed

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize(init_data | {"constant_memory": False})
        self.constant_memory = True
        self.row_data_fh = io.StringIO()
        self.fh = self.row_data_fh

    def write_cells(self, row: int, cells: Sequence[tuple[Any, Any]], height: float | None = None,
                    ) -> None:  # fmt: skip
        """Row `row`'s cells from column A on, each (value, format): text, a number, or
        None for a blank formatted cell; and the row's height. The XML xlsxwriter's
        write_string / write_number / write_blank and set_row give, without its cell objects
        (tests/test_workbooks.py compares the bytes): half of publish's samples at 1M were
        xlsxwriter's per-cell path."""
        if not cells:
            return
        self._check_dimensions(row, 0)
        self._check_dimensions(row, len(cells) - 1)
        if row > self.previous_row:
            self._write_single_row(row)  # what xlsxwriter holds of the previous row
        elif self.table.get(row) or row in self.row_info:
            raise ValueError(f"sheet {self.name}: row {row} was begun by xlsxwriter")
        number = row + 1
        head = f'<row r="{number}">'
        pixels = None if height is None else int(height * 4.0 / 3.0 + 0.5)  # as set_row
        if pixels is not None and pixels != self.default_row_height:
            head = f'<row r="{number}" ht="{pixels * 0.75:.16g}" customHeight="1">'
        parts = [head]
        for col, (value, fmt) in enumerate(cells):
            ref = f"{_column_name(col)}{number}"
            style = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
            if value is None:
                if fmt is not None:  # as write_blank: a blank cell without a format is none
                    parts.append(f'<c r="{ref}"{style}/>')
            elif isinstance(value, int | float) and not isinstance(value, bool):
                parts.append(f'<c r="{ref}"{style}><v>{value:.16G}</v></c>')
            else:
                parts.append(_inline_string(ref, style, str(value)))
        parts.append("</row>")
        self.fh.write("".join(parts))

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
        # xlsxwriter takes a text "<r>…</r>" in this mode for rich text's raw XML: a value read
        # from an export is never that, so it is escaped like any other text
        self._xml_inline_string(string, _preserve_whitespace(string), attributes)

    def _opt_close(self) -> None:  # nothing to close: the rows are in memory
        pass

    def _opt_reopen(self) -> None:
        pass

    def _write_optimized_sheet_data(self) -> None:
        if self.dim_rowmin is None:
            self._xml_empty_tag("sheetData")
            return
        self._xml_start_tag("sheetData")  # the packager has written the last row
        self.fh.write(self.row_data_fh.getvalue())
        self._xml_end_tag("sheetData")
        self.row_data_fh = io.StringIO()


@functools.cache
def _column_name(col: int) -> str:
    return xl_col_to_name(col)


_CONTROL_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_NEEDS_WORK = re.compile(r"[&<>_\x00-\x08\x0b-\x1f\ufffe\uffff]")


def _inline_string(ref: str, style: str, text: str) -> str:
    """A text cell as xlsxwriter's constant_memory mode writes it (_write_cell): control
    characters as _xHHHH_ (and a literal _xHHHH_ escaped), &<> escaped, leading or trailing
    whitespace preserved."""
    if _NEEDS_WORK.search(text):
        text = _CONTROL_ESCAPED.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


class _Workbook(xlsxwriter.Workbook):
    worksheet_class = _StreamedWorksheet


def new_workbook(path: Path, title: str) -> xlsxwriter.Workbook:
    """A workbook the way every output workbook is made: text stays text (no number, formula
    or link is read into a cell), rows turned to XML as they are written (_StreamedWorksheet)
    and the file assembled in memory (no part of it, personal data, in a temporary file),
    with a fixed creation time (the same rows, the same bytes)."""
    wb = _Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                               "strings_to_urls": False, "in_memory": True})  # fmt: skip
    wb.set_properties({"title": title, "created": FIXED_TIME})
    return wb


# Set, every township workbook is encrypted with it (Excel's and WPS's "password to open",
# msoffcrypto-tool), and the feedback import opens returned ones with it.
PASSWORD_ENV = "MONITOR_WORKBOOK_PASSWORD"
# 2: 预警清单 has 已享受救助 (the assistance chain) after 救助建议; the feedback import reads a
# returned workbook by its own version's columns (MAIN_COLUMNS_BY_VERSION)
FORMAT_VERSION = "2"
UNROUTED = "待分派"
OUTSIDE_CITY = "市外"
MAIN_SHEET, PRINT_SHEET, EVIDENCE_SHEET, SUMMARY_SHEET, CHECK_SHEET = (
    "预警清单", "打印版", "证据明细", "汇总", "校验",
)  # fmt: skip
TITLE_ROW, HEADER_ROW, FIRST_ROW = 0, 1, 2  # of 预警清单 and 打印版
PRINT_EXPLANATION_CHARS = 70


@dataclass
class Household:
    """One warned household as its workbook rows show it (names, masked IDs and phones)."""

    key: str
    tier: str
    status: str
    kind: str
    village: str
    address: str
    members: str
    phones: str
    codes: list[str]
    signals: str
    explanation: str
    assistance: str
    green_channel: str
    deadline: str
    assistance_received: str = ""  # what the exports say it already receives
    number: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, width (Excel's units), style, and the cell's value
    for a household, or, for a column the caseworker fills, no value and editable."""

    header: str
    width: float
    style: str  # text | wrap | tier | date (the editable date cell)
    # of a Household (township workbooks) or a department list's row (referrals.Referral)
    value: Callable[[Any], Any] | None = None

    @property
    def editable(self) -> bool:
        return self.value is None


FILL_IN: tuple[Column, ...] = (
    Column("核实结果", 14, "text"),
    Column("核实日期", 11, "date"),
    Column("核实人", 8, "text"),
    Column("备注", 20, "wrap"),
)

MAIN_COLUMNS: tuple[Column, ...] = (
    Column("序号", 5, "text", lambda h: h.number),
    Column("预警等级", 7, "tier", lambda h: TIER_LABELS[h.tier]),
    Column("家庭编号", 20, "text", lambda h: h.key),
    Column("村（社区）", 14, "wrap", lambda h: h.village),
    Column("地址", 20, "wrap", lambda h: h.address),
    Column("家庭成员", 30, "wrap", lambda h: h.members),
    Column("联系电话", 14, "wrap", lambda h: h.phones),
    Column("预警信号", 16, "wrap", lambda h: h.signals),
    Column("情况说明", 48, "wrap", lambda h: h.explanation),
    Column("救助建议", 24, "wrap", lambda h: h.assistance),
    Column("已享受救助", 22, "wrap", lambda h: h.assistance_received),
    Column("绿色通道", 6, "text", lambda h: h.green_channel),
    Column("新增/持续", 6, "text", lambda h: h.status),
    Column("处置时限", 11, "text", lambda h: h.deadline),
    *FILL_IN,
)

# A4 landscape at 100 %: the widths add up to what LibreOffice and Excel print between 0.25"
# margins (about 105 units; docs/images/*-打印版.png shows the page)
PRINT_COLUMNS: tuple[Column, ...] = (
    Column("等级", 4.5, "tier", lambda h: TIER_LABELS[h.tier]),
    Column("家庭编号", 9.5, "wrap", lambda h: h.key),
    Column(
        "村（社区）及地址",
        11.5,
        "wrap",
        lambda h: "\n".join(v for v in (h.village, h.address) if v),
    ),
    Column("家庭成员", 14, "wrap", lambda h: h.members),
    Column("预警信号及说明", 19, "wrap", lambda h: f"{h.signals}：{_shortened(h.explanation)}"),
    Column("已享受救助", 10.5, "wrap", lambda h: _received_short(h.assistance_received)),
    Column("处置时限", 8.5, "text", lambda h: h.deadline),
    Column("核实结果", 8.5, "wrap"),
    Column("核实日期", 7.5, "wrap"),
    Column("核实人", 5.5, "wrap"),
    Column("备注", 6, "wrap"),
)


def _received_short(text: str) -> str:
    """打印版's 已享受救助: the items, one a line, without the lead word the header says."""
    return text.removeprefix("已享受：").replace("；", "\n")


EVIDENCE_COLUMNS: tuple[tuple[str, float, Callable[[dict[str, Any]], Any]], ...] = (
    ("家庭编号", 20, lambda r: r["household_key"]),
    ("成员姓名", 10, lambda r: r["name"]),
    ("身份证号", 20, lambda r: mask_id(r["person_id"])),
    ("预警信号", 16, lambda r: CATALOG[r["code"]].label),
    ("等级", 6, lambda r: TIER_LABELS[r["tier"]]),
    ("数据来源", 14, lambda r: source_label(r["source"])),
    ("文件", 28, lambda r: r["file_name"] or ""),
    ("行号", 6, lambda r: r["_row"]),
    ("日期", 11, lambda r: r["event_date"].isoformat() if r["event_date"] else ""),
    ("金额（元）", 12, lambda r: float(r["amount"]) if r["amount"] is not None else ""),
    ("说明", 60, lambda r: _evidence_text(r)),
    # a grid worker's visit: who visited, for the caseworker to ask (personal data: shown here
    # only, never in the other sheets, warnings.csv, the logs or the report)
    ("网格员", 8, lambda r: r.get("grid_worker") or ""),
)
GRID_DESCRIPTION_CHARS = 200  # of a grid worker's 情况描述 in 证据明细

MAIN_HEADER = [c.header for c in MAIN_COLUMNS]
# The columns of 预警清单 by the format version a workbook's 校验 sheet names: a workbook
# issued before an upgrade is still read back by the columns it was written with.
MAIN_COLUMNS_BY_VERSION: dict[str, tuple[Column, ...]] = {
    "1": tuple(c for c in MAIN_COLUMNS if c.header != "已享受救助"),
    FORMAT_VERSION: MAIN_COLUMNS,
}
EVIDENCE_HEADER = [c[0] for c in EVIDENCE_COLUMNS]


def _evidence_text(r: dict[str, Any]) -> str:
    """What an evidence record says; a grid worker's visit adds what they wrote (情况描述), the
    situation the caseworker goes to see: free text, so any ID or mobile number in it is masked
    (privacy.mask_text) before it is cut to GRID_DESCRIPTION_CHARS characters."""
    text = r["detail"] or ""
    description = mask_text((r.get("grid_description") or "").strip())
    if len(description) > GRID_DESCRIPTION_CHARS:
        description = description[: GRID_DESCRIPTION_CHARS - 1] + "…"
    return f"{text}；情况描述：{description}" if description else text


def _shortened(text: str) -> str:
    if len(text) <= PRINT_EXPLANATION_CHARS:
        return text
    return text[: PRINT_EXPLANATION_CHARS - 1] + "…（详见预警清单）"


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text)


def workbook_name(county_name: str | None, township: str | None) -> str:
    """``琅琊区_琅琊街道.xlsx``; a household not routed to a township goes to the county's
    ``<县区>_待分派.xlsx``, one whose county is outside the city to ``市外_待分派.xlsx`` (for
    the bureau). Characters a file system dislikes become ``_``."""
    if not county_name:
        return f"{OUTSIDE_CITY}_{UNROUTED}.xlsx"
    return f"{_safe(county_name)}_{_safe(township or UNROUTED)}.xlsx"


@functools.lru_cache(maxsize=4)
def _keyed(secret: bytes) -> hmac.HMAC:
    """An HMAC-SHA256 keyed with `secret` and fed nothing: copied for each signature (the
    key's padding is computed once, not for each of a night's million cells)."""
    return hmac.new(secret, digestmod=hashlib.sha256)


def row_signature(secret: bytes, run_id: str, township: str, values: Sequence[Any]) -> str:
    """The HMAC of a household row's protected cells (as text) in a workbook of `run_id` and
    `township`: what the feedback import recomputes from the returned workbook."""
    text = "\x1f".join([run_id, township, *("" if v is None else str(v) for v in values)])
    mac = _keyed(secret).copy()
    mac.update(text.encode("utf-8"))
    return mac.hexdigest()


def cell_signatures(
    secret: bytes, run_id: str, township: str, values: Sequence[Any],
    columns: Sequence[Column] = MAIN_COLUMNS,
) -> str:  # fmt: skip
    """Short HMACs of each protected cell of a row (with its column's header), `;`-joined:
    the feedback import names the cell that was changed."""
    headers = [c.header for c in columns if c.value is not None]
    return ";".join(
        row_signature(secret, run_id, township, [header, value])[:12]
        for header, value in zip(headers, values, strict=True)
    )


def protected_values(household: Household) -> list[Any]:
    """The values of a household's protected cells of 预警清单, in column order."""
    return [c.value(household) for c in MAIN_COLUMNS if c.value is not None]


def households(
    warnings: pl.DataFrame, members: pl.DataFrame, addresses: pl.DataFrame
) -> list[Household]:
    """The warned households as their workbook rows show them, in warnings.csv's order."""
    by_household: dict[str, list[dict[str, Any]]] = {}
    for m in members.iter_rows(named=True):
        by_household.setdefault(m["household_key"], []).append(m)
    address = dict(zip(addresses["household_key"], addresses["address"], strict=True))
    out = []
    for r in warnings.iter_rows(named=True):
        people = by_household.get(r["household_key"], [])
        member_text = "；".join(_member(m) for m in people)
        phones = sorted({mask_phone(m["phone"]) for m in people} - {""})
        village = r["village"] or f"村（社区）未知，依据记录的乡镇：{r['township'] or UNROUTED}"
        out.append(
            Household(
                key=r["household_key"],
                tier=r["tier"],
                status=r["status"],
                kind=r["kind"],
                village=village,
                address=address.get(r["household_key"]) or "",
                members=member_text,
                phones="；".join(phones),
                codes=r["codes"].split(";"),
                signals="、".join(CATALOG[c].label for c in r["codes"].split(";")),
                explanation=r["explanation"] or "",
                assistance=(r["assistance"] or "").replace(";", "；"),
                green_channel="是" if r["green_channel"] == "true" else "否",
                deadline=r["deadline"] or "",
                assistance_received=r.get("assistance_received") or "",
            )
        )
    return out


def _member(m: dict[str, Any]) -> str:
    text = f"{m['name'] or '（姓名未知）'} {mask_id(m['person_id'])}"
    if m["deceased"]:
        text += "（已故）"
    return text + ("★" if m["warned"] else "")


PARALLEL_WORKERS = 2  # the bureau's server has two cores
PARALLEL_FROM = 5000  # from this many warnings on, the workbooks are written by processes

# One workbook to write: a module-level function (a spawned process imports it) and its
# arguments, and how many rows it holds (the processes take the largest first).
Job = tuple[Callable[..., None], tuple[Any, ...], int]


def _write_one(
    path: Path, label: str, township: str, rows: list[Household], evidence: pl.DataFrame,
    as_of: dt.date, run_id: str, secret: bytes,
) -> None:  # fmt: skip
    _write_workbook(path, label, township, rows, evidence, as_of=as_of, run_id=run_id,
                    secret=secret)  # fmt: skip
    seal(path)


def seal(path: Path) -> None:
    """Encrypt a finished workbook with the bureau's password, when one is set."""
    password = workbook_password()
    if password:
        encrypt(path, password)


def _start_worker(temp: str | None) -> None:
    """A workbook process: its files are its owner's only, its temporary files in the
    state's private folder, like the run's own."""
    os.umask(0o077)
    import tempfile

    tempfile.tempdir = temp


def _write_in_processes(jobs: list[Job], workers: int) -> None:
    import multiprocessing
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent holds the engine's threads
    context = multiprocessing.get_context("spawn")
    largest_first = sorted(jobs, key=lambda job: -job[2])
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(tempfile.gettempdir(),)) as pool:  # fmt: skip
        for done in [pool.submit(write, *args) for write, args, _ in largest_first]:
            done.result()  # a failure is raised here, and publish keeps nothing of the run


def write_jobs(jobs: list[Job], *, parallel: bool) -> None:
    """Write the workbooks, independent of each other: by a process per core when
    `parallel` (a night with many warnings) and there are several cores, else in turn."""
    workers = min(os.cpu_count() or 1, PARALLEL_WORKERS)
    if parallel and workers > 1 and len(jobs) > 1:
        _write_in_processes(jobs, workers)
    else:
        for write, args, _ in jobs:
            write(*args)


def township_jobs(
    folder: Path,
    warnings: pl.DataFrame,
    evidence: pl.DataFrame,
    members: pl.DataFrame,
    addresses: pl.DataFrame,
    *,
    as_of: dt.date,
    run_id: str,
    secret: bytes,
    county_names: dict[str, str],
) -> list[Job]:
    """One job per (county, township) that has warnings (`write_township_workbooks`)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {m["person_id"]: m["name"] for m in members.iter_rows(named=True)}
    all_households = {h.key: h for h in households(warnings, members, addresses)}
    by_file: dict[str, tuple[str, str, list[Household]]] = {}
    for r in warnings.iter_rows(named=True):
        county_name = county_names.get(r["county"] or "")
        township = r["township"] if county_name else None
        if not township or township == UNROUTED:
            township = UNROUTED
        name = workbook_name(county_name, township)
        label = f"{county_name or OUTSIDE_CITY} {township}"
        by_file.setdefault(name, (label, township, []))[2].append(
            all_households[r["household_key"]]
        )
    evidence = evidence.with_columns(
        pl.col("person_id")
        .replace_strict(names, default=None, return_dtype=pl.String)
        .alias("name")
    )
    by_key = evidence.partition_by("household_key", as_dict=True, maintain_order=True)
    jobs: list[Job] = []
    for name, (label, township, rows) in sorted(by_file.items()):
        for number, h in enumerate(rows, start=1):
            h.number = number
        parts = [by_key[(h.key,)] for h in rows if (h.key,) in by_key]
        ev = pl.concat(parts) if parts else evidence.clear()
        args = (folder / name, label, township, rows, ev, as_of, run_id, secret)
        jobs.append((_write_one, args, len(rows) + ev.height))
    return jobs


def write_township_workbooks(
    folder: Path,
    warnings: pl.DataFrame,
    evidence: pl.DataFrame,
    members: pl.DataFrame,
    addresses: pl.DataFrame,
    *,
    as_of: dt.date,
    run_id: str,
    secret: bytes,
    county_names: dict[str, str],
    parallel_from: int = PARALLEL_FROM,
) -> int:
    """Write one workbook per (county, township) that has warnings; returns how many.

    `county_names` maps the city's county codes to their names; a county not in it is
    outside the city. From `parallel_from` warnings on, the workbooks (independent of each
    other) are written by a process per core."""
    jobs = township_jobs(folder, warnings, evidence, members, addresses, as_of=as_of,
                         run_id=run_id, secret=secret, county_names=county_names)  # fmt: skip
    write_jobs(jobs, parallel=warnings.height >= parallel_from)
    return len(jobs)


class _Styles:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_size": 10, "border": 1, "valign": "top", "font_name": "宋体"}
        self.title = wb.add_format({"font_size": 12, "bold": True, "font_name": "宋体"})
        self.title_wrap = wb.add_format({"font_size": 11, "bold": True, "font_name": "宋体",
                                         "text_wrap": True, "valign": "top"})  # fmt: skip
        self.head = wb.add_format(base | {"bold": True, "bg_color": "#D9D9D9", "text_wrap": True,
                                          "align": "center", "valign": "vcenter"})  # fmt: skip
        self.text = wb.add_format(base | {"num_format": "@"})
        self.wrap = wb.add_format(base | {"num_format": "@", "text_wrap": True})
        self.number = wb.add_format(base)
        self.fill = wb.add_format(base | {"locked": False, "bg_color": "#E2EFDA", "num_format": "@",
                                          "text_wrap": True})  # fmt: skip
        self.fill_date = wb.add_format(base | {"locked": False, "bg_color": "#E2EFDA",
                                               "num_format": "yyyy-mm-dd"})  # fmt: skip
        self.box = wb.add_format(base | {"text_wrap": True})  # 打印版's boxes to write in
        self.tiers = {
            t: wb.add_format(base | {"bg_color": c, "bold": True, "align": "center"})
            for t, c in TIER_COLOURS.items()
        }

    def of(self, column: Column, household: Any) -> Any:
        if column.style == "tier":
            return self.tiers[household.tier]
        if column.editable:
            return self.fill_date if column.style == "date" else self.fill
        return self.wrap if column.style == "wrap" else self.text


def _page_setup(ws: Worksheet, label: str, header_rows: tuple[int, int]) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.25, right=0.25, top=0.5, bottom=0.5)
    ws.repeat_rows(*header_rows)
    ws.set_header(f"&L{label} 低收入人口动态监测预警&R内部资料 注意保密")
    ws.set_footer("&C第 &P 页 共 &N 页")


def _row_height(household: Any, columns: Sequence[Column]) -> float:
    """Tall enough for the wrapped texts (a Chinese character is about two width units)."""
    lines = 1
    for c in columns:
        if c.value is None or c.style != "wrap":
            continue
        text = str(c.value(household) or "")
        per_line = max(int(c.width / 2) - 1, 1)
        lines = max(lines, sum(math.ceil(max(len(p), 1) / per_line) for p in text.split("\n")))
    return 14 * min(lines, 28) + 2


def _write_rows(ws: Worksheet, columns: Sequence[Column], rows: Sequence[Any],
                styles: _Styles, *, boxes: bool) -> None:  # fmt: skip
    for col, c in enumerate(columns):
        ws.set_column(col, col, c.width)
    ws.write_row(HEADER_ROW, 0, [c.header for c in columns], styles.head)
    for i, h in enumerate(rows):
        cells: list[tuple[Any, Any]] = []
        for c in columns:
            if c.value is None:
                cells.append((None, styles.box if boxes else styles.of(c, h)))
                continue
            value = c.value(h)
            if isinstance(value, int):  # 序号: a number, so that Excel sorts it as one
                cells.append((value, styles.number))
            else:
                cells.append((str(value or ""), styles.of(c, h)))
        ws.write_cells(FIRST_ROW + i, cells, max(_row_height(h, columns), 40 if boxes else 0))


def _evidence_cell(value: Any, styles: _Styles) -> tuple[Any, Any]:
    """An evidence sheet's cell: a number (行号, 金额) as a number, anything else as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value, styles.number
    return str(value or ""), styles.wrap


def _title(label: str, as_of: dt.date, rows: Sequence[Household]) -> str:
    counts = "，".join(
        f"{TIER_LABELS[t]} {sum(1 for h in rows if h.tier == t)} 户" for t in TIER_COLOURS
    )
    return f"{label} 低收入人口动态监测预警清单（监测日期 {as_of}）共 {len(rows)} 户：{counts}　内部资料 注意保密"


def answer_sheet(
    ws: Worksheet, header: Sequence[str], answer: tuple[str, str], choices: Sequence[str],
    as_of: dt.date, last: int, label: str,
) -> None:  # fmt: skip
    """Make a written sheet of rows to answer (预警清单, a department's 转介清单) what its
    users fill in: a drop-down of `choices` in the answer's column and a date after the
    as-of date in its date column, frozen panes, a filter, the print setup, and protection
    of every cell but the unlocked fill-in ones."""
    result, date = (header.index(h) for h in answer)
    ws.data_validation(FIRST_ROW, result, last, result, {
        "validate": "list", "source": list(choices),
        "error_title": answer[0], "error_message": f"请从下拉列表中选择{answer[0]}。",
    })  # fmt: skip
    ws.data_validation(FIRST_ROW, date, last, date, {
        "validate": "date", "criteria": "between",
        "minimum": as_of, "maximum": as_of + dt.timedelta(days=400),
        "error_title": answer[1], "error_message": f"请填写 {as_of} 之后的日期，如 {as_of + dt.timedelta(days=3)}。",
    })  # fmt: skip
    ws.freeze_panes(FIRST_ROW, 3)
    ws.autofilter(HEADER_ROW, 0, last, len(header) - 1)
    _page_setup(ws, label, (TITLE_ROW, HEADER_ROW))
    # printed at 100 % (never shrunk below a readable size): the wide sheet runs over two
    # or three pages across, each with the tier and household key
    ws.repeat_columns(0, header.index("家庭编号"))
    ws.print_across()
    ws.protect("", {"autofilter": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})  # fmt: skip


def _write_workbook(
    path: Path,
    label: str,
    township: str,
    rows: list[Household],
    evidence: pl.DataFrame,
    *,
    as_of: dt.date,
    run_id: str,
    secret: bytes,
) -> None:
    wb = new_workbook(path, f"{label} 低收入人口动态监测预警名单 {as_of}")
    styles = _Styles(wb)
    last = FIRST_ROW + max(len(rows), 1) - 1

    ws = wb.add_worksheet(MAIN_SHEET)
    ws.write_string(TITLE_ROW, 0, _title(label, as_of, rows), styles.title)
    _write_rows(ws, MAIN_COLUMNS, rows, styles, boxes=False)
    answer_sheet(ws, MAIN_HEADER, ("核实结果", "核实日期"), OUTCOMES, as_of, last, label)

    pr = wb.add_worksheet(PRINT_SHEET)
    # the title wraps within the page's width: two lines
    pr.merge_range(TITLE_ROW, 0, TITLE_ROW, len(PRINT_COLUMNS) - 1,
                   _title(label, as_of, rows) + "。纸上填写后请录入“预警清单”。", styles.title_wrap)  # fmt: skip
    pr.set_row(TITLE_ROW, 34)
    _write_rows(pr, PRINT_COLUMNS, rows, styles, boxes=True)
    _page_setup(pr, label, (TITLE_ROW, HEADER_ROW))
    pr.set_print_scale(100)  # not fitted: 100 %, the boxes big enough to write in
    pr.protect("", {"format_columns": True, "format_rows": True})

    ev = wb.add_worksheet(EVIDENCE_SHEET)
    for col, (header, width, _) in enumerate(EVIDENCE_COLUMNS):
        ev.set_column(col, col, width)
        ev.write_string(0, col, header, styles.head)
    for i, r in enumerate(evidence.iter_rows(named=True), start=1):
        ev.write_cells(i, [_evidence_cell(value(r), styles) for _, _, value in EVIDENCE_COLUMNS])
    ev.freeze_panes(1, 1)
    ev.autofilter(0, 0, max(evidence.height, 1), len(EVIDENCE_COLUMNS) - 1)
    _page_setup(ev, label, (0, 0))
    ev.fit_to_pages(1, 0)
    ev.protect("", {"autofilter": True, "format_columns": True, "format_rows": True})

    _write_summary(wb, styles, label, as_of, rows)

    check = wb.add_worksheet(CHECK_SHEET)
    check.write_row(0, 0, ["格式", FORMAT_VERSION])
    check.write_row(1, 0, ["运行", run_id])
    check.write_row(2, 0, ["乡镇", township])
    check.write_row(3, 0, ["工作簿", label])
    check.write_row(5, 0, ["家庭编号", "信号", "校验码", "单元格校验码"])
    for i, h in enumerate(rows, start=6):
        values = protected_values(h)
        # the codes too: the import records a disposition for each
        signature = row_signature(secret, run_id, township, [*values, ";".join(h.codes)])
        cells = cell_signatures(secret, run_id, township, values)
        check.write_cells(
            i, [(v, styles.text) for v in (h.key, ";".join(h.codes), signature, cells)]
        )
    check.protect("")
    check.very_hidden()
    ws.activate()
    wb.close()


def _write_summary(
    wb: xlsxwriter.Workbook, styles: _Styles, label: str, as_of: dt.date, rows: list[Household]
) -> None:
    """汇总: households by village × tier and by signal, and a chart of the signals."""
    ws = wb.add_worksheet(SUMMARY_SHEET)
    ws.write_string(0, 0, f"{label} 预警汇总（监测日期 {as_of}）", styles.title)
    tiers = list(TIER_COLOURS)
    ws.write_row(2, 0, ["村（社区）", *(TIER_LABELS[t] for t in tiers), "合计"], styles.head)
    villages = sorted({h.village for h in rows})
    for i, village in enumerate(villages, start=3):
        counts = [sum(1 for h in rows if h.village == village and h.tier == t) for t in tiers]
        ws.write_string(i, 0, village, styles.wrap)
        for j, n in enumerate([*counts, sum(counts)], start=1):
            ws.write_number(i, j, n, styles.number)
    top = len(villages) + 5
    ws.write_row(top, 0, ["预警信号", "户数"], styles.head)
    signals = sorted({c for h in rows for c in h.codes}, key=list(CATALOG).index)
    for i, code in enumerate(signals, start=top + 1):
        ws.write_string(i, 0, CATALOG[code].label, styles.wrap)
        ws.write_number(i, 1, sum(1 for h in rows if code in h.codes), styles.number)
    ws.set_column(0, 0, 28)
    ws.set_column(1, len(tiers) + 1, 8)
    if signals:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({
            "name": "户数",
            "categories": [SUMMARY_SHEET, top + 1, 0, top + len(signals), 0],
            "values": [SUMMARY_SHEET, top + 1, 1, top + len(signals), 1],
            "fill": {"color": "#5B9BD5"},
            "data_labels": {"value": True, "series_name": False, "category": False, "legend_key": False},
        })  # fmt: skip
        chart.set_title({"name": "各预警信号户数"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        ws.insert_chart(2, len(tiers) + 3, chart, {"x_scale": 1.1, "y_scale": 1.1})
    _page_setup(ws, label, (0, 0))
    ws.fit_to_pages(1, 1)
    ws.protect("")


def write_city_summary(
    path: Path, warnings: pl.DataFrame, *, as_of: dt.date, county_names: dict[str, str]
) -> None:
    """汇总.xlsx, the bureau's summary: households by township × tier and township × signal,
    with a chart; counts only, no names or IDs."""
    wb = new_workbook(path, f"低收入人口动态监测预警汇总 {as_of}")
    styles = _Styles(wb)
    places: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in warnings.iter_rows(named=True):
        county = county_names.get(r["county"] or "") or OUTSIDE_CITY
        township = r["township"] if county != OUTSIDE_CITY and r["township"] else UNROUTED
        places.setdefault((county, township), []).append(r)
    order = sorted(places)
    tiers = list(TIER_COLOURS)
    codes = [
        c
        for c in CATALOG
        if any(c in r["codes"].split(";") for r in warnings.iter_rows(named=True))
    ]

    ws = wb.add_worksheet("乡镇×等级")
    ws.write_string(
        0, 0, f"低收入人口动态监测预警汇总（监测日期 {as_of}）共 {warnings.height} 户", styles.title
    )
    ws.write_row(
        2,
        0,
        ["县（市、区）", "乡镇（街道）", *(TIER_LABELS[t] for t in tiers), "合计"],
        styles.head,
    )
    for i, (county, township) in enumerate(order, start=3):
        rows = places[(county, township)]
        counts = [sum(1 for r in rows if r["tier"] == t) for t in tiers]
        ws.write_string(i, 0, county, styles.text)
        ws.write_string(i, 1, township, styles.text)
        for j, n in enumerate([*counts, len(rows)], start=2):
            ws.write_number(i, j, n, styles.number)
    ws.set_column(0, 1, 14)
    ws.set_column(2, len(tiers) + 2, 8)
    if order:
        chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
        for j, t in enumerate(tiers, start=2):
            chart.add_series({
                "name": TIER_LABELS[t],
                "categories": ["乡镇×等级", 3, 1, 2 + len(order), 1],
                "values": ["乡镇×等级", 3, j, 2 + len(order), j],
                "fill": {"color": TIER_COLOURS[t]}, "border": {"color": "#808080"},
            })  # fmt: skip
        chart.set_title({"name": "各乡镇预警户数（按等级）"})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 620, "height": 60 + 22 * len(order)})
        ws.insert_chart(2, len(tiers) + 4, chart)
    _page_setup(ws, "全市", (2, 2))
    ws.fit_to_pages(1, 0)

    # One column per signal: narrow, with the header wrapped over up to four lines, so that
    # 18 signals print one page wide on A4 landscape at close to 100 %.
    sig = wb.add_worksheet("乡镇×信号")
    sig.write_string(0, 0, f"各乡镇预警户数（按信号，一户可有多个信号；监测日期 {as_of}）",
                     styles.title)  # fmt: skip
    sig.write_row(
        2, 0, ["县（市、区）", "乡镇（街道）", *(CATALOG[c].label for c in codes)], styles.head
    )
    sig.set_row(2, 14 * max([1, *(math.ceil(len(CATALOG[c].label) / 3) for c in codes)]) + 4)
    for i, (county, township) in enumerate(order, start=3):
        rows = places[(county, township)]
        sig.write_string(i, 0, county, styles.text)
        sig.write_string(i, 1, township, styles.text)
        for j, code in enumerate(codes, start=2):
            sig.write_number(
                i, j, sum(1 for r in rows if code in r["codes"].split(";")), styles.number
            )
    sig.set_column(0, 1, 12)
    sig.set_column(2, len(codes) + 1, 7)
    sig.freeze_panes(3, 2)
    _page_setup(sig, "全市", (2, 2))
    sig.fit_to_pages(1, 0)
    wb.close()


def workbook_password() -> str | None:
    """The township workbooks' password (MONITOR_WORKBOOK_PASSWORD), if the bureau set one."""
    return os.environ.get(PASSWORD_ENV) or None


def encrypt(path: Path, password: str) -> None:
    """Encrypt the workbook at `path` in place (ECMA-376 agile encryption: Excel and WPS ask
    for the password to open it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    sealed = path.with_name(path.name + ".sealed")
    with path.open("rb") as plain, sealed.open("wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    sealed.replace(path)


def is_encrypted(data: bytes) -> bool:
    """An encrypted OOXML file is an OLE compound file, not a zip."""
    return data[:8] == bytes.fromhex("d0cf11e0a1b11ae1")


def decrypted(data: bytes, password: str) -> bytes:
    """The plain workbook of an encrypted one (ValueError when the password is wrong)."""
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    source = OOXMLFile(io.BytesIO(data))
    try:
        source.load_key(password=password)
        out = io.BytesIO()
        source.decrypt(out)
    except Exception as exc:  # msoffcrypto raises its own errors for a wrong password
        raise ValueError("wrong password") from exc
    return out.getvalue()


# review.xlsx: the identity review queue for the bureau's data staff (full IDs: it stays in
# OUT, owner-only). A decision comes back through `monitor feedback` and linking follows it.
REVIEW_SHEET = "身份复核"
REVIEW_DECISIONS = ["是同一人", "不是同一人"]
REVIEW_COLUMNS: tuple[tuple[str, float, str | None], ...] = (
    ("来源", 10, "source"),
    ("文件", 24, "file"),
    ("行号", 6, "row"),
    ("记录姓名", 10, "record_name"),
    ("记录证件号（原样）", 21, "record_id"),
    ("记录乡镇", 10, "record_township"),
    ("记录电话", 13, "record_phone"),
    ("候选人证件号", 21, "candidate_id"),
    ("候选人姓名", 10, "candidate_name"),
    ("候选人乡镇", 10, "candidate_township"),
    ("候选人电话", 13, "candidate_phone"),
    ("比对情况", 36, "levels"),
    ("匹配分数", 8, "score"),
    ("结论", 12, None),
    ("备注", 20, None),
)
REVIEW_HEADER = [c[0] for c in REVIEW_COLUMNS]
REVIEW_KEY = ("来源", "文件", "行号", "候选人证件号")  # a row is found by these, never by position


def review_values(row: dict[str, Any]) -> list[str]:
    """The protected cells of a review row, as text (what its signature is over)."""
    return [
        "" if row[field] is None else str(row[field]) for _, _, field in REVIEW_COLUMNS if field
    ]


def write_review_workbook(path: Path, review: pl.DataFrame, *, run_id: str, secret: bytes) -> None:
    """review.xlsx: one row per uncertain match with a 结论 drop-down (是同一人 / 不是同一人)."""
    wb = new_workbook(path, f"身份复核 {run_id}")
    styles = _Styles(wb)
    ws = wb.add_worksheet(REVIEW_SHEET)
    ws.write_string(0, 0, f"身份复核（{run_id}）共 {review.height} 条：请在“结论”列选择是否为同一人，"
                          "结果经 monitor feedback 导入后，以后的运行按此关联。含完整证件号，仅限局内使用。",
                    styles.title)  # fmt: skip
    for col, (header, width, _) in enumerate(REVIEW_COLUMNS):
        ws.set_column(col, col, width)
        ws.write_string(HEADER_ROW, col, header, styles.head)
    check = wb.add_worksheet(CHECK_SHEET)
    check.write_row(0, 0, ["格式", FORMAT_VERSION])
    check.write_row(1, 0, ["运行", run_id])
    check.write_row(2, 0, ["类型", "review"])
    check.write_row(5, 0, [*REVIEW_KEY, "记录哈希", "校验码"])
    for i, r in enumerate(review.iter_rows(named=True)):
        values = review_values(r)
        ws.write_cells(FIRST_ROW + i, [
            (None, styles.fill) if name is None
            else ("" if r[name] is None else str(r[name]), styles.wrap)
            for _, _, name in REVIEW_COLUMNS
        ])  # fmt: skip
        # the record's key too: the import stores the decision under it
        signature = row_signature(secret, run_id, "review", [*values, r["record_hash"] or ""])
        key = [str(r["source"]), str(r["file"]), str(r["row"]), str(r["candidate_id"])]
        check.write_cells(
            6 + i, [(v, styles.text) for v in (*key, r["record_hash"] or "", signature)]
        )
    last = FIRST_ROW + max(review.height, 1) - 1
    decision = REVIEW_HEADER.index("结论")
    ws.data_validation(FIRST_ROW, decision, last, decision,
                       {"validate": "list", "source": REVIEW_DECISIONS})  # fmt: skip
    ws.freeze_panes(FIRST_ROW, 3)
    ws.autofilter(HEADER_ROW, 0, last, len(REVIEW_COLUMNS) - 1)
    _page_setup(ws, "身份复核", (TITLE_ROW, HEADER_ROW))
    ws.protect("", {"autofilter": True, "format_columns": True, "format_rows": True})
    check.protect("")
    check.very_hidden()
    ws.activate()
    wb.close()


# ---------------------------------------------------------------- analysts' list workbooks
# The workbooks of the analysts' commands (price-subsidy's per township, audit-sample's per
# county): one list sheet made like 预警清单 (title row, header repeated on every printed
# page, borders, 10-point text, protected with only the fill-in columns unlocked, filters),
# and, for a list that comes back, the hidden 校验 sheet signing each row.


@dataclass(frozen=True)
class ListColumn:
    """One column of a list sheet: its header, width, and the cell's value for a row (a
    mapping), or no value for a column filled in (editable: `choices` gives a drop-down,
    style "date" a date cell). Style "wrap" wraps long text; an int or float value is
    written as a number, anything else as a string."""

    header: str
    width: float
    value: Callable[[dict[str, Any]], Any] | None = None
    style: str = "text"  # text | wrap | money (yuan, 0.00) | date (an editable date cell)
    choices: tuple[str, ...] = ()

    @property
    def editable(self) -> bool:
        return self.value is None


def list_cell_text(value: Any) -> str:
    """A protected cell's value as a signature covers it (what the import reads back)."""
    return "" if value is None else str(value)


def column_signatures(secret: bytes, run_id: str, scope: str,
                      headers: Sequence[str], values: Sequence[Any]) -> str:  # fmt: skip
    """Short HMACs of each protected cell of a list row (with its column's header),
    `;`-joined: the import names the cell that was changed."""
    return ";".join(
        row_signature(secret, run_id, scope, [header, list_cell_text(value)])[:12]
        for header, value in zip(headers, values, strict=True)
    )


def write_list_workbook(
    path: Path,
    *,
    sheet: str,
    title: str,
    label: str,
    columns: Sequence[ListColumn],
    rows: Sequence[dict[str, Any]],
    as_of: dt.date,
    across: int = 0,
    check_meta: Sequence[Sequence[str]] = (),
    check_header: Sequence[str] = (),
    check_rows: Sequence[Sequence[str]] = (),
) -> None:
    """One list sheet `sheet` of `rows` under `title`, printed as `label`'s; with
    `across`, printed at 100 % over pages across, each repeating the first `across`
    columns (else fitted to one page wide); with `check_meta`, the very hidden 校验 sheet: the meta rows (a name and its values) from the
    top (at most five), then `check_header` on its sixth row and `check_rows` below (from
    the import's CHECK_FIRST_ROW)."""
    wb = new_workbook(path, title)
    styles = _Styles(wb)
    money = wb.add_format({"font_size": 10, "border": 1, "valign": "top", "font_name": "宋体",
                           "num_format": "#,##0.00"})  # fmt: skip
    ws = wb.add_worksheet(sheet)
    ws.write_string(TITLE_ROW, 0, title, styles.title)
    for col, c in enumerate(columns):
        ws.set_column(col, col, c.width)
    ws.write_row(HEADER_ROW, 0, [c.header for c in columns], styles.head)
    ws.set_row(HEADER_ROW, 28)
    for i, r in enumerate(rows):
        lines = 1
        cells: list[tuple[Any, Any]] = []
        for c in columns:
            if c.value is None:
                cells.append((None, styles.fill_date if c.style == "date" else styles.fill))
                continue
            value = c.value(r)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append((value, money if c.style == "money" else styles.number))
                continue
            text = list_cell_text(value)
            cells.append((text, styles.wrap if c.style == "wrap" else styles.text))
            if c.style == "wrap":
                per_line = max(int(c.width / 2) - 1, 1)
                lines = max(lines, sum(math.ceil(max(len(p), 1) / per_line)
                                       for p in text.split("\n")))  # fmt: skip
        ws.write_cells(FIRST_ROW + i, cells, 14 * min(lines, 28) + 2)
    last = FIRST_ROW + max(len(rows), 1) - 1
    for col, c in enumerate(columns):
        if c.choices:
            ws.data_validation(FIRST_ROW, col, last, col, {
                "validate": "list", "source": list(c.choices), "error_title": c.header,
                "error_message": f"请从下拉列表中选择{c.header}。",
            })  # fmt: skip
        elif c.editable and c.style == "date":
            ws.data_validation(FIRST_ROW, col, last, col, {
                "validate": "date", "criteria": "between",
                "minimum": as_of, "maximum": as_of + dt.timedelta(days=400),
                "error_title": c.header, "error_message": f"请填写 {as_of} 之后的日期。",
            })  # fmt: skip
    ws.freeze_panes(FIRST_ROW, 0)
    ws.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
    _page_setup(ws, label, (TITLE_ROW, HEADER_ROW))
    if across:
        ws.repeat_columns(0, across - 1)
        ws.print_across()
    else:
        ws.fit_to_pages(1, 0)
    ws.protect("", {"autofilter": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})  # fmt: skip
    if check_meta:
        check = wb.add_worksheet(CHECK_SHEET)
        for i, meta in enumerate(check_meta[:5]):
            check.write_row(i, 0, list(meta), styles.text)
        check.write_row(5, 0, list(check_header), styles.text)
        for i, values in enumerate(check_rows, start=6):
            check.write_cells(i, [(v, styles.text) for v in values])
        check.protect("")
        check.very_hidden()
    ws.activate()
    wb.close()
