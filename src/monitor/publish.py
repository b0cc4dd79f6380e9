"""Publishing: the output folder of outputs.md, derived from the state.

Everything is written into a sibling temporary folder and moved into place
when complete, so a reader never sees half a run. The folder and its files
are readable by their owner only (they hold full IDs).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from monitor.contracts import contracts
from monitor.engine import Engine
from monitor.errors import OutputError, write_problem
from monitor.geography import load_city
from monitor.policy import Policy
from monitor.signals import TIER_RANKS, assistance

log = logging.getLogger(__name__)

WARNING_COLUMNS = [
    "household_key", "kind", "county", "township", "village", "tier", "score", "codes",
    "assistance", "green_channel", "status", "deadline", "member_ids", "explanation",
    "signal_tiers",  # added column (outputs.md allows additions): each signal's own tier
    "assistance_received",  # added: what the household already receives (the assistance chain)
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
    # per source: its records of this run's links.csv by method (exact, fuzzy, unmatched, …)
    links_by_source: dict[str, dict[str, int]] = field(default_factory=dict)
    quarantined: int = 0
    workbooks: int = 0
    referrals: int = 0  # rows of the departments' lists (departments/<部门>.xlsx)


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


def write_csv(frames: pl.DataFrame | Iterable[pl.DataFrame], path: Path) -> None:
    """UTF-8 with BOM, comma separated, header row (outputs.md); text cells formula-safe.
    `frames`: one frame, or its parts in order (Engine.batches: a file larger than memory),
    which give the same bytes."""
    parts = [frames] if isinstance(frames, pl.DataFrame) else frames
    with path.open("wb") as fh:
        fh.write("\ufeff".encode())
        header = True
        for frame in parts:
            neutralise_formulas(frame).write_csv(
                fh, include_header=header, line_terminator="\n", quote_style="necessary"
            )
            header = False


def previous_run(engine: Engine, as_of: dt.date) -> tuple[str, dt.date] | None:
    """The latest completed run with an earlier as-of date."""
    rows = engine.run("50_publish/previous_run.sql", {"as_of": as_of})
    return (str(rows[0][0]), rows[0][1]) if rows else None


def tier_deadlines(policy: Policy, as_of: dt.date) -> dict[str, dt.date]:
    """处置时限 per tier: the policy's working days after `as_of`."""
    return {
        tier: policy.add_working_days(as_of, getattr(policy.deadline_working_days, tier))
        for tier in TIER_RANKS
    }


def warnings_frame(
    engine: Engine, policy: Policy, as_of: dt.date, previous_run_id: str | None
) -> pl.DataFrame:
    """warnings.csv rows, in their documented order (tier, score descending, household_key):
    the model's rows with 救助建议, 新增/持续 against the previous run and 处置时限 (the policy's
    working days after `as_of`)."""
    frame = engine.query("50_publish/warnings.sql", {"previous_run_id": previous_run_id})
    deadlines = {tier: day.isoformat() for tier, day in tier_deadlines(policy, as_of).items()}
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
    )
    return frame.select(WARNING_COLUMNS)


def resolved_frame(engine: Engine, previous_run_id: str | None) -> pl.DataFrame:
    """Households warned in the previous run and not in this one (none without one)."""
    return engine.query("50_publish/resolved.sql", {"previous_run_id": previous_run_id})


def write_links(engine: Engine, run_id: str, path: Path) -> dict[str, dict[str, int]]:
    """links.csv: one row per data record of every file delivered in this run (the balance
    of outputs.md), written a part at a time: at 5M people it holds 11 million records, more
    than a night should hold in memory. Returns its records by source and method."""
    counts: dict[str, dict[str, int]] = {}

    def parts() -> Iterator[pl.DataFrame]:
        for part in engine.batches("50_publish/links.sql", {"run_id": run_id}):
            for source, method, n in part.group_by("source", "method").len().iter_rows():
                by_method = counts.setdefault(source, dict.fromkeys(LINK_METHODS, 0))
                by_method[method] = by_method.get(method, 0) + n
            yield part.select(LINK_COLUMNS)

    write_csv(parts(), path)
    return counts


