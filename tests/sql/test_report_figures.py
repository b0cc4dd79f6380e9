"""sql/60_report/*.sql: the report's figures, each a small query of the state (counts only)."""

from __future__ import annotations

from typing import Any

from .harness import RUN_ID, Models

EARLIER = "2026-10-15"


def delivery(source: str, name: str, digest: str, outcome: str, records: int | None,
             run_id: str = RUN_ID, reason: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"run_id": run_id, "source": source, "file_name": name, "file_hash": digest,
            "outcome": outcome, "records": records, "reason": reason}  # fmt: skip


def file(
    digest: str, records: int, title: int = 0, blank: int = 0, total: int = 0
) -> dict[str, Any]:
    return {"file_hash": digest, "source": "x", "file_name": "x", "records": records,
            "title_rows": title, "blank_rows": blank, "total_rows": total}  # fmt: skip


def test_run_policy_file(models: Models) -> None:
    model = "60_report/run_policy_file.sql"
    models.given("runs", [
        {"run_id": RUN_ID, "as_of": RUN_ID, "started_at": f"{RUN_ID} 02:00", "status": "running",
         "policy_file": "/etc/monitor/policy/2026.yaml"},
        {"run_id": EARLIER, "as_of": EARLIER, "started_at": f"{EARLIER} 02:00",
         "status": "completed", "policy_file": "/old/2026.yaml"},
    ])  # fmt: skip
    assert models.query(model).rows() == [("/etc/monitor/policy/2026.yaml",)]
    assert models.query(model, run_id="2026-01-01").height == 0


def test_signal_households_counts_households_by_the_signals_tier(models: Models) -> None:
    def signal(key: str, code: str, tier: str, suppressed: bool = False) -> dict[str, Any]:
        return {"household_key": key, "code": code, "tier": tier, "suppressed": suppressed}

    models.given("signals_after_dispositions", [
        signal("A", "HOTLINE_HELP", "orange"), signal("A", "HOTLINE_HELP", "orange"),
        signal("B", "HOTLINE_HELP", "orange"), signal("B", "DROPOUT", "red"),
        signal("C", "HOTLINE_HELP", "yellow"),
        signal("D", "MAJOR_ILLNESS", "orange"), signal("D", "MAJOR_ILLNESS", "red"),  # 2 members
        signal("E", "MAJOR_ILLNESS", "review"),
        signal("F", "DROPOUT", "red", suppressed=True), signal("F", "DECEASED", "review", True),
    ])  # fmt: skip
    got = models.query("60_report/signal_households.sql")
    assert got.columns == ["code", "households", "red", "orange", "yellow", "review"]
    assert got.rows() == [
        ("HOTLINE_HELP", 3, 0, 2, 1, 0),  # the most frequent first
        ("MAJOR_ILLNESS", 2, 1, 0, 0, 1),  # a household at its highest tier of the signal
        ("DROPOUT", 1, 1, 0, 0, 0),  # a code held back everywhere (DECEASED) is not shown
    ]


COUNTIES = [{"code": "341102", "county": "341102", "name": "琅琊区"},
            {"code": "341122", "county": "341122", "name": "来安县"},
            {"code": "342322", "county": "341122", "name": "来安县"}]  # a former code  # fmt: skip


def warning(key: str, county: str, township: str, tier: str) -> dict[str, Any]:
    return {"household_key": key, "county": county, "township": township, "tier": tier,
            "score": 1.0, "codes": "X"}  # fmt: skip


