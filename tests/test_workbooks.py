"""workbooks.py: one caseworkers' workbook per township — names shown, IDs and phones masked,
only that township's households and evidence, text never a formula, four fill-in columns of
a protected sheet, a print sheet for A4, a summary, and a hidden signed check sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from openpyxl import load_workbook

from conftest import A_CHILD, A_HEAD, build_small_input, run
from monitor.signals import CATALOG
from monitor.workbooks import (
    CHECK_SHEET,
    EVIDENCE_HEADER,
    FIRST_ROW,
    MAIN_COLUMNS,
    MAIN_HEADER,
    MAIN_SHEET,
    OUTCOMES,
    PRINT_COLUMNS,
    PRINT_SHEET,
    SUMMARY_SHEET,
    households,
    protected_values,
    row_signature,
    workbook_name,
    write_township_workbooks,
)

AS_OF = dt.date(2026, 11, 15)
RUN = AS_OF.isoformat()
SECRET = b"k" * 32
HEAD, CHILD, OTHER = "34110219800101011X", "34110220120303031X", "341122197005050413"
COUNTIES = {"341102": "琅琊区", "341122": "来安县"}
BOOK = "琅琊区_琅琊街道.xlsx"


def test_workbook_name_is_county_name_and_township_safe_for_a_file_system() -> None:
    assert workbook_name("琅琊区", "琅琊街道") == "琅琊区_琅琊街道.xlsx"
    assert workbook_name("琅琊区", "") == "琅琊区_待分派.xlsx"
    assert workbook_name(None, "琅琊街道") == "市外_待分派.xlsx"
    assert workbook_name("琅琊区", 'a/b\\c:d*e?"f<g>h|i j') == "琅琊区_a_b_c_d_e_f_g_h_i_j.xlsx"


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


def member(key: str, person: str, name: str | None, phone: str | None, warned: bool,
           deceased: bool = False) -> dict[str, Any]:  # fmt: skip
    return {"household_key": key, "person_id": person, "name": name, "phone": phone,
            "warned": warned, "deceased": deceased}  # fmt: skip


WARNINGS = pl.DataFrame([
    warning("F002", "341122", "半塔镇", OTHER, tier="orange", status="持续",
            green_channel="true", explanation="=HYPERLINK(\"http://x\")"),
    warning("F001", "341102", "琅琊街道", CHILD),
    warning("F003", "341102", "琅琊街道", "34110219000101000X", village=None, tier="yellow",
            codes="HOTLINE_HELP;INCOME_DROP"),
    warning("F004", "341102", "待分派", HEAD),
    warning("F005", "320102", "某街道", HEAD),  # a county outside the city
])  # fmt: skip
MEMBERS = pl.DataFrame([
    member("F001", CHILD, "张小明", None, True),
    member("F001", HEAD, "张伟", "13812345678", False),
    member("F001", "34110219500101011X", "张老汉", None, False, deceased=True),
    member("F002", OTHER, "=1+1", "13900001111", True),
    member("F003", "34110219000101000X", None, None, True),
])  # fmt: skip
ADDRESSES = pl.DataFrame({"household_key": ["F001"], "address": ["琅琊区东门社区3栋2单元"]})


def write(folder: Path) -> int:
    ev = pl.DataFrame([evidence("F001", CHILD, "初中辍学"), evidence("F002", OTHER, "@SUM(A1)"),
                       evidence("F009", OTHER, "not warned")])  # fmt: skip
    return write_township_workbooks(folder, WARNINGS, ev, MEMBERS, ADDRESSES, as_of=AS_OF,
                                    run_id=RUN, secret=SECRET, county_names=COUNTIES)  # fmt: skip


def cells(path: Path, sheet: str) -> list[list[Any]]:
    return [list(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]


def main_rows(path: Path) -> list[dict[str, Any]]:
    rows = cells(path, MAIN_SHEET)
    assert rows[FIRST_ROW - 1] == MAIN_HEADER
    return [dict(zip(MAIN_HEADER, r, strict=True)) for r in rows[FIRST_ROW:]]


def test_one_workbook_per_township_by_county_name_with_its_households_only(tmp_path: Path) -> None:
    assert write(tmp_path) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "市外_待分派.xlsx", "来安县_半塔镇.xlsx", "琅琊区_待分派.xlsx", BOOK,
    ]  # fmt: skip
    got = main_rows(tmp_path / BOOK)
    assert [(r["序号"], r["预警等级"], r["家庭编号"]) for r in got] == [
        (1, "红色", "F001"),
        (2, "黄色", "F003"),
    ]
    assert [r["家庭编号"] for r in main_rows(tmp_path / "市外_待分派.xlsx")] == ["F005"]
    evidence_rows = cells(tmp_path / BOOK, "证据明细")
    assert evidence_rows[0] == EVIDENCE_HEADER
    assert [r[0] for r in evidence_rows[1:]] == ["F001"]  # F002's and F009's stay out


def test_title_row_counts_by_tier_and_says_it_is_confidential(tmp_path: Path) -> None:
    write(tmp_path)
    title = cells(tmp_path / BOOK, MAIN_SHEET)[0][0]
    assert "琅琊区 琅琊街道" in title and "2026-11-15" in title and "共 2 户" in title
    assert "红色 1 户" in title and "黄色 1 户" in title and "内部资料 注意保密" in title


def test_a_caseworker_can_find_the_household(tmp_path: Path) -> None:
    """Village, address, every member (those warned marked ★, the deceased said), all phones."""
    write(tmp_path)
    f001, f003 = main_rows(tmp_path / BOOK)
    assert f001["村（社区）"] == "东门社区" and f001["地址"] == "琅琊区东门社区3栋2单元"
    assert f001["家庭成员"] == (
        "张小明 341102********031X★；张伟 341102********011X；张老汉 341102********011X（已故）"
    )
    assert f001["联系电话"] == "138****5678"
    assert f003["村（社区）"] == "村（社区）未知，依据记录的乡镇：琅琊街道"
    assert f003["家庭成员"] == "（姓名未知） 341102********000X★"
    assert f003["预警信号"] == f"{CATALOG['HOTLINE_HELP'].label}、{CATALOG['INCOME_DROP'].label}"
    assert f001["救助建议"] == "教育救助；控辍保学" and f001["绿色通道"] == "否"
    assert f001["新增/持续"] == "新增" and f001["处置时限"] == "2026-11-16"


def test_ids_and_phones_are_masked_on_every_sheet(tmp_path: Path) -> None:
    write(tmp_path)
    evidence_row = cells(tmp_path / BOOK, "证据明细")[1]
    assert evidence_row[1:4] == ["张小明", "341102********031X", "学生辍学"]
    assert evidence_row[5] == "教育学籍" and evidence_row[8] == "2026-09-01"
    text = "\n".join(str(v) for path in tmp_path.iterdir() for ws in load_workbook(path).worksheets
                     for row in ws.iter_rows(values_only=True) for v in row if v is not None)  # fmt: skip
    for secret in (HEAD, CHILD, OTHER, "13812345678", "13900001111"):
        assert secret not in text


def test_text_from_the_data_is_never_a_formula(tmp_path: Path) -> None:
    write(tmp_path)
    wb = load_workbook(tmp_path / "来安县_半塔镇.xlsx")
    written = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in written)
    values = {c.value for c in written}
    assert '=HYPERLINK("http://x")' in values and "@SUM(A1)" in values
    assert "=1+1 341122********0413★" in values  # a name like a formula, as text


def test_only_the_four_fill_in_columns_are_unlocked_and_the_drop_down(tmp_path: Path) -> None:
    write(tmp_path)
    ws = load_workbook(tmp_path / BOOK)[MAIN_SHEET]
    assert ws.protection.sheet and ws.protection.autoFilter is False  # filtering allowed
    first = FIRST_ROW + 1
    unlocked = [c.header for i, c in enumerate(MAIN_COLUMNS, start=1)
                if not ws.cell(first, i).protection.locked]  # fmt: skip
    assert unlocked == ["核实结果", "核实日期", "核实人", "备注"]
    kinds = {v.type: v for v in ws.data_validations.dataValidation}
    assert kinds["list"].formula1 == '"' + ",".join(OUTCOMES) + '"'
    column = chr(ord("A") + MAIN_HEADER.index("核实结果"))
    assert str(kinds["list"].sqref).startswith(f"{column}{first}:{column}")
    assert kinds["date"].operator in (None, "between")  # between is the default
    assert ws.cell(first, MAIN_HEADER.index("核实日期") + 1).number_format == "yyyy-mm-dd"


def test_printed_the_header_repeats_borders_and_page_numbers(tmp_path: Path) -> None:
    write(tmp_path)
    wb = load_workbook(tmp_path / BOOK)
    for sheet in (MAIN_SHEET, PRINT_SHEET):
        ws = wb[sheet]
        assert ws.print_title_rows == "$1:$2", sheet
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert "第 &P 页 共 &N 页" in ws.oddFooter.center.text
        cell = ws.cell(FIRST_ROW + 1, 2)
        assert cell.border.left.style == "thin" and cell.font.sz >= 9
    for sheet in (MAIN_SHEET, PRINT_SHEET):  # never shrunk to fit: 100 %, text ≥ 9 pt
        setup = wb[sheet].sheet_properties.pageSetUpPr
        assert not setup or not setup.fitToPage, sheet
        assert wb[sheet].page_setup.scale in (None, 100), sheet
    assert wb[MAIN_SHEET].print_title_cols == "$A:$C"  # each page across shows the household
    assert len(PRINT_COLUMNS) <= 11 and sum(c.width for c in PRINT_COLUMNS) <= 106
    assert [c.value for c in wb[PRINT_SHEET][FIRST_ROW]] == [c.header for c in PRINT_COLUMNS]


def test_the_summary_counts_villages_by_tier_and_signals(tmp_path: Path) -> None:
    write(tmp_path)
    rows = cells(tmp_path / BOOK, SUMMARY_SHEET)
    table = {r[0]: r[1:6] for r in rows[3:5]}
    assert table["东门社区"] == [1, 0, 0, 0, 1]
    assert table["村（社区）未知，依据记录的乡镇：琅琊街道"] == [0, 0, 1, 0, 1]
    signals = {r[0]: r[1] for r in rows[8:] if r and r[0]}
    assert signals == {CATALOG[c].label: 1 for c in ("DROPOUT", "INCOME_DROP", "HOTLINE_HELP")}
    assert load_workbook(tmp_path / BOOK)[SUMMARY_SHEET]._charts  # the chart


def test_the_check_sheet_is_hidden_and_signs_each_rows_protected_cells(tmp_path: Path) -> None:
    write(tmp_path)
    wb = load_workbook(tmp_path / BOOK)
    check = wb[CHECK_SHEET]
    assert check.sheet_state == "veryHidden"
    rows = [list(r) for r in check.iter_rows(values_only=True)]
    assert rows[1][:2] == ["运行", RUN] and rows[2][:2] == ["乡镇", "琅琊街道"]
    signed = {r[0]: (r[1], r[2]) for r in rows[6:]}
    assert signed["F003"][0] == "HOTLINE_HELP;INCOME_DROP"
    # the signature is of the cells as written: recomputed from the sheet, it agrees ...
    written = main_rows(tmp_path / BOOK)[1]
    values = [written[c.header] for c in MAIN_COLUMNS if c.value is not None]
    codes = "HOTLINE_HELP;INCOME_DROP"
    assert row_signature(SECRET, RUN, "琅琊街道", [*values, codes]) == signed["F003"][1]
    # the signal codes are signed too: another code list is another signature
    assert row_signature(SECRET, RUN, "琅琊街道", [*values, "DROPOUT"]) != signed["F003"][1]
    # ... and any change to a protected cell, or another key, gives another
    assert (
        row_signature(SECRET, RUN, "琅琊街道", [*values[:-1], "2026-12-31", codes])
        != signed["F003"][1]
    )
    assert row_signature(b"x" * 32, RUN, "琅琊街道", [*values, codes]) != signed["F003"][1]
    (f003,) = [h for h in households(WARNINGS, MEMBERS, ADDRESSES) if h.key == "F003"]
    assert [str(v) for v in protected_values(f003)][2:] == [str(v) for v in values][2:]


def test_no_warning_no_workbook(tmp_path: Path) -> None:
    n = write_township_workbooks(tmp_path / "t", WARNINGS.clear(), pl.DataFrame([evidence("F", HEAD, "x")]).clear(),
                                 MEMBERS.clear(), ADDRESSES.clear(), as_of=AS_OF, run_id=RUN,
                                 secret=SECRET, county_names=COUNTIES)  # fmt: skip
    assert n == 0 and list((tmp_path / "t").iterdir()) == []


def test_township_workbook_masks_ids_and_phones(tmp_path: Path) -> None:
    """End to end on the small input: the workbooks a run writes mask what they must."""
    root = build_small_input(tmp_path / "in")
    run(root, tmp_path / "out", tmp_path / "s.duckdb")
    books = sorted((tmp_path / "out" / "townships").glob("*.xlsx"))
    assert [b.name for b in books] == ["来安县_待分派.xlsx", BOOK]
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


def test_the_city_summary_counts_townships_by_tier_and_signal_without_names(tmp_path: Path) -> None:
    from monitor.workbooks import write_city_summary

    write_city_summary(tmp_path / "汇总.xlsx", WARNINGS, as_of=AS_OF, county_names=COUNTIES)
    wb = load_workbook(tmp_path / "汇总.xlsx")
    tiers = {(r[0], r[1]): r[2:7] for r in cells(tmp_path / "汇总.xlsx", "乡镇×等级")[3:]}
    assert tiers == {
        ("市外", "待分派"): [1, 0, 0, 0, 1],
        ("来安县", "半塔镇"): [0, 1, 0, 0, 1],
        ("琅琊区", "待分派"): [1, 0, 0, 0, 1],
        ("琅琊区", "琅琊街道"): [1, 0, 1, 0, 2],
    }
    signals = cells(tmp_path / "汇总.xlsx", "乡镇×信号")
    header = signals[2]  # below the title row
    row = next(r for r in signals[3:] if r[1] == "琅琊街道")
    assert row[header.index(CATALOG["DROPOUT"].label)] == 1
    assert row[header.index(CATALOG["HOTLINE_HELP"].label)] == 1
    assert wb["乡镇×等级"]._charts
    text = " ".join(
        str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v
    )
    assert not any(k in text for k in ("F001", HEAD, "张", "1381"))


def test_workbooks_written_by_two_processes_are_the_same_and_private(tmp_path: Path) -> None:
    """From `parallel_from` warnings on, a process per core writes the workbooks: the same
    cells as one process, owner-only files."""
    ev = pl.DataFrame([evidence("F001", CHILD, "初中辍学")])
    for folder, start in ((tmp_path / "one", 10**9), (tmp_path / "two", 0)):
        write_township_workbooks(folder, WARNINGS, ev, MEMBERS, ADDRESSES, as_of=AS_OF, run_id=RUN,
                                 secret=SECRET, county_names=COUNTIES, parallel_from=start)  # fmt: skip
    books = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert books == sorted(p.name for p in (tmp_path / "two").iterdir()) and len(books) == 4
    for name in books:
        one, two = load_workbook(tmp_path / "one" / name), load_workbook(tmp_path / "two" / name)
        assert one.sheetnames == two.sheetnames
        for sheet in one.sheetnames:
            assert cells(tmp_path / "one" / name, sheet) == cells(tmp_path / "two" / name, sheet)
        assert (tmp_path / "two" / name).stat().st_mode & 0o077 == 0


def test_a_grid_visit_s_evidence_shows_the_grid_worker_and_the_masked_description(
    tmp_path: Path,
) -> None:
    """The grid worker's name is in 证据明细's 网格员 column and nowhere else of the workbook;
    the 情况描述 follows the evidence's text with IDs and mobile numbers masked, cut to its
    length after masking (a cut never leaves an ID's digits unmasked)."""
    from monitor.workbooks import EVIDENCE_SHEET, GRID_DESCRIPTION_CHARS

    long_text = "老人独居，" + "屋顶漏雨，" * 60 + f"身份证{HEAD}"
    grid = evidence("F001", HEAD, "2026-11-05网格员走访记录：独居老人（记录编号 WG1）") | {
        "code": "GRID_REPORT", "tier": "orange", "source": "grid", "file_name": "网格.csv",
        "grid_worker": "赵网格", "grid_description": f"独居，子女在外，电话13812345678，证{HEAD}",
    }  # fmt: skip
    cut = grid | {"_row": 4, "grid_description": "屋" * (GRID_DESCRIPTION_CHARS - 10) + HEAD}
    plain = evidence("F001", CHILD, "初中辍学") | {"grid_worker": None, "grid_description": None}
    other = grid | {"_row": 5, "grid_description": long_text}
    ev = pl.DataFrame([plain, grid, cut, other])
    write_township_workbooks(tmp_path, WARNINGS, ev, MEMBERS, ADDRESSES, as_of=AS_OF, run_id=RUN,
                             secret=SECRET, county_names=COUNTIES)  # fmt: skip
    rows = [
        dict(zip(EVIDENCE_HEADER, r, strict=True))
        for r in cells(tmp_path / BOOK, EVIDENCE_SHEET)[1:]
    ]
    by_row = {(r["预警信号"], r["行号"]): r for r in rows}
    visit = by_row[(CATALOG["GRID_REPORT"].label, 3)]
    assert visit["网格员"] == "赵网格" and visit["数据来源"] == "网格员走访"
    assert visit["说明"] == (
        "2026-11-05网格员走访记录：独居老人（记录编号 WG1）；情况描述：独居，子女在外，"
        "电话138****5678，证341102********011X"
    )
    assert by_row[(CATALOG["GRID_REPORT"].label, 4)]["说明"].endswith("341102***…")
    assert len(by_row[(CATALOG["GRID_REPORT"].label, 5)]["说明"].split("情况描述：")[1]) == (
        GRID_DESCRIPTION_CHARS
    )
    assert by_row[(CATALOG["DROPOUT"].label, 3)]["网格员"] in (None, "")  # blank for others
    text = "\n".join(str(v) for ws in load_workbook(tmp_path / BOOK).worksheets
                     if ws.title != EVIDENCE_SHEET for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)  # fmt: skip
    assert "赵网格" not in text and "子女在外" not in text
    assert HEAD not in "\n".join(str(v) for r in rows for v in r.values())


def test_a_workbook_is_deflated_fast_in_memory_and_the_same_bytes_each_time(tmp_path: Path) -> None:  # fmt: skip
    """new_workbook: xlsxwriter's zip is replaced by one at deflate level 1 (an xlsxwriter
    upgrade that renamed its internal would silently undo it: this fails instead), parts are
    assembled in memory, and two writes of the same rows are byte-identical."""
    import zipfile

    import xlsxwriter.workbook

    from monitor.workbooks import _FastZipFile, new_workbook

    assert xlsxwriter.workbook.ZipFile is _FastZipFile
    for name in ("a.xlsx", "b.xlsx"):
        wb = new_workbook(tmp_path / name, "测试")
        ws = wb.add_worksheet("数据")
        for row in range(2000):
            ws.write_string(row, 0, f"第{row}行 张三 341102198001010018 说明文字" * 3)
        assert wb.in_memory  # no part, personal data, in a temporary file
        wb.close()
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        strings = archive.getinfo("xl/worksheets/sheet1.xml")  # the strings are inline
        data = archive.read(strings)
    assert strings.compress_type == zipfile.ZIP_DEFLATED
    # level 1 compresses this XML less than the default level 6 would
    import zlib

    default = zlib.compressobj(6, zlib.DEFLATED, -15)
    at_six = len(default.compress(data) + default.flush())
    assert strings.compress_size > at_six


def test_rows_become_xml_as_written_in_memory_and_no_cell_is_silently_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """new_workbook's sheets keep written rows as XML text, not in a temporary file; a cell
    written to an earlier row, or past Excel's last row, is an error instead of a cell that
    xlsxwriter would leave out without a word."""
    import tempfile

    from python_calamine import CalamineWorkbook

    from monitor.errors import OutputError
    from monitor.workbooks import new_workbook

    spare = tmp_path / "tmp"
    spare.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spare))
    wb = new_workbook(tmp_path / "a.xlsx", "测试")
    ws = wb.add_worksheet("数据")
    for row in range(3):
        ws.write_string(row, 0, f"张三{row}")
        ws.write_number(row, 1, row)
        ws.set_row(row, 30)
    with pytest.raises(ValueError, match="row 0 written after row 2"):
        ws.write_string(0, 2, "晚了")
    with pytest.raises(OutputError, match="超出 Excel 的上限"):
        ws.write_string(1_048_576, 0, "第 1,048,577 行")
    wb.close()
    assert not list(spare.iterdir())  # nothing of it went to a temporary file
    sheet = CalamineWorkbook.from_path(str(tmp_path / "a.xlsx")).get_sheet_by_name("数据")
    assert sheet.to_python() == [["张三0", 0.0], ["张三1", 1.0], ["张三2", 2.0]]


