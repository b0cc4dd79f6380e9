"""monitor.link: the linking stage's wiring (the rules are the models' tests in tests/sql/)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import A_HEAD, build_small_input, run
from monitor import link
from monitor.contracts import contracts
from monitor.state import open_state


def test_the_source_catalog_is_the_contracts() -> None:
    catalog = link.source_catalog()
    assert catalog["source"].to_list() == list(contracts())
    by_source = {r["source"]: r for r in catalog.iter_rows(named=True)}
    assert by_source["medical_insurance"]["kind"] == "event"
    assert by_source["roster"]["kind"] == "snapshot"
    assert [s for s, r in by_source.items() if r["household_register"]] == ["roster", "rural"]
    assert [s for s, r in by_source.items() if r["by_phone"]] == ["hotline", "grid"]  # heard names
    assert all(r["label"] for r in by_source.values())


def test_linking_builds_a_view_per_source_and_accounts_for_every_current_record(
    tmp_path: Path,
) -> None:
    """After a run: one linked_<source> view per contract, every current record has exactly
    one link, and link() reports the records by method with nothing missing."""
    state = tmp_path / "s.duckdb"
    run(build_small_input(tmp_path / "in"), tmp_path / "out", state)
    with open_state(state) as engine:
        for source in contracts():
            assert engine.has_table(f"linked_{source}"), source
        current = engine.execute("select count(*) from records_current")[0][0]
        links = engine.execute("select count(*), count(distinct (source, file_hash, _row)) from record_links")  # fmt: skip
        assert links[0] == (current, current)
        methods = link.link(engine, "2026-11-15")
        assert sum(methods.values()) == current
        assert set(methods) <= {"exact", "repaired", "fuzzy", "review", "unmatched", "quarantined"}
        head = engine.execute("select count(*) from linked_roster where person_id = ?", [A_HEAD])
        assert head[0][0] >= 1


def _linked_by(state: Path) -> str:
    with open_state(state) as engine:
        return str(engine.execute("select run_id from stage_inputs where stage = 'link'")[0][0])


def test_a_night_with_the_same_inputs_keeps_the_links_and_a_new_input_relinks(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The next night with no new file keeps the last link's tables (same links.csv); a new
    identity decision, a new file or other linkage settings make the night link again."""
    import datetime as dt

    inputs, state = build_small_input(tmp_path / "in"), tmp_path / "s.duckdb"
    run(inputs, tmp_path / "out1", state)
    assert _linked_by(state) == "2026-11-15"
    with caplog.at_level(logging.INFO, logger="monitor.link"):
        run(inputs, tmp_path / "out2", state, as_of=dt.date(2026, 11, 16))
    assert _linked_by(state) == "2026-11-15"  # kept, and the log says so
    assert "与 2026-11-15 的运行相同：沿用其匹配结果" in caplog.text
    assert (tmp_path / "out1" / "links.csv").read_bytes() == (
        tmp_path / "out2" / "links.csv"
    ).read_bytes()

    with open_state(state) as engine:  # an identity decision returned in review.xlsx
        engine.execute(
            "insert into review_decisions values ('hotline', 'h', 'x', false, null, now(), null)"
        )
    run(inputs, tmp_path / "out3", state, as_of=dt.date(2026, 11, 17))
    assert _linked_by(state) == "2026-11-17"

    with open_state(state) as engine:  # a link by other settings (a benchmark) is not kept
        link.link_records(engine, "2026-11-17")
        assert engine.execute("select count(*) from stage_inputs")[0][0] == 0
    run(inputs, tmp_path / "out4", state, as_of=dt.date(2026, 11, 18))
    assert _linked_by(state) == "2026-11-18"

    bills = inputs / "medical_insurance" / "医保结算明细_202610.csv"  # re-sent, CRLF: a new file
    (bills.parent / "医保结算明细_202610_补报.csv").write_bytes(
        bills.read_bytes().replace(b"\n", b"\r\n")
    )
    run(inputs, tmp_path / "out5", state, as_of=dt.date(2026, 11, 19))
    assert _linked_by(state) == "2026-11-19"
