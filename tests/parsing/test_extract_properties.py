"""Whatever bytes a user uploads, extract_file returns a result or raises ParseError; it never hangs."""

import io
import os
import tempfile
import time
import zipfile
from pathlib import Path
from unittest import mock

import pypdfium2 as pdfium
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replies.parsing.errors import ParseError
from replies.parsing.extract import Extracted, Limits, extract_file
from tests.corpus import CORPUS

# tesseract, so that a missing one (TESSERACT_CMD below) stops OCR at once: these tests are about reading files
LIMITS = Limits(timeout=20, max_pages=50, ocr_engine="tesseract")
SLOWEST = 30  # seconds; LIMITS.timeout plus slack for a loaded CI machine

SUFFIXES = st.sampled_from(["reply.pdf", "reply.txt", "reply.docx", "reply"])
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _seed_pdf() -> bytes:
    """The last page of the corpus reply (signature and date), small enough to mutate byte by byte."""
    src = pdfium.PdfDocument(CORPUS / "reply.pdf")
    doc = pdfium.PdfDocument.new()
    doc.import_pages(src, pages=[7])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _seed_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>吉科发办〔2022〕108号</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


SEED_PDF = _seed_pdf()
SEED_DOCX = _seed_docx()


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """The seed, maybe truncated, with some bytes overwritten and some junk inserted."""
    end = draw(st.integers(1, len(seed))) if draw(st.booleans()) else len(seed)
    data = bytearray(seed[:end])
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(max_size=64))
    return bytes(data)


ANY_BYTES = st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=2048).map(lambda b: b"%PDF-1.7\n" + b),
    st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    st.text(max_size=500).map(lambda t: t.encode("utf-16")),
    mutated(SEED_PDF),
    mutated(SEED_DOCX),
)


def assert_result_or_parse_error(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        start = time.monotonic()
        try:
            result = extract_file(path, limits=LIMITS)
        except ParseError as error:
            assert str(error) and "\n" not in str(error)
        else:
            assert isinstance(result, Extracted)
            assert isinstance(result.text, str)
            assert result.pages == result.text.count("\f") + 1
        assert time.monotonic() - start < SLOWEST


@PROPERTY_SETTINGS
@given(data=ANY_BYTES, name=SUFFIXES)
def test_any_bytes_give_a_result_or_a_parse_error(data, name):
    # No OCR here: a mutated page that loses its text would otherwise spend seconds in tesseract.
    with mock.patch.dict(os.environ, {"TESSERACT_CMD": "/nonexistent/tesseract"}):
        assert_result_or_parse_error(data, name)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(SEED_PDF))
def test_damaged_pdfs_with_ocr_available_give_a_result_or_a_parse_error(data):
    assert_result_or_parse_error(data, "reply.pdf")
