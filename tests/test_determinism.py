"""Same state, inputs, policy and as-of date: byte-identical CSV outputs, whatever the DuckDB
thread count, the order files are listed in and their names (outputs.md, "Determinism").

On a generated city of 30,000 people: below ~20,000 persons the reservoir sample that once fed
the ID calibration took every person, so the order did not show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from citygen import generate_city
from citygen.compare import digests, renamed_copy
from monitor import pipeline

AS_OF = dt.date(2026, 11, 15)


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
    renamed = renamed_copy(city / "input", tmp_path / "renamed")
    again = night(tmp_path / "renamed", tmp_path / "renamed_run", 2, monkeypatch)
    assert digests(again, renamed) == digests(first, {v: v for v in renamed.values()})
