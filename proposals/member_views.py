"""A member's own pages (委员): their proposals, drafts and co-signings, replies to rate, notifications. Every read
starts from visible_to(user); every write is one service call. Staff's pages for member accounts are at the end."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import member_accounts, submission
from .confirm import ConfirmStepMixin
from .forms import CosignerInviteForm, DraftForm, MemberAccountForm, MemberFeedbackForm
from .models import Cosigner, Member, Notification, Proposal, ProposalAttachment, ProposalDraft, User
from .notifications import notification_mark_read
from .permissions import Action, may
from .selectors import member_home, member_proposal_get, member_timeline
from .views import StaffRequiredMixin
from .vocabulary import MIXED_TERMS, terms_for_user


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


class MemberRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """A member account's own pages: 404 for every other role (they are not theirs to look at)."""

    def test_func(self):
        return may(self.request.user, Action.PROPOSE)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise Http404
        return super().handle_no_permission()


class MemberHomeView(MemberRequiredMixin, TemplateView):
    template_name = "members/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**member_home(user=self.request.user), **kwargs)


class MemberProposalView(MemberRequiredMixin, TemplateView):
    """One of the member's proposals: status, refusal reason or merge target, assignments, timeline, released
    replies with a rating form for each the member has not yet rated."""

    template_name = "members/proposal.html"

    def get_context_data(self, **kwargs):
        try:
            proposal = member_proposal_get(user=self.request.user, pk=self.kwargs["pk"])
        except Proposal.DoesNotExist as error:
            raise Http404 from error
        me = self.request.user.member_id
        for assignment in proposal.assignments.all():
            for reply in assignment.replies.all():
                reply.my_feedback = next((f for f in reply.feedback.all() if f.member_id == me), None)
        return super().get_context_data(proposal=proposal, timeline=member_timeline(proposal),
                                        feedback_form=MemberFeedbackForm(), **kwargs)


