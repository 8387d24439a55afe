"""Metric labels: the noun phrase a statistician would put as the column header of a figure.

Three constructions cover most replies: a count followed by what is counted (建设53所特色高水平职业学校), a noun
phrase followed by its value (质押融资额达到22.95亿元), and a share of a whole (占销售收入的4.30%). A label never
holds another figure's digits and ends at a word boundary the text marks (punctuation, 的, a verb), not at a length.
"""

from __future__ import annotations

import re

from .numbers import match_unit

# Units whose figure is usually followed by what it counts: 324户企业, 53所学校.
COUNT_UNITS = frozenset(
    """
户 家 个 件 项 名 人 人次 位 所 座 处 次 场 场次 批 条 篇 部 台 套 辆 架 艘 株 头 只 例 起 宗 笔 张 份 册 本 期 班
轮 支 种 间 栋 幢 块 棵 门 节 床 台次 架次 车次 户次 家次 所次 项次 件次 个次 批次 班次 台套 盏 根 眼
""".split()
)
LENGTH_UNITS = frozenset("米 公里 千米 km m cm mm 延米".split())
AREA_UNITS = frozenset("平方米 平米 平方 亩 公顷 平方公里 ㎡".split())
_DIMENSION = {"宽": "宽度", "长": "长度", "高": "高度", "深": "深度", "厚": "厚度"}
_OPEN_QUOTES = '“"「『《'
_CLOSE_QUOTES = '”"」』》'

# Where the phrase after a count ends: punctuation, a digit, a conjunction or a verb that starts a predicate.
_AFTER_STOP = re.compile(
    r"[，,。；;：:、（）()\[\]【】\n\s\d％%]|的|和|及|与|或|(?<![高中初同平对])等(?!级)|已|均|都|全部|分别|(?<!公)共|达|"
    r"为|是|在|将|拟|计划|预计|陆续|被|由|从|对|向|了|"
    r"进行|实现|获评|获得|荣获|获批|入选|参加|参与|纳入|通过|完成|建成|开展|覆盖|涉及|受益|得到|累计|其中|以上|以下|"
    r"左右|用于|享受|申报|提交|同比|比上年|较上年|正在|仍|尚|还|并|且|后|前|逐步|逐渐|统一|必须|要求|提前|及时|尚未|加快|积极"
)
_ACTION = re.compile(r"铺设|新建|修建|改建|扩建|改造|安装|配备|开通|设置|建设|实施|硬化|投入|投资|组织|举办|培训")
# 1名心理学专业的专职教师: the phrase before 的 only describes the head that is counted
_ATTRIBUTE_OF_HEAD = re.compile(r"(?:专业|类型|规模|级别|标准|以上|以下|左右|方向|学历|职称)$")
_AFTER_LEAD = re.compile(r"余|多|以上|左右")
# Words that end the phrase before a value without being part of its name: verbs of reporting and qualifiers.
_BEFORE_TRIM_END = re.compile(
    r"(?:同比增长|同比下降|同比增加|同比减少|同比提高|增长|下降|增加|减少|提高|提升|不低于|不少于|不超过|超过|高于|"
    r"低于|高达|多达|达到|累计|合计|共计|总计|共有|现有|拥有|已有|约为|约|近|将近|逾|最高|最低|至少|仅|突破|分别为|分别|"
    r"为|是|有|共|了|到|至|达|的|完成|实现|新增|建成|安排|支持|涉及|形成|其中|以|在|对|按|每|各|均|计|"
    r"总共|改扩建成|改建成|扩建成|扩建为|改造为|整合为|合并为|稳定在|保持在|控制在|提升至|提高至|提高到|增长到|增加到|降低到|降至|下降到|升至|增至|增加至|扩大到|扩大至|减少到|减少至|"
    r"将|可|能|预计)+$"
)
_BEFORE_TRIM_START = re.compile(
    r"^(?:[一二三四五六七八九十]是|首先|其次|再次|最后|总共|在(?!校|职|岗|编|建|运营|册|园|读|线)|其中|截至|截止|目前|当前|现阶段|同时|另外|此外|全年|当年|今年以来|今年|去年|年内|共有|现有|已有|共|已|累计|"
    r"全省|全市|全区|全县|全州|全镇|全国|我省|我市|我区|我县|我州|我镇|本市|本县|各地|"
    r"(?:19|20)\d{2}年(?:度|底|末|初)?(?:以来)?|\d{1,2}月(?:份|末|底)?(?:以来)?|[0-9]{1,2}日|底|末|前|内)+"
)
# A lead clause before the noun phrase: 2021年度对…等, 力争…, 将…: keep what follows the last of them.
_BEFORE_LEAD = re.compile(
    r"^.*(?:\d{4}年(?:度|底|末)?(?:前|内)?|\d{1,2}月(?:份|底|末)?前?|年底前|年内|力争|争取|计划|预计|确保|将|下一步|今后|"
    r"对|向|为|给予|投资|通过|拟|了|[一两二三四五六七八九十]+(?:个|所|家|座|条|项|批|名|处))"
    r"(?=[\u4e00-\u9fffA-Za-z]{2})"
)
_SHARE = re.compile(r"占(?:全[省市区县国])?(?:当年|同期|全年)?([\u4e00-\u9fffA-Za-z&]{2,14}?)(?:总[量数额])?的?$")
_CHANGE = re.compile(r"(?:比|较|同比|比上年|较上年|与上年相比)?(增加|增长|减少|下降|提高|降低|上升)")
_BOUND_SHARE = re.compile(
    r"([\u4e00-\u9fffA-Za-z&]{2,20}?)(?:不低于|不少于|不超过|不高于|达到|超过|低于|高于)[^，,。；]{2,20}的$"
)
_GENERIC_HEADS = frozenset("项目 工程 资金".split())
# A predicate right after a short counted noun: 1706家企业提交了申请材料, 18人次获得国家各类人才称号.
_PREDICATE = re.compile(
    r"(?:已|均|都)?(提交|通过|获得|获评|入选|参加|参与|纳入|享受|申报|完成|受益|得到|荣获|获批|通(?=了))了?([^，,。；;：:\n\d]{0,12})"
)
_FROM = re.compile(r"^(.*?[\u4e00-\u9fff]{2})(?:从|由)")
_SPEND = re.compile(r"用于|支持|实施|开展|建设|补助|资助|奖励|扶持")
_ATTRIBUTE = re.compile(r"(?:额度|标准|金额|规模|价格|费用|比例|上限)$")
_BOUNDARY = re.compile(r"[“”\"、《》]")
MAX_LABEL = 16


