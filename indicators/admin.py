from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from proposals.admin import HistoryAdmin, ModelAdmin, TabularInline, WorkflowRecordAdmin
from proposals.formatting import plain_decimal

from .forms import PlainDecimalInput
from .models import Commitment, CommitmentReminder, CommitmentReport, Indicator

# Review and follow-up are workflow steps (the review page, the follow-up list): shown here, never set here.
REVIEW_FIELDS = ["reply", "review_status", "reviewed_by", "reviewed_at", "version"]


class VersionedRowAdmin:
    """A correction here raises the row's version too, so a reviewer's form loaded before it is refused."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Indicator)
class IndicatorAdmin(VersionedRowAdmin, WorkflowRecordAdmin, HistoryAdmin):
    scoped_through = ("", "indicators.Indicator")
    list_display = ["metric", "value_plain", "unit", "base_value_plain", "base_unit", "year", "qualifier", "is_target",
                    "review_status", "reply"]
    list_filter = ["review_status", "is_target", "unit", "year"]
    search_fields = ["metric", "sentence", "=reply__assignment__proposal__number"]
    list_select_related = ["reply"]
    readonly_fields = REVIEW_FIELDS
    formfield_overrides = {models.DecimalField: {"widget": PlainDecimalInput}}

    @admin.display(description=_("数值"), ordering="value")
    def value_plain(self, obj):
        return plain_decimal(obj.value)

    @admin.display(description=_("基本单位数值"), ordering="base_value")
    def base_value_plain(self, obj):
        return plain_decimal(obj.base_value) or "-"


class CommitmentReportInline(TabularInline):
    model = CommitmentReport
    extra = 0
    fields = ["at", "by", "status", "note", "file", "evidence_reply"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(VersionedRowAdmin, WorkflowRecordAdmin, HistoryAdmin):
    scoped_through = ("", "indicators.Commitment")
    list_display = ["__str__", "deadline", "review_status", "follow_up_status", "follow_up_on", "reply"]
    list_filter = ["review_status", "follow_up_status"]
    search_fields = ["text", "=reply__assignment__proposal__number"]
    list_select_related = ["reply"]
    # The review and the follow-up (reports, staff's confirmation) own these: they change only through them.
    readonly_fields = [*REVIEW_FIELDS, "follow_up_status", "follow_up_on", "evidence", "evidence_replies"]
    inlines = [CommitmentReportInline]


@admin.register(CommitmentReport)
class CommitmentReportAdmin(ModelAdmin):
    scoped_through = ("", "indicators.CommitmentReport")
    """The follow-up history: written by the reports and confirmations, read here."""

    list_display = ["commitment", "status", "by", "at"]
    list_filter = ["status"]
    search_fields = ["note", "commitment__text", "=commitment__reply__assignment__proposal__number"]
    list_select_related = ["commitment", "by"]
    readonly_fields = ["commitment", "status", "note", "file", "original_name", "evidence_reply", "by", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CommitmentReminder)
class CommitmentReminderAdmin(ModelAdmin):
    scoped_through = ("commitment", "indicators.Commitment")
    list_display = ["commitment", "tier", "follow_up_on", "recipients", "sent_at"]
    list_filter = ["tier"]
    search_fields = ["=commitment__reply__assignment__proposal__number"]
    list_select_related = ["commitment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
