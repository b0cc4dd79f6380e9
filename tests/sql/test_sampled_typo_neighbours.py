"""sql/30_link/sampled_typo_neighbours.sql: known persons one typo away from the sampled persons."""

from __future__ import annotations

import polars as pl

from .harness import Models

MODEL = "30_link/sampled_typo_neighbours.sql"
P = "341102198001010010"
Q = "341102198001010029"


def neighbours(models: Models, variants: list[str]) -> list[tuple[object, ...]]:
    frame = pl.DataFrame({"variant": variants}, schema={"variant": pl.String})
    with models.engine.registered("_sampled_variants", frame):
        return models.query(MODEL).rows()


def test_counts_variants_that_are_persons(models: Models) -> None:
    """Each typo variant that is a known person's ID counts once per occurrence; others do not."""
    models.given("persons", [{"person_id": P}, {"person_id": Q}])
    assert neighbours(models, [P, Q, P, "341102198001010100"]) == [(3,)]
    assert neighbours(models, ["341102198001010100"]) == [(0,)]
    assert neighbours(models, []) == [(0,)]
