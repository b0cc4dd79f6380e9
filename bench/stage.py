"""One stage of a night again, on a copy of a completed night's state: what to profile.

    .venv/bin/python bench/stage.py --state S --input DIR --as-of DATE --stage publish
    .venv/bin/py-spy record -o flame.svg -- .venv/bin/python bench/stage.py ...

Without --state the stage runs on a new state (ingestion of every file). The copy's run is
begun again (as a rerun of the date is) and the named stage runs on
what the earlier stages left in the state, as in the night itself. Prints the stage's
seconds and the process's peak RSS; the output goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import resource
import shutil
import tempfile
import time
from pathlib import Path

from common import GIB, reset_peak, vm_hwm  # bench/common.py
from monitor import pipeline
from monitor.state import open_state


class _Statements(logging.Handler):
    """The engine's timing of each statement (its debug lines "<model>: <seconds>s"), and the
    process's peak RSS from the end of the statement before to the end of this one (Python's
    work between them included): VmHWM, reset after each (Linux /proc/self/clear_refs)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seconds: dict[str, float] = {}
        self.peaks: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "%s: %.3fs" and isinstance(record.args, tuple):
            model, seconds = str(record.args[0]), record.args[1]
            assert isinstance(seconds, float)
            self.seconds[model] = self.seconds.get(model, 0.0) + seconds
            self.peaks[model] = max(self.peaks.get(model, 0.0), vm_hwm() / GIB)
            reset_peak()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--state", type=Path, help="a completed night's state (none: a new one,"
                        " for --stage ingest)")  # fmt: skip
    parser.add_argument("--input", type=Path, required=True, help="that night's input folder")
    parser.add_argument("--as-of", required=True, help="that night's as-of date")
    parser.add_argument("--stage", required=True, choices=[s.name for s in pipeline.stages()])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-stage-"))
    state = work / "state.duckdb"
    if args.state:
        shutil.copy(args.state, state)
    ctx = pipeline.make_context(args.input, work / "out", dt.date.fromisoformat(args.as_of), state)
    each = pipeline.stage(args.stage)
    statements = _Statements()
    engine_log = logging.getLogger("monitor.engine")
    engine_log.setLevel(logging.DEBUG)
    engine_log.addHandler(statements)
    with open_state(state) as engine:
        pipeline.begin_run(engine, ctx)
        started = time.perf_counter()
        for part in each.parts or (None,):
            each.run(engine, ctx, part)
        seconds = time.perf_counter() - started
    peak = max([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024,
                *statements.peaks.values()])  # fmt: skip
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    # a child's ru_maxrss counts the pages it shared with this process when forked (spawn
    # forks before it execs): an upper bound of what a workbook process used
    print(f"{args.stage}: {seconds:.1f} s; peak RSS {peak:.2f} GiB (the largest workbook"
          f" process at most {workers:.2f} GiB); work folder {work}")  # fmt: skip
    in_sql = sum(statements.seconds.values())
    print(f"SQL statements: {in_sql:.1f} s; the slowest:")
    for model, spent in sorted(statements.seconds.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {spent:6.2f} s  {model}")
    print("the largest peaks RSS (up to the end of the statement, from the end of the one before):")
    for model, peak in sorted(statements.peaks.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {peak:6.2f} GiB  {model}")


if __name__ == "__main__":
    main()
