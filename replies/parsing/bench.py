"""python -m replies.parsing.bench: pages per second of raw pdfium text extraction, parse_file and each OCR engine.

A benchmark, not a test: it builds a 50-page text PDF from the corpus reply in a temporary folder and
prints one figure per line as `name: value unit`.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from . import parse_file, rapid
from .extract import Limits, extract_file, ocr_engine, tesseract_cmd

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "jl-kjt-2022-108"


def build_pdf(source: Path, dest: Path, pages: int) -> None:
    """Repeat the pages of source until dest has exactly `pages` pages."""
    src = pdfium.PdfDocument(source)
    doc = pdfium.PdfDocument.new()
    while len(doc) < pages:
        doc.import_pages(src, pages=list(range(min(len(src), pages - len(doc)))))
    doc.save(dest)
    doc.close()
    src.close()


def raw_extract(path: Path) -> int:
    """Text of every page the plain pypdfium2 way; the baseline extract_file is measured against."""
    doc = pdfium.PdfDocument(path)
    chars = 0
    for index in range(len(doc)):
        page = doc[index]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_bounded())
        textpage.close()
        page.close()
    doc.close()
    return chars


def best_rates(funcs: dict, pages: int, repeat: int) -> dict:
    """Pages per second of each function's fastest run; runs are interleaved so load affects all alike."""
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(repeat):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: pages / seconds for name, seconds in best.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m replies.parsing.bench", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder with reply.pdf and reply-scan.pdf")
    parser.add_argument("--pages", type=int, default=50, help="pages of the text PDF")
    parser.add_argument("--ocr-pages", type=int, default=4, help="pages of reply-scan.pdf to OCR")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        text_pdf = Path(tmp) / "text.pdf"
        build_pdf(args.corpus / "reply.pdf", text_pdf, args.pages)
        funcs = {"raw": lambda: raw_extract(text_pdf), "extract": lambda: extract_file(text_pdf)}
        try:
            parse_file(text_pdf)
            funcs["parse"] = lambda: parse_file(text_pdf)
        except ImportError:  # parse_text not written yet
            pass
        rates = best_rates(funcs, args.pages, args.repeat)
        print(f"raw pypdfium2 extraction: {rates['raw']:.0f} pages/s")
        print(f"extract_file: {rates['extract']:.0f} pages/s")
        print(f"extract_file / raw: {rates['extract'] / rates['raw']:.2f} ratio")
        if "parse" in rates:
            print(f"parse_file: {rates['parse']:.0f} pages/s")
            print(f"parse_file / raw: {rates['parse'] / rates['raw']:.2f} ratio")
        else:
            print("parse_file: unavailable")

        scan_pdf = Path(tmp) / "scan.pdf"
        build_pdf(args.corpus / "reply-scan.pdf", scan_pdf, args.ocr_pages)
        engines = {"tesseract": shutil.which(tesseract_cmd()) is not None, "rapidocr": rapid.available()}
        for engine, installed in engines.items():
            if not installed:
                print(f"ocr {engine}: unavailable")
                continue
            limits = Limits(ocr_engine=engine)
            ocr = best_rates({"ocr": lambda limits=limits: extract_file(scan_pdf, limits=limits)}, args.ocr_pages,
                             1)["ocr"]
            print(f"ocr {engine}: {ocr:.2f} pages/s ({limits.ocr_workers} processes)")
        print(f"ocr default engine: {ocr_engine(Limits())}")


if __name__ == "__main__":
    main()
