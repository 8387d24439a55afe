from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.forms import IsoDateInput, ProposalDatesMixin

from .models import Reply


class ReplyUploadForm(ProposalDatesMixin, forms.Form):
    proposal_date_fields = ("reply_date",)

    file = forms.FileField(label=_("答复文件（PDF）"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False,
                                 help_text=_("留空则从文件中识别"))
    reply_date = forms.DateField(label=_("答复日期"), required=False, widget=IsoDateInput)
    category = forms.ChoiceField(label=_("答复类别"), choices=[("", "—")] + Reply.Category.choices, required=False)
    is_public = forms.BooleanField(label=_("公开"), required=False, initial=True)
