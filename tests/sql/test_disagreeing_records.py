"""sql/30_link/disagreeing_records.sql: records with a valid ID whose name is not their person's."""

from __future__ import annotations

import polars as pl

from .harness import Models

MODEL = "30_link/disagreeing_records.sql"
P = "341102198001010010"
Q = "341102198001010029"


def record(
    source: str, row: int, person: str, name_key: str, **values: object
) -> dict[str, object]:
    base: dict[str, object] = {"source": source, "file_hash": "h1", "_row": row, "person_id": person,
                               "id_status": "valid", "name_key": name_key}  # fmt: skip
    return base | values


def test_records_carrying_a_different_name_of_their_person(models: Models) -> None:
    """Every usable-ID record with a (person, name) the matcher found different, in record order, as a
    review row with its person as the candidate and no score; the same name on another person's
    record, damaged IDs and quarantined records are not."""
    models.given(
        "records_current",
        [
            record("hr", 2, P, "李四"),
            record("hotline", 1, P, "李四", id_status="repaired"),
            record("hr", 1, P, "张三"),  # the person's own name
            record("hr", 3, Q, "李四"),  # 李四 differs for P only
            record("hr", 4, P, "李四", id_status="bad_check"),
            record("hr", 5, P, "李四", quarantine_reason="unreadable"),
        ],
    )
    different = pl.DataFrame({"person_id": [P], "rec_name": ["李四"]})
    with models.engine.registered("_different_names", different):
        frame = models.query(MODEL)
    assert frame.columns == ["source", "file_hash", "_row", "candidate_id", "levels", "score"]
    text = "证件号有效，姓名与该证件号人员不同"
    assert frame.rows() == [
        ("hotline", "h1", 1, P, text, None),
        ("hr", "h1", 2, P, text, None),
    ]
