"""Running the nightly flow from the CLI: Prefect without a server, quiet and private."""

from __future__ import annotations

import logging
import os
import signal
import time
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
    reap_orphaned_servers(Path(os.environ["PREFECT_HOME"]))
    # the temporary server Prefect starts inherits this: it names the run that owns it
    os.environ[OWNER_VARIABLE] = _process_id(os.getpid()) or ""


# The process a temporary Prefect server belongs to, "pid:start time" (the start time tells a
# pid that was reused apart). /proc/<pid>/environ holds a process's environment as it
# started, so an owner is named explicitly rather than guessed from its parent's environment
# (a run that set PREFECT_HOME itself would not show it there).
OWNER_VARIABLE = "MONITOR_PREFECT_OWNER"


def _process_id(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return f"{pid}:{fields[19]}" if len(fields) > 19 else None  # field 22: starttime


def _environ(pid: int) -> dict[str, str] | None:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:  # gone, or not ours to read
        return None
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def reap_orphaned_servers(home: Path) -> int:
    """Stop the temporary Prefect servers that runs killed before they could stop them: a
    process of ours with Prefect's ephemeral-server marker and this PREFECT_HOME whose
    owning run (OWNER_VARIABLE) is no longer alive. A live run's server is left alone, and
    so is a server that names no owner (not started by this program). Linux (/proc) only;
    returns how many."""
    proc = Path("/proc")
    if not proc.is_dir():
        return 0
    reaped = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        env = _environ(pid)
        if not env or env.get("PREFECT__SERVER_EPHEMERAL") != "1":
            continue
        if env.get("PREFECT_HOME") != str(home):
            continue
        owner = env.get(OWNER_VARIABLE, "")
        if not owner:
            continue  # not one of ours
        try:
            owner_pid = int(owner.split(":", 1)[0])
        except ValueError:
            continue
        if owner_pid == os.getpid() or _process_id(owner_pid) == owner:
            continue  # its run is alive
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            continue
        reaped += 1
        logging.getLogger(__name__).warning(
            "stopped a temporary Prefect server (pid %d) left by a run that was killed", pid
        )
    return reaped


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


SERVER_WAIT_SECONDS = int(os.environ.get("MONITOR_SERVER_WAIT_SECONDS", "60"))


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
    # a server just started (`prefect server start --background`) answers after some
    # seconds: wait for it a while before refusing
    deadline = time.monotonic() + SERVER_WAIT_SECONDS
    while True:
        try:
            httpx.get(url.rstrip("/") + "/health", timeout=10).raise_for_status()
            break
        except httpx.HTTPError as exc:
            if time.monotonic() >= deadline:
                raise PrefectServerError(
                    f"PREFECT_API_URL={url} 在 {SERVER_WAIT_SECONDS} 秒内无法连接"
                    f"（{type(exc).__name__}）：请确认 Prefect 服务器已启动，地址以 /api 结尾。"
                ) from exc
            time.sleep(1)
    configure_prefect()
    from monitor.flows.nightly import serve_nightly as serve

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # as Ctrl-C: Prefect pauses the schedule and stops serving

    signal.signal(signal.SIGTERM, stop)  # systemctl stop, kill
    try:
        serve(*args)
    except KeyboardInterrupt:
        logging.getLogger(__name__).warning("monitor serve stopped")
