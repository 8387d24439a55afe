from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from proposals import services
from proposals.deadlines import add_working_days, compute_deadlines
from proposals.models import Assignment, Proposal, Reminder, Session
from replies.services import feedback_record
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    ProposalFactory,
    ReleasedReplyFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_working_days_skip_the_spring_festival_and_count_its_make_up_sunday():
    # 2024: holiday 02-10..02-17; 02-04 and 02-18 (Sundays) are make-up working days
    due, holidays, makeup, missing = add_working_days(date(2024, 2, 1), 10)
    assert due == date(2024, 2, 20)
    assert [d for d, _ in holidays] == [date(2024, 2, d) for d in range(10, 18)]
    assert makeup == (date(2024, 2, 4), date(2024, 2, 18)) and missing == ()


def test_a_make_up_saturday_counts_as_a_working_day():
    # 2023: holiday 01-21..01-27; 01-28 (Saturday) and 01-29 (Sunday) are make-up working days
    due, _, makeup, _ = add_working_days(date(2023, 1, 19), 3)
    assert due == date(2023, 1, 29)
    assert date(2023, 1, 28) in makeup


def test_a_session_in_working_days_explains_its_dates():
    session = SessionFactory.build(deadline_unit=Session.DeadlineUnit.WORKING_DAYS, plenary_working_days=10,
                                   hard_cap_months=6)
    deadlines = compute_deadlines(session=session, made_at="plenary", role="lead", assigned_on=date(2024, 2, 1))
    assert deadlines.due_on == date(2024, 2, 20) and deadlines.hard_due_on == date(2024, 8, 1)
    assert deadlines.rule == "10 个工作日"
    assert len(deadlines.holidays) == 8 and all(name == "Spring Festival" for _, name in deadlines.holidays)


def test_a_year_without_official_data_counts_weekends_only_and_says_so():
    due, holidays, makeup, missing = add_working_days(date(2099, 1, 1), 5)  # 2099-01-01 is a Thursday
    assert due == date(2099, 1, 8) and missing == (2099,) and holidays == () and makeup == ()


@time_machine.travel(date(2024, 2, 1), tick=False)
def test_assigning_on_a_working_day_rule_stores_the_computed_dates():
    session = SessionFactory(deadline_unit="working_days", plenary_working_days=10)
    assignment = services.assignment_create(proposal=ProposalFactory(session=session),
                                            department=DepartmentFactory())
    assert (assignment.assigned_on, assignment.due_on) == (date(2024, 2, 1), date(2024, 2, 20))


def test_a_rule_change_recomputes_open_assignments_only():
    session = SessionFactory(plenary_months=3)
    open_one = AssignmentFactory(proposal__session=session, assigned_on=date(2022, 4, 1))
    closed = AssignmentFactory(proposal__session=session, assigned_on=date(2022, 4, 1), status="closed")
    by_hand = AssignmentFactory(proposal__session=session, assigned_on=date(2022, 4, 1))
    services.assignment_set_due(assignment=by_hand, due_on=date(2022, 9, 9), reason="协调事项多")
    assert services.session_rule_update(session=session, plenary_months=5) == 1
    for a in (open_one, closed, by_hand):
        a.refresh_from_db()
    assert open_one.due_on == date(2022, 9, 1)
    assert closed.due_on == date(2022, 7, 1) and by_hand.due_on == date(2022, 9, 9)


