"""分办: each separate department answers its own part; the proposal is answered when every part is."""

import pytest

from proposals.models import Assignment, Proposal
from proposals.services import proposal_close
from replies.services import reply_create, reply_release
from tests.factories import AssignmentFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def split(*roles):
    proposal = ProposalFactory(status=Proposal.Status.ASSIGNED)
    return proposal, [AssignmentFactory(proposal=proposal, role=role) for role in roles]


def status(proposal):
    proposal.refresh_from_db()
    return proposal.status


def test_a_separate_only_proposal_is_replied_when_every_department_has_answered():
    proposal, (first, second) = split("separate", "separate")
    reply_create(assignment=first, uploaded_by=None)
    assert status(proposal) == Proposal.Status.ASSIGNED
    reply_create(assignment=second, uploaded_by=None)
    assert status(proposal) == Proposal.Status.REPLIED
    proposal_close(proposal=proposal)
    assert status(proposal) == Proposal.Status.CLOSED
    assert set(proposal.assignments.values_list("status", flat=True)) == {Assignment.Status.CLOSED}


def test_with_a_lead_and_a_separate_department_both_parts_must_be_answered():
    proposal, (lead, separate) = split("lead", "separate")
    reply_create(assignment=lead, uploaded_by=None)
    assert status(proposal) == Proposal.Status.ASSIGNED
    reply_create(assignment=separate, uploaded_by=None)
    assert status(proposal) == Proposal.Status.REPLIED


def test_a_returned_separate_assignment_does_not_hold_the_proposal_back():
    proposal, (kept, returned) = split("separate", "separate")
    Assignment.objects.filter(pk=returned.pk).update(status="returned", return_reason="不属本单位")
    reply_create(assignment=kept, uploaded_by=None)
    assert status(proposal) == Proposal.Status.REPLIED


def test_a_co_opinion_alone_does_not_answer_the_proposal(department_user):
    from proposals.services import co_opinion_send

    proposal, (lead, co) = split("lead", "co")
    co_opinion_send(assignment=co, text="同意主办单位意见", by=UserFactory())
    assert status(proposal) == Proposal.Status.ASSIGNED


def test_unresolved_until_every_separate_part_has_a_released_reply(staff_user):
    proposal, (first, second) = split("separate", "separate")
    replies = [reply_create(assignment=a, uploaded_by=None) for a in (first, second)]
    reply_release(reply=replies[0], by=staff_user)
    assert Proposal.objects.unresolved().filter(pk=proposal.pk).exists()
    reply_release(reply=replies[1], by=staff_user)
    assert not Proposal.objects.unresolved().filter(pk=proposal.pk).exists()
