"""From a file's raw string frame to its clean frame, column-wise, driven by the contract.

Each record keeps its record number. Problems are kept and flagged (``flags``,
``;``-separated codes, see FLAG_LABELS); only a record with nothing usable (no
ID in any form and no name) gets a ``quarantine_reason``.
Row-level contract rules (categorical domains, required values, date and
amount ranges) are Great Expectations suites, applied after this (validate.py).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from monitor import normalize as nz
from monitor.contracts import Column, Contract
from monitor.counties import county_codes
from monitor.readers import MAX_FIELD_BYTES

# the flag of a record quarantined for a field beyond MAX_FIELD_BYTES (``<flag>:<column>``)
FIELD_TOO_LARGE = "field_too_large"
# Flag codes -> what they mean, in the words users read (report, quarantine.csv).
FLAG_LABELS: dict[str, str] = {
    "id_repaired": "身份证号已修复（全角/小写x/空格/撇号/15位升18位）",
    "id_bad_check": "身份证号校验位错误（疑似录入错误），交由身份匹配判断",
    "id_truncated": "身份证号被 Excel 按数值截断为15位有效数字，末几位已丢失",
    "id_missing": "缺少身份证号",
    "id_invalid": "身份证号格式无法识别",
    "id_unknown_county": "身份证号前6位不是已知的行政区划代码（GB/T 2260），请核对",
    "bad_date": "日期无法识别",
    "bad_amount": "金额无法识别",
    "bad_integer": "整数无法识别",
    "card_disagrees": "残疾类别/等级列与残疾人证号末两位不一致，以证号为准",
    "card_id_mismatch": "身份证号列与残疾人证号前18位不一致，以证号为准",
    "bad_card": "残疾人证号末两位（类别、等级）无法识别",
    FIELD_TOO_LARGE: f"字段超过 {MAX_FIELD_BYTES // 1024 // 1024} MB 的上限，记录已隔离",
}

# Great Expectations' row-level expectations, as they appear in flags (``<type>:<column>``).
FLAG_LABELS |= {
    "expect_column_values_to_be_in_set": "取值不在数据约定范围内（保留原值，未猜测）",
    "expect_column_values_to_not_be_null": "必填项为空",
    "expect_column_values_to_be_between": "日期或数值超出合理范围",
}

# Columns of a clean chunk that the store step hashes into record_hash and content_hash.
KEY_TEXT = "_key_text"
CONTENT_TEXT = "_content_text"
# 与户主关系 of a household's head, after the contract's synonyms (本人(户主), 户主 -> 本人)
HEAD_RELATION = "本人"
QUARANTINE_NO_IDENTITY = "既无可识别的证件号码也无姓名，记录无法使用；请在源系统补录后重新导出"

_GRADE_LABELS = ["一级", "二级", "三级", "四级"]
_CATEGORY_LABELS = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]


def _flag(condition: pl.Expr, code: str, column: str | None = None) -> pl.Expr:
    text = f"{code}:{column}" if column else code
    return pl.when(condition).then(pl.lit(text)).otherwise(pl.lit(None, dtype=pl.String))


def _column_expr(col: Column) -> tuple[pl.Expr, pl.Expr | None]:
    """The clean expression of one plain column (not an ID, not a date) and its parse flag.

    The flag compares with ``__present_<column>`` (the cell was not blank), a
    column computed beforehand.
    """
    raw = pl.col(col.name)
    present = pl.col(f"__present_{col.name}")
    flag: pl.Expr | None = None
    if col.type == "name":
        expr = nz.normalize_name(raw)
    elif col.type == "amount":
        parsed = nz.normalize_amount(raw)
        flag = _flag(present & parsed.is_null(), "bad_amount", col.name)
        expr = pl.when(parsed.abs() < 1e12).then(parsed)  # DECIMAL(14,2) holds it
    elif col.type == "integer":
        expr = nz.normalize_integer(raw)
        flag = _flag(present & expr.is_null(), "bad_integer", col.name)
    elif col.type == "category":
        # An unknown label is kept as read; the GX suite flags it (validate.py).
        expr = nz.normalize_category(raw, col.synonyms)
    elif col.type == "phone":
        expr = nz.normalize_phone(raw)
    elif col.type == "school_year":
        expr = nz.normalize_school_year(raw)
    else:
        expr = nz.normalize_text(raw)
    return expr.alias(col.name), flag


def clean_frame(frame: pl.DataFrame, contract: Contract, today: dt.date) -> pl.DataFrame:
    """Normalize one file's records (the output of a reader) into the clean layer's shape.

    Runs as one lazy query in stages, so that each intermediate column is
    computed once: IDs (and the disability card), dates, then the other
    columns, the flags and the quarantine rule.
    """
    del today  # date ranges are checked by the GX suite (validate.py)
    person = contract.person
    id_col = contract.column(person.id)
    others = [c for c in contract.columns if c.name != person.id]
    lazy = frame.lazy().with_columns(pl.col(c).cast(pl.String) for c in contract.column_names)
    # the ID as delivered, for the record key of an ID that cannot be normalized
    lazy = lazy.with_columns(pl.col(person.id).alias("__raw_id"))
    lazy = lazy.with_columns(
        nz.present(pl.col(c.name)).alias(f"__present_{c.name}") for c in others
    )
    if id_col.type == "card":
        lazy = nz.normalize_cards_lazy(lazy, person.id, "person_id").rename(
            {"person_id_category": "card_category", "person_id_grade": "card_grade"}
        )
    else:
        lazy = nz.normalize_ids_lazy(lazy, person.id, "person_id")
    lazy = lazy.rename({"person_id_status": "id_status", "person_id_prefix": "id_prefix"})
    for col in others:
        if col.type == "id":  # a secondary ID column (rural 户主证件号码, disability 身份证号)
            lazy = nz.normalize_ids_lazy(lazy, col.name, f"__id_{col.name}").with_columns(
                pl.col(f"__id_{col.name}").alias(col.name)
            )
    dates = [c.name for c in others if c.type == "date"]
    lazy = nz.normalize_dates_lazy(lazy, dates)
    flags: list[pl.Expr] = [
        _flag(pl.col(f"__present_{d}") & pl.col(d).is_null(), "bad_date", d) for d in dates
    ]
    plain = [c for c in others if c.type not in ("id", "date")]
    exprs = []
    for col in plain:
        expr, flag = _column_expr(col)
        exprs.append(expr)
        if flag is not None:
            flags.append(flag)
    lazy = lazy.with_columns(exprs)
    lazy = _disability_rules(lazy, contract, flags)
    lazy = _rural_rules(lazy, contract, flags)

    status = pl.col("id_status")
    flags += [
        _flag(status == nz.ID_REPAIRED, "id_repaired"),
        _flag(status == nz.ID_BAD_CHECK, "id_bad_check"),
        _flag(status == nz.ID_TRUNCATED, "id_truncated"),
        _flag(status == nz.ID_MISSING, "id_missing"),
        _flag(status == nz.ID_INVALID, "id_invalid"),
        _flag(
            pl.col("person_id").is_not_null()
            & ~pl.col("person_id").str.slice(0, 6).is_in(sorted(county_codes())),
            "id_unknown_county",
        ),
    ]
    name_col = pl.col(person.name)
    no_identity = pl.col("person_id").is_null() & pl.col("id_prefix").is_null() & name_col.is_null()
    phone = pl.col(person.phone) if person.phone else pl.lit(None, dtype=pl.String)
    flags_text = pl.concat_str(flags, separator=";", ignore_nulls=True)
    lazy = lazy.with_columns(
        nz.name_key(name_col).alias("name_key"),
        phone.alias("phone_norm"),
        pl.when(flags_text != "").then(flags_text).alias("flags"),
        pl.when(no_identity).then(pl.lit(QUARANTINE_NO_IDENTITY)).alias("quarantine_reason"),
        # A record's identity (its contract's natural key) and its content, both on normalized
        # values: "2026/10/19, 12,000.00" re-exported from "2026-10-19, 12000" is the same
        # record (policy.md: a record exported twice counts once). The engine hashes them
        # (md5, stable across library versions) when the chunk is stored.
        _key_text(contract.column_names, person.id).alias(CONTENT_TEXT),
    )
    # A key that holds the ID is no key when the ID is blank: two ID-less pupils of one school
    # year are two records; only an identical copy is the same record.
    key = _key_text(contract.natural_key, person.id)
    if person.id in contract.natural_key:
        key = pl.when(_id_for_key().fill_null("") == "").then(pl.col(CONTENT_TEXT)).otherwise(key)
    lazy = lazy.with_columns(key.alias(KEY_TEXT))
    keep = ["_row", *[c.name for c in others], "person_id", "id_status", "id_prefix"]
    if id_col.type == "card":
        keep += ["card_category", "card_grade"]
    keep += ["name_key", "phone_norm", "flags", "quarantine_reason", KEY_TEXT, CONTENT_TEXT]
    return lazy.select(keep).collect()


def _id_for_key() -> pl.Expr:
    """The ID as normalized, else what survives of a damaged one, else as delivered."""
    return pl.coalesce(
        pl.col("person_id"), pl.col("id_prefix"), pl.col("__raw_id").str.strip_chars()
    )


def _key_text(columns: tuple[str, ...] | list[str], id_column: str) -> pl.Expr:
    """The normalized values of `columns`, joined: the ID as normalized (what survives of a
    damaged one, else as delivered), dates as ISO text, amounts as numbers."""
    parts = []
    for name in columns:
        value = _id_for_key() if name == id_column else pl.col(name).cast(pl.String)
        parts.append(value.fill_null(""))
    return pl.concat_str(parts, separator="\x1f")


def _rural_rules(out: pl.LazyFrame, contract: Contract, flags: list[pl.Expr]) -> pl.LazyFrame:
    """A rural head's row (与户主关系 本人) whose 成员证件号码 is unusable takes the person from
    户主证件号码 when that is valid: the same person, written in the household's header."""
    if contract.source != "rural":
        return out
    from_head = (
        ~pl.col("id_status").is_in([nz.ID_VALID, nz.ID_REPAIRED])
        & (pl.col("relation") == HEAD_RELATION)
        & pl.col("head_id").is_not_null()
    ).fill_null(False)
    flags.append(_flag(pl.col("_from_head"), "id_from_head"))
    return out.with_columns(from_head.alias("_from_head")).with_columns(
        pl.when(pl.col("_from_head"))
        .then(pl.col("head_id"))
        .otherwise(pl.col("person_id"))
        .alias("person_id"),
        pl.when(pl.col("_from_head"))
        .then(pl.lit(nz.ID_REPAIRED))
        .otherwise(pl.col("id_status"))
        .alias("id_status"),
    )


