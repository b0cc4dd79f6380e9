"""Records of one source and chunk, the defects applied to them, and their rendering.

A `Table` holds a chunk's records of one source column by column, with the
truth of each record (person, defect tags) and which file it goes to. Defects
are drawn at low rates with `Defects`; `render` turns the records of one file
into export rows, formatting dates and amounts in the file's style.

Planted records (`fact`) only get defects that keep them usable and linkable
(cosmetic ID and name variants, date and amount formats, duplication). Records
of quiet and planted households (`safe`) never get defects that change a
value's meaning (unknown labels, blank amounts or dates, impossible dates).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np

from . import dates as dd
from . import ids as idm
from . import names as nm
from .ids import NumCell

TEXT, DATE, DATETIME, AMOUNT, INT = range(5)

# amount styles (the first is the plain form)
AMOUNT_PLAIN, AMOUNT_THOUSANDS, AMOUNT_YUAN, AMOUNT_CURRENCY, AMOUNT_BLANK = range(5)
AMOUNT_TAGS = {
    AMOUNT_THOUSANDS: "amount_thousands",
    AMOUNT_YUAN: "amount_yuan_suffix",
    AMOUNT_CURRENCY: "amount_currency",
    AMOUNT_BLANK: "amount_blank",
}

MIN_ROWS_FOR_FORCED = 150  # tables this big get every applicable defect at least once


@dataclass
class Table:
    """A chunk's records of one source (columns in the source's canonical order)."""

    source: str
    columns: tuple[str, ...]
    kinds: tuple[int, ...]
    data: list[list[Any]]
    person_id: list[str]
    fact: np.ndarray
    safe: np.ndarray
    file: np.ndarray
    tags: list[list[str] | None]
    date_defect: np.ndarray
    amount_defect: np.ndarray
    amount_blank_col: np.ndarray
    dup_target: np.ndarray  # file index of a cross-file duplicate, -1 for none
    reexported: np.ndarray  # also written to its file's re-export (FileSpec.reexport_of)
    side: list[str] | None = None  # extra truth per record (hotline callers)

    @property
    def n(self) -> int:
        return len(self.person_id)

    def col(self, name: str) -> list[Any]:
        return self.data[self.columns.index(name)]

    def tag(self, i: int, tag: str) -> None:
        current = self.tags[i]
        if current is None:
            self.tags[i] = [tag]
        elif tag not in current:
            current.append(tag)


@dataclass
class TableBuilder:
    """Collects records column-wise: vectorized background first, planted records after."""

    source: str
    columns: tuple[tuple[str, int], ...]
    _data: dict[str, list[Any]] = field(default_factory=dict)
    _person: list[str] = field(default_factory=list)
    _fact: list[np.ndarray] = field(default_factory=list)
    _safe: list[np.ndarray] = field(default_factory=list)
    _file: list[np.ndarray] = field(default_factory=list)
    _side: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._data = {name: [] for name, _ in self.columns}

    def __len__(self) -> int:
        return len(self._person)

    def add(
        self,
        person_id: list[str],
        fact: bool | np.ndarray,
        safe: bool | np.ndarray,
        file: int | np.ndarray,
        values: Mapping[str, Any],
        side: list[str] | None = None,
    ) -> None:
        """Append n records; each value is a sequence of length n or a scalar (a column
        missing from `values` is blank)."""
        n = len(person_id)
        if n == 0:
            return
        self._person.extend(person_id)
        self._fact.append(np.broadcast_to(np.asarray(fact, dtype=bool), (n,)))
        self._safe.append(np.broadcast_to(np.asarray(safe, dtype=bool), (n,)))
        self._file.append(np.broadcast_to(np.asarray(file, dtype=np.int64), (n,)))
        if side is not None:
            self._side.extend(side)
        for name, _ in self.columns:
            value = values.get(name, "")
            if isinstance(value, np.ndarray):
                self._data[name].extend(value.tolist())
            elif isinstance(value, list | tuple):
                self._data[name].extend(value)
            else:
                self._data[name].extend([value] * n)

    def build(self) -> Table:
        n = len(self._person)

        def cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
            return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

        for name, values in self._data.items():
            if len(values) != n:
                raise ValueError(f"{self.source}.{name}: {len(values)} values for {n} records")
        return Table(
            source=self.source,
            columns=tuple(name for name, _ in self.columns),
            kinds=tuple(kind for _, kind in self.columns),
            data=[self._data[name] for name, _ in self.columns],
            person_id=self._person,
            fact=cat(self._fact, bool),
            safe=cat(self._safe, bool),
            file=cat(self._file, np.int64),
            tags=[None] * n,
            date_defect=np.zeros(n, dtype=np.int8),
            amount_defect=np.zeros(n, dtype=np.int8),
            amount_blank_col=np.zeros(n, dtype=np.int8),
            dup_target=np.full(n, -1, dtype=np.int64),
            reexported=np.zeros(n, dtype=bool),
            side=self._side if self._side else None,
        )


class Defects:
    """Draws defects for one table at low rates (see the package docstring for tags)."""

    def __init__(self, rng: np.random.Generator, table: Table) -> None:
        self.rng = rng
        self.t = table
        self.forced = table.n >= MIN_ROWS_FOR_FORCED

    def pick(self, eligible: np.ndarray, rate: float, force: bool = False) -> list[int]:
        """Rows to damage: about `rate` of the eligible ones (at least one in big tables,
        or whenever `force` is set)."""
        idx = np.nonzero(eligible)[0]
        if len(idx) == 0 or rate <= 0:
            return []
        k = int(self.rng.binomial(len(idx), min(rate, 1.0)))
        if self.forced or force:
            k = max(k, 1)
        return np.sort(self.rng.choice(idx, size=k, replace=False)).tolist()

    # -- IDs -----------------------------------------------------------------

    def ids(self, column: str, scale: float = 1.0, card: bool = False) -> None:
        """Damage the ID (or disability card number) column."""
        t = self.t
        values = t.col(column)
        free = np.array([isinstance(v, str) and v != "" for v in values], dtype=bool)
        cosmetic_ok = np.ones(t.n, dtype=bool)
        damaging_ok = ~t.fact
        ends_x = np.array([isinstance(v, str) and v[17:18] == "X" for v in values], dtype=bool)
        twentieth = np.array([isinstance(v, str) and v[6:8] == "19" for v in values], dtype=bool)
        plan: list[tuple[str, np.ndarray, float]] = [
            ("id_lower_x", ends_x, 0.15),
            ("id_fullwidth", cosmetic_ok, 0.005),
            ("id_spaces", cosmetic_ok, 0.01),
            ("id_apostrophe", cosmetic_ok, 0.01),
            ("id_excel_truncated", damaging_ok & ~ends_x, 0.005),
            ("id_typo_digit", damaging_ok, 0.006),
            ("id_typo_swap", damaging_ok, 0.004),
            ("id_blank", damaging_ok, 0.006),
        ]
        if not card:
            plan.insert(4, ("id_15", twentieth, 0.012))
        for tag, mask, rate in plan:
            for i in self.pick(free & mask, rate * scale):
                free[i] = False
                values[i] = self._damage_id(values[i], tag, card)
                t.tag(i, tag)

    def _damage_id(self, value: str, tag: str, card: bool) -> str | NumCell:
        rng = self.rng
        id18, suffix = value[:18], value[18:]
        if tag == "id_lower_x":
            return id18[:17] + "x" + suffix
        if tag == "id_fullwidth":
            return idm.fullwidth(value)
        if tag == "id_spaces":
            return idm.with_spaces(value, int(rng.integers(4)))
        if tag == "id_apostrophe":
            return "'" + value
        if tag == "id_15":
            return idm.to_15(id18)
        if tag == "id_excel_truncated":
            return idm.excel_number(value)
        if tag == "id_typo_digit":
            return idm.typo_digit(id18, rng) + suffix
        if tag == "id_typo_swap":
            return idm.typo_swap(id18, rng) + suffix
        return ""  # id_blank

    # -- names ---------------------------------------------------------------

    def names(
        self,
        column: str,
        id_column: str,
        homophone_rate: float = 0.005,
        facts_clean: bool = False,
    ) -> None:
        """Damage the name column (spaces, full-width spaces, dots, traditional, homophones).
        A name is left blank only where the record still shows an ID (else it is unusable)."""
        t, rng = self.t, self.rng
        values = t.col(column)
        free = np.array([v != "" for v in values], dtype=bool)
        if facts_clean:
            free &= ~t.fact
        minority = np.array(["·" in v for v in values], dtype=bool)
        has_id = np.array([isinstance(v, str) and v != "" for v in t.col(id_column)], dtype=bool)
        plan = (
            ("name_dot_variant", minority, 0.4),
            ("name_homophone", free, homophone_rate),
            ("name_traditional", free, 0.006),
            ("name_spaces", free, 0.01),
            ("name_fullwidth", free, 0.005),
            ("name_blank", free & has_id & ~t.fact & ~t.safe, 0.003),
        )
        for tag, mask, rate in plan:
            for i in self.pick(free & mask, rate):
                name = values[i]
                new: str | None
                if tag == "name_dot_variant":
                    new = nm.dot_variant(name, rng)
                elif tag == "name_homophone":
                    new = nm.homophone(name, rng)
                elif tag == "name_traditional":
                    new = nm.traditional(name)
                elif tag == "name_spaces":
                    new = nm.with_spaces(name, rng)
                elif tag == "name_fullwidth":
                    new = nm.with_fullwidth_space(name, rng)
                else:
                    new = ""
                if new is None or new == name:
                    continue
                values[i] = new
                free[i] = False
                t.tag(i, tag)

    # -- dates, amounts, labels ----------------------------------------------

    def dates(self, scale: float = 1.0) -> None:
        """Per-record date formats that differ from the file's, blanks and impossible dates."""
        t = self.t
        free = np.ones(t.n, dtype=bool)
        for style, rate in (
            (dd.SLASH, 0.008),
            (dd.COMPACT, 0.005),
            (dd.CHINESE, 0.005),
            (dd.DOTTED, 0.005),
            (dd.SERIAL, 0.004),
            (dd.BLANK, 0.005),
            (dd.OUT_OF_RANGE, 0.0015),
        ):
            mask = (
                free
                if style in (dd.SLASH, dd.COMPACT, dd.CHINESE, dd.DOTTED, dd.SERIAL)
                else (free & ~t.fact & ~t.safe)
            )
            for i in self.pick(mask, rate * scale):
                t.date_defect[i] = style
                free[i] = False

    def amounts(self, blankable: tuple[str, ...], scale: float = 1.0) -> None:
        """Thousands separators, 元 and ￥ around amounts; blanks in `blankable` columns."""
        t = self.t
        free = np.ones(t.n, dtype=bool)
        for style, rate in (
            (AMOUNT_THOUSANDS, 0.012),
            (AMOUNT_YUAN, 0.008),
            (AMOUNT_CURRENCY, 0.008),
            (AMOUNT_BLANK, 0.01),
        ):
            mask = free if style != AMOUNT_BLANK else free & ~t.fact & ~t.safe
            if style == AMOUNT_BLANK and not blankable:
                continue
            for i in self.pick(mask, rate * scale):
                t.amount_defect[i] = style
                free[i] = False
                if style == AMOUNT_BLANK:
                    which = blankable[int(self.rng.integers(len(blankable)))]
                    t.amount_blank_col[i] = t.columns.index(which)

    def labels(self, pools: Mapping[str, tuple[str, ...]], rate: float = 0.005) -> None:
        """Unknown categorical labels (kept and flagged by the pipeline, never guessed)."""
        t, rng = self.t, self.rng
        names = list(pools)
        for i in self.pick(~t.fact & ~t.safe, rate):
            column = names[int(rng.integers(len(names)))]
            pool = pools[column]
            t.col(column)[i] = pool[int(rng.integers(len(pool)))]
            t.tag(i, "label_unknown")

    def unusable(self, blank_columns: tuple[str, ...], rate: float = 0.003) -> None:
        """Records with neither ID nor name: the pipeline must quarantine them."""
        t = self.t
        for i in self.pick(~t.fact & ~t.safe, rate):
            for column in blank_columns:
                t.col(column)[i] = ""
            t.person_id[i] = ""
            t.tags[i] = ["unusable"]
            if t.side is not None:
                t.side[i] = ""

    def cross_file_duplicates(self, targets: np.ndarray, rate: float = 0.004) -> None:
        """Records exported again in another file (targets: file index per record, -1 none)."""
        t = self.t
        usable = np.array([tags is None or "unusable" not in tags for tags in t.tags])
        for i in self.pick((targets >= 0) & usable, rate):
            t.dup_target[i] = targets[i]


