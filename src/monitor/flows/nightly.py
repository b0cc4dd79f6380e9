"""The nightly flow: ingest every source, link identities, score, publish.

The stages are pipeline.stages(), the one list the plain runner iterates too; here each
stage's part (ingestion: one per source) is a task that opens the state itself. Tasks get
the run's parameters and the stage's name and part, never a connection or personal data,
and nothing is persisted to Prefect's storage. Parameters are typed (paths, a date) and
validated by Prefect, so a deployment's JSON parameters arrive as Path and date.
"""

# No `from __future__ import annotations`: Prefect builds its parameter model from the
# annotations, which must be the types themselves (Path, date), not their names.
import datetime as dt
from pathlib import Path
from typing import Any, cast

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from monitor import pipeline
from monitor.errors import MonitorError
from monitor.flows import quiet_logging

TASK_OPTIONS: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}
# Stages that read or write files (an export on a network share, the output folder) are
# retried once after a short pause; a retry resumes through the ledger (files already
# loaded are skipped) and rewrites the output folder aside, so it gives the same outputs.
RETRIED = {"ingest", "publish"}
DEPLOYMENT = "nightly"
DEFAULT_STATE = Path("state/monitor.duckdb")


@task(name="stage", **TASK_OPTIONS)
def stage_task(ctx: pipeline.RunContext, stage: str, part: str | None) -> Any:
    """One part of a stage of pipeline.stages(): the task opens the state itself (under the
    run's lock) and is given the run's parameters and the stage's name and part only,
    never a connection or personal data."""
    return pipeline.run_stage(ctx, stage, part)


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry what may pass (an I/O error on a share), not what will not: the input, the
    state or the disk as the message says (MonitorError) fails at once."""
    try:
        state.result()
    except MonitorError:
        return False
    except Exception:
        return True
    return True


def _as_task(ctx: pipeline.RunContext, stage: str, part: str | None) -> Any:
    name = f"{stage}-{part}" if part else stage
    retried = stage in RETRIED
    # quoted: Prefect hands the task the context itself without walking it for task inputs
    quoted = cast(pipeline.RunContext, quote(ctx))
    options = stage_task.with_options(
        name=stage,
        task_run_name=name,
        retries=1 if retried else 0,
        retry_delay_seconds=10 if retried else 0,
        retry_condition_fn=_transient,
    )
    return options(quoted, stage, part)


def _as_of(as_of: dt.date | None) -> dt.date:
    """The run's as-of date: as given, else the city's date of the run's scheduled time (a
    run the schedule starts at 02:00 Asia/Shanghai is that night's date, whatever the host's
    zone); outside a flow run, the city's today."""
    if as_of is not None:
        return as_of
    from prefect.runtime import flow_run

    scheduled = flow_run.scheduled_start_time
    return pipeline.city_today(scheduled if isinstance(scheduled, dt.datetime) else None)


@flow(name="nightly", persist_result=False)
def nightly(
    input_dir: Path,
    out: Path,
    as_of: dt.date | None = None,
    state: Path = DEFAULT_STATE,
    policy_file: Path | None = None,
    strict: bool = False,
) -> pipeline.RunSummary:
    """The nightly run on one input folder: pipeline.run_all with each stage's parts as
    tasks; returns the run's summary (counts only), also kept as the run's artifacts."""
    quiet_logging()
    logger = get_run_logger()
    ctx = pipeline.make_context(input_dir, out, _as_of(as_of), state, policy_file, strict)
    summary = pipeline.run_all(ctx, runner=_as_task)
    for result in summary.ingest:
        logger.info(
            "%s: %d loaded, %d skipped, %d failed, %d records",
            result.source, result.loaded, result.skipped, result.failed, result.records,
        )  # fmt: skip
    logger.info("links: %s; warnings: %d households", summary.links, summary.warnings)
    create_table_artifact(
        summary.source_table(), key="nightly-sources", description=summary.headline()
    )
    create_markdown_artifact(summary.quality_note(), key="nightly-data-quality")
    return summary


def serve_nightly(
    input_dir: Path,
    out: Path,
    state: Path,
    cron: str = "0 2 * * *",
    policy_file: Path | None = None,
) -> None:
    """Register the deployment nightly/nightly on the Prefect server of PREFECT_API_URL and
    serve it: the schedule is in the city's time (Prefect's default is UTC); each run's
    as-of date is the city's date of its scheduled time."""
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    parameters: dict[str, Any] = {"input_dir": str(input_dir), "out": str(out),
                                  "state": str(state)}  # fmt: skip
    if policy_file is not None:
        parameters["policy_file"] = str(policy_file)
    nightly.serve(
        name=DEPLOYMENT,
        schedules=[Cron(cron, timezone=str(pipeline.CITY_ZONE))],
        parameters=parameters,
        entrypoint_type=EntrypointType.MODULE_PATH,
        print_starting_message=False,
    )
