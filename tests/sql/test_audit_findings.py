"""sql/70_feedback/record_audit_finding.sql and same_audit_finding.sql: a returned audit
workbook's finding stored once; sql/60_report/audit_findings.sql: per township, the sampled
decisions checked and how many were confirmed, by each item's latest finding."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .harness import RUN_ID, Models


def finding(item: str, finding: str, on: str, township: str = "琅琊街道",
            county: str = "341102", run: str = RUN_ID, note: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"run_id": run, "item": item, "household_key": item.split(":")[1], "county": county,
            "township": township, "checker_county": "341103", "kind": "预警",
            "decision": "红色预警", "decided_on": dt.date(2026, 11, 15), "finding": finding,
            "checked_on": dt.date.fromisoformat(on), "checker": "李检", "note": note,
            "seed": "s", "workbook_hash": "h"}  # fmt: skip


def test_a_finding_is_stored_and_the_same_one_is_known(models: Models) -> None:
    row = finding("W:H1", "决定正确", "2026-11-20")
    same = {k: row[k] for k in ("run_id", "item", "finding", "checked_on", "checker", "note")}
    assert models.engine.value("70_feedback/same_audit_finding.sql", same) == 0
    models.engine.run("70_feedback/record_audit_finding.sql", row)
    assert models.engine.value("70_feedback/same_audit_finding.sql", same) == 1
    # another finding, date or note is a new answer
    for change in ({"finding": "决定有误"}, {"checked_on": dt.date(2026, 11, 21)},
                   {"note": "补充"}, {"run_id": "2026-12-15"}):  # fmt: skip
        assert models.engine.value("70_feedback/same_audit_finding.sql", same | change) == 0
    stored = models.table("audit_findings")
    assert stored.height == 1 and stored["recorded_at"][0] is not None
    assert stored.row(0, named=True)["checker_county"] == "341103"


def test_per_township_checked_and_confirmed_by_the_latest_finding(models: Models) -> None:
    models.given("city_counties", [{"code": "341102", "county": "341102", "name": "琅琊区"},
                                   {"code": "341122", "county": "341122", "name": "来安县"}])  # fmt: skip
    for row in [
        finding("W:H1", "决定有误", "2026-11-18"),
        finding("W:H1", "决定正确", "2026-11-20"),  # the latest counts
        finding("W:H2", "决定有误", "2026-11-20"),
        finding("D:H3:2026-11-10", "无法核实", "2026-11-20"),
        finding("W:H4", "决定正确", "2026-11-20", "新安镇", "341122"),
        finding("W:H5", "决定正确", "2026-11-20", "某镇", "110101"),
        finding("W:H6", "决定正确", "2026-12-20", run="2026-12-15"),
    ]:
        models.engine.run("70_feedback/record_audit_finding.sql", row)
    got = models.query("60_report/audit_findings.sql", run_id=RUN_ID)
    assert got.columns == ["county", "township", "county_code", "checked", "confirmed", "wrong",
                           "unverified"]  # fmt: skip
    assert got.select("county", "township", "checked", "confirmed", "wrong", "unverified").rows() == [
        ("琅琊区", "琅琊街道", 3, 1, 1, 1),
        ("来安县", "新安镇", 1, 1, 0, 0),
        ("市外", "某镇", 1, 1, 0, 0),  # a later run's sample is not counted
    ]  # fmt: skip
