"""Identity linking side by side: our linker and Splink, on the same generated city (issue 4).

    /tmp/splinkenv/bin/python bench/linkage.py --city /tmp/city100k
    /tmp/splinkenv/bin/python bench/linkage.py --people 100000 --seed 7
    ... --tools ours,splink-generic,splink-best        (default: all three)

Run it with an interpreter that has Splink (the project's `bench` dependency
group); without Splink the Splink rows say so and ours is still measured.

1. Prepare once (not timed as linking): ingest the city's input/ into a fresh
   state with the pipeline's ingest stage (run_id = the as-of date), build
   current_files and records_current as link.py does, and save that state.
2. Each tool runs in its own process, on its own copy of the prepared state, and
   writes its decisions (source, file_hash, _row, person_id, method/probability).
   Timed: ours, the call `monitor.link.link_records(engine, run_id)` (the sub-time
   of `matching.resolve` in brackets; building households afterwards, which
   Splink does not do, is timed apart and not counted); Splink, from reading its
   inputs out of the state (registry, record features, pinyin) to every
   record's best match. Peak RSS: the process's own high-water mark (it
   includes loading the state; ours: measured before households).
   `ours-relaxed` is ours with `unidentified_link_threshold: 0.9` (records
   sharing no identifier with the candidate are linked at a posterior of 0.9
   instead of never; docs/decisions.md), to show what that policy trades.
3. Scored alike (citygen.evaluate.evaluate_links): precision = correct / linked;
   recall over the records whose true person is known to the state (a valid or
   repaired ID of theirs is on a current record: the registry Splink links
   against); review counts as not linked. F1 = 2PR / (P + R). Also on the records
   without a usable ID (id_status neither valid nor repaired).

Splink's configurations are in bench/splink_configs.py. Generic: threshold 0.5.
Best: its best-match probabilities are swept over THRESHOLDS and the threshold
with the best F1 on all records is reported (chosen against the truth, which
favours Splink).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from common import add_city_arguments, city_of, vm_hwm  # bench/common.py

TOOLS = ("ours", "splink-generic", "splink-best")
# the generic configuration with its name-only blocking narrowed to name + birth year and EM
# sampled: for a city where name alone blocks too many pairs (not run unless asked for)
EXTRA_TOOLS = ("splink-generic-capped", "ours-relaxed")
RELAXED = {"unidentified_link_threshold": 0.9}
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999)
SPLINK_FLOOR = 0.05  # best-match probabilities below this are not kept (the sweep starts at 0.5)
USABLE = ("valid", "repaired")
GIB = 1024**3
ROOT = Path(__file__).resolve().parents[1]
CODE = ("src",)  # what the workers run, copied at the start


# ---------------------------------------------------------------- workers (one process each)


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def work_prepare(city: Path, state: Path, as_of: dt.date) -> dict[str, Any]:
    from monitor import link
    from monitor.contracts import SOURCES
    from monitor.ingest import ingest_source
    from monitor.state import open_state

    run_id = as_of.isoformat()
    started = time.perf_counter()
    with open_state(state) as engine:
        for source in SOURCES:
            ingest_source(engine, city / "input", source, run_id, as_of)
        engine.replace("source_catalog", link.source_catalog())
        engine.build("20_clean/current_files.sql", {"run_id": run_id})
        engine.build("30_link/records_current.sql")
        # the registry both tools link against (Splink reads it; ours rebuilds it when timed)
        for table in ("person_names", "persons", "person_contacts"):
            engine.build(f"30_link/{table}.sql")
        engine.execute("CHECKPOINT", stage="checkpoint")  # the copies take the file alone
    return {"seconds": time.perf_counter() - started}


def work_ours(state: Path, out: Path, as_of: dt.date, relaxed: bool) -> dict[str, Any]:
    from monitor import link, matching
    from monitor.state import open_state

    cfg = matching.load_config()
    if relaxed:
        cfg = cfg.model_copy(update=RELAXED)
    sub: dict[str, float] = {}
    resolve = matching.resolve

    def timed_resolve(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return resolve(*args, **kwargs)
        finally:
            sub["resolve"] = time.perf_counter() - started

    matching.resolve = timed_resolve  # link.link_records calls matching.resolve(engine, cfg)
    with open_state(state) as engine:
        started = time.perf_counter()
        link.link_records(engine, as_of.isoformat(), cfg)
        seconds = time.perf_counter() - started
        peak = _peak_rss()
        started = time.perf_counter()
        link.build_households(engine)
        households = time.perf_counter() - started
        counts = dict(engine.run("30_link/link_methods.sql"))
        decisions = engine.table("record_links")
    decisions.select("source", "file_hash", "_row", "person_id", "method", "score").write_parquet(
        out
    )
    thresholds = {"link": cfg.link_threshold, "review": cfg.review_threshold}
    if cfg.unidentified_link_threshold is not None:
        thresholds["link without identifier"] = cfg.unidentified_link_threshold
    return {
        "seconds": seconds,
        "sub": sub,
        "households_not_counted": households,
        "peak_rss_linking": peak,
        "methods": counts,
        "thresholds": thresholds,
    }


def work_splink(state: Path, out: Path, config: str, args: argparse.Namespace) -> dict[str, Any]:
    import duckdb

    try:
        import splink
    except ImportError:
        return {"error": "splink is not installed in this interpreter (uv sync --group bench)"}
    import splink_configs  # bench/ is this script's folder, first on sys.path

    # Splink's warnings (untrained levels, small blocking-analysis samples) go to the JSON
    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(" ".join(record.getMessage().split())[:300])

    splink_log = logging.getLogger("splink")
    splink_log.addHandler(Keep(logging.WARNING))
    splink_log.propagate = False
    warnings.filterwarnings("ignore", category=UserWarning, module="splink")

    con = duckdb.connect(str(state))
    tmp = state.parent / f"{state.stem}-spill"
    tmp.mkdir(exist_ok=True)
    con.execute(f"SET memory_limit = '{args.splink_memory}'")
    con.execute(f"SET temp_directory = '{tmp}'")
    con.execute("SET preserve_insertion_order = false")
    started = time.perf_counter()
    result = splink_configs.run(
        con,
        config,
        threshold_floor=SPLINK_FLOOR if config == "best" else 0.5,
        u_max_pairs=args.u_max_pairs,
        em_max_pairs=args.em_max_pairs,
        max_pairs=args.max_pairs,
        seed=args.seed,
    )
    seconds = time.perf_counter() - started - sum(result["not_timed"].values())
    if "skipped" not in result:
        con.execute(splink_configs.export_sql(str(out))).fetchall()
    con.close()
    shutil.rmtree(tmp, ignore_errors=True)
    summary = {
        "seconds": seconds,
        "sub": result["timings"],
        "not_timed": result["not_timed"],
        "description": result["description"],
        "version": splink.__version__,
        "splink_warnings": sorted(set(messages)),
    }
    if "skipped" in result:
        summary["error"] = result["skipped"]
    return summary


def worker(args: argparse.Namespace) -> None:
    as_of = dt.date.fromisoformat(args.as_of)
    state, out = Path(args.state), Path(args.out)
    try:
        if args.worker == "prepare":
            result = work_prepare(Path(args.city), state, as_of)
        elif args.worker in ("ours", "ours-relaxed"):
            result = work_ours(state, out.with_suffix(".parquet"), as_of, args.worker != "ours")
        else:
            config = args.worker.removeprefix("splink-")
            result = work_splink(state, out.with_suffix(".parquet"), config, args)
    except Exception as exc:  # reported in the table, with the traceback on stderr
        import traceback

        traceback.print_exc()
        first = (str(exc).splitlines() or [""])[0]
        result = {"error": f"{type(exc).__name__}: {first[:200]}"}
    result["peak_rss"] = _peak_rss()
    result["monitor_package"] = (
        sys.modules["monitor"].__file__ if "monitor" in sys.modules else None
    )
    out.with_suffix(".json").write_text(json.dumps(result, indent=1, default=str))


# ---------------------------------------------------------------- parent


def snapshot_code(work: Path, ref: str | None) -> tuple[dict[str, str], str]:
    """Copy the project's code (the working tree, or commit `ref`) to work/code and run the
    workers on the copy, since the working tree may change while the benchmark runs. The
    environment for the workers and a description of the code."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    code.mkdir(parents=True)

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else "?"

    if ref:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, *CODE], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
        label = f"commit {git('rev-parse', '--short', ref)}"
    else:
        for folder in CODE:
            shutil.copytree(
                ROOT / folder, code / folder, ignore=shutil.ignore_patterns("__pycache__")
            )
        status = git("status", "--porcelain", "--", *CODE).splitlines()
        changed = [line.split(maxsplit=1)[-1] for line in status]
        label = f"working tree of commit {git('rev-parse', '--short', 'HEAD')}"
        if changed:
            label += " with uncommitted " + ", ".join(changed)
    return {**os.environ, "PYTHONPATH": str(code / "src")}, label


