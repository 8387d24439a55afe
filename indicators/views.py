from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from proposals.models import User

from . import services
from .forms import CommitmentEditForm, IndicatorEditForm
from .models import Commitment, Indicator

KINDS = {"indicator": (Indicator, IndicatorEditForm), "commitment": (Commitment, CommitmentEditForm)}


class ReviewerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Accepting, correcting and rejecting extracted rows is the proposal office's work."""

    raise_exception = True

    def test_func(self):
        return self.request.user.is_superuser or self.request.user.role == User.Role.STAFF

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
