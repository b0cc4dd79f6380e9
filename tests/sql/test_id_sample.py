"""sql/30_link/id_sample.sql: a seeded sample of known persons (u of the ID levels)."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/id_sample.sql"
IDS = [f"34110219800101{i:04d}" for i in range(40)]


def sample(models: Models, size: int, seed: str = "7") -> list[tuple[object, ...]]:
    return models.query(MODEL, id_sample=size, seed=seed).rows()


def test_sample_size_columns_and_determinism(models: Models) -> None:
    """At most id_sample persons with their 15-character prefix; the same seed, the same sample;
    a larger sample extends the smaller one (one order)."""
    models.given("persons", [{"person_id": p, "id_prefix15": p[:15]} for p in IDS])
    ten = sample(models, 10)
    assert len(ten) == 10
    assert all(prefix == pid[:15] for pid, prefix in ten)  # type: ignore[index]
    assert sample(models, 10) == ten
    assert sample(models, 20)[:10] == ten
    assert len(sample(models, 100)) == 40


def test_the_seed_changes_the_sample(models: Models) -> None:
    """Another seed orders the persons otherwise (a different sample, not a shifted one)."""
    models.given("persons", [{"person_id": p, "id_prefix15": p[:15]} for p in IDS])
    assert sample(models, 10, "7") != sample(models, 10, "8")
    # not simply the ID order
    assert [r[0] for r in sample(models, 40)] != IDS
