"""Score the parser on the corpus scans with one OCR engine: python bench/score_scans.py --engine E CORPUS_DIR...

Every folder of the corpus dirs that holds reply-scan.pdf is copied to a temporary folder whose gold.json points
at the scan; the scorer (tests/data/score_parse.py) then runs the CLI on each. Prints the scorer's output, then
pages OCR'd, seconds and pages/s, wall clock and CPU (children included), on this machine as loaded now.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT / "tests" / "data" / "score_parse.py"


def scan_folders(dirs: list[Path]) -> list[Path]:
    return sorted(p.parent for d in dirs for p in d.glob("*/reply-scan.pdf") if not p.parent.name.startswith(".tmp-"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=("auto", "rapidocr", "tesseract"), default="auto")
    parser.add_argument("-v", action="store_true", help="the scorer's per-document tables")
    parser.add_argument("dirs", nargs="+", type=Path)
    args = parser.parse_args(argv)
    folders = scan_folders(args.dirs)
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        for folder in folders:
            copy = Path(tmp) / folder.name
            copy.mkdir()
            shutil.copy(folder / "reply-scan.pdf", copy / "reply-scan.pdf")
            gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
            gold["source"] = "reply-scan.pdf"
            (copy / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
            pages += len(pdfium.PdfDocument(copy / "reply-scan.pdf"))
        cmd = f"{sys.executable} -m replies.parsing --ocr-engine {args.engine} {{file}}"
        wall, cpu = time.monotonic(), os.times()
        subprocess.run([sys.executable, str(SCORER), *(["-v"] if args.v else []), "--cmd", cmd, tmp], cwd=ROOT,
                       check=False)
        wall, after = time.monotonic() - wall, os.times()
        cpu = after.children_user + after.children_system - cpu.children_user - cpu.children_system
    print(f"engine={args.engine} docs={len(folders)} pages={pages} wall={wall:.0f}s ({pages / wall:.3f} pages/s) "
          f"cpu={cpu:.0f}s ({pages / cpu:.3f} pages/cpu-s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
