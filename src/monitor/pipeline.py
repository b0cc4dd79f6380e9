"""The nightly run's stages as plain functions (the Prefect flow in flows/ only connects them)."""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor import link as link_stage
from monitor import progress
from monitor import publish as publish_stage
from monitor import score as score_stage
from monitor.contracts import closest_source, source_label
from monitor.engine import Engine
from monitor.errors import InputError, MonitorError, PartsFailedError
from monitor.ingest import SourceIngest, ingest_source
from monitor.policy import Policy, default_policy_path, load_policy
from monitor.report import build_report
from monitor.signals import TIER_LABELS

log = logging.getLogger(__name__)

# The city's clock: an as-of date left out is today's date there, whatever the host's zone.
CITY_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def city_today(at: dt.datetime | None = None) -> dt.date:
    """The date in the city at `at` (default now): a scheduled run's as-of date is the city's
    date of its scheduled time, not the host's."""
    moment = at or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CITY_ZONE).date()


@dataclass
class RunContext:
    """What every stage needs to know about the run (no personal data)."""

    input_dir: Path
    out: Path
    as_of: dt.date
    state: Path
    policy: Policy
    policy_file: Path
    policy_hash: str
    strict: bool = False
    notices: tuple[str, ...] = ()  # what looked wrong in the input folder (input_notices)

    @property
    def run_id(self) -> str:
        # One run per as-of date: rerunning a date replaces that run (policy.md).
        return self.as_of.isoformat()


@dataclass
class RunSummary:
    """The run's one-screen summary."""

    out: Path
    as_of: dt.date
    ingest: list[SourceIngest] = field(default_factory=list)
    links: dict[str, int] = field(default_factory=dict)
    warnings: int = 0
    by_tier: dict[str, int] = field(default_factory=dict)
    new: int = 0
    resolved: int = 0
    quarantined: int = 0
    workbooks: int = 0
    notices: list[str] = field(default_factory=list)  # what looked wrong in the input
    links_by_source: dict[str, dict[str, int]] = field(default_factory=dict)
    referrals: int = 0  # rows of the departments' lists

    def headline(self) -> str:
        """One line: households warned by tier, new / persisting / resolved (counts only)."""
        tiers = "，".join(f"{TIER_LABELS[t]} {self.by_tier.get(t, 0)}" for t in TIER_LABELS)
        return (
            f"{self.as_of} 预警 {self.warnings} 户（{tiers}）；新增 {self.new}，"
            f"持续 {self.warnings - self.new}，已解除或已处置 {self.resolved}"
        )

    def source_table(self) -> list[dict[str, Any]]:
        """Per source, what came in this run (files, records read) and where the source's
        current records went (linked, in review, unmatched, quarantined: links.csv and
        quarantine.csv), the run's Prefect table artifact: counts only, no personal data."""
        rows = []
        for each in self.ingest:
            methods = self.links_by_source.get(each.source, {})
            rows.append({
                "来源": source_label(each.source),
                "新文件": each.loaded,
                "未变文件": each.skipped,
                "失败文件": each.failed,
                "本次读取记录": each.records,
                "隔离记录": methods.get("quarantined", 0),
                "已匹配记录": sum(methods.get(m, 0) for m in ("exact", "repaired", "fuzzy")),
                "待人工复核": methods.get("review", 0),
                "未匹配": methods.get("unmatched", 0),
            })  # fmt: skip
        return rows

    def quality_note(self) -> str:
        """The run's data-quality note (a Prefect markdown artifact): failed files first,
        then what looked wrong in the input, quarantine and the review queue. File names and
        counts only."""
        failed = [m for s in self.ingest for m in s.messages]
        lines = [f"# 数据质量 {self.as_of}", "", self.headline(), ""]
        lines += ["## 失败的文件", ""] + ([f"- {m}" for m in failed] or ["- 无"]) + [""]
        if self.notices:
            lines += ["## 请注意", ""] + [f"- {m}" for m in self.notices] + [""]
        empty = [m for s in self.ingest for m in s.notices]
        if empty:
            lines += ["## 未读取或无数据的条目", ""] + [f"- {m}" for m in empty] + [""]
        lines += [
            "## 隔离与复核",
            "",
            f"- 隔离记录 {self.quarantined} 条（quarantine.csv）",
            f"- 待人工复核的身份匹配 {self.links.get('review', 0)} 条（review.xlsx）",
        ]
        return "\n".join(lines)

    def text(self) -> str:
        failed = [m for s in self.ingest for m in s.messages]
        lines = [
            f"输出目录: {self.out}",
            f"监测日期: {self.as_of}",
            "文件: "
            + ", ".join(
                f"{s.source} {s.loaded}新/{s.skipped}跳过/{s.failed}失败" for s in self.ingest
            ),
            "记录: " + ", ".join(f"{k} {v}" for k, v in self.links.items()),
            f"预警: {self.warnings} 户 (红 {self.by_tier.get('red', 0)}, 橙 {self.by_tier.get('orange', 0)},"
            f" 黄 {self.by_tier.get('yellow', 0)}, 复核 {self.by_tier.get('review', 0)});"
            f" 新增 {self.new}; 解除 {self.resolved}",
            f"隔离: {self.quarantined} 条; 乡镇工作簿: {self.workbooks} 个;"
            f" 部门转介: {self.referrals} 项",
        ]
        if failed:
            lines.append("失败的文件:")
            lines += [f"  - {m}" for m in failed]
        if self.notices:
            lines.append("请注意:")
            lines += [f"  - {m}" for m in self.notices]
        return "\n".join(lines)


