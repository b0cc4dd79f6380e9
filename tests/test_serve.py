"""`monitor serve` against a real Prefect server: started here on 127.0.0.1 (a free port, a
temporary PREFECT_HOME), the deployment nightly/nightly served on the sample, a run
triggered with `prefect deployment run` as the README says; it completes, its outputs equal
a command-line run's, its artifacts and Prefect's database hold no personal data, and
everything started here is stopped."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import polars as pl
import pytest

from monitor.engine import connect

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "input"
TRUTH = ROOT / "sample_data" / "truth" / "persons.csv"
BIN = Path(sys.executable).parent
AS_OF = "2026-11-15"
CSVS = ("warnings.csv", "resolved.csv", "links.csv", "review.csv", "quarantine.csv")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: str, check, seconds: float, process: subprocess.Popen[bytes]):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what}: the process ended with {process.returncode}")
        try:
            found = check()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f"{what}: not within {seconds} s")


def _stop(process: subprocess.Popen[bytes], how: signal.Signals = signal.SIGINT) -> None:
    """Stop a process started in a session of its own, with everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, how)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):  # children it started go with the group
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A Prefect server of its own: (its API URL, the environment that points at it)."""
    home = tmp_path / "prefect-home"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        _wait("the Prefect server", lambda: httpx.get(f"{url}/health", timeout=5).is_success,
              240, process)  # fmt: skip
        yield url, env
    finally:
        _stop(process)
        log.close()
    with pytest.raises(httpx.HTTPError):  # stopped: nothing answers on its port
        httpx.get(f"{url}/health", timeout=2)


def test_the_served_deployment_runs_the_night_as_the_command_line_does(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, env = server
    started = time.monotonic()
    served_out, served_state = tmp_path / "served" / "out", tmp_path / "served" / "s.duckdb"
    log = (tmp_path / "serve.log").open("wb")
    serving = subprocess.Popen(
        [str(BIN / "monitor"), "serve", str(SAMPLE), "--out", str(served_out),
         "--state", str(served_state), "--cron", "0 2 * * *"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=tmp_path,
    )  # fmt: skip
    try:
        deployment = _wait(
            "the deployment nightly/nightly",
            lambda: httpx.get(f"{url}/deployments/name/nightly/nightly", timeout=5).json()
            if httpx.get(f"{url}/deployments/name/nightly/nightly", timeout=5).is_success
            else None,
            120, serving,
        )  # fmt: skip
        schedule = deployment["schedules"][0]["schedule"]
        assert schedule["cron"] == "0 2 * * *" and schedule["timezone"] == "Asia/Shanghai"
        trigger = subprocess.run(
            [str(BIN / "prefect"), "deployment", "run", "nightly/nightly",
             "--param", f"as_of={AS_OF}"],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert trigger.returncode == 0, trigger.stdout + trigger.stderr
        (run_id,) = re.findall(r"UUID: ([0-9a-f-]{36})", trigger.stdout)

        def finished() -> dict[str, object] | None:
            state = httpx.get(f"{url}/flow_runs/{run_id}", timeout=5).json()["state"]
            return state if state["type"] in ("COMPLETED", "FAILED", "CRASHED") else None

        state = _wait("the triggered flow run", finished, 600, serving)
        assert state["type"] == "COMPLETED", (tmp_path / "serve.log").read_text()
        served_seconds = time.monotonic() - started
        artifacts = httpx.post(f"{url}/artifacts/filter", json={}, timeout=10).json()
    finally:
        _stop(serving, signal.SIGTERM)  # as systemctl stop does
        log.close()
    assert serving.returncode == 0, (tmp_path / "serve.log").read_text()  # stopped, not killed
    print(f"served and ran the sample night in {served_seconds:.0f} s")

    # the same night on the command line: the same output files
    cli_out = tmp_path / "cli" / "out"
    done = subprocess.run(
        [str(BIN / "monitor"), "run", str(SAMPLE), "--out", str(cli_out),
         "--state", str(tmp_path / "cli" / "s.duckdb"), "--as-of", AS_OF],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name in CSVS:
        assert (served_out / name).read_bytes() == (cli_out / name).read_bytes(), name
    assert served_out.stat().st_mode & 0o077 == 0

    # artifacts: the summary table per source and the data-quality note, counts only
    keys = {a["key"]: a for a in artifacts}
    assert {"nightly-sources", "nightly-data-quality"} <= set(keys)
    table = json.loads(keys["nightly-sources"]["data"])
    assert {row["来源"] for row in table} >= {"民政低收入人口库", "医保结算"}
    assert "预警" in keys["nightly-sources"]["description"]
    assert "## 失败的文件" in keys["nightly-data-quality"]["data"]

    # nothing personal in anything Prefect keeps (its database) or in what was logged
    persons = pl.read_csv(TRUTH, infer_schema=False)
    kept = " ".join(
        path.read_bytes().decode("utf-8", "ignore")
        for path in (Path(env["PREFECT_HOME"])).rglob("*") if path.is_file()
    ) + json.dumps(artifacts, ensure_ascii=False) + (tmp_path / "serve.log").read_text(
        encoding="utf-8", errors="ignore"
    )  # fmt: skip
    for column in ("person_id", "phone", "name"):
        values = [v for v in persons[column].drop_nulls().unique().to_list() if len(v) >= 2]
        found = [v for v in values if v in kept]
        assert found == [], f"{len(found)} of {len(values)} {column} values in Prefect's keeping"
    # nor the grid workers' names, nor what they wrote (情况描述)
    with connect(served_state) as engine:
        grid = engine.frame("select grid_worker, description from clean_grid")
    for column in grid.columns:
        values = [v for v in grid[column].drop_nulls().unique().to_list() if len(v) >= 2]
        assert values and [v for v in values if v in kept] == [], column
