from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from proposals.admin import WorkflowRecordAdmin

from .models import Commitment, Indicator

# Review and follow-up are workflow steps (the review page, the follow-up list): shown here, never set here.
REVIEW_FIELDS = ["reply", "review_status", "reviewed_by", "reviewed_at"]


@admin.register(Indicator)
class IndicatorAdmin(WorkflowRecordAdmin, SimpleHistoryAdmin):
    list_display = ["metric", "value", "unit", "base_value", "base_unit", "year", "qualifier", "is_target",
                    "review_status", "reply"]
    list_filter = ["review_status", "is_target", "unit", "year"]
    search_fields = ["metric", "sentence", "=reply__assignment__proposal__number"]
    list_select_related = ["reply"]
    readonly_fields = REVIEW_FIELDS


@admin.register(Commitment)
class CommitmentAdmin(WorkflowRecordAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "deadline", "review_status", "follow_up_status", "follow_up_on", "reply"]
    list_filter = ["review_status", "follow_up_status"]
    search_fields = ["text", "=reply__assignment__proposal__number"]
    list_select_related = ["reply"]
    readonly_fields = [*REVIEW_FIELDS, "follow_up_status", "follow_up_on", "evidence", "evidence_replies"]
