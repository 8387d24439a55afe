from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Feedback, Reply, ReplyCategoryChange, ReplyEvent, ReplySignoff


class FeedbackInline(admin.TabularInline):
    model = Feedback
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Reply)
class ReplyAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "assignment", "version", "doc_number", "reply_date", "category", "parse_status",
                    "pages", "ocr", "uploaded_at", "released_at"]
    list_filter = ["parse_status", "category", "ocr", "is_public", "assignment__department"]
    search_fields = ["doc_number", "=assignment__proposal__number", "assignment__proposal__title",
                     "original_name"]
    list_select_related = ["assignment__proposal", "assignment__department"]
    # every state a workflow step owns (attach/detach, submit, category with its reason, release, withdraw) is
    # changed in the app, where its service keeps the history, never here
    readonly_fields = ["assignment", "version", "category", "match_status", "match_note", "sha256", "parse_status",
                       "parse_error", "pages", "pages_done", "ocr", "parsed_at", "parsed_header", "mismatches",
                       "uploaded_at", "submitted_at", "released_at", "released_by", "withdrawn_at", "withdrawn_by",
                       "withdraw_reason"]
    inlines = [FeedbackInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["reply", "member", "rating", "handling_rating", "outcome_rating", "recorded_at"]
    list_filter = ["rating"]
    search_fields = ["member__name", "=reply__assignment__proposal__number"]
    list_select_related = ["reply__assignment__proposal", "member"]


@admin.register(ReplyCategoryChange)
class ReplyCategoryChangeAdmin(admin.ModelAdmin):
    list_display = ["reply", "old_category", "new_category", "reason", "by", "at"]
    list_filter = ["new_category"]
    list_select_related = ["reply", "by"]


@admin.register(ReplySignoff)
class ReplySignoffAdmin(admin.ModelAdmin):
    list_display = ["reply", "assignment", "waived", "by", "at"]
    list_filter = ["waived"]
    list_select_related = ["reply", "assignment__department", "by"]


@admin.register(ReplyEvent)
class ReplyEventAdmin(admin.ModelAdmin):
    """Read-only: events are written by the workflow's services."""

    list_display = ["reply", "kind", "note", "by", "at"]
    list_filter = ["kind"]
    search_fields = ["note", "=reply__assignment__proposal__number"]
    list_select_related = ["reply", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
