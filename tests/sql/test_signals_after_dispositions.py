"""sql/40_score/signals_after_dispositions.sql: a caseworker's 已核实-* disposition of a
household's signal suppresses it for suppress_days (90) unless it got worse since, judged
against what the disposition stored: a higher tier, a larger amount, a lower per-capita income
(渐退/退出: a higher one), a new evidence record. 无法联系 and 其他 suppress nothing."""

from __future__ import annotations

from typing import Any

from monitor.signals import CATALOG, TIER_RANKS

from .harness import Models, rows

MODEL = "40_score/signals_after_dispositions.sql"
DECIDED = "2026-10-01"


class Case:
    """One household signal as it is now (household_signals and signal_summary)."""

    def __init__(self, household: str, code: str, tier: str = "orange",
                 amount: float | None = None, keys: list[str] | None = None,
                 last_delivered: str | None = None, rows_: int = 1) -> None:  # fmt: skip
        self.household, self.code, self.tier, self.amount = household, code, tier, amount
        self.keys, self.last_delivered, self.rows = keys, last_delivered, rows_


def now(models: Models, cases: list[Case]) -> None:
    models.given(
        "household_signals",
        [{"household_key": c.household, "code": c.code, "tier": c.tier, "amount": c.amount,
          "person_id": "34110219800101011X", "source": "x", "file_hash": "f", "_row": r,
          "file_name": "x.csv", "detail": f"{c.code} {r}"}
         for c in cases for r in range(1, c.rows + 1)],
    )  # fmt: skip
    models.given(
        "signal_summary",
        [{"household_key": c.household, "code": c.code, "tier": c.tier,
          "tier_rank": TIER_RANKS[c.tier], "worse": CATALOG[c.code].worse, "amount": c.amount,
          "evidence_keys": c.keys, "last_delivered": c.last_delivered} for c in cases],
    )  # fmt: skip


def disposition(household: str, code: str, outcome: str = "已核实-已救助",
                decided_on: str = DECIDED, tier: str | None = "orange",
                amount: float | None = None, keys: list[str] | None = None,
                recorded_at: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"household_key": household, "code": code, "outcome": outcome,
            "decided_on": decided_on, "tier": tier, "amount": amount, "evidence_keys": keys,
            "recorded_at": recorded_at or f"{decided_on} 18:00:00"}  # fmt: skip


def judged(models: Models, **overrides: Any) -> list[tuple[Any, ...]]:
    frame = models.run(MODEL, **overrides)
    return rows(frame, "household_key", "code", "suppressed", "worse_since_disposition",
                "disposition", "disposed_on")  # fmt: skip


def flags(models: Models) -> dict[str, tuple[bool, bool]]:
    """household -> (suppressed, worse_since_disposition) (one code per household)."""
    return {k: (s, w) for k, _, s, w, _, _ in judged(models)}


def test_output_columns_are_the_signal_plus_the_judgement(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "household_key", "person_id", "code", "tier", "amount", "event_date", "source",
        "file_hash", "file_name", "_row", "detail", "suppressed", "worse_since_disposition",
        "disposition", "disposed_on",
    ]  # fmt: skip


def test_the_signals_own_tier_and_amount_not_the_dispositions(models: Models) -> None:
    # dispositions has tier and amount columns too: the output keeps the signal's
    now(models, [Case("A", "MED_OOP_HIGH", "red", 60000)])
    models.given("dispositions", [disposition("A", "MED_OOP_HIGH", tier="orange", amount=25000)])
    assert rows(models.run(MODEL), "tier", "amount", "suppressed", "worse_since_disposition") == [
        ("red", 60000.0, False, True)
    ]


def test_verified_recently_suppresses_other_outcomes_do_not(models: Models) -> None:
    outcomes = ["已核实-已救助", "已核实-不符合条件", "已核实-已纳入低保", "无法联系", "其他"]
    now(models, [Case(f"H{i}", "DISASTER") for i in range(len(outcomes))])
    models.given(
        "dispositions", [disposition(f"H{i}", "DISASTER", o) for i, o in enumerate(outcomes)]
    )
    assert judged(models) == [
        ("H0", "DISASTER", True, False, "已核实-已救助", DECIDED),
        ("H1", "DISASTER", True, False, "已核实-不符合条件", DECIDED),
        ("H2", "DISASTER", True, False, "已核实-已纳入低保", DECIDED),
        ("H3", "DISASTER", False, False, "无法联系", DECIDED),
        ("H4", "DISASTER", False, False, "其他", DECIDED),
    ]


