"""sql/30_link/proven_contacts.sql: how often a sampled record's phone and township agree with what
other sources say of its person (m of the phone and township comparisons)."""

from __future__ import annotations

from .harness import Models

MODEL = "30_link/proven_contacts.sql"
NAMES = "30_link/proven_names.sql"
P = "341102198001010010"
Q = "341102198001010029"
R = "341102198001010037"
S = "341102198001010045"


def record(row: int, person: str, source: str = "hr", **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "source": source, "file_hash": "h1", "_row": row, "person_id": person,
        "id_status": "valid", "name_key": "张三", "phone_norm": None, "township": None,
    }  # fmt: skip
    return base | values


def contact(person: str, kind: str, value: str, source: str) -> dict[str, object]:
    return {"person_id": person, "kind": kind, "value": value, "source": source}


def counts(models: Models, step: int = 1) -> dict[str, int]:
    return models.query(MODEL, sample_step=step).row(0, named=True)


def test_only_other_sources_evidence_counts(models: Models) -> None:
    """A record is compared when its person has a phone (township) on another source: agreeing or not.
    Its own source's contacts, a record without one, and damaged or quarantined records do not count;
    roster records count here (unlike the names)."""
    models.given(
        "records_current",
        [
            record(1, P, phone_norm="13800000001", township="城关镇"),  # both agree
            record(2, Q, phone_norm="13800000002", township="东关镇"),  # both disagree
            record(3, R, phone_norm="13800000003", township="西关镇"),  # only hr says so
            record(4, S, "roster"),  # no phone or township of its own
            record(5, S, "roster", phone_norm="13800000004"),  # agrees (source roster vs hr)
            record(6, P, id_status="bad_check", phone_norm="13800000001"),
            record(7, P, quarantine_reason="unreadable", phone_norm="13800000001"),
        ],
    )
    models.given(
        "person_contacts",
        [
            contact(P, "phone", "13800000001", "roster"),
            contact(P, "township", "城关镇", "hotline"),
            contact(Q, "phone", "13900000000", "roster"),
            contact(Q, "township", "南关镇", "roster"),
            contact(R, "phone", "13800000003", "hr"),
            contact(R, "township", "西关镇", "hr"),
            contact(S, "phone", "13800000004", "hr"),
            contact(S, "township", "城关镇", "hr"),
        ],
    )
    assert counts(models) == {"phone_n": 3, "phone_hit": 2, "town_n": 2, "town_hit": 1}


def test_nothing_to_compare_counts_zero(models: Models) -> None:
    """One row even when no record is compared."""
    models.given("records_current", [record(1, P, phone_norm="13800000001")])
    models.given("person_contacts", [])
    assert counts(models) == {"phone_n": 0, "phone_hit": 0, "town_n": 0, "town_hit": 0}


def test_samples_the_same_records_as_the_names(models: Models) -> None:
    """The step keeps the same records as proven_names.sql does (one sample for every m)."""
    models.given("persons", [{"person_id": P, "name_key": "张三"}])
    models.given("person_contacts", [contact(P, "phone", "13800000001", "roster")])
    models.given(
        "records_current",
        [record(i, P, file_hash=f"f{i % 5}", phone_norm="13800000001") for i in range(200)],
    )
    sampled = models.query(NAMES, sample_step=4).height
    assert 0 < sampled < 200
    assert counts(models, step=4) == {"phone_n": sampled, "phone_hit": sampled, "town_n": 0,
                                      "town_hit": 0}  # fmt: skip
