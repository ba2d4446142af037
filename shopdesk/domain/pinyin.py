"""Names to pinyin for search: ``张三`` → (``zhangsan``, ``zs``), computed once when a member is saved.

pypinyin is imported on first use (it costs ~0.6 s) and each character is converted once and cached:
a shop's names use a few hundred distinct characters, so 100,000 names convert in well under a second.
Surnames have readings of their own (曾 zēng, 单 shàn, 区 ōu …); the first character uses them.
"""

from __future__ import annotations

from functools import lru_cache

# Characters whose reading as a surname differs from pypinyin's most common reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "仇": "qiu", "区": "ou", "解": "xie", "查": "zha", "朴": "piao",
    "盖": "ge", "乐": "yue", "缪": "miao", "翟": "zhai", "覃": "qin", "召": "shao", "秘": "bi",
    "种": "chong", "员": "yun", "柏": "bai", "繁": "po", "折": "she", "黑": "he", "尉": "yu",
    "长": "chang", "重": "chong", "万": "wan", "沈": "shen", "葛": "ge", "芮": "rui", "任": "ren",
    "宁": "ning", "华": "hua", "纪": "ji", "过": "guo", "句": "gou", "那": "na", "燕": "yan",
}
# Two-character surnames read as a unit.
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "单于": ("chan", "yu"), "长孙": ("zhang", "sun"),
    "令狐": ("ling", "hu"), "欧阳": ("ou", "yang"), "司马": ("si", "ma"), "诸葛": ("zhu", "ge"),
    "上官": ("shang", "guan"), "皇甫": ("huang", "fu"), "司徒": ("si", "tu"), "东方": ("dong", "fang"),
}


@lru_cache(maxsize=None)
def _char_reading(char: str) -> str:
    """The most common pinyin of one character, lower-case without tones; other characters as they are."""
    if not ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"):
        return char.lower() if char.isalnum() else ""
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return reading[0].lower().replace("ü", "v") if reading else ""


def _readings(name: str) -> list[str]:
    """One reading per syllable of ``name``; runs of Latin letters or digits stay one word."""
    name = "".join(name.split())
    readings: list[str] = []
    rest = name
    if name[:2] in COMPOUND_SURNAMES:
        readings.extend(COMPOUND_SURNAMES[name[:2]])
        rest = name[2:]
    elif name and name[0] in SURNAME_READINGS:
        readings.append(SURNAME_READINGS[name[0]])
        rest = name[1:]
    word = ""
    for char in rest:
        reading = _char_reading(char)
        if len(reading) == 1 and reading.isascii() and char.isascii():
            word += reading
            continue
        if word:
            readings.append(word)
            word = ""
        if reading:
            readings.append(reading)
    if word:
        readings.append(word)
    return readings


def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, both lower-case ASCII: ``张三`` → (``zhangsan``, ``zs``)."""
    readings = _readings(name or "")
    return "".join(readings), "".join(reading[0] for reading in readings if reading)
