"""Publishing: the output folder of outputs.md, derived from the state.

Everything is written into a sibling temporary folder and moved into place
when complete, so a reader never sees half a run. The folder and its files
are readable by their owner only (they hold full IDs).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from monitor._legacy import con_of, query_frame, registered, run_sql
from monitor.contracts import SOURCES
from monitor.engine import Engine
from monitor.policy import Policy
from monitor.signals import TIER_RANKS, assistance

log = logging.getLogger(__name__)

WARNING_COLUMNS = [
    "household_key", "kind", "county", "township", "village", "tier", "score", "codes",
    "assistance", "green_channel", "status", "deadline", "member_ids", "explanation",
    "signal_tiers",  # added column (outputs.md allows additions): each signal's own tier
]  # fmt: skip
RESOLVED_COLUMNS = [
    "household_key", "county", "township", "previous_codes", "reason", "previous_as_of",
]  # fmt: skip
# version (added column): current / revised / duplicate / superseded (30_link/record_versions.sql);
# blank for a quarantined record
LINK_COLUMNS = ["source", "file", "row", "person_id", "method", "score", "version"]
REVIEW_COLUMNS = [
    "source", "file", "row", "record_name", "record_id", "record_township", "record_phone",
    "candidate_id", "candidate_name", "candidate_township", "candidate_phone", "levels", "score",
]  # fmt: skip
QUARANTINE_COLUMNS = ["source", "file", "row", "reason", "column", "value"]
# SQL list of the sources in their canonical order: outputs are sorted by it.
SOURCE_ORDER = ", ".join(f"'{s}'" for s in SOURCES)
LINK_METHODS = ("exact", "repaired", "fuzzy", "review", "unmatched", "quarantined")


@dataclass
class Published:
    """Counts of what a run published (no personal data)."""

    out: Path
    warnings: int = 0
    by_tier: dict[str, int] = field(default_factory=dict)
    new: int = 0
    resolved: int = 0
    links: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    workbooks: int = 0


# A text cell that begins with one of these is a formula to Excel and WPS (OWASP "CSV
# injection"): =1+1, +, -, @SUM(...), and tab or CR, which some programs skip before one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text columns: a cell beginning with = + - @ tab or CR, or with an apostrophe, gets one
    leading apostrophe, so a spreadsheet shows it as text. Reversible: remove one leading
    apostrophe from any text cell that has one. Numeric columns (scores, amounts) stay numbers.

    Example: ``=1+1`` -> ``'=1+1``; ``'340102…`` (an ID as read) -> ``''340102…``; ``张三`` unchanged.
    """
    pattern = r"^[=+\-@\t\r']"  # FORMULA_START, or an apostrophe (so the escape reverses)
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(pattern))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    """UTF-8 with BOM, comma separated, header row (outputs.md); text cells formula-safe."""
    with path.open("wb") as fh:
        fh.write("\ufeff".encode())
        neutralise_formulas(frame).write_csv(
            fh, include_header=True, line_terminator="\n", quote_style="necessary"
        )


