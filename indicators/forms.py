from django import forms
from django.utils.translation import gettext_lazy as _

from .formatting import plain_decimal
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


class IndicatorEditForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["metric", "value", "unit", "year", "qualifier", "is_target"]
        widgets = {"metric": forms.TextInput(attrs={"size": 16}), "value": PlainDecimalInput()}


class CommitmentEditForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "deadline"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "deadline": forms.DateInput(attrs={"type": "date"})}
        labels = {"deadline": _("完成时限")}
