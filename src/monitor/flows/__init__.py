"""Prefect flows (nightly, what-if, feedback): they only connect the package's functions."""

from __future__ import annotations

import logging
import os

# Prefect's loggers that report a failed flow or task run with its traceback.
_RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


class _NoRunTracebacks(logging.Filter):
    """On the console, a failed run is said once by the command line (`monitor.cli.main`):
    Prefect's own error lines with the traceback are kept from it unless MONITOR_DEBUG is
    set. They still reach Prefect's API log, where an operator looks for them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if os.environ.get("MONITOR_DEBUG") == "1":
            return True
        return not (record.name in _RUN_LOGGERS and record.levelno >= logging.ERROR)


_FILTER = _NoRunTracebacks()


def quiet_logging() -> None:
    """Re-apply our levels after Prefect's logging setup (called inside each flow), and keep
    Prefect's failed-run tracebacks off the console."""
    level = os.environ.get("MONITOR_LOG_LEVEL", "INFO")
    logging.getLogger("monitor").setLevel(level if level != "NOTSET" else "INFO")
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if not isinstance(handler, logging.StreamHandler) or _FILTER in handler.filters:
            continue
        handler.addFilter(_FILTER)
