"""Sentences, clauses and the cues that tell a result already achieved from a plan or a promise."""

from __future__ import annotations

import bisect
import re

# Words that follow a future 将 ("will"); 将 before a noun phrase is the object marker (将200多户企业纳入了…).
_WILL_NEXT = (
    "继续|进一步|持续|加大|加快|加强|积极|认真|全力|不断|切实|大力|着力|深入|重点|适时|会同|联合|协调|推动|推进|"
    "完善|研究|按照|根据|结合|在|对|于|配合|启动|开展|组织|争取|力争|出台|制定|建立|建设|实施|落实|做好|进行|坚持|"
    "抓好|统筹|紧紧|紧密|围绕|督促|指导|牵头|主动|逐步|尽快|及时|以|与|同|密切|努力|全面|充分|高度|严格|聚焦|"
    "加以|予以|会|可|视|依托|立足|强化|优化|提升|提高|扩大|探索|谋划|着手|力求|确保|再|陆续|择机|把|通过|不断"
)
STRONG = re.compile(
    r"下一步|下步|下阶段|下一阶段|接下来|今后|力争|预计|(?<!为)(?<!为了)(?<!以)(?:确保|争取(?!到))"
    r"|年底前|年内|月底前|前完成|明年|后续"
    r"|拟(?=于|在|对|将|从|开展|出台|制定|建设|实施|组织|安排|投入|启动|推动|新建|争取|采取|会同|联合|召开|举办|"
    r"设立|建立|把|以|按照|进一步|继续|适时|尽快|研究|印发|修订|计划)"
    r"|计划(?=于|在|到|用|投入|投资|安排|开展|新建|建设|实施|完成|争取|启动|组织|推出|再|将|从)"
    rf"|(?<!即)将(?={_WILL_NEXT})"
    r"|到(?:19|20)\d{2}年|未来(?=[，,]|[一二三四五两几\d]+年)"
)
# Cues of a plan paragraph: 进一步优化…, 逐步实现…, 办好…, 启动实施…
WEAK = re.compile(r"进一步|逐步|(?:办|实施|抓|做|建|管|用|落实)好|启动实施")
PAST = re.compile(
    r"已|(?<![为除])了(?!解)|累计|截至|截止|先后|共有|共计|全年|首次|获批|获评|入选|同比|取得|以来|曾经|历年|"
    r"(?<![比较])(?:去年|上年)"
)
YEAR = re.compile(
    r"(?<![\d〔\[【(（])((?:19|20)\d{2})(?=年|(?:[1-9]|1[0-2])月)|([〇零一二三四五六七八九○]{4})(?=年)|(今年|本年|去年|上年)"
)
# 累计, 共计 add up without saying when: 到2025年，全市累计建成5G基站1万个 is a goal
_PAST_TENSE = re.compile(PAST.pattern.replace("累计|", "").replace("共计|", ""))
_RUNNING_TOTAL = re.compile(r"累计|共计")
# 2000年底前建成的小区: a past year bounding a noun phrase, not a result being reported
_BEFORE_YEAR = re.compile(r"\d{4}年(?:底|末)?(?:以前|之前|前)")
_COMPARE = re.compile(r"(?:比|较|与|同)$")
SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*|\n")
CLAUSE_END = re.compile(r"[，,；;：:]")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT.update({"零": "0", "○": "0"})


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as (start, end) with their final punctuation."""
    spans = []
    pos = start
    for m in SENTENCE_END.finditer(text, start, end):
        e = m.end() if m.group() != "\n" else m.start()
        if e > pos and text[pos:e].strip():
            spans.append((pos, e))
        pos = m.end()
    if pos < end and text[pos:end].strip():
        spans.append((pos, end))
    return spans


def clause_at(text: str, s: int, e: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence text[s:e] holding pos, split at ，；：."""
    limit = min(e, pos + 300)  # a clause longer than this is not prose; keep the scan bounded
    m = CLAUSE_END.search(text, pos, limit)
    ce = m.start() if m else limit
    cs = s
    # scan back only within the clause: the nearest boundary before pos
    k = pos - 1
    floor = max(s, pos - 300)
    while k >= floor:
        if text[k] in "，,；;：:":
            cs = k + 1
            break
        k -= 1
    else:
        cs = floor
    return cs, ce


