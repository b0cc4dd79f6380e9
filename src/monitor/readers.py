"""Readers for department export files (CSV and XLSX).

A reader turns one file into a frame of strings: one row per data record, the
contract's canonical column names, the record number ``_row`` (1-based, the
first record under the header is 1), and the file's other columns kept as
JSON in ``_extra``. Title rows above the header, blank rows and 合计 (total)
rows are counted, not returned. Nothing is typed or repaired here.

Hostile or broken files are refused before they can cost memory or time, each
by a named limit that its message names:

- ``MAX_COLUMNS``: a CSV row among the first rows, or an xlsx sheet's cells,
  wider than this (the contracts have a dozen columns) fails the file before
  any record is parsed (100,000 columns cost 78 s and 3.8 GB before).
- ``MAX_FIELD_BYTES``: one field (cell) larger than this quarantines its record,
  not the file; the raw layer keeps the field's first ``FIELD_KEEP_CHARS``
  characters (``ReadResult.problems`` says which record and column).
- ``XLSX_MAX_UNCOMPRESSED``, ``XLSX_MAX_RATIO``, ``XLSX_MAX_MEMBERS``: an xlsx
  is a zip archive; its members' declared sizes are checked before anything is
  inflated, then each member is inflated in small blocks, uncounted bytes never
  kept, to check that it holds no more than it declares (a zip bomb).
- ``XLSX_MAX_CELLS``: a worksheet whose cells span more rows x columns than this
  fails the file (the spreadsheet reader allocates the whole rectangle: one
  cell at XFD1048576 in a 5 KB file asked for 512 GB and aborted the process).

NUL characters (``\\x00``) have no place in a text export: they come from
binary or UTF-16 files, broken exports and files padded with zeros. Wherever
one is (header, field, trailing padding), in a CSV or in an xlsx cell, the file
fails with a message naming the line (CSV) or sheet, row and column (xlsx);
nothing is stripped silently.

A CSV is UTF-8 (with or without BOM) or GB18030 (GBK) throughout: a file
mixing both (UTF-8 rows and GB18030 rows, or a UTF-8 BOM followed by GB18030
bytes) fails as an encoding problem naming a line of each kind.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import logging
import os
import re
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NoReturn

import polars as pl

from monitor.contracts import Contract
from monitor.errors import VALUE_CHARS, InputFileError
from monitor.limits import chunk_rows

log = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 30
TOTAL_MARKERS = ("合计", "总计", "小计", "合 计")
SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and legacy .xls are OLE files

# Reader limits (module docstring). Files beyond them fail, or (a field) quarantine a record.
MAX_COLUMNS = 1_000  # columns of a CSV row or an xlsx sheet
MAX_FIELD_BYTES = 16 * 1024 * 1024  # one field (cell), in UTF-8 bytes
FIELD_KEEP_CHARS = 200  # what the raw layer keeps of a field beyond MAX_FIELD_BYTES
XLSX_MAX_UNCOMPRESSED = 1024**3  # sum of an xlsx's members' uncompressed sizes (1 GiB)
XLSX_MAX_RATIO = 100  # uncompressed / compressed size of one member ...
XLSX_RATIO_MIN_BYTES = 8 * 1024 * 1024  # ... checked for members larger than this
XLSX_MAX_MEMBERS = 10_000  # files inside an xlsx archive
XLSX_MAX_CELLS = 50_000_000  # rows x columns spanned by a worksheet's cells


@dataclass(frozen=True)
class RecordProblem:
    """Why one record cannot be used although its file can (a field beyond MAX_FIELD_BYTES)."""

    column: str  # the canonical column, or "_extra" for a column outside the contract
    header: str  # the column's header text as found in the file
    reason: str  # in words, for quarantine.csv


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
    # records with a field beyond MAX_FIELD_BYTES, filled as their chunk is cut (before it is
    # yielded): record number -> what is wrong with it (the record is to be quarantined)
    problems: dict[int, RecordProblem] = field(default_factory=dict)

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
    source: str,
    file: str,
    contract: Contract,
    mapping: dict[int, str],
    records: int,
    header_cells: list[object],
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
            value=_row_text(header_cells),  # the header as found
        )


def _layout(source: str, file: str, contract: Contract, head: pl.DataFrame) -> _Layout:
    """Find the header among the first rows of the grid."""
    head_rows = [list(r) for r in head.head(HEADER_SEARCH_ROWS).rows()]
    found = _find_header(head_rows, contract)
    if found is None:
        first = next((r for r in head_rows if any(_cell(c) for c in r)), [])
        raise InputFileError(
            source,
            file,
            "找不到表头行（前30行中没有与数据约定匹配的列名）。请确认文件属于该来源、表头为中文列名。",
            value=_row_text(first),  # the first row that is not blank
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
        _missing_required(source, file, contract, mapping, total, layout.header_cells)
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
    data = _oversized_fields(data, cols, mapping, extra_pos, extra_names, result)
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


def _oversized_fields(
    data: pl.DataFrame,
    cols: list[str],
    mapping: dict[int, str],
    extra_pos: list[int],
    extra_names: list[str],
    result: ReadResult,
) -> pl.DataFrame:
    """Cut every field beyond MAX_FIELD_BYTES to FIELD_KEEP_CHARS characters and record its
    record in ``result.problems`` (the record is quarantined, the file goes on)."""
    too_big = [pl.col(c).str.len_bytes() > MAX_FIELD_BYTES for c in cols]
    if not data.select(pl.any_horizontal(too_big).fill_null(False).any()).item():
        return data
    headers = {p: header for p, header in zip(extra_pos, extra_names, strict=True)}
    for pos, name in enumerate(cols):
        hits = data.filter(pl.col(name).str.len_bytes() > MAX_FIELD_BYTES).select(
            "_row", pl.col(name).str.len_bytes().alias("size")
        )
        if hits.height == 0:
            continue
        column = mapping.get(pos, "_extra")
        header = result.header.get(column, "") if pos in mapping else headers.get(pos, name)
        for row, size in hits.iter_rows():
            if row in result.problems:
                continue  # one reason per record: its first oversized column
            result.problems[row] = RecordProblem(
                column,
                header,
                f"「{header}」列的内容有 {size / 1024 / 1024:.1f} MB，超过单个字段的上限"
                f" {MAX_FIELD_BYTES // 1024 // 1024} MB（MAX_FIELD_BYTES）：该记录已隔离，"
                f"原始层只保留该字段的前 {FIELD_KEEP_CHARS} 个字符，文件的其余记录照常载入。"
                "请检查该单元格是否误粘贴了大段内容，修正后重新导出。",
            )
    return data.with_columns(
        pl.when(pl.col(c).str.len_bytes() > MAX_FIELD_BYTES)
        .then(pl.col(c).str.slice(0, FIELD_KEEP_CHARS))
        .otherwise(pl.col(c))
        .alias(c)
        for c in cols
    )


def _row_text(cells: list[object]) -> str:
    """A row's cells as read, comma separated up to the last non-blank one (VALUE_CHARS)."""
    texts = ["" if c is None else str(c) for c in cells]
    while texts and not texts[-1].strip():
        texts.pop()
    return _visible(",".join(texts))[:VALUE_CHARS]


