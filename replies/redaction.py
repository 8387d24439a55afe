"""Personal data in a reply's text, found before the reply is published: pure functions on strings, no Django.

`find_personal_data(text)` proposes spans (staff review each one); `occurrences(text, needle)` finds a string staff
type in; `redact(text, spans)` gives the public text with every span replaced by a mark that hides its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MOBILE, LANDLINE, ID_CARD, EMAIL, FOOTER, ADDRESS = "mobile", "landline", "id_card", "email", "footer", "address"
MASK = "■■■■"

_CJK = r"\u4e00-\u9fff"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    (ID_CARD, re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
                         r"[0-9Xx](?![0-9A-Za-z])")),
    (MOBILE, re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")),
    # an area code (0431-, (0431), （0431）) and 7-8 digits, with an optional extension: a bare 8-digit number
    # could be an amount or a date, so one without an area code is taken only after a 电话/传真 label below
    (LANDLINE, re.compile(r"(?:[(（]0\d{2,3}[)）]\s?|(?<![0-9])0\d{2,3}[-－—]\s?)\d{7,8}(?:(?:转|-|－)\d{1,5})?"
                          r"(?![0-9])")),
    (LANDLINE, re.compile(r"(?<=电话|传真|手机)[:：]?\s*(?P<span>\d{7,8})(?![0-9])")),
    (EMAIL, re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
    # 联系人：张三  联系电话：0431-88888888 / 经办人：李四: the value after the label, to the end of the line
    (FOOTER, re.compile(r"(?m)^[ \t\u3000]*(?:联\s*系\s*人|联\s*系\s*电\s*话|经\s*办\s*人)\s*[:：]?\s*"
                        r"(?P<span>\S[^\n]*?)\s*$")),
    # a private person's home: 家住/住址 ... up to the next punctuation, or a flat (栋/幢/号楼 … 单元 … 室)
    (ADDRESS, re.compile(r"(?:家住|住址|现住|现居住?于?|居住在|住在)\s*[:：]?\s*(?P<span>[^\s，。；、,;：:]{4,40})")),
    (ADDRESS, re.compile(rf"(?:(?:(?![住在于是的为和与及])[{_CJK}\d]){{1,16}}?(?:路|街|道|巷|弄|胡同|小区|村|花园|苑|公寓|家园|社区)\s*)?"
                         r"(?:\d+\s*号\s*)?\d+\s*(?:栋|幢|号楼)\s*(?:\d+\s*单元\s*)?\d+\s*(?:室|户|号)")),
]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str

    def text_in(self, text: str) -> str:
        return text[self.start:self.end]


def find_personal_data(text: str) -> list[Span]:
    """Spans of personal data in `text`, in order, overlapping finds merged into the longest (the first kind
    found wins: an ID card is not also read as a phone number)."""
    found: list[Span] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span("span") if "span" in pattern.groupindex else match.span()
            if end > start:
                found.append(Span(start, end, kind))
    return _merge(found)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Every (start, end) of `needle` in `text`, leading and trailing spaces of the needle ignored."""
    needle = needle.strip()
    if not needle:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


def redact(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by MASK; overlapping spans become one mask."""
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:  # overlaps the span just masked: widen that mask
            position = max(position, end)
            continue
        out += [text[position:start], MASK]
        position = end
    out.append(text[position:])
    return "".join(out)
