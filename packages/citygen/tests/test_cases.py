"""The cases planted on top of the code cycles, the files that repeat others, absent.csv and
min_per_tier."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from citygen import generate_city
from citygen.plan import CASES, CODES, VARIANTS, all_slots

from .gen_readers import AS_OF, City, Record, load_city, normalize_id, parse_amount, parse_date

# case -> the (code, tier) rows it plants, and the codes that must stay absent
EXPECTED = {
    "deceased_member": ({("DECEASED", "review"), ("MED_OOP_HIGH", "red")},
                        {"SEVERE_DISABILITY", "MAJOR_ILLNESS"}),
    "all_deceased": ({("DECEASED", "review")}, set(CODES) - {"DECEASED"}),
    "roster_and_rural": ({("INCOME_ABOVE_STANDARD", "review"), ("RURAL_RISK", "orange")},
                         {"INCOME_BELOW_STANDARD", "INCOME_EDGE"}),
    "rural_head_member_id_damaged": ({("RURAL_RISK", "red")}, set()),
    "rural_no_member_links": ({("RURAL_RISK", "orange")}, set()),
    "dropout_blank_year": ({("DROPOUT", "red")}, set()),
    "wage_earners_oop": ({("MED_OOP_HIGH", "orange")}, set()),
    "zero_income_oop": ({("MED_OOP_HIGH", "red"), ("INCOME_BELOW_STANDARD", "orange")}, set()),
    "exited_below": ({("INCOME_BELOW_STANDARD", "orange")}, {"MED_ASSIST_MISSING"}),
    "reexport": ({("MED_OOP_HIGH", "orange")}, set()),
    "parent_left": ({("DECEASED", "review")}, {"CARE_NEEDED"}),
    "disabled_with_family": ({("SEVERE_DISABILITY", "orange")}, {"CARE_NEEDED"}),
    "rural_disabled_on_dibao": ({("SEVERE_DISABILITY", "orange")}, {"WORK_ABILITY_LOST"}),
    "rural_disabled_retired": ({("SEVERE_DISABILITY", "orange")}, {"WORK_ABILITY_LOST"}),
    "dibao_wage_blank_benefit": ({("INCOME_ABOVE_STANDARD", "review")}, {"BENEFIT_CHECK"}),
}  # fmt: skip


def _by_case(city: City) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in city.situations:
        out[s["variant"]].append(s)
    return out


def _members(city: City) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for p in city.persons:
        out[p["household_id"]].append(p)
    return out


def _absent(root: Path) -> list[dict[str, str]]:
    with open(root / "truth" / "absent.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_case_is_planted_with_its_rows(city: City) -> None:
    assert {case for _, _, case, _ in CASES} == set(EXPECTED)
    cases = _by_case(city)
    for case, (rows, _) in EXPECTED.items():
        households: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for s in cases[case]:
            households[s["household_id"]].add((s["code"], s["tier"]))
        assert len(households) >= 2, case
        assert all(got == rows for got in households.values()), (case, households)


def test_case_households_hold_no_other_situation(city: City) -> None:
    exclusive = {"deceased_member", "all_deceased", "roster_and_rural", "exited_below",
                 "rural_head_member_id_damaged", "rural_no_member_links", "wage_earners_oop",
                 "zero_income_oop", "parent_left", "disabled_with_family",
                 "rural_disabled_on_dibao", "rural_disabled_retired",
                 "dibao_wage_blank_benefit"}  # fmt: skip
    variants: dict[str, set[str]] = defaultdict(set)
    for s in city.situations:
        variants[s["household_id"]].add(s["variant"])
    for found in variants.values():
        assert not (found & exclusive) or len(found) == 1, found


def test_absent_file(city_dir: Path, city: City) -> None:
    absent = _absent(city_dir)
    case_of = {s["household_id"]: s["variant"] for s in city.situations}
    keys = {s["household_id"]: s["expected_household_key"] for s in city.situations}
    got: dict[str, set[str]] = defaultdict(set)
    for a in absent:
        assert a["household_id"] in case_of
        assert a["expected_household_key"] == keys[a["household_id"]] != ""
        got[a["household_id"]].add(a["code"])
    for household, codes in got.items():
        assert codes == EXPECTED[case_of[household]][1]
    with_absent = {case for case, (_, codes) in EXPECTED.items() if codes}
    assert {case_of[h] for h in got} == with_absent
    manifest = json.loads((city_dir / "truth" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["absent_expectations"] == len(absent)


def test_deaths(city: City) -> None:
    members = _members(city)
    cards = {normalize_id(r.values["残疾人证号"])[:18]: r for r in city.records["disability"]}
    for s in _by_case(city)["deceased_member"] + _by_case(city)["all_deceased"]:
        people = members[s["household_id"]]
        dead = [p for p in people if p["death_date"]]
        for p in dead:
            assert 30 <= (AS_OF - parse_date(p["death_date"])).days <= 200  # type: ignore[operator]
        if s["variant"] == "all_deceased":
            assert len(dead) == len(people) <= 2
        else:
            assert len(dead) == 1 < len(people)
        card = cards[s["person_id"]]
        assert normalize_id(card.values["残疾人证号"])[19] == "1"
        assert s["person_id"] in {p["person_id"] for p in dead}


def test_roster_and_rural(city: City) -> None:
    members = _members(city)
    roster = defaultdict(list)
    for r in city.records["roster"]:
        if "duplicate" not in r.tags:
            roster[r.values["家庭编号"]].append(r)
    rural = defaultdict(list)
    for r in city.records["rural"]:
        rural[r.values["户编号"]].append(r)
    for s in _by_case(city)["roster_and_rural"]:
        people = members[s["household_id"]]
        rows = roster[s["expected_household_key"]]
        assert len(people) == 3 and len(rows) == 2
        omitted = [p for p in people if not p["roster_family_id"]]
        assert len(omitted) == 1
        third = omitted[0]
        assert third["expected_household_key"] == "XC:" + third["rural_household_id"]
        assert {r.person_id for r in rows} == {p["person_id"] for p in people} - {
            third["person_id"]
        }
        income = parse_amount(rows[0].values["家庭月总收入"])
        assert income is not None and 750 < income / 2 < 1500 and income / 3 < 750
        listed = rural[third["rural_household_id"]]
        assert {r.person_id for r in listed} == {p["person_id"] for p in people}
        assert {r.values["监测对象类别"] for r in listed} == {"脱贫不稳定户"}
        assert {r.values["风险是否消除"] for r in listed} == {"否"}


def test_rural_ids_left_blank(city: City) -> None:
    rural = defaultdict(list)
    for r in city.records["rural"]:
        rural[r.values["户编号"]].append(r)
    cases = _by_case(city)
    for s in cases["rural_head_member_id_damaged"]:
        (head,) = rural[s["expected_household_key"].removeprefix("XC:")]
        assert head.values["与户主关系"] == "本人" and not head.values["成员证件号码"]
        assert normalize_id(head.values["户主证件号码"]) == head.person_id == s["person_id"]
        assert "id_blank" in head.tags
    for s in cases["rural_no_member_links"]:
        rows = rural[s["expected_household_key"].removeprefix("XC:")]
        assert 1 <= len(rows) <= 2
        for r in rows:
            assert not r.values["成员证件号码"] and not r.values["户主证件号码"]
            assert str(r.values["成员姓名"]).strip() and r.person_id
            assert "id_blank" in r.tags and "unusable" not in r.tags


def test_dropout_with_a_blank_school_year(city: City) -> None:
    education = defaultdict(list)
    for r in city.records["education"]:
        education[r.person_id].append(r)
    for s in _by_case(city)["dropout_blank_year"]:
        rows = education[s["person_id"]]
        blank = [r for r in rows if not r.values.get("学年")]
        assert len(blank) == 1 and blank[0].values["学籍状态"] == "辍学"
        assert blank[0].values["学段"] in ("小学", "初中")
        assert all(r.values["学年"] == "2025-2026" for r in rows if r not in blank)


def _settlements(city: City, folder_files: set[str] | None = None) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for r in city.records["medical_insurance"]:
        if folder_files is None or r.file in folder_files:
            out[r.person_id].append(r)
    return out


def _key(r: Record) -> tuple[object, ...]:
    amounts = ("医疗总费用（元）", "基本医保支付（元）", "大病保险支付（元）",
               "医疗救助支付（元）", "个人自付（元）")  # fmt: skip
    return (
        normalize_id(r.values["证件号码"]),
        parse_date(r.values["结算日期"]),
        r.values["就医类型"],
        *(parse_amount(r.values[c]) for c in amounts),
    )


def test_reexport_repeats_the_month_in_other_formats(city: City) -> None:
    files = {r.file for r in city.records["medical_insurance"]}
    (again,) = [f for f in files if f.endswith("_重新导出.xlsx")]
    month = again.split("_")[1]
    original = f"医保结算明细_{month}.csv"
    assert original in files
    rows = [r for r in city.records["medical_insurance"] if r.file == again]
    first = {_key(r) for r in city.records["medical_insurance"] if r.file == original}
    assert rows and all("reexport" in r.tags for r in rows)
    assert all(_key(r) in first for r in rows)
    assert any(str(r.values["结算日期"]).startswith(f"{month[:4]}/") for r in rows)
    assert any("," in str(r.values["个人自付（元）"]) for r in rows)
    assert not any(
        "reexport" in r.tags for r in city.records["medical_insurance"] if r.file != again
    )
    repeated = {r.person_id for r in rows}
    for s in _by_case(city)["reexport"]:
        assert s["person_id"] in repeated
        own = [r for r in rows if r.person_id == s["person_id"]]
        assert sum(parse_amount(r.values["个人自付（元）"]) or 0 for r in own) == 26000


@pytest.mark.parametrize("source", ["hotline", "emergency"])
def test_redelivered_files(city: City, source: str) -> None:
    records = city.records[source]
    files = {r.file for r in records}
    (again,) = [f for f in files if "_重发." in f]
    original = again.replace("_重发", "")
    first = [r for r in records if r.file == original]
    second = [r for r in records if r.file == again]
    assert [r.raw for r in second[: len(first)]] == [r.raw for r in first]
    assert all("redelivered" in r.tags for r in second[: len(first)])
    extra = second[len(first) :]
    assert extra and not any("redelivered" in r.tags for r in extra)
    assert all((AS_OF - _date_of(r, source)).days <= 5 for r in extra)


def _date_of(r: Record, source: str):  # type: ignore[no-untyped-def]
    value = r.values["来电时间" if source == "hotline" else "受灾日期"]
    return parse_date(value)


def test_slots_default_and_minimum() -> None:
    default = all_slots(100_000)
    assert [len(s) for s in default[: len(VARIANTS)]] == [6] * len(VARIANTS)
    assert [len(s) for s in default[len(VARIANTS) :]] == [2] * len(CASES)
    dense = all_slots(100_000, min_per_tier=50)
    for code_slots in dense[: len(VARIANTS)]:
        tiers = Counter(s.tier for s in code_slots)
        assert min(tiers.values()) >= 50
        assert set(tiers) == {tier for tier, _, _ in VARIANTS[code_slots[0].code]}
        assert code_slots[:6] == default[CODES.index(code_slots[0].code)]  # today's first
    assert all(len(s) == 50 for s in dense[len(VARIANTS) :])


@pytest.fixture(scope="module")
def dense_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """8,000 people with at least 12 situations of every (code, tier) and case."""
    out = tmp_path_factory.mktemp("dense")
    generate_city(out, people=8000, seed=5, as_of=AS_OF, min_per_tier=12)
    return out


def test_min_per_tier_reaches_its_minimum(dense_dir: Path) -> None:
    out = dense_dir
    city = load_city(out)
    manifest = json.loads((out / "truth" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["unplanted_slots"] == [] and manifest["min_per_tier"] == 12
    households: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s in city.situations:
        households[(s["code"], s["tier"])].add(s["household_id"])
    for code, cycle in VARIANTS.items():
        for tier, _, _ in cycle:
            assert len(households[(code, tier)]) >= 12, (code, tier)
    cases = Counter(s["variant"] for s in city.situations if s["variant"] in EXPECTED)
    for case, (rows, _) in EXPECTED.items():
        assert cases[case] >= 12 * len(rows), case
    planted = {s["household_id"] for s in city.situations}
    assert len(city.quiet) >= 2 * len(planted) * 0.95


# ---- issue 14: care needs, lost work ability, the benefit paid, and their quiet controls


def _age(person: dict[str, str]) -> int:
    born = dt.date.fromisoformat(person["birth_date"])
    return AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))


def _heads(city: City) -> dict[str, Record]:
    """The roster's head row of each 家庭编号 (its household fields)."""
    out = {}
    for r in city.records["roster"]:
        if str(r.values["与户主关系"]).startswith("本人") and "duplicate" not in r.tags:
            out.setdefault(str(r.values["家庭编号"]), r)
    return out


