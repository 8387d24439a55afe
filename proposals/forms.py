from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from replies.models import Feedback, Reply

from .models import Assignment, Department, Member, Proposal, Session
from .vocabulary import MIXED_TERMS, Terms, terms_for_user


class IsoDateInput(forms.DateInput):
    """<input type=date> holding its value as YYYY-MM-DD, the only form a browser's date input reads (the
    zh-hans format 2022/01/16 leaves it blank)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProposalDatesMixin:
    """Date fields of a form about one proposal: none may fall before the proposal's submission or its session's
    opening (the rule is Proposal.validate_not_before_start, which the services apply too)."""

    proposal_date_fields: tuple[str, ...] = ()

    def __init__(self, *args, proposal: Proposal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        if proposal is not None:
            for name in self.proposal_date_fields:
                self.fields[name].widget.attrs["min"] = proposal.starts_on.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.proposal is not None:
            for name in self.proposal_date_fields:
                try:
                    self.proposal.validate_not_before_start(cleaned.get(name), label=self.fields[name].label)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class AssignForm(ProposalDatesMixin, forms.Form):
    proposal_date_fields = ("assigned_on",)

    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Department.objects.none())
    role = forms.ChoiceField(label=_("办理方式"), choices=Assignment.Role.choices)
    assigned_on = forms.DateField(label=_("交办日期"), initial=timezone.localdate, widget=IsoDateInput)

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, proposal=proposal, **kwargs)
        self.fields["department"].queryset = Department.objects.serving(proposal.session.committee)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DueDateForm(ProposalDatesMixin, ReasonForm):
    proposal_date_fields = ("due_on",)

    due_on = forms.DateField(label=_("办理期限"), widget=IsoDateInput)


class HardCapForm(ProposalDatesMixin, ReasonForm):
    proposal_date_fields = ("hard_due_on",)

    hard_due_on = forms.DateField(label=_("最长期限"), widget=IsoDateInput)


class ExtensionDecisionForm(forms.Form):
    """Grant or refuse; a grant past the hard cap names the new hard cap and why, or it is refused."""

    decision = forms.ChoiceField(choices=[("grant", _("同意延期")), ("refuse", _("不同意"))])
    note = forms.CharField(label=_("审批意见"), required=False, max_length=1000)
    hard_due_on = forms.DateField(label=_("最长期限调整为"), required=False, widget=IsoDateInput)
    hard_cap_reason = forms.CharField(label=_("调整最长期限的理由"), required=False, max_length=300)


class CoOpinionForm(forms.Form):
    """A co-handler's 会办意见 to the lead department; the service checks the attachment by its content."""

    text = forms.CharField(label=_("会办意见"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label=_("附件（可选：PDF、DOCX、OFD 或图片）"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.ofd,image/*"}))


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("并入提案"), queryset=Proposal.objects.none())

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Proposal.objects.filter(session=proposal.session).exclude(pk=proposal.pk)
        self.fields["into"].label = _("并入%(proposal)s") % {"proposal": proposal.terms.noun}


class RatingForm(forms.Form):
    """The three ratings and a comment of one reply, as a proposer gives them."""

    # radio buttons with none chosen: the member's own choice is recorded, never a default
    rating = forms.ChoiceField(label=_("总体评价"), choices=Feedback.Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择总体评价。")})
    handling_rating = forms.ChoiceField(label=_("对办理工作的评价"), choices=Feedback.Rating.choices,
                                        widget=forms.RadioSelect,
                                        error_messages={"required": _("请选择对办理工作的评价。")})
    outcome_rating = forms.ChoiceField(label=_("对办理结果的评价"), choices=Feedback.Rating.choices,
                                       widget=forms.RadioSelect,
                                       error_messages={"required": _("请选择对办理结果的评价。")})
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackForm(RatingForm):
    """The office records a proposer's rating on their behalf."""

    reply = forms.ModelChoiceField(label=_("答复"), queryset=Reply.objects.none())
    member = forms.ModelChoiceField(label=_("提案人"), queryset=Member.objects.none())
    field_order = ["reply", "member"]

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = Reply.objects.released().filter(assignment__proposal=proposal)
        self.fields["member"].queryset = proposal.proposers.all()
        self.fields["member"].label = proposal.terms.proposers


class ProposalForm(forms.Form):
    """A proposal as the office logs it; proposer rows (name, kind) come as repeated fields, lead first."""

    session = forms.ModelChoiceField(label=_("届次会议"), queryset=Session.objects.none(), empty_label=None)
    number = forms.IntegerField(label=_("提案号"), min_value=1)
    title = forms.CharField(label=_("案由"), max_length=300)
    made_at = forms.ChoiceField(label=_("提出时间"), choices=Proposal.MadeAt.choices, widget=forms.RadioSelect,
                                initial=Proposal.MadeAt.PLENARY)
    category = forms.ChoiceField(label=_("类别"), choices=Proposal.Category.choices, initial=Proposal.Category.OTHER)
    submitted_on = forms.DateField(label=_("提交日期"), initial=timezone.localdate, widget=IsoDateInput)
    is_key = forms.BooleanField(label=_("重点提案"), required=False)
    body = forms.CharField(label=_("提案内容"), required=False, widget=forms.Textarea(attrs={"rows": 10}))

    MIN_PROPOSER_ROWS = 3

    def __init__(self, *args, user, proposal: Proposal | None = None, terms: Terms | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["session"].queryset = Session.objects.workable_by(user).select_related("committee")
        self.terms = proposal.terms if proposal is not None else terms or MIXED_TERMS
        self.fields["number"].label = self.terms.number
        self.fields["is_key"].label = self.terms.key_proposal
        self.fields["body"].label = self.terms.content
        if self.is_bound:
            names, kinds = self.data.getlist("proposer_name"), self.data.getlist("proposer_kind")
            rows = [(name.strip(), kinds[i] if i < len(kinds) else Member.Kind.PERSON) for i, name in enumerate(names)]
        elif proposal is not None:
            rows = [(link.member.name, link.member.kind) for link in proposal.proposer_links.all()]
        else:
            rows = []
        self.proposer_rows = rows
        self.proposer_entries: list[tuple[str, str]] = []

    def rows_to_show(self) -> list[tuple[str, str]]:
        """The rows as typed (nothing lost on an error), then blank ones up to a minimum."""
        typed = [row for row in self.proposer_rows if row[0]]
        blanks = max(1, self.MIN_PROPOSER_ROWS - len(typed))
        return typed + [("", Member.Kind.PERSON)] * blanks

    def clean(self):
        data = super().clean()
        if data.get("session") is not None:  # the chosen session's committee speaks: 提案人 or 代表
            self.terms = data["session"].terms
        entries, seen = [], set()
        for name, kind in self.proposer_rows:
            if not name:
                continue
            if kind not in Member.Kind.values:
                kind = Member.Kind.PERSON
            if name in seen:
                self.add_error(None, _("%(proposers)s“%(name)s”填写了两次。")
                               % {"proposers": self.terms.proposers, "name": name})
            seen.add(name)
            entries.append((name[:100], kind))
        if not entries:
            self.add_error(None, _("请至少填写一位%(proposers)s（第一行为%(lead)s）。")
                           % {"proposers": self.terms.proposers, "lead": self.terms.lead_proposer})
        self.proposer_entries = entries
        session, number = data.get("session"), data.get("number")
        if session and number:
            taken = Proposal.objects.filter(session=session, number=number)
            if self.proposal is not None:
                taken = taken.exclude(pk=self.proposal.pk)
            other = taken.first()
            if other is not None:
                from .selectors import session_next_numbers

                self.add_error("number", _(
                    "%(session)s已有第%(number)d号%(proposal)s《%(title)s》；下一个可用的%(number_label)s是 %(next)d。")
                               % {"session": session.name, "number": number, "title": other.title,
                                  "proposal": session.terms.noun, "number_label": session.terms.number,
                                  "next": session_next_numbers()[session.pk]})
        return data


class DraftForm(forms.Form):
    """A member's online proposal: the session whose submission window is open, title, category and text."""

    session = forms.ModelChoiceField(label=_("届次会议"), queryset=Session.objects.none(), empty_label=None)
    title = forms.CharField(label=_("案由"), max_length=300)
    category = forms.ChoiceField(label=_("类别"), choices=Proposal.Category.choices, initial=Proposal.Category.OTHER)
    body = forms.CharField(label=_("提案内容"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.visible_to(user).filter(
            submission_closes_on__gte=timezone.localdate()).select_related("committee")
        self.fields["body"].label = terms_for_user(user).content


class CosignerInviteForm(forms.Form):
    member = forms.ModelChoiceField(label=_("邀请联名的委员"), queryset=Member.objects.none())

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        member = draft.session.terms.member
        self.fields["member"].label = _("邀请联名的%(member)s") % {"member": member}
        self.fields["member"].error_messages["required"] = _("请选择要邀请联名的%(member)s。") % {"member": member}
        invited = draft.cosigners.values("member")
        # only members who can confirm: those with an active account
        self.fields["member"].queryset = Member.objects.of_committee(draft.session.committee).filter(
            accounts__is_active=True, accounts__role="member").exclude(pk=draft.lead_id).exclude(
            pk__in=invited).distinct()


class MemberFeedbackForm(RatingForm):
    """A proposer's own rating of one released reply."""

    def clean(self):
        data = super().clean()
        if data.get("rating") == Feedback.Rating.UNSATISFIED and not (data.get("comment") or "").strip():
            raise ValidationError(_("选择“不满意”时请写明理由，承办单位将据此重新办理。"))
        return data


class MemberAccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, required=False,
                               help_text=_("留空则自动生成（member+编号）。"))
    email = forms.EmailField(label=_("电子邮箱"), required=False)
