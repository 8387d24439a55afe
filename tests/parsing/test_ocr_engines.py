"""The OCR engines on real scanned pages of the corpus reply: choice of engine, pages turned upright, parallel
worker processes, the time limit. A few pages in all: each costs seconds."""

import multiprocessing
import shutil
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from replies.parsing import rapid
from replies.parsing.errors import ParseError
from replies.parsing.extract import Limits, extract_file, ocr_engine
from tests.corpus import CORPUS

REPLY_SCAN = CORPUS / "reply-scan.pdf"

needs_rapidocr = pytest.mark.skipif(not rapid.available(), reason="rapidocr-onnxruntime is not installed")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


def turned_scan(dest: Path, turns: dict[int, int]) -> Path:
    """Pages of the corpus scan (0-based index -> degrees clockwise), each shown turned as a scanner fed it."""
    src = pdfium.PdfDocument(REPLY_SCAN)
    doc = pdfium.PdfDocument.new()
    doc.import_pages(src, pages=list(turns))
    for index, degrees in enumerate(turns.values()):
        doc[index].set_rotation(degrees)
    doc.save(dest)
    doc.close()
    src.close()
    return dest


def flat(text: str) -> str:
    return "".join(text.split())


def test_auto_engine_is_rapidocr_when_installed_else_tesseract():
    assert ocr_engine(Limits()) == ("rapidocr" if rapid.available() else "tesseract")
    assert ocr_engine(Limits(ocr_engine="tesseract")) == "tesseract"


def test_unknown_engine_is_rejected():
    with pytest.raises(ValueError, match="ocr_engine"):
        Limits(ocr_engine="easyocr")


@needs_rapidocr
def test_rapidocr_reads_pages_turned_sideways_and_upside_down_in_parallel_and_in_order(tmp_path):
    scan = turned_scan(tmp_path / "scan.pdf", {0: 90, 1: 180})

    result = extract_file(scan, limits=Limits(ocr_engine="rapidocr", ocr_workers=2))

    first, second = result.text.split("\f")
    assert result.ocr_pages == (1, 2)
    lines = first.splitlines()
    assert lines[0].startswith("对省政协十二届五次会议第135号委员提案")
    assert "李秀玉委员：" in lines
    assert "2021年度对一汽解放汽车有限公司等324户企业R&D投入进行补助2978.4万元" in flat(first)
    assert "96.87" in second


@needs_rapidocr
def test_rapidocr_time_limit_ends_its_worker_processes(tmp_path):
    scan = turned_scan(tmp_path / "scan.pdf", {0: 0, 1: 0, 2: 0})
    start = time.monotonic()

    with pytest.raises(ParseError, match="超时"):
        extract_file(scan, limits=Limits(ocr_engine="rapidocr", timeout=1.5, ocr_workers=2))

    assert time.monotonic() - start < 8
    assert multiprocessing.active_children() == []


@needs_tesseract
def test_tesseract_detects_an_upside_down_page(tmp_path):
    scan = turned_scan(tmp_path / "scan.pdf", {0: 180})

    result = extract_file(scan, limits=Limits(ocr_engine="tesseract"))

    assert "补助2978.4万元" in flat(result.text)
