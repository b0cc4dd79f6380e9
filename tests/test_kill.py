"""Crash safety: a night SIGKILLed at named points (inside ingestion mid-file and
mid-transaction, linking, scoring, workbook writing, the output swap, the state copy) and at
seeded random moments; each time OUT is a real folder holding a whole night, the state
opens, and the next run gives the outputs of an uninterrupted night (CSV bytes, workbook
cells).

The night runs in a child process (pipeline.run_all, without Prefect: its temporary server
has its own test) that kills itself at the point, as an operator's `kill -9` would."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import run
from monitor.state import open_state

FIRST, NIGHT = dt.date(2026, 11, 14), dt.date(2026, 11, 15)
CSVS = ("warnings.csv", "resolved.csv", "links.csv", "review.csv", "quarantine.csv")

# point -> the patch the child applies before the night: it SIGKILLs itself there
POINTS = {
    "ingest-mid-transaction": (
        "import monitor.ingest as m\nreal = m._store\ncalls = []\n"
        "def patched(engine, model, *a, **k):\n"
        "    if model.endswith('store_clean.sql'):\n"
        "        calls.append(1)\n"
        "        if len(calls) == 2: die()\n"  # the second file's raw rows are stored
        "    return real(engine, model, *a, **k)\n"
        "m._store = patched\n"
    ),
    "linking": "kill_at_model('30_link/record_links.sql')\n",
    "scoring": "kill_at_model('40_score/household_income.sql')\n",
    "workbooks": (
        "import monitor.workbooks as m\nreal = m._write_workbook\ncalls = []\n"
        "def patched(*a, **k):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 3: die()\n"  # two township workbooks written
        "    return real(*a, **k)\n"
        "m._write_workbook = patched\n"
    ),
    "before-the-swap": (
        "import monitor.publish as m\ndef patched(a, b): die()\nm._exchange = patched\n"
    ),
    "after-the-swap": (
        "import monitor.publish as m\nreal = m._exchange\n"
        "def patched(a, b):\n    real(a, b)\n    die()\n"  # the old output not yet removed
        "m._exchange = patched\n"
    ),
    "state-copy": (
        "import monitor.state as m, shutil\nreal = shutil.copyfile\n"
        "def patched(a, b, *x, **k):\n    real(a, b, *x, **k)\n    die()\n"
        "m.shutil.copyfile = patched\n"
    ),
}

CHILD = """
import datetime as dt, os, signal, sys
from pathlib import Path

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def kill_at_model(target):
    from monitor.engine import Engine
    real = Engine.build
    def build(self, model, *a, **k):
        if model == target:
            die()
        return real(self, model, *a, **k)
    Engine.build = build

exec(sys.argv[1])
from monitor import pipeline
input_dir, out, state, as_of = sys.argv[2:6]
pipeline.run_all(pipeline.make_context(Path(input_dir), Path(out), dt.date.fromisoformat(as_of),
                                       Path(state)))
"""


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated city, its first night's state, and the uninterrupted second night."""
    from citygen import generate_city

    root = tmp_path_factory.mktemp("kill")
    generate_city(root / "city", people=500, seed=3, as_of=NIGHT)
    first = root / "first" / "input"
    shutil.copytree(root / "city" / "input", first)
    for event in ("health", "medical_insurance", "hotline"):  # the second night brings them
        shutil.rmtree(first / event, ignore_errors=True)
    run(first, root / "base-first-out", root / "first.duckdb", FIRST)
    shutil.copy(root / "first.duckdb", root / "base.duckdb")
    run(root / "city" / "input", root / "base-out", root / "base.duckdb", NIGHT)
    return root


def _cells(book: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    wb = load_workbook(book)
    return [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]


def _same_as_uninterrupted(out: Path, base: Path) -> None:
    for name in CSVS:
        assert (out / name).read_bytes() == (base / name).read_bytes(), name
    books = sorted(p.relative_to(base) for p in base.rglob("*.xlsx"))
    assert sorted(p.relative_to(out) for p in out.rglob("*.xlsx")) == books
    for book in books:
        assert _cells(out / book) == _cells(base / book), book


def _kill_and_recover(city: Path, tmp_path: Path, patch: str, delay: float | None = None) -> int:
    """The second night killed (at the patch's point, or after `delay` seconds), then run
    again; returns the killed night's exit status."""
    state, out = tmp_path / "s.duckdb", tmp_path / "out"
    shutil.copy(city / "first.duckdb", state)
    shutil.copytree(city / "base-first-out", out)  # the first night's output in place
    night = subprocess.Popen([sys.executable, "-c", CHILD, patch, str(city / "city" / "input"),
                              str(out), str(state), NIGHT.isoformat()],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    if delay is not None:
        time.sleep(delay)
        night.send_signal(signal.SIGKILL)
    status = night.wait(timeout=600)
    # OUT is never absent and stays a real folder, holding a whole night (either one)
    assert out.is_dir() and not out.is_symlink()
    assert (out / "warnings.csv").exists() and (out / "report.html").exists()
    with open_state(state) as engine:  # the state opens
        engine.execute("select count(*) from runs")
    run(city / "city" / "input", out, state, NIGHT)
    _same_as_uninterrupted(out, city / "base-out")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")]
    assert leftovers == [], leftovers
    return status


@pytest.mark.parametrize("point", list(POINTS))
def test_a_night_killed_at_a_point_recovers_to_the_uninterrupted_outputs(city: Path, tmp_path: Path, point: str) -> None:  # fmt: skip
    assert _kill_and_recover(city, tmp_path, POINTS[point]) == -signal.SIGKILL


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_night_killed_at_a_random_moment_recovers(city: Path, tmp_path: Path, seed: int) -> None:  # fmt: skip
    delay = random.Random(seed).uniform(1.0, 8.0)
    _kill_and_recover(city, tmp_path, "", delay)
