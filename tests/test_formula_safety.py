"""No output cell is a live formula (OWASP "CSV injection"): a text cell of any output CSV that
begins with = + - @ tab or CR gets a leading apostrophe; numeric columns stay numbers. The escape
itself is tested in test_publish.py, the workbooks' text cells in test_workbooks.py."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from conftest import AS_OF, B, make_id, run, write_csv
from monitor.publish import FORMULA_START

CSVS = ("warnings.csv", "resolved.csv", "links.csv", "review.csv", "quarantine.csv")


def test_no_output_cell_starts_a_formula(tmp_path: Path) -> None:
    root = tmp_path / "in"
    pid = make_id("341102", "19700101", 41)
    header = [
        "参保人姓名",
        "证件号码",
        "结算日期",
        "就医类型",
        "医疗总费用（元）",
        "个人自付（元）",
    ]
    write_csv(root / "medical_insurance" / "=HYPERLINK(x).csv", header,
              [["=1+1", pid, "2026-10-05", "住院", "80000", "60000"],
               ["@SUM(A1)", "", "2026-10-06", "住院", "-10", "-5"],
               ["-张三", B[:17] + ("0" if B[-1] != "0" else "1"), "2026-10-07", "住院", "10", "5"]])  # fmt: skip
    write_csv(root / "hotline" / "+工单.csv", ["工单编号", "来电时间", "诉求人", "联系电话", "诉求类型"],
              [["=T1", "2026-11-01", "+李四", "13812345678", "求助"]])  # fmt: skip
    out = tmp_path / "out"
    run(root, out, tmp_path / "s.duckdb", AS_OF)
    seen_escaped = 0
    for name in CSVS:
        frame = pl.read_csv(out / name, infer_schema=False, encoding="utf8")
        for column in frame.columns:
            for value in frame[column].drop_nulls():
                assert not value.startswith(FORMULA_START), (name, column, value)
                seen_escaped += value.startswith("'")
    assert seen_escaped >= 3  # file names and names from the input, escaped
    warnings = pl.read_csv(out / "warnings.csv", encoding="utf8")
    assert warnings["score"].dtype == pl.Float64  # numbers stay numbers
    links = pl.read_csv(out / "links.csv", infer_schema=False, encoding="utf8")
    assert "'=HYPERLINK(x).csv" in links["file"].to_list()
