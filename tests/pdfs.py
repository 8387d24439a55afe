"""PDFs made in the tests: Chinese text pages (pdfium with Debian's Droid Sans Fallback), scans, and bad files."""

import ctypes
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
A4 = (595, 842)


def _runs(line: str):
    """Split a line into runs of ASCII (set in Helvetica) and the rest (set in the CJK font)."""
    run, ascii_run = "", None
    for char in line:
        is_ascii = ord(char) < 128
        if run and is_ascii != ascii_run:
            yield run, ascii_run
            run = ""
        run, ascii_run = run + char, is_ascii
    if run:
        yield run, ascii_run


def text_pdf(pages: list[list[str]], *, font_size: float = 12) -> bytes:
    """A text PDF whose pages hold the given lines, top to bottom."""
    font_data = CJK_FONT.read_bytes()
    document = pdfium.PdfDocument.new()
    font_buffer = (ctypes.c_uint8 * len(font_data)).from_buffer_copy(font_data)
    cjk = pdfium_c.FPDFText_LoadFont(document.raw, font_buffer, len(font_data), pdfium_c.FPDF_FONT_TRUETYPE, True)
    latin = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
    left, right, bottom, top = (ctypes.c_float() for _ in range(4))
    for lines in pages:
        page = document.new_page(*A4)
        y = A4[1] - 72
        for line in lines:
            x = 60.0
            for run, is_ascii in _runs(line):
                text = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, latin if is_ascii else cjk, font_size)
                encoded = (run + "\0").encode("utf-16-le")
                pdfium_c.FPDFText_SetText(text, ctypes.cast(ctypes.c_char_p(encoded), pdfium_c.FPDF_WIDESTRING))
                pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, x, y)
                pdfium_c.FPDFPage_InsertObject(page.raw, text)
                pdfium_c.FPDFPageObj_GetBounds(text, left, bottom, right, top)
                x = right.value + (font_size * 0.25 if is_ascii else 0)
            y -= font_size * 1.8
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _assemble(objects: list[bytes], trailer: bytes) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypted_pdf() -> bytes:
    """A one-page PDF under the standard security handler whose user password is not empty."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> >>",
    ]
    file_id = b"<" + b"0123456789abcdef" * 2 + b">"
    return _assemble(objects, b"<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [" + file_id + file_id + b"] >>")


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def corrupt_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + b"\x00\xff" * 200 + b"\n%%EOF"
