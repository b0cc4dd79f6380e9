"""citygen evaluate: precision and recall against a generated city's truth, on a hand-made one.

Reads the hotline file through monitor's readers (as evaluate does), so monitor must be
importable."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

from citygen.evaluate import evaluate_links
from citygen.ids import check_char

BODY = "341102" + "19800101" + "011"  # county, birth date, sequence
P1, P2, P3 = BODY + check_char(BODY), "P2", "P3"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def test_precision_recall_and_who_carries_an_id(tmp_path: Path) -> None:
    truth = tmp_path / "city" / "truth"
    truth.mkdir(parents=True)
    pl.DataFrame(
        {
            "source": ["roster", "roster", "hotline", "hotline"],
            "folder": ["input"] * 4,
            "file": ["a.csv", "a.csv", "h.csv", "h.csv"],
            "row": ["1", "2", "1", "2"],
            "person_id": [P1, P3, P1, P1],
            "defects": ["", "id_typo_digit", "", ""],
        }
    ).write_csv(truth / "rows.csv")
    # the hotline's first caller gave no ID (not a defect: the usual case), the second did
    write_csv(
        tmp_path / "city" / "input" / "hotline" / "h.csv",
        ["工单编号", "来电时间", "诉求人", "身份证号", "联系电话"],
        [["T1", "2026-11-01", "张伟", "", "13800001111"], ["T2", "2026-11-02", "张伟", P1, ""]],
    )
    links = pl.DataFrame(
        {
            "source": ["roster", "roster", "hotline", "hotline"],
            "file": ["a.csv", "a.csv", "h.csv", "h.csv"],
            "row": [1, 2, 1, 2],
            "person_id": [P1, P2, None, P1],
            "method": ["exact", "fuzzy", "review", "exact"],
        }
    )
    table = {r["population"]: r for r in evaluate_links(links, truth).iter_rows(named=True)}
    every = table["all records"]
    assert (every["records"], every["linked"], every["correct"]) == (4, 3, 2)
    assert every["precision"] == 2 / 3
    # known to the state: P1 (an exact link); P3's only record has a damaged ID
    assert every["recall"] == 2 / 3
    assert every["review_share"] == 1 / 4
    assert table["records without an ID"]["records"] == 1
    assert table["records carrying an ID in any form"]["records"] == 3
    assert table["defect: id_typo_digit"]["precision"] == 0.0