def test_a_granted_extension_moves_the_due_date_but_not_the_hard_cap():
    staff, clerk = UserFactory(role="staff"), UserFactory(role="staff")
    assignment = AssignmentFactory(assigned_on=date(2022, 4, 1))  # due 2022-07-01, cap 2022-10-01
    with pytest.raises(ValidationError):
        services.extension_request(assignment=assignment, requested_due_on=date(2022, 6, 1), reason="x", by=clerk)
    extension = services.extension_request(assignment=assignment, requested_due_on=date(2022, 9, 15),
                                           reason="需等待国家政策出台", by=clerk)
    services.extension_decide(extension=extension, grant=True, by=staff)
    assignment.refresh_from_db()
    assert (assignment.due_on, assignment.hard_due_on) == (date(2022, 9, 15), date(2022, 10, 1))
    assert assignment.tier(date(2022, 9, 10)) == "due_soon"
    assert not Assignment.objects.overdue(on=date(2022, 9, 15)).exists()
    assert services.deadlines_recompute() == 0  # an extension is not undone by a recompute


def test_an_extension_past_the_hard_cap_needs_an_explicit_new_cap_with_a_reason():
    staff, clerk = UserFactory(role="staff"), UserFactory(role="staff")
    assignment = AssignmentFactory(assigned_on=date(2022, 4, 1))  # due 2022-07-01, cap 2022-10-01
    extension = services.extension_request(assignment=assignment, requested_due_on=date(2022, 11, 15),
                                           reason="需等待国家政策出台", by=clerk)
    with pytest.raises(ValidationError, match="晚于最长期限 2022-10-01"):
        services.extension_decide(extension=extension, grant=True, by=staff)
    with pytest.raises(ValidationError, match="调整最长期限须说明理由"):
        services.extension_decide(extension=extension, grant=True, by=staff, hard_due_on=date(2022, 11, 30))
    assignment.refresh_from_db()
    extension.refresh_from_db()
    assert (assignment.due_on, assignment.hard_due_on, extension.status) == (
        date(2022, 7, 1), date(2022, 10, 1), "pending")

    services.extension_decide(extension=extension, grant=True, by=staff, hard_due_on=date(2022, 11, 30),
                              hard_cap_reason="省政府专题会议决定")
    assignment.refresh_from_db()
    assert (assignment.due_on, assignment.hard_due_on) == (date(2022, 11, 15), date(2022, 11, 30))
    assert assignment.tier(date(2022, 10, 20)) is None  # past the old cap, yet not overdue
    assert not Assignment.objects.very_overdue(on=date(2022, 11, 30)).exists()
    assert assignment.events.filter(kind="hard_cap_changed", note__contains="省政府专题会议决定").exists()


def test_a_due_date_change_never_moves_the_hard_cap():
    assignment = AssignmentFactory(assigned_on=date(2022, 4, 1))  # cap 2022-10-01
    with pytest.raises(ValidationError, match="须先调整最长期限"):
        services.assignment_set_due(assignment=assignment, due_on=date(2022, 12, 1), reason="协调")
    services.assignment_set_hard_cap(assignment=assignment, hard_due_on=date(2022, 12, 31), reason="特殊情况")
    services.assignment_set_due(assignment=assignment, due_on=date(2022, 12, 1), reason="协调")
    assignment.refresh_from_db()
    assert (assignment.due_on, assignment.hard_due_on) == (date(2022, 12, 1), date(2022, 12, 31))


def test_staff_change_the_hard_cap_on_the_proposal_page_only_with_a_reason(client):
    staff = UserFactory(role="staff")
    assignment = AssignmentFactory(assigned_on=date(2022, 4, 1))
    client.force_login(staff)
    url = reverse("proposals:action", args=[assignment.proposal_id, "set-hard-cap"])
    page = client.post(url, {"assignment": assignment.pk, "hard_due_on": "2022-12-31", "reason": ""}, follow=True)
    assert "理由" in page.content.decode()
    assignment.refresh_from_db()
    assert assignment.hard_due_on == date(2022, 10, 1)
    client.post(url, {"assignment": assignment.pk, "hard_due_on": "2022-12-31", "reason": "特殊情况"})
    assignment.refresh_from_db()
    assert assignment.hard_due_on == date(2022, 12, 31)


