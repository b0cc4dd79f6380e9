"""sql/50_publish/links.sql: one row per data record of every file delivered in this run — a
loaded or skipped file's records as linking decided them, with their version, every record of
a failed file quarantined — in the sources' canonical order, then file and row."""

from __future__ import annotations

from typing import Any

from .harness import RUN_ID, Models

MODEL = "50_publish/links.sql"


def delivery(source: str, name: str, digest: str, outcome: str, records: int | None,
             run_id: str = RUN_ID) -> dict[str, Any]:  # fmt: skip
    return {"run_id": run_id, "source": source, "file_name": name, "file_hash": digest,
            "outcome": outcome, "records": records}  # fmt: skip


def file(source: str, name: str, digest: str, records: int) -> dict[str, Any]:
    return {"file_hash": digest, "source": source, "file_name": name, "records": records,
            "title_rows": 0, "blank_rows": 0, "total_rows": records + 1}  # fmt: skip


def link(source: str, digest: str, row: int, person: str | None, method: str,
         score: float | None = None) -> dict[str, Any]:  # fmt: skip
    return {"source": source, "file_hash": digest, "_row": row, "person_id": person,
            "method": method, "score": score}  # fmt: skip


def given(models: Models) -> None:
    models.given("deliveries", [
        delivery("hotline", "工单.csv", "h1", "loaded", 2),
        delivery("roster", "低收入人口库.xlsx", "r1", "skipped", None),  # known: the ledger counts
        delivery("education", "学籍.csv", "", "failed", 2),
        delivery("hr", "hr.csv", "", "failed", None),  # unreadable: no record to list
        delivery("hotline", "旧工单.csv", "h0", "loaded", 1, run_id="2026-10-15"),  # another run
    ])  # fmt: skip
    models.given("files", [file("hotline", "工单.csv", "h1", 2),
                           file("roster", "低收入人口库.xlsx", "r1", 2),
                           file("hotline", "旧工单.csv", "h0", 1)])  # fmt: skip
    models.given("record_links", [
        link("hotline", "h1", 2, None, "unmatched"),
        link("hotline", "h1", 1, "P1", "fuzzy", 0.97),
        link("roster", "r1", 1, "P2", "exact"),
        link("roster", "r1", 2, None, "quarantined"),
        link("hotline", "h0", 1, "P3", "exact"),  # an event file of an earlier run
    ])  # fmt: skip
    models.given("record_versions", [
        {"source": "hotline", "file_hash": "h1", "_row": 1, "counts": True, "version": "current"},
        {"source": "hotline", "file_hash": "h1", "_row": 2, "counts": False,
         "version": "duplicate"},
        {"source": "roster", "file_hash": "r1", "_row": 1, "counts": True, "version": "current"},
    ])  # fmt: skip


def test_every_record_of_this_runs_files_in_source_order_then_file_then_row(
    models: Models,
) -> None:
    given(models)
    got = models.query(MODEL)
    assert got.columns == ["source", "file", "row", "person_id", "method", "score", "version"]
    assert got.rows() == [
        # roster before education before hotline: the contracts' order, not the alphabet's
        ("roster", "低收入人口库.xlsx", 1, "P2", "exact", None, "current"),
        ("roster", "低收入人口库.xlsx", 2, None, "quarantined", None, None),
        ("education", "学籍.csv", 1, None, "quarantined", None, None),
        ("education", "学籍.csv", 2, None, "quarantined", None, None),
        ("hotline", "工单.csv", 1, "P1", "fuzzy", 0.97, "current"),
        ("hotline", "工单.csv", 2, None, "unmatched", None, "duplicate"),
    ]


def test_a_file_delivered_under_two_names_lists_its_records_under_each(models: Models) -> None:
    """The same bytes twice in a folder (a copy): the balance holds for each file."""
    models.given("deliveries", [delivery("hotline", "a.csv", "h1", "loaded", 1),
                                delivery("hotline", "b.csv", "h1", "skipped", 1)])  # fmt: skip
    models.given("files", [file("hotline", "a.csv", "h1", 1)])
    models.given("record_links", [link("hotline", "h1", 1, "P1", "exact")])
    assert models.query(MODEL).select("file", "row", "person_id").rows() == [
        ("a.csv", 1, "P1"),
        ("b.csv", 1, "P1"),
    ]
