"""The run report (report.html) for the bureau's leaders: the headline, warnings by county,
township, signal and run, the caseworkers' answers, and data quality. No personal data.

Only counts, place names, signal labels and file names appear here; no ID, name or phone
number. The charts are matplotlib figures inlined as SVG: their text stays ``<text>`` (drawn
by the browser's CJK font), the file needs no network or script to open, and the same state
gives the same bytes (fixed ids, no date). Their layout is computed here from the labels'
lengths rather than measured with a font, so a host without a CJK font lays them out alike
(matplotlib's baselines then move by a point at most).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
import unicodedata
import warnings
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, cast

from monitor.clean import FLAG_LABELS
from monitor.contracts import SOURCES, contracts, source_label
from monitor.engine import Engine
from monitor.errors import PolicyError
from monitor.policy import Policy, load_policy
from monitor.signals import CATALOG, TIER_LABELS, TIER_RANKS
from monitor.workbooks import TIER_COLOURS, workbook_password

log = logging.getLogger(__name__)

TIERS = tuple(TIER_RANKS)  # red, orange, yellow, review: the order of every chart and table
TOP_TOWNSHIPS = 20  # the township charts show the most warned ones; the tables show all
TREND_CHART_RUNS = 60  # the trend chart's latest runs
TREND_TABLE_RUNS = 12  # the trend table's latest runs
FONTS = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"


def _source(name: str) -> str:
    return f"{source_label(name)}（{name}）"


def _column_label(source: str, column: str) -> str:
    try:
        return contracts()[source].column(column).label
    except KeyError:
        return {"id_status": "身份证号"}.get(column, column)


def _signal_label(code: str) -> str:
    signal = CATALOG.get(code)
    return signal.label if signal else code


_CSS = (
    f"body{{font-family:{FONTS};margin:1em 2em;color:#222;max-width:1500px}}"
    f"svg.chart text{{font-family:{FONTS}}}"
    """
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;border-bottom:2px solid #ccc;padding-bottom:.15em;margin:1.4em 0 .5em}
h3{font-size:1.05em;margin:1em 0 .3em}.meta{color:#555;margin:.2em 0}.note{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}
th{background:#eee;position:sticky;top:0}td.l,th.l{text-align:left}th,td{white-space:nowrap}td.l{white-space:normal;min-width:5em}tr.sum td{font-weight:bold;background:#f6f6f6}
.bad{color:#b00;font-weight:bold}.warn{color:#8a5a00}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:.6em 0}
.card{border:1px solid #999;border-radius:6px;padding:6px 14px;min-width:7.5em;background:#f7f7f7}
.card .k{font-size:.95em}.card .v{font-size:1.9em;font-weight:bold;line-height:1.2}.card .d{font-size:.85em;color:#333}
.card.alert{border-color:#b00}.card.alert .v{color:#b00}
.pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
.scroll{max-height:27em;overflow:auto}svg.chart{max-width:100%;height:auto}
""" + "".join(f".tier-{t}{{background:{c}}}" for t, c in TIER_COLOURS.items())
)


def _cell(tag: str, value: object, left: bool) -> str:
    return (
        f"<{tag} class='l'>{html.escape(str(value))}</{tag}>"
        if left
        else (f"<{tag}>{html.escape(str(value))}</{tag}>")
    )


def _table(
    header: list[str],
    rows: Sequence[Sequence[object]],
    left: int = 1,
    text: Collection[int] = (),
    total: Sequence[object] | None = None,
) -> str:
    """An HTML table: the first `left` columns and those in `text` left-aligned (words), the
    others right-aligned (counts); `total`, a last row in bold."""

    def is_left(i: int) -> bool:
        return i < left or i in text

    head = "".join(_cell("th", h, is_left(i)) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(_cell("td", v, is_left(i)) for i, v in enumerate(r)) + "</tr>"
        for r in rows
    )
    if total is not None:
        body += (
            "<tr class='sum'>"
            + "".join(_cell("td", v, is_left(i)) for i, v in enumerate(total))
            + "</tr>"
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


# --- charts: matplotlib figures as inline SVG ---------------------------------------------

FONT_PT = 9.0  # the charts' text size (points; 1 pt of the SVG is 1/72 inch)
WIDTH_IN = 6.6  # every chart's width (inches)
_CHART_RC: dict[str, Any] = {
    "svg.fonttype": "none",  # text stays <text>: the browser's CJK font draws it
    "svg.hashsalt": "monitor-report",  # the same clip-path ids every run
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "Microsoft YaHei", "DejaVu Sans"],
    "font.size": FONT_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "axes.axisbelow": True,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "grid.color": "#e3e3e3",
}
EDGE, EDGE_WIDTH = "#555555", 0.4  # a thin outline: the pale yellow shows on white


def _text_inches(text: str, size: float = FONT_PT) -> float:
    """The width of `text` in inches, estimated: a CJK character 1 em, another 0.6 em."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return ems * size / 72


def _figure(height_in: float) -> Any:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height_in))
    FigureCanvasSVG(figure)
    return figure


def _svg(figure: Any, label: str) -> str:
    """The figure as an inline <svg> element: no XML prologue, metadata or date (the same
    bytes for the same figure), the font left to the page's CSS, an accessible label."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None,
                                                   "Format": None, "Type": None})  # fmt: skip
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    text = re.sub(r"font-family: [^;\"]*(; )?", "", text)
    return text.replace(
        "<svg ", f"<svg class='chart' role='img' aria-label='{html.escape(label)}' ", 1
    )


def _chart(draw: Any, *args: Any) -> str:
    """The SVG `draw(*args)` makes, with the charts' settings; font look-up messages (a host
    without a CJK font: the browser draws the text, not matplotlib) are not shown."""
    import matplotlib

    font_log = logging.getLogger("matplotlib.font_manager")
    level = font_log.level
    font_log.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(cast(Any, _CHART_RC)), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
            return str(draw(*args))
    finally:
        font_log.setLevel(level)


def _legend(figure: Any, items: Sequence[tuple[str, str]], top_in: float) -> None:
    """Colour boxes and their words in a row `top_in` below the figure's top edge."""
    from matplotlib.patches import Rectangle

    width, height = figure.get_size_inches()
    x = 0.1
    box = FONT_PT / 72
    for colour, word in items:
        y = height - top_in
        figure.add_artist(Rectangle((x / width, (y - box / 2) / height), box / width,
                                    box / height, facecolor=colour, transform=figure.transFigure,
                                    edgecolor=EDGE, linewidth=EDGE_WIDTH))  # fmt: skip
        figure.text((x + box * 1.4) / width, y / height, word, va="center")
        x += box * 1.4 + _text_inches(word) + 0.25


def _tier_legend() -> list[tuple[str, str]]:
    return [(TIER_COLOURS[t], TIER_LABELS[t]) for t in TIERS]


def _stacked_bars(
    labels: Sequence[str],
    counts: Sequence[Sequence[int]],
    legend: Sequence[tuple[str, str]],
    title: str,
) -> str:
    """Horizontal bars, one per label top down, stacked by the legend's parts (counts[i][j]:
    label i's part j), each bar's total at its end."""
    from matplotlib.ticker import MaxNLocator

    top, bottom, row = 0.42, 0.32, 0.27
    height = top + bottom + row * len(labels)
    figure = _figure(height)
    left = max(_text_inches(label) for label in labels) + 0.15
    right = 0.1
    ax = figure.add_axes((left / WIDTH_IN, bottom / height, 1 - (left + right) / WIDTH_IN,
                          row * len(labels) / height))  # fmt: skip
    starts = [0] * len(labels)
    for j, (colour, _) in enumerate(legend):
        values = [c[j] for c in counts]
        ax.barh(
            range(len(labels)),
            values,
            left=starts,
            height=0.7,
            color=colour,
            edgecolor=EDGE,
            linewidth=EDGE_WIDTH,
        )
        starts = [s + v for s, v in zip(starts, values, strict=True)]
    most = max(starts) or 1
    for i, total in enumerate(starts):
        ax.text(total + most * 0.01, i, str(total), va="center", fontsize=FONT_PT - 1)
    ax.set_yticks(range(len(labels)), list(labels))
    ax.set_ylim(len(labels) - 0.5, -0.5)  # the first label on top
    ax.set_xlim(0, most * 1.1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)
    _legend(figure, legend, top / 2)
    return _svg(figure, title)


def _trend_bars(dates: Sequence[str], counts: Sequence[Sequence[int]], title: str) -> str:
    """Vertical bars, one per run left to right, stacked by tier, with the total on top."""
    from matplotlib.ticker import MaxNLocator

    top, bottom, height = 0.42, 0.4, 2.6
    figure = _figure(height)
    left, right = 0.5, 0.15
    ax = figure.add_axes((left / WIDTH_IN, bottom / height, 1 - (left + right) / WIDTH_IN,
                          1 - (top + bottom) / height))  # fmt: skip
    starts = [0] * len(dates)
    for j, t in enumerate(TIERS):
        values = [c[j] for c in counts]
        ax.bar(range(len(dates)), values, bottom=starts, width=0.65, color=TIER_COLOURS[t],
               edgecolor=EDGE, linewidth=EDGE_WIDTH)  # fmt: skip
        starts = [s + v for s, v in zip(starts, values, strict=True)]
    most = max(starts) or 1
    if len(dates) <= 24:
        for i, total in enumerate(starts):
            ax.text(i, total + most * 0.02, str(total), ha="center", fontsize=FONT_PT - 1)
    step = max(1, -(-len(dates) // 7))  # at most 7 dates written under the bars
    shown = list(range(len(dates) - 1, -1, -step))[::-1]
    ax.set_xticks(shown, [dates[i] for i in shown])
    ax.set_xlim(-0.6, max(len(dates), 4) - 0.4)  # one or two runs: bars of a sensible width
    ax.set_ylim(0, most * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y")
    _legend(figure, _tier_legend(), top / 2)
    return _svg(figure, title)


# --- the report's sections -----------------------------------------------------------------


def _tier_counts(row: dict[str, Any]) -> list[int]:
    return [int(row[t]) for t in TIERS]


def _change(now: int, before: int | None) -> str:
    if before is None:
        return "无上次运行可比"
    diff = now - before
    return f"上次 {before} 户，" + (
        f"增加 {diff}" if diff > 0 else f"减少 {-diff}" if diff else "持平"
    )


def _headline(
    published: object, trend: list[dict[str, Any]], as_of: dt.date, overdue_red: int,
    failed_files: int,
) -> str:  # fmt: skip
    """Warned households by tier against the previous run, red ones past their deadline, and
    新增 / 持续 / 已解除."""
    by_tier: dict[str, int] = dict(getattr(published, "by_tier", {}))
    total = sum(by_tier.values())
    earlier = [r for r in trend if r["as_of"] < as_of]
    previous = earlier[-1] if earlier else None
    new = int(getattr(published, "new", 0))
    resolved = int(getattr(published, "resolved", 0))

    def before(tier: str | None) -> int | None:
        if previous is None:
            return None
        return int(previous[tier] if tier else previous["households"])

    cards = [
        f"<div class='card'><div class='k'>预警户数合计</div><div class='v'>{total}</div>"
        f"<div class='d'>{_change(total, before(None))}</div></div>"
    ]
    cards += [
        f"<div class='card tier-{t}'><div class='k'>{TIER_LABELS[t]}预警</div>"
        f"<div class='v'>{by_tier.get(t, 0)}</div>"
        f"<div class='d'>{_change(by_tier.get(t, 0), before(t))}</div></div>"
        for t in TIERS
    ]
    cards.append(
        f"<div class='card{' alert' if overdue_red else ''}'><div class='k'>红色预警逾期未反馈</div>"
        f"<div class='v'>{overdue_red}</div><div class='d'>户，已过处置时限</div></div>"
    )
    cards.append(
        f"<div class='card'><div class='k'>新增 / 持续 / 已解除</div>"
        f"<div class='v'>{new} / {total - new} / {resolved}</div><div class='d'>户，与上次运行相比</div></div>"
    )
    since = f"上次运行（监测日期 {previous['as_of']}）" if previous else "无上次运行"
    lead = (
        f"<p>本次预警 <b>{total}</b> 户，{since}"
        + (f" {previous['households']} 户" if previous else "")
        + f"；新增 {new} 户，持续 {total - new} 户，已解除 {resolved} 户。"
        + (
            f"红色预警中有 <b class='bad'>{overdue_red}</b> 户已过处置时限仍未反馈核实结果。"
            if overdue_red
            else "红色预警均未逾期。"
        )
        + "</p>"
    )
    if failed_files:
        lead += f"<p class='bad'>本次有 {failed_files} 个文件读取失败，详见下方“数据质量”。</p>"
    return "<h2>预警概况</h2>" + f"<div class='cards'>{''.join(cards)}</div>" + lead


def _by_county(engine: Engine) -> str:
    rows = engine.query("60_report/county_tiers.sql").rows(named=True)
    if not rows:
        return "<h2>按区县</h2><p>本次无预警。</p>"
    chart = _chart(_stacked_bars, [r["county"] for r in rows], [_tier_counts(r) for r in rows],
                   _tier_legend(), "各区县预警户数（按等级）")  # fmt: skip
    sums = [sum(r[t] for r in rows) for t in (*TIERS, "households")]
    table = _table(
        ["区县", *(TIER_LABELS[t] for t in TIERS), "合计"],
        [[r["county"], *_tier_counts(r), r["households"]] for r in rows],
        total=["全市", *sums],
    )
    return f"<h2>按区县</h2><div class='pair'>{chart}{table}</div>"


def _by_township(engine: Engine) -> str:
    rows = engine.query("60_report/township_tiers.sql").rows(named=True)
    if not rows:
        return "<h2>按乡镇（街道）</h2><p>本次无预警。</p>"
    top = sorted(rows, key=lambda r: -r["households"])[:TOP_TOWNSHIPS]
    chart = _chart(_stacked_bars, [f"{r['county']} {r['township']}" for r in top],
                   [_tier_counts(r) for r in top], _tier_legend(),
                   "预警户数最多的乡镇（街道）（按等级）")  # fmt: skip
    note = (
        f"<p class='note'>图中为预警户数最多的 {len(top)} 个乡镇（街道），共 {len(rows)} 个；表中列出全部。</p>"
        if len(rows) > len(top)
        else ""
    )
    table = _table(
        ["区县", "乡镇（街道）", *(TIER_LABELS[t] for t in TIERS), "合计"],
        [[r["county"], r["township"], *_tier_counts(r), r["households"]] for r in rows],
        left=2,
    )
    return f"<h2>按乡镇（街道）</h2>{note}<div class='pair'>{chart}<div class='scroll'>{table}</div></div>"


def _by_signal(engine: Engine) -> str:
    rows = engine.query("60_report/signal_households.sql").rows(named=True)
    head = (
        "<h2>按预警信号</h2><p class='note'>一户可有多个信号，按各信号计户数；"
        "颜色为该信号在该户的预警等级。</p>"
    )
    if not rows:
        return head + "<p>本次无预警信号。</p>"
    chart = _chart(_stacked_bars, [_signal_label(r["code"]) for r in rows],
                   [_tier_counts(r) for r in rows], _tier_legend(), "各预警信号的户数（按等级）")  # fmt: skip
    table = _table(
        ["预警信号", "户数", *(TIER_LABELS[t] for t in TIERS)],
        [[_signal_label(r["code"]), r["households"], *_tier_counts(r)] for r in rows],
    )
    return head + f"<div class='pair'>{chart}{table}</div>"


def _trend(trend: list[dict[str, Any]]) -> str:
    shown = trend[-TREND_CHART_RUNS:]
    chart = _chart(_trend_bars, [str(r["as_of"]) for r in shown], [_tier_counts(r) for r in shown],
                   "各次运行的预警户数（按等级）")  # fmt: skip
    note = (
        f"共 {len(trend)} 次运行"
        + (f"，图中为最近 {len(shown)} 次" if len(shown) < len(trend) else "")
        + (f"，表中为最近 {TREND_TABLE_RUNS} 次" if len(trend) > TREND_TABLE_RUNS else "")
        + "（状态库中已完成的运行与本次）。"
    )
    table = _table(
        ["监测日期", *(TIER_LABELS[t] for t in TIERS), "合计"],
        [[r["as_of"], *_tier_counts(r), r["households"]] for r in reversed(trend[-TREND_TABLE_RUNS:])],
    )  # fmt: skip
    return f"<h2>预警趋势</h2><p class='note'>{note}</p><div class='pair'>{chart}{table}</div>"


FEEDBACK_COLUMNS = ("county", "township", "sent", "answered", "overdue", "helped", "not_eligible",
                    "enrolled", "unreachable", "other")  # fmt: skip
FEEDBACK_PARTS = (("#7fbf7f", "已反馈"), ("#c0392b", "逾期未反馈"), ("#d9d9d9", "其余未反馈"))


def _feedback(engine: Engine, run_id: str, as_of: dt.date) -> str:
    rows = engine.query("60_report/township_feedback.sql", {"run_id": run_id, "as_of": as_of})
    head = (
        "<h2>核实反馈（按乡镇）</h2><p class='note'>此前各次下发的乡镇工作簿中的家庭：已下发、已反馈"
        "（首次下发后有核实结果）、逾期未反馈（仍在预警、无核实结果且超过首次处置时限），"
        "以及最近一次核实结果的分类。</p>"
    )
    if rows.is_empty():
        return head + "<p>尚无此前下发的乡镇工作簿（首次运行，或此前各次均无预警）。</p>"
    named = rows.rows(named=True)
    top = sorted(named, key=lambda r: -r["sent"])[:TOP_TOWNSHIPS]
    chart = _chart(_stacked_bars, [f"{r['county']} {r['township']}" for r in top],
                   [[r["answered"], r["overdue"], r["sent"] - r["answered"] - r["overdue"]]
                    for r in top], FEEDBACK_PARTS, "各乡镇（街道）已下发家庭的核实反馈")  # fmt: skip
    table = _table(
        ["区县", "乡镇（街道）", "已下发", "已反馈", "逾期未反馈", "已核实-已救助",
         "已核实-不符合条件", "已核实-已纳入低保", "无法联系", "其他"],
        [[r[c] for c in FEEDBACK_COLUMNS] for r in named],
        left=2,
    )  # fmt: skip
    return head + f"<div class='pair'>{chart}<div class='scroll'>{table}</div></div>"


AUDIT_FINDING_COLUMNS = ("county", "township", "checked", "confirmed", "wrong", "unverified")


def _audit(engine: Engine, run_id: str) -> str:
    """Per township, the sampled decisions (monitor audit-sample) another county checked:
    how many, and how many it confirmed."""
    rows = engine.query("60_report/audit_findings.sql", {"run_id": run_id}).rows(named=True)
    head = (
        "<h2>随机抽查（县级互查）</h2><p class='note'>monitor audit-sample 抽取的决定（预警名单、"
        "核实结果）经其他区县检查后返回的结论，按被检查的乡镇（街道）；每条以最近一次结论为准。"
        "确认率＝决定正确 ÷ 已检查。</p>"
    )
    if not rows:
        return head + "<p>尚无返回的抽查结论。</p>"
    sums = [sum(int(r[c]) for r in rows) for c in AUDIT_FINDING_COLUMNS[2:]]

    def share(confirmed: int, checked: int) -> str:
        return f"{100 * confirmed / checked:.0f}%" if checked else "—"

    table = _table(
        ["区县", "乡镇（街道）", "已检查", "决定正确", "决定有误", "无法核实", "确认率"],
        [[*(r[c] for c in AUDIT_FINDING_COLUMNS), share(r["confirmed"], r["checked"])]
         for r in rows],
        left=2,
        total=["全市", "", *sums, share(sums[1], sums[0])],
    )  # fmt: skip
    return head + f"<div class='scroll'>{table}</div>"


# --- looking at the rules themselves; the departments' lists (issue 14) --------------------

PRECISION_PARTS = (
    ("#7fbf7f", "已核实确认（已救助 / 已纳入低保）"),
    ("#e08080", "已核实-不符合条件"),
)


def _rule_precision(engine: Engine, as_of: dt.date) -> str:
    """Per signal, the handled warnings confirmed against found ineligible: an estimate of
    each rule's precision (rule_review)."""
    from monitor.rule_review import signal_precision

    rows = signal_precision(engine, as_of)
    head = (
        "<h2>各信号核实情况（规则精准度估计）</h2><p class='note'>按信号统计乡镇核实结果（每户每个信号"
        "计一次，以最近一次处置为准）：确认＝已核实-已救助或已核实-已纳入低保，不符合＝已核实-不符合条件；"
        "精准度估计＝确认 ÷（确认＋不符合），附 95% 置信区间（Wilson），核实户数少时区间很宽。"
        "无法联系、其他不计入估计。精准度偏低的信号，宜复核其阈值（可用 monitor whatif 试算）。</p>"
    )
    if not rows:
        return head + "<p>尚无乡镇核实结果。</p>"
    judged = [r for r in rows if r.judged]
    chart = ""
    if judged:
        chart = _chart(_stacked_bars, [r.label for r in judged],
                       [[r.confirmed, r.not_eligible] for r in judged], PRECISION_PARTS,
                       "各信号已核实的确认与不符合户数")  # fmt: skip
    table = _table(
        ["预警信号", "已处置", "已核实-已救助", "已核实-已纳入低保", "已核实-不符合条件", "无法联系",
         "其他", "精准度估计"],
        [[r.label, r.handled, r.helped, r.enrolled, r.not_eligible, r.unreachable, r.other,
          r.words()] for r in rows],
        text={7},
    )  # fmt: skip
    return head + f"<div class='pair'>{chart}{table}</div>"


def _warning_rates(engine: Engine, policy: Policy | None) -> str:
    """Warning rates by county, sex and age band against the monitored population."""
    from monitor.rule_review import RateRow, warning_rates

    head = (
        "<h2>预警率（按区县、性别、年龄段）</h2><p class='note'>监测人口：低收入人口库与防返贫监测户中"
        "在世的成员（退出救助已超过监测期的家庭除外）。预警家庭成员：所在家庭本次预警；预警所涉成员："
        "预警信号所指向的成员。主动发现：监测人口以外被预警所涉的人数（无比率）。只含人数。</p>"
    )
    if policy is None:
        return head + "<p>运行所用的政策文件已无法读取，年龄段无法确定，本节从略。</p>"
    rates = warning_rates(engine, policy)
    if not rates["county"]:
        return head + "<p>状态库中尚无监测人口。</p>"
    header = ["监测人口", "预警家庭成员", "比率", "预警所涉成员", "比率", "主动发现"]

    def rows(groups: list[RateRow]) -> list[list[object]]:
        return [
            [g.group, g.population, g.in_warned, RateRow.share(g.in_warned, g.population),
             g.carriers, RateRow.share(g.carriers, g.population), g.proactive]
            for g in groups
        ]  # fmt: skip

    everyone = rates["sex"]
    total = [sum(getattr(g, k) for g in everyone) for k in ("population", "in_warned", "carriers",
                                                            "proactive")]  # fmt: skip
    total_row = ["全市", total[0], total[1], RateRow.share(total[1], total[0]), total[2],
                 RateRow.share(total[2], total[0]), total[3]]  # fmt: skip
    tables = "".join(
        f"<div><h3>{title}</h3>" + _table([first, *header], rows(rates[key]), total=total_row)
        + "</div>"
        for key, title, first in (("county", "按区县", "区县"), ("sex", "按性别", "性别"),
                                  ("age", "按年龄段", "年龄段"))
    )  # fmt: skip
    return head + f"<div class='pair'>{tables}</div>"


REFERRAL_REPORT_COLUMNS = ("items", "households", "sent", "answered", "enrolled", "already",
                           "not_eligible", "in_progress", "other")  # fmt: skip


def _department_referrals(engine: Engine, run_id: str, policy: Policy | None) -> str:
    """Per department: this run's list, and the results returned for every list so far."""
    rows = engine.query("60_report/department_referrals.sql", {"run_id": run_id}).rows(named=True)
    head = (
        "<h2>部门转介</h2><p class='note'>各救助建议按政策文件转介给主管部门（departments/ 下每个部门"
        "一份清单）：本次转介的项数与户数；以往各次清单中转介过的（户×救助建议）、部门已反馈的，"
        "以及最近一次办理结果。</p>"
    )
    if not rows:
        return head + "<p>本次及以往均无转介。</p>"
    order = list(policy.referral.department_names()) if policy else []
    rows.sort(key=lambda r: (order.index(r["department"]) if r["department"] in order
                             else len(order), r["department"]))  # fmt: skip
    table = _table(
        ["部门", "本次转介（项）", "本次涉及户数", "累计转介（户×建议）", "已反馈", "已纳入救助",
         "此前已享受", "不符合条件", "办理中", "其他"],
        [[r["department"], *(r[c] for c in REFERRAL_REPORT_COLUMNS)] for r in rows],
    )  # fmt: skip
    return head + table


def _source_ages(
    engine: Engine, run_id: str, as_of: dt.date, empty: list[tuple[Any, ...]]
) -> dict[str, tuple[str, str]]:
    """Per source: its latest delivery (as-of date) and what this run had of it."""
    ages = {}
    # a file with no data record (header only) is no delivery, like an empty folder
    last_runs = dict(engine.run("60_report/last_deliveries.sql", {"run_id": run_id}))
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
        ages[source] = (str(last or "—"), status)
    return ages


def _quality(engine: Engine, run_id: str, as_of: dt.date) -> str:
    """Data quality per source, failed files first."""
    params = {"run_id": run_id}
    parts = ["<h2>数据质量（按来源）</h2>"]
    failed = engine.run("60_report/failed_files.sql", params)
    if failed:
        parts.append(
            f"<h3 class='bad'>失败的文件（{len(failed)} 个，其记录均未使用）</h3>"
            + _table(["来源", "文件", "原因"], [[_source(s), f, r] for s, f, r in failed], left=3)
        )
    empty = engine.run("60_report/empty_files.sql", params)
    methods = {
        r["source"]: r for r in engine.query("60_report/source_methods.sql").rows(named=True)
    }
    reasons: dict[str, list[str]] = {}
    for source, reason, records, _ in engine.run("60_report/quarantine_reasons.sql"):
        reasons.setdefault(source, []).append(f"{reason}（{records}）")
    ages = _source_ages(engine, run_id, as_of, empty)
    rows = []
    for source in SOURCES:
        m = methods.get(source)
        records = int(m["records"]) if m else 0
        linked = int(m["exact"] + m["repaired"] + m["fuzzy"]) if m else 0
        rows.append([
            _source(source), "快照" if contracts()[source].kind == "snapshot" else "事件累积",
            records, int(m["quarantined"]) if m else 0, "；".join(reasons.get(source, [])) or "—",
            f"{100 * linked / records:.1f}%" if records else "—", int(m["review"]) if m else 0,
            *ages[source],
        ])  # fmt: skip
    parts.append(
        "<p class='note'>当前记录：各来源现有的全部数据记录（含以往报送、仍在有效期内的事件记录）；"
        "匹配率＝关联到人的记录（精确、修复、模糊）÷ 当前记录；待人工复核：疑似同一人、"
        "等待数据人员在 review.xlsx 中确认的记录。</p>"
        + _table(
            [
                "来源",
                "类型",
                "当前记录",
                "隔离",
                "主要隔离原因",
                "匹配率",
                "待人工复核",
                "最近报送（监测日期）",
                "本次",
            ],
            rows,
            left=2,
            text={4, 7, 8},
        )
    )
    not_read = engine.run("60_report/unread_files.sql", params)
    if not_read:  # hidden files, Excel lock files, sub-folders (ingest.folder_entries)
        parts.append(
            "<h3>未读取的文件（跳过）</h3><p>来源文件夹中的以下条目没有读取：</p>"
            + _table(["来源", "文件", "原因"], [[_source(s), f, r] for s, f, r in not_read], left=3)
        )
    if empty:
        parts.append(
            "<h3 class='bad'>空文件（只有表头，0 条数据记录）</h3>"
            + _table(
                ["来源", "文件", "说明"], [[_source(s), f, r or ""] for s, f, r in empty], left=3
            )
        )
    return "".join(parts)


def _details(engine: Engine, run_id: str) -> str:
    """The analysts' figures: each file's balance, linking, GX expectations and flags."""
    params = {"run_id": run_id}
    parts = [
        "<h2>文件与记录平衡</h2><p>每个文件：数据记录数 = 精确匹配 + 修复后匹配 + 模糊匹配 + 待人工复核 + 未匹配 + 隔离。标题行、空行、合计行不计入数据记录。</p>"
    ]
    rows = []
    for r in engine.run("60_report/file_balance.sql", params):
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
            text={6},
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
    return "".join(parts)


def build_report(
    engine: Engine,
    run_id: str,
    as_of: dt.date,
    policy_file: str,
    policy_hash: str,
    published: object,
    policy: Policy | None = None,
) -> str:
    """The HTML report of one run. `published` holds what the run published (`by_tier`,
    `new`, `resolved`: publish.Published). `policy` is the run's policy; when not given it
    is read again from the file recorded in `runs` (for the provisional-policy notice)."""
    params = {"run_id": run_id, "as_of": as_of}
    policy = policy or _run_policy(engine, run_id, policy_hash)
    trend = engine.query("60_report/warning_trend.sql", params).rows(named=True)
    overdue_red = int(engine.value("60_report/overdue_red.sql", params) or 0)
    failed_files = len(engine.run("60_report/failed_files.sql", params))
    parts = [
        "<h1>低收入人口动态监测 运行报告</h1>",
        f"<p class='meta'>监测日期（as-of）：{as_of}；政策文件：{html.escape(policy_file)}"
        f"（sha256 {policy_hash[:12]}）。本报告只含统计数字，不含身份证号、姓名或电话。</p>",
        _provisional_notice(policy, policy_file),
        _headline(published, trend, as_of, overdue_red, failed_files),
        "<p class='note'>乡镇工作簿已按 MONITOR_WORKBOOK_PASSWORD 加密（打开时需输入密码）。</p>"
        if workbook_password()
        else "<p class='warn'>乡镇工作簿未加密：传送前请确认渠道安全，或设置"
        " MONITOR_WORKBOOK_PASSWORD 使每个乡镇工作簿加密。</p>",
        _by_county(engine),
        _by_township(engine),
    ]
    unknown = engine.run("60_report/unknown_townships.sql")
    if unknown:
        parts.append(
            "<h3>不在行政区划参考表中的乡镇（街道）</h3><p>以下乡镇（街道）名称不在 config/city.yaml"
            " 的参考表中，已按其记录中身份证号最多的区县分派。请核对名称（错别字、简称或新设乡镇），"
            "必要时更新参考表。</p>"
            + _table(["乡镇（街道）", "暂定区县", "户数"], [list(r) for r in unknown], left=2)
        )
    parts += [
        _by_signal(engine),
        _trend(trend),
        _feedback(engine, run_id, as_of),
        _audit(engine, run_id),
        _rule_precision(engine, as_of),
        _warning_rates(engine, policy),
        _department_referrals(engine, run_id, policy),
        _quality(engine, run_id, as_of),
        _details(engine, run_id),
    ]
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>运行报告 {as_of}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
