"""What the benchmarks share: the city they run on, and reading a process's peak memory."""

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


GIB = 1024**3


def vm_hwm(pid: int | str = "self") -> int:
    """The process's peak RSS (bytes) since it started or since reset_peak, from /proc
    (VmHWM); 0 when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reset_peak() -> None:
    """Start this process's VmHWM (and ru_maxrss) again from its current RSS (Linux:
    /proc/self/clear_refs, value 5)."""
    Path("/proc/self/clear_refs").write_text("5")