def run_worker(
    name: str, argv: list[str], out: Path, timeout: float, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run one worker process; its JSON result, with the wall time and the peak RSS seen."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--out", str(out)]
    started = time.perf_counter()
    proc = subprocess.Popen([*command, *argv], start_new_session=True, env=env)
    peak = 0
    timed_out = False
    while proc.poll() is None:
        peak = max(peak, vm_hwm(proc.pid))
        if time.perf_counter() - started > timeout:
            os.killpg(proc.pid, signal.SIGKILL)  # the worker's own process group
            proc.wait()
            timed_out = True
            break
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    result_file = out.with_suffix(".json")
    if timed_out:
        result: dict[str, Any] = {"error": f"stopped after {timeout:.0f} s (time cap)"}
    elif result_file.exists():
        result = json.loads(result_file.read_text())
    else:
        result = {"error": f"worker exited with code {proc.returncode}"}
    result.setdefault("peak_rss", peak)
    result["peak_rss"] = max(int(result["peak_rss"]), peak)
    result["process_seconds"] = elapsed
    return result


def _records(prepared: Path) -> tuple[Any, Any]:
    """Every current record (source, file, row, file_hash, _row, id_status, quarantined) and
    the persons known to the state (the registry)."""
    from monitor.engine import connect

    with connect(prepared, read_only=True) as engine:
        records = engine.frame(
            "select r.source, f.file_name as file, cast(r._row as varchar) as row, r.file_hash,"
            " r._row, r.id_status, r.person_id, r.quarantine_reason is not null as quarantined"
            " from records_current r join files f using (file_hash)",
        )
        known = engine.frame(
            "select distinct person_id from records_current where quarantine_reason is null"
            " and id_status in ('valid', 'repaired') and person_id is not null",
        )["person_id"]
    return records, known


