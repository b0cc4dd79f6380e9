"""One memory setting for a run: `--memory-limit` (MONITOR_MEMORY_LIMIT), by default the
smaller of half the machine's memory and 8 GiB.

From it come DuckDB's `memory_limit` (DUCKDB_SHARE of it; DuckDB spills to the state's
private temporary folder beyond that) and the row counts of the Python stages' chunks
(reading, cleaning and Great Expectations' batches), which hold a chunk's rows in polars
frames at a time: at the default 8 GiB the chunk is 500,000 rows; at 2 GiB, 131,000.
"""

from __future__ import annotations

import os
import re

from monitor.errors import MonitorError

ENV = "MONITOR_MEMORY_LIMIT"
GIB = 1024**3
DEFAULT_CAP = 8 * GIB
DUCKDB_SHARE = 0.6  # the rest is for the Python stages, the workbooks' processes, Prefect
# DuckDB's share while the matcher's Python side holds the candidate pairs (Engine.memory_lent)
DUCKDB_SHARE_LENT = 0.25
CHUNK_ROWS_MAX = 500_000
CHUNK_ROWS_MIN = 50_000
CHUNK_BYTES_PER_ROW = 16 * 1024  # memory budget per chunk row (a row and its copies in flight)

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1000, "kib": 1024, "m": 1024**2, "mb": 1000**2,
          "mib": 1024**2, "g": GIB, "gb": 1000**3, "gib": GIB, "t": 1024**4, "tb": 1000**4,
          "tib": 1024**4}  # fmt: skip


def parse_size(text: str) -> int:
    """`4GiB`, `4GB`, `4g`, `512MiB`, `2147483648` -> bytes; a MonitorError otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    unit = match[2].lower() if match else None
    if match is None or unit not in _UNITS:
        raise MonitorError(f"{text!r}：内存上限请写成数字加单位，如 4GiB、2GB、512MiB。")
    size = int(float(match[1]) * _UNITS[unit])
    if size < 256 * 1024**2:
        raise MonitorError(f"{text!r}：内存上限至少 256MiB。")
    return size


def machine_memory() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 2 * DEFAULT_CAP


def memory_limit() -> int:
    """The run's memory limit in bytes (MONITOR_MEMORY_LIMIT, else the default)."""
    given = os.environ.get(ENV, "").strip()
    if given:
        return parse_size(given)
    return min(machine_memory() // 2, DEFAULT_CAP)


def duckdb_memory_limit(share: float = DUCKDB_SHARE) -> str:
    """DuckDB's share of the limit, as its setting takes it."""
    return f"{int(memory_limit() * share) // 1024**2}MiB"


def chunk_rows() -> int:
    """Rows per chunk of the Python stages, from the limit (bounded both ways)."""
    rows = memory_limit() // CHUNK_BYTES_PER_ROW
    return int(max(CHUNK_ROWS_MIN, min(CHUNK_ROWS_MAX, rows // 1000 * 1000)))
