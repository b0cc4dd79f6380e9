"""Caseworkers' dispositions of a household's signal (the workbooks' 核实结果, or the CLI).

A disposition records the signal's tier and amount as they were when it was
decided, so that a later run can tell whether the situation got worse.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from monitor.errors import MonitorError
from monitor.policy import SIGNAL_CODES
from monitor.workbooks import OUTCOMES


class DispositionError(MonitorError):
    """A disposition names an unknown signal, outcome or household."""


def record_disposition(
    con: duckdb.DuckDBPyConnection,
    household_key: str,
    code: str,
    outcome: str,
    decided_on: dt.date,
    note: str | None = None,
) -> tuple[str | None, float | None]:
    """Store one disposition; returns the (tier, amount) it was recorded against."""
    if code not in SIGNAL_CODES:
        raise DispositionError(
            f"{code!r} is not a signal code; use one of {', '.join(SIGNAL_CODES)}"
        )
    if outcome not in OUTCOMES:
        raise DispositionError(f"{outcome!r} is not an outcome; use one of {' / '.join(OUTCOMES)}")
    current = (
        con.execute(
            "select t.tier, max(coalesce(s.amount, 0)) from household_signals s"
            " join tier_ranks t using (tier) where s.household_key = ? and s.code = ?"
            " group by t.tier, t.tier_rank order by t.tier_rank limit 1",
            [household_key, code],
        ).fetchall()
        if _has_table(con, "household_signals")
        else []
    )
    known = con.execute(
        "select count(*) from warning_history where household_key = ?", [household_key]
    ).fetchall()[0][0]
    if not current and not known:
        raise DispositionError(
            f"household {household_key!r} has never been warned; check the 家庭编号 in the workbook"
        )
    tier, amount = (current[0][0], float(current[0][1])) if current else (None, None)
    con.execute(
        "insert into dispositions values (?, ?, ?, ?, ?, ?, ?, now())",
        [household_key, code, outcome, decided_on, tier, amount, note],
    )
    return tier, amount


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    rows = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchall()
    return bool(rows[0][0])
