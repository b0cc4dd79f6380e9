"""The assistance chain (一户一条救助链): what a household already receives according to the
exports, beside its warning in warnings.csv (assistance_received), in the township workbook
(预警清单 and 打印版) and in `monitor explain`; and a township workbook written before the
column was added is still read back by its own columns."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from conftest import A_HEAD, AS_OF, build_small_input, read, run, write_csv
from monitor.engine import connect
from monitor.explain import explain
from monitor.feedback import import_workbooks
from monitor.state import open_state, published_state
from monitor.workbooks import (
    CHECK_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    MAIN_COLUMNS,
    MAIN_COLUMNS_BY_VERSION,
    MAIN_HEADER,
    MAIN_SHEET,
    PRINT_COLUMNS,
    PRINT_SHEET,
    cell_signatures,
    row_signature,
)

# F001 is paid its 补差 (the small input's 月保障金额) and 医疗救助 paid on a settlement
RECEIVED = "已享受：低保金 1,200 元/月；医疗救助 3,200 元（近12个月）"
BOOK = "琅琊区_琅琊街道.xlsx"


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small input (household F001: 低保, a dropout) with a hospital settlement of its
    head on which 医疗救助 paid 3,200 yuan."""
    folder = tmp_path_factory.mktemp("chain")
    root = build_small_input(folder / "in")
    write_csv(
        root / "medical_insurance" / "医保结算明细_救助.csv",
        ["参保人姓名", "证件号码", "结算日期", "就医类型", "医疗总费用（元）", "基本医保支付（元）",
         "大病保险支付（元）", "医疗救助支付（元）", "个人自付（元）"],
        [["张伟", A_HEAD, "2026-09-01", "住院", "10000", "5000", "0", "3,200.00", "1800"]],
    )  # fmt: skip
    run(root, folder / "out", folder / "s.duckdb")
    return folder


def test_a_household_with_a_medical_assistance_payment_shows_it(night: Path) -> None:
    warnings = read(night / "out" / "warnings.csv")
    assert warnings.columns[-1] == "assistance_received"
    row = warnings.filter(pl.col("household_key") == "F001").row(0, named=True)
    assert row["assistance_received"] == RECEIVED
    assert "MED_ASSIST_MISSING" not in row["codes"]  # paid: no gap to warn about
    others = warnings.filter(pl.col("household_key") != "F001")["assistance_received"]
    assert others.is_null().all()  # nothing on record: blank


def test_the_township_workbook_shows_it_on_screen_and_on_paper(night: Path) -> None:
    wb = load_workbook(night / "out" / "townships" / BOOK)
    main = wb[MAIN_SHEET]
    column = MAIN_HEADER.index("已享受救助") + 1
    assert main.cell(HEADER_ROW + 1, column).value == "已享受救助"
    assert main.cell(FIRST_ROW + 1, column).value == RECEIVED
    printed = wb[PRINT_SHEET]
    headers = [c.header for c in PRINT_COLUMNS]
    cell = printed.cell(FIRST_ROW + 1, headers.index("已享受救助") + 1).value
    assert (
        cell == "低保金 1,200 元/月\n医疗救助 3,200 元（近12个月）"
    )  # one a line; the header says 已享受


def test_explain_lists_what_the_household_receives_and_from_which_export(night: Path) -> None:
    with connect(published_state(night / "out"), read_only=True) as engine:
        text = explain(engine, "F001").text()
    assert "七、已享受的救助" in text
    assert "低保金 1,200 元/月（低收入人口库 月保障金额，户主所在行）" in text
    assert "医疗救助 3,200 元（医保结算明细 医疗救助支付，近12个月 1 笔结算" in text


def test_a_workbook_of_the_previous_format_is_read_by_its_own_columns(
    night: Path, tmp_path: Path
) -> None:
    """A workbook issued by the version before 已享受救助 (format 1) and returned after the
    upgrade: the same signed cells without that column, imported as before."""
    state = tmp_path / "s.duckdb"
    shutil.copy(night / "s.duckdb", state)
    old = MAIN_COLUMNS_BY_VERSION["1"]
    assert [c.header for c in old] == [c.header for c in MAIN_COLUMNS if c.header != "已享受救助"]
    book = tmp_path / BOOK
    wb = load_workbook(night / "out" / "townships" / BOOK)
    main, check = wb[MAIN_SHEET], wb[CHECK_SHEET]
    main.delete_cols(MAIN_HEADER.index("已享受救助") + 1)
    check.cell(1, 2).value = "1"
    with open_state(state) as engine:
        secret = bytes.fromhex(
            str(engine.value("50_publish/secret.sql", {"name": "workbook_hmac"}))
        )
    headers = [c.header for c in old]
    protected = [i for i, c in enumerate(old) if c.value is not None]
    run_id, township = AS_OF.isoformat(), str(check.cell(3, 2).value)
    for row in check.iter_rows(min_row=7):
        key = row[0].value
        if not key:
            continue
        line = next(r for r in range(FIRST_ROW + 1, main.max_row + 1)
                    if main.cell(r, headers.index("家庭编号") + 1).value == key)  # fmt: skip
        # signed as the previous version signed them: its own protected cells
        values = [main.cell(line, i + 1).value for i in protected]
        row[2].value = row_signature(secret, run_id, township, [*values, row[1].value])
        row[3].value = cell_signatures(secret, run_id, township, values, old)
    main.cell(FIRST_ROW + 1, headers.index("核实结果") + 1).value = "无法联系"
    wb.save(book)
    with open_state(state) as engine:
        result = import_workbooks(engine, [book], AS_OF)
    assert result.rejected == [] and result.imported >= 1
