"""Page reads for replies: each starts from visible_to(user)."""

from django.db.models import Prefetch, QuerySet

from indicators.models import Commitment, Indicator

from .models import Reply


def reply_list(*, user) -> QuerySet[Reply]:
    """Replies the user may see, with their assignment, proposal and department."""
    return Reply.objects.visible_to(user).select_related(
        "assignment__proposal__session", "assignment__department", "uploaded_by")


def reply_get(*, user, pk: int) -> Reply:
    """One reply the user may see with its extracted rows in span order, or Reply.DoesNotExist."""
    return reply_list(user=user).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("start")),
        Prefetch("commitments", queryset=Commitment.objects.order_by("start")),
    ).get(pk=pk)


def reply_history(reply: Reply, *, limit: int = 100) -> list:
    """Recorded changes to a reply and to its extracted rows (their review and edits, not their extraction),
    newest first, with who made them and what changed."""
    from proposals.history import history_entries

    entries = [*history_entries([reply.history.all()], limit=limit),
               *history_entries([Indicator.history.filter(reply_id=reply.pk),
                                 Commitment.history.filter(reply_id=reply.pk)], limit=limit, show_created=False)]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]
