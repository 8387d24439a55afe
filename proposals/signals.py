"""The dashboard's cached figures are dropped by every write to what they count. Signals, not service calls, so
that no write path (services, the admin, the review pages) can leave a stale figure behind; bulk writes that send
no signal call dashboard_invalidate() themselves (deadlines_recompute, generate_demo)."""

from django.db.models.signals import post_delete, post_save

# what department_dashboard reads: assignments and the rows it joins to them, and the labels it groups by
COUNTED = ("proposals.Assignment", "proposals.CoOpinion", "proposals.Proposal", "proposals.Session",
           "proposals.Department", "replies.Reply", "replies.Feedback", "indicators.Commitment")


def _invalidate(**kwargs) -> None:
    from .selectors import dashboard_invalidate

    dashboard_invalidate()


def connect() -> None:
    for model in COUNTED:
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"dashboard-save-{model}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"dashboard-delete-{model}")
