"""publish.py's own behaviour on a tiny state: the CSV format and its formula safety, the
columns Python adds to warnings.csv (救助建议, 新增/持续, 处置时限), the owner-only output folder
moved into place whole, and the warning history a later run compares with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from conftest import put
from monitor import publish
from monitor.contracts import contracts
from monitor.engine import Engine
from monitor.policy import POLICY_DIR, Policy, load_policy

AS_OF = dt.date(2026, 11, 15)  # a Sunday
RUN_ID = AS_OF.isoformat()
NEXT = dt.date(2026, 11, 16)
A_ID = "34110219800101011X"
B_ID = "341122197005050413"


def policy() -> Policy:
    return load_policy(POLICY_DIR / "2026.yaml")[0]


@pytest.fixture
def engine(template_engine: Engine) -> Engine:
    """This test's copy of the template state (tests/conftest.py)."""
    return template_engine


def warning(key: str, tier: str, score: float, **values: Any) -> dict[str, Any]:
    rank = {"red": 1, "orange": 2, "yellow": 3, "review": 4}[tier]
    return {
        "household_key": key, "kind": "在册对象", "county": "341102", "township": "琅琊街道",
        "village": "东门社区", "tier": tier, "score": score, "codes": "DROPOUT",
        "green_channel": False, "member_ids": A_ID, "explanation": "【红色】学生辍学：初中辍学。",
        "code_tiers": f"DROPOUT={rank}", "signal_tiers": f"DROPOUT={tier}", "category": "低保",
        "roster_status": "在保", "exit_months": None, "no_member_left": False,
    } | values  # fmt: skip


def give_run(engine: Engine, run_id: str, status: str = "completed") -> None:
    put(engine, "runs", [{"run_id": run_id, "as_of": dt.date.fromisoformat(run_id),
                          "started_at": dt.datetime(2026, 11, 1), "status": status}])  # fmt: skip


def give_warnings(engine: Engine) -> None:
    put(engine, "warnings_current", [
        warning("F001", "red", 60.0),
        warning("XC:9", "orange", 30.0, kind="主动发现", county="341122", township="待分派",
                village=None, green_channel=True, member_ids=B_ID,
                code_tiers="MED_OOP_HIGH=2;DECEASED=4", codes="DECEASED;MED_OOP_HIGH",
                category="特困", no_member_left=True, explanation="=HYPERLINK(\"x\")"),
    ])  # fmt: skip


# ------------------------------------------------------------------ CSV


def test_the_escape_is_reversible_and_leaves_plain_text_alone() -> None:
    cells = ["=1+1", "+86 138", "-3", "@SUM(A1)", "\tx", "\rx", "'3401", "张三", "a=b", None]
    escaped = publish.neutralise_formulas(pl.DataFrame({"c": cells}))["c"].to_list()
    assert escaped[:7] == ["'" + c for c in cells[:7]]
    assert escaped[7:] == cells[7:]
    undone = [c[1:] if c and c.startswith("'") else c for c in escaped]
    assert undone == cells


def test_numeric_columns_are_left_as_numbers() -> None:
    frame = pl.DataFrame({"score": [-3.5], "row": [-1], "name": ["-3"]})
    assert publish.neutralise_formulas(frame).row(0) == (-3.5, -1, "'-3")


def test_csv_is_utf8_with_bom_a_header_lf_lines_and_quotes_only_where_needed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.csv"
    frame = pl.DataFrame({"name": ["张三", "a,b", "=1+1", None], "score": [1.5, None, 2.0, 0.0]})
    publish.write_csv(frame, path)
    assert path.read_bytes() == ('\ufeffname,score\n张三,1.5\n"a,b",\n\'=1+1,2.0\n,0.0\n'.encode())


def test_a_csv_written_in_parts_is_the_same_bytes(tmp_path: Path) -> None:
    """links.csv is written a part at a time (publish.write_links): the same file as at once."""
    frame = pl.DataFrame(
        {"name": ["张三", "a,b", "=1+1", None, "'x"], "score": [1.5, None, 2.0, 0.0, 3.0]}
    )
    publish.write_csv(frame, tmp_path / "whole.csv")
    publish.write_csv(iter([frame[:2], frame[2:3], frame[3:]]), tmp_path / "parts.csv")
    assert (tmp_path / "whole.csv").read_bytes() == (tmp_path / "parts.csv").read_bytes()


# ------------------------------------------------------------------ the frames


