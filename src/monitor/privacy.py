"""Masking of personal data for everything that leaves the analysts' folder."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable


def mask_id(value: str | None) -> str:
    """``340102199001011234`` -> ``340102********1234`` (first 6 and last 4 kept)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``13812345678`` -> ``138****5678`` (first 3 and last 4 kept)."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# Two-character surnames kept whole by mask_name (the common ones of the 百家姓).
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "西门", "南宫", "独孤", "轩辕", "呼延", "申屠", "太史", "万俟", "闻人",
    "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "赫连", "钟离", "百里", "东郭", "南门", "拓跋",
    "完颜",
})  # fmt: skip


def mask_name(value: str | None) -> str:
    """``张伟`` -> ``张＊``, ``欧阳明月`` -> ``欧阳＊`` (the surname and one ＊, whatever the
    length: the mask does not tell a two-character name from a three-character one); a
    one-character name is ``＊``."""
    if not value:
        return ""
    name = value.strip()
    if len(name) <= 1:
        return "＊" if name else ""
    surname = name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[0]
    return surname + "＊"


# An 18-character ID (or a 15-digit first-generation one) and a mainland mobile number inside
# free text: a run of digits of that length (not part of a longer one).
_ID_IN_TEXT = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?![\dXx])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LATIN = re.compile(r"[A-Za-z]")


def _birth_date_plausible(run: str) -> bool:
    """Whether the birth-date digits of an ID-shaped run make a calendar date (YYYYMMDD of an
    18-character ID from 1900, YYMMDD of a 15-digit one)."""
    digits = run[6:14] if len(run) == 18 else "19" + run[6:12]
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def _mask_id_in_text(match: re.Match[str]) -> str:
    """Mask an ID-shaped run. One glued to Latin letters ("ID34110219800101001X") is masked
    when its birth date is a date: a ticket or record number such as GD202610210000067
    keeps its digits, an ID written without a space loses them."""
    run, text, start, end = match.group(), match.string, match.start(), match.end()
    glued = bool(
        (start and _LATIN.match(text[start - 1])) or (end < len(text) and _LATIN.match(text[end]))
    )
    return mask_id(run) if not glued or _birth_date_plausible(run) else run


def mask_text(value: str | None, names: Iterable[str] = ()) -> str:
    """Free text (a caseworker's note, a published explanation) with every ID and mobile
    number in it masked (mask_id, mask_phone) and each of `names` replaced by its mask_name
    (the longest first, so that 张小明 is not masked as 张＊小明)."""
    if not value:
        return ""
    text = _ID_IN_TEXT.sub(_mask_id_in_text, value)
    text = _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
    for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text
