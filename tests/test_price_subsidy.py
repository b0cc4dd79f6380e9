"""monitor price-subsidy (价格临时补贴): whether a month triggers the mechanism, and then every
roster 低保/特困 member and HR 失业保险金 recipient once with the month's 低保标准 × the rise,
as of the month's last completed run; on the sample's two nights (HR a month earlier,
then every source)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import AS_OF, run
from monitor.cli import app
from monitor.engine import connect
from monitor.errors import PriceSubsidyError
from monitor.geography import load_city
from monitor.policy import POLICY_DIR, load_policy
from monitor.price_subsidy import PRICE_SUBSIDY_COLUMNS, Trigger, month_bounds, price_subsidy
from monitor.state import published_state
from monitor.workbooks import FIRST_ROW

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
PREVIOUS = dt.date(2026, 10, 15)
ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
POLICY = load_policy(POLICY_DIR / "2026.yaml")[0]


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's previous HR snapshot (2026-10-15), then its exports (2026-11-15)."""
    folder = tmp_path_factory.mktemp("price")
    state = folder / "s.duckdb"
    run(SAMPLE / "previous", folder / "out-previous", state, PREVIOUS)
    run(SAMPLE / "input", folder / "out", state, AS_OF)
    return {"state": state, "out": folder / "out", "published": published_state(folder / "out")}


def expected_people(published: Path, month_start: dt.date) -> dict[str, set[str]]:
    """Who is eligible, from the latest run's own tables (households, household_members,
    hr_current, health deaths): person -> categories."""
    with connect(published, read_only=True) as engine:
        roster = engine.frame(
            "select m.person_id, h.category from household_members m join households h"
            " using (household_key) where h.membership = 'roster'"
            " and h.category in ('低保', '特困') and h.status in ('在保', '渐退')"
        )
        hr = engine.frame("select person_id from hr_current where unemployment_benefit = '是'")
        dead = set(engine.frame(
            "select person_id from linked_health where death_date < ?", [month_start]
        )["person_id"].to_list())  # fmt: skip
    out: dict[str, set[str]] = {}
    for person, category in roster.rows():
        out.setdefault(person, set()).add(category)
    for (person,) in hr.rows():
        out.setdefault(person, set()).add("失业保险金")
    return {p: c for p, c in out.items() if p not in dead}


@pytest.mark.parametrize(
    ("cpi", "food", "basis", "rise"),
    [
        (3.5, None, "CPI", 3.5),  # at the trigger
        (3.49, None, None, None),  # just below
        (3.4, 6.0, "食品价格", 6.0),  # food at its trigger alone
        (3.4, 5.99, None, None),
        (3.6, 6.5, "食品价格", 6.5),  # both: the larger rise
        (7.0, 6.5, "CPI", 7.0),
        (-0.5, None, None, None),
    ],
)
def test_a_month_triggers_at_either_rise_and_the_larger_applies(
    cpi: float, food: float | None, basis: str | None, rise: float | None
) -> None:
    trigger = Trigger(cpi, food, POLICY.price_link.cpi_trigger, POLICY.price_link.food_trigger)
    assert (trigger.basis, trigger.rise) == (basis, rise)


def test_a_triggering_month_lists_everyone_once_with_the_rules_amount(nights: dict[str, Path], tmp_path: Path) -> None:  # fmt: skip
    result = price_subsidy(nights["published"], "2026-11", 3.6, dest=tmp_path)
    assert result.triggered and result.run_id == AS_OF.isoformat()
    csv = tmp_path / "price_subsidy_2026-11.csv"
    frame = pl.read_csv(csv, infer_schema=False)
    assert frame.columns == list(PRICE_SUBSIDY_COLUMNS)
    assert frame["person_id"].null_count() == 0
    assert frame["person_id"].n_unique() == frame.height  # each person once
    expected = expected_people(nights["published"], dt.date(2026, 11, 1))
    got = {r["person_id"]: set(r["categories"].split(";")) for r in frame.iter_rows(named=True)}
    assert got == expected
    assert {"低保", "特困", "失业保险金"} <= set().union(*got.values())
    assert any(len(c) > 1 for c in got.values())  # on the roster and drawing 失业保险金: once
    with connect(nights["published"], read_only=True) as engine:
        areas = dict(engine.frame(
            "select household_key, urban_rural from households where membership = 'roster'"
        ).rows())  # fmt: skip
    standards = {"城市": POLICY.dibao_standard.urban, "农村": POLICY.dibao_standard.rural}
    for r in frame.iter_rows(named=True):
        if r["household_key"]:
            assert (r["area"], r["area_from"]) == (areas[r["household_key"]], "城乡类别")
        else:
            county = POLICY.price_link.county_area.get(r["person_id"][:6])
            if county is not None:
                assert (r["area"], r["area_from"]) == (county, "身份证号所属区县")
        amount = (Decimal(str(standards[r["area"]])) * Decimal("3.6") / 100).quantize(
            Decimal("0.01")
        )
        assert Decimal(r["amount"]) == amount, r
        assert (r["month"], r["rise"], r["trigger"]) == ("2026-11", "3.6", "CPI")
    assert {r["amount"] for r in frame.iter_rows(named=True)} == {"28.80", "27.00"}
    # totals by county in the summary, no personal data in it
    names = {c.code: c.name for c in load_city().counties}
    totals = frame.group_by("county").agg(pl.len(), pl.col("amount").cast(pl.Decimal(14, 2)).sum())
    assert sorted((names[c], n, Decimal(a)) for c, n, a in totals.rows()) == sorted(
        (c, n, a) for c, n, a in result.by_county)  # fmt: skip
    text = result.text()
    assert f"依据 {AS_OF} 的运行" in text and f"发放对象 {frame.height} 人" in text
    assert not ID.search(text)
    for county, n, amount in result.by_county:
        assert f"{county} {n} 人 {amount:,.2f} 元" in text


