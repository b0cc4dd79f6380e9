"""sql/20_clean/current_files.sql: the files whose records make up the current picture of a run."""

from __future__ import annotations

from .harness import Models, ledger, rows

MODEL = "20_clean/current_files.sql"


def picture(run_id: str, source: str, file_hash: str, file_name: str = "") -> dict[str, object]:
    return {"run_id": run_id, "source": source, "file_hash": file_hash,
            "file_name": file_name or f"{file_hash}.xlsx"}  # fmt: skip


def current(models: Models, **params: object) -> list[tuple[object, ...]]:
    return rows(models.run(MODEL, **params), "source", "file_hash", "picture_run_id")


def test_latest_snapshot_picture_per_source(models: Models) -> None:
    """Each snapshot source's latest picture replaces its earlier ones, with all its files."""
    models.given(
        "pictures",
        [
            picture("2026-09-15", "roster", "r_sep"),
            picture("2026-10-15", "roster", "r_oct_a"),
            picture("2026-10-15", "roster", "r_oct_b"),
            picture("2026-09-15", "hr", "h_sep"),
        ],
    )
    assert current(models) == [
        ("hr", "h_sep", "2026-09-15"),
        ("roster", "r_oct_a", "2026-10-15"),
        ("roster", "r_oct_b", "2026-10-15"),
    ]


def test_a_missing_delivery_keeps_the_previous_picture(models: Models) -> None:
    """A source with no picture at this run keeps its last one; a file left out of a newer picture goes."""
    models.given(
        "pictures",
        [
            picture("2026-10-15", "housing", "hs_oct"),  # nothing delivered on 11-15
            picture("2026-10-15", "rural", "ru_a"),
            picture("2026-10-15", "rural", "ru_b"),
            picture("2026-11-15", "rural", "ru_a"),  # ru_b no longer delivered
        ],
    )
    assert current(models) == [
        ("housing", "hs_oct", "2026-10-15"),
        ("rural", "ru_a", "2026-11-15"),
    ]


def test_a_later_runs_picture_is_ignored_for_an_earlier_run_id(models: Models) -> None:
    """Pictures up to and including $run_id count; a later run's do not (nor a source only seen later)."""
    models.given(
        "pictures",
        [
            picture("2026-10-15", "roster", "r_oct"),
            picture("2026-11-15", "roster", "r_nov"),
            picture("2026-12-15", "roster", "r_dec"),
            picture("2026-12-15", "education", "e_dec"),
        ],
    )
    assert current(models, run_id="2026-11-15") == [("roster", "r_nov", "2026-11-15")]
    assert current(models, run_id="2026-11-14") == [("roster", "r_oct", "2026-10-15")]
    assert current(models, run_id="2026-09-30") == []


def test_event_sources_accumulate_every_file(models: Models) -> None:
    """Every ledger file of an event source is current (no picture); a snapshot file needs a picture."""
    models.given(
        "files",
        [
            ledger("hot1", "hotline", first_run_id="2026-09-15"),
            ledger("hot2", "hotline", first_run_id="2026-11-15"),
            ledger("med1", "medical_insurance"),
            ledger("hea1", "health"),
            ledger("eme1", "emergency"),
            ledger("hr_old", "hr"),  # a snapshot file loaded once, in no picture up to now
        ],
    )
    models.given("pictures", [picture("2026-12-15", "hr", "hr_old")])
    assert current(models) == [
        ("emergency", "eme1", None),
        ("health", "hea1", None),
        ("hotline", "hot1", None),
        ("hotline", "hot2", None),
        ("medical_insurance", "med1", None),
    ]


def test_same_content_under_two_names_is_one_current_file(models: Models) -> None:
    """A picture listing one content twice (file_name differs, select * carries it) gives one row."""
    models.given(
        "pictures",
        [
            picture("2026-11-15", "disability", "d1", "残联.xlsx"),
            picture("2026-11-15", "disability", "d1", "残联(1).xlsx"),
        ],
    )
    models.given("files", [ledger("d1", "disability")])  # snapshot: the ledger adds nothing
    assert current(models) == [("disability", "d1", "2026-11-15")]


def test_one_content_in_two_sources_pictures_stays_per_source(models: Models) -> None:
    """The latest picture is chosen per source: one source's newer run does not hide another's."""
    models.given(
        "pictures",
        [
            picture("2026-10-15", "housing", "same"),
            picture("2026-11-15", "education", "same"),
        ],
    )
    assert current(models) == [
        ("education", "same", "2026-11-15"),
        ("housing", "same", "2026-10-15"),
    ]
