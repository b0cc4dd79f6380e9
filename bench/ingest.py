"""Ingestion throughput and peak memory on a generated city (issue 3).

    .venv/bin/python bench/ingest.py --people 1000000 [--city DIR] [--seed 7]

Generates the city (unless --city points at one), then ingests every source
into a fresh state and prints rows per second for CSV and for xlsx (reading,
normalization, validation and storage included), the seconds per step over
all files, and the peak RSS. Great Expectations' import and context (a fixed
cost of the process, ~5 s) are paid before the clock starts and printed apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from common import add_city_arguments, city_of  # bench/common.py
from monitor.contracts import SOURCES
from monitor.ingest import ingest_source
from monitor.state import open_state
from monitor.validate import start as start_gx


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_city_arguments(parser)
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    city = city_of(args, work)
    started = time.perf_counter()
    start_gx()
    print(
        f"Great Expectations import and context: {time.perf_counter() - started:.1f} s (not counted)"
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    per_kind: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    steps: dict[str, float] = defaultdict(float)
    files = 0
    started = time.perf_counter()
    with open_state(work / "state.duckdb") as engine:
        for source in SOURCES:
            result = ingest_source(engine, city / "input", source, as_of.isoformat(), as_of)
            files += len(result.timings)
            for step, seconds in result.steps.items():
                steps[step] += seconds
            for suffix, records, seconds in result.timings:
                kind = "xlsx" if suffix in (".xlsx", ".xlsm") else "csv"
                per_kind[kind][0] += records
                per_kind[kind][1] += seconds
        checkpoint = time.perf_counter()
    # closing the state checkpoints it: the deferred writes, counted in the total
    checkpoint = time.perf_counter() - checkpoint
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print("\n| format | records | seconds | records/s |\n|---|---:|---:|---:|")
    for kind, (records, seconds) in sorted(per_kind.items()):
        print(f"| {kind} | {int(records):,} | {seconds:.1f} | {records / seconds:,.0f} |")
    records_all = sum(int(r) for r, _ in per_kind.values())
    print("\n| step (all files) | seconds | records/s |\n|---|---:|---:|")
    for step, seconds in steps.items():
        print(f"| {step} | {seconds:.1f} | {records_all / seconds:,.0f} |")
    print(
        f"\n{files} files loaded; all sources: {total:.1f} s (final checkpoint {checkpoint:.1f} s); peak RSS {peak:.2f} GiB (before ingestion {rss_before / 1024 / 1024:.2f} GiB)"
    )


if __name__ == "__main__":
    main()
