"""Page reads for replies: each starts from visible_to(user)."""

from django.db.models import Prefetch, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from indicators.models import Commitment, Indicator

from .models import Reply


def reply_list(*, user, workable: bool = False) -> QuerySet[Reply]:
    """Replies the user may see (or, `workable`, act on), with their assignment, proposal and department."""
    replies = Reply.objects.workable_by(user) if workable else Reply.objects.visible_to(user)
    return replies.select_related(
        "assignment__proposal__session", "assignment__department", "uploaded_by")


def reply_get(*, user, pk: int, workable: bool = False) -> Reply:
    """One reply the user may see (or, `workable`, act on) with its extracted rows in span order, or
    Reply.DoesNotExist."""
    return reply_list(user=user, workable=workable).prefetch_related(
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


def redaction_marked_text(text: str, redactions) -> SafeString:
    """The reply's text as HTML with each redaction's span marked by its review status; overlapping spans after the
    first are left unmarked rather than producing broken HTML."""
    html, position = [], 0
    for redaction in sorted(redactions, key=lambda r: r.start):
        if not (position <= redaction.start < redaction.end <= len(text)):
            continue
        html += [escape(text[position:redaction.start]),
                 f'<mark class="rd {redaction.status}" id="rd-{redaction.pk}">',
                 escape(text[redaction.start:redaction.end]), "</mark>"]
        position = redaction.end
    html.append(escape(text[position:]))
    return mark_safe("".join(html))  # noqa: S308 - every piece of text is escaped above


def public_reply_list(*, filters: dict | None = None) -> QuerySet[Reply]:
    """Replies on the public pages: only 公开 ones, newest first, filtered by committee, session, department and proposal
    category, and searched (icontains) in the proposal title and the redacted public text, never the original."""
    from django.db.models import Q

    replies = Reply.objects.published().select_related("assignment__proposal__session__committee").prefetch_related(
        _handling_departments())
    filters = filters or {}
    if filters.get("committee"):
        replies = replies.filter(assignment__proposal__session__committee=filters["committee"])
    if filters.get("session"):
        replies = replies.filter(assignment__proposal__session=filters["session"])
    if filters.get("department"):
        replies = replies.filter(assignment__department=filters["department"])
    if filters.get("category"):
        replies = replies.filter(assignment__proposal__category=filters["category"])
    if filters.get("q"):
        words = filters["q"].split()
        for word in words[:10]:
            replies = replies.filter(Q(assignment__proposal__title__icontains=word) | Q(public_text__icontains=word))
    return replies.order_by("-public_decided_at", "-pk")


def public_reply_get(*, pk: int) -> Reply:
    """One 公开 reply, or Reply.DoesNotExist."""
    return Reply.objects.published().select_related("assignment__proposal__session__committee").prefetch_related(
        _handling_departments()).get(pk=pk)


def _handling_departments() -> Prefetch:
    """The departments handling the reply's proposal (lead first), as `assignment.proposal.handling`."""
    from proposals.models import Assignment

    return Prefetch("assignment__proposal__assignments", to_attr="handling",
                    queryset=Assignment.objects.exclude(status=Assignment.Status.RETURNED)
                    .select_related("department").order_by("pk"))
