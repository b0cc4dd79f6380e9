"""sql/40_score/signal_evidence.sql: one row per evidence record of a household's signal:
every settlement of the window for MED_OOP_HIGH, the signal's own record otherwise; each with
its identity across deliveries (source:record_hash) and the date it was first delivered."""

from __future__ import annotations

from typing import Any

from .harness import Models, rows

MODEL = "40_score/signal_evidence.sql"
HEAD, SPOUSE, OTHER = "34110219800101011X", "34110219820101022X", "34110219700101031X"


def signal(household: str, code: str, person: str, file_hash: str | None, row: int | None,
           source: str | None, **values: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "household_key": household, "code": code, "person_id": person, "tier": "orange",
        "file_hash": file_hash, "_row": row, "source": source,
        "file_name": None if file_hash is None else f"{file_hash}.csv",
        "detail": f"{code} {row}",
    } | values  # fmt: skip


def settlement(person: str, file_hash: str, row: int, oop: float, **values: Any) -> dict[str, Any]:
    return {
        "person_id": person, "record_hash": f"s{row}", "file_hash": file_hash,
        "settlement_date": "2026-10-01", "care_type": "住院", "source": "medical_insurance",
        "file_name": f"{file_hash}.csv", "_row": row, "oop": oop,
    } | values  # fmt: skip


def file(file_hash: str, source: str, first_run_id: str | None) -> dict[str, Any]:
    return {"file_hash": file_hash, "source": source, "file_name": f"{file_hash}.csv",
            "first_run_id": first_run_id, "records": 1, "title_rows": 0, "blank_rows": 0,
            "total_rows": 1}  # fmt: skip


def version(source: str, file_hash: str, row: int, record_hash: str) -> dict[str, Any]:
    return {"source": source, "file_hash": file_hash, "_row": row, "record_hash": record_hash,
            "counts": True, "version": "current"}  # fmt: skip


def household_s01(models: Models) -> None:
    models.given(
        "household_members",
        [{"person_id": HEAD, "household_key": "S01", "membership": "roster"},
         {"person_id": SPOUSE, "household_key": "S01", "membership": "roster"},
         {"person_id": OTHER, "household_key": "S02", "membership": "roster"}],
    )  # fmt: skip


def test_output_columns(models: Models) -> None:
    assert models.run(MODEL).columns == [
        "household_key", "code", "person_id", "source", "file_hash", "file_name", "_row",
        "amount", "event_date", "detail", "record_key", "first_delivered",
    ]  # fmt: skip


def test_med_oop_lists_every_settlement_of_the_households_members(models: Models) -> None:
    household_s01(models)
    # the signal cites the largest settlement; the evidence is every one that went into the sum
    models.given("household_signals", [signal("S01", "MED_OOP_HIGH", SPOUSE, "m2", 1,
                                              "medical_insurance", amount=23000)])  # fmt: skip
    models.given(
        "settlements",
        [
            settlement(HEAD, "m1", 3, 9000, care_type="门诊慢特病"),
            settlement(SPOUSE, "m2", 1, 16000, settlement_date="2026-09-15"),
            settlement(HEAD, "m1", 4, -2000),  # a refund that went into the sum
            settlement(OTHER, "m1", 5, 30000),  # another household's
        ],
    )
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "code", "person_id", "file_hash", "_row", "amount", "event_date") == [
        ("S01", "MED_OOP_HIGH", HEAD, "m1", 3, 9000.0, "2026-10-01"),
        ("S01", "MED_OOP_HIGH", HEAD, "m1", 4, -2000.0, "2026-10-01"),
        ("S01", "MED_OOP_HIGH", SPOUSE, "m2", 1, 16000.0, "2026-09-15"),
    ]  # fmt: skip
    assert rows(frame, "_row", "detail") == [
        (1, "2026-09-15住院结算，个人自付 16,000 元"),
        (3, "2026-10-01门诊慢特病结算，个人自付 9,000 元"),
        (4, "2026-10-01住院结算，个人自付 -2,000 元"),
    ]


def test_other_signals_cite_their_own_record(models: Models) -> None:
    household_s01(models)
    models.given(
        "household_signals",
        [
            signal("S01", "HOTLINE_HELP", HEAD, "t1", 3, "hotline", event_date="2026-11-05"),
            signal("S01", "HOTLINE_HELP", HEAD, "t2", 1, "hotline", event_date="2026-11-10"),
            signal("S01", "DECEASED", SPOUSE, "d1", 2, "health", tier="review"),
        ],
    )
    # a settlement of the household is not evidence of anything but MED_OOP_HIGH
    models.given("settlements", [settlement(HEAD, "m1", 1, 30000)])
    frame = models.run(MODEL)
    assert rows(frame, "code", "person_id", "source", "file_hash", "_row", "event_date", "detail") == [
        ("DECEASED", SPOUSE, "health", "d1", 2, None, "DECEASED 2"),
        ("HOTLINE_HELP", HEAD, "hotline", "t1", 3, "2026-11-05", "HOTLINE_HELP 3"),
        ("HOTLINE_HELP", HEAD, "hotline", "t2", 1, "2026-11-10", "HOTLINE_HELP 1"),
    ]  # fmt: skip


