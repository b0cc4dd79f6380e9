import datetime as dt

import polars as pl

from conftest import A_HEAD
from monitor.clean import clean_frame
from monitor.contracts import contracts
from monitor.validate import suite_for, validate_frame

TODAY = dt.date(2026, 11, 15)


def _frame(source: str, rows: list[dict[str, str | None]]) -> pl.DataFrame:
    contract = contracts()[source]
    data = {c: [r.get(c) for r in rows] for c in contract.column_names}
    return (
        pl.DataFrame(data, schema=dict.fromkeys(contract.column_names, pl.String))
        .with_row_index("_row", 1)
        .with_columns(pl.col("_row").cast(pl.Int64), pl.lit(None, dtype=pl.String).alias("_extra"))
    )


def test_suite_is_generated_from_the_contract() -> None:
    flags = {s.flag for s in suite_for(contracts()["education"], TODAY)}
    assert "expect_column_values_to_be_in_set:stage" in flags
    assert "expect_column_values_to_not_be_null:student_name" in flags
    assert "expect_column_values_to_be_between:aid_amount" in flags


def test_broken_rows_are_kept_and_flagged_with_the_expectation() -> None:
    contract = contracts()["education"]
    raw = _frame("education", [
        {"student_name": "甲", "id_number": A_HEAD, "stage": "初中", "enrolment_status": "在读", "aid_amount": "100"},
        {"student_name": "乙", "id_number": A_HEAD, "stage": "幼儿园", "enrolment_status": "在读", "aid_amount": "-5"},
    ])  # fmt: skip
    clean, results = validate_frame(clean_frame(raw, contract, TODAY), contract, TODAY)
    assert clean.height == 2
    assert clean["flags"][0] is None
    flags = clean["flags"][1].split(";")
    assert "expect_column_values_to_be_in_set:stage" in flags
    assert "expect_column_values_to_be_between:aid_amount" in flags
    assert clean["stage"][1] == "幼儿园"  # kept as read, not guessed
    failed = {r.spec.flag: r.unexpected_count for r in results if not r.success}
    assert failed == {
        "expect_column_values_to_be_in_set:stage": 1,
        "expect_column_values_to_be_between:aid_amount": 1,
    }