# ---------------------------------------------------------------------------
# Rendering


def plain_amount(value: float) -> str:
    """1234.5, 800, -6000, 62.36: the shortest text of an amount rounded to cents."""
    text = repr(value + 0.0)
    return text[:-2] if text.endswith(".0") else text


def format_amount(value: float, style: int, xlsx: bool) -> str | float:
    """An amount in an export style; NaN is blank (unknown, not zero). In xlsx files
    plain amounts are numeric cells."""
    if math.isnan(value):
        return ""
    if style == AMOUNT_PLAIN or value < 0 or (style == AMOUNT_THOUSANDS and value < 1000):
        return value + 0.0 if xlsx else plain_amount(value)
    if style == AMOUNT_THOUSANDS:
        return f"{value:,.2f}"
    if style == AMOUNT_YUAN:
        return plain_amount(value) + "元"
    if style == AMOUNT_CURRENCY:
        return f"￥{value:.2f}"
    return ""


@dataclass(frozen=True)
class Style:
    """How one file writes dates and numbers."""

    date_style: int = dd.ISO
    xlsx: bool = False
    amounts_text: bool = False  # every amount as text with thousands separators (12,000.00)


@dataclass
class Rendered:
    """Records of one file from one table, column by column, with their truth."""

    columns: list[list[Any]]
    person_id: list[str]
    tags: list[str]
    side: list[str]

    @property
    def n(self) -> int:
        return len(self.person_id)


