"""Outages: Redis (broker and cache) down, PostgreSQL down, a full disk or read-only media."""

import errno
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from celery.utils.time import get_exponential_backoff_interval
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from replies.models import Reply
from replies.services import reply_parse, reply_reparse, reply_requeue_stalled, reply_upload
from tests.factories import DepartmentUserFactory
from tests.pdfs import text_pdf

from .test_parse_service import REPLY_LINES, assignment  # noqa: F401

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """Tasks go to a broker that refuses connections, as when Redis is stopped."""
    from config.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = CLOSED_PORT, False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool = None
        app.amqp._producer_pool = None


def _pdf(name="r.pdf"):
    return SimpleUploadedFile(name, text_pdf([REPLY_LINES]), content_type="application/pdf")


# ------------------------------------------------------------------------------------------------ Redis down


def test_an_upload_with_redis_down_is_saved_says_so_and_is_parsed_once_the_broker_is_back(
        assignment, client, broker_down, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(DepartmentUserFactory(department=assignment.department))
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("replies:upload", args=[assignment.pk]), {"file": _pdf()})
    assert time.monotonic() - started < 10
    assert response.status_code == 302
    reply = Reply.objects.get(assignment=assignment)
    assert reply.parse_status == Reply.ParseStatus.QUEUED and reply.parse_task_sent_at is None
    page = client.get(response["Location"]).content.decode()
    assert "解析任务暂未送达" in page and "无需重新上传" in page

    # the broker is back (eager here): the requeue task sends it once it has waited REPLY_REQUEUE_UNSENT_SECONDS
    from config.celery import app

    app.conf.task_always_eager = True
    assert reply_requeue_stalled() == 0
    Reply.objects.filter(pk=reply.pk).update(parse_status_at=timezone.now() - timedelta(seconds=31))
    assert reply_requeue_stalled() == 1
    assert Reply.objects.get(pk=reply.pk).parse_status == Reply.ParseStatus.PARSED


def test_a_reparse_with_redis_down_leaves_the_reply_queued_for_the_requeue_task(
        assignment, staff_user, broker_down, django_capture_on_commit_callbacks):  # noqa: F811
    reply = reply_upload(assignment=assignment, file=_pdf(), uploaded_by=staff_user)
    reply = reply_parse(reply_id=reply.pk)
    with django_capture_on_commit_callbacks(execute=True):
        reply_reparse(reply=reply)
    reply.refresh_from_db()
    assert reply.parse_status == Reply.ParseStatus.QUEUED and reply.parse_task_sent_at is None
    stalled = Reply.objects.stalled(now=timezone.now() + timedelta(seconds=31), queued_for=timedelta(minutes=10),
                                    unsent_for=timedelta(seconds=30), lease=timedelta(seconds=60))
    assert list(stalled) == [reply]


def test_import_replies_with_redis_down_reports_each_file_and_goes_on(assignment, tmp_path, broker_down, capsys,  # noqa: F811
                                                                     media_root):
    from replies.services import uploads

    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (tmp_path / name).write_bytes(text_pdf([REPLY_LINES + [name]]))
    real_import = uploads.reply_import

    def flaky(*, path, **kwargs):
        if path.name == "b.pdf":
            raise OperationalError("server closed the connection unexpectedly")
        return real_import(path=path, **kwargs)

    started = time.monotonic()
    with mock.patch("replies.management.commands.import_replies.reply_import", side_effect=flaky):
        call_command("import_replies", str(tmp_path), "--timeout", "5")
    assert time.monotonic() - started < 20
    lines = capsys.readouterr().out.splitlines()
    report = {Path(line.split()[1]).name: line.split()[0] for line in lines}
    assert report == {"a.pdf": "queued", "b.pdf": "error", "c.pdf": "queued"}
    assert all("恢复后自动解析" in line for line in lines if line.startswith("queued"))
    assert Reply.objects.filter(parse_status=Reply.ParseStatus.QUEUED, parse_task_sent_at__isnull=True).count() == 2


