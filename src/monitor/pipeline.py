"""The nightly run's stages as plain functions (the Prefect flow in flows/ only connects them)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor import link as link_stage
from monitor import publish as publish_stage
from monitor import score as score_stage
from monitor.engine import Engine
from monitor.errors import MonitorError
from monitor.ingest import SourceIngest, ingest_source
from monitor.policy import Policy, default_policy_path, load_policy
from monitor.report import build_report

log = logging.getLogger(__name__)


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
            f"隔离: {self.quarantined} 条; 乡镇工作簿: {self.workbooks} 个",
        ]
        if failed:
            lines.append("失败的文件:")
            lines += [f"  - {m}" for m in failed]
        return "\n".join(lines)


def make_context(
    input_dir: Path,
    out: Path,
    as_of: dt.date | None = None,
    state: Path | None = None,
    policy_file: Path | None = None,
    strict: bool = False,
) -> RunContext:
    """Validate the run's parameters up front (a bad policy stops the run before any work)."""
    as_of = as_of or dt.date.today()
    if not input_dir.is_dir():
        raise MonitorError(
            f"{input_dir}: input folder not found; pass the folder holding roster/, hr/, …"
        )
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
    )


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
            engine, ctx.run_id, ctx.as_of, ctx.policy_file.name, ctx.policy_hash, published
        )
        (folder / "report.html").write_text(html, encoding="utf-8")

    published = publish_stage.publish(
        engine, ctx.out, ctx.run_id, ctx.as_of, ctx.policy, extra_writers=[write_report]
    )
    engine.run("00_state/complete_run.sql", {"run_id": ctx.run_id})
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


def _ignore(summary: RunSummary, result: Any) -> None:
    return None


@dataclass(frozen=True)
class Stage:
    """One stage of the nightly run: its name, what it does on the open state (a result the
    run's summary records), and its parts (ingestion: one per source), run once each."""

    name: str
    run: Callable[[Engine, RunContext, str | None], Any]
    record: Callable[[RunSummary, Any], None] = _ignore
    parts: tuple[str, ...] = ()


def stages() -> tuple[Stage, ...]:
    """The nightly stages, in order: the one list the plain runner and the Prefect flow iterate."""
    from monitor.contracts import SOURCES

    return (
        Stage("ingest", _ingest, _record_ingest, tuple(SOURCES)),
        Stage("link", _link),
        Stage("score", _score, _record_score),
        Stage("publish", _publish, _record_publish),
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
    summary = RunSummary(out=ctx.out, as_of=ctx.as_of)
    with open_state(ctx.state) as engine:  # the run's lock, held until the last stage is done
        begin_run(engine, ctx)
        for each in stages():
            started = time.perf_counter()
            for part in each.parts or (None,):
                each.record(summary, call(ctx, each.name, part))
            clock[each.name] = time.perf_counter() - started
    if ctx.strict and any(s.failed for s in summary.ingest):
        raise StrictModeError("--strict: at least one input file failed (see report.html)")
    return summary
