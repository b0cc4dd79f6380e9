"""monitor audit-sample (随机检查、县级互查): a reproducible weighted sample of the latest warnings
and recent dispositions per township, one signed workbook per county for another county to
check, whose findings `monitor feedback` imports and the report counts; on the sample's
nights."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import AS_OF, read, run
from monitor.audit import (
    AUDIT_CSV_COLUMNS,
    AUDIT_HEADER,
    AUDIT_SHEET,
    FINDINGS,
    audit_sample,
    checker_counties,
    draw,
    draw_key,
)
from monitor.cli import app
from monitor.dispositions import record_disposition
from monitor.errors import AuditSampleError
from monitor.feedback import import_workbooks
from monitor.geography import load_city
from monitor.policy import AUDIT_KINDS, POLICY_DIR, Audit, load_policy
from monitor.report import build_report
from monitor.state import open_state, published_state
from monitor.workbooks import CHECK_SHEET, FIRST_ROW, OUTCOMES

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "input"
DECIDED = AS_OF + dt.timedelta(days=1)
LATER = AS_OF + dt.timedelta(days=5)
TODAY = LATER + dt.timedelta(days=2)
ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample's night; then caseworkers answer ten households of its busiest township
    (six 已核实-不符合条件, two 已核实-已救助, two 无法联系); the same input five days later,
    where the 已核实 answers hold their signals back."""
    folder = tmp_path_factory.mktemp("audit")
    state = folder / "s.duckdb"
    run(SAMPLE, folder / "first", state, AS_OF)
    # households still warned five days on without an answer (an event may leave its window)
    shutil.copy(state, folder / "control.duckdb")
    run(SAMPLE, folder / "control", folder / "control.duckdb", LATER)
    lasting = read(folder / "control" / "warnings.csv")["household_key"]
    first = read(folder / "first" / "warnings.csv").filter(
        pl.col("household_key").is_in(lasting.to_list())
    )
    busiest = (
        first.group_by("county", "township").len().sort("len", "county", "township",
                                                        descending=[True, False, False])
    ).row(0, named=True)  # fmt: skip
    chosen = (
        first.filter(
            (pl.col("county") == busiest["county"]) & (pl.col("township") == busiest["township"])
        )
        .sort("household_key")
        .head(10)
    )
    outcomes = ["已核实-不符合条件"] * 6 + ["已核实-已救助"] * 2 + ["无法联系"] * 2
    answered: dict[str, str] = {}
    with open_state(state) as engine:
        for row, outcome in zip(chosen.iter_rows(named=True), outcomes, strict=True):
            for code in row["codes"].split(";"):
                record_disposition(engine, row["household_key"], code, outcome, DECIDED,
                                   "已电话联系 13812345678", caseworker="王芳")  # fmt: skip
            answered[row["household_key"]] = outcome
    run(SAMPLE, folder / "out", state, LATER)
    return {"state": state, "out": folder / "out", "published": published_state(folder / "out"),
            "answered": answered, "township": (busiest["county"], busiest["township"])}  # fmt: skip


