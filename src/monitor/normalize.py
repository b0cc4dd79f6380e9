"""Column-wise normalizers for department exports.

Every function takes and returns polars expressions (or Series), so that they
run on whole columns in the production path and in the property tests alike.
None of them raises on arbitrary text: what cannot be understood becomes null
and is reported through a status or flag column by the caller.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import polars as pl

# ISO 7064 MOD 11-2, as used by the 18-character citizen ID (GB 11643).
ID_WEIGHTS: tuple[int, ...] = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARS = "10X98765432"

# Id status values (stored in the clean layer, used by linking and the report).
ID_VALID = "valid"  # well-formed as delivered
ID_REPAIRED = "repaired"  # made valid by a lossless repair (full-width, x, spaces, 15->18)
ID_BAD_CHECK = "bad_check"  # 18 characters, wrong check character or impossible date: a typo
ID_TRUNCATED = "truncated"  # Excel scientific notation: the last digits are lost
ID_MISSING = "missing"  # blank
ID_INVALID = "invalid"  # anything else

EXCEL_EPOCH = dt.date(1899, 12, 30)
_FULLWIDTH = {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "}
_SPACES = r"[\s\u3000\u00a0\u200b\ufeff]"
_DOTS = r"[·•．.・‧∙⋅･\u00b7\u2027\u30fb]"


@functools.cache
def _traditional_to_simplified() -> tuple[list[str], list[str]]:
    """Single-character traditional -> simplified pairs from zhconv's table."""
    from zhconv import zhconv as z

    z.loaddict()
    table = z.zhcdicts["zh2Hans"]
    pairs = sorted((k, v) for k, v in table.items() if len(k) == 1 and len(v) == 1 and k != v)
    return [k for k, _ in pairs], [v for _, v in pairs]


def to_halfwidth(expr: pl.Expr) -> pl.Expr:
    """Full-width ASCII (３４０１, Ｘ, ＇) and the ideographic space -> their ASCII forms."""
    return expr.str.replace_many(list(_FULLWIDTH.keys()), list(_FULLWIDTH.values()))


