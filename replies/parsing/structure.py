"""Stage 3: the layout of a reply — header lines, opening, numbered sections and items, closing, footer."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from .normalise import DATE
from .numbers import parse_cn_int
from .types import Item, Section, Span

_CN = "一二三四五六七八九十"
_MARKERS = [  # (kind, pattern); rank follows the order of official documents: 一、 > （一） > 1. > （1） > ①
    ("cn", re.compile(rf"^([{_CN}]{{1,3}})[、.．]")),
    ("pcn", re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)]")),
    ("num", re.compile(r"^(\d{1,2})(?:[.．、](?!\d)|[,，](?=[\u4e00-\u9fff]))")),
    ("pnum", re.compile(r"^[（(](\d{1,2})[）)]")),
    ("circ", re.compile(r"^([①-⑳])")),
]
_RANK = {kind: i for i, (kind, _) in enumerate(_MARKERS)}

OPENING = re.compile(
    r"(?:您|你们|你|贵(?:党|会|委|院|厅|局|单位|组织)?)[^。]{0,120}?(?:收悉|收到|悉)"
    r"|答复如下|函复如下|意见如下|复函如下|现答复|现将[^。]{0,30}(?:答复|函复|如下)"
)
CLOSING_LEAD = re.compile(
    r"^(?:下一步|下步|今后|下阶段|下一阶段|接下来|最后|特此答复|特此函复|此复"
    r"|(?:再次|衷心|非常|诚挚|最后)?(?:感谢|谢谢)(?:您|你|贵))"
)
_THANKS = re.compile(r"^(?:再次|衷心|非常|诚挚|最后)?(?:感谢|谢谢)")
_SALUTATION_HINT = re.compile(r"[：:]$")

DATE_LINE = re.compile(rf"^(?P<pre>[^。，；！？]{{0,40}}?)(?P<date>{DATE})(?P<post>[^。，；！？]{{0,8}})$")
ORG_SUFFIX = re.compile(
    r"(?:厅|局|委|委员会|办公室|办|院|部|中心|公司|政府|集团|总队|支队|大队|署|行|馆|学校|大学|学院|社|联|"
    r"协会|学会|联合会|基金会|管委会|街道|站|所|处|科|室|团|会)(?:[（(](?:盖章|印章|章)[）)])?$"
)
_FOOTER_LINE = re.compile(
    r"^(?:[（(]?(?:联系人|联系电话|联系方式|经办人|承办人|电话|传真|邮编|地址|抄送|抄报|附件|签发人|核稿人|"
    r"答复类[别型]|办理类[别型]|类别|"
    r"主动公开|依申请公开|不予公开|公开属性|公开方式|此件|本件)|[（(](?:盖章|印章|签章)[）)]$)"
)
_ORG_LINE_BAD = re.compile(r"[。，；！？：:、]|^(?:关于|对)")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Layout:
    lines: tuple[Line, ...]
    header_end: int  # index of the first line after the header block
    opening_line: int | None
    footer_start: int  # index of the first footer line (signature, date, contact …); len(lines) if none
    body_start: int  # offset
    body_end: int  # offset
    opening: Span | None
    closing: Span | None
    closing_label: str | None
    sections: tuple[Section, ...]
    blocks: tuple[tuple[int, int, str | None], ...]  # sorted (start, end, path) of the innermost units

    def path_at(self, pos: int) -> str | None:
        """Path of the item or section holding pos ("一.1", "二"), the closing's lead word, or None."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0:
            s, e, path = self.blocks[i]
            if s <= pos < e:
                return path
        return None

    def block_at(self, pos: int) -> tuple[int, int]:
        """The item, section, closing or paragraph span holding pos."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0:
            s, e, _ = self.blocks[i]
            if s <= pos < e:
                return s, e
        j = bisect.bisect_right(self._line_starts, pos) - 1
        if j >= 0:
            ln = self.lines[j]
            return ln.start, ln.end
        return 0, 0

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [b[0] for b in self.blocks]

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return [ln.start for ln in self.lines]


def split_lines(text: str) -> list[Line]:
    out = []
    pos = 0
    for part in text.split("\n"):
        out.append(Line(pos, pos + len(part), part))
        pos += len(part) + 1
    return out


def marker(text: str) -> tuple[str, int, int] | None:
    """(kind, number, marker length) when a line starts with a section or item marker."""
    for kind, pat in _MARKERS:
        m = pat.match(text)
        if m:
            g = m.group(1)
            if kind in ("cn", "pcn"):
                n = parse_cn_int(g)
            elif kind == "circ":
                n = ord(g) - ord("①") + 1
            else:
                n = int(g)
            if n:
                return kind, n, m.end()
    return None


def heading_of(text: str) -> str:
    m = re.search(r"[。！？；;!?]", text)
    head = text[: m.start()] if m else text
    if len(head) > 40:
        m = re.search(r"[，,：:]", head)
        head = head[: m.start()] if m and m.start() >= 4 else head[:40]
    return head.strip(" ：:，,")


def _is_footer_line(text: str) -> bool:
    if not text:
        return True
    if len(text) <= 60 and DATE_LINE.match(text):
        return True
    if _FOOTER_LINE.match(text):
        return True
    return is_org_line(text)


def is_org_line(text: str) -> bool:
    return 2 <= len(text) <= 40 and not _ORG_LINE_BAD.search(text) and ORG_SUFFIX.search(text) is not None


def analyse(text: str, *, ocr: bool = False) -> Layout:
    lines = split_lines(text)
    n = len(lines)

    # opening: the paragraph acknowledging the proposal, near the top
    limit = min(n, 15)
    opening_line = None
    for i in range(limit):
        t = lines[i].text
        if OPENING.search(t) and not marker(t):
            opening_line = i
            break
    if opening_line is None:
        # no acknowledgement: the body starts after the salutation, or at the first long or numbered line
        for i in range(limit):
            t = lines[i].text
            if _SALUTATION_HINT.search(t) and len(t) <= 40 and i + 1 < n:
                opening_line = None
                header_end = i + 1
                break
        else:
            header_end = 0
            for i in range(limit):
                t = lines[i].text
                if marker(t) or len(t) >= 45:
                    header_end = i
                    break
    else:
        header_end = opening_line

    # footer: signature, date, contact and copies lines at the end; whatever follows the signing date too
    footer_start = n
    floor = max(header_end + 1, n - 15)
    for i in range(n - 1, max(floor, n - 8) - 1, -1):
        t = lines[i].text
        if len(t) <= 60 and DATE_LINE.match(t):
            footer_start = i
            break
    i = footer_start - 1
    while i >= floor and _is_footer_line(lines[i].text):
        footer_start = i
        i -= 1
    while footer_start < n and not lines[footer_start].text:
        footer_start += 1

    body_start = lines[header_end].start if header_end < n else len(text)
    body_end = lines[footer_start - 1].end if footer_start > header_end else body_start
    opening = None
    first_body = header_end
    if opening_line is not None:
        ln = lines[opening_line]
        opening = Span(ln.start, ln.end)
        first_body = opening_line + 1

    # closing: a paragraph led by 下一步/今后/再次感谢 … after which no section starts
    closing_line = None
    for i in range(first_body, footer_start):
        t = lines[i].text
        mk = marker(t)
        if mk and closing_line is not None and _RANK[mk[0]] <= 1:
            closing_line = None
        if closing_line is None and CLOSING_LEAD.match(t):
            # thanks open a closing only among the last lines; 下一步/今后 anywhere after the last section
            if not _THANKS.match(t) or i >= footer_start - 3:
                closing_line = i
    closing = None
    closing_label = None
    content_end = footer_start
    if closing_line is not None:
        closing = Span(lines[closing_line].start, body_end)
        m = CLOSING_LEAD.match(lines[closing_line].text)
        closing_label = m.group(0) if m else None
        content_end = closing_line

    sections = _sections(lines, first_body, content_end)
    blocks: list[tuple[int, int, str | None]] = []
    for s in sections:
        if s.items:
            if s.items[0].start > s.start:
                blocks.append((s.start, s.items[0].start, s.path))
            blocks.extend((it.start, it.end, it.path) for it in s.items)
            if s.items[-1].end < s.end:
                blocks.append((s.items[-1].end, s.end, s.path))
        else:
            blocks.append((s.start, s.end, s.path))
    if closing:
        blocks.append((closing.start, closing.end + 1, closing_label))
    blocks.sort()
    return Layout(
        tuple(lines),
        header_end,
        opening_line,
        footer_start,
        body_start,
        body_end,
        opening,
        closing,
        closing_label,
        tuple(sections),
        tuple(blocks),
    )


def _sections(lines: list[Line], first: int, stop: int) -> list[Section]:
    found: list[tuple[int, str, int, int]] = []  # (line index, kind, number, marker length)
    for i in range(first, stop):
        mk = marker(lines[i].text)
        if mk:
            found.append((i, *mk))
    if not found:
        return []
    # the top level is the marker kind whose number 1 comes first (一、 before its （一）, 1. before its （1）)
    firsts = [f for f in found if f[2] == 1]
    if not firsts:
        return []
    top = firsts[0][1]
    heads = _sequence([f for f in found if f[1] == top])
    if not heads:
        return []
    end_offset = lines[stop - 1].end if stop > 0 else 0
    sections = []
    for j, (i, _kind, _num, mlen) in enumerate(heads):
        start = lines[i].start
        last_line = heads[j + 1][0] if j + 1 < len(heads) else stop
        end = lines[last_line - 1].end if last_line > i else lines[i].end
        end = min(end, end_offset) if end_offset >= start else end
        path = _path_label(lines[i].text, top)
        inner = [f for f in found if i < f[0] < last_line and _RANK[f[1]] > _RANK[top]]
        items = []
        if inner:
            sub_kind = min({f[1] for f in inner}, key=_RANK.get)
            subs = _sequence([f for f in inner if f[1] == sub_kind])
            for k, (si, _sk, _sn, smlen) in enumerate(subs):
                s_start = lines[si].start
                s_last = subs[k + 1][0] if k + 1 < len(subs) else last_line
                s_end = lines[s_last - 1].end
                items.append(
                    Item(
                        f"{path}.{_path_label(lines[si].text, sub_kind)}",
                        heading_of(lines[si].text[smlen:]),
                        s_start,
                        s_end,
                    )
                )
        sections.append(Section(path, heading_of(lines[i].text[mlen:]), start, end, tuple(items)))
    return sections


def _sequence(cands: list[tuple[int, str, int, int]]) -> list[tuple[int, str, int, int]]:
    """Keep markers that continue a numbering 1, 2, 3 … (one missing number tolerated, e.g. an OCR slip)."""
    out = []
    last = 0
    for c in cands:
        num = c[2]
        if (not out and num in (1, 2)) or (out and last < num <= last + 2):
            out.append(c)
            last = num
    return out


def _path_label(text: str, kind: str) -> str:
    m = dict(_MARKERS)[kind].match(text)
    return m.group(1) if m else ""
