"""The `monitor` command line. Errors are turned into messages and exit codes in one place,
`main`: 1 an internal error, 2 bad input or arguments, 3 the state is busy with another run;
no traceback unless --debug."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from monitor.errors import MonitorError, StateLockedError

EXIT_INTERNAL, EXIT_INPUT, EXIT_BUSY = 1, 2, 3
# Global switches, accepted anywhere on the line (they are taken out before the command's
# own options are parsed) and listed in the help by the callback below.
VERBOSE, DEBUG = ("-v", "--verbose"), ("--debug",)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="低收入人口动态监测预警 (low-income population dynamic monitoring) pipeline."
    " Exit codes: 0 done, 1 internal error, 2 bad input or arguments, 3 state busy.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"monitor {importlib.metadata.version('monitor')}")
        raise typer.Exit()


@app.callback()
def _switches(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Log lines per file and stage (anywhere).")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an error (anywhere).")
    ] = False,
) -> None:
    """低收入人口动态监测预警 (low-income population dynamic monitoring) pipeline."""


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r}：日期请写成 YYYY-MM-DD（如 2026-11-15）") from exc


def _existing_state(state: Path) -> Path:
    """A state that a command reads must exist: never a new, empty database."""
    from monitor.errors import StateMissingError

    if not state.is_file():
        raise StateMissingError(f"{state}：状态库不存在，请用 --state 指定运行时使用的状态库。")
    return state


def _published(out: Path) -> Path:
    """The last published copy of the state beside OUT (analysts' commands read it)."""
    from monitor.errors import StateMissingError
    from monitor.state import published_state

    copy = published_state(out)
    if not copy.is_file():
        raise StateMissingError(
            f"{copy}：没有已发布的状态副本。它由每晚的运行在完成时写在输出目录 {out} 旁边；"
            "请用 --out 指定每晚运行的输出目录，或先完成一次 monitor run。"
        )
    return copy


STATE_OPTION = typer.Option("--state", help="State database file.")
MEMORY_OPTION = typer.Option(
    "--memory-limit",
    help="Memory for the run, e.g. 4GiB (default: half the machine's, at most 8GiB): DuckDB's"
    " limit (it spills beyond) and the chunk sizes come from it.",
)


def _memory(limit: str | None) -> None:
    """The run's memory limit for every stage (limits.py reads it), checked first."""
    from monitor import limits

    if limit is not None:
        limits.parse_size(limit)
        os.environ[limits.ENV] = limit


PUBLISHED_OPTION = typer.Option(
    "--out",
    help="The nightly run's output folder: its published state copy OUT.state.duckdb is read.",
)


@app.command()
def run(
    input_dir: Annotated[
        Path, typer.Argument(help="Input folder holding roster/, hr/, … (exports.md).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder (outputs.md).")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Monitoring date YYYY-MM-DD (default today).")
    ] = None,
    state: Annotated[Path, typer.Option("--state", help="State database file.")] = Path(
        "state/monitor.duckdb"
    ),
    policy: Annotated[
        Path | None, typer.Option("--policy", help="Policy file (default policy/<year>.yaml).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit non-zero when any input file failed.")
    ] = False,
    memory_limit: Annotated[str | None, MEMORY_OPTION] = None,
) -> None:
    """Run the nightly flow on INPUT_DIR and write the output folder."""
    from monitor.pipeline import make_context
    from monitor.runner import run_nightly

    _memory(memory_limit)
    make_context(input_dir, out, _parse_date(as_of), state, policy)  # bad input: before Prefect
    summary = run_nightly(
        input_dir=input_dir,
        out=out,
        as_of=_parse_date(as_of),
        state=state,
        policy_file=policy,
        strict=strict,
    )
    typer.echo(summary.text())


@app.command()
def serve(
    input_dir: Annotated[
        Path, typer.Argument(help="Input folder holding roster/, hr/, … (exports.md).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder (outputs.md).")],
    state: Annotated[Path, STATE_OPTION] = Path("state/monitor.duckdb"),
    cron: Annotated[
        str, typer.Option("--cron", help="When to run, in Asia/Shanghai time (cron syntax).")
    ] = "0 2 * * *",
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy", help="Policy file (default: policy/<year>.yaml of each run's date)."
        ),
    ] = None,
    memory_limit: Annotated[str | None, MEMORY_OPTION] = None,
) -> None:
    """Register the deployment nightly/nightly on the Prefect server of PREFECT_API_URL and serve it."""
    from monitor.pipeline import make_context
    from monitor.runner import serve_nightly

    _memory(memory_limit)  # the served runs inherit it
    make_context(input_dir, out, None, state, policy)  # bad input: refused before serving
    serve_nightly(input_dir.resolve(), out.resolve(), state.resolve(), cron,
                  policy.resolve() if policy else None)  # fmt: skip


