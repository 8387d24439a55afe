"""Read a reply document into plain text: PDF text layer, OCR for scanned pages, .txt, .docx and .ofd.

This is the only module of the parser that touches files or runs programs. Everything it cannot read
raises ParseError with a one-line message for the user (Chinese, then English in brackets).
"""

from __future__ import annotations

import codecs
import io
import math
import multiprocessing
import os
import re
import shutil
import subprocess
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageFilter

from .errors import ParseError
from .ofd import is_ofd, ofd_text

__all__ = ["Extracted", "Limits", "extract_file", "inspect_pdf", "inspect_reply", "ocr_engine", "tesseract_cmd"]

OCR_LANG = "chi_sim"
# Which OCR engine reads scans. On the corpus scans (bench/score_scans.py, 11 replies, 22 pages) RapidOCR gave
# header 0.89, indicators F1 0.99, commitments F1 0.63 against tesseract's 0.82, 0.93 and 0.32 (the text
# renditions: 0.91, 0.99, 0.84), for 2.4 times tesseract's CPU a page (9.5 s against 4.0 s here); so "auto"
# takes RapidOCR when its package is installed, else tesseract.
OCR_ENGINES = ("auto", "rapidocr", "tesseract")
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
# A page with fewer visible characters than this may be a scan carrying only a typed page number or stamp.
MIN_TEXT_CHARS = 50
# An image covering at least this share of the page makes a page with little text a scan.
MIN_IMAGE_SHARE = 0.25
# Scans below this resolution are rendered up to it (if limits.ocr_dpi allows); above, never upsampled.
MIN_OCR_DPI = 200
# Cap on rendered pixels, so an absurd MediaBox cannot exhaust memory (A3 at 300 dpi is ~17.5 M).
MAX_OCR_PIXELS = 40_000_000
# An image is decoded whole before it is scaled down for rendering: one larger than this (a 40 000 x 40 000
# bomb needs 1.6 G pixels) is refused before rendering. A 600 dpi A3 scan is ~70 M pixels.
MAX_IMAGE_PIXELS = 120_000_000
# Bytes of a .docx or .ofd member we are willing to inflate (a zip bomb guard).
MAX_XML_BYTES = 200 * 1024 * 1024

_SIGNATURE_WINDOW = 1024  # PDF readers accept junk before %PDF- within the first KB
_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one file may cost: size, pages, wall time (OCR included) and OCR settings."""

    max_bytes: int = 50 * _MB
    max_pages: int = 500
    timeout: float = 600.0
    # Replies are set in 16 pt type (GB/T 9704): at 300 dpi its glyphs are larger than tesseract reads
    # best, and measured accuracy on scans of 10.5-16 pt text was as good or better at 200.
    ocr_dpi: int = 200
    ocr_workers: int = max(1, min(4, os.cpu_count() or 1))
    ocr_engine: str = "auto"

    def __post_init__(self):
        if self.ocr_engine not in OCR_ENGINES:
            raise ValueError(f"ocr_engine must be one of {', '.join(OCR_ENGINES)}, not {self.ocr_engine!r}")
        if not 72 <= self.ocr_dpi <= 600:
            raise ValueError(f"ocr_dpi must be between 72 and 600, not {self.ocr_dpi}")
        if self.ocr_workers < 1:
            raise ValueError("ocr_workers must be at least 1")


@dataclass(frozen=True)
class Extracted:
    """The text of a file, pages joined by form feeds; ocr_pages holds 1-based numbers of OCR'd pages."""

    text: str
    pages: int
    ocr: bool = False
    ocr_pages: tuple[int, ...] = ()


Progress = Callable[[int, int], None]

# pdfium is not thread-safe, even across documents; every call into it goes through this lock.
_PDFIUM_LOCK = threading.RLock()

_PDF_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "文件已加密，无法读取（encrypted PDF: a password is required）",
    pdfium_c.FPDF_ERR_SECURITY: "文件的加密方式不受支持，无法读取（unsupported PDF encryption）",
}
_PDF_CORRUPT = "PDF 文件已损坏，无法读取（corrupt or unreadable PDF）"

# pdfium line ends are \r\n; a stray \f inside a page would fake a page break.
_PAGE_TEXT_FIXES = str.maketrans({"\r": None, "\f": "\n", "\x00": None, "\ufffe": None, "\x02": None})
_CR_FIX = str.maketrans({"\r": "\n"})


