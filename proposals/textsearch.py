"""Chinese text as words for PostgreSQL full-text search: jieba segments it, PostgreSQL's `simple` configuration
indexes the space-separated words as they are. Plain Python, no Django."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

# Runs of Han characters go to jieba; letters and digits stay whole words; the rest separates.
_PIECE = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+(?:\.[0-9]+)?")
_HAN = re.compile(r"[\u3400-\u9fff]")

# Words every proposal title or reply carries; they say nothing about its matter.
STOP_WORDS = frozenset("""
的 了 和 与 及 等 对 在 为 是 把 将 从 向 以 中 上 下 个 之 其 或 并 也 又 而 就 都
关于 建议 提案 意见 我省 我市 全省 全市 本省 本市 进一步 加强 加快 推进 推动 促进 完善 提升 提高 加大 强化
深化 做好 做大 做强 构建 健全 实施 推行 落实 大力 积极 切实 有效 全面 支持 发展 建设 工作 问题 对策 措施
高质 若干 思考 几点 方面 相关 有关 高质量 体系 机制 力度 水平 能力 工作者 方式 情况
""".split())


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def load_dictionary() -> None:
    """Load jieba's dictionary now (about a second), not at a process's first search."""
    _jieba()


@lru_cache(maxsize=200_000)
def _han_words(run: str, for_search: bool) -> tuple[str, ...]:
    # Cached by run of Han characters: replies repeat their formulas (经认真研究, 现答复如下) across thousands of rows.
    jieba = _jieba()
    return tuple(jieba.cut_for_search(run) if for_search else jieba.cut(run))


def words(text: str, *, for_search: bool = True) -> list[str]:
    """The words of `text` in order, lower-cased; in search mode a long word also yields its parts
    (高新技术 → 高新, 技术, 高新技术), so a query for a part finds it."""
    result = []
    for piece in _PIECE.findall(text or ""):
        if _HAN.match(piece):
            result.extend(_han_words(piece, for_search))
        else:
            result.append(piece.lower())
    return result


def indexed_words(text: str) -> str:
    """What a row stores for its tsvector: every word of `text`, space-separated."""
    return " ".join(words(text))


def matter_words(text: str) -> list[str]:
    """The words that say what a text is about, once each in order: no stop words, no single characters."""
    seen: dict[str, None] = {}
    for word in words(text, for_search=True):
        if len(word) > 1 and word not in STOP_WORDS and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def query_words(text: str) -> list[str]:
    """A search box's words, each to be found: the longest segmentation, stop words kept (a user typed them)."""
    seen: dict[str, None] = {}
    for word in words(text, for_search=False):
        seen.setdefault(word, None)
    return list(seen)


def tsquery_any(terms: list[str]) -> str:
    """A to_tsquery('simple', …) text matching rows with any of `terms`."""
    return " | ".join(_quoted(term) for term in terms)


def tsquery_all(terms: list[str], *, weights: str = "") -> str:
    """A to_tsquery('simple', …) text matching rows with every one of `terms`; with `weights` ("A": a proposal's
    title), only where the word has one of those weights."""
    return " & ".join(_quoted(term) + (f":{weights}" if weights else "") for term in terms)


def _quoted(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