def metric_label(
    text: str, start: int, end: int, unit: str, clause: tuple[int, int], sentence_start: int, prev: tuple | None
) -> str | None:
    """The label of the figure text[start:end] (unit its measure word, '' when bare), read from its clause.

    prev is (end, label) of the figure before it in the same sentence, or None: text before that figure is its own.
    """
    cs, ce = clause
    # what the figure before counts is its own: 359栋楼14000余户 does not make 14000户 楼
    lo = max(cs, prev[0] + (len(prev[1]) if prev[1] and text.startswith(prev[1], prev[0]) else 0)) if prev else cs
    after = _after_phrase(text, end, ce) if unit in COUNT_UNITS or unit in AREA_UNITS else ""
    if unit in AREA_UNITS:
        after = after + "面积" if len(after) >= 2 else ""  # 建成10亿亩高标准农田 → 高标准农田面积
    before = _before_phrase(text, lo, start)
    dimension = _dimension(text, end, ce, before) if unit in LENGTH_UNITS else None
    if dimension:
        return dimension
    if unit not in COUNT_UNITS and unit not in ("%", "‰", "个百分点", "百分点"):
        owned = _owned_by(text, end, ce)  # 额度最高1000万元的信用贷款
        if owned:
            return _clip(owned + before if _ATTRIBUTE.search(before) else owned)
    if after in _GENERIC_HEADS and before:
        return _clip(before + after)  # 道路硬化工程62个项目 → 道路硬化工程项目
    if len(after) <= 2:
        # 960家企业通过了认定 → 通过认定企业; 129个村委会已有103个通了农村客运 → 通农村客运
        done = _predicate(text, end + len(after), ce, after) or (
            _predicate(text, end, ce, "") if len(after) < 2 else ""
        )
        if done:
            return _clip(done)
    if len(after) >= 2:
        return _clip(after)
    if unit in ("元",) and len(before) <= 2:
        spent_on = _spent_on(text, end, ce)  # 投入1980万元支持75项…人才
        if spent_on:
            return _clip(spent_on + "投入")
    if unit in ("%", "‰"):
        window = _strip_figures(text[max(cs, start - 40) : start])
        ratio = re.search(r"(占[\u4e00-\u9fffA-Za-z&]{2,14}?)的?(比例|比重|占比)$", _BEFORE_TRIM_END.sub("", window))
        if ratio:
            return _clip(ratio.group(1) + ratio.group(2))  # 占安排区县经费的比例达到7.83%
        share = _SHARE.search(window)
        if share:
            return _clip("占" + share.group(1) + "比重")
        bound = _BOUND_SHARE.search(window)  # 职业本科教育规模不低于…招生规模的10%
        if bound:
            return _clip(_before_phrase(bound.group(1), 0, len(bound.group(1))) + "占比")
    label = after if prev and after else before + after  # 4个乡镇9个村 → 村
    change = _CHANGE.fullmatch(before)
    if change and prev and prev[1]:
        label = prev[1] + change.group(1)  # 老龄人口达123964人，比2008年增加5000人 → 老龄人口增加
    if before == "占" and prev and prev[1]:
        label = prev[1] + "占比"  # 市区老年人口24.24万人，占15.93%
    owned = bool(prev and prev[1] and text.startswith(prev[1], prev[0]))
    if not label and prev and prev[1] and (unit not in COUNT_UNITS or not owned):
        label = prev[
            1
        ]  # a size of the thing just counted (102个老旧小区160万平米), not a count of something else  # 从2021年的27%提升至55%, 共390条2576.548公里: the same subject
    if not label:
        label = _topic_of_previous_clause(text, sentence_start, cs) + after
    if label and unit in AREA_UNITS and not re.search(r"面积|用地|空间|规模", label):
        label += "面积"
    return _clip(label) or None


