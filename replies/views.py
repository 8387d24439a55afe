from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from proposals.confirm import ConfirmStepMixin
from proposals.files import file_response
from proposals.models import Assignment
from proposals.permissions import Action, may, require

from . import services
from .forms import ReplyUploadForm
from .models import Reply
from .selectors import reply_get, reply_history, reply_list


class VisibleReplyMixin(LoginRequiredMixin):
    workable = False

    def get_reply(self) -> Reply:
        try:
            return reply_get(user=self.request.user, pk=self.kwargs["pk"], workable=self.workable)
        except Reply.DoesNotExist as error:
            raise Http404 from error

    def office_on(self, reply: Reply) -> bool:
        """The office's steps are offered on this reply: the user is the office and works for its committee."""
        user = self.request.user
        return may(user, Action.OFFICE) and Reply.objects.workable_by(user).filter(pk=reply.pk).exists()


class ReplyStepMixin(VisibleReplyMixin):
    """A step on a reply's page: what stands in the way is said on that page, before any confirmation. A step
    changes the reply, so it is found only among those the user may act on (a committee read below is 404)."""

    workable = True

    def back(self, reply: Reply):
        return redirect("replies:detail", pk=reply.pk)

    def require_office_or_own(self, reply: Reply) -> None:
        """The office, or the department whose reply it is (a co-handler only reads it)."""
        user = self.request.user
        if not (may(user, Action.OFFICE) or is_own_reply(user, reply)):
            raise PermissionDenied

    def refused(self, reply: Reply, error: ValidationError):
        messages.error(self.request, " ".join(error.messages))
        return self.back(reply)

    def run(self, reply: Reply, step, *, done: str):
        """Call `step` (a service call); say `done`, or why it was refused, back on the reply's page."""
        try:
            step()
        except ValidationError as error:
            return self.refused(reply, error)
        messages.success(self.request, done)
        return self.back(reply)


def is_own_reply(user, reply: Reply) -> bool:
    """A department user's own department's reply (not a lead's draft it only co-handles)."""
    return reply.assignment is not None and user.is_department_user and may(user, Action.HANDLE) and \
        reply.assignment.department_id == user.department_id


def can_retry_parse(user, reply: Reply) -> bool:
    """The office may always parse a failed reply again; its own department while its retries last."""
    if reply.parse_status != Reply.ParseStatus.FAILED:
        return False
    if may(user, Action.OFFICE):
        return True
    if not is_own_reply(user, reply):
        return False
    try:
        services.reply_retry_check(reply=reply, by=user)
    except ValidationError:
        return False
    return True


class ReplyUploadView(LoginRequiredMixin, FormView):
    template_name = "replies/reply_form.html"
    form_class = ReplyUploadForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assignment = get_object_or_404(
                Assignment.objects.workable_by(request.user).select_related("proposal__session", "department"),
                pk=kwargs["assignment_pk"])
            require(request.user, Action.HANDLE)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "proposal": self.assignment.proposal}

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, **kwargs)

    def form_valid(self, form):
        try:
            services.upload_rate_check(user=self.request.user)
            reply = services.reply_upload(assignment=self.assignment, file=form.cleaned_data["file"],
                                          uploaded_by=self.request.user,
                                          doc_number=form.cleaned_data["doc_number"],
                                          reply_date=form.cleaned_data["reply_date"],
                                          category=form.cleaned_data["category"])
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        messages.success(self.request, _("答复已上传；解析状态见下方，解析完成并核对后请提交。"))
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
        is_draft = reply.assignment is not None and not reply.submitted_at and not reply.withdrawn_at
        missing = services.reply_signoffs_missing(reply=reply) if is_draft else []
        user = self.request.user
        own = is_own_reply(user, reply)
        office = self.office_on(reply)
        mismatches = services.reply_mismatch_states(reply=reply) if reply.assignment else []
        return super().get_context_data(
            office=office, is_draft=is_draft, signoffs_missing=missing,
            can_sign_off=user.is_department_user and any(a.department_id == user.department_id for a in missing),
            can_submit=is_draft and (office or own),
            can_withdraw=is_draft and (office or own),
            mismatches=mismatches, mismatches_open=[m for m in mismatches if m["confirmed"] is None],
            can_resolve=reply.assignment is not None and not reply.released_at and not reply.withdrawn_at
            and (office or own),
            pending=services.reply_pending_rows(reply=reply),
            events=reply.events.select_related("by"),
            history=reply_history(reply),
            highlighted=highlighted_text(reply.text, reply.indicators.all(), reply.commitments.all()),
            can_review=office, can_retry=can_retry_parse(user, reply) and (office or own),
            categories=Reply.Category.choices, **self.publication_context(reply, office=office), **kwargs)

    def publication_context(self, reply: Reply, *, office: bool) -> dict:
        """The redaction review for the office, once the reply is released."""
        if not (reply.released_at and office):
            return {"can_publish_review": False}
        from .selectors import redaction_marked_text

        redactions = list(reply.redactions.all())
        return {"can_publish_review": True, "redactions": redactions,
                "redactions_proposed": services.redactions_were_proposed(reply),
                "redaction_counts": services.redactions_counts(reply=reply),
                "redaction_text": redaction_marked_text(reply.text, redactions)}


