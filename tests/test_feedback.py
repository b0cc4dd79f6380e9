"""monitor.feedback: returned township workbooks back into the state, and the next night."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import AS_OF, build_small_input, monitor, read, run
from monitor.feedback import import_workbooks
from monitor.state import open_state
from monitor.workbooks import FIRST_ROW, MAIN_HEADER, MAIN_SHEET

BOOK = "琅琊区_琅琊街道.xlsx"
TODAY = AS_OF + dt.timedelta(days=3)
NEXT = AS_OF + dt.timedelta(days=5)


SAMPLE = Path(__file__).parents[1] / "sample_data" / "input"


@pytest.fixture(scope="module")
def sample_night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample's night, once for the module (its state and output folder)."""
    folder = tmp_path_factory.mktemp("sample")
    run(SAMPLE, folder / "out", folder / "s.duckdb")
    return folder


@pytest.fixture
def night(sample_night: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the sample night: (input, state, the returned copy of one workbook)."""
    state = tmp_path / "s.duckdb"
    shutil.copy(sample_night / "s.duckdb", state)
    returned = tmp_path / "returned" / BOOK
    returned.parent.mkdir()
    shutil.copy(sample_night / "out" / "townships" / BOOK, returned)
    return SAMPLE, state, returned


def fill(path: Path, answers: dict[str, dict[str, object]], edit: dict[str, object] | None = None) -> list[str]:  # fmt: skip
    """Fill the fill-in columns of the rows of the given households (as a caseworker does in
    Excel: by the visible 家庭编号); `edit` changes protected cells of the first row."""
    wb = load_workbook(path)
    ws = wb[MAIN_SHEET]
    keys = []
    for row in range(FIRST_ROW + 1, ws.max_row + 1):
        key = ws.cell(row, MAIN_HEADER.index("家庭编号") + 1).value
        keys.append(str(key))
        for header, value in answers.get(str(key), {}).items():
            ws.cell(row, MAIN_HEADER.index(header) + 1).value = value
    for header, value in (edit or {}).items():
        ws.cell(FIRST_ROW + 1, MAIN_HEADER.index(header) + 1).value = value
    wb.save(path)
    return keys


def imported(state: Path, *paths: Path):  # type: ignore[no-untyped-def]
    with open_state(state) as engine:
        return import_workbooks(engine, list(paths), TODAY)


def test_without_a_password_the_report_says_workbooks_are_not_encrypted(sample_night: Path) -> None:  # fmt: skip
    assert "乡镇工作簿未加密" in (sample_night / "out" / "report.html").read_text(encoding="utf-8")


def test_a_filled_row_suppresses_its_signals_the_next_night(night: tuple[Path, Path, Path], tmp_path: Path) -> None:  # fmt: skip
    root, state, book = night
    keys = fill(book, {})
    first, rest = keys[0], keys[1:]
    fill(book, {first: {"核实结果": "已核实-已救助", "核实日期": TODAY, "核实人": "王芳", "备注": "已发临时救助"}})  # fmt: skip
    result = imported(state, book.parent)
    assert result.rejected == [] and result.imported >= 1 and result.blank == len(rest)
    with open_state(state) as engine:
        stored = engine.execute("select distinct household_key, outcome, decided_on, caseworker,"
                                " issued_run_id, workbook_hash is not null from dispositions")  # fmt: skip
    assert stored == [(first, "已核实-已救助", TODAY, "王芳", AS_OF.isoformat(), True)]
    # the same workbook again, and a copy re-saved by a spreadsheet program: nothing changes
    again = imported(state, book)
    load_workbook(book).save(tmp_path / "resaved.xlsx")
    resaved = imported(state, tmp_path / "resaved.xlsx")
    assert again.imported == resaved.imported == 0 and again.unchanged == result.imported
    with open_state(state) as engine:
        assert engine.execute("select count(*) from dispositions") == [(result.imported,)]
    run(root, tmp_path / "out2", state, NEXT)
    warned = set(read(tmp_path / "out2" / "warnings.csv")["household_key"].to_list())
    resolved = read(tmp_path / "out2" / "resolved.csv")
    reasons = dict(zip(resolved["household_key"], resolved["reason"], strict=True))
    assert first not in warned and reasons[first] == "已处置"
    # the blank rows hold nothing back: each warns again, or its signals ended by themselves
    # (a 12345 ticket or a settlement leaving its window five days on: 已解除)
    assert all(key in warned or reasons.get(key) == "已解除" for key in rest)
    assert set(rest) & warned
    report = (tmp_path / "out2" / "report.html").read_text(encoding="utf-8")
    assert "核实反馈（按乡镇）" in report and first not in report


def test_wrong_rows_are_rejected_naming_the_cell_and_the_rest_imported(night: tuple[Path, Path, Path]) -> None:  # fmt: skip
    _, state, book = night
    keys = fill(book, {})
    assert len(keys) >= 2
    tampered, good = keys[0], keys[1]
    fill(book, {tampered: {"核实结果": "已核实-已救助"}, good: {"核实结果": "无法联系", "核实日期": TODAY}},
         edit={"处置时限": "2099-01-01"})  # fmt: skip
    result = imported(state, book)
    (rejection,) = result.rejected
    deadline = chr(ord("A") + MAIN_HEADER.index("处置时限"))
    assert rejection.row == FIRST_ROW + 1 and rejection.cell == f"{deadline}{FIRST_ROW + 1}"
    assert "受保护的单元格" in rejection.text() and BOOK in rejection.text()
    assert result.imported >= 1  # the good row
    with open_state(state) as engine:
        assert {r[0] for r in engine.execute("select household_key from dispositions")} == {good}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"核实结果": "已救助"}, "不是可选值"),
        ({"核实结果": "无法联系", "核实日期": TODAY + dt.timedelta(days=1)}, "晚于今天"),
        ({"核实结果": "无法联系", "核实日期": AS_OF - dt.timedelta(days=1)}, "早于本次预警"),
        ({"核实结果": "无法联系", "核实日期": "下周二"}, "无法识别"),
    ],
)
def test_a_bad_answer_is_rejected_with_its_cell(night: tuple[Path, Path, Path], answer: dict[str, object], message: str) -> None:  # fmt: skip
    _, state, book = night
    key = fill(book, {})[0]
    fill(book, {key: answer})
    result = imported(state, book)
    (rejection,) = result.rejected
    column = "核实结果" if "核实日期" not in answer or message == "不是可选值" else "核实日期"
    assert rejection.cell == f"{chr(ord('A') + MAIN_HEADER.index(column))}{FIRST_ROW + 1}"
    assert message in rejection.reason and result.imported == 0


def test_a_workbook_of_another_state_or_no_workbook_is_refused(night: tuple[Path, Path, Path], tmp_path: Path) -> None:  # fmt: skip
    """Another state's key signs differently; a file that is not such a workbook says so."""
    _, _, book = night
    other = tmp_path / "other"
    run(build_small_input(other / "in"), other / "out", other / "s.duckdb")
    key = fill(book, {})[0]
    fill(book, {key: {"核实结果": "无法联系", "核实日期": TODAY}})
    foreign = imported(other / "s.duckdb", book)
    assert foreign.imported == 0 and "受保护的单元格" in foreign.rejected[0].reason
    (tmp_path / "note.xlsx").write_bytes(b"not a workbook")
    broken = imported(other / "s.duckdb", tmp_path / "note.xlsx")
    assert "无法作为 xlsx 工作簿读取" in broken.rejected[0].reason


def test_with_a_password_workbooks_are_encrypted_and_come_back_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.workbooks import PASSWORD_ENV, decrypted, is_encrypted

    monkeypatch.setenv(PASSWORD_ENV, "琅琊2026!")
    state = tmp_path / "s.duckdb"
    run(build_small_input(tmp_path / "in"), tmp_path / "out", state)
    book = tmp_path / "out" / "townships" / BOOK
    assert is_encrypted(book.read_bytes())
    with pytest.raises(Exception):  # noqa: B017 - without the password it is not a workbook
        load_workbook(book)
    assert "乡镇工作簿已按 MONITOR_WORKBOOK_PASSWORD 加密" in (
        tmp_path / "out" / "report.html"
    ).read_text(encoding="utf-8")
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(decrypted(book.read_bytes(), "琅琊2026!"))
    key = fill(plain, {})[0]
    fill(plain, {key: {"核实结果": "无法联系", "核实日期": TODAY}})
    from monitor.workbooks import encrypt

    encrypt(plain, "琅琊2026!")  # returned encrypted, as Excel saves it with its password
    assert imported(state, plain).imported >= 1
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    assert "打不开" in imported(state, plain).rejected[0].reason
    monkeypatch.delenv(PASSWORD_ENV)
    assert "请设置环境变量" in imported(state, plain).rejected[0].reason


def test_identity_decisions_come_back_in_review_xlsx_and_linking_follows_them(
    sample_night: Path, tmp_path: Path
) -> None:
    from monitor.workbooks import REVIEW_HEADER, REVIEW_SHEET

    state = tmp_path / "s.duckdb"
    shutil.copy(sample_night / "s.duckdb", state)
    book = tmp_path / "review.xlsx"
    shutil.copy(sample_night / "out" / "review.xlsx", book)
    review = read(sample_night / "out" / "review.csv")
    wb = load_workbook(book)
    ws = wb[REVIEW_SHEET]
    assert [c.value for c in ws[FIRST_ROW]] == REVIEW_HEADER
    assert ws.max_row - FIRST_ROW == review.height > 2
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"是同一人,不是同一人"'
    # decide the first two records (each on its first candidate row)
    column = {h: REVIEW_HEADER.index(h) + 1 for h in REVIEW_HEADER}
    chosen: dict[tuple[str, str, str], tuple[str, str]] = {}
    for row in range(FIRST_ROW + 1, ws.max_row + 1):
        record = tuple(str(ws.cell(row, column[h]).value) for h in ("来源", "文件", "行号"))
        if record in chosen or len(chosen) == 2:
            continue
        decision = "是同一人" if not chosen else "不是同一人"
        ws.cell(row, column["结论"]).value = decision
        chosen[record] = (decision, str(ws.cell(row, column["候选人证件号"]).value))  # type: ignore[index]
    wb.save(book)
    result = imported(state, book)
    assert result.rejected == [] and result.imported == 2
    assert imported(state, book).unchanged == 2  # again: nothing changes
    run(SAMPLE, tmp_path / "out2", state, AS_OF + dt.timedelta(days=1))
    links = read(tmp_path / "out2" / "links.csv")
    for (source, file, row), (decision, candidate) in chosen.items():
        got = links.filter((links["source"] == source) & (links["file"] == file)
                           & (links["row"] == int(row)))  # fmt: skip
        person, method = got["person_id"].to_list()[0], got["method"].to_list()[0]
        if decision == "是同一人":
            assert (person, method) in (
                (candidate, "fuzzy"),
                (candidate, "exact"),
                (candidate, "repaired"),
            )
        else:
            assert person != candidate


def test_the_command_prints_the_summary_and_exits_2_on_a_rejection(night: tuple[Path, Path, Path]) -> None:  # fmt: skip
    _, state, book = night
    key = fill(book, {})[0]
    fill(book, {key: {"核实结果": "已处理"}})
    done = monitor("feedback", str(book.parent), "--state", str(state), timeout=300)
    assert done.returncode == 2, done.stderr
    assert (
        "被拒绝: 1 处" in done.stdout
        and "不是可选值" in done.stdout
        and "Traceback" not in done.stderr
    )
    missing = monitor("feedback", str(book), "--state", str(state.with_name("none.duckdb")), timeout=300)  # fmt: skip
    assert missing.returncode == 2 and "状态库不存在" in missing.stderr
    assert not state.with_name("none.duckdb").exists()


def test_the_feedback_flow_imports_as_the_command_does(night: tuple[Path, Path, Path]) -> None:
    from monitor.flows.feedback import feedback

    _, state, book = night
    key = fill(book, {})[0]
    fill(book, {key: {"核实结果": "无法联系", "核实日期": TODAY}})
    result = feedback([book.parent], state, TODAY)
    assert result.imported >= 1 and result.rejected == []


def test_signal_codes_added_in_the_hidden_sheet_are_refused(night: tuple[Path, Path, Path]) -> None:  # fmt: skip
    """The 校验 sheet's codes are signed with the row: a code slipped in (to suppress a signal
    the workbook did not carry) makes the row a tampered one."""
    from monitor.workbooks import CHECK_SHEET

    _, state, book = night
    key = fill(book, {})[0]
    fill(book, {key: {"核实结果": "已核实-已救助", "核实日期": TODAY}})
    wb = load_workbook(book)
    check = wb[CHECK_SHEET]
    row = next(r for r in range(7, check.max_row + 1) if check.cell(r, 1).value == key)
    check.cell(row, 2).value = f"{check.cell(row, 2).value};HOTLINE_HELP"
    wb.save(book)
    result = imported(state, book)
    assert result.imported == 0 and "受保护的单元格" in result.rejected[0].reason


def test_an_answer_is_recorded_against_the_signal_as_the_workbooks_run_issued_it(night: tuple[Path, Path, Path]) -> None:  # fmt: skip
    """Between the run that wrote the workbook and the import the state moves on (here:
    signal_summary says another tier and amount); the disposition keeps what the workbook's
    run issued, which is what the caseworker answered."""
    _, state, book = night
    key = fill(book, {})[0]
    fill(book, {key: {"核实结果": "已核实-已救助", "核实日期": TODAY}})
    with open_state(state) as engine:
        issued = engine.execute("select code, tier, amount from issued_signals"
                                " where household_key = ? order by code", [key])  # fmt: skip
        engine.execute("update signal_summary set tier = 'review', amount = 1"
                       " where household_key = ?", [key])  # fmt: skip
    assert imported(state, book).imported == len(issued) > 0
    with open_state(state) as engine:
        stored = engine.execute("select code, tier, amount, issued_run_id from dispositions"
                                " where household_key = ? order by code", [key])  # fmt: skip
    assert [r[:3] for r in stored] == issued
    assert {r[3] for r in stored} == {AS_OF.isoformat()}


def test_a_disposition_on_the_command_line_answers_the_latest_completed_run(night: tuple[Path, Path, Path]) -> None:  # fmt: skip
    from monitor.dispositions import record_disposition

    _, state, _ = night
    with open_state(state) as engine:
        key, code = engine.execute("select household_key, code from signal_summary limit 1")[0]
        record_disposition(engine, key, code, "无法联系", TODAY)
        assert engine.execute("select issued_run_id from dispositions") == [(AS_OF.isoformat(),)]


def test_what_a_caseworker_typed_is_not_repeated_in_messages(night: tuple[Path, Path, Path]) -> None:  # fmt: skip
    """Messages go to the terminal and Prefect's logs, which hold no personal data: a value
    typed into a cell (here a name and a phone) is named by its cell, not repeated."""
    _, state, book = night
    key = fill(book, {})[0]
    fill(book, {key: {"核实结果": "张伟 13812345678 已救助"}})
    result = imported(state, book)
    assert "不是可选值" in result.text()
    assert "张伟" not in result.text() and "13812345678" not in result.text()


def test_a_signal_the_workbook_did_not_carry_still_warns_after_the_rest_was_handled(sample_night: Path, night: tuple[Path, Path, Path], tmp_path: Path) -> None:  # fmt: skip
    """Dispositions are (household, signal): a household whose every carried signal was
    handled, and whose next night brings a new one (here a 重大疾病 diagnosis), warns again
    for the new signal only, and is not listed as 已处置."""
    _, state, book = night
    warned = read(sample_night / "out" / "warnings.csv")
    single = warned.filter((warned["township"] == "琅琊街道") & (warned["codes"] == "DISASTER")
                           & ~warned["member_ids"].str.contains(";"))  # fmt: skip
    key, person = single["household_key"][0], single["member_ids"][0]
    wb = load_workbook(book)
    ws = wb[MAIN_SHEET]
    members = next(ws.cell(r, MAIN_HEADER.index("家庭成员") + 1).value
                   for r in range(FIRST_ROW + 1, ws.max_row + 1)
                   if ws.cell(r, MAIN_HEADER.index("家庭编号") + 1).value == key)  # fmt: skip
    name = str(members).split(" ")[0]
    fill(book, {key: {"核实结果": "已核实-已救助", "核实日期": TODAY, "核实人": "王芳"}})
    assert imported(state, book).imported == 1
    later = tmp_path / "in"
    shutil.copytree(SAMPLE, later)
    diagnosed = (NEXT - dt.timedelta(days=1)).isoformat()
    (later / "health" / "卫健_诊疗记录_补报.csv").write_text(
        "患者姓名,身份证号,诊断类别,疾病名称,就诊日期,住院天数,死亡日期,所属乡镇（街道）\n"
        f"{name},{person},重大疾病,肺恶性肿瘤,{diagnosed},9,,琅琊街道\n",
        encoding="utf-8-sig",
    )
    run(later, tmp_path / "out2", state, NEXT)
    again = read(tmp_path / "out2" / "warnings.csv")
    assert again.filter(again["household_key"] == key)["codes"].to_list() == ["MAJOR_ILLNESS"]
    resolved = read(tmp_path / "out2" / "resolved.csv")
    assert key not in resolved["household_key"].to_list()
