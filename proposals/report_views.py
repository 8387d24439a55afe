"""The yearly report (提案办理情况报告) as a printable page and as an editable .docx, for the office and supervisors."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from .files import content_disposition
from .models import Session
from .params import int_param
from .report import handling_report
from .report_docx import report_docx, report_title

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class HandlingReportView(LoginRequiredMixin, TemplateView):
    """One printable page of the report's figures, for a session or a year; `?format=docx` downloads it."""

    template_name = "proposals/handling_report.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.sees_everything:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def report(self) -> dict:
        session_id = int_param(self.request.GET.get("session"))
        session = Session.objects.filter(pk=session_id).first() if session_id else None
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
            report=report, title=report_title(report), sessions=Session.objects.select_related("committee"),
            years=sorted(set(Session.objects.values_list("year", flat=True)), reverse=True)))
