"""sql/30_link/candidate_frequencies.sql: candidate pairs with the term frequencies of their evidence."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/candidate_frequencies.sql"
P = "341102198001010010"
Q = "341102198001010029"


def pair(row: int, person: str, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": "hotline", "file_hash": "h1", "_row": row, "person_id": person,
        "block": "phone", "rec_name": None, "rec_pinyin": None, "rec_phone": None,
        "rec_township": None,
    }  # fmt: skip
    return base | values


def frequency(kind: str, value: str, n: int) -> dict[str, object]:
    return {"kind": kind, "value": value, "n": n}


def test_frequencies_of_the_records_values_and_zero_without(models: Models) -> None:
    """Each of the record's name, pinyin, phone and township is looked up under its own kind; a value
    no known person has, or a missing one, gives 0; pairs come in record then person order."""
    models.given(
        "candidate_pairs",
        [
            pair(2, P),
            pair(
                1,
                Q,
                rec_name="张三",
                rec_pinyin="zhangsan",
                rec_phone="13800000001",
                rec_township="城关镇",
            ),
            pair(1, P, rec_name="李四", rec_pinyin="lisi", rec_township="东关镇"),
        ],
    )
    models.given(
        "match_frequencies",
        [
            frequency("name", "张三", 2),
            frequency("pinyin", "zhangsan", 5),
            frequency("phone", "13800000001", 1),
            frequency("township", "城关镇", 300),
            frequency("name", "zhangsan", 99),  # another kind's value: not the pinyin's count
            frequency("pinyin", "lisi", 4),
        ],
    )
    frame = models.query(MODEL)
    assert frame.select(
        "_row", "person_id", "n_name", "n_pinyin", "n_phone", "n_township"
    ).rows() == [
        (1, P, 0, 4, 0, 0),
        (1, Q, 2, 5, 1, 300),
        (2, P, 0, 0, 0, 0),
    ]
    assert frame.columns[:17] == models.table("candidate_pairs").columns
