"""sql/30_link/match_frequencies.sql: how many known persons share each name, pinyin, phone, township."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "30_link/match_frequencies.sql"
P = "341102198001010010"
Q = "341102198001010029"
R = "341102198001010037"


def person(person_id: str, name_key: str | None) -> dict[str, object]:
    return {"person_id": person_id, "name": name_key, "name_key": name_key}


def contact(person_id: str, kind: str, value: str, source: str = "hr") -> dict[str, object]:
    return {"person_id": person_id, "kind": kind, "value": value, "source": source}


def test_names_and_pinyin_count_persons(models: Models) -> None:
    """A name counts the persons called so; a pinyin the persons of all its names; no name counts nowhere."""
    models.given("persons", [person(P, "张三"), person(Q, "章三"), person(R, None)])
    models.given("name_pinyin", [{"name_key": "张三", "pinyin": "zhangsan"},
                                 {"name_key": "章三", "pinyin": "zhangsan"},
                                 {"name_key": "李四", "pinyin": "lisi"}])  # fmt: skip
    models.given("person_contacts", [])
    assert rows(models.run(MODEL), "kind", "value", "n") == [
        ("name", "张三", 1),
        ("name", "章三", 1),
        ("pinyin", "zhangsan", 2),
    ]


def test_contacts_count_distinct_persons_not_sources(models: Models) -> None:
    """A phone seen on two sources' records of one person counts that person once."""
    models.given("persons", [])
    models.given(
        "person_contacts",
        [
            contact(P, "phone", "13800000001"),
            contact(P, "phone", "13800000001", "roster"),
            contact(Q, "phone", "13800000001"),
            contact(P, "township", "城关镇"),
        ],
    )
    assert rows(models.run(MODEL), "kind", "value", "n") == [
        ("phone", "13800000001", 2),
        ("township", "城关镇", 1),
    ]
