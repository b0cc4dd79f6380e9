"""sql/40_score/schooling.sql: each living member's education records of their latest school
year on record (a blank 学年 is the school year of its file's first delivery), with their
household; read by DROPOUT/EDU_COST and by schooling as rigid expenditure."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "40_score/schooling.sql"


def given(models: Models, people: list[dict[str, Any]], records: list[dict[str, Any]]) -> None:
    models.given(
        "files",
        [{"file_hash": f, "source": "education", "file_name": f"{f}.xlsx", "first_run_id": d,
          "records": 1, "title_rows": 0, "blank_rows": 0, "total_rows": 1}
         for f, d in (("e1", "2026-10-01"), ("aug", "2026-08-31"))],
    )  # fmt: skip
    base = {"membership": "roster", "sex": "M", "age": 15, "alive": True}
    models.given("member_facts", [base | p for p in people])
    models.given(
        "linked_education",
        [{"file_hash": "e1", "source": "education", "file_name": "e1.xlsx",
          "id_status": "valid", "record_hash": f"r{r['_row']}"} | r for r in records],
    )  # fmt: skip


def test_the_latest_school_year_of_each_living_member_with_its_household(models: Models) -> None:
    given(
        models,
        [
            {"household_key": "H1", "person_id": "A"},
            {"household_key": "H1", "person_id": "B"},
            {"household_key": "H2", "person_id": "C", "alive": False, "death_date": "2026-10-01"},
        ],
        [
            {"_row": 1, "person_id": "A", "stage": "初中", "enrolment_status": "在读",
             "school_year": 2025},
            {"_row": 2, "person_id": "A", "stage": "高中", "enrolment_status": "在读",
             "school_year": 2026},  # the latest: kept
            {"_row": 3, "person_id": "B", "stage": "小学", "enrolment_status": "毕业",
             "school_year": 2026},
            {"_row": 4, "person_id": "B", "stage": "初中", "enrolment_status": "在读",
             "school_year": 2026},  # two rows of the latest year: both kept
            {"_row": 5, "person_id": "C", "stage": "高中", "enrolment_status": "在读",
             "school_year": 2026},  # died: not a pupil any more
            {"_row": 6, "person_id": None, "stage": "高中", "enrolment_status": "在读",
             "school_year": 2026},  # nobody linked
        ],
    )  # fmt: skip
    assert rows(
        models.run(MODEL), "household_key", "person_id", "_row", "effective_year", "year_blank"
    ) == [("H1", "A", 2, 2026, False), ("H1", "B", 3, 2026, False), ("H1", "B", 4, 2026, False)]


def test_a_blank_school_year_is_that_of_the_files_first_delivery(models: Models) -> None:
    # delivered 2026-10-01: 2026-2027 (after 1 September); 2026-08-31: 2025-2026
    given(
        models,
        [{"household_key": "H1", "person_id": "A"}, {"household_key": "H2", "person_id": "B"}],
        [
            {"_row": 1, "person_id": "A", "stage": "小学", "enrolment_status": "辍学",
             "school_year": None},
            {"_row": 2, "person_id": "A", "stage": "小学", "enrolment_status": "在读",
             "school_year": 2025},
            {"_row": 3, "person_id": "B", "stage": "小学", "enrolment_status": "辍学",
             "school_year": None, "file_hash": "aug"},
            {"_row": 4, "person_id": "B", "stage": "小学", "enrolment_status": "在读",
             "school_year": 2026},
        ],
    )  # fmt: skip
    assert rows(models.run(MODEL), "person_id", "_row", "effective_year", "year_blank") == [
        ("A", 1, 2026, True),
        ("B", 4, 2026, False),
    ]
