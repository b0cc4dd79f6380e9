"""sql/30_link/household_members.sql: one row per linked person and the household they belong to."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .harness import Models, rows

MODEL = "30_link/household_members.sql"
A = "341102198001010012"  # on the roster and in the rural source
B = "341102198203030021"  # rural source only
C = "341122197005050033"  # neither: a household of one
D = "341122199001010047"  # rural source only, in two rural households


def gr(person: str) -> str:
    return "GR:" + hashlib.sha256(person.encode()).hexdigest()[:16]


def given(
    models: Models,
    roster: Sequence[tuple[str | None, str | None]] = (),
    rural: Sequence[tuple[str | None, str | None]] = (),
    linked: Sequence[str | None] = (),
) -> None:
    """roster, rural: (家庭编号 / 户编号, person); linked: every person with a record."""
    models.given(
        "linked_roster",
        [{"file_hash": "r", "_row": i, "household_no": h, "person_id": p, "relation": "本人"}
         for i, (h, p) in enumerate(roster, 1)],
    )  # fmt: skip
    models.given(
        "linked_rural",
        [{"file_hash": "x", "_row": i, "household_no": h, "person_id": p, "relation": "本人"}
         for i, (h, p) in enumerate(rural, 1)],
    )  # fmt: skip
    models.given(
        "record_links",
        [{"source": "hr", "file_hash": "l", "_row": i, "person_id": p, "method": "exact"}
         for i, p in enumerate(linked, 1)],
    )  # fmt: skip


def test_roster_wins_over_rural_and_rural_only_members_form_the_rural_household(
    models: Models,
) -> None:
    given(
        models,
        roster=[("F001", A)],
        rural=[("H7", A), ("H7", B)],
        linked=[A, B, C],
    )
    assert rows(models.run(MODEL), "person_id", "household_key", "membership") == [
        (A, "F001", "roster"),
        (B, "XC:H7", "rural"),
        (C, gr(C), "other"),
    ]


def test_one_row_per_person_whatever_the_number_of_records(models: Models) -> None:
    """A person on two roster households or two rural households belongs to the smaller key."""
    given(
        models,
        roster=[("F002", A), ("F001", A), ("F001", A)],
        rural=[("H9", D), ("H10", D)],
        linked=[A, A, D, D, D],
    )
    assert rows(models.run(MODEL), "person_id", "household_key", "membership") == [
        (A, "F001", "roster"),
        (D, "XC:H10", "rural"),  # 'H10' < 'H9' as text
    ]


def test_the_key_of_a_household_of_one_is_stable_and_derived_from_the_id(models: Models) -> None:
    given(models, linked=[C])
    first = rows(models.run(MODEL), "household_key")
    assert first == [(gr(C),)]
    assert rows(models.run(MODEL), "household_key") == first  # the next run: the same key
    assert len(gr(C)) == len("GR:") + 16


def test_rows_without_a_person_or_a_household_number_make_no_membership(models: Models) -> None:
    """Unlinked rows belong to nobody; a roster row without 家庭编号 does not make a household."""
    given(
        models,
        roster=[("F001", None), (None, A)],
        rural=[("H7", None), (None, B)],
        linked=[None, A, B],
    )
    assert rows(models.run(MODEL), "person_id", "household_key", "membership") == [
        (A, gr(A), "other"),
        (B, gr(B), "other"),
    ]


def test_only_linked_persons_are_members(models: Models) -> None:
    """Membership comes from the persons records were linked to (the roster's own rows are links)."""
    given(models, roster=[("F001", A)], rural=[("H7", B)], linked=[A])
    frame = models.run(MODEL)
    assert rows(frame, "person_id", "household_key", "membership") == [(A, "F001", "roster")]
    assert frame.columns == ["person_id", "household_key", "membership"]
