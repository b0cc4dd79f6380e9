"""Masking of personal data for everything that leaves the analysts' folder."""

from __future__ import annotations


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
