"""The parser against the hand-labelled corpus kept in tests/data/corpus, scored by the shared scorer as a user would run it.

The seed (a copy of ../shared/corpus) and the real replies collected for issue 15, each with its source address.
The thresholds are the issue's targets; the scorer prints its table and summary line on failure.
"""

import json
import re
import subprocess
import sys
from collections import Counter

import pytest

from tests.corpus import CORPUS_ROOT, SCORER

SUMMARY = re.compile(
    r"header=(?P<header>[\d.]+) indicators P=[\d.]+ R=[\d.]+ F1=(?P<indicators>[\d.]+) year=(?P<year>[\d.]+) "
    r"target=(?P<target>[\d.]+) commitments P=[\d.]+ R=[\d.]+ F1=(?P<commitments>[\d.]+) docs=(?P<docs>\d+) "
    r"failed=(?P<failed>\d+)(?: metric=(?P<metric>[\d.]+))?"
)


def _golds():
    return sorted(CORPUS_ROOT.glob("*/gold.json"))


def _score(source: str) -> tuple[dict, str]:
    run = subprocess.run(
        [sys.executable, str(SCORER), "-v", "--source", source,
         "--cmd", f"{sys.executable} -m replies.parsing {{file}}", str(CORPUS_ROOT)],
        capture_output=True, text=True, timeout=1800, check=True,
    )
    summary = SUMMARY.search(run.stdout.strip().splitlines()[-1])
    assert summary, run.stdout + run.stderr
    return {k: float(v) for k, v in summary.groupdict().items() if v is not None}, run.stdout


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_corpus_holds_thirty_real_replies_of_many_genres_each_with_its_source():
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in _golds()]
    collected = [g for g in golds if g.get("url")]
    assert len(collected) >= 30
    bodies = Counter(g["genre"]["body"] for g in collected)
    levels = Counter(g["genre"]["level"] for g in collected)
    assert bodies["人大"] >= 5 and bodies["政协"] >= 5
    assert levels["省"] and levels["市"] and levels["县"]
    assert all(g["url"].startswith("http") for g in collected)


@pytest.mark.parametrize("gold_path", _golds(), ids=lambda p: p.parent.name)
def test_every_gold_anchor_is_in_its_reply_text(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = _flat((gold_path.parent / "reply.txt").read_text(encoding="utf-8"))
    missing = [row["anchor"] for row in gold["indicators"] + gold["commitments"] if _flat(row["anchor"]) not in text]
    assert missing == []


def test_text_renditions_meet_the_targets():
    figures, table = _score("reply.txt")
    assert figures["failed"] == 0, table
    assert figures["header"] >= 0.95, table
    assert figures["indicators"] >= 0.95, table
    assert figures["year"] >= 0.90, table
    assert figures["target"] >= 0.90, table
    assert figures["metric"] >= 0.85, table
    assert figures["commitments"] >= 0.90, table


def test_pdf_renditions_read_like_their_text():
    figures, table = _score("reply.pdf")
    assert figures["failed"] == 0, table
    assert figures["header"] >= 0.95, table
    assert figures["indicators"] >= 0.95, table
    assert figures["commitments"] >= 0.90, table


def test_scans_meet_the_scan_targets():
    figures, table = _score("reply-scan.pdf")
    assert figures["docs"] >= 5, table
    assert figures["failed"] == 0, table
    assert figures["header"] >= 0.85, table
    assert figures["indicators"] >= 0.95, table
    assert figures["commitments"] >= 0.80, table
