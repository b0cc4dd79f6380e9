"""价格临时补贴 (plan §二(二) 社会救助和保障标准与物价上涨挂钩的联动机制): who gets the month's
price subsidy, and how much (`monitor price-subsidy`).

A month triggers the mechanism when CPI rose year on year by at least the policy's
`price_link.cpi_trigger` per cent, or food prices by at least `price_link.food_trigger`;
when both do, the larger rise applies. Every roster 低保/特困 member (在保 or 渐退) and every
HR 失业保险金 recipient is listed once, with the month's 低保标准 of the household's 城乡类别 ×
the rise (`price_link.amount_rule`; an HR recipient on no roster: the area of the county of
their ID, `price_link.county_area`), as the state stood at the month's last completed run
(sql/80_analyst/price_subsidy_people.sql reads the roster's and HR's pictures at that run).

Read from the published state copy beside OUT, read-only. Written: `price_subsidy_<month>.csv`
(full IDs) and `price_subsidy_<month>/<县区名>_<乡镇>.xlsx` (names shown, IDs masked, as the
township workbooks), owner-only; a month that does not trigger writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from monitor.engine import Engine, connect
from monitor.errors import PriceSubsidyError
from monitor.geography import load_city
from monitor.policy import Policy, default_policy_path, load_policy
from monitor.privacy import mask_id

# The columns of price_subsidy_<month>.csv (docs/outputs.md)
PRICE_SUBSIDY_COLUMNS = ("month", "person_id", "name", "categories", "household_key", "county",
                         "township", "village", "area", "area_from", "standard", "rise",
                         "trigger", "amount")  # fmt: skip
CPI, FOOD = "CPI", "食品价格"
SHEET = "补贴名单"


@dataclass(frozen=True)
class Trigger:
    """Whether a month's rises trigger the mechanism, and the rise that applies."""

    cpi: float
    food: float | None
    cpi_trigger: float
    food_trigger: float

    @property
    def basis(self) -> str | None:
        """CPI or 食品价格: the triggering rise that applies (the larger when both), or None."""
        cpi = self.cpi >= self.cpi_trigger
        food = self.food is not None and self.food >= self.food_trigger
        if cpi and food:
            return FOOD if self.food is not None and self.food > self.cpi else CPI
        return CPI if cpi else FOOD if food else None

    @property
    def rise(self) -> float | None:
        basis = self.basis
        return None if basis is None else self.cpi if basis == CPI else self.food

    def text(self) -> str:
        parts = [f"CPI 同比{_change(self.cpi)}（启动条件：上涨 ≥ {self.cpi_trigger:g}%）"]
        if self.food is not None:
            parts.append(
                f"食品价格同比{_change(self.food)}（启动条件：上涨 ≥ {self.food_trigger:g}%）"
            )
        return "，".join(parts)


def _change(rise: float) -> str:
    return f"上涨 {rise:g}%" if rise >= 0 else f"下降 {-rise:g}%"


@dataclass
class PriceSubsidy:
    """The month's list (`people`: full IDs, for the owner-only CSV) and its summary; counts
    and amounts by county in `by_county` (no personal data)."""

    month: str
    trigger: Trigger
    run_id: str | None = None
    run_as_of: dt.date | None = None
    latest_as_of: dt.date | None = None
    people: pl.DataFrame = field(default_factory=pl.DataFrame)
    unidentified: int = 0
    by_county: list[tuple[str, int, Decimal]] = field(default_factory=list)
    csv: Path | None = None
    workbooks: int = 0

    @property
    def triggered(self) -> bool:
        return self.trigger.basis is not None

    def lines(self) -> list[str]:
        head = f"{self.month}：{self.trigger.text()}"
        if not self.triggered:
            return [f"{head}：未触发价格临时补贴联动机制，不发放，未写出任何文件。"]
        run = f"依据 {self.run_as_of} 的运行（该月或之前最近一次完成的运行）"
        if self.latest_as_of and self.run_as_of and self.latest_as_of > self.run_as_of:
            run += f"；状态库中最近的运行是 {self.latest_as_of}，晚于该月，未采用"
        total = sum((amount for _, _, amount in self.by_county), Decimal(0))
        lines = [
            f"{head}：触发联动机制，按{_spaced(self.trigger.basis)}涨幅 {self.trigger.rise:g}% 发放。",
            f"{run}。",
            f"发放对象 {self.people.height} 人，合计 {total:,.2f} 元：",
        ]
        lines += [f"  {county} {n} 人 {amount:,.2f} 元" for county, n, amount in self.by_county]
        if self.unidentified:
            lines.append(
                f"另有 {self.unidentified} 条符合条件的记录身份证号无法确认（未关联到人），未列入："
                "请核实其身份证号（links.csv 中 roster、hr 的 review/unmatched 记录）后补发。"
            )
        if self.csv is not None:
            lines.append(f"已写出 {self.csv}（含完整身份证号，仅限本人读取）及 {self.workbooks} 个乡镇工作簿"
                         f"（{self.csv.with_suffix('')}/）。")  # fmt: skip
        return lines

    def text(self) -> str:
        return "\n".join(self.lines())


