"""The synthetic city's geography: real county codes of 滁州市 and their townships.

County codes are real GB/T 2260 codes. Township names follow the real ones of
each county (the list is not meant to be complete or current). Villages and
communities are invented, unique within their township.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

CITY_NAME = "滁州市"
PROVINCE_NAME = "安徽省"

# code, name, is_district, townships (街道 first where the county is mostly urban)
COUNTIES: tuple[tuple[int, str, bool, tuple[str, ...]], ...] = (
    (
        341102,
        "琅琊区",
        True,
        ("琅琊街道", "东门街道", "西涧街道", "南门街道", "北门街道", "清流街道", "扬子街道", "三里亭街道"),
    ),
    (
        341122,
        "来安县",
        False,
        (
            "新安镇", "半塔镇", "水口镇", "汊河镇", "大英镇", "雷官镇",
            "施官镇", "舜山镇", "三城镇", "独山乡", "张山乡", "杨郢乡",
        ),
    ),
    (
        341125,
        "定远县",
        False,
        (
            "定城镇", "炉桥镇", "藕塘镇", "池河镇", "岱山镇", "三和集镇",
            "西卅店镇", "张桥镇", "蒋集镇", "吴圩镇", "朱湾镇", "拂晓乡",
        ),
    ),
    (
        341103,
        "南谯区",
        True,
        (
            "龙蟠街道", "大王街道", "乌衣镇", "银花街道", "沙河镇",
            "珠龙镇", "大柳镇", "黄泥岗镇", "章广镇", "施集镇",
        ),
    ),
    (
        341126,
        "凤阳县",
        False,
        (
            "府城镇", "临淮关镇", "武店镇", "西泉镇", "刘府镇", "大庙镇",
            "殷涧镇", "总铺镇", "红心镇", "板桥镇", "小溪河镇", "黄湾乡",
        ),
    ),
    (
        341124,
        "全椒县",
        False,
        (
            "襄河镇", "古河镇", "大墅镇", "二郎口镇", "武岗镇",
            "马厂镇", "石沛镇", "西王镇", "六镇镇", "十字镇",
        ),
    ),
    (
        341181,
        "天长市",
        False,
        (
            "天长街道", "铜城镇", "秦栏镇", "大通镇", "千秋街道", "杨村镇",
            "石梁镇", "金集镇", "广陵街道", "永丰镇", "仁和集镇", "冶山镇",
        ),
    ),
    (
        341182,
        "明光市",
        False,
        (
            "明光街道", "张八岭镇", "三界镇", "明东街道", "自来桥镇", "涧溪镇",
            "石坝镇", "明南街道", "苏巷镇", "津里镇", "女山湖镇", "明西街道",
        ),
    ),
)  # fmt: skip

# The code each county had before its current one (GB/T 2260 history): an ID
# carries the code of the place and time it was issued, so people born before
# 1992 carry the codes of the former 滁县地区 (3423xx). python-stdnum checks this.
CODE_HISTORY: dict[int, tuple[tuple[int, int], ...]] = {
    341102: ((0, 342323), (1982, 342301), (1992, 341102)),
    341103: ((0, 342323), (1982, 342301), (1992, 341103)),
    341122: ((0, 342322), (1992, 341122)),
    341124: ((0, 342324), (1992, 341124)),
    341125: ((0, 342325), (1992, 341125)),
    341126: ((0, 342326), (1992, 341126)),
    341181: ((0, 342321), (1992, 341121), (1993, 341181)),
    341182: ((0, 342327), (1992, 341127), (1994, 341182)),
}
ID_REGION_CODES = tuple(sorted({code for h in CODE_HISTORY.values() for _, code in h}))


def id_region_codes(county_codes: np.ndarray, birth_years: np.ndarray) -> np.ndarray:
    """The region code an ID carries: the county's code in force in the birth year."""
    out = np.zeros(len(county_codes), dtype=np.int64)
    for current, history in CODE_HISTORY.items():
        mask = county_codes == current
        for start, code in history:
            out[mask & (birth_years >= start)] = code
    return out


def id_region_matches(id_prefix: str, county_code: int) -> bool:
    """True when an ID's first 6 digits are the county's code or one of its former codes."""
    return int(id_prefix) in {code for _, code in CODE_HISTORY[county_code]}


