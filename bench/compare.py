"""Before/after comparison of two revisions: the same outputs, byte for byte, and the time.

    .venv/bin/python bench/compare.py --before REV [--after REV|WORKTREE] [--sample]
        [--city DIR ...] [--repeat N]

For a restructuring that must keep every output identical and not be slower. Each revision
other than WORKTREE (the checkout this script lives in, the default for --after) is checked
out with `git worktree add --detach /tmp/compare-<short>-<pid>` (removed at the end) and run
from there with this checkout's .venv and PYTHONPATH=<tree>/src:<tree>/packages/citygen/src,
which comes before the editable install of /work/main/src. Nothing of monitor is imported
here, so the script does not depend on the working tree's state.

Inputs: --sample (the after tree's sample_data/, as `make demo` runs it) and each --city DIR
(from `monitor generate`). Both are run as `make demo` and bench/city.py do: `monitor run`
on previous/ (if present) a month before the as-of date, then on input/ at the as-of date
(truth/manifest.json's as_of), on a fresh state. A run is timed wall-clock over both nights;
its peak RSS is the larger of the two nights' (/usr/bin/time -v, else getrusage of the
children). Runs alternate between the revisions (the order flips each repeat) and the
median of --repeat runs is reported. Prefect's home is shared by all runs and its database
is created before the first one (a fresh one costs about 10 s of migrations).

The second night's OUT folders of each revision's first run are compared: the set of
relative paths, then every file's bytes. A differing CSV/JSON/txt/html file is reported by
its first differing line (CSV: the record's line and the names of the differing columns;
never a cell's value: outputs hold personal data); a differing .xlsx is compared cell by cell
with openpyxl (values only, sheet by sheet; counts of differing cells). report.html is
compared whole: two runs of one revision (14b7ad0, the sample and the dense 100k city) give
byte-identical reports and workbooks (the report has no timestamp or duration; workbooks
carry a fixed creation time), so nothing is ignored.

Exit 1 when any output differs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import zip_longest
from pathlib import Path

import openpyxl

CHECKOUT = Path(__file__).resolve().parents[1]
PYTHON = CHECKOUT / ".venv" / "bin" / "python"
GNU_TIME = Path("/usr/bin/time")
TEXT = {".csv", ".json", ".txt", ".html"}


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(CHECKOUT), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def month_before(day: dt.date) -> dt.date:
    """monitor.score.months_before(day, 1): the same day a month earlier, clamped."""
    year, month = divmod(day.year * 12 + day.month - 2, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


def environment(tree: Path, prefect_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MONITOR_HOME", "PYTHONPATH")}
    env.update(
        PYTHONPATH=f"{tree / 'src'}:{tree / 'packages/citygen/src'}",
        PREFECT_HOME=str(prefect_home),  # as the Makefile's exports
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
    )
    return env


def night(env: dict[str, str], input_dir: Path, out: Path, state: Path, day: dt.date) -> float:
    """One `monitor run`; its peak RSS in GiB."""
    command = [str(PYTHON), "-m", "monitor.cli", "run", str(input_dir), "--out", str(out)]
    command += ["--state", str(state), "--as-of", day.isoformat()]
    rss_file = out.parent / "time.txt"
    if GNU_TIME.exists():
        command = [str(GNU_TIME), "-v", "-o", str(rss_file), *command]
    done = subprocess.run(command, env=env, cwd=out.parent, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"monitor run {input_dir} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if not GNU_TIME.exists():
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20  # max so far
    for line in rss_file.read_text().splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1]) / 2**20
    raise RuntimeError(f"no peak RSS in {rss_file}")


def run_city(env: dict[str, str], city: Path, run_dir: Path) -> tuple[float, float]:
    """Both nights on a fresh state in RUN_DIR: (seconds, peak RSS GiB); OUT is RUN_DIR/out."""
    as_of = dt.date.fromisoformat(json.loads((city / "truth/manifest.json").read_text())["as_of"])
    run_dir.mkdir(parents=True)
    state = run_dir / "state" / "monitor.duckdb"
    started = time.perf_counter()
    peak = 0.0
    if (city / "previous").is_dir():
        peak = night(env, city / "previous", run_dir / "out-previous", state, month_before(as_of))
    peak = max(peak, night(env, city / "input", run_dir / "out", state, as_of))
    seconds = time.perf_counter() - started
    shutil.rmtree(run_dir / "state")  # only OUT is compared; a 100k state is large
    return seconds, peak


def text_difference(a: Path, b: Path) -> str:
    """Where two text files first differ: line (and character), for CSV the columns; no values."""
    if a.suffix != ".csv":
        lines = (p.read_bytes().splitlines() for p in (a, b))
        for number, (x, y) in enumerate(zip_longest(*lines), start=1):
            if x is None or y is None:
                return f"line {number}: {'after' if x is None else 'before'} has more lines"
            if x != y:
                column = next(i for i, (u, v) in enumerate(zip_longest(x, y), 1) if u != v)
                return f"line {number}, byte {column}"
        return "same lines, other line endings"
    records = (csv.reader(io.StringIO(p.read_text("utf-8-sig"))) for p in (a, b))
    header: list[str] = []
    line = 1  # the physical line a record starts on
    for x, y in zip_longest(*records):
        if x is None or y is None:
            return f"line {line}: {'after' if x is None else 'before'} has more records"
        header = header or x
        if x != y:
            if len(x) != len(y):
                return f"line {line}: {len(x)} fields before, {len(y)} after"
            names = [header[i] if i < len(header) else f"#{i + 1}" for i in range(len(x))]
            differing = [n for n, u, v in zip(names, x, y, strict=True) if u != v]
            return f"line {line}: " + ", ".join(differing)
        line += 1 + sum(cell.count("\n") for cell in x)
    return "same records, other quoting or line endings"


def workbook_difference(a: Path, b: Path) -> str | None:
    """Cell values sheet by sheet: None when equal, else the counts of differing cells."""
    books = [openpyxl.load_workbook(p, read_only=True, data_only=True) for p in (a, b)]
    sheets_a, sheets_b = (book.sheetnames for book in books)
    parts = [] if sheets_a == sheets_b else [f"sheets {sheets_a} before, {sheets_b} after"]
    for name in (s for s in sheets_a if s in sheets_b):
        rows = (book[name].iter_rows(values_only=True) for book in books)
        differing = sum(
            u != v for x, y in zip_longest(*rows, fillvalue=()) for u, v in zip_longest(x, y)
        )
        if differing:
            parts.append(f"{name}: {differing} cells")
    for book in books:
        book.close()
    return "; ".join(parts) or None


def compare_outputs(before: Path, after: Path) -> tuple[int, list[str]]:
    """(files identical, one line per difference)."""
    paths = [
        {p.relative_to(root) for p in root.rglob("*") if p.is_file()} for root in (before, after)
    ]
    problems = [f"only before: {p}" for p in sorted(paths[0] - paths[1])]
    problems += [f"only after: {p}" for p in sorted(paths[1] - paths[0])]
    identical = 0
    for relative in sorted(paths[0] & paths[1]):
        a, b = before / relative, after / relative
        if a.read_bytes() == b.read_bytes():
            identical += 1
        elif a.suffix == ".xlsx":
            difference = workbook_difference(a, b)
            if difference is None:
                identical += 1
                print(f"  {relative}: same cell values, other bytes")
            else:
                problems.append(f"{relative}: {difference}")
        elif a.suffix in TEXT:
            problems.append(f"{relative}: {text_difference(a, b)}")
        else:
            problems.append(f"{relative}: bytes differ")
    return identical, problems


def checkout(rev: str, trees: dict[str, Path]) -> tuple[str, Path]:
    """(label, tree) of REV: the checkout itself for WORKTREE, else a detached worktree."""
    if rev == "WORKTREE":
        return "WORKTREE", CHECKOUT
    short = git("rev-parse", "--short", f"{rev}^{{commit}}")
    if short not in trees:
        trees[short] = Path(f"/tmp/compare-{short}-{os.getpid()}")
        git("worktree", "add", "--detach", str(trees[short]), short)
    return short, trees[short]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", required=True, help="a git revision")
    parser.add_argument("--after", default="WORKTREE", help="a git revision, or WORKTREE")
    parser.add_argument("--city", type=Path, action="append", default=[], help="a generated city")
    parser.add_argument("--sample", action="store_true", help="the bundled sample_data/")
    parser.add_argument("--repeat", type=int, default=1, help="runs per revision (median)")
    args = parser.parse_args()
    trees: dict[str, Path] = {}
    work = Path(tempfile.mkdtemp(prefix="compare-runs-", dir="/tmp"))
    try:
        sides = {"before": checkout(args.before, trees), "after": checkout(args.after, trees)}
        for label, tree in sides.values():
            env = environment(tree, work / "prefect")
            where = subprocess.run(
                [str(PYTHON), "-c", "import monitor; print(monitor.__file__)"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            if not where.startswith(str(tree / "src")):
                sys.exit(f"{label}: monitor imported from {where}, not from {tree}")
        warm_up = "from prefect import flow; flow(name='warm-up')(lambda: None)()"  # migrations
        prefect_env = environment(CHECKOUT, work / "prefect")
        subprocess.run(
            [str(PYTHON), "-c", warm_up], env=prefect_env, check=True, capture_output=True
        )
        inputs = [sides["after"][1] / "sample_data"] if args.sample else []
        inputs += [city.resolve() for city in args.city]
        if not inputs:
            parser.error("nothing to compare: pass --sample and/or --city DIR")
        rows, differing = [], False
        for number, city in enumerate(inputs):
            base = work / f"{number}-{city.name}"
            runs: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
            for repeat in range(args.repeat):
                for side in ("before", "after") if repeat % 2 == 0 else ("after", "before"):
                    label, tree = sides[side]
                    env = environment(tree, work / "prefect")
                    runs[side].append(run_city(env, city, base / f"{side}-{repeat}"))
                    seconds = runs[side][-1][0]
                    print(
                        f"{city.name} {side} {label} run {repeat + 1}: {seconds:.1f} s", flush=True
                    )
            identical, problems = compare_outputs(base / "before-0/out", base / "after-0/out")
            for problem in problems:
                print(f"  {city.name}: {problem}")
            differing |= bool(problems)
            median = {side: statistics.median(s for s, _ in runs[side]) for side in runs}
            peak = {side: max(r for _, r in runs[side]) for side in runs}
            rows.append(
                f"| {city.name} | {median['before']:.1f} | {median['after']:.1f}"
                f" | {median['after'] / median['before']:.2f} | {peak['before']:.2f}"
                f" | {peak['after']:.2f} | {identical} | {len(problems)} |"
            )
        before, after = sides["before"][0], sides["after"][0]
        print(f"\nbefore {before}, after {after}; median of {args.repeat} run(s), both nights\n")
        print(
            "| input | before s | after s | after/before | peak RSS before GiB"
            " | peak RSS after GiB | files identical | differing |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        print("\n".join(rows))
        print("\noutputs differ" if differing else "\noutputs identical")
        return 1 if differing else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for tree in trees.values():
            subprocess.run(["git", "-C", str(CHECKOUT), "worktree", "remove", "--force", str(tree)])


if __name__ == "__main__":
    sys.exit(main())
