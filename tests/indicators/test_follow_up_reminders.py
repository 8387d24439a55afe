"""Follow-up reminders: 30 days before and on a commitment's follow-up date, once per tier and date."""

from datetime import date

import pytest

from indicators.models import Commitment, CommitmentReminder
from indicators.services import commitment_reminders_send
from proposals.models import DepartmentContact
from tests.factories import AssignmentFactory, DepartmentUserFactory, ReleasedReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(department):
    DepartmentContact.objects.create(department=department, name="王科", email="wang@kjt.example")
    DepartmentUserFactory(department=department, email="li@kjt.example")
    reply = ReleasedReplyFactory(assignment=AssignmentFactory(department=department))
    return Commitment.objects.create(reply=reply, text="力争到2024年建成50个基地。", start=0, end=5,
                                     review_status="accepted", follow_up_on=date(2024, 12, 31))


def test_a_department_hears_30_days_before_and_on_the_follow_up_date_once_each(followed, mailoutbox, settings):
    settings.COMMITMENT_REMINDER_DAYS_BEFORE = 30
    assert commitment_reminders_send(today=date(2024, 11, 30)) == 0
    assert commitment_reminders_send(today=date(2024, 12, 1)) == 1
    assert commitment_reminders_send(today=date(2024, 12, 2)) == 0
    assert commitment_reminders_send(today=date(2024, 12, 31)) == 1
    assert commitment_reminders_send(today=date(2025, 1, 5)) == 0
    assert [m.subject for m in mailoutbox] == ["承诺跟踪提醒：1 项"] * 2
    assert sorted(mailoutbox[0].to) == ["li@kjt.example", "wang@kjt.example"]
    assert "力争到2024年建成50个基地" in mailoutbox[1].body and "2024-12-31" in mailoutbox[1].body
    assert list(CommitmentReminder.objects.order_by("sent_at").values_list("tier", "follow_up_on")) == [
        ("soon", date(2024, 12, 31)), ("due", date(2024, 12, 31))]


def test_a_new_follow_up_date_is_reminded_again(followed, mailoutbox):
    assert commitment_reminders_send(today=date(2024, 12, 31)) == 1
    followed.follow_up_on = date(2025, 6, 30)
    followed.save(update_fields=["follow_up_on"])
    assert commitment_reminders_send(today=date(2025, 6, 30)) == 1
    assert commitment_reminders_send(today=date(2025, 6, 30)) == 0


def test_kept_reported_unreviewed_and_rejected_commitments_are_not_reminded(followed, mailoutbox):
    for state in ({"follow_up_status": "kept"}, {"follow_up_status": "lapsed"}, {"follow_up_status": "reported"},
                  {"review_status": "pending"}, {"review_status": "rejected"}):
        Commitment.objects.filter(pk=followed.pk).update(**{"review_status": "accepted",
                                                            "follow_up_status": "pending", **state})
        assert commitment_reminders_send(today=date(2024, 12, 31)) == 0, state
    assert not mailoutbox


def test_the_daily_task_runs_the_service_and_is_in_the_beat_schedule(followed, mailoutbox, settings):
    import time_machine

    from indicators.tasks import commitment_reminders_send_task

    assert any(entry["task"] == "indicators.tasks.commitment_reminders_send_task"
               for entry in settings.CELERY_BEAT_SCHEDULE.values())
    with time_machine.travel(date(2024, 12, 31), tick=False):
        assert commitment_reminders_send_task.delay().get() == 1
        assert commitment_reminders_send_task.delay().get() == 0
    assert len(mailoutbox) == 1
