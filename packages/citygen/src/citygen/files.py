"""The sources' columns (with their aliases) and the files each source is written to.

Every file gets its own habits, as the departments' systems and clerks do: an
encoding, a delimiter, header aliases, title rows, a 说明 sheet, a 合计 row,
extra columns, a date style. The choices are deterministic in the seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

from . import dates as dd
from .geo import City
from .table import AMOUNT, DATE, DATETIME, INT, TEXT

# The eleven sources of exports.md, in their canonical order (files, counts and truth rows follow
# it). The generator's own list on purpose, as are the headers below: it is the other side
# the pipeline is tested against and does not read the pipeline's contracts
# (monitor's tests/test_citygen_contracts.py cross-checks the two).
SOURCES: tuple[str, ...] = (
    "roster",
    "education",
    "hr",
    "housing",
    "health",
    "medical_insurance",
    "emergency",
    "rural",
    "disability",
    "hotline",
    "grid",
)

# source -> (canonical column, kind, accepted names (the first is the canonical one)), in the
# order of SOURCES
SCHEMAS: dict[str, tuple[tuple[str, int, tuple[str, ...]], ...]] = {
    "roster": (
        ("家庭编号", TEXT, ("家庭编号", "户编号")),
        ("成员姓名", TEXT, ("成员姓名", "姓名")),
        ("成员身份证号", TEXT, ("成员身份证号", "身份证号码", "公民身份号码")),
        ("与户主关系", TEXT, ("与户主关系",)),
        ("乡镇（街道）", TEXT, ("乡镇（街道）", "乡镇街道", "所属乡镇")),
        ("村（社区）", TEXT, ("村（社区）", "村社区", "所属村居")),
        ("城乡类别", TEXT, ("城乡类别",)),
        ("救助类别", TEXT, ("救助类别", "保障类别")),
        ("家庭月总收入", AMOUNT, ("家庭月总收入", "家庭月总收入（元）", "家庭月收入")),
        ("月保障金额", AMOUNT, ("月保障金额", "月保障金额（元）", "月救助金额")),
        ("纳入日期", DATE, ("纳入日期", "审批日期")),
        ("状态", TEXT, ("状态", "保障状态")),
        ("联系电话", TEXT, ("联系电话", "手机号码")),
    ),
    "education": (
        ("学生姓名", TEXT, ("学生姓名", "姓名")),
        ("身份证件号", TEXT, ("身份证件号", "身份证号", "证件号码")),
        ("学校名称", TEXT, ("学校名称",)),
        ("学段", TEXT, ("学段",)),
        ("学籍状态", TEXT, ("学籍状态",)),
        ("是否享受资助", TEXT, ("是否享受资助",)),
        ("资助金额（元）", AMOUNT, ("资助金额（元）",)),
        ("学年", TEXT, ("学年",)),
        ("所属乡镇（街道）", TEXT, ("所属乡镇（街道）",)),
    ),
    "hr": (
        ("姓名", TEXT, ("姓名",)),
        ("社会保障号码", TEXT, ("社会保障号码", "身份证号码")),
        ("就业状态", TEXT, ("就业状态",)),
        ("失业登记日期", DATE, ("失业登记日期",)),
        ("是否领取失业保险金", TEXT, ("是否领取失业保险金",)),
        ("月工资（元）", AMOUNT, ("月工资（元）",)),
        ("参保状态", TEXT, ("参保状态",)),
        ("养老金类型", TEXT, ("养老金类型",)),
        ("月养老金（元）", AMOUNT, ("月养老金（元）",)),
        ("所属乡镇（街道）", TEXT, ("所属乡镇（街道）",)),
    ),
    "housing": (
        ("户主姓名", TEXT, ("户主姓名",)),
        ("户主身份证号", TEXT, ("户主身份证号", "身份证号码")),
        ("房屋地址", TEXT, ("房屋地址",)),
        ("房屋安全等级", TEXT, ("房屋安全等级",)),
        ("是否纳入危房改造", TEXT, ("是否纳入危房改造",)),
        ("不动产套数", INT, ("不动产套数",)),
        ("保障性住房", TEXT, ("保障性住房",)),
        ("所属乡镇（街道）", TEXT, ("所属乡镇（街道）",)),
    ),
    "health": (
        ("患者姓名", TEXT, ("患者姓名", "姓名")),
        ("身份证号", TEXT, ("身份证号", "证件号码")),
        ("诊断类别", TEXT, ("诊断类别",)),
        ("疾病名称", TEXT, ("疾病名称",)),
        ("就诊日期", DATE, ("就诊日期",)),
        ("住院天数", INT, ("住院天数",)),
        ("死亡日期", DATE, ("死亡日期",)),
        ("所属乡镇（街道）", TEXT, ("所属乡镇（街道）",)),
    ),
    "medical_insurance": (
        ("参保人姓名", TEXT, ("参保人姓名", "姓名")),
        ("证件号码", TEXT, ("证件号码", "身份证号码")),
        ("结算日期", DATE, ("结算日期",)),
        ("就医类型", TEXT, ("就医类型",)),
        ("医疗总费用（元）", AMOUNT, ("医疗总费用（元）",)),
        ("基本医保支付（元）", AMOUNT, ("基本医保支付（元）",)),
        ("大病保险支付（元）", AMOUNT, ("大病保险支付（元）",)),
        ("医疗救助支付（元）", AMOUNT, ("医疗救助支付（元）",)),
        ("个人自付（元）", AMOUNT, ("个人自付（元）",)),
        ("参保地", TEXT, ("参保地",)),
    ),
    "emergency": (
        ("姓名", TEXT, ("姓名",)),
        ("身份证号码", TEXT, ("身份证号码",)),
        ("灾害类型", TEXT, ("灾害类型",)),
        ("受灾日期", DATE, ("受灾日期",)),
        ("房屋损毁程度", TEXT, ("房屋损毁程度",)),
        ("直接经济损失（元）", AMOUNT, ("直接经济损失（元）",)),
        ("人员伤亡", TEXT, ("人员伤亡",)),
        ("所属乡镇（街道）", TEXT, ("所属乡镇（街道）",)),
    ),
    "rural": (
        ("户编号", TEXT, ("户编号",)),
        ("户主姓名", TEXT, ("户主姓名",)),
        ("户主证件号码", TEXT, ("户主证件号码",)),
        ("成员姓名", TEXT, ("成员姓名",)),
        ("成员证件号码", TEXT, ("成员证件号码",)),
        ("与户主关系", TEXT, ("与户主关系",)),
        ("户类型", TEXT, ("户类型",)),
        ("监测对象类别", TEXT, ("监测对象类别",)),
        ("风险类型", TEXT, ("风险类型",)),
        ("家庭人均纯收入（元/年）", AMOUNT, ("家庭人均纯收入（元/年）",)),
        ("风险是否消除", TEXT, ("风险是否消除",)),
        ("乡镇（街道）", TEXT, ("乡镇（街道）",)),
        ("村（社区）", TEXT, ("村（社区）",)),
    ),
    "disability": (
        ("姓名", TEXT, ("姓名",)),
        ("残疾人证号", TEXT, ("残疾人证号",)),
        ("残疾类别", TEXT, ("残疾类别",)),
        ("残疾等级", TEXT, ("残疾等级",)),
        ("发证日期", DATE, ("发证日期",)),
        ("所属乡镇（街道）", TEXT, ("所属乡镇（街道）",)),
        ("身份证号", TEXT, ("身份证号",)),
    ),
    "hotline": (
        ("工单编号", TEXT, ("工单编号",)),
        ("来电时间", DATETIME, ("来电时间",)),
        ("诉求人", TEXT, ("诉求人",)),
        ("联系电话", TEXT, ("联系电话",)),
        ("身份证号", TEXT, ("身份证号",)),
        ("诉求类型", TEXT, ("诉求类型",)),
        ("诉求内容", TEXT, ("诉求内容",)),
        ("所属乡镇（街道）", TEXT, ("所属乡镇（街道）",)),
    ),
    "grid": (
        ("记录编号", TEXT, ("记录编号",)),
        ("走访日期", DATE, ("走访日期",)),
        ("网格员", TEXT, ("网格员",)),
        ("姓名", TEXT, ("姓名", "走访对象")),
        ("身份证号", TEXT, ("身份证号",)),
        ("联系电话", TEXT, ("联系电话",)),
        ("乡镇（街道）", TEXT, ("乡镇（街道）", "乡镇街道")),
        ("村（社区）", TEXT, ("村（社区）", "村社区")),
        ("情况类型", TEXT, ("情况类型",)),
        ("情况描述", TEXT, ("情况描述",)),
    ),
}


def columns_of(source: str) -> tuple[tuple[str, int], ...]:
    """(canonical name, kind) of a source's columns."""
    return tuple((name, kind) for name, kind, _ in SCHEMAS[source])


