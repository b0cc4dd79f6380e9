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


def run_backfill(**kwargs: Any) -> Any:
    """Import the backfill flow (after configuring Prefect) and run it."""
    configure_prefect()
    os.environ["MONITOR_LOG_LEVEL"] = logging.getLevelName(logging.getLogger("monitor").level)
    from monitor.flows.backfill import backfill

    return backfill(**kwargs)


def serve_nightly(*args: Any) -> None:
    """Serve the nightly deployment on the Prefect server of PREFECT_API_URL: refused with one
    message when it is unset or does not answer (an ephemeral server cannot schedule)."""
    import httpx

    from monitor.errors import PrefectServerError

    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        raise PrefectServerError(
            "未设置 PREFECT_API_URL：定时运行需要一个常驻的 Prefect 服务器。请先启动"
            "（prefect server start --host 127.0.0.1），再设置 "
            "PREFECT_API_URL=http://127.0.0.1:4200/api 后重试（见 README「每晚定时运行」）。"
        )
    try:
        answer = httpx.get(url.rstrip("/") + "/health", timeout=10)
        answer.raise_for_status()
    except httpx.HTTPError as exc:
        raise PrefectServerError(
            f"PREFECT_API_URL={url} 无法连接（{type(exc).__name__}）：请确认 Prefect 服务器已启动，"
            "地址以 /api 结尾。"
        ) from exc
    configure_prefect()
    from monitor.flows.nightly import serve_nightly as serve

    serve(*args)
