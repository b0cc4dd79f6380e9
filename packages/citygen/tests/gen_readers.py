"""Independent readers of a generated city: plain csv / openpyxl, column aliases from exports.md.

Nothing here imports the generator: the tests read the files the way a stranger would.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

AS_OF = dt.date(2026, 11, 15)  # the as-of date of the test cities

# canonical column -> accepted names, per source (exports.md)
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {
        "家庭编号": ("家庭编号", "户编号"),
        "成员姓名": ("成员姓名", "姓名"),
        "成员身份证号": ("成员身份证号", "身份证号码", "公民身份号码"),
        "与户主关系": ("与户主关系",),
        "乡镇（街道）": ("乡镇（街道）", "乡镇街道", "所属乡镇"),
        "村（社区）": ("村（社区）", "村社区", "所属村居"),
        "城乡类别": ("城乡类别",),
        "救助类别": ("救助类别", "保障类别"),
        "家庭月总收入": ("家庭月总收入", "家庭月总收入（元）", "家庭月收入"),
        "月保障金额": ("月保障金额", "月保障金额（元）", "月救助金额"),
        "纳入日期": ("纳入日期", "审批日期"),
        "状态": ("状态", "保障状态"),
        "联系电话": ("联系电话", "手机号码"),
    },
    "education": {
        "学生姓名": ("学生姓名", "姓名"),
        "身份证件号": ("身份证件号", "身份证号", "证件号码"),
        "学校名称": ("学校名称",),
        "学段": ("学段",),
        "学籍状态": ("学籍状态",),
        "是否享受资助": ("是否享受资助",),
        "资助金额（元）": ("资助金额（元）",),
        "学年": ("学年",),
        "所属乡镇（街道）": ("所属乡镇（街道）",),
    },
    "hr": {
        "姓名": ("姓名",),
        "社会保障号码": ("社会保障号码", "身份证号码"),
        "就业状态": ("就业状态",),
        "失业登记日期": ("失业登记日期",),
        "是否领取失业保险金": ("是否领取失业保险金",),
        "月工资（元）": ("月工资（元）",),
        "参保状态": ("参保状态",),
        "养老金类型": ("养老金类型",),
        "月养老金（元）": ("月养老金（元）",),
        "所属乡镇（街道）": ("所属乡镇（街道）",),
    },
    "housing": {
        "户主姓名": ("户主姓名",),
        "户主身份证号": ("户主身份证号", "身份证号码"),
        "房屋地址": ("房屋地址",),
        "房屋安全等级": ("房屋安全等级",),
        "是否纳入危房改造": ("是否纳入危房改造",),
        "不动产套数": ("不动产套数",),
        "保障性住房": ("保障性住房",),
        "所属乡镇（街道）": ("所属乡镇（街道）",),
    },
    "health": {
        "患者姓名": ("患者姓名", "姓名"),
        "身份证号": ("身份证号", "证件号码"),
        "诊断类别": ("诊断类别",),
        "疾病名称": ("疾病名称",),
        "就诊日期": ("就诊日期",),
        "住院天数": ("住院天数",),
        "死亡日期": ("死亡日期",),
        "所属乡镇（街道）": ("所属乡镇（街道）",),
    },
    "medical_insurance": {
        "参保人姓名": ("参保人姓名", "姓名"),
        "证件号码": ("证件号码", "身份证号码"),
        "结算日期": ("结算日期",),
        "就医类型": ("就医类型",),
        "医疗总费用（元）": ("医疗总费用（元）",),
        "基本医保支付（元）": ("基本医保支付（元）",),
        "大病保险支付（元）": ("大病保险支付（元）",),
        "医疗救助支付（元）": ("医疗救助支付（元）",),
        "个人自付（元）": ("个人自付（元）",),
        "参保地": ("参保地",),
    },
    "emergency": {
        "姓名": ("姓名",),
        "身份证号码": ("身份证号码",),
        "灾害类型": ("灾害类型",),
        "受灾日期": ("受灾日期",),
        "房屋损毁程度": ("房屋损毁程度",),
        "直接经济损失（元）": ("直接经济损失（元）",),
        "人员伤亡": ("人员伤亡",),
        "所属乡镇（街道）": ("所属乡镇（街道）",),
    },
    "rural": {
        "户编号": ("户编号",),
        "户主姓名": ("户主姓名",),
        "户主证件号码": ("户主证件号码",),
        "成员姓名": ("成员姓名",),
        "成员证件号码": ("成员证件号码",),
        "与户主关系": ("与户主关系",),
        "户类型": ("户类型",),
        "监测对象类别": ("监测对象类别",),
        "风险类型": ("风险类型",),
        "家庭人均纯收入（元/年）": ("家庭人均纯收入（元/年）",),
        "风险是否消除": ("风险是否消除",),
        "乡镇（街道）": ("乡镇（街道）",),
        "村（社区）": ("村（社区）",),
    },
    "disability": {
        "姓名": ("姓名",),
        "残疾人证号": ("残疾人证号",),
        "残疾类别": ("残疾类别",),
        "残疾等级": ("残疾等级",),
        "发证日期": ("发证日期",),
        "所属乡镇（街道）": ("所属乡镇（街道）",),
        "身份证号": ("身份证号",),
    },
    "hotline": {
        "工单编号": ("工单编号",),
        "来电时间": ("来电时间",),
        "诉求人": ("诉求人",),
        "联系电话": ("联系电话",),
        "身份证号": ("身份证号",),
        "诉求类型": ("诉求类型",),
        "诉求内容": ("诉求内容",),
        "所属乡镇（街道）": ("所属乡镇（街道）",),
    },
    "grid": {
        "记录编号": ("记录编号",),
        "走访日期": ("走访日期",),
        "网格员": ("网格员",),
        "姓名": ("姓名", "走访对象"),
        "身份证号": ("身份证号",),
        "联系电话": ("联系电话",),
        "乡镇（街道）": ("乡镇（街道）", "乡镇街道"),
        "村（社区）": ("村（社区）", "村社区"),
        "情况类型": ("情况类型",),
        "情况描述": ("情况描述",),
    },
}
ID_COLUMN = {
    "roster": "成员身份证号",
    "education": "身份证件号",
    "hr": "社会保障号码",
    "housing": "户主身份证号",
    "health": "身份证号",
    "medical_insurance": "证件号码",
    "emergency": "身份证号码",
    "rural": "成员证件号码",
    "disability": "残疾人证号",
    "hotline": "身份证号",
    "grid": "身份证号",
}


def _known_names(source: str) -> set[str]:
    return {name for names in ALIASES[source].values() for name in names}


def _is_header(row: tuple[Any, ...] | list[Any], known: set[str]) -> bool:
    return sum(1 for cell in row if isinstance(cell, str) and cell in known) >= 3


def _is_data(row: list[Any]) -> bool:
    if not any(cell not in (None, "") and str(cell).strip() for cell in row):
        return False
    return str(row[0]).strip() != "合计"


def read_csv(path: Path) -> tuple[list[str], list[list[Any]], str]:
    """Header, data records and encoding of a CSV export."""
    raw = path.read_bytes()
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("gb18030"), "gb18030"
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows[0], [r for r in rows[1:] if _is_data(r)], encoding


def read_xlsx(path: Path, source: str) -> tuple[list[str], list[list[Any]], str]:
    """Header and data records of the first sheet whose header matches the source."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    known = _known_names(source)
    try:
        for sheet in book.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            for k, row in enumerate(rows):
                if _is_header(row, known):
                    header = [str(c) if c is not None else "" for c in row]
                    return header, [r for r in rows[k + 1 :] if _is_data(r)], sheet.title
    finally:
        book.close()
    raise AssertionError(f"{path}: no sheet with a {source} header")


