"""The public copy of a reply PDF: every page rendered to an image, the redacted strings blacked out in the image,
and the images assembled into a PDF with no text layer, so nothing redacted can be copied or extracted from it.
Plain Python (pypdfium2 and Pillow), bytes in and bytes out, no Django.

The boxes come from the text layer's character boxes. Where a redacted string cannot be located there (a scanned
page, a page turned sideways, a string the text layer spells differently) the PDF is refused with the reason:
the caller then publishes the redacted text only.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

DPI = 150
PAD_POINTS = 1.5
# a page with fewer characters than this in its text layer, but with images, is a scan we cannot search
MIN_TEXT_CHARS = 20


class CannotLocate(Exception):
    """The PDF cannot be redacted reliably; the message says why, for the staff and the public page."""


@dataclass(frozen=True)
class Box:
    page: int
    left: float
    bottom: float
    right: float
    top: float


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def _page_index(textpage: pdfium.PdfTextPage) -> tuple[str, list[int]]:
    """The page's characters folded as the parser folds them (NFKC, no whitespace), with each folded character's
    index in the text page."""
    folded, where = [], []
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        for char in _fold(chr(code)) if code else "":
            folded.append(char)
            where.append(index)
    return "".join(folded), where


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def locate(pdf: bytes, strings: list[str]) -> list[Box]:
    """Boxes (in PDF points) of every occurrence of every string on every page; CannotLocate when a page cannot be
    searched or a string is found nowhere."""
    needles = sorted({_fold(s) for s in strings} - {""})
    document = pdfium.PdfDocument(pdf)
    boxes: list[Box] = []
    found: set[str] = set()
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            text, where = _page_index(textpage)
            if len(text) < MIN_TEXT_CHARS and _has_images(page):
                raise CannotLocate(f"第{number + 1}页是扫描图像，没有可定位的文字层")
            hits = [(needle, i) for needle in needles for i in _find_all(text, needle)]
            if hits and page.get_rotation() % 360:
                raise CannotLocate(f"第{number + 1}页为旋转页面，无法准确定位遮盖区域")
            for needle, start in hits:
                found.add(needle)
                chars = sorted({where[i] for i in range(start, start + len(needle))})
                boxes += _line_boxes(number, [textpage.get_charbox(i, loose=True) for i in chars])
    finally:
        document.close()
    missing = [n for n in needles if n not in found]
    if missing:
        raise CannotLocate(f"有{len(missing)}处遮盖内容在PDF文字层中找不到")
    return boxes


def _line_boxes(page: int, charboxes: list[tuple[float, float, float, float]]) -> list[Box]:
    """One box per line of an occurrence: its characters' boxes joined, no gap between them left white."""
    boxes: list[Box] = []
    for left, bottom, right, top in charboxes:
        middle = (bottom + top) / 2
        last = boxes[-1] if boxes else None
        if last is not None and last.bottom <= middle <= last.top:
            boxes[-1] = Box(page, min(last.left, left), min(last.bottom, bottom), max(last.right, right),
                            max(last.top, top))
        else:
            boxes.append(Box(page, left, bottom, right, top))
    return boxes


def _find_all(text: str, needle: str):
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def redacted_pdf(pdf: bytes, strings: list[str], *, dpi: int = DPI) -> bytes:
    """An image-only PDF of `pdf` with every occurrence of `strings` blacked out; CannotLocate if that cannot be
    done reliably."""
    boxes = locate(pdf, strings)
    scale = dpi / 72
    document = pdfium.PdfDocument(pdf)
    images: list[Image.Image] = []
    try:
        for number in range(len(document)):
            page = document[number]
            crop_left, _crop_bottom, _crop_right, crop_top = page.get_cropbox()
            image = page.render(scale=scale).to_pil().convert("RGB")
            draw = ImageDraw.Draw(image)
            for box in (b for b in boxes if b.page == number):
                draw.rectangle(((box.left - PAD_POINTS - crop_left) * scale, (crop_top - box.top - PAD_POINTS) * scale,
                                (box.right + PAD_POINTS - crop_left) * scale,
                                (crop_top - box.bottom + PAD_POINTS) * scale), fill="black")
            images.append(image)
    finally:
        document.close()
    output = io.BytesIO()
    images[0].save(output, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return output.getvalue()
