"""The `monitor` command line. Errors are turned into messages in one place: `main`."""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
import sys
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from monitor.errors import MonitorError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Low-income population dynamic monitoring (低收入人口动态监测) pipeline."
    " Add -v for per-file log lines.",
)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r}: pass the date as YYYY-MM-DD") from exc


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
) -> None:
    """Run the nightly flow on INPUT_DIR and write the output folder."""
    from monitor.runner import run_nightly

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
    from monitor.errors import StateMissingError
    from monitor.state import open_state

    if not state.is_file():
        raise StateMissingError(f"{state}：状态库不存在，请用 --state 指定运行时使用的状态库。")
    with open_state(state) as engine:
        tier, amount = record_disposition(
            engine, household_key, code, outcome, _parse_date(on) or dt.date.today(), note
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
    from monitor.errors import StateMissingError
    from monitor.feedback import import_workbooks
    from monitor.state import open_state

    missing = [p for p in workbooks if not p.exists()]
    if missing:
        raise typer.BadParameter(f"{', '.join(map(str, missing))}: no such file or folder")
    if not state.is_file():
        raise StateMissingError(f"{state}：状态库不存在，请用 --state 指定运行时使用的状态库。")
    with open_state(state) as engine:
        result = import_workbooks(engine, workbooks, dt.date.today())
    typer.echo(result.text())
    if result.rejected:
        sys.exit(2)


@app.command()
def whatif(
    policy: Annotated[Path, typer.Option("--policy", help="The candidate policy file.")],
    state: Annotated[Path, typer.Option("--state", help="State database file.")] = Path(
        "state/monitor.duckdb"
    ),
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to score at (default: the last run's).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the diff as CSV.")] = None,
) -> None:
    """Re-score the current state with another policy file: households added/removed by township and tier."""
    from monitor.publish import write_csv
    from monitor.whatif import what_if

    diff = what_if(state, policy, _parse_date(as_of))
    if out is not None:
        write_csv(diff, out)
    totals = diff.select("baseline", "candidate", "added", "removed").sum().row(0)
    typer.echo(
        f"baseline {totals[0]} households, candidate {totals[1]}: +{totals[2]} added, -{totals[3]} removed"
    )
    for row in diff.filter(pl.col("added") + pl.col("removed") > 0).iter_rows(named=True):
        typer.echo(
            f"  {row['county']} {row['township']} {row['tier']}: {row['baseline']} -> {row['candidate']}"
            f" (+{row['added']} / -{row['removed']})"
        )


# `monitor generate` and `monitor evaluate`: the synthetic city and the scorer of a run against
# its truth. They live in citygen, a development package of this repository that is not part
# of the product's wheel: where it is not installed, the commands are absent.
if importlib.util.find_spec("citygen") is not None:
    from citygen import cli as citygen_cli

    for command in (citygen_cli.generate, citygen_cli.evaluate):
        app.command(rich_help_panel="Synthetic city (citygen, development only)")(command)


def main() -> None:
    """Console-script entry point: run the app and turn MonitorError into a message."""
    verbose = any(a in ("-v", "--verbose") for a in sys.argv[1:])
    sys.argv = [a for a in sys.argv if a not in ("-v", "--verbose")]
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in ("monitor", "citygen"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        app()
    except MonitorError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
