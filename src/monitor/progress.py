"""Progress lines for a person watching a terminal: files and records during ingestion, each
stage with its time. Quiet unless the command line found a terminal on stderr (it sets
MONITOR_PROGRESS=1); never personal data, only source labels, file names and counts."""

from __future__ import annotations

import os
import sys

ENV = "MONITOR_PROGRESS"


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def say(text: str) -> None:
    """One progress line on stderr, when a person is watching."""
    if enabled():
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