class _Tags:
    """Per-row tag lists, created only for rows that get a tag."""

    def __init__(self, t: Table, ii: list[int]) -> None:
        self.rows: list[list[str] | None] = [
            list(tags) if tags else None for tags in _gatherer(ii)(t.tags)
        ]

    def add(self, k: int, tag: str) -> None:
        row = self.rows[k]
        if row is None:
            self.rows[k] = [tag]
        else:
            row.append(tag)

    def joined(self) -> list[str]:
        return ["" if row is None else ";".join(sorted(set(row))) for row in self.rows]


def render(
    t: Table,
    idx: np.ndarray,
    duplicate: np.ndarray,
    style: Style,
    repeated: np.ndarray | None = None,
    repeat_tag: str = "",
) -> Rendered:
    """Export cells (canonical column order) of the records `idx` in the file's style;
    `duplicate` marks entries that repeat a record exported before, `repeated` entries that
    repeat another file's (tagged `repeat_tag`: reexport, redelivered)."""
    ii = idx.tolist()
    tags = _Tags(t, ii)
    columns: list[list[Any]] = []
    date_cols = [c for c, k in enumerate(t.kinds) if k in (DATE, DATETIME)]
    amount_cols = [c for c, k in enumerate(t.kinds) if k == AMOUNT]
    has_date = np.zeros(len(ii), dtype=bool)
    gather = _gatherer(ii)
    for c, kind in enumerate(t.kinds):
        values = gather(t.data[c])
        if kind == TEXT:
            columns.append(values)
        elif kind in (DATE, DATETIME):
            present = [v is not None and v != -1 for v in values]
            has_date |= np.array(present, dtype=bool)
            columns.append(_dates(kind, values, present, style.date_style))
        elif kind == AMOUNT:
            if style.amounts_text:
                columns.append(["" if v != v else f"{v:,.2f}" for v in values])
            elif style.xlsx:
                columns.append(["" if v != v else v + 0.0 for v in values])
            else:  # plain_amount, inlined: this is the hottest loop of the generator
                columns.append(
                    [
                        "" if v != v else (x[:-2] if (x := repr(v + 0.0)).endswith(".0") else x)
                        for v in values
                    ]
                )
        elif style.xlsx:  # INT
            columns.append(["" if v < 0 else float(v) for v in values])
        else:
            columns.append(["" if v < 0 else str(v) for v in values])
    date_codes = t.date_defect[idx]
    if style.date_style != dd.ISO:
        for k in np.nonzero(has_date & (date_codes == 0))[0].tolist():
            tags.add(k, dd.DATE_STYLE_TAGS[style.date_style])
    for k in np.nonzero(date_codes)[0].tolist():
        _override_dates(t, ii[k], k, columns, date_cols, style, tags)
    amount_codes = t.amount_defect[idx]
    if style.amounts_text:
        _text_amounts(t, ii, amount_codes, columns, amount_cols, tags)
        amount_codes = np.zeros(len(ii), dtype=np.int8)
    for k in np.nonzero(amount_codes)[0].tolist():
        for c in amount_cols:
            columns[c][k] = _amount_cell(t, ii[k], c, int(amount_codes[k]), style.xlsx, tags, k)
    for k in np.nonzero(duplicate)[0].tolist():
        tags.add(k, "duplicate")
    if repeated is not None:
        for k in np.nonzero(repeated)[0].tolist():
            tags.add(k, repeat_tag)
    side = gather(t.side) if t.side is not None else []
    return Rendered(columns, gather(t.person_id), tags.joined(), side)


