"""The nightly flow: ingest every source, link identities, score, publish.

The stages are pipeline.stages(), the one list the plain runner iterates too; here each
stage's part (ingestion: one per source) is a task that opens the state itself. Tasks get
the run's parameters and the stage's name and part, never a connection or personal data, and nothing is persisted to Prefect's storage.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from monitor import pipeline
from monitor.flows import quiet_logging

TASK_OPTIONS: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


@task(name="stage", **TASK_OPTIONS)
def stage_task(ctx: pipeline.RunContext, stage: str, part: str | None) -> Any:
    """One part of a stage of pipeline.stages(): the task opens the state itself (under the
    run's lock) and is given the run's parameters and the stage's name and part only,
    never a connection or personal data."""
    return pipeline.run_stage(ctx, stage, part)


def _as_task(ctx: pipeline.RunContext, stage: str, part: str | None) -> Any:
    name = f"{stage}-{part}" if part else stage
    # quoted: Prefect hands the task the context itself without walking it for task inputs
    quoted = cast(pipeline.RunContext, quote(ctx))
    return stage_task.with_options(name=stage, task_run_name=name)(quoted, stage, part)


@flow(name="nightly", persist_result=False, validate_parameters=False)
def nightly(
    input_dir: Path,
    out: Path,
    as_of: dt.date | None = None,
    state: Path | None = None,
    policy_file: Path | None = None,
    strict: bool = False,
) -> pipeline.RunSummary:
    """The nightly run on one input folder: pipeline.run_all with each stage's parts as tasks;
    returns the run's summary (counts only)."""
    quiet_logging()
    logger = get_run_logger()
    ctx = pipeline.make_context(input_dir, out, as_of, state, policy_file, strict)
    summary = pipeline.run_all(ctx, runner=_as_task)
    for result in summary.ingest:
        logger.info(
            "%s: %d loaded, %d skipped, %d failed, %d records",
            result.source, result.loaded, result.skipped, result.failed, result.records,
        )  # fmt: skip
    logger.info("links: %s; warnings: %d households", summary.links, summary.warnings)
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
