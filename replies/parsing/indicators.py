"""Stage 4: every measured quantity of the body, with unit, qualifier, year, metric and whether it is a target."""

from __future__ import annotations

import bisect
import re
from decimal import Decimal

from .labels import metric_label
from .numbers import CN_NUMERAL_CHARS, format_decimal, match_unit, parse_cn_int, scale_factor, to_decimal
from .structure import Layout
from .tense import (
    CLAUSE_END,
    STOCK_OR_TOTAL,
    WEAK,
    SentenceCues,
    SentenceIndex,
    is_past,
    sentence_spans,
    strong_markers,
    year_opens_span,
    years_in,
)
from .types import Indicator

_ARABIC = re.compile(r"(?<![\dA-Za-z&_.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])")
_CHINESE = re.compile(rf"[{CN_NUMERAL_CHARS}]+")
_TITLE_SPAN = re.compile(r"《[^《》\n]{0,200}》")
_QUOTE = re.compile(r"[“「][^“”「」\n]{0,300}[”」]")
_SHORT_QUOTE = re.compile(r"[“\"「][^“”\"「」\n]{1,10}[”\"」]")
_SKIP_BEFORE = set("第每数几星周初〔[【#这那该此")  # 这两批项目: a reference back, not a count
_PRE_QUALIFIERS = sorted(
    "同比增长 同比下降 同比减少 同比提高 同比增加 增长 下降 增加 减少 提高 不低于 不少于 不超过 不足 超过 高达 多达 "
    "累计 合计 共计 总计 达到 达 约 近 将近 逾 超 最高 最低 至少 大约 仅 突破 约为".split(),
    key=len,
    reverse=True,
)
_PRE_QUALIFIER = re.compile("(?:" + "|".join(_PRE_QUALIFIERS) + r")$")
_CLAUSE_QUALIFIERS = re.compile(r"不低于|不少于|不超过|超过|高于|低于|累计|合计|共计|总计")
_POST_QUALIFIER = re.compile(r"以上|以下|左右|以内|上下|余")
_PERCENT_WORDS = re.compile(rf"百分之(\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]{{1,6}})")
# 建成后可新增133个停车位, 计划可容纳130辆: what a project under way will give
_AFTER_COMPLETION = re.compile(r"(?:(?:建成|完工|竣工|投用|投入使用|实施|完成|落地)后[，,]?|计划|预计)(?:可|将|能)")
# How far before a figure its cues are looked for: a governing phrase is near; a longer look makes long
# sentences quadratic.
_REACH = 120
_THRESHOLD = re.compile(r"(?:以上|以下|及以上|及以下)?(?:规模)?的")
_THRESHOLD_BEFORE = re.compile(r"(?:超过|不足|不满|达到|低于|高于|满)$|对(?:超过|不足|不满|低于|高于|满)?$")
_NAME_UNITS = frozenset("台 家 座 间 条 门 道".split())
_PLACE_AFTER = re.compile(r"地区|小学|中学|村|镇|乡|街|路|社区|片区|大队|山|河|湖|桥")
_DISCOURSE = re.compile(
    r"方面|环节|层面|阶段|原则|步骤|维度|部分|角度|问题|措施|方向|重点|关键|途径|渠道|机制|制度|体系|意识|自信|全面|"
    r"维护|坚持|确保|目标|任务|要求|结合|服务|聚焦|统筹|必须|着力|转变|一"
)
_PROPOSAL_CITED = re.compile(
    r"(?:您|你们?|贵[委会党]|提案|建议|来信)[^。]{0,12}?(?:提到|提出|指出|反映|所述|中说|谈到)"
)
_UNIT_EXCLUDE_AFTER = {
    "次": re.compile(r"(?:全体)?会议|常委会"),
    "个": re.compile(r"月|工作日|小时|季度"),
    "期": re.compile(r"工程"),
    "方": re.compile(r"[面案式向法针位便能言]"),
}


def _spans(pattern: re.Pattern, text: str, s: int, e: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text, s, e)]


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


