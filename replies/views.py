from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from proposals.models import Assignment, User

from . import services
from .forms import ReplyUploadForm
from .models import Reply
from .selectors import reply_get, reply_list


class VisibleReplyMixin(LoginRequiredMixin):
    def get_reply(self) -> Reply:
        try:
            return reply_get(user=self.request.user, pk=self.kwargs["pk"])
        except Reply.DoesNotExist as error:
            raise Http404 from error


def can_write(user) -> bool:
    return user.role in (User.Role.STAFF, User.Role.DEPARTMENT) or user.is_superuser


class ReplyUploadView(LoginRequiredMixin, FormView):
    template_name = "replies/reply_form.html"
    form_class = ReplyUploadForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assignment = get_object_or_404(
                Assignment.objects.visible_to(request.user).select_related("proposal__session", "department"),
                pk=kwargs["assignment_pk"])
            if not can_write(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "proposal": self.assignment.proposal}

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, **kwargs)

    def form_valid(self, form):
        try:
            reply = services.reply_upload(assignment=self.assignment, file=form.cleaned_data["file"],
                                          uploaded_by=self.request.user,
                                          doc_number=form.cleaned_data["doc_number"],
                                          reply_date=form.cleaned_data["reply_date"],
                                          category=form.cleaned_data["category"],
                                          is_public=form.cleaned_data["is_public"])
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        messages.success(self.request, _("答复已上传，正在解析。"))
        return redirect("replies:detail", pk=reply.pk)


class ReplyDetailView(VisibleReplyMixin, DetailView):
    """The reply page, which is also the review page: text with every extracted row highlighted at its span."""

    template_name = "replies/reply_detail.html"
    context_object_name = "reply"

    def get_object(self, queryset=None):
        return self.get_reply()

    def get_context_data(self, **kwargs):
        from indicators.selectors import highlighted_text

        reply = self.object
        missing = services.reply_signoffs_missing(reply=reply) if reply.assignment and not reply.submitted_at else []
        user = self.request.user
        return super().get_context_data(
            signoffs_missing=missing,
            can_sign_off=user.is_department_user and any(a.department_id == user.department_id for a in missing),
            can_submit=not reply.submitted_at and reply.assignment is not None and (
                user.is_office_staff or reply.assignment.department_id == user.department_id),
            history=reply.history.select_related("history_user").order_by("-history_date")[:50],
            highlighted=highlighted_text(reply.text, reply.indicators.all(), reply.commitments.all()),
            can_review=self.request.user.is_office_staff,
            categories=Reply.Category.choices, **kwargs)


class ReplyStatusView(VisibleReplyMixin, DetailView):
    """The parse status, polled by the reply page while the worker is busy; once the parse ends, the page
    reloads to show the rows."""

    template_name = "replies/_reply_status.html"
    context_object_name = "reply"

    def get_object(self, queryset=None):
        return self.get_reply()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.headers.get("HX-Request") and self.object.parse_status in (Reply.ParseStatus.PARSED,
                                                                                  Reply.ParseStatus.FAILED):
            response["HX-Refresh"] = "true"
        return response


class ReplyReparseView(VisibleReplyMixin, View):
    def post(self, request, pk):
        reply = self.get_reply()
        retry_by_uploader = (request.user.is_department_user and reply.parse_status == Reply.ParseStatus.FAILED
                             and reply.assignment is not None
                             and reply.assignment.department_id == request.user.department_id)
        if not (request.user.is_office_staff or retry_by_uploader):
            raise PermissionDenied
        try:
            services.reply_reparse(reply=reply)
            messages.success(request, _("已重新排队解析。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("replies:detail", pk=reply.pk)


class ReplyFileView(LoginRequiredMixin, View):
    """Uploaded files are served only through here, after the same visibility check as the reply."""

    def get(self, request, pk):
        reply = get_object_or_404(reply_list(user=request.user), pk=pk)
        if not reply.file:
            raise Http404
        try:
            handle = reply.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        name = reply.original_name or f"reply-{reply.pk}.pdf"
        return FileResponse(handle, as_attachment=False, filename=name, content_type="application/pdf")


class ReplyReleaseView(VisibleReplyMixin, View):
    """督办审核: staff or a supervisor checks the reply, may change its category with a reason, and releases it."""

    def post(self, request, pk):
        if not (request.user.sees_everything):
            raise PermissionDenied
        reply = self.get_reply()
        category, reason = request.POST.get("category", ""), request.POST.get("reason", "")
        try:
            with transaction.atomic():
                if category and category != reply.category:
                    services.reply_category_change(reply=reply, category=category, reason=reason, by=request.user)
                services.reply_release(reply=reply, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("答复已审核发布，提案人将收到通知。"))
        return redirect("replies:detail", pk=reply.pk)


class ReplySignoffView(VisibleReplyMixin, View):
    """会签 by a co-handling department, or staff waiving a co-handler's sign-off with a reason."""

    def post(self, request, pk):
        reply = self.get_reply()
        user = request.user
        if user.is_department_user:
            assignment = Assignment.objects.filter(proposal=reply.assignment.proposal_id, role=Assignment.Role.CO,
                                                   department=user.department_id).exclude(
                status=Assignment.Status.RETURNED).first()
            waive_reason = ""
        elif user.is_office_staff:
            assignment = Assignment.objects.filter(pk=request.POST.get("assignment"),
                                                   proposal=reply.assignment.proposal_id).first()
            waive_reason = request.POST.get("reason", "") or "-"
            if not request.POST.get("reason", "").strip():
                messages.error(request, _("免于会签须说明理由。"))
                return redirect("replies:detail", pk=reply.pk)
        else:
            raise PermissionDenied
        if assignment is None:
            raise PermissionDenied
        try:
            services.reply_signoff(reply=reply, assignment=assignment, by=user, waive_reason=waive_reason)
            messages.success(request, _("已会签。") if not waive_reason else _("已免于会签。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("replies:detail", pk=reply.pk)


class ReplySubmitView(VisibleReplyMixin, View):
    """The lead department submits its draft once the co-handlers have signed off."""

    def post(self, request, pk):
        reply = self.get_reply()
        user = request.user
        if not (user.is_office_staff or (user.is_department_user and reply.assignment.department_id == user.department_id)):
            raise PermissionDenied
        try:
            services.reply_submit(reply=reply, by=user)
            messages.success(request, _("答复已提交。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("replies:detail", pk=reply.pk)