def _clip(label: str) -> str:
    """At most MAX_LABEL characters, cut at the last boundary the text marks, else keeping the head (the end)."""
    label = label.strip(_OPEN_QUOTES + _CLOSE_QUOTES + "、 ")
    if len(label) <= MAX_LABEL:
        return label
    tail = label[-MAX_LABEL:]
    m = re.search(r"^.*?(?:的|对|在|和|与|及|、)", tail)
    return tail[m.end() :] if m and len(tail) - m.end() >= 2 else tail


def _strip_figures(s: str) -> str:
    """Remove item numbers (1.), dates and figures with their units: a label never holds another figure's digits.

    Digits that name rather than measure stay: 5G基站, 60岁以上老年人口, 4A级景区.
    """
    s = re.sub(r"^\s*\d{1,2}[.、．]", "", s)
    out, pos = [], 0
    for m in re.finditer(r"\d[\d.,]*", s):
        unit = match_unit(s, m.end())
        date = re.compile(r"[年月日号]").match(s, m.end())
        if unit is None and date is None:
            continue
        out.append(s[pos : m.start()])
        pos = unit[2] if unit else date.end()
    out.append(s[pos:])
    return "".join(out)


def _after_phrase(text: str, pos: int, limit: int) -> str:
    """What a count counts: 1家高等学校学科创新引智基地 → 高等学校学科创新引智基地; X的Y keeps the head Y."""
    lead = _AFTER_LEAD.match(text, pos, limit)
    if lead:
        pos = lead.end()
    copula = re.compile(r"[为是](?=[\u4e00-\u9fff]{2})").match(text, pos, limit)
    if copula:
        pos = copula.end()  # 其中9所为城区幼儿园
    aside = re.compile(r"[（(][^（）()]{1,12}[）)]").match(text, pos, limit)
    if aside:
        pos = aside.end()  # 33个(区市县三级)妇幼保健院
    quoted = pos < limit and text[pos] in _OPEN_QUOTES
    if quoted:
        close = min((i for i in (text.find(q, pos + 1, limit) for q in _CLOSE_QUOTES) if i > 0), default=-1)
        if 0 < close - pos - 1 <= MAX_LABEL:
            return text[pos + 1 : close]
        pos += 1
    window = text[pos : min(limit, pos + 30)]
    m = _AFTER_STOP.search(window)
    phrase = window[: m.start()] if m else window
    action = _ACTION.search(phrase, 2)  # 3个供水站铺设输水管道: the count ends where its verb starts
    if action:
        phrase = phrase[: action.start()]
    if m and m.group() == "的" and _ATTRIBUTE_OF_HEAD.search(phrase):
        rest = window[m.end() :]
        m2 = _AFTER_STOP.search(rest)
        head = rest[: m2.start()] if m2 else rest
        if len(head) >= 2:
            phrase = head + "规模" if phrase == "规模" else head  # 超过1000人规模的学校 → 学校规模
    phrase = phrase.strip(_CLOSE_QUOTES)
    return phrase if re.match(r"[\u4e00-\u9fffA-Za-z]", phrase) else ""


