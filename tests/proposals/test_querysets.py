from datetime import date, timedelta

import pytest

from proposals import services
from proposals.models import Assignment, Proposal
from replies.services import feedback_record
from tests.factories import AssignmentFactory, ProposalFactory, ReleasedReplyFactory, ReplyFactory

pytestmark = pytest.mark.django_db

DUE = date(2022, 7, 1)


def test_a_proposal_due_today_is_not_yet_overdue():
    assignment = AssignmentFactory(due_on=DUE)
    assert not Proposal.objects.overdue(on=DUE).exists()
    assert list(Proposal.objects.overdue(on=DUE + timedelta(days=1))) == [assignment.proposal]


def test_a_replied_or_returned_assignment_is_never_overdue():
    AssignmentFactory(due_on=DUE, status=Assignment.Status.REPLIED)
    AssignmentFactory(due_on=DUE, status=Assignment.Status.RETURNED, return_reason="错分")
    assert not Proposal.objects.overdue(on=DUE + timedelta(days=30)).exists()
    assert not Assignment.objects.overdue(on=DUE + timedelta(days=30)).exists()


def test_a_closed_proposal_is_not_overdue_even_with_an_open_assignment():
    AssignmentFactory(due_on=DUE, proposal__status=Proposal.Status.CLOSED)
    assert not Proposal.objects.overdue(on=DUE + timedelta(days=1)).exists()


def test_due_within_includes_both_ends_of_the_window():
    today = date(2022, 6, 24)
    inside = [AssignmentFactory(due_on=today), AssignmentFactory(due_on=today + timedelta(days=7))]
    AssignmentFactory(due_on=today + timedelta(days=8))
    AssignmentFactory(due_on=today - timedelta(days=1))
    AssignmentFactory(due_on=today + timedelta(days=3), status=Assignment.Status.REPLIED)
    assert set(Assignment.objects.due_within(7, on=today)) == set(inside)


def test_unresolved_until_a_lead_reply_is_released():
    reply = ReplyFactory()
    proposal = reply.assignment.proposal
    assert proposal in Proposal.objects.unresolved()
    reply.released_at = reply.uploaded_at
    reply.save()
    assert proposal not in Proposal.objects.unresolved()


def test_a_co_handling_reply_alone_does_not_resolve_a_proposal():
    reply = ReleasedReplyFactory(assignment__role=Assignment.Role.CO)
    assert reply.assignment.proposal in Proposal.objects.unresolved()


def test_merged_and_not_registered_proposals_leave_the_unresolved_list():
    merged_target = ProposalFactory()
    merged = ProposalFactory(session=merged_target.session, status=Proposal.Status.SUBMITTED)
    refused = ProposalFactory(status=Proposal.Status.SUBMITTED)
    assert {merged, refused} <= set(Proposal.objects.unresolved())
    services.proposal_merge(proposal=merged, into=merged_target)
    services.proposal_refuse(proposal=refused, reason="不属于提案范围")
    unresolved = set(Proposal.objects.unresolved())
    assert merged not in unresolved and refused not in unresolved
    assert merged_target in unresolved


def test_unsatisfied_feedback_reopens_the_assignment_with_a_new_due_date():
    reply = ReleasedReplyFactory(assignment__proposal__status=Proposal.Status.REPLIED)
    assignment, proposal = reply.assignment, reply.assignment.proposal
    member = proposal.proposer_links.get().member
    assert proposal not in Proposal.objects.unresolved()

    feedback_record(reply=reply, member=member, rating="unsatisfied", comment="补贴标准未答复")

    assignment.refresh_from_db()
    proposal.refresh_from_db()
    assert assignment.status == Assignment.Status.REOPENED
    assert assignment.reopened_on is not None
    assert assignment.due_on > assignment.reopened_on
    assert proposal.status == Proposal.Status.ASSIGNED
    assert proposal in Proposal.objects.unresolved()
    assert assignment.events.filter(kind="reopened", note="补贴标准未答复").exists()


def test_satisfied_feedback_marks_the_proposal_evaluated():
    reply = ReleasedReplyFactory(assignment__proposal__status=Proposal.Status.REPLIED)
    proposal = reply.assignment.proposal
    feedback_record(reply=reply, member=proposal.proposer_links.get().member, rating="satisfied")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EVALUATED
    assert reply.assignment.status == Assignment.Status.REPLIED