def _spaced(basis: str | None) -> str:
    return f" {basis} " if basis == CPI else basis or ""


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of `YYYY-MM`."""
    if not re.fullmatch(r"\d{4}-\d{2}", month.strip()):
        raise PriceSubsidyError(f"{month!r}：月份请写成 YYYY-MM（如 2026-11）")
    year, number = (int(p) for p in month.strip().split("-"))
    if not 1 <= number <= 12:
        raise PriceSubsidyError(f"{month!r}：月份请写成 YYYY-MM（如 2026-11），月为 01 到 12")
    start = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def price_subsidy(
    state: Path,
    month: str,
    cpi: float,
    food: float | None = None,
    *,
    policy_file: Path | None = None,
    dest: Path | None = None,
) -> PriceSubsidy:
    """The month's price subsidy from the published state copy `state` (read-only); with
    `dest`, the CSV and the township workbooks are written there (nothing when the month
    does not trigger)."""
    start, end = month_bounds(month)
    policy, _ = load_policy(policy_file or default_policy_path(start))
    link = policy.price_link
    trigger = Trigger(cpi, food, link.cpi_trigger, link.food_trigger)
    result = PriceSubsidy(month=start.strftime("%Y-%m"), trigger=trigger)
    if not result.triggered:
        return result
    with connect(state, read_only=True) as engine:
        run = engine.query("80_analyst/month_run.sql", {"month_end": end}).rows(named=True)
        if not run:
            raise PriceSubsidyError(
                f"{state}：{result.month} 月底（{end}）之前没有完成的运行，无法确定名单："
                "请先完成该月的运行，或换一个月份。"
            )
        result.run_id, result.run_as_of = str(run[0]["run_id"]), run[0]["as_of"]
        result.latest_as_of = run[0]["latest_as_of"]
        everyone = _people(engine, policy, result.run_id, start, trigger.rise or 0.0)
    result.unidentified = everyone.filter(pl.col("person_id").is_null()).height
    result.people = everyone.filter(pl.col("person_id").is_not_null()).with_columns(
        pl.lit(result.month).alias("month"),
        pl.lit(trigger.rise).alias("rise"),
        pl.lit(trigger.basis).alias("trigger"),
    ).select(PRICE_SUBSIDY_COLUMNS)  # fmt: skip
    names = {c.code: c.name for c in load_city().counties}
    result.by_county = county_totals(result.people, names)
    if dest is not None:
        _write(result, dest, names)
    return result


def county_totals(people: pl.DataFrame, names: dict[str, str]) -> list[tuple[str, int, Decimal]]:
    """Persons and amounts by county name, in the order of the codes; counties outside the
    city together as 市外, last."""
    order = {code: i for i, code in enumerate(sorted(names))}
    totals = (
        people.with_columns(
            pl.col("county").replace_strict(names, default="市外").fill_null("市外").alias("name"),
            pl.col("county").replace_strict(order, default=len(order), return_dtype=pl.Int64)
            .fill_null(len(order)).alias("order"),
        )
        .group_by("order", "name")
        .agg(pl.len().alias("n"), pl.col("amount").sum())
        .sort("order", "name")
    )  # fmt: skip
    return [
        (name, int(n), Decimal(str(amount or 0)).quantize(Decimal("0.01")))
        for _, name, n, amount in totals.iter_rows()
    ]


def _people(
    engine: Engine, policy: Policy, run_id: str, start: dt.date, rise: float
) -> pl.DataFrame:
    link = policy.price_link
    areas = pl.DataFrame(
        {"county": list(link.county_area), "area": list(link.county_area.values())},
        schema={"county": pl.String, "area": pl.String},
    )
    params = {
        "run_id": run_id, "month_start": start, "rise": rise, "decimals": link.amount_decimals,
        "standard_urban": policy.dibao_standard.urban, "standard_rural": policy.dibao_standard.rural,
        "other_area": link.other_area,
    }  # fmt: skip
    with engine.registered("county_areas", areas):
        return engine.query("80_analyst/price_subsidy_people.sql", params)


def _write(result: PriceSubsidy, dest: Path, county_names: dict[str, str]) -> None:
    from monitor.publish import write_analyst_files

    name = f"price_subsidy_{result.month}"
    result.workbooks = write_analyst_files(
        dest, f"{name}.csv", result.people, name,
        lambda folder: write_workbooks(folder, result, county_names),
    )  # fmt: skip
    result.csv = dest.resolve() / f"{name}.csv"


def _yuan(value: Any) -> float:
    return float(value) if value is not None else 0.0


def write_workbooks(folder: Path, result: PriceSubsidy, county_names: dict[str, str]) -> int:
    """One workbook per (county, township) of the list, as the township workbooks name them
    (`<县区名>_<乡镇>.xlsx`; 待分派, 市外): names shown, IDs masked. Returns how many."""
    from monitor.workbooks import (
        OUTSIDE_CITY,
        UNROUTED,
        ListColumn,
        workbook_name,
        write_list_workbook,
    )

    columns = (
        ListColumn("序号", 5, lambda r: r["number"]),
        ListColumn("姓名", 10, lambda r: r["name"] or "（姓名未知）"),
        ListColumn("身份证号", 20, lambda r: mask_id(r["person_id"])),
        ListColumn("家庭编号", 20, lambda r: r["household_key"] or "（不在低收入人口库）"),
        ListColumn("村（社区）", 14, lambda r: r["village"] or "", "wrap"),
        ListColumn("保障类别", 14, lambda r: r["categories"].replace(";", "、"), "wrap"),
        ListColumn("城乡", 6, lambda r: r["area"]),
        ListColumn("低保标准（元/月）", 10, lambda r: _yuan(r["standard"]), "money"),
        ListColumn("上涨幅度（%）", 9, lambda r: float(r["rise"])),
        ListColumn("补贴金额（元）", 10, lambda r: _yuan(r["amount"]), "money"),
        ListColumn("备注", 20, None, "wrap"),
    )
    groups: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for r in result.people.iter_rows(named=True):
        county = county_names.get(r["county"] or "")
        township = r["township"] if county and r["township"] else UNROUTED
        label = f"{county or OUTSIDE_CITY} {township}"
        groups.setdefault(workbook_name(county, township), (label, []))[1].append(r)
    assert result.run_as_of is not None
    for file_name, (label, rows) in sorted(groups.items()):
        for number, r in enumerate(rows, start=1):
            r["number"] = number
        total = sum((Decimal(str(r["amount"])) for r in rows), Decimal(0))
        title = (
            f"{label} {result.month} 价格临时补贴发放名单（{_spaced(result.trigger.basis)}同比上涨 "
            f"{result.trigger.rise:g}%，依据 {result.run_as_of} 的监测数据）共 {len(rows)} 人，"
            f"合计 {total:,.2f} 元　内部资料 注意保密"
        )
        write_list_workbook(folder / file_name, sheet=SHEET, title=title, label=label,
                            columns=columns, rows=rows, as_of=result.run_as_of)  # fmt: skip
    return len(groups)
