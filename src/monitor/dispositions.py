"""Caseworkers' dispositions of a household's signal (the workbooks' 核实结果, or the CLI).

A disposition records the signal's tier and amount as they were when it was
decided, so that a later run can tell whether the situation got worse.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from monitor.errors import DispositionError
from monitor.signals import CATALOG
from monitor.workbooks import OUTCOMES


def record_disposition(
    con: duckdb.DuckDBPyConnection,
    household_key: str,
    code: str,
    outcome: str,
    decided_on: dt.date,
    note: str | None = None,
) -> tuple[str | None, float | None]:
    """Store one disposition with what it is later compared with (signal_summary: the highest
    tier, the amount, the evidence keys); returns the (tier, amount) it was recorded against."""
    if code not in CATALOG:
        raise DispositionError(f"{code!r} is not a signal code; use one of {', '.join(CATALOG)}")
    if outcome not in OUTCOMES:
        raise DispositionError(f"{outcome!r} is not an outcome; use one of {' / '.join(OUTCOMES)}")
    current = (
        con.execute(
            "select tier, amount, evidence_keys from signal_summary"
            " where household_key = ? and code = ?",
            [household_key, code],
        ).fetchall()
        if _has_table(con, "signal_summary")
        else []
    )
    known = con.execute(
        "select count(*) from warning_history where household_key = ?", [household_key]
    ).fetchall()[0][0]
    if not current and not known:
        raise DispositionError(
            f"household {household_key!r} has never been warned; check the 家庭编号 in the workbook"
        )
    tier, amount, keys = (
        (current[0][0], None if current[0][1] is None else float(current[0][1]), current[0][2])
        if current
        else (None, None, None)
    )
    con.execute(
        "insert into dispositions (household_key, code, outcome, decided_on, tier, amount, note,"
        " recorded_at, evidence_keys) values (?, ?, ?, ?, ?, ?, ?, now(), ?)",
        [household_key, code, outcome, decided_on, tier, amount, note, keys],
    )
    return tier, amount


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    rows = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchall()
    return bool(rows[0][0])
