"""sql/30_link/person_count.sql: how many persons the state knows (N)."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/person_count.sql"


def test_counts_the_persons(models: Models) -> None:
    """One value: the persons table's rows (0 on an empty state)."""
    models.given("persons", [{"person_id": "341102198001010010"},
                             {"person_id": "341102198001010029", "name_key": "张三"}])  # fmt: skip
    assert models.query(MODEL).rows() == [(2,)]
    models.given("persons", [])
    assert models.query(MODEL).rows() == [(0,)]
