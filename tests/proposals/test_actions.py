from datetime import date

import pytest
from django.urls import reverse

from proposals.models import Assignment, Proposal
from tests.factories import AssignmentFactory, DepartmentFactory, ProposalFactory, ReleasedReplyFactory

pytestmark = pytest.mark.django_db


def act(client, proposal, action, data=None):
    return client.post(reverse("proposals:action", args=[proposal.pk, action]), data or {})


def test_staff_assign_then_reassign_after_a_return(client, staff_user):
    proposal = ProposalFactory(session__plenary_months=3)
    first, second = DepartmentFactory(), DepartmentFactory()
    client.force_login(staff_user)
    act(client, proposal, "assign", {"department": first.pk, "role": "lead", "assigned_on": "2022-11-30"})
    assignment = Assignment.objects.get(proposal=proposal)
    assert assignment.due_on == date(2023, 2, 28)
    act(client, proposal, "return", {"assignment": assignment.pk, "reason": "不属于本单位职责", "confirmed": "1"})
    act(client, proposal, "assign", {"department": second.pk, "role": "lead", "assigned_on": "2022-12-05"})
    assert list(proposal.assignments.order_by("id").values_list("department", "status")) == [
        (first.pk, "returned"), (second.pk, "assigned")]


def test_unsatisfied_feedback_through_the_page_reopens_the_assignment(client, staff_user):
    reply = ReleasedReplyFactory(assignment__proposal__status=Proposal.Status.REPLIED)
    proposal = reply.assignment.proposal
    client.force_login(staff_user)
    response = act(client, proposal, "feedback", {"reply": reply.pk, "member": proposal.proposers.get().pk,
                                                  "rating": "unsatisfied", "handling_rating": "basically",
                                                  "outcome_rating": "unsatisfied", "comment": "未答复核心问题"})
    assert response.status_code == 302
    assert Assignment.objects.get(pk=reply.assignment_id).status == Assignment.Status.REOPENED
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "未答复核心问题" in page and "重新办理" in page


def test_a_wrong_action_is_refused_with_a_message_and_changes_nothing(client, staff_user):
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED)
    client.force_login(staff_user)
    response = act(client, proposal, "close", {"confirmed": "1"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("不能办结" in m for m in messages)


def test_only_staff_may_act_and_only_on_visible_proposals(client, supervisor_user, department_user):
    assignment = AssignmentFactory(department=department_user.department)
    for user in (supervisor_user, department_user):
        client.force_login(user)
        assert act(client, assignment.proposal, "close").status_code == 403
