"""sql/10_ingest/: the ledger of loaded files (files) and their Great Expectations results
(validations): what makes a file known, and what a loaded file adds."""

from __future__ import annotations

from .harness import Models, ledger, rows

KNOWN_FILE = "10_ingest/known_file.sql"
LOADED_ELSEWHERE = "10_ingest/loaded_elsewhere.sql"
RECORD_FILE = "10_ingest/record_file.sql"
RECORD_VALIDATION = "10_ingest/record_validation.sql"
RECORD_VALIDATION_ERROR = "10_ingest/record_validation_error.sql"


def validation(
    file_hash: str, expectation: str, column: str, **values: object
) -> dict[str, object]:
    base: dict[str, object] = {
        "file_hash": file_hash, "expectation": expectation, "column_name": column,
        "element_count": 10, "unexpected_count": 0, "success": True,
    }  # fmt: skip
    return base | values


def test_known_file_is_this_sources_ledger_only(models: Models) -> None:
    """The records of a content loaded for this source; the same content in another source's
    ledger, or an unknown content, is not known here."""
    models.given("files", [ledger("h1", "hr", records=0), ledger("r1", "roster", records=12)])
    assert rows(models.query(KNOWN_FILE, file_hash="h1", source="hr"), "records") == [(0,)]
    assert rows(models.query(KNOWN_FILE, file_hash="r1", source="roster"), "records") == [(12,)]
    assert models.query(KNOWN_FILE, file_hash="r1", source="hr").height == 0
    assert models.query(KNOWN_FILE, file_hash="nope", source="hr").height == 0


def test_loaded_elsewhere_names_the_other_source_and_file(models: Models) -> None:
    """A content loaded for another source: that source and the file's name; one loaded for
    this source, or not at all, gives no row."""
    models.given("files", [ledger("r1", "roster", file_name="花名册.xlsx")])
    assert rows(
        models.query(LOADED_ELSEWHERE, file_hash="r1", source="hr"), "source", "file_name"
    ) == [("roster", "花名册.xlsx")]
    assert models.query(LOADED_ELSEWHERE, file_hash="r1", source="roster").height == 0
    assert models.query(LOADED_ELSEWHERE, file_hash="x", source="hr").height == 0


def test_record_file_adds_the_ledger_row(models: Models) -> None:
    """Every field of the ledger row as given (a CSV's encoding and delimiter, no sheet)."""
    models.given("files", [ledger("old", "hr")])
    models.statement(
        RECORD_FILE, file_hash="h1", source="hr", file_name="人社.csv", size_bytes=2048,
        first_run_id="2026-11-15", records=5, title_rows=1, blank_rows=2, total_rows=9,
        sheet=None, encoding="gb18030", delimiter=",", header_json='["姓名"]', notes="一条说明",
    )  # fmt: skip
    assert rows(
        models.table("files"), "file_hash", "source", "file_name", "size_bytes", "first_run_id",
        "records", "title_rows", "blank_rows", "total_rows", "sheet", "encoding", "delimiter",
        "header_json", "notes",
    ) == [
        ("h1", "hr", "人社.csv", 2048, "2026-11-15", 5, 1, 2, 9, None, "gb18030", ",",
         '["姓名"]', "一条说明"),
        ("old", "hr", "old.csv", None, "2026-10-15", 1, 0, 0, 1, None, None, None, None, None),
    ]  # fmt: skip


def test_record_validation_adds_one_expectation(models: Models) -> None:
    """A file's count for one expectation: elements, unexpected, success and error."""
    models.given("validations", [])
    models.statement(
        RECORD_VALIDATION, file_hash="h1", expectation="expect_column_values_to_not_be_null",
        column_name="township", element_count=5, unexpected_count=2, success=False, error=None,
    )  # fmt: skip
    assert rows(
        models.table("validations"),
        "file_hash",
        "expectation",
        "column_name",
        "element_count",
        "unexpected_count",
        "success",
        "error",
    ) == [("h1", "expect_column_values_to_not_be_null", "township", 5, 2, False, None)]


def test_record_validation_error_fails_that_expectation_only(models: Models) -> None:
    """GX's disagreement is recorded on the one file, expectation and column named."""
    models.given(
        "validations",
        [
            validation("h1", "expect_column_values_to_not_be_null", "township"),
            validation("h1", "expect_column_values_to_not_be_null", "person_name"),
            validation("h1", "expect_column_values_to_be_in_set", "township"),
            validation("h2", "expect_column_values_to_not_be_null", "township"),
        ],
    )
    models.statement(
        RECORD_VALIDATION_ERROR, file_hash="h1", expectation="expect_column_values_to_not_be_null",
        column_name="township", error="GX 计数 3，行标记 2",
    )  # fmt: skip
    assert rows(
        models.table("validations"), "file_hash", "expectation", "column_name", "success", "error"
    ) == [
        ("h1", "expect_column_values_to_be_in_set", "township", True, None),
        ("h1", "expect_column_values_to_not_be_null", "person_name", True, None),
        ("h1", "expect_column_values_to_not_be_null", "township", False, "GX 计数 3，行标记 2"),
        ("h2", "expect_column_values_to_not_be_null", "township", True, None),
    ]  # fmt: skip
