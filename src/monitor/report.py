"""The run report (report.html): counts, balances, data quality. No personal data.

Only counts and file names appear here; no ID, name or phone number.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path

import duckdb

from monitor.clean import FLAG_LABELS
from monitor.contracts import SOURCES, contracts
from monitor.engine import Engine
from monitor.errors import PolicyError
from monitor.policy import Policy, load_policy
from monitor.signals import CATALOG, TIER_LABELS
from monitor.workbooks import SOURCE_LABELS

log = logging.getLogger(__name__)


def _source(name: str) -> str:
    return f"{SOURCE_LABELS.get(name, name)}（{name}）"


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


def _run_policy(con: duckdb.DuckDBPyConnection, run_id: str, policy_hash: str) -> Policy | None:
    """The policy the run used, read again from the file recorded for the run (same hash only)."""
    row = con.execute("select policy_file from runs where run_id = ?", [run_id]).fetchone()
    if not row or not row[0]:
        return None
    try:
        policy, digest = load_policy(Path(row[0]))
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
    con = engine._con  # TRANSITIONAL (issue 11)
    parts = [
        f"<h1>低收入人口动态监测 运行报告</h1><p>监测日期（as-of）：{as_of}；政策文件：{html.escape(policy_file)}（sha256 {policy_hash[:12]}）</p>",
        _provisional_notice(policy or _run_policy(con, run_id, policy_hash), policy_file),
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
    codes = con.execute(
        "select code, count(distinct household_key) from signals_after_dispositions"
        " where not suppressed group by code order by code"
    ).fetchall()
    parts.append(
        _table(["预警信号", "户数"], [[f"{CATALOG[c].label}（{c}）", n] for c, n in codes])
    )
    town = con.execute(
        "select county, township, count(*) filter (where tier='red'), count(*) filter (where tier='orange'),"
        " count(*) filter (where tier='yellow'), count(*) filter (where tier='review'), count(*)"
        " from warnings_current group by county, township order by county, township"
    ).fetchall()
    parts.append(
        "<h2>按乡镇（街道）</h2>"
        + _table(
            ["区县", "乡镇（街道）", "红", "橙", "黄", "复核", "合计"],
            [list(r) for r in town],
            left=2,
        )
    )

    unknown = con.execute(
        "select township, county, count(*) from households"
        " where not township_in_reference group by township, county order by township"
    ).fetchall()
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
    balance = con.execute(
        """
        select d.source, d.file_name, d.outcome, coalesce(d.records, f.records, 0) as records,
            count(*) filter (where rl.method = 'exact'), count(*) filter (where rl.method = 'repaired'),
            count(*) filter (where rl.method = 'fuzzy'), count(*) filter (where rl.method = 'review'),
            count(*) filter (where rl.method = 'unmatched'),
            count(*) filter (where rl.method = 'quarantined') + max(case when d.outcome = 'failed' then coalesce(d.records, 0) else 0 end),
            coalesce(f.title_rows, 0), coalesce(f.blank_rows, 0), coalesce(f.total_rows, 0),
            d.outcome = 'skipped' and d.file_hash = '' as not_read
        from deliveries d left join files f using (file_hash)
        left join record_links rl on rl.source = d.source and rl.file_hash = d.file_hash and d.outcome <> 'failed'
        where d.run_id = ?
        group by all order by d.source, d.file_name
        """,
        [run_id],
    ).fetchall()
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
    failed = con.execute(
        "select source, file_name, reason from deliveries where run_id = ? and outcome = 'failed' order by source, file_name",
        [run_id],
    ).fetchall()
    if failed:
        parts.append(
            "<h2 class='bad'>失败的文件</h2>"
            + _table(["来源", "文件", "原因"], [list(r) for r in failed], left=3)
        )
    not_read = con.execute(
        "select source, file_name, reason from deliveries where run_id = ? and outcome = 'skipped'"
        " and file_hash = '' order by source, file_name",
        [run_id],
    ).fetchall()
    if not_read:  # hidden files, Excel lock files, sub-folders (ingest.folder_entries)
        parts.append(
            "<h2>未读取的文件（跳过）</h2><p>来源文件夹中的以下条目没有读取：</p>"
            + _table(["来源", "文件", "原因"], [[_source(s), f, r] for s, f, r in not_read], left=3)
        )
    empty = con.execute(
        "select d.source, d.file_name, d.reason from deliveries d left join files f using (file_hash)"
        " where d.run_id = ? and d.outcome <> 'failed' and coalesce(d.records, f.records) = 0"
        " order by d.source, d.file_name",
        [run_id],
    ).fetchall()
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
    methods = con.execute(
        "select source, count(*) filter (where method = 'exact'), count(*) filter (where method = 'repaired'),"
        " count(*) filter (where method = 'fuzzy'), count(*) filter (where method = 'review'),"
        " count(*) filter (where method = 'unmatched'), count(*) filter (where method = 'quarantined'), count(*)"
        " from record_links group by source order by source"
    ).fetchall()
    parts.append(
        _table(
            ["来源", "精确", "修复", "模糊", "复核", "未匹配", "隔离", "合计"],
            [[_source(r[0]), *r[1:]] for r in methods],
        )
    )
    calibration = con.execute(
        "select parameter, value from match_calibration order by parameter"
    ).fetchall()
    parts.append(
        "<details><summary>匹配模型参数（由数据估计的 m/u 概率与先验）</summary>"
        + _table(["参数", "值"], [[k, f"{v:.6g}"] for k, v in calibration])
        + "</details>"
    )

    parts.append("<h2>数据约定校验（Great Expectations，未通过的期望）</h2>")
    gx_rows = con.execute(
        "select d.source, d.file_name, v.expectation, v.column_name, v.unexpected_count,"
        " v.element_count, v.error is not null"
        " from deliveries d join validations v using (file_hash)"
        " where d.run_id = ? and not v.success order by d.source, d.file_name, v.expectation, v.column_name",
        [run_id],
    ).fetchall()
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
    flag_rows = con.execute(
        "select source, f as flag, count(*) from"
        " (select source, unnest(string_split(flags, ';')) as f from records_current where flags is not null)"
        " group by all order by source, flag"
    ).fetchall()
    parts.append(
        _table(
            ["来源", "标记", "记录数"],
            [[_source(s), _flag_label(s, f), n] for s, f, n in flag_rows],
            left=2,
        )
    )

    parts.append("<h2>各来源数据时效</h2>")
    ages = []
    for source in SOURCES:
        kind = contracts()[source].kind
        # a file with no data record (header only) is no delivery, like an empty folder
        row = con.execute(
            "select max(d.run_id) from deliveries d left join files f using (file_hash)"
            " where d.source = ? and d.outcome <> 'failed' and d.run_id <= ?"
            " and coalesce(d.records, f.records, 0) > 0",
            [source, run_id],
        ).fetchall()
        last = row[0][0] if row else None
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
