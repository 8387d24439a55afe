"""Date inputs hold ISO values, and no date of a proposal's handling falls before it was submitted or its
session opened."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from proposals import services
from proposals.forms import AssignForm, DueDateForm
from replies.forms import ReplyUploadForm
from tests.factories import AssignmentFactory, ProposalFactory, SessionFactory

pytestmark = pytest.mark.django_db


def late_proposal():
    """Submitted after its session opened: 2022-03-01 for a session that opened 2022-01-16."""
    return ProposalFactory(submitted_on=date(2022, 3, 1), session=SessionFactory(opened_on=date(2022, 1, 16)))


def test_date_inputs_carry_iso_values_in_chinese():
    proposal = late_proposal()
    html = str(DueDateForm(proposal=proposal, initial={"due_on": date(2022, 7, 1)})["due_on"])
    assert 'type="date"' in html and 'value="2022-07-01"' in html and 'min="2022-03-01"' in html
    assert 'value="2022-04-02"' in str(AssignForm(proposal=proposal, initial={"assigned_on": date(2022, 4, 2)})
                                       ["assigned_on"])
    assert 'value="2022-07-06"' in str(ReplyUploadForm(proposal=proposal, initial={"reply_date": date(2022, 7, 6)})
                                       ["reply_date"])


def test_commitment_edit_form_shows_its_deadline_as_iso():
    from indicators.forms import CommitmentEditForm
    from indicators.models import Commitment

    commitment = Commitment(text="将推进", start=0, end=3, deadline=date(2023, 12, 31))
    assert 'value="2023-12-31"' in str(CommitmentEditForm(instance=commitment)["deadline"])


def test_the_proposal_page_shows_the_assign_date_as_iso(client, staff_user):
    proposal = ProposalFactory()
    client.force_login(staff_user)
    html = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert 'name="assigned_on"' in html and 'min="2022-01-16"' in html
    assert "/" not in html.split('name="assigned_on"')[1].split(">")[0]


def test_assigning_before_the_submission_is_refused():
    proposal = late_proposal()
    with pytest.raises(ValidationError, match="不能早于提案提交日期 2022-03-01"):
        services.assignment_create(proposal=proposal, department=AssignmentFactory().department,
                                   assigned_on=date(2022, 2, 1))
    assert not proposal.assignments.exists()


def test_a_due_date_before_the_session_opened_is_refused():
    session = SessionFactory(opened_on=date(2022, 1, 16))
    assignment = AssignmentFactory(proposal__session=session, proposal__submitted_on=date(2022, 1, 10))
    with pytest.raises(ValidationError, match="开幕日期 2022-01-16"):
        services.assignment_set_due(assignment=assignment, due_on=date(2022, 1, 12), reason="录入错误")
    assignment.refresh_from_db()
    assert assignment.due_on > date(2022, 1, 16)


def test_an_extension_to_a_date_before_the_submission_is_refused(department_user):
    assignment = AssignmentFactory(proposal=late_proposal(), department=department_user.department,
                                   assigned_on=date(2022, 2, 10), due_on=date(2022, 2, 20))  # legacy row
    with pytest.raises(ValidationError, match="申请延至日期"):
        services.extension_request(assignment=assignment, requested_due_on=date(2022, 2, 25), reason="需调研",
                                   by=department_user)
    assert not assignment.extensions.exists()


def test_a_reply_dated_before_the_submission_is_refused(department_user):
    from replies.services import reply_create

    assignment = AssignmentFactory(proposal=late_proposal(), department=department_user.department)
    with pytest.raises(ValidationError, match="答复日期"):
        reply_create(assignment=assignment, uploaded_by=department_user, reply_date=date(2022, 2, 1))
    assert not assignment.replies.exists()


def test_the_due_date_form_refuses_an_early_date_with_a_message():
    form = DueDateForm({"due_on": "2022-02-01", "reason": "调整"}, proposal=late_proposal())
    assert not form.is_valid()
    assert "不能早于提案提交日期" in " ".join(form.errors["due_on"])


def test_the_set_due_action_keeps_the_due_date_and_says_why(client, staff_user):
    assignment = AssignmentFactory(proposal=late_proposal())
    before = assignment.due_on
    client.force_login(staff_user)
    response = client.post(reverse("proposals:action", args=[assignment.proposal_id, "set-due"]),
                           {"assignment": assignment.pk, "due_on": "2022-02-01", "reason": "调整"}, follow=True)
    assert "不能早于提案提交日期" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.due_on == before
