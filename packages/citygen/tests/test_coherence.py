"""Households hang together: place, ages, IDs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from citygen.geo import id_region_matches

from .gen_readers import AS_OF, City


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _years_between(older: dt.date, younger: dt.date) -> float:
    return (younger - older).days / 365.2425


def test_members_share_place(city: City) -> None:
    households: dict[str, list[dict[str, str]]] = defaultdict(list)
    for p in city.persons:
        households[p["household_id"]].append(p)
    assert len(households) > 800
    for members in households.values():
        assert len({(m["county"], m["township"], m["village"]) for m in members}) == 1
        assert [m["relation"] for m in members].count("本人") == 1


def test_generations_are_apart(city: City) -> None:
    households: dict[str, list[dict[str, str]]] = defaultdict(list)
    for p in city.persons:
        households[p["household_id"]].append(p)
    checked = 0
    for members in households.values():
        by_role = defaultdict(list)
        for m in members:
            by_role[m["relation"]].append(_date(m["birth_date"]))
        couple = by_role["本人"] + by_role["配偶"]
        for child in by_role["子女"]:
            assert all(_years_between(parent, child) >= 18 for parent in couple)
            checked += 1
        for parent in by_role["父母"]:
            assert _years_between(parent, by_role["本人"][0]) >= 18
        for grandchild in by_role["孙子女"]:
            assert all(_years_between(g, grandchild) >= 36 for g in couple)
        if len(couple) == 2:
            assert abs(_years_between(couple[0], couple[1])) < 15
    assert checked > 300


def test_ids_carry_county_birth_date_and_sex(city: City) -> None:
    for p in city.persons:
        pid = p["person_id"]
        assert id_region_matches(pid[:6], int(p["county"])), (pid, p["county"])
        assert pid[6:14] == p["birth_date"].replace("-", "")
        assert (int(pid[16]) % 2 == 1) == (p["sex"] == "M")


def test_phones_unique_and_mobile(city: City) -> None:
    phones = [p["phone"] for p in city.persons if p["phone"]]
    assert len(phones) == len(set(phones))
    assert all(len(x) == 11 and x[0] == "1" and x[1] in "35789" for x in phones)
    adults = [p for p in city.persons if p["birth_date"] < "2000-01-01"]
    assert sum(1 for p in adults if p["phone"]) / len(adults) > 0.8


def test_names_repeat_like_real_ones(city: City) -> None:
    from collections import Counter

    counts = Counter(p["name"] for p in city.persons)
    assert counts.most_common(1)[0][1] >= 4
    minority = [p["name"] for p in city.persons if "·" in p["name"]]
    assert 0 < len(minority) < 150


def test_twins_share_birth_date_and_surname(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    from citygen import generate_city

    from .gen_readers import load_city

    out = tmp_path_factory.mktemp("twins")
    generate_city(out, people=6000, seed=3, as_of=AS_OF)
    persons = load_city(out).persons
    twins = [p for p in persons if p["twin"] == "true"]
    assert twins and len(twins) % 2 == 0
    by_household = defaultdict(list)
    for p in twins:
        by_household[p["household_id"]].append(p)
    for pair in by_household.values():
        a, b = pair
        assert a["birth_date"] == b["birth_date"] and a["name"][0] == b["name"][0]
        assert abs(int(a["person_id"][14:17]) - int(b["person_id"][14:17])) <= 2
