from pathlib import Path

import polars as pl
import pytest

from conftest import A_HEAD, build_small_input, write_csv, write_xlsx
from monitor.contracts import contracts
from monitor.errors import InputFileError
from monitor.readers import read_file


def test_xlsx_title_row_total_row_and_header_aliases(tmp_path: Path) -> None:
    root = build_small_input(tmp_path)
    result = read_file(root / "roster" / "低收入人口库.xlsx", "roster", contracts()["roster"])
    assert result.frame.height == 3
    assert result.title_rows == 1 and result.total_rows == 1
    assert result.frame["_row"].to_list() == [1, 2, 3]


def test_gb18030_csv_is_decoded(tmp_path: Path) -> None:
    root = build_small_input(tmp_path)
    result = read_file(root / "medical_insurance" / "医保结算明细_202610.csv", "medical_insurance",
                       contracts()["medical_insurance"])  # fmt: skip
    assert result.encoding == "gb18030"
    assert result.frame["insured_name"].to_list()[0] == "王强"


def test_numeric_id_cell_is_never_turned_into_an_id(tmp_path: Path) -> None:
    path = tmp_path / "hr.xlsx"
    write_xlsx(
        path,
        ["姓名", "社会保障号码", "就业状态"],
        [["甲", 3.40102199001011e17, "就业"], ["乙", A_HEAD, "就业"]],
    )
    result = read_file(path, "hr", contracts()["hr"])
    assert result.frame["id_number"].to_list() == ["3.40102199001011E+17", A_HEAD]


def test_missing_required_column_names_file_column_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_csv(path, ["工单编号", "诉求人"], [["T1", "某人"]])
    with pytest.raises(InputFileError) as err:
        read_file(path, "hotline", contracts()["hotline"])
    assert "来电时间" in err.value.reason and err.value.records == 1


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02garbage", "完全无关的内容\n1,2,3\n".encode()],
    ids=["empty", "binary", "no-header"],
)
def test_bad_csv_files_fail_with_a_message(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as err:
        read_file(path, "hr", contracts()["hr"])
    assert err.value.reason


def test_truncated_xlsx_fails_with_a_message(tmp_path: Path) -> None:
    root = build_small_input(tmp_path)
    data = (root / "roster" / "低收入人口库.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError):
        read_file(path, "roster", contracts()["roster"])


def test_tab_delimited_and_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        f'户主姓名\t户主身份证号\t房屋地址\n张伟\t{A_HEAD}\t"东门,3号\n2单元"\n', encoding="utf-8"
    )
    result = read_file(path, "housing", contracts()["housing"])
    assert result.delimiter == "\t"
    assert result.frame["address"].to_list() == ["东门,3号\n2单元"]


def test_records_are_numbered_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor import readers

    monkeypatch.setattr(readers, "chunk_rows", lambda: 3)
    rows = [[f"人{i}", A_HEAD, "就业"] for i in range(10)]
    rows.insert(4, ["", "", ""])  # a blank row between records
    path = tmp_path / "hr.csv"
    path.write_text(
        "2026年人社数据,,\n"
        + "\n".join(",".join(r) for r in [["姓名", "身份证号码", "就业状态"], *rows])
        + "\n合计,,\n",
        encoding="gb18030",
    )
    result = read_file(path, "hr", contracts()["hr"])
    chunks = list(result.chunks())
    assert len(chunks) > 1
    frame = pl.concat(chunks)
    assert frame["_row"].to_list() == list(range(1, 11))
    assert frame["person_name"].to_list() == [f"人{i}" for i in range(10)]
    assert (result.title_rows, result.blank_rows, result.total_rows, result.records) == (
        1,
        1,
        1,
        10,
    )


# ---- empty files: 0 records and a reason naming the file, never a crash

HR_HEADER = ["姓名", "社会保障号码", "就业状态"]


def test_header_only_csv_and_xlsx_have_zero_records(tmp_path: Path) -> None:
    write_csv(tmp_path / "h.csv", HR_HEADER, [])
    write_xlsx(tmp_path / "h.xlsx", HR_HEADER, [], title="2026年11月人社数据", total=True)
    for name in ("h.csv", "h.xlsx"):
        result = read_file(tmp_path / name, "hr", contracts()["hr"])
        assert result.frame.height == 0 and result.records == 0, name


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("e.csv", b"", ("为空", "0 字节")),
        ("w.csv", b"\xef\xbb\xbf \r\n\r\n", ("为空", "没有表头")),
        ("e.xlsx", b"", ("为空", "0 字节")),
    ],
)
def test_empty_files_fail_with_zero_records_and_a_reason_naming_the_file(
    tmp_path: Path, name: str, content: bytes, words: tuple[str, ...]
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InputFileError) as err:
        read_file(tmp_path / name, "hr", contracts()["hr"])
    assert err.value.records == 0
    assert name in err.value.reason
    for word in words:
        assert word in err.value.reason


def test_xlsx_without_any_row_fails_with_zero_records(tmp_path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(tmp_path / "blank.xlsx"))
    wb.add_worksheet("Sheet1")
    wb.add_worksheet("Sheet2")
    wb.close()
    with pytest.raises(InputFileError) as err:
        read_file(tmp_path / "blank.xlsx", "hr", contracts()["hr"])
    assert err.value.records == 0
    assert "blank.xlsx" in err.value.reason and "空" in err.value.reason
