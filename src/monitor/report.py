"""The run report (report.html): counts, balances, data quality. No personal data.

Only counts and file names appear here; no ID, name or phone number.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path

from monitor.clean import FLAG_LABELS
from monitor.contracts import SOURCES, contracts, source_label
from monitor.engine import Engine
from monitor.errors import PolicyError
from monitor.policy import Policy, load_policy
from monitor.signals import CATALOG, TIER_LABELS
from monitor.workbooks import workbook_password

log = logging.getLogger(__name__)


def _source(name: str) -> str:
    return f"{source_label(name)}（{name}）"


def _column_label(source: str, column: str) -> str:
    try:
        return contracts()[source].column(column).label
    except KeyError:
        return {"id_status": "身份证号"}.get(column, column)


_CSS = """
body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}
th{background:#eee}td.l,th.l{text-align:left}.bad{color:#b00;font-weight:bold}.bar{background:#4a7;height:12px}
"""


def _table(header: list[str], rows: list[list[object]], left: int = 1) -> str:
    head = "".join(
        f"<th class='l'>{html.escape(h)}</th>" if i < left else f"<th>{html.escape(h)}</th>"
        for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='l'>{html.escape(str(v))}</td>"
            if i < left
            else f"<td>{html.escape(str(v))}</td>"
            for i, v in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _flag_label(source: str, flag: str) -> str:
    code, _, column = flag.partition(":")
    text = FLAG_LABELS.get(code, code)
    return f"{_column_label(source, column)}：{text}" if column else text


def _run_policy(engine: Engine, run_id: str, policy_hash: str) -> Policy | None:
    """The policy the run used, read again from the file recorded for the run (same hash only)."""
    policy_file = engine.value("60_report/run_policy_file.sql", {"run_id": run_id})
    if not policy_file:
        return None
    try:
        policy, digest = load_policy(Path(policy_file))
    except PolicyError as exc:
        log.warning("report: cannot read the run's policy file again: %s", exc)
        return None
    return policy if digest == policy_hash else None


def _provisional_notice(policy: Policy | None, policy_file: str) -> str:
    """A warning paragraph when the run's policy file is provisional, else nothing."""
    if policy is None or not policy.provisional:
        return ""
    note = policy.provisional_note.strip() or (
        f"节假日仅含固定日期，待国务院 {policy.year} 年节假日安排公布后更新"
    )
    return (
        f"<p class='bad'>注意：{policy.year} 年政策文件为临时版本（{html.escape(policy_file)}）："
        f"{html.escape(note)}</p>"
    )


def build_report(
    engine: Engine,
    run_id: str,
    as_of: dt.date,
    policy_file: str,
    policy_hash: str,
    published: object,
    policy: Policy | None = None,
) -> str:
    """The HTML report of one run. `policy` is the run's policy; when not given it is read
    again from the file recorded in `runs` (for the provisional-policy notice)."""
    params = {"run_id": run_id}
    parts = [
        f"<h1>低收入人口动态监测 运行报告</h1><p>监测日期（as-of）：{as_of}；政策文件：{html.escape(policy_file)}（sha256 {policy_hash[:12]}）</p>",
        _provisional_notice(policy or _run_policy(engine, run_id, policy_hash), policy_file),
    ]
    by_tier = getattr(published, "by_tier", {})
    total = sum(by_tier.values()) or 1
    parts.append("<h2>预警概况</h2>")
    parts.append(_table(["等级", "户数"], [[TIER_LABELS[t], n] for t, n in by_tier.items()]))
    parts.append(
        "".join(
            f"<div>{TIER_LABELS[t]} <span class='bar' style='display:inline-block;width:{int(300 * n / total)}px'></span> {n}</div>"
            for t, n in by_tier.items()
        )
    )
    parts.append(
        f"<p>新增 {getattr(published, 'new', 0)} 户；已解除 {getattr(published, 'resolved', 0)} 户。</p>"
    )
    parts.append(
        "<p>乡镇工作簿已按 MONITOR_WORKBOOK_PASSWORD 加密（打开时需输入密码）。</p>"
        if workbook_password()
        else "<p class='warn'>乡镇工作簿未加密：传送前请确认渠道安全，或设置"
        " MONITOR_WORKBOOK_PASSWORD 使每个乡镇工作簿加密。</p>"
    )
    codes = engine.run("60_report/signal_households.sql")
    parts.append(
        _table(["预警信号", "户数"], [[f"{CATALOG[c].label}（{c}）", n] for c, n in codes])
    )
    town = engine.run("60_report/township_tiers.sql")
    parts.append(
        "<h2>按乡镇（街道）</h2>"
        + _table(
            ["区县", "乡镇（街道）", "红", "橙", "黄", "复核", "合计"],
            [list(r) for r in town],
            left=2,
        )
    )

    feedback = engine.run("60_report/township_feedback.sql", {"run_id": run_id, "as_of": as_of})
    if feedback:
        parts.append(
            "<h2>核实反馈（按乡镇）</h2><p>此前各次下发的乡镇工作簿中的家庭：已下发、已反馈"
            "（首次下发后有核实结果）、逾期未反馈（仍在预警、无核实结果且超过首次处置时限），"
            "以及最近一次核实结果的分类。</p>"
            + _table(
                ["区县", "乡镇（街道）", "已下发", "已反馈", "逾期未反馈", "已核实-已救助",
                 "已核实-不符合条件", "已核实-已纳入低保", "无法联系", "其他"],
                [list(r) for r in feedback],
                left=2,
            )
        )  # fmt: skip
    unknown = engine.run("60_report/unknown_townships.sql")
    if unknown:
        parts.append(
            "<h2>不在行政区划参考表中的乡镇（街道）</h2><p>以下乡镇（街道）名称不在 config/city.yaml"
            " 的参考表中，已按其记录中身份证号最多的区县分派。请核对名称（错别字、简称或新设乡镇），"
            "必要时更新参考表。</p>"
            + _table(["乡镇（街道）", "暂定区县", "户数"], [list(r) for r in unknown], left=2)
        )

    parts.append(
        "<h2>文件与记录平衡</h2><p>每个文件：数据记录数 = 精确匹配 + 修复后匹配 + 模糊匹配 + 待人工复核 + 未匹配 + 隔离。标题行、空行、合计行不计入数据记录。</p>"
    )
    balance = engine.run("60_report/file_balance.sql", params)
    rows = []
    for r in balance:
        ok = r[3] == sum(r[4:10])
        # hidden, lock file, sub-folder: no content hash (ingest.NOT_READ, '')
        outcome = "未读取（跳过）" if r[13] else None
        rows.append(
            [
                _source(r[0]),
                r[1],
                outcome
                or {"loaded": "新载入", "skipped": "已载入过（跳过）", "failed": "失败"}[r[2]],
                *r[3:13],
                "平衡" if ok else "不平衡",
            ]
        )
    parts.append(
        _table(
            [
                "来源",
                "文件",
                "处理",
                "数据记录",
                "精确",
                "修复",
                "模糊",
                "复核",
                "未匹配",
                "隔离",
                "标题行",
                "空行",
                "合计行",
                "核对",
            ],
            rows,
            left=3,
        )
    )
    failed = engine.run("60_report/failed_files.sql", params)
    if failed:
        parts.append(
            "<h2 class='bad'>失败的文件</h2>"
            + _table(["来源", "文件", "原因"], [list(r) for r in failed], left=3)
        )
    not_read = engine.run("60_report/unread_files.sql", params)
    if not_read:  # hidden files, Excel lock files, sub-folders (ingest.folder_entries)
        parts.append(
            "<h2>未读取的文件（跳过）</h2><p>来源文件夹中的以下条目没有读取：</p>"
            + _table(["来源", "文件", "原因"], [[_source(s), f, r] for s, f, r in not_read], left=3)
        )
    empty = engine.run("60_report/empty_files.sql", params)
    if empty:
        parts.append(
            "<h2 class='bad'>空文件（只有表头，0 条数据记录）</h2>"
            + _table(
                ["来源", "文件", "说明"], [[_source(s), f, r or ""] for s, f, r in empty], left=3
            )
        )

    parts.append(
        "<h2>身份匹配</h2><p>所有当前记录（含以往报送、仍在有效期内的事件记录）按匹配方式：</p>"
    )
    methods = engine.run("60_report/source_methods.sql")
    parts.append(
        _table(
            ["来源", "精确", "修复", "模糊", "复核", "未匹配", "隔离", "合计"],
            [[_source(r[0]), *r[1:]] for r in methods],
        )
    )
    calibration = engine.run("60_report/match_calibration.sql")
    parts.append(
        "<details><summary>匹配模型参数（由数据估计的 m/u 概率与先验）</summary>"
        + _table(["参数", "值"], [[k, f"{v:.6g}"] for k, v in calibration])
        + "</details>"
    )

    parts.append("<h2>数据约定校验（Great Expectations，未通过的期望）</h2>")
    gx_rows = engine.run("60_report/failed_expectations.sql", params)
    parts.append(
        _table(
            ["来源", "文件", "期望", "列", "不符合行数", "总行数", "说明"],
            [
                [
                    _source(s),
                    f,
                    FLAG_LABELS.get(e, e),
                    _column_label(s, c),
                    u,
                    n,
                    "GX 校验结果与逐行标记不一致或未能执行（详见状态库 validations 表）"
                    if err
                    else "",
                ]
                for s, f, e, c, u, n, err in gx_rows
            ],
            left=4,
        )
        if gx_rows
        else "<p>所有文件均通过全部期望。</p>"
    )
    parts.append("<h2>数据质量标记（保留并标记）</h2>")
    flag_rows = engine.run("60_report/record_flags.sql")
    parts.append(
        _table(
            ["来源", "标记", "记录数"],
            [[_source(s), _flag_label(s, f), n] for s, f, n in flag_rows],
            left=2,
        )
    )

    parts.append("<h2>各来源数据时效</h2>")
    ages = []
    # a file with no data record (header only) is no delivery, like an empty folder
    last_runs = dict(engine.run("60_report/last_deliveries.sql", params))
    for source in SOURCES:
        kind = contracts()[source].kind
        last = last_runs.get(source)
        delivered = last == run_id
        only_empty = not delivered and any(s == source for s, _, _ in empty)
        if last is None:
            status = "从未报送（本次只收到空文件）" if only_empty else "从未报送"
        elif delivered:
            status = "本次已报送"
        else:
            age = (as_of - dt.date.fromisoformat(str(last))).days
            now = "本次只收到空文件（0 条记录）" if only_empty else ""
            if kind == "snapshot":
                status = f"{now or '本次未报送'}，沿用 {age} 天前的数据"
            else:
                status = now or "本次无新记录"
        ages.append(
            [_source(source), "快照" if kind == "snapshot" else "事件累积", last or "—", status]
        )
    parts.append(_table(["来源", "类型", "最近报送（监测日期）", "本次"], ages, left=4))
    return f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>运行报告 {as_of}</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
