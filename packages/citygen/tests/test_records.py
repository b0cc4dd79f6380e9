"""Truth covers every data record of every file, numbered 1..n."""

from __future__ import annotations

from pathlib import Path

import pytest

from .gen_readers import AS_OF, City, read_file


def test_truth_rows_match_the_records_read_back(city: City) -> None:
    files = city.files()
    assert len(files) >= 30
    seen = set()
    for folder, source, path in files:
        _, rows = read_file(path, source)
        truth = city.truth_rows.get((folder, source, path.name), [])
        assert len(rows) == len(truth), path
        assert [int(t["row"]) for t in truth] == list(range(1, len(truth) + 1)), path
        seen.add((folder, source, path.name))
    assert seen == set(city.truth_rows)


def test_layout_has_the_messy_formats(city_dir: Path) -> None:
    names = [p.name for p in city_dir.rglob("*") if p.is_file()]
    assert any(n.endswith(".xlsx") for n in names)
    raw = {p: p.read_bytes() for p in (city_dir / "input").rglob("*.csv")}
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw.values())  # UTF-8 with BOM
    assert any(b"\t" in b.split(b"\n", 1)[0] for b in raw.values())  # tab-delimited
    gb = [b for b in raw.values() if not b.startswith(b"\xef\xbb\xbf")]
    assert any(_is_gb18030_only(b) for b in gb)
    quoted_newline = [b for b in raw.values() if b'"' in b and b"\n" in b]
    assert quoted_newline
    assert (city_dir / "previous" / "hr").is_dir()


def _is_gb18030_only(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data.decode("gb18030")
        return True
    return False


def test_xlsx_quirks(city: City) -> None:
    import openpyxl

    sheets_first_not_data = 0
    totals = 0
    for _, _source, path in city.files():
        if path.suffix != ".xlsx":
            continue
        book = openpyxl.load_workbook(path, read_only=True)
        if len(book.sheetnames) > 1:
            sheets_first_not_data += 1
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                if row and row[0] == "合计":
                    totals += 1
        book.close()
    assert sheets_first_not_data >= 1
    assert totals >= 1


def test_big_xlsx_files_are_streamed_and_split_into_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import citygen.files as files
    import citygen.sinks as sinks
    from citygen import generate_city

    from .gen_readers import load_city

    monkeypatch.setattr(sinks, "MAX_XLSX_ROWS", 40)
    monkeypatch.setattr(files, "CONSTANT_MEMORY_ROWS", 0)  # xlsxwriter's streaming mode too
    generate_city(tmp_path, people=1500, seed=5, as_of=AS_OF)
    parts = sorted(p.name for p in tmp_path.rglob("*_2.xlsx"))
    assert parts
    city = load_city(tmp_path)
    for folder, source, path in city.files():
        _, rows = read_file(path, source)
        truth = city.truth_rows[(folder, source, path.name)]
        assert len(rows) == len(truth)
        if path.suffix == ".xlsx":
            assert len(rows) <= 40


NAME_COLUMN = {
    "roster": "成员姓名",
    "education": "学生姓名",
    "hr": "姓名",
    "housing": "户主姓名",
    "health": "患者姓名",
    "medical_insurance": "参保人姓名",
    "emergency": "姓名",
    "rural": "成员姓名",
    "disability": "姓名",
    "hotline": "诉求人",
    "grid": "姓名",
}


def test_records_without_id_and_name_are_exactly_the_unusable_ones(city: City) -> None:
    from .gen_readers import ID_COLUMN, normalize_id

    unusable = 0
    for source, records in city.records.items():
        for r in records:
            ids = [normalize_id(r.values.get(ID_COLUMN[source]))]
            if source == "disability":
                ids.append(normalize_id(r.values.get("身份证号")))
            name = str(r.values.get(NAME_COLUMN[source]) or "").strip()
            nothing = not any(ids) and not name
            assert nothing == ("unusable" in r.tags), (r.file, r.row, r.tags)
            if "unusable" in r.tags:
                assert r.person_id == ""
            elif source not in ("hotline", "grid"):  # only they can be about unknown people
                assert r.person_id != ""
            unusable += nothing
    assert unusable >= 5