def read_file(path: Path, source: str) -> tuple[list[str], list[list[Any]]]:
    if path.suffix == ".xlsx":
        header, rows, _ = read_xlsx(path, source)
    else:
        header, rows, _ = read_csv(path)
    return header, rows


def canonical(header: list[str], source: str) -> dict[str, int]:
    """Canonical column -> position in this file."""
    out = {}
    for name, aliases in ALIASES[source].items():
        for k, h in enumerate(header):
            if h in aliases:
                out[name] = k
                break
    return out


# ---------------------------------------------------------------------------
# parsing


def normalize_id(value: Any) -> str:
    """Repair cosmetic damage: spaces, apostrophes, full-width characters, lower-case x."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return text.replace(" ", "").replace("'", "").upper()


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), 0),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})"), 0),
    (re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"), 0),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日"), 0),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), 0),
)


def parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int | float):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    for pattern, _ in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def parse_amount(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).replace("￥", "").replace("元", "").replace(",", "").strip()
    return float(text) if text else None


# ---------------------------------------------------------------------------
# a whole city


@dataclass
class Record:
    """One data record with its truth."""

    source: str
    folder: str
    file: str
    row: int
    values: dict[str, Any]
    raw: list[Any]
    person_id: str
    tags: set[str]


@dataclass
class City:
    root: Path
    truth_rows: dict[tuple[str, str, str], list[dict[str, str]]] = field(default_factory=dict)
    records: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    persons: list[dict[str, str]] = field(default_factory=list)
    situations: list[dict[str, str]] = field(default_factory=list)
    quiet: list[dict[str, str]] = field(default_factory=list)
    callers: list[dict[str, str]] = field(default_factory=list)
    visits: list[dict[str, str]] = field(default_factory=list)  # truth/grid_visits.csv

    def files(self) -> list[tuple[str, str, Path]]:
        out = []
        for folder in ("input", "previous"):
            base = self.root / folder
            if base.exists():
                for path in sorted(base.rglob("*")):
                    if path.is_file():
                        out.append((folder, path.parent.name, path))
        return out


def _read_truth(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_city(root: Path) -> City:
    city = City(root)
    for row in _read_truth(root / "truth" / "rows.csv"):
        city.truth_rows.setdefault((row["folder"], row["source"], row["file"]), []).append(row)
    city.persons = _read_truth(root / "truth" / "persons.csv")
    city.situations = _read_truth(root / "truth" / "situations.csv")
    city.quiet = _read_truth(root / "truth" / "quiet.csv")
    city.callers = _read_truth(root / "truth" / "hotline_callers.csv")
    city.visits = _read_truth(root / "truth" / "grid_visits.csv")
    for folder, source, path in city.files():
        header, rows = read_file(path, source)
        columns = canonical(header, source)
        truth = city.truth_rows.get((folder, source, path.name), [])
        for raw, t in zip(rows, truth, strict=False):
            values = {name: raw[k] for name, k in columns.items()}
            tags = set(t["defects"].split(";")) - {""}
            city.records[source].append(
                Record(source, folder, path.name, int(t["row"]), values, raw, t["person_id"], tags)
            )
    return city
