"""Stage 5: sentences promising what will be done after the reply, with their targets and deadline."""

from __future__ import annotations

import bisect
import calendar
import datetime
import re

from .structure import Layout, marker
from .tense import CLAUSE_END, PAST, cn_years_to_arabic, is_past, sentence_spans, strong_markers, years_in
from .types import Commitment, Indicator, Target

# Forward words the tense cues leave out: 将 before any verb (将采取, 将介入), 拟作为, 计划可, 筹划推行.
_MORE_MARKERS = re.compile(
    r"(?<![即必])将(?!近|军|士|领|帅|相)"
    r"|(?<![草起比模虚])拟(?![定稿任人])"
    r"|计划(?![，,。；;、的和及与并中》”\"）)\s]|$)"
    r"|筹划|着手"
)
# Courtesies to the member: 感谢您…, 希望您继续关心支持…, 请多提宝贵意见, 欢迎批评指正.
_COURTESY = re.compile(
    r"感谢|谢谢|希望您|希望你|请您|请你|恳请|敬请|(?:宝贵|批评)(?:意见|建议)|多提(?!供|升|高)|批评指正"
    r"|^(?:并|同时|也|还|更|真诚|诚挚|衷心)?地?(?:请|希望|盼|期待|期望|欢迎)"
)
# 我们将认真吸纳您的宝贵意见: the department's own promise inside courteous words
_OWN_PROMISE = re.compile(r"(?:我们|我[局委厅办院部]|我单位|本[局委厅办院部]|本单位)[^，,；;]{0,20}?将")
# 你建议，一是…：the sentence restates the proposal
_RESTATES = re.compile(r"^(?:您|你)们?(?:在提案中|在建议中)?(?:建议|提出|认为|反映)[，,：:]")
# 将 foretelling an effect of a thing (此条线路的开通，将有效解决…; 建成后将增加…), not the department's action;
# 待条件成熟后，将… and 我局将有效… stay promises
_EFFECT_AFTER = re.compile(r"有效|大大|极大|明显|显著|有力|能够")
_EFFECT_BEFORE = re.compile(r"(?:后|这|此举?|其)[，,]?$")
_ACTOR = re.compile(r"我|本[局委厅办部院]|[局委厅办]将")
# 近年来，…将养老服务纳入…: a sentence set in the past tells what was done, whatever its 将
_PAST_FRAME = re.compile(r"近年来|近几年|一直以来|多年来|以来|历年|过去|此前|先后|去年|上年")
_NEAR = 40  # how far before 将 its actor or condition is looked for
_BRACKET = re.compile(r"[《》（）()]")
_WEAK = frozenset({"确保", "争取", "后续", "预计"})
_PURPOSE = re.compile(r"为了?|以便?|旨在")

_Y = r"((?:19|20)\d{2})年"
_QUARTER = {
    "一季度": 3,
    "第一季度": 3,
    "上半年": 6,
    "二季度": 6,
    "第二季度": 6,
    "前三季度": 9,
    "三季度": 9,
    "第三季度": 9,
    "四季度": 12,
    "第四季度": 12,
    "下半年": 12,
    "年底": 12,
    "年末": 12,
    "底": 12,
    "末": 12,
}
_DEADLINES = [
    ("day", re.compile(_Y + r"(\d{1,2})月(\d{1,2})日(?:前|之前|以前)")),
    ("month", re.compile(_Y + r"(\d{1,2})月(?:底|末|份|中旬|上旬|下旬)?(?:前|之前|以前|完成|实现|建成|出台)?")),
    ("part", re.compile(_Y + r"(第?[一二三四]季度|前三季度|上半年|下半年|年底|年末|底|末)")),
    ("year", re.compile(r"(?:到|至|于|在|力争|争取|预计)" + _Y + r"(?![度\d])")),
    ("this_year", re.compile(r"(?:今年|本年|年)(?:底|末)(?:前|之前)?|年内|今年内|本年度内|年底前")),
    ("next_year", re.compile(r"明年(?:底|末|年底)?")),
]


def deadline_of(sentence: str, reply_year: int | None) -> str | None:
    """The commitment's own date as ISO: 2023年底前 -> 2023-12-31, 2023年6月 -> 2023-06-30."""
    s = cn_years_to_arabic(sentence)
    best = None
    for kind, pat in _DEADLINES:
        m = pat.search(s)
        if m and (best is None or m.start() < best[1].start()):
            best = (kind, m)
    if best is None:
        return None
    kind, m = best
    if kind == "this_year":
        y, mo, d = reply_year, 12, 31
    elif kind == "next_year":
        y, mo, d = (reply_year + 1 if reply_year else None), 12, 31
    else:
        y = int(m.group(1))
        if kind == "day":
            mo, d = int(m.group(2)), int(m.group(3))
        elif kind == "month":
            mo = int(m.group(2))
            d = calendar.monthrange(y, mo)[1] if 1 <= mo <= 12 else 0
        elif kind == "part":
            mo = _QUARTER.get(m.group(2).lstrip("第") if m.group(2) not in _QUARTER else m.group(2), 12)
            d = calendar.monthrange(y, mo)[1]
        else:
            mo, d = 12, 31
    if y is None or not (1 <= mo <= 12) or not (1 <= d <= 31):
        return None
    if reply_year and y < reply_year:
        return None
    try:
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        return None


