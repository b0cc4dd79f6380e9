"""sql/50_publish/warning_count.sql and warned_households.sql: the run's warned households."""

from __future__ import annotations

from .harness import Models, rows


def test_warned_households_and_their_count(models: Models) -> None:
    """Every household of warnings_current once, with where it is and its tier; the count."""
    models.given("warnings_current", [
        {"household_key": "H1", "county": "341102", "township": "琅琊街道", "tier": "red",
         "member_ids": "A;B"},
        {"household_key": "H2", "county": "341103", "township": None, "tier": "review"},
    ])  # fmt: skip
    assert rows(models.query("50_publish/warned_households.sql"),
                "household_key", "county", "township", "tier", "member_ids") == [
        ("H1", "341102", "琅琊街道", "red", "A;B"), ("H2", "341103", None, "review", None),
    ]  # fmt: skip
    assert rows(models.query("50_publish/warning_count.sql"), "households") == [(2,)]
    models.given("warnings_current", [])
    assert rows(models.query("50_publish/warning_count.sql"), "households") == [(0,)]
