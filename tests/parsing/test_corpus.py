"""Regression on the hand-labelled corpus kept in tests/data (a copy of ../shared/corpus)."""

import importlib.util
import json

import pytest

from replies.parsing import parse_text
from tests.corpus import CORPUS_ROOT as CORPUS
from tests.corpus import SCORER


def _scorer():
    spec = importlib.util.spec_from_file_location("score_parse", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _docs():
    return sorted(p.parent for p in CORPUS.glob("*/gold.json"))


@pytest.mark.parametrize("folder", _docs(), ids=lambda p: p.name)
def test_text_rendition_meets_the_targets(folder):
    sp = _scorer()
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    src = folder / gold["source"]
    if src.suffix != ".txt":
        pytest.skip("only text renditions are parsed without extraction")
    pred = parse_text(src.read_text(encoding="utf-8")).to_dict()
    ok, n, _ = sp.score_header(pred["header"], gold["header"])
    ind = sp.score_indicators(pred["indicators"], gold["indicators"])
    com = sp.score_commitments(pred["commitments"], gold["commitments"])
    p, r, _ = sp.prf(ind["tp"], ind["fp"], ind["tp"], ind["tp"] + ind["fn"])
    cp, cr, _ = sp.prf(com["tp"], com["fp"], com["found"], com["n"])
    assert ok == n
    assert p >= 0.97 and r >= 0.97
    assert ind["year_n"] == 0 or ind["year_ok"] / ind["year_n"] >= 0.90
    assert ind["target_ok"] / max(ind["tp"], 1) >= 0.95
    assert cp >= 0.80 and cr == 1.0
