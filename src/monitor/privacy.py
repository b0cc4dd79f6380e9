"""Masking of personal data for everything that leaves the analysts' folder."""

from __future__ import annotations

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
# free text, as whole tokens (not part of a longer run of digits).
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_text(value: str | None, names: Iterable[str] = ()) -> str:
    """Free text (a caseworker's note, a published explanation) with every ID and mobile
    number in it masked (mask_id, mask_phone) and each of `names` replaced by its mask_name
    (the longest first, so that 张小明 is not masked as 张＊小明)."""
    if not value:
        return ""
    text = _ID_IN_TEXT.sub(lambda m: mask_id(m.group()), value)
    text = _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
    for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text
