"""python -m replies.parsing FILE, run as the worker runs it; and the parser stays free of Django."""

import json
import subprocess
import sys
from pathlib import Path

from tests.corpus import CORPUS

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "replies.parsing", *args],
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )


def test_cli_prints_the_parse_result_of_a_text_pdf_as_json():
    out = run_cli(str(CORPUS / "reply.pdf"))

    assert out.returncode == 0, out.stderr.decode()
    result = json.loads(out.stdout.decode("utf-8"))
    assert result["pages"] == 8
    assert result["ocr"] is False
    assert result["header"]["proposal_number"] == "135"
    assert "吉科发办" in out.stdout.decode("utf-8")  # ensure_ascii=False: Chinese as is


def test_cli_reads_a_txt_reply():
    out = run_cli(str(CORPUS / "reply.txt"))

    assert out.returncode == 0, out.stderr.decode()
    assert json.loads(out.stdout)["header"]["department"] == "吉林省科学技术厅"


def test_cli_extract_prints_the_text_only():
    out = run_cli("--extract", str(CORPUS / "reply.pdf"))

    assert out.returncode == 0
    assert out.stdout.decode("utf-8").count("\f") == 7


def test_cli_unreadable_file_prints_one_line_and_exits_2(tmp_path):
    fake = tmp_path / "reply.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))

    out = run_cli(str(fake))

    assert out.returncode == 2
    assert out.stdout == b""
    lines = out.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and "not a PDF" in lines[0]


def test_cli_missing_path_prints_one_line_and_exits_2(tmp_path):
    out = run_cli(str(tmp_path / "nothing.pdf"))

    assert out.returncode == 2
    assert len(out.stderr.decode("utf-8").splitlines()) == 1


def test_every_parsing_module_imports_without_django():
    code = (
        "import sys, pkgutil, importlib, replies.parsing, replies.parsing.extract\n"
        "for m in pkgutil.iter_modules(replies.parsing.__path__):\n"
        "    importlib.import_module('replies.parsing.' + m.name)\n"
        "sys.exit('django' in sys.modules)"
    )

    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0
