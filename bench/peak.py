"""Run a command and print the peak resident memory of its whole process tree.

    .venv/bin/python bench/peak.py -- .venv/bin/monitor run ...

`/usr/bin/time -v` prints the largest single process's peak; a night also runs its
workbook processes beside the main one (and the Prefect server beside both), and what a
server must have is their sum. Sampled from /proc every 0.2 s (Linux): the sum of the
tree's RSS at each sample, its largest value, and each process's largest RSS by command.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        tree.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
    return tree


def _rss_kib(pid: int) -> tuple[int, str]:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:80]
    except OSError:
        return 0, ""
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]), command
    return 0, command


def main() -> int:
    command = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    started = time.perf_counter()
    child = subprocess.Popen(command)
    peak_sum, by_command = 0, {}
    while child.poll() is None:
        tree, pending, total = _children(), [child.pid], 0
        while pending:
            pid = pending.pop()
            rss, name = _rss_kib(pid)
            total += rss
            by_command[name] = max(by_command.get(name, 0), rss)
            pending += tree.get(pid, [])
        peak_sum = max(peak_sum, total)
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    print(f"\nexit {child.returncode} after {seconds:.1f} s; peak of the tree's summed RSS"
          f" {peak_sum / 1024 / 1024:.2f} GiB", file=sys.stderr)  # fmt: skip
    for name, rss in sorted(by_command.items(), key=lambda kv: -kv[1])[:6]:
        print(f"  {rss / 1024 / 1024:6.2f} GiB  {name}", file=sys.stderr)
    return child.returncode


if __name__ == "__main__":
    raise SystemExit(main())
