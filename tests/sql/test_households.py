"""sql/30_link/households.sql: one row per household, its size, head, roster facts and routing."""

from __future__ import annotations

from collections.abc import Sequence

from .harness import Models, rows

MODEL = "30_link/households.sql"
HEAD = "341122198001010012"  # an ID of 来安县 (341122)
SPOUSE = "341122198202020021"
CHILD = "341122201003030035"
R1 = "341122197001010016"
R2 = "341122197202020023"
P = "341102198505050011"  # 琅琊区
FORMER = "342326196001010013"  # a former code of 凤阳县 (341126)
OUTSIDE = "320102196001010019"  # an ID of another city


def member(person: str, key: str, membership: str) -> dict[str, object]:
    return {"person_id": person, "household_key": key, "membership": membership}


def roster(
    key: str, person: str | None, relation: str, row: int, **values: object
) -> dict[str, object]:
    base: dict[str, object] = {
        "file_hash": "r", "_row": row, "household_no": key, "person_id": person,
        "relation": relation, "township": "琅琊街道", "village": "东门社区", "urban_rural": "城市",
        "category": "低保", "status": "在保", "source": "roster", "file_name": "roster.xlsx",
    }  # fmt: skip
    return base | values


def rural(
    key: str, person: str | None, relation: str, row: int, **values: object
) -> dict[str, object]:
    base: dict[str, object] = {
        "file_hash": "x", "_row": row, "household_no": key, "person_id": person,
        "relation": relation, "township": "新安镇", "village": "一村", "household_type": "脱贫户",
        "monitoring_class": "无", "per_capita_income_year": 9000, "source": "rural",
        "file_name": "rural.xlsx",
    }  # fmt: skip
    return base | values


def record(
    row: int, person: str | None, township: str | None, source: str = "hr"
) -> dict[str, object]:
    return {
        "source": source,
        "file_hash": "f",
        "_row": row,
        "person_id": person,
        "township": township,
    }


def settlement(row: int, person: str, date: str, place: str | None) -> dict[str, object]:
    return {"file_hash": "m", "_row": row, "person_id": person, "settlement_date": date,
            "insured_place": place, "file_name": "医保.csv", "source": "medical_insurance"}  # fmt: skip


def given(
    models: Models,
    members: Sequence[dict[str, object]] = (),
    roster_rows: Sequence[dict[str, object]] = (),
    rural_rows: Sequence[dict[str, object]] = (),
    records: Sequence[dict[str, object]] = (),
    settlements: Sequence[dict[str, object]] = (),
) -> None:
    models.given("household_members", members)
    models.given("linked_roster", roster_rows)
    models.given("linked_rural", rural_rows)
    models.given("linked_records", records)
    models.given("linked_medical_insurance", settlements)


# --- membership and size


