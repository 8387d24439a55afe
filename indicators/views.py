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

from proposals.views import redirect_back

from . import services
from .exports import COMMITMENT_HEADERS, INDICATOR_HEADERS, commitment_rows, export_response, indicator_rows
from .filters import CommitmentFilter
from .forms import CommitmentEditForm, IndicatorEditForm
from .models import Commitment, Indicator
from .selectors import commitment_follow_up_list, indicator_export_list, indicator_series

KINDS = {"indicator": (Indicator, IndicatorEditForm), "commitment": (Commitment, CommitmentEditForm)}


class ReviewerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Accepting, correcting and rejecting extracted rows is the proposal office's work."""

    raise_exception = True

    def test_func(self):
        return self.request.user.is_office_staff

    def get_row(self):
        if self.kwargs["kind"] not in KINDS:
            raise Http404
        model, _ = KINDS[self.kwargs["kind"]]
        return get_object_or_404(model.objects.visible_to(self.request.user).select_related("reply"),
                                 pk=self.kwargs["pk"])

    def respond(self, row):
        if self.request.headers.get("HX-Request"):
            return render(self.request, "indicators/_row.html", {"row": row, "kind": self.kwargs["kind"],
                                                                 "can_review": True})
        return redirect("replies:detail", pk=row.reply_id)


class RowReviewView(ReviewerRequiredMixin, View):
    def post(self, request, kind, pk, action):
        if action not in ("accept", "reject"):
            raise Http404
        row = services.extracted_row_review(row=self.get_row(), by=request.user, accept=action == "accept")
        return self.respond(row)


class RowEditView(ReviewerRequiredMixin, View):
    def get(self, request, kind, pk):
        row = self.get_row()
        return render(request, "indicators/_row_form.html", {"row": row, "kind": kind,
                                                             "form": KINDS[kind][1](instance=row)})

    def post(self, request, kind, pk):
        row = self.get_row()
        form = KINDS[kind][1](request.POST, instance=Indicator.objects.get(pk=row.pk) if kind == "indicator"
                              else Commitment.objects.get(pk=row.pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                if kind == "indicator":
                    row = services.indicator_edit(indicator=row, by=request.user, value=data["value"],
                                                  unit=data["unit"], year=data["year"], metric=data["metric"],
                                                  qualifier=data["qualifier"], is_target=data["is_target"])
                else:
                    row = services.commitment_edit(commitment=row, by=request.user, text=data["text"],
                                                   deadline=data["deadline"])
                return self.respond(row)
            except ValidationError as error:
                form.add_error(None, error)
        return render(request, "indicators/_row_form.html", {"row": row, "kind": kind, "form": form}, status=422)


class RowBulkReviewView(ReviewerRequiredMixin, View):
    def post(self, request, reply_pk):
        from replies.models import Reply

        reply = get_object_or_404(Reply.objects.visible_to(request.user), pk=reply_pk)
        action = request.POST.get("action")
        if action not in ("accept", "reject"):
            raise Http404
        ids = {"indicator": [], "commitment": []}
        for value in request.POST.getlist("rows"):
            kind, _, pk = value.partition("-")
            if kind in ids and pk.isdigit():
                ids[kind].append(int(pk))
        services.extracted_rows_review_bulk(reply=reply, by=request.user, indicator_ids=ids["indicator"],
                                            commitment_ids=ids["commitment"], accept=action == "accept")
        return redirect("replies:detail", pk=reply.pk)


class CommitmentFollowUpListView(LoginRequiredMixin, FilterView):
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
            return export_response(rows=commitment_rows(self.object_list), headers=COMMITMENT_HEADERS,
                                   name="commitments", kind=kind)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=Commitment.FollowUp.choices, today=timezone.localdate(),
                                        can_follow=self.request.user.sees_everything, **kwargs)


class CommitmentFollowUpView(LoginRequiredMixin, UserPassesTestMixin, View):
    raise_exception = True

    def test_func(self):
        return self.request.user.sees_everything

    def post(self, request, pk):
        commitment = get_object_or_404(Commitment.objects.visible_to(request.user), pk=pk)
        try:
            services.commitment_follow_up(commitment=commitment, status=request.POST.get("status", ""),
                                          by=request.user, evidence=request.POST.get("evidence", ""))
            messages.success(request, _("已更新承诺跟踪状态。"))
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect_back(request, "indicators:follow-up")


class IndicatorSeriesView(LoginRequiredMixin, TemplateView):
    """An accepted metric of one department across replies and years, with a small chart."""

    template_name = "indicators/indicator_series.html"

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("format")
        if kind in ("csv", "xlsx"):
            return export_response(rows=indicator_rows(indicator_export_list(user=request.user,
                                                                             department=self.department())),
                                   headers=INDICATOR_HEADERS, name="indicators", kind=kind)
        return super().get(request, *args, **kwargs)

    def department(self):
        from proposals.models import Department

        number = self.request.GET.get("department") or ""
        return Department.objects.filter(pk=number).first() if number.isdigit() else None

    def get_context_data(self, **kwargs):
        from proposals.models import Department

        department = self.department()
        return super().get_context_data(series=indicator_series(user=self.request.user, department=department),
                                        department=department, departments=Department.objects.all(), **kwargs)
