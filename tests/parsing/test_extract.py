"""extract_file and inspect_pdf on real files: the corpus reply, PDFs built here, .txt and .docx."""

import ctypes
import dataclasses
import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from replies.parsing.errors import ParseError
from replies.parsing.extract import Extracted, Limits, extract_file, inspect_pdf
from tests.corpus import CORPUS

REPLY_PDF = CORPUS / "reply.pdf"
REPLY_SCAN = CORPUS / "reply-scan.pdf"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
TESSERACT = Limits(ocr_engine="tesseract")

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


# ------------------------------------------------------------------------------------------------ builders


def pages_pdf(dest: Path, *parts: tuple[Path, list[int]]) -> Path:
    """A PDF made of the given 0-based pages of existing PDFs, in order."""
    doc = pdfium.PdfDocument.new()
    for source, pages in parts:
        src = pdfium.PdfDocument(source)
        doc.import_pages(src, pages=pages)
        src.close()
    doc.save(dest)
    doc.close()
    return dest


def add_line(doc: pdfium.PdfDocument, page: pdfium.PdfPage, line: str, y: float = 700) -> None:
    """Write one line of Helvetica text on the page."""
    font = pdfium_c.FPDFText_LoadStandardFont(doc.raw, b"Helvetica")
    obj = pdfium_c.FPDFPageObj_CreateTextObj(doc.raw, font, ctypes.c_float(12))
    wide = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, y)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    page.gen_content()
    pdfium_c.FPDFFont_Close(font)


def text_pdf(dest: Path, pages: list[str]) -> Path:
    """A PDF with one line of Helvetica text per page ('' gives a blank page)."""
    doc = pdfium.PdfDocument.new()
    for line in pages:
        page = doc.new_page(595, 842)
        if line:
            add_line(doc, page, line)
        page.close()
    doc.save(dest)
    doc.close()
    return dest


def drawing_pdf(dest: Path) -> Path:
    """One page with a filled rectangle and no text: what a PDF with text converted to outlines looks like."""
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    path = pdfium_c.FPDFPageObj_CreateNewRect(100, 100, 300, 200)
    pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_ALTERNATE, False)
    pdfium_c.FPDFPage_InsertObject(page.raw, path)
    page.gen_content()
    page.close()
    doc.save(dest)
    doc.close()
    return dest


