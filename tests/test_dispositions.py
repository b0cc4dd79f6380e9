"""monitor.dispositions: what a caseworker's disposition must name before it is stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import build_small_input, run
from monitor.dispositions import record_disposition
from monitor.errors import DispositionError
from monitor.state import open_state

DAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dispositions")
    path = root / "s.duckdb"
    run(build_small_input(root / "in"), root / "out", path)
    return path


def warned(state: Path) -> tuple[str, str, str, object]:
    with open_state(state) as engine:
        key, code, tier, amount = engine.execute(
            "select household_key, code, tier, amount from signal_summary order by all limit 1"
        )[0]
    return str(key), str(code), str(tier), amount


def test_a_disposition_is_recorded_against_the_signal_as_it_is_now(state: Path) -> None:
    key, code, tier, amount = warned(state)
    with open_state(state) as engine:
        got = record_disposition(engine, key, code, "已核实-已救助", DAY, "已发放临时救助")
        stored = engine.execute(
            "select outcome, decided_on, tier, note from dispositions where household_key = ?",
            [key],
        )
    assert got == (tier, None if amount is None else float(amount))  # type: ignore[arg-type]
    assert stored == [("已核实-已救助", DAY, tier, "已发放临时救助")]


@pytest.mark.parametrize(
    ("code", "outcome", "message"),
    [
        ("NO_SUCH_SIGNAL", "已核实-已救助", "not a signal"),
        (None, "done", "not an outcome"),
    ],
)
def test_an_unknown_code_or_outcome_is_refused(
    state: Path, code: str | None, outcome: str, message: str
) -> None:
    key, known, _, _ = warned(state)
    with open_state(state) as engine, pytest.raises(DispositionError, match=message):
        record_disposition(engine, key, code or known, outcome, DAY)


def test_a_household_never_warned_is_refused_naming_the_key(state: Path) -> None:
    _, code, _, _ = warned(state)
    with open_state(state) as engine, pytest.raises(DispositionError, match="家庭编号"):
        record_disposition(engine, "NO-SUCH-HOUSEHOLD", code, "无法联系", DAY)


def test_the_signal_may_be_given_in_words(state: Path) -> None:
    from monitor.signals import CATALOG

    key, code, tier, _ = warned(state)
    with open_state(state) as engine:
        got = record_disposition(engine, key, CATALOG[code].label, "无法联系", DAY)
        assert got[0] == tier
        assert engine.execute(
            "select code from dispositions where household_key = ? and outcome = '无法联系'", [key]
        ) == [(code,)]


def test_a_signal_the_household_does_not_carry_is_refused(state: Path) -> None:
    from monitor.signals import CATALOG

    key, _, _, _ = warned(state)
    with open_state(state) as engine:
        carried = {r[0] for r in engine.execute(
            "select code from signal_summary where household_key = ?", [key])}  # fmt: skip
        other = next(c for c in CATALOG if c not in carried)
        with pytest.raises(DispositionError, match="does not carry"):
            record_disposition(engine, key, other, "无法联系", DAY)