def contract_columns() -> pl.DataFrame:
    """One row per column of every data contract: its source, name and label (the header the
    department's export gives it), for quarantine.csv's column names."""
    rows = [(s, c.name, c.label) for s, contract in contracts().items() for c in contract.columns]
    return pl.DataFrame(
        rows,
        schema={"source": pl.String, "column_name": pl.String, "label": pl.String},
        orient="row",
    )


def quarantine_frame(engine: Engine, run_id: str) -> pl.DataFrame:
    """Whole files that failed and single records with nothing usable, with the value as read
    (truncated to 200 characters): a failed file's header cells or the value its reason is
    about; a record's ID and name cells from the raw layer (``<ID> / <name>``, the columns
    named likewise), or the field beyond the reader's size limit (clean.FIELD_TOO_LARGE)."""
    from monitor.clean import FIELD_TOO_LARGE

    with engine.registered("contract_columns", contract_columns()):
        return engine.query(
            "50_publish/quarantine.sql", {"run_id": run_id, "field_too_large": FIELD_TOO_LARGE}
        )


def review_frame(engine: Engine, run_id: str) -> pl.DataFrame:
    """Uncertain matches of this run's records, record and candidate side by side."""
    return engine.query("50_publish/review.sql", {"run_id": run_id})


def evidence_frame(engine: Engine) -> pl.DataFrame:
    """The evidence records of the signals raised in this run (the workbooks' 证据明细)."""
    return engine.query("50_publish/evidence.sql")


def members_frame(engine: Engine) -> pl.DataFrame:
    """The members of the warned households with a name and a phone each (the workbooks
    mask ID and phone)."""
    engine.build("50_publish/people.sql")
    return engine.query("50_publish/workbook_members.sql")


def workbook_secret(engine: Engine) -> bytes:
    """The key that signs the township workbooks' protected cells: made once per state,
    kept in it (never written anywhere else)."""
    name = {"name": "workbook_hmac"}
    engine.run("50_publish/remember_secret.sql", name | {"value": secrets.token_hex(32)})
    return bytes.fromhex(str(engine.value("50_publish/secret.sql", name)))


def record_history(
    engine: Engine, run_id: str, as_of: dt.date, deadlines: dict[str, dt.date]
) -> None:
    """Keep this run's warning list, and the signals its workbooks carry, in the state
    (replacing an earlier run of the same as-of)."""
    engine.run("50_publish/warning_history_forget.sql", {"run_id": run_id})
    engine.run("50_publish/warning_history_remember.sql", {"run_id": run_id, "as_of": as_of})
    engine.run("50_publish/issued_signals_forget.sql", {"run_id": run_id})
    engine.run(
        "50_publish/issued_signals_remember.sql",
        {"run_id": run_id} | {f"deadline_{tier}": day for tier, day in deadlines.items()},
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
    from monitor.referrals import (
        FOLDER,
        department_jobs,
        member_names,
        record_referrals,
        referral_rows,
    )
    from monitor.state import remove_output_leftovers
    from monitor.workbooks import (
        PARALLEL_FROM,
        township_jobs,
        write_city_summary,
        write_jobs,
        write_review_workbook,
    )

    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_output_leftovers(out)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(mode=0o700)
    try:
        previous = previous_run(engine, as_of)
        previous_run_id = previous[0] if previous else None
        warnings = warnings_frame(engine, policy, as_of, previous_run_id)
        resolved = resolved_frame(engine, previous_run_id)
        quarantine = quarantine_frame(engine, run_id)
        write_csv(warnings, tmp / "warnings.csv")
        write_csv(resolved.select(RESOLVED_COLUMNS), tmp / "resolved.csv")
        links_by_source = write_links(engine, run_id, tmp / "links.csv")
        county_names = {c.code: c.name for c in load_city().counties}
        secret = workbook_secret(engine)
        review = review_frame(engine, run_id)
        write_csv(review.select(REVIEW_COLUMNS), tmp / "review.csv")
        write_review_workbook(tmp / "review.xlsx", review, run_id=run_id, secret=secret)
        write_csv(quarantine.select(QUARANTINE_COLUMNS), tmp / "quarantine.csv")
        evidence, members = evidence_frame(engine), members_frame(engine)
        townships = township_jobs(
            tmp / "townships",
            warnings,
            evidence,
            members,
            engine.query("50_publish/household_addresses.sql"),
            as_of=as_of,
            run_id=run_id,
            secret=secret,
            county_names=county_names,
        )
        # departments/<部门>.xlsx: the lists are kept in the state before the report counts them
        referrals = referral_rows(engine, warnings, policy)
        record_referrals(engine, run_id, referrals)
        departments = department_jobs(tmp / FOLDER, referrals, evidence, member_names(members),
                                      policy.referral.department_names(), as_of=as_of,
                                      run_id=run_id, secret=secret, county_names=county_names)  # fmt: skip
        # one pool for both: a process per core from PARALLEL_FROM warnings on
        write_jobs(townships + departments, parallel=warnings.height >= PARALLEL_FROM)
        workbooks = len(townships)
        write_city_summary(tmp / "汇总.xlsx", warnings, as_of=as_of, county_names=county_names)
        published = Published(
            out=out,
            warnings=warnings.height,
            by_tier={t: int((warnings["tier"] == t).sum()) for t in TIER_RANKS},
            new=int((warnings["status"] == "新增").sum()),
            resolved=resolved.height,
            links={m: sum(c.get(m, 0) for c in links_by_source.values()) for m in LINK_METHODS},
            links_by_source=links_by_source,
            quarantined=quarantine.height,
            workbooks=workbooks,
            referrals=referrals.height,
        )
        for writer in extra_writers or []:
            writer(tmp, published)
        for path in tmp.rglob("*"):
            path.chmod(0o700 if path.is_dir() else 0o600)
        record_history(engine, run_id, as_of, tier_deadlines(policy, as_of))
        _move_into_place(tmp, out)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)  # a half-written copy of full IDs
        problem = write_problem(exc)
        if problem is not None:
            raise OutputError(
                f"{out}：写入输出时{problem}（写在旁边的临时文件夹已删除，上次的输出目录保持不变）。"
                "请腾出空间或修正权限后重新运行。"
            ) from exc
        raise
    return published