def test_suppression_lasts_suppress_days(models: Models) -> None:
    days = {"A": "2026-08-17", "B": "2026-08-18", "C": "2026-11-15", "D": "2025-11-15"}
    now(models, [Case(k, "DISASTER") for k in days])
    models.given(
        "dispositions", [disposition(k, "DISASTER", decided_on=d) for k, d in days.items()]
    )
    # 90 days before 2026-11-15 is 2026-08-17: no longer suppressed; a decision of the as-of day is
    assert flags(models) == {
        "A": (False, False),
        "B": (True, False),
        "C": (True, False),
        "D": (False, False),
    }
    assert {k: s for k, _, s, *_ in judged(models, suppress_days=30)} == {
        "A": False, "B": False, "C": True, "D": False,
    }  # fmt: skip


def test_a_decision_after_the_as_of_date_is_ignored(models: Models) -> None:
    now(models, [Case("A", "DISASTER"), Case("B", "DISASTER")])
    models.given(
        "dispositions",
        [
            disposition("A", "DISASTER", decided_on="2026-11-16"),
            disposition("B", "DISASTER", decided_on="2026-10-01"),
            disposition("B", "DISASTER", "无法联系", decided_on="2026-11-20"),  # not yet
        ],
    )
    assert judged(models) == [
        ("A", "DISASTER", False, False, None, None),
        ("B", "DISASTER", True, False, "已核实-已救助", "2026-10-01"),
    ]


def test_the_latest_disposition_counts(models: Models) -> None:
    now(models, [Case(k, "HOTLINE_HELP") for k in "ABCD"])
    models.given(
        "dispositions",
        [
            # a verification, then the family could not be reached: nothing suppressed
            disposition("A", "HOTLINE_HELP", decided_on="2026-10-01"),
            disposition("A", "HOTLINE_HELP", "无法联系", decided_on="2026-10-10"),
            # could not be reached, then verified
            disposition("B", "HOTLINE_HELP", "无法联系", decided_on="2026-10-01"),
            disposition("B", "HOTLINE_HELP", decided_on="2026-10-10"),
            # the same day: the one recorded last
            disposition("C", "HOTLINE_HELP", decided_on="2026-10-10", recorded_at="2026-10-11 09:00:00"),
            disposition("C", "HOTLINE_HELP", "其他", decided_on="2026-10-10", recorded_at="2026-10-11 10:00:00"),
            disposition("D", "HOTLINE_HELP", "其他", decided_on="2026-10-10", recorded_at="2026-10-11 10:00:00"),
            disposition("D", "HOTLINE_HELP", decided_on="2026-10-10", recorded_at="2026-10-12 09:00:00"),
        ],
    )  # fmt: skip
    assert judged(models) == [
        ("A", "HOTLINE_HELP", False, False, "无法联系", "2026-10-10"),
        ("B", "HOTLINE_HELP", True, False, "已核实-已救助", "2026-10-10"),
        ("C", "HOTLINE_HELP", False, False, "其他", "2026-10-10"),
        ("D", "HOTLINE_HELP", True, False, "已核实-已救助", "2026-10-10"),
    ]


def test_a_disposition_applies_to_its_household_and_signal_only(models: Models) -> None:
    now(models, [Case("A", "DISASTER"), Case("A", "HOTLINE_HELP"), Case("B", "DISASTER")])
    models.given("dispositions", [disposition("A", "DISASTER")])
    assert judged(models) == [
        ("A", "DISASTER", True, False, "已核实-已救助", DECIDED),
        ("A", "HOTLINE_HELP", False, False, None, None),
        ("B", "DISASTER", False, False, None, None),
    ]


def test_every_row_of_a_suppressed_signal_is_suppressed(models: Models) -> None:
    now(models, [Case("A", "DISASTER", rows_=3)])
    models.given("dispositions", [disposition("A", "DISASTER")])
    assert rows(models.run(MODEL), "_row", "suppressed") == [(1, True), (2, True), (3, True)]


