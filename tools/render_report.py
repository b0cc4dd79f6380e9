"""Render report.html to PNG as headless Chromium shows it (the top of the page).

    .venv/bin/python tools/render_report.py REPORT.html OUT.png [--width 1280] [--height 3000]
        [--colours 128]

Needs Debian's chromium and fonts-noto-cjk: `.ci/run` installs them with apt-get. The report
is opened as a file (it needs no network); the window is `--width` × `--height` CSS pixels
and the PNG is what it shows, every pixel as drawn, or with `--colours N` reduced to N
colours (a third of the bytes, for docs/images/report.png).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path


def chromium() -> str | None:
    """The Chromium program, where one is installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def headless(browser: str, profile: Path) -> list[str]:
    """Chromium without a window, a sandbox (root in CI) or a GPU, on a throw-away profile."""
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", f"--user-data-dir={profile}"]  # fmt: skip


def render(
    report: Path, out: Path, width: int = 1280, height: int = 3000, colours: int | None = None
) -> Path:
    browser = chromium()
    if browser is None:
        raise SystemExit("需要 Chromium：apt-get install chromium fonts-noto-cjk")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        command = [*headless(browser, Path(tmp)), f"--window-size={width},{height}",
                   f"--screenshot={out.resolve()}", report.resolve().as_uri()]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, timeout=180)
    if not out.is_file():
        raise SystemExit(f"Chromium wrote no screenshot of {report}")
    if colours:
        from PIL import Image

        with Image.open(out) as image:
            fewer = image.convert("RGB").quantize(colours, dither=Image.Dither.NONE)
        fewer.save(out, optimize=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--colours", type=int, help="reduce the PNG to this many colours")
    args = parser.parse_args()
    print(render(args.report, args.out, args.width, args.height, args.colours))


if __name__ == "__main__":
    main()
