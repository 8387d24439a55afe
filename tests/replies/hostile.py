"""Hostile PDFs made in the tests: a decompression bomb, a page with a huge image, many pages on one costly stream."""

import zlib

from tests.pdfs import _assemble


def _flate(chunk: bytes, times: int) -> bytes:
    """chunk repeated times, deflated: a few hundred KB that inflate to times * len(chunk) bytes."""
    compressor = zlib.compressobj(9)
    return b"".join([*(compressor.compress(chunk) for _ in range(times)), compressor.flush()])


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _pages(count: int, page: bytes, extra: list[bytes]) -> bytes:
    """count pages, each the given page dictionary; objects 1 catalog, 2 pages, 3.. extra, then the pages."""
    first = 3 + len(extra)
    kids = b" ".join(b"%d 0 R" % (first + n) for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
               *extra, *([page] * count)]
    return _assemble(objects, b"<< /Size %d /Root 1 0 R >>" % (len(objects) + 1))


def bomb_pdf(inflated_mb: int = 1024) -> bytes:
    """One page whose content stream is about 1 MB deflated and inflated_mb MB inflated (a path drawn over and over)."""
    chunk = b"0 0 m 1 1 l S\n" * (1024 * 1024 // 14)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    return _pages(1, page, [_stream(b"/Filter /FlateDecode", _flate(chunk, inflated_mb))])


def huge_image_pdf(side: int = 40_000) -> bytes:
    """One page covered by a side x side grayscale image (its data deflated: 1.6 G pixels in ~2 MB)."""
    row_block = bytes(side) * 100
    image = _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Filter /FlateDecode" % (side, side), _flate(row_block, side // 100))
    content = _stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im0 3 0 R >> >> >>")
    return _pages(1, page, [image, content])


def shared_stream_pdf(pages: int = 500, operators: int = 200_000) -> bytes:
    """pages pages drawing one shared content stream of many small filled rectangles and no text: every page
    must be rendered and OCR'd, and each render walks the whole stream."""
    ops = b"".join(b"%d %d 2 2 re f\n" % (n % 590, (n * 7) % 830) for n in range(operators))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    return _pages(pages, page, [_stream(b"/Filter /FlateDecode", zlib.compress(ops, 9))])
