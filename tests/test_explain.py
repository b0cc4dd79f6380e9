"""monitor.explain: one household's signals, evidence, members, links, income computation,
warning history and dispositions, from the sample's nights, read-only and masked."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from conftest import AS_OF, read, run
from monitor.dispositions import record_disposition
from monitor.engine import Engine, connect
from monitor.errors import ExplainError, MonitorError, UnknownHouseholdError
from monitor.explain import explain
from monitor.privacy import mask_id, mask_name, mask_text
from monitor.state import open_state

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PREVIOUS = dt.date(2026, 10, 15)
LATER = AS_OF + dt.timedelta(days=5)
DECIDED = AS_OF + dt.timedelta(days=2)
NOTE = "已电话联系 13812345678，家属李明同意入户"
CASEWORKER = "王芳"


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Three nights of the sample, once for the module: the previous HR snapshot a month
    earlier, the sample's night, then (after a caseworker handled one signal of a warned
    household) the same input five days later, so that the signal is held back."""
    folder = tmp_path_factory.mktemp("explain")
    state = folder / "s.duckdb"
    run(SAMPLE / "previous", folder / "out-previous", state, PREVIOUS)
    run(SAMPLE / "input", folder / "out-first", state, AS_OF)
    first = read(folder / "out-first" / "warnings.csv")
    several = first.filter(pl.col("codes").str.contains(";")).sort("household_key")
    handled = several.row(0, named=True)
    code = sorted(handled["codes"].split(";"))[0]
    with open_state(state) as engine:
        record_disposition(
            engine,
            handled["household_key"],
            code,
            "已核实-已救助",
            DECIDED,
            NOTE,
            caseworker=CASEWORKER,
        )
        # review.xlsx's answers on two records in review with a member as the candidate
        reviewed = engine.frame(
            "select r.source, c.record_hash, r.candidate_id, m.household_key"
            " from review_pairs r join records_current c using (source, file_hash, _row)"
            " join household_members m on m.person_id = r.candidate_id"
            " join record_links l using (source, file_hash, _row)"
            " where l.method = 'review'"
            # two records (a record may have several candidates: one each)
            " qualify row_number() over (partition by r.source, r.file_hash, r._row"
            " order by r.candidate_id) = 1"
            " order by r.source, r.file_hash, r._row limit 2"
        ).rows()
        for (source, record_hash, candidate, _), same in zip(reviewed, (True, False), strict=True):
            engine.run(
                "70_feedback/record_review_decision.sql",
                {"source": source, "record_hash": record_hash, "candidate_id": candidate,
                 "same_person": same, "note": None, "workbook_hash": None},
            )  # fmt: skip
    run(SAMPLE / "input", folder / "out", state, LATER)
    return {
        "state": state,
        "warnings": read(folder / "out" / "warnings.csv"),
        "first": first,
        "handled": handled["household_key"],
        "handled_code": code,
        "reviewed": reviewed,
    }


@pytest.fixture
def engine(nights: dict[str, object]) -> Iterator[Engine]:
    """The nights' state opened read-only: any write explain tried would fail."""
    with connect(nights["state"], read_only=True) as engine:  # type: ignore[arg-type]
        yield engine


def _members(engine: Engine, key: str) -> pl.DataFrame:
    return engine.frame(
        "select m.person_id, p.name, c.value as phone from household_members m"
        " left join persons p using (person_id)"
        " left join person_contacts c on c.person_id = m.person_id and c.kind = 'phone'"
        " where m.household_key = ?",
        [key],
    )


def _assert_masked(text: str, engine: Engine, key: str) -> None:
    members = _members(engine, key)
    for person_id in members["person_id"].to_list():
        assert person_id not in text
    for phone in members["phone"].drop_nulls().to_list():
        assert phone not in text
    for name in members["name"].drop_nulls().unique().to_list():
        if len(name) >= 2:
            assert name not in text, name
    # nothing that looks like a full ID or mobile number anywhere
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", text)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)


