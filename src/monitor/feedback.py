"""Returned township workbooks: the caseworkers' 核实结果 back into the state.

A workbook is this system's when its hidden 校验 sheet names a completed run and each row's
protected cells agree with their signatures (an HMAC whose key only the state holds). Each
row is tied to its household by the visible 家庭编号, never by position, so a caseworker may
filter or re-sort. A filled row records one disposition per signal of the household, against
the signal as that run issued it; a row with a blank 核实结果 records nothing; a row that is
wrong is rejected with the file, sheet, row and cell named, and the rest of the workbook is
still imported. Importing the same answers again (the same file, or the file re-saved by a
spreadsheet program) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from monitor.audit import (
    AUDIT_HEADER,
    AUDIT_KIND,
    AUDIT_SHEET,
    FINDINGS,
    SIGNED_HEADERS,
    scope,
)
from monitor.dispositions import record_disposition
from monitor.engine import Engine
from monitor.errors import DispositionError
from monitor.referrals import (
    REFERRAL_COLUMNS,
    REFERRAL_FORMAT,
    REFERRAL_HEADER,
    REFERRAL_RESULTS,
    REFERRAL_SHEET,
)
from monitor.referrals import scope as referral_scope
from monitor.workbooks import (
    CHECK_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    MAIN_COLUMNS_BY_VERSION,
    MAIN_SHEET,
    OUTCOMES,
    PASSWORD_ENV,
    REVIEW_DECISIONS,
    REVIEW_HEADER,
    REVIEW_KEY,
    REVIEW_SHEET,
    cell_signatures,
    column_signatures,
    decrypted,
    is_encrypted,
    row_signature,
    workbook_password,
)

CHECK_FIRST_ROW = 7  # 1-based: the 校验 sheet's first household row


@dataclass(frozen=True)
class Rejection:
    """Why a workbook, or one row of it, was not imported (no personal data: the 家庭编号
    and cell address only)."""

    file: str
    sheet: str
    row: int | None
    cell: str | None
    reason: str

    def text(self) -> str:
        where = f"{self.file}"
        if self.row is not None:
            where += f" 工作表“{self.sheet}”第 {self.row} 行"
        if self.cell:
            where += f" {self.cell} 单元格"
        return f"{where}：{self.reason}"


@dataclass
class FeedbackResult:
    """What an import did: dispositions recorded, answers already known, rows left blank,
    and what was rejected."""

    imported: int = 0
    unchanged: int = 0
    blank: int = 0
    files: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    findings: int = 0  # supervision findings recorded (audit workbooks)
    referral_results: int = 0  # of `imported`: departments' 办理结果 (by household × 救助建议)

    def text(self) -> str:
        lines = [
            f"工作簿: {self.files} 个; 新记录核实结果: {self.imported} 条（按户×信号）;"
            f" 已导入过、未变: {self.unchanged} 条; 未填写核实结果: {self.blank} 户;"
            f" 被拒绝: {len(self.rejected)} 处"
        ]
        if self.findings:
            lines.append(f"抽查检查结论: {self.findings} 条")
        if self.referral_results:
            lines.append(
                f"  其中部门转介清单的办理结果: {self.referral_results} 条（按户×救助建议）"
            )
        lines += [f"  - {r.text()}" for r in self.rejected]
        return "\n".join(lines)


def workbook_files(paths: list[Path]) -> list[Path]:
    """The .xlsx files named, or found in the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.xlsx") if not p.name.startswith(("~$", ".")))
        else:
            found.append(path)
    return found


def import_workbooks(engine: Engine, paths: list[Path], today: dt.date) -> FeedbackResult:
    """Import every returned workbook of `paths` (files or folders) into the state."""
    from monitor.publish import workbook_secret

    secret = workbook_secret(engine)
    result = FeedbackResult()
    for path in workbook_files(paths):
        result.files += 1
        _import_one(engine, path, secret, today, result)
    return result