def _links(records: Any, decisions: Any, tool: str, threshold: float | None) -> Any:
    """One row per record: person_id and method (exact/repaired/fuzzy = linked) for evaluate."""
    import polars as pl

    key = ["source", "file_hash", "_row"]
    frame = records.drop("person_id").join(decisions, on=key, how="left")
    if tool.startswith("ours"):
        frame = frame.with_columns(pl.col("method").fill_null("unmatched"))
    else:
        linked = pl.col("person_id").is_not_null() & (pl.col("match_probability") >= threshold)
        frame = frame.with_columns(
            pl.when(pl.col("quarantined"))
            .then(pl.lit("quarantined"))
            .when(linked)
            .then(pl.lit("fuzzy"))
            .otherwise(pl.lit("unmatched"))
            .alias("method")
        ).with_columns(
            pl.when(pl.col("method") == "fuzzy").then(pl.col("person_id")).alias("person_id")
        )
    return frame.select("source", "file", "row", "person_id", "method", "id_status")


def _score(links: Any, truth: Path, known: Any) -> dict[str, dict[str, Any]]:
    import polars as pl

    from citygen.evaluate import evaluate_links

    table = evaluate_links(
        links,
        truth,
        known_persons=known,
        extra_populations=[
            ("records without a usable ID", ~pl.col("id_status").is_in(list(USABLE)))
        ],
    )
    scores = {}
    for row in table.iter_rows(named=True):
        p, r = row["precision"], row["recall"]
        row["f1"] = 2 * p * r / (p + r) if p and r else (0.0 if r is not None else None)
        scores[row["population"]] = row
    return scores


def _check_rows(records: Any, truth: Path) -> str:
    """Every record maps to one truth row by (source, file, row), and the records with a usable
    ID carry their true person's ID (so the row numbering agrees)."""
    import polars as pl

    rows = pl.read_csv(truth / "rows.csv", infer_schema=False).filter(pl.col("folder") == "input")
    joined = records.join(rows, on=["source", "file", "row"], how="left", suffix="_true")
    found = joined.height - int(joined["folder"].is_null().sum())
    usable = joined.filter(pl.col("id_status").is_in(list(USABLE)))
    agree = int((usable["person_id"] == usable["person_id_true"]).sum())
    return (
        f"{found:,} of {records.height:,} records found in truth/rows.csv; the usable ID is the"
        f" true person's on {agree:,} of {usable.height:,}"
    )


