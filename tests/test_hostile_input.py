"""Hostile and odd input: links, hidden files, copies of failed files, zip bombs, very wide
files, huge fields, mixed encodings, NUL bytes, and the value quarantine.csv shows."""

from __future__ import annotations

import datetime as dt
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from conftest import A_HEAD, AS_OF, B, C, build_small_input, write_csv, write_xlsx
from monitor import pipeline
from monitor.contracts import contracts
from monitor.engine import Engine
from monitor.errors import InputFileError
from monitor.ingest import ingest_source, list_files
from monitor.readers import read_file
from monitor.state import open_state

HR = ["姓名", "社会保障号码", "就业状态", "月工资（元）", "失业登记日期"]
GOOD_ROWS = [
    ["甲", A_HEAD, "就业", "3000", "2026-01-01"],
    ["乙", B, "失业登记", "", "2026-10-01"],
    ["丙", C, "就业", "1,200元", ""],
]
DAY = dt.date(2026, 11, 15)


def _read(path: Path) -> pl.DataFrame:
    return read_file(path, "hr", contracts()["hr"]).frame


def _fails(path: Path, *words: str) -> InputFileError:
    with pytest.raises(InputFileError) as err:
        _read(path)
    for word in words:
        assert word in err.value.reason, err.value.reason
    return err.value


def _deliveries(engine: Engine, run_id: str, source: str = "hr") -> dict[str, tuple[object, ...]]:
    rows = engine.execute(  # type: ignore[attr-defined]
        "select file_name, outcome, records, reason from deliveries"
        " where run_id = ? and source = ? order by file_name",
        [run_id, source],
    )
    return {r[0]: tuple(r[1:]) for r in rows}


def _run(root: Path, out: Path, state: Path, as_of: dt.date = AS_OF) -> pipeline.RunSummary:
    return pipeline.run_all(pipeline.make_context(root, out, as_of, state))


def _csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


# ---- 1. symbolic links are not followed


