"""A reply's recorded steps, and submission, which several writes share (an upload entered by staff, a draft
submitted, an imported reply attached): each remembers what it changed so that detaching the reply can undo it."""

from __future__ import annotations

from django.utils import timezone

from proposals.models import Assignment, Proposal, User

from ..models import Reply, ReplyEvent
from .common import REPLYABLE_STATUSES, assignment_mark_replied


def reply_event_add(reply: Reply, kind: str, *, by: User | None, note: str = "", data: dict | None = None) -> ReplyEvent:
    event = ReplyEvent(reply=reply, kind=kind, by=by, note=note, data=data or {})
    event.full_clean()
    event.save()
    return event


def reply_mark_submitted(reply: Reply, assignment: Assignment, *, by: User | None) -> None:
    """Submit the reply; the assignment (and proposal) become 已答复 as before, and their earlier status is kept
    on the event."""
    before = {"assignment_status": assignment.status, "proposal_status": assignment.proposal.status,
              "marked_replied": assignment.status in REPLYABLE_STATUSES}
    reply.submitted_at = timezone.now()
    reply.save(update_fields=["submitted_at"])
    if before["marked_replied"]:
        assignment_mark_replied(assignment, by=by, version=reply.version)
    reply_event_add(reply, ReplyEvent.Kind.SUBMITTED, by=by, data=before)


def reply_unmark_submitted(reply: Reply, assignment: Assignment) -> None:
    """Undo what this reply's submission did to its assignment and proposal, unless another submitted reply
    still answers the assignment."""
    event = reply.events.filter(kind=ReplyEvent.Kind.SUBMITTED).order_by("-at", "-pk").first()
    if event is None or not event.data.get("marked_replied"):
        return
    others = assignment.replies.current().exclude(pk=reply.pk).filter(submitted_at__isnull=False)
    if others.exists() or assignment.status != Assignment.Status.REPLIED:
        return
    assignment.status = event.data["assignment_status"]
    assignment.first_replied_on = None  # no submitted reply answers it any more
    assignment.save(update_fields=["status", "first_replied_on"])
    proposal = Proposal.objects.select_for_update().get(pk=assignment.proposal_id)
    if proposal.status == Proposal.Status.REPLIED and event.data.get("proposal_status") != proposal.status:
        proposal.status = event.data["proposal_status"]
        proposal.save(update_fields=["status", "updated_at"])