_WHITESPACE = " \t\r\n\v\f\u3000\u00a0\u200b\ufeff"


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Trim; an empty or whitespace-only cell is null (unknown)."""
    trimmed = expr.str.strip_chars(_WHITESPACE)
    return pl.when(trimmed.str.len_bytes() > 0).then(trimmed)


_NOT_WHITESPACE = (
    "[^" + _WHITESPACE.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n") + "]"
)


def present(expr: pl.Expr) -> pl.Expr:
    """The cell holds something other than whitespace (``blank_to_null(expr).is_not_null()``,
    without building the stripped strings)."""
    return expr.str.contains(_NOT_WHITESPACE).fill_null(False)


def _check_char(number: pl.Expr) -> pl.Expr:
    """ISO 7064 MOD 11-2 check character of the first 17 digits, given as an Int64 column.

    ``number`` should be a column, not a compound expression: it is read 17 times.
    """
    total = pl.sum_horizontal(
        [((number // 10 ** (16 - i)) % 10) * w for i, w in enumerate(ID_WEIGHTS)]
    )
    return (total % 11).replace_strict(
        list(range(11)), list(CHECK_CHARS), return_dtype=pl.String, default=None
    )


def _valid_birth_date(yyyymmdd: pl.Expr) -> pl.Expr:
    parsed = yyyymmdd.str.to_date("%Y%m%d", strict=False)
    return parsed.is_not_null() & (parsed >= dt.date(1890, 1, 1))


_ID_JUNK = f"{_SPACES}|['\"`‘’“”-]"


def normalize_ids(frame: pl.DataFrame, column: str, out: str) -> pl.DataFrame:
    """Eager wrapper of ``normalize_ids_lazy`` (tests, small frames)."""
    return normalize_ids_lazy(frame.lazy(), column, out).collect()


def normalize_ids_lazy(frame: pl.LazyFrame, column: str, out: str) -> pl.LazyFrame:
    """Normalize the ID column `column` into three columns: `out`, `out`_status, `out`_prefix.

    - `out`: the valid 18-character ID (upper-case X) or null;
    - `out`_status: valid / repaired / bad_check / truncated / missing / invalid;
    - `out`_prefix: what survives of a damaged ID: the 18 cleaned characters of a
      bad_check ID, the first 15 digits of an Excel-truncated one.

    Example: ``'３４０１０２１９９００１０１１２３ｘ'`` -> repaired ``34010219900101123X``;
    ``'3.40102199001011E+17'`` -> truncated, prefix ``340102199001011``.

    Computed in stages on whole columns (each intermediate column once).
    """
    t = f"__{out}"
    raw, c = pl.col(f"{t}_raw"), pl.col(f"{t}_c")
    up17 = pl.col(f"{t}_up17")
    lazy = frame.with_columns(blank_to_null(pl.col(column).cast(pl.String)).alias(f"{t}_raw"))
    lazy = lazy.with_columns(
        to_halfwidth(raw)
        .str.replace_all(_ID_JUNK, "")
        .str.replace_all("x", "X", literal=True)
        .alias(f"{t}_c")
    )
    lazy = lazy.with_columns(
        c.str.contains(r"^\d{17}[\dX]$").alias(f"{t}_is18"),
        c.str.contains(r"^\d{15}$").alias(f"{t}_is15"),
        c.str.extract(r"^(\d(?:\.\d+)?)E\+?17$", 1).alias(f"{t}_sci"),
        c.str.contains(r"^\d(?:\.\d+)?E\+?\d+$").alias(f"{t}_is_sci"),
        (c.str.slice(0, 6) + pl.lit("19") + c.str.slice(6, 9)).alias(f"{t}_up17"),
    )
    is18, is15 = pl.col(f"{t}_is18"), pl.col(f"{t}_is15")
    # one check-character computation for both forms: the first 17 of an 18, or the upgraded 15
    lazy = lazy.with_columns(
        pl.when(is18)
        .then(c.str.slice(0, 17))
        .when(is15)
        .then(up17)
        .cast(pl.Int64, strict=False)
        .alias(f"{t}_num")
    )
    lazy = lazy.with_columns(
        _check_char(pl.col(f"{t}_num")).alias(f"{t}_chk"),
        _valid_birth_date(pl.when(is18).then(c).otherwise(up17).str.slice(6, 8)).alias(f"{t}_date"),
    )
    chk, born = pl.col(f"{t}_chk"), pl.col(f"{t}_date")
    lazy = lazy.with_columns(
        (is18 & (chk == c.str.slice(17, 1)) & born).fill_null(False).alias(f"{t}_v18"),
        (is15 & born).fill_null(False).alias(f"{t}_v15"),
    )
    v18, v15 = pl.col(f"{t}_v18"), pl.col(f"{t}_v15")
    sci = pl.col(f"{t}_sci")
    lazy = lazy.with_columns(
        pl.when(v18).then(c).when(v15).then(up17 + chk).alias(out),
        pl.when(raw.is_null())
        .then(pl.lit(ID_MISSING))
        .when(v18 & (c == raw))
        .then(pl.lit(ID_VALID))
        .when(v18 | v15)
        .then(pl.lit(ID_REPAIRED))
        .when(is18)
        .then(pl.lit(ID_BAD_CHECK))
        .when(pl.col(f"{t}_is_sci"))
        .then(pl.lit(ID_TRUNCATED))
        .otherwise(pl.lit(ID_INVALID))
        .alias(f"{out}_status"),
        pl.when(is18 & ~v18)
        .then(c)
        .when(sci.is_not_null())
        .then(sci.str.replace(".", "", literal=True).str.pad_end(15, "0").str.slice(0, 15))
        .alias(f"{out}_prefix"),
    )
    temps = [
        f"{t}_{x}"
        for x in (
            "raw",
            "c",
            "is18",
            "is15",
            "sci",
            "is_sci",
            "up17",
            "num",
            "chk",
            "date",
            "v18",
            "v15",
        )
    ]
    return lazy.drop(temps)


def normalize_cards(frame: pl.DataFrame, column: str, out: str) -> pl.DataFrame:
    """Eager wrapper of ``normalize_cards_lazy``."""
    return normalize_cards_lazy(frame.lazy(), column, out).collect()


def normalize_cards_lazy(frame: pl.LazyFrame, column: str, out: str) -> pl.LazyFrame:
    """Disability card numbers (ID + category digit + grade digit).

    Adds the ID columns of ``normalize_ids`` for the first 18 characters, and
    `out`_category (1-7) and `out`_grade (1-4) as integers, null when the tail is
    missing or out of range.
    """
    t = f"__{out}"
    cleaned = pl.col(f"{t}_card")
    raw = blank_to_null(pl.col(column).cast(pl.String))
    frame = frame.with_columns(
        to_halfwidth(raw).str.replace_all(_ID_JUNK, "").str.to_uppercase().alias(f"{t}_card"),
        raw.alias(f"{t}_rawcard"),
    )
    # A card typed into Excel as a number keeps 15 significant digits of its 20:
    # 3.42322195110182E+19 holds the ID's first 15 characters, like an ID's E+17.
    sci = r"^(\d(?:\.\d+)?)E\+?19$"
    has_tail = cleaned.str.contains(r"^\S{18}\d\d$") & ~cleaned.str.contains(sci)
    category = cleaned.str.slice(18, 1).cast(pl.Int32, strict=False)
    grade = cleaned.str.slice(19, 1).cast(pl.Int32, strict=False)
    head = pl.when(has_tail).then(cleaned.str.slice(0, 18)).otherwise(cleaned)
    head = head.str.replace(sci, "${1}E+17")
    frame = frame.with_columns(
        head.alias(f"{t}_head"),
        pl.when(has_tail & category.is_between(1, 7)).then(category).alias(f"{out}_category"),
        pl.when(has_tail & grade.is_between(1, 4)).then(grade).alias(f"{out}_grade"),
    )
    frame = normalize_ids_lazy(frame, f"{t}_head", out)
    # the ID part was valid only if the card needed no cleaning either
    status = pl.col(f"{out}_status")
    return frame.with_columns(
        pl.when((status == ID_VALID) & (cleaned != pl.col(f"{t}_rawcard")))
        .then(pl.lit(ID_REPAIRED))
        .otherwise(status)
        .alias(f"{out}_status")
    ).drop(f"{t}_card", f"{t}_head", f"{t}_rawcard")


def per_distinct(
    fn: Callable[[pl.Expr], pl.Expr], dtype: pl.DataType
) -> Callable[[pl.Series], pl.Series]:
    """Apply a text normalizer (null -> null) to a column's distinct values and map them back.

    Names and labels repeat (a 200k-row export holds ~20k distinct names), so
    this does the expensive clean-up a tenth as often; columns that are mostly
    distinct are done directly.
    """

    def apply(values: pl.Series) -> pl.Series:
        text = values.cast(pl.String)
        distinct = text.drop_nulls().unique()
        if distinct.len() * 2 > text.len():
            return pl.select(fn(pl.lit(text)).cast(dtype).alias(values.name)).to_series()
        mapped = pl.select(pl.lit(distinct).alias("k"), fn(pl.lit(distinct)).cast(dtype).alias("v"))
        return (
            text.to_frame("k")
            .join(mapped, on="k", how="left", maintain_order="left")
            .get_column("v")
            .alias(values.name)
        )

    return apply


def normalize_name(expr: pl.Expr) -> pl.Expr:
    """Names: full-width -> half-width, no spaces, one middle dot form (·), simplified characters.

    Example: ``' 張 偉 '`` -> ``张伟``; ``'买买提.艾力'`` and ``'买买提•艾力'`` -> ``买买提·艾力``.
    """
    return expr.map_batches(per_distinct(_name_text, pl.String()), return_dtype=pl.String)


def _name_text(expr: pl.Expr) -> pl.Expr:
    trad, simp = _traditional_to_simplified()
    name = to_halfwidth(blank_to_null(expr.cast(pl.String)))
    name = name.str.replace_all(_SPACES, "").str.replace_all(f"{_DOTS}+", "·")
    name = name.str.strip_chars("·").str.replace_many(trad, simp)
    return pl.when(name.str.len_chars() > 0).then(name).otherwise(None)


def name_key(expr: pl.Expr) -> pl.Expr:
    """A normalized name without any middle dot, for comparing 买买提艾力 with 买买提·艾力."""
    return expr.str.replace_all("·", "", literal=True)


def normalize_phone(expr: pl.Expr) -> pl.Expr:
    """Phone numbers: digits only, without +86/0086; an 11-digit mobile or a 7-12 digit landline."""
    digits = to_halfwidth(blank_to_null(expr.cast(pl.String))).str.replace_all(r"\D", "")
    digits = digits.str.replace(r"^(?:0086|86)(1\d{10})$", "$1")
    return pl.when(digits.str.len_chars().is_between(7, 12)).then(digits).otherwise(None)


def normalize_dates(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Eager wrapper of ``normalize_dates_lazy``."""
    return normalize_dates_lazy(frame.lazy(), columns).collect()


