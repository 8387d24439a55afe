from copy import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from proposals.params import LenientPaginationMixin, int_param
from proposals.permissions import Action, may, require
from proposals.views import OverviewRequiredMixin, redirect_back
from proposals.vocabulary import terms_for_user

from . import services
from .exports import commitment_headers, commitment_rows, export_response, indicator_headers, indicator_rows
from .filters import CommitmentFilter
from .forms import CommitmentEditForm, CommitmentReportForm, IndicatorEditForm
from .models import Commitment, Indicator
from .selectors import (
    commitment_evidence_reply_choices,
    commitment_follow_up_list,
    commitment_get,
    commitments_over_years,
    indicator_export_list,
    indicator_series,
)

KINDS = {"indicator": (Indicator, IndicatorEditForm), "commitment": (Commitment, CommitmentEditForm)}


class ReviewerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Accepting, correcting and rejecting extracted rows is the proposal office's work."""

    raise_exception = True

    def test_func(self):
        return may(self.request.user, Action.OFFICE)

    def get_row(self):
        if self.kwargs["kind"] not in KINDS:
            raise Http404
        model, _ = KINDS[self.kwargs["kind"]]
        return get_object_or_404(model.objects.workable_by(self.request.user).select_related("reply"),
                                 pk=self.kwargs["pk"])

    def respond(self, row):
        if self.request.headers.get("HX-Request"):
            return render(self.request, "indicators/_row.html", {"row": row, "kind": self.kwargs["kind"],
                                                                 "can_review": True})
        return redirect("replies:detail", pk=row.reply_id)

    def refused(self, row, error: services.RowChanged):
        """Someone else changed the row (or a re-parse replaced it) since the page was loaded: say so and show
        the row as it stands now; nothing was changed."""
        if not self.request.headers.get("HX-Request"):
            messages.error(self.request, " ".join(error.messages))
            return redirect("replies:detail", pk=row.reply_id)
        return render(self.request, "indicators/_row.html", {
            "row": error.current or row, "kind": self.kwargs["kind"], "can_review": error.current is not None,
            "gone": error.current is None, "conflict": " ".join(error.messages)}, status=409)


def posted_version(value) -> int | None:
    """The row version a form or button carried; none (an old page) means the row as it stands."""
    return int(value) if value and str(value).isdigit() else None


class RowReviewView(ReviewerRequiredMixin, View):
    def post(self, request, kind, pk, action):
        if action not in ("accept", "reject"):
            raise Http404
        row = self.get_row()
        try:
            row = services.extracted_row_review(row=row, by=request.user, accept=action == "accept",
                                                version=posted_version(request.POST.get("version")))
        except services.RowChanged as error:
            return self.refused(row, error)
        return self.respond(row)


