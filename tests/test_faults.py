"""Faults an unlucky operator meets: a run killed with its temporary Prefect server left
behind (the next start stops it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import build_small_input
from monitor.runner import _environ, reap_orphaned_servers


def _servers(home: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            env = _environ(int(entry.name)) or {}
            if env.get("PREFECT__SERVER_EPHEMERAL") == "1" and env.get("PREFECT_HOME") == str(home):
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_a_killed_runs_prefect_server_is_stopped_by_the_next_start(tmp_path: Path) -> None:
    home = tmp_path / "prefect"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"PREFECT_HOME": str(home)}
    root = build_small_input(tmp_path / "in")
    run = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "run", str(root), "--out", str(tmp_path / "out"),
         "--state", str(tmp_path / "s.duckdb")],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 240
    while not _servers(home) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
    (server,) = _servers(home)
    assert reap_orphaned_servers(home) == 0  # its run is alive: not an orphan
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    time.sleep(1)
    assert _alive(server)  # left behind by the killed run
    assert reap_orphaned_servers(home) == 1
    deadline = time.monotonic() + 30
    while _alive(server) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(server)
