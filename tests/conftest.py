"""Shared fixtures: a tiny hand-made input folder with known content."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import xlsxwriter
from hypothesis import settings

from monitor import pipeline
from monitor.engine import Engine, connect

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Tests run in parallel processes (pytest-xdist, `make test`): each its own Prefect home, so
# that two temporary servers never migrate or write one database at once.
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    home = os.environ.get("PREFECT_HOME") or str(Path.cwd() / ".prefect")
    os.environ["PREFECT_HOME"] = f"{home}-{worker}"

# Property tests assert behaviour, not speed: no per-example deadline (a loaded CI machine
# ran one example in 263 ms against hypothesis's default of 200 ms and failed the suite).
settings.register_profile("monitor", deadline=None)
settings.load_profile("monitor")


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a `monitor` command run by a test: this one's, without a Prefect
    server's address (the command starts its own temporary one) or a progress setting."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("PREFECT_API", "MONITOR_PROGRESS"))}  # fmt: skip
    return base | (extra or {})


def monitor(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """`monitor ARGS…` in a new process, as an operator types it: (code, stdout, stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd, env=cli_env(env),
    )  # fmt: skip


WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
AS_OF = dt.date(2026, 11, 15)


@pytest.fixture(scope="session")
def template_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state whose every table and view exists with its real columns: the pipeline's own
    stages run once on no input, with the 2026 policy at AS_OF (the model tests and the
    publish and report tests fill copies of it)."""
    from monitor import link, score
    from monitor.policy import POLICY_DIR, load_policy
    from monitor.state import ensure_schema

    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    with connect(path) as engine:
        ensure_schema(engine)
        link.link_records(engine, AS_OF.isoformat())
        link.build_households(engine)
        score.score(engine, load_policy(POLICY_DIR / "2026.yaml")[0], AS_OF, AS_OF.isoformat())
    return path


@pytest.fixture
def template_engine(template_state: Path, tmp_path: Path) -> Iterator[Engine]:
    """An engine on this test's own copy of the template state."""
    copy = tmp_path / "state.duckdb"
    shutil.copy(template_state, copy)
    with connect(copy) as engine:
        yield engine


def as_table(engine: Engine, table: str) -> None:
    """A view of the state (records_current) becomes an empty table of its columns, for a
    test to give its rows."""
    kind = engine.execute(
        "select table_type from information_schema.tables where table_name = ?", [table]
    )
    if kind and kind[0][0] == "VIEW":
        engine.execute(f"create table _given as select * from {table} limit 0")
        engine.execute(f"drop view {table}")
        engine.execute(f"alter table _given rename to {table}")


def put(engine: Engine, table: str, rows: list[dict[str, Any]]) -> None:
    """Append `rows` to a table of the state (a view becomes a table of the rows given)."""
    as_table(engine, table)
    engine.append(table, pl.DataFrame(rows))


def make_id(county: str, birth: str, seq: int) -> str:
    """A valid 18-character ID (independent of the package's own normalizer)."""
    body = f"{county}{birth}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


# Household A (roster, 低保): head 张伟, spouse 李娜, child 张小明 (dropout).
A_HEAD = make_id("341102", "19800101", 11)
A_SPOUSE = make_id("341102", "19820202", 22)
A_CHILD = make_id("341102", "20120303", 31)
# Person B (not on the roster): big hospital bills -> 主动发现.
B = make_id("341122", "19700505", 41)
# Person C: only an HR record, nothing to raise.
C = make_id("341122", "19900606", 52)


def write_csv(
    path: Path, header: list[str], rows: list[list[object]], encoding: str = "utf-8-sig"
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def write_xlsx(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    title: str | None = None,
    total: bool = False,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    # a fixed creation time: the same rows give the same bytes, so the same content hash
    # (which orders two deliveries of one run) whenever the test runs
    wb.set_properties({"created": dt.datetime(2026, 11, 15, 8, 0, 0)})
    ws = wb.add_worksheet("数据")
    r = 0
    if title:
        ws.merge_range(0, 0, 0, len(header) - 1, title)
        r = 1
    ws.write_row(r, 0, header)
    for i, row in enumerate(rows, start=r + 1):
        for j, v in enumerate(row):
            if isinstance(v, str):
                ws.write_string(i, j, v)
            elif v is not None:
                ws.write_number(i, j, v)
    if total:
        ws.write_row(r + len(rows) + 1, 0, ["合计"])
    wb.close()


def build_small_input(root: Path) -> Path:
    """Write a small input folder: 3 sources in CSV/xlsx with a few defects."""
    write_xlsx(
        root / "roster" / "低收入人口库.xlsx",
        [
            "家庭编号",
            "成员姓名",
            "成员身份证号",
            "与户主关系",
            "乡镇（街道）",
            "村（社区）",
            "城乡类别",
            "救助类别",
            "家庭月总收入（元）",
            "月保障金额（元）",
            "状态",
            "联系电话",
        ],
        [
            [
                "F001",
                "张伟",
                A_HEAD,
                "本人(户主)",
                "琅琊街道",
                "东门社区",
                "城市",
                "低保",
                "1200",
                "1200",  # 月保障金额: its 补差 (800 x 3 - 1,200) in full
                "在保",
                "13812345678",
            ],
            [
                "F001",
                "李 娜",
                A_SPOUSE.lower(),
                "配偶",
                "琅琊街道",
                "东门社区",
                "城市",
                "低保",
                "",
                "",
                "在保",
                "",
            ],
            [
                "F001",
                "张小明",
                A_CHILD,
                "子女",
                "琅琊街道",
                "东门社区",
                "城市",
                "低保",
                "",
                "",
                "在保",
                "",
            ],
        ],
        title="2026年11月低收入人口库",
        total=True,
    )
    write_csv(
        root / "education" / "学籍.csv",
        ["学生姓名", "身份证件号", "学段", "学籍状态", "学年"],
        [["张小明", A_CHILD, "初中", "辍学", "2026-2027"]],
    )
    write_csv(
        root / "medical_insurance" / "医保结算明细_202610.csv",
        ["参保人姓名", "证件号码", "结算日期", "就医类型", "医疗总费用（元）", "个人自付（元）"],
        [
            ["王强", B, "2026/10/5", "住院", "120,000.00", "60000元"],
            ["王强", B, "2026/10/5", "住院", "120,000.00", "60000元"],  # exported twice
            ["", "", "2026-10-06", "门诊", "10", "5"],  # nothing usable -> quarantined
            ["某人", "3.40102199001011E+17", "20261007", "门诊", "10", "5"],  # truncated ID
        ],
        encoding="gb18030",
    )
    write_csv(root / "hr" / "hr.csv", ["姓名", "身份证号码", "就业状态"], [["赵六", C, "就业"]])
    write_csv(
        root / "hotline" / "bad.csv", ["工单编号", "诉求人"], [["T1", "某人"]]
    )  # 来电时间 missing
    return root


@pytest.fixture
def small_input(tmp_path: Path) -> Path:
    return build_small_input(tmp_path / "input")


def run(input_dir: Path, out: Path, state: Path, as_of: dt.date = AS_OF) -> pipeline.RunSummary:
    """The nightly stages on `input_dir` without Prefect; returns the run's summary."""
    return pipeline.run_all(pipeline.make_context(input_dir, out, as_of, state))


def read(path: Path) -> pl.DataFrame:
    """An output CSV, every column as text."""
    return pl.read_csv(path, infer_schema=False, encoding="utf8")
