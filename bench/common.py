"""What the benchmarks share."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def generate_city(city: Path, people: int, seed: int, as_of: str) -> None:
    """`monitor generate` in another process (so that a benchmark's peak RSS stays its own)."""
    subprocess.run(
        [sys.executable, "-m", "monitor.cli", "generate", str(city), "--people", str(people),
         "--seed", str(seed), "--as-of", as_of],
        check=True,
    )  # fmt: skip
