import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from monitor import normalize as nz
from monitor.counties import county_codes, county_years

WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def _apply(expr_fn, values):  # type: ignore[no-untyped-def]
    return pl.DataFrame({"v": values}, schema={"v": pl.String}).select(expr_fn(pl.col("v")))


def _ids(values: list[str | None]) -> list[dict]:
    frame = nz.normalize_ids(pl.DataFrame({"v": values}, schema={"v": pl.String}), "v", "id")
    return (
        frame.select(pl.struct(id="id", status="id_status", prefix="id_prefix"))
        .to_series()
        .to_list()
    )


def _valid(body17: str) -> str:
    return (
        body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]
    )


GOOD = _valid("34010219900101123")  # -> 340102199001011236


def test_id_cases() -> None:
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in GOOD)
    x_id = _valid("34110219850707002") if _valid("34110219850707002").endswith("X") else None
    rows = _ids([GOOD, fullwidth, f" {GOOD[:6]} {GOOD[6:]}", f"'{GOOD}", GOOD[:6] + GOOD[8:17],
                 "3.40102199001011E+17", GOOD[:17] + ("1" if GOOD[17] != "1" else "2"), "", None, "abc"])  # fmt: skip
    assert [r["status"] for r in rows] == [
        "valid", "repaired", "repaired", "repaired", "repaired",
        "truncated", "bad_check", "missing", "missing", "invalid",
    ]  # fmt: skip
    assert [r["id"] for r in rows[:5]] == [GOOD] * 5
    assert rows[5]["prefix"] == "340102199001011"
    assert rows[6]["id"] is None and rows[6]["prefix"] == rows[6]["prefix"][:18]
    if x_id:
        assert _ids([x_id.lower()])[0] == {"id": x_id, "status": "repaired", "prefix": None}


def test_swapped_digits_are_a_bad_check_not_a_valid_id() -> None:
    swapped = GOOD[:10] + GOOD[11] + GOOD[10] + GOOD[12:]
    if swapped != GOOD and not ric.is_valid(swapped):
        assert _ids([swapped])[0]["status"] == "bad_check"


# The normalizers run on whole columns, so each example is a column of values.
@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=60))
def test_id_normalizer_never_raises_and_is_idempotent(texts: list[str]) -> None:
    first = [r["id"] for r in _ids(list(texts)) if r["id"] is not None]
    if first:
        again = _ids(list(first))
        assert again == [{"id": i, "status": "valid", "prefix": None} for i in first]


def _usable_ranges() -> list[tuple[str, int, int]]:
    out = []
    for code, ranges in sorted(county_years().items()):
        for start, end in ranges:
            lo, hi = max(start or 1900, 1900), min(end or 2026, 2026)
            if lo <= hi:
                out.append((code, lo, hi))
    return out


RANGES = _usable_ranges()


def _county_and_year_in_range(draw: st.DrawFn) -> tuple[str, dt.date]:
    code, lo, hi = draw(st.sampled_from(RANGES))
    born = draw(st.dates(min_value=dt.date(lo, 1, 1), max_value=dt.date(hi, 12, 31)))
    return code, born


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.composite(_county_and_year_in_range)(),
            st.integers(min_value=0, max_value=999),
            st.sampled_from("0123456789X"),
        ),
        min_size=1,
        max_size=100,
    )
)
def test_id_validator_agrees_with_stdnum(cases: list[tuple[tuple[str, dt.date], int, str]]) -> None:
    candidates = [f"{c}{born:%Y%m%d}{seq:03d}{check}" for (c, born), seq, check in cases]
    ours = [
        r["id"] is not None and c[:6] in county_codes()
        for r, c in zip(_ids(candidates), candidates, strict=True)
    ]
    assert ours == [ric.is_valid(c) for c in candidates]


def test_county_existing_after_the_birth_year_is_accepted_unlike_stdnum() -> None:
    # 341102 琅琊区 exists since 1992; elders born before carry its code on real IDs.
    elder = _valid("34110219500101001")
    assert _ids([elder])[0]["status"] == "valid"
    assert not ric.is_valid(elder)  # stdnum's birth-year rule; documented in counties.py


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["340102", "341102", "110101", "440305", "341122"]),
            st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 12, 31)),
            st.integers(min_value=0, max_value=999),
            st.sampled_from("0123456789X"),
        ),
        min_size=1,
        max_size=100,
    )
)
def test_id_checksum_agrees_with_stdnum(cases: list[tuple[str, dt.date, int, str]]) -> None:
    # Check character and birth date, whatever the county's history.
    candidates = [f"{c}{born:%Y%m%d}{seq:03d}{check}" for c, born, seq, check in cases]
    ours = [r["id"] is not None for r in _ids(candidates)]
    assert ours == [ric.calc_check_digit(c) == c[17] for c in candidates]