def _visible(text: str) -> str:
    """NUL shown as the four characters \\x00 (an output file holds none)."""
    return text.replace("\x00", "\\x00")


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

# Records per chunk (limits.chunk_rows(), from the run's memory limit): bounds memory.
_BLOCK = 1 << 22
csv.field_size_limit(1 << 30)  # a 5 MB free-text field is data, not an error


# A 3-byte UTF-8 sequence (U+0800..U+FFFF, Chinese among them): GB18030 bytes that happen to be
# valid UTF-8 form 2-byte sequences; a line holding one of these is UTF-8 text.
_UTF8_WIDE = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")
_GB18030_DAMAGED_LINES = 100  # lines of a GB18030 file looked at for UTF-8 text, at most
_MIXED_ENCODING = (
    "文件编码不一致：{detail}。无法确定按哪种编码读取（按一种读，另一种的姓名、地址会成为乱码），"
    "整个文件不载入。请以 UTF-8 或 GB18030 统一编码重新导出。"
)


def _line_blocks(path: Path) -> Iterator[tuple[int, int, bytes, bool]]:
    """The file in blocks ending after a newline (or between two UTF-8 characters when a line
    is longer than a block): (byte offset, lines before the block, block, is the last)."""
    offset = lines = 0
    carry = b""
    with path.open("rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            data = carry + block
            if not block:
                if data:
                    yield offset, lines, data, True
                return
            cut = data.rfind(b"\n") + 1 or _char_boundary(data)
            yield offset, lines, data[:cut], False
            offset += cut
            lines += data.count(b"\n", 0, cut)
            carry = data[cut:]


def _char_boundary(data: bytes) -> int:
    """A position near the end of ``data`` that does not split a UTF-8 character."""
    k = len(data)
    while k > 0 and len(data) - k < 3 and 0x80 <= data[k - 1] <= 0xBF:
        k -= 1  # continuation bytes
    if k > 0 and data[k - 1] >= 0xC0:
        k -= 1  # the lead byte of the last (possibly incomplete) character
    return k or len(data)


def _line_of(data: bytes, pos: int) -> tuple[int, int]:
    """The bounds of the line of ``data`` holding byte ``pos``."""
    end = data.find(b"\n", pos)
    return data.rfind(b"\n", 0, pos) + 1, len(data) if end < 0 else end


def _utf8_text(line: bytes) -> bool:
    """Valid UTF-8 holding at least one character beyond U+07FF (Chinese text)."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _UTF8_WIDE.search(line) is not None


def _refuse_nul(source: str, file: str, block: bytes, offset: int, lines: int) -> None:
    pos = block.find(b"\x00")
    if pos < 0:
        return
    line = lines + block.count(b"\n", 0, pos) + 1
    start, end = _line_of(block, pos)
    text = block[start : min(end, start + 4 * VALUE_CHARS)].decode("utf-8", errors="replace")
    raise InputFileError(
        source,
        file,
        f"文件第 {line} 行（第 {offset + pos + 1} 个字节）含 NUL 空字符（\\x00）。文本文件中不应出现"
        " NUL：通常是二进制文件、UTF-16 编码的文件、导出程序出错或文件末尾被补零。系统不删除 NUL"
        " 继续读取，整个文件不载入。请重新导出为 UTF-8 或 GB18030 编码的 CSV 后报送。",
        value=_visible(text),
    )


def _utf8_line_in_gb18030(block: bytes, lines: int) -> tuple[int | None, bytes, int]:
    """(line number, line, lines looked at): the first line of ``block`` that GB18030 cannot
    decode and that is UTF-8 text; damaged lines that are not UTF-8 are left to the decoder."""
    view = memoryview(block)
    pos = looked = 0
    while looked < _GB18030_DAMAGED_LINES:
        try:
            str(view[pos:], "gb18030")
            break
        except UnicodeDecodeError as exc:
            start, end = _line_of(block, pos + exc.start)
            looked += 1
            if _utf8_text(block[start:end]):
                return lines + block.count(b"\n", 0, start) + 1, block[start:end], looked
            if end >= len(block):
                break
            pos = end + 1
    return None, b"", looked


def _mixed(source: str, file: str, detail: str, line: bytes, encoding: str) -> InputFileError:
    """The error of a file mixing encodings; its value is ``line`` decoded as ``encoding``."""
    text = line[: 4 * VALUE_CHARS].decode(encoding, errors="replace").rstrip("\r")
    return InputFileError(source, file, _MIXED_ENCODING.format(detail=detail), value=text)


def _detect_encoding(path: Path, source: str) -> str:
    """utf-8-sig, utf-8 or gb18030, reading the file once in blocks of whole lines.

    Fails the file on a NUL byte anywhere, and on a mix of UTF-8 text and bytes that are not
    UTF-8 (GB18030 rows among UTF-8 rows, either way round, or GB18030 after a UTF-8 BOM);
    the error's value is a line of the minority encoding, decoded in it.
    An incomplete character at the very end (a cut file) is left to the decoder.
    """
    name = path.name
    with path.open("rb") as fh:
        bom = fh.read(3) == b"\xef\xbb\xbf"
    first_bad: int | None = None  # the first line that is not UTF-8
    utf8_line: int | None = None  # the first line of UTF-8 text before it
    looked = 0  # damaged lines looked at in the GB18030 part
    for offset, lines, block, last in _line_blocks(path):
        _refuse_nul(source, name, block, offset, lines)
        if first_bad is None:
            try:
                block.decode("utf-8")
            except UnicodeDecodeError as exc:
                if last and exc.reason == "unexpected end of data":
                    continue  # a character cut at the end of the file
                start, end = _line_of(block, exc.start)
                first_bad = lines + block.count(b"\n", 0, start) + 1
                if utf8_line is None and (found := _UTF8_WIDE.search(block, 0, start)):
                    utf8_line = lines + block.count(b"\n", 0, found.start()) + 1
                if bom:
                    detail = (
                        f"文件开头有 UTF-8 的 BOM 标记，第 {first_bad} 行却不是 UTF-8 编码"
                        "（疑似 GB18030/GBK）"
                    )
                    raise _mixed(source, name, detail, block[start:end], "gb18030") from None
                if utf8_line is not None:
                    detail = (
                        f"第 {utf8_line} 行是 UTF-8 编码，第 {first_bad} 行却不是"
                        "（疑似 GB18030/GBK）"
                    )
                    raise _mixed(source, name, detail, block[start:end], "gb18030") from None
            else:
                if utf8_line is None and (found := _UTF8_WIDE.search(block)):
                    utf8_line = lines + block.count(b"\n", 0, found.start()) + 1
                continue
        if looked < _GB18030_DAMAGED_LINES:  # GB18030 so far: is there UTF-8 text further on?
            gb_utf8, line, n = _utf8_line_in_gb18030(block, lines)
            looked += n
            if gb_utf8 is not None:
                detail = f"第 {first_bad} 行是 GB18030（GBK）编码，第 {gb_utf8} 行却是 UTF-8 编码"
                raise _mixed(source, name, detail, line, "utf-8")
    if first_bad is None:
        return "utf-8-sig" if bom else "utf-8"
    return "gb18030"


def _utf8_copy(path: Path, encoding: str) -> tuple[Path, bool]:
    """A UTF-8 file polars can scan: the file itself, or a transcoded temporary copy."""
    if encoding in ("utf-8", "utf-8-sig"):
        return path, False
    from monitor.state import temp_folder

    # The copy holds the export's IDs and phones: into the private temporary folder of the
    # state being written (0700 beside it, cleared of a dead run's leftovers by the next run),
    # never /tmp. The pid in the name keeps it from being cleared while this process lives.
    # Outside a run (evaluate, tests) there is no such folder and the system's is used.
    fd, name = tempfile.mkstemp(suffix=".csv", prefix=f"utf8-{os.getpid()}-", dir=temp_folder())
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
            decoder = codecs.getincrementaldecoder("gb18030")(errors="replace")
            for block in iter(lambda: src.read(_BLOCK), b""):
                dst.write(decoder.decode(block).encode("utf-8"))
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
    except BaseException:
        Path(name).unlink(missing_ok=True)  # a half-written copy (a full disk, an interrupt)
        raise
    return Path(name), True


def _lf_copy(path: Path, temporary: bool) -> tuple[Path, bool]:
    """A copy of a CR-only file with LF line ends (polars and the csv module split lines on
    LF), in the same private place as the UTF-8 copy; the input copy is removed if it was
    one of ours."""
    from monitor.state import temp_folder

    fd, name = tempfile.mkstemp(suffix=".csv", prefix=f"lf-{os.getpid()}-", dir=temp_folder())
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
            for block in iter(lambda: src.read(_BLOCK), b""):
                dst.write(block.replace(b"\r", b"\n"))
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    finally:
        if temporary:
            path.unlink(missing_ok=True)
    return Path(name), True


def _sniff(path: Path, source: str, file: str) -> tuple[str, int, list[list[str]]]:
    """Delimiter, grid width and the first rows (parsed with the csv module); a row wider
    than MAX_COLUMNS fails the file here, before any record is parsed."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        text = fh.read(1 << 20)
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    tabs = sum(line.count("\t") for line in lines)
    commas = sum(line.count(",") for line in lines)
    delimiter = "\t" if tabs > commas else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=False))
    widths = [len(r) for r in rows[:1000]]
    width = max(widths, default=0)
    if width > MAX_COLUMNS:
        # the widest row may be the last one read, cut at 1 MB
        cut = len(text) >= 1 << 20 and widths.index(width) == len(widths) - 1
        raise InputFileError(
            source,
            file,
            f"第 {widths.index(width) + 1} 行有 {width} 列{'以上' if cut else ''}，"
            f"超过上限 {MAX_COLUMNS} 列（MAX_COLUMNS；数据约定只有十几列），文件未读取。"
            "请确认文件属于该来源、分隔符正确，删除多余的列后重新导出。",
            value=_row_text(list(rows[widths.index(width)][:VALUE_CHARS])),
        )
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
    yield from lazy.collect_batches(chunk_size=chunk_rows())