def _run_shown(run_id: str) -> str:
    """A run identifier for a message: only when it is one (an as-of date); the cells of a
    returned file may hold anything, and messages go to logs, which hold no personal data."""
    return run_id if re.fullmatch(r"\d{4}-\d{2}-\d{2}", run_id) else "无法识别"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError as exc:
        raise ValueError(text) from exc


class _Rejected(Exception):
    """One filled cell of a returned row that cannot be recorded: (reason, cell)."""


def _answer(
    cells: Sequence[Any], columns: dict[str, int], number: int, answer: tuple[str, str],
    choices: Sequence[str], since: tuple[dt.date, str], today: dt.date,
    reject: Callable[[str, int, str], None], result: FeedbackResult,
) -> tuple[str, dt.date] | None:  # fmt: skip
    """The answer of one returned row (_read_answer), or None when the row has nothing to
    record: a blank one (counted in `result`) or one whose answer is rejected (said)."""
    try:
        answered = _read_answer(cells, columns, number, answer, choices, since, today)
    except _Rejected as problem:
        reject(problem.args[0], number, problem.args[1])
        return None
    if answered is None:
        result.blank += 1
    return answered


def _read_answer(
    cells: Sequence[Any],
    columns: dict[str, int],
    number: int,
    answer: tuple[str, str],
    choices: Sequence[str],
    since: tuple[dt.date, str],
    today: dt.date,
) -> tuple[str, dt.date] | None:
    """The answer of one returned row: its choice (from `choices`) and its date (blank: today;
    not after today, not before the issuing run's as-of date). `answer` names the two
    columns (核实结果, 核实日期), `since` the as-of date and what was issued on it (本次预警).
    None for a blank row; _Rejected(reason, cell) for an answer that cannot be recorded."""
    choice_header, date_header = answer
    choice = _text(cells[columns[choice_header]]).strip()
    if not choice:
        return None
    if choice not in choices:
        raise _Rejected(f"{choice_header}不是可选值，请从下拉列表选择：{' / '.join(choices)}",
                        f"{get_column_letter(columns[choice_header] + 1)}{number}")  # fmt: skip
    date_cell = f"{get_column_letter(columns[date_header] + 1)}{number}"
    try:
        decided = _date(cells[columns[date_header]]) or today
    except ValueError:
        raise _Rejected(f"{date_header}无法识别，请填写如 2026-11-20 的日期", date_cell) from None
    as_of, issued = since
    if decided > today:
        raise _Rejected(f"{date_header} {decided} 晚于今天 {today}，请更正", date_cell)
    if decided < as_of:
        raise _Rejected(
            f"{date_header} {decided} 早于{issued}的监测日期 {as_of}，请更正", date_cell
        )
    return choice, decided


