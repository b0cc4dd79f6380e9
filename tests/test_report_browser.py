"""report.html after two nights of the sample (as `make demo` runs them): no ID, name or phone
number of the state in it, and, in headless Chromium, every chart drawn (SVG in the loaded
page, and pixels of the workbooks' tier colours that the page without its charts lacks)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from conftest import run
from monitor.engine import connect
from monitor.geography import load_city
from monitor.workbooks import TIER_COLOURS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
TOOL = ROOT / "tools" / "render_report.py"
sys.path.insert(0, str(TOOL.parent))
from render_report import chromium, headless  # noqa: E402

BROWSER = chromium()
needs_chromium = pytest.mark.skipif(
    BROWSER is None,
    reason="Chromium is not installed: .ci/run installs chromium and fonts-noto-cjk with apt-get",
)
CHARTS = 4  # counties, townships, signals, trend (no feedback chart: night one sent nothing)


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The state and OUT of the sample's previous night (2026-10-15) and its night."""
    work = tmp_path_factory.mktemp("two-nights")
    state = work / "state.duckdb"
    run(SAMPLE / "previous", work / "out-previous", state, dt.date(2026, 10, 15))
    run(SAMPLE / "input", work / "out", state, dt.date(2026, 11, 15))
    return work


def personal_values(state: Path) -> set[str]:
    """Every ID (as resolved and as read), name and phone number the state holds, and the
    grid workers' names and what they wrote (情况描述)."""
    with connect(state) as engine:
        frames = [
            engine.frame("select person_id as v from records_current"),
            engine.frame("select name as v from records_current"),
            engine.frame("select phone_norm as v from records_current"),
            engine.frame("select id_text as v from raw_ids"),
            engine.frame("select grid_worker as v from clean_grid"),
            engine.frame("select description as v from clean_grid"),
        ]
    values = {str(v).strip() for f in frames for v in f["v"].to_list() if v}
    return {v for v in values if len(v) >= 2}


def test_the_report_of_two_nights_has_no_personal_data(two_nights: Path) -> None:
    html = (two_nights / "out" / "report.html").read_text(encoding="utf-8")
    secrets = personal_values(two_nights / "state.duckdb")
    assert len(secrets) > 1000  # the sample's people are there to look for
    with connect(two_nights / "state.duckdb") as engine:
        workers = engine.frame("select distinct grid_worker from clean_grid")["grid_worker"]
    assert workers.len() > 10 and set(workers.drop_nulls()) <= secrets  # and the grid workers
    found = sorted(v for v in secrets if v in html)
    assert not found, found[:10]
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)", html)


def test_the_report_of_two_nights_compares_with_the_first(two_nights: Path) -> None:
    html = (two_nights / "out" / "report.html").read_text(encoding="utf-8")
    assert "上次运行（监测日期 2026-10-15） 0 户" in html  # night one had no roster: no warning
    assert "共 2 次运行" in html and html.count("<svg class='chart'") == CHARTS
    places = html[html.index("<h2>按区县</h2>") : html.index("<h2>按预警信号</h2>")]
    city = load_city()
    codes = [c.code for c in city.counties] + list(city.former_codes)
    assert "琅琊区" in places and not [c for c in codes if c in places]  # counties by name


def _tier_pixels(png: Path) -> Counter[str]:
    """How many pixels of the screenshot have each tier's colour exactly."""
    wanted = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)): t for t, c in TIER_COLOURS.items()}
    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    counts = {rgb: n for n, rgb in colours}
    return Counter({t: counts.get(rgb, 0) for rgb, t in wanted.items()})


@needs_chromium
def test_the_charts_render_in_chromium(two_nights: Path, tmp_path: Path) -> None:
    assert BROWSER is not None
    report = two_nights / "out" / "report.html"
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([*headless(BROWSER, Path(profile)), "--dump-dom", report.as_uri()],
                             capture_output=True, text=True, check=True, timeout=180).stdout  # fmt: skip
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", dom, flags=re.DOTALL)
    assert len(charts) == CHARTS, dom[:500]
    for chart in charts:  # drawn shapes and the text the browser's CJK font draws
        assert chart.count("<path") > 10 and re.search(r"<text[^>]*>[^<]*[\u4e00-\u9fff]", chart)
    assert all(f">{word}</text>" in charts[0] for word in ("红色", "橙色", "黄色", "复核"))

    # the page with its charts against the same page without them, in a window that shows all
    without = tmp_path / "without-charts.html"
    without.write_text(re.sub(r"<svg .*?</svg>", "", report.read_text(encoding="utf-8"),
                              flags=re.DOTALL), encoding="utf-8")  # fmt: skip
    shots = {}
    for name, page in (("with", report), ("without", without)):
        shots[name] = tmp_path / f"{name}.png"
        subprocess.run([sys.executable, str(TOOL), str(page), str(shots[name]), "--height",
                        "3600"], check=True, capture_output=True, timeout=240)  # fmt: skip
    with Image.open(shots["with"]) as image:
        assert image.size == (1280, 3600)
    drawn = _tier_pixels(shots["with"]) - _tier_pixels(shots["without"])
    for tier in TIER_COLOURS:  # each tier's bars, beyond the headline's cards of that colour
        assert drawn[tier] > 2000, (tier, drawn)
