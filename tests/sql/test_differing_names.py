"""sql/30_link/differing_names.sql: names on a person's ID-bearing records other than the person's."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/differing_names.sql"
P = "341102198001010010"
Q = "341102198001010029"


def name(person: str, name_key: str | None, n: int = 1) -> dict[str, object]:
    return {"person_id": person, "name": name_key, "name_key": name_key, "n": n, "authoritative": 0}


def test_each_other_name_once_with_both_pinyin(models: Models) -> None:
    """A written name that is not the person's, once however many records carry it, in person then
    name order; the person's own name, blank names and persons without a name give nothing."""
    models.given("persons", [{"person_id": P, "name_key": "张三"},
                             {"person_id": Q, "name_key": None}])  # fmt: skip
    models.given(
        "person_names",
        [
            name(P, "张三", 5),
            name(P, "章三", 2),
            name(P, "李四"),
            name(P, None),
            name(Q, "王五"),
        ],
    )
    models.given("name_pinyin", [{"name_key": "张三", "pinyin": "zhangsan"},
                                 {"name_key": "章三", "pinyin": "zhangsan"}])  # fmt: skip
    assert models.query(MODEL).rows() == [
        (P, "李四", None, "张三", "zhangsan"),
        (P, "章三", "zhangsan", "张三", "zhangsan"),
    ]