def _import_one(
    engine: Engine, path: Path, secret: bytes, today: dt.date, result: FeedbackResult
) -> None:
    name = path.name

    def reject(reason: str, row: int | None = None, cell: str | None = None,
               sheet: str = MAIN_SHEET) -> None:  # fmt: skip
        result.rejected.append(Rejection(name, sheet, row, cell, reason))

    try:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if is_encrypted(data):
            password = workbook_password()
            if not password:
                reject(f"工作簿已加密：请设置环境变量 {PASSWORD_ENV} 为下发时的密码后重新导入")
                return
            try:
                data = decrypted(data, password)
            except ValueError:
                reject(f"工作簿已加密，{PASSWORD_ENV} 中的密码打不开它：请使用下发时的密码")
                return
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # any reader error is this file's, and only its
        reject(f"无法作为 xlsx 工作簿读取（{type(exc).__name__}），请退回原工作簿或重新导出")
        return
    if REVIEW_SHEET in wb.sheetnames and CHECK_SHEET in wb.sheetnames:
        _import_review(engine, wb, name, digest, secret, result)
        return
    if AUDIT_SHEET in wb.sheetnames and CHECK_SHEET in wb.sheetnames:
        _import_audit(engine, wb, name, digest, secret, today, result)
        return
    if REFERRAL_SHEET in wb.sheetnames and CHECK_SHEET in wb.sheetnames:
        _import_referral(engine, wb, name, digest, secret, today, result)
        return
    if MAIN_SHEET not in wb.sheetnames or CHECK_SHEET not in wb.sheetnames:
        reject("不是本系统生成的乡镇预警工作簿（缺少“预警清单”或校验信息），请使用下发的原工作簿")
        return
    check = wb[CHECK_SHEET]
    columns = MAIN_COLUMNS_BY_VERSION.get(_text(check.cell(1, 2).value))
    if columns is None:
        reject("工作簿的格式版本无法识别，请使用本系统下发的原工作簿", sheet=CHECK_SHEET)
        return
    main_header = [c.header for c in columns]
    run_id = _text(check.cell(2, 2).value)
    township = _text(check.cell(3, 2).value)
    issued = engine.run("70_feedback/issued_run.sql", {"run_id": run_id})
    if not issued:
        reject(
            f"工作簿来自未知的运行（{_run_shown(run_id)}），请使用本系统下发的工作簿",
            sheet=CHECK_SHEET,
        )
        return
    as_of: dt.date = issued[0][1]
    signed: dict[str, tuple[str, str, str]] = {}
    for values in check.iter_rows(min_row=CHECK_FIRST_ROW, values_only=True):
        if values and values[0]:
            signed[_text(values[0])] = (_text(values[1]), _text(values[2]), _text(values[3]))
    ws = wb[MAIN_SHEET]
    header = [_text(c.value) for c in ws[HEADER_ROW + 1]][: len(main_header)]
    if header != main_header:
        reject("表头被修改，无法确认各列含义，请使用下发的原工作簿", HEADER_ROW + 1)
        return
    key_col = main_header.index("家庭编号")
    protected = [i for i, c in enumerate(columns) if c.value is not None]
    fill = {c.header: i for i, c in enumerate(columns) if c.editable}
    for number, row in enumerate(
        ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True), FIRST_ROW + 1
    ):
        cells = list(row[: len(main_header)]) + [None] * (len(main_header) - len(row))
        if all(v is None for v in cells):
            continue
        key = _text(cells[key_col])
        address = f"{get_column_letter(key_col + 1)}{number}"
        if key not in signed:
            reject("家庭编号不在本工作簿的下发名单中（被修改或新增的行）", number, address)
            continue
        codes, signature, per_cell = signed[key]
        values = [cells[i] for i in protected]
        if row_signature(secret, run_id, township, [*values, codes]) != signature:
            expected = per_cell.split(";")
            got = cell_signatures(secret, run_id, township, values, columns).split(";")
            changed = [
                protected[i] for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b
            ]
            where = ",".join(f"{get_column_letter(i + 1)}{number}" for i in changed) or address
            reject(
                "受保护的单元格内容被修改（工作簿被篡改或不是下发的原件），本行未导入",
                number,
                where,
            )
            continue
        answered = _answer(cells, fill, number, ("核实结果", "核实日期"), OUTCOMES,
                               (as_of, "本次预警"), today, reject, result)  # fmt: skip
        if answered is None:
            continue
        outcome, decided = answered
        caseworker = _text(cells[fill["核实人"]]).strip() or None
        note = _text(cells[fill["备注"]]).strip() or None
        for code in codes.split(";"):
            same = {"household_key": key, "code": code, "outcome": outcome, "decided_on": decided,
                    "caseworker": caseworker, "note": note, "issued_run_id": run_id}  # fmt: skip
            if engine.value("70_feedback/same_disposition.sql", same):
                result.unchanged += 1
                continue
            try:
                record_disposition(engine, key, code, outcome, decided, note, caseworker=caseworker,
                                   issued_run_id=run_id, workbook_hash=digest)  # fmt: skip
            except DispositionError:  # the run did not issue this signal (should not happen)
                reject(f"本行的预警信号 {code} 不在该次下发的记录中，本信号未导入", number, address)
                continue
            result.imported += 1


