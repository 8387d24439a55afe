from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.formatting import plain_decimal
from proposals.forms import IsoDateInput

from .models import Commitment, Indicator


class PlainDecimalInput(forms.NumberInput):
    """A number input that shows a stored Decimal as plain_decimal does: 20, not 20.000000 or 2E+1."""

    def __init__(self, attrs=None):
        super().__init__({"step": "any", **(attrs or {})})

    def format_value(self, value):
        from decimal import Decimal

        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            return plain_decimal(value)
        return super().format_value(value)


class VersionedRowForm(forms.ModelForm):
    """Carries the version of the row the reviewer started from, so that a save over someone else's change since
    is refused (the service compares it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class IndicatorEditForm(VersionedRowForm):
    class Meta:
        model = Indicator
        fields = ["metric", "value", "unit", "year", "qualifier", "is_target"]
        widgets = {"metric": forms.TextInput(attrs={"size": 16}), "value": PlainDecimalInput()}


class CommitmentEditForm(VersionedRowForm):
    class Meta:
        model = Commitment
        fields = ["text", "deadline"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "deadline": IsoDateInput}
        labels = {"deadline": _("完成时限")}


class CommitmentReportForm(forms.Form):
    """A department's progress report on one of its commitments; the service checks the rest."""

    status = forms.ChoiceField(label=_("进展状态"), choices=[
        ("in_progress", _("推进中")), ("partly_kept", _("部分兑现")), ("reported", _("已兑现（报提案办确认）"))])
    note = forms.CharField(label=_("进展说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    file = forms.FileField(label=_("佐证材料（PDF 或图片）"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}))
    evidence_reply = forms.ModelChoiceField(label=_("兑现该承诺的答复"), queryset=None, required=False,
                                            empty_label=_("（无）"))

    def __init__(self, *args, replies, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [*self.fields["status"].choices[:2],
                                         ("reported", _("已兑现（报%(desk)s确认）") % {"desk": terms.desk})]
        self.fields["evidence_reply"].queryset = replies
        self.fields["evidence_reply"].label_from_instance = lambda reply: (
            f"{reply.doc_number or _('答复')} · {reply.assignment.proposal.session.name} "
            f"{reply.assignment.proposal.number} · {reply.uploaded_at:%Y-%m-%d}")
