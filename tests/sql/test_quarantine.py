"""sql/50_publish/quarantine.sql: whole files that failed (no row) and this run's quarantined
records, with the reason and the value as read (at most 200 characters): the failed file's
cells, a record's ID and name (``<ID> / <name>``), or the field beyond the size limit with its
column's label; in the sources' canonical order, file, row."""

from __future__ import annotations

from typing import Any

from monitor.clean import FIELD_TOO_LARGE
from monitor.publish import contract_columns

from .harness import RUN_ID, Models

MODEL = "50_publish/quarantine.sql"
CONTENT = '引号"、反斜杠\\、换行\n' + "长" * 250  # the field as read, whatever it holds


def delivery(source: str, name: str, digest: str, outcome: str, run_id: str = RUN_ID,
             **values: Any) -> dict[str, Any]:  # fmt: skip
    return {"run_id": run_id, "source": source, "file_name": name, "file_hash": digest,
            "outcome": outcome, "records": 3} | values  # fmt: skip


def record(source: str, digest: str, row: int, reason: str | None,
           flags: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"source": source, "file_hash": digest, "_row": row, "quarantine_reason": reason,
            "flags": flags, "id_status": "missing"}  # fmt: skip


def query(models: Models) -> list[tuple[Any, ...]]:
    with models.engine.registered("contract_columns", contract_columns()):
        return models.query(MODEL, field_too_large=FIELD_TOO_LARGE).rows()


def given(models: Models) -> None:
    models.given("deliveries", [
        delivery("hotline", "工单.csv", "h1", "loaded"),
        delivery("medical_insurance", "结算.csv", "m1", "skipped"),
        delivery("hotline", "bad.csv", "", "failed", reason="缺少必需列：来电时间",
                 failed_column="表头", failed_value="工单编号," + "x" * 300),
        delivery("roster", "名单.xlsx", "", "failed", reason="无法读取", failed_column=None,
                 failed_value=None),
        delivery("hotline", "old.csv", "h0", "loaded", run_id="2026-10-15"),
    ])  # fmt: skip
    models.given("records_current", [
        record("hotline", "h1", 1, None),  # usable: not listed
        record("hotline", "h1", 2, "身份证号和诉求人均为空"),
        record("hotline", "h1", 3, "字段过大", f"bad_phone;{FIELD_TOO_LARGE}:content"),
        record("hotline", "h1", 4, "字段过大", f"{FIELD_TOO_LARGE}:_extra"),
        record("medical_insurance", "m1", 2, "证件号码无效"),
        record("hotline", "h0", 1, "身份证号和诉求人均为空"),  # an earlier run's file
    ])  # fmt: skip
    models.given("raw_hotline", [
        {"file_hash": "h1", "_row": 2, "id_number": " ", "caller_name": None},
        {"file_hash": "h1", "_row": 3, "id_number": "3411", "caller_name": "张三",
         "content": CONTENT},
        {"file_hash": "h1", "_row": 4, "caller_name": "李四", "_extra": '{"备注": "很长"}'},
    ])  # fmt: skip
    models.given("raw_medical_insurance", [
        {"file_hash": "m1", "_row": 2, "id_number": "=1+1", "insured_name": "王五"},
    ])  # fmt: skip


def test_failed_files_and_quarantined_records_in_order(models: Models) -> None:
    given(models)
    long_header = ("工单编号," + "x" * 300)[:200]
    assert query(models) == [
        ("roster", "名单.xlsx", None, "无法读取", "", ""),
        ("medical_insurance", "结算.csv", 2, "证件号码无效", "证件号码 / 参保人姓名", "=1+1 / 王五"),
        ("hotline", "bad.csv", None, "缺少必需列：来电时间", "表头", long_header),
        ("hotline", "工单.csv", 2, "身份证号和诉求人均为空", "身份证号 / 诉求人", ""),
        ("hotline", "工单.csv", 3, "字段过大", "诉求内容", CONTENT[:200]),
        ("hotline", "工单.csv", 4, "字段过大", "其他列（_extra）", '{"备注": "很长"}'),
    ]  # fmt: skip


def test_a_record_without_its_raw_row_shows_an_empty_value(models: Models) -> None:
    models.given("deliveries", [delivery("hotline", "工单.csv", "h1", "loaded")])
    models.given("records_current", [record("hotline", "h1", 9, "x"),
                                     record("hotline", "h1", 8, "y", f"{FIELD_TOO_LARGE}:phone")])  # fmt: skip
    models.given("raw_hotline", [])
    assert query(models) == [
        ("hotline", "工单.csv", 8, "y", "联系电话", ""),
        ("hotline", "工单.csv", 9, "x", "身份证号 / 诉求人", ""),
    ]