class _Candidate:
    __slots__ = ("start", "end", "value", "scale", "unit", "inner_qual")

    def __init__(self, start, end, value, scale, unit, inner_qual):
        self.start, self.end = start, end
        self.value, self.scale, self.unit, self.inner_qual = value, scale, unit, inner_qual


def _read_unit(text: str, pos: int, chinese: bool, scale_in_number: str = "") -> tuple | None:
    inner = None
    if pos < len(text) and text[pos] in "余多":
        inner = text[pos]
        pos += 1
    u = match_unit(text, pos, chinese=chinese)
    if u is None:
        if scale_in_number:
            return "", "", pos, inner
        return None
    scale, base, end = u
    if inner is None and end < len(text) and text[end] in "余多" and not base:
        return None
    excl = _UNIT_EXCLUDE_AFTER.get(base)
    if excl and excl.match(text, end):
        return None
    return scale, base, end, inner


def _candidates(text: str, s: int, e: int, titles, title_starts, quotes, quote_starts):
    out: list[_Candidate] = []
    for m in _ARABIC.finditer(text, s, e):
        if m.start() and text[m.start() - 1] in _SKIP_BEFORE:
            continue
        if _inside(titles, title_starts, m.start()):
            continue
        raw = m.group(1).replace(",", "") + (m.group(2) or "")
        if len(raw) > 18:
            continue
        u = _read_unit(text, m.end(), chinese=False)
        if u is None:
            continue
        scale, base, end, inner = u
        out.append(_Candidate(m.start(), end, raw, scale, base, inner))
    for m in _CHINESE.finditer(text, s, e):
        run = m.group()
        if len(run) > 20 or run[0] in "百千万亿" or run[0] in "零〇○":
            continue
        if m.start() and text[m.start() - 1] in _SKIP_BEFORE:
            continue
        if _inside(titles, title_starts, m.start()) or _inside(quotes, quote_starts, m.start()):
            continue
        core = run.rstrip("万亿")
        scale = run[len(core) :]
        if not core:
            continue
        if "万" in core or "亿" in core:
            # 一亿二千万: the trailing 万 scales only 二千, so read the whole run and express it in 万
            total = parse_cn_int(run)
            value = None if total is None else format_decimal(Decimal(total) / scale_factor(scale))
        else:
            value = parse_cn_int(core)
        if value is None or value == 0:
            continue
        u = _read_unit(text, m.end(), chinese=True, scale_in_number=scale)
        if u is None:
            continue
        uscale, base, end, inner = u
        if not base:
            continue
        if core == "一" and not scale and not uscale:
            continue  # 一批, 一个, 一项: "a", not a count
        if run == "二" and base == "次" and end < len(text) and "\u4e00" <= text[end] <= "\u9fff":
            continue  # 二次调配, 二次供水: "secondary"; a count says 两次
        if base in _NAME_UNITS and _PLACE_AFTER.match(text, end):
            continue  # 四台地区, 三家村: a place name, not a count
        if base in ("个", "项", "条", "种") and _DISCOURSE.match(text, end):
            continue  # 三个方面, 两项措施, 四个全面: the shape of the text or a slogan, not a quantity
        out.append(_Candidate(m.start(), end, str(value), scale + uscale, base, inner))
    for m in _PERCENT_WORDS.finditer(text, s, e):
        if _inside(titles, title_starts, m.start()):
            continue
        num = m.group(1)
        value = num if num[0].isdigit() else parse_cn_int(num)
        if value is None or to_decimal(str(value)) is None:
            continue
        out.append(_Candidate(m.start(), m.end(), str(value), "", "%", None))
    out.sort(key=lambda c: c.start)
    return out


def _qualifier(text: str, c: _Candidate, clause_start: int) -> str | None:
    if c.inner_qual:
        return c.inner_qual
    m = _POST_QUALIFIER.match(text, c.end)
    if m:
        return m.group()
    m = _PRE_QUALIFIER.search(text, max(clause_start, c.start - 4), c.start)
    if m:
        return m.group()
    head = text[max(clause_start, c.start - 60) : c.start]
    if not re.search(r"\d", head):
        found = _CLAUSE_QUALIFIERS.findall(head)
        if found:
            return found[-1]
    return None


