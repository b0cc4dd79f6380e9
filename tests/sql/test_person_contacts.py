"""sql/30_link/person_contacts.sql: phones and townships per person and source, from ID-bearing records."""

from __future__ import annotations

from .harness import Models, rows

MODEL = "30_link/person_contacts.sql"
P = "341102198001010010"
Q = "341102198001010029"
R = "341102198001010037"


def record(row: int, source: str = "hr", **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": source, "file_hash": f"{source}1", "_row": row, "person_id": P,
        "id_status": "valid", "name_key": "张三", "phone_norm": None, "township": None,
    }  # fmt: skip
    return base | values


def member(row: int, household: str | None, person: str | None, phone: str | None,
           **values: object) -> dict[str, object]:  # fmt: skip
    base: dict[str, object] = {
        "file_hash": "ro1", "_row": row, "person_id": person, "id_status": "valid",
        "household_no": household, "phone_norm": phone,
    }  # fmt: skip
    return base | values


def contacts(models: Models) -> list[tuple[object, ...]]:
    return rows(models.run(MODEL), "person_id", "kind", "value", "source")


def test_phones_and_townships_per_source(models: Models) -> None:
    """Each distinct phone and township of a person's records, once per source; nulls give nothing."""
    models.given(
        "records_current",
        [
            record(1, phone_norm="13800000001", township="城关镇"),
            record(2, phone_norm="13800000001", township="城关镇"),  # same source: once
            record(3, "disability", phone_norm="13800000001"),
            record(4, "hotline", id_status="repaired", township="东关镇"),
            record(5, "education", person_id=Q),  # neither phone nor township
        ],
    )
    assert contacts(models) == [
        (P, "phone", "13800000001", "disability"),
        (P, "phone", "13800000001", "hr"),
        (P, "township", "东关镇", "hotline"),
        (P, "township", "城关镇", "hr"),
    ]


def test_only_usable_ids_and_unquarantined_records(models: Models) -> None:
    """Records without a valid or repaired ID, or quarantined, are not a person's evidence."""
    models.given(
        "records_current",
        [
            record(1, phone_norm="13800000001"),
            record(2, id_status="bad_check", phone_norm="13800000002"),
            record(3, id_status="truncated", township="东关镇"),
            record(4, id_status="valid", person_id=None, phone_norm="13800000003"),
            record(5, phone_norm="13800000004", quarantine_reason="duplicate"),
        ],
    )
    assert contacts(models) == [(P, "phone", "13800000001", "hr")]


def test_the_rosters_phone_is_every_household_members(models: Models) -> None:
    """Members of a roster household get each member's phone (source roster); other households do not."""
    models.given(
        "clean_roster",
        [
            member(1, "H1", P, "13800000001"),
            member(2, "H1", Q, None),
            member(3, "H2", R, "13900000009"),
        ],
    )
    models.given("current_files", [{"source": "roster", "file_hash": "ro1"}])
    models.given("records_current", [])
    assert contacts(models) == [
        (P, "phone", "13800000001", "roster"),
        (Q, "phone", "13800000001", "roster"),
        (R, "phone", "13900000009", "roster"),
    ]


def test_household_phones_only_from_current_usable_roster_rows(models: Models) -> None:
    """Old roster files, quarantined or ID-less rows and rows without a household share no phone."""
    models.given(
        "clean_roster",
        [
            member(1, "H1", P, None),
            member(2, "H1", Q, "13800000002", file_hash="ro_old"),  # not in the current picture
            member(3, "H1", R, "13800000003", quarantine_reason="duplicate"),
            member(4, "H1", None, "13800000004", id_status="missing"),
            member(5, None, "341102198001010045", "13800000005"),
            member(6, "H1", "341102198001010053", "13800000006", id_status="repaired"),
        ],
    )
    models.given("current_files", [{"source": "roster", "file_hash": "ro1"},
                                   {"source": "hr", "file_hash": "ro_old"}])  # fmt: skip
    models.given("records_current", [])
    assert contacts(models) == [
        (P, "phone", "13800000006", "roster"),
        ("341102198001010053", "phone", "13800000006", "roster"),
    ]


def test_a_roster_phone_on_the_record_and_the_household_is_one_row(models: Models) -> None:
    """The roster member's own phone (from records_current) and the household's collapse to one row."""
    models.given("clean_roster", [member(1, "H1", P, "13800000001")])
    models.given("current_files", [{"source": "roster", "file_hash": "ro1"}])
    models.given(
        "records_current", [record(1, "roster", file_hash="ro1", phone_norm="13800000001")]
    )
    assert contacts(models) == [(P, "phone", "13800000001", "roster")]