def test_every_page_works_with_the_cache_down(client, settings, staff_user, supervisor_user):
    settings.CACHES = {"default": {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": CLOSED_PORT}}
    from django.core.cache import cache

    cache._down_until = 0.0
    client.force_login(supervisor_user)
    started = time.monotonic()
    for url in (reverse("proposals:dashboard"), reverse("proposals:list"), reverse("indicators:follow-up")):
        assert client.get(url).status_code == 200, url
    client.force_login(staff_user)
    assert client.get(reverse("proposals:todo")).status_code == 200
    assert time.monotonic() - started < 15


# ------------------------------------------------------------------------------------------- PostgreSQL down


@pytest.mark.django_db(transaction=True)
def test_with_postgresql_down_a_page_is_a_503_asking_to_retry(staff_user):
    from django.db import connections

    connection = connections["default"]
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    with mock.patch.object(type(connection), "get_new_connection",
                           side_effect=OperationalError("connection refused")):
        connection.close()
        response = client.get(reverse("proposals:list"))
        english = client.get(reverse("proposals:list"), HTTP_ACCEPT_LANGUAGE="en")
    connection.close()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "服务暂时不可用" in page and "请稍等片刻后刷新页面重试" in page
    assert english.status_code == 503


def test_a_database_error_raised_outside_a_view_gets_the_503_page_too(rf):
    from config.middleware import server_error

    request = rf.get("/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and "服务暂时不可用" in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_connections_are_health_checked_before_reuse(settings):
    from django.db import connection

    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_the_tasks_retry_database_errors_for_longer_than_a_5_minute_outage():
    from replies.tasks import reply_parse_task, reply_requeue_stalled_task

    for task in (reply_parse_task, reply_requeue_stalled_task):
        assert OperationalError in task.autoretry_for and not task.retry_jitter
        waits = [get_exponential_backoff_interval(task.retry_backoff, retries, task.retry_backoff_max, False)
                 for retries in range(task.max_retries)]
        assert sum(waits) >= 5 * 60, waits
        assert max(waits) <= 120


def test_the_requeue_task_retries_when_the_database_is_away():
    from replies.tasks import reply_requeue_stalled_task

    with mock.patch("replies.services.reply_requeue_stalled", side_effect=[OperationalError("gone"), 3]) as run:
        assert reply_requeue_stalled_task.apply().get() == 3
    assert run.call_count == 2


def test_the_parse_task_carries_no_time_limits_the_worker_decides():
    from config.celery import app
    from replies.tasks import reply_parse_task

    with mock.patch.object(app, "send_task") as send:
        app.conf.task_always_eager = False
        try:
            reply_parse_task.delay(1)
        finally:
            app.conf.task_always_eager = True
    options = send.call_args.kwargs
    assert options["time_limit"] is None and options["soft_time_limit"] is None


def test_a_pool_child_gives_its_memory_back(settings):
    from config.celery import app

    assert app.conf.worker_max_memory_per_child and app.conf.worker_max_tasks_per_child


# ------------------------------------------------------------------------------------------------- disk full


class FullDiskStorage(FileSystemStorage):
    """Writes half of the file, then the disk is full."""

    error = errno.ENOSPC

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.read()
        path.write_bytes(data[: len(data) // 2])
        raise OSError(self.error, "No space left on device")


class ReadOnlyStorage(FullDiskStorage):
    error = errno.EROFS

    def _save(self, name, content):
        raise OSError(self.error, "Read-only file system")


@pytest.fixture
def storage(settings, media_root):
    def use(backend):
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.{backend.__name__}",
                                                              "OPTIONS": {"location": str(settings.MEDIA_ROOT)}}}
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        return root
    return use


def _files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_an_upload_on_a_full_disk_says_so_and_leaves_no_row_and_no_partial_file(assignment, client, storage):  # noqa: F811
    root = storage(FullDiskStorage)
    (root / "r.pdf").write_bytes(b"someone else's file named like the client's")  # must survive
    client.force_login(DepartmentUserFactory(department=assignment.department))
    response = client.post(reverse("replies:upload", args=[assignment.pk]), {"file": _pdf("r.pdf")})
    assert response.status_code == 200
    assert "服务器存储空间不足或不可写入" in response.content.decode() and "ENOSPC" in response.content.decode()
    assert not Reply.objects.exists()
    assert _files(root) == {"r.pdf"}
    assignment.refresh_from_db()
    assert assignment.status == assignment.Status.ASSIGNED  # not even signed for


def test_import_replies_on_read_only_media_refuses_each_file_and_goes_on(tmp_path, storage, capsys):
    storage(ReadOnlyStorage)
    for name in ("a.pdf", "b.pdf"):
        (tmp_path / name).write_bytes(text_pdf([REPLY_LINES + [name]]))
    call_command("import_replies", str(tmp_path), "--no-wait")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["refused", "refused"]
    assert all("EROFS" in line for line in lines)
    assert not Reply.objects.exists()
