"""Chinese names with realistic repetition, and the ways exports mangle them.

Surnames follow their national frequency; given names come from pools per
birth era and sex with Zipf-like weights, so that 张伟, 王芳 and 李秀英 repeat a
lot across the city, as they do in reality (this is what makes name matching
hard). About 1 % of households carry minority names of the form
`本人名·父名` (买买提·艾力).
"""

from __future__ import annotations

import numpy as np
import zhconv

_SURNAMES = (
    ("王", 71.5), ("李", 72.0), ("张", 68.6), ("刘", 54.0), ("陈", 45.3), ("杨", 31.2),
    ("黄", 22.3), ("赵", 21.6), ("吴", 20.6), ("周", 19.3), ("徐", 15.1), ("孙", 15.1),
    ("马", 13.4), ("朱", 12.9), ("胡", 12.2), ("郭", 11.9), ("何", 11.5), ("高", 10.9),
    ("林", 10.5), ("罗", 10.3), ("郑", 9.5), ("梁", 8.9), ("谢", 8.4), ("宋", 7.7),
    ("唐", 7.1), ("许", 6.9), ("韩", 6.9), ("冯", 6.6), ("邓", 6.4), ("曹", 6.4),
    ("彭", 6.0), ("曾", 5.8), ("肖", 5.8), ("田", 5.7), ("董", 5.6), ("袁", 5.4),
    ("潘", 5.4), ("于", 5.3), ("蒋", 5.2), ("蔡", 5.1), ("余", 5.0), ("杜", 4.9),
    ("叶", 4.8), ("程", 4.8), ("苏", 4.6), ("魏", 4.5), ("吕", 4.4), ("丁", 4.3),
    ("任", 4.3), ("沈", 4.1), ("姚", 4.0), ("卢", 4.0), ("姜", 3.8), ("崔", 3.7),
    ("钟", 3.6), ("谭", 3.5), ("陆", 3.4), ("汪", 3.3), ("范", 3.2), ("金", 3.1),
    ("石", 3.0), ("廖", 2.9), ("贾", 2.9), ("夏", 2.8), ("韦", 2.8), ("付", 2.7),
    ("方", 2.7), ("白", 2.6), ("邹", 2.6), ("孟", 2.5), ("熊", 2.5), ("秦", 2.5),
    ("邱", 2.4), ("江", 2.4), ("尹", 2.3), ("薛", 2.3), ("闫", 2.2), ("段", 2.2),
    ("雷", 2.1), ("侯", 2.1), ("龙", 2.0), ("史", 2.0), ("陶", 1.9), ("黎", 1.9),
    ("贺", 1.9), ("顾", 1.8), ("毛", 1.8), ("郝", 1.7), ("龚", 1.7), ("邵", 1.7),
    ("万", 1.6), ("钱", 1.6), ("严", 1.6), ("武", 1.5), ("戴", 1.5), ("莫", 1.4),
    ("孔", 1.4), ("向", 1.4), ("汤", 1.4), ("欧阳", 0.5), ("诸葛", 0.06), ("司马", 0.05),
)  # fmt: skip
SURNAMES = tuple(s for s, _ in _SURNAMES)
SURNAME_P = np.array([w for _, w in _SURNAMES]) / sum(w for _, w in _SURNAMES)