def make_context(
    input_dir: Path,
    out: Path,
    as_of: dt.date | None = None,
    state: Path | None = None,
    policy_file: Path | None = None,
    strict: bool = False,
) -> RunContext:
    """Validate the run's parameters up front (a bad policy or input folder stops the run
    before any work)."""
    as_of = as_of or city_today()
    notices = input_notices(input_dir)  # refuses a folder that holds no source at all
    check_output_folder(out)
    policy_file = policy_file or default_policy_path(as_of)
    policy, digest = load_policy(policy_file)
    return RunContext(
        input_dir=input_dir,
        out=out,
        as_of=as_of,
        state=state or Path("state/monitor.duckdb"),
        policy=policy,
        policy_file=policy_file,
        policy_hash=digest,
        strict=strict,
        notices=tuple(notices),
    )


def check_output_folder(out: Path) -> None:
    """Before any work: OUT must be a folder (or not exist yet) in a folder this process may
    write, since publish writes beside it and swaps the two."""
    import os

    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}：已存在，但不是文件夹。请用 --out 指定输出文件夹。")
    probe = out.parent
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InputError(
            f"{out}：无法写入（{probe} 没有写入权限或为只读文件系统）。"
            "请修正权限或用 --out 指定可写的位置后重新运行。"
        )


def input_notices(input_dir: Path) -> list[str]:
    """What looks wrong in the input folder, said rather than swallowed: folders that are no
    source (with the closest source named), files outside any source folder. A folder with
    no source folder at all is refused (InputError): most likely the wrong path."""
    from monitor.contracts import SOURCES

    if not input_dir.is_dir():
        raise InputError(
            f"{input_dir}：输入目录不存在。请指定存放各部门导出文件的目录"
            f"（其中有 {'/、'.join(SOURCES)}/ 等来源文件夹）。"
        )
    notices, known = [], 0
    for entry in sorted(input_dir.iterdir()):
        if entry.name.startswith((".", "~$")):
            continue
        if entry.is_dir() and entry.name in SOURCES:
            known += 1
        elif entry.is_dir():
            close = closest_source(entry.name)
            hint = (
                f"是否应为 {close}/（{source_label(close)}）？"
                if close
                else f"来源文件夹为：{'/、'.join(SOURCES)}/。"
            )
            notices.append(f"{entry.name}/ 不是已知的来源文件夹，其中的文件本次不读取。{hint}")
        else:
            notices.append(
                f"{entry.name} 在输入目录的顶层，不属于任何来源文件夹，本次不读取。"
                "请把它放进对应来源的文件夹（如 hr/）。"
            )
    if not known:
        raise InputError(
            f"{input_dir}：其中没有任何已知的来源文件夹（{'/、'.join(SOURCES)}/），"
            "没有可读取的数据。请确认输入目录是否正确。"
            + ("".join(f" {n}" for n in notices) if notices else "")
        )
    return notices


def as_of_notice(engine: Engine, as_of: dt.date) -> str | None:
    """An as-of date earlier than the latest completed run's is allowed (a rerun of the
    past, see backfill) but said."""
    latest = engine.run("00_state/last_completed_run.sql")  # (run_id, as_of, policy_file)
    if latest and latest[0][1] > as_of:
        return (
            f"监测日期 {as_of} 早于最近一次已完成运行的日期 {latest[0][1]}："
            "按该日期重新计算，预警的新增/持续以该日期之前的运行为准。"
            "如需补齐过去各日，请用 monitor backfill。"
        )
    return None


