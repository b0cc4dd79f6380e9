"""Open export files that rows are streamed into, chunk after chunk, with their truth.

Every data record written gets one truth line (source, folder, file, row,
person_id, defects) in a part file that is concatenated into truth/rows.csv at
the end. XLSX files are split into parts well below Excel's row limit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from .files import FileSpec
from .ids import NumCell
from .table import AMOUNT, Rendered

MAX_XLSX_ROWS = 400_000


@dataclass
class WrittenFile:
    """A finished export file."""

    source: str
    folder: str
    name: str
    path: Path
    truth_part: Path
    side_part: Path | None
    records: int


class Sink:
    """Base: layout of output columns, truth lines, row numbering."""

    def __init__(self, spec: FileSpec, kinds: tuple[int, ...], root: Path, parts: Path) -> None:
        self.spec = spec
        self.root = root
        self.parts = parts
        self.layout: list[int | tuple[str, str]] = [
            i for i, header in enumerate(spec.headers) if header
        ]
        for position, header, value in sorted(spec.extras):
            self.layout.insert(min(position, len(self.layout)), (header, value))
        self.header = [
            spec.headers[item] if isinstance(item, int) else item[0] for item in self.layout
        ]
        self.amount_positions = [
            k
            for k, item in enumerate(self.layout)
            if isinstance(item, int) and kinds[item] == AMOUNT
        ]
        self.identity = self.layout == list(range(len(kinds)))
        self.done: list[WrittenFile] = []
        self.part_no = 0
        self._open_part()

    # -- parts ---------------------------------------------------------------

    def _part_name(self) -> str:
        if self.part_no == 0:
            return self.spec.name
        stem, ext = self.spec.name.rsplit(".", 1)
        return f"{stem}_{self.part_no + 1}.{ext}"

    def _open_part(self) -> None:
        self.name = self._part_name()
        folder = self.root / self.spec.folder / self.spec.source
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / self.name
        tag = f"{self.spec.folder}_{self.spec.source}_{self.name}"
        self.truth_path = self.parts / f"{tag}.rows"
        self.truth = open(self.truth_path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.side_path: Path | None = None
        self.side: io.TextIOWrapper | None = None
        self.records = 0
        self.sums = [0.0] * len(self.amount_positions)
        self._open_file()

    def _close_part(self) -> None:
        self._close_file()
        self.truth.close()
        if self.side is not None:
            self.side.close()
        self.done.append(
            WrittenFile(
                self.spec.source,
                self.spec.folder,
                self.name,
                self.path,
                self.truth_path,
                self.side_path,
                self.records,
            )
        )

    def close(self) -> list[WrittenFile]:
        self._close_part()
        return self.done

    # -- rows ----------------------------------------------------------------

    def write(self, rendered: Rendered) -> None:
        """Append records with their truth, starting a new part when one is full."""
        start = 0
        n = rendered.n
        while start < n:
            stop = min(n, start + max(0, self._max_rows() - self.records))
            if stop > start:
                self._write_slice(rendered, start, stop)
            start = stop
            if start < n:
                self._close_part()
                self.part_no += 1
                self._open_part()

    def _max_rows(self) -> int:
        return 1 << 62

    def _write_slice(self, rendered: Rendered, start: int, stop: int) -> None:
        whole = start == 0 and stop == rendered.n
        columns = rendered.columns if whole else [col[start:stop] for col in rendered.columns]
        person_id = rendered.person_id[start:stop]
        tags = rendered.tags[start:stop]
        first = self.records + 1
        self.records += stop - start
        numbers = range(first, self.records + 1)
        prefix = f"{self.spec.source},{self.spec.folder},{self.name},"
        self.truth.write(
            "".join(
                f"{prefix}{r},{p},{t}\n" for r, p, t in zip(numbers, person_id, tags, strict=True)
            )
        )
        if rendered.side:
            self._write_side(numbers, person_id, rendered.side[start:stop])
        out: list[list[Any]] = []
        for item in self.layout:
            if isinstance(item, int):
                out.append(columns[item])
            elif item[1] == "#":
                out.append(self._row_numbers(numbers))
            else:
                out.append([item[1]] * (stop - start))
        if self.spec.total_row:
            for k, position in enumerate(self.amount_positions):
                self.sums[k] += sum(v for v in out[position] if v.__class__ is float)
        self._emit(zip(*out, strict=True))

    def _row_numbers(self, numbers: range) -> list[Any]:
        return [str(r) for r in numbers]

    def _write_side(self, numbers: range, person_id: list[str], side: list[str]) -> None:
        if self.side is None:
            self.side_path = self.truth_path.with_suffix(".side")
            self.side = open(self.side_path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        prefix = f"{self.spec.folder},{self.name},"
        self.side.write(
            "".join(
                f"{prefix}{r},{p},{s}\n" for r, p, s in zip(numbers, person_id, side, strict=True)
            )
        )

    def _open_file(self) -> None:
        raise NotImplementedError

    def _close_file(self) -> None:
        raise NotImplementedError

    def _emit(self, rows: Iterable[tuple[Any, ...]]) -> None:
        raise NotImplementedError


class CsvSink(Sink):
    """A CSV export: encoding, delimiter and line ends of the file's spec."""

    def _open_file(self) -> None:
        self.handle = open(  # noqa: SIM115
            self.path, "w", encoding=self.spec.encoding, newline=""
        )
        self.writer = csv.writer(
            self.handle,
            delimiter=self.spec.delimiter,
            lineterminator="\r\n" if self.spec.crlf else "\n",
        )
        self.writer.writerow(self.header)

    def _close_file(self) -> None:
        self.handle.close()

    def _emit(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.writer.writerows(rows)


class XlsxSink(Sink):
    """An XLSX export: optional 说明 sheet, title rows, header, data, optional 合计 row."""

    CREATED = dt.datetime(2026, 1, 1, 8, 0, 0)

    def _max_rows(self) -> int:
        return MAX_XLSX_ROWS

    def _open_file(self) -> None:
        spec = self.spec
        self.book = xlsxwriter.Workbook(
            str(self.path), {"constant_memory": spec.big, "strings_to_numbers": False}
        )
        self.book.set_properties(
            {"created": self.CREATED, "author": "数据共享交换平台", "title": spec.name}
        )
        if spec.info_sheet:
            info = self.book.add_worksheet(spec.info_sheet[0])
            for r, line in enumerate(spec.info_sheet[1:]):
                info.write_string(r, 0, line)
        self.sheet = self.book.add_worksheet(spec.sheet)
        bold = self.book.add_format({"bold": True, "align": "center"})
        r = 0
        width = len(self.header)
        for line in spec.title:
            if width > 1:
                self.sheet.merge_range(r, 0, r, width - 1, line, bold)
            else:
                self.sheet.write_string(r, 0, line, bold)
            r += 1
        if spec.title and spec.blank_after_title:
            r += 1
        for c, name in enumerate(self.header):
            self.sheet.write_string(r, c, name)
        self.next_row = r + 1

    def _close_file(self) -> None:
        if self.spec.total_row:
            r = self.next_row
            self.sheet.write_string(r, 0, "合计")
            for k, position in enumerate(self.amount_positions):
                if position:
                    self.sheet.write_number(r, position, round(self.sums[k], 2))
        self.book.close()

    def _row_numbers(self, numbers: range) -> list[Any]:
        return [float(r) for r in numbers]

    def _emit(self, rows: Iterable[tuple[Any, ...]]) -> None:
        # the sheet's private writers skip the public methods' A1-notation wrapper
        write_string = self.sheet._write_string
        write_number = self.sheet._write_number
        r = self.next_row
        for row in rows:
            for c, value in enumerate(row):
                kind = value.__class__
                if kind is str:
                    if value:
                        write_string(r, c, value)
                elif kind is float:
                    write_number(r, c, value)
                elif kind is NumCell:
                    write_number(r, c, value.value)
            r += 1
        self.next_row = r


def open_sink(spec: FileSpec, kinds: tuple[int, ...], root: Path, parts: Path) -> Sink:
    """A sink for one file spec."""
    if spec.fmt == "xlsx":
        return XlsxSink(spec, kinds, root, parts)
    return CsvSink(spec, kinds, root, parts)
