import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from conftest import A_HEAD, write_csv
from monitor import validate
from monitor.clean import clean_frame
from monitor.contracts import contracts
from monitor.engine import Engine
from monitor.ingest import ingest_source
from monitor.state import open_state
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


def _two_education_files(root: Path) -> None:
    header = ["学生姓名", "身份证件号", "学段", "学籍状态"]
    write_csv(root / "education" / "a.csv", header, [["甲", A_HEAD, "初中", "在读"]])
    write_csv(root / "education" / "b.csv", header, [["乙", A_HEAD, "幼儿园", "在读"]])


def _validations(engine: Engine) -> list[tuple[object, ...]]:
    return engine.execute(
        "select f.file_name, v.unexpected_count, v.success, v.error from validations v"
        " join files f using (file_hash) where v.column_name = 'stage'"
        " and v.expectation = 'expect_column_values_to_be_in_set' order by f.file_name"
    )


def test_files_of_a_source_are_validated_together_and_counted_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_education_files(tmp_path / "in")
    runs: list[int] = []
    original = validate.GxBatch.run

    def counting(self: validate.GxBatch) -> None:
        runs.append(self.rows)
        original(self)

    monkeypatch.setattr(validate.GxBatch, "run", counting)
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "education", "r1", TODAY)
        assert _validations(engine) == [("a.csv", 0, True, None), ("b.csv", 1, False, None)]
    assert runs == [2]  # one GX validation for both files' rows


def test_a_gx_count_that_disagrees_with_the_row_flags_is_recorded_for_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the polars rules drift from the GX suite, every file of the batch says so."""
    _two_education_files(tmp_path / "in")
    rules = validate.unexpected

    def drifted(spec: validate.ExpectationSpec) -> pl.Expr:
        return pl.lit(False) if spec.column == "stage" else rules(spec)

    monkeypatch.setattr(validate, "unexpected", drifted)
    with open_state(tmp_path / "s.duckdb") as engine:
        ingest_source(engine, tmp_path / "in", "education", "r1", TODAY)
        rows = _validations(engine)
    assert [(f, ok) for f, _, ok, _ in rows] == [("a.csv", False), ("b.csv", False)]
    assert all("GX counted 1" in str(error) for *_, error in rows)


def test_a_gx_crash_is_recorded_and_loading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_education_files(tmp_path / "in")

    def crash(self: validate.GxBatch, specs: list[validate.ExpectationSpec]) -> None:
        raise MemoryError("no room")

    monkeypatch.setattr(validate.GxBatch, "_validate", crash)
    with open_state(tmp_path / "s.duckdb") as engine:
        result = ingest_source(engine, tmp_path / "in", "education", "r1", TODAY)
        rows = _validations(engine)
    assert (result.loaded, result.failed) == (2, 0)
    assert all("GX could not run" in str(error) for *_, error in rows) and len(rows) == 2
