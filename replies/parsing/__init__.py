"""Turn a reply document (PDF, scan, .txt) into a ParseResult. Pure Python: no Django import here."""

from .errors import ParseError

__all__ = ["ParseError", "parse_file", "parse_text"]


def parse_text(text: str, *, pages: int | None = None, ocr: bool = False):
    """Parse already extracted text (pages separated by form feeds) into a ParseResult."""
    from .pipeline import parse_text as _parse_text

    return _parse_text(text, pages=pages, ocr=ocr)


def parse_file(path, *, limits=None, progress=None):
    """Extract the text of the file at path (PDF, scanned PDF, .txt, .docx) and parse it."""
    from .extract import extract_file

    extracted = extract_file(path, limits=limits, progress=progress)
    return parse_text(extracted.text, pages=extracted.pages, ocr=extracted.ocr)