def _move_into_place(tmp: Path, out: Path) -> None:
    """Put the new output folder where the old one is. Where the system can (Linux
    renameat2 RENAME_EXCHANGE), the two folders swap in one step, so that OUT is never
    absent, even to a process killed half-way; elsewhere, two renames (OUT is missing
    between them; state.remove_output_leftovers puts the old one back if the process died
    there). The old output, now at `tmp`, is removed."""
    if out.exists() and _exchange(tmp, out):
        shutil.rmtree(tmp)
        return
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


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (renameat2 with RENAME_EXCHANGE); False where the system
    or the file system cannot, so the caller falls back to renames."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]  # fmt: skip
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not here
        return False
    raise OSError(errno, os.strerror(errno), str(b))


# ---------------------------------------------------------------- analysts' files
def write_analyst_files(
    dest: Path, csv_name: str, frame: pl.DataFrame, folder_name: str,
    write_folder: Callable[[Path], int],
) -> int:  # fmt: skip
    """An analysts' command's CSV `dest/csv_name` and folder of workbooks `dest/folder_name/`
    (full IDs or names): written aside in `.<folder_name>.tmp-<pid>/` beside them, owner-only
    (0700 folders, 0600 files), then each moved into place, replacing an earlier one. Returns
    what `write_folder` (given the folder to fill) returns: the number of workbooks. What a
    command that died left there (full IDs) is removed first."""
    from monitor.state import private_umask, remove_output_leftovers

    dest = dest.resolve()
    with private_umask():
        dest.mkdir(parents=True, exist_ok=True)
        remove_output_leftovers(dest / folder_name)
        tmp = dest / f".{folder_name}.tmp-{os.getpid()}"
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(mode=0o700)
        try:
            write_csv(frame, tmp / csv_name)
            (tmp / folder_name).mkdir(mode=0o700)
            books = write_folder(tmp / folder_name)
            for path in tmp.rglob("*"):
                path.chmod(0o700 if path.is_dir() else 0o600)
            os.replace(tmp / csv_name, dest / csv_name)
            _move_into_place(tmp / folder_name, dest / folder_name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # a half-written copy of full IDs
    return books
