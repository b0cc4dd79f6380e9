"""Analysts' and operators' backfill: the nightly flow once per dated input folder, in date
order, so that the state's warning history (新增/持续, trends) starts from the first day."""

# No `from __future__ import annotations`: Prefect builds its parameter model from the
# annotations, which must be the types themselves (Path, date), not their names.
import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger

from monitor import pipeline
from monitor.flows import quiet_logging
from monitor.flows.nightly import DEFAULT_STATE, nightly


@flow(name="backfill", persist_result=False)
def backfill(
    input_root: Path,
    out: Path,
    start: dt.date,
    end: dt.date,
    state: Path = DEFAULT_STATE,
    strict: bool = False,
) -> list[pipeline.RunSummary]:
    """Each date's night as a nightly subflow with the policy file of its year; only the
    last date's output is published to `out`."""
    quiet_logging()
    nights, notices = pipeline.backfill_nights(input_root, start, end, out, state)
    for notice in notices:
        get_run_logger().warning("%s", notice)
    summaries = []
    for night in nights:
        try:
            summary = nightly(night.input_dir, night.out, night.as_of, state, None, strict)
        finally:
            if not night.last:
                pipeline.discard_output(night.out)
        summary.notices = notices + summary.notices if night.last else summary.notices
        summaries.append(summary)
    return summaries
