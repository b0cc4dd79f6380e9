"""Referral to departments: every 救助建议 the registry can give belongs to exactly one
department (the policy file's mapping); each night writes departments/<部门>.xlsx with every
recommendation of warnings.csv in exactly one list, full IDs, owner-only; a department fills
办理结果 and `monitor feedback` records it, refusing a tampered cell by its address."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import stat
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
import yaml
from openpyxl import load_workbook

from conftest import AS_OF, read, run
from monitor.errors import PolicyError
from monitor.feedback import import_workbooks
from monitor.policy import POLICY_DIR, load_policy
from monitor.referrals import (
    REFERRAL_HEADER,
    REFERRAL_RESULTS,
    REFERRAL_SHEET,
    referral_frame,
)
from monitor.signals import (
    CATALOG,
    SINGLE_PERSON_CATEGORIES,
    TIER_RANKS,
    assistance,
    base_recommendation,
    recommendation_texts,
    recommending_codes,
)
from monitor.state import open_state
from monitor.workbooks import CHECK_SHEET, FIRST_ROW

SAMPLE = Path(__file__).parents[1] / "sample_data" / "input"
TODAY = AS_OF + dt.timedelta(days=3)
POLICY = load_policy(POLICY_DIR / "2026.yaml")[0]
CATEGORIES = (None, "低保", "特困", *SINGLE_PERSON_CATEGORIES, "临时救助", "其他低收入")


def produced() -> set[str]:
    """Every 救助建议 text assistance() gives, over every code alone and in pairs, each tier,
    category, status, 渐退 months and no member left."""
    texts: set[str] = set()
    codes = list(CATALOG)
    for combo in itertools.chain(((c,) for c in codes), itertools.combinations(codes, 2)):
        for ranks in itertools.product(TIER_RANKS.values(), repeat=len(combo)):
            tiers = ";".join(f"{c}={r}" for c, r in zip(combo, ranks, strict=True))
            for category, status, months, gone in itertools.product(
                CATEGORIES, ("在保", "退出"), (None, 6), (False, True)
            ):
                texts |= set(assistance(tiers, category, months, gone, status).split(";"))
    return texts - {""}


def test_a_tiers_own_and_a_derived_recommendation_name_the_code_that_gives_them() -> None:
    # CARE_NEEDED: an orange one (a minor without an adult) and a 特困 person's care at home
    codes = ["DECEASED", "CARE_NEEDED", "HOTLINE_HELP"]
    assert recommending_codes("未成年人关爱保护（事实无人抚养儿童核查）", codes) == ["CARE_NEEDED"]
    assert recommending_codes("分散供养照料服务", codes) == ["CARE_NEEDED"]
    assert recommending_codes("停发", codes) == ["DECEASED"]


def test_every_recommendation_the_registry_can_produce_maps_to_exactly_one_department() -> None:
    texts = produced()
    assert {base_recommendation(t) for t in texts} == set(recommendation_texts())
    for policy_file in sorted(POLICY_DIR.glob("*.yaml")):
        referral = load_policy(policy_file)[0].referral
        for text in texts:
            base = base_recommendation(text)
            listed = [d for d, items in referral.departments.items() if base in items]
            assert len(listed) <= 1, (policy_file.name, text, listed)
            assert referral.department_of(base) in referral.department_names()
            assert referral.department_of(base) == (listed[0] if listed else "民政")
    # policy.md's mapping
    said = {"教育救助": "教育", "控辍保学": "教育", "医疗救助": "医保", "住房救助": "住建",
            "就业救助": "人社", "防返贫帮扶": "乡村振兴", "残疾人两项补贴核查": "残联",
            "临时救助": "民政", "纳入低保": "民政", "渐退": "民政", "停发": "民政"}  # fmt: skip
    assert {t: POLICY.referral.department_of(t) for t in said} == said
    assert base_recommendation("渐退（6个月）") == "渐退"


def policy_with(tmp_path: Path, referral: object) -> Path:
    data = yaml.safe_load((POLICY_DIR / "2026.yaml").read_text(encoding="utf-8"))
    if referral is None:
        del data["referral"]
    else:
        data["referral"] = referral
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_policy_file_without_the_mapping_loads_with_the_default(tmp_path: Path) -> None:
    policy = load_policy(policy_with(tmp_path, None))[0]
    assert policy.referral == POLICY.referral
    assert policy.referral.department_names() == ("教育", "医保", "住建", "人社", "乡村振兴",
                                                  "残联", "民政")  # fmt: skip


def test_a_recommendation_in_two_departments_or_unknown_is_refused(tmp_path: Path) -> None:
    twice = {"departments": {"医保": ["医疗救助"], "卫健": ["医疗救助"]}}
    with pytest.raises(PolicyError, match="医疗救助 is listed under both 医保 and 卫健"):
        load_policy(policy_with(tmp_path, twice))
    typo = {"departments": {"医保": ["医疗求助"]}}
    with pytest.raises(PolicyError, match="医疗求助"):
        load_policy(policy_with(tmp_path, typo))
    with pytest.raises(PolicyError, match="default_department"):
        load_policy(policy_with(tmp_path, {"default_department": "民政/社会救助科"}))


def test_the_frame_gives_each_recommendation_its_signals_members_and_tier() -> None:
    head, child = "34110219800101011X", "34110220120101031X"
    warnings = pl.DataFrame([{
        "household_key": "F1", "kind": "在册对象", "county": "341102", "township": "琅琊街道",
        "village": "东门社区", "tier": "red", "codes": "DROPOUT;MAJOR_ILLNESS;MED_OOP_HIGH",
        "assistance": "教育救助;控辍保学;医疗救助;单人户纳入低保;临时救助", "green_channel": "true",
        "deadline": "2026-11-16", "member_ids": f"{head};{child}",
        "assistance_received": "已享受：低保金 800 元/月",
    }])  # fmt: skip
    signals = pl.DataFrame([
        {"household_key": "F1", "code": "DROPOUT", "label": "学生辍学", "tier": "red",
         "member_ids": child, "members": f"张小明 {child}", "detail": "初中辍学"},
        {"household_key": "F1", "code": "MAJOR_ILLNESS", "label": "重大疾病", "tier": "orange",
         "member_ids": head, "members": f"张三 {head}", "detail": "肺癌"},
        {"household_key": "F1", "code": "MED_OOP_HIGH", "label": "医疗自付费用高",
         "tier": "red", "member_ids": head, "members": f"张三 {head}", "detail": "自付 6 万"},
    ])  # fmt: skip
    frame = referral_frame(warnings, signals, POLICY)
    got = [(r["department"], r["recommendation"], r["codes"], r["tier"], r["members"])
           for r in frame.iter_rows(named=True)]  # fmt: skip
    assert got == [
        ("教育", "教育救助", "DROPOUT", "red", f"张小明 {child}"),
        ("教育", "控辍保学", "DROPOUT", "red", f"张小明 {child}"),
        ("医保", "医疗救助", "MAJOR_ILLNESS;MED_OOP_HIGH", "red", f"张三 {head}"),
        ("民政", "单人户纳入低保", "MAJOR_ILLNESS", "orange", f"张三 {head}"),
        ("民政", "临时救助", "MED_OOP_HIGH", "red", f"张三 {head}"),
    ]  # fmt: skip
    medical = frame.filter(pl.col("recommendation") == "医疗救助").row(0, named=True)
    assert medical["detail"] == "重大疾病：肺癌。医疗自付费用高：自付 6 万。"
    assert medical["assistance_received"] == "已享受：低保金 800 元/月"


# ---------------------------------------------------------------- on the sample's night


@pytest.fixture(scope="module")
def sample_night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("referrals")
    run(SAMPLE, folder / "out", folder / "s.duckdb")
    return folder


def listed(book: Path) -> list[dict[str, object]]:
    ws = load_workbook(book)[REFERRAL_SHEET]
    out = []
    for row in ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True):
        if row[REFERRAL_HEADER.index("家庭编号")]:
            out.append(dict(zip(REFERRAL_HEADER, row, strict=False)))
    return out


def test_every_recommendation_lands_in_exactly_one_departments_list(sample_night: Path) -> None:
    folder = sample_night / "out" / "departments"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{d}.xlsx" for d in POLICY.referral.department_names()
    )
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    rows = Counter()
    for book in folder.iterdir():
        assert stat.S_IMODE(book.stat().st_mode) == 0o600
        for r in listed(book):
            rows[(book.stem, r["家庭编号"], r["救助建议"])] += 1
    warnings = read(sample_night / "out" / "warnings.csv")
    expected = Counter(
        (POLICY.referral.department_of(base_recommendation(item)), w["household_key"], item)
        for w in warnings.iter_rows(named=True)
        for item in w["assistance"].split(";")
    )
    assert rows == expected and max(rows.values()) == 1
    assert {d for d, _, _ in rows} >= {"医保", "教育", "民政"}  # the sample has each kind


def test_the_list_identifies_people_by_full_id(sample_night: Path) -> None:
    warnings = read(sample_night / "out" / "warnings.csv")
    rows = listed(sample_night / "out" / "departments" / "医保.xlsx")
    assert rows
    for r in rows:
        ids = warnings.filter(pl.col("household_key") == r["家庭编号"])["member_ids"][0]
        shown = str(r["涉及成员（姓名 身份证号）"])
        assert any(i in shown for i in ids.split(";")), shown
    wb = load_workbook(sample_night / "out" / "departments" / "医保.xlsx")
    assert wb[CHECK_SHEET].sheet_state == "veryHidden"
    validations = wb[REFERRAL_SHEET].data_validations.dataValidation
    assert any(v.formula1 == '"' + ",".join(REFERRAL_RESULTS) + '"' for v in validations)


@pytest.fixture
def returned(sample_night: Path, tmp_path: Path) -> tuple[Path, Path]:
    state = tmp_path / "s.duckdb"
    shutil.copy(sample_night / "s.duckdb", state)
    book = tmp_path / "returned" / "医保.xlsx"
    book.parent.mkdir()
    shutil.copy(sample_night / "out" / "departments" / "医保.xlsx", book)
    return state, book


def fill(book: Path, row: int, **cells: object) -> tuple[str, str]:
    wb = load_workbook(book)
    ws = wb[REFERRAL_SHEET]
    for header, value in cells.items():
        ws.cell(FIRST_ROW + row, REFERRAL_HEADER.index(header) + 1).value = value
    wb.save(book)
    return (
        str(ws.cell(FIRST_ROW + row, REFERRAL_HEADER.index("家庭编号") + 1).value),
        str(ws.cell(FIRST_ROW + row, REFERRAL_HEADER.index("救助建议") + 1).value),
    )


def test_a_departments_result_comes_back_and_is_recorded(returned: tuple[Path, Path], tmp_path: Path) -> None:  # fmt: skip
    state, book = returned
    key, item = fill(book, 1, 办理结果="已纳入救助", 办理日期=TODAY, 经办人="李医保", 备注="已报销")
    with open_state(state) as engine:
        result = import_workbooks(engine, [book.parent], TODAY)
        stored = engine.execute(
            "select run_id, department, household_key, recommendation, result, decided_on,"
            " handler, note, workbook_hash is not null from referral_results"
        )
    assert result.rejected == [] and result.imported == result.referral_results == 1
    assert result.blank >= 1 and "部门转介清单的办理结果: 1 条" in result.text()
    assert stored == [
        (AS_OF.isoformat(), "医保", key, item, "已纳入救助", TODAY, "李医保", "已报销", True)
    ]
    load_workbook(book).save(tmp_path / "resaved.xlsx")  # re-saved by a spreadsheet program
    with open_state(state) as engine:
        again = import_workbooks(engine, [book, tmp_path / "resaved.xlsx"], TODAY)
        assert engine.execute("select count(*) from referral_results") == [(1,)]
    assert again.imported == 0 and again.unchanged == 2


def test_a_tampered_cell_is_refused_naming_the_cell(returned: tuple[Path, Path]) -> None:
    state, book = returned
    fill(book, 1, 办理结果="已纳入救助", 情况说明="（改写的说明）")
    fill(book, 2, 办理结果="不符合条件", 办理日期=TODAY)
    fill(book, 3, 办理结果="已救助")  # not a value of the drop-down
    with open_state(state) as engine:
        result = import_workbooks(engine, [book], TODAY)
        households = engine.execute("select result from referral_results")
    tampered, bad = result.rejected
    column = chr(ord("A") + REFERRAL_HEADER.index("情况说明"))
    assert tampered.cell == f"{column}{FIRST_ROW + 1}" and "受保护的单元格" in tampered.text()
    assert "医保.xlsx" in tampered.text() and tampered.sheet == REFERRAL_SHEET
    result_column = chr(ord("A") + REFERRAL_HEADER.index("办理结果"))
    assert bad.cell == f"{result_column}{FIRST_ROW + 3}" and "不是可选值" in bad.reason
    assert households == [("不符合条件",)] and result.imported == 1


def test_with_the_bureaus_password_the_lists_are_encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """A list leaves the bureau with full IDs: with MONITOR_WORKBOOK_PASSWORD set it is
    encrypted like the township workbooks (and the feedback import opens it with it)."""
    from monitor.referrals import write_department_workbooks
    from monitor.workbooks import PASSWORD_ENV, decrypted, is_encrypted

    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    frame = pl.DataFrame([{"department": "医保", "household_key": "F1", "recommendation": "医疗救助",
                           "codes": "MAJOR_ILLNESS", "tier": "orange", "members": "张三 X",
                           "green_channel": "false"}])  # fmt: skip
    evidence = pl.DataFrame(schema={"household_key": pl.String, "code": pl.String,
                                    "person_id": pl.String})  # fmt: skip
    write_department_workbooks(tmp_path, frame.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in ("member_ids", "signals", "detail", "county",
         "township", "village", "kind", "deadline", "assistance_received")]),
        evidence, {}, ["医保", "民政"], as_of=AS_OF, run_id=AS_OF.isoformat(), secret=b"k" * 32,
        county_names={})  # fmt: skip
    for name in ("医保.xlsx", "民政.xlsx"):
        data = (tmp_path / name).read_bytes()
        assert is_encrypted(data)
        plain = tmp_path / f"plain-{name}"
        plain.write_bytes(decrypted(data, "s3cret"))
        assert REFERRAL_SHEET in load_workbook(plain).sheetnames
