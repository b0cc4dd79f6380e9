"""Analysts' ad-hoc flow: re-score the last published state under another policy file."""

# No `from __future__ import annotations`: Prefect builds its parameter model from the
# annotations, which must be the types themselves (Path, date), not their names.
import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from monitor.flows import quiet_logging
from monitor.state import published_state
from monitor.whatif import what_if, write_changes


@task(name="what-if", cache_policy=NO_CACHE, persist_result=False)
def what_if_task(
    out: Path, policy_file: Path, as_of: dt.date | None, csv: Path | None
) -> list[dict[str, object]]:
    # Counts by county, township and tier only leave the task; the households go to `csv`.
    result = what_if(published_state(out), policy_file, as_of)
    if csv is not None:
        write_changes(result, csv)
    return result.summary.to_dicts()


@flow(name="what-if", persist_result=False)
def whatif(
    policy_file: Path,
    out: Path = Path("out"),
    as_of: dt.date | None = None,
    csv: Path | None = None,
) -> list[dict[str, object]]:
    """Households added and removed by a candidate policy, by township and tier, on the
    nightly run's published state copy beside `out`."""
    quiet_logging()
    rows = what_if_task(out, policy_file, as_of, csv)
    added = sum(int(r["added"]) for r in rows)  # type: ignore[call-overload]
    removed = sum(int(r["removed"]) for r in rows)  # type: ignore[call-overload]
    get_run_logger().info("candidate policy: +%d households, -%d households", added, removed)
    return rows