def test_worse_is_a_higher_tier_never_a_lower_one(models: Models) -> None:
    now(models, [Case("A", "DISASTER", "red"), Case("B", "DISASTER", "orange"),
                 Case("C", "DISASTER", "yellow"), Case("D", "DISASTER", "red")])  # fmt: skip
    models.given(
        "dispositions",
        [
            disposition("A", "DISASTER", tier="orange"),
            disposition("B", "DISASTER", tier="orange"),
            disposition("C", "DISASTER", tier="orange"),
            disposition("D", "DISASTER", tier=None),  # stored without a tier: not compared
        ],
    )
    assert flags(models) == {
        "A": (False, True),
        "B": (True, False),
        "C": (True, False),
        "D": (True, False),
    }


def test_a_worse_signal_after_an_outcome_that_suppresses_nothing_is_not_flagged(
    models: Models,
) -> None:
    now(models, [Case("A", "DISASTER", "red")])
    models.given("dispositions", [disposition("A", "DISASTER", "无法联系", tier="orange")])
    assert flags(models) == {"A": (False, False)}


def test_amount_signals_worse_with_a_larger_amount(models: Models) -> None:
    now(
        models,
        [
            Case("A", "MED_OOP_HIGH", amount=30000),
            Case("B", "MED_OOP_HIGH", amount=25000),
            Case("C", "MED_OOP_HIGH", amount=20000),
            Case("D", "MED_OOP_HIGH", amount=30000),
            Case("E", "ASSETS_REVIEW", "review", amount=3),
        ],
    )
    models.given(
        "dispositions",
        [
            disposition("A", "MED_OOP_HIGH", amount=25000),
            disposition("B", "MED_OOP_HIGH", amount=25000),
            disposition("C", "MED_OOP_HIGH", amount=25000),
            disposition("D", "MED_OOP_HIGH", amount=None),  # nothing to compare with
            disposition("E", "ASSETS_REVIEW", tier="review", amount=2),
        ],
    )
    assert flags(models) == {
        "A": (False, True),
        "B": (True, False),
        "C": (True, False),
        "D": (True, False),
        "E": (False, True),
    }


def test_income_signals_worse_with_a_lower_per_capita_income(models: Models) -> None:
    now(
        models,
        [
            Case("A", "INCOME_BELOW_STANDARD", amount=450),
            Case("B", "INCOME_BELOW_STANDARD", amount=700),  # higher: stays suppressed
            Case("C", "INCOME_BELOW_STANDARD", amount=600),
            Case("D", "INCOME_EDGE", "yellow", amount=850),
            Case("E", "INCOME_EDGE", "yellow", amount=1100),
            Case("F", "INCOME_DROP", "yellow", amount=900),
            Case("G", "INCOME_BELOW_STANDARD", amount=None),
        ],
    )
    models.given(
        "dispositions",
        [
            disposition("A", "INCOME_BELOW_STANDARD", amount=600),
            disposition("B", "INCOME_BELOW_STANDARD", amount=600),
            disposition("C", "INCOME_BELOW_STANDARD", amount=600),
            disposition("D", "INCOME_EDGE", tier="yellow", amount=1000),
            disposition("E", "INCOME_EDGE", tier="yellow", amount=1000),
            disposition("F", "INCOME_DROP", tier="yellow", amount=2000),
            disposition("G", "INCOME_BELOW_STANDARD", amount=600),  # unknown now: not lower
        ],
    )
    assert flags(models) == {
        "A": (False, True),
        "B": (True, False),
        "C": (True, False),
        "D": (False, True),
        "E": (True, False),
        "F": (False, True),
        "G": (True, False),
    }


def test_exit_signals_worse_with_a_higher_per_capita_income(models: Models) -> None:
    now(
        models,
        [
            Case("A", "INCOME_EXIT", "review", amount=1900),
            Case("B", "INCOME_EXIT", "review", amount=1650),
            Case("C", "INCOME_ABOVE_STANDARD", "review", amount=1000),
            Case("D", "INCOME_ABOVE_STANDARD", "review", amount=850),
        ],
    )
    models.given(
        "dispositions",
        [
            disposition("A", "INCOME_EXIT", tier="review", amount=1700),
            disposition("B", "INCOME_EXIT", tier="review", amount=1700),
            disposition("C", "INCOME_ABOVE_STANDARD", tier="review", amount=900),
            disposition("D", "INCOME_ABOVE_STANDARD", tier="review", amount=900),
        ],
    )
    assert flags(models) == {
        "A": (False, True),
        "B": (True, False),
        "C": (False, True),
        "D": (True, False),
    }


