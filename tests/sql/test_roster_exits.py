"""sql/40_score/roster_exits_*.sql: the first as-of date a roster household was seen 退出."""

from __future__ import annotations

from .harness import AS_OF, Models, rows

FORGET = "40_score/roster_exits_forget.sql"
REMEMBER = "40_score/roster_exits_remember.sql"


def test_a_household_first_seen_exited_gets_this_as_of_date(models: Models) -> None:
    """A new 退出 household is remembered at this as-of date; one already remembered keeps its
    earlier date; a household on the rolls is not remembered."""
    models.given("households", [{"household_key": "H1", "status": "退出"},
                                {"household_key": "H2", "status": "退出"},
                                {"household_key": "H3", "status": "在保"}])  # fmt: skip
    models.given("roster_exits", [{"household_key": "H2", "first_seen_as_of": "2026-09-15"}])
    models.statement(FORGET)
    models.statement(REMEMBER)
    assert rows(models.table("roster_exits"), "household_key", "first_seen_as_of") == [
        ("H1", AS_OF.isoformat()),
        ("H2", "2026-09-15"),
    ]


def test_a_household_back_on_the_rolls_or_gone_is_forgotten(models: Models) -> None:
    """Back to 在保, or no longer in the roster at all: its exit date is forgotten, so a
    later exit starts a new grace period."""
    models.given("households", [{"household_key": "H1", "status": "在保"}])
    models.given("roster_exits", [{"household_key": "H1", "first_seen_as_of": "2026-09-15"},
                                  {"household_key": "H9", "first_seen_as_of": "2026-08-15"}])  # fmt: skip
    models.statement(FORGET)
    models.statement(REMEMBER)
    assert models.table("roster_exits").height == 0
