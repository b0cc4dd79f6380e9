"""sql/50_publish/: what the township workbooks show of a household (its members, an
address) and the state's secret that signs them."""

from __future__ import annotations

from .harness import Models, rows

MEMBERS = "50_publish/workbook_members.sql"
ADDRESSES = "50_publish/household_addresses.sql"
PEOPLE = "50_publish/people.sql"
SECRET = "50_publish/secret.sql"
REMEMBER = "50_publish/remember_secret.sql"
P, Q, R, S = "P1", "P2", "P3", "P4"


def record(row: int, person: str, name: str, phone: str | None = None) -> dict[str, object]:
    return {"source": "roster", "file_hash": "f", "_row": row, "person_id": person,
            "id_status": "valid", "name": name, "phone_norm": phone}  # fmt: skip


def test_every_member_of_a_warned_household_those_warned_first(models: Models) -> None:
    """All members of each warned household (not only those the warning is about), the
    warned first; a member without a record with a valid ID has no name; the dead say so;
    a household not warned is not listed."""
    models.given("warnings_current", [{"household_key": "H1", "member_ids": f"{R}"},
                                      {"household_key": "H2", "member_ids": None}])  # fmt: skip
    models.given("household_members", [{"household_key": "H1", "person_id": p} for p in (P, Q, R)]
                 + [{"household_key": "H2", "person_id": S},
                    {"household_key": "H9", "person_id": "P9"}])  # fmt: skip
    models.given("records_current", [record(1, P, "张三", "13800000001"), record(2, R, "张小明")])
    models.given(
        "member_facts", [{"person_id": Q, "alive": False}, {"person_id": P, "alive": True}]
    )
    models.run(PEOPLE)
    got = models.query(MEMBERS)
    assert [tuple(r) for r in got.select("household_key", "person_id").iter_rows()] == [
        ("H1", R), ("H1", P), ("H1", Q), ("H2", S),
    ]  # fmt: skip
    assert rows(got, "person_id", "name", "phone", "warned", "deceased") == [
        (P, "张三", "13800000001", False, False),
        (Q, None, None, False, True),
        (R, "张小明", None, True, False),
        (S, None, None, False, False),
    ]


def test_an_address_from_the_housing_source_of_any_member(models: Models) -> None:
    """The housing source's 房屋地址 of a member (the smallest when members' differ); a blank
    address is none; a household not warned gets none."""
    models.given("warnings_current", [{"household_key": "H1"}, {"household_key": "H2"}])
    models.given("household_members", [{"household_key": "H1", "person_id": P},
                                       {"household_key": "H1", "person_id": Q},
                                       {"household_key": "H2", "person_id": R},
                                       {"household_key": "H3", "person_id": S}])  # fmt: skip
    models.given("linked_housing", [{"person_id": P, "address": "东门社区5栋", "file_hash": "h", "_row": 1},
                                    {"person_id": Q, "address": "东门社区3栋", "file_hash": "h", "_row": 2},
                                    {"person_id": R, "address": "  ", "file_hash": "h", "_row": 3},
                                    {"person_id": S, "address": "西门", "file_hash": "h", "_row": 4}])  # fmt: skip
    assert rows(models.query(ADDRESSES), "household_key", "address") == [("H1", "东门社区3栋")]


def test_a_secret_is_made_once_and_kept(models: Models) -> None:
    models.given("secrets", [])
    assert models.query(SECRET, name="workbook_hmac").height == 0
    models.statement(REMEMBER, name="workbook_hmac", value="aa")
    models.statement(REMEMBER, name="workbook_hmac", value="bb")  # a second run keeps the first
    assert rows(models.query(SECRET, name="workbook_hmac"), "value") == [("aa",)]
    assert models.query(SECRET, name="other").height == 0