# ---------------------------------------------------------------------------------------------- entry points


def extract_file(
    path: str | os.PathLike,
    *,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> Extracted:
    """Extract the text of a PDF (text layer, OCR for scanned pages), .txt, .docx or .ofd file.

    The type comes from the content, not the name. Raises ParseError for a file that cannot be read as
    a reply (encrypted, corrupt, empty, unsupported, too big, too many pages, too slow); OSError for a
    path that does not exist or cannot be opened.
    """
    limits = limits or Limits()
    deadline = time.monotonic() + limits.timeout
    path = Path(path)
    size = path.stat().st_size
    _check_size(size, limits)
    with path.open("rb") as fh:
        head = fh.read(_SIGNATURE_WINDOW)
    kind = _sniff(head, path.suffix.lower())
    if kind == "pdf":
        return _extract_pdf(path, limits, progress, deadline)
    data = path.read_bytes()
    if kind == "zip":
        text, pages = _zip_text(data)
    else:
        text = _decode_text(data)
        pages = text.count("\f") + 1
    if progress:
        progress(pages, pages)
    return Extracted(text=text, pages=pages)


def inspect_pdf(source: str | os.PathLike | bytes | BinaryIO, limits: Limits | None = None) -> int:
    """Check that an uploaded PDF can be parsed (signature, size, encryption, page count); return its pages.

    Reads no text, so it is cheap enough for a form's clean(). Raises ParseError like extract_file.
    """
    limits = limits or Limits()
    head, pdf_input = _source(source, limits)
    if _sniff(head, ".pdf") != "pdf":
        raise ParseError("不是有效的 PDF 文件（not a PDF file）")
    with _open_pdf(pdf_input, limits) as (_, pages):
        return pages


def inspect_reply(source: str | os.PathLike | bytes | BinaryIO, limits: Limits | None = None, *,
                  name: str = "") -> int:
    """Check that an uploaded reply (PDF, .docx or .ofd, told by content) can be parsed; return its pages.

    A PDF is checked as inspect_pdf does; a .docx or .ofd is read, cheap for such files, and must hold text.
    name (the client's file name) only picks the message for a file of no accepted type.
    """
    limits = limits or Limits()
    head, content = _source(source, limits)
    suffix = Path(name).suffix.lower()
    kind = _sniff(head, suffix)
    if kind == "pdf":
        with _open_pdf(content, limits) as (_, pages):
            return pages
    if kind != "zip":
        raise ParseError(f"不支持的文件类型，{SAVE_AS_ADVICE}（unsupported file type: upload a PDF, DOCX or OFD）")
    text, pages = _zip_text(content.read_bytes() if isinstance(content, Path) else content)
    if not _visible_len(text):
        raise ParseError("文件中没有可读取的文字（可能是扫描图片），请另存为 PDF 后再上传（no text in the file）")
    if pages > limits.max_pages:
        raise ParseError(f"文件页数过多：{pages} 页，上限 {limits.max_pages} 页（too many pages: {pages}）")
    return pages


def _source(source: str | os.PathLike | bytes | BinaryIO, limits: Limits) -> tuple[bytes, Path | bytes]:
    """The first bytes of an upload and the file itself (a path, or its bytes), within the size limit."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        _check_size(path.stat().st_size, limits)
        with path.open("rb") as fh:
            return fh.read(_SIGNATURE_WINDOW), path
    if not isinstance(source, (bytes, bytearray, memoryview)):
        source.seek(0)
        stream, source = source, source.read(limits.max_bytes + 1)
        stream.seek(0)  # left as found, ready to be saved
    data = bytes(source)
    _check_size(len(data), limits)
    return data[:_SIGNATURE_WINDOW], data


def tesseract_cmd() -> str:
    """The tesseract program to run: $TESSERACT_CMD, else tesseract on PATH."""
    return os.environ.get("TESSERACT_CMD") or "tesseract"


# ----------------------------------------------------------------------------------------------- file types


def _check_size(size: int, limits: Limits) -> None:
    if size == 0:
        raise ParseError("文件为空（empty file）")
    if size > limits.max_bytes:
        raise ParseError(
            f"文件过大：{size / _MB:.1f} MB，上限 {limits.max_bytes / _MB:.0f} MB"
            f"（file too big: {size} bytes, limit {limits.max_bytes}）"
        )


_IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


SAVE_AS_ADVICE = "请另存为 PDF、DOCX 或 OFD 后再上传"
_LEGACY = f"不支持旧版 Word（.doc）和 WPS（.wps）文件，{SAVE_AS_ADVICE}（.doc/.wps not supported: save as PDF, DOCX or OFD）"


def _sniff(head: bytes, suffix: str) -> str:
    """'pdf', 'zip' (.docx or .ofd) or 'text', judged by content; the name only decides which error to give."""
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE compound file: what Word 97-2003 and WPS Office save
        raise ParseError(_LEGACY)
    if head.startswith(_IMAGE_SIGNATURES):
        raise ParseError(f"文件是图片而不是 PDF，{SAVE_AS_ADVICE}（an image file, not a PDF）")
    if suffix == ".pdf":
        raise ParseError("不是有效的 PDF 文件（not a PDF file: no %PDF- signature）")
    if suffix == ".docx":
        raise ParseError("不是有效的 Word 文件（not a .docx file）")
    if suffix == ".ofd":
        raise ParseError("不是有效的 OFD 文件（not an .ofd file）")
    if suffix in (".doc", ".wps", ".et", ".dps"):
        raise ParseError(_LEGACY)
    return "text"


_TEXT_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode_text(data: bytes) -> str:
    """Decode a plain-text reply: a BOM decides, else UTF-8, else GB18030 (what Chinese Windows writes)."""
    for bom, encoding in _TEXT_BOMS:
        if data.startswith(bom):
            candidates = [(data[len(bom) :], encoding)]
            break
    else:
        candidates = [(data, "utf-8"), (data, "gb18030")]
    for raw, encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_BINARY_CHARS.findall(text)) > len(text) // 100:
            break  # control characters: a binary file, whatever it decodes to
        return text.replace("\r\n", "\n").translate(_CR_FIX)
    raise ParseError("无法识别的文件类型或文本编码（unsupported file type or text encoding）")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _zip_text(data: bytes) -> tuple[str, int]:
    """Text and page count of a .docx or .ofd, told apart by the parts the zip holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if is_ofd(archive):
                return ofd_text(archive, MAX_XML_BYTES)
            text = _docx_text(archive)
    except ParseError:
        raise
    except Exception:  # zipfile and zlib raise many types on damaged archives; all mean the same here
        raise ParseError("文件已损坏，无法读取（corrupt .docx or .ofd）") from None
    return text, text.count("\f") + 1


def _docx_text(archive: zipfile.ZipFile) -> str:
    """Paragraph text of word/document.xml; explicit page breaks become form feeds, table cells tabs."""
    try:
        info = archive.getinfo("word/document.xml")
    except KeyError:
        raise ParseError(f"不支持的压缩文件：既不是 Word（.docx）也不是 OFD 文档，{SAVE_AS_ADVICE}"
                         "（zip file is neither a .docx nor an .ofd）") from None
    if info.file_size > MAX_XML_BYTES:
        raise ParseError("Word 文件内容过大（.docx document too large）")
    try:
        xml = archive.read(info)
    except Exception:  # zipfile and zlib raise many types on damaged archives; all mean the same here
        raise ParseError("Word 文件已损坏，无法读取（corrupt .docx）") from None
    parts: list[str] = []
    try:
        for event, el in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == _W + "br" and el.get(_W + "type") == "page":
                    parts.append("\f")
            elif tag == _W + "t":
                parts.append(el.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr") and el.get(_W + "type") != "page":
                parts.append("\n")
            elif tag == _W + "p":
                parts.append("\n")
                el.clear()
            elif tag == _W + "tc":  # cells of a row on one line, tab-separated
                if parts and parts[-1] == "\n":
                    parts[-1] = "\t"
                else:
                    parts.append("\t")
            elif tag == _W + "tr" and parts and parts[-1] == "\t":
                parts[-1] = "\n"
    except ElementTree.ParseError:
        raise ParseError("Word 文件已损坏，无法读取（corrupt .docx XML）") from None
    return "".join(parts)


# ------------------------------------------------------------------------------------------------------- PDF


@contextmanager
def _open_pdf(source: Path | bytes, limits: Limits) -> Iterator[tuple[pdfium.PdfDocument, int]]:
    """The document and its page count, within the limits; closed on exit."""
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(source)
        except pdfium.PdfiumError as e:
            raise ParseError(_PDF_OPEN_ERRORS.get(e.err_code, _PDF_CORRUPT)) from None
        pages = len(doc)
    try:
        if pages <= 0:
            raise ParseError("PDF 文件没有页面（PDF has no pages）")
        if pages > limits.max_pages:
            raise ParseError(f"PDF 页数过多：{pages} 页，上限 {limits.max_pages} 页（too many pages: {pages}）")
        yield doc, pages
    finally:
        with _PDFIUM_LOCK:
            doc.close()


def _extract_pdf(path: Path, limits: Limits, progress: Progress | None, deadline: float) -> Extracted:
    """One pass over the pages: text layer where there is one, scans rendered and OCR'd in a thread pool."""
    texts: list[str] = []
    ocr_pages: list[int] = []
    ocr: _OcrPool | None = None  # started at the first scanned page
    done = 0
    with _open_pdf(path, limits) as (doc, total):
        try:
            for index in range(total):
                _check_deadline(deadline, limits)
                text, scan = _read_page(doc, index, limits)
                texts.append(text)
                if scan is None:
                    finished = 1
                else:
                    ocr = ocr or _OcrPool(limits, deadline, pages_left=total - index)
                    ocr_pages.append(index + 1)
                    finished = ocr.submit(index, scan, text)  # waits while the pool is full
                done += finished
                if progress and finished:
                    progress(done, total)
            if ocr is not None:
                for index, text in ocr.results(lambda n: progress and progress(done + n, total)):
                    texts[index] = text
        finally:
            if ocr is not None:
                ocr.close()
    return Extracted(text="\f".join(texts), pages=total, ocr=bool(ocr_pages), ocr_pages=tuple(ocr_pages))


def _read_page(doc: pdfium.PdfDocument, index: int, limits: Limits) -> tuple[str, _Scan | None]:
    """The page's text layer, and a rendered image when the page needs OCR instead."""
    with _PDFIUM_LOCK:
        try:
            page = doc[index]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_bounded().translate(_PAGE_TEXT_FIXES)
                textpage.close()
                dpi = _ocr_dpi(page, text, limits)
                if dpi is not None:
                    _check_images(page, index)
                scan = None if dpi is None else _render(page, dpi)
            finally:
                page.close()
        except pdfium.PdfiumError:
            raise ParseError(f"PDF 第 {index + 1} 页已损坏，无法读取（page {index + 1} is corrupt）") from None
    return text, scan


@dataclass(frozen=True)
class _Scan:
    image: Image.Image  # grayscale, as rendered
    dpi: int

    def to_pgm(self) -> bytes:
        """The image for tesseract, speckles removed (done in the OCR thread: pillow releases the GIL)."""
        # Scans carry salt-and-pepper noise that tesseract reads as punctuation; a 3x3 median keeps strokes.
        image = self.image.filter(ImageFilter.MedianFilter(3))
        buffer = io.BytesIO()
        image.save(buffer, "PPM")
        return buffer.getvalue()


def _ocr_dpi(page: pdfium.PdfPage, text: str, limits: Limits) -> float | None:
    """The resolution to OCR the page at, or None when its text layer will do.

    A page is OCR'd when it has (almost) no text layer and shows a picture, or when it has no text at
    all but draws something (text converted to outlines). A scan is rendered at its own resolution,
    within MIN_OCR_DPI and limits.ocr_dpi: upsampling a 200 dpi scan adds blur, not detail.
    """
    if _visible_len(text) >= MIN_TEXT_CHARS:
        return None
    native = _scan_dpi(page)
    if native is not None:
        return max(min(native, limits.ocr_dpi), min(MIN_OCR_DPI, limits.ocr_dpi))
    if not text.strip() and pdfium_c.FPDFPage_CountObjects(page) > 0:
        return limits.ocr_dpi
    return None


def _scan_dpi(page: pdfium.PdfPage) -> float | None:
    """Resolution of the largest image covering a good share of the page, or None if there is none."""
    width, height = page.get_size()
    page_area = max(width * height, 1.0)
    best: tuple[float, float] | None = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        area = (right - left) * (top - bottom)
        if area < MIN_IMAGE_SHARE * page_area or (best and area <= best[0]):
            continue
        px_width, _ = obj.get_px_size()
        best = (area, px_width / max((right - left) / 72, 1e-3))
    return best[1] if best else None


def _check_images(page: pdfium.PdfPage, index: int) -> None:
    """Refuse a page to be rendered that holds an image too large to decode safely."""
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        px_width, px_height = obj.get_px_size()
        if px_width * px_height > MAX_IMAGE_PIXELS:
            raise ParseError(
                f"PDF 第 {index + 1} 页的图片过大（{px_width}×{px_height} 像素），无法安全识别"
                f"（page {index + 1}: image of {px_width}x{px_height} pixels is too large）"
            )


def _render(page: pdfium.PdfPage, dpi: float) -> _Scan:
    """The page in grayscale at dpi, or less for a huge page."""
    width, height = page.get_size()
    # scaled so that the bitmap's width x height stays within MAX_OCR_PIXELS, whatever the MediaBox says
    scale = min(dpi / 72, math.sqrt(MAX_OCR_PIXELS / max(width * height, 1.0)))
    while max(round(width * scale), 1) * max(round(height * scale), 1) > MAX_OCR_PIXELS:
        scale *= 0.99
    bitmap = page.render(scale=scale, grayscale=True)
    image = bitmap.to_pil().convert("L")  # a copy: the bitmap's buffer is freed with it
    bitmap.close()
    return _Scan(image, max(round(scale * 72), 1))


def _check_deadline(deadline: float, limits: Limits) -> float:
    """Seconds left before the deadline; ParseError when there are none."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timeout_error(limits)
    return left


def _timeout_error(limits: Limits) -> ParseError:
    return ParseError(f"处理超时，超过 {limits.timeout:g} 秒（time limit exceeded: {limits.timeout:g} s）")


# ------------------------------------------------------------------------------------------------------- OCR


_checked_tesseracts: set[tuple[str, str | None]] = set()
_tesseracts_with_osd: set[tuple[str, str | None]] = set()


def _check_tesseract(cmd: str) -> None:
    """Fail with what to install when tesseract or its Chinese data is missing (only success is cached)."""
    key = (cmd, os.environ.get("TESSDATA_PREFIX"))
    if key in _checked_tesseracts:
        return
    program = shutil.which(cmd)
    if program is None:
        raise ParseError(f"扫描件需要 OCR，但未找到 tesseract，请安装：{INSTALL_HINT}（tesseract not found）")
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        raise ParseError(f"无法运行 tesseract，请重新安装：{INSTALL_HINT}（tesseract cannot run）") from None
    langs = (listed.stdout + listed.stderr).decode("utf-8", "replace").split()
    if "osd" in langs:
        _tesseracts_with_osd.add(key)
    if OCR_LANG not in langs:
        raise ParseError(
            f"缺少 tesseract 中文语言包 {OCR_LANG}，请安装：{INSTALL_HINT}（tesseract {OCR_LANG} data missing）"
        )
    _checked_tesseracts.add(key)


def _tesseract_psm(cmd: str) -> str:
    """1 (detect orientation first) when tesseract has its osd data, else 3 (assume upright)."""
    return "1" if (cmd, os.environ.get("TESSDATA_PREFIX")) in _tesseracts_with_osd else "3"


def ocr_engine(limits: Limits) -> str:
    """The engine limits.ocr_engine names; "auto" is RapidOCR where its package is installed, else tesseract."""
    from . import rapid

    if limits.ocr_engine == "auto":
        return "rapidocr" if rapid.available() else "tesseract"
    if limits.ocr_engine == "rapidocr" and not rapid.available():
        raise ParseError("扫描件需要 OCR，但未安装 RapidOCR，请安装：pip install rapidocr-onnxruntime"
                         "（rapidocr-onnxruntime not installed）")
    return limits.ocr_engine


def _rapid_page(image: Image.Image) -> str:
    """One page read by RapidOCR, in a worker process."""
    from . import rapid

    return rapid.read_page(image)


class _OcrPool:
    """OCRs rendered pages, a few processes at a time, all killed at the deadline or on error.

    tesseract runs as one program a page; RapidOCR in a pool of worker processes, each loading its models once.
    Threads here only wait on them.
    """

    def __init__(self, limits: Limits, deadline: float, pages_left: int):
        self.engine = ocr_engine(limits)
        self.limits = limits
        self.deadline = deadline
        workers = max(1, min(limits.ocr_workers, pages_left))
        if self.engine == "tesseract":
            self.cmd = tesseract_cmd()
            _check_tesseract(self.cmd)
            self.workers = None
            run = self._run_tesseract
        else:
            # spawn, not fork: this process holds pdfium and threads that a forked child must not inherit
            self.workers = multiprocessing.get_context("spawn").Pool(workers)
            run = self._run_rapid
        self.run = run
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="ocr")
        self.pending: dict[Future, tuple[int, str]] = {}
        self.finished: list[tuple[int, str]] = []
        self.procs: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.closed = False
        # One OpenMP thread per tesseract: the pool already runs several at once.
        self.env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def submit(self, index: int, scan: _Scan, text_layer: str) -> int:
        """Queue a page; wait while the pool is full. Returns how many pages finished meanwhile."""
        before = len(self.finished)
        while len(self.pending) >= 2 * self.limits.ocr_workers:
            self._collect(FIRST_COMPLETED)
        self.pending[self.pool.submit(self.run, scan)] = (index, text_layer)
        return len(self.finished) - before

    def results(self, progress: Callable[[int], object]) -> list[tuple[int, str]]:
        """Wait for every queued page; progress gets the running count of pages finished after submit."""
        count = 0
        while self.pending:
            before = len(self.finished)
            self._collect(FIRST_COMPLETED)
            count += len(self.finished) - before
            progress(count)
        return self.finished

    def _collect(self, mode) -> None:
        left = _check_deadline(self.deadline, self.limits)
        done, _ = wait(self.pending, timeout=left, return_when=mode)
        if not done:
            _check_deadline(self.deadline, self.limits)
        for future in done:
            index, text_layer = self.pending.pop(future)
            text = future.result()  # re-raises ParseError from the worker
            # Keep a text layer that says more than OCR did (a page mostly image but with real text).
            if _visible_len(text_layer) > _visible_len(text):
                text = text_layer
            self.finished.append((index, text))

    def _run_rapid(self, scan: _Scan) -> str:
        if self.closed:
            raise ParseError("OCR 已取消（OCR cancelled）")
        job = self.workers.apply_async(_rapid_page, (scan.image,))
        try:
            return job.get(timeout=max(self.deadline - time.monotonic(), 0.01))
        except multiprocessing.TimeoutError:
            raise _timeout_error(self.limits) from None
        except MemoryError:
            raise
        except Exception as error:  # whatever the engine raised in its process
            if self.closed:
                raise ParseError("OCR 已取消（OCR cancelled）") from None
            raise ParseError(f"OCR 识别失败（RapidOCR failed: {type(error).__name__}: {error}）") from None

    def _run_tesseract(self, scan: _Scan) -> str:
        image = scan.to_pgm()
        # --psm 1: page segmentation after orientation detection, so a page fed sideways or upside down is read
        cmd = [self.cmd, "stdin", "stdout", "-l", OCR_LANG, "--psm", _tesseract_psm(self.cmd), "--dpi", str(scan.dpi)]
        # No ASCII brackets or bars: on Chinese scans they are misread 〔〕 and 1 (〔2022〕 -> 【2022]j).
        cmd += ["-c", "preserve_interword_spaces=1", "-c", "tessedit_char_blacklist=[]|"]
        with self.lock:
            if self.closed:
                raise ParseError("OCR 已取消（OCR cancelled）")
            try:
                proc = subprocess.Popen(
                    cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env
                )
            except OSError:
                raise ParseError(f"无法运行 tesseract，请安装：{INSTALL_HINT}（tesseract cannot run）") from None
            self.procs.add(proc)
        try:
            out, err = proc.communicate(image, timeout=max(self.deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise _timeout_error(self.limits) from None
        finally:
            with self.lock:
                self.procs.discard(proc)
        if proc.returncode != 0:
            if self.closed:
                raise ParseError("OCR 已取消（OCR cancelled）")
            reason = err.decode("utf-8", "replace").strip().splitlines()
            raise ParseError(f"OCR 识别失败（tesseract failed: {reason[-1] if reason else proc.returncode}）")
        return out.decode("utf-8", "replace").replace("\f", "").strip("\n")

    def close(self) -> None:
        """Kill running OCR processes and drop queued pages; a no-op after a normal finish."""
        with self.lock:
            self.closed = True
            for proc in self.procs:
                proc.kill()
        if self.workers is not None:
            self.workers.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.workers is not None:
            self.workers.join()


def _visible_len(text: str) -> int:
    return len(text) - sum(map(text.count, " \n\t\u3000"))