def _import_review(
    engine: Engine, wb: Any, name: str, digest: str, secret: bytes, result: FeedbackResult
) -> None:
    """review.xlsx: each row with a 结论 records an identity decision on its (record,
    candidate) pair, which linking follows from the next run on."""

    def reject(reason: str, row: int | None = None, cell: str | None = None) -> None:
        result.rejected.append(Rejection(name, REVIEW_SHEET, row, cell, reason))

    check = wb[CHECK_SHEET]
    run_id = _text(check.cell(2, 2).value)
    if not engine.run("70_feedback/issued_run.sql", {"run_id": run_id}):
        reject(f"工作簿来自未知的运行（{_run_shown(run_id)}），请使用本系统输出的 review.xlsx")
        return
    signed: dict[tuple[str, ...], tuple[str, str]] = {}
    for values in check.iter_rows(min_row=CHECK_FIRST_ROW, values_only=True):
        if values and values[0]:
            key = tuple(_text(v) for v in values[: len(REVIEW_KEY)])
            signed[key] = (_text(values[len(REVIEW_KEY)]), _text(values[len(REVIEW_KEY) + 1]))
    ws = wb[REVIEW_SHEET]
    header = [_text(c.value) for c in ws[HEADER_ROW + 1]][: len(REVIEW_HEADER)]
    if header != REVIEW_HEADER:
        reject("表头被修改，无法确认各列含义，请使用本系统输出的 review.xlsx", HEADER_ROW + 1)
        return
    index = {h: i for i, h in enumerate(REVIEW_HEADER)}
    protected = [i for i, h in enumerate(REVIEW_HEADER) if h not in ("结论", "备注")]
    rows = ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True)
    for number, row in enumerate(rows, FIRST_ROW + 1):
        cells = list(row[: len(REVIEW_HEADER)]) + [None] * (len(REVIEW_HEADER) - len(row))
        if all(v is None for v in cells):
            continue
        decision = _text(cells[index["结论"]]).strip()
        if not decision:
            result.blank += 1
            continue
        key = tuple(_text(cells[index[h]]) for h in REVIEW_KEY)
        found = signed.get(key)
        values = [_text(cells[i]) for i in protected]
        signed_values = [*values, found[0] if found else ""]
        if found is None or row_signature(secret, run_id, "review", signed_values) != found[1]:
            reject("受保护的单元格内容被修改（或不是本系统输出的行），本行未导入", number)
            continue
        cell = f"{get_column_letter(index['结论'] + 1)}{number}"
        if decision not in REVIEW_DECISIONS:
            reject(f"结论不是可选值，请选择：{' / '.join(REVIEW_DECISIONS)}", number, cell)
            continue
        note = _text(cells[index["备注"]]).strip() or None
        pair = {"source": key[0], "record_hash": found[0], "candidate_id": key[3],
                "same_person": decision == "是同一人", "note": note}  # fmt: skip
        if engine.value("70_feedback/same_review_decision.sql", pair):
            result.unchanged += 1
            continue
        engine.run("70_feedback/record_review_decision.sql", pair | {"workbook_hash": digest})
        result.imported += 1


