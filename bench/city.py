"""End-to-end run on a generated city, with the quality figures of issues 4 and 5.

    .venv/bin/python bench/city.py --people 100000 [--seed 7] [--min-per-tier 50] [--city DIR]
        [--second-night]

Generates the city (unless --city; --min-per-tier N plants at least N situations of
every (code, tier) and case), runs the pipeline on its previous/ HR snapshot (a month
before) and then on input/, times each stage, and prints `citygen evaluate` (link
precision/recall by defect, planted-situation recall by signal, quiet households
warned, codes that must stay absent but were raised). With --second-night it then runs the
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

from common import add_city_arguments, city_of  # bench/common.py
from floor import measure  # bench/floor.py
from monitor import pipeline
from monitor.score import months_before


def run_stages(input_dir: Path, out: Path, state: Path, as_of: dt.date) -> dict[str, float]:
    timings: dict[str, float] = {}
    pipeline.run_all(pipeline.make_context(input_dir, out, as_of, state), timings)
    return timings


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
    timings = run_stages(city / "input", work / "out", state, as_of)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    floor = measure(city / "input")  # the same files, in the same run (bench/floor.py)
    print("\n| stage | seconds | × floor |\n|---|---:|---:|")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.1f} | {seconds / floor.seconds:.1f} |")
    total = sum(timings.values())
    print(f"| all stages | {total:.1f} | {total / floor.seconds:.1f} |")
    print(f"\n{floor.line()}")
    print(f"peak RSS {peak:.2f} GiB; output {work / 'out'}\n")
    subprocess.run(
        [sys.executable, "-m", "citygen", "evaluate", str(work / "out"), str(city / "truth")],
        check=True,
    )
    if args.second_night:
        again = run_stages(city / "input", work / "out-next", state, as_of + dt.timedelta(days=1))
        print("\n| stage | first night s | second night s | share |\n|---|---:|---:|---:|")
        for name, seconds in again.items():
            print(
                f"| {name} | {timings[name]:.1f} | {seconds:.1f} | {seconds / timings[name]:.0%} |"
            )
        total_again = sum(again.values())
        print(f"| all stages | {total:.1f} | {total_again:.1f} | {total_again / total:.0%} |")


if __name__ == "__main__":
    main()
