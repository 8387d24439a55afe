"""Numerals and units: Chinese and Arabic numbers, scale prefixes (万, 亿 …), measure words."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10**4, "亿": 10**8}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)

SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}

# Longest first is not needed: match_unit tries lengths from long to short.
BASE_UNITS = frozenset(
    """
元 美元 欧元 港元 万元 亿元
户 家 个 件 项 名 人 人次 位 所 座 处 次 场 场次 批 条 篇 部 台 套 辆 架 艘 株 头 只 例 起 宗 笔 张 份 册 本 期 班
轮 支 种 间 栋 幢 块 棵 门 节 床 课时 学时 台次 架次 车次 户次 家次 所次 项次 件次 个次 批次 班次 台套 万人次
亩 公顷 平方米 平方公里 公里 千米 米 吨 千克 公斤 千瓦 千瓦时 兆瓦 立方米 标准箱
平米 平方 立方 方 延米 盏 根 眼 斤 km m mm cm kg kW kWh MW m³ m² m3 m2 ㎡ ㎥
% ‰ 个百分点 百分点 倍
""".split()
) - {"万元", "亿元", "万人次"}
# Measure words that a Chinese numeral may take; "一期", "二期" are phase names and "本" "门" "节" too ambiguous.
CN_BASE_UNITS = frozenset(
    """
元 万元 亿元 户 家 个 件 项 名 人 人次 位 所 座 处 次 场 场次 批 条 篇 部 台 套 辆 架 艘 例 起 宗 笔 张 份 轮 支 种
间 栋 亩 公顷 公里 吨 倍 个百分点 盏 根 眼
""".split()
) - {"万元", "亿元"}
# a rate: 15万吨/日, 800元/平方米
_PER = re.compile(r"/(?:小时|平方米|平米|公里|人次|日|天|年|月|周|时|人|户|亩|㎡|km|h|次|吨|辆|床|班)")
MAX_UNIT_LEN = max(len(u) for u in BASE_UNITS)
MAX_DIGITS = 24


def parse_cn_int(s: str) -> int | None:
    """一千二百 -> 1200, 十二 -> 12, 两 -> 2; None when s is not a well-formed Chinese numeral."""
    if not s or len(s) > 20:
        return None
    if all(c in CN_DIGITS for c in s):
        if len(s) == 1:
            return CN_DIGITS[s]
        return None  # digit strings (二〇二二) are codes or years, not quantities
    total = 0
    section = 0
    digit: int | None = None
    last_small = 10**5
    last_big = 10**9
    zero_seen = False
    for i, ch in enumerate(s):
        if ch in CN_DIGITS:
            d = CN_DIGITS[ch]
            if digit is not None and not (digit == 0 and zero_seen):
                return None
            if d == 0:
                zero_seen = True
            digit = d
        elif ch in CN_SMALL:
            u = CN_SMALL[ch]
            if u >= last_small:
                return None
            if digit is None or digit == 0:
                if u == 10 and i == 0:
                    digit = 1
                elif u == 10 and s[i - 1] == "零":
                    digit = 1
                else:
                    return None
            section += digit * u
            last_small = u
            digit = None
            zero_seen = False
        else:  # 万 / 亿
            b = CN_BIG[ch]
            section += digit or 0
            if section == 0 or b >= last_big:
                if not (b == 10**8 and last_big == 10**4 and section == 0 and total):
                    return None
            if b == 10**8:
                total = (total + section) * b
            else:
                total += section * b
            last_big = b
            section = 0
            digit = None
            last_small = 10**5
            zero_seen = False
    if digit:
        # 一千二 means 1200: a trailing digit takes the next lower unit
        if last_small < 10**5 and last_small > 10 and not zero_seen:
            digit *= last_small // 10
        section += digit
    return total + section


def parse_cn_year(s: str) -> int | None:
    """二〇二二 -> 2022 (digit-by-digit year)."""
    if len(s) != 4 or not all(c in CN_DIGITS for c in s):
        return None
    return int("".join(str(CN_DIGITS[c]) for c in s))


def parse_small(s: str) -> int | None:
    """Month or day, in Arabic or Chinese numerals: 7, 07, 七, 十二, 二十六."""
    if s.isdigit():
        return int(s) if len(s) <= 2 else None
    return parse_cn_int(s)


def to_decimal(s: str) -> Decimal | None:
    """'2,978.4' -> Decimal('2978.4'); None for anything absurd (too many digits, not a number)."""
    s = s.replace(",", "")
    if not s or len(s) > MAX_DIGITS:
        return None
    try:
        d = Decimal(s)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def format_decimal(d: Decimal) -> str:
    """Plain decimal string, no exponent, no trailing zeros: 2.9784E+7 -> '29784000'."""
    d = d.normalize()
    s = format(d, "f")
    return "0" if s in ("-0", "") else s


def match_unit(text: str, pos: int, *, chinese: bool = False) -> tuple[str, str, int] | None:
    """Read an optional scale (万, 亿, 千万 …) and a measure word at pos: ('万', '元', end) or None.

    A bare 万/亿 with no measure word counts as unit '万' (3.5万); 千瓦 is a unit, not 千 × 瓦.
    """
    units = CN_BASE_UNITS if chinese else BASE_UNITS
    n = len(text)
    k = pos
    while k < n and k - pos < 3 and text[k] in SCALES:
        k += 1
    for split in range(k, pos - 1, -1):
        for length in range(min(MAX_UNIT_LEN, n - split), 0, -1):
            cand = text[split : split + length]
            if cand in units:
                end = split + length
                if cand.isascii() and end < n and text[end].isascii() and text[end].isalpha():
                    continue  # 5mg is not 5 m
                per = _PER.match(text, end)
                if per:
                    return text[pos:split], cand + per.group(), per.end()
                return text[pos:split], cand, end
    if k > pos and text[k - 1] in "万亿" and not chinese:
        return text[pos:k], "", k
    return None


def scale_factor(scale: str) -> int:
    f = 1
    for ch in scale:
        f *= SCALES[ch]
    return f
