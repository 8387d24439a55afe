"""A real Redis broker that goes away and comes back empty: uploads are kept, and every parse task is sent again."""

import socket
import subprocess
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from replies.models import Reply
from replies.services import reply_requeue_stalled
from replies.services.parsing import parse_queue_backlog
from tests.factories import AssignmentFactory, DepartmentUserFactory
from tests.pdfs import text_pdf

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class RedisServer:
    """A redis-server of this test's own on a free port, kept in memory only, which the test stops and starts."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def own_broker():
    from config.celery import app

    server = RedisServer().start()
    saved = app.conf.broker_url, app.conf.task_always_eager

    def use_fresh_connections():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url, app.conf.task_always_eager = server.url, False
    use_fresh_connections()
    try:
        yield server, use_fresh_connections
    finally:
        server.kill()
        app.conf.broker_url, app.conf.task_always_eager = saved
        use_fresh_connections()


def upload(client, assignment, name):
    pdf = text_pdf([[f"关于第{assignment.proposal.number}号提案的答复", "下一步，将持续推进。"]])
    return client.post(reverse("replies:upload", args=[assignment.pk]),
                       {"file": SimpleUploadedFile(name, pdf, content_type="application/pdf")})


def test_redis_killed_and_restarted_empty_loses_no_upload_and_no_parse(client, media_root, own_broker,
                                                                       django_capture_on_commit_callbacks):
    server, use_fresh_connections = own_broker
    first, second = AssignmentFactory(), AssignmentFactory()
    client.force_login(DepartmentUserFactory(department=first.department))
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, first, "a.pdf").status_code == 302
    sent = Reply.objects.get(assignment=first)
    assert sent.parse_task_sent_at is not None and parse_queue_backlog() == 1

    server.kill()  # the queued task goes with it: this Redis keeps nothing on disk
    client.force_login(DepartmentUserFactory(department=second.department))
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, second, "b.pdf")
    assert response.status_code == 302 and time.monotonic() - started < 15
    unsent = Reply.objects.get(assignment=second)
    assert unsent.parse_status == Reply.ParseStatus.QUEUED and unsent.parse_task_sent_at is None
    assert "解析任务暂未送达" in client.get(response["Location"]).content.decode()
    assert reply_requeue_stalled() == 0  # the broker is still down: nothing sent, nothing lost

    server.start()  # back, and empty
    use_fresh_connections()
    # a minute later, as the beat task runs: the unsent parse is sent, and the lost one, whose task the empty
    # queue no longer holds, is sent again
    Reply.objects.filter(pk__in=[sent.pk, unsent.pk]).update(parse_status_at=timezone.now() - timedelta(minutes=3),
                                                             parse_task_sent_at=None)
    Reply.objects.filter(pk=sent.pk).update(parse_task_sent_at=timezone.now() - timedelta(minutes=3))
    assert parse_queue_backlog() == 0
    assert reply_requeue_stalled() == 2
    assert parse_queue_backlog() == 2
    assert not Reply.objects.filter(parse_task_sent_at__isnull=True).exists()
