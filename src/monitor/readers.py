"""Readers for department export files (CSV and XLSX).

A reader turns one file into a frame of strings: one row per data record, the
contract's canonical column names, the record number ``_row`` (1-based, the
first record under the header is 1), and the file's other columns kept as
JSON in ``_extra``. Title rows above the header, blank rows and 合计 (total)
rows are counted, not returned. Nothing is typed or repaired here.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import logging
import os
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import polars as pl

from monitor.contracts import Contract
from monitor.errors import InputFileError

log = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 30
TOTAL_MARKERS = ("合计", "总计", "小计", "合 计")
SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and legacy .xls are OLE files


@dataclass
class ReadResult:
    """What a reader found in one file; the records come in chunks (``chunks()``).

    Title rows are counted when the header is found; blank and 合计 rows while
    the chunks are read, so those counts are final once ``chunks()`` is exhausted.
    """

    header: dict[str, str]  # canonical column -> header text as found
    extra_columns: list[str]
    columns: list[str]  # the contract's canonical columns, in order
    _chunks: Iterator[pl.DataFrame]
    title_rows: int = 0
    blank_rows: int = 0
    total_rows: int = 0
    records: int = 0
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)

    def chunks(self) -> Iterator[pl.DataFrame]:
        """The records, chunk by chunk (once)."""
        yield from self._chunks

    @property
    def frame(self) -> pl.DataFrame:
        """All records in one frame (small files and tests; ingestion streams ``chunks()``)."""
        if not hasattr(self, "_frame"):
            parts = list(self.chunks())
            empty = pl.DataFrame(
                schema={
                    "_row": pl.Int64,
                    **dict.fromkeys(self.columns, pl.String),
                    "_extra": pl.String,
                }
            )
            self._frame = pl.concat(parts, how="vertical") if parts else empty
        return self._frame


@dataclass
class _Layout:
    """Where the header is and what each column of the grid means."""

    header_idx: int
    mapping: dict[int, str]  # grid column position -> canonical column
    header_cells: list[object]
    title_rows: int


def _norm_header(text: object) -> str:
    if text is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def _alias_index(contract: Contract) -> dict[str, str]:
    return {_norm_header(a): c.name for c in contract.columns for a in (*c.aliases, c.label)}


def _required(contract: Contract) -> list[str]:
    return [c.name for c in contract.columns if c.required]


def _match_header(cells: list[object], contract: Contract) -> dict[int, str]:
    """Map cell positions of a candidate header row to canonical columns (first one wins)."""
    index = _alias_index(contract)
    found: dict[int, str] = {}
    used: set[str] = set()
    for pos, cell in enumerate(cells):
        name = index.get(_norm_header(cell))
        if name and name not in used:
            found[pos] = name
            used.add(name)
    return found


def _find_header(rows: list[list[object]], contract: Contract) -> tuple[int, dict[int, str]] | None:
    """The first row holding every required column; else the best partial row (>= 2 columns)."""
    required = set(_required(contract))
    best: tuple[int, dict[int, str]] | None = None
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = _match_header(cells, contract)
        if required <= set(mapping.values()):
            return i, mapping
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (i, mapping)
    return best


def _missing_required(
    source: str, file: str, contract: Contract, mapping: dict[int, str], records: int
) -> None:
    missing = [c for c in contract.columns if c.required and c.name not in mapping.values()]
    if missing:
        detail = "; ".join(f"「{c.label}」(可用列名: {'/'.join(c.aliases)})" for c in missing)
        raise InputFileError(
            source,
            file,
            f"缺少必填列 {detail}。请让报送部门按数据约定补齐该列后重新导出。",
            column=",".join(c.label for c in missing),
            records=records,
        )


def _layout(source: str, file: str, contract: Contract, head: pl.DataFrame) -> _Layout:
    """Find the header among the first rows of the grid."""
    head_rows = [list(r) for r in head.head(HEADER_SEARCH_ROWS).rows()]
    found = _find_header(head_rows, contract)
    if found is None:
        raise InputFileError(
            source,
            file,
            "找不到表头行（前30行中没有与数据约定匹配的列名）。请确认文件属于该来源、表头为中文列名。",
        )
    header_idx, mapping = found
    title_rows = sum(1 for r in head_rows[:header_idx] if any(_cell(c) for c in r))
    return _Layout(header_idx, mapping, head_rows[header_idx], title_rows)


def _records(
    source: str,
    file: str,
    contract: Contract,
    layout: _Layout,
    grid_chunks: Iterator[pl.DataFrame],
    notes: list[str],
) -> ReadResult:
    """Cut the records out of a grid streamed in chunks (the first chunk starts at the file's top)."""
    header_cells = layout.header_cells
    mapping = layout.mapping
    header = {name: str(header_cells[pos]) for pos, name in mapping.items()}
    extra_pos = [p for p in range(len(header_cells)) if p not in mapping and _cell(header_cells[p])]
    extra_names: list[str] = []
    for p in extra_pos:
        name = _extra_name(header_cells[p], p)
        extra_names.append(name if name not in extra_names else f"{name}_{p + 1}")
    dup = [
        str(header_cells[p])
        for p in range(len(header_cells))
        if p not in mapping and _is_alias(header_cells[p], contract)
    ]
    if dup:
        notes.append(f"重复的列名 {','.join(dup)}：只使用第一次出现的列，其余保留在原始层")
    id_pos = next((p for p, n in mapping.items() if n == contract.person.id), None)
    result = ReadResult(
        header=header,
        extra_columns=extra_names,
        columns=contract.column_names,
        _chunks=iter(()),
        title_rows=layout.title_rows,
        notes=notes,
    )

    def generate() -> Iterator[pl.DataFrame]:
        skip = layout.header_idx + 1
        for grid in grid_chunks:
            if skip:
                cut = min(skip, grid.height)
                grid, skip = grid.slice(cut), skip - cut
            if grid.height == 0:
                continue
            frame = _cut_chunk(grid, contract, mapping, extra_pos, extra_names, id_pos, result)
            if frame.height:
                yield frame

    records = generate()
    if any(contract.column(c).required and c not in header for c in contract.column_names):
        total = sum(f.height for f in records)  # count them for the balance, then fail
        _missing_required(source, file, contract, mapping, total)
    result._chunks = records
    return result


def _cut_chunk(
    grid: pl.DataFrame,
    contract: Contract,
    mapping: dict[int, str],
    extra_pos: list[int],
    extra_names: list[str],
    id_pos: int | None,
    result: ReadResult,
) -> pl.DataFrame:
    cols = grid.columns
    # blank: every cell empty; total: a 合计 marker in the first cells and no ID.
    stripped = [pl.col(c).str.strip_chars().fill_null("") for c in cols]
    nonempty = pl.sum_horizontal([(s != "").cast(pl.Int32) for s in stripped])
    is_total = pl.any_horizontal(
        [s.str.replace_all(r"\s", "").is_in(list(TOTAL_MARKERS)) for s in stripped[:3]]
    )
    if id_pos is not None and id_pos < len(cols):
        is_total = is_total & (stripped[id_pos] == "")
    body = grid.with_columns(_blank=nonempty == 0, _total=is_total & (nonempty > 0))
    result.blank_rows += int(body["_blank"].sum())
    result.total_rows += int(body["_total"].sum())
    data = body.filter(~pl.col("_blank") & ~pl.col("_total"))
    data = data.with_row_index("_row", offset=result.records + 1).with_columns(
        pl.col("_row").cast(pl.Int64)
    )
    result.records += data.height
    selected = [pl.col("_row")]
    for pos, name in mapping.items():
        source_col = pl.col(cols[pos]) if pos < len(cols) else pl.lit(None, dtype=pl.String)
        selected.append(source_col.cast(pl.String).alias(name))
    for column in contract.column_names:
        if column not in mapping.values():
            selected.append(pl.lit(None, dtype=pl.String).alias(column))
    present = [(p, n) for p, n in zip(extra_pos, extra_names, strict=True) if p < len(cols)]
    if present:
        extra = pl.struct([pl.col(cols[p]).alias(n) for p, n in present])
        selected.append(extra.struct.json_encode().alias("_extra"))
    else:
        selected.append(pl.lit(None, dtype=pl.String).alias("_extra"))
    return data.select(selected).select(["_row", *contract.column_names, "_extra"])


def _is_alias(cell: object, contract: Contract) -> bool:
    return _norm_header(cell) in _alias_index(contract)


def _extra_name(cell: object, pos: int) -> str:
    text = str(cell).strip() if cell is not None else ""
    return text or f"column_{pos + 1}"


def _cell(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _empty(source: str, file: str, size: int) -> NoReturn:
    """Refuse a file with no header and no record: 0 bytes, or only blanks."""
    what = "为空（0 字节）" if size == 0 else "为空（只有空白字符）"
    raise InputFileError(
        source,
        file,
        f"文件「{file}」{what}，没有表头和数据记录。请确认报送部门导出了数据后重新报送。",
        records=0,
    )


# ---------------------------------------------------------------- CSV

# Records per chunk: bounds memory; each chunk costs one GX validation (~0.25 s).
CHUNK_ROWS = 500_000
_BLOCK = 1 << 22
csv.field_size_limit(1 << 30)  # a 5 MB free-text field is data, not an error


def _detect_encoding(path: Path) -> str:
    """utf-8-sig, utf-8 or gb18030, reading the file once in blocks."""
    with path.open("rb") as fh:
        if fh.read(3) == b"\xef\xbb\xbf":
            return "utf-8-sig"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for block in iter(lambda: fh.read(_BLOCK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _utf8_copy(path: Path, encoding: str) -> tuple[Path, bool]:
    """A UTF-8 file polars can scan: the file itself, or a transcoded temporary copy."""
    if encoding in ("utf-8", "utf-8-sig"):
        return path, False
    fd, name = tempfile.mkstemp(suffix=".csv", prefix="monitor-")
    with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
        decoder = codecs.getincrementaldecoder("gb18030")(errors="replace")
        for block in iter(lambda: src.read(_BLOCK), b""):
            dst.write(decoder.decode(block).encode("utf-8"))
        dst.write(decoder.decode(b"", final=True).encode("utf-8"))
    return Path(name), True


def _sniff(path: Path) -> tuple[str, int, list[list[str]]]:
    """Delimiter, grid width and the first rows (parsed with the csv module)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        text = fh.read(1 << 20)
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    tabs = sum(line.count("\t") for line in lines)
    commas = sum(line.count(",") for line in lines)
    delimiter = "\t" if tabs > commas else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=False))
    width = max((len(r) for r in rows[:1000]), default=0)
    return delimiter, width, rows[:HEADER_SEARCH_ROWS]


def _grid_schema(width: int) -> dict[str, pl.DataType]:
    return {f"column_{i + 1}": pl.String() for i in range(width)}


def _polars_chunks(path: Path, delimiter: str, width: int) -> Iterator[pl.DataFrame]:
    lazy = pl.scan_csv(
        path,
        has_header=False,
        separator=delimiter,
        schema=_grid_schema(width),
        truncate_ragged_lines=True,
        quote_char='"',
        encoding="utf8-lossy",
    )
    yield from lazy.collect_batches(chunk_size=CHUNK_ROWS)


def _csv_module_chunks(path: Path, delimiter: str, width: int) -> Iterator[pl.DataFrame]:
    """Tolerant row-by-row parsing, for files polars refuses (it is strict about quotes)."""
    schema = _grid_schema(width)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        batch: list[list[str | None]] = []
        for row in csv.reader(fh, delimiter=delimiter, strict=False):
            batch.append([*row[:width], *([None] * (width - len(row)))])
            if len(batch) == CHUNK_ROWS:
                yield pl.DataFrame(batch, schema=schema, orient="row")
                batch = []
        if batch:
            yield pl.DataFrame(batch, schema=schema, orient="row")


def read_csv(path: Path, source: str, contract: Contract) -> ReadResult:
    """Read a CSV export in any of the encodings and delimiters of exports.md, in chunks."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if b"\x00" in head[:4096]:
        raise InputFileError(source, path.name, "文件含二进制内容，不是文本 CSV。请确认导出格式。")
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        _empty(source, path.name, len(head))
    encoding = _detect_encoding(path)
    readable, temporary = _utf8_copy(path, encoding)
    try:
        delimiter, width, first_rows = _sniff(readable)
        layout = _layout(
            source,
            path.name,
            contract,
            pl.DataFrame(
                [[*r, *([None] * (width - len(r)))] for r in first_rows],
                schema=_grid_schema(width),
                orient="row",
            ),
        )
        notes: list[str] = []
        try:
            # The first batch tells whether polars can parse the file; it is kept, not re-read.
            batches = _polars_chunks(readable, delimiter, width)
            first = next(batches, None)
            grids: Iterator[pl.DataFrame] = itertools.chain(
                [] if first is None else [first], batches
            )
        except pl.exceptions.PolarsError as exc:
            notes.append(f"CSV 格式不规范（{type(exc).__name__}），已用容错方式逐行读取")
            grids = _csv_module_chunks(readable, delimiter, width)
        result = _records(
            source, path.name, contract, layout, _cleanup(grids, readable, temporary), notes
        )
    except BaseException:
        if temporary:
            readable.unlink(missing_ok=True)
        raise
    result.encoding, result.delimiter = encoding, delimiter
    return result


def _cleanup(grids: Iterator[pl.DataFrame], path: Path, temporary: bool) -> Iterator[pl.DataFrame]:
    try:
        yield from grids
    finally:
        if temporary:
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------- XLSX


def _numeric_id_cells(path: Path, sheet: str, columns: list[int]) -> dict[int, dict[int, str]]:
    """Cells of the ID columns that Excel stored as numbers: {column: {grid row: '3.40102199001011E+17'}}.

    Excel keeps 15 significant digits of a number, so an 18-digit ID typed as a
    number has lost its last digits; its text must show that, not look like an ID.
    """
    from python_calamine import CalamineWorkbook

    found: dict[int, dict[int, str]] = {c: {} for c in columns}
    wb = CalamineWorkbook.from_path(str(path))
    for r, row in enumerate(wb.get_sheet_by_name(sheet).iter_rows()):
        for c in columns:
            if c < len(row) and isinstance(row[c], (int, float)) and not isinstance(row[c], bool):
                found[c][r] = f"{float(row[c]):.14E}"  # type: ignore[arg-type]
    return found


def read_xlsx(path: Path, source: str, contract: Contract) -> ReadResult:
    """Read an XLSX export: first sheet whose header matches, title and 合计 rows skipped, IDs as text."""
    import fastexcel

    with path.open("rb") as fh:
        magic = fh.read(8)
    if not magic:
        _empty(source, path.name, 0)
    if magic == OLE_MAGIC:
        raise InputFileError(
            source,
            path.name,
            "文件已加密（设置了打开密码）或是旧版 .xls 格式。请去掉密码并另存为 .xlsx 后重新报送。",
        )
    if not zipfile.is_zipfile(path):
        raise InputFileError(
            source,
            path.name,
            "不是有效的 xlsx 文件（可能已损坏、被截断或设置了密码）。请重新导出或去掉密码后报送。",
        )
    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:
        raise InputFileError(source, path.name, f"xlsx 无法打开（{exc}）。请重新导出。") from exc
    first_error: InputFileError | None = None
    for idx, sheet in enumerate(reader.sheet_names):
        try:
            grid = reader.load_sheet(idx, header_row=None, dtypes="string").to_polars()
        except Exception as exc:
            first_error = first_error or InputFileError(
                source, path.name, f"工作表「{sheet}」无法读取（{exc}）"
            )
            continue
        if grid.width == 0:
            continue
        grid = grid.rename({c: f"column_{i + 1}" for i, c in enumerate(grid.columns)})
        try:
            layout = _layout(source, path.name, contract, grid.head(HEADER_SEARCH_ROWS))
            grid = _with_numeric_ids(path, sheet, grid, layout, contract)
            chunks = (grid.slice(i, CHUNK_ROWS) for i in range(0, grid.height, CHUNK_ROWS))
            result = _records(source, path.name, contract, layout, chunks, [])
        except InputFileError as exc:
            first_error = first_error or exc
            continue
        result.sheet = sheet
        return result
    if first_error is not None:
        raise first_error
    raise InputFileError(
        source,
        path.name,
        f"文件「{path.name}」的工作表都是空的（没有表头和数据记录）。请确认报送部门导出了数据后重新报送。",
        records=0,
    )


def _with_numeric_ids(
    path: Path, sheet: str, grid: pl.DataFrame, layout: _Layout, contract: Contract
) -> pl.DataFrame:
    """Replace the text of numeric cells in ID-like columns by their Excel notation."""
    mapping = layout.mapping
    id_columns = [p for p, n in mapping.items() if contract.column(n).type in ("id", "card")]
    if not id_columns:
        return grid
    # Only pay for the cell-typed read when a column could hold numbers (all-digit text).
    suspicious = [
        p
        for p in id_columns
        if grid[grid.columns[p]].str.contains(r"^\d{16,}$").fill_null(False).any()
    ]
    if not suspicious:
        return grid
    numeric = _numeric_id_cells(path, sheet, suspicious)
    for p, cells in numeric.items():
        if not cells:
            continue
        name = grid.columns[p]
        rows = pl.Series("r", list(cells.keys()), dtype=pl.UInt32)
        vals = pl.Series("v", list(cells.values()), dtype=pl.String)
        patch = pl.DataFrame({"_r": rows, "_v": vals})
        grid = (
            grid.with_row_index("_r")
            .join(patch, on="_r", how="left")
            .with_columns(pl.coalesce(pl.col("_v"), pl.col(name)).alias(name))
            .drop("_r", "_v")
        )
    return grid


def read_file(path: Path, source: str, contract: Contract) -> ReadResult:
    """Read one export file by its suffix."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, source, contract)
    if suffix in (".csv", ".txt"):
        return read_csv(path, source, contract)
    raise InputFileError(
        source, path.name, f"不支持的文件类型 {suffix}：请报送 .csv 或 .xlsx 文件。"
    )