class _Sentence:
    """The clause bounds and past framing of one sentence, computed once for all its markers."""

    def __init__(self, text: str, s: int, e: int, reply_year: int | None):
        self.text, self.s, self.e, self.reply_year = text, s, e, reply_year
        self.bounds = [s] + [m.end() for m in CLAUSE_END.finditer(text, s, e)]
        frame = _PAST_FRAME.search(text, s, e)
        past_years = [p for y, p in years_in(text, s, e, reply_year) if reply_year and y < reply_year]
        starts = ([frame.start()] if frame else []) + past_years[:1]
        self.past_from = min(starts, default=e + 1)
        # (position, open 《 count, open （ count) after each bracket of the sentence
        self.courtesy: dict[int, bool] = {}
        self.brackets: list[int] = []
        self.depths: list[tuple[int, int]] = []
        title = paren = 0
        for m in _BRACKET.finditer(text, s, e):
            c = m.group()
            if c in "《》":
                title += 1 if c == "《" else -1
            else:
                paren += 1 if c in "（(" else -1
            self.brackets.append(m.start())
            self.depths.append((title, paren))

    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.bounds, pos) - 1
        return self.bounds[i], (self.bounds[i + 1] - 1 if i + 1 < len(self.bounds) else self.e)

    def set_in_the_past(self, pos: int) -> bool:
        """近年来，… / 2021年，我局将…列入 (in a 2022 reply) before pos: the sentence tells what was done."""
        return self.past_from < pos

    def quoted(self, pos: int) -> bool:
        """Whether pos is inside 《…》 or （…）: a title or a period, not a plan."""
        i = bisect.bisect_left(self.brackets, pos) - 1
        return i >= 0 and (self.depths[i][0] > 0 or self.depths[i][1] > 0)

    def voided(self, pos: int, word: str) -> bool:
        """Whether the marker word at pos says nothing of what the department will do."""
        text = self.text
        cs, ce = self.clause(pos)
        if cs not in self.courtesy:
            clause = text[cs:ce]
            self.courtesy[cs] = _COURTESY.search(clause) is not None and not _OWN_PROMISE.search(clause)
        if self.courtesy[cs]:
            return True
        if word in _WEAK and _PURPOSE.match(text, cs):
            return True
        if word == "后续" and (text[pos - 1 : pos] in ("为", "对", "的") or text[pos + 2 : pos + 3] == "的"):
            return True
        near = max(cs, pos - _NEAR)
        if word.endswith("将") and not _ACTOR.search(text, near, pos + 1):
            before = text[near:pos]
            if _EFFECT_AFTER.match(text, pos + 1) or (_EFFECT_BEFORE.search(before) and "待" not in before):
                return True
        return False


def promise_markers(text: str, s: int, e: int, reply_year: int | None) -> list[tuple[int, str]]:
    """Forward-looking markers of the sentence text[s:e] that promise an action of the department."""
    if _RESTATES.match(text[s:e].lstrip()):
        return []
    sentence = _Sentence(text, s, e, reply_year)
    found = dict(strong_markers(text, s, e, reply_year))
    past_clause: dict[int, bool] = {}
    for m in _MORE_MARKERS.finditer(text, s, e):
        if m.start() in found or m.start() - 1 in found or sentence.set_in_the_past(m.start()):
            continue
        cs, ce = sentence.clause(m.start())
        if cs not in past_clause:
            past_clause[cs] = is_past(text, cs, ce, reply_year)
        if not past_clause[cs]:
            found[m.start()] = m.group()
    if reply_year:
        for year, pos in years_in(text, s, e, reply_year):
            cs, ce = sentence.clause(pos)
            if year > reply_year and not sentence.quoted(pos) and not is_past(text, cs, ce, reply_year):
                found.setdefault(pos, f"{year}年")
    kept = sorted((p, w) for p, w in found.items() if not sentence.voided(p, w))
    if kept and all(w in _WEAK for _, w in kept):
        first = kept[0][0]
        if PAST.search(text, first, e) and re.search(r"已|了", text[first:e]):
            return []  # 经我局积极争取…已全部调出: an achievement told with a forward word
    return kept


def extract_commitments(
    text: str, layout: Layout, indicators: list[Indicator], reply_year: int | None
) -> list[Commitment]:
    start = layout.opening.end if layout.opening else layout.body_start
    end = layout.body_end
    out = []
    targets = sorted((i.start, i) for i in indicators if i.is_target)
    for s, e in sentence_spans(text, start, end):
        found = promise_markers(text, s, e, reply_year)
        if not found:
            continue
        mk = marker(text[s:e])
        if mk:
            if not re.search(r"[，,；;。！？!?]", text[s:e]):
                continue  # a heading such as 二、下一步工作
            s += mk[2]
        raw = text[s:e]
        lead = len(raw) - len(raw.lstrip())
        s += lead
        markers = []
        for _, word in found:
            w = word if not re.match(r"到\d", word) else "到"
            w = "将" if w.endswith("将") else w
            if w not in markers:
                markers.append(w)
        tg = tuple(Target(i.value, i.unit, i.qualifier) for p, i in targets if s <= p < e)
        out.append(
            Commitment(
                text=text[s:e],
                section=layout.path_at(s),
                markers=tuple(markers),
                targets=tg,
                deadline=deadline_of(text[s:e], reply_year),
                start=s,
                end=e,
            )
        )
    return out
