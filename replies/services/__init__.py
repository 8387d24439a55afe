"""Every write to replies and feedback goes through one of these functions, grouped by concern in the modules
of this package."""

from .feedback import feedback_record
from .handling import (
    reply_category_change,
    reply_category_check,
    reply_category_needs_reason,
    reply_pending_rows,
    reply_release,
    reply_release_check,
    reply_rows_settle,
    reply_signoff,
    reply_signoffs_missing,
    reply_submit,
    reply_submit_check,
    reply_withdraw,
    reply_withdraw_check,
)
from .limits import reply_department_retries, reply_retry_check, upload_rate_check
from .matching import (
    reply_attach,
    reply_detach,
    reply_match,
    reply_mismatch_confirm,
    reply_mismatch_states,
    reply_mismatches,
    reply_mismatches_unresolved,
)
from .parsing import reply_parse, reply_parse_timed_out, reply_reparse, reply_requeue_stalled
from .publication import (
    redaction_add,
    redaction_review,
    redactions_counts,
    redactions_propose,
    redactions_review_all,
    redactions_were_proposed,
    reply_mark_not_public,
    reply_publish,
    reply_publish_check,
)
from .uploads import parse_limits, reply_create, reply_file_check, reply_import, reply_upload

__all__ = [
    "feedback_record", "parse_limits", "reply_attach", "reply_category_change", "reply_category_check",
    "reply_category_needs_reason", "reply_create", "reply_detach", "reply_file_check", "reply_import",
    "reply_mismatch_confirm", "reply_mismatch_states", "reply_mismatches", "reply_mismatches_unresolved",
    "reply_match", "reply_parse",
    "reply_parse_timed_out", "reply_pending_rows", "reply_release", "reply_release_check", "reply_reparse",
    "reply_requeue_stalled", "reply_rows_settle", "reply_signoff", "reply_signoffs_missing", "reply_submit",
    "reply_submit_check", "reply_upload", "reply_withdraw", "reply_withdraw_check",
    "redaction_add", "redaction_review", "redactions_counts", "redactions_propose", "redactions_review_all",
    "redactions_were_proposed", "reply_mark_not_public", "reply_publish", "reply_publish_check",
    "reply_department_retries", "reply_retry_check", "upload_rate_check",
]
