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
    r"(?<![\d〔\[【(（])((?:19|20)\d{2})(?=年)|([〇零一二三四五六七八九○]{4})(?=年)|(今年|本年|去年|上年)"
)
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
    if reply_year:
        for y, p in years_in(text, s, e, reply_year):
            if y < reply_year and not text[max(s, p - 1) : p].endswith(("到", "至")):
                return True
    return False


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