def test_county_tiers_counts_warned_households_by_county_name(models: Models) -> None:
    models.given("city_counties", COUNTIES)
    models.given("warnings_current", [
        warning("A", "341122", "半塔镇", "red"), warning("B", "341102", "琅琊街道", "orange"),
        warning("C", "341102", "琅琊街道", "orange"), warning("D", "341102", "琅琊街道", "review"),
        warning("E", "341102", "东门街道", "yellow"), warning("F", "342322", "待分派", "red"),
        warning("G", "110101", "待分派", "yellow"), warning("H", "310101", "待分派", "red"),
    ])  # fmt: skip
    got = models.query("60_report/county_tiers.sql")
    assert got.columns == ["county", "county_code", "red", "orange", "yellow", "review",
                           "households"]  # fmt: skip
    assert got.rows() == [
        ("琅琊区", "341102", 0, 2, 1, 1, 4),
        ("来安县", "341122", 2, 0, 0, 0, 2),  # its former code's household too
        ("市外", None, 1, 0, 1, 0, 2),  # two counties of other cities, last
    ]


def test_township_tiers_counts_warned_households_by_tier(models: Models) -> None:
    models.given("city_counties", COUNTIES)
    models.given("warnings_current", [
        warning("A", "341122", "半塔镇", "red"), warning("B", "341102", "琅琊街道", "orange"),
        warning("C", "341102", "琅琊街道", "orange"), warning("D", "341102", "琅琊街道", "review"),
        warning("E", "341102", "东门街道", "yellow"), warning("F", "110101", "待分派", "red"),
    ])  # fmt: skip
    got = models.query("60_report/township_tiers.sql")
    assert got.columns == ["county", "township", "county_code", "red", "orange", "yellow",
                           "review", "households"]  # fmt: skip
    assert [r[:2] + r[3:] for r in got.rows()] == [
        ("琅琊区", "东门街道", 0, 0, 1, 0, 1),
        ("琅琊区", "琅琊街道", 0, 2, 0, 1, 3),
        ("来安县", "半塔镇", 1, 0, 0, 0, 1),
        ("市外", "待分派", 1, 0, 0, 0, 1),
    ]


def test_unknown_townships_lists_the_ones_the_reference_list_lacks(models: Models) -> None:
    def household(key: str, township: str, county: str, known: bool) -> dict[str, Any]:
        return {"household_key": key, "township": township, "county": county,
                "township_in_reference": known}  # fmt: skip

    models.given("city_counties", COUNTIES)
    models.given("households", [
        household("A", "琅琊街道", "341102", True),
        household("B", "郎琊街道", "341102", False), household("C", "郎琊街道", "341102", False),
        household("D", "新设镇", "341122", False), household("E", "新设镇", "341125", False),
    ])  # fmt: skip
    assert models.query("60_report/unknown_townships.sql").rows() == [
        ("新设镇", "市外", 1), ("新设镇", "来安县", 1), ("郎琊街道", "琅琊区", 2),
    ]  # by county name; 341125 is not in this test's list  # fmt: skip


def test_file_balance_counts_each_files_records_by_method(models: Models) -> None:
    model = "60_report/file_balance.sql"
    models.given("deliveries", [
        delivery("hotline", "工单.csv", "h1", "loaded", 4),
        delivery("roster", "名单.xlsx", "r1", "skipped", None),  # known: the ledger's counts
        delivery("education", "学籍.csv", "e1", "failed", 3),  # every record quarantined
        delivery("hotline", ".~lock.工单.csv#", "", "skipped", None, reason="锁文件"),
        delivery("hotline", "旧.csv", "h0", "loaded", 1, run_id=EARLIER),
    ])  # fmt: skip
    models.given("files", [file("h1", 4, title=1, blank=2, total=1), file("r1", 2, total=0),
                           file("h0", 1)])  # fmt: skip
    links = [("hotline", "h1", 1, "exact"), ("hotline", "h1", 2, "fuzzy"),
             ("hotline", "h1", 3, "quarantined"), ("hotline", "h1", 4, "review"),
             ("roster", "r1", 1, "repaired"), ("roster", "r1", 2, "unmatched"),
             ("education", "e1", 1, "exact")]  # a failed file's links are not counted  # fmt: skip
    models.given("record_links", [{"source": s, "file_hash": f, "_row": r, "method": m}
                                  for s, f, r, m in links])  # fmt: skip
    got = models.query(model)
    assert got.columns == [
        "source", "file_name", "outcome", "records", "exact", "repaired", "fuzzy", "review",
        "unmatched", "quarantined", "title_rows", "blank_rows", "total_rows", "not_read",
    ]  # fmt: skip
    assert got.rows() == [
        ("education", "学籍.csv", "failed", 3, 0, 0, 0, 0, 0, 3, 0, 0, 0, False),
        ("hotline", ".~lock.工单.csv#", "skipped", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, True),
        ("hotline", "工单.csv", "loaded", 4, 1, 0, 1, 1, 0, 1, 1, 2, 1, False),
        ("roster", "名单.xlsx", "skipped", 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, False),
    ]


