from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .formatting import plain_decimal
from .forms import PlainDecimalInput
from .models import Commitment, Indicator


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["metric", "value_plain", "unit", "base_value_plain", "base_unit", "year", "qualifier", "is_target",
                    "review_status", "reply"]
    list_filter = ["review_status", "is_target", "unit", "year"]
    search_fields = ["metric", "sentence", "=reply__assignment__proposal__number"]
    list_select_related = ["reply"]
    formfield_overrides = {models.DecimalField: {"widget": PlainDecimalInput}}

    @admin.display(description=_("数值"), ordering="value")
    def value_plain(self, obj):
        return plain_decimal(obj.value)

    @admin.display(description=_("基本单位数值"), ordering="base_value")
    def base_value_plain(self, obj):
        return plain_decimal(obj.base_value) or "-"


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "deadline", "review_status", "follow_up_status", "follow_up_on", "reply"]
    list_filter = ["review_status", "follow_up_status"]
    search_fields = ["text", "=reply__assignment__proposal__number"]
    list_select_related = ["reply"]
