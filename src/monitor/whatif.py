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
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from monitor import score as score_stage
from monitor.engine import Engine, connect
from monitor.errors import StateLockedError, WhatIfError
from monitor.policy import load_policy
from monitor.privacy import mask_id
from monitor.rule_review import SignalPrecision, signal_precision
from monitor.signals import CATALOG, TIER_LABELS
from monitor.state import private_umask, state_lock, wal_path


def _last_run(engine: Engine) -> tuple[str, dt.date, Path]:
    rows = engine.run("00_state/last_completed_run.sql")
    if not rows:
        raise WhatIfError("状态库中还没有完成的运行：请先运行 monitor run。")
    return str(rows[0][0]), rows[0][1], Path(rows[0][2])


def _warnings(
    engine: Engine, policy_file: Path, as_of: dt.date, run_id: str
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The warned households under the policy file, and the households per signal."""
    policy, _ = load_policy(policy_file)
    score_stage.score(engine, policy, as_of, run_id)
    per_signal = engine.query("60_report/signal_households.sql")
    counts = dict(
        zip(per_signal["code"].to_list(), per_signal["households"].to_list(), strict=True)
    )
    return engine.query("50_publish/warned_households.sql"), counts


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


@dataclass
class WhatIf:
    """A candidate policy against the baseline: counts by county, township and tier
    (`summary`), and every household whose warning changes (`households`: full member IDs,
    for the owner-only CSV; `lines()` masks them for the terminal)."""

    summary: pl.DataFrame
    households: pl.DataFrame
    # households per signal under each policy, and what caseworkers found of each signal's
    # handled warnings (rule_review: an estimate of the rule's precision)
    by_signal: dict[str, tuple[int, int]] = field(default_factory=dict)
    precision: list[SignalPrecision] = field(default_factory=list)

    def lines(self, county_names: dict[str, str]) -> list[str]:
        totals = self.summary.select("baseline", "candidate", "added", "removed").sum().row(0)
        lines = [f"基准政策 {totals[0]} 户，候选政策 {totals[1]} 户：新增 {totals[2]} 户，"
                 f"移出 {totals[3]} 户"]  # fmt: skip
        changed = self.summary.filter(pl.col("added") + pl.col("removed") > 0)
        for r in changed.iter_rows(named=True):
            lines.append(
                f"  {county_names.get(r['county'] or '', r['county'] or '县区不明')} "
                f"{r['township'] or '乡镇不明'} {TIER_LABELS[r['tier']]}："
                f"{r['baseline']} → {r['candidate']}（+{r['added']} / -{r['removed']}）"
            )
        if self.households.height:
            lines.append("变化的家庭（证件号已脱敏）：")
        for r in self.households.iter_rows(named=True):
            members = "、".join(mask_id(i) for i in (r["member_ids"] or "").split(";") if i)
            lines.append(
                f"  {r['household_key']} {county_names.get(r['county'] or '', r['county'] or '')}"
                f" {r['township'] or ''} {r['baseline_tier'] or '不预警'} → "
                f"{r['candidate_tier'] or '不预警'}（{r['change']}）成员 {members}"
            )
        return lines + self.signal_lines()

    def signal_lines(self) -> list[str]:
        """Per signal: households under the baseline and the candidate policy, and the
        precision its handled warnings estimate (counts only)."""
        judged = {p.code: p for p in self.precision}
        codes = [c for c in CATALOG if c in self.by_signal or c in judged]
        if not codes:
            return []
        lines = ["各信号户数（基准 → 候选）与以往核实结果的精准度估计（确认 ÷ 确认与不符合条件）："]
        for code in codes:
            before, after = self.by_signal.get(code, (0, 0))
            found = judged.get(code)
            words = found.words() if found else "尚无核实结果"
            lines.append(
                f"  {CATALOG[code].label}（{code}）：{before} → {after} 户；精准度 {words}"
            )
        return lines


def what_if(state: Path, policy_file: Path, as_of: dt.date | None = None) -> WhatIf:
    """Households by county, township and tier under the baseline and the candidate policy,
    and the households whose warning changes."""
    with private_copy(state) as copy, private_umask(), connect(copy) as engine:
        run_id, last_as_of, baseline_file = _last_run(engine)
        when = as_of or last_as_of
        before, signals_before = _warnings(engine, baseline_file, when, run_id)
        after, signals_after = _warnings(engine, policy_file, when, run_id)
        precision = signal_precision(engine, when)
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
    summary = diff.sort(
        ["county", "township", pl.col("tier").replace_strict(order, return_dtype=pl.Int32)]
    )
    by_signal = {
        code: (signals_before.get(code, 0), signals_after.get(code, 0))
        for code in {*signals_before, *signals_after}
    }
    return WhatIf(summary, _changed_households(before, after), by_signal, precision)


# The columns of `monitor whatif --csv` (docs/outputs.md)
CHANGE_COLUMNS = ("household_key", "county", "township", "baseline_tier", "candidate_tier",
                  "change", "member_ids")  # fmt: skip


def _changed_households(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Households warned under one policy and not the other, or at another tier; tiers in
    Chinese, sorted by household key (the same CSV for the same inputs)."""
    label = {tier: word for tier, word in TIER_LABELS.items()}
    joined = before.join(after, on="household_key", how="full", coalesce=True, suffix="_c")
    changed = joined.filter(pl.col("tier").ne_missing(pl.col("tier_c")))
    return changed.select(
        "household_key",
        pl.coalesce("county", "county_c").alias("county"),
        pl.coalesce("township", "township_c").alias("township"),
        pl.col("tier").replace_strict(label, default=None).alias("baseline_tier"),
        pl.col("tier_c").replace_strict(label, default=None).alias("candidate_tier"),
        pl.when(pl.col("tier").is_null()).then(pl.lit("新增"))
        .when(pl.col("tier_c").is_null()).then(pl.lit("移出"))
        .otherwise(pl.lit("等级变化")).alias("change"),
        pl.coalesce("member_ids", "member_ids_c").alias("member_ids"),
    ).select(CHANGE_COLUMNS).sort("household_key")  # fmt: skip


def write_changes(result: WhatIf, path: Path) -> None:
    """The changed households, in full (member IDs), as CSV readable by its owner only;
    counties by name."""
    from monitor.geography import load_city
    from monitor.publish import write_csv

    names = {c.code: c.name for c in load_city().counties}
    frame = result.households.with_columns(
        pl.col("county").replace_strict(names, default=pl.col("county")).alias("county")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with private_umask():
        write_csv(frame, path)
    path.chmod(0o600)