class MemberReplyRateView(MemberRequiredMixin, ConfirmStepMixin, View):
    """The member rates a released reply for themselves; 不满意 (with its reason) starts re-handling."""

    def post(self, request, pk):
        from replies.models import Feedback, Reply
        from replies.services import feedback_record

        reply = get_object_or_404(Reply.objects.visible_to(request.user).select_related("assignment"), pk=pk)
        back = reverse("members:proposal", args=[reply.assignment.proposal_id])
        form = MemberFeedbackForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(back)
        data = form.cleaned_data
        if data["rating"] == Feedback.Rating.UNSATISFIED and self.needs_confirmation():
            return self.confirmation(title=_("提交“不满意”评价"), cancel_url=back, danger=True, lines=[
                _("评价提交后不能修改；承办单位将据您的理由重新办理，并重新作出答复。"),
                _("理由：%(reason)s") % {"reason": data["comment"]}])
        try:
            feedback_record(reply=reply, member=request.user.member, rating=data["rating"], by=request.user,
                            handling_rating=data["handling_rating"], outcome_rating=data["outcome_rating"],
                            comment=data["comment"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("已提交评价，承办单位将重新办理。") if data["rating"] == Feedback.Rating.UNSATISFIED
                             else _("已提交评价，谢谢。"))
        return redirect(back)


class MemberReplyFileView(MemberRequiredMixin, View):
    """A released reply's file, to its proposers only."""

    def get(self, request, pk):
        from replies.models import Reply

        from .files import file_response

        reply = get_object_or_404(Reply.objects.visible_to(request.user).exclude(file=""), pk=pk)
        try:
            return file_response(reply.file, name=reply.original_name or f"{reply.doc_number or reply.pk}.pdf")
        except FileNotFoundError as error:
            raise Http404 from error


class MemberAttachmentView(MemberRequiredMixin, View):
    def get(self, request, pk):
        from .files import file_response

        attachment = get_object_or_404(
            ProposalAttachment.objects.filter(proposal__in=Proposal.objects.visible_to(request.user)), pk=pk)
        try:
            return file_response(attachment.file, name=attachment.original_name, default="attachment")
        except FileNotFoundError as error:
            raise Http404 from error


class DraftFormView(MemberRequiredMixin, TemplateView):
    """Write a new draft or correct one (lead proposer only, until submitted)."""

    template_name = "members/draft_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.draft = None
        if "pk" in kwargs and request.user.is_authenticated:
            self.draft = get_object_or_404(ProposalDraft.objects.editable_by(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        initial = ({"session": self.draft.session_id, "title": self.draft.title, "body": self.draft.body,
                    "category": self.draft.category} if self.draft else {})
        kwargs.setdefault("form", DraftForm(initial=initial, user=self.request.user))
        return super().get_context_data(draft=self.draft, **kwargs)

    def post(self, request, **kwargs):
        form = DraftForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            draft = submission.draft_save(by=request.user, draft=self.draft, attachments=request.FILES.getlist("files"),
                                          remove_attachments=request.POST.getlist("remove_attachment"),
                                          **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("草稿已保存。"))
        return redirect("members:draft", pk=draft.pk)


class DraftDetailView(MemberRequiredMixin, TemplateView):
    """A draft with its co-signers: the lead invites and submits, an invited member confirms or declines."""

    template_name = "members/draft.html"

    def get_context_data(self, **kwargs):
        draft = get_object_or_404(ProposalDraft.objects.visible_to(self.request.user)
                                  .select_related("session__committee", "lead", "proposal"), pk=self.kwargs["pk"])
        cosigners = list(draft.cosigners.select_related("member"))
        mine = next((c for c in cosigners if c.member_id == self.request.user.member_id), None)
        is_lead = draft.lead_id == self.request.user.member_id
        can_submit = None
        if is_lead and draft.status == ProposalDraft.Status.DRAFT:
            try:
                submission.draft_submit_check(draft=draft)
                can_submit = ""
            except ValidationError as error:
                can_submit = _errors(error)
        return super().get_context_data(draft=draft, cosigners=cosigners, my_invitation=mine, is_lead=is_lead,
                                         submit_blocked=can_submit, invite_form=CosignerInviteForm(draft=draft),
                                         **kwargs)


class DraftActionView(MemberRequiredMixin, ConfirmStepMixin, View):
    """The lead proposer's steps on a draft: invite or un-invite a co-signer, submit."""

    def post(self, request, pk, action):
        draft = get_object_or_404(ProposalDraft.objects.editable_by(request.user).select_related("session"), pk=pk)
        back = reverse("members:draft", args=[draft.pk])
        try:
            if action == "invite":
                form = CosignerInviteForm(request.POST, draft=draft)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                submission.cosigner_invite(draft=draft, member=form.cleaned_data["member"], by=request.user)
                messages.success(request, _("已发出联名邀请。"))
            elif action == "uninvite":
                cosigner = get_object_or_404(draft.cosigners, pk=request.POST.get("cosigner"))
                submission.cosigner_withdraw(cosigner=cosigner)
                messages.success(request, _("已撤回联名邀请。"))
            elif action == "submit":
                submission.draft_submit_check(draft=draft)
                if self.needs_confirmation():
                    names = "、".join(str(c.member) for c in draft.cosigners.filter(status="confirmed"))
                    terms = draft.session.terms
                    return self.confirmation(
                        title=_("提交%(proposal)s") % {"proposal": terms.noun}, cancel_url=back,
                        button=_("提交"), lines=[
                            _("《%(title)s》提交后交%(office)s审查立案，不能再修改。")
                            % {"title": draft.title, "office": terms.office},
                            _("联名人：%(names)s") % {"names": names} if names else _("无联名人。")])
                proposal = submission.draft_submit(draft=draft, by=request.user)
                messages.success(request, _("%(proposal)s已提交，等待审查立案。") % {"proposal": proposal.terms.noun})
                return redirect("members:proposal", pk=proposal.pk)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect(back)


class CosignAnswerView(MemberRequiredMixin, View):
    """An invited member confirms (确认联名) or declines a co-signing, from their own account."""

    def post(self, request, pk, action):
        if action not in ("confirm", "decline"):
            raise Http404
        cosigner = get_object_or_404(Cosigner.objects.filter(member=request.user.member_id), pk=pk)
        try:
            submission.cosigner_answer(cosigner=cosigner, by=request.user, confirm=action == "confirm")
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("已确认联名。") if action == "confirm" else _("已谢绝联名。"))
        return redirect("members:draft", pk=cosigner.draft_id)


class NotificationListView(MemberRequiredMixin, TemplateView):
    template_name = "members/notifications.html"

    def get_context_data(self, **kwargs):
        notes = Notification.objects.visible_to(self.request.user).select_related("proposal__session__committee")[:200]
        return super().get_context_data(notifications=notes, **kwargs)

    def post(self, request):
        notification_mark_read(user=request.user)
        return redirect("members:notifications")


class MemberAccountListView(StaffRequiredMixin, TemplateView):
    """Staff: the member list with each member's accounts; open accounts one by one or in bulk, deactivate."""

    template_name = "members/account_list.html"

    def get_context_data(self, **kwargs):
        from django.db.models import Prefetch

        query = self.request.GET.get("q", "").strip()
        members = Member.objects.workable_by(self.request.user).prefetch_related(
            Prefetch("accounts", queryset=User.objects.filter(role=User.Role.MEMBER).order_by("username")))
        if query:
            members = members.filter(name__icontains=query)
        members = list(members.select_related("committee")[:300])
        for member in members:  # a person is a 委员 of a 政协, a 代表 of a 人大
            member.kind_text = member.kind_label(member.committee.terms if member.committee else MIXED_TERMS)
        return super().get_context_data(members=members, q=query, form=MemberAccountForm(), **kwargs)

    def post(self, request):
        members = list(Member.objects.workable_by(request.user).filter(pk__in=request.POST.getlist("member")))
        if not members:
            messages.error(request, _("请选择%(member)s。") % {"member": terms_for_user(request.user).member})
            return redirect("proposals:member-accounts")
        try:
            if len(members) == 1 and request.POST.get("single"):
                form = MemberAccountForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                opened = [member_accounts.member_account_create(member=members[0], **form.cleaned_data)]
            else:
                opened = member_accounts.member_accounts_create(members=members)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect("proposals:member-accounts")
        # the initial passwords are shown on this response only: never stored in clear, never shown again
        response = render(request, "members/accounts_opened.html", {"opened": opened,
                                                                    "skipped": len(members) - len(opened)})
        response["Cache-Control"] = "no-store"
        return response


class MemberAccountActiveView(StaffRequiredMixin, View):
    def post(self, request, pk):
        user = get_object_or_404(User.objects.filter(role=User.Role.MEMBER,
                                                     member__in=Member.objects.workable_by(request.user)), pk=pk)
        active = request.POST.get("active") == "1"
        member_accounts.member_account_set_active(user=user, active=active)
        messages.success(request, (_("已启用账号 %(username)s。") if active else _("已停用账号 %(username)s。"))
                         % {"username": user.username})
        return redirect("proposals:member-accounts")


