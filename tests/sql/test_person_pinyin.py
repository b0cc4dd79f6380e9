"""sql/30_link/person_pinyin.sql: known persons' names and pinyin, in person order (u of 'similar')."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/person_pinyin.sql"
P = "341102198001010010"
Q = "341102198001010029"
R = "341102198001010037"


def test_named_persons_in_person_order(models: Models) -> None:
    """One row per person whose name has a pinyin, ordered by ID (random pairs index into it)."""
    models.given(
        "persons",
        [
            {"person_id": R, "name_key": "张三"},
            {"person_id": P, "name_key": "李四"},
            {"person_id": Q, "name_key": None},  # no name: nothing to pair
        ],
    )
    models.given("name_pinyin", [{"name_key": "张三", "pinyin": "zhangsan"},
                                 {"name_key": "李四", "pinyin": "lisi"}])  # fmt: skip
    assert models.query(MODEL).rows() == [("李四", "lisi"), ("张三", "zhangsan")]
