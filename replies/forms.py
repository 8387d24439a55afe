from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.filters import PlainSelect
from proposals.forms import IsoDateInput, ProposalDatesMixin
from proposals.models import Department, Proposal

from .models import Reply


class ReplyUploadForm(ProposalDatesMixin, forms.Form):
    proposal_date_fields = ("reply_date",)

    file = forms.FileField(label=_("答复文件（PDF、DOCX 或 OFD）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.ofd"}))
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False,
                                 help_text=_("留空则从文件中识别"))
    reply_date = forms.DateField(label=_("答复日期"), required=False, widget=IsoDateInput)
    category = forms.ChoiceField(label=_("答复类别"), choices=[("", "—")] + Reply.Category.choices, required=False)


class ReplyAttachForm(forms.Form):
    """Which assignment an imported reply belongs to: session and proposal number, and the department when the
    proposal has several."""

    session = forms.ModelChoiceField(label=_("届次会议"), queryset=None)
    number = forms.IntegerField(label=_("提案号"), min_value=1)
    department = forms.CharField(label=_("承办单位"), max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        from proposals.models import Session
        from proposals.vocabulary import terms_for_user

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["session"].queryset = Session.objects.workable_by(user).select_related("committee")
        self.fields["number"].label = terms_for_user(user).number

    def clean(self):
        from django.db.models import Q

        from proposals.models import Department
        from proposals.selectors import assignment_find

        data = super().clean()
        if self.errors:
            return data
        session, number, name = data["session"], data["number"], data.get("department", "").strip()
        department = None
        if name:
            department = Department.objects.filter(Q(name=name) | Q(short_name=name)).first()
            if department is None:
                raise forms.ValidationError(_("没有名为“%(name)s”的承办单位。") % {"name": name})
        found = assignment_find(user=self.user, session=session, number=number, department=department)
        if not found:
            raise forms.ValidationError(
                _("%(session)s第%(number)d号%(proposal)s没有%(department)s的有效交办。")
                % {"session": session.name, "number": number, "department": department or _("任何单位"),
                   "proposal": session.terms.noun})
        if len(found) > 1:
            raise forms.ValidationError(_("该%(proposal)s有多个承办单位，请填写承办单位：%(names)s。")
                                        % {"names": "、".join(str(a.department) for a in found),
                                           "proposal": session.terms.noun})
        data["assignment"] = found[0]
        return data


class PublicReplyFilterForm(forms.Form):
    """The public list's filters: committee, session, department, proposal category and words to search for."""

    committee = forms.ModelChoiceField(label=_("委员会"), queryset=None, required=False, empty_label=_("全部委员会"))
    session = forms.ModelChoiceField(label=_("届次会议"), queryset=None, required=False, empty_label=_("全部届次"))
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=None, required=False,
                                        empty_label=_("全部承办单位"))
    category = forms.ChoiceField(label=_("类别"), required=False)
    q = forms.CharField(label=_("搜索"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        from proposals.models import Committee, Department, Proposal, Session

        super().__init__(*args, **kwargs)
        published = Reply.objects.published()
        self.fields["committee"].queryset = Committee.objects.order_by("name")  # every committee on the platform
        self.fields["session"].queryset = Session.objects.filter(
            proposals__assignments__replies__in=published).distinct().order_by("-year", "name")
        self.fields["department"].queryset = Department.objects.filter(
            assignments__replies__in=published).distinct().order_by("name")
        self.fields["category"].choices = [("", _("全部类别")), *Proposal.Category.choices]
class ReplySearchForm(forms.Form):
    """The search inside replies and commitments: what to find and where."""

    q = forms.CharField(label=_("查找"), max_length=200, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("答复或承诺中的词语，如 黑土地保护")}))
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Department.objects.only("name"), required=False,
                                        widget=PlainSelect)
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100, required=False)
    category = forms.ChoiceField(label=_("类别"), choices=[("", "—")] + Proposal.Category.choices, required=False,
                                 widget=PlainSelect)
    commitments = forms.BooleanField(label=_("只看承诺"), required=False)
    page = forms.IntegerField(min_value=1, max_value=500, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user).only("name")