def test_failed_unread_and_empty_files(models: Models) -> None:
    models.given("deliveries", [
        delivery("roster", "b.xlsx", "", "failed", None, reason="无法读取"),
        delivery("hotline", "a.csv", "", "failed", 2, reason="缺少必需列"),
        delivery("hotline", ".hidden", "", "skipped", None, reason="隐藏文件"),
        delivery("hotline", "known.csv", "k1", "skipped", None),  # skipped as known: it was read
        delivery("hr", "empty.csv", "z1", "loaded", 0, reason="只有表头"),
        delivery("hr", "known_empty.csv", "z0", "skipped", None),  # the ledger says 0 records
        delivery("hr", "full.csv", "f1", "loaded", 5),
        delivery("hr", "old.csv", "", "failed", None, run_id=EARLIER, reason="x"),
    ])  # fmt: skip
    models.given("files", [file("k1", 3), file("z1", 0), file("z0", 0), file("f1", 5)])
    assert models.query("60_report/failed_files.sql").rows() == [
        ("hotline", "a.csv", "缺少必需列"), ("roster", "b.xlsx", "无法读取"),
    ]  # fmt: skip
    assert models.query("60_report/unread_files.sql").rows() == [("hotline", ".hidden", "隐藏文件")]
    assert models.query("60_report/empty_files.sql").rows() == [
        ("hr", "empty.csv", "只有表头"), ("hr", "known_empty.csv", None),
    ]  # fmt: skip


def test_source_methods_counts_current_records_by_method(models: Models) -> None:
    links = [("roster", "exact"), ("roster", "exact"), ("roster", "repaired"),
             ("hotline", "fuzzy"), ("hotline", "review"), ("hotline", "unmatched"),
             ("hotline", "quarantined")]  # fmt: skip
    models.given("record_links", [{"source": s, "file_hash": "f", "_row": i, "method": m}
                                  for i, (s, m) in enumerate(links)])  # fmt: skip
    got = models.query("60_report/source_methods.sql")
    assert got.columns == ["source", "exact", "repaired", "fuzzy", "review", "unmatched",
                           "quarantined", "records"]  # fmt: skip
    assert got.rows() == [("hotline", 0, 0, 1, 1, 1, 1, 4), ("roster", 2, 1, 0, 0, 0, 0, 3)]


def test_match_calibration_by_parameter(models: Models) -> None:
    models.given("match_calibration", [{"parameter": "u_name", "value": 0.001},
                                       {"parameter": "m_name", "value": 0.95},
                                       {"parameter": "lambda", "value": 1e-6}])  # fmt: skip
    assert models.query("60_report/match_calibration.sql").rows() == [
        ("lambda", 1e-6), ("m_name", 0.95), ("u_name", 0.001),
    ]  # fmt: skip


