"""sql/30_link/record_links.sql: every current record's person and how it was attached."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "30_link/record_links.sql"
P = "341102198001010010"
Q = "341102198001010029"


def record(row: int, status: str = "valid", **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": "hr", "file_hash": "f1", "_row": row,
        "person_id": P if status in ("valid", "repaired") else None, "id_status": status,
        "name_key": "张三",
    }  # fmt: skip
    return base | values


def decision(row: int, method: str, person: str | None, score: float) -> dict[str, object]:
    return {"source": "hr", "file_hash": "f1", "_row": row, "person_id": person,
            "method": method, "score": score}  # fmt: skip


def disagreement(row: int, score: float | None = None, **values: object) -> dict[str, object]:
    base: dict[str, object] = {"source": "hr", "file_hash": "f1", "_row": row,
                               "candidate_id": P, "levels": "证件号有效，姓名与该证件号人员不同",
                               "score": score}  # fmt: skip
    return base | values


def links(models: Models) -> list[tuple[object, ...]]:
    return rows(models.run(MODEL), "_row", "person_id", "method", "score")


def test_usable_ids_link_exactly_or_as_repaired(models: Models) -> None:
    """A valid ID is exact, a repaired one repaired: the record's own ID, no score."""
    models.given("records_current", [record(1), record(2, "repaired", person_id=Q)])
    models.given("match_decisions", [])
    models.given("name_disagreements", [])
    assert links(models) == [(1, P, "exact", None), (2, Q, "repaired", None)]


def test_a_name_disagreement_sends_a_usable_id_to_review(models: Models) -> None:
    """A valid or repaired ID whose name clearly differs goes to review, unlinked, with its score."""
    models.given("records_current", [record(1), record(2, "repaired"), record(3)])
    models.given("match_decisions", [])
    models.given(
        "name_disagreements",
        # row 3's disagreement is about another file's row 3
        [disagreement(1), disagreement(2, 0.25), disagreement(3, file_hash="f2")],
    )
    assert links(models) == [(1, None, "review", None), (2, None, "review", 0.25),
                             (3, P, "exact", None)]  # fmt: skip


def test_pending_records_take_the_matchers_decision(models: Models) -> None:
    """Only fuzzy attaches the matched person; review and unmatched keep their score, unlinked."""
    models.given(
        "records_current",
        [
            record(1, "bad_check"),
            record(2, "truncated"),
            record(3, "missing"),
            record(4, "invalid"),
        ],
    )
    models.given(
        "match_decisions",
        [decision(1, "fuzzy", Q, 0.995), decision(2, "review", Q, 0.7),
         decision(3, "unmatched", Q, 0.1)],
    )  # fmt: skip
    models.given("name_disagreements", [])
    assert links(models) == [
        (1, Q, "fuzzy", 0.995),
        (2, None, "review", 0.7),
        (3, None, "unmatched", 0.1),
        (4, None, "unmatched", 0.0),  # no decision at all
    ]


def test_a_null_decision_score_reads_as_zero(models: Models) -> None:
    """A pending record's missing score is 0.0; a decision's null method is unmatched."""
    models.given("records_current", [record(1, "bad_check"), record(2, "missing")])
    models.given(
        "match_decisions",
        [{"source": "hr", "file_hash": "f1", "_row": 1, "method": "review"},
         {"source": "hr", "file_hash": "f1", "_row": 2, "person_id": Q}],
    )  # fmt: skip
    models.given("name_disagreements", [])
    assert links(models) == [(1, None, "review", 0.0), (2, None, "unmatched", 0.0)]


def test_quarantined_records_are_linked_to_nobody(models: Models) -> None:
    """Quarantine wins over a valid ID, a name disagreement and a fuzzy decision."""
    models.given(
        "records_current",
        [record(1, quarantine_reason="duplicate"),
         record(2, "bad_check", quarantine_reason="no_identity")],
    )  # fmt: skip
    models.given("match_decisions", [decision(2, "fuzzy", Q, 0.999)])
    models.given("name_disagreements", [disagreement(1, 0.5)])
    assert links(models) == [(1, None, "quarantined", None), (2, None, "quarantined", None)]


def test_the_records_own_id_not_a_stray_decisions(models: Models) -> None:
    """Same-named columns of the joined tables: a valid record keeps its ID over a decision's person."""
    models.given("records_current", [record(1), record(1, "bad_check", source="hotline")])
    models.given(
        "match_decisions",
        [decision(1, "fuzzy", Q, 0.999),  # keyed on hr/f1/1: a valid record, never decided
         {**decision(1, "unmatched", None, 0.2), "source": "hotline"}],
    )  # fmt: skip
    models.given("name_disagreements", [])
    frame = models.run(MODEL)
    assert frame.columns == ["source", "file_hash", "_row", "person_id", "method", "score"]
    assert rows(frame, "source", "person_id", "method", "score") == [
        ("hotline", None, "unmatched", 0.2),
        ("hr", P, "exact", None),
    ]


def people(*decisions: tuple[int, str, bool, str]) -> list[dict[str, object]]:
    return [{"source": "hr", "record_hash": f"h{row}", "candidate_id": cand, "same_person": same,
             "recorded_at": at} for row, cand, same, at in decisions]  # fmt: skip


def test_a_persons_decision_from_review_xlsx_comes_first(models: Models) -> None:
    """'Same person' attaches the record to the candidate (fuzzy, score 1; exact when it is
    the record's own valid ID); 'not the same' keeps it from that candidate (unmatched);
    the latest decision on a pair counts; a decision on another candidate changes nothing."""
    models.given("records_current", [
        record(1, "missing", record_hash="h1"),              # review, Q asked
        record(2, "bad_check", record_hash="h2"),            # fuzzy to Q, but not Q
        record(3, record_hash="h3"),                         # valid, name disagrees: review
        record(4, "missing", record_hash="h4"),              # review of Q; decided about P only
        record(5, "missing", record_hash="h5"),              # same, then not the same
        record(6, "missing", record_hash="h6", quarantine_reason="无姓名"),
    ])  # fmt: skip
    models.given("match_decisions", [decision(1, "review", Q, 0.6), decision(2, "fuzzy", Q, 0.97),
                                     decision(4, "review", Q, 0.5), decision(5, "fuzzy", Q, 0.96)])  # fmt: skip
    models.given("name_disagreements", [disagreement(3, 0.3)])
    models.given("review_decisions", people(
        (1, Q, True, "2026-11-16 09:00:00"), (2, Q, False, "2026-11-16 09:00:00"),
        (3, P, True, "2026-11-16 09:00:00"), (4, P, False, "2026-11-16 09:00:00"),
        (5, Q, True, "2026-11-16 09:00:00"), (5, Q, False, "2026-11-17 09:00:00"),
        (6, Q, True, "2026-11-16 09:00:00"),
    ))  # fmt: skip
    assert links(models) == [
        (1, Q, "fuzzy", 1.0),
        (2, None, "unmatched", 0.97),
        (3, P, "exact", None),
        (4, None, "review", 0.5),
        (5, None, "unmatched", 0.96),
        (6, None, "quarantined", None),
    ]