def test_a_department_user_cannot_change_the_hard_cap(client, department_user):
    assignment = AssignmentFactory(department=department_user.department)
    client.force_login(department_user)
    response = client.post(reverse("proposals:action", args=[assignment.proposal_id, "set-hard-cap"]),
                           {"assignment": assignment.pk, "hard_due_on": "2030-01-01", "reason": "自行延长"})
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.hard_due_on == date(2022, 10, 1)


def test_granting_through_the_page_past_the_cap_takes_the_new_cap_and_reason(client):
    staff, clerk = UserFactory(role="staff"), UserFactory(role="staff")
    assignment = AssignmentFactory(assigned_on=date(2022, 4, 1))
    extension = services.extension_request(assignment=assignment, requested_due_on=date(2022, 11, 15),
                                           reason="需等待国家政策出台", by=clerk)
    client.force_login(staff)
    detail = client.get(reverse("proposals:detail", args=[assignment.proposal_id])).content.decode()
    assert 'name="hard_due_on" value="2022-11-15"' in detail
    url = reverse("proposals:assignment-action", args=[assignment.pk, "decide-extension"])
    client.post(url, {"extension": extension.pk, "decision": "grant"})
    assignment.refresh_from_db()
    assert assignment.due_on == date(2022, 7, 1)
    client.post(url, {"extension": extension.pk, "decision": "grant", "hard_due_on": "2022-11-15",
                      "hard_cap_reason": "省政府专题会议决定"})
    assignment.refresh_from_db()
    assert (assignment.due_on, assignment.hard_due_on) == (date(2022, 11, 15), date(2022, 11, 15))


def test_overdue_tiers():
    assignment = AssignmentFactory(assigned_on=date(2022, 4, 1))  # due 2022-07-01, cap 2022-10-01
    assert assignment.tier(date(2022, 6, 23)) is None
    assert assignment.tier(date(2022, 6, 24)) == "due_soon"
    assert assignment.tier(date(2022, 7, 1)) == "due_soon"
    assert assignment.tier(date(2022, 7, 2)) == "overdue"
    assert assignment.tier(date(2022, 10, 2)) == "very_overdue"


def test_reminders_are_sent_once_per_assignment_and_tier(mailoutbox):
    department = DepartmentFactory()
    department.contacts.create(name="王科", email="wang@kjt.example")
    UserFactory(role="staff", email="office@example.org")
    assignment = AssignmentFactory(department=department, assigned_on=date(2022, 4, 1))
    AssignmentFactory(department=department, assigned_on=date(2022, 4, 1), status="replied")

    with time_machine.travel(date(2022, 6, 28), tick=False):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert [m.to for m in mailoutbox] == [["wang@kjt.example"], ["office@example.org"]]
    assert "即将到期" in mailoutbox[0].body

    with time_machine.travel(date(2022, 7, 5), tick=False):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert list(Reminder.objects.filter(assignment=assignment).values_list("tier", flat=True).order_by("pk")) == [
        "due_soon", "overdue"]
    assert Reminder.objects.filter(assignment=assignment, tier="overdue").get().recipients == "wang@kjt.example"


@time_machine.travel(date(2022, 8, 10), tick=False)
def test_unsatisfied_feedback_gives_a_new_due_date_from_today():
    reply = ReleasedReplyFactory(assignment__proposal__status=Proposal.Status.REPLIED,
                                 assignment__assigned_on=date(2022, 4, 1))
    proposal = reply.assignment.proposal
    feedback_record(reply=reply, member=proposal.proposers.get(), rating="unsatisfied", comment="未解决")
    assignment = Assignment.objects.get(pk=reply.assignment_id)
    assert (assignment.status, assignment.reopened_on, assignment.due_on) == (
        "reopened", date(2022, 8, 10), date(2022, 11, 10))
    assert assignment.hard_due_on == date(2023, 2, 10)
    assert not Assignment.objects.overdue(on=date(2022, 11, 10)).exists()
    assert Assignment.objects.overdue(on=date(2022, 11, 11)).get() == assignment
