"""The proposals list as .xlsx or CSV: the same filtered queryset the page shows, streamed in chunks."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

HEADERS = ["届次会议", "提案号", "案由", "类别", "重点提案", "提案人", "主办单位", "会办单位", "交办日期",
           "办理期限", "状态", "答复文号", "答复类别", "满意度"]


def proposal_rows(proposals: Iterable) -> Iterator[list]:
    for proposal in proposals:
        assignments = list(proposal.assignments.all())
        leads = [a for a in assignments if a.role == "lead" and a.status != "returned"]
        others = [a for a in assignments if a.role != "lead" and a.status != "returned"]
        replies = [r for a in leads for r in a.replies.all()]
        latest = replies[0] if replies else None
        ratings = [f.get_rating_display() for r in replies[:1] for f in r.feedback.all()]
        yield [
            str(proposal.session), proposal.number, proposal.title, proposal.get_category_display(),
            "是" if proposal.is_key else "", "、".join(link.member.name for link in proposal.proposer_links.all()),
            "、".join(a.department.name for a in leads), "、".join(a.department.name for a in others),
            leads[0].assigned_on if leads else None, proposal.next_due_on, proposal.get_status_display(),
            latest.doc_number if latest else "", latest.category if latest else "", "、".join(ratings),
        ]


def _filename(extension: str) -> str:
    return f"proposals-{timezone.localdate():%Y%m%d}.{extension}"


class _Echo:
    def write(self, value):
        return value


def streamed_csv(*, headers: list[str], rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """Rows streamed as UTF-8 CSV that Excel opens as Chinese."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 CSV as Chinese only with a BOM
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow(["" if value is None else value for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(proposals: Iterable) -> StreamingHttpResponse:
    return streamed_csv(headers=HEADERS, rows=proposal_rows(proposals), filename=_filename("csv"))


def xlsx_response(proposals: Iterable) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("提案")
    sheet.append(HEADERS)
    for row in proposal_rows(proposals):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
