"""monitor.check_export: one new export read, validated and linked against the sample's state
on a private copy: match rates by ID status, flags by rule, a masked sample of unmatched rows,
and the state left byte for byte as it was."""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, make_id, run, write_csv
from monitor import check_export as module
from monitor.check_export import ExportCheck, check_export
from monitor.engine import connect
from monitor.errors import CheckExportError, InputFileError, StateMissingError
from monitor.ingest import list_files
from monitor.state import temp_folder_of

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "input"
HR_HEADER = ["姓名", "社会保障号码", "就业状态", "失业登记日期", "是否领取失业保险金",
             "月工资（元）", "参保状态", "养老金类型", "月养老金（元）", "所属乡镇（街道）"]  # fmt: skip


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample's night, once for the module; returns its state."""
    folder = tmp_path_factory.mktemp("check")
    state = folder / "s.duckdb"
    run(SAMPLE, folder / "out", state, AS_OF)
    return state


def fingerprint(state: Path) -> dict[str, Any]:
    """The state's bytes (and its log's) and every table's row count."""
    found: dict[str, Any] = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (state, state.with_name(state.name + ".wal"))
        if path.exists()
    }
    with connect(state, read_only=True) as engine:
        tables = [t for (t,) in engine.execute(
            "select table_name from information_schema.tables order by 1")]  # fmt: skip
        for table in tables:
            found[table] = engine.execute(f'select count(*) from "{table}"')[0][0]
    return found


@pytest.fixture
def unchanged(night: Path) -> Iterator[None]:
    """The test's checks leave the state exactly as it was (and nothing in its private
    temporary folder)."""
    before = fingerprint(night)
    yield
    assert fingerprint(night) == before
    assert list(temp_folder_of(night).iterdir()) == []


def _full_ids_or_phones(text: str) -> list[str]:
    return re.findall(r"(?<!\d)(?:\d{17}[\dX]|1[3-9]\d{9})(?!\d)", text)


def test_a_file_of_the_sample_links_well_and_the_state_is_unchanged(
    night: Path, unchanged: None
) -> None:
    file = list_files(SAMPLE / "medical_insurance")[0]
    got = check_export(night, file, "medical_insurance")
    assert isinstance(got, ExportCheck)
    assert got.already_loaded == AS_OF.isoformat()  # the state has this content already
    assert got.compared_run == AS_OF.isoformat() and got.as_of == AS_OF
    assert got.records == got.staged + got.quarantined > 100
    assert got.match_rate is not None and got.match_rate > 0.95
    assert sum(s.records for s in got.by_status) == got.records
    assert sum(s.linked for s in got.by_status) == got.linked
    valid = next(s for s in got.by_status if s.id_status == "valid")
    assert valid.rate == 1.0
    text = got.text()
    assert "按身份证号状态的关联率" in text and "状态库未被改动" in text
    assert _full_ids_or_phones(text) == []


def _defective_hr(path: Path) -> list[str]:
    """An HR export with defects of every kind; returns the full IDs and names it holds."""
    ids = [make_id("341102", f"1980{m:02d}01", m) for m in range(1, 9)]
    bad_check = ids[1][:17] + ("0" if ids[1][17] != "0" else "1")
    rows = [
        ["孙立新", ids[0], "就业", "", "否", "3000", "正常缴费", "", "", "琅琊街道"],
        ["钱多多", bad_check, "就业", "", "否", "2800", "正常缴费", "", "", "琅琊街道"],
        ["赵子龙", "", "就业", "", "否", "2600", "正常缴费", "", "", "东门街道"],
        ["周末", ids[3], "在职", "", "否", "三千", "正常缴费", "", "", "琅琊街道"],
        ["吴用", ids[4], "失业登记", "2026/13/45", "否", "", "暂停缴费", "", "", "琅琊街道"],
        ["", "", "就业", "", "否", "1000", "正常缴费", "", "", ""],  # nothing usable
    ]
    write_csv(path, HR_HEADER, rows)
    return [ids[0], bad_check, ids[3], ids[4], "孙立新", "钱多多", "赵子龙", "吴用"]


def test_a_file_with_defects_reports_its_flags_by_rule(
    night: Path, unchanged: None, tmp_path: Path
) -> None:
    file = tmp_path / "人社_新县区_202611.csv"
    personal = _defective_hr(file)
    got = check_export(night, file, "hr")
    assert got.already_loaded is None
    assert (got.records, got.staged, got.quarantined) == (6, 5, 1)
    flags = {f.flag: f for f in got.flags}
    assert flags["id_bad_check"].records == 1
    assert flags["id_missing"].records == 2
    assert flags["bad_amount:monthly_wage"].records == 1
    assert flags["bad_date:unemployment_date"].records == 1
    assert flags["expect_column_values_to_be_in_set:employment_status"].records == 1
    assert flags["bad_amount:monthly_wage"].label.startswith("月工资")
    assert "金额无法识别" in flags["bad_amount:monthly_wage"].label
    statuses = {s.id_status: s for s in got.by_status}
    assert set(statuses) == {"valid", "bad_check", "missing"}
    assert statuses["missing"].quarantined == 1
    assert got.quarantine_reasons and got.quarantine_reasons[0][1] == 1
    # none of these people is known to the state: nobody links (a valid ID is a person)
    assert got.unmatched_rows == len(got.sample) >= 1
    text = got.text()
    assert "金额无法识别" in text and "未关联到人的记录" in text
    for value in personal:
        assert value not in text
    assert _full_ids_or_phones(text) == []


def test_the_copy_is_private_and_removed_afterwards(
    night: Path, unchanged: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Path, int]] = []
    real = module.ingest_source

    def spy(engine: Any, input_dir: Path, *args: Any) -> Any:
        work = input_dir.parent
        seen.append((work, stat.S_IMODE(work.stat().st_mode)))
        assert work.parent == temp_folder_of(night)  # beside the state, not in /tmp
        return real(engine, input_dir, *args)

    monkeypatch.setattr(module, "ingest_source", spy)
    check_export(night, list_files(SAMPLE / "hr")[0], "hr")
    ((work, mode),) = seen
    assert mode == 0o700 and not work.exists()


def test_an_unknown_source_names_the_closest(night: Path, tmp_path: Path) -> None:
    file = tmp_path / "x.csv"
    file.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(CheckExportError, match="最接近的是 hotline"):
        check_export(night, file, "hotlines")
    with pytest.raises(CheckExportError, match="最接近的是 medical_insurance"):
        check_export(night, file, "医保结算明细")


def test_a_file_that_cannot_be_used_is_the_readers_message(
    night: Path, unchanged: None, tmp_path: Path
) -> None:
    missing_column = tmp_path / "工单.csv"
    write_csv(missing_column, ["工单编号", "诉求人"], [["T1", "某人"]])
    with pytest.raises(InputFileError) as caught:
        check_export(night, missing_column, "hotline")
    assert caught.value.source == "hotline" and caught.value.file == "工单.csv"
    assert "Traceback" not in str(caught.value) and caught.value.reason
    other = tmp_path / "notes.pdf"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(InputFileError, match="不支持的文件类型"):
        check_export(night, other, "hotline")
    with pytest.raises(InputFileError, match="不存在"):
        check_export(night, tmp_path / "absent.csv", "hotline")


def test_without_a_state_nothing_is_created(tmp_path: Path) -> None:
    file = tmp_path / "x.csv"
    file.write_text("a\n1\n", encoding="utf-8")
    state = tmp_path / "none" / "s.duckdb"
    with pytest.raises(StateMissingError, match="状态库不存在"):
        check_export(state, file, "hr")
    assert not state.parent.exists()
