"""What operators and analysts meet around a run: input that looks wrong is said, the city's
date, progress on a terminal (and quiet elsewhere), the published state copy analysts read,
backfill, and the run's Prefect artifacts' contents."""

from __future__ import annotations

import datetime as dt
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import AS_OF, build_small_input, cli_env, monitor, read, run
from monitor import pipeline
from monitor.engine import Engine
from monitor.errors import InputError
from monitor.resources import packaged
from monitor.state import open_state, published_state, state_lock, temp_folder_of

ROOT = Path(__file__).resolve().parents[1]
POLICY = packaged("policy", "2026.yaml")


def test_a_folder_that_is_no_source_is_said_with_the_closest_source(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    (root / "医保").mkdir()
    (root / "人社局").mkdir()
    (root / "杂项").mkdir()
    (root / "说明.txt").write_text("见附件", encoding="utf-8")
    (root / ".DS_Store").write_text("", encoding="utf-8")
    notices = pipeline.input_notices(root)
    assert len(notices) == 4
    said = "\n".join(notices)
    assert "医保/ 不是已知的来源文件夹" in said and "medical_insurance/（医保结算）" in said
    assert "人社局/" in said and "是否应为 hr/" in said
    assert "杂项/" in said and "来源文件夹为：roster/" in said
    assert "说明.txt 在输入目录的顶层" in said and ".DS_Store" not in said


def test_an_input_folder_without_any_source_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "医保").mkdir()
    with pytest.raises(InputError, match=r"没有任何已知的来源文件夹.*medical_insurance"):
        pipeline.input_notices(tmp_path)
    with pytest.raises(InputError, match="输入目录不存在"):
        pipeline.input_notices(tmp_path / "none")


def test_an_as_of_before_the_latest_completed_run_is_said(template_engine: Engine) -> None:
    assert pipeline.as_of_notice(template_engine, AS_OF) is None  # no run yet
    run_id = AS_OF.isoformat()
    template_engine.run("00_state/begin_run.sql", {"run_id": run_id, "as_of": AS_OF,
                        "input_dir": "in", "policy_file": "p.yaml", "policy_hash": "h"})  # fmt: skip
    template_engine.run("00_state/complete_run.sql", {"run_id": run_id})
    assert pipeline.as_of_notice(template_engine, AS_OF) is None
    assert pipeline.as_of_notice(template_engine, AS_OF + dt.timedelta(days=1)) is None
    notice = pipeline.as_of_notice(template_engine, AS_OF - dt.timedelta(days=1))
    assert notice is not None and f"早于最近一次已完成运行的日期 {AS_OF}" in notice


def test_the_as_of_date_is_the_citys_date_of_the_moment() -> None:
    """02:00 in Shanghai on 1 December is 18:00 UTC on 30 November: the night's date is the
    city's; a naive time is taken as UTC."""
    at = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.UTC)
    assert pipeline.city_today(at) == dt.date(2026, 12, 1)
    assert pipeline.city_today(at.replace(tzinfo=None)) == dt.date(2026, 12, 1)
    assert pipeline.city_today(dt.datetime(2026, 11, 30, 15, 59, tzinfo=dt.UTC)) == dt.date(2026, 11, 30)  # fmt: skip


def _monitor(args: list[str], cwd: Path, *, tty: bool) -> tuple[int, str, str]:
    """Run `monitor` with stderr on a pseudo-terminal (tty) or a pipe: (code, stdout, stderr)."""
    if not tty:
        done = monitor(*args, cwd=cwd)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "monitor.cli", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, cwd=cwd, env=cli_env())  # fmt: skip
    os.close(follower)
    said = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        said += chunk
    out = process.communicate(timeout=600)[0]
    os.close(leader)
    return process.returncode, out.decode(), said.decode("utf-8", "replace")