def test_a_warned_household_names_every_code_and_its_evidence_masked(
    nights: dict[str, object], engine: Engine
) -> None:
    warnings: pl.DataFrame = nights["warnings"]  # type: ignore[assignment]
    picked = warnings.filter(pl.col("codes").str.contains(";")).head(5)
    assert picked.height == 5
    for row in picked.iter_rows(named=True):
        key = row["household_key"]
        got = explain(engine, key)
        text = got.text()
        assert got.warned and got.tier == row["tier"]
        assert set(got.codes) == set(row["codes"].split(";"))
        for code in row["codes"].split(";"):
            assert code in text
        evidence = engine.frame(
            "select file_name, _row from signal_evidence"
            " where household_key = ? and file_name is not null",
            [key],
        )
        assert evidence.height > 0
        for file_name, line in evidence.rows():
            assert f"{file_name} 第 {line} 行" in text
        _assert_masked(text, engine, key)
        for member in row["member_ids"].split(";"):
            assert member not in text


def test_each_signal_carries_the_text_warnings_csv_published(
    nights: dict[str, object], engine: Engine
) -> None:
    warnings: pl.DataFrame = nights["warnings"]  # type: ignore[assignment]
    row = warnings.filter(
        pl.col("codes").str.contains(";") & (pl.col("household_key") != nights["handled"])
    ).row(0, named=True)
    got = explain(engine, row["household_key"])
    names = _members(engine, row["household_key"])["name"].drop_nulls().to_list()
    published = [s.published for s in got.signals if s.published]
    assert len(published) == len(row["codes"].split(";"))
    # the signals' parts, joined, are warnings.csv's explanation (its names masked)
    assert "".join(published) == mask_text(row["explanation"], names)


def test_members_and_how_each_record_was_linked(engine: Engine) -> None:
    fuzzy = engine.frame(
        "select m.household_key from record_links l join household_members m using (person_id)"
        " where l.method = 'fuzzy' order by 1 limit 1"
    ).item()
    got = explain(engine, fuzzy)
    text = got.text()
    assert "二、家庭成员" in text and len(got.members) >= 1
    linked = [r for r in got.records if r.method == "fuzzy"]
    assert linked and all(r.score is not None and r.levels for r in linked)
    # the comparison levels as review.csv words them
    assert all(r.levels.startswith("姓名:") for r in linked if r.levels)
    assert "模糊匹配" in text and "候选来源:" in text
    exact = [r for r in got.records if r.method == "exact"]
    assert exact and all(r.levels is None for r in exact)
    _assert_masked(text, engine, fuzzy)


def test_a_record_in_review_is_listed_with_its_member_candidate(engine: Engine) -> None:
    key, row = engine.frame(
        "select m.household_key, r._row from review_pairs r"
        " join household_members m on m.person_id = r.candidate_id order by 1, 2 limit 1"
    ).row(0)
    got = explain(engine, key)
    review = [r for r in got.records if r.method == "review"]
    assert any(r.row == row and r.levels and r.note and "候选人" in r.note for r in review)
    assert "待人工复核" in got.text()


def test_identity_decisions_returned_in_review_xlsx_are_shown(
    nights: dict[str, object], engine: Engine
) -> None:
    reviewed: list[tuple[str, str, str, str]] = nights["reviewed"]  # type: ignore[assignment]
    (_, _, same_id, same_key), (_, _, other_id, other_key) = reviewed
    decided = [r for r in explain(engine, same_key).records if r.method == "review-decided"]
    assert len(decided) == 1
    assert decided[0].person.endswith(f"（{mask_id(same_id)}）") and "review.xlsx" in (
        decided[0].note or ""
    )
    refused = [
        r for r in explain(engine, other_key).records if r.note and "认定不是候选人本人" in r.note
    ]
    assert len(refused) == 1 and refused[0].method == "unmatched" and refused[0].person == ""
    assert mask_id(other_id) in (refused[0].note or "")


