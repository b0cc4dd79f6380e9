"""monitor.privacy: what of an ID or a phone number a caseworker's workbook may show."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from monitor.privacy import mask_id, mask_phone


def test_an_id_keeps_its_first_six_and_last_four() -> None:
    assert mask_id("34110219800101001X") == "341102********001X"
    assert mask_id("341102800101001") == "341102*****1001"  # a 15-digit first-generation ID


def test_a_phone_keeps_its_first_three_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("05503012345") == "055****2345"


def test_short_values_are_masked_whole_and_nothing_stays_nothing() -> None:
    """A value too short to keep both ends is all stars (nothing of it is shown)."""
    assert mask_id("3411021980") == "**********"
    assert mask_phone("3012345") == "*******"
    assert mask_id(None) == mask_id("") == mask_phone(None) == mask_phone("") == ""


@given(st.text(alphabet="0123456789X", min_size=11, max_size=24))
def test_an_id_mask_hides_all_but_the_ends_and_keeps_the_length(value: str) -> None:
    masked = mask_id(value)
    assert len(masked) == len(value)
    assert masked[:6] == value[:6] and masked[-4:] == value[-4:]
    assert set(masked[6:-4]) == {"*"}


@given(st.text(alphabet="0123456789", min_size=8, max_size=20))
def test_a_phone_mask_hides_all_but_the_ends_and_keeps_the_length(value: str) -> None:
    masked = mask_phone(value)
    assert len(masked) == len(value)
    assert masked[:3] == value[:3] and masked[-4:] == value[-4:]
    assert set(masked[3:-4]) == {"*"}
