"""Stage 5: sentences promising what will be done after the reply, with their targets and deadline."""

from __future__ import annotations

import calendar
import datetime
import re

from .structure import Layout, marker
from .tense import cn_years_to_arabic, sentence_spans, strong_markers
from .types import Commitment, Indicator, Target

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


def extract_commitments(
    text: str, layout: Layout, indicators: list[Indicator], reply_year: int | None
) -> list[Commitment]:
    start = layout.opening.end if layout.opening else layout.body_start
    end = layout.body_end
    out = []
    targets = sorted((i.start, i) for i in indicators if i.is_target)
    for s, e in sentence_spans(text, start, end):
        found = strong_markers(text, s, e, reply_year)
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
