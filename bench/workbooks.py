"""Time one township workbook of N warnings (issue 12: 2,000 in under 2 s).

    .venv/bin/python bench/workbooks.py [--warnings 2000] [--repeat 3]

Synthetic households (four members, two evidence records each, explanations of a typical
length) written with monitor.workbooks; prints the median seconds, the file's size, and,
as the floor measured in the same run, the time xlsxwriter takes for a bare sheet of the
same cells without formats, validation, protection or the other sheets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl
import xlsxwriter

from monitor.workbooks import MAIN_HEADER, write_township_workbooks

AS_OF = dt.date(2026, 11, 15)
EXPLANATION = (
    "【红色】医疗自付费用高：张敏：近12个月医疗个人自付合计 26,554 元（4笔结算），超过家庭年收入"
    " 12,000 元的 100%（红色）。【橙色】收入低于低保标准：家庭月收入 900 元，4 人，人均 225 元/月。"
)


def frames(n: int) -> tuple[pl.DataFrame, ...]:
    keys = [f"341102-2026-{i:06d}" for i in range(n)]
    ids = [[f"341102{1950 + j * 20:04d}0101{i % 1000:03d}{j}" for j in range(4)] for i in range(n)]
    warnings = pl.DataFrame({
        "household_key": keys, "kind": "在册对象", "county": "341102", "township": "琅琊街道",
        "village": [f"第{i % 40}社区" for i in range(n)],
        "tier": [("red", "orange", "yellow", "review")[i % 4] for i in range(n)],
        "score": [float(n - i) for i in range(n)], "codes": "INCOME_BELOW_STANDARD;MED_OOP_HIGH",
        "assistance": "纳入低保;医疗救助;临时救助", "green_channel": "true", "status": "新增",
        "deadline": "2026-11-20", "member_ids": [";".join(m[:2]) for m in ids],
        "explanation": EXPLANATION,
    })  # fmt: skip
    members = pl.DataFrame({
        "household_key": [k for k in keys for _ in range(4)],
        "person_id": [p for m in ids for p in m], "name": "张小明", "phone": "13812345678",
        "warned": [j < 2 for _ in keys for j in range(4)], "deceased": False,
    })  # fmt: skip
    evidence = pl.DataFrame({
        "household_key": [k for k in keys for _ in range(2)],
        "person_id": [m[j] for m in ids for j in range(2)], "code": "MED_OOP_HIGH", "tier": "red",
        "amount": 13277.0, "event_date": AS_OF, "source": "medical_insurance",
        "file_name": "医保结算_2026-10.xlsx", "_row": 17, "detail": "住院 个人自付 13,277 元",
    })  # fmt: skip
    addresses = pl.DataFrame({"household_key": keys, "address": "琅琊区东门社区3栋2单元"})
    return warnings, evidence, members, addresses


def floor(path: Path, warnings: pl.DataFrame) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, MAIN_HEADER)
    for i, row in enumerate(warnings.iter_rows(), start=1):
        ws.write_row(i, 0, [str(v) for v in row][: len(MAIN_HEADER)])
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warnings", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings, evidence, members, addresses = frames(args.warnings)
    times, floors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            folder = Path(tmp) / f"run{i}"
            started = time.perf_counter()
            write_township_workbooks(folder, warnings, evidence, members, addresses, as_of=AS_OF,
                                     run_id=AS_OF.isoformat(), secret=b"k" * 32,
                                     county_names={"341102": "琅琊区"})  # fmt: skip
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor(Path(tmp) / f"floor{i}.xlsx", warnings)
            floors.append(time.perf_counter() - started)
        (book,) = (Path(tmp) / "run0").iterdir()
        size = book.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, f = statistics.median(times), statistics.median(floors)
    print("| warnings | workbook s | bare sheet s (floor) | ratio | size MB | peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.warnings} | {t:.2f} | {f:.2f} | {t / f:.1f} | {size / 1e6:.1f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