class RowEditView(ReviewerRequiredMixin, View):
    def get(self, request, kind, pk):
        row = self.get_row()
        return render(request, "indicators/_row_form.html", {"row": row, "kind": kind,
                                                             "form": KINDS[kind][1](instance=row)})

    def post(self, request, kind, pk):
        row = self.get_row()
        model, form_class = KINDS[kind]
        form = form_class(request.POST, instance=model.objects.get(pk=row.pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                if kind == "indicator":
                    row = services.indicator_edit(indicator=row, by=request.user, value=data["value"],
                                                  unit=data["unit"], year=data["year"], metric=data["metric"],
                                                  qualifier=data["qualifier"], is_target=data["is_target"],
                                                  version=data["version"])
                else:
                    row = services.commitment_edit(commitment=row, by=request.user, text=data["text"],
                                                   deadline=data["deadline"], version=data["version"])
                return self.respond(row)
            except services.RowChanged as error:
                if error.current is None:
                    return self.refused(row, error)
                # keep what the reviewer typed, now based on the current version: saving again is a deliberate
                # choice made with the other's values in view
                posted = request.POST.copy()
                posted["version"] = error.current.version
                form = form_class(posted, instance=copy(error.current))  # validating fills its instance
                form.is_valid()
                form.add_error(None, error)
                return render(request, "indicators/_row_form.html", {
                    "row": error.current, "kind": kind, "form": form, "current": error.current}, status=409)
            except ValidationError as error:
                form.add_error(None, error)
        return render(request, "indicators/_row_form.html", {"row": row, "kind": kind, "form": form}, status=422)


class RowBulkReviewView(ReviewerRequiredMixin, View):
    def post(self, request, reply_pk):
        from replies.models import Reply

        reply = get_object_or_404(Reply.objects.workable_by(request.user), pk=reply_pk)
        action = request.POST.get("action")
        if action not in ("accept", "reject"):
            raise Http404
        ids, versions = {"indicator": [], "commitment": []}, {}
        for value in request.POST.getlist("rows"):
            # kind-id-version (the version the page showed); kind-id from an older page
            kind, _sep, rest = value.partition("-")
            pk, _sep, version = rest.partition("-")
            if kind in ids and pk.isdigit():
                ids[kind].append(int(pk))
                if posted_version(version) is not None:
                    versions[(kind, int(pk))] = int(version)
        try:
            services.extracted_rows_review_bulk(reply=reply, by=request.user, indicator_ids=ids["indicator"],
                                                commitment_ids=ids["commitment"], accept=action == "accept",
                                                versions=versions)
        except services.RowChanged as error:
            messages.error(request, " ".join(error.messages))
        return redirect("replies:detail", pk=reply.pk)


class CommitmentFollowUpListView(LenientPaginationMixin, LoginRequiredMixin, FilterView):
    """Supervisors follow accepted commitments until they are kept: due and lapsed ones, per department."""

    template_name = "indicators/commitment_follow_up.html"
    filterset_class = CommitmentFilter
    context_object_name = "commitments"
    paginate_by = 50
    strict = False

    def get_queryset(self):
        return commitment_follow_up_list(user=self.request.user)

    def render_to_response(self, context, **kwargs):
        kind = self.request.GET.get("format")
        if kind in ("csv", "xlsx"):
            return export_response(rows=commitment_rows(self.object_list),
                                   headers=commitment_headers(terms_for_user(self.request.user)),
                                   name="commitments", kind=kind)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=staff_statuses(), today=timezone.localdate(),
                                        can_follow=self.request.user.is_office_staff, **kwargs)


def staff_statuses():
    """What staff may set from the list: every status but a department's report."""
    return [(value, label) for value, label in Commitment.FollowUp.choices if value != Commitment.FollowUp.REPORTED]


class CommitmentDetailView(LoginRequiredMixin, View):
    """One commitment with its follow-up history; its department reports progress here, staff confirm."""

    def get(self, request, pk, form=None, status=200):
        commitment = commitment_get(user=request.user, pk=pk)
        can_report = Commitment.objects.reportable_by(request.user).open().filter(pk=pk).exists()
        office = request.user.is_office_staff and Commitment.objects.workable_by(request.user).filter(pk=pk).exists()
        if can_report and form is None:
            form = CommitmentReportForm(replies=commitment_evidence_reply_choices(user=request.user,
                                                                                  commitment=commitment),
                                        terms=commitment.reply.assignment.proposal.terms)
        return render(request, "indicators/commitment_detail.html", {
            "commitment": commitment, "form": form if can_report else None, "today": timezone.localdate(),
            "can_confirm": office and commitment.follow_up_status == "reported",
            "can_follow": office and commitment.review_status in ("accepted", "edited"),
            "statuses": staff_statuses()}, status=status)


class CommitmentReportView(LoginRequiredMixin, View):
    """A department reports progress on a commitment of its own assignment; another's commitment is 404."""

    def post(self, request, pk):
        require(request.user, Action.HANDLE)
        commitment = get_object_or_404(Commitment.objects.reportable_by(request.user).open().select_related("reply__assignment__proposal__session__committee"),
                                       pk=pk)
        terms = commitment.reply.assignment.proposal.terms
        form = CommitmentReportForm(request.POST, request.FILES, terms=terms,
                                    replies=commitment_evidence_reply_choices(user=request.user, commitment=commitment))
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["file"]:
                    from replies.services import upload_rate_check

                    upload_rate_check(user=request.user)
                services.commitment_report(commitment=commitment, by=request.user, status=data["status"],
                                           note=data["note"], file=data["file"], evidence_reply=data["evidence_reply"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已报告承诺进展。") if data["status"] != "reported"
                                 else _("已报告承诺兑现，等待%(desk)s确认。") % {"desk": terms.desk})
                return redirect_back(request, "proposals:queue")
        return CommitmentDetailView().get(request, pk, form=form, status=422)


class CommitmentDecideView(LoginRequiredMixin, UserPassesTestMixin, View):
    """Staff confirm a reported kept commitment, or send it back with a note."""

    raise_exception = True

    def test_func(self):
        return may(self.request.user, Action.OFFICE)

    def post(self, request, pk):
        commitment = get_object_or_404(Commitment.objects.workable_by(request.user), pk=pk)
        confirm = request.POST.get("decision") == "confirm"
        try:
            services.commitment_report_decide(commitment=commitment, by=request.user, confirm=confirm,
                                              note=request.POST.get("note", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已确认承诺兑现。") if confirm else _("已退回兑现报告。"))
        return redirect_back(request, "indicators:follow-up")


class CommitmentReportFileView(LoginRequiredMixin, View):
    """Evidence files are served only through here, to those who may see the commitment."""

    def get(self, request, pk):
        from proposals.files import file_response

        from .models import CommitmentReport

        report = get_object_or_404(CommitmentReport.objects.visible_to(request.user), pk=pk)
        if not report.file:
            raise Http404
        extension = report.file.name.rsplit(".", 1)[-1].lower()
        try:
            return file_response(report.file, name=report.original_name or f"evidence.{extension}",
                                 default="evidence")
        except FileNotFoundError as error:
            raise Http404 from error


class CommitmentFollowUpView(LoginRequiredMixin, UserPassesTestMixin, View):
    raise_exception = True

    def test_func(self):
        return may(self.request.user, Action.OFFICE)

    def post(self, request, pk):
        commitment = get_object_or_404(Commitment.objects.workable_by(request.user), pk=pk)
        try:
            services.commitment_follow_up(commitment=commitment, status=request.POST.get("status", ""),
                                          by=request.user, evidence=request.POST.get("evidence", ""))
            messages.success(request, _("已更新承诺跟踪状态。"))
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect_back(request, "indicators:follow-up")


class IndicatorSeriesView(OverviewRequiredMixin, TemplateView):
    """An accepted metric of one department across replies and years, with a small chart."""

    template_name = "indicators/indicator_series.html"

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("format")
        if kind in ("csv", "xlsx"):
            return export_response(rows=indicator_rows(indicator_export_list(user=request.user,
                                                                             department=self.department())),
                                   headers=indicator_headers(terms_for_user(request.user)), name="indicators", kind=kind)
        return super().get(request, *args, **kwargs)

    def department(self):
        from proposals.models import Department

        number = int_param(self.request.GET.get("department"))
        return Department.objects.filter(pk=number).first() if number else None

    def get_context_data(self, **kwargs):
        from proposals.models import Department

        department = self.department()
        return super().get_context_data(series=indicator_series(user=self.request.user, department=department),
                                        department=department,
                                        departments=Department.objects.visible_to(self.request.user), **kwargs)


class CommitmentOverYearsView(LoginRequiredMixin, TemplateView):
    """For a department and a subject, the promises made session after session and what became of them."""

    template_name = "indicators/commitments_over_years.html"

    def get_context_data(self, **kwargs):
        from proposals.models import Department

        department_id = int_param(self.request.GET.get("department"))
        department = Department.objects.filter(pk=department_id).first() if department_id else None
        if not self.request.user.reads_by_committee:
            department = self.request.user.department
        subject = self.request.GET.get("q", "").strip()[:100]
        return super().get_context_data(
            department=department, subject=subject, departments=Department.objects.visible_to(self.request.user),
            **commitments_over_years(user=self.request.user, department=department, subject=subject), **kwargs)