def _before_phrase(text: str, lo: int, start: int) -> str:
    """The noun phrase just before a value: 全省知识产权质押融资额达到 → 知识产权质押融资额."""
    s = text[max(lo, start - 40) : start]
    s = re.split(r"[，,。；;：:\n]", s)[-1]
    m = _FROM.match(s)
    if m:
        s = m.group(1)
    s = _strip_figures(s) if re.search(r"\d", s) else s
    for pattern in (_BEFORE_TRIM_END, _BEFORE_TRIM_START, _BEFORE_TRIM_END, _BEFORE_LEAD, _BEFORE_TRIM_END):
        s = _keep_two(pattern, s)
    s = _BOUNDARY.split(s)[-1].lstrip("（(")
    head = s.rsplit("的", 1)[-1]
    if len(head) >= 2:
        s = head  # 城关中心学校的新长征小学 → 新长征小学
    if _BEFORE_TRIM_END.fullmatch(s) or _BEFORE_TRIM_START.fullmatch(s):
        return ""  # only 共计, 提升至 …: the name is elsewhere
    return s.lstrip("（(").rstrip("（(") if s.count("（") + s.count("(") > s.count("）") + s.count(")") else s


def _keep_two(pattern: re.Pattern, s: str) -> str:
    """Apply a trim unless it would leave less than two characters: 通过率为 → 通过率, not 率."""
    trimmed = pattern.sub("", s)
    return trimmed if len(trimmed) >= 2 or len(s) < 2 else s


def _dimension(text: str, pos: int, limit: int, before: str) -> str | None:
    """4.5米宽的柏油路面 → 柏油路面宽度."""
    m = re.compile(r"([宽长高深厚])的?").match(text, pos, limit)
    if not m:
        extent = re.compile(r"距离|范围|半径").match(text, pos, limit)  # 学校两侧100米距离 → 学校两侧距离
        return _clip(before + extent.group()) if extent and before else None
    noun = _after_phrase(text, m.end(), limit)
    return _clip(noun + _DIMENSION[m.group(1)]) if len(noun) >= 2 else None


def _owned_by(text: str, pos: int, limit: int) -> str:
    """额度最高1000万元的信用贷款 → 信用贷款: what a sum or size qualifies."""
    if not text.startswith("的", pos):
        return ""
    return _after_phrase(text, pos + 1, limit)


def _spent_on(text: str, pos: int, limit: int) -> str:
    m = _SPEND.match(text, pos, limit)
    if not m:
        return ""
    rest = m.end()
    count = re.compile(r"[\u4e00-\u9fff]{0,3}?\d[\d.]*[余多]?[\u4e00-\u9fff]").match(text, rest, limit)
    if count:
        rest = count.end()
    return _after_phrase(text, rest, limit)


def _predicate(text: str, pos: int, limit: int, noun: str) -> str:
    m = _PREDICATE.match(text, pos, limit)
    if not m:
        return ""
    obj = re.split(r"的|和|及|等|并|，", m.group(2))[0]
    return m.group(1) + obj + noun


def _topic_of_previous_clause(text: str, sentence_start: int, clause_start: int) -> str:
    """共计15处 after 已建成…的公共停车场有…等: the noun the sentence is about."""
    if clause_start <= sentence_start:
        return ""
    prev = text[max(sentence_start, clause_start - 80) : clause_start - 1]
    m = re.search(r"([\u4e00-\u9fffA-Za-z]{2,16}?)(?:有|为|包括|主要有|分别是)", prev)
    if not m:
        return _before_phrase(prev, 0, len(prev))  # 先后修建了…、教师周转房，总共220套
    phrase = m.group(1).split("的")[-1]
    return _BEFORE_TRIM_START.sub("", phrase)
