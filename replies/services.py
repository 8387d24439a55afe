"""Every write to replies and feedback goes through one of these functions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import Assignment, AssignmentEvent, Member, Proposal, User
from proposals.services import assignment_reopen

from .models import Feedback, Reply

REPLYABLE_STATUSES = (Assignment.Status.ASSIGNED, Assignment.Status.SIGNED, Assignment.Status.REOPENED)


@transaction.atomic
def reply_create(*, assignment: Assignment, uploaded_by: User | None, file=None, original_name: str = "",
                 doc_number: str = "", reply_date=None, category: str = "", is_public: bool = True) -> Reply:
    """Record a reply as the assignment's next version; the assignment and a lead's proposal become replied."""
    assignment = Assignment.objects.select_for_update().select_related("proposal").get(pk=assignment.pk)
    if assignment.status not in REPLYABLE_STATUSES:
        raise ValidationError(_("该交办当前为“%(status)s”，不能提交答复。") % {"status": assignment.get_status_display()})
    version = (assignment.replies.aggregate(v=Max("version"))["v"] or 0) + 1
    reply = Reply(assignment=assignment, version=version, uploaded_by=uploaded_by, original_name=original_name,
                  doc_number=doc_number, reply_date=reply_date, category=category, is_public=is_public)
    if file is not None:
        reply.file = file
    reply.full_clean(exclude=["file"])
    reply.save()
    assignment.status = Assignment.Status.REPLIED
    assignment.save(update_fields=["status"])
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.REPLIED, by=uploaded_by,
                                   note=_("第%(version)d版") % {"version": version})
    proposal = assignment.proposal
    if assignment.role == Assignment.Role.LEAD and proposal.status == Proposal.Status.ASSIGNED:
        proposal.status = Proposal.Status.REPLIED
        proposal.save(update_fields=["status", "updated_at"])
    return reply


@transaction.atomic
def reply_release(*, reply: Reply, by: User) -> Reply:
    """督办审核: the office has checked the reply and releases it to the member."""
    if reply.released_at is not None:
        raise ValidationError(_("该答复已审核发布。"))
    reply.released_at = timezone.now()
    reply.released_by = by
    reply.save(update_fields=["released_at", "released_by"])
    return reply


@transaction.atomic
def feedback_record(*, reply: Reply, member: Member, rating: str, by: User | None = None,
                    handling_rating: str = "", outcome_rating: str = "", comment: str = "") -> Feedback:
    """Record a proposer's rating; 不满意 reopens the assignment for re-handling with a new due date."""
    reply = Reply.objects.select_related("assignment__proposal").get(pk=reply.pk)
    proposal = reply.assignment.proposal
    if not proposal.proposer_links.filter(member=member).exists():
        raise ValidationError(_("%(member)s 不是该提案的提案人。") % {"member": member})
    if reply.released_at is None:
        raise ValidationError(_("答复尚未审核发布，不能征询意见。"))
    feedback = Feedback(reply=reply, member=member, rating=rating, handling_rating=handling_rating,
                        outcome_rating=outcome_rating, comment=comment, recorded_by=by)
    feedback.full_clean()
    feedback.save()
    if rating == Feedback.Rating.UNSATISFIED:
        assignment = Assignment.objects.select_for_update().get(pk=reply.assignment_id)
        if assignment.status == Assignment.Status.REPLIED:
            assignment_reopen(assignment=assignment, by=by, note=comment)
    elif proposal.status == Proposal.Status.REPLIED:
        proposal.status = Proposal.Status.EVALUATED
        proposal.save(update_fields=["status", "updated_at"])
    return feedback