def _disability_rules(out: pl.LazyFrame, contract: Contract, flags: list[pl.Expr]) -> pl.LazyFrame:
    """The card number wins over the category/grade/ID columns; disagreements are flagged."""
    if contract.source != "disability":
        return out
    grade_from_card = pl.col("card_grade").replace_strict(
        [1, 2, 3, 4], _GRADE_LABELS, default=None, return_dtype=pl.String
    )
    cat_from_card = pl.col("card_category").replace_strict(
        list(range(1, 8)), _CATEGORY_LABELS, default=None, return_dtype=pl.String
    )
    disagrees = (
        (
            pl.col("disability_grade").is_not_null()
            & grade_from_card.is_not_null()
            & (pl.col("disability_grade") != grade_from_card)
        )
        | (
            pl.col("disability_category").is_not_null()
            & cat_from_card.is_not_null()
            & (pl.col("disability_category") != cat_from_card)
        )
    ).fill_null(False)
    mismatch = (
        pl.col("id_number").is_not_null()
        & pl.col("person_id").is_not_null()
        & (pl.col("id_number") != pl.col("person_id"))
    ).fill_null(False)
    bad_card = (
        pl.col("card_grade").is_null()
        & pl.col("id_status").is_not_null()
        & (pl.col("id_status") != nz.ID_MISSING)
    )
    # Evaluated now, before the card's values overwrite the columns they are compared with.
    out = out.with_columns(
        pl.concat_str(
            [
                _flag(disagrees, "card_disagrees"),
                _flag(bad_card, "bad_card"),
                _flag(mismatch, "card_id_mismatch"),
            ],
            separator=";",
            ignore_nulls=True,
        ).alias("_card_flags")
    )
    flags.append(pl.when(pl.col("_card_flags") != "").then(pl.col("_card_flags")))
    # Where the card's tail is unreadable, fall back on the columns as delivered.
    return out.with_columns(
        pl.coalesce(grade_from_card, pl.col("disability_grade")).alias("disability_grade"),
        pl.coalesce(cat_from_card, pl.col("disability_category")).alias("disability_category"),
        pl.coalesce(pl.col("person_id"), pl.col("id_number")).alias("person_id"),
        pl.when(pl.col("person_id").is_null() & pl.col("id_number").is_not_null())
        .then(pl.lit(nz.ID_REPAIRED))
        .otherwise(pl.col("id_status"))
        .alias("id_status"),
    )
