"""sql/80_analyst/price_subsidy_people.sql: who gets the month's 价格临时补贴 at a run, and how
much; sql/80_analyst/month_run.sql: the month's last completed run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl

from conftest import make_id

from .harness import Models

MODEL = "80_analyst/price_subsidy_people.sql"
RUN = "2026-11-15"

# Household H1: 低保 在保 城市, head and spouse; the spouse also draws 失业保险金.
H1_HEAD = make_id("341102", "19700101", 11)
H1_SPOUSE = make_id("341102", "19720202", 22)
# H2: 特困 渐退 农村. H3: 低保边缘 (not eligible) 农村, its member draws 失业保险金.
H2 = make_id("341122", "19400303", 33)
H3 = make_id("341122", "19800404", 44)
# H4: 低保 退出. H5: the head's row says 特困 在保, another member's row says 退出: the head's.
H4 = make_id("341122", "19600505", 55)
H5_HEAD = make_id("341125", "19500606", 66)
H5_CHILD = make_id("341125", "19900707", 77)
# HR only: an ID of 琅琊区 (城市), of a former code of 琅琊区, of 来安县 (农村), of another city.
HR_CITY = make_id("341102", "19850808", 88)
HR_FORMER = make_id("342301", "19860909", 99)
HR_RURAL = make_id("341122", "19871010", 12)
HR_ELSEWHERE = make_id("110101", "19881111", 13)
HR_NO = make_id("341102", "19891212", 14)  # 否
HR_FIRST_NO = make_id("341102", "19900101", 15)  # first record 否, a second one 是
LINKED = make_id("341102", "19910202", 16)  # a roster row with a typo in the ID, linked
DEAD_BEFORE = make_id("341102", "19300303", 17)  # died in October: left out
DEAD_DURING = make_id("341102", "19310404", 18)  # died on 11-10: still gets November's
OLD_PICTURE = make_id("341102", "19920505", 19)  # only in an earlier roster picture
LATER_PICTURE = make_id("341102", "19930606", 20)  # only in a later run's picture


def roster(file: str, row: int, household: str, person: str | None, relation: str,
           category: str, status: str, area: str, township: str = "琅琊街道",
           **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"file_hash": file, "_row": row, "person_id": person, "id_status": "valid",
            "household_no": household, "member_name": f"成员{row}", "relation": relation,
            "township": township, "village": "东门社区", "urban_rural": area,
            "category": category, "status": status} | extra  # fmt: skip


def hr(file: str, row: int, person: str | None, benefit: str | None,
       township: str | None = "琅琊街道") -> dict[str, Any]:  # fmt: skip
    return {
        "file_hash": file,
        "_row": row,
        "person_id": person,
        "id_status": "valid",
        "person_name": f"职工{row}",
        "unemployment_benefit": benefit,
        "township": township,
    }


def picture(run_id: str, source: str, file: str) -> dict[str, Any]:
    return {"run_id": run_id, "source": source, "file_hash": file, "file_name": f"{file}.csv"}


def given(models: Models) -> None:
    models.given("pictures", [
        picture("2026-10-15", "roster", "r_old"),
        picture("2026-11-15", "roster", "r1"), picture("2026-11-15", "roster", "r2"),
        picture("2026-11-01", "hr", "h1"),  # HR's picture at the run: delivered earlier
        picture("2026-12-01", "roster", "r_later"), picture("2026-12-01", "hr", "h_later"),
    ])  # fmt: skip
    models.given("clean_roster", [
        roster("r1", 1, "H1", H1_HEAD, "本人", "低保", "在保", "城市"),
        roster("r1", 2, "H1", H1_SPOUSE, "配偶", "低保", "在保", "城市"),
        roster("r1", 3, "H2", H2, "本人", "特困", "渐退", "农村", township="新安镇"),
        roster("r1", 4, "H3", H3, "本人", "低保边缘", "在保", "农村", township="新安镇"),
        roster("r1", 5, "H4", H4, "本人", "低保", "退出", "农村", township="新安镇"),
        roster("r2", 1, "H5", H5_CHILD, "子女", "特困", "退出", "农村", township="不在名录镇"),
        roster("r2", 2, "H5", H5_HEAD, "本人", "特困", "在保", "农村", township="不在名录镇"),
        roster("r2", 3, "H1", None, "子女", "低保", "在保", "城市", id_status="bad_check"),
        roster("r2", 4, "H1", None, "子女", "低保", "在保", "城市", id_status="missing"),
        roster("r2", 5, "H1", DEAD_BEFORE, "父母", "低保", "在保", "城市"),
        roster("r2", 6, "H1", DEAD_DURING, "父母", "低保", "在保", "城市"),
        roster("r2", 7, "H1", H1_HEAD, "本人", "低保", "在保", "城市"),  # re-delivered
        roster("r2", 8, "H9", make_id("341102", "19940707", 21), "本人", "低保", "在保", "城市",
               quarantine_reason="缺少必需列"),
        roster("r_old", 1, "H6", OLD_PICTURE, "本人", "低保", "在保", "城市"),
        roster("r_later", 1, "H7", LATER_PICTURE, "本人", "低保", "在保", "城市"),
    ])  # fmt: skip
    models.given("record_links", [
        {"source": "roster", "file_hash": "r2", "_row": 3, "person_id": LINKED, "method": "fuzzy"},
        {"source": "roster", "file_hash": "r2", "_row": 4, "person_id": None, "method": "review"},
    ])  # fmt: skip
    models.given("clean_hr", [
        hr("h1", 1, H1_SPOUSE, "是"),
        hr("h1", 2, H3, "是"),
        hr("h1", 3, HR_CITY, "是", township=None),
        hr("h1", 4, HR_FORMER, "是", township="东门街道"),
        hr("h1", 5, HR_RURAL, "是", township="新安镇"),
        hr("h1", 6, HR_ELSEWHERE, "是", township="琅琊街道"),
        hr("h1", 7, HR_NO, "否"),
        hr("h1", 8, HR_FIRST_NO, "否"),
        hr("h1", 9, HR_FIRST_NO, "是"),
        hr("h1", 10, None, "是"),  # about nobody
        hr("h_later", 1, make_id("341102", "19950808", 22), "是"),
    ])  # fmt: skip
    models.given("linked_health", [
        {"file_hash": "d", "_row": 1, "id_status": "valid", "person_id": DEAD_BEFORE,
         "death_date": "2026-10-31"},
        {"file_hash": "d", "_row": 2, "id_status": "valid", "person_id": DEAD_DURING,
         "death_date": "2026-11-10"},
    ])  # fmt: skip
    models.given("city_counties", [
        {"code": "341102", "county": "341102", "name": "琅琊区"},
        {"code": "342301", "county": "341102", "name": "琅琊区"},
        {"code": "341122", "county": "341122", "name": "来安县"},
        {"code": "341125", "county": "341125", "name": "定远县"},
    ])  # fmt: skip
    models.given("city_townships", [
        {"township": "琅琊街道", "county": "341102"}, {"township": "东门街道", "county": "341102"},
        {"township": "新安镇", "county": "341122"},
    ])  # fmt: skip


AREAS = pl.DataFrame({"county": ["341102", "341122"], "area": ["城市", "农村"]})


def query(models: Models, run_id: str = RUN, rise: float = 3.6, **params: Any) -> pl.DataFrame:
    with models.engine.registered("county_areas", AREAS):
        return models.query(
            MODEL, run_id=run_id, month_start=dt.date(2026, 11, 1), rise=rise, decimals=2,
            standard_urban=800, standard_rural=750, other_area="城市",
        )  # fmt: skip


def by_person(frame: pl.DataFrame) -> dict[str, dict[str, Any]]:
    return {r["person_id"]: r for r in frame.iter_rows(named=True) if r["person_id"]}


def test_every_eligible_person_once_with_their_categories_and_amount(models: Models) -> None:
    given(models)
    got = query(models)
    people = by_person(got)
    assert got.filter(pl.col("person_id").is_not_null())["person_id"].n_unique() == len(people)
    expected = {
        # person: (categories, household, area, area_from, standard, amount)
        H1_HEAD: ("低保", "H1", "城市", "城乡类别", 800, "28.80"),
        H1_SPOUSE: ("低保;失业保险金", "H1", "城市", "城乡类别", 800, "28.80"),
        LINKED: ("低保", "H1", "城市", "城乡类别", 800, "28.80"),  # linking's person
        DEAD_DURING: ("低保", "H1", "城市", "城乡类别", 800, "28.80"),
        H2: ("特困", "H2", "农村", "城乡类别", 750, "27.00"),
        # on the roster in a household not eligible: its 城乡类别, as a recipient
        H3: ("失业保险金", "H3", "农村", "城乡类别", 750, "27.00"),
        H5_CHILD: ("特困", "H5", "农村", "城乡类别", 750, "27.00"),  # the head's row decides
        H5_HEAD: ("特困", "H5", "农村", "城乡类别", 750, "27.00"),
        HR_CITY: ("失业保险金", None, "城市", "身份证号所属区县", 800, "28.80"),
        HR_FORMER: ("失业保险金", None, "城市", "身份证号所属区县", 800, "28.80"),
        HR_RURAL: ("失业保险金", None, "农村", "身份证号所属区县", 750, "27.00"),
        HR_ELSEWHERE: ("失业保险金", None, "城市", "其他地区身份证号", 800, "28.80"),
    }  # not HR_FIRST_NO: their first HR record says 否 (hr_current's record)
    assert set(people) == set(expected)
    for person, (categories, household, area, area_from, standard, amount) in expected.items():
        row = people[person]
        assert (row["categories"], row["household_key"], row["area"], row["area_from"]) == (
            categories, household, area, area_from), person  # fmt: skip
        assert row["standard"] == Decimal(standard) and row["amount"] == Decimal(amount), person


def test_left_out_not_eligible_dead_quarantined_and_other_pictures(models: Models) -> None:
    given(models)
    people = by_person(query(models))
    # 退出, 否, died before the month, a quarantined row, an earlier or later picture's rows
    for person in (H4, HR_NO, DEAD_BEFORE, OLD_PICTURE, LATER_PICTURE):
        assert person not in people
    assert make_id("341102", "19940707", 21) not in people
    # the earlier run's roster picture at run 2026-10-15, with no HR picture yet
    earlier = by_person(query(models, run_id="2026-10-15"))
    assert list(earlier) == [OLD_PICTURE]


def test_records_about_nobody_are_one_row_each_without_an_id(models: Models) -> None:
    given(models)
    nobody = query(models).filter(pl.col("person_id").is_null())
    assert sorted(nobody.select("categories", "household_key").rows(),
                  key=str) == [("低保", "H1"), ("失业保险金", None)]  # fmt: skip


def test_routing_by_the_township_else_the_id_county(models: Models) -> None:
    given(models)
    people = by_person(query(models))
    assert (people[H2]["county"], people[H2]["township"]) == ("341122", "新安镇")
    # a township not in the list: the ID's county; no township: 待分派
    assert (people[H5_HEAD]["county"], people[H5_HEAD]["township"]) == ("341125", "不在名录镇")
    assert (people[HR_CITY]["county"], people[HR_CITY]["township"]) == ("341102", "待分派")
    assert people[HR_ELSEWHERE]["county"] == "341102"  # 琅琊街道's county


def test_amounts_follow_the_rise_and_round_to_the_decimals(models: Models) -> None:
    given(models)
    people = by_person(query(models, rise=3.7))
    assert people[H1_HEAD]["amount"] == Decimal("29.60")  # 800 × 3.7 %
    assert people[H2]["amount"] == Decimal("27.75")  # 750 × 3.7 %
    with models.engine.registered("county_areas", AREAS):
        tenths = models.query(
            MODEL, run_id=RUN, month_start=dt.date(2026, 11, 1), rise=3.7, decimals=1,
            standard_urban=800, standard_rural=750, other_area="农村",
        )  # fmt: skip
    rounded = by_person(tenths)
    assert rounded[H2]["amount"] == Decimal("27.80")  # 27.75 to the jiao, half up
    assert rounded[HR_ELSEWHERE]["area"] == "农村"  # other_area


def test_the_months_last_completed_run(models: Models) -> None:
    def run(run_id: str, status: str = "completed") -> dict[str, Any]:
        return {"run_id": run_id, "as_of": run_id, "started_at": f"{run_id} 02:00:00",
                "status": status}  # fmt: skip

    models.given("runs", [run("2026-10-15"), run("2026-11-15"), run("2026-11-30", "failed"),
                          run("2026-12-01")])  # fmt: skip

    def month_run(end: str) -> list[tuple[Any, ...]]:
        return models.query("80_analyst/month_run.sql", month_end=dt.date.fromisoformat(end)).rows()

    assert month_run("2026-11-30") == [("2026-11-15", dt.date(2026, 11, 15), dt.date(2026, 12, 1))]
    assert month_run("2026-12-31") == [("2026-12-01", dt.date(2026, 12, 1), dt.date(2026, 12, 1))]
    assert month_run("2026-10-31")[0][0] == "2026-10-15"
    assert month_run("2026-09-30") == []