def test_warnings_get_assistance_status_deadline_and_lower_case_green_channel(
    engine: Engine,
) -> None:
    give_warnings(engine)
    give_run(engine, "2026-10-15")
    put(engine, "warning_history", [{"run_id": "2026-10-15", "as_of": dt.date(2026, 10, 15),
                                     "household_key": "F001", "tier": "red", "codes": "DROPOUT"}])  # fmt: skip
    previous = publish.previous_run(engine, AS_OF)
    assert previous == ("2026-10-15", dt.date(2026, 10, 15))
    frame = publish.warnings_frame(engine, policy(), AS_OF, previous[0])
    assert frame.columns == publish.WARNING_COLUMNS
    assert frame.select("household_key", "assistance", "status", "deadline", "green_channel").rows() == [
        # red: 1 working day after Sunday 11-15; orange: 3
        ("F001", "教育救助;控辍保学", "持续", "2026-11-16", "false"),
        ("XC:9", "医疗救助;减员;停发", "新增", "2026-11-18", "true"),
    ]  # fmt: skip


def test_without_a_previous_run_every_warning_is_new_and_nothing_resolved(engine: Engine) -> None:
    give_warnings(engine)
    give_run(engine, RUN_ID, status="running")  # this run itself is not a previous one
    assert publish.previous_run(engine, AS_OF) is None
    assert set(publish.warnings_frame(engine, policy(), AS_OF, None)["status"]) == {"新增"}
    resolved = publish.resolved_frame(engine, None)
    assert resolved.height == 0 and resolved.columns == publish.RESOLVED_COLUMNS


def test_contract_columns_label_every_column_of_every_contract() -> None:
    frame = publish.contract_columns()
    assert frame.columns == ["source", "column_name", "label"]
    assert frame.height == sum(len(c.columns) for c in contracts().values())
    assert ("hotline", "content", "诉求内容") in frame.rows()


def test_the_quarantine_query_leaves_no_frame_registered(engine: Engine) -> None:
    publish.quarantine_frame(engine, RUN_ID)
    assert not engine.has_table("contract_columns")


# ------------------------------------------------------------------ the output folder


def give_a_run(engine: Engine) -> None:
    """Two warned households, one file of two records (one quarantined) and its evidence."""
    give_warnings(engine)
    put(engine, "deliveries", [{"run_id": RUN_ID, "source": "hotline", "file_name": "工单.csv",
                                "file_hash": "h1", "outcome": "loaded", "records": 2}])  # fmt: skip
    put(engine, "files", [{"file_hash": "h1", "source": "hotline", "file_name": "工单.csv",
                           "records": 2, "title_rows": 0, "blank_rows": 0, "total_rows": 2}])  # fmt: skip
    put(engine, "record_links", [
        {"source": "hotline", "file_hash": "h1", "_row": 1, "person_id": A_ID, "method": "exact"},
        {"source": "hotline", "file_hash": "h1", "_row": 2, "method": "quarantined"},
    ])  # fmt: skip
    put(engine, "records_current", [
        {"source": "hotline", "file_hash": "h1", "_row": 1, "person_id": A_ID,
         "id_status": "valid", "name": "张伟", "phone_norm": "13812345678"},
        {"source": "hotline", "file_hash": "h1", "_row": 2, "id_status": "missing",
         "quarantine_reason": "身份证号和诉求人均为空"},
    ])  # fmt: skip


def publish_run(
    engine: Engine, out: Path, as_of: dt.date = AS_OF, **kwargs: Any
) -> publish.Published:
    return publish.publish(engine, out, as_of.isoformat(), as_of, policy(), **kwargs)


def test_every_file_is_written_owner_only_and_counted(engine: Engine, tmp_path: Path) -> None:
    give_a_run(engine)
    out = tmp_path / "out"
    published = publish_run(engine, out)
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    departments = [f"departments/{d}.xlsx" for d in sorted(policy().referral.department_names())]
    assert names == [
        "departments", *departments,
        "links.csv", "quarantine.csv", "resolved.csv", "review.csv", "review.xlsx", "townships",
        "townships/来安县_待分派.xlsx", "townships/琅琊区_琅琊街道.xlsx", "warnings.csv", "汇总.xlsx",
    ]  # fmt: skip
    assert out.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == (0o700 if p.is_dir() else 0o600) for p in out.rglob("*"))
    assert (published.warnings, published.new, published.resolved, published.quarantined) == (
        2, 2, 0, 1,
    )  # fmt: skip
    assert published.by_tier == {"red": 1, "orange": 1, "yellow": 0, "review": 0}
    assert published.links == {"exact": 1, "repaired": 0, "fuzzy": 0, "review": 0,
                               "unmatched": 0, "quarantined": 1}  # fmt: skip
    assert published.workbooks == 2
    assert published.referrals == len(
        [i for w in pl.read_csv(out / "warnings.csv")["assistance"] for i in w.split(";") if i]
    )  # every 救助建议 of every warning, in one department's list
    warnings = (out / "warnings.csv").read_text(encoding="utf-8-sig")
    assert warnings.splitlines()[0] == ",".join(publish.WARNING_COLUMNS)
    assert "'=HYPERLINK" in warnings  # formula-safe
    assert (out / "quarantine.csv").read_text(encoding="utf-8-sig").splitlines()[1] == (
        'hotline,工单.csv,2,身份证号和诉求人均为空,身份证号 / 诉求人,""'
    )  # an empty value is "", a missing one (a failed file's row) empty
    assert not list(tmp_path.glob(".out.*"))  # no temporary or old folder left beside it