def _text_amounts(
    t: Table,
    ii: list[int],
    amount_codes: np.ndarray,
    columns: list[list[Any]],
    amount_cols: list[int],
    tags: _Tags,
) -> None:
    """A file writing every amount as text with separators: another system's export, so the
    records' own amount styles do not carry over; a blank amount stays blank. Rows showing a
    separator carry the style's tag, as a dated record carries its file's date style."""
    for k, i in enumerate(ii):
        blank = int(t.amount_blank_col[i]) if amount_codes[k] == AMOUNT_BLANK else -1
        shown = False
        for c in amount_cols:
            value = t.data[c][i]
            if c == blank and not math.isnan(value):
                columns[c][k] = ""
                tags.add(k, "amount_blank")
            shown |= columns[c][k] != "" and value >= 1000
        if shown:
            tags.add(k, "amount_thousands")


def _gatherer(ii: list[int]) -> Callable[[list[Any]], list[Any]]:
    """A fast `lambda data: [data[i] for i in ii]`."""
    if len(ii) == 0:
        return lambda data: []
    if len(ii) == 1:
        i = ii[0]
        return lambda data: [data[i]]
    getter = itemgetter(*ii)
    return lambda data: list(getter(data))


def _dates(kind: int, values: list[Any], present: list[bool], style: int) -> list[Any]:
    fmt = dd.format_date
    if kind == DATE:
        return [fmt(v, style) if ok else "" for v, ok in zip(values, present, strict=True)]
    fmt_dt = dd.format_datetime
    return [fmt_dt(v[0], v[1], style) if ok else "" for v, ok in zip(values, present, strict=True)]


