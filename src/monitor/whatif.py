"""Analysts' what-if: re-score the current state under another policy file, without ingesting.

Works on a private copy of the state (the nightly run's state is never
written), scores the last completed run under its own policy and under the
candidate policy, and reports, by county, township and tier, how many
households each adds or removes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from monitor import score as score_stage
from monitor.errors import MonitorError
from monitor.policy import load_policy
from monitor.state import query_frame


class WhatIfError(MonitorError):
    """The state has no completed run to compare with."""


def _last_run(con: duckdb.DuckDBPyConnection) -> tuple[str, dt.date, Path]:
    rows = con.execute(
        "select run_id, as_of, policy_file from runs where status = 'completed'"
        " order by as_of desc limit 1"
    ).fetchall()
    if not rows:
        raise WhatIfError("the state has no completed run: run `monitor run` first")
    return str(rows[0][0]), rows[0][1], Path(rows[0][2])


def _warnings(
    con: duckdb.DuckDBPyConnection, policy_file: Path, as_of: dt.date, run_id: str
) -> pl.DataFrame:
    policy, _ = load_policy(policy_file)
    score_stage.score(con, policy, as_of, run_id)
    return query_frame(con, "select household_key, county, township, tier from warnings_current")


def what_if(state: Path, policy_file: Path, as_of: dt.date | None = None) -> pl.DataFrame:
    """Households by county, township and tier under the baseline and the candidate policy."""
    with tempfile.TemporaryDirectory(prefix="monitor-whatif-") as tmp:
        copy = Path(tmp) / "state.duckdb"
        shutil.copy(state, copy)
        con = duckdb.connect(str(copy))
        try:
            run_id, last_as_of, baseline_file = _last_run(con)
            when = as_of or last_as_of
            before = _warnings(con, baseline_file, when, run_id)
            after = _warnings(con, policy_file, when, run_id)
        finally:
            con.close()
    keys = ["county", "township", "tier"]
    b = before.group_by(keys).agg(pl.len().alias("baseline"))
    a = after.group_by(keys).agg(pl.len().alias("candidate"))
    added = after.join(before.select("household_key"), on="household_key", how="anti")
    removed = before.join(after.select("household_key"), on="household_key", how="anti")
    diff = (
        b.join(a, on=keys, how="full", coalesce=True)
        .join(added.group_by(keys).agg(pl.len().alias("added")), on=keys, how="left")
        .join(removed.group_by(keys).agg(pl.len().alias("removed")), on=keys, how="left")
        .with_columns(pl.col("baseline", "candidate", "added", "removed").fill_null(0))
        .with_columns((pl.col("candidate") - pl.col("baseline")).alias("change"))
    )
    order = {"red": 1, "orange": 2, "yellow": 3, "review": 4}
    return diff.sort(
        ["county", "township", pl.col("tier").replace_strict(order, return_dtype=pl.Int32)]
    )
