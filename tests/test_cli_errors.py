"""Every documented bad invocation of `monitor` is one message and an exit code (1 internal,
2 bad input or arguments, 3 the state is busy), never a traceback unless --debug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import monitor
from monitor.resources import packaged
from monitor.state import state_lock

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "input"
POLICY = packaged("policy", "2026.yaml")


def one_message(done: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """Exit `code`, no traceback, and the error said once, with `words` in it."""
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    said = [line for line in done.stderr.splitlines() if line.strip()]
    errors = [line for line in said if line.startswith(("错误：", "内部错误", "Error", "Usage"))]
    assert errors, done.stderr
    assert sum(line.startswith(("错误：", "内部错误")) for line in said) <= 1, done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    (tmp_path / "empty").mkdir()
    (tmp_path / "wrong" / "医保").mkdir(parents=True)
    (tmp_path / "wrong" / "医保" / "结算.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "dated" / "not-a-date").mkdir(parents=True)
    return tmp_path


# (arguments, exit code, words the one message holds); "{t}" is the test's folder
BAD = [
    (["run", "{t}/none", "--out", "{t}/out"], 2, ["输入目录不存在"]),
    (["run", "{t}/wrong", "--out", "{t}/out"], 2, ["没有任何已知的来源文件夹", "medical_insurance/"]),
    (["run", str(SAMPLE), "--out", "{t}/out", "--as-of", "15/11/2026"], 2, ["YYYY-MM-DD"]),
    (["run", str(SAMPLE), "--out", "{t}/out", "--policy", "{t}/none.yaml"], 2, ["none.yaml"]),
    (["run", str(SAMPLE), "--out", "{t}/out", "--as-of", "1999-01-01"], 2, ["1999"]),
    (["whatif", "--policy", str(POLICY), "--out", "{t}/out"], 2, ["没有已发布的状态副本"]),
    (["dispose", "H1", "DROPOUT", "无法联系", "--state", "{t}/none.duckdb"], 2, ["状态库不存在"]),
    (["feedback", "{t}/none.xlsx", "--state", "{t}/none.duckdb"], 2, ["不存在"]),
    (["serve", str(SAMPLE), "--out", "{t}/out", "--state", "{t}/s.duckdb"], 2, ["PREFECT_API_URL"]),
    (["backfill", "{t}/dated", "--from", "2026-11-02", "--to", "2026-11-01", "--out", "{t}/out",
      "--state", "{t}/s.duckdb"], 2, ["--from"]),
    (["backfill", "{t}/dated", "--from", "2026-11-01", "--to", "2026-11-02", "--out", "{t}/out",
      "--state", "{t}/s.duckdb"], 2, ["没有日期文件夹"]),
    (["evaluate", "{t}/none", "{t}/none"], 2, []),
    (["generate", "{t}/city", "--people", "0"], 2, []),
    (["nosuchcommand"], 2, []),
]  # fmt: skip


@pytest.mark.parametrize(("args", "code", "words"), BAD, ids=[" ".join([*a[:1], str(i)]) for i, (a, _, _) in enumerate(BAD)])  # fmt: skip
def test_a_bad_invocation_is_one_message_and_its_exit_code(folders: Path, args: list[str], code: int, words: list[str]) -> None:  # fmt: skip
    done = monitor(*(a.replace("{t}", str(folders)) for a in args), cwd=folders)
    one_message(done, code, *words)
    assert not any((folders / n).exists() for n in ("none.duckdb", "s.duckdb", "state"))


def test_serve_refuses_a_server_that_does_not_answer(tmp_path: Path) -> None:
    done = monitor("serve", str(SAMPLE), "--out", str(tmp_path / "out"), cwd=tmp_path,
                   env={"PREFECT_API_URL": "http://127.0.0.1:9/api", "MONITOR_SERVER_WAIT_SECONDS": "2"})  # fmt: skip
    one_message(done, 2, "无法连接")


def test_a_busy_state_is_exit_3_inside_the_flow_with_no_prefect_traceback(tmp_path: Path) -> None:  # fmt: skip
    """The lock is found busy inside the nightly flow (the run's first stage), where Prefect
    logs the failure with its traceback: the console shows the one message."""
    state = tmp_path / "s.duckdb"
    with state_lock(state):
        done = monitor("run", str(SAMPLE), "--out", str(tmp_path / "out"), "--state", str(state),
                       cwd=tmp_path)  # fmt: skip
    one_message(done, 3, "另一")
    assert "prefect" not in done.stderr.lower()


def test_an_internal_error_is_exit_1_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    code = (
        "import sys, monitor.pipeline as p\n"
        "def broken(*a, **k): raise ZeroDivisionError('division by zero')\n"
        "p.make_context = broken\n"
        "from monitor.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    args = ["run", str(SAMPLE), "--out", str(tmp_path / "out"), "--state", str(tmp_path / "s")]
    plain = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                           timeout=300, cwd=tmp_path)  # fmt: skip
    one_message(plain, 1, "内部错误", "ZeroDivisionError", "--debug")
    debug = subprocess.run([sys.executable, "-c", code, *args, "--debug"], capture_output=True,
                           text=True, timeout=300, cwd=tmp_path)  # fmt: skip
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_version_short_help_and_the_global_switches_in_the_help(tmp_path: Path) -> None:
    version = monitor("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("monitor ")
    short = monitor("-h", cwd=tmp_path)
    assert short.returncode == 0
    for switch in ("-v", "--debug", "--version", "-h"):
        assert switch in short.stdout, switch
    assert monitor("run", "-h", cwd=tmp_path).returncode == 0
