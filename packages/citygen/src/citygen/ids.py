"""Citizen ID numbers (公民身份号码, GB 11643): building, checking and damaging them.

An ID is the 6-digit county code, the birth date YYYYMMDD, a 3-digit sequence
(odd for men, even for women) and an ISO 7064 MOD 11-2 check character (`X`
stands for 10). The damage functions reproduce what department exports do to
IDs; each returns the text as it would appear in an export.
"""

from __future__ import annotations

import numpy as np

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # indexed by (weighted digit sum) mod 11
_WEIGHTS_ARRAY = np.array(WEIGHTS, dtype=np.int64)
_POWERS = np.array([10**k for k in range(16, -1, -1)], dtype=np.int64)
_FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


class NumCell:
    """A value that a spreadsheet stores as a number.

    `value` is what an xlsx cell holds; `text` is how the same value looks once
    Excel (or a CSV export made from Excel) prints it.
    """

    __slots__ = ("text", "value")

    def __init__(self, value: float, text: str) -> None:
        self.value = value
        self.text = text

    def __str__(self) -> str:  # csv.writer stringifies non-str cells with str()
        return self.text

    def __repr__(self) -> str:
        return f"NumCell({self.value!r}, {self.text!r})"


def check_char(body17: str) -> str:
    """The check character of a 17-digit ID body: check_char('11010519491231002') == 'X'."""
    total = sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def is_valid_id(text: str) -> bool:
    """True for a well-formed 18-character ID whose check character matches."""
    return (
        len(text) == 18
        and text[:17].isdigit()
        and text[:17].isascii()
        and check_char(text[:17]) == text[17]
    )


def check_chars(bodies: np.ndarray) -> np.ndarray:
    """Vectorized check characters (as a numpy array of str) for int64 17-digit bodies."""
    digits = (bodies[:, None] // _POWERS[None, :]) % 10
    sums = (digits * _WEIGHTS_ARRAY[None, :]).sum(axis=1) % 11
    return np.array(list(CHECK_CHARS))[sums]


def make_ids(county: np.ndarray, yyyymmdd: np.ndarray, seq: np.ndarray) -> list[str]:
    """18-character IDs from county codes, birth dates as YYYYMMDD ints and sequence numbers."""
    bodies = county.astype(np.int64) * 10**11 + yyyymmdd.astype(np.int64) * 1000 + seq
    checks = check_chars(bodies)
    return [f"{b:017d}{c}" for b, c in zip(bodies.tolist(), checks.tolist(), strict=True)]


def to_15(id18: str) -> str:
    """The pre-1999 15-digit form of an ID of someone born 1900–1999 (no century, no check)."""
    return id18[:6] + id18[8:17]


def upgrade_15(id15: str) -> str:
    """The 18-character ID of a 15-digit one (inverse of `to_15`)."""
    body = id15[:6] + "19" + id15[6:]
    return body + check_char(body)


def excel_number(digits: str) -> NumCell:
    """An all-digit ID typed into Excel: a float with 15 significant digits.

    excel_number('340102199001011234').text == '3.40102199001011E+17'
    """
    mantissa, exponent = f"{int(digits):.14E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    exp = int(exponent)
    text = f"{mantissa}E{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    return NumCell(float(f"{int(digits):.14e}"), text)


def fullwidth(text: str) -> str:
    """Digits and X in full-width form (３４０１…)."""
    return text.translate(_FULLWIDTH)


def with_spaces(text: str, style: int) -> str:
    """Spaces as they appear in exports: grouped 6-8-4, leading, trailing or inner."""
    if style == 0 and len(text) >= 18:
        return f"{text[:6]} {text[6:14]} {text[14:]}"
    if style == 1:
        return " " + text
    if style == 2:
        return text + "  "
    return text[:10] + " " + text[10:]


def typo_digit(id18: str, rng: np.random.Generator) -> str:
    """One character of the ID changed so that the result is not a valid ID."""
    for _ in range(50):
        pos = int(rng.integers(0, 18))
        old = id18[pos]
        new = str(int(rng.integers(0, 10)))
        if new == old:
            continue
        candidate = id18[:pos] + new + id18[pos + 1 :]
        if not is_valid_id(candidate):
            return candidate
    raise AssertionError("no invalid single-digit typo found")  # MOD 11-2 catches all of them


def typo_swap(id18: str, rng: np.random.Generator) -> str:
    """Two adjacent different digits swapped so that the result is not a valid ID."""
    positions = [p for p in range(17) if id18[p] != id18[p + 1] and id18[p + 1] != "X"]
    order = rng.permutation(len(positions))
    for k in order.tolist():
        pos = positions[k]
        candidate = id18[:pos] + id18[pos + 1] + id18[pos] + id18[pos + 2 :]
        if not is_valid_id(candidate):
            return candidate
    return typo_digit(id18, rng)
