"""Households and their members, generated chunk by chunk with numpy.

A household follows one of a few templates (an elder alone, a couple with two
children, three generations, grandparents with left-behind grandchildren…).
Ages are drawn so that households are coherent: spouses of similar age,
children at least 20 years younger than their parents, the head's parents at
least 22 years older. Members share county, township and village.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import names as nm
from .dates import age_at, yyyymmdd
from .geo import ID_REGION_CODES, City, id_region_codes
from .ids import make_ids

HEAD, SPOUSE, CHILD, PARENT, GRANDCHILD, SIBLING = range(6)
RELATION_LABELS = ("本人", "配偶", "子女", "父母", "孙子女", "兄弟姐妹")

# roles, head age range, weight in urban / rural townships
_TEMPLATES: tuple[tuple[tuple[int, ...], int, int, float, float], ...] = (
    ((HEAD,), 60, 92, 0.08, 0.10),
    ((HEAD,), 20, 59, 0.11, 0.07),
    ((HEAD, SPOUSE), 60, 88, 0.11, 0.13),
    ((HEAD, SPOUSE), 22, 59, 0.09, 0.07),
    ((HEAD, CHILD), 28, 55, 0.04, 0.04),
    ((HEAD, SIBLING), 30, 70, 0.02, 0.02),
    ((HEAD, SPOUSE, CHILD), 25, 58, 0.19, 0.14),
    ((HEAD, SPOUSE, GRANDCHILD), 55, 75, 0.02, 0.05),
    ((HEAD, SPOUSE, CHILD, CHILD), 30, 55, 0.13, 0.13),
    ((HEAD, SPOUSE, CHILD, PARENT), 28, 55, 0.07, 0.07),
    ((HEAD, SPOUSE, GRANDCHILD, GRANDCHILD), 55, 75, 0.01, 0.03),
    ((HEAD, SPOUSE, CHILD, CHILD, PARENT), 30, 52, 0.08, 0.09),
    ((HEAD, SPOUSE, CHILD, CHILD, PARENT, PARENT), 30, 50, 0.04, 0.06),
)
T_ELDER_ALONE, T_SINGLE, T_SINGLE_PARENT, T_SIBLINGS = 0, 1, 4, 5
N_TEMPLATES = len(_TEMPLATES)
T_SIZE = np.array([len(t[0]) for t in _TEMPLATES])
T_AGE_LO = np.array([t[1] for t in _TEMPLATES])
T_AGE_HI = np.array([t[2] for t in _TEMPLATES])
T_W_URBAN = np.array([t[3] for t in _TEMPLATES]) / sum(t[3] for t in _TEMPLATES)
T_W_RURAL = np.array([t[4] for t in _TEMPLATES]) / sum(t[4] for t in _TEMPLATES)
T_HAS_SPOUSE = np.array([SPOUSE in t[0] for t in _TEMPLATES])
T_TWO_CHILDREN = np.array([t[0].count(CHILD) == 2 for t in _TEMPLATES])
T_TWO_PARENTS = np.array([t[0].count(PARENT) == 2 for t in _TEMPLATES])
ROLE_TABLE = np.full((N_TEMPLATES, 6), -1)
ORDINAL_TABLE = np.zeros((N_TEMPLATES, 6), dtype=np.int64)
for _t, (_roles, *_rest) in enumerate(_TEMPLATES):
    for _pos, _role in enumerate(_roles):
        ROLE_TABLE[_t, _pos] = _role
        ORDINAL_TABLE[_t, _pos] = _roles[:_pos].count(_role)
MEAN_HOUSEHOLD_SIZE = float((T_SIZE * (T_W_URBAN + T_W_RURAL) / 2).sum())
TWIN_RATE_TWO_CHILDREN = 0.012  # about 0.3 % of all households have twins

_PHONE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "170", "173", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193",
    "195", "198", "199",
)  # fmt: skip
_PHONE_MULTIPLIER = 73_939_133  # coprime with 10**8: person index -> unique 8 digits
_PHONE_OFFSET = 37_251_114


def phone_number(index: int, prefix: int) -> str:
    """The mobile number of person (or outsider) `index`; unique per index below 10**8."""
    tail = (index * _PHONE_MULTIPLIER + _PHONE_OFFSET) % 100_000_000
    return f"{_PHONE_PREFIXES[prefix % len(_PHONE_PREFIXES)]}{tail:08d}"


class SeqAllocator:
    """Hands out ID sequence numbers so that no two people share an ID.

    Regular people get sequences below 800 (a fixed permutation, so that they do
    not look allocated in order); twins get consecutive numbers from 800 up.
    """

    def __init__(self, first_day: int, last_day: int, seed: int) -> None:
        n_regions = len(ID_REGION_CODES)
        self.first_day = first_day
        self.n_days = last_day - first_day + 1
        self.counts = np.zeros(n_regions * self.n_days * 2, dtype=np.int32)
        self.twin_counts = np.zeros(n_regions * self.n_days, dtype=np.int32)
        self.perm = np.random.default_rng([seed, 7002]).permutation(400)

    def allocate(self, county: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
        """Sequence numbers for people (index into ID_REGION_CODES, birth day, 1 if male)."""
        keys = (county * self.n_days + (birth - self.first_day)) * 2 + male
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        n = len(keys)
        starts = np.ones(n, dtype=bool)
        starts[1:] = sorted_keys[1:] != sorted_keys[:-1]
        first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - first
        k = self.counts[keys] + rank
        np.add.at(self.counts, keys, 1)
        if n and int(k.max()) >= 400:
            raise ValueError("too many people born on one day in one county for unique IDs")
        offset = (keys // 2 * 2_654_435_761) % 400  # a different start for every day and place
        return 2 * self.perm[(k + offset) % 400] + male

    def allocate_twins(self, county: int, birth: int, sex1: int, sex2: int) -> tuple[int, int]:
        """Consecutive sequence numbers for twins (801/802 for a boy then a girl)."""
        key = county * self.n_days + (birth - self.first_day)
        j = int(self.twin_counts[key])
        self.twin_counts[key] += 1
        if j >= 50:
            raise ValueError("too many twins born on one day in one county")
        first = 800 + 4 * j + (1 if sex1 else 0)
        second = first + (2 if sex1 == sex2 else 1)
        return first, second


@dataclass
class Population:
    """One chunk of households (arrays of length H) and their members (length N)."""

    hh_gid: np.ndarray  # global household number
    hh_county: np.ndarray  # index into City.counties
    hh_town: np.ndarray  # index into City.townships
    hh_village: np.ndarray  # global village index
    hh_urban: np.ndarray
    hh_template: np.ndarray
    hh_start: np.ndarray  # index of the head (first member)
    hh_size: np.ndarray
    p_hh: np.ndarray  # local household index of each person
    p_gidx: np.ndarray  # global person number
    p_role: np.ndarray
    p_sex: np.ndarray  # 1 male, 0 female
    p_birth: np.ndarray  # day number
    p_age: np.ndarray  # completed years on the as-of date
    p_death: np.ndarray  # day number of death, -1 if alive
    p_twin: np.ndarray
    p_minority: np.ndarray
    ids: list[str]
    names: list[str]
    phones: list[str]  # "" when the person has no mobile phone

    @property
    def n_households(self) -> int:
        return len(self.hh_gid)

    @property
    def n_people(self) -> int:
        return len(self.p_hh)

    def members(self, h: int) -> range:
        """Local person indices of household h."""
        start = int(self.hh_start[h])
        return range(start, start + int(self.hh_size[h]))


@dataclass(frozen=True)
class ChunkSpec:
    """Where a chunk starts and how many people it holds."""

    index: int
    people: int
    first_household: int
    first_person: int


def make_population(
    rng: np.random.Generator,
    city: City,
    chunk: ChunkSpec,
    as_of_day: int,
    seqs: SeqAllocator,
) -> Population:
    """Households holding exactly `chunk.people` people."""
    county, town, urban, template = _draw_households(rng, city, chunk.people)
    H = len(template)
    n_villages = np.diff(city.village_offsets)
    village = city.village_offsets[town] + (rng.random(H) * n_villages[town]).astype(np.int64)
    size = T_SIZE[template]
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    N = int(size.sum())
    p_hh = np.repeat(np.arange(H), size)
    pos = np.arange(N) - start[p_hh]
    role = ROLE_TABLE[template[p_hh], pos]
    ordinal = ORDINAL_TABLE[template[p_hh], pos]
    sex, age, twin = _draw_sex_age(rng, template, role, ordinal, p_hh)
    birth = as_of_day - np.floor((age + rng.random(N) * 0.999) * 365.2425).astype(np.int64) - 1
    twin_second = twin & (ordinal == 1)
    birth[twin_second] = birth[np.nonzero(twin_second)[0] - 1]  # second child follows the first
    age = age_at(birth, as_of_day)
    minority_hh = rng.random(H) < 0.01
    codes = np.array([c.code for c in city.counties], dtype=np.int64)
    born = yyyymmdd(birth)
    region = id_region_codes(codes[county[p_hh]], born // 10000)
    region_index = np.searchsorted(np.array(ID_REGION_CODES), region)
    seq = _sequences(seqs, region_index, birth, sex, twin)
    ids = make_ids(region, born, seq)
    names = _names(rng, template, role, ordinal, sex, birth, p_hh, start, minority_hh, twin)
    gidx = chunk.first_person + np.arange(N)
    phones = _phones(rng, gidx, age)
    death = _deaths(rng, age, as_of_day)
    return Population(
        hh_gid=chunk.first_household + np.arange(H),
        hh_county=county,
        hh_town=town,
        hh_village=village,
        hh_urban=urban,
        hh_template=template,
        hh_start=start,
        hh_size=size,
        p_hh=p_hh,
        p_gidx=gidx,
        p_role=role,
        p_sex=sex,
        p_birth=birth,
        p_age=age,
        p_death=death,
        p_twin=twin,
        p_minority=minority_hh[p_hh],
        ids=ids,
        names=names,
        phones=phones,
    )


def _draw_households(
    rng: np.random.Generator, city: City, people: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """County, township, urban flag and template of households holding `people` people."""
    n = int(people / MEAN_HOUSEHOLD_SIZE * 1.15) + 20
    county = rng.choice(len(city.counties), size=n, p=city.county_weights)
    town = np.empty(n, dtype=np.int64)
    town_county = np.array([t.county_index for t in city.townships])
    for ci in range(len(city.counties)):
        mask = county == ci
        choices = np.nonzero(town_county == ci)[0]
        w = city.township_weights[choices]
        town[mask] = rng.choice(choices, size=int(mask.sum()), p=w / w.sum())
    urban = np.array([t.urban for t in city.townships])[town]
    template = np.where(
        urban,
        rng.choice(N_TEMPLATES, size=n, p=T_W_URBAN),
        rng.choice(N_TEMPLATES, size=n, p=T_W_RURAL),
    )
    total = np.cumsum(T_SIZE[template])
    while total[-1] < people:  # unlucky draw: add single-person households
        template = np.concatenate([template, np.full(n, T_SINGLE)])
        county = np.concatenate([county, county[:n]])
        town = np.concatenate([town, town[:n]])
        urban = np.concatenate([urban, urban[:n]])
        total = np.cumsum(T_SIZE[template])
    last = int(np.searchsorted(total, people))
    before = int(total[last - 1]) if last else 0
    remainder = people - before
    if remainder != T_SIZE[template[last]]:  # the last household fills the count exactly
        w = np.where(remainder == T_SIZE, T_W_URBAN if urban[last] else T_W_RURAL, 0.0)
        template[last] = rng.choice(N_TEMPLATES, p=w / w.sum())
    k = last + 1
    return county[:k], town[:k], urban[:k], template[:k]


def _draw_sex_age(
    rng: np.random.Generator,
    template: np.ndarray,
    role: np.ndarray,
    ordinal: np.ndarray,
    p_hh: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    H = len(template)
    N = len(role)
    head_age = rng.integers(T_AGE_LO[template], T_AGE_HI[template] + 1)
    p_male_head = np.where(T_HAS_SPOUSE[template], 0.85, 0.5)
    p_male_head = np.where(template == T_ELDER_ALONE, 0.45, p_male_head)
    p_male_head = np.where(template == T_SINGLE, 0.6, p_male_head)
    p_male_head = np.where(template == T_SINGLE_PARENT, 0.3, p_male_head)
    head_male = (rng.random(H) < p_male_head).astype(np.int64)
    spouse_age = head_age + np.where(head_male == 1, -2, 2) + np.round(rng.normal(0, 3, H))
    spouse_age = np.clip(spouse_age, 20, 98).astype(np.int64)
    youngest_parent = np.where(T_HAS_SPOUSE[template], np.minimum(head_age, spouse_age), head_age)
    child1 = np.maximum(0, youngest_parent - rng.integers(20, 35, H))
    twin_hh = T_TWO_CHILDREN[template] & (rng.random(H) < TWIN_RATE_TWO_CHILDREN) & (child1 >= 1)
    child2 = np.where(twin_hh, child1, np.maximum(0, child1 - rng.integers(2, 9, H)))
    parent1 = np.minimum(head_age + rng.integers(22, 35, H), 100)
    parent2 = np.minimum(parent1 + rng.integers(-4, 3, H), 100)
    grand1 = np.clip(head_age - rng.integers(42, 60, H), 1, 16)
    grand2 = np.maximum(0, grand1 - rng.integers(2, 6, H))
    sibling = np.clip(head_age + rng.integers(-8, 9, H), 18, 95)
    h = p_hh
    first = ordinal == 0
    age = np.select(
        [
            role == HEAD,
            role == SPOUSE,
            (role == CHILD) & first,
            role == CHILD,
            (role == PARENT) & first,
            role == PARENT,
            (role == GRANDCHILD) & first,
            role == GRANDCHILD,
        ],
        [
            head_age[h],
            spouse_age[h],
            child1[h],
            child2[h],
            parent1[h],
            parent2[h],
            grand1[h],
            grand2[h],
        ],
        default=sibling[h],
    )
    random_sex = (rng.random(N) < 0.51).astype(np.int64)
    parent_sex = np.where(
        T_TWO_PARENTS[template[h]], np.where(first, 1, 0), (rng.random(N) < 0.4).astype(np.int64)
    )
    sex = np.select(
        [role == HEAD, role == SPOUSE, role == PARENT],
        [head_male[h], 1 - head_male[h], parent_sex],
        default=random_sex,
    )
    twin = twin_hh[h] & (role == CHILD)
    return sex.astype(np.int64), age.astype(np.int64), twin


def _sequences(
    seqs: SeqAllocator, county: np.ndarray, birth: np.ndarray, sex: np.ndarray, twin: np.ndarray
) -> np.ndarray:
    seq = np.zeros(len(county), dtype=np.int64)
    regular = ~twin
    seq[regular] = seqs.allocate(county[regular], birth[regular], sex[regular])
    twins = np.nonzero(twin)[0]
    for a, b in zip(twins[0::2].tolist(), twins[1::2].tolist(), strict=True):
        seq[a], seq[b] = seqs.allocate_twins(
            int(county[a]), int(birth[a]), int(sex[a]), int(sex[b])
        )
    return seq


def _names(
    rng: np.random.Generator,
    template: np.ndarray,
    role: np.ndarray,
    ordinal: np.ndarray,
    sex: np.ndarray,
    birth: np.ndarray,
    p_hh: np.ndarray,
    start: np.ndarray,
    minority_hh: np.ndarray,
    twin: np.ndarray,
) -> list[str]:
    H = len(template)
    N = len(role)
    head_sur = nm.draw_surnames(rng, H)
    spouse_sur = nm.draw_surnames(rng, H)
    other_sur = nm.draw_surnames(rng, N)
    head_male = sex[start] == 1
    father_sur = np.where(head_male | ~T_HAS_SPOUSE[template], head_sur, spouse_sur)
    h = p_hh
    surname = np.select(
        [
            role == HEAD,
            role == SPOUSE,
            (role == CHILD) | (role == GRANDCHILD),
            (role == PARENT) & (sex == 1),
            role == SIBLING,
        ],
        [head_sur[h], spouse_sur[h], father_sur[h], head_sur[h], head_sur[h]],
        default=other_sur,
    )
    years = (birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)) + 1970
    given = nm.draw_given(rng, nm.era_of(years), sex)
    twin_idx = np.nonzero(twin)[0]
    for a, b in zip(twin_idx[0::2].tolist(), twin_idx[1::2].tolist(), strict=True):
        given[a], given[b] = nm.twin_given(rng, int(sex[a]), int(sex[b]))
    names = [nm.SURNAMES[s] + g for s, g in zip(surname.tolist(), given, strict=True)]
    for hh in np.nonzero(minority_hh)[0].tolist():
        _minority_household(rng, names, role, sex, int(start[hh]), int(template[hh]))
    return names


def _minority_household(
    rng: np.random.Generator,
    names: list[str],
    role: np.ndarray,
    sex: np.ndarray,
    start: int,
    template: int,
) -> None:
    """Names of the form 本人名·父名, children carrying their father's own name."""
    size = int(T_SIZE[template])
    own = [nm.minority_part(rng, int(sex[start + k])) for k in range(size)]
    head_father = nm.minority_part(rng, 1)
    for k in range(size):  # the head's father, when he lives here, carries that name
        if int(role[start + k]) == PARENT and sex[start + k] == 1:
            own[k] = head_father
    father_own = own[0] if sex[start] == 1 or not T_HAS_SPOUSE[template] else own[1]
    for k in range(size):
        r = int(role[start + k])
        if r in (HEAD, SIBLING):
            second = head_father
        elif r == CHILD:
            second = father_own
        else:
            second = nm.minority_part(rng, 1)
        names[start + k] = f"{own[k]}·{second}"


def _phones(rng: np.random.Generator, gidx: np.ndarray, age: np.ndarray) -> list[str]:
    p = np.select([age >= 80, age >= 18, age >= 14], [0.5, 0.96, 0.4], default=0.0)
    has = rng.random(len(age)) < p
    prefix = rng.integers(0, len(_PHONE_PREFIXES), len(age))
    return [
        phone_number(g, pr) if ok else ""
        for g, pr, ok in zip(gidx.tolist(), prefix.tolist(), has.tolist(), strict=True)
    ]


def _deaths(rng: np.random.Generator, age: np.ndarray, as_of_day: int) -> np.ndarray:
    """Deaths in the two years before the as-of date (the person's records stop there)."""
    p = np.select([age >= 80, age >= 70, age >= 50], [0.10, 0.03, 0.008], default=0.0)
    died = rng.random(len(age)) < p
    day = as_of_day - rng.integers(1, 720, len(age))
    return np.where(died, day, -1)
