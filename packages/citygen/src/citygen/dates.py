"""Days as integers (days since 1970-01-01), vectorized conversions and export date formats."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

from .ids import NumCell

EPOCH = dt.date(1970, 1, 1)
EXCEL_EPOCH_OFFSET = 25569  # Excel serial number of 1970-01-01

# Date styles of exports. The first is the contract's plain form; the others
# are defects whose tags are DATE_STYLE_TAGS.
ISO, SLASH, COMPACT, CHINESE, DOTTED, SERIAL, BLANK, OUT_OF_RANGE = range(8)
DATE_STYLE_TAGS = {
    SLASH: "date_slash",
    COMPACT: "date_compact",
    CHINESE: "date_chinese",
    DOTTED: "date_dotted",
    SERIAL: "date_excel_serial",
    BLANK: "date_blank",
    OUT_OF_RANGE: "date_out_of_range",
}


def to_day(date: dt.date) -> int:
    """Day number of a date."""
    return (date - EPOCH).days


def from_day(day: int) -> dt.date:
    """Date of a day number."""
    return EPOCH + dt.timedelta(days=int(day))


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day-of-month arrays of day numbers."""
    d64 = days.astype("datetime64[D]")
    months = d64.astype("datetime64[M]")
    years = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    dom = (d64 - months.astype("datetime64[D]")).astype(np.int64) + 1
    return years, month, dom


def yyyymmdd(days: np.ndarray) -> np.ndarray:
    """Dates as YYYYMMDD integers."""
    y, m, d = ymd(days)
    return y * 10000 + m * 100 + d


def age_at(birth: np.ndarray, on_day: int) -> np.ndarray:
    """Completed years of age on `on_day` of people born on `birth`."""
    by, bm, bd = ymd(birth)
    oy, om, od = ymd(np.array([on_day]))
    before_birthday = (bm > om[0]) | ((bm == om[0]) & (bd > od[0]))
    return oy[0] - by - before_birthday.astype(np.int64)


@lru_cache(maxsize=200_000)
def format_date(day: int, style: int) -> str | NumCell:
    """One date in an export style (see the style constants)."""
    if style == BLANK:
        return ""
    if style == SERIAL:
        serial = day + EXCEL_EPOCH_OFFSET
        return NumCell(float(serial), str(serial))
    if style == OUT_OF_RANGE:
        date = from_day(day)
        # a typo in the year (2026 -> 2062) or a placeholder date
        year = int(str(date.year)[:2] + str(date.year)[3] + str(date.year)[2])
        if year == date.year:
            year = 1900
        date = dt.date(year, date.month, min(date.day, 28))
        return date.isoformat()
    date = from_day(day)
    if style == SLASH:
        return f"{date.year}/{date.month}/{date.day}"
    if style == COMPACT:
        return f"{date.year}{date.month:02d}{date.day:02d}"
    if style == CHINESE:
        return f"{date.year}年{date.month}月{date.day}日"
    if style == DOTTED:
        return f"{date.year}.{date.month:02d}.{date.day:02d}"
    return date.isoformat()


def format_datetime(day: int, second: int, style: int) -> str | NumCell:
    """A date and time of day (hotline call times)."""
    if style == ISO:
        h, rem = divmod(second, 3600)
        return f"{from_day(day).isoformat()} {h:02d}:{rem // 60:02d}:{rem % 60:02d}"
    if style == SLASH:
        date = from_day(day)
        h, rem = divmod(second, 3600)
        return f"{date.year}/{date.month}/{date.day} {h}:{rem // 60:02d}"
    if style == SERIAL:
        value = day + EXCEL_EPOCH_OFFSET + second / 86400
        return NumCell(round(value, 6), f"{value:.5f}")
    return format_date(day, style)
