"""sql/30_link/proven_names.sql: sampled records with a usable ID and their person's name (m of names)."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "30_link/proven_names.sql"
P = "341102198001010010"
Q = "341102198001010029"
STRANGER = "341102198001010037"  # not in persons


def record(row: int, source: str = "hr", person: str = P, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": source, "file_hash": "h1", "_row": row, "person_id": person,
        "id_status": "valid", "name_key": "张珊", "phone_norm": None, "township": None,
    }  # fmt: skip
    return base | values


def catalog(*registers: str) -> list[dict[str, object]]:
    sources = ("hr", "hotline", "roster", "rural")
    return [{"source": s, "kind": "event", "household_register": s in registers} for s in sources]


def given_registry(models: Models) -> None:
    models.given("source_catalog", catalog("roster", "rural"))
    models.given("persons", [{"person_id": P, "name_key": "张三"},
                             {"person_id": Q, "name_key": "李四"}])  # fmt: skip
    models.given("name_pinyin", [{"name_key": "张三", "pinyin": "zhangsan"},
                                 {"name_key": "张珊", "pinyin": "zhangshan"}])  # fmt: skip


def test_records_with_a_usable_id_outside_roster_and_rural(models: Models) -> None:
    """valid and repaired records of the other sources, with both names' pinyin (null when unknown);
    the registers' (roster, rural) names, damaged IDs, quarantined records and unknown persons
    stay out."""
    given_registry(models)
    models.given(
        "records_current",
        [
            record(1, phone_norm="13800000001", township="城关镇"),
            record(2, "hotline", Q, id_status="repaired", name_key="李思"),
            record(3, "roster"),
            record(4, "rural"),
            record(5, id_status="bad_check"),
            record(6, quarantine_reason="unreadable"),
            record(7, person=STRANGER),
        ],
    )
    frame = models.query(MODEL, sample_step=1)
    assert rows(frame, "source", "person_id", "rec_name", "rec_pinyin", "cand_name",
                "cand_pinyin", "phone_norm", "township") == [
        ("hotline", Q, "李思", None, "李四", None, None, None),
        ("hr", P, "张珊", "zhangshan", "张三", "zhangsan", "13800000001", "城关镇"),
    ]  # fmt: skip


def test_the_registers_are_the_catalogs_not_named(models: Models) -> None:
    """Which sources are registers of households comes from source_catalog (the contracts)."""
    given_registry(models)
    models.given("source_catalog", catalog("hr"))
    models.given("records_current", [record(1), record(2, "roster"), record(3, "rural")])
    assert rows(models.query(MODEL, sample_step=1), "source") == [("roster",), ("rural",)]


def test_the_sample_keeps_about_one_record_in_step_and_always_the_same(models: Models) -> None:
    """A step of 3 keeps roughly a third of the records, the same ones every time; a step of 1 all."""
    given_registry(models)
    models.given("records_current", [record(i, file_hash=f"f{i % 7}") for i in range(300)])
    assert models.query(MODEL, sample_step=1).height == 300
    kept = models.query(MODEL, sample_step=3)
    assert 60 <= kept.height <= 140
    again = models.query(MODEL, sample_step=3)
    assert kept.height == again.height
    # the rows carry no key of their own here: compare the whole query's content
    assert sorted(kept.rows()) == sorted(again.rows())
