"""The OCR engines on real scanned pages of the corpus reply: choice of engine, pages turned upright, parallel
worker processes, the time limit. A few pages in all: each costs seconds."""

import multiprocessing
import shutil
import time
from pathlib import Path

import numpy as np
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


def _box(left, top, right, bottom):
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float32)


def test_rapidocr_boxes_become_lines_top_to_bottom_left_to_right():
    body = [(_box(100, 300 + 60 * n, 900, 345 + 60 * n), text) for n, text in enumerate(["省教育厅：", "现答复如下："])]
    row = [(_box(600, 422, 900, 467), "2021年5月24日"), (_box(100, 420, 400, 465), "黔东南州人民政府")]

    assert rapid._lines(row + body[::-1]) == "省教育厅：\n现答复如下：\n黔东南州人民政府 2021年5月24日"


def test_rapidocr_wrapped_title_in_display_type_is_one_line_but_a_larger_head_stays_apart():
    head = (_box(100, 20, 900, 120), "黔东南州人民政府文件")
    title = [(_box(100, 150, 900, 210), "黔东南州人民政府关于贵州省人大十三届四次会"),
             (_box(300, 225, 700, 285), "议第560号建议的会办意见")]
    body = [(_box(100, 330 + 60 * n, 900, 375 + 60 * n), f"正文第{n}行") for n in range(4)]

    lines = rapid._lines([head, *title, *body]).splitlines()

    assert lines[:2] == ["黔东南州人民政府文件", "黔东南州人民政府关于贵州省人大十三届四次会议第560号建议的会办意见"]
    assert lines[2:] == [f"正文第{n}行" for n in range(4)]
