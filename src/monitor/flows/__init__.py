"""Prefect flows (nightly, what-if): they only connect the package's functions."""

from __future__ import annotations

import logging
import os


def quiet_logging() -> None:
    """Re-apply our levels after Prefect's logging setup (called inside the flow)."""
    level = os.environ.get("MONITOR_LOG_LEVEL", "INFO")
    logging.getLogger("monitor").setLevel(level if level != "NOTSET" else "INFO")
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
