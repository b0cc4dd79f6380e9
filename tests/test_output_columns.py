"""docs/outputs.md documents every column of every CSV a run (and `monitor whatif --csv`)
writes, in order: each `### \\`name\\`` section's table against the header a run wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_small_input, run

DOC = Path(__file__).resolve().parents[1] / "docs" / "outputs.md"
RUN_FILES = ("warnings.csv", "resolved.csv", "links.csv", "review.csv", "quarantine.csv")


def documented() -> dict[str, list[str]]:
    """Each `### ` section of the doc's CSV part: the backticked names of its table's rows."""
    text = DOC.read_text(encoding="utf-8").split("## The CSV files", 1)[1]
    sections = re.split(r"^### ", text, flags=re.M)[1:]
    columns = {}
    for section in sections:
        title = section.splitlines()[0]
        columns[title] = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)
    return columns


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("columns")
    run(build_small_input(folder / "in"), folder / "out", folder / "s.duckdb")
    return folder / "out"


@pytest.mark.parametrize("name", RUN_FILES)
def test_the_doc_lists_the_columns_a_run_writes(written: Path, name: str) -> None:
    header = (written / name).read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert documented()[f"`{name}`"] == header


def test_the_what_if_csv_columns_are_documented() -> None:
    from monitor.whatif import CHANGE_COLUMNS

    assert documented()["`monitor whatif --csv FILE`"] == list(CHANGE_COLUMNS)


def test_the_analysts_csv_columns_are_documented(written: Path, tmp_path: Path) -> None:
    """price-subsidy's and audit-sample's CSVs, written on the small input's night."""
    from monitor.audit import audit_sample
    from monitor.price_subsidy import price_subsidy
    from monitor.state import published_state

    state = published_state(written)
    price_subsidy(state, "2026-11", 3.6, dest=tmp_path)
    sample = audit_sample(state, 5, dest=tmp_path)
    files = {
        "`price_subsidy_<month>.csv`": tmp_path / "price_subsidy_2026-11.csv",
        "`audit_sample_<as-of>.csv`": tmp_path / f"audit_sample_{sample.as_of}.csv",
    }
    for title, path in files.items():
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) > 1, path  # a header and rows
        assert documented()[title] == lines[0].split(","), title
