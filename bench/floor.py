"""The floor: the least any pipeline must do with a city's input files.

    .venv/bin/python bench/floor.py --city DIR [--threads N]

Decode every export (GB18030 transcoded, xlsx unzipped and parsed once, both into columns
with nothing per row in Python), parse its rows,
and join every record on its ID column as delivered (no repair) to the roster's IDs: the
work below which no pipeline can go. Prints seconds, records and records/s; `bench/city.py`
runs the same function in the same run and prints the pipeline's ratio to it.
"""

from __future__ import annotations

import argparse
import io
import resource
import time
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from monitor.contracts import contracts


@dataclass
class Floor:
    seconds: float
    records: int
    joined: int
    files: int

    def line(self) -> str:
        return (f"floor: {self.seconds:.1f} s for {self.records:,} records of {self.files} files"
                f" ({self.records / max(self.seconds, 1e-9):,.0f} records/s; {self.joined:,}"
                " join the roster on the raw ID)")  # fmt: skip


def _frame(path: Path) -> pl.DataFrame:
    """The file's rows as text columns (no header): an xlsx sheet through calamine into Arrow
    (fastexcel), a CSV decoded (GB18030 transcoded by Python's C codec) and parsed by polars.
    Nothing per row in Python: the least a reader must do."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string")
        frame = sheet.to_polars()
        return frame.select(pl.all().cast(pl.String)).rename(
            {c: f"c{i}" for i, c in enumerate(frame.columns)}
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    head = text[:65536]
    return pl.read_csv(io.StringIO(text), has_header=False, infer_schema=False,
                       truncate_ragged_lines=True,
                       separator="\t" if head.count("\t") > head.count(",") else ",")  # fmt: skip


def _id_column(frame: pl.DataFrame, aliases: set[str]) -> tuple[int, str] | None:
    """(header row, column) of the first row in the first ten naming an ID column."""
    for i, row in enumerate(frame.head(10).iter_rows()):
        for column, value in zip(frame.columns, row, strict=True):
            if value and str(value).strip() in aliases:
                return i, column
    return None


def measure(input_dir: Path) -> Floor:
    started = time.perf_counter()
    by_source: dict[str, list[pl.Series]] = {}
    files = records = 0
    for contract in contracts().values():
        aliases = {a for c in contract.columns if c.type == "id" for a in (c.label, *c.aliases)}
        folder = input_dir / contract.source
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.name.startswith((".", "~$")) or not path.is_file():
                continue
            frame = _frame(path)
            found = _id_column(frame, aliases)
            files += 1
            if found is None:
                continue
            header, column = found
            ids = frame[column].slice(header + 1)
            records += ids.len()
            by_source.setdefault(contract.source, []).append(ids)
    roster = pl.concat(by_source.get("roster", [pl.Series([], dtype=pl.String)])).unique()
    every = pl.DataFrame({"id": pl.concat([s for v in by_source.values() for s in v])})
    joined = every.join(pl.DataFrame({"id": roster}), on="id", how="inner").height
    return Floor(time.perf_counter() - started, records, joined, files)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--city", type=Path, required=True, help="a generated city (its input/)")
    args = parser.parse_args()
    floor = measure(args.city / "input")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"{floor.line()}; peak RSS {peak:.2f} GiB")


if __name__ == "__main__":
    main()