def test_the_township_workbooks_hold_the_list_masked(nights: dict[str, Path], tmp_path: Path) -> None:  # fmt: skip
    leftover = tmp_path / ".price_subsidy_2026-11.tmp-4999999"  # of a command that died
    (leftover / "price_subsidy_2026-11").mkdir(parents=True)
    result = price_subsidy(nights["published"], "2026-11", 3.6, dest=tmp_path)
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["price_subsidy_2026-11",
                                                          "price_subsidy_2026-11.csv"]  # fmt: skip
    folder = tmp_path / "price_subsidy_2026-11"
    names = {c.code: c.name for c in load_city().counties}
    expected = {
        f"{names[c]}_{t}.xlsx" for c, t in result.people.select("county", "township").rows()
    }
    assert {p.name for p in folder.iterdir()} == expected and result.workbooks == len(expected)
    listed: list[Any] = []
    for book in sorted(folder.iterdir()):
        assert book.stat().st_mode & 0o077 == 0
        ws = load_workbook(book).worksheets[0]
        rows = [r for r in ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True) if any(r)]
        listed += rows
        text = "\n".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)
        assert not ID.search(text), book
        county, township = book.stem.split("_", 1)
        assert text.startswith(f"{county} {township} 2026-11 价格临时补贴发放名单")
    assert len(listed) == result.people.height
    masked = {(r[1], r[2]) for r in listed}
    assert len(masked) == len(listed)
    assert sum(Decimal(str(r[9])) for r in listed) == sum(a for _, _, a in result.by_county)
    assert (tmp_path / "price_subsidy_2026-11.csv").stat().st_mode & 0o077 == 0


def test_the_same_state_gives_the_same_files_and_a_rerun_replaces_them(nights: dict[str, Path], tmp_path: Path) -> None:  # fmt: skip
    for dest in ("a", "b"):
        price_subsidy(nights["published"], "2026-11", 3.6, dest=tmp_path / dest)
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert len(files) > 2
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    price_subsidy(nights["published"], "2026-11", 7.0, dest=tmp_path / "a")
    rerun = pl.read_csv(tmp_path / "a" / "price_subsidy_2026-11.csv", infer_schema=False)
    assert set(rerun["amount"]) == {"56.00", "52.50"} and set(rerun["rise"]) == {"7.0"}
    assert sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                  if p.is_file()) == files  # fmt: skip


def test_a_month_that_does_not_trigger_writes_nothing(nights: dict[str, Path], tmp_path: Path) -> None:  # fmt: skip
    result = price_subsidy(nights["published"], "2026-11", 3.4, 5.9, dest=tmp_path / "d")
    assert not result.triggered and result.people.height == 0
    assert "未触发" in result.text() and "未写出任何文件" in result.text()
    assert not (tmp_path / "d").exists()
    done = CliRunner().invoke(app, ["price-subsidy", "--month", "2026-11", "--cpi", "3.4",
                                    "--out", str(nights["out"]), "--dest", str(tmp_path / "c")])  # fmt: skip
    assert done.exit_code == 0 and "未触发" in done.output
    assert not (tmp_path / "c").exists()


def test_an_earlier_month_reads_that_months_last_run(nights: dict[str, Path]) -> None:
    """October's last completed run is the previous night (HR only): its October HR picture,
    not November's files; the later run is named as not used."""
    result = price_subsidy(nights["published"], "2026-10", 3.6)
    assert result.run_id == PREVIOUS.isoformat()
    assert f"依据 {PREVIOUS} 的运行" in result.text() and str(AS_OF) in result.text()
    assert set(result.people["categories"]) == {"失业保险金"}
    with connect(nights["published"], read_only=True) as engine:
        october = set(engine.frame(
            "select c.person_id from clean_hr c join pictures p using (file_hash)"
            " where p.run_id = ? and c.unemployment_benefit = '是' and c.person_id is not null",
            [PREVIOUS.isoformat()],
        )["person_id"].to_list())  # fmt: skip
    assert set(result.people["person_id"]) == october
    with pytest.raises(PriceSubsidyError, match="之前没有完成的运行"):
        price_subsidy(nights["published"], "2026-09", 3.6)


def test_a_bad_month_and_the_command_and_flow(nights: dict[str, Path], tmp_path: Path) -> None:
    from monitor.flows.price_subsidy import price_subsidy as flow

    for bad in ("2026-13", "11/2026", "2026-1"):
        with pytest.raises(PriceSubsidyError, match="YYYY-MM"):
            month_bounds(bad)
    assert month_bounds("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert month_bounds("2028-02") == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    done = CliRunner().invoke(app, ["price-subsidy", "--month", "2026-11", "--cpi", "3.6",
                                    "--food-cpi", "6.5", "--out", str(nights["out"]),
                                    "--dest", str(tmp_path / "cli")])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "按食品价格涨幅 6.5% 发放" in done.output
    lines = flow("2026-11", 3.6, 6.5, nights["out"], tmp_path / "flow")
    csv = "price_subsidy_2026-11.csv"
    assert (tmp_path / "cli" / csv).read_bytes() == (tmp_path / "flow" / csv).read_bytes()
    assert not any(ID.search(line) for line in lines)
