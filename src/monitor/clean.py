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
}

# Great Expectations' row-level expectations, as they appear in flags (``<type>:<column>``).
FLAG_LABELS |= {
    "expect_column_values_to_be_in_set": "取值不在数据约定范围内（保留原值，未猜测）",
    "expect_column_values_to_not_be_null": "必填项为空",
    "expect_column_values_to_be_between": "日期或数值超出合理范围",
}

QUARANTINE_NO_IDENTITY = "既无可识别的证件号码也无姓名，记录无法使用；请在源系统补录后重新导出"

_GRADE_LABELS = ["一级", "二级", "三级", "四级"]
_CATEGORY_LABELS = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]


def _flag(condition: pl.Expr, code: str, column: str | None = None) -> pl.Expr:
    text = f"{code}:{column}" if column else code
    return pl.when(condition).then(pl.lit(text)).otherwise(pl.lit(None, dtype=pl.String))


def _column_exprs(col: Column, today: dt.date) -> tuple[pl.Expr, list[pl.Expr]]:
    """The clean expression of one non-person-ID column and the flags it raises."""
    raw = pl.col(col.name)
    present = nz.blank_to_null(raw.cast(pl.String)).is_not_null()
    flags: list[pl.Expr] = []
    if col.type == "name":
        expr = nz.normalize_name(raw)
    elif col.type == "id":  # a secondary ID column (rural 户主证件号码, disability 身份证号)
        expr = nz.normalize_id(raw).struct.field("id")
    elif col.type == "date":
        expr = nz.normalize_date(raw)
        flags.append(_flag(present & expr.is_null(), "bad_date", col.name))
    elif col.type == "amount":
        expr = nz.normalize_amount(raw)
        flags.append(_flag(present & expr.is_null(), "bad_amount", col.name))
        expr = pl.when(expr.abs() < 1e12).then(expr)  # DECIMAL(14,2) holds it
    elif col.type == "integer":
        expr = nz.normalize_integer(raw)
        flags.append(_flag(present & expr.is_null(), "bad_integer", col.name))
    elif col.type == "category":
        # An unknown label is kept as read; the GX suite flags it (validate.py).
        expr = nz.normalize_category(raw, col.domain, col.synonyms)
    elif col.type == "phone":
        expr = nz.normalize_phone(raw)
    elif col.type == "school_year":
        expr = nz.normalize_school_year(raw)
    else:
        expr = nz.normalize_text(raw)
    return expr.alias(col.name), flags


def clean_frame(frame: pl.DataFrame, contract: Contract, today: dt.date) -> pl.DataFrame:
    """Normalize one file's records (the output of a reader) into the clean layer's shape."""
    person = contract.person
    id_col = contract.column(person.id)
    exprs: list[pl.Expr] = [pl.col("_row")]
    flags: list[pl.Expr] = []
    for col in contract.columns:
        if col.name == person.id:
            continue
        expr, col_flags = _column_exprs(col, today)
        exprs.append(expr)
        flags.extend(col_flags)

    if id_col.type == "card":
        card = nz.normalize_card(pl.col(person.id))
        ident = card.struct.field("card_id")
        exprs += [
            card.struct.field("category").alias("card_category"),
            card.struct.field("grade").alias("card_grade"),
        ]
    else:
        ident = nz.normalize_id(pl.col(person.id))
    exprs += [
        ident.struct.field("id").alias("person_id"),
        ident.struct.field("status").alias("id_status"),
        ident.struct.field("prefix").alias("id_prefix"),
    ]
    out = frame.with_columns(pl.col(c).cast(pl.String) for c in contract.column_names).select(exprs)
    out = _disability_rules(out, contract, flags)

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
    out = out.with_columns(
        nz.name_key(name_col).alias("name_key"),
        phone.alias("phone_norm"),
        pl.concat_str(flags, separator=";", ignore_nulls=True).alias("flags")
        if flags
        else pl.lit(None, dtype=pl.String).alias("flags"),
        pl.when(no_identity).then(pl.lit(QUARANTINE_NO_IDENTITY)).alias("quarantine_reason"),
    )
    out = out.with_columns(
        pl.when(pl.col("flags") == "").then(None).otherwise(pl.col("flags")).alias("flags"),
        # Identity of a record's content, for counting a record exported twice once (policy.md).
        pl.concat_str(
            [frame[c].cast(pl.String).fill_null("") for c in contract.natural_key], separator="\x1f"
        )
        .hash(seed=0)
        .cast(pl.String)
        .alias("record_hash"),
    )
    return out.drop("_card_flags", strict=False)


def _disability_rules(out: pl.DataFrame, contract: Contract, flags: list[pl.Expr]) -> pl.DataFrame:
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
    )