_COMMUNITY_WORDS = (
    "花园", "丰乐", "清流", "鼓楼", "东湖", "西湖", "南湖", "新华", "人民", "解放",
    "凤凰", "龙山", "醉翁", "菱溪", "紫薇", "天鹅湖", "同乐", "金鹏", "东坡", "南桥",
    "北关", "幸福", "和平", "龙池", "明湖", "世纪", "阳光", "学府", "滨河", "春晖",
    "建设", "文昌", "锦绣", "怡景", "翠园", "长江", "黄山", "中都", "钟楼", "花山",
)  # fmt: skip
_VILLAGE_HEADS = (
    "李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "马",
    "胡", "郭", "何", "高", "林", "罗", "大", "小", "新", "老", "东", "西", "南", "北",
    "前", "后", "上", "下", "双", "三", "五", "七", "十", "红", "青", "长", "石", "柳",
)  # fmt: skip
_VILLAGE_TAILS = (
    "庄", "营", "岗", "集", "郢", "圩", "湾", "店", "桥", "洼", "塘", "楼", "岭", "山",
    "沟", "湖", "河", "庙", "墩", "坝", "园", "郢子", "圩子", "王", "桥头", "林",
)  # fmt: skip


@dataclass(frozen=True)
class County:
    """One county-level unit of the city."""

    code: int
    name: str
    is_district: bool


@dataclass(frozen=True)
class Township:
    """One township (乡镇/街道) and its villages or communities."""

    county_index: int
    name: str
    urban: bool  # 街道 are urban (城市); 镇 and 乡 are rural (农村)
    villages: tuple[str, ...]

    @property
    def root(self) -> str:
        """The name without 街道/镇/乡 (used to name schools and roads)."""
        for suffix in ("街道", "镇", "乡"):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)]
        return self.name


@dataclass(frozen=True)
class City:
    """The counties, townships and villages used for a city of a given size."""

    counties: tuple[County, ...]
    townships: tuple[Township, ...]
    county_weights: np.ndarray  # share of households per county
    township_weights: np.ndarray  # share of households per township, within its county
    village_offsets: np.ndarray  # global index of each township's first village

    @property
    def village_count(self) -> int:
        return int(self.village_offsets[-1])

    @cached_property
    def village_names(self) -> tuple[str, ...]:
        """Names of all villages, by global village index."""
        return tuple(v for t in self.townships for v in t.villages)

    def village_name(self, village: int) -> str:
        return self.village_names[village]


def county_count(people: int) -> int:
    """How many counties a city of `people` residents spans (at least 3)."""
    if people < 20_000:
        return 3
    if people < 200_000:
        return 5
    return len(COUNTIES)


def build_city(people: int, seed: int) -> City:
    """The geography of a city of `people` residents, deterministic in (people, seed)."""
    rng = np.random.default_rng([seed, 7001])
    n_counties = county_count(people)
    raw = COUNTIES[:n_counties]
    weights = np.array([1.3 if district else 1.0 for _, _, district, _ in raw])
    weights = weights * rng.uniform(0.85, 1.15, size=n_counties)
    weights /= weights.sum()
    counties: list[County] = []
    townships: list[Township] = []
    town_weights: list[float] = []
    for ci, (code, name, district, names) in enumerate(raw):
        counties.append(County(code, name, district))
        county_people = people * float(weights[ci])
        n_towns = int(np.clip(round(county_people / 12_000), 4, len(names)))
        tw = rng.uniform(0.7, 1.3, size=n_towns)
        tw[0] *= 1.6  # the county seat is larger
        tw /= tw.sum()
        for ti in range(n_towns):
            town_people = county_people * float(tw[ti])
            n_villages = int(np.clip(round(town_people / 1_500), 2, 40))
            urban = names[ti].endswith("街道")
            townships.append(
                Township(ci, names[ti], urban, _village_names(rng, names[ti], urban, n_villages))
            )
            town_weights.append(float(tw[ti]))
    offsets = np.concatenate([[0], np.cumsum([len(t.villages) for t in townships])])
    return City(
        counties=tuple(counties),
        townships=tuple(townships),
        county_weights=weights,
        township_weights=np.array(town_weights),
        village_offsets=offsets.astype(np.int64),
    )


def _village_names(
    rng: np.random.Generator, township: str, urban: bool, count: int
) -> tuple[str, ...]:
    names: list[str] = []
    seen: set[str] = set()
    root = township.removesuffix("街道").removesuffix("镇").removesuffix("乡")
    if not urban:
        names.append(f"{root}社区")  # the town seat is a community
        seen.add(names[0])
    while len(names) < count:
        if urban or rng.random() < 0.08:
            name = f"{_COMMUNITY_WORDS[int(rng.integers(len(_COMMUNITY_WORDS)))]}社区"
            if name in seen:
                name = f"{_COMMUNITY_WORDS[int(rng.integers(len(_COMMUNITY_WORDS)))]}{'东西南北'[int(rng.integers(4))]}社区"
        else:
            head = _VILLAGE_HEADS[int(rng.integers(len(_VILLAGE_HEADS)))]
            tail = _VILLAGE_TAILS[int(rng.integers(len(_VILLAGE_TAILS)))]
            name = f"{head}{tail}村"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return tuple(names)
