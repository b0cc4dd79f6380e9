"""Bad and damaged files: each fails alone with a clear message, or keeps every readable record."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from msoffcrypto.format.ooxml import OOXMLFile

from conftest import A_HEAD, B, C, write_csv, write_xlsx
from monitor.contracts import contracts
from monitor.engine import Engine
from monitor.errors import InputFileError
from monitor.ingest import ingest_source
from monitor.readers import read_file
from monitor.state import open_state

HR = ["姓名", "社会保障号码", "就业状态", "月工资（元）", "失业登记日期"]
GOOD_ROWS = [
    ["甲", A_HEAD, "就业", "3000", "2026-01-01"],
    ["乙", B, "失业登记", "", "2026-10-01"],
    ["丙", C, "就业", "1,200元", ""],
]


def _read(path: Path) -> pl.DataFrame:
    return read_file(path, "hr", contracts()["hr"]).frame


def _fails(path: Path, *words: str) -> InputFileError:
    with pytest.raises(InputFileError) as err:
        _read(path)
    assert err.value.file == path.name
    for word in words:
        assert word in err.value.reason
    return err.value


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    _fails(tmp_path / "e.csv", "空")


def test_header_only_file_has_zero_records(tmp_path: Path) -> None:
    write_csv(tmp_path / "h.csv", HR, [])
    assert _read(tmp_path / "h.csv").height == 0


def test_binary_garbage(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_bytes(bytes(range(256)) * 10)
    _fails(tmp_path / "g.csv")


def test_binary_garbage_named_xlsx(tmp_path: Path) -> None:
    (tmp_path / "g.xlsx").write_bytes(b"not a zip" * 100)
    _fails(tmp_path / "g.xlsx", "xlsx")


def test_truncated_xlsx(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "ok.xlsx", HR, GOOD_ROWS)
    data = (tmp_path / "ok.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) * 2 // 3])
    _fails(tmp_path / "cut.xlsx")


def test_password_protected_xlsx_says_so(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "plain.xlsx", HR, GOOD_ROWS)
    office = OOXMLFile(io.BytesIO((tmp_path / "plain.xlsx").read_bytes()))
    with (tmp_path / "locked.xlsx").open("wb") as fh:
        office.encrypt("secret", fh)
    _fails(tmp_path / "locked.xlsx", "加密", "密码")


def test_gbk_file_read_as_gb18030(tmp_path: Path) -> None:
    write_csv(tmp_path / "gbk.csv", HR, GOOD_ROWS, encoding="gbk")
    assert _read(tmp_path / "gbk.csv")["person_name"].to_list() == ["甲", "乙", "丙"]


def test_wrong_encoding_declared_keeps_every_record(tmp_path: Path) -> None:
    # A UTF-8 BOM in front of GBK bytes: the records survive, damaged characters are replaced.
    data = "\n".join([",".join(HR)] + [",".join(r) for r in GOOD_ROWS]).encode("gbk")
    (tmp_path / "w.csv").write_bytes(b"\xef\xbb\xbf" + data)
    with pytest.raises(InputFileError):
        _read(tmp_path / "w.csv")  # the header itself is unreadable: the file fails with a message


def test_duplicated_header_names_use_the_first(tmp_path: Path) -> None:
    write_csv(tmp_path / "d.csv", [*HR, "姓名"], [[*r, "别名"] for r in GOOD_ROWS])
    result = read_file(tmp_path / "d.csv", "hr", contracts()["hr"])
    assert result.frame["person_name"].to_list() == ["甲", "乙", "丙"]
    assert any("重复" in n for n in result.notes)


def test_required_column_missing(tmp_path: Path) -> None:
    write_csv(tmp_path / "m.csv", ["姓名", "社会保障号码"], [["甲", A_HEAD]])
    err = _fails(tmp_path / "m.csv", "就业状态", "缺少必填列")
    assert err.records == 1


def test_formulas_and_merged_cells(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.merge_range(0, 0, 0, 4, "2026年人社数据")
    ws.write_row(1, 0, HR)
    ws.write_row(2, 0, GOOD_ROWS[0])
    ws.write_string(3, 0, "乙")
    ws.write_string(3, 1, B)
    ws.write_string(3, 2, "就业")
    ws.write_formula(3, 3, "=1000+2000", None, 3000)
    ws.merge_range(4, 0, 4, 1, "合计")
    wb.close()
    frame = _read(path)
    assert frame.height == 2
    assert frame["monthly_wage"].to_list() == ["3000", "3000"]


def test_five_megabyte_field(tmp_path: Path) -> None:
    write_csv(tmp_path / "big.csv", HR, [[*GOOD_ROWS[0][:4], "x" * 5_000_000], GOOD_ROWS[1]])
    frame = _read(tmp_path / "big.csv")
    assert frame.height == 2


def test_future_dates_and_negative_amounts_are_kept_and_flagged(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "hr"
    write_csv(folder / "x.csv", HR, [["甲", A_HEAD, "就业", "-3000", "2031-01-01"]])
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "hr", "r", dt.date(2026, 11, 15))
        flags, wage = engine.execute("select flags, monthly_wage from clean_hr")[0]
    assert "expect_column_values_to_be_between:unemployment_date" in flags
    assert "expect_column_values_to_be_between:monthly_wage" in flags
    assert float(wage) == -3000


def test_unsupported_file_type_fails_alone(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "hr"
    write_csv(folder / "good.csv", HR, GOOD_ROWS)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04whatever")
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hr", "r", dt.date(2026, 11, 15))
    assert (result.loaded, result.failed, result.records) == (1, 1, 3)
    assert "docx" in result.messages[0]


def test_a_file_delivered_twice_is_loaded_once(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "hr"
    write_csv(folder / "a.csv", HR, GOOD_ROWS)
    (folder / "b.csv").write_bytes((folder / "a.csv").read_bytes())
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hr", "r", dt.date(2026, 11, 15))
        rows = engine.execute("select count(*) from raw_hr")[0][0]
    assert (result.loaded, result.skipped, rows) == (1, 1, 3)


# ---- mutated copies of a good file keep every readable record


def _good_text() -> str:
    return (
        "\n".join(
            [",".join(HR)] + [",".join(f'"{v}"' if "," in v else v for v in r) for r in GOOD_ROWS]
        )
        + "\n"
    )


def test_a_few_cells_changed(tmp_path: Path) -> None:
    text = _good_text().replace(",就业,", ",在职,", 1).replace(A_HEAD, A_HEAD[:-1] + "?")
    (tmp_path / "c.csv").write_text(text, encoding="utf-8")
    assert _read(tmp_path / "c.csv").height == 3


def test_last_line_cut_in_the_middle(tmp_path: Path) -> None:
    text = _good_text()
    (tmp_path / "cut.csv").write_text(text[: len(text) - 12], encoding="utf-8")
    frame = _read(tmp_path / "cut.csv")
    assert frame.height == 3
    assert frame["person_name"].to_list() == ["甲", "乙", "丙"]


def test_stray_quote(tmp_path: Path) -> None:
    lines = _good_text().splitlines()
    lines[2] = lines[2].replace("乙", 'a"乙', 1)
    (tmp_path / "q.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = _read(tmp_path / "q.csv")
    assert frame.height == 3


# ---- header-only and empty files: a delivery of 0 records with a message

ROSTER = ["家庭编号", "成员姓名", "成员身份证号", "与户主关系", "乡镇（街道）", "村（社区）",
          "城乡类别", "救助类别", "家庭月总收入（元）", "状态", "联系电话"]  # fmt: skip


def _deliveries(engine: Engine, source: str) -> list[tuple[object, ...]]:
    return engine.execute(  # type: ignore[attr-defined, no-any-return]
        "select file_name, outcome, records, reason from deliveries where source = ?"
        " order by file_name",
        [source],
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_header_only_snapshot_file_is_no_delivery(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / "in" / "hr"
    write_csv(folder / "good.csv", HR, GOOD_ROWS)
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "hr", "r1", dt.date(2026, 11, 15))
        (folder / "good.csv").unlink()
        if suffix == "csv":
            write_csv(folder / f"empty.{suffix}", HR, [])
        else:
            write_xlsx(folder / f"empty.{suffix}", HR, [], title="2026年11月", total=True)
        result = ingest_source(engine, tmp_path / "in", "hr", "r2", dt.date(2026, 11, 16))
        pictures = engine.execute("select run_id, file_name from pictures order by run_id")
        (delivery,) = engine.execute(
            "select file_name, outcome, records, reason from deliveries where run_id = 'r2'"
        )
    assert (result.failed, result.records, result.empty, result.delivered) == (0, 0, 1, False)
    assert result.messages == []  # not a failure
    assert result.notices and f"hr/empty.{suffix}" in result.notices[0]
    assert pictures == [("r1", "good.csv")]  # the last picture stays
    name, outcome, records, reason = delivery
    assert (name, outcome, records) == (f"empty.{suffix}", "loaded", 0)
    assert "只有表头" in reason and "沿用上次" in reason


def test_header_only_event_file_is_a_delivery_of_zero_records(tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "hotline" / "t.csv", ["工单编号", "诉求人", "来电时间"], [])
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hotline", "r", dt.date(2026, 11, 15))
        rows = _deliveries(engine, "hotline")
    assert (result.loaded, result.failed, result.empty, result.records) == (1, 0, 1, 0)
    ((name, outcome, records, reason),) = rows
    assert (name, outcome, records) == ("t.csv", "loaded", 0) and "只有表头" in reason


def test_empty_files_fail_alone_with_zero_records(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "hr"
    write_csv(folder / "good.csv", HR, GOOD_ROWS)
    (folder / "zero.csv").write_bytes(b"")
    (folder / "zero.xlsx").write_bytes(b"")  # the same bytes as zero.csv: both fail
    blank = xlsxwriter.Workbook(str(folder / "blank.xlsx"))
    blank.add_worksheet()
    blank.close()
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hr", "r", dt.date(2026, 11, 15))
        rows = _deliveries(engine, "hr")
    assert (result.loaded, result.failed, result.records) == (1, 3, 3)
    for name, outcome, records, reason in rows:
        if name == "good.csv":
            assert (outcome, records, reason) == ("loaded", 3, None)
        else:
            assert (outcome, records) == ("failed", 0) and name in reason and "空" in reason
    assert all("Error" not in m and "Traceback" not in m for m in result.messages)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_night_with_a_header_only_roster_keeps_the_last_roster(
    tmp_path: Path, suffix: str
) -> None:
    from conftest import AS_OF, build_small_input
    from monitor import pipeline

    root = build_small_input(tmp_path / "in")
    state = tmp_path / "s.duckdb"
    pipeline.run_all(pipeline.make_context(root, tmp_path / "out1", AS_OF, state))
    for f in (root / "roster").iterdir():
        f.unlink()
    name = f"低收入人口库_20261116.{suffix}"
    if suffix == "csv":
        write_csv(root / "roster" / name, ROSTER, [])
    else:
        write_xlsx(root / "roster" / name, ROSTER, [], title="2026年11月低收入人口库")
    next_day = AS_OF + dt.timedelta(days=1)
    summary = pipeline.run_all(pipeline.make_context(root, tmp_path / "out2", next_day, state))
    out = tmp_path / "out2"
    warnings = pl.read_csv(out / "warnings.csv", infer_schema=False)
    assert "F001" in warnings["household_key"].to_list()
    assert warnings.filter(pl.col("household_key") == "F001")["kind"].to_list() == ["在册对象"]
    assert pl.read_csv(out / "resolved.csv", infer_schema=False).height == 0
    roster = next(s for s in summary.ingest if s.source == "roster")
    assert (roster.failed, roster.empty, roster.records) == (0, 1, 0)
    with open_state(state) as engine:
        rows = engine.execute(
            "select file_name, outcome, records, reason from deliveries"
            " where run_id = ? and source = 'roster'",
            [next_day.isoformat()],
        )
    ((file_name, outcome, records, reason),) = rows
    assert (file_name, outcome, records) == (name, "loaded", 0)
    assert "只有表头" in reason
    report = (out / "report.html").read_text(encoding="utf-8")
    assert name in report and reason in report
    assert "本次只收到空文件（0 条记录），沿用 1 天前的数据" in report
