"""Lost parse tasks: the lease on the reply row, crash counting, the requeue task and staff's forced retry."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from replies.models import Reply
from replies.services import reply_parse, reply_reparse, reply_requeue_stalled, reply_upload
from replies.services.parsing import ParseLeaseHeld
from tests.factories import ReplyFactory
from tests.pdfs import text_pdf

from .test_parse_service import REPLY_LINES, assignment  # noqa: F401

pytestmark = pytest.mark.django_db


def _reply(status, minutes_ago, *, lease_in=None, sent=True, name=""):
    now = timezone.now()
    return ReplyFactory(
        parse_status=status, parse_status_at=now - timedelta(minutes=minutes_ago),
        parse_lease_until=None if lease_in is None else now + timedelta(minutes=lease_in),
        parse_task_sent_at=now - timedelta(minutes=minutes_ago) if sent else None,
        file=ContentFile(b"%PDF-", name="r.pdf"), assignment__department__name=f"{status}{minutes_ago}{name}")


def test_stalled_means_sent_nowhere_for_30_seconds_lost_in_the_broker_or_a_lease_run_out(media_root, settings):
    now = timezone.now()
    unsent = _reply(Reply.ParseStatus.QUEUED, 1, sent=False)
    _reply(Reply.ParseStatus.QUEUED, 0, sent=False, name="just now")  # its on_commit may still be sending
    lost = _reply(Reply.ParseStatus.QUEUED, 11)
    _reply(Reply.ParseStatus.QUEUED, 5)  # waits behind other parses
    dead = _reply(Reply.ParseStatus.PARSING, 3, lease_in=-1)
    dead_before_leases = _reply(Reply.ParseStatus.PARSING, 90)
    _reply(Reply.ParseStatus.PARSING, 30, lease_in=1)  # long, but alive
    _reply(Reply.ParseStatus.PARSED, 500)

    stalled = Reply.objects.stalled(now=now, queued_for=timedelta(minutes=10), unsent_for=timedelta(seconds=30),
                                    lease=timedelta(seconds=60))
    assert set(stalled) == {unsent, lost, dead, dead_before_leases}


def test_the_requeue_task_sends_each_lost_parse_once_per_lease(media_root, settings):
    dead = _reply(Reply.ParseStatus.PARSING, 3, lease_in=-1)
    unsent = _reply(Reply.ParseStatus.QUEUED, 2, sent=False)
    with mock.patch("replies.tasks.reply_parse_task.delay") as delay:
        assert reply_requeue_stalled() == 2
        assert reply_requeue_stalled() == 0  # sent a moment ago: not again before a lease has passed
    assert sorted(call.args[0] for call in delay.call_args_list) == sorted([dead.pk, unsent.pk])
    assert Reply.objects.get(pk=unsent.pk).parse_task_sent_at is not None


def test_with_the_broker_down_the_requeue_task_keeps_the_reply_queued_and_unsent(media_root):
    from kombu.exceptions import OperationalError as BrokerError

    unsent = _reply(Reply.ParseStatus.QUEUED, 2, sent=False)
    with mock.patch("replies.tasks.reply_parse_task.delay", side_effect=BrokerError("connection refused")):
        assert reply_requeue_stalled() == 0
    unsent.refresh_from_db()
    assert unsent.parse_status == Reply.ParseStatus.QUEUED and unsent.parse_task_sent_at is None


def _uploaded(assignment, user):  # noqa: F811
    return reply_upload(assignment=assignment, file=SimpleUploadedFile("r.pdf", text_pdf([REPLY_LINES])),
                        uploaded_by=user)


def test_a_parse_whose_worker_died_is_taken_over_and_a_second_death_fails_it_for_good(assignment, staff_user):  # noqa: F811
    reply = _uploaded(assignment, staff_user)
    gone = timezone.now() - timedelta(minutes=1)
    # a worker took it and died: 解析中, lease run out
    Reply.objects.filter(pk=reply.pk).update(parse_status=Reply.ParseStatus.PARSING, parse_lease_until=gone,
                                             parse_status_at=gone - timedelta(minutes=1))
    with mock.patch("replies.services.parsing._reply_store_parse", side_effect=SystemExit):  # dies again
        with pytest.raises(SystemExit):
            reply_parse(reply_id=reply.pk)
    reply.refresh_from_db()
    assert reply.parse_crashes == 1 and reply.parse_status == Reply.ParseStatus.PARSING
    assert reply.parse_lease_until > timezone.now()

    Reply.objects.filter(pk=reply.pk).update(parse_lease_until=gone)
    reply = reply_parse(reply_id=reply.pk)
    assert reply.parse_status == Reply.ParseStatus.FAILED
    assert reply.parse_error.startswith("文件无法安全解析") and reply.parse_crashes == 2
    assert not reply.indicators.exists()
    with mock.patch("replies.parsing.isolated.parse_file_isolated") as parse:
        reply_parse(reply_id=reply.pk)  # a late redelivery changes nothing
    parse.assert_not_called()
    assert Reply.objects.get(pk=reply.pk).parse_status == Reply.ParseStatus.FAILED

    reply_reparse(reply=reply)  # staff's 重新解析 starts the count again
    reply = reply_parse(reply_id=reply.pk)
    assert reply.parse_status == Reply.ParseStatus.PARSED and reply.parse_crashes == 0


def test_a_duplicate_delivery_waits_for_the_live_lease(assignment, staff_user):  # noqa: F811
    reply = _uploaded(assignment, staff_user)
    Reply.objects.filter(pk=reply.pk).update(parse_status=Reply.ParseStatus.PARSING,
                                             parse_lease_until=timezone.now() + timedelta(seconds=40))
    with pytest.raises(ParseLeaseHeld) as held:
        reply_parse(reply_id=reply.pk)
    assert 30 < held.value.seconds <= 40
    assert Reply.objects.get(pk=reply.pk).parse_crashes == 0


def test_a_worker_alive_until_the_time_limit_killed_it_leaves_the_reply_timed_out(assignment, staff_user, settings):  # noqa: F811
    reply = _uploaded(assignment, staff_user)
    started = timezone.now() - timedelta(seconds=settings.REPLY_PARSE_SOFT_TIME_LIMIT + 200)
    last_heartbeat = started + timedelta(seconds=settings.REPLY_PARSE_SOFT_TIME_LIMIT + 30)
    Reply.objects.filter(pk=reply.pk).update(
        parse_status=Reply.ParseStatus.PARSING, parse_status_at=started,
        parse_lease_until=last_heartbeat + timedelta(seconds=settings.REPLY_PARSE_LEASE_SECONDS))
    reply = reply_parse(reply_id=reply.pk)
    assert reply.parse_status == Reply.ParseStatus.FAILED and reply.parse_error.startswith("解析超时")


def test_the_hard_time_limit_fails_the_reply_with_the_timeout_reason(assignment, staff_user):  # noqa: F811
    from replies.tasks import ParseRequest

    reply = _uploaded(assignment, staff_user)
    Reply.objects.filter(pk=reply.pk).update(parse_status=Reply.ParseStatus.PARSING)
    request = ParseRequest.__new__(ParseRequest)  # what the worker builds from the message
    request._args = [reply.pk]
    with mock.patch("celery.worker.request.Request.on_timeout") as base:
        request.on_timeout(False, 960)
    base.assert_called_once()
    reply.refresh_from_db()
    assert reply.parse_status == Reply.ParseStatus.FAILED and reply.parse_error.startswith("解析超时")
    assert reply.parse_lease_until is None


def test_staff_force_a_retry_only_of_a_reply_stuck_past_the_threshold(assignment, staff_user, client, settings):  # noqa: F811
    reply = _uploaded(assignment, staff_user)
    Reply.objects.filter(pk=reply.pk).update(parse_status=Reply.ParseStatus.PARSING,
                                             parse_lease_until=timezone.now() + timedelta(seconds=50))
    with pytest.raises(ValidationError):
        reply_reparse(reply=Reply.objects.get(pk=reply.pk), force=True)

    stuck_since = timezone.now() - timedelta(minutes=settings.REPLY_FORCE_RETRY_AFTER_MINUTES + 1)
    Reply.objects.filter(pk=reply.pk).update(parse_status_at=stuck_since, parse_crashes=1)
    client.force_login(staff_user)
    page = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert reverse("replies:force_reparse", args=[reply.pk]) in page
    response = client.post(reverse("replies:force_reparse", args=[reply.pk]))
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.parse_status == Reply.ParseStatus.QUEUED and reply.parse_status_at > stuck_since
    assert reply.parse_crashes == 0 and reply.parse_lease_until is None


def test_a_department_user_cannot_force_a_retry(assignment, staff_user, client, settings):  # noqa: F811
    from tests.factories import DepartmentUserFactory

    reply = _uploaded(assignment, staff_user)
    stuck_since = timezone.now() - timedelta(minutes=settings.REPLY_FORCE_RETRY_AFTER_MINUTES + 1)
    Reply.objects.filter(pk=reply.pk).update(parse_status=Reply.ParseStatus.QUEUED, parse_status_at=stuck_since)
    client.force_login(DepartmentUserFactory(department=assignment.department))
    assert client.post(reverse("replies:force_reparse", args=[reply.pk])).status_code == 403
    assert Reply.objects.get(pk=reply.pk).parse_status_at == stuck_since


def test_a_duplicate_task_waits_out_the_lease_once_then_takes_over_or_leaves_it_to_the_live_worker():
    from replies.tasks import reply_parse_task

    with mock.patch("replies.services.reply_parse", side_effect=[ParseLeaseHeld(0.01), None]) as parse:
        reply_parse_task.apply(args=[1]).get()
    assert parse.call_count == 2  # the lease ran out: a dead worker's parse, taken over

    with mock.patch("replies.services.reply_parse",
                    side_effect=[ParseLeaseHeld(0.01), ParseLeaseHeld(0.01), None]) as parse:
        reply_parse_task.apply(args=[1]).get()
    assert parse.call_count == 2  # renewed meanwhile: a live worker has it; this copy is dropped


@pytest.fixture
def real_broker():
    """Tasks go to this test run's own queue on the real Redis, with no worker to take them; emptied after."""
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(app.conf.task_default_queue)
        app.conf.task_always_eager = True


def test_a_task_lost_from_an_empty_queue_is_sent_again_within_two_minutes(media_root, real_broker):
    from replies.services.parsing import parse_queue_backlog

    assert parse_queue_backlog() == 0
    lost = _reply(Reply.ParseStatus.QUEUED, 3)  # sent 3 minutes ago, and the queue holds nothing: the task is gone
    assert reply_requeue_stalled() == 1
    assert parse_queue_backlog() == 1
    lost.refresh_from_db()
    assert lost.parse_task_sent_at > timezone.now() - timedelta(seconds=10)


def test_a_reply_waiting_behind_a_backlog_is_not_sent_twice(media_root, real_broker):
    from replies.services.parsing import _send_parse_task, parse_queue_backlog

    waiting = _reply(Reply.ParseStatus.QUEUED, 3)
    _send_parse_task(ReplyFactory().pk)  # another reply's task still waits in the queue: the queue is busy, not lost
    assert parse_queue_backlog() == 1
    assert reply_requeue_stalled() == 0
    waiting.refresh_from_db()
    assert waiting.parse_task_sent_at < timezone.now() - timedelta(minutes=2)