def test_the_income_steps_are_the_scoring_models_figures(engine: Engine) -> None:
    key, income, rigid, per_capita, standard, size = engine.frame(
        "select household_key, income, rigid_expenditure, per_capita, standard, size"
        " from household_income where income is not null and rigid_expenditure > 0"
        " and hr_income is not null order by household_key limit 1"
    ).row(0)
    got = explain(engine, key)
    steps = {s.label: s.text for s in got.income}
    assert list(steps) == ["登记收入", "人社收入", "家庭月收入", "刚性支出", "人均收入",
                           "低保标准", "家庭年收入"]  # fmt: skip

    def yuan(v: float) -> str:
        return f"{v:,.0f}" if round(v, 2) == round(v) else f"{v:,.2f}"

    assert yuan(income) in steps["家庭月收入"]
    assert steps["刚性支出"].endswith(f"= {yuan(rigid)} 元/月")
    assert f"÷ {size} 人 = {yuan(per_capita)} 元/月" in steps["人均收入"]
    assert steps["低保标准"].startswith(f"{yuan(standard)} 元/人·月")
    assert "× （1 − 20%）" in steps["人社收入"] or "养老" in steps["人社收入"]


def test_an_unknown_income_says_so_and_stops(engine: Engine) -> None:
    key = engine.frame(
        "select household_key from household_income where income is null order by 1 limit 1"
    ).item()
    steps = explain(engine, key).income
    assert [s.label for s in steps] == ["登记收入", "人社收入", "家庭月收入"]
    assert "未知" in steps[-1].text


def test_the_history_across_runs_and_the_disposition(
    nights: dict[str, object], engine: Engine
) -> None:
    key: str = nights["handled"]  # type: ignore[assignment]
    code: str = nights["handled_code"]  # type: ignore[assignment]
    got = explain(engine, key)
    assert got.as_of == LATER and got.run_id == LATER.isoformat()
    assert [h.as_of for h in got.history] == [PREVIOUS, AS_OF, LATER]
    first: pl.DataFrame = nights["first"]  # type: ignore[assignment]
    tier = first.filter(household_key=key)["tier"].item()
    assert got.history[1].tier == tier and code in got.history[1].codes
    assert code not in got.history[2].codes  # handled: held back at the later run
    assert len(got.dispositions) == 1
    d = got.dispositions[0]
    assert (d.code, d.outcome, d.decided_on, d.answers_run) == (
        code, "已核实-已救助", DECIDED, AS_OF.isoformat())  # fmt: skip
    text = got.text()
    assert "13812345678" not in text and "138****5678" in text
    assert CASEWORKER not in text and mask_name(CASEWORKER) in text
    # the handled signal is still explained, said to be held back, without a published text
    held = next(s for s in got.signals if s.code == code)
    assert held.published is None and held.held_back and "已核实-已救助" in held.held_back
    assert "五、历次运行的预警" in text and f"{PREVIOUS}（运行 {PREVIOUS}）" in text


def test_a_household_never_warned_is_explained_too(engine: Engine) -> None:
    key = engine.frame(
        "select household_key from households_routed where household_key not in"
        " (select household_key from warning_history) order by 1 limit 1"
    ).item()
    got = explain(engine, key)
    assert not got.warned and got.signals == ()
    assert all(h.tier is None for h in got.history)
    assert "本次未预警" in got.text()


def test_an_unknown_household_is_one_chinese_message_pointing_to_warnings_csv(
    engine: Engine,
) -> None:
    with pytest.raises(UnknownHouseholdError, match=r"warnings\.csv") as caught:
        explain(engine, "341102-1999-999999")
    assert isinstance(caught.value, MonitorError) and "没有家庭编号" in str(caught.value)
    member = engine.frame("select person_id from household_members limit 1").item()
    with pytest.raises(UnknownHouseholdError, match="身份证号") as typed_an_id:
        explain(engine, member)
    assert member not in str(typed_an_id.value)  # what was typed is masked too


def test_the_as_of_date_is_the_latest_runs_and_another_is_refused(engine: Engine) -> None:
    key = engine.frame("select household_key from warnings_current order by 1 limit 1").item()
    assert explain(engine, key, LATER).as_of == LATER
    with pytest.raises(ExplainError, match=str(LATER)):
        explain(engine, key, AS_OF)