def strong_markers(text: str, s: int, e: int, reply_year: int | None) -> list[tuple[int, str]]:
    """Forward-looking markers of the sentence text[s:e] whose own clause states no result."""
    found = []
    bounds = [s] + [m.end() for m in CLAUSE_END.finditer(text, s, e)]
    past_cache: dict[int, bool] = {}
    for m in STRONG.finditer(text, s, e):
        i = bisect.bisect_right(bounds, m.start()) - 1
        cs = bounds[i]
        if cs not in past_cache:
            ce = bounds[i + 1] - 1 if i + 1 < len(bounds) else e
            past_cache[cs] = is_past(text, cs, ce, reply_year)
        if past_cache[cs]:
            continue
        word = m.group()
        if word.startswith("到") and reply_year and int(word[1:5]) < reply_year:
            continue
        found.append((m.start(), word))
    return found


def is_past(text: str, s: int, e: int, reply_year: int | None) -> bool:
    """Whether text[s:e] reports a result: 已, 了, 累计, 截至 … or a past year."""
    if PAST.search(text, s, e):
        return True
    return _first_past_year(text, s, e, reply_year) is not None


def _first_past_year(text: str, s: int, e: int, reply_year: int | None) -> int | None:
    """Position of the first year before the reply's in text[s:e] that dates a result (not 到2020年, 2000年前建成的)."""
    if reply_year:
        for y, p in years_in(text, s, e, reply_year):
            if (
                y < reply_year
                and not text[max(s, p - 1) : p].endswith(("到", "至"))
                and not _BEFORE_YEAR.match(text, p)
            ):
                return p
    return None


def years_in(text: str, s: int, e: int, reply_year: int | None) -> list[tuple[int, int]]:
    """(year, position) of the year mentions in text[s:e], comparison bases (比2020年) left out."""
    index = _year_index(text, reply_year)
    positions = index[1]
    return index[0][bisect.bisect_left(positions, s) : bisect.bisect_left(positions, e)]


_last_index: tuple = (None, None, None)


def _year_index(text: str, reply_year: int | None) -> tuple[list[tuple[int, int]], list[int]]:
    """All year mentions of text, computed once per text (the last text is remembered)."""
    global _last_index
    cached_text, cached_year, index = _last_index
    if cached_text is text and cached_year == reply_year:
        return index
    out = []
    for m in YEAR.finditer(text):
        if _COMPARE.search(text, max(0, m.start() - 2), m.start()):
            continue
        if m.group(1):
            out.append((int(m.group(1)), m.start()))
        elif m.group(2):
            out.append((int("".join(_CN_DIGIT[c] for c in m.group(2))), m.start()))
        elif reply_year:
            rel = m.group(3)
            out.append((reply_year - (1 if rel in ("去年", "上年") else 0), m.start()))
    index = (out, [p for _, p in out])
    _last_index = (text, reply_year, index)
    return index


def cn_years_to_arabic(s: str) -> str:
    """二〇二三年 -> 2023年, same length, so offsets still hold."""
    return re.sub(r"[〇零一二三四五六七八九○]{4}(?=年)", lambda m: "".join(_CN_DIGIT[c] for c in m.group()), s)


