"""Fuzzing ingestion: good CSV and xlsx exports mutated the ways real files break (cut
lines, stray quotes, flipped bytes, inserted columns, shuffled headers, giant fields,
CR-only line endings). Ingestion never raises; each file is loaded or fails with its
reason; every record read is stored (raw and clean alike), and mutations that leave the
records readable keep every one of them."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import A_HEAD, B, C
from monitor.engine import Engine
from monitor.ingest import file_hash, ingest_source
from monitor.state import open_state

HEADER = ["姓名", "社会保障号码", "就业状态", "月工资（元）", "失业登记日期"]
ROWS = [
    ["甲", A_HEAD, "就业", "3000", "2026-01-01"],
    ["乙", B, "失业登记", "", "2026-10-01"],
    ["丙", C, "就业", "1,200元", ""],
]
DAY = dt.date(2026, 11, 15)
counter = itertools.count()


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\r\n") -> str:
    return newline.join(",".join(r) for r in [header, *rows]) + newline


# Mutations that keep every record readable: the three records must all be kept.
def shuffled(order: list[int]) -> tuple[list[str], list[list[str]]]:
    return [HEADER[i] for i in order], [[r[i] for i in order] for r in ROWS]


@st.composite
def readable(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["shuffle", "extra-column", "cr-only", "giant-field", "quotes"]))
    header, rows = list(HEADER), [list(r) for r in ROWS]
    newline = "\r\n"
    if kind == "shuffle":
        header, rows = shuffled(draw(st.permutations(range(len(HEADER)))))
    elif kind == "extra-column":
        at = draw(st.integers(0, len(HEADER)))
        header.insert(at, "备注")
        for r in rows:
            r.insert(at, draw(st.text(alphabet="备注ab1 ", max_size=8)))
    elif kind == "cr-only":
        newline = "\r"
    elif kind == "giant-field":
        rows[draw(st.integers(0, 2))][3] = "9" * draw(st.integers(10_000, 200_000))
    else:  # a quoted field holding commas, quotes and a line break
        row = draw(st.integers(0, 2))
        rows[row][0] = '"' + rows[row][0] + ',"",\n' + '"'
    return kind, csv_text(header, rows, newline).encode("utf-8")


@st.composite
def broken(draw: st.DrawFn) -> tuple[str, bytes]:
    good = csv_text(HEADER, ROWS).encode("utf-8")
    kind = draw(st.sampled_from(["cut", "stray-quote", "flip", "truncate-xlsx", "flip-xlsx"]))
    if kind == "cut":  # a line cut short (or lost) anywhere
        at = draw(st.integers(1, len(good) - 1))
        return kind, good[:at] + good[at + draw(st.integers(1, 40)) :]
    if kind == "stray-quote":
        at = draw(st.integers(0, len(good)))
        return kind, good[:at] + b'"' + good[at:]
    if kind == "flip":
        data = bytearray(good)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return kind, bytes(data)
    book = XLSX
    if kind == "truncate-xlsx":
        return kind, book[: draw(st.integers(0, len(book) - 1))]
    data = bytearray(book)
    for _ in range(draw(st.integers(1, 16))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return kind, bytes(data)


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.set_properties({"created": dt.datetime(2026, 11, 15)})  # the same bytes every time
    ws = wb.add_worksheet("人员")
    for i, row in enumerate([HEADER, *ROWS]):
        ws.write_row(i, 0, row)
    wb.close()
    return buffer.getvalue()


XLSX = xlsx_bytes()


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    folder = tmp_path_factory.mktemp("fuzz")
    with open_state(folder / "s.duckdb") as engine:
        yield engine, folder


def ingest(state: tuple[Engine, Path], data: bytes, suffix: str):  # type: ignore[no-untyped-def]
    """One mutated HR export in a folder of its own: the ingestion's result and, for a
    loaded file, the records stored raw and clean."""
    engine, folder = state
    n = next(counter)
    source_dir = folder / f"in{n}" / "hr"
    source_dir.mkdir(parents=True)
    path = source_dir / f"就业{n}{suffix}"
    path.write_bytes(data)
    result = ingest_source(engine, folder / f"in{n}", "hr", f"fuzz-{n}", DAY)
    digest = {"h": file_hash(path)}
    raw = engine.execute("select count(*) from raw_hr where file_hash = $h", digest)[0][0]
    clean = engine.execute("select count(*) from clean_hr where file_hash = $h", digest)[0][0]
    return result, raw, clean


FUZZ = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                         HealthCheck.too_slow])  # fmt: skip


@FUZZ
@given(readable())
def test_a_readable_mutation_keeps_every_record(state, case) -> None:  # type: ignore[no-untyped-def]
    kind, data = case
    result, raw, clean = ingest(state, data, ".csv")
    assert result.loaded + result.skipped + result.failed == 1, kind
    if result.skipped:  # the same bytes as an earlier example: the ledger keeps one copy
        return
    assert result.loaded == 1, (kind, result.messages)
    assert result.records == raw == clean == len(ROWS), kind


@FUZZ
@given(broken())
def test_a_broken_file_never_crashes_and_the_balance_holds(state, case) -> None:  # type: ignore[no-untyped-def]
    kind, data = case
    suffix = ".xlsx" if kind.endswith("xlsx") else ".csv"
    result, raw, clean = ingest(state, data, suffix)
    assert result.loaded + result.skipped + result.failed == 1, kind
    if result.failed:
        assert result.messages and "hr/" in result.messages[0]  # failed with its reason
        assert raw == clean == 0  # nothing of a failed file is kept
    elif result.loaded:
        assert result.records == raw == clean, kind  # every record read is stored


def test_cr_only_line_ends_are_read_as_lines(tmp_path: Path) -> None:
    """Found by the fuzzer: an export with classic Mac line ends (CR alone) failed the
    csv module's sniffing and was one line to polars; it now reads as its three records."""
    from monitor.contracts import contracts
    from monitor.readers import read_file

    path = tmp_path / "就业.csv"
    path.write_bytes(csv_text(HEADER, ROWS, "\r").encode("gb18030"))
    read = read_file(path, "hr", contracts()["hr"])
    assert read.frame.height == len(ROWS) and any("CR" in n for n in read.notes)
    assert read.frame["person_name"].to_list() == [r[0] for r in ROWS]
