"""Event files delivered again (the same export re-sent with a few more records, under another
name) count each record once: a second night gives the warnings of one delivery of the
larger files (issue: "explanations and amounts never double")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from monitor import pipeline

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "input"
AS_OF = dt.date(2026, 11, 15)
EVENT_SOURCES = ("health", "medical_insurance", "emergency", "hotline")
# the column an added record changes so that it is a new record (its natural key differs)
NEW_KEY = {
    "hotline": ("工单编号", lambda v, i: f"{v}-补{i}"),
    "medical_insurance": ("结算日期", lambda v, i: f"2026-11-{10 + i:02d}"),
    "emergency": ("受灾日期", lambda v, i: f"2026-11-{10 + i:02d}"),
    "health": ("就诊日期", lambda v, i: f"2026-11-{10 + i:02d}"),
}


def _encoding(path: Path) -> str:
    try:
        path.read_bytes().decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def _added(header: list[str], rows: list[list[object]], source: str) -> list[list[object]]:
    """Two new records: copies of the file's last data rows with a new natural key."""
    column, change = NEW_KEY[source]
    if column not in header:
        return []
    at = header.index(column)
    data = [r for r in rows if any(v not in (None, "") for v in r) and r[0] != "合计"]
    extra = []
    for i, row in enumerate(data[-2:], start=1):
        new = list(row)
        new[at] = change(row[at], i)
        extra.append(new)
    return extra


def redeliver(src: Path, dst: Path) -> Path:
    """dst: src with every event file replaced by a re-sent copy (new name, 2 added records)."""
    shutil.copytree(src, dst)
    for source in EVENT_SOURCES:
        for path in sorted((dst / source).iterdir()):
            again = path.with_name(f"{path.stem}_补发{path.suffix}")
            if path.suffix == ".csv":
                enc = _encoding(path)
                text = path.read_text(encoding=enc)
                delim = "\t" if "\t" in text.splitlines()[0] else ","
                table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
                header_at = next(i for i, r in enumerate(table) if len(r) > 2)
                body = table[header_at + 1 :]
                extra = _added(table[header_at], body, source)
                with again.open("w", encoding=enc, newline="") as fh:
                    csv.writer(fh, delimiter=delim).writerows(table + extra)
            else:
                wb = load_workbook(path)
                ws = wb.worksheets[0]
                values = [list(r) for r in ws.iter_rows(values_only=True)]
                header_at = next(
                    i for i, r in enumerate(values) if sum(v is not None for v in r) > 2
                )
                body = values[header_at + 1 :]
                total = [r for r in body if r and r[0] == "合计"]
                for _ in total:  # the re-sent export keeps its 合计 row last
                    ws.delete_rows(ws.max_row)
                for row in _added([str(v) for v in values[header_at]], body, source):
                    ws.append(row)
                for row in total:
                    ws.append(row)
                wb.save(again)
            path.unlink()
    return dst


def run(input_dir: Path, out: Path, state: Path, as_of: dt.date) -> None:
    pipeline.run_all(pipeline.make_context(input_dir, out, as_of, state))


def warnings(out: Path) -> pl.DataFrame:
    frame = pl.read_csv(out / "warnings.csv", infer_schema=False, encoding="utf8")
    return frame.drop("status").sort("household_key")


@pytest.mark.slow
def test_a_second_night_re_sending_every_event_file_doubles_nothing(tmp_path: Path) -> None:
    again = redeliver(SAMPLE, tmp_path / "again")
    state = tmp_path / "state.duckdb"
    run(SAMPLE, tmp_path / "night1", state, AS_OF)
    run(again, tmp_path / "night2", state, AS_OF + dt.timedelta(days=1))
    # one delivery of the larger files, in a fresh state, on the same night
    run(again, tmp_path / "once", tmp_path / "once.duckdb", AS_OF + dt.timedelta(days=1))
    assert warnings(tmp_path / "night2").equals(warnings(tmp_path / "once"))
    links = pl.read_csv(tmp_path / "night2" / "links.csv", infer_schema=False, encoding="utf8")
    resent = links.filter(pl.col("file").str.contains("_补发"))
    # the records known from night 1 are listed with their link; they count in the re-sent file,
    # the latest delivery (a copy exported twice inside a file stays a duplicate)
    assert resent.height > 0
    versions = set(resent.filter(pl.col("method") != "quarantined")["version"])
    assert versions <= {"current", "duplicate"} and "current" in versions
    # night 1's households keep their tier and explanation unless an added record is theirs
    first = warnings(tmp_path / "night1").select("household_key", "tier", "explanation")
    second = warnings(tmp_path / "night2").select("household_key", "tier", "explanation")
    joined = first.join(second, on="household_key", suffix="_2")
    changed = joined.filter(pl.col("explanation") != pl.col("explanation_2"))
    assert changed.height <= 2 * 2 * len(EVENT_SOURCES)  # at most the households of added records