def test_explain_leaves_the_state_as_it_was(nights: dict[str, object], tmp_path: Path) -> None:
    state = tmp_path / "s.duckdb"
    shutil.copy(nights["state"], state)  # type: ignore[arg-type]
    before = hashlib.sha256(state.read_bytes()).hexdigest()
    warnings: pl.DataFrame = nights["warnings"]  # type: ignore[assignment]
    with connect(state) as engine:  # writable: explain itself must not write
        for key in warnings["household_key"].head(20).to_list():
            explain(engine, key).text()
    assert hashlib.sha256(state.read_bytes()).hexdigest() == before


def test_a_state_without_a_completed_run_is_one_message(tmp_path: Path) -> None:
    state = tmp_path / "s.duckdb"
    with open_state(state) as engine, pytest.raises(ExplainError, match="还没有完成的运行"):
        explain(engine, "F001")


def test_a_name_keeps_its_surname_only() -> None:
    assert mask_name("张伟") == mask_name("张小明") == "张＊"
    assert mask_name("欧阳明月") == "欧阳＊"
    assert mask_name("欧阳") == "欧＊"  # a two-character name is a surname and a given name
    assert mask_name("阿依古丽·买买提") == "阿＊"
    assert mask_name("王") == "＊"
    assert mask_name(None) == mask_name("") == ""


def test_free_text_loses_its_ids_phones_and_names() -> None:
    text = "张小明（34110219800101001X）电话13812345678，张伟陪同；工单 T20261001"
    masked = mask_text(text, ["张伟", "张小明"])
    assert masked == "张＊（341102********001X）电话138****5678，张＊陪同；工单 T20261001"


def test_an_id_glued_to_letters_is_masked_and_a_ticket_number_is_not() -> None:
    assert mask_text("身份证ID34110219800101001X号") == "身份证ID341102********001X号"
    assert mask_text("证号341102198001010018abc") == "证号341102********0018abc"
    assert mask_text("老证341102800101001号x") == "老证341102*****1001号x"
    assert mask_text("旧证号ID341102800101001") == "旧证号ID341102*****1001"
    # record and ticket numbers of the exports: no birth date in the right place
    for number in ("GD202610210000067", "WG202611150000123", "T202610210000067X"):
        assert mask_text(f"工单{number}") == f"工单{number}"


def test_the_rigid_expenditure_step_adds_schooling_when_the_policy_costs_it() -> None:
    # plan §二(八) 就学 (schooling_cost, 0 by default): medical 200 + schooling 300 = 500 a month
    from monitor.explain import _income

    row = {"income_size": 2, "living_size": 2, "recorded_income": 1400.0,
           "roster_monthly_income": 1400.0, "rural_income_year": None, "hr_income": None,
           "income": 1400.0, "oop_window": 2400.0, "medical_expenditure": 200.0,
           "schooling_expenditure": 300.0, "rigid_expenditure": 500.0, "per_capita": 450.0,
           "standard": 800.0, "annual_income": 16800.0}  # fmt: skip
    members = pl.DataFrame(schema={"hr_file": pl.String})
    settlements = pl.DataFrame({"oop": [2400.0]})
    steps = {s.label: s.text for s in _income(row, members, settlements, {"medical_months": 12})}
    assert steps["刚性支出"] == (
        "近 12 个月医疗个人自付合计 2,400 元（1 笔结算）÷ 12 = 200 元/月；"
        "就学（在读成员按学段计）300 元/月；合计 500 元/月"
    )
    assert steps["人均收入"] == "（1,400 − 500）÷ 2 人 = 450 元/月"
    without = row | {"schooling_expenditure": 0.0, "rigid_expenditure": 200.0}
    steps = {
        s.label: s.text for s in _income(without, members, settlements, {"medical_months": 12})
    }
    assert steps["刚性支出"].endswith("÷ 12 = 200 元/月")
