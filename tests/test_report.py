"""report.py on a tiny state: each file's balance, the sections that appear only when there is
something to say (failed, unread and empty files, unknown townships), each source's age, the
provisional-policy notice, escaping, and no personal data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest

from conftest import A_CHILD, A_HEAD, B, build_small_input, run
from monitor.engine import Engine
from monitor.policy import POLICY_DIR, Policy, load_policy
from monitor.report import build_report

AS_OF = dt.date(2026, 11, 15)
RUN_ID = AS_OF.isoformat()
EARLIER = "2026-10-15"
PUBLISHED = SimpleNamespace(
    by_tier={"red": 2, "orange": 1, "yellow": 0, "review": 0}, new=2, resolved=1
)


def policy() -> Policy:
    return load_policy(POLICY_DIR / "2026.yaml")[0]


@pytest.fixture
def engine(template_engine: Engine) -> Engine:
    """This test's copy of the template state (tests/conftest.py)."""
    return template_engine


def put(engine: Engine, table: str, rows: list[dict[str, Any]]) -> None:
    engine.append(table, pl.DataFrame(rows))


def delivery(source: str, name: str, digest: str, outcome: str, records: int | None,
             run_id: str = RUN_ID, reason: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"run_id": run_id, "source": source, "file_name": name, "file_hash": digest,
            "outcome": outcome, "records": records, "reason": reason}  # fmt: skip


def file(digest: str, source: str, name: str, records: int) -> dict[str, Any]:
    return {"file_hash": digest, "source": source, "file_name": name, "records": records,
            "title_rows": 1, "blank_rows": 0, "total_rows": 0}  # fmt: skip


def give_deliveries(engine: Engine) -> None:
    put(engine, "deliveries", [
        delivery("hotline", "工单.csv", "h1", "loaded", 2),
        delivery("hotline", "<b>x</b>.csv", "h2", "loaded", 3),  # one record not linked
        delivery("roster", "名单.xlsx", "r0", "loaded", 2, run_id=EARLIER),
        delivery("education", "bad.csv", "", "failed", 4, reason="缺少必需列：学籍状态"),
        delivery("hr", "empty.csv", "z1", "loaded", 0, reason="只有表头"),
        delivery("hr", "~$lock.xlsx", "", "skipped", None, reason="Excel 锁文件"),
    ])  # fmt: skip
    put(engine, "files", [file("h1", "hotline", "工单.csv", 2),
                          file("h2", "hotline", "<b>x</b>.csv", 3),
                          file("r0", "roster", "名单.xlsx", 2), file("z1", "hr", "empty.csv", 0)])  # fmt: skip
    links = [("hotline", "h1", 1, "exact"), ("hotline", "h1", 2, "quarantined"),
             ("hotline", "h2", 1, "fuzzy"), ("hotline", "h2", 2, "unmatched"),
             ("roster", "r0", 1, "exact"), ("roster", "r0", 2, "repaired")]  # fmt: skip
    put(engine, "record_links", [{"source": s, "file_hash": f, "_row": r, "method": m}
                                 for s, f, r, m in links])  # fmt: skip


def report(engine: Engine, **kwargs: Any) -> str:
    args: dict[str, Any] = {"policy_hash": "0" * 64, "published": PUBLISHED} | kwargs
    args.setdefault("policy", policy())
    return build_report(engine, RUN_ID, AS_OF, "2026.yaml", **args)


def row_of(html: str, cell: str) -> str:
    start = html.index(f"<td class='l'>{cell}</td>")
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def test_each_file_balances_or_says_it_does_not(engine: Engine) -> None:
    give_deliveries(engine)
    html = report(engine)
    assert row_of(html, "工单.csv").endswith("<td>1</td><td>0</td><td>0</td><td>平衡</td>")
    assert "<td>不平衡</td>" in row_of(html, "&lt;b&gt;x&lt;/b&gt;.csv")  # escaped, and 3 != 2
    failed = row_of(html, "bad.csv")  # its 4 records all quarantined
    assert "<td class='l'>失败</td><td>4</td><td>0</td>" in failed and failed.endswith(
        "<td>平衡</td>"
    )
    assert "<td class='l'>未读取（跳过）</td>" in row_of(html, "~$lock.xlsx")


