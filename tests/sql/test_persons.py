"""sql/30_link/persons.sql: one row per known person, with the name the state calls them by."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "30_link/persons.sql"
P = "341102198001010010"
Q = "341102198001010029"


def name(spelling: str | None, key: str | None = "", n: int = 1, auth: int = 0,
         person: str = P) -> dict[str, object]:  # fmt: skip
    return {"person_id": person, "name": spelling, "name_key": spelling if key == "" else key,
            "n": n, "authoritative": auth}  # fmt: skip


def chosen(models: Models) -> list[tuple[object, ...]]:
    return rows(models.run(MODEL), "person_id", "name", "name_key")


def test_roster_or_rural_name_wins_over_a_more_frequent_one(models: Models) -> None:
    """An authoritative name wins even when another name is on more records."""
    models.given("person_names", [name("张珊", n=5), name("张三", n=1, auth=1),
                                  name("李四", n=9, person=Q), name("李思", n=1, person=Q)])  # fmt: skip
    assert chosen(models) == [(P, "张三", "张三"), (Q, "李四", "李四")]


def test_else_the_most_frequent_name(models: Models) -> None:
    """Without an authoritative name the most frequent one wins, whatever its order."""
    models.given("person_names", [name("丁一", n=1), name("张三", n=3), name("李四", n=2)])
    assert chosen(models) == [(P, "张三", "张三")]


def test_ties_go_to_the_smaller_key_then_the_smaller_spelling(models: Models) -> None:
    """Equal counts: the smaller normalized name, then the smaller spelling (runs agree)."""
    models.given(
        "person_names",
        [
            name("李四", n=2, auth=1),
            name("张三", n=2, auth=1),  # 张 (U+5F20) < 李 (U+674E)
            name("买买提艾力", n=1, person=Q),
            # same key: "·" (U+00B7) sorts before 艾
            name("买买提·艾力", "买买提艾力", n=1, person=Q),
        ],
    )
    assert chosen(models) == [(P, "张三", "张三"), (Q, "买买提·艾力", "买买提艾力")]


def test_a_null_name_ranks_last_even_when_authoritative(models: Models) -> None:
    """A blank roster name loses to any written name; a person with only blank names has no name."""
    models.given(
        "person_names",
        [
            name(None, None, n=9, auth=1),
            name("李四", n=1),
            name(None, None, n=1, person=Q),
            name("王五", None, n=1, person=Q),  # a spelling without a key is no usable name
        ],
    )
    assert chosen(models) == [(P, "李四", "李四"), (Q, None, None)]


def test_county_and_id_prefix_come_from_the_id(models: Models) -> None:
    """county is the ID's first 6 characters and id_prefix15 its first 15 (Excel's survivors)."""
    models.given("person_names", [name("张三"), name("李四", person="44010619900307123X")])
    assert rows(models.run(MODEL), "person_id", "county", "id_prefix15") == [
        (P, "341102", "341102198001010"),
        ("44010619900307123X", "440106", "440106199003071"),
    ]


def test_select_star_of_person_names_does_not_leak_its_counts(models: Models) -> None:
    """persons has exactly its five columns (select * over person_names keeps n/authoritative out)."""
    models.given("person_names", [name("张三")])
    assert models.run(MODEL).columns == ["person_id", "name", "name_key", "county", "id_prefix15"]


def test_most_frequent_counts_every_spelling_of_a_normalized_name(models: Models) -> None:
    """The most frequent name is counted per normalized name (name_key), over all its spellings."""
    models.given(
        "person_names",
        [
            name("买买提·艾力", "买买提艾力", n=2),
            name("买买提艾力", n=1),
            name("丁一", n=2),  # fewer records, but as many as the most common spelling above
        ],
    )
    assert rows(models.run(MODEL), "name_key") == [("买买提艾力",)]


def test_the_spelling_shown_is_the_winning_keys_roster_else_most_frequent_else_smaller(
    models: Models,
) -> None:
    """Within the winning name_key: the authoritative spelling, else the most frequent, else the smaller."""
    key = "买买提艾力"
    models.given(
        "person_names",
        [
            name("买买提艾力", n=3),
            name("买买提·艾力", key, n=1, auth=1),  # the roster writes it so
            name("買買提艾力", key, n=2, person=Q),
            name("买买提·艾力", key, n=2, person=Q),  # tie of 2: 买 (U+4E70) < 買 (U+8CB7)
            name("买买提艾力", n=1, person=Q),
        ],
    )
    assert chosen(models) == [(P, "买买提·艾力", key), (Q, "买买提·艾力", key)]
