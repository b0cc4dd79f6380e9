"""workbooks.py: one caseworkers' workbook per township — names shown, IDs and phones masked,
only that township's households and evidence, text never a formula, the 核实结果 drop-down
and the two editable columns of a protected sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import load_workbook

from conftest import A_CHILD, A_HEAD, build_small_input, run
from monitor.workbooks import (
    EVIDENCE_HEADER,
    MAIN_HEADER,
    OUTCOMES,
    workbook_name,
    write_township_workbooks,
)

AS_OF = dt.date(2026, 11, 15)
HEAD, CHILD, OTHER = "34110219800101011X", "34110220120303031X", "341122197005050413"


def test_workbook_name_is_county_and_township_safe_for_a_file_system() -> None:
    assert workbook_name("341102", "琅琊街道") == "341102_琅琊街道.xlsx"
    assert workbook_name("341102", "") == "341102_待分派.xlsx"
    assert workbook_name("341102", 'a/b\\c:d*e?"f<g>h|i j') == "341102_a_b_c_d_e_f_g_h_i_j.xlsx"


def warning(key: str, county: str, township: str, members: str, **values: Any) -> dict[str, Any]:
    return {
        "household_key": key, "kind": "在册对象", "county": county, "township": township,
        "village": "东门社区", "tier": "red", "score": 10.0, "codes": "DROPOUT",
        "assistance": "教育救助;控辍保学", "green_channel": "false", "status": "新增",
        "deadline": "2026-11-16", "member_ids": members, "explanation": "【红色】学生辍学：初中辍学。",
    } | values  # fmt: skip


def evidence(key: str, person: str, detail: str) -> dict[str, Any]:
    return {"household_key": key, "person_id": person, "code": "DROPOUT", "tier": "red",
            "amount": None, "event_date": dt.date(2026, 9, 1), "source": "education",
            "file_name": "学籍.csv", "_row": 3, "detail": detail}  # fmt: skip


def write(folder: Path) -> int:
    warnings = pl.DataFrame([
        warning("F002", "341122", "半塔镇", OTHER, tier="orange", status="持续",
                green_channel="true", explanation="=HYPERLINK(\"http://x\")"),
        warning("F001", "341102", "琅琊街道", f"{HEAD};{CHILD}"),
        warning("F003", "341102", "琅琊街道", "34110219000101000X"),  # nobody known by that ID
    ])  # fmt: skip
    ev = pl.DataFrame([evidence("F001", CHILD, "初中辍学"), evidence("F002", OTHER, "@SUM(A1)"),
                       evidence("F009", OTHER, "not warned")])  # fmt: skip
    people = pl.DataFrame(
        {
            "person_id": [HEAD, CHILD, OTHER],
            "name": ["张伟", "张小明", "=1+1"],
            "phone": ["13812345678", None, "13900001111"],
        }
    )
    return write_township_workbooks(folder, warnings, ev, people, AS_OF)


def cells(path: Path, sheet: str) -> list[list[Any]]:
    return [list(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]


def test_one_workbook_per_township_with_its_households_only(tmp_path: Path) -> None:
    assert write(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "341102_琅琊街道.xlsx",
        "341122_半塔镇.xlsx",
    ]
    main = cells(tmp_path / "341102_琅琊街道.xlsx", "预警名单")
    assert main[0] == MAIN_HEADER
    assert [r[:4] for r in main[1:]] == [[1, "红色", "新增", "F001"], [2, "红色", "新增", "F003"]]
    evidence_rows = cells(tmp_path / "341102_琅琊街道.xlsx", "证据明细")
    assert evidence_rows[0] == EVIDENCE_HEADER
    assert [r[0] for r in evidence_rows[1:]] == ["F001"]  # F002's and F009's stay out


def test_names_shown_ids_and_phones_masked(tmp_path: Path) -> None:
    write(tmp_path)
    main = cells(tmp_path / "341102_琅琊街道.xlsx", "预警名单")
    f001, f003 = main[1], main[2]
    assert f001[6] == "张伟 341102********011X；张小明 341102********031X"
    assert f001[7] == "138****5678"  # a member without a phone adds none
    assert f003[6] == "（姓名未知） 341102********000X"
    assert f001[10] == "教育救助；控辍保学" and f001[11] == "否" and f001[12] == "2026-11-16"
    evidence_row = cells(tmp_path / "341102_琅琊街道.xlsx", "证据明细")[1]
    assert evidence_row[1:4] == ["张小明", "341102********031X", "学生辍学"]
    assert evidence_row[5] == "教育学籍" and evidence_row[8] == "2026-09-01"
    text = "\n".join(str(v) for path in tmp_path.iterdir() for sheet in ("预警名单", "证据明细")
                     for row in cells(path, sheet) for v in row if v is not None)  # fmt: skip
    for secret in (HEAD, CHILD, OTHER, "13812345678", "13900001111"):
        assert secret not in text


def test_text_from_the_data_is_never_a_formula(tmp_path: Path) -> None:
    write(tmp_path)
    wb = load_workbook(tmp_path / "341122_半塔镇.xlsx")
    written = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in written)
    values = {c.value for c in written}
    assert '=HYPERLINK("http://x")' in values and "@SUM(A1)" in values
    assert "=1+1 341122********0413" in values  # a name like a formula, as text


def test_caseworkers_fill_in_two_unlocked_columns_with_a_drop_down(tmp_path: Path) -> None:
    write(tmp_path)
    ws = load_workbook(tmp_path / "341102_琅琊街道.xlsx")["预警名单"]
    assert ws.protection.sheet
    assert [ws.cell(1, c).value for c in (14, 15)] == ["核实结果", "备注"]
    assert not ws.cell(2, 14).protection.locked and not ws.cell(2, 15).protection.locked
    assert ws.cell(2, 4).protection.locked
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"' + ",".join(OUTCOMES) + '"'
    assert str(validation.sqref).startswith("N2:N")


def test_no_warning_no_workbook(tmp_path: Path) -> None:
    warnings = pl.DataFrame([warning("F001", "341102", "琅琊街道", HEAD)]).clear()
    ev = pl.DataFrame([evidence("F001", HEAD, "x")]).clear()
    people = pl.DataFrame(schema={"person_id": pl.String, "name": pl.String, "phone": pl.String})
    assert write_township_workbooks(tmp_path / "t", warnings, ev, people, AS_OF) == 0
    assert list((tmp_path / "t").iterdir()) == []


def test_township_workbook_masks_ids_and_phones(tmp_path: Path) -> None:
    """End to end on the small input: the workbooks a run writes mask what they must."""
    root = build_small_input(tmp_path / "in")
    run(root, tmp_path / "out", tmp_path / "s.duckdb")
    books = sorted((tmp_path / "out" / "townships").glob("*.xlsx"))
    assert [b.name for b in books] == ["341102_琅琊街道.xlsx", "341122_待分派.xlsx"]
    text = []
    for book in books:
        wb = load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                text.extend(str(v) for v in row if v is not None)
    joined = "\n".join(text)
    assert A_CHILD not in joined and A_HEAD not in joined and "13812345678" not in joined
    assert A_CHILD[:6] + "********" + A_CHILD[-4:] in joined
    assert "张小明" in joined
    assert (tmp_path / "out").stat().st_mode & 0o077 == 0
