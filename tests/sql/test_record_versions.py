"""sql/30_link/record_versions.sql: a record delivered twice counts once; a re-sent record with
changed content supersedes the earlier one, and both are marked."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "30_link/record_versions.sql"


def given(models: Models, records: list[tuple[str, str, int, str, str]]) -> None:
    """records: (source, file_hash, row, record_hash, content_hash)."""
    models.given(
        "files",
        [
            {"file_hash": "a", "source": "hotline", "file_name": "工单_11月.csv",
             "first_run_id": "2026-11-01", "records": 2, "title_rows": 0, "blank_rows": 0,
             "total_rows": 3},
            {"file_hash": "b", "source": "hotline", "file_name": "工单_11月_补发.xlsx",
             "first_run_id": "2026-11-15", "records": 3, "title_rows": 0, "blank_rows": 0,
             "total_rows": 4},
            {"file_hash": "c", "source": "hotline", "file_name": "a_earlier_name.csv",
             "first_run_id": "2026-11-15", "records": 1, "title_rows": 0, "blank_rows": 0,
             "total_rows": 2},
        ],
    )  # fmt: skip
    models.given(
        "records_current",
        [
            {"source": s, "file_hash": f, "_row": r, "record_hash": k, "content_hash": c,
             "id_status": "valid"}
            for s, f, r, k, c in records
        ],
    )  # fmt: skip


def test_a_re_sent_file_counts_its_old_records_once_and_its_new_ones(models: Models) -> None:
    given(
        models,
        [
            ("hotline", "a", 1, "t1", "x1"),
            ("hotline", "a", 2, "t2", "x2"),
            ("hotline", "b", 1, "t1", "x1"),
            ("hotline", "b", 2, "t2", "x2"),
            ("hotline", "b", 3, "t3", "x3"),  # the added ticket
        ],
    )
    assert rows(models.run(MODEL), "file_hash", "_row", "counts", "version") == [
        ("a", 1, False, "duplicate"),
        ("a", 2, False, "duplicate"),
        ("b", 1, True, "current"),
        ("b", 2, True, "current"),
        ("b", 3, True, "current"),
    ]


def test_changed_content_supersedes_and_is_marked(models: Models) -> None:
    given(models, [("hotline", "a", 1, "t1", "old"), ("hotline", "b", 1, "t1", "new")])
    assert rows(models.run(MODEL), "file_hash", "counts", "version") == [
        ("a", False, "superseded"),
        ("b", True, "revised"),
    ]


def test_within_one_delivery_the_content_hash_decides_not_the_name(models: Models) -> None:
    # c is named a_earlier_name.csv, b 工单_11月_补发.xlsx: names do not matter
    given(models, [("hotline", "c", 1, "t1", "x"), ("hotline", "b", 1, "t1", "x")])
    assert rows(models.run(MODEL), "file_hash", "counts") == [("b", False), ("c", True)]


def test_within_a_file_the_first_row_counts_and_sources_do_not_mix(models: Models) -> None:
    given(
        models,
        [
            ("hotline", "a", 1, "k", "x"),
            ("hotline", "a", 2, "k", "x"),
            ("emergency", "a", 3, "k", "x"),  # same key text in another source: another record
        ],
    )
    assert rows(models.run(MODEL), "source", "_row", "counts") == [
        ("emergency", 3, True),
        ("hotline", 1, True),
        ("hotline", 2, False),
    ]


def test_quarantined_records_have_no_version(models: Models) -> None:
    models.given("files", [{"file_hash": "a", "source": "hotline", "file_name": "f.csv",
                            "first_run_id": "2026-11-15", "records": 1, "title_rows": 0,
                            "blank_rows": 0, "total_rows": 1}])  # fmt: skip
    models.given(
        "records_current",
        [{"source": "hotline", "file_hash": "a", "_row": 1, "record_hash": "k",
          "id_status": "missing", "quarantine_reason": "无法使用"}],
    )  # fmt: skip
    assert models.run(MODEL).height == 0


def test_in_a_snapshot_source_only_an_identical_copy_is_the_same_record(models: Models) -> None:
    given(
        models,
        [
            ("housing", "a", 1, "head", "rural house"),
            ("housing", "b", 1, "head", "urban house"),  # one head, two houses: two facts
            ("housing", "b", 2, "head", "urban house"),  # exported twice
        ],
    )
    assert rows(models.run(MODEL), "file_hash", "_row", "counts", "version") == [
        ("a", 1, True, "current"),
        ("b", 1, True, "current"),
        ("b", 2, False, "duplicate"),
    ]