def test_symlinks_in_a_source_folder_are_refused_and_the_run_goes_on(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    write_csv(outside / "secret.csv", HR, GOOD_ROWS)  # a valid export, outside INPUT
    folder = tmp_path / "in" / "hr"
    write_csv(folder / "good.csv", HR, GOOD_ROWS[:1])
    (folder / "link.csv").symlink_to(outside / "secret.csv")
    (folder / "folder_link").symlink_to(outside, target_is_directory=True)
    (folder / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "hr", "r", DAY)
        rows = _deliveries(engine, "r")
        raw = engine.execute("select count(*) from raw_hr")[0][0]
    assert (result.loaded, result.failed, result.records, raw) == (1, 3, 1, 1)
    for name in ("link.csv", "folder_link", "dangling.csv"):
        outcome, records, reason = rows[name]
        assert (outcome, records) == ("failed", None)
        assert name in reason and "符号链接" in reason and "不读取" in reason
    assert len(result.messages) == 3 and all("符号链接" in m for m in result.messages)
    assert list_files(folder) == [folder / "good.csv"]


# ---- 2. hidden files, Excel lock files and sub-folders are listed, not silently ignored


def test_hidden_lock_files_and_subfolders_are_listed_as_skipped(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    hr = root / "hr"
    write_csv(hr / ".hidden.csv", HR, GOOD_ROWS)
    (hr / "~$人社.xlsx").write_bytes(b"\x00lock")
    (hr / "旧数据").mkdir()
    write_csv(hr / "旧数据" / "old.csv", HR, GOOD_ROWS)
    summary = _run(root, tmp_path / "out", tmp_path / "s.duckdb")
    with open_state(tmp_path / "s.duckdb") as engine:
        rows = _deliveries(engine, AS_OF.isoformat())
    for name, words in (
        (".hidden.csv", "隐藏文件"),
        ("~$人社.xlsx", "锁定文件"),
        ("旧数据", "子文件夹"),
    ):
        outcome, records, reason = rows[name]
        assert (outcome, records) == ("skipped", None)
        assert words in reason and "不读取" in reason
    hr_run = next(s for s in summary.ingest if s.source == "hr")
    assert (hr_run.loaded, hr_run.skipped, hr_run.failed, hr_run.records) == (1, 3, 0, 1)
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "未读取的文件（跳过）" in report
    for name in (".hidden.csv", "~$人社.xlsx", "旧数据"):
        assert name in report
    assert report.count("未读取（跳过）") == 3  # in the file list too, not "already loaded"
    links = _csv(tmp_path / "out" / "links.csv")
    assert not set(links["file"]) & {".hidden.csv", "~$人社.xlsx", "旧数据", "old.csv"}


# ---- 3. a copy of a failed file fails with the failure's reason


def test_a_copy_of_a_failed_file_fails_with_its_reason_that_night_and_later(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in" / "hr"
    write_csv(folder / "bad.csv", ["姓名", "社会保障号码"], [["甲", A_HEAD]])
    (folder / "bad_copy.csv").write_bytes((folder / "bad.csv").read_bytes())
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "hr", "r1", DAY)
        night1 = _deliveries(engine, "r1")
        (folder / "bad.csv").unlink()
        (folder / "bad_copy.csv").rename(folder / "renamed.csv")
        ingest_source(engine, tmp_path / "in", "hr", "r2", DAY + dt.timedelta(days=1))
        night2 = _deliveries(engine, "r2")
    assert set(night1) == {"bad.csv", "bad_copy.csv"} and set(night2) == {"renamed.csv"}
    for outcome, records, reason in (*night1.values(), *night2.values()):
        assert (outcome, records) == ("failed", 1) and "缺少必填列" in reason


def test_a_file_failed_in_one_source_and_loaded_in_another_fails_again_later(
    tmp_path: Path,
) -> None:
    # A header-only HR export dropped into roster/ (fails: no roster columns) and into hr/
    # (loaded, 0 records); the next night's copy in roster/ is not "already loaded, 0 records".
    root = tmp_path / "in"
    write_csv(root / "roster" / "wrong.csv", HR, [])
    write_csv(root / "hr" / "right.csv", HR, [])
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, root, "roster", "r1", DAY)
        ingest_source(engine, root, "hr", "r1", DAY)
        (root / "roster" / "wrong.csv").rename(root / "roster" / "again.csv")
        ingest_source(engine, root, "roster", "r2", DAY + dt.timedelta(days=1))
        first = _deliveries(engine, "r1", "roster")["wrong.csv"]
        later = _deliveries(engine, "r2", "roster")["again.csv"]
    assert first[0] == "failed" and "找不到表头行" in first[2]
    assert later == first


def test_the_same_bytes_cannot_be_loaded_as_two_sources(tmp_path: Path) -> None:
    # columns for both hr (姓名, 身份证号码, 就业状态) and emergency (姓名, 身份证号码, 受灾日期)
    header = ["姓名", "身份证号码", "就业状态", "受灾日期"]
    root = tmp_path / "in"
    write_csv(root / "hr" / "both.csv", header, [["甲", A_HEAD, "就业", "2026-10-01"]])
    write_csv(root / "emergency" / "both.csv", header, [["甲", A_HEAD, "就业", "2026-10-01"]])
    with open_state(tmp_path / "s.duckdb") as engine:
        hr = ingest_source(engine, root, "hr", "r1", DAY)
        emergency = ingest_source(engine, root, "emergency", "r1", DAY)
        (outcome, records, reason) = _deliveries(engine, "r1", "emergency")["both.csv"]
    assert (hr.loaded, emergency.loaded, emergency.skipped, emergency.failed) == (1, 0, 0, 1)
    assert (outcome, records) == ("failed", None)
    assert "hr/both.csv" in reason and "两个来源" in reason


# ---- 4. reader limits

_MEASURE = """
import json, resource, sys, time
from pathlib import Path
import fastexcel  # imported before the first measure: its size is not the file's
from monitor.contracts import contracts
from monitor.errors import InputFileError
from monitor.readers import read_file
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    records = read_file(Path(sys.argv[1]), "hr", contracts()["hr"]).frame.height
    reason = None
except InputFileError as exc:
    records, reason = None, exc.reason
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"reason": reason, "records": records, "seconds": seconds,
                  "growth_mb": (after - before) / 1024}))
"""


def _read_in_child(path: Path, timeout: float = 60) -> dict[str, object]:
    """Read one file in a fresh process (its peak memory is the file's alone; a reader that
    aborts the process fails the test instead of the test run)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    measured: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return measured


def _zip_bomb(path: Path, megabytes: int) -> None:
    """A valid xlsx whose sheet XML holds `megabytes` MB of repeated rows (~350:1 deflated)."""
    plain = path.with_name("plain.xlsx")
    write_xlsx(plain, HR, [GOOD_ROWS[0]])
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    block = row * ((1 << 20) // len(row))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with dst.open(info.filename, "w") as fh:
                fh.write(head)
                for _ in range(megabytes):
                    fh.write(block)
                fh.write(b"</sheetData>" + tail)


def _declare_size(path: Path, member: str, size: int) -> None:
    """Overwrite the uncompressed size the zip's central directory declares for `member`."""
    data = bytearray(path.read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        length = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + length] == member.encode():
            struct.pack_into("<I", data, pos + 24, size)
            path.write_bytes(bytes(data))
            return
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{member} not in {path}")


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    _zip_bomb(bomb, 300)  # 300 MB of sheet XML in under 1 MB
    assert bomb.stat().st_size < 2 << 20
    measured = _read_in_child(bomb)
    assert measured["records"] is None
    reason = str(measured["reason"])
    assert "XLSX_MAX_RATIO" in reason and "100:1" in reason and "sheet1.xml" in reason
    assert float(measured["growth_mb"]) < 300  # type: ignore[arg-type]


def test_xlsx_declaring_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    write_xlsx(path, HR, GOOD_ROWS)
    _declare_size(path, "xl/worksheets/sheet1.xml", 0x7FFF_FFFF)  # 2 GB, nothing inflated
    err = _fails(path, "XLSX_MAX_UNCOMPRESSED", "1.0 GB")
    assert err.value == "xl/worksheets/sheet1.xml"


def test_xlsx_member_inflating_beyond_its_declared_size_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "liar.xlsx"
    _zip_bomb(bomb, 300)
    _declare_size(bomb, "xl/worksheets/sheet1.xml", 4 << 20)  # claims 4 MB, holds 300 MB
    measured = _read_in_child(bomb)
    assert "声明的大小" in str(measured["reason"])
    assert float(measured["growth_mb"]) < 300  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("row", "col", "limit"),
    [(1_048_575, 16_383, "MAX_COLUMNS"), (1_048_575, 99, "XLSX_MAX_CELLS")],
    ids=["cell-at-XFD1048576", "cell-at-CV1048576"],
)
def test_a_far_away_cell_is_refused_before_the_reader_allocates(
    tmp_path: Path, row: int, col: int, limit: str
) -> None:
    # a 5 KB file: the spreadsheet reader allocates every cell of the rectangle (the first
    # asked for 512 GB and aborted the process)
    path = tmp_path / "far.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HR)
    ws.write_row(1, 0, GOOD_ROWS[0])
    ws.write_string(row, col, "x")
    wb.close()
    measured = _read_in_child(path)
    assert limit in str(measured["reason"])
    assert float(measured["growth_mb"]) < 300  # type: ignore[arg-type]


