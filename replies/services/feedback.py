"""The proposer's rating of a released reply."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from proposals.models import Assignment, Member, Proposal, User
from proposals.services import assignment_reopen

from ..models import Feedback, Reply


@transaction.atomic
def feedback_record(*, reply: Reply, member: Member, rating: str, by: User | None = None,
                    handling_rating: str = "", outcome_rating: str = "", comment: str = "") -> Feedback:
    """Record a proposer's rating; 不满意 reopens the assignment for re-handling with a new due date."""
    reply = Reply.objects.select_related("assignment__proposal").get(pk=reply.pk)
    proposal = reply.assignment.proposal
    if not proposal.proposer_links.filter(member=member).exists():
        raise ValidationError(_("%(member)s 不是该%(proposal)s的%(proposers)s。")
                              % {"member": member, "proposal": proposal.terms.noun,
                                 "proposers": proposal.terms.proposers})
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
