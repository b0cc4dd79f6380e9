"""Comparing runs for determinism: the digests of a run's CSV files, optionally with the
input files' names mapped back (a run on renamed copies of the same files), so that runs on
the same input under other thread counts, file orders and names can be compared."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import polars as pl

CSVS = ("warnings.csv", "resolved.csv", "links.csv", "review.csv", "quarantine.csv")
_BY_FILE = ("links.csv", "review.csv", "quarantine.csv")


def digests(out: Path, renamed: dict[str, str] | None = None) -> dict[str, str]:
    """sha256 of each CSV; with `renamed` (new -> old file name), of the CSV with its file
    names put back and rows re-sorted as the pipeline sorts them (source order, file, row)."""
    result = {}
    for name in CSVS:
        data = (out / name).read_bytes()
        if renamed and name in _BY_FILE:
            frame = pl.read_csv(out / name, infer_schema=False, encoding="utf8")
            order = {s: i for i, s in enumerate(dict.fromkeys(frame["source"]))}
            frame = frame.with_columns(pl.col("file").replace(renamed))
            frame = frame.with_columns(
                pl.col("source").replace_strict(order).alias("_s"),
                pl.col("row").cast(pl.Int64, strict=False).alias("_r"),
            )
            keys = ["_s", "file", "_r"] + [c for c in frame.columns if c not in ("_s", "_r")]
            frame = frame.sort(keys, nulls_last=False).drop("_s", "_r")
            data = frame.write_csv().encode()
        elif renamed:
            data = pl.read_csv(out / name, infer_schema=False, encoding="utf8").write_csv().encode()
        result[name] = hashlib.sha256(data).hexdigest()
    return result


def renamed_copy(input_dir: Path, target: Path) -> dict[str, str]:
    """A copy of `input_dir` with every file renamed so that each folder's name order (the
    order files are listed and read in) is reversed; returns new -> old file names."""
    renamed: dict[str, str] = {}
    for folder in sorted(input_dir.iterdir()):
        files = sorted(folder.iterdir())
        for i, path in enumerate(files):
            new = f"{len(files) - i:03d}_{path.name}"
            renamed[new] = path.name
            (target / folder.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / folder.name / new)
    return renamed
