"""Readers for department export files (CSV and XLSX).

A reader turns one file into a frame of strings: one row per data record, the
contract's canonical column names, the record number ``_row`` (1-based, the
first record under the header is 1), and the file's other columns kept as
JSON in ``_extra``. Title rows above the header, blank rows and 合计 (total)
rows are counted, not returned. Nothing is typed or repaired here.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

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
    """What a reader found in one file."""

    frame: pl.DataFrame
    header: dict[str, str]  # canonical column -> header text as found
    extra_columns: list[str]
    title_rows: int = 0
    blank_rows: int = 0
    total_rows: int = 0
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


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


def _frame_from_rows(
    source: str,
    file: str,
    contract: Contract,
    grid: pl.DataFrame,
) -> ReadResult:
    """Shared tail of both readers: find the header in a grid of strings, cut records out of it."""
    head_rows = grid.head(HEADER_SEARCH_ROWS).rows()
    found = _find_header([list(r) for r in head_rows], contract)
    if found is None:
        raise InputFileError(
            source,
            file,
            "找不到表头行（前30行中没有与数据约定匹配的列名）。请确认文件属于该来源、表头为中文列名。",
        )
    header_idx, mapping = found
    header_cells = list(head_rows[header_idx])
    title_rows = sum(1 for r in head_rows[:header_idx] if any(_cell(c) for c in r))
    body = grid.slice(header_idx + 1)
    cols = body.columns
    # blank: every cell empty; total: a 合计 marker in the first non-empty cells and no ID.
    stripped = [pl.col(c).str.strip_chars().fill_null("") for c in cols]
    nonempty = pl.sum_horizontal([(s != "").cast(pl.Int32) for s in stripped])
    id_pos = next((p for p, n in mapping.items() if n == contract.person.id), None)
    first_cells = [pl.col(c).str.strip_chars().fill_null("") for c in cols[: min(3, len(cols))]]
    is_total = pl.any_horizontal(
        [fc.str.replace_all(r"\s", "").is_in(["合计", "总计", "小计"]) for fc in first_cells]
    )
    if id_pos is not None:
        is_total = is_total & (pl.col(cols[id_pos]).str.strip_chars().fill_null("") == "")
    body = body.with_columns(_blank=nonempty == 0, _total=is_total)
    blank_rows = int(body["_blank"].sum())
    total_rows = int(body.filter(~pl.col("_blank"))["_total"].sum())
    data = body.filter(~pl.col("_blank") & ~pl.col("_total")).with_row_index("_row", offset=1)
    data = data.with_columns(pl.col("_row").cast(pl.Int64))
    _missing_required(source, file, contract, mapping, data.height)
    selected = [pl.col("_row")]
    header: dict[str, str] = {}
    for pos, name in mapping.items():
        selected.append(pl.col(cols[pos]).alias(name))
        header[name] = str(header_cells[pos])
    for column in contract.column_names:
        if column not in header:
            selected.append(pl.lit(None, dtype=pl.String).alias(column))
    extra_pos = [p for p in range(len(cols)) if p not in mapping and _cell(header_cells[p])]
    extra_names = [_extra_name(header_cells[p], p) for p in extra_pos]
    notes: list[str] = []
    dup = [
        str(header_cells[p])
        for p in range(len(cols))
        if p not in mapping and _is_alias(header_cells[p], contract)
    ]
    if dup:
        notes.append(f"重复的列名 {','.join(dup)}：只使用第一次出现的列，其余保留在原始层")
    if extra_pos:
        extra = pl.struct(
            [pl.col(cols[p]).alias(n) for p, n in zip(extra_pos, extra_names, strict=True)]
        )
        selected.append(extra.struct.json_encode().alias("_extra"))
    else:
        selected.append(pl.lit(None, dtype=pl.String).alias("_extra"))
    frame = data.select(selected).select(["_row", *contract.column_names, "_extra"])
    return ReadResult(
        frame=frame,
        header=header,
        extra_columns=extra_names,
        title_rows=title_rows,
        blank_rows=blank_rows,
        total_rows=total_rows,
        notes=notes,
    )


def _is_alias(cell: object, contract: Contract) -> bool:
    return _norm_header(cell) in _alias_index(contract)


def _extra_name(cell: object, pos: int) -> str:
    text = str(cell).strip() if cell is not None else ""
    return text or f"column_{pos + 1}"


def _cell(value: object) -> bool:
    return value is not None and str(value).strip() != ""


# ---------------------------------------------------------------- CSV


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode an export: UTF-8 with BOM, UTF-8, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace"), "gb18030(damaged)"


def _sniff_delimiter(text: str) -> str:
    first_lines = text[:20000].splitlines()[:HEADER_SEARCH_ROWS]
    tabs = sum(line.count("\t") for line in first_lines)
    commas = sum(line.count(",") for line in first_lines)
    return "\t" if tabs > commas else ","


def _grid_from_text(text: str, delimiter: str) -> tuple[pl.DataFrame, list[str]]:
    notes: list[str] = []
    try:
        grid = pl.read_csv(
            io.StringIO(text).read().encode("utf-8"),
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=True,
            quote_char='"',
        )
    except Exception as exc:  # polars is strict about quotes; the csv module is not
        notes.append(f"CSV 格式不规范（{type(exc).__name__}），已用容错方式逐行读取")
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=False))
        width = max((len(r) for r in rows), default=0)
        data = {
            f"column_{i + 1}": [r[i] if i < len(r) else None for r in rows] for i in range(width)
        }
        grid = pl.DataFrame(data, schema={k: pl.String for k in data})
    return grid, notes


def read_csv(path: Path, source: str, contract: Contract) -> ReadResult:
    """Read a CSV export in any of the encodings and delimiters of exports.md."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputFileError(source, path.name, "文件含二进制内容，不是文本 CSV。请确认导出格式。")
    text, encoding = decode_bytes(data)
    if not text.strip():
        raise InputFileError(source, path.name, "文件为空。请确认报送部门导出了数据。")
    delimiter = _sniff_delimiter(text)
    grid, notes = _grid_from_text(text, delimiter)
    result = _frame_from_rows(source, path.name, contract, grid)
    result.encoding, result.delimiter = encoding, delimiter
    if encoding.endswith("(damaged)"):
        notes.append("文件编码无法完整识别，个别字符已替换为 �")
    result.notes = notes + result.notes
    return result


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
            result = _frame_from_rows(
                source, path.name, contract, _with_numeric_ids(path, sheet, grid, contract)
            )
        except InputFileError as exc:
            first_error = first_error or exc
            continue
        result.sheet = sheet
        return result
    if first_error is not None:
        raise first_error
    raise InputFileError(source, path.name, "xlsx 中没有任何包含数据的工作表。")


def _with_numeric_ids(
    path: Path, sheet: str, grid: pl.DataFrame, contract: Contract
) -> pl.DataFrame:
    """Replace the text of numeric cells in ID-like columns by their Excel notation."""
    head = [list(r) for r in grid.head(HEADER_SEARCH_ROWS).rows()]
    found = _find_header(head, contract)
    if found is None:
        return grid
    _, mapping = found
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


def extra_to_json(values: dict[str, object]) -> str:
    """Serialize extra columns the same way readers do (used by tests)."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
