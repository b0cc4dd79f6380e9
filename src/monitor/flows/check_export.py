"""Analysts' ad-hoc flow: how one new export would fare, against the published state."""

# No `from __future__ import annotations`: Prefect builds its parameter model from the
# annotations, which must be the types themselves (Path, date), not their names.
import datetime as dt
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from monitor.check_export import check_export as check_one_export
from monitor.flows import quiet_logging
from monitor.state import published_state


@task(name="check-export", cache_policy=NO_CACHE, persist_result=False)
def check_task(out: Path, file: Path, source: str, as_of: dt.date | None) -> str:
    # Counts, flags and a masked sample: no full ID, name or phone leaves the task.
    return check_one_export(published_state(out), file, source, as_of).text()


@flow(name="check-export", persist_result=False)
def check_export(
    file: Path, source: str, out: Path = Path("out"), as_of: dt.date | None = None
) -> str:
    """Read, validate and link `file` as an export of `source` against a private copy of the
    published state beside `out`; the state is not changed."""
    quiet_logging()
    return check_task(out, file, source, as_of)
