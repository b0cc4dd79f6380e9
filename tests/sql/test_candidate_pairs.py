"""sql/30_link/candidate_pairs.sql: blocking proposes candidate persons for records without a usable ID."""

from __future__ import annotations

from collections.abc import Sequence

from .harness import Models, rows

MODEL = "30_link/candidate_pairs.sql"
P1 = "341102198001010010"
P2 = "341102198001010029"
P3 = "341102198001011238"
TOWN = "城关镇"
Row = Sequence[dict[str, object]]


def record(row: int, status: str = "missing", **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": "hotline", "file_hash": "h1", "_row": row, "person_id": None,
        "id_status": status, "id_prefix": None, "name": None, "name_key": None,
        "phone_norm": None, "township": None,
    }  # fmt: skip
    return base | values


def person(person_id: str, name_key: str | None = None) -> dict[str, object]:
    return {"person_id": person_id, "name": name_key, "name_key": name_key,
            "county": person_id[:6], "id_prefix15": person_id[:15]}  # fmt: skip


def contact(person_id: str, kind: str, value: str, source: str = "hr") -> dict[str, object]:
    return {"person_id": person_id, "kind": kind, "value": value, "source": source}


def given(models: Models, records: Row, persons: Row, contacts: Row = (),
          variants: Sequence[tuple[int, str]] = ()) -> None:  # fmt: skip
    models.given("records_current", records)
    models.given("persons", persons)
    models.given("person_contacts", contacts)
    models.given("id_typo_variants", [{"source": "hotline", "file_hash": "h1", "_row": r,
                                       "variant": v} for r, v in variants])  # fmt: skip
    models.given("name_pinyin", [{"name_key": "张三", "pinyin": "zhangsan"},
                                 {"name_key": "章三", "pinyin": "zhangsan"},
                                 {"name_key": "李四", "pinyin": "lisi"}])  # fmt: skip


def pairs(models: Models, max_candidates: int = 50) -> list[tuple[object, ...]]:
    frame = models.run(MODEL, max_candidates=max_candidates)
    return rows(frame, "_row", "person_id", "block", "block_size")


def test_typo_block_finds_persons_one_typo_away(models: Models) -> None:
    """A bad_check record's typo variants that are persons are candidates; other variants are not."""
    given(
        models,
        [record(1, "bad_check", id_prefix="341102198001010011"),
         record(2, "valid", person_id=P2, id_prefix=None)],
        [person(P1), person(P2)],
        variants=[(1, P1), (1, "341102198001010100"), (2, P2)],  # row 2 is not pending
    )  # fmt: skip
    assert pairs(models) == [(1, P1, "id_typo", 1)]


def test_prefix_block_includes_excels_rounding_up(models: Models) -> None:
    """A truncated ID's 15 digits are a person's first 15, or those plus one (16th digit >= 5)."""
    given(
        models,
        [record(1, "truncated", id_prefix="341102198001011"),
         record(2, "truncated", id_prefix=None)],  # unreadable: no prefix, no candidate
        [person(P1), person(P3), person("341102198001012004")],
    )  # fmt: skip
    # P3 starts 341102198001011 (as delivered), P1 341102198001010 (rounded up), not ...012
    assert pairs(models) == [(1, P1, "id_prefix", 2), (1, P3, "id_prefix", 2)]


def test_phone_and_name_township_blocks(models: Models) -> None:
    """No usable ID: same phone, or same pinyin in one of the person's townships; nulls match nothing."""
    given(
        models,
        [record(1, phone_norm="13800000001"),
         record(2, name_key="张三", township=TOWN),
         record(3, name_key="张三", township=None),
         record(4, name_key=None, township=TOWN)],
        [person(P1, "章三"), person(P2, "张三"), person(P3, "张三")],
        [contact(P1, "phone", "13800000001"), contact(P1, "township", TOWN),
         contact(P2, "township", TOWN), contact(P3, "township", "东关镇")],
    )  # fmt: skip
    assert pairs(models) == [
        (1, P1, "phone", 1),
        (2, P1, "name_township", 2),  # 章三 reads zhangsan too
        (2, P2, "name_township", 2),
    ]


def test_a_block_bigger_than_max_candidates_is_cut(models: Models) -> None:
    """A block of exactly $max_candidates persons is kept; one more and the record gets none."""
    given(
        models,
        [record(1, phone_norm="13800000001")],
        [person(P1), person(P2), person(P3)],
        [contact(p, "phone", "13800000001") for p in (P1, P2, P3)],
    )
    assert pairs(models, max_candidates=3) == [
        (1, P1, "phone", 3), (1, P2, "phone", 3), (1, P3, "phone", 3),
    ]  # fmt: skip
    assert pairs(models, max_candidates=2) == []