@app.command()
def backfill(
    input_root: Annotated[
        Path,
        typer.Argument(help="Folder of dated input folders: INPUT_ROOT/<YYYY-MM-DD>/<source>/."),
    ],
    start: Annotated[str, typer.Option("--from", help="First date YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last date YYYY-MM-DD.")],
    out: Annotated[
        Path, typer.Option("--out", help="Output folder of the last date (outputs.md).")
    ],
    state: Annotated[Path, STATE_OPTION] = Path("state/monitor.duckdb"),
    memory_limit: Annotated[str | None, MEMORY_OPTION] = None,
) -> None:
    """Run each dated input folder in order, with the policy of its year, building the warning history; publish the last date's OUT."""
    from monitor.runner import run_backfill

    _memory(memory_limit)
    first, last = _parse_date(start), _parse_date(end)
    assert first is not None and last is not None
    summaries = run_backfill(input_root=input_root, out=out, start=first, end=last, state=state)
    for summary in summaries[:-1]:
        typer.echo(f"{summary.as_of}：{summary.headline()}")
    typer.echo(summaries[-1].text())


@app.command()
def dispose(
    household_key: Annotated[
        str, typer.Argument(help="The household (warnings.csv household_key).")
    ],
    code: Annotated[
        str,
        typer.Argument(help="The signal: its code (MED_OOP_HIGH) or its words (医疗自付费用高)."),
    ],
    outcome: Annotated[
        str,
        typer.Argument(
            help="已核实-已救助 / 已核实-不符合条件 / 已核实-已纳入低保 / 无法联系 / 其他"
        ),
    ],
    on: Annotated[
        str | None, typer.Option("--on", help="Decision date YYYY-MM-DD (default today).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注.")] = None,
    state: Annotated[Path, typer.Option("--state", help="State database file.")] = Path(
        "state/monitor.duckdb"
    ),
) -> None:
    """Record a caseworker's disposition of one household's signal (suppresses it per policy)."""
    from monitor.dispositions import record_disposition
    from monitor.pipeline import city_today
    from monitor.state import open_state

    with open_state(_existing_state(state)) as engine:
        tier, amount = record_disposition(
            engine, household_key, code, outcome, _parse_date(on) or city_today(), note
        )
    typer.echo(
        f"recorded: {household_key} {code} {outcome} (tier {tier or '-'}, amount {amount or '-'})"
    )


@app.command()
def feedback(
    workbooks: Annotated[
        list[Path],
        typer.Argument(help="Returned township workbooks (.xlsx), or folders holding them."),
    ],
    state: Annotated[Path, typer.Option("--state", help="State database file.")] = Path(
        "state/monitor.duckdb"
    ),
) -> None:
    """Import the caseworkers' 核实结果 from returned township workbooks (next run applies them)."""
    from monitor.feedback import import_workbooks
    from monitor.pipeline import city_today
    from monitor.state import open_state

    missing = [p for p in workbooks if not p.exists()]
    if missing:
        raise typer.BadParameter(f"{'、'.join(map(str, missing))}：文件或文件夹不存在")
    with open_state(_existing_state(state)) as engine:
        result = import_workbooks(engine, workbooks, city_today())
    typer.echo(result.text())
    if result.rejected:
        sys.exit(2)


@app.command()
def whatif(
    policy: Annotated[Path, typer.Option("--policy", help="The candidate policy file.")],
    out: Annotated[Path, PUBLISHED_OPTION] = Path("out"),
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to score at (default: the last run's).")
    ] = None,
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv", help="Also write the changed households, in full, as CSV (owner-only)."
        ),
    ] = None,
) -> None:
    """Re-score the last published state with another policy file: the households that change (masked), by township and tier."""
    from monitor.whatif import what_if, write_changes

    result = what_if(_published(out), policy, _parse_date(as_of))
    if csv is not None:
        write_changes(result, csv)
    for line in result.lines(_county_names()):
        typer.echo(line)


@app.command()
def explain(
    household_key: Annotated[
        str, typer.Argument(help="The household (warnings.csv household_key).")
    ],
    out: Annotated[Path, PUBLISHED_OPTION] = Path("out"),
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The run to explain (default and only: the latest)."),
    ] = None,
) -> None:
    """Why a household is (or is not) warned: signals, evidence, links, income, history (masked)."""
    from monitor.engine import connect
    from monitor.explain import explain as explain_household

    with connect(_published(out), read_only=True) as engine:
        typer.echo(explain_household(engine, household_key, _parse_date(as_of)).text())


