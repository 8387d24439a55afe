"""Reads for the review page."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def highlighted_text(text: str, indicators, commitments) -> SafeString:
    """The reply's text as HTML, each commitment's span wrapped and each indicator's span marked, so the review
    page can highlight a row's text and jump to it. Overlapping commitments, and indicators that cross a
    commitment's edge, are left unmarked rather than producing broken HTML."""
    starts: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    spans = []
    for commitment in sorted(commitments, key=lambda row: row.start):
        if 0 <= commitment.start < commitment.end <= len(text) and all(commitment.start >= e for _, e in spans):
            spans.append((commitment.start, commitment.end))
            starts.setdefault(commitment.start, []).append(
                f'<span class="hl-c {commitment.review_status}" id="t-c-{commitment.pk}" data-row="c-{commitment.pk}">')
            ends.setdefault(commitment.end, []).append("</span>")
    last_end = -1
    for indicator in sorted(indicators, key=lambda row: row.start):
        crosses = any(s < indicator.start < e < indicator.end or indicator.start < s < indicator.end < e
                      for s, e in spans)
        if 0 <= indicator.start < indicator.end <= len(text) and indicator.start >= last_end and not crosses:
            starts.setdefault(indicator.start, []).append(
                f'<mark class="hl-i {indicator.review_status}" id="t-i-{indicator.pk}" data-row="i-{indicator.pk}">')
            ends.setdefault(indicator.end, []).insert(0, "</mark>")
            last_end = indicator.end
    cuts = sorted(set(starts) | set(ends) | {0, len(text)})
    html = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        html.extend(ends.get(left, []))
        html.extend(starts.get(left, []))
        html.append(escape(text[left:right]))
    html.extend(ends.get(len(text), []))
    return mark_safe("".join(html))  # noqa: S308 - every piece of text is escaped above