def test_failed_unread_and_empty_files_get_their_sections(engine: Engine) -> None:
    give_deliveries(engine)
    html = report(engine)
    assert "<h2 class='bad'>失败的文件</h2>" in html and "缺少必需列：学籍状态" in html
    assert "<h2>未读取的文件（跳过）</h2>" in html and "Excel 锁文件" in html
    assert "<h2 class='bad'>空文件（只有表头，0 条数据记录）</h2>" in html and "只有表头" in html


def test_a_quiet_run_has_no_problem_sections(engine: Engine) -> None:
    put(engine, "deliveries", [delivery("hotline", "工单.csv", "h1", "loaded", 1)])
    put(engine, "files", [file("h1", "hotline", "工单.csv", 1)])
    put(engine, "record_links", [{"source": "hotline", "file_hash": "h1", "_row": 1,
                                  "method": "exact"}])  # fmt: skip
    html = report(engine)
    for heading in ("失败的文件", "未读取的文件", "空文件", "不在行政区划参考表中"):
        assert heading not in html
    assert "不平衡" not in html and "所有文件均通过全部期望。" in html


def test_each_sources_age(engine: Engine) -> None:
    give_deliveries(engine)
    html = report(engine)
    ages = html[html.index("<h2>各来源数据时效</h2>") :]
    assert row_of(ages, "12345热线（hotline）").endswith(f"<td class='l'>{RUN_ID}</td><td class='l'>本次已报送</td>")  # fmt: skip
    assert "沿用 31 天前的数据" in row_of(ages, "民政低收入人口库（roster）")  # a snapshot
    assert "<td class='l'>从未报送</td>" in row_of(ages, "教育学籍（education）")  # failed only
    assert "从未报送（本次只收到空文件）" in row_of(ages, "人社就业参保（hr）")


def test_unknown_townships_and_warnings_by_township(engine: Engine) -> None:
    put(engine, "households", [{"household_key": "F1", "township": "郎琊街道", "county": "341102",
                                "township_in_reference": False}])  # fmt: skip
    put(engine, "warnings_current", [
        {"household_key": "F1", "county": "341102", "township": "郎琊街道", "tier": "red",
         "score": 1.0, "codes": "DROPOUT"},
    ])  # fmt: skip
    html = report(engine)
    assert "<h2>不在行政区划参考表中的乡镇（街道）</h2>" in html
    assert "<tr><td class='l'>郎琊街道</td><td class='l'>341102</td><td>1</td></tr>" in html
    assert "<td class='l'>341102</td><td class='l'>郎琊街道</td><td>1</td><td>0</td>" in html


def test_tiers_come_from_what_was_published(engine: Engine) -> None:
    html = report(engine)
    assert "<tr><td class='l'>红色</td><td>2</td></tr>" in html
    assert "<p>新增 2 户；已解除 1 户。</p>" in html


def test_a_provisional_policy_is_said_and_read_again_from_the_runs_file(engine: Engine) -> None:
    provisional = POLICY_DIR / "2027.yaml"
    policy_2027, digest = load_policy(provisional)
    assert policy_2027.provisional
    put(engine, "runs", [{"run_id": RUN_ID, "as_of": AS_OF, "started_at": dt.datetime(2026, 11, 15),
                          "status": "running", "policy_file": str(provisional)}])  # fmt: skip
    assert "临时版本" in report(engine, policy=policy_2027)
    assert "临时版本" in report(engine, policy=None, policy_hash=digest)  # read again
    assert "临时版本" not in report(engine, policy=None)  # another file's hash: not that one
    assert "临时版本" not in report(engine)  # the 2026 file is final


def test_report_has_no_personal_data(tmp_path: Path) -> None:
    """End to end on the small input."""
    root = build_small_input(tmp_path / "in")
    run(root, tmp_path / "out", tmp_path / "s.duckdb")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for secret in (A_HEAD, A_CHILD, B, "张伟", "13812345678"):
        assert secret not in html
    assert "平衡" in html and "不平衡" not in html