@dataclass(frozen=True)
class FileSpec:
    """One export file and its habits."""

    source: str
    key: str  # what routes records here (a county code, a month…)
    name: str
    folder: str = "input"
    fmt: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    crlf: bool = False
    headers: tuple[str, ...] = ()  # per canonical column; "" = the file lacks that column
    extras: tuple[tuple[int, str, str], ...] = ()  # (position, header, value; "#" = row number)
    title: tuple[str, ...] = ()
    blank_after_title: bool = False
    info_sheet: tuple[str, ...] = ()  # a 说明 sheet before the data sheet
    sheet: str = "Sheet1"
    total_row: bool = False
    date_style: int = dd.ISO
    big: bool = False  # write with xlsxwriter's constant_memory mode
    amounts_text: bool = False  # amounts as text with thousands separators (12,000.00)
    reexport_of: str = ""  # key of the file whose re-exported records this file repeats
    redelivery_of: str = ""  # key of the file this one repeats whole (plus its own records)


@dataclass
class Catalogue:
    """All files of a city, per source, and how records are routed to them."""

    files: dict[str, list[FileSpec]]

    def index(self, source: str, key: str) -> int:
        for i, spec in enumerate(self.files[source]):
            if spec.key == key:
                return i
        raise KeyError(f"{source}: no file for {key!r}")

    def keys(self, source: str) -> list[str]:
        return [spec.key for spec in self.files[source]]

    def redelivery(self, source: str) -> int:
        """Index of the source's file delivered again with more records (-1: none)."""
        for i, spec in enumerate(self.files[source]):
            if spec.redelivery_of:
                return i
        return -1


