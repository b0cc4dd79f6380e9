"""End-to-end run on a generated city, with the quality figures of issues 4 and 5.

    .venv/bin/python bench/city.py --people 100000 [--seed 7] [--min-per-tier 50] [--city DIR]
        [--second-night]

Generates the city (unless --city; --min-per-tier N plants at least N situations of
every (code, tier) and case), runs the pipeline on its previous/ HR snapshot (a month
before) and then on input/, prints each stage's seconds, its ratio to the floor measured
in the same run (bench/floor.py), input records per second and peak RSS, and then
`citygen evaluate` (link precision/recall by defect, planted-situation recall by signal,
quiet households warned, codes that must stay absent but were raised). With --second-night it then runs the
next as-of date on the same files (nothing new: the ledger skips every file) and prints that
night's stages beside the first's (issue 15's aim: at most 20 %).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from common import GIB, add_city_arguments, city_of, reset_peak, vm_hwm  # bench/common.py
from floor import Floor, measure  # bench/floor.py
from monitor import pipeline
from monitor.score import months_before


def run_stages(
    input_dir: Path, out: Path, state: Path, as_of: dt.date, peaks: dict[str, float] | None = None
) -> dict[str, float]:
    """Run the night's stages; their seconds, and into `peaks` each stage's peak RSS (GiB,
    this process; publish's workbook processes are counted apart, see main)."""
    timings: dict[str, float] = {}
    seen = peaks if peaks is not None else {}

    def measured(ctx: pipeline.RunContext, name: str, part: str | None) -> object:
        reset_peak()
        try:
            return pipeline.run_stage(ctx, name, part)
        finally:
            seen[name] = max(seen.get(name, 0.0), vm_hwm() / GIB)

    pipeline.run_all(pipeline.make_context(input_dir, out, as_of, state), timings, measured)
    return timings


def print_stages(timings: dict[str, float], peaks: dict[str, float], floor: Floor) -> None:
    """Per stage: seconds, × the floor, input records per second, peak RSS."""
    print("\n| stage | seconds | × floor | records/s | peak RSS GiB |\n|---|---:|---:|---:|---:|")
    for name, seconds in timings.items():
        rate = floor.records / max(seconds, 1e-9)
        print(f"| {name} | {seconds:.1f} | {seconds / floor.seconds:.1f} | {rate:,.0f} |"
              f" {peaks.get(name, 0.0):.2f} |")  # fmt: skip
    total = sum(timings.values())
    print(f"| all stages | {total:.1f} | {total / floor.seconds:.1f} |"
          f" {floor.records / max(total, 1e-9):,.0f} | {max(peaks.values(), default=0.0):.2f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_city_arguments(parser)
    parser.add_argument("--second-night", action="store_true",
                        help="also run the next as-of date on the same files")  # fmt: skip
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    work = Path(tempfile.mkdtemp(prefix="bench-city-"))
    city = city_of(args, work)
    state = work / "state.duckdb"
    if (city / "previous").is_dir():
        run_stages(city / "previous", work / "out-previous", state, months_before(as_of, 1))
    peaks: dict[str, float] = {}
    timings = run_stages(city / "input", work / "out", state, as_of, peaks)
    peak = max(peaks.values())  # ru_maxrss too is reset by each stage's clear_refs
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    floor = measure(city / "input")  # the same files, in the same run (bench/floor.py)
    print_stages(timings, peaks, floor)
    total = sum(timings.values())
    print(f"\n{floor.line()}")
    # a child's ru_maxrss counts the pages it shared with this process when forked (spawn
    # forks before it execs): an upper bound of what a workbook process used
    print(f"peak RSS {peak:.2f} GiB (the largest workbook process at most {workers:.2f} GiB);"
          f" output {work / 'out'}\n")  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "citygen", "evaluate", str(work / "out"), str(city / "truth")],
        check=True,
    )
    if args.second_night:
        again_peaks: dict[str, float] = {}
        again = run_stages(
            city / "input", work / "out-next", state, as_of + dt.timedelta(days=1), again_peaks
        )
        print_stages(again, again_peaks, floor)
        print("\n| stage | first night s | second night s | share |\n|---|---:|---:|---:|")
        for name, seconds in again.items():
            print(
                f"| {name} | {timings[name]:.1f} | {seconds:.1f} | {seconds / timings[name]:.0%} |"
            )
        total_again = sum(again.values())
        print(f"| all stages | {total:.1f} | {total_again:.1f} | {total_again / total:.0%} |")


if __name__ == "__main__":
    main()
