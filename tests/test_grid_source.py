"""The grid workers' visit records (source grid, exports.md; issue 14) go through the readers,
Great Expectations, quarantine, the ledger and linking like every source's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from conftest import A_HEAD, build_small_input, read, run, write_csv, write_xlsx
from monitor.engine import connect

HEADER = ["记录编号", "走访日期", "网格员", "走访对象", "身份证号", "联系电话", "乡镇(街道)",
          "村社区", "情况类型", "情况描述", "备注"]  # fmt: skip


def grid_input(root: Path) -> Path:
    build_small_input(root)
    write_csv(
        root / "grid" / "网格员巡查走访记录_202611.csv",
        HEADER,
        [
            ["WG1", "2026/11/10", "赵网格", "张伟", A_HEAD, "", "琅琊街道", "东门社区", "独居老人",
             "老人独居，\n行动不便", "已上报"],
            ["WG2", "2026/11/11", "赵网格", "张伟", A_HEAD, "", "琅琊街道", "东门社区", "走访慰问",
             "", ""],  # a label outside the contract's: kept and flagged, no signal
            ["WG3", "2026/11/12", "", "张伟", A_HEAD, "", "琅琊街道", "", "其他", "", ""],
            ["WG4", "2026/11/12", "赵网格", "", "", "", "琅琊街道", "", "生活困难", "", ""],
        ],
        encoding="gb18030",
    )  # fmt: skip
    # the platform's export of the same month again, as xlsx: WG1 counts once
    write_xlsx(
        root / "grid" / "网格员巡查走访记录_202611_补.xlsx",
        HEADER[:10],
        [["WG1", "2026年11月10日", "赵网格", "张伟", A_HEAD, "", "琅琊街道", "东门社区",
          "独居老人", "老人独居，\n行动不便"]],
        title="网格员巡查走访记录（2026年11月）",
        total=True,
    )  # fmt: skip
    return root


def test_a_grid_export_is_read_flagged_quarantined_and_linked(tmp_path: Path) -> None:
    root = grid_input(tmp_path / "in")
    state = tmp_path / "s.duckdb"
    summary = run(root, tmp_path / "out", state)
    grid = next(s for s in summary.ingest if s.source == "grid")
    assert (grid.loaded, grid.failed, grid.records) == (2, 0, 5)
    links = read(tmp_path / "out" / "links.csv").filter(source="grid")
    # WG1 delivered twice: the later delivery counts, the other is listed as its duplicate
    assert links.sort("file", "row").select("file", "row", "method", "version").rows() == [
        ("网格员巡查走访记录_202611.csv", "1", "exact", "duplicate"),
        ("网格员巡查走访记录_202611.csv", "2", "exact", "current"),
        ("网格员巡查走访记录_202611.csv", "3", "exact", "current"),
        ("网格员巡查走访记录_202611.csv", "4", "quarantined", None),
        ("网格员巡查走访记录_202611_补.xlsx", "1", "exact", "current"),
    ]
    quarantine = read(tmp_path / "out" / "quarantine.csv").filter(source="grid")
    assert quarantine.select("file", "row").rows() == [("网格员巡查走访记录_202611.csv", "4")]
    with connect(state) as engine:
        flags = dict(engine.frame("select _row, flags from clean_grid where flags is not null")
                     .sort("_row").rows())  # fmt: skip
        versions = engine.frame(
            "select count(*) as n from record_versions where source = 'grid' and counts"
        )["n"][0]
    assert "expect_column_values_to_be_in_set:situation_type" in flags[2]
    assert "expect_column_values_to_not_be_null:grid_worker" in flags[3]
    assert versions == 3  # WG1 twice is one visit, and the quarantined WG4 is none
    (row,) = (
        read(tmp_path / "out" / "warnings.csv").filter(household_key="F001").iter_rows(named=True)
    )
    assert row["codes"] == "DROPOUT;GRID_REPORT"
    assert row["explanation"].count("网格员走访记录：独居老人（记录编号 WG1）") == 1
    # the same files the next night: known to the ledger, nothing loaded twice
    again = run(root, tmp_path / "out2", state, dt.date(2026, 11, 16))
    grid = next(s for s in again.ingest if s.source == "grid")
    assert (grid.loaded, grid.skipped) == (0, 2)
    assert read(tmp_path / "out2" / "links.csv").filter(source="grid").height == 5
    assert (
        pl.Series(read(tmp_path / "out2" / "warnings.csv")["codes"])
        .str.contains("GRID_REPORT")
        .sum()
        == 1
    )