def test_failed_expectations_of_this_runs_files(models: Models) -> None:
    def validation(digest: str, expectation: str, column: str, unexpected: int, success: bool,
                   error: str | None = None) -> dict[str, Any]:  # fmt: skip
        return {"file_hash": digest, "expectation": expectation, "column_name": column,
                "element_count": 10, "unexpected_count": unexpected, "success": success,
                "error": error}  # fmt: skip

    models.given("deliveries", [delivery("hotline", "b.csv", "h2", "loaded", 10),
                                delivery("hotline", "a.csv", "h1", "skipped", None),
                                delivery("hr", "old.csv", "h0", "loaded", 10, run_id=EARLIER)])  # fmt: skip
    models.given("validations", [
        validation("h1", "not_null", "id_number", 2, False),
        validation("h1", "bad_date", "call_time", 1, False, error="GX disagreed"),
        validation("h1", "bad_phone", "phone", 0, True),  # held: not listed
        validation("h2", "bad_date", "call_time", 3, False),
        validation("h0", "bad_date", "call_time", 3, False),  # an earlier run's file
    ])  # fmt: skip
    assert models.query("60_report/failed_expectations.sql").rows() == [
        ("hotline", "a.csv", "bad_date", "call_time", 1, 10, True),
        ("hotline", "a.csv", "not_null", "id_number", 2, 10, False),
        ("hotline", "b.csv", "bad_date", "call_time", 3, 10, False),
    ]


def test_record_flags_counts_each_flag_of_the_current_records(models: Models) -> None:
    flags = [("roster", "bad_phone;future_date:enrolled_date"), ("roster", "bad_phone"),
             ("hotline", "bad_phone"), ("hotline", None)]  # fmt: skip
    models.given("records_current", [{"source": s, "file_hash": "f", "_row": i, "flags": f,
                                      "id_status": "valid"}
                                     for i, (s, f) in enumerate(flags)])  # fmt: skip
    assert models.query("60_report/record_flags.sql").rows() == [
        ("hotline", "bad_phone", 1),
        ("roster", "bad_phone", 2),
        ("roster", "future_date:enrolled_date", 1),
    ]


def test_last_deliveries_is_each_sources_latest_run_with_data_records(models: Models) -> None:
    models.given("deliveries", [
        delivery("roster", "a.xlsx", "r1", "loaded", 3, run_id="2026-09-15"),
        delivery("roster", "a.xlsx", "r1", "skipped", None, run_id=EARLIER),  # known: counts
        delivery("roster", "b.xlsx", "", "failed", 3),  # failed: no delivery
        delivery("hotline", "h.csv", "h1", "loaded", 2, run_id="2026-09-15"),
        delivery("hotline", "empty.csv", "z1", "loaded", 0),  # a header only: no delivery
        delivery("hr", "hr.csv", "e1", "loaded", 1),
        delivery("housing", "later.csv", "l1", "loaded", 1, run_id="2026-12-15"),  # after
    ])  # fmt: skip
    models.given("files", [file("r1", 3), file("h1", 2), file("z1", 0), file("e1", 1),
                           file("l1", 1)])  # fmt: skip
    got = models.query("60_report/last_deliveries.sql")
    assert got.columns == ["source", "last_run_id"]
    assert sorted(got.rows()) == [("hotline", "2026-09-15"), ("hr", RUN_ID), ("roster", EARLIER)]


def test_quarantine_reasons_are_each_sources_three_most_frequent(models: Models) -> None:
    reasons = [("roster", "无姓名"), ("roster", "无姓名"), ("roster", "无证件"),
               ("roster", "字段过长"), ("roster", "字段过长"), ("roster", "字段过长"),
               ("roster", "乙"), ("roster", None), ("hotline", "无姓名")]  # fmt: skip
    models.given("records_current", [{"source": s, "file_hash": "f", "_row": i,
                                      "quarantine_reason": r, "id_status": "missing"}
                                     for i, (s, r) in enumerate(reasons)])  # fmt: skip
    assert models.query("60_report/quarantine_reasons.sql").rows() == [
        ("hotline", "无姓名", 1, 1),
        ("roster", "字段过长", 3, 1),
        ("roster", "无姓名", 2, 2),
        ("roster", "乙", 1, 3),  # a tie of 1 ordered by the reason: 乙 before 无证件
    ]
