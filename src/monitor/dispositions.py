"""Caseworkers' dispositions of a household's signal (the workbooks' 核实结果, or the CLI).

A disposition records the signal's tier and amount as they were when it was
decided, so that a later run can tell whether the situation got worse.
"""

from __future__ import annotations

import datetime as dt

from monitor.engine import Engine
from monitor.errors import DispositionError
from monitor.signals import CATALOG
from monitor.workbooks import OUTCOMES


def signal_code(text: str) -> str:
    """The registry's code of a signal given as its code (MED_OOP_HIGH) or its words
    (医疗自付费用高)."""
    words = text.strip()
    if words in CATALOG:
        return words
    for code, signal in CATALOG.items():
        if signal.label == words:
            return code
    choices = "、".join(f"{s.label}（{c}）" for c, s in CATALOG.items())
    raise DispositionError(f"{text!r} is not a signal; use one of {choices}")


def record_disposition(
    engine: Engine,
    household_key: str,
    code: str,
    outcome: str,
    decided_on: dt.date,
    note: str | None = None,
    *,
    caseworker: str | None = None,
    issued_run_id: str | None = None,
    workbook_hash: str | None = None,
) -> tuple[str | None, float | None]:
    """Store one disposition with what it is later compared with: the highest tier, the
    amount and the evidence keys of the signal as the run it answers issued it (a returned
    workbook's run: issued_signals), or as the state has it now (signal_summary); returns
    the (tier, amount) it was recorded against."""
    code = signal_code(code)
    if outcome not in OUTCOMES:
        raise DispositionError(f"{outcome!r} is not an outcome; use one of {' / '.join(OUTCOMES)}")
    key = {"household_key": household_key, "code": code}
    if issued_run_id is not None:  # a returned workbook: the signal as its run issued it
        current = engine.run("70_feedback/signal_issued.sql", key | {"run_id": issued_run_id})
    else:  # the command line: the signal as it is now, answering the latest completed run
        current = (
            engine.run("70_feedback/signal_now.sql", key)
            if engine.has_table("signal_summary")
            else []
        )
        latest = engine.run("00_state/last_completed_run.sql")
        issued_run_id = str(latest[0][0]) if latest else None
    known = engine.value("70_feedback/times_warned.sql", key)
    if not current and not known:
        raise DispositionError(
            f"household {household_key!r} has never been warned; check the 家庭编号 in the workbook"
        )
    if not current:
        raise DispositionError(
            f"household {household_key!r} does not carry {code} ({CATALOG[code].label}) now;"
            " check the signal in its warning"
        )
    tier, stored_amount, keys = current[0]
    amount = None if stored_amount is None else float(stored_amount)
    engine.run(
        "70_feedback/record_disposition.sql",
        key
        | {
            "outcome": outcome,
            "decided_on": decided_on,
            "tier": tier,
            "amount": amount,
            "note": note,
            "evidence_keys": keys,
            "caseworker": caseworker,
            "issued_run_id": issued_run_id,
            "workbook_hash": workbook_hash,
        },
    )
    return tier, amount
