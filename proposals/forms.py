from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from replies.models import Feedback, Reply

from .models import Assignment, Department, Member, Proposal


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Department.objects.all())
    role = forms.ChoiceField(label=_("办理方式"), choices=Assignment.Role.choices)
    assigned_on = forms.DateField(label=_("交办日期"), initial=timezone.localdate,
                                  widget=forms.DateInput(attrs={"type": "date"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DueDateForm(ReasonForm):
    due_on = forms.DateField(label=_("办理期限"), widget=forms.DateInput(attrs={"type": "date"}))


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("并入提案"), queryset=Proposal.objects.none())

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Proposal.objects.filter(session=proposal.session).exclude(pk=proposal.pk)


class FeedbackForm(forms.Form):
    reply = forms.ModelChoiceField(label=_("答复"), queryset=Reply.objects.none())
    member = forms.ModelChoiceField(label=_("提案人"), queryset=Member.objects.none())
    rating = forms.ChoiceField(label=_("总体评价"), choices=Feedback.Rating.choices)
    handling_rating = forms.ChoiceField(label=_("办理工作"), choices=[("", "—"), *Feedback.Rating.choices],
                                        required=False)
    outcome_rating = forms.ChoiceField(label=_("办理结果"), choices=[("", "—"), *Feedback.Rating.choices],
                                       required=False)
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = Reply.objects.released().filter(assignment__proposal=proposal)
        self.fields["member"].queryset = proposal.proposers.all()
