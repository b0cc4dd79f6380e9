"""limits.py: the run's one memory setting and what is derived from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import limits
from monitor.errors import MonitorError
from monitor.state import open_state


@pytest.mark.parametrize(("text", "size"), [("4GiB", 4 * 1024**3), ("2GB", 2 * 1000**3),
                                            ("512MiB", 512 * 1024**2), ("1.5g", 3 * 1024**3 // 2),
                                            ("2147483648", 2**31)])  # fmt: skip
def test_sizes_are_read_with_their_units(text: str, size: int) -> None:
    assert limits.parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "4 parsecs", "-1GiB", "10MiB"])
def test_a_size_that_is_not_one_is_one_message(text: str) -> None:
    with pytest.raises(MonitorError, match="内存上限"):
        limits.parse_size(text)


def test_the_chunks_shrink_with_the_limit_within_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = {}
    for limit in ("256MiB", "1GiB", "2GiB", "8GiB", "64GiB"):
        monkeypatch.setenv(limits.ENV, limit)
        sizes[limit] = limits.chunk_rows()
    assert sizes["64GiB"] == sizes["8GiB"] == limits.CHUNK_ROWS_MAX
    assert sizes["256MiB"] == limits.CHUNK_ROWS_MIN
    assert limits.CHUNK_ROWS_MIN < sizes["1GiB"] < sizes["2GiB"] < sizes["8GiB"]
    monkeypatch.delenv(limits.ENV)
    assert limits.memory_limit() == min(limits.machine_memory() // 2, limits.DEFAULT_CAP)


def test_the_state_is_opened_with_duckdbs_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv(limits.ENV, "2GiB")
    with open_state(tmp_path / "s.duckdb") as engine:
        (setting,) = engine.execute("select current_setting('memory_limit')")[0]
        (spill,) = engine.execute("select current_setting('temp_directory')")[0]
    assert setting.replace(" ", "") in ("1.1GiB", "1.2GiB", "1228.0MiB")
    assert Path(spill).parent == tmp_path / ".s.duckdb.tmp"  # spills go to the private folder
