"""The yearly report as an editable Word document: the figures of proposals.report in 公文 order."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .formatting import plain_decimal

FONT = "仿宋"
HEADING_FONT = "黑体"


def _percent(value) -> str:
    return "—" if value is None else f"{plain_decimal(value)}%"


def _run_font(run, name: str) -> None:
    from docx.oxml.ns import qn

    run.font.name = name
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, font: str = FONT, size: int = 16, bold: bool = False, center: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    _run_font(run, font)
    return paragraph


def _table(document, headers: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)


def report_title(report: dict) -> str:
    terms = report["terms"]
    if report["session"] is not None:
        return _("关于%(session)s%(report)s的报告") % {"session": report["session"],
                                                   "report": str(terms.handling_report).removesuffix("报告")}
    if report["year"]:
        return _("关于%(year)s年度%(report)s的报告") % {"year": report["year"],
                                                   "report": str(terms.handling_report).removesuffix("报告")}
    return str(terms.handling_report)


def report_docx(report: dict) -> bytes:
    from docx import Document

    totals, terms = report["totals"], report["terms"]
    proposal = {"proposal": terms.proposal}
    document = Document()
    _paragraph(document, report_title(report), font=HEADING_FONT, size=22, center=True)

    _paragraph(document, _("一、%(proposal)s总体情况") % proposal, font=HEADING_FONT)
    _paragraph(document, _(
        "共收到%(proposal)s%(received)s件，经审查立案%(registered)s件，并案处理%(merged)s件，不予立案%(not_registered)s件，"
        "尚待审查%(waiting)s件；交办%(assigned)s件，涉及承办单位%(departments)s个，交办件次%(times)s件次。") % {
        "received": report["received"], "registered": report["registered"], "merged": report["merged"],
        "not_registered": report["not_registered"], "waiting": report["waiting"], "assigned": report["assigned"],
        "departments": len(report["rows"]), "times": totals["assigned"], "proposal": terms.nouns})

    _paragraph(document, _("二、办理情况"), font=HEADING_FONT)
    _paragraph(document, _(
        "已答复%(replied)s件次，办复率%(reply_rate)s；按期答复%(on_time)s件次，按期办复率%(on_time_rate)s；"
        "目前超期%(overdue)s件次。征询意见%(rated)s件次，满意和基本满意率%(satisfaction)s。") % {
        "replied": totals["replied"], "reply_rate": _percent(totals["reply_rate"]), "on_time": totals["on_time"],
        "on_time_rate": _percent(totals["on_time_rate"]), "overdue": totals["overdue"], "rated": totals["rated"],
        "satisfaction": _percent(totals["satisfaction_rate"])})
    if report["categorised"]:
        _paragraph(document, _("答复类别：") + _("；").join(
            f"{row['label']} {row['count']}件（{_percent(row['share'])}）" for row in report["categories"]))
    _paragraph(document, _("征询意见：") + _("；").join(
        f"{row['label']} {row['count']}件次" for row in report["ratings"]))

    _paragraph(document, _("三、承诺事项落实情况"), font=HEADING_FONT)
    _paragraph(document, _("答复中作出承诺%(total)s项，已兑现%(kept)s项，承诺办成率%(rate)s。") % {
        "total": totals["commitments"], "kept": totals["kept"], "rate": _percent(totals["kept_rate"])})
    if report["commitment_list"]:
        _table(document, [_("承办单位"), str(terms.proposal), _("承诺内容"), _("跟踪状态")], [
            [c.reply.assignment.department, _("第%(number)s号") % {"number": c.reply.assignment.proposal.number},
             c.text, c.get_follow_up_status_display()] for c in report["commitment_list"]])

    _paragraph(document, _("四、%(proposal)s分类情况") % proposal, font=HEADING_FONT)
    _table(document, [_("类别"), _("件数"), _("占比")],
           [[row["label"], row["count"], _percent(row["share"])] for row in report["themes"]])

    _paragraph(document, _("五、各承办单位办理情况"), font=HEADING_FONT)
    _table(document, [_("承办单位"), _("交办"), _("已答复"), _("办复率"), _("按期办复率"), _("超期"), _("满意率"),
                      _("承诺办成率")],
           [[row["department"], row["assigned"], row["replied"], _percent(row["reply_rate"]),
             _percent(row["on_time_rate"]), row["overdue"], _percent(row["satisfaction_rate"]),
             _percent(row["kept_rate"])] for row in report["rows"]])

    _paragraph(document, _("六、超期未办复%(proposal)s") % proposal, font=HEADING_FONT)
    if report["overdue"]:
        _table(document, [str(terms.proposal), _("案由"), _("承办单位"), _("办理期限")], [
            [_("第%(number)s号") % {"number": a.proposal.number}, a.proposal.title, a.department,
             a.due_on.isoformat()] for a in report["overdue"]])
    else:
        _paragraph(document, _("无。"))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
