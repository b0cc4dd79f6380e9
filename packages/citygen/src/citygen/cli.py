"""The generator's commands: `citygen generate` and `citygen evaluate`.

The monitor CLI registers these same two functions as `monitor generate` and
`monitor evaluate` when citygen is installed (a development package, never in
the product's wheel). `evaluate` scores a pipeline run, so it needs monitor
importable as well (it reads the input files through the pipeline's readers).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="A synthetic city for the monitor pipeline, and the scorer of a run against its truth."
    " Add -v for per-chunk log lines.",
)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r}: pass the date as YYYY-MM-DD") from exc


def generate(
    out: Annotated[Path, typer.Argument(help="Folder to write input/ and truth/ into.")],
    people: Annotated[
        int, typer.Option(min=500, help="Number of residents in the city (at least 500).")
    ] = 5000,
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
    from citygen import generate_city

    date = _parse_date(as_of) or dt.date.today()
    summary = generate_city(out, people=people, seed=seed, as_of=date, min_per_tier=min_per_tier)
    typer.echo(summary)


def evaluate(
    out: Annotated[Path, typer.Argument(help="A run's output folder (links.csv).")],
    truth: Annotated[Path, typer.Argument(help="The generated city's truth/ folder.")],
) -> None:
    """Link precision/recall and planted-situation recall of a run against a generated city's truth."""
    from citygen.evaluate import evaluate as run_evaluation
    from citygen.evaluate import evaluate_signals

    for folder, wanted in ((out, "links.csv"), (truth, "rows.csv")):
        if not (folder / wanted).is_file():
            raise typer.BadParameter(
                f"{folder}: no {wanted} here; pass a run's OUT and a city's truth/"
            )
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


app.command()(generate)
app.command()(evaluate)


def main() -> None:
    """Console-script entry point (`citygen`, `python -m citygen`)."""
    verbose = any(a in ("-v", "--verbose") for a in sys.argv[1:])
    sys.argv = [a for a in sys.argv if a not in ("-v", "--verbose")]
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("citygen").setLevel(logging.INFO if verbose else logging.WARNING)
    app()


if __name__ == "__main__":
    main()
