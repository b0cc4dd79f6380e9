"""monitor evaluate's signal figures on a hand-made truth: recall by tier, quiet households,
codes that must stay absent, and members the truth keys to another household."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from citygen.evaluate import evaluate_signals


def _write(path: Path, rows: dict[str, list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(rows).write_csv(path)


def test_signals_quiet_and_absent(tmp_path: Path) -> None:
    truth, out = tmp_path / "truth", tmp_path / "out"
    _write(
        truth / "persons.csv",
        {
            "person_id": ["P1", "P2", "P3", "P4", "P5"],
            "household_id": ["H1", "H1", "H1", "H2", "H3"],
            # P3 lives with P1 and P2 but only the rural list has them together
            "expected_household_key": ["K1", "K1", "XC:R1", "", "K3"],
        },
    )
    _write(
        truth / "situations.csv",
        {
            "household_id": ["H1", "H1", "H2"],
            "expected_household_key": ["K1", "K1", ""],
            "person_id": ["P1", "P1", "P4"],
            "code": ["INCOME_ABOVE_STANDARD", "RURAL_RISK", "MED_OOP_HIGH"],
            "tier": ["review", "orange", "orange"],
        },
    )
    _write(truth / "quiet.csv", {"household_id": ["H3"], "expected_household_key": ["K3"]})
    _write(
        truth / "absent.csv",
        {
            "household_id": ["H1", "H1", "H2"],
            "expected_household_key": ["K1", "K1", ""],
            "code": ["INCOME_EDGE", "INCOME_BELOW_STANDARD", "MED_ASSIST_MISSING"],
        },
    )
    _write(
        out / "warnings.csv",
        {
            "household_key": ["K1", "XC:R1", "GR:1"],
            "codes": [
                "INCOME_ABOVE_STANDARD;RURAL_RISK",
                "RURAL_RISK;INCOME_EDGE",
                "MED_OOP_HIGH;MED_ASSIST_MISSING",
            ],
            "signal_tiers": [
                "INCOME_ABOVE_STANDARD=review;RURAL_RISK=orange",
                "RURAL_RISK=orange;INCOME_EDGE=yellow",
                "MED_OOP_HIGH=red;MED_ASSIST_MISSING=yellow",
            ],
            "member_ids": ["P1;P2", "P3", "P4"],
        },
    )
    table, summary = evaluate_signals(out, truth)
    rows = {(r["code"], r["tier"]): r for r in table.iter_rows(named=True)}
    assert rows[("INCOME_ABOVE_STANDARD", "review")]["found_with_tier"] == 1
    assert rows[("RURAL_RISK", "orange")]["found_with_tier"] == 1
    oop = rows[("MED_OOP_HIGH", "orange")]
    assert (oop["found_with_tier"], oop["found_any_tier"]) == (0, 1)  # found red, via P4
    assert summary["recall_with_tier"] == 2 / 3
    assert (summary["quiet_households"], summary["quiet_warned"]) == (1, 0)
    # H2's warning carries MED_ASSIST_MISSING; XC:R1's INCOME_EDGE is P3's own household's
    assert (summary["absent"], summary["absent_violated"]) == (3, 1)


def test_no_absent_file(tmp_path: Path) -> None:
    truth, out = tmp_path / "truth", tmp_path / "out"
    _write(truth / "persons.csv", {"person_id": ["P1"], "household_id": ["H1"],
                                   "expected_household_key": ["K1"]})  # fmt: skip
    _write(
        truth / "situations.csv",
        {"household_id": ["H1"], "expected_household_key": ["K1"], "person_id": ["P1"],
         "code": ["DECEASED"], "tier": ["review"]},
    )  # fmt: skip
    _write(truth / "quiet.csv", {"household_id": ["H9"], "expected_household_key": ["K9"]})
    _write(
        out / "warnings.csv",
        {"household_key": ["K1"], "codes": ["DECEASED"], "signal_tiers": ["DECEASED=review"],
         "member_ids": ["P1"]},
    )  # fmt: skip
    _, summary = evaluate_signals(out, truth)
    assert summary["recall_with_tier"] == 1.0
    assert (summary["absent"], summary["absent_violated"]) == (0, 0)
