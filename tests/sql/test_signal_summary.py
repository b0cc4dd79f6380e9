"""sql/40_score/signal_summary.sql: one row per (household, signal), what a disposition is
taken on and later compared with: the highest tier, the amount in the direction that means
worse for the signal (signal_catalog.worse), the sorted distinct keys of its evidence."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "40_score/signal_summary.sql"


def signal(household: str, code: str, tier: str, amount: float | None = None,
           row: int = 1) -> dict[str, Any]:  # fmt: skip
    return {"household_key": household, "code": code, "tier": tier, "amount": amount,
            "person_id": "34110219800101011X", "file_hash": "f", "_row": row,
            "source": "x", "detail": f"{code} {row}"}  # fmt: skip


def evidence(household: str, code: str, key: str | None, delivered: str) -> dict[str, Any]:
    return {"household_key": household, "code": code, "record_key": key,
            "first_delivered": delivered, "source": "x", "file_hash": "f"}  # fmt: skip


def test_output_columns(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "household_key", "code", "tier", "tier_rank", "worse", "amount", "evidence_keys",
        "last_delivered",
    ]  # fmt: skip


def test_one_row_per_household_and_code_with_the_highest_tier(models: Models) -> None:
    models.given(
        "household_signals",
        [
            signal("A", "DISASTER", "orange", row=1),
            signal("A", "DISASTER", "red", row=2),
            signal("A", "DISASTER", "orange", row=3),
            signal("A", "HOTLINE_HELP", "orange"),
            signal("B", "DISASTER", "orange"),
            signal("B", "DECEASED", "review"),
            signal("B", "UNEMPLOYED", "yellow"),
        ],
    )
    assert rows(models.run(MODEL), "household_key", "code", "tier", "tier_rank", "worse") == [
        ("A", "DISASTER", "red", 1, "new_record"),
        ("A", "HOTLINE_HELP", "orange", 2, "new_record"),
        ("B", "DECEASED", "review", 4, "new_record"),
        ("B", "DISASTER", "orange", 2, "new_record"),
        ("B", "UNEMPLOYED", "yellow", 3, "new_record"),
    ]


def test_amount_in_the_direction_that_means_worse(models: Models) -> None:
    models.given(
        "household_signals",
        [
            # amount_up: the largest out-of-pocket, properties
            signal("A", "MED_OOP_HIGH", "orange", 23000),
            signal("A", "MED_OOP_HIGH", "orange", 25000, row=2),
            signal("A", "ASSETS_REVIEW", "review", 2),
            signal("A", "ASSETS_REVIEW", "review", 3, row=2),
            # income_down: the lowest per-capita income (or wage)
            signal("A", "INCOME_BELOW_STANDARD", "orange", 600),
            signal("A", "INCOME_BELOW_STANDARD", "orange", 450.5, row=2),
            signal("A", "INCOME_DROP", "yellow", 900),
            signal("A", "INCOME_DROP", "yellow", 1200, row=2),
            # income_up: the highest income above the line (渐退, 退出)
            signal("A", "INCOME_EXIT", "review", 1700),
            signal("A", "INCOME_EXIT", "review", 1800, row=2),
            signal("A", "INCOME_ABOVE_STANDARD", "review", 900),
            signal("A", "INCOME_ABOVE_STANDARD", "review", 1000, row=2),
        ],
    )
    assert rows(models.run(MODEL), "code", "worse", "amount") == [
        ("ASSETS_REVIEW", "amount_up", 3.0),
        ("INCOME_ABOVE_STANDARD", "income_up", 1000.0),
        ("INCOME_BELOW_STANDARD", "income_down", 450.5),
        ("INCOME_DROP", "income_down", 900.0),
        ("INCOME_EXIT", "income_up", 1800.0),
        ("MED_OOP_HIGH", "amount_up", 25000.0),
    ]


def test_an_unknown_amount_is_not_zero(models: Models) -> None:
    models.given(
        "household_signals",
        [
            signal("A", "INCOME_BELOW_STANDARD", "orange", None),
            signal("A", "INCOME_BELOW_STANDARD", "orange", 600, row=2),
            signal("A", "DISASTER", "orange", None),
            signal("A", "DISASTER", "orange", 12000, row=2),
            signal("A", "HOTLINE_HELP", "orange", None),
            signal("B", "INCOME_BELOW_STANDARD", "orange", 0),  # a known 0 is the lowest
            signal("B", "INCOME_BELOW_STANDARD", "orange", 300, row=2),
        ],
    )
    assert rows(models.run(MODEL), "household_key", "code", "amount") == [
        ("A", "DISASTER", 12000.0),
        ("A", "HOTLINE_HELP", None),
        ("A", "INCOME_BELOW_STANDARD", 600.0),
        ("B", "INCOME_BELOW_STANDARD", 0.0),
    ]


def test_evidence_keys_sorted_distinct_and_the_last_delivery(models: Models) -> None:
    models.given(
        "household_signals",
        [signal("A", "HOTLINE_HELP", "orange"), signal("A", "HOTLINE_HELP", "orange", row=2),
         signal("A", "INCOME_EDGE", "yellow", 1000), signal("B", "HOTLINE_HELP", "orange")],
    )  # fmt: skip
    models.given(
        "signal_evidence",
        [
            evidence("A", "HOTLINE_HELP", "hotline:T9", "2026-10-01"),
            evidence("A", "HOTLINE_HELP", "hotline:T10", "2026-11-01"),
            evidence("A", "HOTLINE_HELP", "hotline:T9", "2026-11-10"),  # re-sent: one key
            evidence("A", "HOTLINE_HELP", None, "2026-11-14"),  # no key: not compared
            evidence("A", "INCOME_EDGE", None, "2026-11-15"),  # an income signal: no record
            evidence("B", "HOTLINE_HELP", "hotline:T1", "2026-09-01"),
            evidence("C", "HOTLINE_HELP", "hotline:T2", "2026-09-01"),  # no such signal
        ],
    )
    assert rows(models.run(MODEL), "household_key", "code", "evidence_keys", "last_delivered") == [
        ("A", "HOTLINE_HELP", ["hotline:T10", "hotline:T9"], "2026-11-10"),
        ("A", "INCOME_EDGE", None, None),
        ("B", "HOTLINE_HELP", ["hotline:T1"], "2026-09-01"),
    ]
