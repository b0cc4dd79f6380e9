"""End-to-end behaviour of the pipeline stages on a small hand-made input (no Prefect)."""

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl

from conftest import A_CHILD, AS_OF, B, build_small_input, read, run
from monitor.state import open_state


def test_every_output_is_written_and_the_balance_holds(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    out = tmp_path / "out"
    run(root, out, tmp_path / "s.duckdb")
    for name in (
        "warnings.csv",
        "resolved.csv",
        "links.csv",
        "review.csv",
        "quarantine.csv",
        "report.html",
    ):
        assert (out / name).exists(), name
    assert (out / "warnings.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    links = read(out / "links.csv")
    # every data record of every input file appears exactly once
    assert links.group_by("source", "file").len().sort("source").rows() == sorted(
        [("education", "学籍.csv", 1), ("hotline", "bad.csv", 1), ("hr", "hr.csv", 1),
         ("medical_insurance", "医保结算明细_202610.csv", 4), ("roster", "低收入人口库.xlsx", 3)]
    )  # fmt: skip
    assert links.filter(pl.col("file") == "医保结算明细_202610.csv")["method"].to_list() == [
        "exact", "exact", "quarantined", "unmatched",
    ]  # fmt: skip
    quarantine = read(out / "quarantine.csv")
    assert set(quarantine["source"]) == {"medical_insurance", "hotline"}
    assert "来电时间" in quarantine.filter(pl.col("source") == "hotline")["reason"][0]


def test_planted_situations_are_warned(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    run(root, tmp_path / "out", tmp_path / "s.duckdb")
    warnings = read(tmp_path / "out" / "warnings.csv")
    by_member = {r["member_ids"]: r for r in warnings.iter_rows(named=True)}
    assert by_member[A_CHILD]["codes"] == "DROPOUT" and by_member[A_CHILD]["tier"] == "red"
    assert by_member[A_CHILD]["household_key"] == "F001"
    # 60,000 exported twice counts once: red (>= 50,000), not 120,000
    assert by_member[B]["kind"] == "主动发现" and by_member[B]["tier"] == "red"
    assert "60,000" in by_member[B]["explanation"]


def test_same_inputs_give_byte_identical_csvs_and_next_night_is_continuing(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    digests = []
    for i in range(2):
        run(root, tmp_path / f"out{i}", tmp_path / f"s{i}.duckdb")
        digests.append(
            {
                p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in (tmp_path / f"out{i}").glob("*.csv")
            }
        )
    assert digests[0] == digests[1]
    summary = run(root, tmp_path / "next", tmp_path / "s0.duckdb", AS_OF + dt.timedelta(days=1))
    assert all(s.loaded == 0 for s in summary.ingest)  # same bytes: skipped by the ledger
    warnings = read(tmp_path / "next" / "warnings.csv")
    assert set(warnings["status"]) == {"持续"}
    assert (
        read(tmp_path / "next" / "links.csv").height == read(tmp_path / "out0" / "links.csv").height
    )


def test_missing_snapshot_folder_keeps_the_last_picture(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    run(root, tmp_path / "out", tmp_path / "s.duckdb")
    for f in (root / "roster").iterdir():
        f.unlink()
    run(root, tmp_path / "out2", tmp_path / "s.duckdb", AS_OF + dt.timedelta(days=1))
    warnings = read(tmp_path / "out2" / "warnings.csv")
    assert "F001" in warnings["household_key"].to_list()
    assert read(tmp_path / "out2" / "resolved.csv").height == 0


def test_a_second_writer_is_refused_with_a_message(tmp_path: Path) -> None:
    """Another process cannot open a state this one is writing; in this process, the run's
    stages open it again under the run's lock (a stage is a task that opens the state)."""
    import subprocess
    import sys

    state = tmp_path / "s.duckdb"
    other = (
        "import sys; from pathlib import Path; from monitor.state import open_state\n"
        "from monitor.errors import StateLockedError\n"
        "try:\n"
        "    with open_state(Path(sys.argv[1])): pass\n"
        "except StateLockedError as exc:\n"
        "    print(exc); sys.exit(3)\n"
    )
    with open_state(state) as outer:
        outer.execute("create table held (x int)")
        refused = subprocess.run(
            [sys.executable, "-c", other, str(state)], capture_output=True, text=True, timeout=120
        )
        with open_state(state) as inner:  # the same process: the run's own stages
            assert inner.execute("select count(*) from held") == [(0,)]
    assert refused.returncode == 3, refused.stderr
    assert "另一次运行正在写入这个状态库" in refused.stdout
    done = subprocess.run(
        [sys.executable, "-c", other, str(state)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_strict_run_exits_non_zero_when_a_file_failed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from monitor.cli import app

    root = build_small_input(tmp_path / "in")  # holds hotline/bad.csv without 来电时间
    args = ["run", str(root), "--out", str(tmp_path / "out"), "--state", str(tmp_path / "s.duckdb"),
            "--as-of", AS_OF.isoformat(), "--strict"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert (tmp_path / "out" / "quarantine.csv").exists()  # the outputs were still written


def test_a_stage_part_opens_the_state_itself_given_only_the_runs_parameters(
    tmp_path: Path,
) -> None:
    """What a Prefect task does: run_stage with the run's context and a stage's name opens
    the state (its own lock and connection when no run holds it) and gives the stage's
    result; inside a run it works on the run's open engine."""
    from monitor import pipeline

    state = tmp_path / "s.duckdb"
    root = build_small_input(tmp_path / "in")
    summary = run(root, tmp_path / "out", state)
    ctx = pipeline.make_context(root, tmp_path / "out", AS_OF, state)
    assert pipeline.run_stage(ctx, "score", None) == summary.warnings
    with open_state(state) as engine:
        assert pipeline.run_stage(ctx, "score", None) == summary.warnings
        assert engine.execute("select count(*) from warnings_current") == [(summary.warnings,)]


def test_a_source_failing_on_a_bug_keeps_the_others_work_and_a_rerun_resumes(tmp_path: Path, monkeypatch) -> None:  # fmt: skip
    """One source's ingestion raising an internal error: the other sources are ingested and
    kept, the run stops before linking (OUT is not written), and the rerun, with the bug
    gone, gives the outputs of an uninterrupted run."""
    import pytest

    from monitor import pipeline
    from monitor.errors import PartsFailedError

    root = build_small_input(tmp_path / "in")
    real = pipeline.ingest_source

    def broken(engine, input_dir, source, run_id, today):  # type: ignore[no-untyped-def]
        if source == "education":
            raise ZeroDivisionError("a bug")
        return real(engine, input_dir, source, run_id, today)

    monkeypatch.setattr(pipeline, "ingest_source", broken)
    state, out = tmp_path / "s.duckdb", tmp_path / "out"
    with pytest.raises(PartsFailedError, match=r"教育学籍（ZeroDivisionError）"):
        run(root, out, state)
    assert not out.exists()
    with open_state(state) as engine:
        kept = {r[0] for r in engine.execute("select distinct source from files")}
    assert "education" not in kept and {"roster", "hr", "medical_insurance"} <= kept
    monkeypatch.setattr(pipeline, "ingest_source", real)
    run(root, out, state)
    run(root, tmp_path / "fresh", tmp_path / "fresh.duckdb")
    for name in ("warnings.csv", "links.csv", "quarantine.csv", "resolved.csv", "review.csv"):
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
