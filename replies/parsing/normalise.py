"""Stage 1: turn extracted text (pages split by form feeds) into one clean text, recording every edit.

Lines broken by the layout are re-flowed, page numbers and running headers dropped, spaces between CJK
characters removed (those between Latin words kept), full-width digits folded and OCR slips inside numbers
mended. Word characters are never changed silently: each substitution is a Change.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from .numbers import parse_cn_year, parse_small
from .types import Change

_CN_DATE_DIGIT = "〇零一二三四五六七八九○ＯO0"
_CN_SMALL = "一二三四五六七八九十"
# A calendar date in any form a reply is signed with: 2023年7月17日, 二〇二三年七月十七日, 2023.7.17, 2023-07-17.
DATE = (
    r"(?:(?:19|20)\d{2}.?年\d{1,2}月\d{1,2}[日号]"
    rf"|[{_CN_DATE_DIGIT}]{{4}}年[{_CN_SMALL}]{{1,3}}月[{_CN_SMALL}]{{1,3}}日"
    r"|(?<![\d.])(?:19|20)\d{2}(?:\.\d{1,2}\.|-\d{1,2}-|/\d{1,2}/|．\d{1,2}．|－\d{1,2}－)\d{1,2}(?![\d.]))"
)
_DATE_PARTS = re.compile(
    r"(?P<y>(?:19|20)\d{2}).?年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"
    rf"|(?P<cy>[{_CN_DATE_DIGIT}]{{4}})年(?P<cm>[{_CN_SMALL}]{{1,3}})月(?P<cd>[{_CN_SMALL}]{{1,3}})日"
    r"|(?<![\d.])(?P<ny>(?:19|20)\d{2})(?P<sep>[.．/\-－])(?P<nm>\d{1,2})(?P=sep)(?P<nd>\d{1,2})(?![\d.])"
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_PAGE_NO = re.compile(r"^[-—–－_·•.\s]*(?:第\s*)?(\d{1,4})\s*页?\s*(?:(?:[/／]|共)\s*\d{1,4}\s*页?)?[-—–－_·•.\s]*$")
_DECORATED = re.compile(r"[-—–－_·•/／页]")
_MARKER_START = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[）)]"
    r"|\d{1,2}[.．、](?!\d)|[①-⑳])"
)
_TERMINAL_END = re.compile(r"[。！？!?；;：:][”’」』）)]*$")
_TITLE_END = re.compile(r"(?:答复|复函|会办意见|办理意见|协办意见|的函|答复意见)(?:[（(][^（）()]{1,12}[）)])?$")
_UNIT_START = re.compile(r"^(?:[万亿千百]?元|[万亿]|%|％|个百分点|户|家|人次|名|项|件|所)")
_NUMBER_END = re.compile(r"[\d万亿千百]$")
_DOCNO_LINE = re.compile(r"^[\w\u4e00-\u9fff]{0,20}[〔\[【(（［]\s*(?:19|20)\d{2}\s*[〕\]】)）］]\s*第?\d{1,6}号")
_DATE_LINE = re.compile(rf"^(?:[\u4e00-\u9fff]{{2,30}})?{DATE}$")
_CLAUSE_PUNCT = re.compile(r"[，。；,;]")
_SPACES = re.compile(r"[^\S\n]+")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH[0xFF05] = ord("%")  # ％
_FULLWIDTH_RE = re.compile(r"[０-９Ａ-Ｚａ-ｚ％]+")
_FW_DOT = re.compile(r"(?<=\d)．(?=\d)")

_O_IN_NUMBER = re.compile(r"(?<=\d)[OoＯ〇]+(?=\d|\.\d|[所个件家户名人项万亿元%])")
_L_IN_NUMBER = re.compile(r"(?<=\d)[lI|](?=\d)")
_L_AS_ONE = re.compile(r"(?<=[\u4e00-\u9fff])[!|lI](?=[个件家户名项所])")
_LI_FOR_WAN = re.compile(r"(?<=\d)力(?=[件元人户家个项名])")
_BRACKET_AS_ONE = re.compile(r"(?<=年)[\]|lI!](?=月)|(?<=月)[\]|lI!](?=日)")
_PERCENT6 = re.compile(r"(?<=\d)%6(?![\d.])")
_BRACKETED_YEAR = re.compile(r"([〔\[【(（［])\s*((?:19|20)\d{2})\s*([〕\]】)）］])(?=\s*第?\s*\d{1,6}\s*号)")
_BRACKETED_YEAR_OCR = re.compile(
    r"([〔\[【(（［{])\s*((?:19|20)\d{2})\s*([〕\]】)）］}jJlI|])(?=\s*第?\s*\d{1,6}\s*号)"
)
_BRACKET_FAMILY = {
    "〔": 0,
    "〕": 0,
    "[": 1,
    "]": 1,
    "［": 1,
    "］": 1,
    "【": 2,
    "】": 2,
    "(": 3,
    ")": 3,
    "（": 3,
    "）": 3,
}


@dataclass(frozen=True)
class Normalised:
    text: str
    changes: tuple[Change, ...]
    pages: int


def parse_date(s: str) -> str | None:
    """The first date of s as ISO: 2022年7月6日, 二〇二二年七月六日, 2022.7.6, 2022-07-06 -> '2022-07-06'."""
    for m in _DATE_PARTS.finditer(s):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        elif m.group("ny"):
            y, mo, d = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
        else:
            cy = re.sub("[○ＯO0]", "〇", m.group("cy"))
            y, mo, d = parse_cn_year(cy), parse_small(m.group("cm")), parse_small(m.group("cd"))
            if y is None or mo is None or d is None:
                continue
        try:
            return datetime.date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def width(s: str) -> float:
    """Display width: ASCII counts ½, everything else (CJK, full-width punctuation) 1."""
    return len(s) - 0.5 * len(s.encode("ascii", "ignore"))


def _indent(line: str) -> int:
    n = 0
    for c in line:
        if c == "\u3000":
            n += 2
        elif c == "\t":
            n += 4
        elif c.isspace():
            n += 1
        else:
            break
    return n


def _is_page_number(line: str, page_index: int, n_pages: int) -> bool:
    m = _PAGE_NO.match(line)
    if not m:
        return False
    if _DECORATED.search(line):
        return True
    # a bare number is a page number only where it matches the page's position
    return n_pages > 1 and abs(int(m.group(1)) - (page_index + 1)) <= 2


def _header_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.changes: list[Change] = []

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)


def _clean_line(line: str, ocr: bool, changes: list[Change]) -> tuple[str, int]:
    """Fold full-width characters, mend line-level OCR slips, drop spaces; return (line, spaces removed)."""
    line = line.strip()
    if _FULLWIDTH_RE.search(line) or "．" in line:
        line = _FW_DOT.sub(".", line.translate(_FULLWIDTH))
    if ocr and "%6" in line:
        line = _PERCENT6.sub("%", line)
        changes.append(Change("ocr_percent", "%6", "%", None))
    removed = 0
    if " " in line or "\t" in line or "\u3000" in line or "\xa0" in line:
        out = []
        pos = 0
        for m in _SPACES.finditer(line):
            out.append(line[pos : m.start()])
            pos = m.end()
            before = line[m.start() - 1] if m.start() else ""
            after = line[m.end()] if m.end() < len(line) else ""
            if before in _ALNUM and after in _ALNUM:
                out.append(" ")
            else:
                removed += 1
        out.append(line[pos:])
        line = "".join(out)
    return line, removed


def normalise(raw: str, *, ocr: bool = False) -> Normalised:
    """Clean raw extracted text; every offset in the result refers to Normalised.text."""
    changes: list[Change] = []
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    n_control = len(_CONTROL.findall(raw))
    if n_control:
        raw = _CONTROL.sub("", raw)
    pages = raw.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    n_pages = len(pages)
    page_lines = [p.split("\n") for p in pages]

    # which lines are page numbers or running headers/footers
    drop: dict[tuple[int, int], str] = {}
    edge_keys: Counter[str] = Counter()
    edges: list[list[tuple[int, str]]] = []
    for pi, lines in enumerate(page_lines):
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        for i in idx[:2] + idx[-2:]:
            if _is_page_number(lines[i], pi, n_pages):
                drop[(pi, i)] = "page_number"
        rest = [i for i in idx if (pi, i) not in drop]
        page_edges = []
        if rest:
            page_edges.append((rest[0], "first"))
            if rest[-1] != rest[0]:
                page_edges.append((rest[-1], "last"))
        keys = {_header_key(lines[i]) for i, _ in page_edges}
        edge_keys.update(k for k in keys if 2 <= len(k) <= 40 and not _TERMINAL_END.search(k))
        edges.append([(i, kind) for i, kind in page_edges])
    if n_pages >= 2:
        need = max(2, (n_pages + 1) // 2)
        for pi, page_edges in enumerate(edges):
            for i, kind in page_edges:
                if edge_keys[_header_key(page_lines[pi][i])] >= need and not (kind == "first" and pi == 0):
                    drop[(pi, i)] = "running_header"

    # clean each kept line
    rows: list[tuple[str, int, int, int]] = []  # (clean line, indent, page, raw index)
    n_spaces = 0
    removed_lines: list[tuple[int, str, str]] = []  # (row index it precedes, kind, text)
    line_changes: list[list[Change]] = []
    for pi, lines in enumerate(page_lines):
        for i, ln in enumerate(lines):
            if (pi, i) in drop:
                removed_lines.append((len(rows), drop[(pi, i)], ln.strip()))
                continue
            if not ln.strip():
                continue
            lc: list[Change] = []
            clean, removed = _clean_line(ln, ocr, lc)
            n_spaces += removed
            if clean:
                rows.append((clean, _indent(ln), pi, i))
                line_changes.append(lc)

    row_width = [width(r[0]) for r in rows]
    widths = sorted(w for w in row_width if w >= 4)
    full = widths[int(len(widths) * 0.75)] if len(widths) >= 3 else (widths[-1] if widths else 0.0)
    short = 0.8 * full
    n_indented = sum(1 for r in rows if r[1] >= 2)
    indent_meaningful = len(rows) >= 4 and 0.05 <= n_indented / len(rows) <= 0.7

    b = _Builder()
    removed_iter = iter(removed_lines)
    pending = next(removed_iter, None)
    n_joins = 0
    for k, (line, ind, _pi, _i) in enumerate(rows):
        if k:
            prev = rows[k - 1][0]
            split_quantity = _NUMBER_END.search(prev) is not None and _UNIT_START.match(line) is not None
            brk = not split_quantity and (
                _TERMINAL_END.search(prev) is not None
                or row_width[k - 1] < short
                or (indent_meaningful and ind >= 2)
                or _MARKER_START.match(line) is not None
                or _TITLE_END.search(prev) is not None
                or _DOCNO_LINE.match(line) is not None
                or _DATE_LINE.match(line) is not None
                or (line[-1] in "：:" and row_width[k] < 0.5 * full and not _CLAUSE_PUNCT.search(line))
            )
            if brk:
                b.add("\n")
            else:
                n_joins += 1
                if prev[-1] in _ALNUM and line[0] in _ALNUM:
                    b.add(" ")
        while pending is not None and pending[0] <= k:
            changes.append(Change(pending[1], pending[2], None, b.length))
            pending = next(removed_iter, None)
        for c in line_changes[k]:
            changes.append(Change(c.kind, c.from_, c.to, b.length))
        b.add(line)
    while pending is not None:
        changes.append(Change(pending[1], pending[2], None, b.length))
        pending = next(removed_iter, None)
    text = "".join(b.parts)

    text = _mend_numbers(text, ocr, changes)
    if n_spaces:
        changes.append(Change("whitespace", None, None, None, count=n_spaces))
    if n_joins:
        changes.append(Change("line_join", None, None, None, count=n_joins))
    if n_control:
        changes.append(Change("control_char", None, None, None, count=n_control))
    changes.sort(key=lambda c: (c.at is None, c.at or 0))
    return Normalised(text=text, changes=tuple(changes), pages=n_pages)


def _digit_context(text: str, i: int) -> tuple[int, int]:
    s = i
    while s > 0 and (text[s - 1].isdigit() or text[s - 1] == "."):
        s -= 1
    e = i + 1
    while e < len(text) and (text[e].isdigit() or text[e] == "." or text[e] in "Oo〇Ｏ"):
        e += 1
    return s, e


def _mend_numbers(text: str, ocr: bool, changes: list[Change]) -> str:
    """Same-length substitutions inside numbers and document-number brackets."""
    subs: dict[int, tuple[str, str]] = {}

    def mark(pattern: re.Pattern, to: str, kind: str) -> None:
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                subs[i] = (to, kind)

    mark(_O_IN_NUMBER, "0", "ocr_digit")
    if ocr:
        mark(_L_IN_NUMBER, "1", "ocr_digit")
        mark(_L_AS_ONE, "1", "ocr_digit")
        mark(_LI_FOR_WAN, "万", "ocr_unit")
        mark(_BRACKET_AS_ONE, "1", "ocr_digit")
    brackets: list[tuple[int, int]] = []
    for m in (_BRACKETED_YEAR_OCR if ocr else _BRACKETED_YEAR).finditer(text):
        if _BRACKET_FAMILY.get(m.group(1), -1) != _BRACKET_FAMILY.get(m.group(3), -2):
            subs[m.start(1)] = ("〔", "ocr_bracket")
            subs[m.start(3)] = ("〕", "ocr_bracket")
            brackets.append((m.start(1), m.start(3)))
    if not subs:
        return text
    chars = list(text)
    for i, (to, _kind) in subs.items():
        chars[i] = to
    new = "".join(chars)
    done: set[int] = set()
    for i, j in brackets:
        done.update((i, j))
        changes.append(Change("ocr_bracket", text[i : j + 1], new[i : j + 1], i))
    for i in sorted(subs):
        if i in done:
            continue
        kind = subs[i][1]
        if True:
            s, e = _digit_context(text, i)
            e = max(e, i + 1)
            for k in range(s, e):
                done.add(k)
            changes.append(
                Change(
                    kind,
                    text[s : e + (1 if kind == "ocr_unit" else 0)],
                    new[s : e + (1 if kind == "ocr_unit" else 0)],
                    s,
                )
            )
    return new
