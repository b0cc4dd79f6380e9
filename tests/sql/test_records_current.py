"""sql/30_link/: the per-source templates (records_current, raw_ids, linked_<source>), the
linked records and the count of records by linking method."""

from __future__ import annotations

from monitor.engine import source_context

from .harness import Models, rows

RECORDS = "30_link/records_current.sql"
RAW_IDS = "30_link/raw_ids.sql"
LINKED = "30_link/linked_source.sql"
LINKED_ALL = "30_link/linked_records.sql"
METHODS = "30_link/link_methods.sql"
P = "341102198001010010"


def clean(row: int, file_hash: str = "f1", **values: object) -> dict[str, object]:
    return {"file_hash": file_hash, "_row": row, "person_id": P, "id_status": "valid",
            "name_key": "张三", "record_hash": f"r{row}"} | values  # fmt: skip


def test_records_current_takes_every_source_in_one_shape(models: Models) -> None:
    """One part per contract: the source's name column becomes name, its township column
    township (null for a source without one, medical insurance)."""
    models.given("current_files", [{"source": "hr", "file_hash": "f1"},
                                   {"source": "medical_insurance", "file_hash": "m1"},
                                   {"source": "grid", "file_hash": "g1"}])  # fmt: skip
    models.given("clean_hr", [clean(1, person_name="张三", township="琅琊街道")])
    models.given("clean_medical_insurance", [clean(7, "m1", insured_name="李四")])
    models.given("clean_grid", [clean(3, "g1", person_name="王五", township="扬子街道",
                                      grid_worker="赵网格")])  # fmt: skip
    got = models.run(RECORDS)
    assert rows(got, "source", "_row", "name", "township", "record_hash") == [
        ("grid", 3, "王五", "扬子街道", "r3"),
        ("hr", 1, "张三", "琅琊街道", "r1"),
        ("medical_insurance", 7, "李四", None, "r7"),
    ]
    assert {s["source"] for s in source_context()} == {
        "roster", "education", "hr", "housing", "health", "medical_insurance", "emergency",
        "rural", "disability", "hotline", "grid",
    }  # fmt: skip


def test_records_current_keeps_only_current_files_of_the_same_source(models: Models) -> None:
    """A file no longer current, or current for another source, brings no records."""
    models.given("current_files", [{"source": "hr", "file_hash": "f2"},
                                   {"source": "education", "file_hash": "f1"}])  # fmt: skip
    models.given("clean_hr", [clean(1), clean(2, "f2")])
    assert rows(models.run(RECORDS), "source", "file_hash", "_row") == [("hr", "f2", 2)]


def test_raw_ids_are_the_id_cells_as_read_of_every_source(models: Models) -> None:
    """The ID column of each source (the disability card's number too), exactly as read."""
    models.given("raw_hr", [{"file_hash": "f1", "_row": 1, "id_number": " 34110219800101001x"}])
    models.given("raw_disability", [{"file_hash": "d1", "_row": 4, "card_number": "34110219800101001011"}])  # fmt: skip
    got = models.run(RAW_IDS)
    assert rows(got, "source", "_row", "id_text") == [
        ("disability", 4, "34110219800101001011"),
        ("hr", 1, " 34110219800101001x"),
    ]


def linked_hr(models: Models) -> list[tuple[object, ...]]:
    hr = next(s for s in source_context() if s["source"] == "hr")
    models.engine.build(LINKED, name="linked_hr", context={"source": hr})
    return rows(models.table("linked_hr"), "_row", "person_id", "method", "source", "file_name")


def test_linked_source_is_the_counted_version_with_the_linked_person(models: Models) -> None:
    """Linking's person replaces the clean layer's; a version that does not count (a copy
    delivered again) and a record of a file no longer current are left out."""
    models.given("current_files", [{"source": "hr", "file_hash": "f1"}])
    models.given("files", [{"file_hash": "f1", "source": "hr", "file_name": "人社.xlsx",
                            "records": 3, "title_rows": 0, "blank_rows": 0, "total_rows": 3},
                           {"file_hash": "f0", "source": "hr", "file_name": "旧.xlsx",
                            "records": 1, "title_rows": 0, "blank_rows": 0, "total_rows": 1}])  # fmt: skip
    models.given("clean_hr", [clean(1, person_id="stale"), clean(2), clean(3), clean(1, "f0")])
    link = {"source": "hr", "file_hash": "f1"}
    models.given("record_links", [link | {"_row": 1, "person_id": P, "method": "fuzzy"},
                                  link | {"_row": 2, "person_id": P, "method": "exact"},
                                  link | {"_row": 3, "person_id": P, "method": "exact"},
                                  {"source": "hr", "file_hash": "f0", "_row": 1,
                                   "person_id": P, "method": "exact"}])  # fmt: skip
    models.given("record_versions", [link | {"_row": 1, "counts": True},
                                     link | {"_row": 2, "counts": True},
                                     link | {"_row": 3, "counts": False},
                                     {"source": "hr", "file_hash": "f0", "_row": 1,
                                      "counts": True}])  # fmt: skip
    assert linked_hr(models) == [
        (1, P, "fuzzy", "hr", "人社.xlsx"),
        (2, P, "exact", "hr", "人社.xlsx"),
    ]


def test_linked_records_and_counts_by_method(models: Models) -> None:
    """Every current record with its linked person (none when unmatched); counts per method."""
    records = [{"source": "hr", "file_hash": "f1", "_row": r, "id_status": "valid",
                "person_id": "clean-layer"} for r in (1, 2, 3)]  # fmt: skip
    models.given("records_current", records)
    models.given("record_links", [
        {"source": "hr", "file_hash": "f1", "_row": 1, "person_id": P, "method": "exact"},
        {"source": "hr", "file_hash": "f1", "_row": 2, "person_id": P, "method": "exact"},
        {"source": "hr", "file_hash": "f1", "_row": 3, "person_id": None, "method": "unmatched"},
    ])  # fmt: skip
    assert rows(models.run(LINKED_ALL), "_row", "person_id") == [(1, P), (2, P), (3, None)]
    assert rows(models.query(METHODS), "method", "records") == [("exact", 2), ("unmatched", 1)]
