from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.forms import IsoDateInput

from .models import Commitment, Indicator


class IndicatorEditForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["metric", "value", "unit", "year", "qualifier", "is_target"]
        widgets = {"metric": forms.TextInput(attrs={"size": 16}), "value": forms.NumberInput(attrs={"step": "any"})}


class CommitmentEditForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "deadline"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "deadline": IsoDateInput}
        labels = {"deadline": _("完成时限")}
