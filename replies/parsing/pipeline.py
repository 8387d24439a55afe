"""Run the parsing stages over extracted text: normalise, layout, header, indicators, commitments."""

from __future__ import annotations

from .commitments import extract_commitments
from .errors import ParseError
from .header import extract_header
from .indicators import extract_indicators
from .normalise import normalise
from .structure import analyse
from .types import ParseResult

MAX_CHARS = 2_000_000


def parse_text(text: str, *, pages: int | None = None, ocr: bool = False) -> ParseResult:
    """Parse already extracted text (pages separated by form feeds) into a ParseResult."""
    if not isinstance(text, str):
        raise ParseError("文本格式无法识别")
    if len(text) > MAX_CHARS:
        raise ParseError(f"文本过长（{len(text)} 字符），无法解析")
    norm = normalise(text, ocr=ocr)
    if not norm.text.strip():
        raise ParseError("文档中没有可识别的文字")
    layout = analyse(norm.text, ocr=ocr)
    header = extract_header(norm.text, layout)
    reply_year = int(header.reply_date[:4]) if header.reply_date else None
    indicators = extract_indicators(norm.text, layout, reply_year, header.reply_date)
    commitments = extract_commitments(norm.text, layout, indicators, reply_year)
    return ParseResult(
        header=header,
        text=norm.text,
        sections=layout.sections,
        opening=layout.opening,
        closing=layout.closing,
        indicators=tuple(indicators),
        commitments=tuple(commitments),
        pages=pages if pages is not None else norm.pages,
        ocr=ocr,
        changes=norm.changes,
    )
