"""Analysts' what-if: re-score the current state under another policy file, without ingesting.

Works on a private copy of the state (the nightly run's state is never
written), scores the last completed run under its own policy and under the
candidate policy, and reports, by county, township and tier, how many
households each adds or removes.

The copy (the database and its write-ahead log, taken together under the
state's writer lock) lives in the state's private temporary folder, owner-only,
and is removed when the comparison is done.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from monitor import score as score_stage
from monitor.engine import Engine, connect
from monitor.errors import StateLockedError, WhatIfError
from monitor.policy import load_policy
from monitor.state import private_umask, state_lock, wal_path


def _last_run(engine: Engine) -> tuple[str, dt.date, Path]:
    rows = engine.run("00_state/last_completed_run.sql")
    if not rows:
        raise WhatIfError("the state has no completed run: run `monitor run` first")
    return str(rows[0][0]), rows[0][1], Path(rows[0][2])


def _warnings(engine: Engine, policy_file: Path, as_of: dt.date, run_id: str) -> pl.DataFrame:
    policy, _ = load_policy(policy_file)
    score_stage.score(engine, policy, as_of, run_id)
    return engine.query("50_publish/warned_households.sql")


@contextmanager
def private_copy(state: Path) -> Iterator[Path]:
    """A copy of the state (database and write-ahead log) in its private temporary folder.

    Both files are copied under the writer lock, so the copy is the state as its last
    writer left it, uncheckpointed changes included; the lock is released once the copy is
    made. The working folder carries this process's id, so that a run starting meanwhile
    leaves it alone; it is removed when the block ends.
    """
    if not state.is_file():
        raise WhatIfError(
            f"{state}：状态库不存在。请先运行 `monitor run`，或用 --state 指定状态库。"
        )
    try:
        with state_lock(state) as folder:
            work = Path(tempfile.mkdtemp(prefix=f"whatif-{os.getpid()}-", dir=folder))
            try:
                copy = work / state.name
                shutil.copyfile(state, copy)
                if wal_path(state).exists():
                    shutil.copyfile(wal_path(state), wal_path(copy))
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
    except StateLockedError as exc:
        raise StateLockedError(
            f"{state}：另一次运行正在写入这个状态库，试算需要它写完后的一致副本。请等它结束后再试。"
        ) from exc
    try:
        yield copy
    finally:
        shutil.rmtree(work, ignore_errors=True)


def what_if(state: Path, policy_file: Path, as_of: dt.date | None = None) -> pl.DataFrame:
    """Households by county, township and tier under the baseline and the candidate policy."""
    with private_copy(state) as copy, private_umask(), connect(copy) as engine:
        run_id, last_as_of, baseline_file = _last_run(engine)
        when = as_of or last_as_of
        before = _warnings(engine, baseline_file, when, run_id)
        after = _warnings(engine, policy_file, when, run_id)
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