def test_a_pair_found_by_two_blocks_keeps_the_strongest(models: Models) -> None:
    """ID evidence outranks a phone, a phone outranks name + township; one row per pair."""
    given(
        models,
        [record(1, "bad_check", id_prefix="341102198001010011", phone_norm="13800000001",
                name_key="张三", township=TOWN),
         record(2, phone_norm="13800000001", name_key="张三", township=TOWN)],
        [person(P1, "张三")],
        [contact(P1, "phone", "13800000001"), contact(P1, "township", TOWN)],
        variants=[(1, P1)],
    )  # fmt: skip
    assert pairs(models) == [(1, P1, "id_typo", 1), (2, P1, "phone", 1)]


def test_evidence_columns_of_record_and_candidate(models: Models) -> None:
    """rec_* are the record's, cand_* the person's (persons' select * carries its own name_key)."""
    given(
        models,
        [record(1, phone_norm="13800000001", name_key="张三", township="东关镇"),
         record(2, phone_norm="13800000009", name_key="张三", township=TOWN)],
        [person(P1, "章三")],
        [contact(P1, "phone", "13800000001"), contact(P1, "township", TOWN)],
    )  # fmt: skip
    frame = models.run(MODEL, max_candidates=50)
    assert rows(frame, "_row", "rec_name", "rec_pinyin", "cand_name", "cand_pinyin") == [
        (1, "张三", "zhangsan", "章三", "zhangsan"),
        (2, "张三", "zhangsan", "章三", "zhangsan"),
    ]
    assert rows(frame, "_row", "block", "cand_has_phone", "phone_agrees", "cand_has_township",
                "township_agrees") == [
        (1, "phone", True, True, True, False),
        (2, "name_township", True, False, True, True),
    ]  # fmt: skip


def test_quarantined_and_usable_records_are_not_pending(models: Models) -> None:
    """Quarantined records and records with a valid or repaired ID get no candidates."""
    given(
        models,
        [record(1, phone_norm="13800000001", quarantine_reason="duplicate"),
         record(2, "valid", person_id=P2, phone_norm="13800000001"),
         record(3, "repaired", person_id=P2, phone_norm="13800000001"),
         record(4, "invalid", phone_norm="13800000001")],
        [person(P1)],
        [contact(P1, "phone", "13800000001")],
    )  # fmt: skip
    assert pairs(models) == [(4, P1, "phone", 1)]


def test_block_size_counts_distinct_candidates(models: Models) -> None:
    """A person whose phone comes from several sources is one candidate of the phone block."""
    given(
        models,
        [record(1, phone_norm="13800000001")],
        [person(P1)],
        [contact(P1, "phone", "13800000001", "hr"),
         contact(P1, "phone", "13800000001", "roster")],
    )  # fmt: skip
    assert pairs(models, max_candidates=1) == [(1, P1, "phone", 1)]


def test_a_pair_in_a_cut_block_survives_through_a_small_block(models: Models) -> None:
    """A block cut as too common proposes nothing; the pair stays through its other, small block."""
    given(
        models,
        [record(1, phone_norm="13800000001", name_key="张三", township=TOWN)],
        [person(P1, "张三"), person(P2, "李四"), person(P3, "李四")],
        [contact(P1, "phone", "13800000001"), contact(P2, "phone", "13800000001"),
         contact(P3, "phone", "13800000001"), contact(P1, "township", TOWN)],
    )  # fmt: skip
    assert pairs(models, max_candidates=2) == [(1, P1, "name_township", 1)]


def test_a_name_block_is_the_persons_of_its_sound_and_township(models: Models) -> None:
    """The name block of a record is every person of its name's sound known in its township
    (a person known there by two sources once; a namesake elsewhere not at all), cut as a
    whole when more than $max_candidates."""
    given(
        models,
        [record(1, name_key="张三", township=TOWN)],
        [person(P1, "张三"), person(P2, "章三"), person(P3, "张三")],
        [contact(P1, "township", TOWN, "hr"), contact(P1, "township", TOWN, "roster"),
         contact(P2, "township", TOWN), contact(P3, "township", "乌衣镇")],
    )  # fmt: skip
    assert pairs(models, max_candidates=2) == [
        (1, P1, "name_township", 2), (1, P2, "name_township", 2),
    ]  # fmt: skip
    assert pairs(models, max_candidates=1) == []
