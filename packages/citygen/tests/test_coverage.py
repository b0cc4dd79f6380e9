"""Every defect of the vocabulary and every policy code is present in a 3000-person city."""

from __future__ import annotations

from collections import Counter

from .gen_readers import City

VOCABULARY = {
    "id_lower_x", "id_fullwidth", "id_spaces", "id_apostrophe", "id_15", "id_excel_truncated",
    "id_typo_digit", "id_typo_swap", "id_blank", "name_spaces", "name_fullwidth",
    "name_dot_variant", "name_traditional", "name_homophone", "name_blank", "date_slash",
    "date_compact", "date_chinese", "date_dotted", "date_excel_serial", "date_blank",
    "date_out_of_range", "amount_thousands", "amount_yuan_suffix", "amount_currency",
    "amount_blank", "label_unknown", "label_old", "household_field_disagrees",
    "card_disagrees", "duplicate", "reexport", "redelivered", "unusable",
}  # fmt: skip
CODES = {
    "MED_OOP_HIGH", "MAJOR_ILLNESS", "SEVERE_DISABILITY", "UNEMPLOYED", "DROPOUT", "EDU_COST",
    "HOUSING_UNSAFE", "DISASTER", "RURAL_RISK", "HOTLINE_HELP", "MED_ASSIST_MISSING",
    "INCOME_BELOW_STANDARD", "INCOME_EDGE", "INCOME_DROP", "INCOME_ABOVE_STANDARD",
    "INCOME_EXIT", "DECEASED", "ASSETS_REVIEW", "GRID_REPORT", "CARE_NEEDED",
    "WORK_ABILITY_LOST", "BENEFIT_CHECK",
}  # fmt: skip


def test_every_defect_tag_occurs(city: City) -> None:
    tags: Counter[str] = Counter()
    for rows in city.truth_rows.values():
        for row in rows:
            tags.update(t for t in row["defects"].split(";") if t)
    assert set(tags) == VOCABULARY, set(tags) ^ VOCABULARY
    total = sum(len(rows) for rows in city.truth_rows.values())
    for tag in VOCABULARY - {
        "date_compact",
        "date_chinese",
        "date_slash",
        "date_dotted",
        "date_excel_serial",
        "name_dot_variant",
        "id_lower_x",
    }:
        assert tags[tag] < 0.03 * total, tag  # defects stay rare


def test_every_code_is_planted_at_least_five_times(city: City) -> None:
    codes = Counter(s["code"] for s in city.situations)
    assert set(codes) == CODES
    assert min(codes.values()) >= 5
    kinds = Counter(s["kind"] for s in city.situations)
    assert kinds["roster"] and kinds["rural"] and kinds["other"]
    tiers = {(s["code"], s["tier"]) for s in city.situations}
    for code in ("MED_OOP_HIGH", "HOUSING_UNSAFE", "DISASTER", "RURAL_RISK"):
        assert (code, "red") in tiers and (code, "orange") in tiers


def test_quiet_households_outnumber_planted_ones(city: City) -> None:
    planted = {s["household_id"] for s in city.situations}
    quiet = {q["household_id"] for q in city.quiet}
    assert not planted & quiet
    assert len(quiet) >= len(planted)
    assert {q["kind"] for q in city.quiet} == {"roster", "rural", "other"}


def test_expected_keys(city: City) -> None:
    for p in city.persons:
        key = p["expected_household_key"]
        if p["roster_family_id"]:
            assert key == p["roster_family_id"]
        elif p["rural_household_id"]:
            assert key == "XC:" + p["rural_household_id"]
        else:
            assert key == ""


def test_hotline_callers(city: City) -> None:
    callers = city.callers
    assert len(callers) == len(city.records["hotline"])
    kinds = Counter(c["caller"] for c in callers)
    assert kinds["unknown"] and kinds["resident"] > kinds["unknown"]
    assert all(c["person_id"] == "" for c in callers if c["caller"] == "unknown")
    known = Counter(c["phone_known"] for c in callers if c["caller"] == "resident")
    assert known["true"] > 0


def test_grid_visits(city: City) -> None:
    """One side-truth row per visit record; visits by every role, the planted ones of
    residents whose phone the state holds or carrying their ID, people unknown to the state
    without a person_id."""
    visits = city.visits
    assert len(visits) == len(city.records["grid"])
    roles = Counter(v["role"] for v in visits)
    assert roles["planted"] and roles["quiet"] and roles["unknown"]
    assert roles["background"] > roles["unknown"]
    assert all(v["person_id"] == "" for v in visits if v["visited"] == "unknown")
    records = {(r.file, str(r.row)): r for r in city.records["grid"]}
    for v in visits:
        r = records[(v["file"], v["row"])]
        assert r.values["记录编号"] == v["record_no"]
        if v["role"] == "planted":
            assert v["phone_known"] == "true" or r.values["身份证号"], v
    numbers = [v["record_no"] for v in visits if v["record_no"]]
    assert len(numbers) > len(set(numbers))  # exported twice: the same 记录编号
    assert {r.values["情况类型"] for r in city.records["grid"]} >= {
        "生活困难", "患病", "残疾", "独居老人", "留守儿童", "其他",
    }  # fmt: skip