def _override_dates(
    t: Table,
    i: int,
    k: int,
    columns: list[list[Any]],
    date_cols: list[int],
    style: Style,
    tags: _Tags,
) -> None:
    """A record whose dates differ from the file's style (or whose main date is damaged)."""
    row_style = int(t.date_defect[i])
    for n, c in enumerate(date_cols):
        value = t.data[c][i]
        if value is None or value == -1:
            continue
        secondary = row_style in (dd.BLANK, dd.OUT_OF_RANGE) and n > 0
        used = style.date_style if secondary else row_style
        if t.kinds[c] == DATE:
            columns[c][k] = dd.format_date(int(value), used)
        else:
            columns[c][k] = dd.format_datetime(int(value[0]), int(value[1]), used)
        if used != dd.ISO:
            tags.add(k, dd.DATE_STYLE_TAGS[used])


def _amount_cell(
    t: Table, i: int, c: int, amount_style: int, xlsx: bool, tags: _Tags, k: int
) -> str | float:
    value = t.data[c][i]
    if amount_style == AMOUNT_BLANK:
        if c == int(t.amount_blank_col[i]) and not math.isnan(value):
            tags.add(k, "amount_blank")
            return ""
        return format_amount(value, AMOUNT_PLAIN, xlsx)
    cell = format_amount(value, amount_style, xlsx)
    visible = amount_style != AMOUNT_THOUSANDS or value >= 1000
    if isinstance(cell, str) and cell and value >= 0 and visible:
        tags.add(k, AMOUNT_TAGS[amount_style])
    return cell
