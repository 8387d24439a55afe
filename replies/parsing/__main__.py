"""python -m replies.parsing FILE: print the parse result as JSON, or one line on stderr and exit 2."""

import argparse
import json
import sys

from . import ParseError, parse_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replies.parsing", description=__doc__)
    parser.add_argument("file", help="a reply: .pdf (text or scanned), .txt or .docx")
    parser.add_argument(
        "--extract", action="store_true", help="print only the extracted text (pages separated by form feeds)"
    )
    args = parser.parse_args(argv)
    try:
        if args.extract:
            from .extract import extract_file

            sys.stdout.buffer.write(extract_file(args.file).text.encode("utf-8") + b"\n")
            return 0
        result = parse_file(args.file)
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