def test_names() -> None:
    out = _apply(nz.normalize_name, [" 張 偉 ", "买买提.艾力", "买买提•艾力", "ＡＢ", "  ", None])
    assert out.to_series().to_list() == ["张伟", "买买提·艾力", "买买提·艾力", "AB", None, None]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=50))
def test_name_normalizer_is_idempotent(texts: list[str]) -> None:
    once = _apply(nz.normalize_name, list(texts)).to_series().to_list()
    twice = _apply(nz.normalize_name, once).to_series().to_list()
    assert once == twice


def test_dates() -> None:
    values = ["2026-10-05", "2026/10/5", "20261005", "2026年10月5日", "2026.10.05", "46300",
              "2026-10-05 14:03:00", "", "2026-02-30", "garbage"]  # fmt: skip
    out = nz.normalize_dates(pl.DataFrame({"d": values}, schema={"d": pl.String}), ["d"])[
        "d"
    ].to_list()
    assert out[:7] == [dt.date(2026, 10, 5)] * 7
    assert out[7:] == [None, None, None]


def test_amounts_blank_is_unknown_and_refunds_stay_negative() -> None:
    values = ["1234.5", "1,234.50", "1234.5元", "￥1234.50", "", None, "-300", "abc"]
    out = _apply(nz.normalize_amount, values).to_series().to_list()
    assert out == [1234.5] * 4 + [None, None, -300.0, None]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=50))
def test_date_and_amount_never_raise(texts: list[str]) -> None:
    for fn in (nz.normalize_amount, nz.normalize_phone, nz.normalize_integer):
        assert _apply(fn, list(texts)).height == len(texts)
    frame = pl.DataFrame({"d": list(texts)}, schema={"d": pl.String})
    assert nz.normalize_dates(frame, ["d"]).height == len(texts)


def test_disability_card() -> None:
    frame = pl.DataFrame({"c": [GOOD + "42", GOOD + "9", "", GOOD[:6] + " " + GOOD[6:] + "11"]})
    out = nz.normalize_cards(frame, "c", "id").to_dicts()
    assert (out[0]["id"], out[0]["id_category"], out[0]["id_grade"], out[0]["id_status"]) == (
        GOOD,
        4,
        2,
        "valid",
    )
    assert out[1]["id_grade"] is None
    assert out[2]["id_status"] == "missing"
    assert out[3]["id_status"] == "repaired"


def test_disability_card_typed_as_a_number_keeps_the_id_prefix() -> None:
    """Excel keeps 15 significant digits of the 20: the ID's first 15, as for an E+17 ID."""
    card = f"{float(GOOD + '42'):.14E}"  # e.g. 3.40102199001011E+19
    out = nz.normalize_cards(pl.DataFrame({"c": [card]}), "c", "id").row(0, named=True)
    assert out["id_status"] == "truncated"
    assert out["id_prefix"] in (GOOD[:15], str(int(GOOD[:15]) + 1))
    assert out["id"] is None and out["id_grade"] is None


_CELLS = st.lists(
    st.one_of(
        st.none(),
        st.text(max_size=12),
        st.text(alphabet=" \t\u3000\u00a0\u200b\ufeff\n", max_size=4),
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    ),
    min_size=1,
    max_size=60,
)


@given(_CELLS)
def test_fast_paths_agree_with_the_full_clean_up(cells: list[str | None]) -> None:
    """present() and the plain-number shortcut of normalize_amount change speed, not results."""
    frame = pl.DataFrame({"v": cells}, schema={"v": pl.String})
    got = frame.select(
        nz.present(pl.col("v")).alias("present"), nz.normalize_amount(pl.col("v")).alias("amount")
    )
    want = frame.select(
        nz.blank_to_null(pl.col("v")).is_not_null().alias("present"),
        nz._amount_text(pl.col("v")).alias("amount"),
    )
    assert got.equals(want)


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), min_size=1, max_size=20))
def test_per_distinct_names_and_labels_equal_the_direct_clean_up(cells: list[str | None]) -> None:
    """Repeated values take the distinct-values path; it must not change any result."""
    repeated = cells * 3
    frame = pl.DataFrame({"v": repeated}, schema={"v": pl.String})
    synonyms = {"支出型困难": "刚性支出困难", "a": "b"}
    got = frame.select(
        nz.normalize_name(pl.col("v")).alias("name"),
        nz.normalize_category(pl.col("v"), synonyms).alias("label"),
    )
    text = nz.blank_to_null(pl.col("v")).str.replace_all(nz._SPACES, "")
    want = frame.select(
        nz._name_text(pl.col("v")).alias("name"), text.replace(synonyms).alias("label")
    )
    assert got.equals(want)
