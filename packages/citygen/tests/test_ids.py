"""IDs: valid where they should be, damaged exactly where the truth says so."""

from __future__ import annotations

import unicodedata

from stdnum.cn import ric

from citygen.ids import check_char, excel_number, is_valid_id, to_15, typo_swap, upgrade_15

from .gen_readers import ID_COLUMN, City, normalize_id

DAMAGING = {"id_typo_digit", "id_typo_swap", "id_excel_truncated"}


def test_every_person_id_is_valid_and_unique(city: City) -> None:
    ids = [p["person_id"] for p in city.persons]
    assert len(ids) == len(set(ids)) == 3000
    assert all(ric.is_valid(i) for i in ids)


def _id_text(record_value: object, source: str) -> str:
    text = "" if record_value is None else str(record_value)
    return text


def test_ids_as_written_are_valid_unless_marked_damaged(city: City) -> None:
    checked = 0
    for source, records in city.records.items():
        column = ID_COLUMN[source]
        for r in records:
            value = r.values.get(column)
            if value is None and column not in r.values:
                continue  # a file without that column (e.g. the county disability file)
            text = _id_text(value, source)
            if source == "disability" and text:
                text = text if "E+" in text else text[: len(text) - 2]
            if "unusable" in r.tags or "id_blank" in r.tags:
                assert text.strip() == "", (r.file, r.row, text)
                continue
            if source in ("hotline", "grid") and text == "":
                continue  # tickets and visit records rarely carry an ID
            if r.tags & DAMAGING:
                if "id_excel_truncated" in r.tags:
                    assert isinstance(value, float) or "E+" in text, (r.file, r.row, value)
                else:
                    assert not ric.is_valid(text), (r.file, r.row, text)
                continue
            if "id_15" in r.tags:
                assert len(text) == 15 and text.isdigit()
                assert upgrade_15(text) == r.person_id
                continue
            cosmetic = r.tags & {"id_lower_x", "id_fullwidth", "id_spaces", "id_apostrophe"}
            if cosmetic:
                assert not ric.is_valid(text) or text != r.person_id
                assert normalize_id(text) == r.person_id, (r.file, r.row, text)
            else:
                assert text == r.person_id, (r.file, r.row, text, r.tags)
            assert ric.is_valid(normalize_id(text))
            checked += 1
    assert checked > 5000


def test_check_character_examples() -> None:
    assert check_char("11010519491231002") == "X"
    assert is_valid_id("11010519491231002X")
    assert not is_valid_id("11010519491231002x")
    valid = "34010219900101123" + check_char("34010219900101123")
    assert upgrade_15(to_15(valid)) == valid
    assert excel_number("340102199001011234").text == "3.40102199001011E+17"
    assert unicodedata.normalize("NFKC", "３４") == "34"


def test_typos_never_validate() -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    for _ in range(500):
        body = "".join(str(d) for d in rng.integers(0, 10, 17))
        valid = body + check_char(body)
        assert not is_valid_id(typo_swap(valid, rng))