class ReplySearchView(LoginRequiredMixin, TemplateView):
    """Search inside replies and commitments: matching sentences highlighted, each opening the review page at it."""

    template_name = "replies/reply_search.html"

    def get_context_data(self, **kwargs):
        from .forms import ReplySearchForm
        from .search import PAGE_SIZE, reply_search

        form = ReplySearchForm(self.request.GET or None, user=self.request.user)
        hits, query = [], {}
        if form.is_valid() and form.cleaned_data["q"].strip():
            query = form.cleaned_data
            department = query["department"]
            hits = reply_search(user=self.request.user, query=query["q"], department=department and department.pk,
                                year=query["year"], category=query["category"] or None,
                                commitments_only=query["commitments"], page=query["page"] or 1)
        page = query.get("page") or 1
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(form=form, hits=hits, searched=bool(query), page=page,
                                        next_page=page + 1 if len(hits) == PAGE_SIZE else None,
                                        previous_page=page - 1 if page > 1 else None,
                                        params=params.urlencode(), **kwargs)


class ReplyStatusView(VisibleReplyMixin, DetailView):
    """The parse status, polled by the reply page while the worker is busy; once the parse ends, the page
    reloads to show the rows."""

    template_name = "replies/_reply_status.html"
    context_object_name = "reply"

    def get_object(self, queryset=None):
        return self.get_reply()

    def get_context_data(self, **kwargs):
        office = self.office_on(self.object)
        return super().get_context_data(office=office, can_retry=can_retry_parse(self.request.user, self.object)
                                        and (office or is_own_reply(self.request.user, self.object)), **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.headers.get("HX-Request") and self.object.parse_status in (Reply.ParseStatus.PARSED,
                                                                                  Reply.ParseStatus.FAILED):
            response["HX-Refresh"] = "true"
        return response


class ReplyReparseView(ReplyStepMixin, View):
    def post(self, request, pk):
        reply = self.get_reply()
        retry_by_uploader = is_own_reply(request.user, reply) and reply.parse_status == Reply.ParseStatus.FAILED
        if not (may(request.user, Action.OFFICE) or retry_by_uploader):
            raise PermissionDenied

        def retry():
            services.reply_retry_check(reply=reply, by=request.user)
            services.reply_reparse(reply=reply)

        return self.run(reply, retry, done=_("已重新排队解析。"))


class ReplyForceReparseView(ReplyStepMixin, View):
    """Staff queue again a reply stuck in 排队中/解析中 past REPLY_FORCE_RETRY_AFTER_MINUTES (its task lost)."""

    def post(self, request, pk):
        reply = self.get_reply()
        if not request.user.is_office_staff:
            raise PermissionDenied
        return self.run(reply, lambda: services.reply_reparse(reply=reply, force=True),
                        done=_("已强制重新排队解析。"))


class ReplyFileView(LoginRequiredMixin, View):
    """Uploaded files are served only through here, after the same visibility check as the reply."""

    def get(self, request, pk):
        reply = get_object_or_404(reply_list(user=request.user), pk=pk)
        if not reply.file:
            raise Http404
        try:
            return file_response(reply.file, name=reply.original_name or f"reply-{reply.pk}.pdf",
                                 default=f"reply-{reply.pk}")
        except FileNotFoundError as error:
            raise Http404 from error


class ReplyReleaseView(ConfirmStepMixin, ReplyStepMixin, View):
    """督办审核: the proposal office checks the reply (supervisors read it; they do not release), may set or change its category, and releases it;
    with rows still 待审核 only by stating a reason."""

    def post(self, request, pk):
        require(request.user, Action.OFFICE)
        reply = self.get_reply()
        category, reason = request.POST.get("category", ""), request.POST.get("reason", "")
        pending_reason = request.POST.get("pending_reason", "")
        if self.needs_confirmation():
            # say what stands in the way before asking, not after
            try:
                pending = services.reply_release_check(reply=reply, pending_reason=pending_reason)
                services.reply_category_check(reply=reply, category=category, reason=reason, by=request.user)
            except ValidationError as error:
                return self.refused(reply, error)
            return self.confirmation(
                title=_("审核发布答复"), cancel_url=reply_url(reply), button=_("确认发布"), lines=[
                    _("发布 %(reply)s（%(department)s）：%(proposers)s将收到通知并可填写征询意见表；发布后不能撤回。")
                    % {"reply": reply, "department": reply.assignment.department if reply.assignment else "—",
                       "proposers": reply_terms(reply).proposers},
                    _("答复类别：%(old)s → %(new)s") % {"old": reply.get_category_display() or "—",
                                                   "new": dict(Reply.Category.choices).get(category, "")}
                    if category and category != reply.category else "",
                    _("仍有 %(count)d 条提取内容待审核，发布理由：%(reason)s") % {"count": pending,
                                                                      "reason": pending_reason or "—"}
                    if pending else ""])
        @transaction.atomic
        def release():
            if category and category != reply.category:
                services.reply_category_change(reply=reply, category=category, reason=reason, by=request.user)
            services.reply_release(reply=reply, by=request.user, pending_reason=pending_reason)

        return self.run(reply, release, done=_("答复已审核发布，%(proposers)s将收到通知。")
                        % {"proposers": reply_terms(reply).proposers})


def reply_terms(reply: Reply):
    """The words of the reply's proposal's body; an unmatched reply's are both bodies'."""
    from proposals.vocabulary import MIXED_TERMS

    return reply.assignment.proposal.terms if reply.assignment else MIXED_TERMS


def reply_url(reply: Reply) -> str:
    return reverse("replies:detail", args=[reply.pk])


class ReplyRowsSettleView(ReplyStepMixin, View):
    """Accept or reject every row still 待审核 at once, from the release form; rows stay reviewable."""

    def post(self, request, pk):
        require(request.user, Action.OFFICE)
        reply = self.get_reply()
        accept = request.POST.get("action") == "accept"
        try:
            count = services.reply_rows_settle(reply=reply, by=request.user, accept=accept)
        except ValidationError as error:
            return self.refused(reply, error)
        messages.success(request, (_("已采纳其余 %(count)d 条。") if accept else _("已驳回其余 %(count)d 条。"))
                         % {"count": count})
        return self.back(reply)


class ReplyWithdrawView(ConfirmStepMixin, ReplyStepMixin, View):
    """A department withdraws a version it uploaded (or staff do), with a reason, until it is submitted."""

    def post(self, request, pk):
        reply = self.get_reply()
        user = request.user
        self.require_office_or_own(reply)
        reason = request.POST.get("reason", "")
        if self.needs_confirmation():
            try:
                services.reply_withdraw_check(reply=reply, reason=reason)
            except ValidationError as error:
                return self.refused(reply, error)
            return self.confirmation(title=_("撤回答复"), cancel_url=reply_url(reply), button=_("确认撤回"),
                                     danger=True, lines=[
                                         _("撤回 %(reply)s：该版本不再提交、发布或计入统计，仍以“已撤回”显示。")
                                         % {"reply": reply},
                                         _("理由：%(reason)s") % {"reason": reason},
                                         _("之后上传的答复为下一版本。")])
        return self.run(reply, lambda: services.reply_withdraw(reply=reply, reason=reason, by=user),
                        done=_("答复已撤回。"))


class ReplyMismatchConfirmView(ReplyStepMixin, View):
    """Confirm, with a reason, that the reply belongs to its assignment despite one header mismatch."""

    def post(self, request, pk):
        reply = self.get_reply()
        user = request.user
        self.require_office_or_own(reply)
        field, reason = request.POST.get("field", ""), request.POST.get("reason", "")
        return self.run(reply, lambda: services.reply_mismatch_confirm(reply=reply, field=field, reason=reason,
                                                                       by=user),
                        done=_("已确认该项不一致。"))


class ReplyDetachView(ConfirmStepMixin, ReplyStepMixin, View):
    """Staff take a reply off an assignment it does not belong to; it waits among the unmatched replies."""

    def post(self, request, pk):
        require(request.user, Action.OFFICE)
        reply = self.get_reply()
        reason = request.POST.get("reason", "")
        if not reason.strip():
            return self.refused(reply, ValidationError(_("移出交办须说明理由。")))
        if self.needs_confirmation():
            return self.confirmation(title=_("将答复移出交办"), cancel_url=reply_url(reply), button=_("确认移出"),
                                     danger=True, lines=[
                                         _("%(reply)s 将不再属于 %(assignment)s，转入“未匹配的答复”，等待归入正确的交办。")
                                         % {"reply": reply, "assignment": reply.assignment},
                                         _("若该答复已使交办变为“已答复”，交办和%(proposal)s恢复原来的状态。")
                                         % {"proposal": reply_terms(reply).proposal},
                                         _("理由：%(reason)s") % {"reason": reason}])
        return self.run(reply, lambda: services.reply_detach(reply=reply, reason=reason, by=request.user),
                        done=_("答复已移出交办，转入未匹配的答复。"))


class ReplySignoffView(ReplyStepMixin, View):
    """会签 by a co-handling department, or staff waiving a co-handler's sign-off with a reason."""

    def post(self, request, pk):
        reply = self.get_reply()
        user = request.user
        if user.is_department_user and may(user, Action.HANDLE):
            assignment = Assignment.objects.filter(proposal=reply.assignment.proposal_id, role=Assignment.Role.CO,
                                                   department=user.department_id).exclude(
                status=Assignment.Status.RETURNED).first()
            waive_reason = ""
        elif may(user, Action.OFFICE):
            assignment = Assignment.objects.filter(pk=request.POST.get("assignment"),
                                                   proposal=reply.assignment.proposal_id).first()
            waive_reason = request.POST.get("reason", "") or "-"
            if not request.POST.get("reason", "").strip():
                return self.refused(reply, ValidationError(_("免于会签须说明理由。")))
        else:
            raise PermissionDenied
        if assignment is None:
            raise PermissionDenied
        return self.run(reply, lambda: services.reply_signoff(reply=reply, assignment=assignment, by=user,
                                                              waive_reason=waive_reason),
                        done=_("已会签。") if not waive_reason else _("已免于会签。"))


class ReplySubmitView(ConfirmStepMixin, ReplyStepMixin, View):
    """The department submits its parsed draft (a lead's once the co-handlers have signed off)."""

    def post(self, request, pk):
        reply = self.get_reply()
        user = request.user
        self.require_office_or_own(reply)
        if self.needs_confirmation():
            try:
                services.reply_submit_check(reply=reply)
            except ValidationError as error:
                return self.refused(reply, error)
            return self.confirmation(title=_("提交答复"), cancel_url=reply_url(reply), button=_("确认提交"), lines=[
                _("提交 %(reply)s 作为 %(assignment)s 的答复：交办将变为“已答复”，提交后不能再撤回。")
                % {"reply": reply, "assignment": reply.assignment},
                _("提交后由%(desk)s审核发布。") % {"desk": reply_terms(reply).desk}])
        return self.run(reply, lambda: services.reply_submit(reply=reply, by=user),
                        done=_("答复已提交。"))


class ReplyAttachView(LoginRequiredMixin, View):
    """Staff give an imported reply that matched nothing (or several assignments) to its assignment."""

    def post(self, request, pk):
        from urllib.parse import urlencode

        from django.urls import reverse

        from .forms import ReplyAttachForm

        require(request.user, Action.OFFICE)
        reply = get_object_or_404(Reply.objects.workable_by(request.user).filter(assignment__isnull=True), pk=pk)
        form = ReplyAttachForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.reply_attach(reply=reply, assignment=form.cleaned_data["assignment"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                assignment = form.cleaned_data["assignment"]
                messages.success(request, _("已将答复归入 %(assignment)s。") % {"assignment": assignment})
                return redirect("proposals:todo")
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        # back to the list with what was typed, so the form shows it again
        typed = {key: request.POST.get(key, "") for key in ("session", "number", "department")}
        return redirect(f"{reverse('proposals:todo')}?{urlencode({'attach': reply.pk, **typed})}#unmatched")


class ReplyRedactionsView(ReplyStepMixin, View):
    """Staff check a released reply for personal data and review the redactions: propose, accept or reject one,
    accept or reject the rest, or add their own (a selected span or a typed string)."""

    def post(self, request, pk):
        require(request.user, Action.OFFICE)
        reply = self.get_reply()
        action, by = request.POST.get("action", ""), request.user
        if action == "propose":
            return self.run(reply, lambda: services.redactions_propose(reply=reply, by=by),
                            done=_("已检查个人信息，请逐项审核建议遮盖的内容。"))
        if action in ("accept", "reject"):
            redaction = reply.redactions.filter(pk=parse_int(request.POST.get("redaction"))).first()
            if redaction is None:
                raise Http404
            return self.run(reply, lambda: services.redaction_review(redaction=redaction, accept=action == "accept",
                                                                     by=by),
                            done=_("已遮盖。") if action == "accept" else _("已设为不遮盖。"))
        if action in ("accept-rest", "reject-rest"):
            return self.run(reply, lambda: services.redactions_review_all(reply=reply, accept=action == "accept-rest",
                                                                          by=by), done=_("已审核其余遮盖。"))
        if action == "add":
            start, end = parse_int(request.POST.get("start")), parse_int(request.POST.get("end"))
            return self.run(reply, lambda: services.redaction_add(reply=reply, by=by, start=start, end=end,
                                                                  text=request.POST.get("text", "")),
                            done=_("已添加遮盖。"))
        return self.refused(reply, ValidationError(_("未知的操作。")))


def parse_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ReplyPublicationView(ConfirmStepMixin, ReplyStepMixin, View):
    """Staff make a released, reviewed reply 公开 (after a confirmation), or keep it 不公开 with a reason. Not one
    transaction: the public PDF is rendered (seconds) before the service locks the reply and stores it."""

    def post(self, request, pk):
        require(request.user, Action.OFFICE)
        reply = self.get_reply()
        if request.POST.get("decision") == "not_public":
            reason = request.POST.get("reason", "")
            return self.run(reply, lambda: services.reply_mark_not_public(reply=reply, reason=reason, by=request.user),
                            done=_("已设为不公开。"))
        if self.needs_confirmation():
            try:
                services.reply_publish_check(reply=reply)
            except ValidationError as error:
                return self.refused(reply, error)
            counts = services.redactions_counts(reply=reply)
            return self.confirmation(title=_("公开答复"), cancel_url=reply_url(reply), button=_("确认公开"), lines=[
                _("公开 %(reply)s：任何人无需登录即可在公开页面看到%(proposal)s标题、承办单位、类别和遮盖后的答复。")
                % {"reply": reply, "proposal": reply_terms(reply).proposal},
                _("遮盖 %(count)d 处；PDF 将重新生成为不含文字层的图像，遮盖处涂黑。") % {"count": counts["accepted"]},
                _("扫描件只公开遮盖后的正文，不公开PDF。") if reply.ocr else ""])
        return self.run(reply, lambda: services.reply_publish(reply=reply, by=request.user), done=_("答复已公开。"))