def begin_run(engine: Engine, ctx: RunContext) -> None:
    from monitor.state import remove_output_leftovers

    # a run that died while publishing left a copy of the output (full IDs) beside OUT
    remove_output_leftovers(ctx.out)
    engine.run(
        "00_state/begin_run.sql",
        {
            "run_id": ctx.run_id,
            "as_of": ctx.as_of,
            "input_dir": str(ctx.input_dir),
            "policy_file": str(ctx.policy_file),
            "policy_hash": ctx.policy_hash,
        },
    )


def _ingest(engine: Engine, ctx: RunContext, source: str | None) -> SourceIngest:
    return ingest_source(engine, ctx.input_dir, str(source), ctx.run_id, ctx.as_of)


def _link(engine: Engine, ctx: RunContext, _: str | None) -> dict[str, int]:
    return link_stage.link(engine, ctx.run_id)


def _score(engine: Engine, ctx: RunContext, _: str | None) -> int:
    return score_stage.score(engine, ctx.policy, ctx.as_of, ctx.run_id)


def _publish(engine: Engine, ctx: RunContext, _: str | None) -> publish_stage.Published:
    def write_report(folder: Path, published: publish_stage.Published) -> None:
        html = build_report(
            engine,
            ctx.run_id,
            ctx.as_of,
            ctx.policy_file.name,
            ctx.policy_hash,
            published,
            ctx.policy,
        )
        (folder / "report.html").write_text(html, encoding="utf-8")

    published = publish_stage.publish(
        engine, ctx.out, ctx.run_id, ctx.as_of, ctx.policy, extra_writers=[write_report]
    )
    engine.run("00_state/complete_run.sql", {"run_id": ctx.run_id})
    from monitor.state import publish_state_copy

    publish_state_copy(engine, ctx.state, ctx.out)
    return published


def _record_ingest(summary: RunSummary, result: Any) -> None:
    summary.ingest.append(result)


def _record_score(summary: RunSummary, result: Any) -> None:
    summary.warnings = result


def _record_publish(summary: RunSummary, published: Any) -> None:
    summary.out = published.out
    summary.links = published.links
    summary.warnings = published.warnings
    summary.by_tier = published.by_tier
    summary.new = published.new
    summary.resolved = published.resolved
    summary.quarantined = published.quarantined
    summary.workbooks = published.workbooks
    summary.links_by_source = published.links_by_source
    summary.referrals = published.referrals


def _ignore(summary: RunSummary, result: Any) -> None:
    return None


@dataclass(frozen=True)
class Stage:
    """One stage of the nightly run: its name and words (progress lines), what it does on
    the open state (a result the run's summary records), and its parts (ingestion: one per
    source), run once each."""

    name: str
    label: str
    run: Callable[[Engine, RunContext, str | None], Any]
    record: Callable[[RunSummary, Any], None] = _ignore
    parts: tuple[str, ...] = ()
    # parts are independent (ingestion: one source each): one failing on an internal error
    # does not stop the others; the run stops after the stage, keeping their work
    independent: bool = False


def stages() -> tuple[Stage, ...]:
    """The nightly stages, in order: the one list the plain runner and the Prefect flow iterate."""
    from monitor.contracts import SOURCES

    return (
        Stage("ingest", "读取入库", _ingest, _record_ingest, tuple(SOURCES), independent=True),
        Stage("link", "身份匹配", _link),
        Stage("score", "评分预警", _score, _record_score),
        Stage("publish", "发布输出", _publish, _record_publish),
    )


def stage(name: str) -> Stage:
    """The stage called `name` (a Prefect task is given the name, not the function)."""
    for candidate in stages():
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def run_stage(ctx: RunContext, name: str, part: str | None) -> Any:
    """Run one part of a stage: open the state (the run's open engine while the run holds
    it; otherwise the state's lock and a connection of its own), do the stage's work. What a
    Prefect task calls, with the run's parameters and the stage's name and part only."""
    from monitor.state import open_state

    with open_state(ctx.state) as engine:
        return stage(name).run(engine, ctx, part)


# How a stage's part is run: directly, or (the Prefect flow) as a task. Arguments: the run's
# context, the stage's name and the part (a source, or None); returns the stage's result.
StageRunner = Callable[[RunContext, str, "str | None"], Any]


