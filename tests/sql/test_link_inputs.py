"""sql/30_link/link_inputs.sql and the stage_inputs ledger of linking: a digest that changes
with every input linking reads from the state, and nothing else."""

from __future__ import annotations

from .harness import Models, ledger

MODEL = "30_link/link_inputs.sql"


def decision(candidate: str, same: bool, at: str = "2026-11-16 09:00:00") -> dict[str, object]:
    return {"source": "hotline", "record_hash": "h1", "candidate_id": candidate,
            "same_person": same, "recorded_at": at}  # fmt: skip


def digest(models: Models, current: list[tuple[str, str, str | None]],
           files: list[dict[str, object]], decisions: list[dict[str, object]]) -> str:  # fmt: skip
    models.given("current_files", [
        {"source": s, "file_hash": h, "picture_run_id": r} for s, h, r in current
    ])  # fmt: skip
    models.given("files", files)
    models.given("review_decisions", decisions)
    frame = models.query(MODEL)
    assert frame.height == 1
    return str(frame.item())


BASE = (
    [("roster", "r1", "2026-10-15"), ("hotline", "t1", None)],
    [ledger("r1", "roster"), ledger("t1", "hotline", file_name="12345.csv")],
    [decision("110101199001010011", True)],
)


def test_same_inputs_same_digest_in_any_row_order(models: Models) -> None:
    first = digest(models, *BASE)
    current, files, decisions = BASE
    assert digest(models, current[::-1], files[::-1], decisions) == first


def test_each_input_changes_the_digest(models: Models) -> None:
    """A new file, a ledger row of other content, another decision: each relinks."""
    first = digest(models, *BASE)
    current, files, decisions = BASE
    seen = {first}
    variants = [
        ([*current, ("hotline", "t2", None)], [*files, ledger("t2", "hotline")], decisions),
        (
            [("roster", "r2", "2026-10-15"), current[1]],
            [ledger("r2", "roster"), files[1]],
            decisions,
        ),
        (current, [ledger("r1", "roster", records=11), files[1]], decisions),
        (
            current,
            files,
            [*decisions, decision("110101199001010011", False, "2026-11-17 10:00:00")],
        ),
        (current, files, []),
    ]
    for variant in variants:
        seen.add(digest(models, *variant))
    assert len(seen) == len(variants) + 1


def test_what_linking_does_not_read_does_not_count(models: Models) -> None:
    """Files no longer current (an older picture) and the night of the picture that delivered
    the same files again are not read by linking."""
    current, files, decisions = BASE
    first = digest(models, *BASE)
    assert digest(models, current, [*files, ledger("old", "roster")], decisions) == first
    again = [("roster", "r1", "2026-11-16"), current[1]]
    assert digest(models, again, files, decisions) == first


def test_an_empty_state_has_a_digest(models: Models) -> None:
    assert len(digest(models, [], [], [])) == 64


def test_the_ledger_remembers_and_forgets(models: Models) -> None:
    """remember stores the digest of the link just completed; forget clears it before a relink."""
    models.given("stage_inputs", [])
    assert models.query("30_link/last_link_inputs.sql").height == 0
    models.statement("30_link/remember_link_inputs.sql", fingerprint="abc", run_id="2026-11-15")
    assert models.query("30_link/last_link_inputs.sql").rows() == [("abc", "2026-11-15")]
    models.statement("30_link/forget_link_inputs.sql")
    assert models.query("30_link/last_link_inputs.sql").height == 0
