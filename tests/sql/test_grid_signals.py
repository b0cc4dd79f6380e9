"""sql/40_score/grid_signals.sql: GRID_REPORT, a grid worker's visit of the last grid_days days
(30 in the 2026 policy) whose 情况类型 is one of the policy's grid_hardship_types, on a record
linked to a member; a visit counts only up to the person's death (plan §二(四))."""

from __future__ import annotations

from typing import Any

import pytest

from .harness import Models, rows

MODEL = "40_score/grid_signals.sql"
PERSON_SIGNALS = "40_score/person_signals.sql"
HARDSHIP = ("生活困难", "患病", "残疾", "独居老人", "留守儿童")


def pid(n: int) -> str:
    return f"34110219800101{n:02d}1X"


def members(models: Models, people: list[dict[str, Any]]) -> None:
    base = {"membership": "roster", "sex": "M", "age": 70, "alive": True}
    out = []
    for i, p in enumerate(people):
        row = base | {"household_key": f"H{i}"} | p
        if row.get("death_date"):
            row["alive"] = False
        out.append(row)
    models.given("member_facts", out)


def visit(
    person: str | None, row: int, date: str, kind: str | None, **values: Any
) -> dict[str, Any]:
    return {
        "file_hash": "f_grid", "_row": row, "person_id": person, "source": "grid",
        "file_name": "网格走访.csv", "id_status": "missing", "record_hash": f"g{row}",
        "record_no": f"WG{row:04d}", "visit_date": date, "situation_type": kind,
        "grid_worker": "赵网格", "person_name": "张三", "township": "琅琊街道",
        "description": "独居，邻居王某照看，电话13812345678",
    } | values  # fmt: skip


def test_output_columns_are_the_signal_shape(models: Models) -> None:
    assert models.run(MODEL).columns == models.run(PERSON_SIGNALS).columns


def test_a_visit_of_the_last_thirty_days_raises_it_one_of_thirty_days_ago_does_not(
    models: Models,
) -> None:
    """As-of 2026-11-15: 2026-10-17 (29 days) is inside, 2026-10-16 (30 days) outside, a visit
    after the as-of date too (a date typed wrong is not yet a visit)."""
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given(
        "linked_grid",
        [
            visit(a, 1, "2026-11-15", "生活困难"),  # the as-of date itself
            visit(a, 2, "2026-10-17", "生活困难"),  # 29 days
            visit(a, 3, "2026-10-16", "生活困难"),  # 30 days: outside
            visit(a, 4, "2026-11-16", "生活困难"),  # after the as-of date
            visit(a, 5, None, "生活困难"),  # no date
        ],
    )
    assert rows(models.run(MODEL), "person_id", "code", "tier", "_row") == [
        (a, "GRID_REPORT", "orange", 1),
        (a, "GRID_REPORT", "orange", 2),
    ]


def test_the_window_is_the_policy_s_grid_days(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given("linked_grid", [visit(a, 1, "2026-10-01", "患病")])  # 45 days ago
    assert models.run(MODEL).height == 0
    import datetime as dt

    wider = models.run(MODEL, grid_since=dt.date(2026, 9, 16))  # grid_days 60
    assert rows(wider, "_row") == [(1,)]


@pytest.mark.parametrize("kind", HARDSHIP)
def test_each_hardship_type_raises_it(models: Models, kind: str) -> None:
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given("linked_grid", [visit(a, 1, "2026-11-05", kind)])
    frame = models.run(MODEL)
    assert rows(frame, "code", "tier") == [("GRID_REPORT", "orange")]
    assert frame["detail"].to_list() == [f"2026-11-05网格员走访记录：{kind}（记录编号 WG0001）"]


@pytest.mark.parametrize("kind", ["其他", "走访慰问", None])
def test_other_unknown_or_blank_types_raise_nothing(models: Models, kind: str | None) -> None:
    """其他 is not a hardship; an unknown label (kept and flagged) or a blank one is not
    guessed."""
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given("linked_grid", [visit(a, 1, "2026-11-05", kind)])
    assert models.run(MODEL).height == 0


def test_the_types_are_the_policy_s(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given(
        "linked_grid", [visit(a, 1, "2026-11-05", "其他"), visit(a, 2, "2026-11-05", "患病")]
    )
    got = models.run(MODEL, grid_hardship_types=["其他"])
    assert rows(got, "_row") == [(1,)]


def test_only_visits_linked_to_a_member_count_and_only_up_to_the_death(models: Models) -> None:
    a, dead = pid(1), pid(2)
    members(models, [{"person_id": a}, {"person_id": dead, "death_date": "2026-11-01"}])
    models.given(
        "linked_grid",
        [
            visit(None, 1, "2026-11-05", "生活困难"),  # in review or unmatched: nobody's
            visit(pid(9), 2, "2026-11-05", "生活困难"),  # a person in no household
            visit(dead, 3, "2026-10-30", "患病"),  # before the death
            visit(dead, 4, "2026-11-03", "患病"),  # after it
        ],
    )
    assert rows(models.run(MODEL), "person_id", "_row") == [(dead, 3)]


def test_the_detail_holds_neither_the_description_nor_the_grid_worker(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given("linked_grid", [visit(a, 1, "2026-11-05", "独居老人")])
    (detail,) = models.run(MODEL)["detail"].to_list()
    assert "赵网格" not in detail and "王某" not in detail and "138" not in detail


def test_person_signals_carry_the_grid_reports(models: Models) -> None:
    a = pid(1)
    members(models, [{"person_id": a}])
    models.given("linked_grid", [visit(a, 1, "2026-11-05", "留守儿童")])
    models.run(MODEL)
    assert rows(models.run(PERSON_SIGNALS), "person_id", "code", "_row") == [(a, "GRID_REPORT", 1)]