def extract_indicators(
    text: str, layout: Layout, reply_year: int | None, reply_date: str | None = None
) -> list[Indicator]:
    """Every quantity of the body; one with no year of its own and no target is dated as_of the reply date."""
    s, e = layout.body_start, layout.body_end
    if e <= s:
        return []
    titles = _spans(_TITLE_SPAN, text, s, e)
    quotes = _spans(_SHORT_QUOTE, text, s, e)
    cands = _candidates(text, s, e, titles, [t[0] for t in titles], quotes, [q[0] for q in quotes])
    if not cands:
        return []
    sentences = SentenceIndex(sentence_spans(text, s, e))
    closing = layout.closing
    plan_cache: dict[tuple[int, int], bool] = {}
    sent_cache: dict[tuple[int, int], tuple[bool, bool]] = {}
    bounds = [m.start() for m in CLAUSE_END.finditer(text, s, e)]
    quotes_all = _spans(_QUOTE, text, s, e)
    cite_cache: dict[tuple[int, int], int | None] = {}
    quote_starts_all = [q[0] for q in quotes_all]
    year_cache: dict[tuple[int, int], list[tuple[int, int]]] = {}
    cue_cache: dict[tuple[int, int], SentenceCues] = {}
    last_in_sentence: dict[tuple[int, int], tuple[int, str | None]] = {}
    out = []
    for c in cands:
        sent = sentences.at(c.start) or (c.start, c.end)
        ss, se = sent
        k = bisect.bisect_left(bounds, c.start)
        cs = max(ss, bounds[k - 1] + 1) if k else ss
        ce = min(se, bounds[k]) if k < len(bounds) else se
        block = layout.block_at(c.start)
        if block not in plan_cache:
            plan_cache[block] = _is_plan_block(text, block, reply_year)
        in_closing = closing is not None and closing.start <= c.start < closing.end
        if sent not in sent_cache:
            sent_cache[sent] = is_past(text, ss, se, reply_year)
        past_sentence = sent_cache[sent]
        quoted = _inside(quotes_all, quote_starts_all, c.start)
        if sent not in cue_cache:
            cue_cache[sent] = SentenceCues(text, ss, se, reply_year)
        tense = cue_cache[sent].governing_tense(c.start)
        near = max(cs, c.start - _REACH)
        if quoted or _THRESHOLD.match(text, c.end) and _THRESHOLD_BEFORE.search(text, near, c.start):
            is_target = False  # 对超过1000人规模的学校…: a threshold that picks out a noun, not a goal; a quoted rule (该文规定：“…不超过2000人”) states a norm, not this office's goal
        elif _AFTER_COMPLETION.search(text, near, c.start):
            is_target = True
        elif tense:
            is_target = tense == "future"
        else:
            is_target = (in_closing or plan_cache[block]) and not past_sentence
        if sent not in year_cache:
            year_cache[sent] = years_in(text, ss, se, reply_year)
        year = _year(text, c, sent, (cs, ce), year_cache[sent], block, reply_year, year_cache, is_target, quoted)
        if year and reply_year and year > reply_year and not quoted:
            is_target = True  # 2025年在新长征新建1所公办幼儿园, in a 2024 reply: dated after the reply, so a plan
        d = to_decimal(c.value)
        if d is None:
            continue
        prev = last_in_sentence.get(sent)
        label = metric_label(text, c.start, c.end, c.unit, (cs, ce), ss, prev)
        last_in_sentence[sent] = (c.end, label)
        base = format_decimal(d * scale_factor(c.scale))
        out.append(
            Indicator(
                value=c.value,
                unit=c.scale + c.unit,
                base_value=base,
                base_unit=c.unit or None,
                qualifier=_qualifier(text, c, cs),
                year=year,
                as_of=reply_date if year is None and not is_target else None,
                is_target=is_target,
                metric=label,
                sentence=text[max(ss, c.start - 500) : min(se, c.end + 500)].strip(),
                section=layout.path_at(c.start),
                source=_source(text, c, sent, quotes_all, quote_starts_all, cite_cache),
                start=c.start,
                end=c.end,
            )
        )
    return out