# Given-name pools: (era, sex) -> names, most frequent first. Era 0: born before
# 1975, 1: 1975–1999, 2: 2000 and later. Sex 1 = male, 0 = female.
_GIVEN: dict[tuple[int, int], tuple[str, ...]] = {
    (0, 1): (
        "军", "强", "建国", "勇", "建华", "明", "国强", "建军", "刚", "平", "华", "志强",
        "林", "东", "卫东", "兵", "峰", "红兵", "德明", "永强", "振华", "春生", "长青",
        "树林", "金山", "明华", "保国", "文华", "庆华", "玉山", "光明", "学军", "建平",
        "德胜", "福生", "伟", "杰", "波", "辉", "亮", "成", "山", "国华", "志明",
    ),
    (0, 0): (
        "秀英", "桂英", "秀兰", "玉兰", "桂兰", "秀珍", "芳", "英", "凤英", "玉珍", "兰",
        "玉梅", "淑珍", "梅", "秀云", "桂芳", "丽华", "春梅", "红梅", "海燕", "珍",
        "美玲", "霞", "秀芳", "玉芳", "红", "金凤", "萍", "翠花", "琴", "素英", "兰英",
        "巧云", "云", "凤", "莲", "菊", "华",
    ),
    (1, 1): (
        "伟", "磊", "涛", "超", "鹏", "杰", "浩", "鑫", "勇", "斌", "强", "军", "辉",
        "飞", "波", "宇", "亮", "俊", "帅", "凯", "健", "海涛", "俊杰", "志刚", "建伟",
        "小龙", "晓东", "文杰", "家乐", "明亮", "海峰", "振宇", "立新", "永刚", "刚",
    ),
    (1, 0): (
        "芳", "娜", "敏", "静", "丽", "艳", "娟", "燕", "玲", "婷", "霞", "慧", "晶",
        "颖", "倩", "莉", "丹", "雪", "洁", "琳", "丽娟", "晓燕", "秀丽", "海燕", "小红",
        "雪梅", "婷婷", "丽丽", "晓丽", "春燕", "玉洁", "佳佳", "红", "梅",
    ),
    (2, 1): (
        "子轩", "浩然", "宇轩", "梓豪", "浩宇", "一鸣", "俊熙", "子豪", "明轩", "宇航",
        "天佑", "文博", "皓轩", "梓轩", "沐阳", "博文", "子墨", "一诺", "思远", "宇",
        "浩", "轩", "杰", "睿", "晨", "阳", "昊", "博", "鑫", "航", "俊杰", "梓睿",
    ),
    (2, 0): (
        "子涵", "欣怡", "梓涵", "诗涵", "雨涵", "可馨", "紫涵", "思雨", "雨欣", "佳怡",
        "一诺", "语桐", "梦琪", "若汐", "欣妍", "雨桐", "静怡", "梓萱", "思涵", "悦",
        "涵", "琪", "萱", "怡", "妍", "彤", "雪", "瑶", "欣然", "婉清",
    ),
}  # fmt: skip


def _zipf(n: int, s: float = 0.9) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


_GIVEN_P = {key: _zipf(len(pool)) for key, pool in _GIVEN.items()}

TWIN_FIRST = ("子", "梓", "欣", "雨", "思", "浩", "俊", "嘉", "佳", "一", "宇", "文")
TWIN_SECOND = {
    1: ("轩", "豪", "航", "博", "杰", "睿", "阳", "宇", "辰", "鸣"),
    0: ("涵", "怡", "萱", "琪", "彤", "妍", "悦", "瑶", "欣", "然"),
}

MINORITY_GIVEN = {
    1: (
        "买买提", "艾力", "阿卜杜拉", "艾合买提", "吐尔逊", "努尔艾力", "热合曼",
        "托合提", "阿不都", "吾斯曼", "依明", "卡德尔", "伊力哈木", "麦麦提",
    ),
    0: (
        "阿依古丽", "古丽米拉", "热依汗古丽", "帕提古丽", "迪丽努尔", "米日古丽",
        "阿瓦古丽", "祖丽皮亚", "努尔尼沙", "阿依努尔",
    ),
}  # fmt: skip

# Characters an operator may type for one heard on the phone (同音字).
HOMOPHONES: dict[str, str] = {
    "伟": "玮炜韦维", "芳": "方舫", "丽": "莉俪力", "静": "婧晶", "敏": "民珉",
    "军": "君均", "勇": "永涌", "杰": "洁捷", "涛": "滔韬", "强": "蔷", "磊": "蕾垒",
    "明": "鸣铭", "华": "花桦", "红": "宏鸿虹", "霞": "夏侠", "娟": "鹃涓", "燕": "艳雁",
    "玲": "琳灵铃", "英": "莹瑛", "兰": "岚蓝", "梅": "媚玫", "平": "萍苹", "刚": "钢纲",
    "辉": "晖徽", "鹏": "朋彭", "飞": "菲非", "波": "博柏", "宇": "雨语羽", "浩": "昊皓",
    "斌": "彬宾", "超": "潮朝", "峰": "锋丰", "建": "健剑", "国": "果", "志": "智治",
    "海": "凯", "林": "琳霖", "东": "冬栋", "秀": "绣", "珍": "真贞", "云": "芸昀",
    "凤": "风", "婷": "亭庭", "慧": "惠蕙", "晶": "菁", "颖": "莹", "倩": "茜", "雪": "学",
    "涵": "含晗", "轩": "萱宣", "怡": "宜仪", "欣": "新馨", "佳": "嘉家", "俊": "骏峻",
    "张": "章", "王": "汪", "李": "黎理", "刘": "柳留", "陈": "程", "杨": "阳扬",
    "黄": "皇", "吴": "武伍", "周": "州舟", "徐": "许", "孙": "荪", "朱": "诸珠",
    "胡": "湖", "何": "贺和", "高": "郜", "郭": "国", "马": "玛", "文": "雯闻",
    "亮": "靓", "成": "诚承", "兵": "冰", "春": "纯", "生": "升", "艳": "燕", "琴": "勤芹",
}  # fmt: skip