def build_catalogue(city: City, as_of: dt.date, seed: int, people: int) -> Catalogue:
    """The files of every source for a city (deterministic in the arguments)."""
    rng = np.random.default_rng([seed, 7003])
    chooser = _HeaderChooser(rng)
    stamp = f"{as_of:%Y%m%d}"
    big = False  # decided per file by _sized
    files: dict[str, list[FileSpec]] = {
        "roster": _roster_files(city, as_of, chooser, big),
        "education": _education_files(as_of, chooser),
        "hr": _hr_files(as_of, chooser),
        "housing": [
            FileSpec(
                "housing",
                "rural",
                f"住建_农村住房安全_{stamp}.csv",
                encoding="gb18030",
                crlf=True,
                headers=chooser.first("housing"),
            ),
            FileSpec(
                "housing",
                "urban",
                f"住建_城镇住房与不动产_{stamp}.csv",
                encoding="utf-8-sig",
                headers=chooser.pick("housing"),
                extras=((8, "备注", ""),),
            ),
        ],
        "health": [
            FileSpec(
                "health",
                "visits",
                f"卫健_诊疗记录_{stamp}.csv",
                headers=chooser.first("health"),
            ),
            FileSpec(
                "health",
                "deaths",
                f"卫健_死亡登记_{stamp}.xlsx",
                fmt="xlsx",
                headers=chooser.pick("health"),
                title=("死亡医学证明登记信息",),
                date_style=dd.SLASH,
                big=big,
            ),
        ],
        "medical_insurance": _medical_files(as_of, chooser, big),
        "emergency": [
            FileSpec(
                "emergency",
                "disaster",
                f"应急_受灾人员_{stamp}.xlsx",
                fmt="xlsx",
                headers=chooser.first("emergency"),
                title=("自然灾害受灾人员统计表", f"填报单位：{city.counties[0].name}应急管理局等"),
                total_row=True,
                sheet="受灾人员",
                big=big,
            ),
            FileSpec(
                "emergency",
                "accident",
                f"应急_意外事故与火灾_{stamp}.csv",
                encoding="utf-8-sig",
                headers=chooser.pick("emergency"),
                date_style=dd.CHINESE,
            ),
        ],
        "rural": _rural_files(city, as_of, chooser, big),
        "disability": [
            FileSpec(
                "disability",
                "district",
                f"残联_持证残疾人_城区_{stamp}.xlsx",
                fmt="xlsx",
                headers=chooser.first("disability"),
                title=("持证残疾人基本信息",),
                blank_after_title=True,
                big=big,
            ),
            FileSpec(
                "disability",
                "county",
                f"残联_持证残疾人_县域_{stamp}.csv",
                encoding="gb18030",
                headers=(*chooser.first("disability")[:-1], ""),
                date_style=dd.DOTTED,
            ),
        ],
        "hotline": _hotline_files(as_of, chooser, big),
        # last: its header choices come after every other source's (added 2026-12)
        "grid": _grid_files(as_of, chooser, big),
    }
    for source, specs in files.items():
        files[source] = [_sized(spec, people, len(city.counties)) for spec in specs]
    _add_repeats(files)
    return Catalogue(files)