def test_an_income_signal_is_its_own_evidence_without_a_record(models: Models) -> None:
    household_s01(models)
    # computed from several sources: no record of its own, its computation in the detail
    models.given(
        "household_signals",
        [signal("S01", "INCOME_BELOW_STANDARD", HEAD, None, None, "roster", amount=600,
                detail="家庭月收入 1,000 元（登记收入），1 人，人均 600 元/月")],
    )  # fmt: skip
    models.given("record_versions", [version("roster", "r1", 1, "S01")])
    assert rows(models.run(MODEL), "code", "source", "file_hash", "_row", "amount", "detail", "record_key") == [
        ("INCOME_BELOW_STANDARD", "roster", None, None, 600.0,
         "家庭月收入 1,000 元（登记收入），1 人，人均 600 元/月", None),
    ]  # fmt: skip


def test_record_key_is_source_and_record_hash_of_the_records_version(models: Models) -> None:
    household_s01(models)
    models.given(
        "household_signals",
        [
            signal("S01", "HOTLINE_HELP", HEAD, "t1", 3, "hotline"),
            signal(
                "S01", "DISASTER", HEAD, "t1", 3, "emergency"
            ),  # same file and row, other source
            signal("S01", "DROPOUT", SPOUSE, "e1", 7, "education"),  # no version known
            signal("S01", "MED_OOP_HIGH", HEAD, "m1", 1, "medical_insurance"),
        ],
    )
    models.given("settlements", [settlement(HEAD, "m1", 1, 30000)])
    models.given(
        "record_versions",
        [version("hotline", "t1", 3, "T2026-001"), version("emergency", "t1", 3, "E9"),
         version("hotline", "t1", 4, "T2026-002"), version("medical_insurance", "m1", 1, "S1")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "code", "record_key") == [
        ("DISASTER", "emergency:E9"),
        ("DROPOUT", None),
        ("HOTLINE_HELP", "hotline:T2026-001"),
        ("MED_OOP_HIGH", "medical_insurance:S1"),
    ]


def test_first_delivered_is_the_files_first_run_else_the_as_of_date(models: Models) -> None:
    household_s01(models)
    models.given(
        "household_signals",
        [
            signal("S01", "HOTLINE_HELP", HEAD, "t1", 1, "hotline"),
            signal("S01", "DISASTER", HEAD, "x1", 1, "emergency"),  # no files row
            signal("S01", "DROPOUT", SPOUSE, "e1", 1, "education"),  # unreadable run id
        ],
    )
    models.given(
        "files",
        [file("t1", "hotline", "2026-10-20"), file("e1", "education", "manual")],
    )
    assert rows(models.run(MODEL), "code", "first_delivered", "file_name") == [
        ("DISASTER", "2026-11-15", "x1.csv"),
        ("DROPOUT", "2026-11-15", "e1.csv"),
        ("HOTLINE_HELP", "2026-10-20", "t1.csv"),
    ]


def test_a_settlement_is_listed_once_per_signal(models: Models) -> None:
    household_s01(models)
    models.given(
        "household_signals",
        [signal("S01", "MED_OOP_HIGH", HEAD, "m1", 1, "medical_insurance"),
         signal("S01", "MED_ASSIST_MISSING", HEAD, "m1", 1, "medical_insurance", tier="yellow")],
    )  # fmt: skip
    models.given(
        "settlements", [settlement(HEAD, "m1", 1, 30000), settlement(SPOUSE, "m1", 2, 500)]
    )
    models.given("files", [file("m1", "medical_insurance", "2026-10-02")])
    models.given("record_versions", [version("medical_insurance", "m1", 1, "S1"),
                                     version("medical_insurance", "m1", 2, "S2")])  # fmt: skip
    assert rows(models.run(MODEL), "code", "_row", "record_key", "first_delivered") == [
        ("MED_ASSIST_MISSING", 1, "medical_insurance:S1", "2026-10-02"),
        ("MED_OOP_HIGH", 1, "medical_insurance:S1", "2026-10-02"),
        ("MED_OOP_HIGH", 2, "medical_insurance:S2", "2026-10-02"),
    ]