def test_a_roster_person_in_the_rural_source_counts_in_the_roster_household_only(
    models: Models,
) -> None:
    given(
        models,
        members=[member(HEAD, "F1", "roster"), member(SPOUSE, "F1", "roster"),
                 member(CHILD, "XC:H7", "rural")],
        roster_rows=[roster("F1", HEAD, "本人", 1), roster("F1", SPOUSE, "配偶", 2)],
        rural_rows=[rural("H7", HEAD, "本人", 1), rural("H7", SPOUSE, "配偶", 2),
                    rural("H7", CHILD, "子女", 3)],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(frame, "household_key", "kind", "membership", "size", "head_id") == [
        ("F1", "在册对象", "roster", 2, HEAD),
        ("XC:H7", "主动发现", "rural", 1, CHILD),  # the head is on the roster: the member leads
    ]


def test_size_counts_linked_members_and_rural_rows_nobody_could_link(models: Models) -> None:
    given(
        models,
        members=[member(R1, "XC:H1", "rural")],
        rural_rows=[rural("H1", R1, "本人", 1), rural("H1", None, "配偶", 2),
                    rural("H1", None, "子女", 3)],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "size", "head_id") == [("XC:H1", 3, R1)]


def test_a_rural_household_none_of_whose_rows_link_still_exists(models: Models) -> None:
    given(
        models,
        rural_rows=[rural("H9", None, "子女", 1, township="半塔镇"),
                    rural("H9", None, "本人", 2, township="半塔镇", per_capita_income_year=6000,
                          monitoring_class="脱贫不稳定户")],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(
        frame, "household_key", "kind", "membership", "size", "head_id", "township", "county",
        "urban_rural", "rural_income_year", "monitoring_class",
    ) == [("XC:H9", "主动发现", "rural", 2, None, "半塔镇", "341122", "农村", 6000.0, "脱贫不稳定户")]  # fmt: skip


def test_a_rural_household_all_of_whose_people_are_on_the_roster_is_not_formed(
    models: Models,
) -> None:
    given(
        models,
        members=[member(HEAD, "F1", "roster")],
        roster_rows=[roster("F1", HEAD, "本人", 1)],
        rural_rows=[rural("H7", HEAD, "本人", 1)],
    )
    assert rows(models.run(MODEL), "household_key") == [("F1",)]


def test_a_person_on_no_list_is_a_household_of_one(models: Models) -> None:
    given(models, members=[member(P, "GR:abc", "other")])
    assert rows(
        models.run(MODEL), "household_key", "kind", "membership", "size", "head_id", "category",
        "urban_rural", "status",
    ) == [("GR:abc", "主动发现", "other", 1, P, None, None, None)]  # fmt: skip


def test_a_roster_row_nobody_could_link_still_counts_in_the_roster_household(
    models: Models,
) -> None:
    """The roster lists 3 members (its 家庭月总收入 is theirs); one ID could not be linked."""
    given(
        models,
        members=[member(HEAD, "F1", "roster"), member(SPOUSE, "F1", "roster")],
        roster_rows=[roster("F1", HEAD, "本人", 1), roster("F1", SPOUSE, "配偶", 2),
                     roster("F1", None, "子女", 3)],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "size", "head_id") == [("F1", 3, HEAD)]


def test_a_rural_household_whose_only_person_belongs_to_another_is_not_formed(
    models: Models,
) -> None:
    given(
        models,
        members=[member(R1, "XC:H10", "rural")],
        rural_rows=[rural("H10", R1, "子女", 1), rural("H9", R1, "本人", 2)],
    )
    assert rows(models.run(MODEL), "household_key", "size", "head_id") == [("XC:H10", 1, R1)]


# --- the head's row


def test_roster_facts_come_from_the_head_row_whatever_the_id_order(models: Models) -> None:
    """The 本人 row is the head's even when another member's ID sorts first."""
    given(
        models,
        members=[member(SPOUSE, "F1", "roster"), member(HEAD, "F1", "roster")],
        roster_rows=[
            roster("F1", HEAD, "配偶", 1, category="特困", status="退出", monthly_income=999,
                   urban_rural="农村", township="乌衣镇", village="乙村"),
            roster("F1", SPOUSE, "本人", 2, monthly_income=1200, monthly_benefit=400),
        ],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert rows(
        frame, "head_id", "category", "status", "urban_rural", "roster_monthly_income",
        "monthly_benefit", "township", "village",
    ) == [(SPOUSE, "低保", "在保", "城市", 1200.0, 400.0, "琅琊街道", "东门社区")]  # fmt: skip


def test_a_known_zero_roster_income_stays_zero_and_a_blank_one_stays_unknown(
    models: Models,
) -> None:
    given(
        models,
        members=[member(HEAD, "F1", "roster"), member(P, "F2", "roster")],
        roster_rows=[roster("F1", HEAD, "本人", 1, monthly_income=0),
                     roster("F2", P, "本人", 2, monthly_income=None)],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "roster_monthly_income") == [
        ("F1", 0.0),
        ("F2", None),
    ]


def test_the_rural_head_is_the_ben_ren_row(models: Models) -> None:
    given(
        models,
        members=[member(R1, "XC:H1", "rural"), member(R2, "XC:H1", "rural")],
        rural_rows=[rural("H1", R1, "配偶", 1, per_capita_income_year=1),
                    rural("H1", R2, "本人", 2, per_capita_income_year=7200)],
    )  # fmt: skip
    assert rows(models.run(MODEL), "head_id", "size", "rural_income_year") == [(R2, 2, 7200.0)]


# --- routing: township


def test_township_of_the_roster_then_the_rural_source(models: Models) -> None:
    given(
        models,
        members=[member(HEAD, "F1", "roster"), member(R1, "XC:H1", "rural")],
        roster_rows=[roster("F1", HEAD, "本人", 1, township="乌衣镇")],
        rural_rows=[rural("H1", R1, "本人", 1, township="半塔镇")],
        records=[record(1, HEAD, "琅琊街道"), record(2, HEAD, "琅琊街道"), record(3, R1, "琅琊街道")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "township", "county") == [
        ("F1", "乌衣镇", "341103"),
        ("XC:H1", "半塔镇", "341122"),
    ]


def test_else_the_most_frequent_township_of_the_persons_records(models: Models) -> None:
    given(
        models,
        members=[member(P, "GR:p", "other"), member(HEAD, "GR:h", "other")],
        records=[
            record(1, P, "乌衣镇"), record(2, P, "琅琊街道"), record(3, P, "琅琊街道"),
            record(4, P, None), record(5, P, None), record(6, P, None),
            record(7, HEAD, "沙河镇"), record(8, HEAD, "乌衣镇"),  # a tie: the first by name
            record(9, None, "半塔镇"),  # linked to nobody
        ],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "township", "county") == [
        ("GR:h", "乌衣镇", "341103"),
        ("GR:p", "琅琊街道", "341102"),
    ]


def test_no_township_anywhere_is_to_be_assigned(models: Models) -> None:
    given(models, members=[member(P, "GR:p", "other")], records=[record(1, P, None)])
    assert rows(models.run(MODEL), "township", "county", "township_in_reference") == [
        ("待分派", "341102", True)
    ]


# --- routing: county


def test_a_townships_county_is_the_reference_lists_not_the_id_prefix(models: Models) -> None:
    """A 来安县 ID living in 琅琊街道 goes to 琅琊区; a 参保地 elsewhere does not matter either."""
    given(
        models,
        members=[member(HEAD, "F1", "roster")],
        roster_rows=[roster("F1", HEAD, "本人", 1, township="琅琊街道")],
        records=[record(1, HEAD, "琅琊街道", "roster")],
        settlements=[settlement(1, HEAD, "2026-10-01", "定远县")],
    )
    assert rows(models.run(MODEL), "township", "county", "township_in_reference") == [
        ("琅琊街道", "341102", True)
    ]


def test_a_township_missing_from_the_list_goes_to_the_county_most_of_its_ids_carry(
    models: Models,
) -> None:
    """Former codes count for their successor: 342322 and 341122 are both 来安县 (3 against 2)."""
    given(
        models,
        members=[member(HEAD, "F1", "roster")],
        roster_rows=[roster("F1", HEAD, "本人", 1, township="新城镇")],
        records=[
            record(1, "341103198001010011", "新城镇"), record(2, "341103198101010011", "新城镇"),
            record(3, "342322198001010011", "新城镇"), record(4, HEAD, "新城镇"),
            record(5, SPOUSE, "新城镇"),
            record(6, "341102198001010011", "琅琊街道"),  # another township
            record(7, "341102198001010011", "琅琊街道"),
            record(8, "341102198001010011", "琅琊街道"),
        ],
        settlements=[settlement(1, HEAD, "2026-10-01", "定远县")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "township", "county", "township_in_reference") == [
        ("新城镇", "341122", False)
    ]


def test_a_missing_township_of_ids_of_another_city_stays_with_their_code(models: Models) -> None:
    given(
        models,
        members=[member(OUTSIDE, "GR:o", "other")],
        records=[record(1, OUTSIDE, "江宁镇"), record(2, OUTSIDE, "江宁镇")],
    )
    assert rows(models.run(MODEL), "township", "county", "township_in_reference") == [
        ("江宁镇", "320102", False)
    ]


def test_without_a_township_the_insured_place_of_the_latest_settlement(models: Models) -> None:
    """参保地 as a county's name or a 6-digit code (a former code maps to its successor)."""
    given(
        models,
        members=[member(P, "GR:p", "other"), member(HEAD, "GR:h", "other"),
                 member(SPOUSE, "GR:s", "other")],
        settlements=[
            settlement(1, P, "2026-03-01", "341103"),
            settlement(2, P, "2026-09-01", "定远县"),  # the latest
            settlement(3, P, "2026-05-01", "341124"),
            settlement(4, HEAD, "2026-09-01", "342326"),  # former 凤阳县
            settlement(5, SPOUSE, "2026-09-01", "天长市"),  # a name of two codes: one county
        ],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "township", "county") == [
        ("GR:h", "待分派", "341126"),
        ("GR:p", "待分派", "341125"),
        ("GR:s", "待分派", "341181"),
    ]


def test_the_insured_place_of_any_member_counts_for_the_household(models: Models) -> None:
    given(
        models,
        members=[member(R1, "XC:H1", "rural"), member(R2, "XC:H1", "rural")],
        rural_rows=[rural("H1", R1, "本人", 1, township=None), rural("H1", R2, "配偶", 2, township=None)],
        settlements=[settlement(1, R1, "2026-01-01", "全椒县"), settlement(2, R2, "2026-06-01", "明光市")],
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "township", "county") == [
        ("XC:H1", "待分派", "341182")
    ]


def test_else_the_heads_id_county_as_the_code_in_force(models: Models) -> None:
    given(
        models,
        members=[member(FORMER, "GR:f", "other"), member(OUTSIDE, "GR:o", "other"),
                 member(HEAD, "GR:h", "other")],
        settlements=[settlement(1, HEAD, "2026-09-01", None)],  # no 参保地: no help
    )  # fmt: skip
    assert rows(models.run(MODEL), "household_key", "township", "county") == [
        ("GR:f", "待分派", "341126"),  # 342326 (former 凤阳县) -> 341126
        ("GR:h", "待分派", "341122"),
        ("GR:o", "待分派", "320102"),  # another city: as it is
    ]


def test_one_row_per_household_and_its_columns(models: Models) -> None:
    given(
        models,
        members=[member(HEAD, "F1", "roster"), member(SPOUSE, "F1", "roster"),
                 member(CHILD, "F1", "roster")],
        roster_rows=[roster("F1", HEAD, "本人", 1), roster("F1", SPOUSE, "配偶", 2),
                     roster("F1", CHILD, "子女", 3)],
        records=[record(i, HEAD, "琅琊街道") for i in range(1, 4)],
        settlements=[settlement(1, HEAD, "2026-09-01", "定远县"),
                     settlement(2, SPOUSE, "2026-09-01", "定远县")],
    )  # fmt: skip
    frame = models.run(MODEL)
    assert frame.height == 1
    assert frame.columns == [
        "household_key", "kind", "membership", "size", "head_id", "county", "township",
        "township_in_reference", "village", "category", "urban_rural", "status",
        "roster_monthly_income", "monthly_benefit", "rural_income_year", "monitoring_class",
    ]  # fmt: skip