def _source(text: str, c: _Candidate, sent: tuple[int, int], quotes, quote_starts, cache: dict) -> str:
    """Whose figure this is: the proposal's (您提到…), a quotation (a cited policy), or the reply's own."""
    if sent not in cache:
        m = _PROPOSAL_CITED.search(text, sent[0], sent[1])
        cache[sent] = m.start() if m else None
    cited = cache[sent]
    if cited is not None and cited < c.start:
        return "proposal"
    if _inside(quotes, quote_starts, c.start):
        return "quote"
    return "reply"


def _is_plan_block(text: str, block: tuple[int, int], reply_year: int | None) -> bool:
    """A block (item or section) written as a plan: forward cues and no sentence reporting a result."""
    bs, be = block
    if be - bs > 3000 or be <= bs:
        return False
    if is_past(text, bs, be, reply_year):
        return False
    return WEAK.search(text, bs, be) is not None or bool(strong_markers(text, bs, be, reply_year))


def _year(text, c, sent, clause, ys, block, reply_year, cache, is_target, quoted) -> int | None:
    """The year the text states for the quantity: in its sentence, else carried from an earlier sentence of its
    block; none for a running total or present stock with no year of its own, nor after a range (2021-2023年)."""
    ss, se = sent
    cs, ce = clause
    if is_target and reply_year:
        # a target's year is the one it is due: 到2025年…, not 2000年底前建成的
        future = [y for y, p in ys if y >= reply_year]
        if future:
            return future[0]
    positions = _Positions(ys)
    k = bisect.bisect_left(positions, c.start)
    for y, p in reversed(ys[max(0, k - 4) : k]):  # the nearest year before it that is not another figure's
        if not _bound_elsewhere(text, p, c.start):
            return None if year_opens_span(text, p) else y
    j = bisect.bisect_left(positions, c.end)
    if j < len(ys) and ys[j][1] < ce:
        y, p = ys[j]
        return None if year_opens_span(text, p) else y
    lead = max(ss, c.start - _REACH)
    if is_target or quoted or STOCK_OR_TOTAL.search(text, lead, min(ce, c.end + _REACH)):
        return None
    key = ("block", block)
    if key not in cache:
        cache[key] = [
            (y, p) for y, p in years_in(text, block[0], block[1], reply_year) if reply_year is None or y <= reply_year
        ]
    past = cache[key]
    k = bisect.bisect_left(_Positions(past), ss)
    if not k:
        return None
    y, p = past[k - 1]
    # carry a year only from a sentence that dates one thing: 2013年…28.56万亩，2022年…26.74万亩 compares two
    start = _sentence_start(text, p)
    sentence_years = {yy for yy, pp in past[max(0, k - 8) : k] if pp >= start}
    if len(sentence_years) > 1 or year_opens_span(text, p):
        return None
    return y


def _sentence_start(text: str, pos: int) -> int:
    floor = max(0, pos - 300)
    k = max(text.rfind("。", floor, pos), text.rfind("\n", floor, pos))
    return k + 1 if k >= 0 else floor


def _bound_elsewhere(text: str, year_pos: int, pos: int) -> bool:
    """从2021年的27%提升至55%: a year opening a change belongs to the starting figure, not to the result."""
    if not re.search(r"(?:从|由)$", text[max(0, year_pos - 1) : year_pos]):
        return False
    return bool(_ARABIC.search(text, year_pos + 5, pos))


class _Positions:
    """A read-only view of the positions of (year, position) pairs, for bisect."""

    __slots__ = ("pairs",)

    def __init__(self, pairs):
        self.pairs = pairs

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, i):
        return self.pairs[i][1]
