"""The `monitor` command line. Errors are turned into messages in one place: `main`."""

from __future__ import annotations

import datetime as dt
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
def generate(
    out: Annotated[Path, typer.Argument(help="Folder to write input/ and truth/ into.")],
    people: Annotated[int, typer.Option(help="Number of residents in the city.")] = 5000,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives identical files.")
    ] = 1,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD (default today).")
    ] = None,
    min_per_tier: Annotated[
        int,
        typer.Option(
            "--min-per-tier",
            min=0,
            help="Plant at least N situations of every (code, tier) and of every case"
            " (for measuring recall by tier).",
        ),
    ] = 0,
) -> None:
    """Generate a synthetic city: department exports with real-world defects, and the truth."""
    from monitor.generate import generate_city

    date = _parse_date(as_of) or dt.date.today()
    summary = generate_city(out, people=people, seed=seed, as_of=date, min_per_tier=min_per_tier)
    typer.echo(summary)


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
    code: Annotated[str, typer.Argument(help="The signal code, e.g. MED_OOP_HIGH.")],
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
    from monitor.state import open_state

    with open_state(state) as con:
        tier, amount = record_disposition(
            con, household_key, code, outcome, _parse_date(on) or dt.date.today(), note
        )
    typer.echo(
        f"recorded: {household_key} {code} {outcome} (tier {tier or '-'}, amount {amount or '-'})"
    )


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


@app.command()
def evaluate(
    out: Annotated[Path, typer.Argument(help="A run's output folder (links.csv).")],
    truth: Annotated[Path, typer.Argument(help="The generated city's truth/ folder.")],
) -> None:
    """Link precision/recall and planted-situation recall of a run against a generated city's truth."""
    from monitor.evaluate import evaluate as run_evaluation
    from monitor.evaluate import evaluate_signals

    table = run_evaluation(out, truth)
    typer.echo("| population | records | linked | correct | precision | recall | review share |")
    typer.echo("|---|---:|---:|---:|---:|---:|---:|")
    for r in table.iter_rows(named=True):
        p = "-" if r["precision"] is None else f"{r['precision']:.4f}"
        rc = "-" if r["recall"] is None else f"{r['recall']:.4f}"
        rv = "-" if r["review_share"] is None else f"{r['review_share']:.4f}"
        typer.echo(
            f"| {r['population']} | {r['records']} | {r['linked']} | {r['correct']} | {p} | {rc} | {rv} |"
        )
    signals, summary = evaluate_signals(out, truth)
    typer.echo("\n| signal | tier | planted | found (tier) | found (any tier) | recall |")
    typer.echo("|---|---|---:|---:|---:|---:|")
    for r in signals.iter_rows(named=True):
        typer.echo(
            f"| {r['code']} | {r['tier']} | {r['planted']} | {r['found_with_tier']} |"
            f" {r['found_any_tier']} | {r['recall']:.3f} |"
        )
    typer.echo(
        f"\nplanted situations: {summary['planted']:.0f}, recall with the expected tier"
        f" {summary['recall_with_tier']:.4f}; quiet households warned:"
        f" {summary['quiet_warned']:.0f} of {summary['quiet_households']:.0f}"
        f" ({summary['quiet_warned_share']:.2%}); codes that must stay absent raised:"
        f" {summary['absent_violated']:.0f} of {summary['absent']:.0f}"
    )


def main() -> None:
    """Console-script entry point: run the app and turn MonitorError into a message."""
    verbose = any(a in ("-v", "--verbose") for a in sys.argv[1:])
    sys.argv = [a for a in sys.argv if a not in ("-v", "--verbose")]
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("monitor").setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        app()
    except MonitorError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
