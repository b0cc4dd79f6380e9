"""Identity resolution for records whose ID cannot be used as is (Fellegi-Sunter).

Every statement is a model under sql/30_link/ that the engine runs (the queries read
into frames, the matcher's tables written from frames); candidates come from
blocking (sql/30_link/candidate_pairs.sql). Each
pair is compared on name (exact / same pinyin / similar / different, rapidfuzz
over whole columns), phone and township (agree / disagree / missing), and on
the ID evidence of its block (one typo away; same 15 surviving characters).

Weights are calibrated from the data, not hand-tuned:
- m (P(level | same person)) from the pairs the data already proves: records
  with a valid ID compared with their person's evidence from *other* sources;
- u (P(level | different people)) from frequencies: a name shared by k of N
  known persons agrees by chance with probability k/N (term-frequency
  adjustment), likewise phones and townships; "similar" from random pairs;
- the prior that a pending record's person is known to the state, per source,
  by EM (the mean posterior mass over that source's records, iterated).

The posterior of candidate c of a record is
    p_c = pi * BF_c / N  /  ((1 - pi) + pi * sum_k BF_k / N),
BF = product of m/u over the comparisons. Worked example (N = 1,000,000): a
hotline ticket whose phone is held by one person (u = 1e-6, m = 0.9: BF 9e5),
same name as 5 persons (u = 5e-6, m = 0.9: BF 1.8e5), same township (30,000
residents, u = 0.03, m = 0.9: BF 30): BF/N = 4.9e6, p = 0.999999 with pi = 0.5
-> linked. The same ticket without a phone: BF/N = 5.4, p = 0.84 -> review.
Thresholds are in config/linkage.yaml.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from monitor.contracts import contracts
from monitor.engine import Engine
from monitor.limits import DUCKDB_SHARE_LENT, duckdb_memory_limit
from monitor.resources import find, packaged

log = logging.getLogger(__name__)

CONFIG_FILE = packaged("config", "linkage.yaml")  # the packaged default (resources.find)
NAME_LEVELS = ("exact", "pinyin", "similar", "different")
SIMILAR_NAME = 0.80  # Jaro-Winkler on characters or on pinyin, for "similar"
SIMILAR_PINYIN = 0.90


class LinkageConfig(BaseModel):
    """config/linkage.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    link_threshold: float = Field(gt=0.5, le=1)
    review_threshold: float = Field(gt=0, lt=1)
    review_min_best: float = Field(ge=0, lt=1)
    # None: a record sharing no identifier with its candidate (name and township only) is
    # never linked; a number: it is linked at this posterior (see docs/decisions.md).
    unidentified_link_threshold: float | None = Field(default=None, gt=0.5, le=1)
    ambiguity_margin: float = Field(ge=0, lt=1)
    max_candidates_per_block: int = Field(ge=1, le=10_000)
    em_iterations: int = Field(ge=1, le=1000)
    random_pairs: int = Field(ge=1000, le=10_000_000)
    seed: int


