"""What the benchmarks share: the city they run on."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def add_city_arguments(parser: argparse.ArgumentParser) -> None:
    """--city (an already generated city), or --people/--seed to generate one; --as-of."""
    parser.add_argument("--city", type=Path, help="an already generated city (input/, truth/)")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", default="2026-11-15")
    parser.add_argument(
        "--min-per-tier",
        type=int,
        default=0,
        help="generate at least N planted situations of every (code, tier) and case",
    )


def city_of(args: argparse.Namespace, work: Path) -> Path:
    """The city of --city, else one generated into WORK/city by `citygen generate` in another
    process (so that a benchmark's peak RSS stays its own)."""
    if args.city is not None:
        return Path(args.city)
    city = work / "city"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "citygen", "generate", str(city), "--people", str(args.people),
         "--seed", str(args.seed), "--as-of", args.as_of, "--min-per-tier", str(args.min_per_tier)],
        check=True,
    )  # fmt: skip
    print(f"generated {args.people:,} people in {time.perf_counter() - started:.1f} s")
    return city