def _living(people: list[dict[str, str]]) -> list[dict[str, str]]:
    return [p for p in people if not p["death_date"]]


def _gap(head: Record, living: int) -> float:
    standard = 800 if head.values["城乡类别"] == "城市" else 750
    return standard * living - (parse_amount(head.values["家庭月总收入"]) or 0)


def test_care_needed_facts(city: City) -> None:
    members, heads = _members(city), _heads(city)
    care = [s for s in city.situations if s["code"] == "CARE_NEEDED"]
    assert {s["variant"] for s in care} == {
        "alone_aged", "minor_alone", "alone_disabled", "widowed_aged",
    }  # fmt: skip
    for s in care:
        head = heads[s["expected_household_key"]]
        assert head.values["救助类别"] in ("低保", "特困")
        assert head.values["状态"] in ("在保", "渐退")
        living = _living(members[s["household_id"]])
        if s["variant"] == "minor_alone":
            assert s["tier"] == "orange" and max(_age(p) for p in living) <= 15
            assert len(living) < len(members[s["household_id"]])  # the adults died
        else:
            assert s["tier"] == "yellow" and len(living) == 1
            if s["variant"] in ("alone_aged", "widowed_aged"):
                assert _age(living[0]) >= 82


def test_work_ability_lost_facts(city: City) -> None:
    members, heads = _members(city), _heads(city)
    rural = {r.person_id for r in city.records["rural"]}
    for s in (s for s in city.situations if s["code"] == "WORK_ABILITY_LOST"):
        person = next(p for p in members[s["household_id"]] if p["person_id"] == s["person_id"])
        assert 25 <= _age(person) <= 50 and s["person_id"] in rural
        head = heads.get(s["expected_household_key"])
        if head is not None:  # on the roster too: not on 低保/特困
            assert head.values["救助类别"] not in ("低保", "特困")


