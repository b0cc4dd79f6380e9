"""sql/30_link/person_names.sql: per person, each name as written on their ID-bearing records."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "30_link/person_names.sql"
P = "341102198001010010"
Q = "341102198001010029"


def record(row: int, source: str = "hr", **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": source, "file_hash": f"{source}1", "_row": row, "person_id": P,
        "id_status": "valid", "name": "张三", "name_key": "张三",
    }  # fmt: skip
    return base | values


def names(models: Models) -> list[tuple[object, ...]]:
    return rows(models.run(MODEL), "person_id", "name", "name_key", "n", "authoritative")


def test_counts_each_spelling_and_marks_roster_and_rural(models: Models) -> None:
    """One row per (person, spelling, key) with its count; roster and rural names are authoritative."""
    models.given(
        "records_current",
        [
            record(1),
            record(2),
            record(3, "roster", name="张叁", name_key="张叁"),
            record(4, "rural", person_id=Q, name="买买提·艾力", name_key="买买提艾力"),
            record(5, "hotline", person_id=Q, name="买买提艾力", name_key="买买提艾力"),
        ],
    )
    assert names(models) == [
        (P, "张三", "张三", 2, 0),
        (P, "张叁", "张叁", 1, 1),
        (Q, "买买提·艾力", "买买提艾力", 1, 1),
        (Q, "买买提艾力", "买买提艾力", 1, 0),
    ]


def test_a_name_written_by_roster_and_others_is_authoritative(models: Models) -> None:
    """The authoritative flag is the max over the name's records: one roster record is enough."""
    models.given(
        "records_current",
        [record(1, "hr"), record(2, "disability"), record(3, "roster")],
    )
    assert names(models) == [(P, "张三", "张三", 3, 1)]


def test_only_valid_or_repaired_ids_count(models: Models) -> None:
    """Repaired IDs count like valid ones; bad_check, truncated, missing and ID-less rows do not."""
    models.given(
        "records_current",
        [
            record(1, id_status="repaired"),
            record(2, id_status="bad_check", name="李四", name_key="李四"),
            record(3, id_status="truncated", name="李四", name_key="李四"),
            record(4, id_status="missing", person_id=None, name="李四", name_key="李四"),
            record(5, id_status="valid", person_id=None, name="李四", name_key="李四"),
            record(6, id_status=None, name="李四", name_key="李四"),
        ],
    )
    assert names(models) == [(P, "张三", "张三", 1, 0)]


def test_quarantined_rows_are_ignored(models: Models) -> None:
    """A quarantined record gives no name, even a roster one with a valid ID."""
    models.given(
        "records_current",
        [
            record(1),
            record(2, "roster", name="张叁", name_key="张叁", quarantine_reason="duplicate"),
        ],
    )
    assert names(models) == [(P, "张三", "张三", 1, 0)]


def test_a_record_without_a_name_is_a_null_name_row(models: Models) -> None:
    """Blank names are grouped into one (person, null, null) row for persons.sql to rank last."""
    models.given(
        "records_current",
        [record(1, name=None, name_key=None), record(2, name=None, name_key=None), record(3)],
    )
    assert names(models) == [(P, None, None, 2, 0), (P, "张三", "张三", 1, 0)]


def test_which_sources_are_registers_comes_from_the_source_catalog(models: Models) -> None:
    """The contracts say which sources are registers of households (source_catalog): a source
    marked so is authoritative, one not marked is not, whatever its name."""
    models.given("source_catalog", [{"source": "hr", "kind": "snapshot", "household_register": True},
                                    {"source": "roster", "kind": "snapshot",
                                     "household_register": False}])  # fmt: skip
    models.given("records_current", [record(1), record(2, "roster", name="张叁", name_key="张叁")])
    assert names(models) == [(P, "张三", "张三", 1, 1), (P, "张叁", "张叁", 1, 0)]
