"""GB/T 2260 county codes, from the table python-stdnum ships (cn/loc.dat).

An ID's first six digits are the code of the place where it was first issued,
at the time it was issued. python-stdnum additionally requires the code to have
existed in the holder's birth year; real IDs break that rule (an elder born in
1950 in a district created in 1992 carries the district's code), so monitor
only requires the code to exist in the table at some time, and flags an ID
whose code is unknown without refusing it.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

_COUNTY = re.compile(r'county="([^"]*)"')
_RANGE = re.compile(r"\[(\d*)-(\d*)\]")


@functools.cache
def county_years() -> dict[str, tuple[tuple[int | None, int | None], ...]]:
    """6-digit code -> the (first year, last year) ranges in which it was assigned (None: open)."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    prefix: dict[int, str] = {}
    out: dict[str, list[tuple[int | None, int | None]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        code, _, rest = line.strip().partition(" ")
        prefix = {k: v for k, v in prefix.items() if k < indent}
        prefix[indent] = code
        full = "".join(prefix[k] for k in sorted(prefix))
        match = _COUNTY.search(rest)
        if not match or len(full) != 6:
            continue
        for part in match.group(1).split(","):
            years = _RANGE.match(part)
            if years:
                start = int(years.group(1)) if years.group(1) else None
                end = int(years.group(2)) if years.group(2) else None
                out.setdefault(full, []).append((start, end))
            else:
                out.setdefault(full, []).append((None, None))
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def county_codes() -> frozenset[str]:
    """Every 6-digit county code that ever existed in the table."""
    return frozenset(county_years())


@functools.cache
def current_county_codes() -> frozenset[str]:
    """County codes in force today (a range without an end year)."""
    return frozenset(
        code for code, ranges in county_years().items() if any(e is None for _, e in ranges)
    )
