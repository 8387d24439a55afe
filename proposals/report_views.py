"""What the office prints: the yearly report (提案办理情况报告) as a page and an editable .docx, and a proposal's
交办单 and 征询意见表 as PDFs."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from . import services
from .files import content_disposition
from .models import Assignment, Proposal, Session
from .params import int_param
from .report import handling_report
from .report_docx import report_docx, report_title
from .selectors import proposal_get
from .views import OverviewRequiredMixin

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class HandlingReportView(OverviewRequiredMixin, TemplateView):
    """One printable page of the report's figures, for a session or a year; `?format=docx` downloads it."""

    template_name = "proposals/handling_report.html"

    def report(self) -> dict:
        session_id = int_param(self.request.GET.get("session"))
        session = Session.objects.visible_to(self.request.user).filter(pk=session_id).first() if session_id else None
        year = int_param(self.request.GET.get("year"), maximum=9999)
        return handling_report(user=self.request.user, today=timezone.localdate(), session=session, year=year)

    def get(self, request, *args, **kwargs):
        report = self.report()
        if request.GET.get("format") == "docx":
            response = HttpResponse(report_docx(report), content_type=DOCX)
            name = f"{report_title(report)}-{report['today'].isoformat()}.docx"
            response["Content-Disposition"] = content_disposition(name, inline=False, default="report.docx")
            return response
        return self.render_to_response(self.get_context_data(
            report=report, title=report_title(report),
            sessions=Session.objects.visible_to(request.user).select_related("committee"),
            years=sorted(set(Session.objects.visible_to(request.user).values_list("year", flat=True)), reverse=True)))


class PrintedFormView(LoginRequiredMixin, View):
    """A proposal's printed form as a PDF in 公文 layout, rendered on the server: the 交办单 for the departments, the
    征询意见表 sent to the member with the released replies."""

    forms = {
        "assignment-sheet": "proposals/print/assignment_sheet.html",
        "feedback-form": "proposals/print/feedback_form.html",
    }

    def get(self, request, pk, form):
        from replies.models import Feedback, Reply

        if form not in self.forms:
            raise Http404
        try:
            proposal = proposal_get(user=request.user, pk=pk)
        except Proposal.DoesNotExist as missing:
            raise Http404 from missing
        template = self.forms[form]
        terms = proposal.terms
        title = terms.assignment_sheet if form == "assignment-sheet" else terms.feedback_form
        assignments = [a for a in proposal.assignments.all() if a.status != Assignment.Status.RETURNED]
        for assignment in assignments:
            assignment.deadline_explained = services.assignment_deadlines(assignment)
        replies = (Reply.objects.visible_to(request.user).released().filter(assignment__proposal=proposal)
                   .select_related("assignment__department").order_by("assignment__role", "assignment_id"))
        html = render_to_string(template, {
            "proposal": proposal, "assignments": assignments, "replies": replies, "today": timezone.localdate(),
            # a 人大's 征询意见表 is one per deputy (领衔 and 联名); a 政协's one for all the proposers
            "addressees": [{"name": link.member.name, "is_lead": link.is_lead} for link in proposal.proposer_links.all()]
            if proposal.session.committee.is_npc else [None],
            "ratings": Feedback.Rating.choices,
            "rating_labels": [_("办理工作"), _("办理结果"), _("总体评价")],
        }, request=request)
        name = f"{title}-{proposal.session}-{proposal.number}.pdf"
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(name, inline=True, default="form.pdf")
        response["Cache-Control"] = "private, no-store"
        return response


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
