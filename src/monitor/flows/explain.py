"""Analysts' ad-hoc flow: why one household is (or is not) warned, on the published state."""

# No `from __future__ import annotations`: Prefect builds its parameter model from the
# annotations, which must be the types themselves (Path, date), not their names.
import datetime as dt
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from monitor.engine import connect
from monitor.explain import explain as explain_household
from monitor.flows import quiet_logging
from monitor.state import published_state


@task(name="explain", cache_policy=NO_CACHE, persist_result=False)
def explain_task(out: Path, household_key: str, as_of: dt.date | None) -> str:
    # The explanation holds masked values only (IDs 6+4, phones 3+4, names surname + ＊).
    with connect(published_state(out), read_only=True) as engine:
        return explain_household(engine, household_key, as_of).text()


@flow(name="explain", persist_result=False)
def explain(household_key: str, out: Path = Path("out"), as_of: dt.date | None = None) -> str:
    """The household's signals, evidence, links, income computation and history (masked),
    from the nightly run's published state copy beside `out`."""
    quiet_logging()
    return explain_task(out, household_key, as_of)