def _add_repeats(files: dict[str, list[FileSpec]]) -> None:
    """Files that repeat others, as deliveries do: a settlement month re-exported as xlsx
    in other formats (some of its records), and the latest hotline quarter and the
    disaster list delivered again under another name with a few more records."""
    medical = files["medical_insurance"]
    month = next(
        spec
        for spec in medical[-2::-1]  # not the as-of month's: a closed month is re-exported
        if spec.fmt == "csv" and spec.date_style == dd.ISO
    )
    y, m = int(month.key[:4]), int(month.key[4:])
    medical.append(
        FileSpec(
            "medical_insurance",
            "reexport",
            f"医保结算明细_{month.key}_重新导出.xlsx",
            fmt="xlsx",
            headers=tuple(aliases[0] for _, _, aliases in SCHEMAS["medical_insurance"]),
            title=(f"{y}年{m}月医保结算明细（重新导出）",),
            sheet="结算明细",
            date_style=dd.SLASH,
            amounts_text=True,
            reexport_of=month.key,
        )
    )
    for source, original in (
        ("hotline", files["hotline"][-1]),
        ("emergency", files["emergency"][0]),
    ):
        stem, ext = original.name.rsplit(".", 1)
        files[source].append(
            replace(
                original,
                key=original.key + "_resent",
                name=f"{stem}_重发.{ext}",
                redelivery_of=original.key,
            )
        )


def reexport_month(catalogue: Catalogue) -> str:
    """The month (YYYYMM) whose settlements the medical re-export repeats."""
    return catalogue.files["medical_insurance"][-1].reexport_of


# rough records per resident of each xlsx file (roster county files share 0.06)
_XLSX_ROWS_PER_PERSON = {
    "roster": 0.06,
    "education": 0.03,
    "health": 0.013,
    "medical_insurance": 0.075,
    "emergency": 0.003,
    "rural": 0.015,
    "disability": 0.02,
    "hotline": 0.008,
    "grid": 0.006,
}
CONSTANT_MEMORY_ROWS = 30_000


def _sized(spec: FileSpec, people: int, n_counties: int) -> FileSpec:
    """Use xlsxwriter's slower constant_memory mode only for files expected to be big."""
    if spec.fmt != "xlsx":
        return spec
    share = _XLSX_ROWS_PER_PERSON[spec.source]
    if spec.source == "roster":
        share /= n_counties
    return replace(spec, big=people * share > CONSTANT_MEMORY_ROWS)