def _csv_module_chunks(path: Path, delimiter: str, width: int) -> Iterator[pl.DataFrame]:
    """Tolerant row-by-row parsing, for files polars refuses (it is strict about quotes)."""
    schema = _grid_schema(width)
    rows = chunk_rows()
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        batch: list[list[str | None]] = []
        for row in csv.reader(fh, delimiter=delimiter, strict=False):
            batch.append([*row[:width], *([None] * (width - len(row)))])
            if len(batch) == rows:
                yield pl.DataFrame(batch, schema=schema, orient="row")
                batch = []
        if batch:
            yield pl.DataFrame(batch, schema=schema, orient="row")


def read_csv(path: Path, source: str, contract: Contract) -> ReadResult:
    """Read a CSV export in any of the encodings and delimiters of exports.md, in chunks."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(
            source,
            path.name,
            "文件是 UTF-16 编码（Excel 的“Unicode 文本”格式），不是 UTF-8 或 GB18030。"
            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新报送。",
        )
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        _empty(source, path.name, len(head))
    encoding = _detect_encoding(path, source)  # also refuses NUL bytes and mixed encodings
    readable, temporary = _utf8_copy(path, encoding)
    cr_only = b"\r" in head and b"\n" not in head  # classic Mac line ends: CR alone
    if cr_only:
        readable, temporary = _lf_copy(readable, temporary)
    try:
        delimiter, width, first_rows = _sniff(readable, source, path.name)
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
        notes: list[str] = ["行尾只有 CR（旧式 Mac 格式），已按换行读取"] if cr_only else []
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


_ZIP_BLOCK = 1 << 20  # bytes inflated at a time when an xlsx's members are checked
_SHEET_MEMBER = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_CELL_COLUMN = re.compile(rb'r="([A-Z]{1,3})[0-9]')  # a cell's reference: its column letters
_ROW_NUMBER = re.compile(rb'r="([0-9]{1,9})"')  # a row's number


def _size(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{n / 1024**2:.1f} MB"


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_xlsx_archive(path: Path, source: str) -> None:
    """Refuse a zip bomb, or a sheet larger than the spreadsheet reader can hold, before it
    reads a byte: declared sizes first (nothing inflated), then each member inflated in blocks
    of _ZIP_BLOCK (never kept) against what it declares, and the worksheets' cell extent."""
    name = path.name

    member = ""  # the member concerned (the error's value)

    def refuse(what: str) -> NoReturn:
        raise InputFileError(
            source,
            name,
            f"{what}，文件未读取（压缩炸弹或异常文件会耗尽内存）。请确认这是正常导出的 xlsx"
            "（可在 Excel 中打开后另存为 .xlsx），删除多余的内容后重新报送。",
            value=member,
        )

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputFileError(
            source,
            name,
            f"不是有效的 xlsx 文件（{exc}；可能已损坏或被截断）。请重新导出后报送。",
        ) from exc
    if len(infos) > XLSX_MAX_MEMBERS:
        refuse(
            f"xlsx 压缩包内有 {len(infos)} 个文件，超过上限 {XLSX_MAX_MEMBERS} 个（XLSX_MAX_MEMBERS）"
        )
    declared = sum(i.file_size for i in infos)
    if infos:
        member = max(infos, key=lambda i: i.file_size).filename  # the largest
    if declared > XLSX_MAX_UNCOMPRESSED:
        refuse(
            f"xlsx 解压后共 {_size(declared)}，超过上限 {_size(XLSX_MAX_UNCOMPRESSED)}"
            "（XLSX_MAX_UNCOMPRESSED）"
        )
    for info in infos:
        member = info.filename
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > XLSX_RATIO_MIN_BYTES and ratio > XLSX_MAX_RATIO:
            refuse(
                f"xlsx 内的 {info.filename} 由 {_size(info.compress_size)} 解压为"
                f" {_size(info.file_size)}，压缩比 {ratio:.0f}:1，超过上限 {XLSX_MAX_RATIO}:1"
                "（XLSX_MAX_RATIO）"
            )
    with path.open("rb") as fh:
        sheets = 0
        for info in infos:
            member = info.filename
            if info.is_dir():
                continue
            if not _SHEET_MEMBER.fullmatch(info.filename):
                for _ in _inflate(fh, info, refuse):
                    pass
                continue
            sheets += 1
            max_col = max_row = rows = 0
            tail = b""
            for block in _inflate(fh, info, refuse):
                text = tail + block  # a reference cut between two blocks is read whole
                max_col = max(
                    (_column_number(c) for c in set(_CELL_COLUMN.findall(text))), default=max_col
                )
                numbers = _ROW_NUMBER.findall(text)
                if numbers:
                    max_row = max(max_row, *map(int, numbers))
                rows += block.count(b"<row ") + block.count(b"<row>")
                tail = block[-24:]
            where = f"第 {sheets} 个工作表（{info.filename}）"
            if max_col > MAX_COLUMNS:
                refuse(
                    f"{where}有单元格在第 {max_col} 列（{_column_letters(max_col)} 列），"
                    f"超过上限 {MAX_COLUMNS} 列（MAX_COLUMNS）"
                )
            cells = max(max_row, rows) * max(max_col, 1)
            if cells > XLSX_MAX_CELLS:
                refuse(
                    f"{where}的单元格跨 {max(max_row, rows)} 行 × {max_col} 列 = {cells} 格，"
                    f"超过上限 {XLSX_MAX_CELLS} 格（XLSX_MAX_CELLS）"
                )


