from django.contrib import admin

from .models import Feedback, Reply


class FeedbackInline(admin.TabularInline):
    model = Feedback
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "assignment", "version", "doc_number", "reply_date", "category", "parse_status",
                    "pages", "ocr", "uploaded_at", "released_at"]
    list_filter = ["parse_status", "category", "ocr", "is_public", "assignment__department"]
    search_fields = ["doc_number", "=assignment__proposal__number", "assignment__proposal__title",
                     "original_name"]
    list_select_related = ["assignment__proposal", "assignment__department"]
    readonly_fields = ["sha256", "parse_status", "parse_error", "pages", "pages_done", "ocr", "parsed_at",
                       "parsed_header", "mismatches", "uploaded_at"]
    inlines = [FeedbackInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["reply", "member", "rating", "handling_rating", "outcome_rating", "recorded_at"]
    list_filter = ["rating"]
    search_fields = ["member__name", "=reply__assignment__proposal__number"]
    list_select_related = ["reply__assignment__proposal", "member"]
