"""Names to pinyin for search: ``张三`` → (``zhangsan``, ``zs``), computed once when a member is saved.

pypinyin is imported on first use (it costs ~0.6 s) and each character is converted once and cached:
a shop's names use a few hundred distinct characters, so 100,000 names convert in well under a second.
Surnames have readings of their own (曾 zēng, 单 shàn, 区 ōu …); the first character uses them.
"""

from __future__ import annotations

import unicodedata
from functools import cache

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


@cache
def _char_reading(char: str) -> tuple[str, bool]:
    """(reading, is_latin) of one character.

    A Chinese character gives its most common pinyin, lower-case without tones. Anything else gives the
    ASCII letters and digits it stands for (full-width ``Ａ`` → ``a``, ``é`` → ``e``), so the keys stay
    plain ASCII that a shopkeeper can type; punctuation and spaces give ``""`` and end a Latin word.
    """
    if not ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"):
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        return "".join(c for c in folded.lower() if c.isalnum()), True
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    text = reading[0].lower().replace("ü", "v") if reading else ""
    return (text if text.isascii() and text.isalpha() else ""), False


def _readings(name: str) -> list[str]:
    """One reading per syllable of ``name``; runs of Latin letters or digits stay one word."""
    name = " ".join(name.split())  # a space still ends a Latin word: "Amy Wang" → amy, wang
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
        reading, latin = _char_reading(char)
        if latin and reading:
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
