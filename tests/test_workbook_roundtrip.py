"""A township workbook through a spreadsheet program and back: filled, re-saved by
LibreOffice (which rewrites the file as Excel or WPS would), imported, and applied the next
night; a workbook tampered with in LibreOffice is rejected with its cell named."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import AS_OF, read, run
from monitor.feedback import import_workbooks
from monitor.state import open_state
from monitor.workbooks import FIRST_ROW, MAIN_HEADER, MAIN_SHEET

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc with apt-get",
)
SAMPLE = Path(__file__).parents[1] / "sample_data" / "input"
BOOK = "琅琊区_琅琊街道.xlsx"
TODAY = AS_OF + dt.timedelta(days=3)


def resave(path: Path, folder: Path) -> Path:
    """`path` opened and saved again by LibreOffice, headless, as xlsx."""
    folder.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"HOME": str(folder)}  # LibreOffice's profile: a private one
    subprocess.run(
        [str(SOFFICE), "--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
         "--outdir", str(folder), str(path)],
        check=True, capture_output=True, timeout=180, env=env,
    )  # fmt: skip
    return folder / path.name


def fill_first(path: Path, **cells: object) -> str:
    wb = load_workbook(path)
    ws = wb[MAIN_SHEET]
    for header, value in cells.items():
        ws.cell(FIRST_ROW + 1, MAIN_HEADER.index(header) + 1).value = value
    wb.save(path)
    return str(ws.cell(FIRST_ROW + 1, MAIN_HEADER.index("家庭编号") + 1).value)


def test_a_workbook_resaved_by_libreoffice_comes_back_and_counts(tmp_path: Path) -> None:
    state = tmp_path / "s.duckdb"
    run(SAMPLE, tmp_path / "out", state)
    filled = tmp_path / "filled" / BOOK
    filled.parent.mkdir()
    shutil.copy(tmp_path / "out" / "townships" / BOOK, filled)
    key = fill_first(filled, 核实结果="已核实-已救助", 核实日期=TODAY, 核实人="王芳")
    returned = resave(filled, tmp_path / "libreoffice")
    assert returned.read_bytes() != filled.read_bytes()  # really rewritten
    with open_state(state) as engine:
        result = import_workbooks(engine, [returned], TODAY)
    assert result.rejected == [] and result.imported >= 1
    run(SAMPLE, tmp_path / "out2", state, AS_OF + dt.timedelta(days=5))
    resolved = read(tmp_path / "out2" / "resolved.csv")
    assert resolved.filter(resolved["household_key"] == key)["reason"].to_list() == ["已处置"]


def test_a_protected_cell_changed_in_libreoffice_is_named(tmp_path: Path) -> None:
    state = tmp_path / "s.duckdb"
    run(SAMPLE, tmp_path / "out", state)
    tampered = tmp_path / "tampered" / BOOK
    tampered.parent.mkdir()
    shutil.copy(tmp_path / "out" / "townships" / BOOK, tampered)
    fill_first(tampered, 核实结果="无法联系", 情况说明="（改写的说明）")
    returned = resave(tampered, tmp_path / "libreoffice")
    with open_state(state) as engine:
        result = import_workbooks(engine, [returned], TODAY)
    (rejection,) = result.rejected
    column = chr(ord("A") + MAIN_HEADER.index("情况说明"))
    assert rejection.cell == f"{column}{FIRST_ROW + 1}" and result.imported == 0