def cells(book: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(book)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_the_weights_sheet_names_every_outcome() -> None:
    assert list(AUDIT_KINDS) == ["预警", *OUTCOMES]
    assert set(load_policy(POLICY_DIR / "2026.yaml")[0].audit.weights) == set(AUDIT_KINDS)


def test_the_same_seed_gives_the_same_sample_and_files(nights: dict[str, Any], tmp_path: Path) -> None:  # fmt: skip
    one = audit_sample(nights["published"], 3, "互查-1", dest=tmp_path / "a")
    two = audit_sample(nights["published"], 3, "互查-1", dest=tmp_path / "b")
    name = f"audit_sample_{LATER}"
    csv = (tmp_path / "a" / f"{name}.csv").read_bytes()
    assert csv == (tmp_path / "b" / f"{name}.csv").read_bytes()
    assert one.items.equals(two.items) and one.items.height > 0
    books = sorted(p.name for p in (tmp_path / "a" / name).iterdir())
    assert books == sorted(p.name for p in (tmp_path / "b" / name).iterdir()) and books
    for book in books:  # the same cells, and here even the same bytes (no random salt)
        assert cells(tmp_path / "a" / name / book) == cells(tmp_path / "b" / name / book)
        assert (tmp_path / "a" / name / book).read_bytes() == (
            tmp_path / "b" / name / book
        ).read_bytes()
    header = csv.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == list(AUDIT_CSV_COLUMNS)
    # owner-only: full IDs in the CSV
    for path in [tmp_path / "a" / f"{name}.csv", *(tmp_path / "a" / name).iterdir()]:
        assert path.stat().st_mode & 0o077 == 0, path


def test_another_seed_another_sample(nights: dict[str, Any]) -> None:
    items = {seed: set(audit_sample(nights["published"], 3, seed).items["item"])
             for seed in ("a", "b", "c")}  # fmt: skip
    assert len({frozenset(drawn) for drawn in items.values()}) == 3
    default = audit_sample(nights["published"], 3)
    assert default.seed == LATER.isoformat()
    assert set(default.items["item"]) == set(audit_sample(nights["published"], 3,
                                                          LATER.isoformat()).items["item"])  # fmt: skip


def test_each_township_gives_at_most_n_of_its_decisions(nights: dict[str, Any]) -> None:
    sample = audit_sample(nights["published"], 2, "x").items
    per_township = sample.group_by("county", "township").len()
    assert per_township["len"].max() == 2
    everything = audit_sample(nights["published"], 10_000, "x")
    assert everything.items.height == everything.population - everything.outside_city
    assert everything.items["item"].n_unique() == everything.items.height
    kinds = Counter(everything.items["kind"].to_list())
    assert kinds["核实结果"] == len(nights["answered"]) and kinds["预警"] > 0


def test_dispositions_are_drawn_with_their_outcome_and_who_decided(nights: dict[str, Any]) -> None:  # fmt: skip
    items = audit_sample(nights["published"], 10_000, "x").items.filter(
        pl.col("kind") == "核实结果"
    )
    by_household = {r["household_key"]: r for r in items.iter_rows(named=True)}
    assert set(by_household) == set(nights["answered"])
    for key, outcome in nights["answered"].items():
        row = by_household[key]
        assert (row["decision"], row["decided_by"], row["decided_on"]) == (outcome, "王芳",
                                                                             DECIDED.isoformat())  # fmt: skip
        # an 已核实 answer holds its signals back five days later; 无法联系 holds nothing
        assert row["suppressed"] == outcome.startswith("已核实"), key
        audit = Audit()
        expected = audit.weights[outcome] * (audit.suppressed_factor if row["suppressed"] else 1)
        assert row["weight"] == expected


def test_the_weights_favour_ineligible_and_suppressed_decisions(nights: dict[str, Any]) -> None:
    """In the township the caseworkers answered, over many seeds: a 不符合条件 answer that
    holds a signal back (weight 4 × 3) is drawn far more often than a warning (weight 1)."""
    county, township = nights["township"]
    drawn: Counter[str] = Counter()
    for seed in range(60):
        sample = audit_sample(nights["published"], 2, str(seed)).items
        here = sample.filter((pl.col("county") == county) & (pl.col("township") == township))
        drawn.update(here["decision"].to_list())
    population = audit_sample(nights["published"], 10_000, "x").items.filter(
        (pl.col("county") == county) & (pl.col("township") == township))  # fmt: skip
    sizes = Counter(population["decision"].to_list())
    ineligible = drawn["已核实-不符合条件"] / sizes["已核实-不符合条件"]
    warnings = sum(n for d, n in drawn.items() if d.endswith("预警"))
    warned = sum(n for d, n in sizes.items() if d.endswith("预警"))
    assert ineligible > 3 * (warnings / warned), (drawn, sizes)


def test_draw_chances_follow_the_weights() -> None:
    """One of two items per draw: the one of weight 4 comes first about 4 times in 5; a
    suppressed 已核实-已救助 (1 × 3) beats a plain one about 3 times in 4."""
    audit = Audit()
    items = pl.DataFrame({
        "item": ["D:a:2026-11-16", "W:b"], "kind": ["核实结果", "预警"],
        "outcome": ["已核实-不符合条件", None], "suppressed": [False, False],
        "county": ["341102"] * 2, "township": ["琅琊街道"] * 2,
    })  # fmt: skip
    wins = sum(draw(items, audit, 1, str(s))["item"][0] == "D:a:2026-11-16" for s in range(4000))
    assert 0.77 < wins / 4000 < 0.83
    items = items.with_columns(
        pl.Series("outcome", ["已核实-已救助", "已核实-已救助"]),
        pl.Series("kind", ["核实结果", "核实结果"]), pl.Series("suppressed", [True, False]),
    )  # fmt: skip
    wins = sum(draw(items, audit, 1, str(s))["item"][0] == "D:a:2026-11-16" for s in range(4000))
    assert 0.72 < wins / 4000 < 0.78
    assert draw_key("s", "W:b", 1.0) == draw_key("s", "W:b", 1.0) != draw_key("t", "W:b", 1.0)


def test_no_county_checks_itself(nights: dict[str, Any]) -> None:
    codes = [c.code for c in load_city().counties]
    shifts = set()
    for seed in range(200):
        checkers = checker_counties(codes, str(seed))
        assert set(checkers) == set(codes) and sorted(checkers.values()) == sorted(codes)
        assert all(county != checker for county, checker in checkers.items())
        ordered = sorted(codes)
        shifts.add((ordered.index(checkers[ordered[0]])) % len(codes))
    assert len(shifts) > 1  # the pairs rotate with the seed
    with pytest.raises(AuditSampleError, match="只有一个区县"):
        checker_counties(["341102"], "s")
    sample = audit_sample(nights["published"], 3, "x")
    assert all(r["county"] != r["checked_by"] for r in sample.items.iter_rows(named=True))
    for county, checker, *_ in sample.by_county:
        assert county != checker


def test_the_workbooks_are_masked_one_per_county(nights: dict[str, Any], tmp_path: Path) -> None:
    result = audit_sample(nights["published"], 4, "m", dest=tmp_path)
    folder = tmp_path / f"audit_sample_{LATER}"
    names = {c.code: c.name for c in load_city().counties}
    expected = {f"{names[c]}_由{names[result.checkers[c]]}检查.xlsx"
                for c in set(result.items["county"])}  # fmt: skip
    assert {p.name for p in folder.iterdir()} == expected
    rows = 0
    for book in folder.iterdir():
        sheets = cells(book)
        assert next(iter(sheets)) == AUDIT_SHEET and CHECK_SHEET in sheets
        assert list(sheets[AUDIT_SHEET][1][: len(AUDIT_HEADER)]) == AUDIT_HEADER
        text = "\n".join(str(v) for r in sheets[AUDIT_SHEET] for v in r if v is not None)
        assert not ID.search(text) and not PHONE.search(text), book
        rows += len(sheets[AUDIT_SHEET]) - FIRST_ROW
        assert load_workbook(book)[CHECK_SHEET].sheet_state == "veryHidden"
    assert rows == result.items.height
    assert "13812345678" not in result.text() and not ID.search(result.text())


def fill_findings(book: Path, findings: dict[int, tuple[str, ...]]) -> list[str]:
    """Fill 检查结论, 检查日期, 检查人 (and 检查意见) of the given rows (0 = the first list row);
    returns the rows' 抽查编号."""
    wb = load_workbook(book)
    ws = wb[AUDIT_SHEET]
    items = []
    for offset, values in findings.items():
        row = FIRST_ROW + 1 + offset
        items.append(str(ws.cell(row, AUDIT_HEADER.index("抽查编号") + 1).value))
        for header, value in zip(
            ("检查结论", "检查日期", "检查人", "检查意见"), values, strict=False
        ):
            ws.cell(row, AUDIT_HEADER.index(header) + 1).value = value
    wb.save(book)
    return items


@pytest.fixture
def returned(nights: dict[str, Any], tmp_path: Path) -> tuple[Path, Path, Any]:
    """A copy of the live state and one county's audit workbook (the busiest township's)."""
    state = tmp_path / "s.duckdb"
    shutil.copy(nights["state"], state)
    result = audit_sample(nights["published"], 3, "r", dest=tmp_path / "dest")
    county = nights["township"][0]
    names = {c.code: c.name for c in load_city().counties}
    book = tmp_path / "dest" / f"audit_sample_{LATER}" / (
        f"{names[county]}_由{names[result.checkers[county]]}检查.xlsx")  # fmt: skip
    return state, book, result


def imported(state: Path, book: Path) -> Any:
    with open_state(state) as engine:
        return import_workbooks(engine, [book], TODAY)


def test_the_returned_findings_import_once_and_the_report_counts_them(returned: tuple[Path, Path, Any]) -> None:  # fmt: skip
    state, book, result = returned
    items = fill_findings(book, {0: ("决定正确", TODAY, "李检"), 1: ("决定有误", TODAY, "李检", "应纳入低保"),
                                 2: ("无法核实", None)})  # fmt: skip
    done = imported(state, book)
    assert (done.findings, done.rejected) == (3, [])
    assert "抽查检查结论: 3 条" in done.text()
    again = imported(state, book)
    assert (again.findings, again.unchanged) == (0, 3)
    with open_state(state) as engine:
        stored = engine.frame(
            "select item, county, checker_county, finding, checked_on, checker, note, seed, kind,"
            " decision from audit_findings order by item"
        )
        assert sorted(stored["item"].to_list()) == sorted(items)
        assert set(stored["finding"]) == set(FINDINGS)
        assert set(stored["checker_county"]) == {result.checkers[nights_county(result, items)]}
        assert set(stored["seed"]) == {"r"}
        html = build_report(engine, LATER.isoformat(), LATER, "2026.yaml", "0" * 64,
                            SimpleNamespace(by_tier={}, new=0, resolved=0),
                            load_policy(POLICY_DIR / "2026.yaml")[0])  # fmt: skip
    part = html[html.index("<h2>随机抽查（县级互查）</h2>") :]
    part = part[: part.index("<h2", 5)]
    total = part[part.index("<tr class='sum'>") :]
    assert total.startswith("<tr class='sum'><td class='l'>全市</td><td class='l'></td>"
                            "<td>3</td><td>1</td><td>1</td><td>1</td><td>33%</td></tr>")  # fmt: skip
    assert "王芳" not in html and "李检" not in html


def nights_county(result: Any, items: list[str]) -> str:
    counties = set(result.items.filter(pl.col("item").is_in(items))["county"])
    assert len(counties) == 1
    return str(counties.pop())


@pytest.mark.parametrize(
    ("edit", "column"),
    [({"决定内容": "已核实-已救助"}, "决定内容"), ({"家庭编号": "F999"}, "家庭编号"),
     ({"信号暂停提示": "否"}, "信号暂停提示")],
)  # fmt: skip
def test_a_tampered_row_is_refused_naming_the_cell(
    returned: tuple[Path, Path, Any], edit: dict[str, str], column: str
) -> None:
    state, book, _ = returned
    fill_findings(book, {0: ("决定正确", TODAY), 1: ("决定正确", TODAY)})
    wb = load_workbook(book)
    ws = wb[AUDIT_SHEET]
    for header, value in edit.items():
        ws.cell(FIRST_ROW + 1, AUDIT_HEADER.index(header) + 1).value = value
    wb.save(book)
    done = imported(state, book)
    assert done.findings == 1 and len(done.rejected) == 1  # the untouched row is imported
    rejection = done.rejected[0]
    letter = chr(ord("A") + AUDIT_HEADER.index(column))
    assert rejection.cell == f"{letter}{FIRST_ROW + 1}" and "受保护的单元格" in rejection.reason
    assert rejection.sheet == AUDIT_SHEET and book.name in rejection.text()


def test_an_unknown_item_a_bad_finding_and_a_bad_date_are_refused(returned: tuple[Path, Path, Any]) -> None:  # fmt: skip
    state, book, _ = returned
    fill_findings(book, {0: ("很好", TODAY), 1: ("决定正确", LATER - dt.timedelta(days=1)),
                         2: ("决定正确", TODAY + dt.timedelta(days=1))})  # fmt: skip
    wb = load_workbook(book)
    wb[AUDIT_SHEET].cell(FIRST_ROW + 4, 2).value = "W:伪造"
    wb[AUDIT_SHEET].cell(FIRST_ROW + 4, 15).value = "决定正确"
    wb.save(book)
    done = imported(state, book)
    assert done.findings == 0
    reasons = {r.cell: r.reason for r in done.rejected}
    finding, date = chr(ord("A") + AUDIT_HEADER.index("检查结论")), chr(ord("A") + AUDIT_HEADER.index("检查日期"))  # fmt: skip
    assert "不是可选值" in reasons[f"{finding}{FIRST_ROW + 1}"]
    assert "检查日期" in reasons[f"{date}{FIRST_ROW + 2}"]
    assert "检查日期" in reasons[f"{date}{FIRST_ROW + 3}"]
    assert "抽查编号不在" in reasons[f"B{FIRST_ROW + 4}"]


def test_the_command_and_the_flow(nights: dict[str, Any], tmp_path: Path) -> None:
    from monitor.flows.audit_sample import audit_sample as flow

    done = CliRunner().invoke(app, ["audit-sample", "--per-township", "2", "--seed", "k",
                                    "--out", str(nights["out"]), "--dest", str(tmp_path / "cli")])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "由" in done.output and "检查" in done.output
    lines = flow(2, "k", nights["out"], tmp_path / "flow")
    name = f"audit_sample_{LATER}.csv"
    assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "flow" / name).read_bytes()
    assert not any(ID.search(line) for line in lines)
    bad = CliRunner().invoke(app, ["audit-sample", "--per-township", "0", "--out", str(nights["out"])])  # fmt: skip
    assert bad.exit_code != 0
