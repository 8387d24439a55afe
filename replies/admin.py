from django.contrib import admin

from proposals.admin import HistoryAdmin, ModelAdmin, TabularInline, WorkflowRecordAdmin

from .models import Feedback, Redaction, Reply, ReplyCategoryChange, ReplyEvent, ReplySignoff

# What the reply's workflow owns (upload, parse, match, submit, release, category check, feedback): shown, never set
# here, so no reply is released, submitted or rated without the service that checks it.
REPLY_WORKFLOW_FIELDS = [
    "assignment", "version", "file", "original_name", "sha256", "category", "uploaded_by", "uploaded_at",
    "parse_status", "parse_error", "parse_status_at", "pages", "pages_done", "ocr", "parsed_header", "mismatches",
    "parsed_at", "match_status", "match_note", "submitted_at", "released_at", "released_by", "withdrawn_at",
    "withdrawn_by", "withdraw_reason", "is_public", "public_decided_at", "public_decided_by", "not_public_reason",
    "public_text", "public_file", "public_pdf_note",
]
FEEDBACK_WORKFLOW_FIELDS = ["reply", "member", "rating", "handling_rating", "outcome_rating", "comment",
                            "recorded_by", "recorded_at"]


class FeedbackInline(TabularInline):
    model = Feedback
    extra = 0
    fields = FEEDBACK_WORKFLOW_FIELDS
    readonly_fields = FEEDBACK_WORKFLOW_FIELDS

    def has_add_permission(self, request, obj=None):
        return False  # feedback is recorded on the proposal page, where 不满意 reopens the assignment


@admin.register(Reply)
class ReplyAdmin(WorkflowRecordAdmin, HistoryAdmin):
    scoped_through = ("", "replies.Reply")
    list_display = ["__str__", "assignment", "version", "doc_number", "reply_date", "category", "parse_status",
                    "pages", "ocr", "uploaded_at", "released_at"]
    list_filter = ["parse_status", "category", "ocr", "is_public",
                   ("assignment__department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["doc_number", "=assignment__proposal__number", "assignment__proposal__title",
                     "original_name"]
    list_select_related = ["assignment__proposal", "assignment__department"]
    # every state a workflow step owns (attach/detach, submit, category with its reason, release, withdraw) is
    # changed in the app, where its service keeps the history, never here
    readonly_fields = REPLY_WORKFLOW_FIELDS
    inlines = [FeedbackInline]


@admin.register(Feedback)
class FeedbackAdmin(WorkflowRecordAdmin, ModelAdmin):
    scoped_through = ("", "replies.Feedback")
    list_display = ["reply", "member", "rating", "handling_rating", "outcome_rating", "recorded_at"]
    list_filter = ["rating"]
    search_fields = ["member__name", "=reply__assignment__proposal__number"]
    list_select_related = ["reply__assignment__proposal", "member"]
    readonly_fields = FEEDBACK_WORKFLOW_FIELDS


@admin.register(ReplyCategoryChange)
class ReplyCategoryChangeAdmin(WorkflowRecordAdmin, ModelAdmin):
    scoped_through = ("reply", "replies.Reply")
    list_display = ["reply", "old_category", "new_category", "reason", "by", "at"]
    list_filter = ["new_category"]
    list_select_related = ["reply", "by"]
    readonly_fields = ["reply", "old_category", "new_category", "reason", "by", "at"]


@admin.register(ReplySignoff)
class ReplySignoffAdmin(WorkflowRecordAdmin, ModelAdmin):
    scoped_through = ("reply", "replies.Reply")
    list_display = ["reply", "assignment", "waived", "by", "at"]
    list_filter = ["waived"]
    list_select_related = ["reply", "assignment__department", "by"]
    readonly_fields = ["reply", "assignment", "waived", "note", "by", "at"]


@admin.register(ReplyEvent)
class ReplyEventAdmin(ModelAdmin):
    scoped_through = ("reply", "replies.Reply")
    """Read-only: events are written by the workflow's services."""

    list_display = ["reply", "kind", "note", "by", "at"]
    list_filter = ["kind"]
    search_fields = ["note", "=reply__assignment__proposal__number"]
    list_select_related = ["reply", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Redaction)
class RedactionAdmin(ModelAdmin):
    scoped_through = ("reply", "replies.Reply")
    """Read-only: redactions are proposed and reviewed on the reply's page, where publication checks them."""

    list_display = ["reply", "kind", "status", "text", "reviewed_by", "reviewed_at"]
    list_filter = ["kind", "status"]
    search_fields = ["=reply__assignment__proposal__number"]
    list_select_related = ["reply", "reviewed_by"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
