"""Analysts' ad-hoc flow: the month's 价格临时补贴 list, from the published state."""

# No `from __future__ import annotations`: Prefect builds its parameter model from the
# annotations, which must be the types themselves (Path, date), not their names.
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from monitor.flows import quiet_logging
from monitor.price_subsidy import price_subsidy as month_subsidy
from monitor.state import published_state


@task(name="price-subsidy", cache_policy=NO_CACHE, persist_result=False)
def price_subsidy_task(
    out: Path, month: str, cpi: float, food_cpi: float | None, dest: Path,
    policy_file: Path | None,
) -> list[str]:  # fmt: skip
    # The summary's lines only leave the task (counts and amounts by county, file names);
    # the people go to the owner-only files in `dest`.
    result = month_subsidy(published_state(out), month, cpi, food_cpi, policy_file=policy_file,
                           dest=dest)  # fmt: skip
    return result.lines()


@flow(name="price-subsidy", persist_result=False)
def price_subsidy(
    month: str,
    cpi: float,
    food_cpi: float | None = None,
    out: Path = Path("out"),
    dest: Path = Path("."),
    policy_file: Path | None = None,
) -> list[str]:
    """Whether `month` (YYYY-MM) triggers the price subsidy at CPI `cpi` and food prices
    `food_cpi` (per cent, year on year) and, if so, everyone eligible as of the month's last
    completed run, written to `dest` (price_subsidy_<month>.csv and township workbooks)."""
    quiet_logging()
    lines = price_subsidy_task(out, month, cpi, food_cpi, dest, policy_file)
    get_run_logger().info("%s", "\n".join(lines))
    return lines