@functools.cache
def load_config(path: Path | None = None) -> LinkageConfig:
    """config/linkage.yaml: `path`, else $MONITOR_HOME/config/, else the packaged default."""
    found = find("config", "linkage.yaml", path)
    return LinkageConfig.model_validate(yaml.safe_load(found.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- pinyin


@functools.cache
def _char_pinyin(char: str) -> str:
    from pypinyin import Style, pinyin

    if char == "·":
        return ""
    return pinyin(char, style=Style.NORMAL, heteronym=False, errors="default")[0][0]


# Characters read more than one way in names (surnames first: 曾 is zēng as a surname,
# céng elsewhere, and pinyin_column gives the first reading). A curated list: pypinyin's
# own heteronym lists hold rare readings of common name characters (强 jiàng, 娜 nuó)
# that would make different names "sound alike".
NAME_READINGS: dict[str, frozenset[str]] = {
    ch: frozenset(readings.split())
    for ch, readings in {
        "曾": "zeng ceng", "单": "shan dan", "解": "xie jie", "仇": "qiu chou", "查": "zha cha",
        "区": "ou qu", "朴": "piao pu", "乐": "le yue", "长": "chang zhang", "重": "chong zhong",
        "行": "xing hang", "覃": "qin tan", "缪": "miao mou", "尉": "wei yu", "召": "shao zhao",
        "盖": "ge gai", "繁": "po fan", "员": "yun yuan", "种": "chong zhong", "折": "she zhe",
        "藏": "zang cang", "朝": "chao zhao", "传": "chuan zhuan", "都": "du dou", "万": "wan mo",
        "俞": "yu shu", "翟": "zhai di", "秘": "bi mi", "句": "gou ju", "隗": "wei kui",
        "卜": "bu bo", "靓": "jing liang", "茜": "qian xi", "晟": "sheng cheng", "柏": "bai bo",
        "蔓": "man wan", "莘": "shen xin", "薄": "bo bao", "颉": "jie xie", "阿": "a e",
    }.items()
}  # fmt: skip


def same_sound(a: str, b: str) -> bool:
    """Two names that can be read alike, character by character (NAME_READINGS)."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        rx = NAME_READINGS.get(x) or frozenset([_char_pinyin(x)])
        ry = NAME_READINGS.get(y) or frozenset([_char_pinyin(y)])
        if not rx & ry:
            return False
    return True


def pinyin_column(names: pl.Series) -> pl.Series:
    """Pinyin of each name without tones or separators (张玮 -> zhangwei), per character."""
    chars = names.str.split("").explode().unique().drop_nulls().to_list()
    table = {c: _char_pinyin(c) for c in chars if c}
    frame = pl.DataFrame({"name": names}).with_row_index("_i")
    exploded = frame.with_columns(pl.col("name").str.split("")).explode("name")
    exploded = exploded.with_columns(
        pl.col("name").replace_strict(table, default="", return_dtype=pl.String)
    )
    joined = exploded.group_by("_i", maintain_order=True).agg(pl.col("name").str.join(""))
    return joined.sort("_i")["name"].rename("pinyin")


def build_name_pinyin(engine: Engine) -> None:
    """Table name_pinyin(name_key, pinyin) for every name on a current record."""
    names = engine.query("30_link/current_names.sql")["name_key"]
    frame = pl.DataFrame({"name_key": names, "pinyin": pinyin_column(names)})
    engine.replace("name_pinyin", frame)


# ---------------------------------------------------------------- ID typo variants

_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_INVERSE = np.array([pow(int(w), -1, 11) for w in _WEIGHTS], dtype=np.int64)
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)  # check character by S mod 11
_CHECK_RESIDUE = np.full(256, -1, dtype=np.int64)  # check character -> the S mod 11 it stands for
_CHECK_RESIDUE[_CHECK] = np.arange(11)


def id_typo_variants(ids: pl.Series) -> pl.DataFrame:
    """Every valid ID one typo away from each given 18-character ID: (index, variant).

    A typo is one character substituted or two adjacent characters swapped. Only
    variants with a correct check character can be someone's valid ID, and for a
    substitution at position i the check sum allows exactly one digit there
    (the weights are invertible mod 11), so there are at most 18 + 17 variants
    per ID instead of 188 strings to generate and look up.
    """
    text = ids.fill_null("").to_list()
    keep = [
        i
        for i, t in enumerate(text)
        if len(t) == 18 and t[:17].isdigit() and t[17] in "0123456789X"
    ]
    if not keep:
        return pl.DataFrame(schema={"index": pl.Int64, "variant": pl.String})
    raw = np.frombuffer("".join(text[i] for i in keep).encode("ascii"), dtype=np.uint8)
    chars = raw.reshape(-1, 18).copy()
    digits = chars[:, :17].astype(np.int64) - ord("0")
    index = np.asarray(keep, dtype=np.int64)
    total = digits @ _WEIGHTS
    out_index: list[np.ndarray] = []
    out_chars: list[np.ndarray] = []
    # the check character: the one the 17 digits call for
    called = _CHECK[total % 11]
    ok = called != chars[:, 17]
    fixed = chars[ok].copy()
    fixed[:, 17] = called[ok]
    out_index.append(index[ok])
    out_chars.append(fixed)
    # one digit: S + w (d' - d) must be the residue the record's check character stands for
    wanted = _CHECK_RESIDUE[chars[:, 17]]
    for pos in range(17):
        new = (digits[:, pos] + (wanted - total) * _INVERSE[pos]) % 11
        ok = (wanted >= 0) & (new <= 9) & (new != digits[:, pos])
        variant = chars[ok].copy()
        variant[:, pos] = new[ok] + ord("0")
        out_index.append(index[ok])
        out_chars.append(variant)
    # two adjacent characters swapped (the check character included)
    for pos in range(17):
        swapped = chars.copy()
        swapped[:, [pos, pos + 1]] = chars[:, [pos + 1, pos]]
        body = swapped[:, :17]
        ok = (chars[:, pos] != chars[:, pos + 1]) & ((body >= ord("0")) & (body <= ord("9"))).all(1)
        sums = (body[ok].astype(np.int64) - ord("0")) @ _WEIGHTS
        valid = _CHECK[sums % 11] == swapped[ok, 17]
        out_index.append(index[ok][valid])
        out_chars.append(swapped[ok][valid])
    all_chars = np.concatenate(out_chars)
    variants = [row.tobytes().decode("ascii") for row in all_chars]
    return pl.DataFrame(
        {"index": np.concatenate(out_index), "variant": variants},
        schema={"index": pl.Int64, "variant": pl.String},
    )


# ---------------------------------------------------------------- comparisons


def name_levels(
    rec: pl.Series, cand: pl.Series, rec_py: pl.Series, cand_py: pl.Series
) -> np.ndarray:
    """Name comparison level of aligned pairs: 0 exact, 1 same pinyin, 2 similar, 3 different, -1 missing."""
    r = rec.fill_null("").to_list()
    c = cand.fill_null("").to_list()
    rp = rec_py.fill_null("").to_list()
    cp = cand_py.fill_null("").to_list()
    if not r:
        return np.empty(0, dtype=np.int8)
    chars = process.cpdist(r, c, scorer=JaroWinkler.normalized_similarity, workers=-1)
    sounds = process.cpdist(rp, cp, scorer=JaroWinkler.normalized_similarity, workers=-1)
    r_arr, c_arr = np.array(r, dtype=object), np.array(c, dtype=object)
    rp_arr, cp_arr = np.array(rp, dtype=object), np.array(cp, dtype=object)
    level = np.full(len(r), 3, dtype=np.int8)
    level[(chars >= SIMILAR_NAME) | (sounds >= SIMILAR_PINYIN)] = 2
    # pinyin_column gives each character's first reading: where a name holds a
    # character read more than one way, compare its other readings too (靓 jìng/liàng)
    several = list(NAME_READINGS)
    heteronym = rec.fill_null("").str.contains_any(several) | cand.fill_null("").str.contains_any(
        several
    )
    for i in np.flatnonzero(heteronym.to_numpy() & (rp_arr != cp_arr)):
        if r[i] and c[i] and same_sound(r[i], c[i]):
            level[i] = 1
    level[(rp_arr == cp_arr) & (rp_arr != "")] = 1
    level[r_arr == c_arr] = 0
    level[(r_arr == "") | (c_arr == "")] = -1
    return level


@dataclass
class Calibration:
    """m and u probabilities estimated from this state's data (reported in the run report)."""

    persons: int
    m_name: np.ndarray  # P(level | match) for levels 0..3
    u_similar: float  # P(similar | non-match), from random pairs
    m_phone: float
    m_township: float
    m_id_typo: float
    m_id_prefix: float
    u_id_typo: float  # P(a random other person is one typo away | non-match)
    u_id_prefix: float  # P(a random other person shares the 15 surviving characters | non-match)
    prior: dict[str, float]
    m_name_by_group: dict[str, np.ndarray] = field(default_factory=dict)
    m_township_by_group: dict[str, float] = field(default_factory=dict)

    def as_rows(self) -> list[tuple[str, float]]:
        rows = [("persons", float(self.persons))]
        rows += [
            (f"m_name_{lvl}", float(v)) for lvl, v in zip(NAME_LEVELS, self.m_name, strict=True)
        ]
        rows += [
            ("u_name_similar", self.u_similar),
            ("m_phone_agree", self.m_phone),
            ("m_township_agree", self.m_township),
            ("m_id_typo", self.m_id_typo),
            ("m_id_prefix", self.m_id_prefix),
            ("u_id_typo", self.u_id_typo),
            ("u_id_prefix", self.u_id_prefix),
        ]
        rows += [(f"prior_{s}", v) for s, v in sorted(self.prior.items())]
        for group, m in sorted(self.m_name_by_group.items()):
            rows += [
                (f"m_name_{lvl}_{group}", float(v)) for lvl, v in zip(NAME_LEVELS, m, strict=True)
            ]
        rows += [(f"m_township_agree_{g}", v) for g, v in sorted(self.m_township_by_group.items())]
        return rows


def _rate(hits: int, total: int) -> float:
    """(hits + 1) / (total + 2): a proportion that stays inside (0, 1) on little data."""
    return (hits + 1) / (total + 2)


M_SAMPLE = 200_000  # records with a valid ID sampled to estimate m (a proportion: ±0.2 % at most)


def _sample_step(engine: Engine) -> int:
    """Every how-many-th record with a usable ID the m sample keeps (about M_SAMPLE of them).

    The models keep the records whose hash of (file, row) is a multiple of the step:
    deterministic (not a random draw), so that the same state gives the same calibration.
    """
    total = engine.value("30_link/proven_count.sql")
    return max(1, int(total) // M_SAMPLE)


def calibrate_m(engine: Engine, cfg: LinkageConfig) -> dict[str, object]:
    """m probabilities from (a sample of) records with a valid ID against their person's other evidence."""
    sample = {"sample_step": _sample_step(engine)}
    known = engine.query("30_link/proven_names.sql", sample)
    levels = name_levels(
        known["rec_name"], known["cand_name"], known["rec_pinyin"], known["cand_pinyin"]
    )
    counts = np.array([(levels == i).sum() for i in range(4)], dtype=float)
    m_name = (counts + 1) / (counts.sum() + 4)
    other = engine.query("30_link/proven_contacts.sql", sample).row(0, named=True)
    return {
        "m_name": m_name,
        "m_phone": _rate(other["phone_hit"], other["phone_n"]),
        "m_township": _rate(other["town_hit"], other["town_n"]),
    }


def calibrate_u_similar(engine: Engine, cfg: LinkageConfig) -> float:
    """P(names 'similar' | different people), from random pairs of known persons."""
    people = engine.query("30_link/person_pinyin.sql")
    if people.height < 2:
        return 0.5
    rng = np.random.default_rng(cfg.seed)
    n = min(cfg.random_pairs, people.height * 10)
    a = rng.integers(0, people.height, n)
    b = rng.integers(0, people.height, n)
    keep = a != b
    left, right = people[a[keep]], people[b[keep]]
    levels = name_levels(left["name_key"], right["name_key"], left["pinyin"], right["pinyin"])
    return _rate(int((levels == 2).sum()), int(keep.sum()))


# ---------------------------------------------------------------- resolution


def _frequencies(engine: Engine) -> None:
    """How many known persons share each name, pinyin, phone and township (term frequencies)."""
    engine.build("30_link/match_frequencies.sql")


def _pairs(engine: Engine) -> pl.DataFrame:
    return engine.query("30_link/candidate_frequencies.sql")


@dataclass
class _Pairs:
    """The candidate pairs' comparison inputs as arrays, extracted once (EM iterates over them)."""

    levels: np.ndarray  # name level per pair
    # the record was taken by phone (the contracts' by_phone: the hotline); its names are
    # compared with their own m
    hotline: np.ndarray
    n_name: np.ndarray  # known persons sharing the record's name / pinyin / phone / township
    n_pinyin: np.ndarray
    n_phone: np.ndarray
    n_township: np.ndarray
    has_phone: np.ndarray  # both sides have a phone
    phone_agrees: np.ndarray
    has_township: np.ndarray
    township_agrees: np.ndarray
    typo_block: np.ndarray  # the candidate is where the damaged ID points
    prefix_block: np.ndarray
    bad_check: np.ndarray  # the record's ID status
    truncated: np.ndarray
    record: np.ndarray  # index of the pair's record in the records frame


@dataclass
class _Records:
    """The pending records as arrays: one per record, in the records frame's order."""

    sources: list[str]
    source: np.ndarray  # index into sources
    has_phone: np.ndarray
    has_township: np.ndarray
    bad_check: np.ndarray
    truncated: np.ndarray


_KEY = ["source", "file_hash", "_row"]


def _arrays(
    pairs: pl.DataFrame, levels: np.ndarray, records: pl.DataFrame
) -> tuple[_Pairs, _Records]:
    index = (
        pairs.select(_KEY)
        .join(
            records.select(_KEY).with_row_index("_rec"), on=_KEY, how="left", maintain_order="left"
        )
        .get_column("_rec")
    )
    if index.null_count():
        raise ValueError("a candidate pair's record is not among the pending records")

    def arr(name: str, frame: pl.DataFrame = pairs) -> np.ndarray:
        return frame[name].to_numpy()

    block = pairs["block"]
    status = pairs["id_status"]
    p = _Pairs(
        levels=levels,
        hotline=np.isin(arr("source"), [s for s, c in contracts().items() if c.by_phone]),
        n_name=arr("n_name").astype(float),
        n_pinyin=arr("n_pinyin").astype(float),
        n_phone=arr("n_phone").astype(float),
        n_township=arr("n_township").astype(float),
        has_phone=pairs["rec_phone"].is_not_null().to_numpy() & arr("cand_has_phone"),
        phone_agrees=arr("phone_agrees"),
        has_township=pairs["rec_township"].is_not_null().to_numpy() & arr("cand_has_township"),
        township_agrees=arr("township_agrees"),
        typo_block=(block == "id_typo").to_numpy(),
        prefix_block=(block == "id_prefix").to_numpy(),
        bad_check=(status == "bad_check").to_numpy(),
        truncated=(status == "truncated").to_numpy(),
        record=index.to_numpy().astype(np.int64),
    )
    sources = records["source"].unique().sort().to_list()
    r = _Records(
        sources=sources,
        source=records["source"]
        .replace_strict(sources, list(range(len(sources))), return_dtype=pl.Int64)
        .to_numpy(),
        has_phone=arr("has_phone", records),
        has_township=arr("has_township", records),
        bad_check=(records["id_status"] == "bad_check").to_numpy(),
        truncated=(records["id_status"] == "truncated").to_numpy(),
    )
    return p, r


def _bayes_factors(p: _Pairs, cal: Calibration, n: float) -> np.ndarray:
    """Product of m/u over a pair's comparisons (term-frequency adjusted u)."""
    floor = 1.0 / n
    levels = p.levels
    u_name = np.select(
        [levels == 0, levels == 1, levels == 2, levels == 3],
        [
            np.maximum(p.n_name / n, floor),
            np.maximum((p.n_pinyin - p.n_name) / n, floor),
            np.full(len(levels), cal.u_similar),
            np.full(len(levels), 1.0),
        ],
        default=1.0,
    )
    clipped = np.clip(levels, 0, 3)
    m_group = np.where(
        p.hotline, cal.m_name_by_group["hotline"][clipped], cal.m_name_by_group["other"][clipped]
    )
    bf = np.where(levels >= 0, m_group, 1.0) / u_name

    def agreement(
        has: np.ndarray, agrees: np.ndarray, share: np.ndarray, m: float | np.ndarray
    ) -> np.ndarray:
        u_agree = np.maximum(share / n, floor)
        return np.where(
            ~has, 1.0, np.where(agrees, m / u_agree, (1 - m) / np.maximum(1 - u_agree, floor))
        )

    bf *= agreement(p.has_phone, p.phone_agrees, p.n_phone, cal.m_phone)
    by_group = cal.m_township_by_group
    m_town = (
        np.where(p.hotline, by_group["hotline"], by_group["other"]) if by_group else cal.m_township
    )
    bf *= agreement(p.has_township, p.township_agrees, p.n_township, m_town)
    id_bf = np.ones(len(levels))
    id_bf = np.where(p.typo_block, cal.m_id_typo / cal.u_id_typo, id_bf)
    id_bf = np.where(p.prefix_block, cal.m_id_prefix / cal.u_id_prefix, id_bf)
    # A damaged ID that does not point at this candidate is evidence against it.
    id_bf = np.where(p.bad_check & ~p.typo_block, 1 - cal.m_id_typo, id_bf)
    id_bf = np.where(p.truncated & ~p.prefix_block, 1 - cal.m_id_prefix, id_bf)
    return bf * id_bf


def _miss_mass(r: _Records, cal: Calibration) -> np.ndarray:
    """P(the record's person is known but blocking did not propose them), per pending record.

    Summing the Bayes factors of all N persons instead of the candidates only,
    the persons outside the blocks contribute about 1 - P(block agrees | match):
    a typo'd ID points at the right person with probability m_id_typo, etc.
    """
    phone_recall = np.where(r.has_phone, cal.m_phone, 0.0)
    name_recall = np.where(r.has_township, (cal.m_name[0] + cal.m_name[1]) * cal.m_township, 0.0)
    found_otherwise = 1 - (1 - phone_recall) * (1 - name_recall)
    id_recall = np.select([r.bad_check, r.truncated], [cal.m_id_typo, cal.m_id_prefix], 0.0)
    return (1 - id_recall) * (1 - found_otherwise)


def _posteriors(
    p: _Pairs, bf: np.ndarray, r: _Records, prior: dict[str, float], n: float, miss: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Posterior of every pair, and per record the posterior that its person is known."""
    w = bf / n
    w_sum = np.bincount(p.record, weights=w, minlength=len(r.source))
    pi = np.array([prior[s] for s in r.sources])[r.source]
    mass = w_sum + miss
    denominator = (1 - pi) + pi * mass
    known = pi * mass / denominator
    post = pi[p.record] * w / denominator[p.record]
    return post, known


def _pending(engine: Engine) -> pl.DataFrame:
    return engine.query("30_link/pending_records.sql")


def score_pairs(
    pairs: pl.DataFrame, records: pl.DataFrame, cal: Calibration, n: float
) -> tuple[np.ndarray, np.ndarray]:
    """Name levels and posteriors of candidate pairs under a given calibration (no EM)."""
    levels = name_levels(
        pairs["rec_name"], pairs["cand_name"], pairs["rec_pinyin"], pairs["cand_pinyin"]
    )
    p, r = _arrays(pairs, levels, records)
    post, _ = _posteriors(p, _bayes_factors(p, cal, n), r, cal.prior, n, _miss_mass(r, cal))
    return levels, post


IDENTIFYING_BLOCKS = ("id_typo", "id_prefix", "phone")
PRIOR_STRENGTH = 20.0  # pseudo-counts of the exact-pair m estimate in the EM updates


def _em(
    pairs: pl.DataFrame,
    levels: np.ndarray,
    records: pl.DataFrame,
    cal: Calibration,
    n: float,
    cfg: LinkageConfig,
) -> np.ndarray:
    """EM: the prior per source, and the name and township m per group (hotline vs other sources).

    Hotline names are typed by operators from speech, so their names disagree in
    other ways than names in departmental databases, and a ticket's township is
    where the caller says the matter is, not always where they are registered;
    the exact-pair estimates are the starting point and a prior of
    PRIOR_STRENGTH pseudo-counts.
    """
    base = cal.m_name.copy()
    cal.m_name_by_group = {"hotline": base.copy(), "other": base.copy()}
    cal.m_township_by_group = {"hotline": cal.m_township, "other": cal.m_township}
    cal.prior = dict.fromkeys(records["source"].unique().sort().to_list(), 0.5)
    post = np.zeros(pairs.height)
    if pairs.height == 0:
        return post
    p, r = _arrays(pairs, levels, records)
    per_source = np.bincount(r.source, minlength=len(r.sources)).astype(float)
    groups = {"hotline": p.hotline, "other": ~p.hotline}
    previous = None
    for _ in range(cfg.em_iterations):
        bf = _bayes_factors(p, cal, n)
        post, known = _posteriors(p, bf, r, cal.prior, n, _miss_mass(r, cal))
        mean_known = np.bincount(r.source, weights=known, minlength=len(r.sources)) / per_source
        cal.prior = {
            s: float(min(max(k, 0.01), 0.99))
            for s, k, c in zip(r.sources, mean_known, per_source, strict=True)
            if c
        }
        for g, in_group in groups.items():
            mask = in_group & (levels >= 0)
            if not mask.any():
                continue
            counts = np.bincount(levels[mask], weights=post[mask], minlength=4)[:4]
            cal.m_name_by_group[g] = (counts + PRIOR_STRENGTH * base) / (
                counts.sum() + PRIOR_STRENGTH
            )
            compared = in_group & p.has_township
            agreed = float(post[compared & p.township_agrees].sum())
            cal.m_township_by_group[g] = (agreed + PRIOR_STRENGTH * cal.m_township) / (
                float(post[compared].sum()) + PRIOR_STRENGTH
            )
        state = np.concatenate(
            [
                list(cal.prior.values()),
                *cal.m_name_by_group.values(),
                list(cal.m_township_by_group.values()),
            ]
        )
        if (
            previous is not None
            and previous.shape == state.shape
            and np.abs(state - previous).max() < 1e-6
        ):
            break
        previous = state
    return post


def _id_m(pairs: pl.DataFrame, levels: np.ndarray, block: str) -> float:
    """P(the true person is where the damaged ID points | match): records whose block holds a same-name person."""
    status = {"id_typo": "bad_check", "id_prefix": "truncated"}[block]
    frame = pairs.select("source", "file_hash", "_row", "block", "id_status").with_columns(
        pl.Series("named", levels <= 1)
    )
    with_status = frame.filter(pl.col("id_status") == status)
    records = with_status.select("source", "file_hash", "_row").unique().height
    hits = (
        with_status.filter((pl.col("block") == block) & pl.col("named"))
        .select("source", "file_hash", "_row")
        .unique()
        .height
    )
    return _rate(hits, records)


ID_SAMPLE = 20_000  # persons sampled to estimate how crowded the ID space is


def _build_typo_variants(engine: Engine) -> None:
    """Table id_typo_variants(source, file_hash, _row, variant) of the pending bad_check records."""
    bad = engine.query("30_link/bad_check_records.sql")
    variants = id_typo_variants(bad["id_prefix"])
    frame = (
        bad.select("source", "file_hash", "_row")[variants["index"]]
        .with_columns(variants["variant"])
        .unique(maintain_order=True)
    )
    engine.replace("id_typo_variants", frame)


def calibrate_u_id(engine: Engine, n: float, seed: int) -> tuple[float, float]:
    """u of the ID levels from how crowded the ID space is among known persons.

    For a sample of known persons: how many *other* known persons are one
    substitution or adjacent swap away (twins often are), and how many share the
    first 15 characters or the next 15-digit prefix (Excel's rounding). The
    mean per person, divided by N, is the chance that a random other person
    sits where a damaged ID points.
    """
    sample = engine.query("30_link/id_sample.sql", {"seed": str(seed), "id_sample": ID_SAMPLE})
    variants = id_typo_variants(sample["person_id"])  # never the person's own ID
    with engine.registered("_sampled_variants", variants.select("variant")):
        near = engine.value("30_link/sampled_typo_neighbours.sql")
    prefixes = sample.select("person_id", pl.col("id_prefix15").alias("p"))
    upper = sample.filter(pl.col("id_prefix15").str.contains(r"^[0-9]{15}$")).select(
        "person_id",
        (pl.col("id_prefix15").cast(pl.Int64) + 1).cast(pl.String).str.zfill(15).alias("p"),
    )
    with engine.registered("_sampled_prefixes", pl.concat([prefixes, upper])):
        same_prefix = engine.value("30_link/sampled_prefix_sharers.sql")
    sampled = sample.height
    return _rate(int(near or 0), sampled) / n, _rate(int(same_prefix or 0), sampled) / n


def resolve(engine: Engine, cfg: LinkageConfig | None = None) -> Calibration:
    """Decide every pending record: tables match_decisions, review_pairs, name_disagreements."""
    cfg = cfg or load_config()
    build_name_pinyin(engine)
    engine.build("30_link/person_names.sql")
    engine.build("30_link/persons.sql")
    engine.build("30_link/person_contacts.sql")
    _frequencies(engine)
    _build_typo_variants(engine)
    engine.build("30_link/candidate_pairs.sql", {"max_candidates": cfg.max_candidates_per_block})
    n = float(max(engine.value("30_link/person_count.sql"), 1))
    m = calibrate_m(engine, cfg)
    with engine.memory_lent(duckdb_memory_limit(DUCKDB_SHARE_LENT)):
        cal = _resolve_pairs(engine, cfg, n, m)
    _name_disagreements(engine)
    engine.replace(
        "match_calibration",
        pl.DataFrame(
            cal.as_rows(), schema={"parameter": pl.String, "value": pl.Float64}, orient="row"
        ),
    )
    return cal


def _resolve_pairs(
    engine: Engine, cfg: LinkageConfig, n: float, m: dict[str, object]
) -> Calibration:
    """resolve's Python side: the candidate pairs scored, EM, decisions."""
    pairs = _pairs(engine)
    levels = name_levels(
        pairs["rec_name"], pairs["cand_name"], pairs["rec_pinyin"], pairs["cand_pinyin"]
    )
    u_typo, u_prefix = calibrate_u_id(engine, n, cfg.seed)
    cal = Calibration(
        persons=int(n),
        m_name=np.asarray(m["m_name"]),
        u_similar=calibrate_u_similar(engine, cfg),
        m_phone=float(m["m_phone"]),  # type: ignore[arg-type]
        m_township=float(m["m_township"]),  # type: ignore[arg-type]
        m_id_typo=_id_m(pairs, levels, "id_typo"),
        m_id_prefix=_id_m(pairs, levels, "id_prefix"),
        u_id_typo=u_typo,
        u_id_prefix=u_prefix,
        prior={},
    )
    post = _em(pairs, levels, _pending(engine), cal, n, cfg)
    _decide(engine, pairs, levels, post, cfg)
    return cal


def _levels_text(pairs: pl.DataFrame, levels: np.ndarray) -> pl.Series:
    name = pl.Series(levels).replace_strict(
        [-1, 0, 1, 2, 3], ["缺失", "相同", "同音", "相近", "不同"], return_dtype=pl.String
    )

    def agree(has: str, agrees: str, rec: str) -> pl.Expr:
        return (
            pl.when(pl.col(rec).is_null() | ~pl.col(has)).then(pl.lit("缺失"))
            .when(pl.col(agrees)).then(pl.lit("一致")).otherwise(pl.lit("不一致"))
        )  # fmt: skip

    block = {
        "id_typo": "证件号差一位",
        "id_prefix": "证件号前15位相同",
        "phone": "电话相同",
        "name_township": "姓名同音且同乡镇",
    }
    frame = pairs.with_columns(name.alias("_name")).select(
        pl.format(
            "姓名:{} 电话:{} 乡镇:{} 候选来源:{}",
            pl.col("_name"),
            agree("cand_has_phone", "phone_agrees", "rec_phone"),
            agree("cand_has_township", "township_agrees", "rec_township"),
            pl.col("block").replace_strict(block, return_dtype=pl.String),
        )
    )
    return frame.to_series()


def decide(
    pairs: pl.DataFrame, levels: np.ndarray, post: np.ndarray, cfg: LinkageConfig
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per record: the best candidate and the outcome (fuzzy / review / unmatched); and all ranked pairs.

    fuzzy when the best posterior reaches link_threshold, no other candidate is
    within ambiguity_margin of it, the pair shares an identifier (what is left of
    the ID, or a phone): a name and a township alone never link, since the person
    with that name may be one the state does not know; the names agree (the same
    after normalization, or the same pinyin: a blank, merely similar or different
    name is for a person to judge); and a damaged ID points at the candidate (a
    typo'd ID at a typo variant, a truncated one at a prefix sharer). Measured at
    1M people before the last two rules: the 5 fuzzy links with different names
    and the one whose damaged ID pointed elsewhere were all wrong. Review when
    the two best together reach review_threshold (the person is probably one of
    them) and the best alone reaches review_min_best (below it, the two candidates
    shown were the right person about a third of the time: not worth a
    caseworker's look); else unmatched. With unidentified_link_threshold set, a pair
    sharing no identifier links at that posterior instead of never.
    """
    block, status = pairs["block"], pairs["id_status"]
    # What is left of a damaged ID must point at the candidate: a typo'd ID at a typo
    # variant, a truncated one at a prefix sharer (else the record is someone else's).
    id_consistent = ~(
        ((status == "bad_check") & (block != "id_typo"))
        | ((status == "truncated") & (block != "id_prefix"))
    )
    scored = (
        pairs.select("source", "file_hash", "_row", "person_id")
        .with_columns(
            (block.is_in(list(IDENTIFYING_BLOCKS)) | pairs["phone_agrees"]).alias("identified"),
            # the name agrees: the same after normalization, or the same pinyin
            (pl.Series(np.isin(levels, (0, 1))) & id_consistent).alias("agrees"),
        )
        .with_columns(
            pl.Series("p", post, dtype=pl.Float64), _levels_text(pairs, levels).alias("levels")
        )
    )
    ranked = scored.sort(
        ["source", "file_hash", "_row", "p", "person_id"],
        descending=[False, False, False, True, False],
    )
    ranked = ranked.with_columns(
        pl.int_range(pl.len()).over("source", "file_hash", "_row").alias("rank")
    )
    best = ranked.filter(pl.col("rank") == 0)
    second = ranked.filter(pl.col("rank") == 1).select(
        "source", "file_hash", "_row", pl.col("p").alias("p2")
    )
    best = best.join(second, on=["source", "file_hash", "_row"], how="left").with_columns(
        pl.col("p2").fill_null(0.0)
    )
    unidentified = cfg.unidentified_link_threshold
    linkable = (
        pl.when(pl.col("identified"))
        .then(pl.col("p") >= cfg.link_threshold)
        .otherwise(pl.lit(False) if unidentified is None else pl.col("p") >= unidentified)
    )
    decided = best.with_columns(
        pl.when(linkable & pl.col("agrees") & (pl.col("p") - pl.col("p2") >= cfg.ambiguity_margin))
        .then(pl.lit("fuzzy"))
        .when(
            (pl.col("p") + pl.col("p2") >= cfg.review_threshold)
            & (pl.col("p") >= cfg.review_min_best)
        )
        .then(pl.lit("review"))
        .otherwise(pl.lit("unmatched"))
        .alias("method")
    )
    return decided, ranked


def _decide(
    engine: Engine,
    pairs: pl.DataFrame,
    levels: np.ndarray,
    post: np.ndarray,
    cfg: LinkageConfig,
) -> None:
    decided, ranked = decide(pairs, levels, post, cfg)
    engine.replace(
        "match_decisions",
        decided.select(
            "source",
            "file_hash",
            "_row",
            "person_id",
            "method",
            pl.col("p").round(6).alias("score"),
        ),
    )
    review = ranked.join(
        decided.filter(pl.col("method") == "review").select("source", "file_hash", "_row"),
        on=["source", "file_hash", "_row"],
    ).filter((pl.col("rank") < 2) & (pl.col("p") >= 0.01) | (pl.col("rank") == 0))
    engine.replace(
        "review_pairs",
        review.select(
            "source",
            "file_hash",
            "_row",
            pl.col("person_id").alias("candidate_id"),
            "levels",
            pl.col("p").round(6).alias("score"),
        ),
    )


def _name_disagreements(engine: Engine) -> None:
    """Records with a valid ID whose name clearly differs from the person's (not a variant): review.

    The names are compared once per distinct (person, name on the record) pair,
    then the records carrying a clearly different name are picked out.
    """
    pairs = engine.query("30_link/differing_names.sql")
    levels = name_levels(
        pairs["rec_name"], pairs["cand_name"], pairs["rec_pinyin"], pairs["cand_pinyin"]
    )
    different = pairs.filter(pl.Series(levels == 3)).select("person_id", "rec_name")
    with engine.registered("_different_names", different):
        out = engine.query("30_link/disagreeing_records.sql")
    engine.replace("name_disagreements", out)
