import pytest
from django.urls import reverse

from indicators.models import Indicator
from proposals.models import Assignment, Proposal
from replies.models import Reply
from tests.factories import AssignmentFactory, ReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(department_user, other_department_user):
    mine = ReplyFactory(assignment__department=department_user.department)
    theirs = ReplyFactory(assignment__department=other_department_user.department)
    for reply in (mine, theirs):
        Indicator.objects.create(reply=reply, value=1, unit="个", start=0, end=2)
    return mine, theirs


def test_a_department_user_sees_only_its_own_work(department_user, two_departments):
    mine, theirs = two_departments
    assert list(Proposal.objects.visible_to(department_user)) == [mine.assignment.proposal]
    assert list(Assignment.objects.visible_to(department_user)) == [mine.assignment]
    assert list(Reply.objects.visible_to(department_user)) == [mine]
    assert list(Indicator.objects.visible_to(department_user).values_list("reply", flat=True)) == [mine.pk]


def test_a_co_handler_sees_the_proposal_but_only_its_own_assignment(department_user):
    lead = AssignmentFactory()
    co = AssignmentFactory(proposal=lead.proposal, department=department_user.department, role="co")
    assert list(Proposal.objects.visible_to(department_user)) == [lead.proposal]
    assert list(Assignment.objects.visible_to(department_user)) == [co]


def test_staff_and_supervisors_see_everything(staff_user, supervisor_user, two_departments):
    for user in (staff_user, supervisor_user):
        assert Reply.objects.visible_to(user).count() == 2
        assert Proposal.objects.visible_to(user).count() == 2


def test_anonymous_and_inactive_users_see_nothing(department_user, two_departments):
    from django.contrib.auth.models import AnonymousUser

    department_user.is_active = False
    for user in (AnonymousUser(), department_user):
        assert not Proposal.objects.visible_to(user).exists()
        assert not Reply.objects.visible_to(user).exists()


def test_another_departments_proposal_page_answers_404(client, department_user, two_departments):
    mine, theirs = two_departments
    client.force_login(department_user)
    assert client.get(reverse("proposals:detail", args=[mine.assignment.proposal_id])).status_code == 200
    assert client.get(reverse("proposals:detail", args=[theirs.assignment.proposal_id])).status_code == 404
    listing = client.get(reverse("proposals:list"))
    assert list(listing.context["proposals"]) == [mine.assignment.proposal]