class SentenceIndex:
    """Find the sentence holding an offset in O(log n)."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        return None


# A year that opens a span rather than naming one: the end of 2021-2023年 / 2021年至2023年, or 2019年以来 / 2019年起.
_RANGE_BEFORE = re.compile(r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九○]{4})\s*年?\s*(?:[-—–~～]|至|到)\s*$")
_SPAN_AFTER = re.compile(r"(?:以来|来|起|至今|到现在|至(?:19|20)\d{2}|[-—–~～](?:19|20)?\d{2})")
# Cues that a figure is a stock at the time of writing or a running total: it carries no single year of its own.
STOCK_OR_TOTAL = re.compile(
    r"目前|现有|现已|当前|至今|截至目前|截止目前|截至当前|截止当前|迄今|累计|历年|近年来|近[一二三四五两几\d]+年|以来|期间"
)


def year_opens_span(text: str, pos: int) -> bool:
    """Whether the year mention at pos is one end of a range or the start of 'since': it dates no single figure."""
    if text.startswith(("今年", "本年"), pos):
        return False  # 今年以来: this year to date, still this year
    if _RANGE_BEFORE.search(text, max(0, pos - 12), pos):
        return True
    m = re.compile(r"[^年]{0,6}?年(?:度|底|末|初)?").match(text, pos)
    if m and _SPAN_AFTER.match(text, m.end()):
        return True
    # 2020年新冠肺炎疫情发生以来: since an event of that year
    return bool(re.compile(r"[^，,。；;\n]{0,16}?以来").match(text, pos))


def clause_starts(text: str, s: int, e: int) -> list[int]:
    """Starts of the clauses of text[s:e] (split at ，；：)."""
    return [s] + [m.end() for m in CLAUSE_END.finditer(text, s, e)]


# A five-year plan period: past once it has ended before the reply (“十三五”期间 in a 2021 reply).
_PLAN_PERIOD = re.compile(r"(十[一二三四五六])五”?(?:期间|以来|时期)")
_PLAN_END = {"十一": 2010, "十二": 2015, "十三": 2020, "十四": 2025, "十五": 2030, "十六": 2035}
# 争取中央资金43亿元 reports money obtained; 争取更多资金 or 争取认定1000户 is a goal.
_OBTAINED = re.compile(r"争取(?:到|了)?[^，,。；;\d]{0,10}\d[\d.,]*[万亿]?元")
# Openers of a new sentence whose full stop the text lost: they govern what follows, not the figure before.
_OPENER = re.compile(r"下一步|下步|下阶段|接下来|今后")


class SentenceCues:
    """The tense cues of one sentence, found once, so that each figure's governing tense is a few bisects."""

    def __init__(self, text: str, s: int, e: int, reply_year: int | None):
        self.s, self.e = s, e
        self.bounds = clause_starts(text, s, e)
        self.ends = [b - 1 for b in self.bounds[1:]] + [e]
        past = [m.start() for m in _PAST_TENSE.finditer(text, s, e)]
        if reply_year:
            past += [
                p
                for y, p in years_in(text, s, e, reply_year)
                if y < reply_year
                and not text[max(s, p - 1) : p].endswith(("到", "至"))
                and not _BEFORE_YEAR.match(text, p)
            ]
            past += [m.start() for m in _PLAN_PERIOD.finditer(text, s, e) if _PLAN_END[m.group(1)] < reply_year]
        self.past = sorted(past)
        self.future = []
        for m in STRONG.finditer(text, s, e):
            word = m.group()
            if word.startswith("到") and reply_year and int(word[1:5]) < reply_year:
                continue
            if word == "争取" and _OBTAINED.match(text, m.start(), self._clause_end(m.start())):
                continue
            self.future.append(m.start())
        self.total = [m.start() for m in _RUNNING_TOTAL.finditer(text, s, e)]
        self.opener = [m.start() for m in _OPENER.finditer(text, s, e)]

    def _clause_end(self, pos: int) -> int:
        return self.ends[bisect.bisect_right(self.bounds, pos) - 1]

    @staticmethod
    def _first(positions: list[int], s: int, e: int) -> int | None:
        i = bisect.bisect_left(positions, s)
        return positions[i] if i < len(positions) and positions[i] < e else None

    def first_cue(self, s: int, e: int) -> str | None:
        first_past = self._first(self.past, s, e)
        future = self._first(self.future, s, e)
        total = self._first(self.total, s, e)
        if total is not None and future is not None and total < future:
            return "past"  # 累计争取稳岗补贴资金近8亿元: a total obtained, not a goal
        if future is not None and (first_past is None or future < first_past):
            return "future"
        return "past" if first_past is not None else None

    def governing_tense(self, pos: int) -> str | None:
        """'future' or 'past' as the nearest clause, up to the one holding pos, marks it.

        The figure's own clause decides first, by its first cue (确保已建设施…80%: 确保 governs); a plan word after
        the figure counts (2家医院拟于今年投用), an opener of a new sentence (下一步) does not. Earlier clauses govern
        what follows them (下一步，将…), but a clause reporting a result stops the scan: 共建设3家，…，下一步实施动工
        reports, it does not promise. Only the few clauses just before the figure are read.
        """
        k = bisect.bisect_right(self.bounds, pos)
        running_total = False
        for i in range(k - 1, max(-1, k - 9), -1):
            cs, ce = self.bounds[i], self.ends[i]
            if i == k - 1:
                opener = self._first(self.opener, pos, ce)
                ce = opener if opener is not None else ce
            tense = self.first_cue(cs, ce)
            if tense:
                return tense
            # 累计 reports a total unless a goal governs it from before: 到2025年，全市累计建成5G基站1万个
            running_total = running_total or self._first(self.total, cs, ce) is not None
        return "past" if running_total else None
