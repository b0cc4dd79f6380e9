"""Column-wise normalizers for department exports.

Every function takes and returns polars expressions (or Series), so that they
run on whole columns in the production path and in the property tests alike.
None of them raises on arbitrary text: what cannot be understood becomes null
and is reported through a status or flag column by the caller.
"""

from __future__ import annotations

import datetime as dt
import functools

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


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Trim; an empty or whitespace-only cell is null (unknown)."""
    trimmed = expr.str.replace_all(f"^{_SPACES}+|{_SPACES}+$", "")
    return pl.when(trimmed.str.len_chars() > 0).then(trimmed).otherwise(None)


def _check_char(digits17: pl.Expr) -> pl.Expr:
    total = pl.sum_horizontal(
        [
            digits17.str.slice(i, 1).cast(pl.Int32, strict=False) * w
            for i, w in enumerate(ID_WEIGHTS)
        ]
    )
    return (total % 11).replace_strict(
        list(range(11)), list(CHECK_CHARS), return_dtype=pl.String, default=None
    )


def _valid_birth_date(yyyymmdd: pl.Expr) -> pl.Expr:
    parsed = yyyymmdd.str.to_date("%Y%m%d", strict=False)
    return parsed.is_not_null() & (parsed >= dt.date(1890, 1, 1))


def normalize_id(expr: pl.Expr) -> pl.Expr:
    """Normalize an ID column into a struct {id, status, prefix}.

    - id: the valid 18-character ID (upper-case X) or null;
    - status: one of valid / repaired / bad_check / truncated / missing / invalid;
    - prefix: what survives of a damaged ID: the 18 cleaned characters of a
      bad_check ID, the first 15 digits of an Excel-truncated one.

    Example: ``'３４０１０２１９９００１０１１２３ｘ'`` -> repaired ``34010219900101123X``;
    ``'3.40102199001011E+17'`` -> truncated, prefix ``340102199001011``.
    """
    raw = blank_to_null(expr.cast(pl.String))
    cleaned = to_halfwidth(raw).str.replace_all(f"{_SPACES}|['\"`‘’“”-]", "").str.to_uppercase()
    is18 = cleaned.str.contains(r"^\d{17}[\dX]$")
    is15 = cleaned.str.contains(r"^\d{15}$")
    sci = cleaned.str.extract(r"^(\d(?:\.\d+)?)E\+?(\d+)$", 1)
    sci_exp = cleaned.str.extract(r"^\d(?:\.\d+)?E\+?(\d+)$", 1).cast(pl.Int32, strict=False)
    sci_digits = sci.str.replace(".", "", literal=True)
    truncated_prefix = (
        pl.when(sci_exp == 17)
        .then(sci_digits.str.pad_end(15, "0").str.slice(0, 15))
        .otherwise(None)
    )
    upgraded17 = cleaned.str.slice(0, 6) + "19" + cleaned.str.slice(6, 9)
    valid18 = (
        is18
        & (_check_char(cleaned.str.slice(0, 17)) == cleaned.str.slice(17, 1))
        & _valid_birth_date(cleaned.str.slice(6, 8))
    )
    valid15 = is15 & _valid_birth_date(upgraded17.str.slice(6, 8))
    person_id = (
        pl.when(valid18)
        .then(cleaned)
        .when(valid15)
        .then(upgraded17 + _check_char(upgraded17))
        .otherwise(None)
    )
    status = (
        pl.when(raw.is_null())
        .then(pl.lit(ID_MISSING))
        .when(valid18 & (cleaned == raw))
        .then(pl.lit(ID_VALID))
        .when(valid18 | valid15)
        .then(pl.lit(ID_REPAIRED))
        .when(is18)
        .then(pl.lit(ID_BAD_CHECK))
        .when(sci.is_not_null())
        .then(pl.lit(ID_TRUNCATED))
        .otherwise(pl.lit(ID_INVALID))
    )
    prefix = (
        pl.when(is18 & ~valid18)
        .then(cleaned)
        .when(sci.is_not_null())
        .then(truncated_prefix)
        .otherwise(None)
    )
    return pl.struct(id=person_id, status=status, prefix=prefix)


def normalize_card(expr: pl.Expr) -> pl.Expr:
    """Disability card number (ID + category digit + grade digit) -> struct {card_id, category, grade}.

    The 18-character part goes through ``normalize_id``; category 1-7 and grade
    1-4 are returned as integers, null when the tail is missing or out of range.
    """
    cleaned = to_halfwidth(blank_to_null(expr.cast(pl.String))).str.replace_all(
        f"{_SPACES}|['\"`‘’“”-]", ""
    )
    has_tail = cleaned.str.contains(r"^\S{18}\d\d$")
    head = pl.when(has_tail).then(cleaned.str.slice(0, 18)).otherwise(cleaned)
    category = pl.when(has_tail).then(cleaned.str.slice(18, 1).cast(pl.Int32, strict=False))
    grade = pl.when(has_tail).then(cleaned.str.slice(19, 1).cast(pl.Int32, strict=False))
    return pl.struct(
        card_id=normalize_id(head),
        category=pl.when(category.is_between(1, 7)).then(category),
        grade=pl.when(grade.is_between(1, 4)).then(grade),
    )


def normalize_name(expr: pl.Expr) -> pl.Expr:
    """Names: full-width -> half-width, no spaces, one middle dot form (·), simplified characters.

    Example: ``' 張 偉 '`` -> ``张伟``; ``'买买提.艾力'`` and ``'买买提•艾力'`` -> ``买买提·艾力``.
    """
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


def normalize_date(expr: pl.Expr) -> pl.Expr:
    """Dates in any export format -> Date, null when blank or unreadable.

    Accepts ``2026-10-05``, ``2026/10/5``, ``20261005``, ``2026年10月5日``,
    ``2026.10.05``, a trailing time (``2026-10-05 14:03:00``) and Excel serial
    numbers (``46300`` -> 2026-10-04... counted from 1899-12-30).
    """
    text = to_halfwidth(blank_to_null(expr.cast(pl.String)))
    parts = text.str.extract_groups(
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    )
    compact = text.str.extract_groups(r"^(\d{4})(\d{2})(\d{2})$")
    serial = text.str.extract(r"^(\d{4,5})(?:\.\d+)?$", 1).cast(pl.Int64, strict=False)

    def _ymd(s: pl.Expr) -> pl.Expr:
        y = s.struct.field("1").cast(pl.Int32, strict=False)
        m = s.struct.field("2").cast(pl.Int32, strict=False)
        d = s.struct.field("3").cast(pl.Int32, strict=False)
        ok = y.is_between(1900, 2100) & m.is_between(1, 12) & d.is_between(1, 31)
        as_text = pl.format(
            "{}-{}-{}", y, m.cast(pl.String).str.zfill(2), d.cast(pl.String).str.zfill(2)
        )
        return pl.when(ok).then(as_text.str.to_date("%Y-%m-%d", strict=False))

    from_serial = pl.when(serial.is_between(1, 73050)).then(
        pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)
    )
    return pl.coalesce(_ymd(parts), _ymd(compact), from_serial.cast(pl.Date)).alias("date")


def normalize_amount(expr: pl.Expr) -> pl.Expr:
    """Amounts: ``1234.5``, ``1,234.50``, ``1234.5元``, ``￥1234.50`` -> Float64; blank -> null.

    Negative amounts are kept (refunds); unreadable text becomes null.
    """
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


def normalize_category(expr: pl.Expr, domain: tuple[str, ...], synonyms: dict[str, str]) -> pl.Expr:
    """Categorical labels: trimmed and half-width; synonyms mapped; the label kept as read otherwise.

    Whether the result is inside ``domain`` is checked by the caller (an unknown
    label is kept and flagged, never guessed).
    """
    text = blank_to_null(expr.cast(pl.String)).str.replace_all(_SPACES, "")
    if synonyms:
        text = text.replace(synonyms)
    del domain
    return text


def normalize_text(expr: pl.Expr) -> pl.Expr:
    """Free text: trimmed; blank -> null."""
    return blank_to_null(expr.cast(pl.String))


def normalize_school_year(expr: pl.Expr) -> pl.Expr:
    """School years ``2026-2027`` / ``2026—2027学年`` / ``2026`` -> the starting year as Int32."""
    text = to_halfwidth(blank_to_null(expr.cast(pl.String)))
    return text.str.extract(r"^(\d{4})", 1).cast(pl.Int32, strict=False)
