"""Analysts' check-export: how one new export of a source would fare, without changing the state.

The state is copied into its private temporary folder (whatif.private_copy: owner-only,
removed afterwards); there, the file alone is ingested with the package's own ingestion
(ingest.ingest_source: read, normalize, flag, Great Expectations) in a private run of its
own, and the copy is linked (link.link) with the file added to its source's current picture.
The result counts the file's records read, staged and quarantined, its match rates by ID
status (the clean layer's id_status), its flags by rule (clean.FLAG_LABELS) and a masked
sample of up to 10 rows that link to nobody. The state itself is only read (copied).

A file whose content is already in the state is not loaded again: its records as the state
holds them are reported (the same numbers a first check would have given).
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from monitor import link as link_stage
from monitor.clean import FLAG_LABELS
from monitor.contracts import Contract, closest_source, contracts, source_named
from monitor.engine import Engine
from monitor.errors import (
    CheckExportError,
    InputFileError,
    StateLockedError,
    StateMissingError,
)
from monitor.explain import ID_STATUS_LABELS
from monitor.ingest import ingest_source
from monitor.privacy import mask_id, mask_name, mask_phone
from monitor.state import open_state, private_umask
from monitor.whatif import private_copy

# The private run the file is ingested in, on the copy: after the compared run in run order
# (runs are named by their as-of date), so that its picture is the current one.
CHECK_RUN_SUFFIX = "~check-export"
SAMPLE_ROWS = 10
LINKED = ("exact", "repaired", "fuzzy")
ID_STATUS_ORDER = tuple(ID_STATUS_LABELS)
METHOD_LABELS = {"unmatched": "未关联", "review": "待人工复核"}


@dataclass(frozen=True)
class StatusRate:
    """Records of one ID status and what linking made of them."""

    id_status: str
    label: str
    records: int
    linked: int
    review: int
    unmatched: int
    quarantined: int

    @property
    def rate(self) -> float | None:
        """Share of the records linked to a person (None: no record)."""
        return self.linked / self.records if self.records else None


@dataclass(frozen=True)
class FlagCount:
    flag: str  # as the clean layer stores it: <code> or <expectation>:<column>
    label: str
    records: int


@dataclass(frozen=True)
class UnmatchedRow:
    """A row that links to nobody, masked (the ID cell as read, name, phone)."""

    row: int
    method: str  # unmatched / review
    id_status: str
    id_text: str
    name: str
    phone: str
    township: str | None


@dataclass(frozen=True)
class ExportCheck:
    source: str
    source_label: str
    file: str
    as_of: dt.date
    compared_run: str  # the state's latest completed run, whose picture the file joins
    already_loaded: str | None  # the run that first loaded this content, when the state has it
    records: int  # data records read (title, blank and 合计 rows apart)
    staged: int
    quarantined: int
    title_rows: int
    blank_rows: int
    encoding: str | None
    sheet: str | None
    linked: int
    review: int
    unmatched: int
    known_elsewhere: int  # linked records whose person has records of other sources
    on_register: int  # linked records whose person belongs to a roster or rural household
    by_status: tuple[StatusRate, ...]
    flags: tuple[FlagCount, ...]
    quarantine_reasons: tuple[tuple[str, int], ...]
    unmatched_rows: int  # rows that link to nobody (unmatched or in review)
    sample: tuple[UnmatchedRow, ...]
    notices: tuple[str, ...]
    seconds: float

    @property
    def match_rate(self) -> float | None:
        """Share of the staged records linked to a person (None: nothing staged)."""
        return self.linked / self.staged if self.staged else None

    def text(self) -> str:
        """The check for the terminal, in Chinese (personal data masked)."""
        return _render(self)


def source_contract(source: str) -> Contract:
    """The contract of `source`; an unknown name raises CheckExportError naming the closest."""
    every = contracts()
    named = source_named(source)
    if named is not None:
        return every[named]
    close = closest_source(source)
    listed = "、".join(f"{c.source}（{c.label}）" for c in every.values())
    hint = f"最接近的是 {close}（{every[close].label}）。" if close else ""
    raise CheckExportError(f"未知的数据来源「{source}」：{hint}可用的来源：{listed}。")


def check_export(state: Path, file: Path, source: str, as_of: dt.date | None = None) -> ExportCheck:
    """Read, validate and link one export `file` of `source` against the state at `state`,
    on a private copy: the state is not changed.

    ``as_of`` is the date the file's dates are judged against (default: the as-of date of the
    state's latest completed run). An unknown source raises CheckExportError, a missing
    state StateMissingError, a file that cannot be used InputFileError (the reader's reason).
    """
    started = time.perf_counter()
    contract = source_contract(source)
    source = contract.source  # it may have been named by its label
    if not state.is_file():
        raise StateMissingError(
            f"{state}：状态库不存在。请用 --state 指定夜间运行发布的状态库副本，或先运行 `monitor run`。"
        )
    if not file.is_file():
        raise InputFileError(
            source, file.name, f"「{file}」不存在或不是普通文件：请给出要检查的导出文件。"
        )
    try:
        with private_copy(state) as copy, private_umask():
            folder = copy.parent / "input"
            (folder / source).mkdir(parents=True)
            shutil.copyfile(file, folder / source / file.name)
            with open_state(copy) as engine:
                return _check(engine, contract, folder, file.name, as_of, started)
    except StateLockedError as exc:
        raise StateLockedError(
            f"{state}：另一次运行正在写入这个状态库，检查需要它写完后的一致副本。"
            "请等它结束后再试，或使用夜间运行发布的状态库副本。"
        ) from exc


def _check(
    engine: Engine,
    contract: Contract,
    folder: Path,
    name: str,
    as_of: dt.date | None,
    started: float,
) -> ExportCheck:
    source = contract.source
    last = engine.run("00_state/last_completed_run.sql")
    if not last:
        raise CheckExportError(
            "状态库中还没有完成的运行，无从比对：请先运行 `monitor run`，再检查新的导出文件。"
        )
    run_id, last_as_of = str(last[0][0]), last[0][1]
    when = as_of or last_as_of
    check_run = run_id + CHECK_RUN_SUFFIX
    ingested = ingest_source(engine, folder, source, check_run, when)
    delivered = engine.query(
        "80_analyst/export_delivery.sql", {"run_id": check_run, "source": source}
    )
    if delivered.is_empty():  # the folder held the file: ingestion always records it
        raise CheckExportError(f"{source}/{name}：摄取没有记录这个文件（程序错误），请报告。")
    d = delivered.row(0, named=True)
    if d["outcome"] == "failed" or not d["file_hash"]:  # failed, or not read (hidden, lock)
        raise InputFileError(
            source, name, d["reason"] or "文件无法读取。", d["failed_column"] or "", d["records"]
        )
    if contract.kind == "snapshot":
        engine.run(
            "80_analyst/export_picture.sql",
            {"check_run_id": check_run, "run_id": run_id, "source": source},
        )
    link_stage.link(engine, check_run)
    records = engine.query(
        "80_analyst/export_records.sql", {"source": source, "file_hash": d["file_hash"]}
    )
    already = None if d["outcome"] == "loaded" else d["first_run_id"]
    return _result(contract, name, when, run_id, already, d, records, ingested.notices, started)


def _flag_label(contract: Contract, flag: str) -> str:
    code, _, column = flag.partition(":")
    text = FLAG_LABELS.get(code, code)
    if not column:
        return text
    try:
        where = contract.column(column).label
    except KeyError:
        where = {"id_status": "身份证号"}.get(column, column)
    return f"{where}：{text}"


def _result(
    contract: Contract,
    name: str,
    as_of: dt.date,
    run_id: str,
    already: str | None,
    delivery: dict[str, Any],
    records: pl.DataFrame,
    notices: list[str],
    started: float,
) -> ExportCheck:
    quarantined = records.filter(pl.col("quarantine_reason").is_not_null())
    usable = records.filter(pl.col("quarantine_reason").is_null())
    linked = usable.filter(pl.col("method").is_in(LINKED))
    by_status = []
    present = set(records["id_status"].to_list())
    for status in (*ID_STATUS_ORDER, *sorted(present - set(ID_STATUS_ORDER))):
        own = records.filter(pl.col("id_status") == status)
        if own.is_empty():
            continue
        methods = Counter(own["method"].to_list())
        by_status.append(
            StatusRate(
                id_status=status,
                label=ID_STATUS_LABELS.get(status, status),
                records=own.height,
                linked=sum(methods[m] for m in LINKED),
                review=methods["review"],
                unmatched=methods["unmatched"],
                quarantined=methods["quarantined"],
            )
        )
    flags = Counter(
        flag for text in records["flags"].drop_nulls().to_list() for flag in text.split(";") if flag
    )
    nobody = usable.filter(pl.col("method").is_in(["unmatched", "review"]))
    sample = tuple(
        UnmatchedRow(
            row=r["_row"],
            method=r["method"],
            id_status=r["id_status"],
            id_text=mask_id(r["id_text"]),
            name=mask_name(r["name"]),
            phone=mask_phone(r["phone_norm"]),
            township=r["township"],
        )
        for r in nobody.head(SAMPLE_ROWS).iter_rows(named=True)
    )
    read = delivery["records"]
    return ExportCheck(
        source=contract.source,
        source_label=contract.label,
        file=name,
        as_of=as_of,
        compared_run=run_id,
        already_loaded=already,
        records=int(read) if isinstance(read, int) else records.height,
        staged=usable.height,
        quarantined=quarantined.height,
        title_rows=int(delivery["title_rows"] or 0),
        blank_rows=int(delivery["blank_rows"] or 0),
        encoding=delivery["encoding"],
        sheet=delivery["sheet"],
        linked=linked.height,
        review=usable.filter(pl.col("method") == "review").height,
        unmatched=usable.filter(pl.col("method") == "unmatched").height,
        known_elsewhere=linked.filter(pl.col("known_elsewhere")).height,
        on_register=linked.filter(pl.col("membership").is_in(["roster", "rural"])).height,
        by_status=tuple(by_status),
        flags=tuple(
            FlagCount(flag, _flag_label(contract, flag), n)
            for flag, n in sorted(flags.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        quarantine_reasons=tuple(
            sorted(
                Counter(quarantined["quarantine_reason"].to_list()).items(),
                key=lambda kv: (-kv[1], kv[0]),
            )
        ),
        unmatched_rows=nobody.height,
        sample=sample,
        notices=tuple(notices),
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------- the text


def _width(text: str) -> int:
    """Columns a text takes on a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _render(c: ExportCheck) -> str:
    out = [
        f"导出文件检查：{c.source_label}（{c.source}）/ {c.file}",
        f"比对的状态：{c.compared_run} 的运行（日期按 {c.as_of} 判断）；状态库未被改动。",
    ]
    if c.already_loaded:
        out.append(
            f"注意：这个文件的内容已于运行 {c.already_loaded} 载入状态库，下面是它在状态库中的结果。"
        )
    out += [f"注意：{n}" for n in c.notices]
    read = f"读取记录 {c.records} 条（标题行 {c.title_rows}，空行 {c.blank_rows}）"
    if c.encoding:
        read += f"，编码 {c.encoding}"
    if c.sheet:
        read += f"，工作表「{c.sheet}」"
    out.append(read)
    out.append(f"可用 {c.staged} 条，隔离 {c.quarantined} 条")
    rate = _pct(c.linked, c.staged)
    out.append(
        f"关联到人 {c.linked} 条（{rate}），待人工复核 {c.review} 条，未关联 {c.unmatched} 条；"
        f"已关联的记录中 {c.known_elsewhere} 条的人在其他来源中也有记录，"
        f"{c.on_register} 条的人属于低收入人口库或防返贫监测的家庭"
    )

    out += ["", "按身份证号状态的关联率："]
    table = [("身份证号状态", "记录", "关联", "复核", "未关联", "隔离", "关联率")]
    table += [
        (
            s.label,
            str(s.records),
            str(s.linked),
            str(s.review),
            str(s.unmatched),
            str(s.quarantined),
            _pct(s.linked, s.records),
        )
        for s in c.by_status
    ]
    widths = [max(_width(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        cells = [_pad(row[0], widths[0], left=True)]
        cells += [_pad(v, w) for v, w in zip(row[1:], widths[1:], strict=True)]
        out.append("  " + "  ".join(cells))

    out += ["", f"数据质量标记（{len(c.flags)} 种）："]
    if not c.flags:
        out.append("  无")
    for f in c.flags:
        out.append(f"  {f.records:>6} 条  {f.label}（{f.flag}）")
    if c.quarantine_reasons:
        out += ["", "隔离原因："]
        out += [f"  {n:>6} 条  {reason}" for reason, n in c.quarantine_reasons]

    out += [
        "",
        f"未关联到人的记录（共 {c.unmatched_rows} 条，列出前 {len(c.sample)} 条，已脱敏）：",
    ]
    if not c.sample:
        out.append("  无")
    for r in c.sample:
        facts = [
            f"第 {r.row} 行",
            METHOD_LABELS.get(r.method, r.method),
            ID_STATUS_LABELS.get(r.id_status, r.id_status),
            f"证件号 {r.id_text or '（空）'}",
            f"姓名 {r.name or '（空）'}",
        ]
        if r.phone:
            facts.append(f"电话 {r.phone}")
        if r.township:
            facts.append(f"乡镇 {r.township}")
        out.append("  " + "，".join(facts))
    out += ["", f"用时 {c.seconds:.1f} 秒"]
    return "\n".join(out)
