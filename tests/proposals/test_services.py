from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from proposals import services
from proposals.models import Assignment, Proposal, User
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    MemberFactory,
    ProposalFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def test_proposal_number_is_unique_within_its_session():
    session = SessionFactory()
    member = MemberFactory()
    services.proposal_create(session=session, number=135, title="甲", submitted_on=date(2022, 1, 16),
                             proposers=[member])
    with pytest.raises(ValidationError) as error:
        services.proposal_create(session=session, number=135, title="乙", submitted_on=date(2022, 1, 16),
                                 proposers=[member])
    assert "提案号" in " ".join(error.value.messages)
    assert Proposal.objects.filter(session=session).count() == 1


def test_the_same_number_is_allowed_in_another_session():
    member = MemberFactory()
    for session in (SessionFactory(), SessionFactory()):
        services.proposal_create(session=session, number=135, title="甲", submitted_on=date(2022, 1, 16),
                                 proposers=[member])
    assert Proposal.objects.filter(number=135).count() == 2


def test_the_database_refuses_a_duplicate_number_that_bypasses_the_service():
    proposal = ProposalFactory(number=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(session=proposal.session, number=7, title="重复", submitted_on=date(2022, 1, 1))


def test_first_proposer_is_the_lead_and_order_is_kept():
    first, second = MemberFactory(), MemberFactory()
    proposal = services.proposal_create(session=SessionFactory(), number=1, title="甲",
                                        submitted_on=date(2022, 1, 16), proposers=[first, second])
    links = list(proposal.proposer_links.all())
    assert [link.member for link in links] == [first, second]
    assert links[0].is_lead and not links[1].is_lead


def test_assigning_stores_due_dates_from_the_session_rule():
    proposal = ProposalFactory(session=SessionFactory(plenary_months=3, hard_cap_months=6))
    assignment = services.assignment_create(proposal=proposal, department=DepartmentFactory(),
                                            assigned_on=date(2022, 11, 30))
    assert (assignment.due_on, assignment.hard_due_on) == (date(2023, 2, 28), date(2023, 5, 30))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED
    assert list(assignment.events.values_list("kind", flat=True)) == ["assigned"]


def test_a_proposal_has_one_lead_department():
    proposal = ProposalFactory()
    services.assignment_create(proposal=proposal, department=DepartmentFactory(), assigned_on=date(2022, 4, 1))
    with pytest.raises(ValidationError):
        services.assignment_create(proposal=proposal, department=DepartmentFactory(), assigned_on=date(2022, 4, 1))
    services.assignment_create(proposal=proposal, department=DepartmentFactory(), role=Assignment.Role.CO,
                               assigned_on=date(2022, 4, 1))
    assert proposal.assignments.count() == 2


def test_a_returned_lead_can_be_reassigned():
    assignment = AssignmentFactory()
    services.assignment_return(assignment=assignment, reason="不属于本单位职责")
    services.assignment_create(proposal=assignment.proposal, department=DepartmentFactory(),
                               assigned_on=date(2022, 4, 5))
    assert assignment.proposal.assignments.filter(role="lead").count() == 2


def test_return_requires_a_reason():
    with pytest.raises(ValidationError):
        services.assignment_return(assignment=AssignmentFactory(), reason="  ")


def test_an_edited_due_date_keeps_its_reason_in_the_timeline():
    assignment = AssignmentFactory(assigned_on=date(2022, 4, 1))
    services.assignment_set_due(assignment=assignment, due_on=date(2022, 8, 1), reason="涉及多部门协调")
    assignment.refresh_from_db()
    assert assignment.due_on == date(2022, 8, 1)
    assert assignment.due_override_reason == "涉及多部门协调"
    assert assignment.events.filter(kind="due_changed", note__contains="涉及多部门协调").exists()


def test_an_unregistered_proposal_cannot_be_assigned():
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.assignment_create(proposal=proposal, department=DepartmentFactory())


def test_refusing_registration_requires_a_reason():
    proposal = ProposalFactory(status=Proposal.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.proposal_refuse(proposal=proposal, reason="")
    services.proposal_refuse(proposal=proposal, reason="不属于提案范围")
    assert proposal.status == Proposal.Status.NOT_REGISTERED


def test_merge_only_into_a_proposal_of_the_same_session():
    proposal = ProposalFactory()
    with pytest.raises(ValidationError):
        services.proposal_merge(proposal=proposal, into=ProposalFactory())
    target = ProposalFactory(session=proposal.session)
    services.proposal_merge(proposal=proposal, into=target)
    assert proposal.merged_into == target


def test_department_users_must_belong_to_a_department():
    with pytest.raises(ValidationError):
        services.user_create(username="d", password="x", role=User.Role.DEPARTMENT)
    user = services.user_create(username="d", password="x", role=User.Role.DEPARTMENT,
                                department=DepartmentFactory())
    assert user.groups.filter(name="承办单位用户").exists()
    assert not user.is_staff
