"""sql/40_score/hr_current.sql: one HR record per linked person in the current picture."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "40_score/hr_current.sql"
P = "341102198001010010"
Q = "341102198001010029"


def hr(file_name: str, row: int, person: str | None = P, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "file_hash": file_name, "_row": row, "person_id": person, "id_status": "valid",
        "employment_status": "在职", "monthly_wage": 3000, "method": "exact", "source": "hr",
        "file_name": f"{file_name}.xlsx",
    }  # fmt: skip
    return base | values


def test_one_row_per_person_the_first_by_content_hash_then_row(models: Models) -> None:
    """The first record by the file's content hash (not its name: renaming a file changes
    nothing), then by row, is the person's."""
    models.given(
        "linked_hr",
        [
            hr("b", 1, monthly_wage=1000, file_hash="0"),  # smaller hash, later name
            hr("a", 7, monthly_wage=2000),
            hr("a", 3, monthly_wage=3000),
            hr("b", 2, Q, monthly_wage=4000),
        ],
    )
    assert rows(models.run(MODEL), "person_id", "file_name", "_row", "monthly_wage") == [
        (P, "b.xlsx", 1, 1000.0),
        (Q, "b.xlsx", 2, 4000.0),
    ]


def test_unlinked_rows_are_dropped(models: Models) -> None:
    """Records linked to nobody (unmatched, review, quarantined) are not anyone's HR record."""
    models.given(
        "linked_hr",
        [
            hr("a", 1, None, method="unmatched"),
            hr("a", 2, None, method="review"),
            hr("a", 3, None, method="quarantined"),
            hr("a", 4, Q, method="fuzzy", id_status="bad_check"),
        ],
    )
    assert rows(models.run(MODEL), "person_id", "_row", "method") == [(Q, 4, "fuzzy")]


def test_the_person_is_the_linked_one_not_the_clean_layers(models: Models) -> None:
    """Through the linked_hr view (select * over clean_hr): the link's person_id replaces the clean one."""
    models.given(
        "clean_hr",
        [
            {"file_hash": "f1", "_row": 1, "person_id": None, "id_status": "bad_check",
             "monthly_wage": 1500},  # a typo linked by the matcher
            {"file_hash": "f1", "_row": 2, "person_id": Q, "id_status": "valid",
             "monthly_wage": 2500},  # valid ID, name disagreement: review, unlinked
            {"file_hash": "f_old", "_row": 1, "person_id": Q, "id_status": "valid"},
        ],
    )  # fmt: skip
    models.given("current_files", [{"source": "hr", "file_hash": "f1"}])
    models.given(
        "record_links",
        [
            {"source": "hr", "file_hash": "f1", "_row": 1, "person_id": P, "method": "fuzzy"},
            {"source": "hr", "file_hash": "f1", "_row": 2, "person_id": None, "method": "review"},
            {"source": "hr", "file_hash": "f_old", "_row": 1, "person_id": Q, "method": "exact"},
        ],
    )
    models.given("record_versions", [{"source": "hr", "file_hash": h, "_row": r, "counts": True}
                                     for h, r in (("f1", 1), ("f1", 2), ("f_old", 1))])  # fmt: skip
    models.given("files", [{"file_hash": h, "source": "hr", "file_name": f"{h}.xlsx", "records": 1,
                            "title_rows": 0, "blank_rows": 0, "total_rows": 1}
                           for h in ("f1", "f_old")])  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "person_id", "file_name", "_row", "method", "monthly_wage") == [
        (P, "f1.xlsx", 1, "fuzzy", 1500.0),
    ]
    assert frame.columns.count("person_id") == 1
