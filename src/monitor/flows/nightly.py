"""The nightly flow: ingest every source, link identities, score, publish.

One task per stage and per source. Tasks pass the open state connection and
counts, never personal data, and nothing is persisted to Prefect's storage.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from monitor import pipeline
from monitor.contracts import SOURCES
from monitor.errors import StrictModeError
from monitor.ingest import SourceIngest
from monitor.runner import quiet_logging
from monitor.state import open_state

TASK_OPTIONS: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


@task(name="ingest", **TASK_OPTIONS)
def ingest_task(con: Any, ctx: pipeline.RunContext, source: str) -> SourceIngest:
    return pipeline.ingest(con, ctx, source)


@task(name="link", **TASK_OPTIONS)
def link_task(con: Any, ctx: pipeline.RunContext) -> dict[str, int]:
    return pipeline.link(con, ctx)


@task(name="score", **TASK_OPTIONS)
def score_task(con: Any, ctx: pipeline.RunContext) -> int:
    return pipeline.score(con, ctx)


@task(name="publish", **TASK_OPTIONS)
def publish_task(
    con: Any, ctx: pipeline.RunContext, summary: pipeline.RunSummary
) -> pipeline.RunSummary:
    return pipeline.publish(con, ctx, summary)


@flow(name="nightly", persist_result=False, validate_parameters=False)
def nightly(
    input_dir: Path,
    out: Path,
    as_of: dt.date | None = None,
    state: Path | None = None,
    policy_file: Path | None = None,
    strict: bool = False,
) -> pipeline.RunSummary:
    """The nightly run on one input folder; returns the run's summary (counts only)."""
    quiet_logging()
    logger = get_run_logger()
    ctx = pipeline.make_context(input_dir, out, as_of, state, policy_file, strict)
    summary = pipeline.RunSummary(out=out, as_of=ctx.as_of)
    with open_state(ctx.state) as con:
        pipeline.begin_run(con, ctx)
        for source in SOURCES:
            result = ingest_task.with_options(task_run_name=f"ingest-{source}")(con, ctx, source)
            summary.ingest.append(result)
            logger.info(
                "%s: %d loaded, %d skipped, %d failed, %d records",
                source, result.loaded, result.skipped, result.failed, result.records,
            )  # fmt: skip
        links = link_task(con, ctx)
        logger.info("links: %s", links)
        warnings = score_task(con, ctx)
        logger.info("warnings: %d households", warnings)
        summary = publish_task(con, ctx, summary)
    if strict and any(s.failed for s in summary.ingest):
        raise StrictModeError("--strict: at least one input file failed (see report.html)")
    return summary


def serve_nightly(input_dir: Path, out: Path, state: Path, cron: str = "0 2 * * *") -> None:
    """Serve the nightly flow on a schedule in local time (Prefect schedules in UTC by default)."""
    from prefect.schedules import Cron

    nightly.serve(
        name="nightly",
        schedules=[Cron(cron, timezone="Asia/Shanghai")],
        parameters={"input_dir": str(input_dir), "out": str(out), "state": str(state)},
    )


if __name__ == "__main__":  # python -m monitor.flows.nightly INPUT OUT STATE [CRON]
    import sys

    serve_nightly(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), *sys.argv[4:5])
