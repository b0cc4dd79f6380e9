"""monitor.privacy: what of an ID or a phone number a caseworker's workbook may show."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.privacy import mask_id, mask_phone


def test_an_id_keeps_its_first_six_and_last_four() -> None:
    assert mask_id("34110219800101001X") == "341102********001X"
    assert mask_id("341102800101001") == "341102*****1001"  # a 15-digit first-generation ID


def test_a_phone_keeps_its_first_three_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("05503012345") == "055****2345"


def test_short_values_are_masked_whole_and_nothing_stays_nothing() -> None:
    """A value too short to keep both ends is all stars (nothing of it is shown)."""
    assert mask_id("3411021980") == "**********"
    assert mask_phone("3012345") == "*******"
    assert mask_id(None) == mask_id("") == mask_phone(None) == mask_phone("") == ""


@given(st.text(alphabet="0123456789X", min_size=11, max_size=24))
def test_an_id_mask_hides_all_but_the_ends_and_keeps_the_length(value: str) -> None:
    masked = mask_id(value)
    assert len(masked) == len(value)
    assert masked[:6] == value[:6] and masked[-4:] == value[-4:]
    assert set(masked[6:-4]) == {"*"}


@given(st.text(alphabet="0123456789", min_size=8, max_size=20))
def test_a_phone_mask_hides_all_but_the_ends_and_keeps_the_length(value: str) -> None:
    masked = mask_phone(value)
    assert len(masked) == len(value)
    assert masked[:3] == value[:3] and masked[-4:] == value[-4:]
    assert set(masked[3:-4]) == {"*"}


# ---- the grid workers' visit records (issue 14): the grid worker's name is personal data


def test_a_grid_worker_and_what_they_wrote_are_only_in_the_workbook_evidence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A visit to 张伟 (roster household F001): GRID_REPORT is raised; the grid worker's name and the 情况描述 are in the township
    workbook's 证据明细 (the description with its ID and mobile number masked) and in no log
    line, no other sheet, no CSV file of OUT and not in report.html."""
    from openpyxl import load_workbook

    from conftest import A_HEAD, build_small_input, read, run, write_csv
    from monitor.workbooks import EVIDENCE_HEADER, EVIDENCE_SHEET

    root = build_small_input(tmp_path / "in")
    worker, neighbour = "欧阳网格", "钱多多"
    description = f"邻居{neighbour}反映老人独居，女儿电话13812345678，身份证{A_HEAD}"
    write_csv(
        root / "grid" / "网格员巡查走访记录_202611.csv",
        ["记录编号", "走访日期", "网格员", "走访对象", "身份证号", "联系电话", "乡镇（街道）",
         "村（社区）", "情况类型", "情况描述"],
        [["WG1", "2026-11-10", worker, "张伟", A_HEAD, "13812345678", "琅琊街道", "东门社区",
          "独居老人", description]],
    )  # fmt: skip
    with caplog.at_level(logging.DEBUG):
        run(root, tmp_path / "out", tmp_path / "s.duckdb")
    out = tmp_path / "out"
    links = read(out / "links.csv").filter(source="grid")
    assert links.select("person_id", "method").rows() == [(A_HEAD, "exact")]
    (row,) = read(out / "warnings.csv").filter(household_key="F001").iter_rows(named=True)
    assert "GRID_REPORT" in row["codes"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    csvs = "\n".join(p.read_text(encoding="utf-8-sig") for p in out.glob("*.csv"))
    report = (out / "report.html").read_text(encoding="utf-8")
    for text in (worker, neighbour, "老人独居", "女儿电话"):
        assert text not in logged and text not in csvs and text not in report, text
    book = load_workbook(next((out / "townships").glob("*琅琊街道.xlsx")))
    other_sheets = "\n".join(
        str(v) for ws in book.worksheets if ws.title != EVIDENCE_SHEET
        for r in ws.iter_rows(values_only=True) for v in r if v is not None
    )  # fmt: skip
    assert worker not in other_sheets and neighbour not in other_sheets
    evidence = [dict(zip(EVIDENCE_HEADER, r, strict=True))
                for r in book[EVIDENCE_SHEET].iter_rows(min_row=2, values_only=True)]  # fmt: skip
    (visit,) = [r for r in evidence if r["网格员"]]
    assert visit["网格员"] == worker and visit["家庭编号"] == "F001"
    assert visit["说明"].endswith(
        f"；情况描述：邻居{neighbour}反映老人独居，女儿电话138****5678，身份证{mask_id(A_HEAD)}"
    )