def test_the_next_run_sees_the_history_continuing_and_resolved(
    engine: Engine, tmp_path: Path
) -> None:
    give_a_run(engine)
    publish_run(engine, tmp_path / "out")
    give_run(engine, RUN_ID)  # completed (the runner records it after publishing)
    engine.execute("delete from warnings_current where household_key = 'XC:9'")
    published = publish_run(engine, tmp_path / "next", NEXT)
    assert (published.new, published.resolved) == (0, 1)
    resolved = (tmp_path / "next" / "resolved.csv").read_text(encoding="utf-8-sig")
    assert resolved.splitlines()[1:] == [
        "XC:9,341122,待分派,DECEASED;MED_OOP_HIGH,已解除,2026-11-15"
    ]
    history = engine.frame("select run_id, household_key from warning_history order by all")
    assert history.rows() == [(RUN_ID, "F001"), (RUN_ID, "XC:9"), (NEXT.isoformat(), "F001")]


def test_publishing_the_same_as_of_again_replaces_its_history(
    engine: Engine, tmp_path: Path
) -> None:
    give_a_run(engine)
    publish_run(engine, tmp_path / "out")
    publish_run(engine, tmp_path / "out")
    assert engine.frame("select count(*) as n from warning_history").item() == 2


def test_a_failure_leaves_the_previous_output_and_no_half_written_copy(
    engine: Engine, tmp_path: Path
) -> None:
    give_a_run(engine)
    out = tmp_path / "out"
    publish_run(engine, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    engine.execute("delete from warnings_current where household_key = 'XC:9'")

    def broken(folder: Path, published: publish.Published) -> None:
        (folder / "report.html").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        publish_run(engine, out, extra_writers=[broken])
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    assert not (out / "report.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    # the history is kept only for a published list: still both households
    assert engine.frame("select count(*) as n from warning_history").item() == 2


def test_extra_writers_write_into_the_folder_before_it_moves(
    engine: Engine, tmp_path: Path
) -> None:
    give_a_run(engine)
    seen: list[int] = []

    def report(folder: Path, published: publish.Published) -> None:
        seen.append(published.warnings)
        (folder / "report.html").write_text("ok", encoding="utf-8")

    publish_run(engine, tmp_path / "out", extra_writers=[report])
    assert seen == [2]
    assert (tmp_path / "out" / "report.html").stat().st_mode & 0o777 == 0o600


def test_the_new_output_takes_the_old_ones_place_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Where the system swaps folders atomically, OUT is never absent: the new folder and
    the old one exchange places and the old is removed; without the swap, two renames."""
    for swap in (True, False):
        out, tmp = tmp_path / f"out{swap}", tmp_path / f".out{swap}.tmp-1"
        out.mkdir()
        (out / "old.csv").write_text("old", encoding="utf-8")
        tmp.mkdir()
        (tmp / "new.csv").write_text("new", encoding="utf-8")
        if not swap:
            monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
        publish._move_into_place(tmp, out)
        assert [p.name for p in out.iterdir()] == ["new.csv"] and not tmp.exists()
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_output_left_between_two_renames_is_put_back(tmp_path: Path) -> None:
    """A process that died between the fallback's two renames left OUT at .OUT.old-PID:
    the next run's clean-up puts it back where readers look for it."""
    from monitor.state import remove_output_leftovers

    old = tmp_path / ".out.old-999999999"
    old.mkdir()
    (old / "warnings.csv").write_text("household_key\n", encoding="utf-8")
    remove_output_leftovers(tmp_path / "out")
    assert (tmp_path / "out" / "warnings.csv").exists() and not old.exists()