def test_csv_with_100000_columns_is_refused_before_parsing_rows(tmp_path: Path) -> None:
    # 1.8 MB; before the limit: 78 s and 3.8 GB to read, 94 s to ingest
    n = 100_000 - len(HR)
    path = tmp_path / "wide.csv"
    header = HR + [f"x{i}" for i in range(n)]
    rows = [GOOD_ROWS[0] + ["1"] * n for _ in range(6)]
    write_csv(path, header, rows)
    assert path.stat().st_size > 1_700_000
    measured = _read_in_child(path)
    reason = str(measured["reason"])
    assert "第 1 行有 100000 列" in reason and "MAX_COLUMNS" in reason and "1000" in reason
    assert float(measured["seconds"]) < 5  # type: ignore[arg-type]
    assert float(measured["growth_mb"]) < 300  # type: ignore[arg-type]


def test_a_field_beyond_the_limit_quarantines_its_record_not_the_file(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    huge = "长" * 6_000_000  # 18 MB in UTF-8, above MAX_FIELD_BYTES (16 MB)
    write_csv(
        root / "hr" / "big.csv",
        [*HR, "备注"],
        [
            [*GOOD_ROWS[0], ""],
            [*GOOD_ROWS[1][:4], huge, ""],
            [*GOOD_ROWS[2], "x" * 17_000_000],
        ],
    )
    _run(root, tmp_path / "out", tmp_path / "s.duckdb")
    quarantine = _csv(tmp_path / "out" / "quarantine.csv").filter(pl.col("file") == "big.csv")
    assert quarantine["row"].to_list() == ["2", "3"]
    first, second = quarantine.to_dicts()
    assert first["column"] == "失业登记日期" and first["value"] == "长" * 200
    assert "「失业登记日期」" in first["reason"] and "MAX_FIELD_BYTES" in first["reason"]
    assert "16 MB" in first["reason"] and "隔离" in first["reason"]
    assert "「备注」" in second["reason"] and second["column"] == "其他列（_extra）"
    links = _csv(tmp_path / "out" / "links.csv").filter(pl.col("file") == "big.csv")
    assert links["method"].to_list()[0] != "quarantined"
    assert links["method"].to_list()[1:] == ["quarantined", "quarantined"]
    with open_state(tmp_path / "s.duckdb") as engine:
        longest = engine.execute("select max(length(unemployment_date)) from raw_hr")
    assert longest == [(200,)]  # the state keeps 200 characters of it, not 18 MB


def test_the_five_megabyte_field_still_loads(tmp_path: Path) -> None:
    write_csv(tmp_path / "big.csv", HR, [[*GOOD_ROWS[0][:4], "x" * 5_000_000], GOOD_ROWS[1]])
    result = read_file(tmp_path / "big.csv", "hr", contracts()["hr"])
    assert result.frame.height == 2 and result.problems == {}


# ---- 5. reasons that say what happened: encodings and NUL


def _lines(rows: list[list[str]]) -> list[str]:
    return [",".join(r) + "\n" for r in rows]


def _mixed_fails(path: Path) -> InputFileError:
    err = _fails(path, "文件编码不一致", "请以 UTF-8 或 GB18030 统一编码重新导出")
    assert "找不到表头行" not in err.reason
    return err


def test_utf8_rows_then_gb18030_rows(tmp_path: Path) -> None:
    lines = _lines([HR, GOOD_ROWS[0], ["张三丰", B, "就业", "", ""]])
    data = "".join(lines[:2]).encode("utf-8") + lines[2].encode("gb18030")
    (tmp_path / "m.csv").write_bytes(data)
    err = _mixed_fails(tmp_path / "m.csv")
    assert "第 1 行是 UTF-8" in err.reason and "第 3 行" in err.reason
    assert err.value.startswith("张三丰,")  # the GB18030 line, decoded as such


def test_gb18030_rows_then_utf8_rows(tmp_path: Path) -> None:
    lines = _lines([HR, GOOD_ROWS[0], ["张三丰", B, "就业", "", ""]])
    data = "".join(lines[:2]).encode("gb18030") + lines[2].encode("utf-8")
    (tmp_path / "m.csv").write_bytes(data)
    err = _mixed_fails(tmp_path / "m.csv")
    assert "第 1 行是 GB18030" in err.reason and "第 3 行却是 UTF-8" in err.reason
    assert err.value.startswith("张三丰,")


def test_utf8_bom_then_gb18030_bytes(tmp_path: Path) -> None:
    data = "".join(_lines([HR, *GOOD_ROWS])).encode("gb18030")
    (tmp_path / "w.csv").write_bytes(b"\xef\xbb\xbf" + data)
    err = _mixed_fails(tmp_path / "w.csv")
    assert "BOM" in err.reason and "第 1 行" in err.reason


def test_pure_files_still_read_in_their_encoding(tmp_path: Path) -> None:
    many = [*GOOD_ROWS, *[[f"张{i}", A_HEAD, "就业", "1", ""] for i in range(20_000)]]
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        write_csv(tmp_path / f"{encoding}.csv", HR, many, encoding=encoding)
        assert _read(tmp_path / f"{encoding}.csv").height == len(many)
    cut = tmp_path / "cut.csv"  # a UTF-8 file cut inside its last character
    cut.write_bytes((tmp_path / "utf-8.csv").read_bytes()[:-3] + "张".encode()[:2])
    assert _read(cut).height == len(many)


@pytest.mark.parametrize("where", ["header", "field", "end"])
def test_nul_fails_a_csv_wherever_it_is(tmp_path: Path, where: str) -> None:
    rows = [*GOOD_ROWS, *[[f"张{i}", A_HEAD, "就业", "1", ""] for i in range(500)]]
    text = "".join(_lines([HR, *rows]))
    if where == "header":
        text = text.replace("就业状态", "就业\x00状态", 1)
    elif where == "field":
        text = text.replace("张400,", "张4\x0000,", 1)  # beyond the first 4 KB
    data = text.encode("utf-8") + (b"\x00" * 512 if where == "end" else b"")
    (tmp_path / "n.csv").write_bytes(data)
    err = _fails(tmp_path / "n.csv", "NUL", "整个文件不载入")
    line = {"header": 1, "field": 405, "end": len(rows) + 2}[where]
    assert f"第 {line} 行" in err.reason
    assert "\x00" not in err.value and (where == "end" or "\\x00" in err.value)


@pytest.mark.parametrize("where", ["header", "field"])
def test_nul_fails_an_xlsx_wherever_it_is(tmp_path: Path, where: str) -> None:
    header = [h.replace("就业状态", "就业\x00状态") if where == "header" else h for h in HR]
    rows = [list(r) for r in GOOD_ROWS]
    if where == "field":
        rows[1][0] = "乙\x00"
    write_xlsx(tmp_path / "n.xlsx", header, rows, title="2026年人社数据")
    err = _fails(tmp_path / "n.xlsx", "NUL", "整个文件不载入")
    cell = {"header": "C2", "field": "A4"}[where]
    assert f"单元格 {cell}" in err.reason
    assert "\\x00" in err.value and "\x00" not in err.value


# ---- 6. quarantine.csv's value column


def test_quarantine_value_holds_what_was_read(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    write_csv(
        root / "hr" / "noid.csv",
        HR,
        [GOOD_ROWS[0], ["", "无", "就业", "", ""], ["  ", "", "就业", "", ""]],
    )
    _run(root, tmp_path / "out", tmp_path / "s.duckdb")
    quarantine = _csv(tmp_path / "out" / "quarantine.csv")
    hotline = quarantine.filter(pl.col("source") == "hotline").to_dicts()
    assert [(r["file"], r["row"], r["value"]) for r in hotline] == [
        ("bad.csv", None, "工单编号,诉求人")  # the header found, for a missing column
    ]
    noid = quarantine.filter(pl.col("file") == "noid.csv").to_dicts()
    assert [(r["row"], r["column"], r["value"] or "") for r in noid] == [
        ("2", "社会保障号码 / 姓名", "无 / "),
        ("3", "社会保障号码 / 姓名", ""),  # blank cells: nothing was read
    ]
    medical = quarantine.filter(pl.col("source") == "medical_insurance")
    assert medical["column"].to_list() == ["证件号码 / 参保人姓名"]


def test_quarantine_value_of_a_file_that_failed(tmp_path: Path) -> None:
    root = build_small_input(tmp_path / "in")
    (root / "hr" / "nul.csv").write_bytes(("姓名,社会保障号码,就业\x00状态\n").encode())
    (root / "hr" / "link.csv").symlink_to(root / "hr" / "hr.csv")
    _run(root, tmp_path / "out", tmp_path / "s.duckdb")
    quarantine = _csv(tmp_path / "out" / "quarantine.csv").filter(pl.col("source") == "hr")
    values = dict(zip(quarantine["file"], quarantine["value"], strict=True))
    assert values["nul.csv"] == "姓名,社会保障号码,就业\\x00状态"
    assert values["link.csv"] == str(root / "hr" / "hr.csv")  # where the link points
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "社会保障号码,就业" not in report  # values stay out of the report


def test_the_limits_are_named_constants() -> None:
    from monitor import readers

    for name in (
        "MAX_COLUMNS",
        "MAX_FIELD_BYTES",
        "XLSX_MAX_UNCOMPRESSED",
        "XLSX_MAX_RATIO",
        "XLSX_MAX_MEMBERS",
        "XLSX_MAX_CELLS",
    ):
        assert isinstance(getattr(readers, name), int)
        assert name in (readers.__doc__ or "")
    assert readers.MAX_FIELD_BYTES > 5_000_000  # the 5 MB field of test_bad_files loads