def run_all(
    ctx: RunContext,
    timings: dict[str, float] | None = None,
    runner: StageRunner | None = None,
) -> RunSummary:
    """Every stage of `stages()` in order on the state, holding its lock for the whole run:
    directly (tests, benchmarks, the CLI without Prefect) or through `runner` (the nightly
    flow runs each part as a task, which opens the state itself). Stage durations go into
    `timings` when given. With ``ctx.strict`` a run in which an input file failed ends with
    StrictModeError, after publishing."""
    from monitor.errors import StrictModeError
    from monitor.state import open_state

    clock = timings if timings is not None else {}
    call = runner or run_stage
    summary = RunSummary(out=ctx.out, as_of=ctx.as_of, notices=list(ctx.notices))
    with open_state(ctx.state) as engine:  # the run's lock, held until the last stage is done
        notice = as_of_notice(engine, ctx.as_of)
        summary.notices += [notice] if notice else []
        for notice in summary.notices:
            log.warning("%s", notice)
        begin_run(engine, ctx)
        for each in stages():
            started = time.perf_counter()
            progress.say(f"{each.label}…")
            failed = []
            for part in each.parts or (None,):
                try:
                    each.record(summary, call(ctx, each.name, part))
                except MonitorError:  # the input or the state: the run cannot go on
                    raise
                except Exception as exc:
                    if not each.independent:
                        raise
                    log.error("%s %s: internal error %s", each.name, part, type(exc).__name__)
                    # the type only: an unexpected error's text may quote a value read
                    failed.append(f"{source_label(str(part))}（{type(exc).__name__}）")
            clock[each.name] = time.perf_counter() - started
            if failed:
                raise PartsFailedError(
                    f"{each.label}时发生内部错误：{'；'.join(failed)}。其他部分已完成并保存；"
                    "本次运行在此停止，输出目录保持上次的内容。修复后重新运行会从中断处继续。"
                )
            progress.say(f"{each.label}完成，用时 {clock[each.name]:.1f} 秒")
    if ctx.strict and any(s.failed for s in summary.ingest):
        raise StrictModeError("--strict：有输入文件读取失败（见 report.html 与上面的摘要）。")
    return summary


@dataclass(frozen=True)
class BackfillNight:
    """One date of a backfill: its input folder, and where its output goes (only the last
    date's goes to OUT; the others' to a private folder removed after the night)."""

    as_of: dt.date
    input_dir: Path
    out: Path
    last: bool


def backfill_nights(input_root: Path, start: dt.date, end: dt.date, out: Path,
                    state: Path) -> tuple[list[BackfillNight], list[str]]:  # fmt: skip
    """The nights of `monitor backfill`: one per folder `INPUT_ROOT/<YYYY-MM-DD>/` dated from
    `start` to `end`, in date order, and what looked wrong (folders that are no date)."""
    import os

    from monitor.state import temp_folder_of

    if end < start:
        raise InputError(f"--from {start} 晚于 --to {end}：请给出从早到晚的日期范围。")
    if not input_root.is_dir():
        raise InputError(
            f"{input_root}：目录不存在。请指定按日期分文件夹（YYYY-MM-DD/）存放输入的目录。"
        )
    dated, notices = [], []
    for entry in sorted(input_root.iterdir()):
        if entry.name.startswith("."):
            continue
        try:
            day = dt.date.fromisoformat(entry.name)
        except ValueError:
            notices.append(f"{entry.name} 不是 YYYY-MM-DD 形式的日期文件夹，回溯时不读取。")
            continue
        if entry.is_dir() and start <= day <= end:
            dated.append((day, entry))
    if not dated:
        raise InputError(
            f"{input_root}：在 {start} 至 {end} 之间没有日期文件夹（形如 {start.isoformat()}/，"
            "其中是各来源文件夹）。"
        )
    spare = temp_folder_of(state.resolve())
    nights = [
        BackfillNight(
            day, folder,
            out if i == len(dated) - 1 else spare / f"backfill-{os.getpid()}-{day.isoformat()}",
            i == len(dated) - 1,
        )
        for i, (day, folder) in enumerate(dated)
    ]  # fmt: skip
    return nights, notices


def discard_output(out: Path) -> None:
    """Remove a backfill night's private output folder and its state copy (full IDs)."""
    import shutil

    from monitor.state import published_state

    shutil.rmtree(out, ignore_errors=True)
    published_state(out).unlink(missing_ok=True)
