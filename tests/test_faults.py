"""Faults an unlucky operator meets: a run killed with its temporary Prefect server left
behind (the next start stops it)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import build_small_input, monitor, run
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
    # PREFECT_HOME left to the run's default (cwd/.prefect): the run sets it itself, so its
    # own starting environment does not show it
    home = tmp_path / ".prefect"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PREFECT_HOME"))}
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


def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True, check=False)  # fmt: skip
    return done.returncode == 0


def test_a_full_disk_under_out_is_one_message_and_the_previous_out_stays(tmp_path: Path) -> None:  # fmt: skip
    disk = tmp_path / "disk"
    if not _mount(disk, "size=40m"):
        pytest.skip("a small tmpfs cannot be mounted here (needs root): the injected-error test covers it")  # fmt: skip
    try:
        root = build_small_input(tmp_path / "in")
        out, state = disk / "out", tmp_path / "s.duckdb"
        run(root, out, state)  # the first night, in this process
        before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"\0" * (free - 40_000))
        full = monitor("run", str(root), "--out", str(out), "--state", str(state),
                        "--as-of", "2026-11-16", cwd=tmp_path)  # fmt: skip
        assert full.returncode == 2, full.stderr
        assert "磁盘空间不足" in full.stderr and str(out) in full.stderr
        assert "Traceback" not in full.stderr
        after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert after == before  # the previous output, whole
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "out", "out.state.duckdb"]
        (disk / "filler").unlink()
        run(root, out, state, dt.date(2026, 11, 16))  # with space again, the night completes
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_an_unwritable_out_is_refused_before_any_work(tmp_path: Path) -> None:
    disk = tmp_path / "readonly"
    if not _mount(disk, "size=1m,ro"):
        pytest.skip("a read-only tmpfs cannot be mounted here (needs root)")
    try:
        root = build_small_input(tmp_path / "in")
        done = monitor("run", str(root), "--out", str(disk / "out"), "--state",
                        str(tmp_path / "s.duckdb"), cwd=tmp_path)  # fmt: skip
        assert done.returncode == 2 and "无法写入" in done.stderr, done.stderr
        assert not (tmp_path / "s.duckdb").exists()  # refused before the state was touched
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_write_error_while_publishing_keeps_the_previous_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Where no small disk can be mounted: ENOSPC injected at a write point of publish."""
    from monitor import publish
    from monitor.errors import OutputError

    root = build_small_input(tmp_path / "in")
    out, state = tmp_path / "out", tmp_path / "s.duckdb"
    run(root, out, state)
    before = (out / "warnings.csv").read_bytes()
    real = publish.write_csv

    def full(frame, path):  # type: ignore[no-untyped-def]
        if path.name == "links.csv":
            real(frame, path)
            raise OSError(28, "No space left on device")
        return real(frame, path)

    monkeypatch.setattr(publish, "write_csv", full)
    with pytest.raises(OutputError, match="磁盘空间不足"):
        run(root, out, state, dt.date(2026, 11, 16))
    assert (out / "warnings.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_a_program_holding_the_state_read_only_is_named_and_the_run_exits_3(tmp_path: Path) -> None:  # fmt: skip
    """DuckDB refuses a writer while another process has the file open, even read-only:
    the run says which process (its PID) and what to do, exit 3, no traceback."""
    root = build_small_input(tmp_path / "in")
    state = tmp_path / "s.duckdb"
    run(root, tmp_path / "out", state)
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time\n"
         "con = duckdb.connect(sys.argv[1], read_only=True)\nprint('open', flush=True)\n"
         "time.sleep(300)", str(state)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "open"
        done = monitor("run", str(root), "--out", str(tmp_path / "out"), "--state", str(state),
                        cwd=tmp_path)  # fmt: skip
    finally:
        reader.kill()
        reader.wait()
    assert done.returncode == 3, done.stderr
    assert f"PID {reader.pid}" in done.stderr and "OUT.state.duckdb" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 2