def previous_run(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> tuple[str, dt.date] | None:
    """The latest completed run with an earlier as-of date."""
    row = con.execute(
        "select run_id, as_of from runs where status = 'completed' and as_of < ?"
        " order by as_of desc limit 1",
        [as_of],
    ).fetchall()
    return (str(row[0][0]), row[0][1]) if row else None


def warnings_frame(con: duckdb.DuckDBPyConnection, policy: Policy, as_of: dt.date) -> pl.DataFrame:
    """warnings.csv rows, in their documented order: tier, score descending, household_key."""
    frame = query_frame(
        con,
        "select w.*, p.household_key is not null as seen_before from warnings_current w"
        " left join (select distinct household_key from warning_history"
        "   where run_id = $prev) p using (household_key)",
        {"prev": (previous_run(con, as_of) or ("",))[0]},
    )
    deadlines = {
        tier: policy.add_working_days(
            as_of, getattr(policy.deadline_working_days, tier)
        ).isoformat()
        for tier in TIER_RANKS
    }
    frame = frame.with_columns(
        pl.struct("code_tiers", "category", "exit_months", "no_member_left", "roster_status")
        .map_elements(
            lambda r: assistance(
                r["code_tiers"],
                r["category"],
                r["exit_months"],
                bool(r["no_member_left"]),
                r["roster_status"],
            ),
            return_dtype=pl.String,
        )
        .alias("assistance"),
        pl.when(pl.col("seen_before"))
        .then(pl.lit("持续"))
        .otherwise(pl.lit("新增"))
        .alias("status"),
        pl.col("tier").replace_strict(deadlines, return_dtype=pl.String).alias("deadline"),
        pl.col("green_channel").cast(pl.String).str.to_lowercase(),
        pl.col("tier").replace_strict(TIER_RANKS, return_dtype=pl.Int32).alias("_rank"),
    )
    frame = frame.sort(["_rank", "score", "household_key"], descending=[False, True, False])
    return frame.select(WARNING_COLUMNS)


def resolved_frame(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pl.DataFrame:
    """Households warned in the previous run and not in this one."""
    prev = previous_run(con, as_of)
    if prev is None:
        return pl.DataFrame(schema=dict.fromkeys(RESOLVED_COLUMNS, pl.String))
    return query_frame(
        con,
        "select h.household_key, h.county, h.township, h.codes as previous_codes,"
        " case when h.household_key in (select household_key from signals_after_dispositions)"
        "   then '已处置' else '已解除' end as reason,"
        " strftime(h.as_of, '%Y-%m-%d') as previous_as_of"
        " from warning_history h"
        " where h.run_id = $prev and h.household_key not in (select household_key from warnings_current)"
        " order by h.household_key",
        {"prev": prev[0]},
    )


def links_frame(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """One row per data record of every file delivered in this run (balance of outputs.md)."""
    return query_frame(
        con,
        f"""
        with delivered as (
            select d.source, d.file_name, d.file_hash, d.outcome,
                coalesce(d.records, f.records) as records
            from deliveries d left join files f using (file_hash)
            where d.run_id = $run_id
        ),
        linked as (
            select d.source, d.file_name as file, rl._row as row, rl.person_id, rl.method, rl.score,
                v.version
            from delivered d
            join record_links rl on rl.source = d.source and rl.file_hash = d.file_hash
            left join record_versions v
                on v.source = rl.source and v.file_hash = rl.file_hash and v._row = rl._row
            where d.outcome <> 'failed'
        ),
        failed as (
            select d.source, d.file_name as file, r.row, cast(null as varchar) as person_id,
                'quarantined' as method, cast(null as double) as score,
                cast(null as varchar) as version
            from delivered d, range(1, coalesce(d.records, 0) + 1) as r(row)
            where d.outcome = 'failed'
        )
        select * from linked union all select * from failed
        order by list_position([{SOURCE_ORDER}], source), file, row
        """,
        {"run_id": run_id},
    )


def quarantine_frame(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """Whole files that failed and single records with nothing usable, with the value as read
    (truncated to 200 characters): a failed file's header cells or the value its reason is
    about; a record's ID and name cells from the raw layer (``<ID> / <name>``, the columns
    named likewise), or the field beyond the reader's size limit (clean.FIELD_TOO_LARGE)."""
    from monitor.clean import FIELD_TOO_LARGE
    from monitor.contracts import contracts

    def text(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    parts = []
    for source, contract in contracts().items():
        pid, pname = contract.person.id, contract.person.name
        identity_column = text(f"{contract.column(pid).label} / {contract.column(pname).label}")
        identity_value = (
            f"case when trim(coalesce(raw.{pid}, '') || coalesce(raw.{pname}, '')) = '' then ''"
            f" else coalesce(raw.{pid}, '') || ' / ' || coalesce(raw.{pname}, '') end"
        )
        labels = " ".join(f"when {text(c.name)} then {text(c.label)}" for c in contract.columns)
        cells = " ".join(f"when {text(c.name)} then raw.{c.name}" for c in contract.columns)
        parts.append(
            f"""
            select d.source, d.file_name as file, r._row as row, r.quarantine_reason as reason,
                case r.big when '' then {identity_column} when '_extra' then '其他列（_extra）'
                    {labels} else r.big end as "column",
                left(coalesce(case r.big when '' then {identity_value}
                    when '_extra' then raw._extra {cells} end, ''), 200) as value
            from delivered d
            join (select *, coalesce(regexp_extract(flags, '{FIELD_TOO_LARGE}:(\\w+)', 1), '')
                    as big from records_current where source = {text(source)}) r
                on r.source = d.source and r.file_hash = d.file_hash
            left join raw_{source} raw on raw.file_hash = r.file_hash and raw._row = r._row
            where d.outcome <> 'failed' and d.source = {text(source)}
                and r.quarantine_reason is not null
            """
        )
    return query_frame(
        con,
        f"""
        with delivered as (select * from deliveries where run_id = $run_id),
        files_failed as (
            select source, file_name as file, cast(null as bigint) as row, reason,
                coalesce(failed_column, '') as "column",
                left(coalesce(failed_value, ''), 200) as value
            from delivered where outcome = 'failed'
        ),
        records_failed as ({" union all ".join(parts)})
        select * from files_failed union all select * from records_failed
        order by list_position([{SOURCE_ORDER}], source), file, row nulls first
        """,
        {"run_id": run_id},
    )


def review_frame(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """Uncertain matches of this run's records, record and candidate side by side."""
    return query_frame(
        con,
        f"""
        with pairs as (
            select * from review_pairs union all select * from name_disagreements
        ),
        delivered as (
            select distinct source, file_name, file_hash from deliveries
            where run_id = $run_id and outcome <> 'failed'
        ),
        contact as (
            select person_id, kind, min(value) as value from person_contacts group by person_id, kind
        )
        select d.source, d.file_name as file, p._row as row,
            r.name as record_name, coalesce(raw.id_text, '') as record_id,
            r.township as record_township, r.phone_norm as record_phone,
            p.candidate_id, pe.name as candidate_name, ct.value as candidate_township,
            cp.value as candidate_phone, p.levels, p.score
        from pairs p
        join delivered d on d.source = p.source and d.file_hash = p.file_hash
        join records_current r on r.source = p.source and r.file_hash = p.file_hash and r._row = p._row
        left join persons pe on pe.person_id = p.candidate_id
        left join contact ct on ct.person_id = p.candidate_id and ct.kind = 'township'
        left join contact cp on cp.person_id = p.candidate_id and cp.kind = 'phone'
        left join raw_ids raw on raw.source = p.source and raw.file_hash = p.file_hash and raw._row = p._row
        order by list_position([{SOURCE_ORDER}], d.source), file, row, p.score desc nulls last, p.candidate_id
        """,
        {"run_id": run_id},
    )


def record_history(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: dt.date, warnings: pl.DataFrame
) -> None:
    """Keep this run's warning list in the state (replacing an earlier run of the same as-of)."""
    run_sql(con, "delete from warning_history where run_id = $r", {"r": run_id}, stage="history")
    history = warnings.select("household_key", "county", "township", "tier", "codes")
    with registered(con, "_history", history):
        con.execute(
            "insert into warning_history select ?, ?, household_key, county, township, tier, codes"
            " from _history",
            [run_id, as_of],
        )


def publish(
    engine: Engine,
    out: Path,
    run_id: str,
    as_of: dt.date,
    policy: Policy,
    extra_writers: list[Callable[[Path, Published], None]] | None = None,
) -> Published:
    """Write every file of outputs.md into `out`, atomically.

    The files are written into `.<out>.tmp-<pid>` beside `out`, owner-only (0700 folders,
    0600 files), and moved into place when complete. Folders that an earlier publish left
    there when its process died (full IDs) are removed first.
    """
    from monitor.state import remove_output_leftovers
    from monitor.workbooks import write_township_workbooks

    con = con_of(engine)

    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_output_leftovers(out)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(mode=0o700)
    try:
        warnings = warnings_frame(con, policy, as_of)
        resolved = resolved_frame(con, as_of)
        links = links_frame(con, run_id)
        quarantine = quarantine_frame(con, run_id)
        write_csv(warnings, tmp / "warnings.csv")
        write_csv(resolved.select(RESOLVED_COLUMNS), tmp / "resolved.csv")
        write_csv(links.select(LINK_COLUMNS), tmp / "links.csv")
        write_csv(review_frame(con, run_id), tmp / "review.csv")
        write_csv(quarantine.select(QUARANTINE_COLUMNS), tmp / "quarantine.csv")
        evidence = query_frame(
            con,
            "select e.household_key, e.person_id, e.code, s.tier, e.amount, e.event_date,"
            " e.source, e.file_name, e._row, e.detail from signal_evidence e"
            " join signal_summary s using (household_key, code)"
            " where (e.household_key, e.code) in (select household_key, code"
            "   from signals_after_dispositions where not suppressed)"
            " order by e.household_key, e.code, e.file_name, e._row, e.person_id",
        )
        names = query_frame(
            con,
            "select person_id, min(name) as name, min(phone_norm) as phone from records_current"
            " where person_id is not null and id_status in ('valid','repaired') group by person_id",
        )
        workbooks = write_township_workbooks(tmp / "townships", warnings, evidence, names, as_of)
        published = Published(
            out=out,
            warnings=warnings.height,
            by_tier={t: int((warnings["tier"] == t).sum()) for t in TIER_RANKS},
            new=int((warnings["status"] == "新增").sum()),
            resolved=resolved.height,
            links={m: int((links["method"] == m).sum()) for m in LINK_METHODS},
            quarantined=quarantine.height,
            workbooks=workbooks,
        )
        for writer in extra_writers or []:
            writer(tmp, published)
        for path in tmp.rglob("*"):
            path.chmod(0o700 if path.is_dir() else 0o600)
        record_history(con, run_id, as_of, warnings)
        _move_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # a half-written copy of full IDs
        raise
    return published


def _move_into_place(tmp: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if old.exists():  # an earlier publish of this process stopped half-way
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    try:
        tmp.rename(out)
    except BaseException:
        if old.exists() and not out.exists():
            old.rename(out)  # the previous output stays where readers look for it
        raise
    if old.exists():
        shutil.rmtree(old)