_DOT_VARIANTS = ("•", "．", ".", "")


def era_of(birth_year: np.ndarray) -> np.ndarray:
    """0 for births before 1975, 1 for 1975–1999, 2 for 2000 and later."""
    return np.where(birth_year < 1975, 0, np.where(birth_year < 2000, 1, 2))


def draw_surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """Indices into SURNAMES."""
    return rng.choice(len(SURNAMES), size=n, p=SURNAME_P)


def draw_given(rng: np.random.Generator, era: np.ndarray, sex: np.ndarray) -> list[str]:
    """Given names for people of the given birth eras and sexes."""
    out = np.empty(len(era), dtype=object)
    for (e, s), pool in _GIVEN.items():
        mask = (era == e) & (sex == s)
        k = int(mask.sum())
        if k:
            idx = rng.choice(len(pool), size=k, p=_GIVEN_P[(e, s)])
            out[mask] = np.array(pool, dtype=object)[idx]
    return out.tolist()


def twin_given(rng: np.random.Generator, sex1: int, sex2: int) -> tuple[str, str]:
    """Similar given names for twins: the same first character (子涵 / 子轩)."""
    first = TWIN_FIRST[int(rng.integers(len(TWIN_FIRST)))]
    a = TWIN_SECOND[sex1][int(rng.integers(len(TWIN_SECOND[sex1])))]
    pool2 = [c for c in TWIN_SECOND[sex2] if c != a]
    b = pool2[int(rng.integers(len(pool2)))]
    return first + a, first + b


def minority_part(rng: np.random.Generator, sex: int) -> str:
    """One given-name part of a minority name."""
    pool = MINORITY_GIVEN[sex]
    return pool[int(rng.integers(len(pool)))]


def random_names(rng: np.random.Generator, n: int, birth_year: np.ndarray) -> list[str]:
    """Names of people not in the city's households (e.g. unknown hotline callers)."""
    sex = rng.integers(0, 2, size=n)
    given = draw_given(rng, era_of(birth_year), sex)
    surnames = draw_surnames(rng, n)
    return [SURNAMES[s] + g for s, g in zip(surnames.tolist(), given, strict=True)]


# ---------------------------------------------------------------------------
# Damage


def homophone(name: str, rng: np.random.Generator) -> str | None:
    """The name with one character replaced by a homophone, or None if none is known."""
    positions = [i for i, ch in enumerate(name) if ch in HOMOPHONES]
    if not positions:
        return None
    pos = positions[int(rng.integers(len(positions)))]
    options = HOMOPHONES[name[pos]]
    return name[:pos] + options[int(rng.integers(len(options)))] + name[pos + 1 :]


def traditional(name: str) -> str | None:
    """The name in traditional characters, or None when it looks the same."""
    converted = zhconv.convert(name, "zh-hant")
    return converted if converted != name else None


def with_spaces(name: str, rng: np.random.Generator) -> str:
    """`张 三`, ` 张三` or `张三 `."""
    style = int(rng.integers(3))
    if style == 0 and len(name) >= 2:
        return name[0] + " " + name[1:]
    if style == 1:
        return " " + name
    return name + " "


def with_fullwidth_space(name: str, rng: np.random.Generator) -> str:
    """An ideographic (full-width) space inside or after the name: `张　三`."""
    if len(name) >= 2 and rng.random() < 0.6:
        return name[0] + "\u3000" + name[1:]
    return name + "\u3000"


def dot_variant(name: str, rng: np.random.Generator) -> str:
    """A minority name with its middle dot written another way (• ． . or none)."""
    return name.replace("·", _DOT_VARIANTS[int(rng.integers(len(_DOT_VARIANTS)))])