def test_write_cells_is_the_xml_of_xlsxwriters_own_cells(tmp_path: Path) -> None:
    """_StreamedWorksheet.write_cells writes what write_string / write_number / write_blank
    and set_row write, byte for byte, for texts that need escaping too; and a text shaped
    like rich-text XML is escaped, not taken as XML."""
    import zipfile

    from monitor.workbooks import new_workbook

    texts = [" 前导空格", "尾随空格 ", "a&b<c>d\"e'", "控制\x01字符", "_x0041_ 字面", "换行\n",
             "\ufffe", "", "普通文字"]  # fmt: skip
    rows: list[list[Any]] = [[t, 3, 2.5, None, 1234567890123.25, -0.0] for t in texts]
    heights = [None, 20, 30.5, 16, 44, None, 15, 200, 14]  # 15 pt: the default height

    def sheet_xml(name: str, fast: bool) -> bytes:
        wb = new_workbook(tmp_path / name, "测试")
        text, number = wb.add_format({"num_format": "@"}), wb.add_format({"bold": True})
        ws = wb.add_worksheet("数据")
        ws.write_string(0, 0, "标题", text)  # xlsxwriter's own row before the fast ones
        for r, (values, height) in enumerate(zip(rows, heights, strict=True), start=1):
            formats = [text, number, number, text, None, number]
            if fast:
                ws.write_cells(r, list(zip(values, formats, strict=True)), height)
                continue
            for c, (v, f) in enumerate(zip(values, formats, strict=True)):
                if v is None:
                    ws.write_blank(r, c, None, f)
                elif isinstance(v, str):
                    ws.write_string(r, c, v, f)
                else:
                    ws.write_number(r, c, v, f)
            if height is not None:
                ws.set_row(r, height)
        ws.write_string(len(rows) + 1, 0, "表尾", text)  # and after them
        wb.close()
        with zipfile.ZipFile(tmp_path / name) as archive:
            return archive.read("xl/worksheets/sheet1.xml")

    assert sheet_xml("fast.xlsx", True) == sheet_xml("own.xlsx", False)

    wb = new_workbook(tmp_path / "rich.xlsx", "测试")
    ws = wb.add_worksheet("数据")
    ws.write_string(0, 0, "<r><t>注入</t></r>")
    ws.write_cells(1, [("<r><t>注入</t></r>", None)])
    wb.close()
    with zipfile.ZipFile(tmp_path / "rich.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert xml.count("&lt;r&gt;&lt;t&gt;注入") == 2 and "<r><t>注入" not in xml
