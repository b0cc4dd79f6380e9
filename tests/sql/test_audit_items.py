"""sql/80_analyst/audit_items.sql: the decisions the supervision sample draws from (the latest
run's warnings, the dispositions of the audit window, whether each holds a signal back);
sql/80_analyst/audit_members.sql: the sampled households' members."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from .harness import AS_OF, Models, rows

MODEL = "80_analyst/audit_items.sql"


def disposition(key: str, code: str, outcome: str, on: str, caseworker: str | None = "王芳",
                note: str | None = None, run: str | None = "2026-11-15") -> dict[str, Any]:  # fmt: skip
    return {"household_key": key, "code": code, "outcome": outcome, "decided_on": on,
            "caseworker": caseworker, "note": note, "issued_run_id": run,
            "recorded_at": f"{on} 10:00:00"}  # fmt: skip


def given(models: Models) -> None:
    models.given("warnings_current", [
        {"household_key": "W1", "county": "341102", "township": "琅琊街道", "village": "东门社区",
         "tier": "red", "codes": "DROPOUT;MED_OOP_HIGH"},
        {"household_key": "D3", "county": "341122", "township": "新安镇", "tier": "yellow",
         "codes": "UNEMPLOYED"},
    ])  # fmt: skip
    models.given("dispositions", [
        # one decision, two signals: one item; one signal is held back now
        disposition("D1", "DROPOUT", "已核实-不符合条件", "2026-11-10", note="已上门"),
        disposition("D1", "HOTLINE_HELP", "已核实-不符合条件", "2026-11-10"),
        disposition("D2", "DROPOUT", "已核实-已救助", "2026-11-01", caseworker=None),
        disposition("D3", "UNEMPLOYED", "无法联系", "2026-11-12"),
        # the window: 90 days up to the as-of date
        disposition("D4", "DROPOUT", "已核实-已救助", "2026-08-18"),  # 89 days before: in
        disposition("D5", "DROPOUT", "已核实-已救助", "2026-08-17"),  # 90 days before: out
        disposition("D6", "DROPOUT", "已核实-已救助", "2026-11-16"),  # after the as-of date
        # a household the run no longer knows: routed where its workbook sent it
        disposition("D7", "DROPOUT", "其他", "2026-11-02", run="2026-10-15"),
    ])  # fmt: skip
    models.given("signals_after_dispositions", [
        {"household_key": "D1", "code": "DROPOUT", "suppressed": True,
         "disposition": "已核实-不符合条件", "disposed_on": "2026-11-10"},
        {"household_key": "D1", "code": "HOTLINE_HELP", "suppressed": False},
        # held back by a later decision than the one drawn: not this decision's
        {"household_key": "D2", "code": "DROPOUT", "suppressed": True,
         "disposition": "已核实-已救助", "disposed_on": "2026-11-05"},
    ])  # fmt: skip
    models.given("households_routed", [
        {"household_key": k, "county": c, "township": t, "village": v}
        for k, c, t, v in (("D1", "341102", "琅琊街道", "西门社区"), ("D2", "341102", "东门街道", None),
                           ("D3", "341122", "新安镇", None), ("D4", "341102", "琅琊街道", None))
    ])  # fmt: skip
    models.given("issued_signals", [
        {"run_id": "2026-10-15", "household_key": "D7", "code": "DROPOUT", "county": "341103",
         "township": "乌衣镇"},
    ])  # fmt: skip


def test_warnings_and_the_windows_decisions_one_item_each(models: Models) -> None:
    given(models)
    got = models.query(MODEL, as_of=AS_OF, window_days=90)
    assert got.columns == ["item", "kind", "household_key", "county", "township", "village",
                           "codes", "tier", "outcome", "caseworker", "decided_on", "note",
                           "suppressed"]  # fmt: skip
    assert rows(got, "item", "kind", "county", "township", "codes", "tier", "outcome",
                "caseworker", "decided_on", "suppressed") == [
        ("D:D1:2026-11-10", "核实结果", "341102", "琅琊街道", "DROPOUT;HOTLINE_HELP", None,
         "已核实-不符合条件", "王芳", "2026-11-10", True),
        ("D:D2:2026-11-01", "核实结果", "341102", "东门街道", "DROPOUT", None, "已核实-已救助",
         None, "2026-11-01", False),
        ("D:D3:2026-11-12", "核实结果", "341122", "新安镇", "UNEMPLOYED", None, "无法联系", "王芳",
         "2026-11-12", False),
        ("D:D4:2026-08-18", "核实结果", "341102", "琅琊街道", "DROPOUT", None, "已核实-已救助", "王芳",
         "2026-08-18", False),
        ("D:D7:2026-11-02", "核实结果", "341103", "乌衣镇", "DROPOUT", None, "其他", "王芳",
         "2026-11-02", False),
        ("W:D3", "预警", "341122", "新安镇", "UNEMPLOYED", "yellow", None, None, "2026-11-15", False),
        ("W:W1", "预警", "341102", "琅琊街道", "DROPOUT;MED_OOP_HIGH", "red", None, None,
         "2026-11-15", False),
    ]  # fmt: skip
    # by county, township, item
    assert got["item"].to_list()[:3] == ["D:D2:2026-11-01", "D:D1:2026-11-10", "D:D4:2026-08-18"]
    assert got.filter(pl.col("item") == "D:D1:2026-11-10")["note"].to_list() == ["已上门"]


def test_a_shorter_window_keeps_fewer_decisions(models: Models) -> None:
    given(models)
    got = models.query(MODEL, as_of=dt.date(2026, 11, 15), window_days=6)  # from 11-10 on
    assert sorted(got["item"]) == ["D:D1:2026-11-10", "D:D3:2026-11-12", "W:D3", "W:W1"]


def test_the_sampled_households_members_the_warned_first(models: Models) -> None:
    models.given("household_members", [
        {"household_key": "H1", "person_id": "P1"}, {"household_key": "H1", "person_id": "P2"},
        {"household_key": "H2", "person_id": "P3"}, {"household_key": "H3", "person_id": "P4"},
    ])  # fmt: skip
    models.given("records_current", [
        {"source": "roster", "file_hash": "f", "_row": i, "person_id": p, "id_status": "valid",
         "name": n, "phone_norm": t}
        for i, p, n, t in ((1, "P1", "张三", "13800000001"), (2, "P2", "李四", None),
                           (3, "P3", "王五", None))
    ])  # fmt: skip
    models.engine.build("50_publish/people.sql")
    models.given("warnings_current", [{"household_key": "H1", "member_ids": "P2"}])
    keys = pl.DataFrame({"household_key": ["H1", "H2"]})
    with models.engine.registered("audit_households", keys):
        got = models.query("80_analyst/audit_members.sql")
    assert got.rows() == [
        ("H1", "P2", "李四", None, True),
        ("H1", "P1", "张三", "13800000001", False),
        ("H2", "P3", "王五", None, False),  # not warned now (a disposition's household)
    ]
