"""Assignment state that several reply writes share: which assignments may take a reply, and marking one replied."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from proposals.models import Assignment, AssignmentEvent, User
from proposals.services import assignment_note_answer, proposal_mark_replied

REPLYABLE_STATUSES = (Assignment.Status.ASSIGNED, Assignment.Status.SIGNED, Assignment.Status.REOPENED)


def assignment_mark_replied(assignment: Assignment, *, by: User | None, version: int) -> None:
    assignment.status = Assignment.Status.REPLIED
    assignment.save(update_fields=["status"])
    assignment_note_answer(assignment=assignment)
    AssignmentEvent.objects.create(assignment=assignment, kind=AssignmentEvent.Kind.REPLIED, by=by,
                                   note=_("第%(version)d版") % {"version": version})
    proposal_mark_replied(proposal=assignment.proposal)


def locked_replyable(assignment: Assignment) -> Assignment:
    assignment = Assignment.objects.select_for_update().select_related("proposal").get(pk=assignment.pk)
    if assignment.status not in REPLYABLE_STATUSES:
        raise ValidationError(_("该交办当前为“%(status)s”，不能提交答复。") % {"status": assignment.get_status_display()})
    return assignment


def next_version(assignment: Assignment) -> int:
    return (assignment.replies.aggregate(v=Max("version"))["v"] or 0) + 1


def co_handlers(assignment: Assignment):
    """The co-handling assignments whose sign-off a lead department's reply waits for."""
    return Assignment.objects.filter(proposal=assignment.proposal_id, role=Assignment.Role.CO).exclude(
        status=Assignment.Status.RETURNED)