# ---------------------------------------------------------------- supervision samples
def _import_audit(
    engine: Engine, wb: Any, name: str, digest: str, secret: bytes, today: dt.date,
    result: FeedbackResult,
) -> None:  # fmt: skip
    """A county's supervision sample (monitor audit-sample) returned by the county that
    checked it: each row with a 检查结论 records a finding on its decision (audit_findings),
    which the report counts per township. Rows are found by their visible 抽查编号."""

    def reject(reason: str, row: int | None = None, cell: str | None = None,
               sheet: str = AUDIT_SHEET) -> None:  # fmt: skip
        result.rejected.append(Rejection(name, sheet, row, cell, reason))

    check = wb[CHECK_SHEET]
    run_id = _text(check.cell(2, 2).value)
    county, checker = _text(check.cell(4, 2).value), _text(check.cell(4, 3).value)
    seed = _text(check.cell(5, 2).value)
    issued = engine.run("70_feedback/issued_run.sql", {"run_id": run_id})
    if _text(check.cell(3, 2).value) != AUDIT_KIND or not issued:
        reject(f"抽查工作簿来自未知的运行（{_run_shown(run_id)}），请使用 monitor audit-sample 生成的工作簿",
               sheet=CHECK_SHEET)  # fmt: skip
        return
    as_of: dt.date = issued[0][1]
    where = scope(county, checker, seed)
    signed: dict[str, list[str]] = {}
    for values in check.iter_rows(min_row=CHECK_FIRST_ROW, values_only=True):
        if values and values[0]:
            signed[_text(values[0])] = [_text(v) for v in values[1:4]]
    ws = wb[AUDIT_SHEET]
    header = [_text(c.value) for c in ws[HEADER_ROW + 1]][: len(AUDIT_HEADER)]
    if header != AUDIT_HEADER:
        reject("表头被修改，无法确认各列含义，请使用下发的原工作簿", HEADER_ROW + 1)
        return
    index = {h: i for i, h in enumerate(AUDIT_HEADER)}
    item_col = index["抽查编号"]
    for number, row in enumerate(ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True),
                                 FIRST_ROW + 1):  # fmt: skip
        cells = list(row[: len(AUDIT_HEADER)]) + [None] * (len(AUDIT_HEADER) - len(row))
        if all(v is None for v in cells):
            continue
        item = _text(cells[item_col])
        address = f"{get_column_letter(item_col + 1)}{number}"
        if item not in signed:
            reject("抽查编号不在本工作簿的抽查名单中（被修改或新增的行）", number, address)
            continue
        codes, signature, per_cell = signed[item]
        values = [_text(cells[index[h]]) for h in SIGNED_HEADERS]
        if row_signature(secret, run_id, where, [*values, codes]) != signature:
            expected = per_cell.split(";")
            got = column_signatures(secret, run_id, where, SIGNED_HEADERS, values).split(";")
            changed = [index[h] for h, a, b in zip(SIGNED_HEADERS, expected, got, strict=False)
                       if a != b]  # fmt: skip
            cells_named = ",".join(f"{get_column_letter(i + 1)}{number}" for i in changed)
            reject("受保护的单元格内容被修改（工作簿被篡改或不是下发的原件），本行未导入",
                   number, cells_named or address)  # fmt: skip
            continue
        answered = _answer(cells, index, number, ("检查结论", "检查日期"), FINDINGS,
                               (as_of, "抽样"), today, reject, result)  # fmt: skip
        if answered is None:
            continue
        finding, checked = answered
        params = {
            "run_id": run_id, "item": item, "finding": finding, "checked_on": checked,
            "checker": _text(cells[index["检查人"]]).strip() or None,
            "note": _text(cells[index["检查意见"]]).strip() or None,
        }  # fmt: skip
        if engine.value("70_feedback/same_audit_finding.sql", params):
            result.unchanged += 1
            continue
        shown = dict(zip(SIGNED_HEADERS, values, strict=True))  # the signed cells
        engine.run("70_feedback/record_audit_finding.sql", params | {
            "household_key": shown["家庭编号"], "county": county, "township": shown["乡镇（街道）"],
            "checker_county": checker, "kind": shown["抽查类型"], "decision": shown["决定内容"],
            "decided_on": _date(shown["决定日期"]), "seed": seed, "workbook_hash": digest,
        })  # fmt: skip
        result.findings += 1