def _fmt(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_city_arguments(parser)
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"any of {', '.join(TOOLS + EXTRA_TOOLS)}"
    )
    parser.add_argument("--work", type=Path, help="working folder (default: a new temporary one)")
    parser.add_argument(
        "--prepared", type=Path, help="reuse a prepared state of an earlier run (same city)"
    )
    parser.add_argument(
        "--code", metavar="REF", help="measure this commit's code (default: the working tree)"
    )
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per tool")
    parser.add_argument("--splink-memory", default="12GB", help="DuckDB memory_limit for Splink")
    parser.add_argument("--u-max-pairs", type=float, default=1e7)
    parser.add_argument(
        "--em-max-pairs", type=float, default=2e6, help="EM sampling (best, generic-capped)"
    )
    parser.add_argument(
        "--max-pairs",
        type=float,
        default=2e8,
        help="a Splink configuration whose blocking makes more pairs is not run",
    )
    parser.add_argument(
        "--worker", choices=("prepare", *TOOLS, *EXTRA_TOOLS), help=argparse.SUPPRESS
    )
    parser.add_argument("--state", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(tools) - set(TOOLS + EXTRA_TOOLS)
    if unknown:
        parser.error(
            f"unknown tools {sorted(unknown)}; choose from {', '.join(TOOLS + EXTRA_TOOLS)}"
        )
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-linkage-"))
    work.mkdir(parents=True, exist_ok=True)
    city = city_of(args, work)
    env, code_label = snapshot_code(work, args.code)
    truth = city / "truth"
    manifest = json.loads((truth / "manifest.json").read_text(encoding="utf-8"))
    common = ["--as-of", args.as_of, "--seed", str(args.seed)]

    prepared = args.prepared
    if prepared is None:
        prepared = work / "prepared.duckdb"
        result = run_worker(
            "prepare",
            ["--city", str(city), "--state", str(prepared), *common],
            work / "prepare",
            args.timeout,
            env,
        )
        if "error" in result:
            sys.exit(f"preparing the state failed: {result['error']}")
        print(f"prepared {prepared} in {result['seconds']:.1f} s (ingestion, not timed below)")

    results: dict[str, dict[str, Any]] = {}
    for tool in tools:
        copy = work / f"{tool}.duckdb"
        shutil.copyfile(prepared, copy)
        options = [
            "--state", str(copy), *common, "--splink-memory", args.splink_memory,
            "--u-max-pairs", str(args.u_max_pairs), "--em-max-pairs", str(args.em_max_pairs),
            "--max-pairs", str(args.max_pairs),
        ]  # fmt: skip
        results[tool] = run_worker(tool, options, work / tool, args.timeout, env)
        for leftover in (copy, Path(f"{copy}.wal"), Path(f"{copy}.lock")):
            leftover.unlink(missing_ok=True)
        status = results[tool].get("error") or f"{results[tool]['seconds']:.1f} s"
        print(f"{tool}: {status}", file=sys.stderr)

    import polars as pl

    records, known = _records(prepared)
    row_check = _check_rows(records, truth)
    scored: dict[str, tuple[float | None, dict[str, dict[str, Any]]]] = {}
    for tool, result in results.items():
        parquet = work / f"{tool}.parquet"
        if "error" in result or not parquet.exists():
            continue
        decisions = pl.read_parquet(parquet)
        if tool.startswith("ours"):
            scored[tool] = (None, _score(_links(records, decisions, tool, None), truth, known))
            continue
        grid = list(THRESHOLDS) if tool == "splink-best" else [0.5]
        sweep = {t: _score(_links(records, decisions, tool, t), truth, known) for t in grid}
        best = max(grid, key=lambda t: (sweep[t]["all records"]["f1"] or 0.0, -t))
        scored[tool] = (best, sweep[best])
        result["sweep"] = {
            t: (s["all records"]["precision"], s["all records"]["recall"], s["all records"]["f1"])
            for t, s in sweep.items()
        }

    no_id = records.filter(~pl.col("id_status").is_in(list(USABLE))).height
    print(
        f"\n### Identity linking side by side — `bench/linkage.py`\n\n"
        f"City of {manifest['people']:,} people (seed {manifest['seed']}), as-of {args.as_of};"
        f" measured {dt.date.today()} ({os.cpu_count()} cores); code: {code_label}.\n"
        f"{records.height:,} current records ({int(records['quarantined'].sum()):,} quarantined,"
        f" {no_id:,} without a usable ID); {known.len():,} persons known to the state"
        f" (the registry); {row_check}.\n"
    )
    print(
        "| tool | config | threshold | precision | recall | F1 | no usable ID: P / R / F1"
        " | link wall s | peak RSS GiB |\n|---|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for tool, result in results.items():
        name, config = tool.split("-", 1) if "-" in tool else (tool, "default")
        if name == "splink":
            name = f"Splink {result.get('version', '')}".strip()
        rss = f"{result.get('peak_rss_linking', result['peak_rss']) / GIB:.2f}"
        if tool not in scored:
            print(f"| {name} | {config} | - | - | - | - | {result.get('error', '?')} | - | {rss} |")
            continue
        threshold, scores = scored[tool]
        every, nid = scores["all records"], scores["records without a usable ID"]
        if tool.startswith("ours"):
            limits = result.get("thresholds", {})
            label = f"link {limits.get('link')} (review {limits.get('review')})"
            if "link without identifier" in limits:
                label += f", without identifier {limits['link without identifier']}"
        elif tool == "splink-best":
            label = f"{threshold} (best F1 of {len(THRESHOLDS)})"
        else:
            label = f"{threshold}"
        seconds = f"{result['seconds']:.1f}"
        if "resolve" in result.get("sub", {}):
            seconds += f" (resolve {result['sub']['resolve']:.1f})"
        print(
            f"| {name} | {config} | {label} | {_fmt(every['precision'])} | {_fmt(every['recall'])}"
            f" | {_fmt(every['f1'])} | {_fmt(nid['precision'])} / {_fmt(nid['recall'])} /"
            f" {_fmt(nid['f1'])} | {seconds} | {rss} |"
        )

    populations = [
        "all records",
        "records carrying an ID in any form",
        "records without an ID",
        "records without a usable ID",
        "hotline tickets, caller's phone known",
    ]
    tags = sorted(
        {
            p
            for _, s in scored.values()
            for p in s
            if p.startswith(("defect: id_", "defect: name_")) or p == "defect: duplicate"
        }
    )
    if scored:
        print(
            "\nPrecision / recall by population (`monitor evaluate`'s populations; review ="
            " not linked):\n"
        )
        print("| population | records | " + " | ".join(scored) + " |")
        print("|---|---:|" + "---:|" * len(scored))
        for population in populations + tags:
            cells = []
            size = None
            for _, scores in scored.values():
                row = scores.get(population)
                if row is None:
                    cells.append("-")
                    continue
                size = row["records"]
                cells.append(f"{_fmt(row['precision'])} / {_fmt(row['recall'])}")
            print(f"| {population} | {size or 0:,} | " + " | ".join(cells) + " |")

    print("\nWall time of the linking stage, by part (s):\n")
    for tool, result in results.items():
        parts = ", ".join(f"{k} {v:.1f}" for k, v in result.get("sub", {}).items())
        print(f"- {tool}: {result.get('seconds', float('nan')):.1f} ({parts or '-'})")
        if "households_not_counted" in result:
            print(
                f"  then households (not counted; Splink has none):"
                f" {result['households_not_counted']:.1f}; peak RSS with them"
                f" {result['peak_rss'] / GIB:.2f} GiB"
            )
        pairs = result.get("description", {}).get("blocked_pairs_total_estimate")
        if pairs is not None:
            print(
                f"  blocked pairs (Splink's estimate, counted before training, not timed): {pairs:,}"
            )
    for tool, result in results.items():
        if "sweep" in result and len(result["sweep"]) > 1:
            print(f"\n{tool} threshold sweep (precision / recall / F1, all records):")
            for t, (p, r, f) in result["sweep"].items():
                print(f"  {t}: {_fmt(p)} / {_fmt(r)} / {_fmt(f)}")
    (work / "results.json").write_text(json.dumps(results, indent=1, default=str))
    print(f"\nWork folder: {work} (decisions as parquet, results.json)")


if __name__ == "__main__":
    main()
