"""report.py on a tiny state: the headline against the previous run, the charts (inline SVG in
the workbooks' tier colours, the same bytes every time, nothing fetched), counties by name,
each file's balance, the sections that appear only when there is something to say (failed,
unread and empty files, unknown townships), data quality per source, the provisional-policy
notice, escaping, and no personal data."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import A_CHILD, A_HEAD, B, build_small_input, put, run
from monitor.engine import Engine
from monitor.policy import POLICY_DIR, Policy, load_policy
from monitor.report import build_report
from monitor.workbooks import TIER_COLOURS

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


def section(html: str, heading: str) -> str:
    """The report from the <h2> `heading` to the next <h2>."""
    start = html.index(f"<h2>{heading}</h2>")
    end = html.find("<h2", start + 1)
    return html[start : end if end >= 0 else len(html)]


def row_of(html: str, cell: str) -> str:
    start = html.index(f"<td class='l'>{cell}</td>")
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def test_each_file_balances_or_says_it_does_not(engine: Engine) -> None:
    give_deliveries(engine)
    html = section(report(engine), "文件与记录平衡")
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
    quality = section(html, "数据质量（按来源）")
    assert "<h3 class='bad'>失败的文件（1 个，其记录均未使用）</h3>" in quality
    assert "缺少必需列：学籍状态" in quality
    assert "<h3>未读取的文件（跳过）</h3>" in quality and "Excel 锁文件" in quality
    assert "<h3 class='bad'>空文件（只有表头，0 条数据记录）</h3>" in quality
    # failed files at the top of data quality, and said in the headline
    assert quality.index("失败的文件") < quality.index("<th class='l'>主要隔离原因</th>")
    assert "本次有 1 个文件读取失败" in section(html, "预警概况")


def test_a_quiet_run_has_no_problem_sections(engine: Engine) -> None:
    put(engine, "deliveries", [delivery("hotline", "工单.csv", "h1", "loaded", 1)])
    put(engine, "files", [file("h1", "hotline", "工单.csv", 1)])
    put(engine, "record_links", [{"source": "hotline", "file_hash": "h1", "_row": 1,
                                  "method": "exact"}])  # fmt: skip
    html = report(engine)
    for heading in ("失败的文件", "文件读取失败", "未读取的文件", "空文件", "不在行政区划参考表中"):
        assert heading not in html
    assert "不平衡" not in html and "所有文件均通过全部期望。" in html


def test_each_sources_age(engine: Engine) -> None:
    give_deliveries(engine)
    html = report(engine)
    ages = html[html.index("<th class='l'>主要隔离原因</th>") :]  # data quality per source
    assert row_of(ages, "12345热线（hotline）").endswith(f"<td class='l'>{RUN_ID}</td><td class='l'>本次已报送</td>")  # fmt: skip
    assert "沿用 31 天前的数据" in row_of(ages, "民政低收入人口库（roster）")  # a snapshot
    assert "<td class='l'>从未报送</td>" in row_of(ages, "教育学籍（education）")  # failed only
    assert "从未报送（本次只收到空文件）" in row_of(ages, "人社就业参保（hr）")


def warning(
    key: str, county: str, township: str, tier: str, codes: str = "DROPOUT"
) -> dict[str, Any]:
    return {"household_key": key, "county": county, "township": township, "tier": tier,
            "score": 1.0, "codes": codes}  # fmt: skip


def test_unknown_townships_and_warnings_by_township(engine: Engine) -> None:
    put(engine, "households", [{"household_key": "F1", "township": "郎琊街道", "county": "341102",
                                "township_in_reference": False}])  # fmt: skip
    put(engine, "warnings_current", [warning("F1", "341102", "郎琊街道", "red")])
    html = report(engine)
    assert "<h3>不在行政区划参考表中的乡镇（街道）</h3>" in html
    assert "<tr><td class='l'>郎琊街道</td><td class='l'>琅琊区</td><td>1</td></tr>" in html
    towns = section(html, "按乡镇（街道）")
    assert "<td class='l'>琅琊区</td><td class='l'>郎琊街道</td><td>1</td><td>0</td>" in towns
    assert "341102" not in html  # counties by name, never by code


def test_counties_by_name_in_a_chart_and_a_table(engine: Engine) -> None:
    put(engine, "warnings_current", [
        warning("A", "341102", "琅琊街道", "red"), warning("B", "341102", "琅琊街道", "orange"),
        warning("C", "342322", "半塔镇", "yellow"),  # a former code of 来安县
        warning("D", "110101", "待分派", "review"),  # outside the city
    ])  # fmt: skip
    counties = section(report(engine), "按区县")
    assert counties.count("<svg class='chart'") == 1
    assert (
        "<tr><td class='l'>琅琊区</td><td>1</td><td>1</td><td>0</td><td>0</td><td>2</td></tr>"
        in counties
    )
    assert (
        "<tr><td class='l'>来安县</td><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td></tr>"
        in counties
    )
    assert "<td class='l'>市外</td>" in counties
    assert "<tr class='sum'><td class='l'>全市</td><td>1</td><td>1</td><td>1</td><td>1</td><td>4</td></tr>" in counties  # fmt: skip
    chart = counties[counties.index("<svg") : counties.index("</svg>")]
    for word in ("琅琊区", "来安县", "市外", "红色", "橙色", "黄色", "复核"):
        assert f">{word}</text>" in chart, word  # text the browser draws, not paths
    for colour in TIER_COLOURS.values():  # the workbooks' tier colours
        assert f"fill: {colour.lower()}" in chart, colour
    assert "110101" not in counties and "342322" not in counties


def test_each_section_has_its_chart_and_the_report_needs_no_network(engine: Engine) -> None:
    give_deliveries(engine)
    put(engine, "warnings_current", [warning("A", "341102", "琅琊街道", "red")])
    put(engine, "signals_after_dispositions", [{"household_key": "A", "code": "DROPOUT",
                                                "tier": "red", "suppressed": False}])  # fmt: skip
    html = report(engine)
    for heading in ("按区县", "按乡镇（街道）", "按预警信号", "预警趋势"):
        assert section(html, heading).count("<svg class='chart' role='img'") == 1, heading
    assert ">学生辍学</text>" in section(html, "按预警信号")  # the signal's Chinese label
    assert "<tr><td class='l'>学生辍学</td><td>1</td><td>1</td><td>0</td>" in html
    assert html.count("<svg") == 4 and "<?xml" not in html and "<metadata>" not in html
    # nothing to fetch: no script, stylesheet, image or font from anywhere
    for tag in ("<script", "<link", "<img", "<iframe", "@import", "url(http", "src="):
        assert tag not in html, tag
    addresses = set(re.findall(r"https?://[^\s'\"]+", html))
    assert addresses == {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}  # XML names
    assert report(engine) == html  # the same bytes again (no date, fixed ids)


def test_no_warnings_no_charts_but_the_sections_say_so(engine: Engine) -> None:
    html = report(engine, published=SimpleNamespace(by_tier={t: 0 for t in TIER_COLOURS}))
    assert "<h2>按区县</h2><p>本次无预警。</p>" in html
    assert "<h2>按乡镇（街道）</h2><p>本次无预警。</p>" in html
    assert "<p>本次无预警信号。</p>" in html
    assert "尚无此前下发的乡镇工作簿" in section(html, "核实反馈（按乡镇）")
    assert html.count("<svg") == 1  # the trend: this run, of no one


def history(run_id: str, key: str, tier: str) -> dict[str, Any]:
    return {"run_id": run_id, "as_of": run_id, "household_key": key, "tier": tier, "codes": "X"}


def completed(run_id: str) -> dict[str, Any]:
    return {"run_id": run_id, "as_of": dt.date.fromisoformat(run_id),
            "started_at": dt.datetime(2026, 1, 1), "status": "completed"}  # fmt: skip


def test_headline_against_the_previous_run(engine: Engine) -> None:
    """PUBLISHED: red 2, orange 1, new 2, resolved 1; the previous run: red 1, orange 3,
    yellow 1; the trend has both."""
    put(engine, "runs", [completed("2026-09-15"), completed(EARLIER)])
    put(engine, "warning_history", [history("2026-09-15", "X", "red"),
                                    history(EARLIER, "A", "red"), history(EARLIER, "B", "orange"),
                                    history(EARLIER, "C", "orange"), history(EARLIER, "D", "orange"),
                                    history(EARLIER, "E", "yellow")])  # fmt: skip
    put(engine, "warnings_current", [warning("A", "341102", "琅琊街道", "red"),
                                     warning("F", "341102", "琅琊街道", "red"),
                                     warning("B", "341102", "琅琊街道", "orange")])  # fmt: skip
    head = section(report(engine), "预警概况")
    assert "<div class='k'>预警户数合计</div><div class='v'>3</div><div class='d'>上次 5 户，减少 2</div>" in head  # fmt: skip
    assert "<div class='card tier-red'><div class='k'>红色预警</div><div class='v'>2</div><div class='d'>上次 1 户，增加 1</div>" in head  # fmt: skip
    assert "<div class='k'>橙色预警</div><div class='v'>1</div><div class='d'>上次 3 户，减少 2</div>" in head  # fmt: skip
    assert "<div class='k'>复核预警</div><div class='v'>0</div><div class='d'>上次 0 户，持平</div>" in head  # fmt: skip
    assert "<div class='v'>2 / 1 / 1</div>" in head  # 新增 / 持续 / 已解除
    assert "上次运行（监测日期 2026-10-15） 5 户；新增 2 户，持续 1 户，已解除 1 户。" in head
    trend = section(report(engine), "预警趋势")
    assert "共 3 次运行" in trend
    assert "<tr><td class='l'>2026-10-15</td><td>1</td><td>3</td><td>1</td><td>0</td><td>5</td></tr>" in trend  # fmt: skip
    assert trend.index("2026-11-15</td>") < trend.index("2026-10-15</td>")  # newest first


def test_a_first_run_has_nothing_to_compare_with(engine: Engine) -> None:
    head = section(report(engine), "预警概况")
    assert head.count("无上次运行可比") == 5 and "红色预警均未逾期" in head


def test_red_households_past_their_deadline_are_in_the_headline(engine: Engine) -> None:
    put(engine, "runs", [completed(EARLIER)])
    put(engine, "warnings_current", [warning("A", "341102", "琅琊街道", "red")])
    put(engine, "issued_signals", [{"run_id": EARLIER, "household_key": "A", "code": "DROPOUT",
                                    "tier": "red", "county": "341102", "township": "琅琊街道",
                                    "deadline": dt.date(2026, 10, 20)}])  # fmt: skip
    html = report(engine)
    assert ("<div class='card alert'><div class='k'>红色预警逾期未反馈</div><div class='v'>1</div>"
            in section(html, "预警概况"))  # fmt: skip
    feedback = section(html, "核实反馈（按乡镇）")
    assert feedback.count("<svg class='chart'") == 1 and ">琅琊区 琅琊街道</text>" in feedback
    assert "<td class='l'>琅琊区</td><td class='l'>琅琊街道</td><td>1</td><td>0</td><td>1</td>" in feedback  # fmt: skip


def test_data_quality_per_source(engine: Engine) -> None:
    give_deliveries(engine)
    put(engine, "records_current", [
        {"source": "hotline", "file_hash": "h1", "_row": 2, "id_status": "missing",
         "quarantine_reason": "既无可识别的证件号码也无姓名"},
    ])  # fmt: skip
    quality = section(report(engine), "数据质量（按来源）")
    hotline = row_of(quality[quality.index("主要隔离原因") :], "12345热线（hotline）")
    # 4 current records: exact, quarantined, fuzzy, unmatched; 2 of them tied to a person
    assert hotline.startswith(
        "<tr><td class='l'>12345热线（hotline）</td><td class='l'>事件累积</td><td>4</td><td>1</td>"
        "<td class='l'>既无可识别的证件号码也无姓名（1）</td><td>50.0%</td><td>0</td>"
    )
    assert "<td>—</td>" in row_of(quality[quality.index("主要隔离原因") :], "住建住房（housing）")


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
