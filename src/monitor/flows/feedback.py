"""The feedback flow: import returned township workbooks and review.xlsx into the state (what
`monitor feedback` does, for a deployment that collects returned files in a folder)."""

# No `from __future__ import annotations`: Prefect builds its parameter model from the
# annotations, which must be the types themselves (Path, date), not their names.
import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from monitor.feedback import FeedbackResult, import_workbooks
from monitor.flows import quiet_logging
from monitor.pipeline import city_today
from monitor.state import open_state


@task(name="import-workbooks", cache_policy=NO_CACHE, persist_result=False)
def import_task(paths: list[Path], state: Path, today: dt.date) -> FeedbackResult:
    """Import the workbooks; the result holds counts and cell addresses, no personal data."""
    with open_state(state) as engine:
        return import_workbooks(engine, paths, today)


@flow(name="feedback", persist_result=False)
def feedback(
    paths: list[Path], state: Path = Path("state/monitor.duckdb"), today: dt.date | None = None
) -> FeedbackResult:
    """Import returned workbooks (files or folders); logs the summary."""
    quiet_logging()
    result = import_task(paths, state, today or city_today())
    logger = get_run_logger()
    logger.info(
        "%d workbooks: %d recorded, %d unchanged, %d blank, %d rejected",
        result.files, result.imported, result.unchanged, result.blank, len(result.rejected),
    )  # fmt: skip
    for rejection in result.rejected:  # file name, sheet, row and cell: no personal data
        logger.warning("%s", rejection.text())
    return result