@app.command("check-export")
def check_export(
    file: Annotated[Path, typer.Argument(help="One export file (.csv or .xlsx).")],
    source: Annotated[str, typer.Option("--source", help="Its source: roster, hr, 医保结算, …")],
    out: Annotated[Path, PUBLISHED_OPTION] = Path("out"),
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to judge it at (default: the last run's).")
    ] = None,
) -> None:
    """Read, validate and link one new export against the published state, without changing it."""
    from monitor.check_export import check_export as check_one_export

    if not file.is_file():
        raise typer.BadParameter(f"{file}：文件不存在")
    typer.echo(check_one_export(_published(out), file, source, _parse_date(as_of)).text())


DEST_OPTION = typer.Option(
    "--dest", help="Folder to write the files into (default: the current folder); owner-only."
)


@app.command("price-subsidy")
def price_subsidy(
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM (e.g. 2026-11).")],
    cpi: Annotated[
        float, typer.Option("--cpi", help="CPI year-on-year rise in per cent (e.g. 3.6).")
    ],
    food_cpi: Annotated[
        float | None,
        typer.Option("--food-cpi", help="Food prices' year-on-year rise in per cent."),
    ] = None,
    out: Annotated[Path, PUBLISHED_OPTION] = Path("out"),
    dest: Annotated[Path, DEST_OPTION] = Path("."),
    policy: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy file (default policy/<year of the month>.yaml)."),
    ] = None,
) -> None:
    """价格临时补贴: whether the month triggers it and, if so, everyone eligible with the amount (CSV and township workbooks)."""
    from monitor.price_subsidy import price_subsidy as month_subsidy

    result = month_subsidy(_published(out), month, cpi, food_cpi, policy_file=policy, dest=dest)
    typer.echo(result.text())


@app.command("audit-sample")
def audit_sample(
    per_township: Annotated[
        int, typer.Option("--per-township", help="Decisions to draw per township (at most).")
    ],
    seed: Annotated[
        str | None,
        typer.Option("--seed", help="The sample's seed (default: the last run's as-of date)."),
    ] = None,
    out: Annotated[Path, PUBLISHED_OPTION] = Path("out"),
    dest: Annotated[Path, DEST_OPTION] = Path("."),
    policy: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy file (default policy/<year of the run>.yaml)."),
    ] = None,
) -> None:
    """随机检查、县级互查: a reproducible weighted sample of recent decisions per township, one workbook per county for another county to check."""
    from monitor.audit import audit_sample as draw_sample

    result = draw_sample(_published(out), per_township, seed, policy_file=policy, dest=dest)
    typer.echo(result.text())


def _county_names() -> dict[str, str]:
    from monitor.geography import load_city

    return {c.code: c.name for c in load_city().counties}


# `monitor generate` and `monitor evaluate`: the synthetic city and the scorer of a run against
# its truth. They live in citygen, a development package of this repository that is not part
# of the product's wheel: where it is not installed, the commands are absent.
if importlib.util.find_spec("citygen") is not None:
    from citygen import cli as citygen_cli

    for command in (citygen_cli.generate, citygen_cli.evaluate):
        app.command(rich_help_panel="Synthetic city (citygen, development only)")(command)


def _exit_code(exc: BaseException) -> int:
    if isinstance(exc, StateLockedError):
        return EXIT_BUSY
    if isinstance(exc, MonitorError | typer.TyperException):
        return EXIT_INPUT
    return EXIT_INTERNAL


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the command; every error becomes one message on
    stderr and an exit code (module docstring), with the traceback only under --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = any(a in VERBOSE for a in args)
    debug = any(a in DEBUG for a in args)
    args = [a for a in args if a not in VERBOSE + DEBUG]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in ("monitor", "citygen"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
    if debug:
        os.environ["MONITOR_DEBUG"] = "1"
    if sys.stderr.isatty():  # progress lines for a person watching (monitor.progress)
        os.environ.setdefault("MONITOR_PROGRESS", "1")
    try:
        code = app(args=args, prog_name="monitor", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.TyperException as exc:  # bad arguments: the command line's own one message
        exc.show()  # type: ignore[attr-defined]
        code = EXIT_INPUT
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("已中断。", err=True)
        code = 130
    except Exception as exc:
        if debug:
            traceback.print_exc()
        if isinstance(exc, MonitorError):
            typer.echo(f"错误：{exc}", err=True)
        else:
            typer.echo(
                f"内部错误（{type(exc).__name__}）：{exc}\n"
                "这是程序的问题，不是输入的问题。请加 --debug 重新运行，把输出交给维护人员。",
                err=True,
            )
        code = _exit_code(exc)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
