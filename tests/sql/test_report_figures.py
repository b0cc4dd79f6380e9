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


def test_signal_households_counts_households_with_a_raised_signal(models: Models) -> None:
    models.given("signals_after_dispositions", [
        {"household_key": "A", "code": "HOTLINE_HELP", "tier": "orange", "suppressed": False},
        {"household_key": "A", "code": "HOTLINE_HELP", "tier": "orange", "suppressed": False},
        {"household_key": "B", "code": "HOTLINE_HELP", "tier": "orange", "suppressed": False},
        {"household_key": "B", "code": "DROPOUT", "tier": "red", "suppressed": False},
        {"household_key": "C", "code": "DROPOUT", "tier": "red", "suppressed": True},
        {"household_key": "C", "code": "DECEASED", "tier": "review", "suppressed": True},
    ])  # fmt: skip
    assert models.query("60_report/signal_households.sql").rows() == [
        ("DROPOUT", 1), ("HOTLINE_HELP", 2),
    ]  # a code held back everywhere is not shown  # fmt: skip


def test_township_tiers_counts_warned_households_by_tier(models: Models) -> None:
    def warning(key: str, county: str, township: str, tier: str) -> dict[str, Any]:
        return {"household_key": key, "county": county, "township": township, "tier": tier,
                "score": 1.0, "codes": "X"}  # fmt: skip

    models.given("warnings_current", [
        warning("A", "341122", "半塔镇", "red"), warning("B", "341102", "琅琊街道", "orange"),
        warning("C", "341102", "琅琊街道", "orange"), warning("D", "341102", "琅琊街道", "review"),
        warning("E", "341102", "东门街道", "yellow"),
    ])  # fmt: skip
    got = models.query("60_report/township_tiers.sql")
    assert got.columns == ["county", "township", "red", "orange", "yellow", "review", "households"]
    assert got.rows() == [
        ("341102", "东门街道", 0, 0, 1, 0, 1),
        ("341102", "琅琊街道", 0, 2, 0, 1, 3),
        ("341122", "半塔镇", 1, 0, 0, 0, 1),
    ]


def test_unknown_townships_lists_the_ones_the_reference_list_lacks(models: Models) -> None:
    def household(key: str, township: str, county: str, known: bool) -> dict[str, Any]:
        return {"household_key": key, "township": township, "county": county,
                "township_in_reference": known}  # fmt: skip

    models.given("households", [
        household("A", "琅琊街道", "341102", True),
        household("B", "郎琊街道", "341102", False), household("C", "郎琊街道", "341102", False),
        household("D", "新设镇", "341122", False), household("E", "新设镇", "341125", False),
    ])  # fmt: skip
    assert models.query("60_report/unknown_townships.sql").rows() == [
        ("新设镇", "341122", 1), ("新设镇", "341125", 1), ("郎琊街道", "341102", 2),
    ]  # fmt: skip


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
