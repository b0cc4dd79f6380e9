"""Analysts' ad-hoc flow: re-score the current state under another policy file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from monitor.whatif import what_if


@task(name="what-if", cache_policy=NO_CACHE, persist_result=False)
def what_if_task(state: Path, policy_file: Path, as_of: dt.date | None) -> list[dict[str, object]]:
    # Counts by county, township and tier only: no personal data leaves the task.
    return what_if(state, policy_file, as_of).to_dicts()


@flow(name="what-if", persist_result=False)
def whatif(
    policy_file: Path, state: Path = Path("state/monitor.duckdb"), as_of: dt.date | None = None
) -> list[dict[str, object]]:
    """Households added and removed by a candidate policy, by township and tier."""
    rows = what_if_task(state, policy_file, as_of)
    added = sum(int(r["added"]) for r in rows)  # type: ignore[call-overload]
    removed = sum(int(r["removed"]) for r in rows)  # type: ignore[call-overload]
    get_run_logger().info("candidate policy: +%d households, -%d households", added, removed)
    return rows
