"""sql/30_link/sampled_prefix_sharers.sql: other known persons sharing a sampled person's 15 characters."""

from __future__ import annotations

import polars as pl

from .harness import Models

MODEL = "30_link/sampled_prefix_sharers.sql"
P = "341102198001010010"
TWIN = "341102198001010029"  # same first 15 characters as P
NEXT = "341102198001011012"  # first 15 characters one more than P's
FAR = "341102198001012004"


def sharers(models: Models, prefixes: list[tuple[str, str]]) -> list[tuple[object, ...]]:
    frame = pl.DataFrame(prefixes, schema={"person_id": pl.String, "p": pl.String}, orient="row")
    with models.engine.registered("_sampled_prefixes", frame):
        return models.query(MODEL).rows()


def test_other_persons_with_the_prefix_count_not_the_person_itself(models: Models) -> None:
    """P's own prefix finds TWIN (not P); the rounded-up prefix finds NEXT; FAR shares neither."""
    models.given("persons", [{"person_id": p, "id_prefix15": p[:15]} for p in (P, TWIN, NEXT, FAR)])
    assert sharers(models, [(P, P[:15])]) == [(1,)]
    assert sharers(models, [(P, P[:15]), (P, NEXT[:15])]) == [(2,)]
    assert sharers(models, [(FAR, FAR[:15])]) == [(0,)]
