"""The stored scans of the corpus (reply-scan.pdf, real or made by bench/make_scans.py) parsed with the default OCR
engine meet the scan targets of issue 15, pooled over all of them as the scorer's summary line pools them.

Slow by nature: every page is OCR'd (about 10 CPU-seconds a page with RapidOCR on this machine)."""

import importlib.util
import json

from replies.parsing import parse_file
from tests.corpus import CORPUS_ROOT, SCORER

HEADER_TARGET = 0.85
INDICATORS_F1_TARGET = 0.95
COMMITMENTS_F1_TARGET = 0.80


def _scorer():
    spec = importlib.util.spec_from_file_location("score_parse", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scans_meet_the_header_indicator_and_commitment_targets():
    sp = _scorer()
    folders = sorted(p.parent for p in CORPUS_ROOT.glob("*/reply-scan.pdf") if (p.parent / "gold.json").exists())
    assert folders
    header_ok = header_n = i_tp = i_fp = i_fn = c_tp = c_fp = c_found = c_n = 0
    for folder in folders:
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        pred = parse_file(folder / "reply-scan.pdf").to_dict()
        ok, n, _ = sp.score_header(pred["header"], gold["header"])
        ind = sp.score_indicators(pred["indicators"], gold["indicators"])
        com = sp.score_commitments(pred["commitments"], gold["commitments"])
        header_ok, header_n = header_ok + ok, header_n + n
        i_tp, i_fp, i_fn = i_tp + ind["tp"], i_fp + ind["fp"], i_fn + ind["fn"]
        c_tp, c_fp, c_found, c_n = c_tp + com["tp"], c_fp + com["fp"], c_found + com["found"], c_n + com["n"]
    *_, indicators_f1 = sp.prf(i_tp, i_fp, i_tp, i_tp + i_fn)
    *_, commitments_f1 = sp.prf(c_tp, c_fp, c_found, c_n)
    figures = f"header={header_ok / header_n:.2f} indicators F1={indicators_f1:.2f} commitments F1={commitments_f1:.2f}"
    assert header_ok / header_n >= HEADER_TARGET, figures
    assert indicators_f1 >= INDICATORS_F1_TARGET, figures
    assert commitments_f1 >= COMMITMENTS_F1_TARGET, figures