def test_benefit_check_facts(city: City) -> None:
    members, heads = _members(city), _heads(city)
    for s in (s for s in city.situations if s["code"] == "BENEFIT_CHECK"):
        head = heads[s["expected_household_key"]]
        assert (head.values["救助类别"], head.values["状态"]) == ("低保", "在保")
        gap = _gap(head, len(_living(members[s["household_id"]])))
        paid = parse_amount(head.values["月保障金额"])
        assert gap > 0
        assert {"benefit_blank": paid is None, "benefit_zero": paid == 0,
                "benefit_short": paid is not None and 0 < paid <= 0.75 * gap + 5,
                }[s["variant"]], (s["variant"], paid, gap)  # fmt: skip


def test_quiet_controls_beside_the_new_rules(dense_dir: Path) -> None:
    from citygen.plan import QUIET_CONTROLS

    city = load_city(dense_dir)
    members, heads = _members(city), _heads(city)
    controls = defaultdict(list)
    for q in city.quiet:
        if q["variant"]:
            controls[q["variant"]].append(q)
    assert set(controls) == {v for v, _ in QUIET_CONTROLS}
    for variant in ("benefit_full", "benefit_within", "benefit_blank_phasing", "rural_old_illness"):
        assert len(controls[variant]) == 12, variant
    diagnoses = defaultdict(list)
    for r in city.records["health"]:
        if r.values.get("诊断类别") == "重大疾病":
            diagnoses[r.person_id].append(parse_date(r.values.get("就诊日期")))
    for variant, quiet in controls.items():
        for q in quiet:
            people = members[q["household_id"]]
            head = heads.get(q["expected_household_key"])
            category = head and (head.values["救助类别"], head.values["状态"])
            ages = sorted(_age(p) for p in people)
            if variant == "alone_79":
                assert len(people) == 1 and 77 <= ages[0] <= 79 and category in (
                    ("低保", "在保"), ("特困", "在保"))  # fmt: skip
            elif variant == "aged_couple":
                assert len(_living(people)) == 2 and ages[-1] >= 82
                assert category in (("低保", "在保"), ("特困", "在保"))
            elif variant == "aged_alone_edge":
                assert len(people) == 1 and ages[0] >= 82
                assert category in (("低保边缘", "在保"), ("低保", "退出"))
            elif variant == "rural_old_illness":
                days = [(AS_OF - d).days for p in people for d in diagnoses[p["person_id"]] if d]
                assert days and all(420 <= d <= 600 for d in days), days
            elif variant == "rural_dibao_member":
                assert category == ("低保", "在保")
                assert q["expected_household_key"] == head.values["家庭编号"]  # type: ignore[union-attr]
            else:
                assert head is not None
                gap, paid = _gap(head, len(people)), parse_amount(head.values["月保障金额"])
                if variant == "benefit_blank_phasing":
                    assert category == ("低保", "渐退") and paid is None
                else:
                    assert category == ("低保", "在保") and paid is not None
                    share = (0.999, 1.0) if variant == "benefit_full" else (0.92, 0.97)
                    assert share[0] * gap - 1 <= paid <= share[1] * gap + 1, (variant, paid, gap)
