"""Determinism at scale: one city's night with DuckDB at 1, 2 and 8 threads and on renamed
copies of its files (reversed listing order); every CSV must be byte-identical.

    .venv/bin/python bench/determinism.py --city DIR [--as-of 2026-11-15]

The 30,000-person case is a test (tests/test_determinism.py); this is the same check on a
city of any size (issue 15: 1M), printing each run's seconds and whether its digests agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from citygen.compare import digests, renamed_copy
from monitor import pipeline


def night(input_dir: Path, work: Path, threads: int, as_of: dt.date) -> tuple[Path, float]:
    os.environ["MONITOR_THREADS"] = str(threads)
    out = work / "out"
    started = time.perf_counter()
    pipeline.run_all(pipeline.make_context(input_dir, out, as_of, work / "state.duckdb"))
    return out, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--city", type=Path, required=True)
    parser.add_argument("--as-of", default="2026-11-15")
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    work = Path(tempfile.mkdtemp(prefix="bench-determinism-"))
    reference, seconds = night(args.city / "input", work / "t2", 2, as_of)
    expected = digests(reference)
    print(f"| run | seconds | CSVs identical |\n|---|---:|---|\n| threads 2 | {seconds:.1f} | reference |")  # fmt: skip
    failures = 0
    for threads in (1, 8):
        out, seconds = night(args.city / "input", work / f"t{threads}", threads, as_of)
        same = digests(out) == expected
        failures += not same
        print(f"| threads {threads} | {seconds:.1f} | {'yes' if same else 'NO'} |")
    renamed = renamed_copy(args.city / "input", work / "renamed")
    out, seconds = night(work / "renamed", work / "renamed-run", 2, as_of)
    same = digests(out, renamed) == digests(reference, {v: v for v in renamed.values()})
    failures += not same
    print(f"| files renamed, listing reversed | {seconds:.1f} | {'yes' if same else 'NO'} |")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
