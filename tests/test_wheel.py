"""The product wheel is a working monitor anywhere: its SQL models, data contracts, policy and
configuration ship inside it and are found with importlib.resources, not in a checkout; the
generator (citygen) is not in it."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _uv() -> str | None:
    local = ROOT / ".tools" / "bin" / "uv"
    return str(local) if local.exists() else shutil.which("uv")


@pytest.mark.slow
def test_the_wheel_installed_elsewhere_runs_the_sample(tmp_path: Path) -> None:
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not installed (make setup installs it into .tools/)")
    subprocess.run([uv, "build", "--wheel", "-q", "-o", str(tmp_path / "dist"), str(ROOT)],
                   check=True, cwd=ROOT)  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("monitor-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "monitor/sql/40_score/person_signals.sql" in names
    assert "monitor/policy/2026.yaml" in names and "monitor/config/city.yaml" in names
    assert "monitor/flows/nightly.py" in names
    assert not [n for n in names if "citygen" in n or "/generate/" in n]
    # a fresh environment with the wheel; its dependencies from this one, not monitor itself
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "-q", "--no-deps", "--python", str(python), str(wheel)],
                   check=True)  # fmt: skip
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    ours = [p for p in site.getsitepackages() if p != sysconfig.get_paths()["stdlib"]]
    (Path(target) / "deps.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MONITOR_HOME")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    where = subprocess.run(
        [str(python), "-c", "import monitor; print(monitor.__file__)"],
        capture_output=True, text=True, check=True, cwd=elsewhere, env=env,
    ).stdout.strip()  # fmt: skip
    assert where.startswith(str(venv)), where
    run = subprocess.run(
        [str(python), "-m", "monitor.cli", "run", str(ROOT / "sample_data" / "input"),
         "--out", "out", "--state", "state/monitor.duckdb", "--as-of", "2026-11-15"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert (elsewhere / "out" / "warnings.csv").stat().st_size > 1000
    assert (elsewhere / "out" / "report.html").exists()
