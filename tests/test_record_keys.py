"""A record's key and content (clean.py) are computed on normalized values, so a re-export
in another format is the same record, and hashed by the engine with a stable digest."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl

from conftest import AS_OF, B, run, write_csv, write_xlsx
from monitor.clean import CONTENT_TEXT, KEY_TEXT, clean_frame
from monitor.contracts import contracts
from monitor.state import open_state

MEDICAL = contracts()["medical_insurance"]


def frame(**values: str) -> pl.DataFrame:
    row = {c: None for c in MEDICAL.column_names} | values
    return pl.DataFrame(
        [row], schema=dict.fromkeys(MEDICAL.column_names, pl.String)
    ).with_row_index("_row", offset=1)


def keys(**values: str) -> tuple[str, str]:
    out = clean_frame(frame(**values), MEDICAL, AS_OF)
    return out[KEY_TEXT][0], out[CONTENT_TEXT][0]


def test_a_re_export_in_another_format_is_the_same_record() -> None:
    csv = keys(insured_name="王强", id_number=B, settlement_date="2026-10-19", care_type="住院",
               total_cost="30000", out_of_pocket="12000")  # fmt: skip
    xlsx = keys(insured_name="王 强", id_number=B.lower(), settlement_date="2026/10/19",
                care_type="住院", total_cost="30,000.00", out_of_pocket="12,000.00元")  # fmt: skip
    assert csv == xlsx


def test_another_amount_is_another_settlement() -> None:
    one = keys(id_number=B, settlement_date="2026-10-19", total_cost="30000", out_of_pocket="12000")
    two = keys(id_number=B, settlement_date="2026-10-19", total_cost="30000", out_of_pocket="12001")
    assert one[0] != two[0]


def test_without_an_id_only_an_identical_copy_is_the_same_record() -> None:
    education = contracts()["education"]
    rows = pl.DataFrame(
        [
            {
                "student_name": "甲",
                "id_number": "",
                "stage": "初中",
                "enrolment_status": "在读",
                "school_year": "2026-2027",
            },
            {
                "student_name": "乙",
                "id_number": "",
                "stage": "初中",
                "enrolment_status": "辍学",
                "school_year": "2026-2027",
            },
        ]
    )
    rows = rows.with_columns(
        pl.lit(None, dtype=pl.String).alias(c)
        for c in education.column_names
        if c not in rows.columns
    ).with_row_index("_row", offset=1)
    out = clean_frame(rows, education, AS_OF)
    assert out[KEY_TEXT][0] != out[KEY_TEXT][1]


def test_stored_hashes_are_md5_of_the_key(tmp_path: Path) -> None:
    root = tmp_path / "in"
    header = [
        "参保人姓名",
        "证件号码",
        "结算日期",
        "就医类型",
        "医疗总费用（元）",
        "个人自付（元）",
    ]
    write_csv(root / "medical_insurance" / "a.csv", header,
              [["王强", B, "2026-10-19", "住院", "30000", "12000"]])  # fmt: skip
    write_xlsx(root / "medical_insurance" / "b.xlsx", header,
               [["王强", B, "2026/10/19", "住院", "30,000.00", "12,000.00"]])  # fmt: skip
    run(root, tmp_path / "out", tmp_path / "s.duckdb", dt.date(2026, 11, 15))
    with open_state(tmp_path / "s.duckdb", read_only=True) as engine:
        stored = engine.execute("select distinct record_hash from clean_medical_insurance")
        counted = engine.execute("select count(*) from settlements")[0][0]
    key = keys(insured_name="王强", id_number=B, settlement_date="2026-10-19", care_type="住院",
               total_cost="30000", out_of_pocket="12000")[0]  # fmt: skip
    assert stored == [(hashlib.md5(key.encode()).hexdigest(),)]
    assert counted == 1
