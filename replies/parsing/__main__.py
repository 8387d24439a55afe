"""python -m replies.parsing FILE: print the parse result as JSON, or one line on stderr and exit 2."""

import argparse
import json
import sys

from . import ParseError, parse_file
from .extract import OCR_ENGINES, Limits, extract_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replies.parsing", description=__doc__)
    parser.add_argument("file", help="a reply: .pdf (text or scanned), .txt, .docx or .ofd")
    parser.add_argument(
        "--extract", action="store_true", help="print only the extracted text (pages separated by form feeds)"
    )
    parser.add_argument("--ocr-engine", choices=OCR_ENGINES, default="auto", help="engine that reads scanned pages")
    args = parser.parse_args(argv)
    limits = Limits(ocr_engine=args.ocr_engine)
    try:
        if args.extract:
            sys.stdout.buffer.write(extract_file(args.file, limits=limits).text.encode("utf-8") + b"\n")
            return 0
        result = parse_file(args.file, limits=limits)
    except ParseError as e:
        print(f"{args.file}: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{args.file}: 无法打开文件（cannot open file: {e.strerror or e}）", file=sys.stderr)
        return 2
    out = json.dumps(result.to_dict(), ensure_ascii=False)
    sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
