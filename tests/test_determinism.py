"""Same state, inputs, policy and as-of date: byte-identical CSV outputs, whatever the DuckDB
thread count, the order files are listed in and their names (outputs.md, "Determinism").

On a generated city of 30,000 people: below ~20,000 persons the reservoir sample that once fed
the ID calibration took every person, so the order did not show."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import polars as pl
import pytest

from citygen import generate_city
from monitor import pipeline

AS_OF = dt.date(2026, 11, 15)
CSVS = ("warnings.csv", "resolved.csv", "links.csv", "review.csv", "quarantine.csv")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city30k")
    generate_city(root, people=30_000, seed=7, as_of=AS_OF)
    return root


def night(input_dir: Path, root: Path, threads: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MONITOR_THREADS", str(threads))
    out = root / "out"
    pipeline.run_all(pipeline.make_context(input_dir, out, AS_OF, root / "state.duckdb"))
    return out


def digests(out: Path, renamed: dict[str, str] | None = None) -> dict[str, str]:
    """sha256 of each CSV; with `renamed` (new -> old file name), of the CSV with its file
    names put back and rows re-sorted as the pipeline sorts them (source order, file, row)."""
    result = {}
    for name in CSVS:
        data = (out / name).read_bytes()
        if renamed and name in ("links.csv", "review.csv", "quarantine.csv"):
            frame = pl.read_csv(out / name, infer_schema=False, encoding="utf8")
            order = {s: i for i, s in enumerate(dict.fromkeys(frame["source"]))}
            frame = frame.with_columns(pl.col("file").replace(renamed))
            frame = frame.with_columns(
                pl.col("source").replace_strict(order).alias("_s"),
                pl.col("row").cast(pl.Int64, strict=False).alias("_r"),
            )
            keys = ["_s", "file", "_r"] + [c for c in frame.columns if c not in ("_s", "_r")]
            frame = frame.sort(keys, nulls_last=False).drop("_s", "_r")
            data = frame.write_csv().encode()
        elif renamed:
            data = pl.read_csv(out / name, infer_schema=False, encoding="utf8").write_csv().encode()
        result[name] = hashlib.sha256(data).hexdigest()
    return result


@pytest.mark.slow
def test_outputs_do_not_depend_on_threads_file_order_or_names(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = night(city / "input", tmp_path / "t2", 2, monkeypatch)
    reference = digests(first)
    for threads in (1, 8):
        assert digests(night(city / "input", tmp_path / f"t{threads}", threads, monkeypatch)) == (
            reference
        ), f"threads={threads}"
    # every file renamed so that name order (the listing order) is reversed
    moved = tmp_path / "renamed"
    renamed: dict[str, str] = {}
    for folder in sorted((city / "input").iterdir()):
        files = sorted(folder.iterdir())
        for i, path in enumerate(files):
            new = f"{len(files) - i:03d}_{path.name}"
            renamed[new] = path.name
            target = moved / folder.name / new
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    again = night(moved, tmp_path / "renamed_run", 2, monkeypatch)
    assert digests(again, renamed) == digests(first, {v: v for v in renamed.values()})
