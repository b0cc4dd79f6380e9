"""Render page 1 of each sheet of a workbook to PNG, as LibreOffice prints it on A4.

    .venv/bin/python tools/render_workbook.py BOOK.xlsx OUT_DIR [--sheets 预警清单 打印版]

Needs LibreOffice (soffice) and poppler (pdftoppm): `.ci/run` installs them with apt-get.
Each sheet is printed alone (a copy of the workbook keeping only that sheet), so its first
page is its own; the PNGs are what docs/ shows of the workbook.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import load_workbook


def render(book: Path, sheet: str, out: Path, dpi: int = 80) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wb = load_workbook(book)
        for other in [s for s in wb.sheetnames if s != sheet]:
            del wb[other]
        single = work / "sheet.xlsx"
        wb.save(single)
        env = os.environ | {"HOME": str(work)}
        subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "pdf",
                        "--outdir", str(work), str(single)],
                       check=True, capture_output=True, timeout=180, env=env)  # fmt: skip
        target = out / f"{book.stem}-{sheet}"
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                        str(work / "sheet.pdf"), str(target)], check=True, timeout=120)  # fmt: skip
        return target.with_suffix(".png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("book", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sheets", nargs="+", default=["预警清单", "打印版", "汇总"])
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        raise SystemExit(
            "需要 LibreOffice（soffice）和 poppler（pdftoppm）：apt-get install libreoffice-calc poppler-utils"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    for sheet in args.sheets:
        print(render(args.book, sheet, args.out, args.dpi))


if __name__ == "__main__":
    main()