def test_progress_is_shown_on_a_terminal_and_not_elsewhere(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    args = ["run", str(root), "--as-of", AS_OF.isoformat()]
    code, _, seen = _monitor([*args, "--out", "o1", "--state", "s1.duckdb"], tmp_path, tty=True)
    assert code == 0, seen
    for line in ("读取入库…", "读取入库完成，用时", "身份匹配完成", "评分预警完成", "发布输出完成"):
        assert line in seen, (line, seen)
    assert "民政低收入人口库 低收入人口库.xlsx: 3 条" in seen  # each file with its records
    code, _, piped = _monitor([*args, "--out", "o2", "--state", "s2.duckdb"], tmp_path, tty=False)
    assert code == 0 and "完成，用时" not in piped and "条，" not in piped


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("night")
    run(build_small_input(folder / "in"), folder / "out", folder / "s.duckdb")
    return folder


def test_a_completed_run_publishes_a_private_copy_of_the_state_beside_out(night: Path) -> None:
    copy = published_state(night / "out")
    assert copy == night / "out.state.duckdb" and copy.stat().st_mode & 0o777 == 0o600
    with open_state(copy) as engine:
        assert engine.execute("select run_id, status from runs") == [(AS_OF.isoformat(), "completed")]  # fmt: skip
    assert not [p for p in night.iterdir() if ".state-" in p.name]  # no partial copy is left


def test_whatif_reads_the_published_copy_while_a_run_holds_the_state(night: Path, tmp_path: Path) -> None:  # fmt: skip
    """Analysts' commands neither wait for the nightly run nor see it half done: with the
    state's lock held (a run writing), what-if works on the copy beside OUT; the terminal
    shows masked IDs, the CSV (owner-only) the full ones, tiers in Chinese, counties by name."""
    text = POLICY.read_text(encoding="utf-8")
    higher = tmp_path / "higher.yaml"  # out-of-pocket costs alone no longer warn
    for key in ("med_oop_orange_abs: 20000", "med_oop_red_abs: 50000", "med_oop_min_rel: 5000"):
        assert key in text
        text = text.replace(key, key.replace(key.split(": ")[1], "1000000"))
    higher.write_text(text, encoding="utf-8")
    csv = tmp_path / "changes.csv"
    with state_lock(night / "s.duckdb"):
        code, out, err = _monitor(["whatif", "--policy", str(higher), "--out", str(night / "out"),
                                   "--csv", str(csv)], tmp_path, tty=False)  # fmt: skip
    assert code == 0, err
    changes = read(csv)
    assert changes.height >= 1 and csv.stat().st_mode & 0o777 == 0o600
    assert set(changes["change"]) <= {"新增", "移出", "等级变化"}
    assert set(changes["county"]) == {"来安县"} and "来安县" in out and "基准政策" in out
    for ids in changes["member_ids"].drop_nulls():
        for person in ids.split(";"):
            assert person not in out and f"{person[:6]}{'*' * (len(person) - 10)}{person[-4:]}" in out  # fmt: skip


SAMPLE = ROOT / "sample_data"
PREVIOUS = AS_OF - dt.timedelta(days=1)


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two nights of the sample's exports (the day before, then the day) by backfill."""
    from monitor.flows.backfill import backfill

    folder = tmp_path_factory.mktemp("backfill")
    root = folder / "dated"
    shutil.copytree(SAMPLE / "input", root / PREVIOUS.isoformat())
    shutil.copytree(SAMPLE / "input", root / AS_OF.isoformat())
    (root / "README.txt").write_text("按日期存放", encoding="utf-8")
    summaries = backfill(root, folder / "out", PREVIOUS, AS_OF, folder / "s.duckdb")
    assert [s.as_of for s in summaries] == [PREVIOUS, AS_OF]
    assert any("README.txt 不是 YYYY-MM-DD" in n for n in summaries[-1].notices)
    return folder


def test_backfill_runs_each_dated_folder_in_order_and_publishes_the_last(backfilled: Path) -> None:  # fmt: skip
    state = backfilled / "s.duckdb"
    with open_state(state) as engine:
        runs = engine.execute("select run_id, status from runs order by run_id")
        history = engine.execute("select distinct run_id from warning_history order by 1")
    assert runs == [(PREVIOUS.isoformat(), "completed"), (AS_OF.isoformat(), "completed")]
    assert history == [(PREVIOUS.isoformat(),), (AS_OF.isoformat(),)]
    warnings = read(backfilled / "out" / "warnings.csv")
    assert "持续" in set(warnings["status"])  # the history exists from the first day
    # only the last date's output is published; the others' are gone
    assert sorted(p.name for p in backfilled.iterdir()) == [".s.duckdb.tmp", "dated", "out", "out.state.duckdb", "s.duckdb", "s.duckdb.lock"]  # fmt: skip
    assert list(temp_folder_of(state).iterdir()) == []


def test_explain_and_check_export_on_the_command_line_read_the_published_copy(backfilled: Path, tmp_path: Path) -> None:  # fmt: skip
    warnings = read(backfilled / "out" / "warnings.csv")
    first = warnings.row(0, named=True)
    with state_lock(backfilled / "s.duckdb"):  # a night running meanwhile does not matter
        code, said, err = _monitor(["explain", first["household_key"], "--out", str(backfilled / "out")], tmp_path, tty=False)  # fmt: skip
        assert code == 0, err
        assert first["household_key"] in said
        for code_ in first["codes"].split(";"):
            assert code_ in said, code_
        for person in (first["member_ids"] or "").split(";"):
            assert person not in said
        export = next((SAMPLE / "input" / "hr").iterdir())
        code, checked, err = _monitor(["check-export", str(export), "--source", "人社就业参保",
                                       "--out", str(backfilled / "out")], tmp_path, tty=False)  # fmt: skip
        assert code == 0, err
        assert export.name in checked
    code, _, err = _monitor(["explain", "NO-SUCH-HOUSEHOLD", "--out", str(backfilled / "out")], tmp_path, tty=False)  # fmt: skip
    assert code == 2 and "warnings.csv" in err and "Traceback" not in err


def test_the_runs_artifacts_count_sources_and_say_the_data_quality(night: Path) -> None:
    summary = run(build_small_input(night / "again"), night / "out2", night / "s2.duckdb")
    table = summary.source_table()
    roster = next(r for r in table if r["来源"] == "民政低收入人口库")
    assert roster["本次读取记录"] == 3 and roster["已匹配记录"] == 3
    hotline = next(r for r in table if r["来源"] == "12345热线")
    assert hotline["失败文件"] == 1
    # quarantine.csv's records, per source (a settlement with neither ID nor name)
    assert sum(r["隔离记录"] for r in table) == summary.quarantined > 0
    note = summary.quality_note()
    assert note.index("## 失败的文件") < note.index("## 隔离与复核")
    assert "hotline/bad.csv" in note and "来电时间" in note
    assert f"预警 {summary.warnings} 户" in summary.headline()
    frame = pl.DataFrame(table)
    assert frame.height == len(summary.ingest)
