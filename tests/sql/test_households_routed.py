"""sql/40_score/households_routed.sql: living members, 绿色通道, months of 渐退, long-exited."""

from __future__ import annotations

from collections.abc import Sequence

from .harness import Models, rows

MODEL = "40_score/households_routed.sql"


def household(
    key: str, size: int, status: str | None = "在保", **values: object
) -> dict[str, object]:
    base: dict[str, object] = {
        "household_key": key, "kind": "在册对象", "membership": "roster", "size": size,
        "head_id": f"{key}-1", "county": "341102", "township": "琅琊街道",
        "township_in_reference": True, "category": "低保", "urban_rural": "城市", "status": status,
    }  # fmt: skip
    return base | values


def member(key: str, n: int, age: int, death: str | None = None) -> dict[str, object]:
    return {"household_key": key, "person_id": f"{key}-{n}", "membership": "roster", "age": age,
            "death_date": death, "alive": death is None}  # fmt: skip


def given(
    models: Models,
    households: Sequence[dict[str, object]],
    members: Sequence[dict[str, object]] = (),
    signals: Sequence[tuple[str, str]] = (),
    exits: Sequence[tuple[str, str]] = (),
) -> None:
    models.given("households", households)
    models.given("member_facts", members)
    models.given(
        "person_signals", [{"person_id": p, "code": c, "tier": "orange"} for p, c in signals]
    )
    models.given("roster_exits", [{"household_key": k, "first_seen_as_of": d} for k, d in exits])


def test_living_size_excludes_the_deceased(models: Models) -> None:
    given(
        models,
        [household("F1", 3), household("F2", 1), household("XC:H9", 2, None, membership="rural")],
        [member("F1", 1, 40), member("F1", 2, 38, "2026-10-01"), member("F1", 3, 10),
         member("F2", 1, 80, "2026-11-01")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "size", "living_size") == [
        ("F1", 3, 2),
        ("F2", 1, 0),
        ("XC:H9", 2, 2),  # rural rows nobody could link: no member record, all living
    ]


def test_size_counts_rural_rows_nobody_could_link_beside_a_deceased_member(models: Models) -> None:
    given(
        models,
        [household("XC:H1", 3, None, membership="rural")],
        [member("XC:H1", 1, 50, "2026-09-01")],
    )
    assert rows(models.run(MODEL), "living_size") == [(2,)]


def test_green_channel_for_a_living_member_aged_60_or_severely_disabled(models: Models) -> None:
    given(
        models,
        [household(k, 1) for k in ("A60", "A59", "D70", "SEV", "SEVD", "ILL", "NONE")],
        [
            member("A60", 1, 60),
            member("A59", 1, 59),
            member("D70", 1, 70, "2026-10-01"),  # a deceased 70-year-old does not count
            member("SEV", 1, 30),
            member("SEVD", 1, 30, "2026-10-01"),
            member("ILL", 1, 30),  # a major illness is no 绿色通道
        ],
        signals=[("SEV-1", "SEVERE_DISABILITY"), ("SEVD-1", "SEVERE_DISABILITY"),
                 ("ILL-1", "MAJOR_ILLNESS"), ("A59-1", "UNEMPLOYED")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "green_channel") == [
        ("A59", False),
        ("A60", True),
        ("D70", False),
        ("ILL", False),
        ("NONE", False),
        ("SEV", True),
        ("SEVD", False),
    ]


def test_exit_months_longer_with_a_vulnerable_living_member(models: Models) -> None:
    """6 with a living member aged 60+, severely disabled or seriously ill; else 3."""
    given(
        models,
        [household(k, 2) for k in ("A60", "A59", "D70", "SEV", "ILL", "ILLD", "NONE")],
        [
            member("A60", 1, 30), member("A60", 2, 60),
            member("A59", 1, 30), member("A59", 2, 59),
            member("D70", 1, 30), member("D70", 2, 70, "2026-11-15"),
            member("SEV", 1, 30), member("SEV", 2, 5),
            member("ILL", 1, 30), member("ILL", 2, 45),
            member("ILLD", 1, 30), member("ILLD", 2, 45, "2026-10-01"),
        ],
        signals=[("SEV-2", "SEVERE_DISABILITY"), ("ILL-2", "MAJOR_ILLNESS"),
                 ("ILLD-2", "MAJOR_ILLNESS")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "exit_months") == [
        ("A59", 3),
        ("A60", 6),
        ("D70", 3),
        ("ILL", 6),
        ("ILLD", 3),
        ("NONE", 3),
        ("SEV", 6),
    ]


def test_exit_months_and_green_age_are_the_policys(models: Models) -> None:
    given(models, [household("F1", 1)], [member("F1", 1, 62)])
    frame = models.run(
        MODEL, green_channel_age=65, gradual_exit_months_vulnerable=5, gradual_exit_months_default=2
    )
    assert rows(frame, "green_channel", "exit_months") == [(False, 2)]


def test_exited_long_ago_after_post_exit_months_from_the_first_run_that_saw_it(
    models: Models,
) -> None:
    """As of 2026-11-15, 24 months back is 2024-11-15: seen 退出 then, the monitoring is over."""
    given(
        models,
        [
            household("OLD", 1, "退出"),
            household("EDGE", 1, "退出"),
            household("RECENT", 1, "退出"),
            household("NOTSEEN", 1, "退出"),
            household("BACK", 1, "在保"),  # re-admitted: a stale exit record does not count
            household("XC:H1", 1, None, membership="rural", category=None),
        ],
        exits=[("OLD", "2023-01-01"), ("EDGE", "2024-11-15"), ("RECENT", "2024-11-16"),
               ("BACK", "2020-01-01"), ("XC:H1", "2020-01-01")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "exited_long_ago") == [
        ("BACK", False),
        ("EDGE", True),
        ("NOTSEEN", False),
        ("OLD", True),
        ("RECENT", False),
        ("XC:H1", False),
    ]


def test_post_exit_months_is_the_policys(models: Models) -> None:
    given(models, [household("F1", 1, "退出")], exits=[("F1", "2025-11-15")])
    assert rows(models.run(MODEL), "exited_long_ago") == [(False,)]
    assert rows(models.run(MODEL, post_exit_months=12), "exited_long_ago") == [(True,)]


def test_the_households_columns_pass_through_once(models: Models) -> None:
    given(
        models,
        [household("F1", 2, roster_monthly_income=1200, monthly_benefit=300, village="东门社区")],
        [member("F1", 1, 61), member("F1", 2, 30)],
        signals=[("F1-1", "SEVERE_DISABILITY"), ("F1-1", "SEVERE_DISABILITY")],  # two cards
        exits=[("F1", "2026-01-01")],
    )
    frame = models.run(MODEL)
    assert frame.height == 1
    assert len(set(frame.columns)) == len(frame.columns)
    assert rows(
        frame, "household_key", "size", "living_size", "head_id", "county", "township",
        "roster_monthly_income", "monthly_benefit", "village", "green_channel", "exit_months",
    ) == [("F1", 2, 2, "F1-1", "341102", "琅琊街道", 1200.0, 300.0, "东门社区", True, 6)]  # fmt: skip