def test_event_signals_worse_only_with_a_record_not_in_the_dispositions_evidence(
    models: Models,
) -> None:
    now(
        models,
        [
            Case("A", "HOTLINE_HELP", keys=["hotline:T1"], last_delivered="2026-11-10"),  # re-sent
            Case("B", "HOTLINE_HELP", keys=["hotline:T1", "hotline:T2"]),  # a new ticket
            Case("C", "HOTLINE_HELP", keys=["hotline:T2"]),  # another ticket
            Case("D", "HOTLINE_HELP", keys=None),  # no keyed evidence now
            Case("E", "DISASTER", keys=["emergency:E1"]),
            Case("F", "DROPOUT", "red", keys=["education:P1-2026"]),
        ],
    )
    models.given(
        "dispositions",
        [
            disposition("A", "HOTLINE_HELP", keys=["hotline:T1"]),
            disposition("B", "HOTLINE_HELP", keys=["hotline:T1"]),
            disposition("C", "HOTLINE_HELP", keys=["hotline:T1"]),
            disposition("D", "HOTLINE_HELP", keys=["hotline:T1"]),
            disposition("E", "DISASTER", keys=["emergency:E0", "emergency:E1"]),  # fewer now
            disposition("F", "DROPOUT", tier="red", keys=["education:P1-2025"]),
        ],
    )
    assert flags(models) == {
        "A": (True, False),
        "B": (False, True),
        "C": (False, True),
        "D": (True, False),
        "E": (True, False),
        "F": (False, True),
    }


def test_a_disposition_without_keys_judges_events_by_their_first_delivery(models: Models) -> None:
    now(
        models,
        [
            Case("A", "HOTLINE_HELP", keys=["hotline:T1"], last_delivered="2026-10-05"),
            Case("B", "HOTLINE_HELP", keys=["hotline:T1"], last_delivered="2026-09-30"),
            Case("C", "HOTLINE_HELP", keys=["hotline:T1"], last_delivered=DECIDED),  # same day
            Case("D", "HOTLINE_HELP", keys=None, last_delivered=None),
        ],
    )
    models.given("dispositions", [disposition(k, "HOTLINE_HELP", keys=None) for k in "ABCD"])
    assert flags(models) == {
        "A": (False, True),
        "B": (True, False),
        "C": (True, False),
        "D": (True, False),
    }


def test_a_worse_tier_counts_for_an_event_signal_with_the_same_record(models: Models) -> None:
    now(models, [Case("A", "DISASTER", "red", keys=["emergency:E1"])])
    models.given(
        "dispositions", [disposition("A", "DISASTER", tier="orange", keys=["emergency:E1"])]
    )
    assert flags(models) == {"A": (False, True)}


def test_signals_without_a_disposition_are_neither(models: Models) -> None:
    now(models, [Case("A", "DISASTER"), Case("B", "INCOME_BELOW_STANDARD", amount=600)])
    models.given("dispositions", [])
    assert judged(models) == [
        ("A", "DISASTER", False, False, None, None),
        ("B", "INCOME_BELOW_STANDARD", False, False, None, None),
    ]


def test_an_answer_to_a_later_runs_workbook_supersedes_an_earlier_runs(models: Models) -> None:
    """A workbook of a later run supersedes one of an earlier run, whatever the dates written
    in them; within one run the later 核实日期 wins."""
    now(models, [Case("H1", "DROPOUT"), Case("H2", "DROPOUT")])
    models.given("dispositions", [
        # H1: the October run's answer carries a later date, but November's run is later
        disposition("H1", "DROPOUT", "已核实-已救助", "2026-11-10") | {"issued_run_id": "2026-10-15"},
        disposition("H1", "DROPOUT", "无法联系", "2026-11-05") | {"issued_run_id": "2026-11-15"},
        # H2: two answers to the same run: the later date wins
        disposition("H2", "DROPOUT", "无法联系", "2026-11-12") | {"issued_run_id": "2026-11-15"},
        disposition("H2", "DROPOUT", "已核实-已救助", "2026-11-13") | {"issued_run_id": "2026-11-15"},
    ])  # fmt: skip
    got = {r[0]: (r[2], r[4]) for r in judged(models)}
    assert got == {"H1": (False, "无法联系"), "H2": (True, "已核实-已救助")}
