"""Literal cases of the matcher's decision under a realistic calibration (a city of 1,000,000).

Each case: a pending record and its candidates (as blocking proposes them) ->
the expected outcome. The calibration is fixed here so that the cases test the
comparison and decision logic; calibration itself is tested on data elsewhere.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from monitor.matching import (
    Calibration,
    LinkageConfig,
    decide,
    load_config,
    pinyin_column,
    score_pairs,
)

N = 1_000_000.0
CAL = Calibration(
    persons=int(N),
    m_name=np.array([0.93, 0.03, 0.02, 0.02]),
    u_similar=0.02,
    m_phone=0.9,
    m_township=0.95,
    m_id_typo=0.97,
    m_id_prefix=0.98,
    u_id_typo=0.02 / N,
    u_id_prefix=3 / N,
    prior={"medical_insurance": 0.98, "hotline": 0.6, "hr": 0.9, "education": 0.9, "roster": 0.95},
    m_name_by_group={
        "other": np.array([0.93, 0.03, 0.02, 0.02]),
        "hotline": np.array([0.80, 0.12, 0.05, 0.03]),
    },
)


def cand(
    person: str,
    name: str | None,
    *,
    block: str,
    size: int = 1,
    phone: bool | None = None,
    town: bool | None = None,
    n_name: int = 3,
    n_pinyin: int = 5,
) -> dict[str, object]:
    return {
        "person_id": person, "cand_name": name, "block": block, "block_size": size,
        "cand_has_phone": phone is not None, "phone_agrees": bool(phone),
        "cand_has_township": town is not None, "township_agrees": bool(town),
        "n_name": n_name, "n_pinyin": n_pinyin,
    }  # fmt: skip


def outcome(
    source: str, status: str, name: str | None, candidates: list[dict[str, object]], *,
    phone: str | None = None, township: str | None = None, n_phone: int = 1, n_township: int = 30_000,
    cfg: LinkageConfig | None = None,
) -> tuple[str, str | None]:  # fmt: skip
    rows = [
        {"source": source, "file_hash": "f", "_row": 1, "id_status": status, "rec_name": name,
         "rec_phone": phone, "rec_township": township, "n_phone": n_phone, "n_township": n_township, **c}
        for c in candidates
    ]  # fmt: skip
    pairs = pl.DataFrame(rows).with_columns(
        pinyin_column(pl.Series([r["rec_name"] for r in rows], dtype=pl.String)).alias(
            "rec_pinyin"
        ),
        pinyin_column(pl.Series([r["cand_name"] for r in rows], dtype=pl.String)).alias(
            "cand_pinyin"
        ),
    )
    records = pl.DataFrame(
        {"source": [source], "file_hash": ["f"], "_row": [1], "id_status": [status],
         "has_phone": [phone is not None], "has_township": [township is not None]}
    )  # fmt: skip
    levels, post = score_pairs(pairs, records, CAL, N)
    decided, _ = decide(pairs, levels, post, cfg or load_config())
    row = decided.row(0, named=True)
    return row["method"], row["person_id"] if row["method"] == "fuzzy" else None


CASES = [
    # (description, args, kwargs, expected method, expected person)
    (
        "typo, name agrees",
        ("medical_insurance", "bad_check", "张伟", [cand("P1", "张伟", block="id_typo")]),
        {},
        "fuzzy",
        "P1",
    ),
    (
        "typo, traditional/homophone name",
        ("medical_insurance", "bad_check", "张玮", [cand("P1", "张伟", block="id_typo")]),
        {},
        "fuzzy",
        "P1",
    ),
    # the ID points at P1 but the name is someone else's: a person decides, it is never linked
    (
        "typo, another person's name",
        ("medical_insurance", "bad_check", "赵六", [cand("P1", "张伟", block="id_typo")]),
        {},
        "review",
        None,
    ),
    (
        "typo next to both twins: the one with the name",
        (
            "medical_insurance",
            "bad_check",
            "李明",
            [
                cand("A", "李明", block="id_typo", size=2),
                cand("B", "李亮", block="id_typo", size=2),
            ],
        ),
        {},
        "fuzzy",
        "A",
    ),
    (
        "twins, name missing: one of them, a person decides",
        (
            "medical_insurance",
            "bad_check",
            None,
            [
                cand("A", "李明", block="id_typo", size=2),
                cand("B", "李亮", block="id_typo", size=2),
            ],
        ),
        {},
        "review",
        None,
    ),
    (
        "truncated, one of three prefix sharers has the name",
        (
            "medical_insurance",
            "truncated",
            "张伟",
            [
                cand("P1", "张伟", block="id_prefix", size=3),
                cand("P2", "王芳", block="id_prefix", size=3),
                cand("P3", "刘洋", block="id_prefix", size=3),
            ],
        ),
        {},
        "fuzzy",
        "P1",
    ),
    # measured at 1M people: these were linked, and wrongly, before the name had to agree
    (
        "typo, a merely similar name (not a variant)",
        ("hr", "bad_check", "周紫涵", [cand("P1", "唐子涵", block="id_typo")]),
        {},
        "review",
        None,
    ),
    (
        "typo, no name to compare: a twin could be one typo away",
        ("education", "bad_check", None, [cand("P1", "李明", block="id_typo")]),
        {},
        "review",
        None,
    ),
    (
        "typo'd ID pointing elsewhere, same name on the household phone (a sibling)",
        (
            "roster",
            "bad_check",
            "徐浩然",
            [cand("P1", "徐浩然", block="phone", phone=True, town=True)],
        ),
        {"phone": "15557115058", "township": "黄泥岗镇"},
        "review",
        None,
    ),
    (
        "truncated, two prefix sharers with the same name",
        (
            "medical_insurance",
            "truncated",
            "张伟",
            [
                cand("P1", "张伟", block="id_prefix", size=2),
                cand("P2", "张伟", block="id_prefix", size=2),
            ],
        ),
        {},
        "review",
        None,
    ),
    (
        "hotline: homophone, same phone and township",
        ("hotline", "missing", "张玮", [cand("P1", "张伟", block="phone", phone=True, town=True)]),
        {"phone": "13800001111", "township": "琅琊街道"},
        "fuzzy",
        "P1",
    ),
    (
        "hotline: the household's phone, the caller is the spouse",
        (
            "hotline",
            "missing",
            "王芳",
            [
                cand("P1", "张伟", block="phone", size=2, phone=True, town=True),
                cand("P2", "王芳", block="phone", size=2, phone=True, town=True),
            ],
        ),
        {"phone": "13800001111", "township": "琅琊街道", "n_phone": 2},
        "fuzzy",
        "P2",
    ),
    (
        "hotline: 王靓 on the household phone of 王静 and 王亮 (靓 reads jìng or liàng)",
        (
            "hotline",
            "missing",
            "王靓",
            [
                cand("P1", "王静", block="phone", size=2, phone=True, town=True),
                cand("P2", "王亮", block="phone", size=2, phone=True, town=True),
            ],
        ),
        {"phone": "15979715723", "township": "总铺镇", "n_phone": 2},
        "review",
        None,
    ),
    (
        "hotline: same phone, a name nobody in the household has",
        ("hotline", "missing", "陈红", [cand("P1", "张伟", block="phone", phone=True, town=True)]),
        {"phone": "13800001111", "township": "琅琊街道"},
        "review",
        None,
    ),
    (
        "hotline: common name in the township, no phone on file",
        (
            "hotline",
            "missing",
            "张伟",
            [
                cand(
                    f"P{i}",
                    "张伟",
                    block="name_township",
                    size=4,
                    town=True,
                    n_name=400,
                    n_pinyin=600,
                )
                for i in range(4)
            ],
        ),
        {"township": "琅琊街道"},
        "unmatched",
        None,
    ),
    (
        "hotline: rare name in the township, no phone on file",
        (
            "hotline",
            "missing",
            "欧阳震华",
            [cand("P1", "欧阳震华", block="name_township", town=True, n_name=1, n_pinyin=1)],
        ),
        {"township": "琅琊街道"},
        "review",
        None,
    ),
]


@pytest.mark.parametrize(
    ("args", "kwargs", "method", "person"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decision(args: tuple, kwargs: dict, method: str, person: str | None) -> None:  # type: ignore[type-arg]
    assert outcome(*args, **kwargs) == (method, person)


@pytest.mark.parametrize(
    ("posteriors", "method"),
    [
        ((0.45, 0.10, 0.05), "review"),  # one likely candidate
        ((0.31, 0.27, 0.20), "review"),  # the best is still likely enough to show
        ((0.28, 0.27, 0.26), "unmatched"),  # two shown, each right about a third of the time
        ((0.20, 0.20, 0.20), "unmatched"),
    ],
)
def test_review_needs_a_likely_best_candidate(posteriors: tuple[float, ...], method: str) -> None:
    """review: the two best together hold half the probability and the best alone review_min_best."""
    cfg = load_config()
    assert cfg.review_threshold == 0.5 and cfg.review_min_best == 0.3
    names = ["欧阳震华"] * len(posteriors)
    pairs = pl.DataFrame(
        [
            {"source": "hotline", "file_hash": "f", "_row": 1, "id_status": "missing",
             "rec_name": n, "rec_phone": None, "rec_township": "琅琊街道",
             **cand(f"P{i}", n, block="name_township", size=3, town=True)}
            for i, n in enumerate(names)
        ]
    )  # fmt: skip
    levels = np.zeros(pairs.height, dtype=np.int8)
    decided, _ = decide(pairs, levels, np.array(posteriors), cfg)
    assert decided["method"].to_list() == [method]


def test_name_and_township_links_only_when_configured() -> None:
    """A rare name in the township, no identifier: review by default, linked when configured."""
    args = (
        "hotline",
        "missing",
        "欧阳震华",
        [cand("P1", "欧阳震华", block="name_township", town=True, n_name=1, n_pinyin=1)],
    )
    assert outcome(*args, township="琅琊街道") == ("review", None)
    relaxed = load_config().model_copy(update={"unidentified_link_threshold": 0.6})
    assert outcome(*args, township="琅琊街道", cfg=relaxed) == ("fuzzy", "P1")