def _import_referral(
    engine: Engine, wb: Any, name: str, digest: str, secret: bytes, today: dt.date,
    result: FeedbackResult,
) -> None:  # fmt: skip
    """A department's list (departments/<部门>.xlsx): each row with a 办理结果 records the
    department's result for that household and 救助建议, against the run whose list it is."""

    def reject(reason: str, row: int | None = None, cell: str | None = None,
               sheet: str = REFERRAL_SHEET) -> None:  # fmt: skip
        result.rejected.append(Rejection(name, sheet, row, cell, reason))

    check = wb[CHECK_SHEET]
    if _text(check.cell(1, 2).value) != REFERRAL_FORMAT:
        reject("转介清单的格式版本无法识别，请使用本系统下发的原清单", sheet=CHECK_SHEET)
        return
    run_id = _text(check.cell(2, 2).value)
    department = _text(check.cell(4, 2).value)
    issued = engine.run("70_feedback/issued_run.sql", {"run_id": run_id})
    if not issued:
        reject(f"清单来自未知的运行（{_run_shown(run_id)}），请使用本系统下发的转介清单",
               sheet=CHECK_SHEET)  # fmt: skip
        return
    as_of: dt.date = issued[0][1]
    where = referral_scope(department)
    signed: dict[tuple[str, str], tuple[str, str, str]] = {}
    for values in check.iter_rows(min_row=CHECK_FIRST_ROW, values_only=True):
        if values and values[0]:
            signed[(_text(values[0]), _text(values[1]))] = (
                _text(values[2]), _text(values[3]), _text(values[4]))  # fmt: skip
    ws = wb[REFERRAL_SHEET]
    header = [_text(c.value) for c in ws[HEADER_ROW + 1]][: len(REFERRAL_HEADER)]
    if header != REFERRAL_HEADER:
        reject("表头被修改，无法确认各列含义，请使用下发的原清单", HEADER_ROW + 1)
        return
    index = {h: i for i, h in enumerate(REFERRAL_HEADER)}
    protected = [i for i, c in enumerate(REFERRAL_COLUMNS) if c.value is not None]
    for number, row in enumerate(
        ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True), FIRST_ROW + 1
    ):
        cells = list(row[: len(REFERRAL_HEADER)]) + [None] * (len(REFERRAL_HEADER) - len(row))
        if all(v is None for v in cells) or (not signed and number == FIRST_ROW + 1):
            continue  # an empty list says so in its first row
        key = (_text(cells[index["家庭编号"]]), _text(cells[index["救助建议"]]))
        address = f"{get_column_letter(index['家庭编号'] + 1)}{number}"
        if key not in signed:
            reject("家庭编号与救助建议不在本清单的下发名单中（被修改或新增的行）", number, address)
            continue
        codes, signature, per_cell = signed[key]
        values = [cells[i] for i in protected]
        if row_signature(secret, run_id, where, [*values, codes]) != signature:
            expected = per_cell.split(";")
            got = cell_signatures(secret, run_id, where, values, REFERRAL_COLUMNS).split(";")
            changed = [
                protected[i] for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b
            ]
            cells_named = ",".join(f"{get_column_letter(i + 1)}{number}" for i in changed)
            reject("受保护的单元格内容被修改（清单被篡改或不是下发的原件），本行未导入",
                   number, cells_named or address)  # fmt: skip
            continue
        answered = _answer(cells, index, number, ("办理结果", "办理日期"), REFERRAL_RESULTS,
                               (as_of, "本次转介"), today, reject, result)  # fmt: skip
        if answered is None:
            continue
        outcome, decided = answered
        answer = {
            "run_id": run_id, "department": department, "household_key": key[0],
            "recommendation": key[1], "result": outcome, "decided_on": decided,
            "handler": _text(cells[index["经办人"]]).strip() or None,
            "note": _text(cells[index["备注"]]).strip() or None,
        }  # fmt: skip
        if not engine.value("70_feedback/referral_issued.sql", answer):
            reject("本行不在该次运行下发的转介记录中，未导入", number, address)
            continue
        if engine.value("70_feedback/same_referral_result.sql", answer):
            result.unchanged += 1
            continue
        engine.run("70_feedback/record_referral_result.sql", answer | {"workbook_hash": digest})
        result.imported += 1
        result.referral_results += 1