def normalize_dates_lazy(frame: pl.LazyFrame, columns: list[str]) -> pl.LazyFrame:
    """Dates in any export format -> Date (replacing each column), null when blank or unreadable.

    Accepts ``2026-10-05``, ``2026/10/5``, ``20261005``, ``2026年10月5日``,
    ``2026.10.05``, a trailing time (``2026-10-05 14:03:00``) and Excel serial
    numbers (``46300`` is 2026-10-05: days since 1899-12-30). Staged: the text is
    normalized once, then parsed in the three shapes.
    """
    if not columns:
        return frame
    text = {c: f"__{c}_datetext" for c in columns}
    frame = frame.with_columns(
        to_halfwidth(blank_to_null(pl.col(c).cast(pl.String)))
        .str.replace(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$", "")
        .str.replace_all(r"\s", "")
        .str.replace_all(r"[年月/.]", "-")
        .str.replace(r"日$", "")
        .alias(text[c])
        for c in columns
    )

    def parse(t: pl.Expr) -> pl.Expr:
        dashed = pl.when(t.str.contains(r"^\d{4}-\d{1,2}-\d{1,2}$")).then(
            t.str.to_date("%Y-%m-%d", strict=False)
        )
        compact = pl.when(t.str.contains(r"^\d{8}$")).then(t.str.to_date("%Y%m%d", strict=False))
        serial = t.str.extract(r"^(\d{4,5})(?:-\d+)?$", 1).cast(pl.Int64, strict=False)
        from_serial = pl.when(serial.is_between(1, 73050)).then(
            (pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)).cast(pl.Date)
        )
        parsed = pl.coalesce(dashed, compact, from_serial)
        return pl.when(parsed.dt.year().is_between(1900, 2100)).then(parsed)

    frame = frame.with_columns(parse(pl.col(text[c])).alias(c) for c in columns)
    return frame.drop(list(text.values()))