class _HeaderChooser:
    """Header aliases per file: the first file of a source uses the canonical names."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def first(self, source: str) -> tuple[str, ...]:
        return tuple(aliases[0] for _, _, aliases in SCHEMAS[source])

    def pick(self, source: str) -> tuple[str, ...]:
        return tuple(
            aliases[int(self.rng.integers(len(aliases)))] for _, _, aliases in SCHEMAS[source]
        )


def _roster_files(city: City, as_of: dt.date, chooser: _HeaderChooser, big: bool) -> list[FileSpec]:
    out = []
    for i, county in enumerate(city.counties):
        base = f"低收入人口_{county.code}_{county.name}"
        headers = chooser.first("roster") if i == 0 else chooser.pick("roster")
        variant = i % 4
        if variant == 0:
            spec = FileSpec(
                "roster",
                str(county.code),
                base + ".xlsx",
                fmt="xlsx",
                headers=headers,
                title=(f"{county.name}低收入人口信息表", f"导出时间：{as_of:%Y年%m月%d日}"),
                total_row=True,
                date_style=dd.CHINESE,
                big=big,
            )
        elif variant == 1:
            spec = FileSpec(
                "roster",
                str(county.code),
                base + ".csv",
                encoding="gb18030",
                crlf=True,
                headers=headers,
                date_style=dd.SLASH,
            )
        elif variant == 2:
            spec = FileSpec(
                "roster",
                str(county.code),
                base + ".csv",
                encoding="utf-8-sig",
                headers=headers,
                extras=((0, "序号", "#"), (14, "数据来源", "民政一体化平台")),
            )
        else:
            spec = FileSpec(
                "roster",
                str(county.code),
                base + ".xlsx",
                fmt="xlsx",
                headers=headers,
                info_sheet=("填表说明", "1. 本表按户列出全部家庭成员。", "2. 金额单位：元。"),
                title=(f"{county.name}低收入人口名册",),
                sheet="名册",
                big=big,
            )
        out.append(spec)
    out.append(
        FileSpec(
            "roster",
            "batch",
            f"低收入人口_补录批次_{as_of:%Y%m%d}.xlsx",
            fmt="xlsx",
            headers=chooser.pick("roster"),
            title=("低收入人口补录名单（第二批）",),
            date_style=dd.COMPACT,
            big=big,
        )
    )
    return out


def school_year(as_of: dt.date) -> int:
    """First calendar year of the latest school year (2026 for 2026-2027)."""
    return as_of.year if as_of.month >= 9 else as_of.year - 1


def _education_files(as_of: dt.date, chooser: _HeaderChooser) -> list[FileSpec]:
    y = school_year(as_of)
    return [
        FileSpec(
            "education",
            "latest",
            f"学籍资助_{y}-{y + 1}学年.csv",
            encoding="utf-8-sig",
            headers=chooser.first("education"),
        ),
        FileSpec(
            "education",
            "previous",
            f"学籍资助_{y - 1}-{y}学年.csv",
            encoding="gb18030",
            headers=chooser.pick("education"),
        ),
        FileSpec(
            "education",
            "preschool",
            f"学前教育资助名单_{y}.xlsx",
            fmt="xlsx",
            headers=chooser.pick("education"),
            title=(f"{y}年秋季学期学前教育资助名单",),
            total_row=True,
        ),
    ]


def previous_month(as_of: dt.date) -> dt.date:
    """The same day one month earlier (clamped to the month's last day)."""
    year, month = (as_of.year, as_of.month - 1) if as_of.month > 1 else (as_of.year - 1, 12)
    day = min(as_of.day, 28)
    return dt.date(year, month, day)


def _hr_files(as_of: dt.date, chooser: _HeaderChooser) -> list[FileSpec]:
    now, before = f"{as_of:%Y%m}", f"{previous_month(as_of):%Y%m}"
    return [
        FileSpec(
            "hr",
            "current_district",
            f"人社_就业参保_城区_{now}.csv",
            delimiter="\t",
            headers=chooser.first("hr"),
        ),
        FileSpec(
            "hr",
            "current_county",
            f"人社_就业参保_县域_{now}.csv",
            encoding="gb18030",
            crlf=True,
            headers=chooser.pick("hr"),
            extras=((10, "数据来源", "人社厅数据共享平台"),),
        ),
        FileSpec(
            "hr",
            "previous_district",
            f"人社_就业参保_城区_{before}.csv",
            folder="previous",
            encoding="utf-8-sig",
            headers=chooser.first("hr"),
        ),
        FileSpec(
            "hr",
            "previous_county",
            f"人社_就业参保_县域_{before}.csv",
            folder="previous",
            encoding="gb18030",
            delimiter="\t",
            headers=chooser.pick("hr"),
        ),
    ]


def medical_months(as_of: dt.date) -> list[tuple[int, int]]:
    """(year, month) of the monthly settlement files: the as-of month and 15 before it."""
    out = []
    y, m = as_of.year, as_of.month
    for _ in range(16):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return sorted(out)


def _medical_files(as_of: dt.date, chooser: _HeaderChooser, big: bool) -> list[FileSpec]:
    months = medical_months(as_of)
    out = []
    xlsx_month = months[-2]
    for k, (y, m) in enumerate(months):
        key = f"{y}{m:02d}"
        if (y, m) == xlsx_month:
            out.append(
                FileSpec(
                    "medical_insurance",
                    key,
                    f"医保结算明细_{key}.xlsx",
                    fmt="xlsx",
                    headers=chooser.pick("medical_insurance"),
                    extras=((0, "序号", "#"), (11, "备注", "")),
                    title=(f"{y}年{m}月医保结算明细", f"导出日期：{as_of:%Y-%m-%d}"),
                    total_row=True,
                    sheet="结算明细",
                    big=big,
                )
            )
            continue
        encoding = ("utf-8-sig", "gb18030", "utf-8")[k % 3]
        style = dd.COMPACT if encoding == "gb18030" else dd.ISO
        out.append(
            FileSpec(
                "medical_insurance",
                key,
                f"医保结算明细_{key}.csv",
                encoding=encoding,
                crlf=k % 2 == 0,
                date_style=style,
                headers=chooser.first("medical_insurance")
                if k == 0
                else chooser.pick("medical_insurance"),
            )
        )
    return out


def _rural_files(city: City, as_of: dt.date, chooser: _HeaderChooser, big: bool) -> list[FileSpec]:
    rural_counties = [c for c in city.counties if not c.is_district]
    out = [
        FileSpec(
            "rural",
            "main",
            f"防返贫监测户信息_{as_of:%Y%m}.xlsx",
            fmt="xlsx",
            headers=chooser.first("rural"),
            info_sheet=("说明", "本表数据来源于全国防止返贫监测信息系统。", "收入单位：元/年。"),
            title=("防止返贫监测对象信息表",),
            sheet="监测对象",
            big=big,
        )
    ]
    last = rural_counties[-1]
    out.append(
        FileSpec(
            "rural",
            str(last.code),
            f"防返贫监测户_{last.name}_{as_of:%Y%m}.csv",
            encoding="gb18030",
            crlf=True,
            headers=chooser.pick("rural"),
        )
    )
    return out


def hotline_quarters(as_of: dt.date) -> list[tuple[int, int]]:
    """(year, quarter) of the hotline files: the as-of quarter and the four before it."""
    y, q = as_of.year, (as_of.month - 1) // 3 + 1
    out = []
    for _ in range(5):
        out.append((y, q))
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    return sorted(out)


def _hotline_files(as_of: dt.date, chooser: _HeaderChooser, big: bool) -> list[FileSpec]:
    out = []
    for k, (y, q) in enumerate(hotline_quarters(as_of)):
        key = f"{y}Q{q}"
        if k == 1:
            out.append(
                FileSpec(
                    "hotline",
                    key,
                    f"12345工单_{key}.xlsx",
                    fmt="xlsx",
                    headers=chooser.first("hotline"),
                    title=(f"12345热线工单明细（{y}年第{q}季度）",),
                    date_style=dd.SERIAL,
                    big=big,
                )
            )
            continue
        encoding = "gb18030" if k == 3 else "utf-8"
        out.append(
            FileSpec(
                "hotline",
                key,
                f"12345工单_{key}.csv",
                encoding=encoding,
                crlf=True,
                headers=chooser.first("hotline"),
                extras=((8, "办理状态", "已办结"),),
            )
        )
    return out


def grid_months(as_of: dt.date) -> list[tuple[int, int]]:
    """(year, month) of the grid workers' monthly visit exports: the as-of month and the four
    before it."""
    out = []
    y, m = as_of.year, as_of.month
    for _ in range(5):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return sorted(out)


def _grid_files(as_of: dt.date, chooser: _HeaderChooser, big: bool) -> list[FileSpec]:
    """One export a month from the 网格化管理 platform, each month's by another hand: a GB18030
    CSV with slash dates, an xlsx with a title and Chinese dates, a CSV with a 序号 column and
    other header names, a plain UTF-8 CSV, and the as-of month's xlsx with Excel serial dates."""
    out = []
    months = grid_months(as_of)
    for k, (y, m) in enumerate(months):
        key = f"{y}{m:02d}"
        name = f"网格员巡查走访记录_{key}"
        if k == 0:
            spec = FileSpec("grid", key, name + ".csv", encoding="gb18030", crlf=True,
                            headers=chooser.first("grid"), date_style=dd.SLASH)  # fmt: skip
        elif k == 1:
            spec = FileSpec("grid", key, name + ".xlsx", fmt="xlsx", headers=chooser.pick("grid"),
                            title=(f"网格员巡查走访记录（{y}年{m}月）",), sheet="走访记录",
                            date_style=dd.CHINESE, big=big)  # fmt: skip
        elif k == 2:
            spec = FileSpec("grid", key, name + ".csv", encoding="utf-8-sig",
                            headers=chooser.pick("grid"), extras=((0, "序号", "#"),))  # fmt: skip
        elif k < len(months) - 1:
            spec = FileSpec("grid", key, name + ".csv", headers=chooser.first("grid"))
        else:
            spec = FileSpec("grid", key, name + ".xlsx", fmt="xlsx", headers=chooser.first("grid"),
                            info_sheet=("说明", "本表由网格化服务管理平台导出。", "情况描述为网格员填写。"),
                            title=("网格员巡查走访记录",), sheet="走访记录", date_style=dd.SERIAL,
                            big=big)  # fmt: skip
        out.append(spec)
    return out
