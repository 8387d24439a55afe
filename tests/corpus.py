"""The labelled reply kept with the tests (a copy of ../shared/corpus, so a clone anywhere can run them)."""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CORPUS_ROOT = DATA / "corpus"
CORPUS = CORPUS_ROOT / "jl-kjt-2022-108"
REPLY_PDF = CORPUS / "reply.pdf"
REPLY_SCAN = CORPUS / "reply-scan.pdf"
REPLY_TXT = CORPUS / "reply.txt"
SCORER = DATA / "score_parse.py"
