"""The nightly flow (through Prefect, as `monitor run` runs it) on the committed sample city."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import polars as pl
import pytest

from monitor.runner import run_nightly

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SAMPLE_AS_OF = dt.date(2026, 11, 15)  # the as-of the sample was generated for (Makefile)


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    assert (SAMPLE / "input").is_dir(), "sample_data/input is missing: run `make sample`"
    work = tmp_path_factory.mktemp("sample")
    summary = run_nightly(
        input_dir=SAMPLE / "input",
        out=work / "out",
        as_of=SAMPLE_AS_OF,
        state=work / "state.duckdb",
    )
    return work, summary


def test_every_output_file_is_written(sample_run: tuple[Path, object]) -> None:
    work, _ = sample_run
    out = work / "out"
    for name in (
        "warnings.csv",
        "resolved.csv",
        "links.csv",
        "review.csv",
        "quarantine.csv",
        "report.html",
    ):
        assert (out / name).is_file(), name
    assert list((out / "townships").glob("*.xlsx"))
    warnings = _read(out / "warnings.csv")
    assert warnings.height > 0
    assert set(warnings["tier"]) <= {"red", "orange", "yellow", "review"}


def test_links_balance_every_data_record_of_every_file(sample_run: tuple[Path, object]) -> None:
    work, _ = sample_run
    links = _read(work / "out" / "links.csv")
    truth = _read(SAMPLE / "truth" / "rows.csv").filter(pl.col("folder") == "input")
    got = links.group_by("source", "file").agg(
        pl.len().alias("n"), pl.col("row").cast(pl.Int64).max().alias("last")
    )
    want = truth.group_by("source", "file").agg(pl.len().alias("n"))
    joined = want.join(got, on=["source", "file"], how="full", coalesce=True)
    assert joined.filter(pl.col("n") != pl.col("n_right")).height == 0, joined
    assert joined.filter(pl.col("n_right") != pl.col("last")).height == 0
    assert links.select(pl.struct("source", "file", "row").is_unique().all()).item()


def test_exact_links_agree_with_the_truth(sample_run: tuple[Path, object]) -> None:
    work, _ = sample_run
    links = _read(work / "out" / "links.csv").filter(pl.col("method").is_in(["exact", "repaired"]))
    truth = _read(SAMPLE / "truth" / "rows.csv").filter(pl.col("folder") == "input")
    joined = links.join(truth, on=["source", "file", "row"], how="left", suffix="_true")
    wrong = joined.filter(pl.col("person_id") != pl.col("person_id_true").fill_null(""))
    assert wrong.height == 0, wrong.head()


def test_rerun_gives_byte_identical_csvs(sample_run: tuple[Path, object], tmp_path: Path) -> None:
    work, _ = sample_run
    copy = tmp_path / "state.duckdb"
    shutil.copy(work / "state.duckdb", copy)
    run_nightly(input_dir=SAMPLE / "input", out=tmp_path / "out", as_of=SAMPLE_AS_OF, state=copy)
    for name in ("warnings.csv", "links.csv", "quarantine.csv", "review.csv"):
        a = hashlib.sha256((work / "out" / name).read_bytes()).hexdigest()
        b = hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest()
        assert a == b, name
