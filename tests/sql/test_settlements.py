"""sql/40_score/settlements.sql: one row per distinct settlement of a linked person in the window."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "40_score/settlements.sql"
P = "341102198001010012"


def settlement(row: int, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "file_hash": "f1", "_row": row, "person_id": P, "id_status": "valid",
        "settlement_date": "2026-10-19", "care_type": "住院", "total_cost": None,
        "out_of_pocket": 12000, "record_hash": f"k{row}", "file_name": "医保.csv",
        "source": "medical_insurance", "method": "exact",
    }  # fmt: skip
    return base | values


def test_out_of_pocket_from_components_else_the_column(models: Models) -> None:
    models.given(
        "linked_medical_insurance",
        [
            settlement(1, total_cost=30000, basic_paid=15000, critical_paid=3000,
                       assistance_paid=2000, out_of_pocket=1),
            settlement(2, total_cost=30000, basic_paid=15000, out_of_pocket=9000),
        ],
    )  # fmt: skip
    assert rows(models.run(MODEL), "_row", "oop") == [(1, 10000.0), (2, 9000.0)]


def test_window_bounds_and_unlinked_records(models: Models) -> None:
    models.given(
        "linked_medical_insurance",
        [
            settlement(1, settlement_date="2025-11-15"),  # exactly 12 months ago: outside
            settlement(2, settlement_date="2025-11-16"),
            settlement(3, settlement_date="2026-11-16"),  # after the as-of date
            settlement(4, person_id=None),
        ],
    )
    assert rows(models.run(MODEL), "_row") == [(2,)]