def _inflate(
    fh: BinaryIO, info: zipfile.ZipInfo, refuse: Callable[[str], NoReturn]
) -> Iterator[bytes]:
    """One member's bytes, inflated here in blocks: no more than it declares (a member that
    inflates beyond its declared size is a crafted bomb)."""
    if info.flag_bits & 0x1:
        refuse(f"xlsx 内的 {info.filename} 已加密")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        refuse(f"xlsx 内的 {info.filename} 使用了不支持的压缩方式（{info.compress_type}）")
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        refuse(f"xlsx 压缩包结构损坏（{info.filename} 的文件头不对）")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, produced = info.compress_size, 0
    while left > 0:
        raw = fh.read(min(left, _ZIP_BLOCK))
        if not raw:
            return  # a truncated member: the reader says so
        left -= len(raw)
        while raw:
            if inflater is None:
                out, raw = raw, b""
            else:
                try:
                    out = inflater.decompress(raw, _ZIP_BLOCK)
                except zlib.error as exc:
                    refuse(f"xlsx 内的 {info.filename} 无法解压（{exc}）")
                raw = inflater.unconsumed_tail
            produced += len(out)
            if produced > info.file_size:
                refuse(
                    f"xlsx 内的 {info.filename} 解压后超过其声明的大小 {_size(info.file_size)}"
                    "（压缩包的目录被篡改或损坏）"
                )
            if out:
                yield out
        if inflater is not None and inflater.eof:
            return


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
    _check_xlsx_archive(path, source)
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
        _refuse_nul_cells(path, source, sheet, grid)
        try:
            layout = _layout(source, path.name, contract, grid.head(HEADER_SEARCH_ROWS))
            grid = _with_numeric_ids(path, sheet, grid, layout, contract)
            size = chunk_rows()
            chunks = (grid.slice(i, size) for i in range(0, grid.height, size))
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


def _refuse_nul_cells(path: Path, source: str, sheet: str, grid: pl.DataFrame) -> None:
    """A cell holding a NUL character fails the file, as a NUL byte fails a CSV."""
    has_nul = grid.select(
        pl.col(c).str.contains("\x00", literal=True).fill_null(False).any() for c in grid.columns
    ).row(0)
    if not any(has_nul):
        return
    pos = has_nul.index(True)
    cells = grid[grid.columns[pos]]
    row = int(cells.str.contains("\x00", literal=True).arg_true()[0])
    try:  # the grid starts at the sheet's first used cell: its cell name in Excel
        from python_calamine import CalamineWorkbook

        start = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).start
        top, left = start if start is not None else (0, 0)
    except Exception:
        top = left = 0
    cell = f"{_column_letters(left + pos + 1)}{top + row + 1}"
    raise InputFileError(
        source,
        path.name,
        f"工作表「{sheet}」的单元格 {cell}（第 {top + row + 1} 行）含 NUL 空字符（\\x00），"
        "通常是导出程序出错。系统不删除 NUL 继续读取，整个文件不载入。"
        "请清除该单元格中的不可见字符后重新导出。",
        value=_visible(str(cells[row]))[:VALUE_CHARS],
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