def handwritten_pdf(extra_objects: list[bytes] = (), trailer: bytes = b"") -> bytes:
    """A one-page PDF written byte by byte, with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def encrypted_pdf(dest: Path) -> Path:
    """A PDF locked with a user password (standard security handler, RC4 40-bit): pdfium asks for it."""
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32)
    file_id = b"<00112233445566778899aabbccddeeff>"
    dest.write_bytes(handwritten_pdf([encrypt], b"/Encrypt 4 0 R /ID [%s %s] " % (file_id, file_id)))
    return dest


def docx(dest: Path, body: str, *, member: str = "word/document.xml") -> Path:
    """A minimal .docx: just the main document part, which is all extract_file reads."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, xml)
    return dest


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tesseract_children() -> list[int]:
    """Pids of tesseract processes started by this process and still alive."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            name = fields[0].split("(", 1)[1]
            ppid = int(fields[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and name.startswith("tesseract"):
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def no_tesseract(monkeypatch, tmp_path):
    """Point extract_file at a tesseract that is not installed."""
    monkeypatch.setenv("TESSERACT_CMD", str(tmp_path / "missing" / "tesseract"))


def assert_user_message(error: ParseError, *words: str) -> None:
    """A ParseError message is one line, Chinese first, naming the problem (words in any case)."""
    message = str(error)
    assert "\n" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    for word in words:
        assert word.lower() in message.lower()


# ---------------------------------------------------------------------------------------------- text PDFs


def test_text_pdf_gives_the_text_layer_of_every_page_joined_by_form_feeds():
    result = extract_file(REPLY_PDF)

    assert result.pages == 8
    assert result.text.count("\f") == 7
    assert not result.ocr and result.ocr_pages == ()
    assert "吉科发办〔2022〕108 号" in result.text
    assert "补助 2978.4 万元" in result.text
    assert "\r" not in result.text


def test_text_pdf_needs_no_tesseract(no_tesseract):
    assert "2978.4" in extract_file(REPLY_PDF, limits=TESSERACT).text


def test_progress_is_reported_for_every_page():
    calls = []

    extract_file(REPLY_PDF, progress=lambda done, total: calls.append((done, total)))

    assert calls == [(n, 8) for n in range(1, 9)]


def test_file_type_comes_from_the_content_not_the_name(tmp_path):
    renamed = tmp_path / "reply.txt"
    shutil.copy(REPLY_PDF, renamed)

    assert extract_file(renamed).text == extract_file(REPLY_PDF).text


def test_short_text_page_without_pictures_keeps_its_text_layer(tmp_path, no_tesseract):
    pdf = text_pdf(tmp_path / "short.pdf", ["Signed 2022-07-06", ""])

    result = extract_file(pdf)

    assert result.text.split("\f") == ["Signed 2022-07-06", ""]
    assert result.pages == 2 and not result.ocr


def test_extracted_is_frozen():
    result = Extracted(text="x", pages=1)

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "y"


# ----------------------------------------------------------------------------------------------------- OCR


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr(tmp_path):
    scan = pages_pdf(tmp_path / "scan.pdf", (REPLY_SCAN, [0]))

    result = extract_file(scan, limits=TESSERACT)

    assert result.ocr and result.ocr_pages == (1,)
    flat = "".join(result.text.split())
    assert "吉林省企业R&D投入引导计划" in flat
    assert "补助2978.4万元" in flat
    assert "累计争取稳岗补贴资金近8亿元" in flat


@needs_tesseract
def test_only_pages_without_a_text_layer_are_ocrd(tmp_path):
    mixed = pages_pdf(tmp_path / "mixed.pdf", (REPLY_PDF, [0]), (REPLY_SCAN, [1]), (REPLY_PDF, [7]))
    calls = []

    result = extract_file(mixed, limits=TESSERACT, progress=lambda done, total: calls.append((done, total)))

    assert result.ocr_pages == (2,)
    first, second, third = result.text.split("\f")
    assert first.startswith("— 1 —")
    assert "96.87" in second
    assert "吉林省科学技术厅" in third
    dones = [done for done, _ in calls]
    assert dones == sorted(set(dones)) and calls[-1] == (3, 3)


@needs_tesseract
def test_ocr_pages_run_in_parallel_and_keep_their_order(tmp_path):
    scan = pages_pdf(tmp_path / "scan.pdf", (REPLY_SCAN, [0, 1, 2]))

    result = extract_file(scan, limits=Limits(ocr_workers=3, ocr_engine="tesseract"))

    pages = result.text.split("\f")
    assert result.ocr_pages == (1, 2, 3)
    assert "2978.4" in pages[0] and "96.87" in pages[1] and "659.59" in pages[2]


@needs_tesseract
def test_ocr_time_limit_stops_tesseract(tmp_path):
    scan = pages_pdf(tmp_path / "scan.pdf", (REPLY_SCAN, [0, 1, 2, 3]))
    start = time.monotonic()

    with pytest.raises(ParseError) as error:
        extract_file(scan, limits=Limits(timeout=1.0, ocr_workers=2, ocr_engine="tesseract"))

    assert time.monotonic() - start < 5
    assert_user_message(error.value, "超时", "time limit")
    assert tesseract_children() == []


@needs_tesseract
def test_missing_chinese_ocr_data_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a tessdata folder with no languages
    scan = pages_pdf(tmp_path / "scan.pdf", (REPLY_SCAN, [0]))

    with pytest.raises(ParseError) as error:
        extract_file(scan, limits=TESSERACT)

    assert_user_message(error.value, "chi_sim", INSTALL_HINT)


@needs_tesseract
def test_scan_with_a_typed_page_number_is_still_ocrd(tmp_path):
    doc = pdfium.PdfDocument(pages_pdf(tmp_path / "scan.pdf", (REPLY_SCAN, [1])))
    page = doc[0]
    add_line(doc, page, "- 2 -", y=40)
    page.close()
    doc.save(tmp_path / "numbered.pdf")
    doc.close()

    result = extract_file(tmp_path / "numbered.pdf", limits=TESSERACT)

    assert result.ocr_pages == (1,)
    assert "96.87" in result.text


def test_scanned_pdf_without_tesseract_says_what_to_install(tmp_path, no_tesseract):
    scan = pages_pdf(tmp_path / "scan.pdf", (REPLY_SCAN, [0]))

    with pytest.raises(ParseError) as error:
        extract_file(scan, limits=TESSERACT)

    assert_user_message(error.value, "tesseract", INSTALL_HINT)


def test_page_drawn_without_text_is_sent_to_ocr(tmp_path, no_tesseract):
    with pytest.raises(ParseError, match="tesseract"):
        extract_file(drawing_pdf(tmp_path / "outlines.pdf"), limits=TESSERACT)


def test_blank_page_is_not_sent_to_ocr(tmp_path, no_tesseract):
    result = extract_file(text_pdf(tmp_path / "blank.pdf", [""]), limits=TESSERACT)

    assert result == Extracted(text="", pages=1)


# -------------------------------------------------------------------------------------------------- errors


def test_encrypted_pdf_is_refused(tmp_path):
    with pytest.raises(ParseError) as error:
        extract_file(encrypted_pdf(tmp_path / "locked.pdf"))

    assert_user_message(error.value, "加密", "encrypted")


def test_truncated_pdf_is_reported_corrupt(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(REPLY_PDF.read_bytes()[:5000])

    with pytest.raises(ParseError) as error:
        extract_file(broken)

    assert_user_message(error.value, "损坏", "corrupt")


def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "reply.pdf"
    empty.write_bytes(b"")

    with pytest.raises(ParseError) as error:
        extract_file(empty)

    assert_user_message(error.value, "空", "empty")


def test_image_renamed_pdf_is_not_a_pdf(tmp_path):
    fake = tmp_path / "reply.pdf"
    Image.new("L", (20, 20), 255).save(fake, "PNG")

    with pytest.raises(ParseError) as error:
        extract_file(fake)

    assert_user_message(error.value, "不是 PDF", "not a PDF")


def test_text_renamed_pdf_is_not_a_pdf(tmp_path):
    fake = tmp_path / "reply.pdf"
    fake.write_text("对省政协提案的答复", encoding="utf-8")

    with pytest.raises(ParseError) as error:
        extract_file(fake)

    assert_user_message(error.value, "not a PDF")


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    with pytest.raises(ParseError) as error:
        extract_file(REPLY_PDF, limits=Limits(max_bytes=100_000))

    assert_user_message(error.value, "过大", "too big")


def test_pdf_over_the_page_limit_is_refused():
    with pytest.raises(ParseError) as error:
        extract_file(REPLY_PDF, limits=Limits(max_pages=7))

    assert_user_message(error.value, "页数", "too many pages")


def test_time_limit_applies_to_text_pdfs():
    with pytest.raises(ParseError) as error:
        extract_file(REPLY_PDF, limits=Limits(timeout=0))

    assert_user_message(error.value, "超时", "time limit")


def test_missing_file_is_an_os_error_not_a_parse_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        extract_file(tmp_path / "nothing.pdf")


def test_ocr_dpi_outside_the_sensible_range_is_rejected():
    with pytest.raises(ValueError):
        Limits(ocr_dpi=1200)


# -------------------------------------------------------------------------------------------- .txt, .docx


def test_txt_reply_is_read_as_utf8():
    result = extract_file(CORPUS / "reply.txt")

    assert "吉科发办〔2022〕108 号" in result.text
    assert result.pages == 1 and not result.ocr


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_txt_reply_in_chinese_windows_encodings_is_decoded(tmp_path, encoding):
    text = "吉科发办〔2022〕108号\r\n补助2978.4万元\r\n"
    path = tmp_path / "reply.txt"
    path.write_bytes(text.encode(encoding))

    assert extract_file(path).text == "吉科发办〔2022〕108号\n补助2978.4万元\n"


def test_txt_form_feeds_count_as_pages(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text("第一页\f第二页", encoding="utf-8")

    assert extract_file(path).pages == 2


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes(bytes(range(256)) * 4)

    with pytest.raises(ParseError) as error:
        extract_file(path)

    assert_user_message(error.value, "unsupported")


def test_docx_paragraphs_tables_and_page_breaks(tmp_path):
    body = (
        paragraph("吉科发办〔2022〕108号")
        + "<w:tbl><w:tr><w:tc>"
        + paragraph("企业")
        + "</w:tc><w:tc>"
        + paragraph("324户")
        + "</w:tc></w:tr></w:tbl>"
        + '<w:p><w:r><w:br w:type="page"/><w:t xml:space="preserve">第二页 </w:t></w:r></w:p>'
    )

    result = extract_file(docx(tmp_path / "reply.docx", body))

    assert result.text == "吉科发办〔2022〕108号\n企业\t324户\n\f第二页 \n"
    assert result.pages == 2 and not result.ocr


def test_zip_that_is_not_a_docx_is_refused(tmp_path):
    with pytest.raises(ParseError) as error:
        extract_file(docx(tmp_path / "reply.docx", paragraph("x"), member="other.xml"))

    assert_user_message(error.value, "docx")


def test_damaged_docx_is_reported_corrupt(tmp_path):
    path = docx(tmp_path / "reply.docx", paragraph("吉科发办"))
    path.write_bytes(path.read_bytes()[:-40])

    with pytest.raises(ParseError) as error:
        extract_file(path)

    assert_user_message(error.value, "损坏", "corrupt")


def test_legacy_doc_is_refused_with_advice(tmp_path):
    path = tmp_path / "reply.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))

    with pytest.raises(ParseError) as error:
        extract_file(path)

    assert_user_message(error.value, ".doc", "PDF、DOCX 或 OFD")


# ---------------------------------------------------------------------------------------------- inspect_pdf


@pytest.mark.parametrize("kind", ["path", "str", "bytes", "stream"])
def test_inspect_pdf_counts_pages_from_any_source(kind):
    source = {
        "path": REPLY_PDF,
        "str": str(REPLY_PDF),
        "bytes": REPLY_PDF.read_bytes(),
        "stream": io.BytesIO(REPLY_PDF.read_bytes()),
    }[kind]

    assert inspect_pdf(source) == 8
    if kind == "stream":
        assert source.tell() == 0


def test_inspect_pdf_is_cheap():
    start = time.perf_counter()
    for _ in range(20):
        inspect_pdf(REPLY_PDF)

    assert (time.perf_counter() - start) / 20 < 0.05


def test_inspect_pdf_refuses_encrypted_pdf(tmp_path):
    with pytest.raises(ParseError, match="encrypted"):
        inspect_pdf(encrypted_pdf(tmp_path / "locked.pdf"))


def test_inspect_pdf_refuses_non_pdf_bytes():
    with pytest.raises(ParseError, match="not a PDF"):
        inspect_pdf(b"\x89PNG\r\n\x1a\n" + bytes(100))


def test_inspect_pdf_applies_the_limits():
    with pytest.raises(ParseError, match="too many pages"):
        inspect_pdf(REPLY_PDF, Limits(max_pages=3))
    with pytest.raises(ParseError, match="too big"):
        inspect_pdf(REPLY_PDF.read_bytes(), Limits(max_bytes=1000))
    with pytest.raises(ParseError, match="empty"):
        inspect_pdf(b"")
