"""Indicators and commitments as CSV or .xlsx: quantities are Decimals, written by plain_decimal in CSV and as
number cells in .xlsx (proposals.exports), so no figure is ever read back as 1E+1."""

from django.http import StreamingHttpResponse
from django.utils import timezone


def indicator_headers(terms) -> list[str]:
    """The columns, the number named in the words of the rows' body (提案号 / 建议号 / 编号)."""
    return ["承办单位", "届次会议", str(terms.number), "指标", "数值", "单位", "基本单位数值", "基本单位", "年度",
            "限定词", "目标值", "审核状态"]


def commitment_headers(terms) -> list[str]:
    return ["承办单位", "届次会议", str(terms.number), "承诺内容", "目标", "完成时限", "审核状态", "跟踪日期",
            "跟踪状态", "兑现情况"]


def indicator_rows(indicators):
    for row in indicators.select_related("reply__assignment__department",
                                         "reply__assignment__proposal__session").iterator(chunk_size=2000):
        assignment = row.reply.assignment
        yield [assignment.department.name if assignment else "", assignment.proposal.session.name if assignment else "",
               assignment.proposal.number if assignment else "", row.metric, row.value, row.unit, row.base_value,
               row.base_unit, row.year, row.qualifier, "是" if row.is_target else "", row.get_review_status_display()]


def commitment_rows(commitments):
    from proposals.formatting import plain_decimal

    for c in commitments.iterator(chunk_size=2000):
        assignment = c.reply.assignment
        targets = "；".join(f"{t.get('qualifier') or ''}{plain_decimal(t.get('value'))}{t.get('unit') or ''}"
                           for t in c.targets or [] if isinstance(t, dict))
        yield [assignment.department.name, assignment.proposal.session.name, assignment.proposal.number, c.text,
               targets, c.deadline, c.get_review_status_display(), c.follow_up_on, c.get_follow_up_status_display(),
               c.evidence]


def export_response(*, rows, headers: list[str], name: str, kind: str):
    """rows as a streamed CSV (kind "csv") or .xlsx workbook (kind "xlsx")."""
    from proposals.exports import XLSX_TYPE, streamed_csv, xlsx_chunks

    filename = f"{name}-{timezone.localdate():%Y%m%d}.{kind}"
    if kind == "csv":
        return streamed_csv(headers=headers, rows=rows, filename=filename)
    response = StreamingHttpResponse(xlsx_chunks(headers=headers, rows=rows, sheet=name), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
