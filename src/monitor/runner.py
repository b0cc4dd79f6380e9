"""Running the nightly flow from the CLI: Prefect without a server, quiet and private."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any


def configure_prefect() -> None:
    """Ephemeral Prefect (no server), no telemetry, state under the project unless set."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    # A fresh PREFECT_HOME runs database migrations first (15 s or more on a busy
    # 2-core machine); Prefect's default of 20 s to start its ephemeral server is too tight.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def run_nightly(**kwargs: Any) -> Any:
    """Import the flow (after configuring Prefect) and run it."""
    configure_prefect()
    os.environ["MONITOR_LOG_LEVEL"] = logging.getLevelName(logging.getLogger("monitor").level)
    from monitor.flows.nightly import nightly

    return nightly(**kwargs)