_PLAIN_NUMBER = r"^[-+]?\d+(?:\.\d+)?$"


def _amounts(values: pl.Series) -> pl.Series:
    """normalize_amount on a Series: plain numbers (most cells) are cast directly; only the
    other cells go through the full clean-up (one regex pass instead of five on every cell)."""
    text = values.cast(pl.String)
    plain = text.str.contains(_PLAIN_NUMBER).fill_null(False)
    out = pl.when(plain).then(text.cast(pl.Float64, strict=False).round(2))
    result = pl.select(out.alias(values.name)).to_series()
    rest = (~plain & text.is_not_null()).arg_true()
    if rest.len():
        fixed = pl.select(_amount_text(pl.lit(text.gather(rest)))).to_series()
        result = result.scatter(rest, fixed)
    return result


def normalize_amount(expr: pl.Expr) -> pl.Expr:
    """Amounts: ``1234.5``, ``1,234.50``, ``1234.5元``, ``￥1234.50`` -> Float64; blank -> null.

    Negative amounts are kept (refunds); unreadable text becomes null.
    """
    return expr.map_batches(_amounts, return_dtype=pl.Float64)


def _amount_text(expr: pl.Expr) -> pl.Expr:
    """The full clean-up of amount text (separators, 元, ￥, full-width digits, (refund))."""
    text = to_halfwidth(blank_to_null(expr.cast(pl.String)))
    text = text.str.replace_all(r"[,\s元¥￥]|RMB|CNY", "")
    text = text.str.replace(r"^\((.*)\)$", "-$1")
    return pl.when(text.str.contains(r"^[-+]?\d+(?:\.\d+)?$")).then(
        text.cast(pl.Float64, strict=False).round(2)
    )


def normalize_integer(expr: pl.Expr) -> pl.Expr:
    """Integer counts (不动产套数, 住院天数): ``2``, ``2.0``, ``2套`` -> 2; else null."""
    text = to_halfwidth(blank_to_null(expr.cast(pl.String))).str.replace_all(r"[\s套天个]", "")
    return pl.when(text.str.contains(r"^\d+(?:\.0+)?$")).then(
        text.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
    )


def normalize_category(expr: pl.Expr, synonyms: dict[str, str]) -> pl.Expr:
    """Categorical labels: trimmed, inner spaces removed, synonyms mapped (支出型困难 -> 刚性支出困难).

    Whether the label is in the contract's domain is checked by the GX suite: an
    unknown label is kept as read and flagged, never guessed.
    """

    def labels(values: pl.Expr) -> pl.Expr:
        text = blank_to_null(values.cast(pl.String)).str.replace_all(_SPACES, "")
        return text.replace(synonyms) if synonyms else text

    return expr.map_batches(per_distinct(labels, pl.String()), return_dtype=pl.String)


def normalize_text(expr: pl.Expr) -> pl.Expr:
    """Free text: trimmed; blank -> null."""
    return blank_to_null(expr.cast(pl.String))


def normalize_school_year(expr: pl.Expr) -> pl.Expr:
    """School years ``2026-2027`` / ``2026—2027学年`` / ``2026`` -> the starting year as Int32."""
    text = to_halfwidth(blank_to_null(expr.cast(pl.String)))
    return text.str.extract(r"^(\d{4})", 1).cast(pl.Int32, strict=False)
