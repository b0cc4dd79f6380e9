"""One small fixture per defect of exports.md that the other test files do not already cover."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import xlsxwriter

from conftest import A_HEAD, B, write_csv
from monitor.contracts import contracts
from monitor.ingest import ingest_source
from monitor.readers import read_file
from monitor.state import open_state

TODAY = dt.date(2026, 11, 15)


def test_header_aliases_and_extra_columns_kept_in_the_raw_layer(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "medical_insurance"
    write_csv(
        folder / "m.csv",
        ["姓名", "身份证号码", "结算日期", "医疗总费用", "个人自付(元)", "经办机构", "备注"],
        [["王强", B, "2026-10-05", "100", "20", "某医院", "无"]],
    )
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "medical_insurance", "r", TODAY)
        raw = engine.execute(
            "select insured_name, total_cost, out_of_pocket, _extra from raw_medical_insurance"
        )
        header = engine.execute("select header_json from files")[0][0]
    assert raw[0][:3] == ("王强", "100", "20")
    assert json.loads(raw[0][3]) == {"经办机构": "某医院", "备注": "无"}
    assert json.loads(header)["out_of_pocket"] == "个人自付(元)"


def test_data_on_the_first_sheet_whose_header_matches(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("说明").write(0, 0, "本表为人社导出数据，口径说明……")
    wb.add_worksheet("其他").write_row(0, 0, ["编号", "金额"])
    data = wb.add_worksheet("明细")
    data.write_row(0, 0, ["姓名", "身份证号码", "就业状态"])
    data.write_row(1, 0, ["甲", A_HEAD, "就业"])
    wb.close()
    result = read_file(path, "hr", contracts()["hr"])
    assert result.sheet == "明细"
    assert result.frame["person_name"].to_list() == ["甲"]


def test_disability_card_wins_over_disagreeing_columns(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "disability"
    write_csv(
        folder / "d.csv",
        ["姓名", "残疾人证号", "残疾类别", "残疾等级"],
        [
            ["甲", A_HEAD + "41", "肢体", "一级"],
            ["乙", B + "52", "肢体", "1"],
            ["丙", B.lower() + "6", "精神", "三级"],
        ],
    )
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "disability", "r", TODAY)
        rows = engine.execute(
            "select person_id, disability_category, disability_grade, flags from clean_disability order by _row"
        )
    assert rows[0][:3] == (A_HEAD, "肢体", "一级") and rows[0][3] is None
    assert rows[1][:3] == (B, "智力", "二级") and "card_disagrees" in rows[1][3]
    # a card without its two trailing digits: the columns as delivered are used, flagged
    assert rows[2][1:3] == ("精神", "三级") and "bad_card" in rows[2][3]


def test_old_15_digit_and_spaced_ids_are_repaired(tmp_path: Path) -> None:
    old = A_HEAD[:6] + A_HEAD[8:17]
    folder = tmp_path / "in" / "hr"
    write_csv(
        folder / "h.csv",
        ["姓名", "身份证号码", "就业状态"],
        [["甲", old, "就业"], ["乙", f" {B[:6]} {B[6:]} ", "就业"]],
    )
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "hr", "r", TODAY)
        rows = engine.execute("select person_id, id_status from clean_hr order by _row")
    assert rows == [(A_HEAD, "repaired"), (B, "repaired")]
